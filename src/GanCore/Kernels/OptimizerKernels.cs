using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace GanCore.Kernels;

/// <summary>The per-step constants of one Adam update, computed once per step rather than per element.</summary>
internal readonly struct AdamCoefficients
{
    /// <summary>Builds the constants for step <paramref name="step"/> (1-based).</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="step"/> is below 1 (step 0 would divide by 1 − β1⁰ = 0).</exception>
    public AdamCoefficients(float learningRate, float beta1, float beta2, float epsilon, float weightDecay, bool decoupled, long step)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(step, 1);
        Beta1 = beta1;
        Beta2 = beta2;
        Epsilon = epsilon;

        // Bias corrections 1 − β^t, in double so that t in the millions stays exact enough.
        double correction1 = 1.0 - Math.Pow(beta1, step);
        double correction2 = 1.0 - Math.Pow(beta2, step);
        StepSize = (float)(learningRate / correction1);
        InverseSqrtCorrection2 = (float)(1.0 / Math.Sqrt(correction2));

        // L2 (coupled): the decay joins the gradient. AdamW (decoupled): the weights shrink by lr·λ directly.
        L2 = decoupled ? 0f : weightDecay;
        Shrink = decoupled ? 1f - (learningRate * weightDecay) : 1f;
    }

    public float Beta1 { get; }

    public float Beta2 { get; }

    public float Epsilon { get; }

    /// <summary>lr / (1 − β1^t).</summary>
    public float StepSize { get; }

    /// <summary>1 / √(1 − β2^t).</summary>
    public float InverseSqrtCorrection2 { get; }

    /// <summary>Coupled (L2) weight decay added into the gradient.</summary>
    public float L2 { get; }

    /// <summary>Decoupled (AdamW) factor the weights are multiplied by: 1 − lr·λ.</summary>
    public float Shrink { get; }
}

/// <summary>
/// Fused optimizer updates over a parameter span, one pass per step, at every vector width (through
/// <see cref="VectorLoop"/>): the SIMD versions of <see cref="ElementwiseReference.Adam"/>,
/// <see cref="ElementwiseReference.Sgd"/> and <see cref="ElementwiseReference.RmsProp"/>.
/// </summary>
/// <remarks>
/// Subnormal policy: every value these kernels store (the parameters and the optimizer state) is flushed to +0 when
/// its magnitude is below the smallest normal float, 2⁻¹²⁶ ≈ 1.2e-38. State that decays geometrically would otherwise
/// end up there and stay: a dead ReLU unit's first moment shrinks by β1 each step until it sticks at the smallest
/// subnormal (0.9 × 1 ulp rounds back to 1 ulp), and on CPUs that handle subnormals in microcode every later
/// operation on it is many times slower. A subnormal moment moves its parameter by less than 1e-30, which rounds
/// away against any parameter of normal size, so the flush changes no trained parameter in practice.
/// </remarks>
internal static unsafe class OptimizerKernels
{
    /// <summary>
    /// One Adam step over every element:
    /// g ← g + λ₂·p; m ← β1·m + (1−β1)·g; v ← β2·v + (1−β2)·g²;
    /// p ← shrink·p − (lr/(1−β1^t)) · m / (√v/√(1−β2^t) + ε); subnormal results of m, v and p become 0.
    /// Returns true when every new p was checked finite on the way (false: not verified; see <see cref="VectorLoop.RunFinite{TK}"/>).
    /// </summary>
    [MethodImpl(KernelCompilation.Hot)]
    public static bool Adam(Span<float> parameters, ReadOnlySpan<float> gradients, Span<float> m, Span<float> v, in AdamCoefficients c)
    {
        Elementwise.CheckSameLength(parameters.Length, gradients.Length, nameof(gradients));
        Elementwise.CheckSameLength(parameters.Length, m.Length, nameof(m));
        Elementwise.CheckSameLength(parameters.Length, v.Length, nameof(v));
        fixed (float* p = parameters)
        fixed (float* g = gradients)
        fixed (float* mp = m)
        fixed (float* vp = v)
        {
            return VectorLoop.RunFinite(new AdamKernel(c), parameters.Length, p, g, mp, vp);
        }
    }

    /// <summary>
    /// One SGD step: g ← g + λ·p; with momentum μ: b ← μ·b + g and d = Nesterov ? g + μ·b : b; else d = g;
    /// p ← p − lr·d; subnormal results of b and p become 0. <paramref name="velocity"/> may be empty when μ = 0.
    /// Returns true when every new p was checked finite on the way (false: not verified).
    /// </summary>
    [MethodImpl(KernelCompilation.Hot)]
    public static bool Sgd(Span<float> parameters, ReadOnlySpan<float> gradients, Span<float> velocity, float learningRate, float momentum, bool nesterov, float weightDecay)
    {
        Elementwise.CheckSameLength(parameters.Length, gradients.Length, nameof(gradients));
        if (momentum != 0f)
        {
            Elementwise.CheckSameLength(parameters.Length, velocity.Length, nameof(velocity));
        }

        fixed (float* p = parameters)
        fixed (float* g = gradients)
        fixed (float* b = velocity)
        {
            var settings = new SgdSettings(learningRate, momentum, nesterov, weightDecay);
            return momentum != 0f
                ? VectorLoop.RunFinite(new SgdMomentumKernel(settings), parameters.Length, p, g, b, null)
                : VectorLoop.RunFinite(new SgdKernel(settings), parameters.Length, p, g, null, null);
        }
    }

