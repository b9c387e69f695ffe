namespace GanCore.Theory;

/// <summary>
/// Divergences between probability distributions: Kullback–Leibler, KL(P‖Q) = ∫ p log(p/q), and
/// Jensen–Shannon, JSD(P‖Q) = ½ KL(P‖M) + ½ KL(Q‖M) with M = (P + Q)/2. Each comes for densities (by quadrature)
/// and for discrete distributions such as normalized histograms (by a sum). Logarithms are natural, so the unit
/// is the nat and JSD ≤ log 2 ≈ 0.693.
/// </summary>
/// <remarks>
/// Both follow the conventions of information theory: 0 · log(0/q) = 0 (points where p = 0 contribute nothing,
/// even where q = 0 too), and p · log(p/0) = +∞ for p &gt; 0. The continuous forms work with
/// <see cref="IDensity.LogDensity"/>, so Gaussian tails where both densities underflow give 0, never NaN.
/// </remarks>
public static class Divergences
{
    /// <summary>
    /// The Kullback–Leibler divergence KL(P‖Q) = ∫ p(x) log(p(x)/q(x)) dx = E_P[log p − log q], in nats.
    /// </summary>
    /// <remarks>
    /// KL ≥ 0 with equality only when P = Q (Gibbs' inequality); it is not symmetric. It is +∞ when P puts mass
    /// where Q has none (for example P normal, Q uniform). The integrand is p·(log p − log q) with p = exp(log p),
    /// evaluated from the log-densities; the quadrature error is described at <see cref="Expectation.Quadrature"/>.
    /// Rounding can leave a result of order −1e−16 when P and Q are nearly equal.
    /// </remarks>
    /// <param name="p">The density of P.</param>
    /// <param name="q">The density of Q.</param>
    /// <returns>KL(P‖Q), possibly +∞.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    public static double KullbackLeibler(IDensity p, IDensity q)
    {
        ArgumentNullException.ThrowIfNull(p);
        ArgumentNullException.ThrowIfNull(q);
        return Integrator.Integrate(
            x =>
            {
                double logP = p.LogDensity(x);
                if (double.IsNegativeInfinity(logP))
                {
                    return 0.0; // 0 · log(0/q) = 0
                }

                double logQ = q.LogDensity(x);
                if (double.IsNegativeInfinity(logQ))
                {
                    return double.PositiveInfinity; // p > 0 where q = 0
                }

                double density = Math.Exp(logP);
                return density == 0.0 ? 0.0 : density * (logP - logQ);
            },
            p,
            q).Value;
    }

    /// <summary>The Kullback–Leibler divergence KL(P‖Q) = Σᵢ pᵢ log(pᵢ/qᵢ) of two discrete distributions, in nats.</summary>
    /// <remarks>Terms with pᵢ = 0 are 0; a term with pᵢ &gt; 0 = qᵢ makes the divergence +∞.</remarks>
    /// <param name="p">The probabilities pᵢ: finite, non-negative, summing to 1 within 1e−9.</param>
    /// <param name="q">The probabilities qᵢ, as many as pᵢ, with the same requirements.</param>
    /// <returns>KL(P‖Q), possibly +∞.</returns>
    /// <exception cref="ArgumentException">A vector is empty or does not sum to 1, or the lengths differ.</exception>
    /// <exception cref="ArgumentOutOfRangeException">An entry is negative, NaN or infinite.</exception>
    public static double KullbackLeibler(ReadOnlySpan<double> p, ReadOnlySpan<double> q)
    {
        CheckPair(p, q);
        double sum = 0;
        for (int i = 0; i < p.Length; i++)
        {
            if (p[i] == 0)
            {
                continue;
            }

            if (q[i] == 0)
            {
                return double.PositiveInfinity;
            }

            sum += p[i] * Math.Log(p[i] / q[i]);
        }

        return sum;
    }

    /// <summary>
    /// The Jensen–Shannon divergence JSD(P‖Q) = ½ KL(P‖M) + ½ KL(Q‖M), where M is the mixture (P + Q)/2, in nats.
    /// </summary>
    /// <remarks>
    /// Symmetric, and always finite: 0 ≤ JSD ≤ log 2, with 0 only when P = Q and log 2 exactly when the supports do
    /// not overlap. It is computed literally from its definition, as two KL divergences against the
    /// <see cref="MixtureDensity"/> with weights ½, ½.
    /// </remarks>
    /// <param name="p">The density of P.</param>
    /// <param name="q">The density of Q.</param>
    /// <returns>JSD(P‖Q).</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    public static double JensenShannon(IDensity p, IDensity q)
    {
        ArgumentNullException.ThrowIfNull(p);
        ArgumentNullException.ThrowIfNull(q);
        var m = new MixtureDensity([p, q], [0.5, 0.5]);
        return (0.5 * KullbackLeibler(p, m)) + (0.5 * KullbackLeibler(q, m));
    }

    /// <summary>The Jensen–Shannon divergence of two discrete distributions, ½ KL(P‖M) + ½ KL(Q‖M) with mᵢ = (pᵢ + qᵢ)/2, in nats.</summary>
    /// <param name="p">The probabilities pᵢ: finite, non-negative, summing to 1 within 1e−9.</param>
    /// <param name="q">The probabilities qᵢ, as many as pᵢ, with the same requirements.</param>
    /// <returns>JSD(P‖Q), between 0 and log 2.</returns>
    /// <exception cref="ArgumentException">A vector is empty or does not sum to 1, or the lengths differ.</exception>
    /// <exception cref="ArgumentOutOfRangeException">An entry is negative, NaN or infinite.</exception>
    public static double JensenShannon(ReadOnlySpan<double> p, ReadOnlySpan<double> q)
    {
        CheckPair(p, q);
        double sum = 0;
        for (int i = 0; i < p.Length; i++)
        {
            double m = 0.5 * (p[i] + q[i]);
            if (p[i] != 0)
            {
                sum += 0.5 * p[i] * Math.Log(p[i] / m);
            }

            if (q[i] != 0)
            {
                sum += 0.5 * q[i] * Math.Log(q[i] / m);
            }
        }

        return sum;
    }

    private static void CheckPair(ReadOnlySpan<double> p, ReadOnlySpan<double> q)
    {
        LogMath.CheckProbabilities(p, nameof(p));
        LogMath.CheckProbabilities(q, nameof(q));
        if (p.Length != q.Length)
        {
            throw new ArgumentException($"P has {p.Length} entries but Q has {q.Length}.", nameof(q));
        }
    }
}
