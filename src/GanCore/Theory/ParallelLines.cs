using GanCore.Kernels;

namespace GanCore.Theory;

/// <summary>
/// The parallel-lines example of Arjovsky, Chintala and Bottou (2017, Example 1), computed. In the plane,
/// P₀ is the distribution of (0, Y) and P_θ that of (θ, Y), with Y ~ U(0, 1): two vertical unit segments a distance
/// |θ| apart. Then, for every θ ≠ 0,
/// JSD(P₀‖P_θ) = log 2, KL(P₀‖P_θ) = KL(P_θ‖P₀) = +∞, and W₁(P₀, P_θ) = |θ|;
/// at θ = 0 all of them are 0. Only W₁ tells a generator at θ = 0.1 that it is closer than one at θ = 1, so only
/// W₁ gives it a gradient to follow.
/// </summary>
/// <remarks>
/// <para>Every function here computes its value from the two distributions with the library's general tools
/// (quadrature of expectations, the discrete and continuous divergences); none returns the closed form. The
/// tests compare them with the closed forms.</para>
/// <para><b>Divergences.</b> Both distributions factor into a discrete x-coordinate and a uniform y-coordinate:
/// X is the point mass at 0 (resp. θ) and Y | X ~ U(0, 1). The chain rule of the Kullback–Leibler divergence,
/// KL(P_XY‖Q_XY) = KL(P_X‖Q_X) + Σₓ P_X(x)·KL(P_Y|x‖Q_Y|x), splits each divergence into a discrete part on the atoms
/// {0, θ} and a part for the conditionals, which are both U(0, 1) and contribute KL(U‖U) = 0. For θ ≠ 0 the atoms
/// differ, the supports are disjoint, P₀ puts mass 1 where P_θ puts none, and KL = +∞; the mixture
/// M = (P₀ + P_θ)/2 has mass ½ on each atom, so KL(P₀‖M) = 1·log(1/½) = log 2 and JSD = ½ log 2 + ½ log 2 = log 2.</para>
/// <para><b>Wasserstein.</b> An upper bound: the coupling that moves every point (0, y) straight across to (θ, y)
/// transports P₀ onto P_θ at cost E‖(0, Y) − (θ, Y)‖ = |θ|. A lower bound, from the Kantorovich–Rubinstein duality
/// W₁(P, Q) = sup over 1-Lipschitz f of E_P f − E_Q f: the function f(x, y) = −sign(θ)·x is 1-Lipschitz and gives
/// E_P₀ f − E_P_θ f = |θ|. The bounds meet, so W₁ = |θ| exactly, and it is continuous in θ where JSD jumps.</para>
/// </remarks>
public static class ParallelLines
{
    private static readonly UniformDensity s_segment = new(0.0, 1.0);

    /// <summary>JSD(P₀‖P_θ), in nats: log 2 for θ ≠ 0, 0 for θ = 0.</summary>
    /// <remarks>Computed by the chain rule as ½[KL(P₀ₓ‖Mₓ) + KL(P_θₓ‖Mₓ)] on the atoms, with
    /// <see cref="Divergences.KullbackLeibler(ReadOnlySpan{double}, ReadOnlySpan{double})"/>, plus the conditional terms
    /// KL(U(0,1)‖U(0,1)) by quadrature (<see cref="Divergences.KullbackLeibler(IDensity, IDensity)"/>); see the class remarks.</remarks>
    /// <param name="theta">θ, the horizontal offset of the second segment; finite.</param>
    /// <returns>JSD(P₀‖P_θ).</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="theta"/> is NaN or infinite.</exception>
    public static double JensenShannon(double theta)
    {
        (double[] first, double[] second) = Marginals(theta);
        double[] middle = new double[first.Length];
        for (int i = 0; i < middle.Length; i++)
        {
            middle[i] = 0.5 * (first[i] + second[i]);
        }

        // The conditionals of Y given the atom are U(0, 1) for P₀, P_θ and M alike.
        double conditional = Divergences.KullbackLeibler(s_segment, s_segment);
        double toMiddleFromFirst = Divergences.KullbackLeibler(first, middle) + conditional;
        double toMiddleFromSecond = Divergences.KullbackLeibler(second, middle) + conditional;
        return (0.5 * toMiddleFromFirst) + (0.5 * toMiddleFromSecond);
    }

