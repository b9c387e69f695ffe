using System.Collections.ObjectModel;
using GanCore.Randomness;

namespace GanCore.Theory;

/// <summary>The uniform density U(a, b): f(x) = 1/(b − a) on [a, b] and 0 elsewhere.</summary>
public sealed class UniformDensity : ICumulativeDistribution
{
    private readonly double _logDensity;

    /// <summary>Creates U(<paramref name="lower"/>, <paramref name="upper"/>).</summary>
    /// <param name="lower">a; must be finite.</param>
    /// <param name="upper">b; must be finite and greater than <paramref name="lower"/>.</param>
    /// <exception cref="ArgumentOutOfRangeException">An end is NaN or infinite, or <paramref name="upper"/> ≤ <paramref name="lower"/>, or b − a overflows.</exception>
    public UniformDensity(double lower, double upper)
    {
        LogMath.CheckFinite(lower, nameof(lower));
        LogMath.CheckFinite(upper, nameof(upper));
        if (upper <= lower)
        {
            throw new ArgumentOutOfRangeException(nameof(upper), upper, $"The upper end must be greater than the lower end {lower}.");
        }

        double width = upper - lower;
        if (!double.IsFinite(width))
        {
            throw new ArgumentOutOfRangeException(nameof(upper), upper, "The interval is too wide: b − a overflows.");
        }

        Support = new Support(lower, upper);
        _logDensity = -Math.Log(width);
        Breakpoints = new ReadOnlyCollection<double>([lower, upper]);
    }

    /// <summary>a, the lower end.</summary>
    public double Lower => Support.Lower;

    /// <summary>b, the upper end.</summary>
    public double Upper => Support.Upper;

    /// <inheritdoc/>
    /// <remarks>[a, b].</remarks>
    public Support Support { get; }

    /// <inheritdoc/>
    /// <remarks>The two ends, where the density jumps.</remarks>
    public IReadOnlyList<double> Breakpoints { get; }

    /// <inheritdoc/>
    public double Density(double x) => double.IsNaN(x) ? double.NaN : Support.Contains(x) ? Math.Exp(_logDensity) : 0.0;

    /// <inheritdoc/>
    public double LogDensity(double x) => double.IsNaN(x) ? double.NaN : Support.Contains(x) ? _logDensity : double.NegativeInfinity;

    /// <inheritdoc/>
    /// <remarks>0 below a, (x − a)/(b − a) on [a, b], 1 above b.</remarks>
    public double CumulativeDistribution(double x) =>
        double.IsNaN(x) ? double.NaN : x <= Lower ? 0.0 : x >= Upper ? 1.0 : (x - Lower) / (Upper - Lower);

    /// <inheritdoc/>
    /// <remarks>a + u·(b − a), exactly a at 0 and b at 1.</remarks>
    public double Quantile(double probability)
    {
        DistributionChecks.CheckProbability(probability, nameof(probability));
        return probability == 1.0 ? Upper : Lower + (probability * (Upper - Lower));
    }

    /// <inheritdoc/>
    public double Sample(RandomSource random)
    {
        ArgumentNullException.ThrowIfNull(random);
        return random.NextUniform(Lower, Upper);
    }

    /// <summary>Describes the density, e.g. <c>U(0, 1)</c>.</summary>
    public override string ToString() => FormattableString.Invariant($"U({Lower}, {Upper})");
}
