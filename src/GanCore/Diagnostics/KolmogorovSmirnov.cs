using System.Buffers;
using GanCore.Kernels;

namespace GanCore.Diagnostics;

/// <summary>
/// Kolmogorov–Smirnov statistics: the largest vertical distance between an empirical distribution function
/// and a reference CDF (one-sample) or between two empirical distribution functions (two-sample), with
/// p-values from the asymptotic Kolmogorov distribution. A general tool: use it to compare any sample with any
/// continuous distribution, e.g. a generator's outputs with the data's distribution.
/// </summary>
/// <remarks>
/// <para>
/// The empirical CDF of n values is the step function F_n(t) = #{xᵢ ≤ t} / n. The supremum of
/// |F_n − F| is attained next to a sample value, on one side of its step or the other, so at every distinct
/// value v both the height before the step (#{xᵢ &lt; v} / n) and after it (#{xᵢ ≤ v} / n) are compared.
/// Tied values are one step of height (multiplicity / n); in the two-sample statistic a value present in
/// both samples moves both functions before they are compared.
/// </para>
/// <para>
/// Inputs are copied to a pooled buffer and sorted; the caller's data are not modified. NaN is rejected;
/// infinities are allowed (they sort to the ends).
/// </para>
/// </remarks>
public static class KolmogorovSmirnov
{
    /// <summary>
    /// The one-sample statistic D_n = sup_t |F_n(t) − F(t)| of <paramref name="sample"/> against the continuous CDF
    /// <paramref name="cdf"/>.
    /// </summary>
    /// <param name="sample">The observations (at least one; no NaN).</param>
    /// <param name="cdf">The reference CDF F; it must be continuous and return a value in [0, 1] at every sample value.</param>
    /// <returns>D_n, in [0, 1].</returns>
    /// <exception cref="ArgumentNullException"><paramref name="cdf"/> is null.</exception>
    /// <exception cref="ArgumentException">The sample is empty or contains NaN.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="cdf"/> returned NaN or a value outside [0, 1].</exception>
    public static double Statistic(ReadOnlySpan<double> sample, Func<double, double> cdf)
    {
        ArgumentNullException.ThrowIfNull(cdf);
        CheckSample(sample, nameof(sample));

        int n = sample.Length;
        double[] rented = ArrayPool<double>.Shared.Rent(n);
        try
        {
            Span<double> sorted = rented.AsSpan(0, n);
            sample.CopyTo(sorted);
            sorted.Sort();

            double d = 0;
            int below = 0; // #{xᵢ < v}
            while (below < n)
            {
                double v = sorted[below];
                int atOrBelow = below + 1; // #{xᵢ ≤ v}
                while (atOrBelow < n && sorted[atOrBelow] == v)
                {
                    atOrBelow++;
                }

                double f = cdf(v);
                if (!(f >= 0 && f <= 1))
                {
                    throw new ArgumentOutOfRangeException(nameof(cdf), f, $"The CDF returned {f} at {v}; a CDF value must lie in [0, 1].");
                }

                // Just before the step the empirical CDF is below/n, just after it is atOrBelow/n.
                d = ScalarMath.Max(d, ScalarMath.Max(f - ((double)below / n), ((double)atOrBelow / n) - f));
                below = atOrBelow;
            }

            return d;
        }
        finally
        {
            ArrayPool<double>.Shared.Return(rented);
        }
    }

    /// <summary>The one-sample statistic of <paramref name="sample"/> against the uniform distribution on [<paramref name="low"/>, <paramref name="high"/>].</summary>
    /// <param name="sample">The observations (at least one; no NaN).</param>
    /// <param name="low">The lower end of the uniform distribution (finite).</param>
    /// <param name="high">The upper end (finite, greater than <paramref name="low"/>).</param>
    /// <returns>D_n, in [0, 1].</returns>
    /// <exception cref="ArgumentException">The sample is empty or contains NaN.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A bound is not finite, or <paramref name="high"/> ≤ <paramref name="low"/>.</exception>
    public static double StatisticUniform(ReadOnlySpan<double> sample, double low, double high)
    {
        if (!double.IsFinite(low))
        {
            throw new ArgumentOutOfRangeException(nameof(low), low, "The lower bound must be finite.");
        }

        if (!double.IsFinite(high) || !(high > low))
        {
            throw new ArgumentOutOfRangeException(nameof(high), high, $"The upper bound must be finite and greater than the lower bound {low}.");
        }

        double width = high - low;
        return Statistic(sample, t => Math.Clamp((t - low) / width, 0.0, 1.0));
    }

    /// <summary>
    /// The two-sample statistic D_{n,m} = sup_t |F_n(t) − G_m(t)| between the empirical CDFs of
    /// <paramref name="first"/> and <paramref name="second"/>.
    /// </summary>
    /// <param name="first">The first sample (at least one value; no NaN).</param>
    /// <param name="second">The second sample (at least one value; no NaN).</param>
    /// <returns>D_{n,m}, in [0, 1]; 0 for two samples with the same values in the same proportions.</returns>
    /// <exception cref="ArgumentException">A sample is empty or contains NaN.</exception>
    public static double TwoSampleStatistic(ReadOnlySpan<double> first, ReadOnlySpan<double> second)
    {
        CheckSample(first, nameof(first));
        CheckSample(second, nameof(second));

        int n = first.Length;
        int m = second.Length;
        double[] rented = ArrayPool<double>.Shared.Rent(n + m);
        try
        {
            Span<double> a = rented.AsSpan(0, n);
            Span<double> b = rented.AsSpan(n, m);
            first.CopyTo(a);
            second.CopyTo(b);
            a.Sort();
            b.Sort();

            double d = 0;
            int i = 0;
            int j = 0;
            while (i < n && j < m)
            {
                // Move both empirical CDFs past every copy of the next distinct value, then compare.
                double v = ScalarMath.Min(a[i], b[j]);
                while (i < n && a[i] == v)
                {
                    i++;
                }

                while (j < m && b[j] == v)
                {
                    j++;
                }

                d = ScalarMath.Max(d, Math.Abs(((double)i / n) - ((double)j / m)));
            }

            // Once one sample is used up its CDF is 1 and the other only climbs towards 1: the gap only shrinks.
            return d;
        }
        finally
        {
            ArrayPool<double>.Shared.Return(rented);
        }
    }

