namespace GanCore.Losses;

/// <summary>Numerically stable logistic functions, in double.</summary>
internal static class LogisticMath
{
    /// <summary>σ(z) = 1/(1 + e^(−z)), computed from e^(−|z|) so nothing overflows.</summary>
    public static double Sigmoid(double z)
    {
        double e = Math.Exp(-Math.Abs(z));
        return z >= 0 ? 1.0 / (1.0 + e) : e / (1.0 + e);
    }

    /// <summary>softplus(z) = log(1 + e^z) = max(z, 0) + log(1 + e^(−|z|)).</summary>
    public static double Softplus(double z) => Math.Max(z, 0.0) + double.LogP1(Math.Exp(-Math.Abs(z)));

    /// <summary>log σ(z) = −softplus(−z).</summary>
    public static double LogSigmoid(double z) => -Softplus(-z);

    /// <summary>log(1 − σ(z)) = −softplus(z).</summary>
    public static double LogOneMinusSigmoid(double z) => -Softplus(z);
}
