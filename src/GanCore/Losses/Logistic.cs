using System.Runtime.CompilerServices;
using GanCore.Kernels;

namespace GanCore.Losses;

/// <summary>
/// The logistic sigmoid σ(z) = 1 / (1 + e^(−z)) and softplus(z) = log(1 + e^z), the two functions behind every
/// binary cross-entropy on logits: −log σ(z) = softplus(−z) and −log(1 − σ(z)) = softplus(z). Both are computed
/// from e^(−|z|), which never overflows, so they are stable for every finite z. The one copy in the library: losses,
/// GAN objectives and the theory code all call it.
/// </summary>
internal static class Logistic
{
    /// <summary>σ(z), from e^(−|z|): 1/(1 + e) for z ≥ 0 and e/(1 + e) below.</summary>
    public static double Sigmoid(double z)
    {
        double e = Math.Exp(-Math.Abs(z));
        return z >= 0 ? 1.0 / (1.0 + e) : e / (1.0 + e);
    }

    /// <summary>softplus(z) = max(z, 0) + log(1 + e^(−|z|)); softplus(−∞) = 0 and softplus(+∞) = +∞.</summary>
    public static double Softplus(double z) => ScalarMath.Max(z, 0.0) + LogOnePlus(Math.Exp(-Math.Abs(z)));

    /// <summary>
    /// log(1 + u) for u ≥ −1, accurate also when |u| is tiny, where <c>Math.Log(1 + u)</c> loses digits. The factor
    /// u / ((1 + u) − 1) cancels the rounding made when forming 1 + u.
    /// </summary>
    public static double LogOnePlus(double u)
    {
        double w = 1.0 + u;
        if (w == 1.0)
        {
            return u;
        }

        if (double.IsPositiveInfinity(w) || double.IsNaN(w))
        {
            return Math.Log(w);
        }

        return Math.Log(w) * u / (w - 1.0);
    }

    /// <summary>
    /// σ(l) and softplus(l) in single precision from one e^(−|l|), for the training step, which needs both for every
    /// logit of a batch.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)] // crossgen2 left it a call per logit in the precompiled code
    public static (float Sigmoid, float Softplus) SigmoidAndSoftplus(float l)
    {
        float e = MathF.Exp(-MathF.Abs(l));
        float sigmoid = l >= 0f ? 1f / (1f + e) : e / (1f + e);
        // max(l, 0) as IEEE 754 maximum (NaN stays NaN, −0 gives +0), written out: precompiled code that calls MathF.Max
        // is refused at run time, so the step's first calls would run this method as tier-0 code (docs/kernels.md).
        float positivePart = l > 0f || float.IsNaN(l) ? l : 0f;
        float softplus = positivePart + float.LogP1(e);
        return (sigmoid, softplus);
    }
}
