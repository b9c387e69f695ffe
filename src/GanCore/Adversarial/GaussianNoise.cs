using GanCore.Randomness;
using GanCore.Tensors;

namespace GanCore.Adversarial;

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
        SourceChecks.CheckBatch(destination, Dimension, nameof(destination), "noise");
        ArgumentNullException.ThrowIfNull(random);
        if (destination.IsContiguous)
        {
            // One call over the whole batch: the same values as row by row (FillGaussian continues the stream exactly).
            random.FillGaussian(destination.Span, 0f, StandardDeviation);
            return;
        }

        for (int i = 0; i < destination.Rows; i++)
        {
            random.FillGaussian(destination.Row(i), 0f, StandardDeviation);
        }
    }
}