    /// <summary>KL(P₀‖P_θ), in nats: +∞ for θ ≠ 0 (P₀ has all its mass where P_θ has none), 0 for θ = 0.</summary>
    /// <remarks>Computed by the chain rule: the discrete KL of the x-coordinates plus the conditional KL(U(0,1)‖U(0,1)) by quadrature. By symmetry of the example KL(P_θ‖P₀) is the same.</remarks>
    /// <param name="theta">θ; finite.</param>
    /// <returns>KL(P₀‖P_θ), possibly +∞.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="theta"/> is NaN or infinite.</exception>
    public static double KullbackLeibler(double theta)
    {
        (double[] first, double[] second) = Marginals(theta);
        double discrete = Divergences.KullbackLeibler(first, second);
        return double.IsPositiveInfinity(discrete) ? discrete : discrete + Divergences.KullbackLeibler(s_segment, s_segment);
    }

    /// <summary>
    /// The transport cost of the coupling (x, y) ↦ (x + θ, y): E‖(0, Y) − (θ, Y)‖ with Y ~ U(0, 1), by quadrature.
    /// An upper bound on W₁(P₀, P_θ), since W₁ is the least cost over all couplings.
    /// </summary>
    /// <param name="theta">θ; finite.</param>
    /// <returns>The cost, |θ|.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="theta"/> is NaN or infinite.</exception>
    public static double CouplingCost(double theta)
    {
        CheckTheta(theta);
        return Expectation.Quadrature(s_segment, y => Distance(0.0, y, theta, y));
    }

    /// <summary>
    /// The Kantorovich–Rubinstein lower bound E_P₀ f − E_P_θ f for the 1-Lipschitz function f(x, y) = −sign(θ)·x, each
    /// expectation by quadrature over Y ~ U(0, 1). A lower bound on W₁(P₀, P_θ), since W₁ is the supremum of this
    /// difference over all 1-Lipschitz f.
    /// </summary>
    /// <param name="theta">θ; finite.</param>
    /// <returns>The bound, |θ|.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="theta"/> is NaN or infinite.</exception>
    public static double DualLowerBound(double theta)
    {
        CheckTheta(theta);
        double sign = theta < 0 ? -1.0 : 1.0;
        double Critic(double x, double y) => -sign * x;
        return Expectation.Quadrature(s_segment, y => Critic(0.0, y)) - Expectation.Quadrature(s_segment, y => Critic(theta, y));
    }

    /// <summary>
    /// W₁(P₀, P_θ) = |θ|: the <see cref="CouplingCost"/>, after checking that it meets the <see cref="DualLowerBound"/>
    /// (which proves it optimal).
    /// </summary>
    /// <param name="theta">θ; finite.</param>
    /// <returns>W₁(P₀, P_θ).</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="theta"/> is NaN or infinite.</exception>
    /// <exception cref="InvalidOperationException">The bounds differ by more than 1e−12·(1 + |θ|) (a quadrature failure; not expected).</exception>
    public static double Wasserstein(double theta)
    {
        double upper = CouplingCost(theta);
        double lower = DualLowerBound(theta);
        if (!(Math.Abs(upper - lower) <= 1e-12 * (1 + Math.Abs(theta))))
        {
            throw new InvalidOperationException(FormattableString.Invariant($"The coupling cost {upper} and the dual bound {lower} do not meet at θ = {theta}."));
        }

        return upper;
    }

    // The x-coordinates of P₀ and P_θ as probability vectors over the atoms: {0} when θ = 0, else {0, θ}.
    private static (double[] First, double[] Second) Marginals(double theta)
    {
        CheckTheta(theta);
        return theta == 0.0 ? ([1.0], [1.0]) : ([1.0, 0.0], [0.0, 1.0]);
    }

    // The Euclidean distance, scaled so that squaring a large offset cannot overflow.
    private static double Distance(double x1, double y1, double x2, double y2)
    {
        double a = Math.Abs(x1 - x2);
        double b = Math.Abs(y1 - y2);
        double larger = ScalarMath.Max(a, b);
        if (larger == 0.0)
        {
            return 0.0;
        }

        double ratio = ScalarMath.Min(a, b) / larger;
        return larger * Math.Sqrt(1.0 + (ratio * ratio));
    }

    private static void CheckTheta(double theta)
    {
        if (!double.IsFinite(theta))
        {
            throw new ArgumentOutOfRangeException(nameof(theta), theta, "θ, the offset of the second segment, must be finite.");
        }
    }
}
