using System.Diagnostics;
using System.Runtime.CompilerServices;
using GanCore.Kernels;
using GanCore.Layers;
using GanCore.Models;
using GanCore.Tensors;

namespace GanCore.Adversarial;

/// <summary>
/// Penalties on D's input gradient gᵢ = ∇ₓD(xᵢ) of a batch, and their gradients with respect to every parameter of D,
/// derived by hand: the R1 penalty (Mescheder et al. 2018) P = γ/2 · (1/n) Σᵢ ‖gᵢ‖² on a real batch
/// (docs/r1-penalty.md), and the WGAN-GP penalty (Gulrajani et al. 2017) P = λ · (1/n) Σᵢ (‖gᵢ‖ − t)² on interpolates
/// between real and fake examples (docs/wgan-gp.md). Both are a function φ(g) of the same g, so they share passes 1 and 2
/// below and differ only in where pass 2 starts, u₋₁ = ∂P/∂g.
/// </summary>
/// <remarks>
/// <para><b>Notation.</b> D's layers are l = 0 … L−1 with outputs h_l (h₋₁ = x, n rows). A Dense layer is
/// h_l = h_{l−1}·W_l + b_l; an activation is h_l = f(h_{l−1}) with mask m_l = f'(h_{l−1}) ∈ {1, slope}, read from its
/// kept output exactly as D's own backward pass reads it. δ_l = ∂D/∂h_l (upstream 1 per row); u_l = ∂P/∂δ_l.</para>
/// <para><b>Pass 1 (backward, D's parameter gradients skipped):</b> δ_{L−1} = 1; Dense: δ_{l−1} = δ_l·W_lᵀ; activation:
/// δ_{l−1} = δ_l ⊙ m_l. Then g = δ₋₁. For fixed masks g is a product of the W's and masks with every W_l appearing
/// once, so it is linear in each W_l.</para>
/// <para><b>Pass 2 (forward, through the linearized network without biases):</b> u₋₁ = ∂P/∂g on the example
/// columns (0 on a conditional D's condition columns): (γ/n)·gᵢ for R1, (2λ/n)·(1 − t/‖gᵢ‖)·gᵢ for WGAN-GP; Dense: ∂P/∂W_l += u_{l−1}ᵀ·δ_l, u_l = u_{l−1}·W_l;
/// activation: u_l = u_{l−1} ⊙ m_l. The biases (and the weights, through h) enter g only through the masks, which are
/// piecewise constant: ∂P/∂b_l = 0 almost everywhere, so nothing is added to the bias gradients.</para>
/// <para><b>Spectrally normalized layers.</b> A <see cref="SpectralNormDense"/> layer is a Dense layer with W̄ = W/σ in
/// W's place, the last forward pass's W̄ (with that pass's power-iteration vector ũ held fixed; ũ and ṽ here, since u_l
/// is pass 2's tangent): both passes multiply by W̄, and ∂P/∂W̄ = u_{l−1}ᵀ·δ_l goes through the layer's own
/// normalization map, ∂P/∂W = (∂P/∂W̄ − c·ṽ·ũᵀ)/σ with c = Σ (∂P/∂W̄)⊙W̄
/// (<see cref="SpectralNormDense.AccumulateWeightGradient"/>, the map its backward pass applies to Xᵀ·dY).</para>
/// <para>It reuses D's last forward pass (the kept activation outputs), so it must run after D's forward pass on the
/// penalized batch and before the next one. Buffers are made on first use and reused: a steady-state call allocates
/// nothing.</para>
/// </remarks>
internal sealed class GradientPenalty
{
    /// <summary>The R1 penalty's name in <see cref="UnsupportedLayerException"/> messages.</summary>
    internal const string R1Feature = "The R1 penalty (GanOptions.R1Gamma > 0)";

    /// <summary>The WGAN-GP penalty's name in <see cref="UnsupportedLayerException"/> messages.</summary>
    internal const string InterpolatedFeature = "The gradient penalty (GanOptions.GradientPenaltyWeight > 0)";

