using System.Collections.ObjectModel;
using GanCore.Kernels;
using GanCore.Randomness;

namespace GanCore.Theory;

/// <summary>
/// A weighted mixture f(x) = Σᵢ wᵢ fᵢ(x) of densities, with wᵢ ≥ 0 and Σᵢ wᵢ = 1. The midpoint density
/// m = (p + q)/2 of the Jensen–Shannon divergence is the mixture of p and q with weights ½, ½.
/// </summary>
public sealed class MixtureDensity : ICumulativeDistribution
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

            lower = ScalarMath.Min(lower, _components[i].Support.Lower);
            upper = ScalarMath.Max(upper, _components[i].Support.Upper);
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

            max = ScalarMath.Max(max, terms[i]);
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
    /// <remarks>F(x) = Σᵢ wᵢ Fᵢ(x), clamped to [0, 1] against rounding. Needs every component with a positive weight to be an <see cref="ICumulativeDistribution"/>.</remarks>
    /// <exception cref="NotSupportedException">A component with a positive weight has no distribution function.</exception>
    public double CumulativeDistribution(double x)
    {
        if (double.IsNaN(x))
        {
            return double.NaN;
        }

        double sum = 0;
        for (int i = 0; i < _components.Length; i++)
        {
            if (_weights[i] != 0)
            {
                sum += _weights[i] * DistributionOf(i).CumulativeDistribution(x);
            }
        }

        return Math.Clamp(sum, 0.0, 1.0);
    }

    /// <inheritdoc/>
    /// <remarks>
    /// There is no closed form; the quantile is found by Newton's method on <see cref="CumulativeDistribution"/> with <see cref="Density"/> as the slope, safeguarded by bisection (for u &gt; ½ on the
    /// survival function Σᵢ wᵢ(1 − Fᵢ), so that upper quantiles keep their accuracy). The bracket
    /// is exact: F(x) ≥ u wherever every Fᵢ(x) ≥ u, and F(x) &lt; u wherever every Fᵢ(x) &lt; u, so the answer lies between
    /// the smallest and the largest of the components' quantiles at u. The iteration stops when F(x) = u in double
    /// precision or the bracket is a few ulps wide.
    /// </remarks>
    /// <exception cref="NotSupportedException">A component with a positive weight has no distribution function.</exception>
    public double Quantile(double probability)
    {
        DistributionChecks.CheckProbability(probability, nameof(probability));
        double lower = double.PositiveInfinity;
        double upper = double.NegativeInfinity;
        for (int i = 0; i < _components.Length; i++)
        {
            if (_weights[i] != 0)
            {
                double q = DistributionOf(i).Quantile(probability);
                lower = ScalarMath.Min(lower, q);
                upper = ScalarMath.Max(upper, q);
            }
        }

        if (!double.IsFinite(lower) || !double.IsFinite(upper) || lower == upper)
        {
            // u = 0 or 1 on an unbounded component, or all components agree.
            return probability == 0.0 ? lower : probability == 1.0 ? upper : lower;
        }

        return DistributionChecks.SolveQuantile(this, probability, lower, upper);
    }

    // S(x) = Σᵢ wᵢ Sᵢ(x), from the components' survival functions (accurate where F rounds to 1).
    internal double Survival(double x)
    {
        if (double.IsNaN(x))
        {
            return double.NaN;
        }

        double sum = 0;
        for (int i = 0; i < _components.Length; i++)
        {
            if (_weights[i] != 0)
            {
                sum += _weights[i] * DistributionChecks.Survival(DistributionOf(i), x);
            }
        }

        return Math.Clamp(sum, 0.0, 1.0);
    }

    private ICumulativeDistribution DistributionOf(int index) =>
        _components[index] as ICumulativeDistribution
        ?? throw new NotSupportedException($"Mixture component {index} ({_components[index].GetType().Name}) has no distribution function (it does not implement {nameof(ICumulativeDistribution)}).");

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
