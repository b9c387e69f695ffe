using GanCore.Tensors;

namespace GanCore.Layers;

/// <summary>
/// Batch normalization (Ioffe and Szegedy, 2015) over the batch dimension, one statistic per feature (column):
/// y = γ ⊙ (x − μ) / √(σ² + ε) + β, with learnable γ (initially 1) and β (initially 0).
/// </summary>
/// <remarks>
/// <para><b>Training mode</b> uses the batch's own statistics: μⱼ = mean over rows of xᵢⱼ, σ²ⱼ = the biased variance
/// (divided by n), and needs at least 2 rows. Each training forward pass also updates the running statistics with
/// PyTorch's momentum convention: running = (1 − momentum) · running + momentum · batch, where the batch variance
/// put into the running variance is the <b>unbiased</b> one (σ²·n/(n − 1)). The running mean starts at 0 and the
/// running variance at 1.</para>
/// <para><b>Inference mode</b> uses the running mean and variance instead, and changes nothing.</para>
/// <para><b>Backward.</b> With x̂ = (x − μ)·s, s = 1/√(σ² + ε) kept from the forward pass, and g = dy:
/// dβⱼ += Σᵢ gᵢⱼ; dγⱼ += Σᵢ gᵢⱼ·x̂ᵢⱼ. In training mode (μ and σ² depend on every row)
/// dxᵢⱼ = γⱼ·sⱼ/n · (n·gᵢⱼ − Σₖ gₖⱼ − x̂ᵢⱼ·Σₖ gₖⱼ·x̂ₖⱼ); in inference mode (constants) dxᵢⱼ = γⱼ·sⱼ·gᵢⱼ.</para>
/// </remarks>
public sealed class BatchNorm : Layer
{
    private readonly Parameter _gamma;
    private readonly Parameter _beta;
    private readonly Parameter[] _parameters;
    private readonly float[] _runningMean;
    private readonly float[] _runningVariance;
    private readonly float[] _scale;      // s = 1/√(σ² + ε) of the last forward pass (batch or running)
    private readonly double[] _sumG;      // Σᵢ gᵢⱼ scratch
    private readonly double[] _sumGX;     // Σᵢ gᵢⱼ·x̂ᵢⱼ scratch
    private readonly double[] _mean;      // batch statistics scratch
    private readonly double[] _variance;
    private Matrix? _normalized;
    private Matrix? _output;
    private Matrix? _gradientInput;
    private bool _lastWasTraining;

    /// <summary>Creates a batch-normalization layer with γ = 1, β = 0, running mean 0 and running variance 1.</summary>
    /// <param name="features">The input (and output) width, ≥ 1.</param>
    /// <param name="momentum">The weight of each new batch in the running statistics, in [0, 1] (PyTorch's convention; 0.1 by default).</param>
    /// <param name="epsilon">Added to the variance before the square root; finite and &gt; 0 (1e−5 by default).</param>
    /// <exception cref="ArgumentOutOfRangeException">A setting is out of range.</exception>
    public BatchNorm(int features, float momentum = 0.1f, float epsilon = 1e-5f)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(features, 1);
        if (!(momentum >= 0f && momentum <= 1f))
        {
            throw new ArgumentOutOfRangeException(nameof(momentum), momentum, "The momentum must be in [0, 1]: running = (1 − momentum)·running + momentum·batch.");
        }

        if (!(epsilon > 0f) || !float.IsFinite(epsilon))
        {
            throw new ArgumentOutOfRangeException(nameof(epsilon), epsilon, "Epsilon must be finite and > 0.");
        }

