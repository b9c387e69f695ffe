using GanCore.Randomness;
using GanCore.Tensors;

namespace GanCore.Adversarial;

/// <summary>Fills a batch with latent noise z for the generator.</summary>
public interface INoiseSource
{
    /// <summary>The width of one noise vector (the generator's input width).</summary>
    int Dimension { get; }

    /// <summary>Fills every row of <paramref name="destination"/> (width <see cref="Dimension"/>) with fresh noise.</summary>
    /// <param name="destination">The batch to fill.</param>
    /// <param name="random">The generator to draw from; its state is the only state a source may use.</param>
    void Fill(Matrix destination, RandomSource random);
}

/// <summary>Fills a batch with examples of the real data.</summary>
public interface IRealDataSampler
{
    /// <summary>The width of one example (the discriminator's input width).</summary>
    int Dimension { get; }

    /// <summary>Fills every row of <paramref name="destination"/> (width <see cref="Dimension"/>) with fresh real examples.</summary>
    /// <param name="destination">The batch to fill.</param>
    /// <param name="random">The generator to draw from; its state is the only state a sampler may use.</param>
    void Fill(Matrix destination, RandomSource random);
}

/// <summary>z ~ N(0, σ²) in every component (σ = 1 by default, the usual GAN prior).</summary>
public sealed class GaussianNoise : INoiseSource
{
    /// <summary>Creates a Gaussian noise source.</summary>
    /// <param name="dimension">The width of z (≥ 1).</param>
    /// <param name="standardDeviation">σ, finite and &gt; 0.</param>
    /// <exception cref="ArgumentOutOfRangeException">A setting is out of range.</exception>
    public GaussianNoise(int dimension, float standardDeviation = 1f)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(dimension, 1);
        if (!(standardDeviation > 0f) || !float.IsFinite(standardDeviation))
        {
            throw new ArgumentOutOfRangeException(nameof(standardDeviation), standardDeviation, "The standard deviation must be finite and > 0.");
        }

        Dimension = dimension;
        StandardDeviation = standardDeviation;
    }

    /// <inheritdoc/>
    public int Dimension { get; }

    /// <summary>σ.</summary>
    public float StandardDeviation { get; }

    /// <inheritdoc/>
    public void Fill(Matrix destination, RandomSource random)
    {
        GanChecks.CheckBatch(destination, Dimension, nameof(destination), "noise");
        ArgumentNullException.ThrowIfNull(random);
        for (int i = 0; i < destination.Rows; i++)
        {
            random.FillGaussian(destination.Row(i), 0f, StandardDeviation);
        }
    }
}

/// <summary>z ~ U(low, high) in every component.</summary>
public sealed class UniformNoise : INoiseSource
{
    /// <summary>Creates a uniform noise source.</summary>
    /// <param name="dimension">The width of z (≥ 1).</param>
    /// <param name="low">The lower bound (finite).</param>
    /// <param name="high">The upper bound (finite, &gt; low).</param>
    /// <exception cref="ArgumentOutOfRangeException">A setting is out of range.</exception>
    public UniformNoise(int dimension, float low = -1f, float high = 1f)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(dimension, 1);
        if (!float.IsFinite(low) || !float.IsFinite(high) || !(high > low))
        {
            string parameter = float.IsFinite(low) ? nameof(high) : nameof(low);
            throw new ArgumentOutOfRangeException(parameter, $"The interval [{low}, {high}) must be finite with high > low.");
        }

        Dimension = dimension;
        Low = low;
        High = high;
    }

    /// <inheritdoc/>
    public int Dimension { get; }

    /// <summary>The lower bound.</summary>
    public float Low { get; }

    /// <summary>The upper bound.</summary>
    public float High { get; }

    /// <inheritdoc/>
    public void Fill(Matrix destination, RandomSource random)
    {
        GanChecks.CheckBatch(destination, Dimension, nameof(destination), "noise");
        ArgumentNullException.ThrowIfNull(random);
        for (int i = 0; i < destination.Rows; i++)
        {
            random.FillUniform(destination.Row(i), Low, High);
        }
    }
}

/// <summary>Adapts a delegate to <see cref="IRealDataSampler"/>.</summary>
public sealed class DelegateSampler : IRealDataSampler
{
    private readonly Action<Matrix, RandomSource> _fill;

    /// <summary>Creates a sampler from a fill function.</summary>
    /// <param name="dimension">The width of one example (≥ 1).</param>
    /// <param name="fill">Fills every row of the given batch with real examples, drawing only from the given generator.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="dimension"/> is less than 1.</exception>
    /// <exception cref="ArgumentNullException"><paramref name="fill"/> is null.</exception>
    public DelegateSampler(int dimension, Action<Matrix, RandomSource> fill)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(dimension, 1);
        ArgumentNullException.ThrowIfNull(fill);
        Dimension = dimension;
        _fill = fill;
    }

    /// <inheritdoc/>
    public int Dimension { get; }

    /// <inheritdoc/>
    public void Fill(Matrix destination, RandomSource random)
    {
        GanChecks.CheckBatch(destination, Dimension, nameof(destination), "real data");
        _fill(destination, random);
    }
}

internal static class GanChecks
{
    public static void CheckBatch(Matrix destination, int dimension, string name, string what)
    {
        ArgumentNullException.ThrowIfNull(destination, name);
        if (destination.Columns != dimension)
        {
            throw new ArgumentException($"The {what} batch has width {destination.Columns}; this source produces width {dimension}.", name);
        }
    }
}
