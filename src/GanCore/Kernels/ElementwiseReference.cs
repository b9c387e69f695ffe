namespace GanCore.Kernels;

/// <summary>Plain scalar loops that define what the element-wise kernels compute. The tests trust these.</summary>
internal static class ElementwiseReference
{
    public static float Activate(Activation activation, float x, float slope) => activation switch
    {
        Activation.Identity => x,
        Activation.ReLU => x > 0f || float.IsNaN(x) ? x : 0f, // NaN propagates, as through LeakyReLU
        Activation.LeakyReLU => x > 0f ? x : slope * x,
        Activation.Sigmoid => (float)(1.0 / (1.0 + Math.Exp(-x))),
        Activation.Tanh => (float)Math.Tanh(x),
        _ => throw new ArgumentOutOfRangeException(nameof(activation)),
    };

    /// <summary>f'(x) written as a function of y = f(x).</summary>
    public static float DerivativeFromOutput(Activation activation, float y, float slope) => activation switch
    {
        Activation.Identity => 1f,
        Activation.ReLU => y > 0f ? 1f : 0f,
        Activation.LeakyReLU => y > 0f ? 1f : slope,
        Activation.Sigmoid => y * (1f - y),
        Activation.Tanh => 1f - (y * y),
        _ => throw new ArgumentOutOfRangeException(nameof(activation)),
    };

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

    public static void Adam(Span<float> p, ReadOnlySpan<float> g, Span<float> m, Span<float> v, float lr, float beta1, float beta2, float eps, float weightDecay, bool decoupled, long step)
    {
        double c1 = 1.0 - Math.Pow(beta1, step);
        double c2 = 1.0 - Math.Pow(beta2, step);
        for (int i = 0; i < p.Length; i++)
        {
            double gi = g[i] + (decoupled ? 0.0 : weightDecay * (double)p[i]);
            m[i] = (float)((beta1 * (double)m[i]) + ((1 - beta1) * gi));
            v[i] = (float)((beta2 * (double)v[i]) + ((1 - beta2) * gi * gi));
            double mHat = m[i] / c1;
            double vHat = v[i] / c2;
            double shrink = decoupled ? 1.0 - (lr * (double)weightDecay) : 1.0;
            p[i] = (float)((shrink * p[i]) - (lr * mHat / (Math.Sqrt(vHat) + eps)));
        }
    }

    public static void Sgd(Span<float> p, ReadOnlySpan<float> g, Span<float> velocity, float lr, float momentum, bool nesterov, float weightDecay)
    {
        for (int i = 0; i < p.Length; i++)
        {
            double gi = g[i] + (weightDecay * (double)p[i]);
            double d = gi;
            if (momentum != 0f)
            {
                velocity[i] = (float)((momentum * (double)velocity[i]) + gi);
                d = nesterov ? gi + (momentum * (double)velocity[i]) : velocity[i];
            }

            p[i] = (float)(p[i] - (lr * d));
        }
    }
}
