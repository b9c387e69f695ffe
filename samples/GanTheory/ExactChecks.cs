using System.Globalization;
using GanCore.Theory;

namespace GanTheory;

/// <summary>One line of the exact-check table: a quantity computed by GanCore.Theory (by quadrature) against its closed form.</summary>
/// <param name="Check">Which identity is checked.</param>
/// <param name="Case">The densities it is checked on.</param>
/// <param name="Computed">The value GanCore computes numerically.</param>
/// <param name="Expected">The closed form.</param>
internal sealed record ExactCheck(string Check, string Case, double Computed, double Expected)
{
    /// <summary>|computed − expected|.</summary>
    public double Error => Math.Abs(Computed - Expected);
}

/// <summary>The exact checks of the theory: each number on the left is integrated, each on the right is a formula.</summary>
internal static class ExactChecks
{
    private static readonly double Log2 = Math.Log(2);

    /// <summary>Computes every row of the table.</summary>
    public static IReadOnlyList<ExactCheck> Compute()
    {
        var rows = new List<ExactCheck>();

        // 1. At p_g = p_data the virtual training criterion is at its global minimum −log 4.
        IDensity[] same = [new NormalDensity(0, 1), new UniformDensity(0, 1), new MixtureDensity([new NormalDensity(-2, 0.5), new NormalDensity(2, 1)], [0.3, 0.7])];
        foreach (IDensity p in same)
        {
            rows.Add(new ExactCheck("C(G) at p_g = p_data vs −log 4", Describe(p), Game.VirtualTrainingCriterion(p, p), Game.GlobalMinimum));
        }

        // 2. KL of two Gaussians: log(σ₂/σ₁) + (σ₁² + (μ₁ − μ₂)²)/(2σ₂²) − ½.
        (double M1, double S1, double M2, double S2)[] gaussians = [(0, 1, 1, 2), (1, 2, 0, 1), (0, 1, 1.5, 0.8), (0, 0.1, 0, 3)];
        foreach ((double m1, double s1, double m2, double s2) in gaussians)
        {
            double closed = Math.Log(s2 / s1) + (((s1 * s1) + ((m1 - m2) * (m1 - m2))) / (2 * s2 * s2)) - 0.5;
            rows.Add(new ExactCheck("KL of Gaussians vs closed form", $"{Normal(m1, s1)} ‖ {Normal(m2, s2)}", Divergences.KullbackLeibler(new NormalDensity(m1, s1), new NormalDensity(m2, s2)), closed));
        }

        // 3. JSD(U(0,1) ‖ U(s,1+s)) = s·log 2 for 0 ≤ s ≤ 1: only the parts outside the overlap contribute.
        foreach (double s in new[] { 0.1, 0.25, 0.5, 0.9 })
        {
            rows.Add(new ExactCheck("JSD of shifted uniforms vs s·log 2", Invariant($"U(0, 1) ‖ U({s}, {1 + s})"), Divergences.JensenShannon(new UniformDensity(0, 1), new UniformDensity(s, 1 + s)), s * Log2));
        }

        // 4. Disjoint supports: JSD is log 2, its maximum, however far apart they are.
        (double A, double B)[] disjoint = [(1, 2), (2, 3), (100, 101)];
        foreach ((double a, double b) in disjoint)
        {
            rows.Add(new ExactCheck("JSD of disjoint supports vs log 2", Invariant($"U(0, 1) ‖ U({a}, {b})"), Divergences.JensenShannon(new UniformDensity(0, 1), new UniformDensity(a, b)), Log2));
        }

        // 5. V(G, D*) = −log 4 + 2·JSD: the value at the optimal discriminator against the divergence.
        (double M1, double S1, double M2, double S2)[] pairs = [(0, 1, 1.5, 0.8), (0, 1, 0, 2), (0, 1, 5, 1), (-1, 0.5, 1, 0.5)];
        foreach ((double m1, double s1, double m2, double s2) in pairs)
        {
            var data = new NormalDensity(m1, s1);
            var generator = new NormalDensity(m2, s2);
            double value = Game.Value(data, generator, Game.OptimalDiscriminator(data, generator));
            rows.Add(new ExactCheck("V(G, D*) vs −log 4 + 2·JSD", $"{Normal(m1, s1)} ‖ {Normal(m2, s2)}", value, Game.GlobalMinimum + (2 * Divergences.JensenShannon(data, generator))));
        }

        // 6. W₁ in one dimension, from the quantile functions: equal-σ Gaussians are |μ₁ − μ₂| apart, shifted uniforms
        //    |s| apart, and U(0, a) against U(0, b) is |b − a|/2 apart.
        foreach ((double m1, double m2, double sd) in new[] { (0.0, 1.0, 1.0), (2.0, -1.5, 0.3) })
        {
            rows.Add(new ExactCheck("W₁ of equal-σ Gaussians vs |μ₁ − μ₂|", $"{Normal(m1, sd)} ‖ {Normal(m2, sd)}", Wasserstein.FromQuantiles(new NormalDensity(m1, sd), new NormalDensity(m2, sd)), Math.Abs(m1 - m2)));
        }

        foreach (double shift in new[] { 0.25, 3.0 })
        {
            rows.Add(new ExactCheck("W₁ of shifted uniforms vs |s|", Invariant($"U(0, 1) ‖ U({shift}, {1 + shift})"), Wasserstein.FromQuantiles(new UniformDensity(0, 1), new UniformDensity(shift, 1 + shift)), shift));
        }

        rows.Add(new ExactCheck("W₁ of scaled uniforms vs |b − a|/2", "U(0, 1) ‖ U(0, 3)", Wasserstein.FromQuantiles(new UniformDensity(0, 1), new UniformDensity(0, 3)), 1.0));

        return rows;
    }

    private static string Describe(IDensity density) => density switch
    {
        NormalDensity n => Normal(n.Mean, n.StandardDeviation),
        UniformDensity u => Invariant($"U({u.Lower}, {u.Upper})"),
        MixtureDensity => "0.3·N(−2, 0.5²) + 0.7·N(2, 1)",
        _ => density.ToString() ?? string.Empty,
    };

    private static string Normal(double mean, double standardDeviation) => Invariant($"N({mean}, {standardDeviation}²)");

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
