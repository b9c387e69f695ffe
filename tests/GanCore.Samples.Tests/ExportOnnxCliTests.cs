using QuadraticGan;

namespace GanCore.Samples.Tests;

/// <summary>--export-onnx writes generator.onnx; without it, no ONNX file appears.</summary>
[Collection(CliTestGroup.Name)]
public sealed class ExportOnnxCliTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), $"gancore-onnx-cli-{Guid.NewGuid():N}");

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public void Export_onnx_writes_the_generator_next_to_the_checkpoints()
    {
        string with = Path.Combine(_root, "with");
        string without = Path.Combine(_root, "without");
        Cli.Run(["--steps", "20", "--samples", "10", "--quiet", "--no-plots", "--export-onnx", "--out", with]).Should().Be(Cli.ExitOk);
        Cli.Run(["--steps", "20", "--samples", "10", "--quiet", "--no-plots", "--out", without]).Should().Be(Cli.ExitOk);

        var onnx = new FileInfo(Path.Combine(with, "generator.onnx"));
        onnx.Exists.Should().BeTrue();

        // The seed generator holds (5·128 + 128 + 128·15 + 15) = 2703 float32 weights.
        onnx.Length.Should().BeGreaterThan(2703 * 4);
        byte[] bytes = File.ReadAllBytes(onnx.FullName);
        bytes[0].Should().Be(0x08, "an ONNX ModelProto starts with field 1 (ir_version) as a varint");
        File.Exists(Path.Combine(without, "generator.onnx")).Should().BeFalse();
    }
}
