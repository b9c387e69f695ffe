using GanCore.Randomness;
using GanCore.Tensors;

namespace GanCore.Adversarial;

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
        SourceChecks.CheckBatch(destination, Dimension, nameof(destination), "real data");
        _fill(destination, random);
    }
}
