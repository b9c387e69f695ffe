using GanCore.Checkpoints;
using GanCore.Layers;
using GanCore.Models;
using GanCore.Randomness;
using GanCore.Tensors;
using Microsoft.ML.OnnxRuntime;

namespace GanCore.Onnx.Tests;

/// <summary>
/// SpectralNormDense exports as a plain Gemm with W/σ(W) baked in: ONNX Runtime matches the library's inference pass at
/// batch 1, 7 and 64, exporting does not advance u, and the baked weights really are the normalized ones.
/// </summary>
public sealed class SpectralNormOnnxTests
{
    /// <summary>A spectrally normalized discriminator-like model, trained a few passes so u is not its initial draw.</summary>
    private static Sequential Model(ulong seed = 31)
    {
        var random = new RandomSource(seed);
        var model = new Sequential(
            new SpectralNormDense(15, 32, random),
            new LeakyReLU(0.2f),
            new SpectralNormDense(32, 16, random, powerIterations: 2),
            new ReLU(),
            new Dense(16, 8, random),
            new Tanh(),
            new SpectralNormDense(8, 1, random));
        foreach (Parameter p in model.Parameters.Where(p => p.Name == "bias"))
        {
            random.FillUniform(p.Value.Span, -0.5f, 0.5f);
        }

        for (int pass = 0; pass < 3; pass++)
        {
            model.Forward(TestModels.RandomBatch(16, 15, seed: 3000 + (ulong)pass));
        }

        model.IsTraining = false;
        return model;
    }

    private static float[][] Us(Sequential model) => model.Layers.OfType<SpectralNormDense>().Select(s => s.U.ToArray()).ToArray();

    [Fact]
    public void Onnx_runtime_output_matches_the_inference_pass_at_batch_1_7_and_64()
    {
        Sequential model = Model();
        float[][] u = Us(model);
        byte[] onnx = TestModels.ToOnnx(model);
        Us(model).Should().BeEquivalentTo(u, o => o.WithStrictOrdering(), "exporting does not advance the power iteration");

        TestModels.AssertParity(model, onnx, "spectral norm", seedBase: 200);
    }

    [Fact]
    public void The_exported_Gemm_multiplies_by_W_over_sigma_not_by_W()
    {
        Sequential model = Model();
        var first = (SpectralNormDense)model.Layers[0];
        first.Sigma.Should().NotBeApproximately(1f, 0.05f, "a σ near 1 would make the raw and normalized weights indistinguishable");

        // The same layer instance alone in a model (a layer may serve several models; its W, b and u stay the same).
        var single = new Sequential(first) { IsTraining = false };
        using var session = new InferenceSession(TestModels.ToOnnx(single));
        Matrix x = TestModels.RandomBatch(7, 15, seed: 77);
        (float[] values, _) = TestModels.Run(session, x);

        var baked = new Sequential(CopyAsDense(first, useNormalized: true)) { IsTraining = false };
        var raw = new Sequential(CopyAsDense(first, useNormalized: false)) { IsTraining = false };
        TestModels.ShouldMatch(values, baked.Forward(x), "the exported Gemm is X·(W/σ) + b");
        FluentActions.Invoking(() => TestModels.ShouldMatch(values, raw.Forward(x), "raw weights")).Should().Throw<Exception>("the parity check can tell W from W/σ");
        TestModels.ShouldMatch(values, single.Forward(x), "the library's inference pass");
    }

    [Fact]
    public void A_model_loaded_from_a_checkpoint_exports_with_the_same_outputs()
    {
        string folder = Directory.CreateTempSubdirectory("gancore-onnx-sn-").FullName;
        try
        {
            Sequential trained = Model(seed: 32);
            string checkpoint = Path.Combine(folder, "sn.ckpt");
            ModelCheckpoint.Save(checkpoint, trained);
            Sequential loaded = ModelCheckpoint.LoadModel(checkpoint);
            string path = Path.Combine(folder, "sn.onnx");
            OnnxExporter.Export(loaded, path);
            TestModels.AssertParity(trained, File.ReadAllBytes(path), "spectral norm via checkpoint", seedBase: 300);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public void A_layer_with_zero_sigma_is_refused_and_nothing_is_written()
    {
        Sequential model = Model();
        ((SpectralNormDense)model.Layers[0]).Weights.Value.Clear();
        using var stream = new MemoryStream();
        FluentActions.Invoking(() => OnnxExporter.Export(model, stream)).Should().Throw<InvalidOperationException>().WithMessage("SpectralNormDense(15→32): σ(W)*");
        stream.Length.Should().Be(0);
    }

    /// <summary>A Dense layer holding the same bias and either W or W/σ.</summary>
    private static Dense CopyAsDense(SpectralNormDense layer, bool useNormalized)
    {
        var dense = new Dense(layer.InputSize, layer.OutputSize, new RandomSource(1));
        (useNormalized ? layer.NormalizedWeights() : layer.Weights.Value).CopyTo(dense.Weights.Value);
        layer.Bias.Value.CopyTo(dense.Bias.Value);
        return dense;
    }
}
