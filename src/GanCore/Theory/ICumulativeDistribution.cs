using MathNet.Numerics;

namespace GanCore.Theory;

/// <summary>
/// A density on the real line that also knows its distribution function F(x) = P(X ≤ x) and its quantile function
/// F⁻¹(u) = inf{x : F(x) ≥ u}. The one-dimensional Wasserstein distance (<see cref="Wasserstein"/>) is an integral of
/// either.
/// </summary>
/// <remarks>
/// Implemented by <see cref="NormalDensity"/>, <see cref="UniformDensity"/>, <see cref="HistogramDensity"/>,
/// <see cref="KernelDensity"/> and <see cref="MixtureDensity"/> (the last only when every weighted component implements
/// it too). An implementation must keep F consistent with <see cref="IDensity.Density"/> (F' = f), F non-decreasing
/// from 0 to 1, and F(F⁻¹(u)) = u for every u in (0, 1) (the distributions here are continuous).
/// </remarks>
public interface ICumulativeDistribution : IDensity
{
    /// <summary>F(x) = P(X ≤ x), in [0, 1]: 0 at −∞, 1 at +∞, NaN when <paramref name="x"/> is NaN.</summary>
    /// <param name="x">Where to evaluate; ±∞ is allowed.</param>
    double CumulativeDistribution(double x);

    /// <summary>
    /// The quantile F⁻¹(u) = inf{x : F(x) ≥ u}. <c>Quantile(0)</c> and <c>Quantile(1)</c> are the ends of the smallest
    /// interval that holds all the mass (±∞ for an unbounded distribution).
    /// </summary>
    /// <param name="probability">u, in [0, 1].</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="probability"/> is NaN or outside [0, 1].</exception>
    double Quantile(double probability);
}

/// <summary>Argument checks shared by the <see cref="ICumulativeDistribution"/> implementations.</summary>
internal static class DistributionChecks
{
    public static void CheckProbability(double probability, string parameterName)
    {
        if (!(probability >= 0.0 && probability <= 1.0))
        {
            throw new ArgumentOutOfRangeException(parameterName, probability, "A quantile needs a probability in [0, 1].");
        }
    }

    /// <summary>
    /// The survival function S(x) = 1 − F(x) = P(X &gt; x), computed directly where a type allows it, so that it keeps
    /// its relative accuracy in the upper tail where F rounds to 1 (1 − F there is only good to 1e−16 absolute).
    /// </summary>
    public static double Survival(ICumulativeDistribution distribution, double x) => distribution switch
    {
        NormalDensity normal => double.IsNaN(x) ? double.NaN : 0.5 * SpecialFunctions.Erfc((x - normal.Mean) / (normal.StandardDeviation * Constants.Sqrt2)),
        UniformDensity uniform => double.IsNaN(x) ? double.NaN : x <= uniform.Lower ? 1.0 : x >= uniform.Upper ? 0.0 : (uniform.Upper - x) / (uniform.Upper - uniform.Lower),
        KernelDensity kernel => kernel.Survival(x),
        MixtureDensity mixture => mixture.Survival(x),
        _ => 1.0 - distribution.CumulativeDistribution(x),
    };

    /// <summary>
    /// The quantile by <see cref="Solve"/> on F for u ≤ ½ and on the survival function, S(x) = 1 − u, for u &gt; ½
    /// (where 1 − u is exact), so upper quantiles do not inherit the rounding of F near 1.
    /// </summary>
    public static double SolveQuantile(ICumulativeDistribution distribution, double u, double lower, double upper)
    {
        if (u <= 0.5)
        {
            return Solve(distribution.CumulativeDistribution, distribution.Density, u, lower, upper);
        }

        // −S is non-decreasing with slope f; solve −S(x) = −(1 − u).
        return Solve(x => -Survival(distribution, x), distribution.Density, -(1.0 - u), lower, upper);
    }

    /// <summary>
    /// The x in [<paramref name="lower"/>, <paramref name="upper"/>] with F(x) = u, for a continuous non-decreasing F
    /// with F(lower) ≤ u ≤ F(upper), both ends finite: Newton's method on F(x) − u with the density as the slope,
    /// safeguarded by the bracket (a step that leaves it, or a zero slope, is replaced by a bisection step, and every
    /// evaluation shrinks the bracket). Where F is flat at height u (a gap in the support)
    /// it keeps bisecting towards the left end of the flat stretch, the infimum in the definition of the quantile.
    /// Stops when F(x) = u in double precision where F rises, or the bracket or the step is within
    /// a few ulps of x; typically after 5 to 10 evaluations where bisection alone needs about 60.
    /// </summary>
    public static double Solve(Func<double, double> cdf, Func<double, double> density, double u, double lower, double upper)
    {
        if (cdf(lower) >= u)
        {
            return lower;
        }

        double x = lower + (0.5 * (upper - lower));
        for (int iteration = 0; iteration < 400; iteration++)
        {
            double residual = cdf(x) - u;
            double slope = density(x);
            if (residual == 0.0 && slope > 0)
            {
                return x; // F rises through u at x, so no smaller point reaches u
            }

            if (residual >= 0)
            {
                upper = x;
            }
            else
            {
                lower = x;
            }

            double tolerance = 4 * double.Epsilon + (4e-16 * Math.Abs(x));
            if (upper - lower <= tolerance)
            {
                return upper;
            }

            double next = residual != 0.0 && slope > 0 ? x - (residual / slope) : double.NaN;
            if (!(next > lower && next < upper))
            {
                next = lower + (0.5 * (upper - lower));
            }

            if (Math.Abs(next - x) <= tolerance)
            {
                return next;
            }

            x = next;
        }

        return x;
    }
}
