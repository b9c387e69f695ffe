using GanCore.Layers;
using GanCore.Models;
using GanCore.Randomness;
using GanCore.Tensors;
using Microsoft.ML.OnnxRuntime;

namespace GanCore.Onnx.Tests;

/// <summary>The models the tests export, and helpers to run them in GanCore and in ONNX Runtime.</summary>
internal static class TestModels
{
    /// <summary>The batch sizes <see cref="AssertParity"/> runs: one row, an odd count and a full vector multiple.</summary>
    private static readonly int[] BatchSizes = [1, 7, 64];

    /// <summary>Every supported activation, each fused behind a Dense layer, with non-zero biases.</summary>
    public static Sequential EveryActivation(ulong seed = 1)
    {
        var random = new RandomSource(seed);
        return WithRandomBiases(
            new Sequential(
                new Dense(6, 16, random), new ReLU(),
                new Dense(16, 12, random), new LeakyReLU(0.2f),
                new Dense(12, 10, random), new Sigmoid(),
                new Dense(10, 8, random), new Tanh(),
                new Dense(8, 3, random), new Identity()),
            random);
    }

    /// <summary>Layer orders Sequential does not fuse: an activation first, two Dense in a row, a Dense last.</summary>
    public static Sequential Unfused(ulong seed = 2)
    {
        var random = new RandomSource(seed);
        return WithRandomBiases(
            new Sequential(
                new Tanh(),
                new Dense(4, 9, random),
                new Dense(9, 7, random),
                new LeakyReLU(0.05f),
                new Sigmoid(),
                new Dense(7, 2, random)),
            random);
    }

    /// <summary>The seed GAN's generator: Dense(5,128) → ReLU → Dense(128,15).</summary>
    public static Sequential SeedGenerator(ulong seed = 3)
    {
        var random = new RandomSource(seed);
        return WithRandomBiases(new Sequential(new Dense(5, 128, random), new ReLU(), new Dense(128, 15, random)), random);
    }

    /// <summary>The seed GAN's discriminator: Dense(15,128) → ReLU → Dense(128,1), which outputs logits.</summary>
    public static Sequential SeedDiscriminator(ulong seed = 4)
    {
        var random = new RandomSource(seed);
        return WithRandomBiases(new Sequential(new Dense(15, 128, random), new ReLU(), new Dense(128, 1, random)), random);
    }

    /// <summary>A classifier head: Dense → Softmax, so the graph outputs class probabilities.</summary>
    public static Sequential WithSoftmax(ulong seed = 5)
    {
        var random = new RandomSource(seed);
        return WithRandomBiases(new Sequential(new Dense(6, 16, random), new ReLU(), new Dense(16, 5, random), new Softmax()), random);
    }

    /// <summary>Dropout between Dense layers (rate 0.5: the identity in inference), and one at the very end.</summary>
    public static Sequential WithDropout(ulong seed = 6)
    {
        var random = new RandomSource(seed);
        return WithRandomBiases(
            new Sequential(new Dense(6, 16, random), new ReLU(), new Dropout(0.5f, random), new Dense(16, 4, random), new Dropout(0.2f, random)),
            random);
    }

    /// <summary>BatchNorm on the raw input and after a Dense layer, with non-trivial γ, β, running statistics and ε.</summary>
    public static Sequential WithBatchNorm(ulong seed = 7)
    {
        var random = new RandomSource(seed);
        var model = new Sequential(
            new BatchNorm(6, momentum: 0.3f),
            new Dense(6, 16, random),
            new BatchNorm(16, momentum: 0.5f, epsilon: 1e-3f),
            new ReLU(),
            new Dense(16, 3, random));
        WithRandomBiases(model, random);
        RandomizeNormalization(model, random);

        // Training-mode passes over shifted, scaled batches move the running statistics well away from (0, 1).
        for (int pass = 0; pass < 6; pass++)
        {
            Matrix x = RandomBatch(32, 6, seed: 1000 + (ulong)pass);
            for (int i = 0; i < x.Rows; i++)
            {
                Span<float> row = x.Row(i);
                for (int j = 0; j < row.Length; j++)
                {
                    row[j] = (row[j] * (1 + j)) + (3 * j) - 4;
                }
            }

            model.Forward(x);
        }

        model.IsTraining = false;
        return model;
    }

    /// <summary>LayerNorm after a Dense layer and as the last layer, with non-trivial γ, β and ε.</summary>
    public static Sequential WithLayerNorm(ulong seed = 8)
    {
        var random = new RandomSource(seed);
        var model = new Sequential(
            new Dense(6, 16, random),
            new LayerNorm(16),
            new Tanh(),
            new Dense(16, 5, random),
            new LayerNorm(5, epsilon: 1e-2f));
        WithRandomBiases(model, random);
        RandomizeNormalization(model, random);
        return model;
    }

