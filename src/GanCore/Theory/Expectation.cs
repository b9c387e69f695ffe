using GanCore.Randomness;

namespace GanCore.Theory;

/// <summary>
/// The expectation E[g(X)] of a function of a random variable, three ways: exactly by quadrature,
/// ∫ g(x) f(x) dx; approximately by Monte Carlo, (1/n) Σ g(xᵢ) with xᵢ ~ f; and for a discrete distribution,
/// Σᵢ pᵢ g(xᵢ).
/// </summary>
public static class Expectation
{
    /// <summary>
    /// E[g(X)] = ∫ g(x) f(x) dx for X ~ <paramref name="density"/>, by adaptive Gauss–Kronrod quadrature over the
    /// whole real line.
    /// </summary>
    /// <remarks>
    /// Where f(x) = 0 (outside the support, or where a Gaussian tail underflows) the integrand is taken as 0 without
    /// calling g, so g may be −∞ or undefined there (the convention 0 · anything = 0). The integral is split at the
    /// density's <see cref="IDensity.Breakpoints"/>, the unbounded tails are mapped to finite intervals, and panels
    /// are halved until the summed |Kronrod − Gauss| estimate is at most max(1e−14, 1e−12 · ∫|g f|).
    /// If g is +∞ (−∞) where f &gt; 0 the result is +∞ (−∞); NaN from g gives NaN.
    /// </remarks>
    /// <param name="density">The density f of X.</param>
    /// <param name="g">The function whose mean is taken.</param>
    /// <returns>The expectation.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    public static double Quadrature(IDensity density, Func<double, double> g)
    {
        ArgumentNullException.ThrowIfNull(density);
        ArgumentNullException.ThrowIfNull(g);
        return QuadratureCutAt(density, g, []);
    }

    // The same, with the panels also cut at the breakpoints of other densities on which g depends (V(G, D*) uses
    // this: D* jumps wherever p_data or p_g does).
    internal static double QuadratureCutAt(IDensity density, Func<double, double> g, params ReadOnlySpan<IDensity> alsoCutAt)
    {
        IDensity[] densities = [density, .. alsoCutAt];
        return Integrator.Integrate(
            x =>
            {
                double f = density.Density(x);
                return f == 0.0 ? 0.0 : f * g(x);
            },
            densities).Value;
    }

    /// <summary>
    /// E[g(X)] ≈ (1/n) Σᵢ g(xᵢ) with n independent samples xᵢ ~ <paramref name="density"/>; also returns the
    /// standard error s/√n, where s is the sample standard deviation of the g(xᵢ).
    /// </summary>
    /// <remarks>
    /// By the central limit theorem the estimate lies within z·σ/√n of the true expectation with the normal
    /// probability of z (σ the standard deviation of g(X)): the error shrinks like 1/√n. The same seed gives the
    /// same estimate. The mean and variance are accumulated with Welford's update.
    /// </remarks>
    /// <param name="density">The density f of X.</param>
    /// <param name="g">The function whose mean is taken.</param>
    /// <param name="sampleCount">n, the number of samples (at least 2).</param>
    /// <param name="random">The generator to sample with; it advances.</param>
    /// <returns>The sample mean, its standard error and n.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="sampleCount"/> is less than 2.</exception>
    public static MonteCarloEstimate MonteCarlo(IDensity density, Func<double, double> g, int sampleCount, RandomSource random)
    {
        ArgumentNullException.ThrowIfNull(density);
        ArgumentNullException.ThrowIfNull(g);
        ArgumentNullException.ThrowIfNull(random);
        ArgumentOutOfRangeException.ThrowIfLessThan(sampleCount, 2);

        double mean = 0;
        double sumOfSquares = 0;
        for (int i = 1; i <= sampleCount; i++)
        {
            double y = g(density.Sample(random));
            double delta = y - mean;
            mean += delta / i;
            sumOfSquares += delta * (y - mean);
        }

        double variance = sumOfSquares / (sampleCount - 1);
        return new MonteCarloEstimate(mean, Math.Sqrt(variance / sampleCount), sampleCount);
    }

    /// <summary>E[g(X)] = Σᵢ pᵢ g(xᵢ) for a discrete X that takes the value xᵢ with probability pᵢ.</summary>
    /// <remarks>Terms with pᵢ = 0 are skipped without calling g (0 · anything = 0).</remarks>
    /// <param name="probabilities">The pᵢ: finite, non-negative, summing to 1 within 1e−9.</param>
    /// <param name="points">The xᵢ, as many as there are probabilities.</param>
    /// <param name="g">The function whose mean is taken.</param>
    /// <returns>The expectation.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="g"/> is null.</exception>
    /// <exception cref="ArgumentException">The lengths differ, the vector is empty, or the probabilities do not sum to 1.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A probability is negative, NaN or infinite, or a point is NaN.</exception>
    public static double Discrete(ReadOnlySpan<double> probabilities, ReadOnlySpan<double> points, Func<double, double> g)
    {
        ArgumentNullException.ThrowIfNull(g);
        LogMath.CheckProbabilities(probabilities, nameof(probabilities));
        if (points.Length != probabilities.Length)
        {
            throw new ArgumentException($"There are {probabilities.Length} probabilities but {points.Length} points.", nameof(points));
        }

        double sum = 0;
        for (int i = 0; i < points.Length; i++)
        {
            if (double.IsNaN(points[i]))
            {
                throw new ArgumentOutOfRangeException(nameof(points), points[i], $"Point {i} is NaN.");
            }

            if (probabilities[i] != 0)
            {
                sum += probabilities[i] * g(points[i]);
            }
        }

        return sum;
    }
}
