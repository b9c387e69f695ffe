using GanCore.Randomness;
using GanCore.Tensors;

namespace GanCore.Adversarial;

/// <summary>
/// Real data for a GAN from an in-memory table: each <see cref="Fill"/> copies rows of the examples matrix into the
/// batch, drawn with or without replacement (<see cref="SamplingMode"/>), with all randomness from the
/// <see cref="RandomSource"/> the caller passes in (the GAN's), so runs reproduce from the seed.
/// </summary>
/// <remarks>
/// <para>The examples are copied at construction and checked to be finite; later changes to the caller's matrix do not
/// reach the sampler. A steady-state <see cref="Fill"/> allocates nothing.</para>
/// <para><b>Resuming.</b> <see cref="Gan.SaveCheckpoint"/> stores the random generator's state but no sampler state.
/// With <see cref="SamplingMode.WithReplacement"/> the sampler's draws derive from that generator alone, so a resumed GAN
/// continues bit for bit. With <see cref="SamplingMode.WithoutReplacement"/> the sampler also has a position in the
/// current epoch; save <see cref="GetState"/> next to the checkpoint and pass it to <see cref="SetState"/> on the
/// sampler you give <see cref="Gan.LoadCheckpoint(string, INoiseSource, IRealDataSampler)"/> for an exact resume. Without it, the resumed run starts a new
/// epoch: still a valid pass over the data, but not the same batches as an uninterrupted run.</para>
/// <para>Not thread-safe, like the rest of a GAN.</para>
/// </remarks>
public sealed class MatrixSampler : IRealDataSampler
{
    private readonly Matrix _examples;
    private readonly int[] _order;
    private readonly RandomSource _shuffler = new(1);
    private RandomSourceState _epochShuffle;
    private int _position;
    private long _epoch;

    /// <summary>Creates a sampler over the rows of <paramref name="examples"/> (copied).</summary>
    /// <param name="examples">One example per row; at least one row and one column, every value finite.</param>
    /// <param name="mode">With or without replacement.</param>
    /// <exception cref="ArgumentNullException"><paramref name="examples"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="examples"/> has no rows or no columns, or holds a NaN or infinite value (the message names the row and column).</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="mode"/> is not a defined <see cref="SamplingMode"/>.</exception>
    public MatrixSampler(Matrix examples, SamplingMode mode)
    {
        ArgumentNullException.ThrowIfNull(examples);
        if (examples.Rows == 0 || examples.Columns == 0)
        {
            throw new ArgumentException($"The examples matrix is {examples.Rows}×{examples.Columns}; a sampler needs at least one row and one column.", nameof(examples));
        }

        if (mode is not (SamplingMode.WithReplacement or SamplingMode.WithoutReplacement))
        {
            throw new ArgumentOutOfRangeException(nameof(mode), mode, "The sampling mode must be WithReplacement or WithoutReplacement.");
        }

        for (int i = 0; i < examples.Rows; i++)
        {
            ReadOnlySpan<float> row = examples.Row(i);
            for (int j = 0; j < row.Length; j++)
            {
                if (!float.IsFinite(row[j]))
                {
                    throw new ArgumentException($"examples[{i}, {j}] is {row[j]}; real data must be finite.", nameof(examples));
                }
            }
        }

        _examples = new Matrix(examples.Rows, examples.Columns);
        examples.CopyTo(_examples);
        Mode = mode;
        _order = mode == SamplingMode.WithoutReplacement ? new int[examples.Rows] : [];
        _position = Count; // no epoch has started: the first Fill starts epoch 1
    }

    /// <inheritdoc/>
    public int Dimension => _examples.Columns;

    /// <summary>The number of examples (rows).</summary>
    public int Count => _examples.Rows;

    /// <summary>With or without replacement.</summary>
    public SamplingMode Mode { get; }

    /// <summary>Without replacement: the epochs started so far (0 before the first <see cref="Fill"/>). Always 0 with replacement.</summary>
    public long Epoch => _epoch;

    /// <summary>Without replacement: how many examples of the current epoch have been handed out (0..<see cref="Count"/>).
    /// Always 0 with replacement.</summary>
    public int Position => Mode == SamplingMode.WithoutReplacement && _epoch > 0 ? _position : 0;

