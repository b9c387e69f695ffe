using System.Runtime.CompilerServices;
using GanCore.Initialization;
using GanCore.Kernels;
using GanCore.Randomness;
using GanCore.Tensors;

namespace GanCore.Layers;

/// <summary>
/// A fully connected layer with spectrally normalized weights (Miyato et al. 2018): Y = X·W̄ + b with
/// W̄ = W / σ(W), where σ(W) estimates the largest singular value of W by power iteration.
/// </summary>
/// <remarks>
/// <para><b>Layout.</b> As <see cref="Dense"/>: X is (batch, in), W is stored in×out row-major, b is 1×out. The
/// layer keeps a unit vector u of length out (the paper's u: W here is the transpose of the paper's matrix, so the
/// paper's Wᵀu is W·u here) and v of length in.</para>
/// <para><b>Forward.</b> σ(W; u) = ‖W·u‖, v = W·u / σ, W̄ = W·(1/σ). With u held fixed this is exactly
/// σ = vᵀ·W·u, the paper's uᵀWv. In <b>training mode</b> each forward pass first advances u by
/// <see cref="PowerIterations"/> power-iteration steps, u ← normalize(Wᵀ·normalize(W·u)), and then computes σ with the
/// new u; in <b>inference mode</b> u is not changed. So the pass is a function of W and the u the layer holds
/// afterwards, and an inference pass right after a training pass gives the same output.</para>
/// <para><b>Backward.</b> With G = Xᵀ·dY = dL/dW̄ and the gradient of σ with respect to W being v·uᵀ (exact for a
/// fixed u): dW += (G − (Σ G⊙W̄)·v·uᵀ) / σ; db += Σ_rows dY; dX = dY·W̄ᵀ. The derivation is in
/// docs/spectral-normalization.md.</para>
/// <para><b>Cost.</b> Per training pass 2·<see cref="PowerIterations"/> + 1 matrix–vector products (1 in inference),
/// one in×out scaling for W̄, and in backward one extra in×out dot product and rank-1 update; the batch GEMMs are
/// those of <see cref="Dense"/>, and <see cref="Models.Sequential"/> fuses the activations around the layer into them
/// as it does a Dense layer's. u is kept in model checkpoints.</para>
/// <para><b>In a GAN.</b> Normalize the discriminator's hidden layers and leave its output layer a plain
/// <see cref="Dense"/>, or, with every layer normalized, give D more updates than the generator
/// (<see cref="Adversarial.GanOptions.DiscriminatorSteps"/> of 3 or more under the alternating schedule). On the
/// Mixtures sample's 25-mode grid, with every layer normalized and one D update, D barely told real from generated
/// points and G covered 0–3 of the modes (with the hinge loss); with three updates, all 25 on every one of ten seeds;
/// with the output layer plain and one update, all 25 on every one of ten seeds too, in half the time
/// (docs/mixtures.md, "Spectral normalization in R1's place").</para>
/// </remarks>
public sealed class SpectralNormDense : Layer, IAffineLayer
{
    /// <summary>The most power-iteration steps per training pass.</summary>
    public const int MaxPowerIterations = 100;

    private readonly Parameter _weights;
    private readonly Parameter _bias;
    private readonly Parameter[] _parameters;
    private readonly Matrix _u;          // 1×out, unit length: the layer's state
    private readonly Matrix _uNext;      // 1×out scratch of the power step
    private readonly Matrix _v;          // 1×in: W·u / σ of the last pass
    private readonly Matrix _normalized; // in×out: W̄ = W·(1/σ) of the last forward pass
    private readonly Matrix _weightGradient; // in×out scratch: G = Xᵀ·dY, then G − c·v·uᵀ
    private readonly Matrix _scaledV;    // 1×in scratch: −c·v for the rank-1 correction
    private Matrix? _inputCopy;
    private Matrix? _input;
    private Matrix? _output;
    private Matrix? _gradientInput;
    private float _sigma = float.NaN;

