using System.Collections.ObjectModel;
using GanCore.Kernels;
using GanCore.Randomness;
using MathNet.Numerics;
using MathNet.Numerics.Statistics;

namespace GanCore.Theory;

/// <summary>
/// A Gaussian kernel density estimate from samples x₁, …, xₙ: f̂(x) = (1/n) Σᵢ φ((x − xᵢ)/h) / h, with φ the standard
/// normal density and h the bandwidth, by default Silverman's rule of thumb. It is a density like any other, so the
/// theory functions apply to it: <c>Divergences.JensenShannon(pData, new KernelDensity(generated))</c> is the JSD
/// between the data and what a generator produces.
/// </summary>
/// <remarks>
/// <para>f̂ is the density of X = x_I + h·Z with I uniform on {1, …, n} and Z ~ N(0, 1): the empirical distribution
/// smoothed by a normal of standard deviation h. So its mean is the sample mean and its variance is the (biased)
/// sample variance plus h².</para>
/// <para>The samples are kept sorted. A point x only needs the samples near it: a sample more than
/// (z_min + 12)·h away, where z_min·h is the distance to the nearest sample, contributes less than e^(−72) ≈ 5e−32
/// of the nearest sample's term, so it is skipped; what is dropped is below 1e−22 of the sum for any n below 2³¹.
/// The same cut applies to the distribution function, where Φ(−12) ≈ 2e−33.</para>
/// </remarks>
public sealed class KernelDensity : ICumulativeDistribution
{
    // Samples farther than this many bandwidths beyond the nearest one are negligible (see the remarks).
    private const double Reach = 12.0;

    // The breakpoint grid never has more points than this (its spacing grows instead).
    private const int MaximumBreakpoints = 4096;

    private static readonly double s_halfLogTwoPi = 0.5 * Math.Log(2.0 * Math.PI);

    private readonly double[] _sorted;
    private readonly double _logNormalizer;

    /// <summary>The estimate with Silverman's bandwidth (<see cref="SilvermanBandwidth"/>).</summary>
    /// <param name="samples">At least two finite samples, not all equal.</param>
    /// <exception cref="ArgumentException">Fewer than two samples, or every sample is the same (the rule gives h = 0).</exception>
    /// <exception cref="ArgumentOutOfRangeException">A sample is NaN or infinite.</exception>
    public KernelDensity(ReadOnlySpan<double> samples)
        : this(samples, SilvermanBandwidth(samples))
    {
    }

    /// <summary>The estimate with a given bandwidth.</summary>
    /// <param name="samples">At least one finite sample.</param>
    /// <param name="bandwidth">h: finite and positive.</param>
    /// <exception cref="ArgumentException">There are no samples.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A sample is NaN or infinite, or <paramref name="bandwidth"/> is not finite and positive.</exception>
    public KernelDensity(ReadOnlySpan<double> samples, double bandwidth)
    {
        _sorted = SortedCopy(samples, nameof(samples));
        if (!double.IsFinite(bandwidth) || bandwidth <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(bandwidth), bandwidth, "The bandwidth must be finite and positive.");
        }