    /// <summary>Fills every row of <paramref name="destination"/> with an example, drawing from <paramref name="random"/>.</summary>
    /// <param name="destination">The batch to fill; width <see cref="Dimension"/>, any number of rows.</param>
    /// <param name="random">The generator to draw from (with replacement: one index per row; without: one 256-bit
    /// shuffle key per epoch).</param>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="destination"/> is not <see cref="Dimension"/> wide.</exception>
    public void Fill(Matrix destination, RandomSource random)
    {
        SourceChecks.CheckBatch(destination, Dimension, nameof(destination), "real data");
        ArgumentNullException.ThrowIfNull(random);
        if (Mode == SamplingMode.WithReplacement)
        {
            for (int i = 0; i < destination.Rows; i++)
            {
                _examples.Row(random.NextInt32(Count)).CopyTo(destination.Row(i));
            }

            return;
        }

        for (int i = 0; i < destination.Rows; i++)
        {
            if (_position == Count)
            {
                StartEpoch(random);
            }

            _examples.Row(_order[_position++]).CopyTo(destination.Row(i));
        }
    }

    /// <summary>The sampler's own state: with replacement there is none (the default value is returned); without
    /// replacement, the current epoch's shuffle key, the position in it and the epoch count.</summary>
    /// <returns>A value to pass to <see cref="SetState"/> on a sampler over the same examples.</returns>
    public MatrixSamplerState GetState() =>
        Mode == SamplingMode.WithoutReplacement && _epoch > 0 ? new MatrixSamplerState(_epoch, _position, _epochShuffle) : default;

    /// <summary>Restores a state saved by <see cref="GetState"/>, so the next <see cref="Fill"/> continues exactly where
    /// the saved sampler would have.</summary>
    /// <param name="state">The saved state; <c>default</c> means "no epoch started yet".</param>
    /// <exception cref="ArgumentException">The state does not fit this sampler: a position outside 0..<see cref="Count"/>,
    /// a negative epoch, an invalid shuffle key, or a started epoch on a sampler with replacement.</exception>
    public void SetState(MatrixSamplerState state)
    {
        if (state.Epoch < 0)
        {
            throw new ArgumentException($"The saved epoch {state.Epoch} is negative.", nameof(state));
        }

        if (state.Epoch == 0)
        {
            if (state.Position != 0)
            {
                throw new ArgumentException($"The saved state has position {state.Position} but no epoch started.", nameof(state));
            }

            _epoch = 0;
            _position = Count;
            return;
        }

        if (Mode == SamplingMode.WithReplacement)
        {
            throw new ArgumentException($"The saved state is in epoch {state.Epoch}, but a sampler with replacement has no epochs.", nameof(state));
        }

        if ((uint)state.Position > (uint)Count)
        {
            throw new ArgumentException($"The saved position {state.Position} is outside 0..{Count}, the examples of this sampler.", nameof(state));
        }

        _shuffler.SetState(state.EpochShuffle); // validates the key (an all-zero xoshiro state is rejected)
        _epochShuffle = state.EpochShuffle;
        Shuffle();
        _epoch = state.Epoch;
        _position = state.Position;
    }

    private void StartEpoch(RandomSource random)
    {
        // The epoch's order is fixed by a key drawn from the caller's generator, kept so that GetState/SetState can
        // rebuild the order from 32 bytes instead of storing a permutation of every row.
        RandomSourceState key;
        do
        {
            key = new RandomSourceState(random.NextUInt64(), random.NextUInt64(), random.NextUInt64(), random.NextUInt64(), false, 0.0);
        }
        while ((key.S0 | key.S1 | key.S2 | key.S3) == 0);

        _epochShuffle = key;
        _shuffler.SetState(key);
        Shuffle();
        _epoch++;
        _position = 0;
    }

    private void Shuffle()
    {
        // Shuffle the identity (not the last order), so an epoch's order depends on its key alone.
        for (int i = 0; i < _order.Length; i++)
        {
            _order[i] = i;
        }

        _shuffler.Shuffle(_order.AsSpan());
    }
}