        Features = features;
        Momentum = momentum;
        Epsilon = epsilon;
        _gamma = new Parameter("gamma", 1, features);
        _beta = new Parameter("beta", 1, features);
        _gamma.Value.Span.Fill(1f);
        _parameters = [_gamma, _beta];
        _runningMean = new float[features];
        _runningVariance = new float[features];
        _runningVariance.AsSpan().Fill(1f);
        _scale = new float[features];
        _sumG = new double[features];
        _sumGX = new double[features];
        _mean = new double[features];
        _variance = new double[features];
    }

    /// <summary>The number of features (the input and output width).</summary>
    public int Features { get; }

    /// <summary>The weight of each new batch in the running statistics.</summary>
    public float Momentum { get; }

    /// <summary>ε, added to the variance before the square root.</summary>
    public float Epsilon { get; }

    /// <summary>γ, the learnable scale, 1×features.</summary>
    public Parameter Gamma => _gamma;

    /// <summary>β, the learnable shift, 1×features.</summary>
    public Parameter Beta => _beta;

    /// <summary>The running mean used in inference mode (one value per feature).</summary>
    public ReadOnlySpan<float> RunningMean => _runningMean;

    /// <summary>The running (unbiased) variance used in inference mode (one value per feature).</summary>
    public ReadOnlySpan<float> RunningVariance => _runningVariance;

    /// <inheritdoc/>
    public override string Name => $"BatchNorm({Features})";

    /// <inheritdoc/>
    public override IReadOnlyList<Parameter> Parameters => _parameters;

    internal override bool RejectsNonFiniteInput => true;

    internal override int? RequiredInputWidth => Features;

    internal override (int Rows, int Columns) OutputShape => (BatchSize, Features);

    /// <summary>The running mean, writable (checkpoint loading and best-weight restoring).</summary>
    internal Span<float> RunningMeanStorage => _runningMean;

    /// <summary>The running variance, writable (checkpoint loading and best-weight restoring).</summary>
    internal Span<float> RunningVarianceStorage => _runningVariance;

    internal override int OutputWidth(int inputWidth) => Features;

    internal override Matrix ForwardCore(Matrix input, bool inputIsStable)
    {
        int n = input.Rows;
        if (IsTraining && n < 2)
        {
            throw new ArgumentException($"{Name}: training mode needs a batch of at least 2 rows to estimate the variance, but got ({n}, {input.Columns}); use a larger batch or inference mode.", nameof(input));
        }

        BatchSize = n;
        _lastWasTraining = IsTraining;
        Matrix xh = Matrix.Ensure(ref _normalized, n, Features);
        Matrix y = Matrix.Ensure(ref _output, n, Features);
        if (IsTraining)
        {
            Array.Clear(_mean);
            Array.Clear(_variance);
            for (int i = 0; i < n; i++)
            {
                ReadOnlySpan<float> x = input.Row(i);
                for (int j = 0; j < Features; j++)
                {
                    _mean[j] += x[j];
                }
            }

            for (int j = 0; j < Features; j++)
            {
                _mean[j] /= n;                                               // μⱼ = Σᵢ xᵢⱼ / n
            }

            for (int i = 0; i < n; i++)
            {
                ReadOnlySpan<float> x = input.Row(i);
                for (int j = 0; j < Features; j++)
                {
                    double d = x[j] - _mean[j];
                    _variance[j] += d * d;
                }
            }

            float keep = 1f - Momentum;
            for (int j = 0; j < Features; j++)
            {
                double biased = _variance[j] / n;                            // σ²ⱼ = Σᵢ (xᵢⱼ − μⱼ)² / n
                _scale[j] = (float)(1.0 / Math.Sqrt(biased + Epsilon));
                _runningMean[j] = (keep * _runningMean[j]) + (Momentum * (float)_mean[j]);
                _runningVariance[j] = (keep * _runningVariance[j]) + (Momentum * (float)(_variance[j] / (n - 1)));
            }

            Normalize(input, xh, y, _mean);
        }
        else
        {
            for (int j = 0; j < Features; j++)
            {
                _mean[j] = _runningMean[j];
                _scale[j] = (float)(1.0 / Math.Sqrt((double)_runningVariance[j] + Epsilon));
            }

            Normalize(input, xh, y, _mean);
        }

        return y;
    }

    internal override Matrix? BackwardCore(Matrix gradientOutput, ParameterGradients parameterGradients, bool needInputGradient)
    {
        Matrix xh = _normalized!;
        int n = xh.Rows;
        Array.Clear(_sumG);
        Array.Clear(_sumGX);
        for (int i = 0; i < n; i++)
        {
            ReadOnlySpan<float> g = gradientOutput.Row(i);
            ReadOnlySpan<float> x = xh.Row(i);
            for (int j = 0; j < Features; j++)
            {
                _sumG[j] += g[j];                                            // Σᵢ gᵢⱼ
                _sumGX[j] += (double)g[j] * x[j];                            // Σᵢ gᵢⱼ·x̂ᵢⱼ
            }
        }

        if (parameterGradients == ParameterGradients.Accumulate)
        {
            Span<float> dGamma = _gamma.Gradient.Span;
            Span<float> dBeta = _beta.Gradient.Span;
            for (int j = 0; j < Features; j++)
            {
                dGamma[j] += (float)_sumGX[j];                               // dγ += Σᵢ g ⊙ x̂
                dBeta[j] += (float)_sumG[j];                                 // dβ += Σᵢ g
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
            ReadOnlySpan<float> g = gradientOutput.Row(i);
            ReadOnlySpan<float> x = xh.Row(i);
            Span<float> d = dx.Row(i);
            if (_lastWasTraining)
            {
                for (int j = 0; j < Features; j++)
                {
                    // dx = γ·s/n · (n·g − Σg − x̂·Σ(g·x̂))
                    d[j] = (float)(gamma[j] * _scale[j] / n * ((n * (double)g[j]) - _sumG[j] - (x[j] * _sumGX[j])));
                }
            }
            else
            {
                for (int j = 0; j < Features; j++)
                {
                    d[j] = gamma[j] * _scale[j] * g[j];                      // dx = γ·s·g (statistics are constants)
                }
            }
        }

        return dx;
    }

    /// <summary>Copies the running statistics from another layer of the same width.</summary>
    internal void SetRunningStatistics(ReadOnlySpan<float> mean, ReadOnlySpan<float> variance)
    {
        mean.CopyTo(_runningMean);
        variance.CopyTo(_runningVariance);
    }

    private void Normalize(Matrix input, Matrix xh, Matrix y, double[] mean)
    {
        ReadOnlySpan<float> gamma = _gamma.Value.Span;
        ReadOnlySpan<float> beta = _beta.Value.Span;
        for (int i = 0; i < input.Rows; i++)
        {
            ReadOnlySpan<float> x = input.Row(i);
            Span<float> h = xh.Row(i);
            Span<float> yr = y.Row(i);
            for (int j = 0; j < Features; j++)
            {
                h[j] = (float)((x[j] - mean[j]) * _scale[j]);                // x̂ = (x − μ)·s
                yr[j] = (gamma[j] * h[j]) + beta[j];                         // y = γ·x̂ + β
            }
        }
    }
}
