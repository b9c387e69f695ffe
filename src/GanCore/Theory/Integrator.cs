using GanCore.Kernels;
using MathNet.Numerics.Integration;

namespace GanCore.Theory;

/// <summary>The outcome of one integral: the value, the error estimate, and whether the tolerance was met.</summary>
/// <param name="Value">The integral (±∞ when the integrand is ±∞ on some panel, NaN when it is NaN or both infinities occur).</param>
/// <param name="ErrorEstimate">Σ over the final panels of |Kronrod(31) − Gauss(15)|, a conservative estimate of the absolute error.</param>
/// <param name="AbsoluteIntegral">The estimate of ∫ |h|, the scale the relative tolerance is measured against.</param>
/// <param name="Panels">The number of panels the real line was finally cut into.</param>
/// <param name="Converged">Whether <paramref name="ErrorEstimate"/> met the tolerance before the panel budget ran out.</param>
internal readonly record struct QuadratureResult(double Value, double ErrorEstimate, double AbsoluteIntegral, int Panels, bool Converged);

/// <summary>
/// Globally adaptive Gauss–Kronrod quadrature over the whole real line, for integrands built from densities.
/// </summary>
/// <remarks>
/// <para>
/// The line is first cut at every finite support end and every <see cref="IDensity.Breakpoints"/> point of the
/// densities involved, so no panel straddles a jump of a uniform or histogram density and every Gaussian peak is
/// covered by panels a fraction of σ wide. The parts beyond the outermost points, when a support is unbounded,
/// are mapped to [0, 1) by x = c ± s·t/(1 − t) (dx = s/(1 − t)² dt) and integrated too: nothing is truncated.
/// </para>
/// <para>
/// Each panel is estimated by MathNet's 31-point Gauss–Kronrod rule
/// (<see cref="GaussKronrodRule.Integrate(Func{double, double}, double, double, out double, out double, double, int, int)"/>
/// with depth 0), which also returns |K31 − G15| as its error estimate. The panel with the largest estimate is
/// halved until Σ|K31 − G15| ≤ max(<see cref="AbsoluteTolerance"/>, <see cref="RelativeTolerance"/>·∫|h|), or until
/// <see cref="MaximumPanels"/> panels exist. Because K31 is far more accurate than G15 on smooth panels, the
/// estimate overstates the true error by orders of magnitude.
/// </para>
/// <para>
/// Infinite integrand values stop the integration: a +∞ anywhere makes the integral +∞ (how KL(P‖Q) = ∞ arises
/// when P has mass where Q has none), a −∞ makes it −∞, and a NaN makes it NaN.
/// </para>
/// </remarks>
internal static class Integrator
{
    /// <summary>The relative tolerance on the summed error estimate, measured against ∫ |h|.</summary>
    public const double RelativeTolerance = 1e-12;

    /// <summary>The absolute tolerance on the summed error estimate.</summary>
    public const double AbsoluteTolerance = 1e-14;

    /// <summary>The panel budget; beyond it the best estimate so far is returned with <c>Converged = false</c>.</summary>
    public const int MaximumPanels = 4000;

    private const int KronrodPoints = 31;

