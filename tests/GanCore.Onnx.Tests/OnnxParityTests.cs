using GanCore.Checkpoints;
using GanCore.Models;
using GanCore.Tensors;
using Microsoft.ML.OnnxRuntime;

namespace GanCore.Onnx.Tests;

/// <summary>ONNX Runtime's output for an exported model matches GanCore's forward pass.</summary>
public sealed class OnnxParityTests
{
    private static readonly int[] BatchSizes = [1, 7, 64];

    [Theory]
    [InlineData(nameof(TestModels.EveryActivation))]
    [InlineData(nameof(TestModels.Unfused))]
    [InlineData(nameof(TestModels.SeedGenerator))]
    [InlineData(nameof(TestModels.SeedDiscriminator))]
    public void Onnx_runtime_output_matches_forward_pass_at_batch_1_7_and_64(string name)
    {
        Sequential model = TestModels.ByName(name);
        AssertParity(model, TestModels.ToOnnx(model), name);
    }

    [Fact]
    public void Model_loaded_from_a_checkpoint_file_exports_with_the_same_outputs()
    {
        string folder = Directory.CreateTempSubdirectory("gancore-onnx-").FullName;
        try
        {
            Sequential trained = TestModels.EveryActivation(seed: 11);
            string checkpoint = Path.Combine(folder, "model.ckpt");
            ModelCheckpoint.Save(checkpoint, trained);
            Sequential loaded = ModelCheckpoint.LoadModel(checkpoint);

            string onnx = Path.Combine(folder, "model.onnx");
            OnnxExporter.Export(loaded, onnx);

            AssertParity(trained, File.ReadAllBytes(onnx), "checkpoint");
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public void Custom_input_and_output_names_are_used_by_the_session()
    {
        Sequential generator = TestModels.SeedGenerator();
        var options = new OnnxExportOptions { InputName = "z", OutputName = "x_fake" };
        using var session = new InferenceSession(TestModels.ToOnnx(generator, options));
        Matrix z = TestModels.RandomBatch(7, 5, seed: 5);

        (float[] values, long[] shape) = TestModels.Run(session, z, "z", "x_fake");

        shape.Should().Equal(7, 15);
        TestModels.ShouldMatch(values, generator.Forward(z), "custom names");
    }

    private static void AssertParity(Sequential model, byte[] onnx, string name)
    {
        using var session = new InferenceSession(onnx);
        foreach (int rows in BatchSizes)
        {
            Matrix x = TestModels.RandomBatch(rows, model.InputSize, seed: (ulong)(100 + rows));
            (float[] values, long[] shape) = TestModels.Run(session, x);
            shape.Should().Equal(rows, model.OutputSize);
            TestModels.ShouldMatch(values, model.Forward(x), $"{name}, batch {rows}");
        }
    }
}
