using GanCore.Tensors;

namespace GanCore.Layers;

/// <summary>
/// Layer normalization (Ba, Kiros and Hinton, 2016): each row is normalized by its own mean and variance,
/// y = γ ⊙ (x − μ) / √(σ² + ε) + β, with learnable γ (initially 1) and β (initially 0), one per feature.
/// </summary>
/// <remarks>
/// <para>μᵢ and σ²ᵢ are the mean and biased variance (divided by the width F) of row i. Rows are independent, so the
/// layer behaves the same in training and inference mode and works for a batch of one.</para>
/// <para><b>Backward.</b> With x̂ = (x − μ)·s, s = 1/√(σ² + ε) kept per row, and g = dy ⊙ γ:
/// dγ += Σᵢ dyᵢ ⊙ x̂ᵢ; dβ += Σᵢ dyᵢ; dxᵢⱼ = sᵢ · (gᵢⱼ − mean(gᵢ) − x̂ᵢⱼ · mean(gᵢ ⊙ x̂ᵢ)).</para>
/// </remarks>
public sealed class LayerNorm : Layer
{
    private readonly Parameter _gamma;
    private readonly Parameter _beta;
    private readonly Parameter[] _parameters;
    private Matrix? _normalized;
    private Matrix? _scale;
    private Matrix? _output;
    private Matrix? _gradientInput;

    /// <summary>Creates a layer-normalization layer with γ = 1 and β = 0.</summary>
    /// <param name="features">The input (and output) width, ≥ 1.</param>
    /// <param name="epsilon">Added to the variance before the square root; finite and &gt; 0 (1e−5 by default).</param>
    /// <exception cref="ArgumentOutOfRangeException">A setting is out of range.</exception>
    public LayerNorm(int features, float epsilon = 1e-5f)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(features, 1);
        if (!(epsilon > 0f) || !float.IsFinite(epsilon))
        {
            throw new ArgumentOutOfRangeException(nameof(epsilon), epsilon, "Epsilon must be finite and > 0.");
        }

        Features = features;
        Epsilon = epsilon;
        _gamma = new Parameter("gamma", 1, features);
        _beta = new Parameter("beta", 1, features);
        _gamma.Value.Span.Fill(1f);
        _parameters = [_gamma, _beta];
    }

    /// <summary>The number of features (the input and output width).</summary>
    public int Features { get; }

    /// <summary>ε, added to the variance before the square root.</summary>
    public float Epsilon { get; }

    /// <summary>γ, the learnable scale, 1×features.</summary>
    public Parameter Gamma => _gamma;

    /// <summary>β, the learnable shift, 1×features.</summary>
    public Parameter Beta => _beta;

    /// <inheritdoc/>
    public override string Name => $"LayerNorm({Features})";

    /// <inheritdoc/>
    public override IReadOnlyList<Parameter> Parameters => _parameters;

    internal override bool RejectsNonFiniteInput => true;

    internal override int? RequiredInputWidth => Features;

    internal override (int Rows, int Columns) OutputShape => (BatchSize, Features);

    internal override int OutputWidth(int inputWidth) => Features;

    internal override Matrix ForwardCore(Matrix input, bool inputIsStable)
    {
        int n = input.Rows;
        BatchSize = n;
        Matrix xh = Matrix.Ensure(ref _normalized, n, Features);
        Matrix s = Matrix.Ensure(ref _scale, n, 1);
        Matrix y = Matrix.Ensure(ref _output, n, Features);
        ReadOnlySpan<float> gamma = _gamma.Value.Span;
        ReadOnlySpan<float> beta = _beta.Value.Span;
        for (int i = 0; i < n; i++)
        {
            ReadOnlySpan<float> x = input.Row(i);
            double mean = 0;
            foreach (float v in x)
            {
                mean += v;
            }

            mean /= Features;                                                // μᵢ
            double variance = 0;
            foreach (float v in x)
            {
                variance += (v - mean) * (v - mean);
            }

            double scale = 1.0 / Math.Sqrt((variance / Features) + Epsilon); // sᵢ = 1/√(σ²ᵢ + ε)
            s[i, 0] = (float)scale;
            Span<float> h = xh.Row(i);
            Span<float> yr = y.Row(i);
            for (int j = 0; j < Features; j++)
            {
                h[j] = (float)((x[j] - mean) * scale);                       // x̂ = (x − μ)·s
                yr[j] = (gamma[j] * h[j]) + beta[j];                         // y = γ·x̂ + β
            }
        }

        return y;
    }

    internal override Matrix? BackwardCore(Matrix gradientOutput, ParameterGradients parameterGradients, bool needInputGradient)
    {
        Matrix xh = _normalized!;
        int n = xh.Rows;
        if (parameterGradients == ParameterGradients.Accumulate)
        {
            Span<float> dGamma = _gamma.Gradient.Span;
            Span<float> dBeta = _beta.Gradient.Span;
            for (int i = 0; i < n; i++)
            {
                ReadOnlySpan<float> dy = gradientOutput.Row(i);
                ReadOnlySpan<float> h = xh.Row(i);
                for (int j = 0; j < Features; j++)
                {
                    dGamma[j] += dy[j] * h[j];                               // dγ += Σᵢ dy ⊙ x̂
                    dBeta[j] += dy[j];                                       // dβ += Σᵢ dy
                }
            }
        }

        if (!needInputGradient)
        {
            return null;
        }

        Matrix dx = Matrix.Ensure(ref _gradientInput, n, Features);
        ReadOnlySpan<float> gamma = _gamma.Value.Span;
        for (int i = 0; i < n; i++)
        {
            ReadOnlySpan<float> dy = gradientOutput.Row(i);
            ReadOnlySpan<float> h = xh.Row(i);
            double meanG = 0;
            double meanGX = 0;
            for (int j = 0; j < Features; j++)
            {
                double g = (double)dy[j] * gamma[j];                         // g = dy ⊙ γ
                meanG += g;
                meanGX += g * h[j];
            }

            meanG /= Features;
            meanGX /= Features;
            double scale = _scale![i, 0];
            Span<float> d = dx.Row(i);
            for (int j = 0; j < Features; j++)
            {
                // dx = s·(g − mean(g) − x̂·mean(g ⊙ x̂))
                d[j] = (float)(scale * (((double)dy[j] * gamma[j]) - meanG - (h[j] * meanGX)));
            }
        }

        return dx;
    }
}
