using GanCore.Layers;
using GanCore.Models;
using GanCore.Randomness;
using GanCore.Tensors;
using Microsoft.ML.OnnxRuntime;

namespace GanCore.Onnx.Tests;

/// <summary>A conditional generator exports with two inputs, z and c, concatenated inside the graph; ONNX Runtime matches G([z, c]).</summary>
public sealed class ConditionalOnnxTests
{
    /// <summary>The conditional quadratic generator: Dense(5+1→128) → ReLU → Dense(128→15); and a wider-condition variant.</summary>
    private static Sequential Generator(int noise, int condition, ulong seed)
    {
        var random = new RandomSource(seed);
        return new Sequential(new Dense(noise + condition, 32, random), new ReLU(), new Dense(32, 15, random));
    }

    private static byte[] ToOnnx(Sequential generator, int conditionWidth, OnnxExportOptions? options = null, string name = ConditionalOnnxExporter.DefaultConditionName)
    {
        using var stream = new MemoryStream();
        ConditionalOnnxExporter.Export(generator, conditionWidth, stream, options, name);
        return stream.ToArray();
    }

    [Theory]
    [InlineData(5, 1)]
    [InlineData(3, 4)]
    public void Onnx_runtime_output_of_z_and_c_matches_the_forward_pass_of_their_concatenation_at_batch_1_7_and_64(int noise, int condition)
    {
        Sequential generator = Generator(noise, condition, 7);
        using var session = new InferenceSession(ToOnnx(generator, condition));
        session.InputMetadata.Keys.Should().Equal("input", "condition");
        foreach (int rows in (int[])[1, 7, 64])
        {
            Matrix z = TestModels.RandomBatch(rows, noise, seed: (ulong)(200 + rows));
            Matrix c = TestModels.RandomBatch(rows, condition, seed: (ulong)(300 + rows));
            var joined = new Matrix(rows, noise + condition);
            for (int i = 0; i < rows; i++)
            {
                z.Row(i).CopyTo(joined.Row(i));
                c.Row(i).CopyTo(joined.Row(i)[noise..]);
            }

            using OrtValue zValue = OrtValue.CreateTensorValueFromMemory(z.Span.ToArray(), [rows, noise]);
            using OrtValue cValue = OrtValue.CreateTensorValueFromMemory(c.Span.ToArray(), [rows, condition]);
            using var runOptions = new RunOptions();
            using IDisposableReadOnlyCollection<OrtValue> results = session.Run(runOptions, ["input", "condition"], [zValue, cValue], ["output"]);
            results[0].GetTensorTypeAndShape().Shape.Should().Equal(rows, 15);
            TestModels.ShouldMatch(results[0].GetTensorDataAsSpan<float>().ToArray(), generator.Forward(joined), $"noise {noise}, condition {condition}, batch {rows}");
        }
    }

    [Fact]
    public void The_graph_starts_with_a_Concat_on_axis_1_and_declares_both_widths()
    {
        Sequential generator = Generator(5, 1, 3);
        using var session = new InferenceSession(ToOnnx(generator, 1, new OnnxExportOptions { InputName = "z" }, "c"));
        session.InputMetadata["z"].Dimensions.Should().Equal(-1, 5);
        session.InputMetadata["c"].Dimensions.Should().Equal(-1, 1);

        // The Concat node and its axis attribute are in the bytes (names are stored as UTF-8 strings).
        string text = System.Text.Encoding.Latin1.GetString(ToOnnx(generator, 1));
        text.Should().Contain("Concat").And.Contain("condition.Concat").And.Contain("axis");
    }

    [Fact]
    public void Bad_condition_widths_and_names_are_rejected_with_clear_errors()
    {
        Sequential generator = Generator(5, 1, 3);
        FluentActions.Invoking(() => ToOnnx(generator, 0)).Should().Throw<ArgumentOutOfRangeException>().WithParameterName("conditionWidth");
        FluentActions.Invoking(() => ToOnnx(generator, 6)).Should().Throw<ArgumentOutOfRangeException>().WithParameterName("conditionWidth").Which.Message.Should().Contain("input width 6");
        FluentActions.Invoking(() => ToOnnx(generator, 1, null, "input")).Should().Throw<ArgumentException>().WithParameterName("conditionName");
        FluentActions.Invoking(() => ToOnnx(generator, 1, null, " ")).Should().Throw<ArgumentException>().WithParameterName("conditionName");
        FluentActions.Invoking(() => ToOnnx(generator, 1, null, "layer0.output")).Should().Throw<ArgumentException>().Which.Message.Should().Contain("clashes");
    }

    [Fact]
    public void Export_to_a_file_writes_the_same_bytes_as_to_a_stream()
    {
        Sequential generator = Generator(5, 1, 3);
        string folder = Directory.CreateTempSubdirectory("gancore-conditional-onnx-").FullName;
        try
        {
            string path = Path.Combine(folder, "g.onnx");
            ConditionalOnnxExporter.Export(generator, 1, path);
            File.ReadAllBytes(path).Should().Equal(ToOnnx(generator, 1));
            Directory.GetFiles(folder).Should().HaveCount(1, "no temporary file is left behind");
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
