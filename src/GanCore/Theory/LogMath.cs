namespace GanCore.Theory;

/// <summary>
/// Small numerically careful helpers shared by the theory code: log(1 + u), softplus, the logistic
/// sigmoid, and argument checks for probability vectors.
/// </summary>
internal static class LogMath
{
    /// <summary>How far from 1 the sum of a probability vector may be.</summary>
    public const double ProbabilitySumTolerance = 1e-9;

    /// <summary>
    /// log(1 + u) for u ≥ −1, accurate also when |u| is tiny (where <c>Math.Log(1 + u)</c> loses digits).
    /// The correction factor u / ((1 + u) − 1) cancels the rounding made when forming 1 + u.
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

    /// <summary>softplus(z) = log(1 + eᶻ), without overflow; softplus(−∞) = 0 and softplus(+∞) = +∞.</summary>
    public static double Softplus(double z) =>
        z > 0 ? z + LogOnePlus(Math.Exp(-z)) : LogOnePlus(Math.Exp(z));

    /// <summary>The logistic sigmoid 1 / (1 + e^(−z)), evaluated on the side that cannot overflow.</summary>
    public static double Sigmoid(double z)
    {
        if (z >= 0)
        {
            return 1.0 / (1.0 + Math.Exp(-z));
        }

        double e = Math.Exp(z);
        return e / (1.0 + e);
    }

    /// <summary>
    /// Checks that <paramref name="probabilities"/> is a probability vector: not empty, every entry finite and
    /// non-negative, and the sum within <see cref="ProbabilitySumTolerance"/> of 1.
    /// </summary>
    public static void CheckProbabilities(ReadOnlySpan<double> probabilities, string parameterName)
    {
        if (probabilities.IsEmpty)
        {
            throw new ArgumentException("A probability vector needs at least one entry.", parameterName);
        }

        double sum = 0;
        for (int i = 0; i < probabilities.Length; i++)
        {
            double p = probabilities[i];
            if (!double.IsFinite(p) || p < 0)
            {
                throw new ArgumentOutOfRangeException(parameterName, p, $"Entry {i} is {p}; a probability must be finite and non-negative.");
            }

            sum += p;
        }

        if (Math.Abs(sum - 1.0) > ProbabilitySumTolerance)
        {
            throw new ArgumentException($"The probabilities sum to {sum:R}, not to 1 (tolerance {ProbabilitySumTolerance:R}).", parameterName);
        }
    }

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> naming <paramref name="parameterName"/> when <paramref name="value"/> is NaN or infinite.</summary>
    public static void CheckFinite(double value, string parameterName)
    {
        if (!double.IsFinite(value))
        {
            throw new ArgumentOutOfRangeException(parameterName, value, "The value must be finite (not NaN or infinite).");
        }
    }
}
