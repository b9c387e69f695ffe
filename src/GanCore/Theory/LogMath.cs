namespace GanCore.Theory;

/// <summary>
/// Argument checks shared by the theory code: probability vectors and finite values. (σ, softplus and log(1 + u)
/// are in <see cref="GanCore.Losses.Logistic"/>, the library's one copy.)
/// </summary>
internal static class LogMath
{
    /// <summary>How far from 1 the sum of a probability vector may be.</summary>
    public const double ProbabilitySumTolerance = 1e-9;

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
