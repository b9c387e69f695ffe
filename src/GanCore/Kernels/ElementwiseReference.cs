namespace GanCore.Kernels;

/// <summary>
/// The plain loops that define what the element-wise and optimizer kernels compute: read these first. Each method is
/// the textbook formula written as one scalar loop, in double where that makes the formula exact, with nothing
/// about vector widths, tails or memory layout. <see cref="Elementwise"/> and <see cref="OptimizerKernels"/> are
/// optimizations of these loops (the same arithmetic on 4, 8 or 16 lanes at once, fused into one pass over memory),
/// and the tests hold them to these loops at every length and every vector width, so this file doubles as their oracle.
/// Slow by design: nothing in the library calls it on a hot path.
/// </summary>
internal static class ElementwiseReference
{
    /// <summary>f(x) for each <see cref="Activation"/>: identity, max(0, x), leaky ReLU, σ(x) = 1/(1 + e^(−x)), tanh.</summary>
    public static float Activate(Activation activation, float x, float slope) => activation switch
    {
        Activation.Identity => x,
        Activation.ReLU => x > 0f || float.IsNaN(x) ? x : 0f, // NaN propagates, as through LeakyReLU
        Activation.LeakyReLU => x > 0f ? x : slope * x,
        Activation.Sigmoid => (float)(1.0 / (1.0 + Math.Exp(-x))),
        Activation.Tanh => (float)Math.Tanh(x),
        _ => throw new ArgumentOutOfRangeException(nameof(activation)),
    };

    /// <summary>
    /// f'(x) written as a function of y = f(x), which is what backpropagation has at hand: ReLU' = [y &gt; 0],
    /// σ' = y(1 − y), tanh' = 1 − y².
    /// </summary>
    public static float DerivativeFromOutput(Activation activation, float y, float slope) => activation switch
    {
        Activation.Identity => 1f,
        Activation.ReLU => y > 0f ? 1f : 0f,
        Activation.LeakyReLU => y > 0f ? 1f : slope,
        Activation.Sigmoid => y * (1f - y),
        Activation.Tanh => 1f - (y * y),
        _ => throw new ArgumentOutOfRangeException(nameof(activation)),
    };

    /// <summary>sums[j] (+)= Σ_i x[i·stride + j]: a dense layer's bias gradient, the column sums of dY.</summary>
    public static void ColumnSums(ReadOnlySpan<float> x, int rows, int columns, int stride, Span<float> sums, bool accumulate)
    {
        for (int j = 0; j < columns; j++)
        {
            double s = accumulate ? sums[j] : 0.0;
            for (int i = 0; i < rows; i++)
            {
                s += x[(i * stride) + j];
            }

            sums[j] = (float)s;
        }
    }

    /// <summary>x clamped to [low, high]: low below it, high above it, x itself inside; NaN stays NaN.</summary>
    public static float Clamp(float x, float low, float high) => float.IsNaN(x) ? x : x < low ? low : x > high ? high : x;

    /// <summary>
    /// One Adam step (Kingma and Ba, 2015) at step t ≥ 1, with coupled L2 (λ·p added to the gradient) or, when
    /// <paramref name="decoupled"/>, AdamW's decoupled weight decay (p shrinks by 1 − lr·λ):
    /// <code>
    /// m ← β1·m + (1 − β1)·g          first moment: a running mean of the gradient
    /// v ← β2·v + (1 − β2)·g²         second moment: a running mean of its square
    /// m̂ = m/(1 − β1^t), v̂ = v/(1 − β2^t)   bias corrections for starting at m = v = 0
    /// p ← p − lr·m̂/(√v̂ + ε)
    /// </code>
    /// The stored m, v and p are rounded to float, and a value below the normal float range becomes 0
    /// (<see cref="FlushSubnormal"/>), as in the kernel.
    /// </summary>
    public static void Adam(Span<float> p, ReadOnlySpan<float> g, Span<float> m, Span<float> v, float lr, float beta1, float beta2, float eps, float weightDecay, bool decoupled, long step)
    {
        double c1 = 1.0 - Math.Pow(beta1, step);
        double c2 = 1.0 - Math.Pow(beta2, step);
        for (int i = 0; i < p.Length; i++)
        {
            double gi = g[i] + (decoupled ? 0.0 : weightDecay * (double)p[i]);
            m[i] = FlushSubnormal((float)((beta1 * (double)m[i]) + ((1 - beta1) * gi)));
            v[i] = FlushSubnormal((float)((beta2 * (double)v[i]) + ((1 - beta2) * gi * gi)));
            double mHat = m[i] / c1;
            double vHat = v[i] / c2;
            double shrink = decoupled ? 1.0 - (lr * (double)weightDecay) : 1.0;
            p[i] = FlushSubnormal((float)((shrink * p[i]) - (lr * mHat / (Math.Sqrt(vHat) + eps))));
        }
    }