    /// <summary>
    /// One RMSprop step: g ← g + λ·p; v ← α·v + (1−α)·g²; centered: ḡ ← α·ḡ + (1−α)·g and s = max(v − ḡ², 0), else
    /// s = v; d = g/(√s + ε); with momentum μ: b ← μ·b + d, p ← p − lr·b; else p ← p − lr·d; subnormal results of v, ḡ,
    /// b and p become 0. <paramref name="state"/> holds v, then ḡ when centered, then b when μ ≠ 0, each
    /// <paramref name="parameters"/>.Length long (<see cref="RmsPropSettings.StateBlocks"/> blocks).
    /// Returns true when every new p was checked finite on the way (false: not verified).
    /// </summary>
    [MethodImpl(KernelCompilation.Hot)]
    public static bool RmsProp(Span<float> parameters, ReadOnlySpan<float> gradients, Span<float> state, in RmsPropSettings settings)
    {
        Elementwise.CheckSameLength(parameters.Length, gradients.Length, nameof(gradients));
        if ((long)parameters.Length * settings.StateBlocks != state.Length)
        {
            throw new ArgumentException($"Span 'state' has {state.Length} elements; expected {settings.StateBlocks} blocks of {parameters.Length} (v{(settings.Centered ? ", ḡ" : string.Empty)}{(settings.Momentum != 0f ? ", b" : string.Empty)}).", nameof(state));
        }

        fixed (float* p = parameters)
        fixed (float* g = gradients)
        fixed (float* st = state)
        {
            // The state blocks ride on one stream: the kernel reads ḡ and b at fixed offsets from v.
            var kernel = new RmsPropKernel(settings, parameters.Length);
            return VectorLoop.RunFinite(kernel, parameters.Length, p, g, st, null);
        }
    }