        Bandwidth = bandwidth;
        _logNormalizer = Math.Log(_sorted.Length) + Math.Log(bandwidth) + s_halfLogTwoPi;
        Samples = new ReadOnlyCollection<double>(_sorted);
        Breakpoints = new ReadOnlyCollection<double>(MakeBreakpoints(_sorted, bandwidth));
    }

    /// <summary>h, the standard deviation of each Gaussian kernel.</summary>
    public double Bandwidth { get; }

    /// <summary>The samples, sorted in increasing order.</summary>
    public IReadOnlyList<double> Samples { get; }

    /// <inheritdoc/>
    /// <remarks>The whole real line: every kernel is a normal density.</remarks>
    public Support Support => Support.RealLine;

    /// <inheritdoc/>
    /// <remarks>
    /// A grid of spacing h (coarser when the samples span more than about 4000 bandwidths) over
    /// [min − 12h, max + 12h], keeping only the points within 12h of some sample, so that every bump is covered by
    /// panels about one bandwidth wide and gaps between clusters are not cut needlessly.
    /// </remarks>
    public IReadOnlyList<double> Breakpoints { get; }

    /// <summary>
    /// Silverman's rule of thumb (Silverman 1986, eq. 3.31): h = 0.9 · min(s, IQR/1.34) · n^(−1/5), with s the sample
    /// standard deviation (divisor n − 1) and IQR the interquartile range (quantiles by linear interpolation, R's type 7).
    /// </summary>
    /// <remarks>
    /// For normal data it is close to the bandwidth that minimizes the mean integrated squared error, and the
    /// min(…) keeps it from oversmoothing skewed or bimodal data. When one of s and IQR/1.34 is 0 (more than half the
    /// samples equal), the other is used.
    /// </remarks>
    /// <param name="samples">At least two finite samples, not all equal.</param>
    /// <returns>h &gt; 0.</returns>
    /// <exception cref="ArgumentException">Fewer than two samples, or every sample is the same.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A sample is NaN or infinite.</exception>
    public static double SilvermanBandwidth(ReadOnlySpan<double> samples)
    {
        double[] sorted = SortedCopy(samples, nameof(samples));
        if (sorted.Length < 2)
        {
            throw new ArgumentException($"Silverman's rule needs at least two samples; {sorted.Length} was given.", nameof(samples));
        }

        double standardDeviation = ArrayStatistics.StandardDeviation(sorted);
        double interquartile = SortedArrayStatistics.QuantileCustom(sorted, 0.75, QuantileDefinition.R7)
            - SortedArrayStatistics.QuantileCustom(sorted, 0.25, QuantileDefinition.R7);
        double spread = ScalarMath.Min(standardDeviation, interquartile / 1.34);
        if (!(spread > 0))
        {
            spread = ScalarMath.Max(standardDeviation, interquartile / 1.34);
        }

        if (!(spread > 0) || !double.IsFinite(spread))
        {
            throw new ArgumentException($"Silverman's rule gives no bandwidth: all {sorted.Length} samples equal {sorted[0]}. Give a bandwidth explicitly.", nameof(samples));
        }

        return 0.9 * spread * Math.Pow(sorted.Length, -0.2);
    }

    /// <inheritdoc/>
    public double Density(double x) => Math.Exp(LogDensity(x));

    /// <inheritdoc/>
    /// <remarks>
    /// log f̂(x) = −½z²_min + log Σᵢ exp(−½(zᵢ² − z²_min)) − log(n h √(2π)), with zᵢ = (x − xᵢ)/h and z_min the
    /// smallest |zᵢ|: the nearest sample's term is factored out, so the log stays finite and exact far in the tails,
    /// where f̂ itself underflows.
    /// </remarks>
    public double LogDensity(double x)
    {
        if (double.IsNaN(x))
        {
            return double.NaN;
        }

        if (double.IsInfinity(x))
        {
            return double.NegativeInfinity;
        }

        double h = Bandwidth;
        double nearest = Math.Abs(x - _sorted[NearestIndex(x)]) / h;
        if (!double.IsFinite(nearest * nearest))
        {
            return double.NegativeInfinity; // so far out that even the nearest kernel underflows in the log
        }

        double radius = (nearest + Reach) * h;
        (int from, int to) = Window(x - radius, x + radius);
        double halfNearestSquared = 0.5 * nearest * nearest;
        double sum = 0;
        for (int i = from; i < to; i++)
        {
            double z = (x - _sorted[i]) / h;
            sum += Math.Exp(halfNearestSquared - (0.5 * z * z));
        }

        return Math.Log(sum) - halfNearestSquared - _logNormalizer;
    }

    /// <inheritdoc/>
    /// <remarks>F̂(x) = (1/n) Σᵢ Φ((x − xᵢ)/h); samples more than 12h below x count as 1, more than 12h above as 0.</remarks>
    public double CumulativeDistribution(double x)
    {
        if (double.IsNaN(x))
        {
            return double.NaN;
        }

        if (double.IsInfinity(x))
        {
            return x > 0 ? 1.0 : 0.0;
        }

        double h = Bandwidth;
        (int from, int to) = Window(x - (Reach * h), x + (Reach * h));
        double sum = from; // every sample below the window contributes Φ(> 12) = 1
        for (int i = from; i < to; i++)
        {
            sum += 0.5 * SpecialFunctions.Erfc((_sorted[i] - x) / (h * Constants.Sqrt2));
        }

        return ScalarMath.Min(1.0, sum / _sorted.Length);
    }

    // S(x) = 1 − F̂(x) = (1/n) Σᵢ Φ((xᵢ − x)/h), summed directly so it stays accurate where F̂ rounds to 1.
    internal double Survival(double x)
    {
        if (double.IsNaN(x))
        {
            return double.NaN;
        }

        if (double.IsInfinity(x))
        {
            return x > 0 ? 0.0 : 1.0;
        }

        double h = Bandwidth;
        (int from, int to) = Window(x - (Reach * h), x + (Reach * h));
        double sum = _sorted.Length - to; // every sample above the window contributes 1
        for (int i = from; i < to; i++)
        {
            sum += 0.5 * SpecialFunctions.Erfc((x - _sorted[i]) / (h * Constants.Sqrt2));
        }

        return ScalarMath.Min(1.0, sum / _sorted.Length);
    }

    /// <inheritdoc/>
    /// <remarks>
    /// By Newton's method on <see cref="CumulativeDistribution"/> (slope <see cref="Density"/>), safeguarded by bisection in the exact bracket [x_min + h·Φ⁻¹(u), x_max + h·Φ⁻¹(u)]
    /// (F̂ lies between the kernels of the smallest and the largest sample); for u &gt; ½ on the survival function
    /// 1 − F̂, summed directly, so upper quantiles keep their accuracy. −∞ at 0 and +∞ at 1.
    /// </remarks>
    public double Quantile(double probability)
    {
        DistributionChecks.CheckProbability(probability, nameof(probability));
        if (probability == 0.0)
        {
            return double.NegativeInfinity;
        }

        if (probability == 1.0)
        {
            return double.PositiveInfinity;
        }

        double offset = Bandwidth * MathNet.Numerics.Distributions.Normal.InvCDF(0, 1, probability);
        return DistributionChecks.SolveQuantile(this, probability, _sorted[0] + offset, _sorted[^1] + offset);
    }

    /// <inheritdoc/>
    /// <remarks>x_I + h·Z: a sample picked uniformly at random, plus normal noise of standard deviation h.</remarks>
    public double Sample(RandomSource random)
    {
        ArgumentNullException.ThrowIfNull(random);
        double center = _sorted[random.NextInt32(_sorted.Length)];
        return random.NextGaussian(center, Bandwidth);
    }

    /// <summary>Describes the estimate, e.g. <c>KDE(n = 2000, h = 0.0981)</c>.</summary>
    public override string ToString() => FormattableString.Invariant($"KDE(n = {_sorted.Length}, h = {Bandwidth:G4})");

    private static double[] SortedCopy(ReadOnlySpan<double> samples, string parameterName)
    {
        if (samples.IsEmpty)
        {
            throw new ArgumentException("A kernel density estimate needs at least one sample.", parameterName);
        }

        double[] sorted = samples.ToArray();
        for (int i = 0; i < sorted.Length; i++)
        {
            if (!double.IsFinite(sorted[i]))
            {
                throw new ArgumentOutOfRangeException(parameterName, sorted[i], $"Sample {i} is not finite.");
            }
        }

        Array.Sort(sorted);
        return sorted;
    }

    private static double[] MakeBreakpoints(double[] sorted, double h)
    {
        double lower = sorted[0] - (Reach * h);
        double upper = sorted[^1] + (Reach * h);
        double spacing = ScalarMath.Max(h, (upper - lower) / MaximumBreakpoints);
        var points = new List<double>();
        int next = 0; // the first sample not more than Reach·h below the grid point
        for (int k = 0; ; k++)
        {
            double x = lower + (k * spacing);
            if (x > upper)
            {
                break;
            }

            while (next < sorted.Length && sorted[next] < x - (Reach * h))
            {
                next++;
            }

            if (next < sorted.Length && sorted[next] <= x + (Reach * h))
            {
                points.Add(x);
            }
        }

        return [.. points];
    }

    // The index of the sample nearest to x.
    private int NearestIndex(double x)
    {
        int index = Array.BinarySearch(_sorted, x);
        if (index >= 0)
        {
            return index;
        }

        int above = ~index;
        if (above == 0)
        {
            return 0;
        }

        if (above == _sorted.Length)
        {
            return _sorted.Length - 1;
        }

        return x - _sorted[above - 1] <= _sorted[above] - x ? above - 1 : above;
    }

    // [from, to): the samples in [lower, upper].
    private (int From, int To) Window(double lower, double upper) => (LowerBound(lower), UpperBound(upper));

    // The first index whose sample is ≥ value.
    private int LowerBound(double value)
    {
        int low = 0;
        int high = _sorted.Length;
        while (low < high)
        {
            int middle = (low + high) >>> 1;
            if (_sorted[middle] < value)
            {
                low = middle + 1;
            }
            else
            {
                high = middle;
            }
        }

        return low;
    }

    // The first index whose sample is > value.
    private int UpperBound(double value)
    {
        int low = 0;
        int high = _sorted.Length;
        while (low < high)
        {
            int middle = (low + high) >>> 1;
            if (_sorted[middle] <= value)
            {
                low = middle + 1;
            }
            else
            {
                high = middle;
            }
        }

        return low;
    }
}
