using GanCore.Randomness;
using GanCore.Tensors;

namespace GanCore.Adversarial;

/// <summary>z ~ N(0, σ²) in every component (σ = 1 by default, the usual GAN prior).</summary>
/// <remarks>The default <see cref="GaussianSampling.Polar"/> draws GanCore 0.1.0's stream; <see cref="GaussianSampling.BoxMuller"/>
/// is faster and draws another. Either way a batch is drawn in one pass, so its values equal row-by-row drawing (polar) or do
/// not depend on the batch's row stride (Box–Muller).</remarks>
public sealed class GaussianNoise : INoiseSource
{
    private float[]? _scratch;

    /// <summary>Creates a Gaussian noise source.</summary>
    /// <param name="dimension">The width of z (≥ 1).</param>
    /// <param name="standardDeviation">σ, finite and &gt; 0.</param>
    /// <exception cref="ArgumentOutOfRangeException">A setting is out of range.</exception>
    [System.Diagnostics.CodeAnalysis.SuppressMessage("ApiDesign", "RS0027:API with optional parameter(s) should have the most parameters amongst its public overloads", Justification = "The longer overload's sampling parameter is required, so no existing call can rebind to it.")]
    public GaussianNoise(int dimension, float standardDeviation = 1f)
        : this(dimension, standardDeviation, GaussianSampling.Polar)
    {
    }

    /// <summary>Creates a Gaussian noise source that draws with the given method.</summary>
    /// <param name="dimension">The width of z (≥ 1).</param>
    /// <param name="standardDeviation">σ, finite and &gt; 0.</param>
    /// <param name="sampling">The sampling method: <see cref="GaussianSampling.Polar"/> (0.1.0's stream) or the faster
    /// <see cref="GaussianSampling.BoxMuller"/>.</param>
    /// <exception cref="ArgumentOutOfRangeException">A setting is out of range.</exception>
    public GaussianNoise(int dimension, float standardDeviation, GaussianSampling sampling)
    {
        if (sampling is not (GaussianSampling.Polar or GaussianSampling.BoxMuller))
        {
            throw new ArgumentOutOfRangeException(nameof(sampling), sampling, "Unknown Gaussian sampling method.");
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(dimension, 1);
        if (!(standardDeviation > 0f) || !float.IsFinite(standardDeviation))
        {
            throw new ArgumentOutOfRangeException(nameof(standardDeviation), standardDeviation, "The standard deviation must be finite and > 0.");
        }

        Dimension = dimension;
        StandardDeviation = standardDeviation;
        Sampling = sampling;
    }

    /// <inheritdoc/>
    public int Dimension { get; }

    /// <summary>σ.</summary>
    public float StandardDeviation { get; }

    /// <summary>The sampling method (<see cref="GaussianSampling.Polar"/> unless chosen otherwise).</summary>
    public GaussianSampling Sampling { get; }

    /// <inheritdoc/>
    public void Fill(Matrix destination, RandomSource random)
    {
        SourceChecks.CheckBatch(destination, Dimension, nameof(destination), "noise");
        ArgumentNullException.ThrowIfNull(random);
        if (Sampling == GaussianSampling.BoxMuller)
        {
            FillBoxMuller(destination, random);
            return;
        }

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

    /// <summary>The whole batch in one call, so the values do not depend on the batch's row stride (a Box–Muller call
    /// consumes draws in blocks of 32 samples): a strided view is filled through a reused contiguous buffer.</summary>
    private void FillBoxMuller(Matrix destination, RandomSource random)
    {
        if (destination.IsContiguous)
        {
            random.FillGaussianVectorized(destination.Span, 0f, StandardDeviation);
            return;
        }

        int count = destination.Rows * destination.Columns;
        if (_scratch is null || _scratch.Length < count)
        {
            _scratch = new float[count];
        }

        random.FillGaussianVectorized(_scratch.AsSpan(0, count), 0f, StandardDeviation);
        for (int i = 0; i < destination.Rows; i++)
        {
            _scratch.AsSpan(i * destination.Columns, destination.Columns).CopyTo(destination.Row(i));
        }
    }
}