    /// <summary>Creates a spectrally normalized dense layer with Glorot-uniform weights, zero biases and a random unit u.</summary>
    /// <param name="inputs">The input width (≥ 1).</param>
    /// <param name="outputs">The output width (≥ 1).</param>
    /// <param name="random">The generator that draws the initial weights, then the initial u (Gaussian, normalized).</param>
    /// <param name="weightInitializer">How to draw W; <see cref="Initializer.GlorotUniform"/> when null. It must not give all-zero weights.</param>
    /// <param name="biasInitializer">How to set b; <see cref="Initializer.Zeros"/> when null.</param>
    /// <param name="powerIterations">Power-iteration steps per training forward pass, 1 (the paper's choice, the default) to <see cref="MaxPowerIterations"/>.</param>
    /// <exception cref="ArgumentOutOfRangeException">A width is less than 1, or <paramref name="powerIterations"/> is outside 1..<see cref="MaxPowerIterations"/>.</exception>
    /// <exception cref="ArgumentNullException"><paramref name="random"/> is null.</exception>
    /// <exception cref="ArgumentException">The weight initializer gave all-zero or non-finite weights, which have no usable spectral norm.</exception>
    public SpectralNormDense(int inputs, int outputs, RandomSource random, Initializer? weightInitializer = null, Initializer? biasInitializer = null, int powerIterations = 1)
        : this(inputs, outputs, powerIterations)
    {
        ArgumentNullException.ThrowIfNull(random);
        Initializer weights = weightInitializer ?? Initializer.GlorotUniform;
        weights.Fill(_weights.Value.Span, inputs, outputs, random);
        (biasInitializer ?? Initializer.Zeros).Fill(_bias.Value.Span, inputs, outputs, random);
        float norm = MathF.Sqrt(Elementwise.Dot(_weights.Value.Span, _weights.Value.Span));
        if (!(norm > 0f) || !float.IsFinite(norm))
        {
            throw new ArgumentException($"{Name}: the weight initializer {weights.Name} gave weights with Frobenius norm {norm}; spectral normalization needs finite weights that are not all zero.", nameof(weightInitializer));
        }

        Span<float> u = _u.Span;
        do
        {
            random.FillGaussian(u);
        }
        while (!Normalize(u));
    }

