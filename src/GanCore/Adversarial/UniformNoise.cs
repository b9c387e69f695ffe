using GanCore.Randomness;
using GanCore.Tensors;

namespace GanCore.Adversarial;

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
        SourceChecks.CheckBatch(destination, Dimension, nameof(destination), "noise");
        ArgumentNullException.ThrowIfNull(random);
        for (int i = 0; i < destination.Rows; i++)
        {
            random.FillUniform(destination.Row(i), Low, High);
        }
    }
}
