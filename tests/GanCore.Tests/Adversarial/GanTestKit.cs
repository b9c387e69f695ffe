using GanCore.Adversarial;
using GanCore.Initialization;
using GanCore.Layers;
using GanCore.Models;
using GanCore.Optimizers;
using GanCore.Randomness;
using GanCore.Tensors;

namespace GanCore.Tests.Adversarial;

/// <summary>A noise source that writes fixed rows (cycling through them) and can report each fill.</summary>
internal sealed class FixedNoise : INoiseSource
{
    private readonly float[][] _rows;

    public FixedNoise(params float[][] rows)
    {
        _rows = rows;
        Dimension = rows[0].Length;
    }

    public int Dimension { get; }

    /// <summary>How many times Fill ran.</summary>
    public int Fills { get; private set; }

    /// <summary>Called at the start of every fill with the fill's 1-based index (a probe between the pieces of a step).</summary>
    public Action<int>? OnFill { get; set; }

    public void Fill(Matrix destination, RandomSource random)
    {
        Fills++;
        OnFill?.Invoke(Fills);
        for (int i = 0; i < destination.Rows; i++)
        {
            _rows[i % _rows.Length].CopyTo(destination.Row(i));
        }
    }
}

/// <summary>A copy of every parameter value and gradient buffer of a model, for bitwise comparisons.</summary>
internal sealed class ModelSnapshot
{
    private ModelSnapshot(float[][] values, float[][] gradients)
    {
        Values = values;
        Gradients = gradients;
    }

    public float[][] Values { get; }

    public float[][] Gradients { get; }

    public static ModelSnapshot Of(Sequential model) => new(
        model.Parameters.Select(p => p.Value.Span.ToArray()).ToArray(),
        model.Parameters.Select(p => p.Gradient.Span.ToArray()).ToArray());

    /// <summary>True when every value and every gradient is bitwise identical (NaN payloads included).</summary>
    public static bool BitwiseEqual(float[][] a, float[][] b) =>
        a.Length == b.Length && a.Zip(b).All(p => p.First.AsSpan().SequenceEqual(p.Second));
}

internal static class GanTestKit
{
    /// <summary>G = Dense(noise→hidden) → ReLU → Dense(hidden→15); D = Dense(15→hidden) → ReLU → Dense(hidden→1): the seed's shape.</summary>
    public static (Sequential Generator, Sequential Discriminator) QuadraticNetworks(RandomSource random, int noiseDimension = 5, int hidden = 128)
    {
        var generator = new Sequential(new Dense(noiseDimension, hidden, random), new ReLU(), new Dense(hidden, CurvePoints, random));
        var discriminator = new Sequential(new Dense(CurvePoints, hidden, random), new ReLU(), new Dense(hidden, 1, random));
        return (generator, discriminator);
    }

    /// <summary>The width of one real curve: 15 points, as in the quadratic sample.</summary>
    public const int CurvePoints = 15;

    public static IRealDataSampler QuadraticSampler() => new DelegateSampler(CurvePoints, FillCurves);

    /// <summary>
    /// The quadratic sample's real data, as a test fixture: per row one draw a ~ U(1, 2), then a·x² + (a − 1) on
    /// x = linspace(−1, 1, columns), computed in double and rounded once.
    /// </summary>
    public static void FillCurves(Matrix batch, RandomSource random)
    {
        for (int i = 0; i < batch.Rows; i++)
        {
            double a = random.NextUniform(1.0, 2.0);
            Span<float> row = batch.Row(i);
            for (int j = 0; j < row.Length; j++)
            {
                double x = -1.0 + (2.0 * j / (row.Length - 1));
                row[j] = (float)((a * x * x) + (a - 1.0));
            }
        }
    }

    /// <summary>The seed experiment's GAN (Adam 1e-4, Gaussian noise of width 5), optionally smaller or with other options.</summary>
    public static Gan SeedGan(ulong seed, GanOptions? options = null, int hidden = 128, float learningRate = 1e-4f, float beta1 = 0.9f, IRealDataSampler? sampler = null)
    {
        var random = new RandomSource(seed);
        (Sequential g, Sequential d) = QuadraticNetworks(random, hidden: hidden);
        return new Gan(
            g,
            d,
            new Adam(g.Parameters, learningRate, beta1: beta1),
            new Adam(d.Parameters, learningRate, beta1: beta1),
            new GaussianNoise(5),
            sampler ?? QuadraticSampler(),
            random,
            options);
    }

    /// <summary>
    /// The conditional quadratic data: the curves of <see cref="FillCurves"/> with the label c = 1 when a &gt; 1.5, else 0
    /// (one column).
    /// </summary>
    public static IConditionalRealDataSampler ConditionalQuadraticSampler() => new ConditionalDelegateSampler(CurvePoints, 1, (batch, labels, random) =>
    {
        for (int i = 0; i < batch.Rows; i++)
        {
            double a = random.NextUniform(1.0, 2.0);
            Span<float> row = batch.Row(i);
            for (int j = 0; j < row.Length; j++)
            {
                double x = -1.0 + (2.0 * j / (row.Length - 1));
                row[j] = (float)((a * x * x) + (a - 1.0));
            }

            labels[i, 0] = a > 1.5 ? 1f : 0f;
        }
    });

    /// <summary>A conditional seed-shaped GAN: G = Dense(5+1→hidden) → ReLU → Dense(hidden→15), D = Dense(15+1→hidden) → ReLU → Dense(hidden→1).</summary>
    public static Gan ConditionalSeedGan(ulong seed, GanOptions? options = null, int hidden = 128, IConditionSource? fakeConditions = null)
    {
        var random = new RandomSource(seed);
        var g = new Sequential(new Dense(6, hidden, random), new ReLU(), new Dense(hidden, CurvePoints, random));
        var d = new Sequential(new Dense(CurvePoints + 1, hidden, random), new ReLU(), new Dense(hidden, 1, random));
        return new Gan(g, d, new Adam(g.Parameters, 1e-4f), new Adam(d.Parameters, 1e-4f), new GaussianNoise(5), ConditionalQuadraticSampler(), fakeConditions, random, options);
    }

    /// <summary>A Dense(1→1) layer with the given weight and bias (no randomness).</summary>
    public static Dense Scalar(float weight, float bias) =>
        new(1, 1, new RandomSource(0), Initializer.Constant(weight), Initializer.Constant(bias));

    public static float[] Flatten(Matrix m)
    {
        var result = new float[m.Rows * m.Columns];
        for (int i = 0; i < m.Rows; i++)
        {
            m.Row(i).CopyTo(result.AsSpan(i * m.Columns));
        }

        return result;
    }

    public static float[] AllValues(Sequential model) => model.Parameters.SelectMany(p => p.Value.Span.ToArray()).ToArray();

    public static string TempDirectory(string prefix)
    {
        string path = Path.Combine(Path.GetTempPath(), $"gancore-{prefix}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(path);
        return path;
    }
}
