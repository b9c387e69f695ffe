using System.Collections.ObjectModel;
using GanCore.Randomness;

namespace GanCore.Theory;

/// <summary>
/// A piecewise-constant density on bins [e₀, e₁), [e₁, e₂), …, [eₙ₋₁, eₙ]: bin i holds probability pᵢ, spread
/// evenly, so f(x) = pᵢ / (eᵢ₊₁ − eᵢ) there. <see cref="FromSamples"/> builds the empirical histogram of data.
/// </summary>
public sealed class HistogramDensity : ICumulativeDistribution
{
    private readonly double[] _edges;
    private readonly double[] _probabilities;
    private readonly double[] _logDensities;

    // _cumulative[i] = (p₀ + … + pᵢ₋₁) / Σp: F at edge i, exactly 0 at e₀ and 1 at eₙ.
    private readonly double[] _cumulative;

    /// <summary>Creates the histogram density with the given bin edges and bin probabilities.</summary>
    /// <param name="binEdges">n + 1 finite, strictly increasing edges (n ≥ 1).</param>
    /// <param name="probabilities">n bin probabilities: finite, non-negative, summing to 1 within 1e−9.</param>
    /// <exception cref="ArgumentException">Fewer than two edges, edges not strictly increasing, lengths that do not match, or probabilities not summing to 1.</exception>
    /// <exception cref="ArgumentOutOfRangeException">An edge is not finite, or a probability is negative, NaN or infinite.</exception>
    public HistogramDensity(ReadOnlySpan<double> binEdges, ReadOnlySpan<double> probabilities)
    {
        CheckEdges(binEdges);
        if (probabilities.Length != binEdges.Length - 1)
        {
            throw new ArgumentException($"{binEdges.Length} edges make {binEdges.Length - 1} bins, but {probabilities.Length} probabilities were given.", nameof(probabilities));
        }

        LogMath.CheckProbabilities(probabilities, nameof(probabilities));
        _edges = binEdges.ToArray();
        _probabilities = probabilities.ToArray();
        _logDensities = new double[_probabilities.Length];
        for (int i = 0; i < _probabilities.Length; i++)
        {
            _logDensities[i] = Math.Log(_probabilities[i]) - Math.Log(_edges[i + 1] - _edges[i]);
        }

        _cumulative = new double[_edges.Length];
        double total = 0;
        foreach (double p in _probabilities)
        {
            total += p;
        }

        double running = 0;
        for (int i = 0; i < _probabilities.Length; i++)
        {
            running += _probabilities[i];
            _cumulative[i + 1] = running / total;
        }

        _cumulative[^1] = 1.0;
        Support = new Support(_edges[0], _edges[^1]);
        Breakpoints = new ReadOnlyCollection<double>(_edges);
        Probabilities = new ReadOnlyCollection<double>(_probabilities);
    }

    /// <summary>The empirical histogram: pᵢ = (number of samples in bin i) / (number of samples).</summary>
    /// <param name="samples">The data; every value must lie in [e₀, eₙ].</param>
    /// <param name="binEdges">n + 1 finite, strictly increasing edges (n ≥ 1).</param>
    /// <exception cref="ArgumentException">No samples, fewer than two edges, or edges not strictly increasing.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A sample is NaN or outside [e₀, eₙ], or an edge is not finite.</exception>
    public static HistogramDensity FromSamples(ReadOnlySpan<double> samples, ReadOnlySpan<double> binEdges)
    {
        CheckEdges(binEdges);
        if (samples.IsEmpty)
        {
            throw new ArgumentException("An empirical histogram needs at least one sample.", nameof(samples));
        }

        double[] edges = binEdges.ToArray();
        long[] counts = new long[edges.Length - 1];
        foreach (double x in samples)
        {
            int bin = FindBin(edges, x);
            if (bin < 0)
            {
                throw new ArgumentOutOfRangeException(nameof(samples), x, $"The sample lies outside the bins [{edges[0]}, {edges[^1]}].");
            }

            counts[bin]++;
        }

        double total = samples.Length;
        double[] probabilities = Array.ConvertAll(counts, c => c / total);
        return new HistogramDensity(edges, probabilities);
    }

    /// <summary>The bin edges e₀ &lt; e₁ &lt; … &lt; eₙ.</summary>
    public IReadOnlyList<double> BinEdges => Breakpoints;

    /// <summary>The bin probabilities p₀, …, pₙ₋₁.</summary>
    public IReadOnlyList<double> Probabilities { get; }

    /// <inheritdoc/>
    /// <remarks>[e₀, eₙ].</remarks>
    public Support Support { get; }

    /// <inheritdoc/>
    /// <remarks>The bin edges, where the density jumps.</remarks>
    public IReadOnlyList<double> Breakpoints { get; }

    /// <inheritdoc/>
    public double Density(double x) => Math.Exp(LogDensity(x));