    /// <summary>
    /// One SGD step with optional weight decay λ and momentum μ:
    /// <code>
    /// g ← g + λ·p
    /// b ← μ·b + g                    the velocity (only when μ ≠ 0)
    /// d = Nesterov ? g + μ·b : b     (d = g when μ = 0)
    /// p ← p − lr·d
    /// </code>
    /// The stored b and p are rounded to float and flushed like Adam's state.
    /// </summary>
    public static void Sgd(Span<float> p, ReadOnlySpan<float> g, Span<float> velocity, float lr, float momentum, bool nesterov, float weightDecay)
    {
        for (int i = 0; i < p.Length; i++)
        {
            double gi = g[i] + (weightDecay * (double)p[i]);
            double d = gi;
            if (momentum != 0f)
            {
                velocity[i] = FlushSubnormal((float)((momentum * (double)velocity[i]) + gi));
                d = nesterov ? gi + (momentum * (double)velocity[i]) : velocity[i];
            }

            p[i] = FlushSubnormal((float)(p[i] - (lr * d)));
        }
    }

    /// <summary>
    /// One RMSprop step (Hinton's lecture 6e; PyTorch's form) with weight decay λ, optional centering and momentum μ:
    /// <code>
    /// g ← g + λ·p
    /// v ← α·v + (1 − α)·g²             a running mean of the squared gradient
    /// ḡ ← α·ḡ + (1 − α)·g              (centered only) a running mean of the gradient
    /// s = centered ? v − ḡ² : v        the variance estimate (negative rounding is taken as 0)
    /// d = g/(√s + ε)
    /// b ← μ·b + d                      (only when μ ≠ 0; then d = b)
    /// p ← p − lr·d
    /// </code>
    /// <paramref name="state"/> holds v, then ḡ when centered, then b when μ ≠ 0, each p.Length long. The stored values
    /// are rounded to float and flushed like Adam's state.
    /// </summary>
    public static void RmsProp(Span<float> p, ReadOnlySpan<float> g, Span<float> state, float lr, float alpha, float eps, float weightDecay, float momentum, bool centered)
    {
        int n = p.Length;
        for (int i = 0; i < n; i++)
        {
            double gi = g[i] + (weightDecay * (double)p[i]);
            float v = state[i] = FlushSubnormal((float)((alpha * (double)state[i]) + ((1 - alpha) * gi * gi)));
            double square = v;
            int next = n;
            if (centered)
            {
                float mean = state[n + i] = FlushSubnormal((float)((alpha * (double)state[n + i]) + ((1 - alpha) * gi)));
                square = Math.Max(v - ((double)mean * mean), 0.0);
                next = 2 * n;
            }

            double d = gi / (Math.Sqrt(square) + eps);
            if (momentum != 0f)
            {
                state[next + i] = FlushSubnormal((float)((momentum * (double)state[next + i]) + d));
                d = state[next + i];
            }

            p[i] = FlushSubnormal((float)(p[i] - (lr * d)));
        }
    }

    /// <summary>
    /// x when |x| is at least the smallest normal float 2⁻¹²⁶, else +0. Optimizer state decays geometrically (β1·m each
    /// step for a gradient that stays 0) and would otherwise settle on a subnormal, where arithmetic is slow on many
    /// CPUs; at that size it no longer moves any parameter, so zero is the honest value.
    /// </summary>
    public static float FlushSubnormal(float x) => MathF.Abs(x) < SimdConstants.SmallestNormal ? 0f : x;
}
