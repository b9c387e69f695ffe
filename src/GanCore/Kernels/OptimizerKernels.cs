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

/// <summary>Fused optimizer updates over a parameter span, one pass per step, every vector width.</summary>
internal static class OptimizerKernels
{
    /// <summary>
    /// One Adam step over every element:
    /// g ← g + λ₂·p; m ← β1·m + (1−β1)·g; v ← β2·v + (1−β2)·g²;
    /// p ← shrink·p − (lr/(1−β1^t)) · m / (√v/√(1−β2^t) + ε).
    /// </summary>
    public static void Adam(Span<float> parameters, ReadOnlySpan<float> gradients, Span<float> m, Span<float> v, in AdamCoefficients c)
    {
        Elementwise.CheckSameLength(parameters.Length, gradients.Length, nameof(gradients));
        Elementwise.CheckSameLength(parameters.Length, m.Length, nameof(m));
        Elementwise.CheckSameLength(parameters.Length, v.Length, nameof(v));
        ref float p = ref MemoryMarshal.GetReference(parameters);
        ref float g = ref MemoryMarshal.GetReference(gradients);
        ref float mr = ref MemoryMarshal.GetReference(m);
        ref float vr = ref MemoryMarshal.GetReference(v);
        nuint n = (nuint)parameters.Length;
        nuint i = 0;
        VectorWidth w = KernelDispatch.Width;
        if (w >= VectorWidth.Bits512)
        {
            i = AdamCore<Simd512, Vector512<float>>(ref p, ref g, ref mr, ref vr, i, n, c);
        }

        if (w >= VectorWidth.Bits256)
        {
            i = AdamCore<Simd256, Vector256<float>>(ref p, ref g, ref mr, ref vr, i, n, c);
        }

        if (w >= VectorWidth.Bits128)
        {
            i = AdamCore<Simd128, Vector128<float>>(ref p, ref g, ref mr, ref vr, i, n, c);
        }

        AdamCore<SimdScalar, float>(ref p, ref g, ref mr, ref vr, i, n, c);
    }

    /// <summary>
    /// One SGD step: g ← g + λ·p; with momentum μ: b ← μ·b + g and d = Nesterov ? g + μ·b : b; else d = g;
    /// p ← p − lr·d. <paramref name="velocity"/> may be empty when μ = 0.
    /// </summary>
    public static void Sgd(Span<float> parameters, ReadOnlySpan<float> gradients, Span<float> velocity, float learningRate, float momentum, bool nesterov, float weightDecay)
    {
        Elementwise.CheckSameLength(parameters.Length, gradients.Length, nameof(gradients));
        if (momentum != 0f)
        {
            Elementwise.CheckSameLength(parameters.Length, velocity.Length, nameof(velocity));
        }

        ref float p = ref MemoryMarshal.GetReference(parameters);
        ref float g = ref MemoryMarshal.GetReference(gradients);
        ref float b = ref MemoryMarshal.GetReference(velocity);
        nuint n = (nuint)parameters.Length;
        nuint i = 0;
        var s = new SgdSettings(learningRate, momentum, nesterov, weightDecay);
        VectorWidth w = KernelDispatch.Width;
        if (w >= VectorWidth.Bits512)
        {
            i = SgdCore<Simd512, Vector512<float>>(ref p, ref g, ref b, i, n, s);
        }

        if (w >= VectorWidth.Bits256)
        {
            i = SgdCore<Simd256, Vector256<float>>(ref p, ref g, ref b, i, n, s);
        }

        if (w >= VectorWidth.Bits128)
        {
            i = SgdCore<Simd128, Vector128<float>>(ref p, ref g, ref b, i, n, s);
        }

        SgdCore<SimdScalar, float>(ref p, ref g, ref b, i, n, s);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static nuint AdamCore<TS, TV>(ref float p, ref float g, ref float m, ref float v, nuint i, nuint n, in AdamCoefficients c)
        where TS : ISimd<TV>
        where TV : struct
    {
        nuint count = (nuint)TS.Count;
        TV beta1 = TS.Broadcast(c.Beta1);
        TV oneMinusBeta1 = TS.Broadcast(1f - c.Beta1);
        TV beta2 = TS.Broadcast(c.Beta2);
        TV oneMinusBeta2 = TS.Broadcast(1f - c.Beta2);
        TV eps = TS.Broadcast(c.Epsilon);
        TV stepSize = TS.Broadcast(c.StepSize);
        TV invSqrtC2 = TS.Broadcast(c.InverseSqrtCorrection2);
        TV l2 = TS.Broadcast(c.L2);
        TV shrink = TS.Broadcast(c.Shrink);
        for (; i + count <= n; i += count)
        {
            TV pi = TS.Load(ref p, i);
            TV gi = TS.MultiplyAdd(l2, pi, TS.Load(ref g, i));                                    // g + λ₂·p
            TV mi = TS.MultiplyAdd(beta1, TS.Load(ref m, i), TS.Multiply(oneMinusBeta1, gi));     // first moment
            TV vi = TS.MultiplyAdd(beta2, TS.Load(ref v, i), TS.Multiply(oneMinusBeta2, TS.Multiply(gi, gi))); // second moment
            TV denominator = TS.MultiplyAdd(TS.Sqrt(vi), invSqrtC2, eps);                          // √v̂ + ε
            TV update = TS.Divide(TS.Multiply(stepSize, mi), denominator);                         // lr·m̂/(√v̂+ε)
            TS.Store(mi, ref m, i);
            TS.Store(vi, ref v, i);
            TS.Store(TS.Subtract(TS.Multiply(shrink, pi), update), ref p, i);
        }

        return i;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static nuint SgdCore<TS, TV>(ref float p, ref float g, ref float b, nuint i, nuint n, SgdSettings s)
        where TS : ISimd<TV>
        where TV : struct
    {
        nuint count = (nuint)TS.Count;
        TV lr = TS.Broadcast(s.LearningRate);
        TV mu = TS.Broadcast(s.Momentum);
        TV wd = TS.Broadcast(s.WeightDecay);
        bool momentum = s.Momentum != 0f;
        for (; i + count <= n; i += count)
        {
            TV pi = TS.Load(ref p, i);
            TV gi = TS.MultiplyAdd(wd, pi, TS.Load(ref g, i));
            TV d = gi;
            if (momentum)
            {
                TV bi = TS.MultiplyAdd(mu, TS.Load(ref b, i), gi);
                TS.Store(bi, ref b, i);
                d = s.Nesterov ? TS.MultiplyAdd(mu, bi, gi) : bi;
            }

            TS.Store(TS.Subtract(pi, TS.Multiply(lr, d)), ref p, i);
        }

        return i;
    }

    private readonly record struct SgdSettings(float LearningRate, float Momentum, bool Nesterov, float WeightDecay);
}
