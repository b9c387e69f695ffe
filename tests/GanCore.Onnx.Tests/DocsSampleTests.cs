using GanCore.Checkpoints;
using GanCore.Models;
using GanCore.Randomness;
using GanCore.Tensors;
using Microsoft.ML.OnnxRuntime;

namespace GanCore.Onnx.Tests;

/// <summary>The code in docs/onnx.md, run as written (with a temporary folder instead of "out").</summary>
public sealed class DocsSampleTests
{
    [Fact]
    public void Docs_sample_exports_a_checkpointed_generator_and_runs_it_in_onnx_runtime()
    {
        string folder = Directory.CreateTempSubdirectory("gancore-onnx-").FullName;
        try
        {
            ModelCheckpoint.Save(Path.Combine(folder, "generator.ckpt"), TestModels.SeedGenerator());

            Sequential generator = ModelCheckpoint.LoadModel(Path.Combine(folder, "generator.ckpt"));
            OnnxExporter.Export(generator, Path.Combine(folder, "generator.onnx"));

            using var session = new InferenceSession(Path.Combine(folder, "generator.onnx"));
            session.InputMetadata["input"].Dimensions.Should().Equal(-1, 5);
            session.InputMetadata["input"].SymbolicDimensions[0].Should().Be("batch");
            session.OutputMetadata["output"].Dimensions.Should().Equal(-1, 15);

            var z = new Matrix(64, 5);
            new RandomSource(42).FillGaussian(z.Span);

            using OrtValue input = OrtValue.CreateTensorValueFromMemory(z.Span.ToArray(), [z.Rows, z.Columns]);
            using var runOptions = new RunOptions();
            using IDisposableReadOnlyCollection<OrtValue> results = session.Run(runOptions, ["input"], [input], ["output"]);
            ReadOnlySpan<float> samples = results[0].GetTensorDataAsSpan<float>();

            TestModels.ShouldMatch(samples.ToArray(), generator.Forward(z), "docs sample");
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
