using GanCore.Randomness;
using GanCore.Tensors;

namespace GanCore.Layers;

/// <summary>
/// Inverted dropout: in training mode each element is kept with probability 1 − p and scaled by 1/(1 − p), or set to
/// 0; in inference mode the layer is the identity (the scaling during training keeps the expected activation equal,
/// so nothing needs rescaling at inference).
/// </summary>
/// <remarks>
/// <para><b>Forward (training).</b> mᵢⱼ = 1/(1 − p) if uᵢⱼ ≥ p else 0, with uᵢⱼ ~ U[0, 1) drawn from the layer's
/// <see cref="RandomSource"/> row by row; y = x ⊙ m. The same generator state gives the same masks, so runs
/// reproduce, and a model checkpoint saves that state.</para>
/// <para><b>Backward.</b> dx = dy ⊙ m with the mask of the last forward pass (kept); in inference mode dx = dy.
/// There are no parameters. Accepts any input width.</para>
/// </remarks>
public sealed class Dropout : Layer
{
    private Matrix? _mask;
    private Matrix? _output;
    private Matrix? _gradientInput;
    private bool _lastWasTraining;

    /// <summary>Creates a dropout layer.</summary>
    /// <param name="rate">p, the probability of dropping an element: in [0, 1).</param>
    /// <param name="random">The generator the masks are drawn from (the layer keeps and advances it).</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="rate"/> is outside [0, 1) or NaN.</exception>
    /// <exception cref="ArgumentNullException"><paramref name="random"/> is null.</exception>
    public Dropout(float rate, RandomSource random)
    {
        if (!(rate >= 0f && rate < 1f))
        {
            throw new ArgumentOutOfRangeException(nameof(rate), rate, "The dropout rate must be in [0, 1): it is the probability of dropping an element.");
        }

        ArgumentNullException.ThrowIfNull(random);
        Rate = rate;
        Random = random;
    }

    /// <summary>p, the probability of dropping an element in training mode.</summary>
    public float Rate { get; }

    /// <summary>The generator the masks come from.</summary>
    internal RandomSource Random { get; }

    /// <inheritdoc/>
    public override string Name => $"Dropout({Rate})";

    internal override bool RejectsNonFiniteInput => true;

    internal override int? RequiredInputWidth => null;

    internal override (int Rows, int Columns) OutputShape => (BatchSize, _output?.Columns ?? 0);

    internal override int OutputWidth(int inputWidth) => inputWidth;

    internal override Matrix ForwardCore(Matrix input, bool inputIsStable)
    {
        BatchSize = input.Rows;
        Matrix y = Matrix.Ensure(ref _output, input.Rows, input.Columns);
        _lastWasTraining = IsTraining;
        if (!IsTraining)
        {
            input.CopyTo(y);                                             // inference: y = x
            return y;
        }

        Matrix mask = Matrix.Ensure(ref _mask, input.Rows, input.Columns);
        float keep = 1f / (1f - Rate);
        for (int i = 0; i < input.Rows; i++)
        {
            ReadOnlySpan<float> x = input.Row(i);
            Span<float> m = mask.Row(i);
            Span<float> yr = y.Row(i);
            for (int j = 0; j < x.Length; j++)
            {
                m[j] = Random.NextSingle() >= Rate ? keep : 0f;          // mᵢⱼ = 1/(1−p) with probability 1−p
                yr[j] = x[j] * m[j];                                     // y = x ⊙ m
            }
        }

        return y;
    }

    internal override Matrix? BackwardCore(Matrix gradientOutput, ParameterGradients parameterGradients, bool needInputGradient)
    {
        if (!needInputGradient)
        {
            return null;
        }

        Matrix dx = Matrix.Ensure(ref _gradientInput, gradientOutput.Rows, gradientOutput.Columns);
        if (!_lastWasTraining)
        {
            gradientOutput.CopyTo(dx);                                   // inference: dx = dy
            return dx;
        }

        for (int i = 0; i < dx.Rows; i++)
        {
            ReadOnlySpan<float> dy = gradientOutput.Row(i);
            ReadOnlySpan<float> m = _mask!.Row(i);
            Span<float> d = dx.Row(i);
            for (int j = 0; j < d.Length; j++)
            {
                d[j] = dy[j] * m[j];                                     // dx = dy ⊙ m
            }
        }

        return dx;
    }
}