    /// <inheritdoc/>
    /// <remarks>log(pᵢ / (eᵢ₊₁ − eᵢ)) in bin i, −∞ in an empty bin and outside [e₀, eₙ].</remarks>
    public double LogDensity(double x)
    {
        if (double.IsNaN(x))
        {
            return double.NaN;
        }

        int bin = FindBin(_edges, x);
        return bin < 0 ? double.NegativeInfinity : _logDensities[bin];
    }

    /// <inheritdoc/>
    /// <remarks>
    /// Piecewise linear: F(x) = Cᵢ + pᵢ·(x − eᵢ)/(eᵢ₊₁ − eᵢ) in bin i, with Cᵢ = p₀ + … + pᵢ₋₁ (the cumulative sums are
    /// divided by Σp, so F reaches exactly 1 at eₙ even when the probabilities sum to 1 only within 1e−9).
    /// </remarks>
    public double CumulativeDistribution(double x)
    {
        if (double.IsNaN(x))
        {
            return double.NaN;
        }

        if (x <= _edges[0])
        {
            return 0.0;
        }

        if (x >= _edges[^1])
        {
            return 1.0;
        }

        int bin = FindBin(_edges, x);
        double fraction = (x - _edges[bin]) / (_edges[bin + 1] - _edges[bin]);
        return _cumulative[bin] + ((_cumulative[bin + 1] - _cumulative[bin]) * fraction);
    }

    /// <inheritdoc/>
    /// <remarks>
    /// The inverse of the piecewise-linear F: in the bin i with Cᵢ &lt; u ≤ Cᵢ₊₁, eᵢ + (u − Cᵢ)/(Cᵢ₊₁ − Cᵢ)·(eᵢ₊₁ − eᵢ).
    /// Empty bins are flat stretches of F and are skipped (the infimum in the definition). Quantile(0) is the left
    /// edge of the first non-empty bin, Quantile(1) the right edge of the last one.
    /// </remarks>
    public double Quantile(double probability)
    {
        DistributionChecks.CheckProbability(probability, nameof(probability));
        if (probability == 0.0)
        {
            int first = Array.FindIndex(_probabilities, p => p > 0);
            return _edges[first];
        }

        // The first edge index k with C_k ≥ u; the quantile lies in bin k − 1, which has C_{k−1} < u ≤ C_k.
        int index = Array.BinarySearch(_cumulative, probability);
        int k = index >= 0 ? index : ~index;
        if (index >= 0)
        {
            // C_k = u exactly: the quantile is the edge e_k unless bins before it are empty (then an earlier edge).
            while (k > 0 && _cumulative[k - 1] == probability)
            {
                k--;
            }

            return _edges[k];
        }

        int bin = k - 1;
        double fraction = (probability - _cumulative[bin]) / (_cumulative[bin + 1] - _cumulative[bin]);
        return Math.Min(_edges[bin] + (fraction * (_edges[bin + 1] - _edges[bin])), _edges[bin + 1]);
    }

    /// <inheritdoc/>
    /// <remarks>Picks bin i with probability pᵢ, then a uniform point inside it.</remarks>
    public double Sample(RandomSource random)
    {
        ArgumentNullException.ThrowIfNull(random);
        double u = random.NextDouble();
        double cumulative = 0;
        int last = 0;
        for (int i = 0; i < _probabilities.Length; i++)
        {
            if (_probabilities[i] == 0)
            {
                continue;
            }

            last = i;
            cumulative += _probabilities[i];
            if (u < cumulative)
            {
                break;
            }
        }

        return random.NextUniform(_edges[last], _edges[last + 1]);
    }

    // The bin holding x (the last bin includes its right edge), or −1 outside [e₀, eₙ].
    private static int FindBin(double[] edges, double x)
    {
        if (!(x >= edges[0] && x <= edges[^1]))
        {
            return -1;
        }

        int index = Array.BinarySearch(edges, x);
        int bin = index >= 0 ? index : ~index - 1;
        return Math.Min(bin, edges.Length - 2);
    }

    private static void CheckEdges(ReadOnlySpan<double> binEdges)
    {
        if (binEdges.Length < 2)
        {
            throw new ArgumentException($"A histogram needs at least two bin edges; {binEdges.Length} were given.", nameof(binEdges));
        }

        for (int i = 0; i < binEdges.Length; i++)
        {
            if (!double.IsFinite(binEdges[i]))
            {
                throw new ArgumentOutOfRangeException(nameof(binEdges), binEdges[i], $"Edge {i} is not finite.");
            }

            if (i > 0 && !(binEdges[i] > binEdges[i - 1]))
            {
                throw new ArgumentException($"The bin edges must increase strictly, but edge {i} ({binEdges[i]}) follows {binEdges[i - 1]}.", nameof(binEdges));
            }
        }
    }
}