    /// <summary>
    /// The asymptotic p-value of a one-sample statistic: P(D_n ≥ <paramref name="statistic"/>) under the null
    /// hypothesis, from the Kolmogorov distribution at λ = (√n + 0.12 + 0.11/√n)·D (Stephens' small-sample
    /// correction, which keeps the approximation good down to n of about 5).
    /// </summary>
    /// <param name="statistic">The statistic D_n, in [0, 1].</param>
    /// <param name="sampleSize">The sample size n (positive).</param>
    /// <returns>The approximate p-value, in [0, 1]; small values reject the reference distribution.</returns>
    /// <exception cref="ArgumentOutOfRangeException">The statistic is outside [0, 1] or NaN, or the size is not positive.</exception>
    public static double PValue(double statistic, int sampleSize)
    {
        if (!(statistic >= 0 && statistic <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(statistic), statistic, "A KS statistic lies in [0, 1].");
        }

        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(sampleSize);
        double root = Math.Sqrt(sampleSize);
        return KolmogorovSurvival((root + 0.12 + (0.11 / root)) * statistic);
    }

    /// <summary>
    /// The asymptotic p-value of a two-sample statistic: <see cref="PValue"/> with the effective size n·m / (n + m).
    /// </summary>
    /// <param name="statistic">The statistic D_{n,m}, in [0, 1].</param>
    /// <param name="firstSize">The size n of the first sample (positive).</param>
    /// <param name="secondSize">The size m of the second sample (positive).</param>
    /// <returns>The approximate p-value, in [0, 1].</returns>
    /// <exception cref="ArgumentOutOfRangeException">The statistic is outside [0, 1] or NaN, or a size is not positive.</exception>
    public static double TwoSamplePValue(double statistic, int firstSize, int secondSize)
    {
        if (!(statistic >= 0 && statistic <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(statistic), statistic, "A KS statistic lies in [0, 1].");
        }

        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(firstSize);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(secondSize);
        double root = Math.Sqrt((double)firstSize * secondSize / ((double)firstSize + secondSize));
        return KolmogorovSurvival((root + 0.12 + (0.11 / root)) * statistic);
    }

    /// <summary>
    /// The survival function of the Kolmogorov distribution, Q(λ) = P(K &gt; λ) = 2 Σ_{k≥1} (−1)^{k−1} e^{−2k²λ²},
    /// the limit of P(√n·D_n &gt; λ). For λ &lt; 1 the equivalent Jacobi-theta form
    /// 1 − (√(2π)/λ) Σ_{k≥1} e^{−(2k−1)²π²/(8λ²)} is summed instead, because the alternating series converges slowly there.
    /// </summary>
    /// <param name="lambda">The scaled statistic λ (not NaN).</param>
    /// <returns>Q(λ), in [0, 1]; 1 for λ ≤ 0.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="lambda"/> is NaN.</exception>
    public static double KolmogorovSurvival(double lambda)
    {
        if (double.IsNaN(lambda))
        {
            throw new ArgumentOutOfRangeException(nameof(lambda), lambda, "λ must not be NaN.");
        }

        if (lambda <= 0)
        {
            return 1.0;
        }

        return Math.Clamp(lambda < 1.0 ? 1.0 - KolmogorovCdfTheta(lambda) : KolmogorovSurvivalAlternating(lambda), 0.0, 1.0);
    }

    /// <summary>Q(λ) = 2 Σ (−1)^{k−1} e^{−2k²λ²}; converges fast for λ ≳ 1.</summary>
    internal static double KolmogorovSurvivalAlternating(double lambda)
    {
        double sum = 0;
        double sign = 1;
        for (int k = 1; k <= 200; k++)
        {
            double term = Math.Exp(-2.0 * k * k * lambda * lambda);
            sum += sign * term;
            if (term <= 1e-17 * Math.Abs(sum) || term == 0)
            {
                break;
            }

            sign = -sign;
        }

        return 2.0 * sum;
    }

    /// <summary>P(K ≤ λ) = (√(2π)/λ) Σ e^{−(2k−1)²π²/(8λ²)}; converges fast for λ ≲ 1.</summary>
    internal static double KolmogorovCdfTheta(double lambda)
    {
        double sum = 0;
        double scale = Math.PI * Math.PI / (8.0 * lambda * lambda);
        for (int k = 1; k <= 200; k++)
        {
            double odd = (2 * k) - 1;
            double term = Math.Exp(-odd * odd * scale);
            sum += term;
            if (term <= 1e-17 * sum || term == 0)
            {
                break;
            }
        }

        return Math.Sqrt(2.0 * Math.PI) / lambda * sum;
    }

    private static void CheckSample(ReadOnlySpan<double> sample, string name)
    {
        if (sample.IsEmpty)
        {
            throw new ArgumentException("The sample is empty; a KS statistic needs at least one value.", name);
        }

        for (int i = 0; i < sample.Length; i++)
        {
            if (double.IsNaN(sample[i]))
            {
                throw new ArgumentException($"{name}[{i}] is NaN (sample of {sample.Length} values).", name);
            }
        }
    }
}
