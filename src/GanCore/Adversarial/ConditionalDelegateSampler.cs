using GanCore.Randomness;
using GanCore.Tensors;

namespace GanCore.Adversarial;

/// <summary>Adapts a delegate that draws (x, c) pairs to <see cref="IConditionalRealDataSampler"/>.</summary>
public sealed class ConditionalDelegateSampler : IConditionalRealDataSampler
{
    private readonly Action<Matrix, Matrix, RandomSource> _fill;

    /// <summary>Where <see cref="Fill(Matrix, RandomSource)"/> puts the conditions it discards; grown on demand.</summary>
    private Matrix? _scratch;

    /// <summary>The view of <see cref="_scratch"/> handed out last (its row count is the last batch size).</summary>
    private Matrix? _scratchView;

    /// <summary>Creates a conditional sampler from a fill function.</summary>
    /// <param name="dimension">The width of one example (≥ 1).</param>
    /// <param name="conditionDimension">The width of one condition vector (≥ 1).</param>
    /// <param name="fill">Fills every row of the given example batch and, row for row, the given condition batch,
    /// drawing only from the given generator.</param>
    /// <exception cref="ArgumentOutOfRangeException">A width is less than 1.</exception>
    /// <exception cref="ArgumentNullException"><paramref name="fill"/> is null.</exception>
    public ConditionalDelegateSampler(int dimension, int conditionDimension, Action<Matrix, Matrix, RandomSource> fill)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(dimension, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(conditionDimension, 1);
        ArgumentNullException.ThrowIfNull(fill);
        Dimension = dimension;
        ConditionDimension = conditionDimension;
        _fill = fill;
    }

    /// <inheritdoc/>
    public int Dimension { get; }

    /// <inheritdoc/>
    public int ConditionDimension { get; }

    /// <inheritdoc/>
    public void Fill(Matrix destination, Matrix conditions, RandomSource random)
    {
        SourceChecks.CheckBatch(destination, Dimension, nameof(destination), "real data");
        SourceChecks.CheckBatch(conditions, ConditionDimension, nameof(conditions), "condition");
        if (conditions.Rows != destination.Rows)
        {
            throw new ArgumentException($"The condition batch has {conditions.Rows} rows but the example batch has {destination.Rows}; they must match row for row.", nameof(conditions));
        }

        ArgumentNullException.ThrowIfNull(random);
        _fill(destination, conditions, random);
    }

    /// <summary>Fills <paramref name="destination"/> with examples from the marginal p(x): draws (x, c) pairs and discards the conditions.</summary>
    /// <remarks>The discarded conditions go to a scratch buffer the sampler keeps (sized for the largest batch seen), so
    /// repeated calls with the same batch size allocate nothing. Like every sampler, not safe for concurrent calls.</remarks>
    /// <param name="destination">The batch to fill.</param>
    /// <param name="random">The generator to draw from.</param>
    public void Fill(Matrix destination, RandomSource random)
    {
        SourceChecks.CheckBatch(destination, Dimension, nameof(destination), "real data");
        Fill(destination, DiscardedConditions(destination.Rows), random);
    }

    /// <summary>A rows × <see cref="ConditionDimension"/> view of the scratch buffer, grown only when a larger batch comes.</summary>
    private Matrix DiscardedConditions(int rows)
    {
        if (_scratchView?.Rows == rows)
        {
            return _scratchView;
        }

        if (_scratch is null || _scratch.Rows < rows)
        {
            _scratch = new Matrix(rows, ConditionDimension);
        }

        _scratchView = _scratch.Rows == rows ? _scratch : _scratch.Slice(0, 0, rows, ConditionDimension);
        return _scratchView;
    }
}
