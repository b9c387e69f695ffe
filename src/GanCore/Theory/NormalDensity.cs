using System.Collections.ObjectModel;
using GanCore.Randomness;
using MathNet.Numerics.Distributions;

namespace GanCore.Theory;

/// <summary>The normal density N(μ, σ²): f(x) = exp(−(x − μ)² / (2σ²)) / (σ√(2π)).</summary>
public sealed class NormalDensity : ICumulativeDistribution
{
    // Panel boundaries, in standard deviations from the mean. Beyond 39σ, f < e^(−760)/σ, which underflows
    // to 0 for every σ ≥ 1e−6; the mapped tail panels still cover the rest of the line exactly.
    private static readonly double[] s_breakpointOffsets = [0, 0.5, 1, 1.5, 2, 2.5, 3, 4, 5, 6, 7, 8, 10, 12, 15, 20, 25, 30, 39];
    private static readonly double s_halfLogTwoPi = 0.5 * Math.Log(2.0 * Math.PI);

    private readonly double _logNormalizer;

    /// <summary>Creates N(<paramref name="mean"/>, <paramref name="standardDeviation"/>²).</summary>
    /// <param name="mean">μ; must be finite.</param>
    /// <param name="standardDeviation">σ; must be finite and positive.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="mean"/> is not finite, or <paramref name="standardDeviation"/> is ≤ 0, NaN or infinite.</exception>
    public NormalDensity(double mean, double standardDeviation)
    {
        LogMath.CheckFinite(mean, nameof(mean));
        if (!double.IsFinite(standardDeviation) || standardDeviation <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(standardDeviation), standardDeviation, "The standard deviation must be finite and positive.");
        }

        Mean = mean;
        StandardDeviation = standardDeviation;
        _logNormalizer = Math.Log(standardDeviation) + s_halfLogTwoPi;

        var points = new SortedSet<double>();
        foreach (double k in s_breakpointOffsets)
        {
            foreach (double x in (ReadOnlySpan<double>)[mean - (k * standardDeviation), mean + (k * standardDeviation)])
            {
                if (double.IsFinite(x))
                {
                    points.Add(x);
                }
            }
        }

        Breakpoints = new ReadOnlyCollection<double>([.. points]);
    }

    /// <summary>μ, the mean.</summary>
    public double Mean { get; }

    /// <summary>σ, the standard deviation.</summary>
    public double StandardDeviation { get; }

    /// <inheritdoc/>
    /// <remarks>The whole real line.</remarks>
    public Support Support => Support.RealLine;

    /// <inheritdoc/>
    /// <remarks>μ + kσ for k = 0, ±0.5, ±1, …, ±39 (panels a fraction of σ wide near the mean, wider in the tails).</remarks>
    public IReadOnlyList<double> Breakpoints { get; }

    /// <inheritdoc/>
    public double Density(double x) => Math.Exp(LogDensity(x));

    /// <inheritdoc/>
    /// <remarks>log f(x) = −½((x − μ)/σ)² − log σ − ½ log 2π.</remarks>
    public double LogDensity(double x)
    {
        double z = (x - Mean) / StandardDeviation;
        return (-0.5 * z * z) - _logNormalizer;
    }

    /// <inheritdoc/>
    /// <remarks>Φ((x − μ)/σ) = ½ erfc(−(x − μ)/(σ√2)), by MathNet's <see cref="Normal.CDF(double, double, double)"/>; accurate in the lower tail.</remarks>
    public double CumulativeDistribution(double x) => double.IsNaN(x) ? double.NaN : Normal.CDF(Mean, StandardDeviation, x);

    /// <inheritdoc/>
    /// <remarks>μ + σ·Φ⁻¹(u) = μ − σ√2·erfc⁻¹(2u), by MathNet's <see cref="Normal.InvCDF(double, double, double)"/>; −∞ at 0 and +∞ at 1.</remarks>
    public double Quantile(double probability)
    {
        DistributionChecks.CheckProbability(probability, nameof(probability));
        return probability switch
        {
            0.0 => double.NegativeInfinity,
            1.0 => double.PositiveInfinity,
            _ => Normal.InvCDF(Mean, StandardDeviation, probability),
        };
    }

    /// <inheritdoc/>
    public double Sample(RandomSource random)
    {
        ArgumentNullException.ThrowIfNull(random);
        return random.NextGaussian(Mean, StandardDeviation);
    }

    /// <summary>Describes the density, e.g. <c>N(0, 1²)</c>.</summary>
    public override string ToString() => FormattableString.Invariant($"N({Mean}, {StandardDeviation}²)");
}
