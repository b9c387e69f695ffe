using GanCore.Kernels;
using GanCore.Models;

namespace GanCore.Onnx.Tests;

/// <summary>Bad arguments and unsupported layers fail with typed exceptions that name the culprit.</summary>
public sealed class OnnxExporterValidationTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("gancore-onnx-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void Null_model_throws_ArgumentNullException_for_both_overloads()
    {
        FluentActions.Invoking(() => OnnxExporter.Export(null!, Path.Combine(_folder, "m.onnx")))
            .Should().Throw<ArgumentNullException>().WithParameterName("model");
        FluentActions.Invoking(() => OnnxExporter.Export(null!, new MemoryStream()))
            .Should().Throw<ArgumentNullException>().WithParameterName("model");
    }

    [Fact]
    public void Null_or_blank_path_throws_naming_path()
    {
        Sequential model = TestModels.SeedGenerator();
        FluentActions.Invoking(() => OnnxExporter.Export(model, (string)null!)).Should().Throw<ArgumentNullException>().WithParameterName("path");
        FluentActions.Invoking(() => OnnxExporter.Export(model, "")).Should().Throw<ArgumentException>().WithParameterName("path");
        FluentActions.Invoking(() => OnnxExporter.Export(model, "   ")).Should().Throw<ArgumentException>().WithParameterName("path");
    }

    [Fact]
    public void Path_that_is_a_folder_throws_ArgumentException_naming_path()
    {
        FluentActions.Invoking(() => OnnxExporter.Export(TestModels.SeedGenerator(), _folder))
            .Should().Throw<ArgumentException>().WithParameterName("path");
    }

    [Fact]
    public void Missing_folder_throws_DirectoryNotFoundException_and_writes_nothing()
    {
        string path = Path.Combine(_folder, "missing", "m.onnx");
        FluentActions.Invoking(() => OnnxExporter.Export(TestModels.SeedGenerator(), path))
            .Should().Throw<DirectoryNotFoundException>().WithMessage("*missing*");
        Directory.EnumerateFileSystemEntries(_folder).Should().BeEmpty();
    }

    [Fact]
    public void Export_to_a_file_replaces_it_and_leaves_no_temporary_file()
    {
        string path = Path.Combine(_folder, "generator.onnx");
        File.WriteAllText(path, "old contents");

        OnnxExporter.Export(TestModels.SeedGenerator(), path);

        File.ReadAllBytes(path).Should().Equal(TestModels.ToOnnx(TestModels.SeedGenerator()));
        Directory.EnumerateFileSystemEntries(_folder).Should().ContainSingle();
    }

    [Fact]
    public void Null_or_read_only_stream_throws_naming_stream()
    {
        Sequential model = TestModels.SeedGenerator();
        FluentActions.Invoking(() => OnnxExporter.Export(model, (Stream)null!)).Should().Throw<ArgumentNullException>().WithParameterName("stream");
        using var readOnly = new MemoryStream(new byte[16], writable: false);
        FluentActions.Invoking(() => OnnxExporter.Export(model, readOnly)).Should().Throw<ArgumentException>().WithParameterName("stream");
    }

    [Theory]
    [InlineData("", "output", "g", "batch", "InputName")]
    [InlineData("input", " ", "g", "batch", "OutputName")]
    [InlineData("input", "output", "", "batch", "GraphName")]
    [InlineData("input", "output", "g", "\t", "BatchDimensionName")]
    public void Blank_names_throw_ArgumentException_naming_options_and_the_property(string input, string output, string graph, string batch, string property)
    {
        var options = new OnnxExportOptions { InputName = input, OutputName = output, GraphName = graph, BatchDimensionName = batch };
        using var stream = new MemoryStream();
        FluentActions.Invoking(() => OnnxExporter.Export(TestModels.SeedGenerator(), stream, options))
            .Should().Throw<ArgumentException>().WithParameterName("options").WithMessage($"*{property}*");
        stream.Length.Should().Be(0);
    }

    [Fact]
    public void Null_name_throws_ArgumentException_naming_options()
    {
        var options = new OnnxExportOptions { InputName = null! };
        FluentActions.Invoking(() => OnnxExporter.Export(TestModels.SeedGenerator(), new MemoryStream(), options))
            .Should().Throw<ArgumentException>().WithParameterName("options").WithMessage("*InputName*");
    }

    [Theory]
    [InlineData("same", "same")]
    [InlineData("input", "layer0.output")]
    [InlineData("layer2.weight", "output")]
    public void Clashing_names_throw_ArgumentException(string input, string output)
    {
        var options = new OnnxExportOptions { InputName = input, OutputName = output };
        FluentActions.Invoking(() => OnnxExporter.Export(TestModels.SeedGenerator(), new MemoryStream(), options))
            .Should().Throw<ArgumentException>().WithParameterName("options");
    }

    [Fact]
    public void Every_supported_layer_type_exports()
    {
        // Layer has a private protected constructor, so no test can define an unsupported layer; the model below
        // holds every layer type GanCore has, which proves the dispatch covers them all.
        FluentActions.Invoking(() => TestModels.ToOnnx(TestModels.EveryActivation())).Should().NotThrow();
        FluentActions.Invoking(() => TestModels.ToOnnx(TestModels.Unfused())).Should().NotThrow();
        FluentActions.Invoking(() => TestModels.ToOnnx(TestModels.EveryNewLayer())).Should().NotThrow();
        FluentActions.Invoking(() => TestModels.ToOnnx(TestModels.WithBatchNorm())).Should().NotThrow();
    }

    [Fact]
    public void An_activation_without_an_onnx_mapping_throws_NotSupportedException_naming_the_layer()
    {
        FluentActions.Invoking(() => OnnxExporter.MapActivation(4, "Swish", (Activation)99, 0f))
            .Should().Throw<NotSupportedException>().WithMessage("Layer 4 (Swish*99*");
    }

    [Fact]
    public void Unsupported_layer_message_names_the_layer_its_type_and_position()
    {
        NotSupportedException e = OnnxExporter.Unsupported(2, "Conv2d(3)", "Contoso.Layers.Conv2d", "no mapping");
        e.Message.Should().Contain("Layer 2").And.Contain("Conv2d(3)").And.Contain("Contoso.Layers.Conv2d").And.Contain("Supported layers")
            .And.Contain("Softmax, Dropout, BatchNorm, LayerNorm");
    }
}