    /// <summary>Every new layer in one classifier: BatchNorm, Dropout, LayerNorm and Softmax.</summary>
    public static Sequential EveryNewLayer(ulong seed = 9)
    {
        var random = new RandomSource(seed);
        var model = new Sequential(
            new Dense(6, 16, random),
            new BatchNorm(16),
            new ReLU(),
            new Dropout(0.3f, random),
            new Dense(16, 12, random),
            new LayerNorm(12),
            new Tanh(),
            new Dense(12, 4, random),
            new Softmax());
        WithRandomBiases(model, random);
        RandomizeNormalization(model, random);
        for (int pass = 0; pass < 3; pass++)
        {
            model.Forward(RandomBatch(16, 6, seed: 2000 + (ulong)pass));
        }

        model.IsTraining = false;
        return model;
    }

    public static Sequential ByName(string name) => name switch
    {
        nameof(WithSoftmax) => WithSoftmax(),
        nameof(WithDropout) => WithDropout(),
        nameof(WithBatchNorm) => WithBatchNorm(),
        nameof(WithLayerNorm) => WithLayerNorm(),
        nameof(EveryNewLayer) => EveryNewLayer(),
        nameof(EveryActivation) => EveryActivation(),
        nameof(Unfused) => Unfused(),
        nameof(SeedGenerator) => SeedGenerator(),
        nameof(SeedDiscriminator) => SeedDiscriminator(),
        _ => throw new ArgumentOutOfRangeException(nameof(name), name, null),
    };

    public static byte[] ToOnnx(Sequential model, OnnxExportOptions? options = null)
    {
        using var stream = new MemoryStream();
        OnnxExporter.Export(model, stream, options);
        return stream.ToArray();
    }

    public static Matrix RandomBatch(int rows, int columns, ulong seed)
    {
        var x = new Matrix(rows, columns);
        new RandomSource(seed).FillGaussian(x.Span, 0f, 2f);
        return x;
    }

    /// <summary>Runs one batch through an ONNX Runtime session and returns the output with its shape.</summary>
    public static (float[] Values, long[] Shape) Run(InferenceSession session, Matrix input, string inputName = "input", string outputName = "output")
    {
        float[] data = input.Span.ToArray();
        using OrtValue value = OrtValue.CreateTensorValueFromMemory(data, [input.Rows, input.Columns]);
        using var options = new RunOptions();
        using IDisposableReadOnlyCollection<OrtValue> results = session.Run(options, [inputName], [value], [outputName]);
        OrtValue output = results[0];
        return (output.GetTensorDataAsSpan<float>().ToArray(), output.GetTensorTypeAndShape().Shape);
    }

    /// <summary>Runs <paramref name="onnx"/> in ONNX Runtime on random batches of 1, 7 and 64 rows (seeds
    /// <paramref name="seedBase"/> + rows) and asserts the output's shape and <see cref="ShouldMatch"/> against <paramref name="model"/>'s forward pass.</summary>
    public static void AssertParity(Sequential model, byte[] onnx, string name, ulong seedBase = 100)
    {
        using var session = new InferenceSession(onnx);
        foreach (int rows in BatchSizes)
        {
            Matrix x = RandomBatch(rows, model.InputSize, seed: seedBase + (ulong)rows);
            (float[] values, long[] shape) = Run(session, x);
            shape.Should().Equal(rows, model.OutputSize);
            ShouldMatch(values, model.Forward(x), $"{name}, batch {rows}");
        }
    }

    /// <summary>Asserts |a − b| ≤ 1e-5 + 1e-5·|b| element by element, where b is GanCore's value.</summary>
    public static void ShouldMatch(float[] onnx, Matrix expected, string because)
    {
        onnx.Length.Should().Be(expected.Rows * expected.Columns, because);
        for (int r = 0; r < expected.Rows; r++)
        {
            for (int c = 0; c < expected.Columns; c++)
            {
                float a = onnx[(r * expected.Columns) + c];
                float b = expected[r, c];
                float tolerance = 1e-5f + (1e-5f * MathF.Abs(b));
                MathF.Abs(a - b).Should().BeLessThanOrEqualTo(tolerance, $"{because}: element ({r}, {c}) is {a} in ONNX Runtime and {b} in GanCore");
            }
        }
    }

    private static void RandomizeNormalization(Sequential model, RandomSource random)
    {
        foreach (Layer layer in model.Layers)
        {
            (Parameter? gamma, Parameter? beta) = layer switch
            {
                BatchNorm b => (b.Gamma, b.Beta),
                LayerNorm l => (l.Gamma, l.Beta),
                _ => ((Parameter?)null, (Parameter?)null),
            };
            if (gamma is not null && beta is not null)
            {
                random.FillUniform(gamma.Value.Span, 0.5f, 2f);
                random.FillGaussian(beta.Value.Span, 0f, 0.5f);
            }
        }
    }

    private static Sequential WithRandomBiases(Sequential model, RandomSource random)
    {
        foreach (Dense dense in model.Layers.OfType<Dense>())
        {
            random.FillGaussian(dense.Bias.Value.Span, 0f, 0.5f);
        }

        return model;
    }
}
