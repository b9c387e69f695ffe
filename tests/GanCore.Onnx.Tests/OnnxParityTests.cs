using GanCore.Checkpoints;
using GanCore.Models;
using GanCore.Tensors;
using Microsoft.ML.OnnxRuntime;

namespace GanCore.Onnx.Tests;

/// <summary>ONNX Runtime's output for an exported model matches GanCore's forward pass.</summary>
public sealed class OnnxParityTests
{
    [Theory]
    [InlineData(nameof(TestModels.EveryActivation))]
    [InlineData(nameof(TestModels.Unfused))]
    [InlineData(nameof(TestModels.SeedGenerator))]
    [InlineData(nameof(TestModels.SeedDiscriminator))]
    [InlineData(nameof(TestModels.WithSoftmax))]
    [InlineData(nameof(TestModels.WithDropout))]
    [InlineData(nameof(TestModels.WithBatchNorm))]
    [InlineData(nameof(TestModels.WithLayerNorm))]
    [InlineData(nameof(TestModels.EveryNewLayer))]
    public void Onnx_runtime_output_matches_forward_pass_at_batch_1_7_and_64(string name)
    {
        Sequential model = TestModels.ByName(name);
        model.IsTraining = false; // the exported graph is the inference function
        TestModels.AssertParity(model, TestModels.ToOnnx(model), name);
    }

    [Fact]
    public void The_graph_is_the_inference_function_whatever_mode_the_model_is_in_at_export()
    {
        Sequential model = TestModels.EveryNewLayer();
        model.IsTraining = true;
        byte[] exportedInTraining = TestModels.ToOnnx(model);
        model.IsTraining = false;
        exportedInTraining.Should().Equal(TestModels.ToOnnx(model));
        TestModels.AssertParity(model, exportedInTraining, "exported in training mode");
    }

    [Fact]
    public void The_parity_check_would_catch_a_training_mode_forward_pass()
    {
        // Guards the test itself: in training mode Dropout and BatchNorm differ from the exported graph, so a parity
        // run that forgot to switch to inference mode would fail instead of passing by accident.
        Sequential model = TestModels.WithBatchNorm();
        using var session = new InferenceSession(TestModels.ToOnnx(model));
        Matrix x = TestModels.RandomBatch(7, model.InputSize, seed: 107);
        (float[] onnx, _) = TestModels.Run(session, x);
        model.IsTraining = true;
        Matrix training = model.Forward(x);
        FluentActions.Invoking(() => TestModels.ShouldMatch(onnx, training, "training mode")).Should().Throw<Exception>();
    }

    [Fact]
    public void A_model_with_every_new_layer_loaded_from_a_checkpoint_exports_with_the_same_outputs()
    {
        string folder = Directory.CreateTempSubdirectory("gancore-onnx-").FullName;
        try
        {
            Sequential trained = TestModels.EveryNewLayer();
            string checkpoint = Path.Combine(folder, "model.ckpt");
            ModelCheckpoint.Save(checkpoint, trained);
            Sequential loaded = ModelCheckpoint.LoadModel(checkpoint);
            loaded.IsTraining = false;
            TestModels.AssertParity(trained, TestModels.ToOnnx(loaded), "new layers via checkpoint");
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
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

            TestModels.AssertParity(trained, File.ReadAllBytes(onnx), "checkpoint");
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

}
