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