    private const string Supported = "Dense, SpectralNormDense, ReLU, LeakyReLU and Identity layers (piecewise linear, so ∇ₓD is linear in each weight matrix, W̄ = W/σ for a normalized one, for fixed activation masks; D always trains, so Dropout and BatchNorm would be in training mode)";

    private readonly Layer[] _layers;

    // _widths[l + 1] is the width of h_l, for l = −1 … L−1.
    private readonly int[] _widths;
    private readonly int _dataWidth;
    private readonly int _lastDense;

    // _delta[l + 1] = δ_l = ∂D/∂h_l (pass 1); _tangent[l + 1] = u_l = ∂P/∂δ_l (pass 2).
    private readonly Matrix?[] _delta;
    private readonly Matrix?[] _tangent;

    /// <summary>Prepares the penalties for <paramref name="discriminator"/>, penalizing the gradient with respect to its first <paramref name="dataWidth"/> input columns.</summary>
    /// <exception cref="UnsupportedLayerException">D holds a layer other than Dense, SpectralNormDense, ReLU, LeakyReLU or Identity.</exception>
    public GradientPenalty(Sequential discriminator, int dataWidth)
    {
        CheckSupported(discriminator, "discriminator", nameof(discriminator), "A gradient penalty");
        ArgumentOutOfRangeException.ThrowIfLessThan(dataWidth, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(dataWidth, discriminator.InputSize);
        _layers = [.. discriminator.Layers];
        _dataWidth = dataWidth;
        _widths = new int[_layers.Length + 1];
        _widths[0] = discriminator.InputSize;
        for (int l = 0; l < _layers.Length; l++)
        {
            Matrix? weights = WeightsOf(_layers[l]); // in×out, also before the first pass
            _widths[l + 1] = weights?.Columns ?? _widths[l];
            if (weights is not null)
            {
                _lastDense = l;
            }
        }

        _delta = new Matrix?[_layers.Length + 1];
        _tangent = new Matrix?[_layers.Length + 1];
    }

    /// <summary>A deliberate error, for the mutation tests that show the gradient check catches one (never set outside tests).</summary>
    internal GradientPenaltyMutation Mutation { get; set; }

    /// <summary>Throws <see cref="UnsupportedLayerException"/> naming the first layer of <paramref name="model"/> the derivation does not cover; <paramref name="feature"/> names the penalty that needs it.</summary>
    public static void CheckSupported(Sequential model, string network, string parameterName, string feature)
    {
        IReadOnlyList<Layer> layers = model.Layers;
        for (int l = 0; l < layers.Count; l++)
        {
            // Exact kinds (all sealed): a layer kind added later is rejected until derived.
            if (layers[l] is not (Dense or SpectralNormDense or ReLU or LeakyReLU or Identity))
            {
                throw new UnsupportedLayerException(feature, network, l, layers[l].Name, Supported, parameterName);
            }
        }
    }

    /// <summary>
    /// R1 on the batch of D's last forward pass: adds <paramref name="scale"/>·∂P/∂θ into D's parameter gradients, with
    /// P = γ/2 · (1/n) Σᵢ ‖gᵢ[0..d)‖², and returns P (unscaled).
    /// </summary>
    /// <param name="gamma">γ.</param>
    /// <param name="scale">The factor on the gradient: the lazy interval N, or 1.</param>
    /// <exception cref="InvalidOperationException">D has not run a forward pass.</exception>
    [MethodImpl(KernelCompilation.Hot)]
    public double AccumulateR1(float gamma, float scale)
    {
        int n = InputGradient();
        Matrix g = _delta[0]!;
        float coefficient = gamma * scale / n; // u₋₁ = ∂(scale·P)/∂g = scale·γ/n · g (0 on the condition columns)
        double sum = 0;
        for (int i = 0; i < n; i++)
        {
            ReadOnlySpan<float> row = g.Row(i)[.._dataWidth];
            sum += Elementwise.Dot(row, row);
            SeedRow(i, coefficient);
        }

        ParameterGradients(n);
        return gamma * sum / (2.0 * n);
    }

    /// <summary>
    /// The WGAN-GP penalty on the batch of D's last forward pass (the interpolates): adds ∂P/∂θ into D's parameter
    /// gradients, with P = λ · (1/n) Σᵢ (‖gᵢ[0..d)‖ − t)², and returns P.
    /// </summary>
    /// <param name="weight">λ.</param>
    /// <param name="target">t, the norm the penalty pulls ‖gᵢ‖ towards: 1 in WGAN-GP, 0 for a zero-centered penalty.</param>
    /// <exception cref="InvalidOperationException">D has not run a forward pass.</exception>
    [MethodImpl(KernelCompilation.Hot)]
    public double AccumulateCentered(float weight, float target)
    {
        int n = InputGradient();
        Matrix g = _delta[0]!;
        double sum = 0;
        for (int i = 0; i < n; i++)
        {
            ReadOnlySpan<float> row = g.Row(i)[.._dataWidth];
            double norm = Math.Sqrt(Elementwise.Dot(row, row));
            double gap = norm - target;
            sum += gap * gap;

            // u₋₁,ᵢ = ∂P/∂gᵢ = (2λ/n)·(‖gᵢ‖ − t)·gᵢ/‖gᵢ‖. At gᵢ = 0 the norm has no gradient: 0 (for t = 0 the limit,
            // (2λ/n)·gᵢ, is 0 there too).
            double coefficient = norm > 0 ? 2.0 * weight * gap / (n * norm) : 0.0;
            if (Mutation == GradientPenaltyMutation.NormGradientNotNormalized)
            {
                coefficient = 2.0 * weight * gap / n;
            }

            SeedRow(i, (float)coefficient);
        }

        ParameterGradients(n);
        return weight * sum / n;
    }

    /// <summary>Pass 1 on D's last forward pass: every δ_l, back to front, down to g = δ₋₁ = ∇ₓD; returns n, the batch's
    /// rows, with u₋₁'s buffer sized for them (the caller fills it row by row with <see cref="SeedRow"/>).</summary>
    private int InputGradient()
    {
        int n = _layers[^1].BatchSize;
        if (n == 0)
        {
            throw new InvalidOperationException("A gradient penalty needs D's forward pass on the penalized batch first.");
        }

        // g = ∇ₓD, back to front, with upstream 1 per row and no parameter gradients.
        int last = _layers.Length - 1;
        Matrix.Ensure(ref _delta[last + 1], n, _widths[last + 1]).Fill(1f);                      // δ_{L−1} = 1
        for (int l = last; l >= 0; l--)
        {
            Matrix upstream = _delta[l + 1]!;
            Matrix downstream = Matrix.Ensure(ref _delta[l], n, _widths[l]);
            if (WeightsOf(_layers[l]) is { } w)
            {
                Gemm.MultiplyTransposedB(upstream, w, downstream);                                  // δ_{l−1} = δ_l · W_lᵀ (W̄_l if normalized)
            }
            else
            {
                Mask((ActivationLayer)_layers[l], upstream, downstream, Mutation == GradientPenaltyMutation.NoMaskInFirstPass); // δ_{l−1} = δ_l ⊙ m_l
            }
        }

        Matrix.Ensure(ref _tangent[0], n, _widths[0]);
        return n;
    }

    /// <summary>Row i of u₋₁: <paramref name="coefficient"/>·gᵢ on the penalized columns, 0 on the condition columns.</summary>
    private void SeedRow(int i, float coefficient)
    {
        int penalized = Mutation == GradientPenaltyMutation.PenalizeConditions ? _widths[0] : _dataWidth;
        Span<float> row = _tangent[0]!.Row(i);
        _delta[0]!.Row(i)[..penalized].CopyTo(row);
        Elementwise.Scale(coefficient, row[..penalized]);
        row[penalized..].Clear();
    }

    /// <summary>Pass 2, front to back from u₋₁ (set by the caller): adds ∂P/∂W_l into every weight gradient of D.</summary>
    private void ParameterGradients(int n)
    {
        for (int l = 0; l <= _lastDense; l++)
        {
            Matrix uIn = _tangent[l]!;
            if (WeightsOf(_layers[l]) is { } w)
            {
                if (_layers[l] is SpectralNormDense normalized && Mutation != GradientPenaltyMutation.NoNormalizationMap)
                {
                    normalized.AccumulateWeightGradient(uIn, _delta[l + 1]!);                        // ∂P/∂W_l += (Ḡ − c·ṽ·ũᵀ)/σ, Ḡ = ∂P/∂W̄_l = u_{l−1}ᵀ · δ_l
                }
                else if (Mutation == GradientPenaltyMutation.TransposedWeightGradient && w.Rows == w.Columns)
                {
                    Gemm.MultiplyTransposedA(_delta[l + 1]!, uIn, WeightGradientOf(_layers[l]), accumulate: true);
                }
                else
                {
                    Gemm.MultiplyTransposedA(uIn, _delta[l + 1]!, WeightGradientOf(_layers[l]), accumulate: true); // ∂P/∂W_l += u_{l−1}ᵀ · δ_l
                }

                if (l < _lastDense)
                {
                    Gemm.Multiply(uIn, w, Matrix.Ensure(ref _tangent[l + 1], n, _widths[l + 1]));   // u_l = u_{l−1} · W_l (W̄_l if normalized)
                }
            }
            else
            {
                Mask((ActivationLayer)_layers[l], uIn, Matrix.Ensure(ref _tangent[l + 1], n, _widths[l + 1]), Mutation == GradientPenaltyMutation.NoMaskInSecondPass); // u_l = u_{l−1} ⊙ m_l
            }
        }

        // ∂P/∂b_l = 0 almost everywhere (b enters g only through the piecewise-constant masks): nothing to add.
    }

    /// <summary>The matrix <paramref name="layer"/> multiplied by in its last forward pass: W of a Dense layer, W̄ = W/σ
    /// of a spectrally normalized one; null for an activation.</summary>
    private static Matrix? WeightsOf(Layer layer) => layer switch
    {
        Dense dense => dense.Weights.Value,
        SpectralNormDense normalized => normalized.NormalizedOfLastPass,
        _ => null,
    };

    /// <summary>The gradient buffer of W (of the unnormalized W for a spectrally normalized layer).</summary>
    private static Matrix WeightGradientOf(Layer layer) => layer switch
    {
        Dense dense => dense.Weights.Gradient,
        SpectralNormDense normalized => normalized.Weights.Gradient,
        _ => throw new UnreachableException(),
    };

    /// <summary>output = input ⊙ f'(·), the mask read from the activation's kept output, exactly as its backward pass reads it.</summary>
    private static void Mask(ActivationLayer activation, Matrix input, Matrix output, bool skip)
    {
        Matrix y = activation.KeptOutput!;
        if (skip)
        {
            input.CopyTo(output);
            return;
        }

        if (input.IsContiguous && output.IsContiguous && y.IsContiguous)
        {
            Elementwise.ActivationBackward(activation.Activation, input.Span, y.Span, output.Span, activation.Slope);
            return;
        }

        for (int i = 0; i < input.Rows; i++)
        {
            Elementwise.ActivationBackward(activation.Activation, input.Row(i), y.Row(i), output.Row(i), activation.Slope);
        }
    }
}

/// <summary>Deliberate errors in <see cref="GradientPenalty"/>, for mutation tests: each must make the gradient check fail.</summary>
internal enum GradientPenaltyMutation
{
    /// <summary>The correct derivation.</summary>
    None = 0,

    /// <summary>Pass 1 ignores the activation masks (δ passes activations unchanged).</summary>
    NoMaskInFirstPass,

    /// <summary>Pass 2 ignores the activation masks.</summary>
    NoMaskInSecondPass,

    /// <summary>A square Dense layer's weight gradient is δᵀ·u instead of uᵀ·δ (a dropped transpose).</summary>
    TransposedWeightGradient,

    /// <summary>A conditional D's condition columns are penalized too.</summary>
    PenalizeConditions,

    /// <summary>A spectrally normalized layer's ∂P/∂W̄ is added to W's gradient as it is, without the normalization's map.</summary>
    NoNormalizationMap,

    /// <summary>The WGAN-GP penalty's ∂P/∂gᵢ leaves out the norm's derivative gᵢ/‖gᵢ‖ (uses (2λ/n)·(‖gᵢ‖ − t)·gᵢ).</summary>
    NormGradientNotNormalized,
}
