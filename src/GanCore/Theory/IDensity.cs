using GanCore.Randomness;

namespace GanCore.Theory;

/// <summary>
/// A probability density f on the real line: f(x) ≥ 0 and ∫ f(x) dx = 1. The theory functions
/// (<see cref="Expectation"/>, <see cref="Divergences"/>, <see cref="Game"/>) integrate against it and sample from it.
/// </summary>
/// <remarks>
/// Implementations in GanCore: <see cref="NormalDensity"/>, <see cref="UniformDensity"/>, <see cref="MixtureDensity"/>,
/// <see cref="HistogramDensity"/> and <see cref="KernelDensity"/>; all of them also implement
/// <see cref="ICumulativeDistribution"/> (a mixture only when its components do). A custom implementation must keep <see cref="Density"/> and
/// <see cref="LogDensity"/> consistent (Density = exp(LogDensity), with log 0 = −∞), and must list in
/// <see cref="Breakpoints"/> every point where the density jumps, so that no quadrature panel straddles a jump.
/// </remarks>
public interface IDensity
{
    /// <summary>An interval, possibly unbounded, outside which the density is zero. It may also be zero at some points inside.</summary>
    Support Support { get; }

    /// <summary>
    /// Finite points where integrals against this density are split into panels, in increasing order: every point
    /// where the density is discontinuous (the ends of a uniform, the edges of a histogram) and, for an unbounded
    /// support, a spread of points across the region that holds the mass, so that an adaptive rule cannot step over
    /// a narrow peak. What lies beyond the outermost points is integrated on a mapped finite interval, not dropped.
    /// </summary>
    IReadOnlyList<double> Breakpoints { get; }

    /// <summary>The density f(x): 0 outside the support, NaN when <paramref name="x"/> is NaN.</summary>
    /// <param name="x">Where to evaluate; ±∞ is allowed and gives 0.</param>
    double Density(double x);

    /// <summary>
    /// log f(x), computed directly rather than as the log of <see cref="Density"/>, so it stays finite in tails where
    /// f(x) underflows to 0. It is −∞ where the density is truly zero (outside the support).
    /// </summary>
    /// <param name="x">Where to evaluate; ±∞ is allowed and gives −∞.</param>
    double LogDensity(double x);

    /// <summary>Draws one sample X ~ f.</summary>
    /// <param name="random">The generator that supplies the randomness.</param>
    /// <exception cref="ArgumentNullException"><paramref name="random"/> is null.</exception>
    double Sample(RandomSource random);
}

/// <summary>A closed interval [<see cref="Lower"/>, <see cref="Upper"/>] of the real line; either end may be infinite.</summary>
public readonly record struct Support
{
    /// <summary>Creates the interval [<paramref name="lower"/>, <paramref name="upper"/>].</summary>
    /// <param name="lower">The lower end; may be −∞.</param>
    /// <param name="upper">The upper end; may be +∞; must be greater than <paramref name="lower"/>.</param>
    /// <exception cref="ArgumentOutOfRangeException">An end is NaN, <paramref name="lower"/> is +∞, or <paramref name="upper"/> ≤ <paramref name="lower"/>.</exception>
    public Support(double lower, double upper)
    {
        if (double.IsNaN(lower) || double.IsPositiveInfinity(lower))
        {
            throw new ArgumentOutOfRangeException(nameof(lower), lower, "The lower end must be a number below +∞.");
        }

        if (double.IsNaN(upper) || upper <= lower)
        {
            throw new ArgumentOutOfRangeException(nameof(upper), upper, $"The upper end must be greater than the lower end {lower}.");
        }

        Lower = lower;
        Upper = upper;
    }

    /// <summary>The whole real line (−∞, ∞).</summary>
    public static Support RealLine => new(double.NegativeInfinity, double.PositiveInfinity);

    /// <summary>The lower end (may be −∞).</summary>
    public double Lower { get; }

    /// <summary>The upper end (may be +∞).</summary>
    public double Upper { get; }

    /// <summary>Whether both ends are finite.</summary>
    public bool IsBounded => double.IsFinite(Lower) && double.IsFinite(Upper);

    /// <summary>Whether <paramref name="x"/> lies in [<see cref="Lower"/>, <see cref="Upper"/>].</summary>
    /// <param name="x">The point to test; NaN is never contained.</param>
    public bool Contains(double x) => x >= Lower && x <= Upper;
}
