using System.Collections.ObjectModel;
using GanCore.Randomness;

namespace GanCore.Theory;

/// <summary>
/// A weighted mixture f(x) = Σᵢ wᵢ fᵢ(x) of densities, with wᵢ ≥ 0 and Σᵢ wᵢ = 1. The midpoint density
/// m = (p + q)/2 of the Jensen–Shannon divergence is the mixture of p and q with weights ½, ½.
/// </summary>
public sealed class MixtureDensity : IDensity
{
    private readonly IDensity[] _components;
    private readonly double[] _weights;
    private readonly double[] _logWeights;

    /// <summary>Creates the mixture Σᵢ wᵢ fᵢ.</summary>
    /// <param name="components">The densities fᵢ.</param>
    /// <param name="weights">The weights wᵢ, one per component: finite, non-negative, summing to 1 within 1e−9.</param>
    /// <exception cref="ArgumentNullException"><paramref name="components"/> or one of its entries is null.</exception>
    /// <exception cref="ArgumentException">There are no components, the counts differ, or the weights do not sum to 1.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A weight is negative, NaN or infinite.</exception>
    public MixtureDensity(IReadOnlyList<IDensity> components, ReadOnlySpan<double> weights)
    {
        ArgumentNullException.ThrowIfNull(components);
        if (components.Count == 0)
        {
            throw new ArgumentException("A mixture needs at least one component.", nameof(components));
        }

        if (weights.Length != components.Count)
        {
            throw new ArgumentException($"There are {components.Count} components but {weights.Length} weights.", nameof(weights));
        }

        LogMath.CheckProbabilities(weights, nameof(weights));
        _components = new IDensity[components.Count];
        for (int i = 0; i < _components.Length; i++)
        {
            _components[i] = components[i] ?? throw new ArgumentNullException(nameof(components), $"Component {i} is null.");
        }

        _weights = weights.ToArray();
        _logWeights = Array.ConvertAll(_weights, Math.Log);

        double lower = double.PositiveInfinity;
        double upper = double.NegativeInfinity;
        var points = new SortedSet<double>();
        for (int i = 0; i < _components.Length; i++)
        {
            if (_weights[i] == 0)
            {
                continue;
            }

            lower = Math.Min(lower, _components[i].Support.Lower);
            upper = Math.Max(upper, _components[i].Support.Upper);
            points.UnionWith(_components[i].Breakpoints);
        }

        Support = new Support(lower, upper);
        Breakpoints = new ReadOnlyCollection<double>([.. points]);
        Components = new ReadOnlyCollection<IDensity>(_components);
        Weights = new ReadOnlyCollection<double>(_weights);
    }

    /// <summary>The component densities fᵢ.</summary>
    public IReadOnlyList<IDensity> Components { get; }

    /// <summary>The weights wᵢ.</summary>
    public IReadOnlyList<double> Weights { get; }

    /// <inheritdoc/>
    /// <remarks>The smallest interval holding the supports of the components with positive weight; the density may vanish in gaps inside it.</remarks>
    public Support Support { get; }

    /// <inheritdoc/>
    /// <remarks>The union of the components' breakpoints.</remarks>
    public IReadOnlyList<double> Breakpoints { get; }

    /// <inheritdoc/>
    public double Density(double x) => Math.Exp(LogDensity(x));

    /// <inheritdoc/>
    /// <remarks>log f(x) = log Σᵢ exp(log wᵢ + log fᵢ(x)), summed from the largest term so nothing overflows or underflows early.</remarks>
    public double LogDensity(double x)
    {
        double max = double.NegativeInfinity;
        Span<double> terms = _components.Length <= 16 ? stackalloc double[_components.Length] : new double[_components.Length];
        for (int i = 0; i < _components.Length; i++)
        {
            terms[i] = _logWeights[i] + _components[i].LogDensity(x);
            if (double.IsNaN(terms[i]))
            {
                return double.NaN;
            }

            max = Math.Max(max, terms[i]);
        }

        if (double.IsNegativeInfinity(max))
        {
            return double.NegativeInfinity;
        }

        double sum = 0;
        foreach (double t in terms)
        {
            sum += Math.Exp(t - max);
        }

        return max + Math.Log(sum);
    }

    /// <inheritdoc/>
    /// <remarks>Picks component i with probability wᵢ, then samples it.</remarks>
    public double Sample(RandomSource random)
    {
        ArgumentNullException.ThrowIfNull(random);
        double u = random.NextDouble();
        double cumulative = 0;
        int last = 0;
        for (int i = 0; i < _components.Length; i++)
        {
            if (_weights[i] == 0)
            {
                continue;
            }

            last = i;
            cumulative += _weights[i];
            if (u < cumulative)
            {
                return _components[i].Sample(random);
            }
        }

        // The weights may sum to slightly less than 1; the remainder belongs to the last weighted component.
        return _components[last].Sample(random);
    }
}