    /// <summary>Creates a layer with all-zero weights and u = e₀ (used by the checkpoint loader before it fills them).</summary>
    internal SpectralNormDense(int inputs, int outputs, int powerIterations)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(inputs, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(outputs, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(powerIterations, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(powerIterations, MaxPowerIterations);
        InputSize = inputs;
        OutputSize = outputs;
        PowerIterations = powerIterations;
        _weights = new Parameter("weights", inputs, outputs);
        _bias = new Parameter("bias", 1, outputs);
        _parameters = [_weights, _bias];
        _u = new Matrix(1, outputs);
        _u[0, 0] = 1f;
        _uNext = new Matrix(1, outputs);
        _v = new Matrix(1, inputs);
        _scaledV = new Matrix(1, inputs);
        _normalized = new Matrix(inputs, outputs);
        _weightGradient = new Matrix(inputs, outputs);
    }

    /// <summary>The input width.</summary>
    public int InputSize { get; }

    /// <summary>The output width.</summary>
    public int OutputSize { get; }

    /// <summary>Power-iteration steps per training forward pass.</summary>
    public int PowerIterations { get; }

    /// <summary>W, the unnormalized weights the optimizer updates, stored in×out.</summary>
    public Parameter Weights => _weights;

    /// <summary>b, stored 1×out (not normalized).</summary>
    public Parameter Bias => _bias;

    /// <summary>u, the unit vector of length <see cref="OutputSize"/> the power iteration keeps between passes (the layer's state, saved in checkpoints).</summary>
    public ReadOnlySpan<float> U => _u.Span;

    /// <summary>σ of the last forward pass (the estimate of W's largest singular value the pass divided by); NaN before the first pass.</summary>
    public float Sigma => _sigma;

    /// <inheritdoc/>
    public override string Name => PowerIterations == 1
        ? $"SpectralNormDense({InputSize}→{OutputSize})"
        : $"SpectralNormDense({InputSize}→{OutputSize}, {PowerIterations} power iterations)";

    /// <inheritdoc/>
    public override IReadOnlyList<Parameter> Parameters => _parameters;

    internal override int? RequiredInputWidth => InputSize;

    internal override (int Rows, int Columns) OutputShape => (BatchSize, OutputSize);

    /// <summary>u, writable (checkpoint loading and tests).</summary>
    internal Span<float> UStorage => _u.Span;

    /// <summary>v = W·u / σ of the last pass.</summary>
    internal ReadOnlySpan<float> V => _v.Span;

    /// <summary>
    /// Computes W̄ = W / σ(W; u) with the current u, without changing u: the weights an inference-mode pass uses
    /// (the ONNX exporter bakes them into a plain Gemm).
    /// </summary>
    /// <returns>A new in×out matrix.</returns>
    /// <exception cref="InvalidOperationException">σ is 0 (W·u = 0, e.g. all-zero weights).</exception>
    public Matrix NormalizedWeights()
    {
        var result = new Matrix(InputSize, OutputSize);
        float sigma = ComputeSigma(new Matrix(1, InputSize)); // not _v: Backward may still need the last pass's v
        Elementwise.Scale(1f / sigma, _weights.Value.Span, result.Span);
        return result;
    }

    internal override int OutputWidth(int inputWidth) => OutputSize;

    [MethodImpl(KernelCompilation.Hot)]
    internal override Matrix ForwardCore(Matrix input, bool inputIsStable)
    {
        Matrix x = BeginForward(input, inputIsStable);
        Matrix y = Matrix.Ensure(ref _output, x.Rows, OutputSize);
        Gemm.MultiplyBiasActivation(x, _normalized, _bias.Value.Span, y, Activation.Identity); // Y = X·W̄ + b
        return y;
    }

    /// <inheritdoc cref="IAffineLayer.ForwardFused"/>
    [MethodImpl(KernelCompilation.Hot)]
    void IAffineLayer.ForwardFused(Matrix input, bool inputIsStable, Matrix output, Activation activation, float slope)
    {
        Matrix x = BeginForward(input, inputIsStable);
        Gemm.MultiplyBiasActivation(x, _normalized, _bias.Value.Span, output, activation, slope); // act(X·W̄ + b)
    }

    [MethodImpl(KernelCompilation.Hot)]
    internal override Matrix? BackwardCore(Matrix gradientOutput, ParameterGradients parameterGradients, bool needInputGradient)
    {
        if (parameterGradients == ParameterGradients.Accumulate)
        {
            AccumulateWeightGradient(_input!, gradientOutput);                      // G = Xᵀ·dY
        }

        return BiasAndInputGradient(gradientOutput, _normalized, _bias.Gradient.Span, parameterGradients, needInputGradient, ref _gradientInput); // db += Σ dY; dX = dY·W̄ᵀ
    }

    /// <inheritdoc cref="IAffineLayer.BackwardThroughActivation"/>
    [MethodImpl(KernelCompilation.Hot)]
    Matrix? IAffineLayer.BackwardThroughActivation(Matrix gradientOutput, ParameterGradients parameterGradients, ActivationLayer activation, bool needInputGradient, bool overwriteActivationOutput) =>
        BackwardThroughActivation(_input, _normalized, ref _gradientInput, gradientOutput, parameterGradients, activation, needInputGradient, overwriteActivationOutput);

    /// <summary>W̄ = W/σ of the last forward pass, the matrix that pass multiplied by (training or inference mode).</summary>
    internal Matrix NormalizedOfLastPass => _normalized;

    /// <summary>
    /// Adds to W's gradient what a loss whose gradient with respect to W̄ is G = <paramref name="left"/>ᵀ·<paramref name="right"/>
    /// gives through the normalization, with the u, v and σ of the last forward pass: dW += (G − c·v·uᵀ)/σ, c = Σ G⊙W̄.
    /// The layer's backward pass calls it with X and dY; the gradient penalties (<see cref="Adversarial.GradientPenalty"/>: R1 and WGAN-GP) with its
    /// second pass's tangents and first pass's δ, whose product is ∂P/∂W̄.
    /// </summary>
    [MethodImpl(KernelCompilation.Hot)]
    internal void AccumulateWeightGradient(Matrix left, Matrix right)
    {
        // dL/dW̄ = G. W̄ = W/σ with ∂σ/∂W = v·uᵀ gives
        // dL/dW = G/σ − (Σ G⊙W)/σ² · v·uᵀ = (G − c·v·uᵀ)/σ with c = Σ G⊙W̄.
        Matrix g = _weightGradient;
        Gemm.MultiplyTransposedA(left, right, g);                                   // G = leftᵀ·right
        float c = Elementwise.Dot(g.Span, _normalized.Span);                        // c = Σ G⊙W̄
        _v.Span.CopyTo(_scaledV.Span);
        Elementwise.Scale(-c, _scaledV.Span);
        Gemm.Compute(false, false, InputSize, OutputSize, 1, _scaledV.Span, 1, _u.Span, OutputSize, g.Span, OutputSize, accumulate: true); // G −= c·v·uᵀ
        Elementwise.Axpy(1f / _sigma, g.Span, _weights.Gradient.Span);              // dW += (G − c·v·uᵀ)/σ
    }

    /// <summary>Scales <paramref name="x"/> to unit length; false (and <paramref name="x"/> unchanged) when its norm is 0 or not finite.</summary>
    private static bool Normalize(Span<float> x)
    {
        float norm = MathF.Sqrt(Elementwise.Dot(x, x));
        if (!(norm > 0f) || !float.IsFinite(norm))
        {
            return false;
        }

        Elementwise.Scale(1f / norm, x);
        return true;
    }

    /// <summary>One power-iteration step on u: v ← normalize(W·u), u ← normalize(Wᵀ·v). A zero or non-finite
    /// intermediate leaves u as it was (W·u = 0 happens only for degenerate weights; NaN weights show in the output).</summary>
    private void PowerStep()
    {
        Gemm.MultiplyTransposedB(_u, _weights.Value, _v);      // vᵀ = uᵀ·Wᵀ, i.e. v = W·u
        if (!Normalize(_v.Span))
        {
            return;
        }

        Gemm.Multiply(_v, _weights.Value, _uNext);             // uᵀ = vᵀ·W, i.e. u = Wᵀ·v
        if (Normalize(_uNext.Span))
        {
            _uNext.Span.CopyTo(_u.Span);
        }
    }

    /// <summary>σ = ‖W·u‖ with the current u, and <paramref name="v"/> = W·u / σ.</summary>
    /// <exception cref="InvalidOperationException">σ is 0.</exception>
    private float ComputeSigma(Matrix v)
    {
        Gemm.MultiplyTransposedB(_u, _weights.Value, v);       // v = W·u
        float sigma = MathF.Sqrt(Elementwise.Dot(v.Span, v.Span));
        if (sigma == 0f)
        {
            throw new InvalidOperationException($"{Name}: σ(W) = ‖W·u‖ is 0 (the weights are all zero, or u is orthogonal to every row of W), so W/σ is undefined.");
        }

        Elementwise.Scale(1f / sigma, v.Span);
        return sigma;
    }

    /// <summary>
    /// The start of every forward pass: keeps X, advances u in training mode, then σ = ‖W·u‖, v = W·u/σ and
    /// W̄ = W·(1/σ) (one pass over W).
    /// </summary>
    /// <returns>The kept input.</returns>
    [MethodImpl(KernelCompilation.Hot)]
    private Matrix BeginForward(Matrix input, bool inputIsStable)
    {
        Matrix x = _input = KeepInput(input, inputIsStable, InputSize, ref _inputCopy);
        if (IsTraining)
        {
            for (int k = 0; k < PowerIterations; k++)
            {
                PowerStep();
            }
        }

        _sigma = ComputeSigma(_v);                                            // σ = ‖W·u‖, v = W·u / σ
        Elementwise.Scale(1f / _sigma, _weights.Value.Span, _normalized.Span); // W̄ = W·(1/σ)
        return x;
    }
}