    /// <summary>Adam over the streams p, g, m, v.</summary>
    private readonly struct AdamKernel(AdamCoefficients c) : IStreamKernel
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public TV Apply<TS, TV, TC>(float* p, float* g, float* m, float* v, TV mask)
            where TS : ISimd<TV>
            where TV : struct
            where TC : IColumnAccess
        {
            TV pi = TC.Load<TS, TV>(p, mask);
            TV gi = TS.MultiplyAdd(TS.Broadcast(c.L2), pi, TC.Load<TS, TV>(g, mask));                                  // g + λ₂·p
            TV mi = TS.MultiplyAdd(TS.Broadcast(c.Beta1), TC.Load<TS, TV>(m, mask), TS.Multiply(TS.Broadcast(1f - c.Beta1), gi)); // first moment
            TV vi = TS.MultiplyAdd(TS.Broadcast(c.Beta2), TC.Load<TS, TV>(v, mask), TS.Multiply(TS.Broadcast(1f - c.Beta2), TS.Multiply(gi, gi))); // second moment
            mi = TS.FlushSubnormal(mi);
            vi = TS.FlushSubnormal(vi);
            TV denominator = TS.MultiplyAdd(TS.Sqrt(vi), TS.Broadcast(c.InverseSqrtCorrection2), TS.Broadcast(c.Epsilon)); // √v̂ + ε
            TV update = TS.Divide(TS.Multiply(TS.Broadcast(c.StepSize), mi), denominator);                              // lr·m̂/(√v̂+ε)
            TC.Store<TS, TV>(m, mi, mask);
            TC.Store<TS, TV>(v, vi, mask);
            TV written = TS.FlushSubnormal(TS.Subtract(TS.Multiply(TS.Broadcast(c.Shrink), pi), update));
            TC.Store<TS, TV>(p, written, mask);
            return written;
        }
    }

    /// <summary>Plain SGD (no momentum) over the streams p, g.</summary>
    private readonly struct SgdKernel(SgdSettings s) : IStreamKernel
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public TV Apply<TS, TV, TC>(float* p, float* g, float* unused2, float* unused3, TV mask)
            where TS : ISimd<TV>
            where TV : struct
            where TC : IColumnAccess
        {
            TV pi = TC.Load<TS, TV>(p, mask);
            TV gi = TS.MultiplyAdd(TS.Broadcast(s.WeightDecay), pi, TC.Load<TS, TV>(g, mask));
            TV written = TS.FlushSubnormal(TS.Subtract(pi, TS.Multiply(TS.Broadcast(s.LearningRate), gi)));
            TC.Store<TS, TV>(p, written, mask);
            return written;
        }
    }

    /// <summary>SGD with heavy-ball or Nesterov momentum over the streams p, g, b.</summary>
    private readonly struct SgdMomentumKernel(SgdSettings s) : IStreamKernel
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public TV Apply<TS, TV, TC>(float* p, float* g, float* b, float* unused3, TV mask)
            where TS : ISimd<TV>
            where TV : struct
            where TC : IColumnAccess
        {
            TV pi = TC.Load<TS, TV>(p, mask);
            TV gi = TS.MultiplyAdd(TS.Broadcast(s.WeightDecay), pi, TC.Load<TS, TV>(g, mask));
            TV mu = TS.Broadcast(s.Momentum);
            TV bi = TS.FlushSubnormal(TS.MultiplyAdd(mu, TC.Load<TS, TV>(b, mask), gi));
            TC.Store<TS, TV>(b, bi, mask);
            TV d = s.Nesterov ? TS.MultiplyAdd(mu, bi, gi) : bi;
            TV written = TS.FlushSubnormal(TS.Subtract(pi, TS.Multiply(TS.Broadcast(s.LearningRate), d)));
            TC.Store<TS, TV>(p, written, mask);
            return written;
        }
    }

    /// <summary>RMSprop over the streams p, g and the state v. The blocks present follow v on the same stream, each
    /// <paramref name="length"/> floats after the one before: ḡ when centered, then b with momentum (so b is
    /// <paramref name="length"/> after v without centering, 2·<paramref name="length"/> with it).</summary>
    private readonly struct RmsPropKernel(RmsPropSettings s, int length) : IStreamKernel
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public TV Apply<TS, TV, TC>(float* p, float* g, float* v, float* unused3, TV mask)
            where TS : ISimd<TV>
            where TV : struct
            where TC : IColumnAccess
        {
            TV pi = TC.Load<TS, TV>(p, mask);
            TV gi = TS.MultiplyAdd(TS.Broadcast(s.WeightDecay), pi, TC.Load<TS, TV>(g, mask));                          // g + λ·p
            TV alpha = TS.Broadcast(s.Alpha);
            TV oneMinusAlpha = TS.Broadcast(1f - s.Alpha);
            TV vi = TS.FlushSubnormal(TS.MultiplyAdd(alpha, TC.Load<TS, TV>(v, mask), TS.Multiply(oneMinusAlpha, TS.Multiply(gi, gi)))); // α·v + (1−α)·g²
            TC.Store<TS, TV>(v, vi, mask);
            TV square = vi;
            float* next = v + length;
            if (s.Centered)
            {
                TV mean = TS.FlushSubnormal(TS.MultiplyAdd(alpha, TC.Load<TS, TV>(next, mask), TS.Multiply(oneMinusAlpha, gi))); // α·ḡ + (1−α)·g
                TC.Store<TS, TV>(next, mean, mask);
                square = TS.ReluOfArithmetic(TS.Subtract(vi, TS.Multiply(mean, mean)));                              // max(v − ḡ², 0)
                next += length;
            }

            TV d = TS.Divide(gi, TS.Add(TS.Sqrt(square), TS.Broadcast(s.Epsilon)));                                      // g/(√s + ε)
            if (s.Momentum != 0f)
            {
                d = TS.FlushSubnormal(TS.MultiplyAdd(TS.Broadcast(s.Momentum), TC.Load<TS, TV>(next, mask), d));       // b ← μ·b + d
                TC.Store<TS, TV>(next, d, mask);
            }

            TV written = TS.FlushSubnormal(TS.Subtract(pi, TS.Multiply(TS.Broadcast(s.LearningRate), d)));
            TC.Store<TS, TV>(p, written, mask);
            return written;
        }
    }

    private readonly record struct SgdSettings(float LearningRate, float Momentum, bool Nesterov, float WeightDecay);
}

/// <summary>The settings of one RMSprop update (<see cref="OptimizerKernels.RmsProp"/>).</summary>
/// <param name="LearningRate">lr, this step's rate.</param>
/// <param name="Alpha">α, the decay of the squared-gradient average.</param>
/// <param name="Epsilon">ε, added to √s.</param>
/// <param name="WeightDecay">λ, added to the gradient as λ·p.</param>
/// <param name="Momentum">μ; 0 for none.</param>
/// <param name="Centered">Whether the gradient's own average ḡ is kept and its square taken off v.</param>
internal readonly record struct RmsPropSettings(float LearningRate, float Alpha, float Epsilon, float WeightDecay, float Momentum, bool Centered)
{
    /// <summary>How many parameter-sized blocks the state holds: v, plus ḡ when centered, plus b with momentum.</summary>
    public int StateBlocks => 1 + (Centered ? 1 : 0) + (Momentum != 0f ? 1 : 0);
}