    /// <summary>∫ h(x) dx over the real line, cut at the supports and breakpoints of <paramref name="densities"/>.</summary>
    public static QuadratureResult Integrate(Func<double, double> integrand, params ReadOnlySpan<IDensity> densities)
    {
        double lower = double.PositiveInfinity;
        double upper = double.NegativeInfinity;
        var cuts = new SortedSet<double>();
        foreach (IDensity density in densities)
        {
            Support support = density.Support;
            lower = ScalarMath.Min(lower, support.Lower);
            upper = ScalarMath.Max(upper, support.Upper);
            if (double.IsFinite(support.Lower))
            {
                cuts.Add(support.Lower);
            }

            if (double.IsFinite(support.Upper))
            {
                cuts.Add(support.Upper);
            }

            foreach (double x in density.Breakpoints)
            {
                if (double.IsFinite(x))
                {
                    cuts.Add(x);
                }
            }
        }

        // Only cuts inside the hull of the supports matter; the integrand is zero outside it.
        double[] points = [.. cuts.Where(x => x >= lower && x <= upper)];
        if (points.Length == 0)
        {
            points = [0.0];
        }

        // Infinite values are recorded and replaced by 0 so the rule can finish; the caller sees them after the panel.
        bool sawPositiveInfinity = false;
        bool sawNegativeInfinity = false;
        bool sawNaN = false;
        double Guarded(double x)
        {
            double y = integrand(x);
            if (double.IsFinite(y))
            {
                return y;
            }

            if (double.IsNaN(y))
            {
                sawNaN = true;
            }
            else if (y > 0)
            {
                sawPositiveInfinity = true;
            }
            else
            {
                sawNegativeInfinity = true;
            }

            return 0.0;
        }

        double scale = ScalarMath.Max(1.0, points[^1] - points[0]);
        double first = points[0];
        double last = points[^1];
        double LeftTail(double t) => MappedTail(Guarded, first, -scale, t);
        double RightTail(double t) => MappedTail(Guarded, last, scale, t);

        var queue = new PriorityQueue<Panel, double>();
        var panels = new List<Panel>();
        if (double.IsNegativeInfinity(lower))
        {
            panels.Add(Panel.Evaluate(LeftTail, 0.0, 1.0));
        }

        for (int i = 0; i + 1 < points.Length; i++)
        {
            panels.Add(Panel.Evaluate(Guarded, points[i], points[i + 1]));
        }

        if (double.IsPositiveInfinity(upper))
        {
            panels.Add(Panel.Evaluate(RightTail, 0.0, 1.0));
        }

        double? special = Special(sawPositiveInfinity, sawNegativeInfinity, sawNaN);
        if (special is double early)
        {
            return new QuadratureResult(early, 0.0, double.PositiveInfinity, panels.Count, true);
        }

        foreach (Panel panel in panels)
        {
            queue.Enqueue(panel, -panel.Error);
        }

        bool converged = false;
        while (true)
        {
            (double error, double absolute) = Totals(queue);
            if (error <= ScalarMath.Max(AbsoluteTolerance, RelativeTolerance * absolute))
            {
                converged = true;
                break;
            }

            if (queue.Count >= MaximumPanels)
            {
                break;
            }

            Panel worst = queue.Dequeue();
            double middle = 0.5 * (worst.Lower + worst.Upper);
            if (!(middle > worst.Lower && middle < worst.Upper))
            {
                // The panel cannot be halved in double precision: accept what there is.
                queue.Enqueue(worst, double.PositiveInfinity);
                break;
            }

            Panel left = Panel.Evaluate(worst.Function, worst.Lower, middle);
            Panel right = Panel.Evaluate(worst.Function, middle, worst.Upper);
            special = Special(sawPositiveInfinity, sawNegativeInfinity, sawNaN);
            if (special is double value)
            {
                return new QuadratureResult(value, 0.0, double.PositiveInfinity, queue.Count + 2, true);
            }

            queue.Enqueue(left, -left.Error);
            queue.Enqueue(right, -right.Error);
        }

        // A compensated (Neumaier) sum of the panel values.
        double sum = 0;
        double compensation = 0;
        double totalError = 0;
        double totalAbsolute = 0;
        foreach ((Panel panel, _) in queue.UnorderedItems)
        {
            double t = sum + panel.Value;
            compensation += Math.Abs(sum) >= Math.Abs(panel.Value) ? (sum - t) + panel.Value : (panel.Value - t) + sum;
            sum = t;
            totalError += panel.Error;
            totalAbsolute += panel.AbsoluteValue;
        }

        return new QuadratureResult(sum + compensation, totalError, totalAbsolute, queue.Count, converged);
    }

    private static (double Error, double Absolute) Totals(PriorityQueue<Panel, double> queue)
    {
        double error = 0;
        double absolute = 0;
        foreach ((Panel panel, _) in queue.UnorderedItems)
        {
            error += panel.Error;
            absolute += panel.AbsoluteValue;
        }

        return (error, absolute);
    }

    private static double? Special(bool positiveInfinity, bool negativeInfinity, bool nan) =>
        nan || (positiveInfinity && negativeInfinity) ? double.NaN :
        positiveInfinity ? double.PositiveInfinity :
        negativeInfinity ? double.NegativeInfinity :
        null;

    // ∫_c^∞ h(x) dx (or ∫_−∞^c for a negative scale) as ∫_0^1 h(c + s·t/(1−t)) |s|/(1−t)² dt.
    private static double MappedTail(Func<double, double> h, double origin, double scale, double t)
    {
        double gap = 1.0 - t;
        if (!(gap > 0))
        {
            return 0.0;
        }

        double value = h(origin + (scale * t / gap));
        return value == 0.0 ? 0.0 : value * Math.Abs(scale) / (gap * gap);
    }

    private readonly record struct Panel(Func<double, double> Function, double Lower, double Upper, double Value, double Error, double AbsoluteValue)
    {
        public static Panel Evaluate(Func<double, double> function, double lower, double upper)
        {
            double value = GaussKronrodRule.Integrate(function, lower, upper, out double error, out double absolute, RelativeTolerance, 0, KronrodPoints);
            return new Panel(function, lower, upper, value, error, absolute);
        }
    }
}
