using GanCore.Randomness;
using GanCore.Theory;
using MathNet.Numerics;
using MathNet.Numerics.Distributions;
using MathNet.Numerics.Integration;

namespace GanCore.Tests.Theory;

/// <summary>
/// W₁ in one dimension: the quantile form and the distribution-function form against closed forms and against an
/// independent integration; the empirical estimator exactly on small cases and converging on large ones.
/// </summary>
public class WassersteinTests
{
    // W₁ between N(μ₁, σ₁²) and N(μ₂, σ₂²): F₁⁻¹(u) − F₂⁻¹(u) = m + s·Φ⁻¹(u) with m = μ₁ − μ₂ and s = σ₁ − σ₂, so
    // W₁ = E|m + sZ|, the mean of a folded normal: |s|·√(2/π)·exp(−m²/(2s²)) + m·(1 − 2Φ(−m/|s|)).
    private static double GaussianClosedForm(double mu1, double sigma1, double mu2, double sigma2)
    {
        double m = mu1 - mu2;
        double s = Math.Abs(sigma1 - sigma2);
        return s == 0
            ? Math.Abs(m)
            : (s * Math.Sqrt(2 / Math.PI) * Math.Exp(-m * m / (2 * s * s))) + (m * (1 - (2 * Normal.CDF(0, 1, -m / s))));
    }

    // ∫|F − G| dx computed without GanCore: MathNet's distribution functions and its Gauss–Kronrod rule on
    // [lo, hi] (beyond ±40σ both differences are below 1e−300), cut into 400 pieces and at the one point where the
    // two distribution functions cross, x* = (μ₁σ₂ − μ₂σ₁)/(σ₂ − σ₁), so that every piece is smooth.
    private static double DirectIntegral(double mu1, double sigma1, double mu2, double sigma2)
    {
        double lo = Math.Min(mu1 - (40 * sigma1), mu2 - (40 * sigma2));
        double hi = Math.Max(mu1 + (40 * sigma1), mu2 + (40 * sigma2));
        var cuts = new SortedSet<double>(Enumerable.Range(0, 401).Select(i => lo + ((hi - lo) * i / 400)));
        if (sigma1 != sigma2)
        {
            cuts.Add(((mu1 * sigma2) - (mu2 * sigma1)) / (sigma2 - sigma1));
        }

        double[] points = [.. cuts.Where(x => x >= lo && x <= hi)];
        double sum = 0;
        for (int i = 0; i + 1 < points.Length; i++)
        {
            sum += GaussKronrodRule.Integrate(x => Math.Abs(Normal.CDF(mu1, sigma1, x) - Normal.CDF(mu2, sigma2, x)), points[i], points[i + 1], out _, out _, 1e-15, 8, 61);
        }

        return sum;
    }

    [Theory]
    [InlineData(0.0, 1.0, 1.0, 1.0)]
    [InlineData(0.0, 1.0, -3.5, 1.0)]
    [InlineData(2.0, 0.1, 2.25, 0.1)]
    [InlineData(1000.0, 5.0, -1000.0, 5.0)]
    public void Gaussians_with_equal_sigma_are_the_difference_of_their_means_apart(double mu1, double sigma, double mu2, double sigma2)
    {
        var p = new NormalDensity(mu1, sigma);
        var q = new NormalDensity(mu2, sigma2);
        double expected = Math.Abs(mu1 - mu2);

        Wasserstein.FromQuantiles(p, q).Should().BeApproximately(expected, 1e-12 * expected);
        Wasserstein.FromDistributionFunctions(p, q).Should().BeApproximately(expected, 1e-12 * expected);
    }

    [Theory]
    [InlineData(0.0, 1.0, 0.0, 2.0)]
    [InlineData(0.0, 1.0, 1.5, 0.8)]
    [InlineData(-1.0, 0.5, 3.0, 2.0)]
    [InlineData(4.0, 0.5, 0.2, 0.05)]
    [InlineData(0.0, 1.0, 0.1, 3.0)]
    public void Gaussians_in_general_match_the_folded_normal_closed_form_and_a_direct_integral(double mu1, double sigma1, double mu2, double sigma2)
    {
        var p = new NormalDensity(mu1, sigma1);
        var q = new NormalDensity(mu2, sigma2);
        double closed = GaussianClosedForm(mu1, sigma1, mu2, sigma2);
        double direct = DirectIntegral(mu1, sigma1, mu2, sigma2);

        direct.Should().BeApproximately(closed, 1e-10 * closed, "the independent integral checks the closed form itself");
        Wasserstein.FromQuantiles(p, q).Should().BeApproximately(closed, 1e-11 * closed);
        Wasserstein.FromDistributionFunctions(p, q).Should().BeApproximately(closed, 1e-11 * closed);
        Wasserstein.FromQuantiles(q, p).Should().BeApproximately(closed, 1e-11 * closed, "W₁ is symmetric");
    }

    [Theory]
    [InlineData(0.25)]
    [InlineData(-0.7)]
    [InlineData(1.0)]
    [InlineData(3.0)]
    [InlineData(1e-9)]
    public void Shifted_uniforms_are_the_shift_apart(double shift)
    {
        var p = new UniformDensity(0, 1);
        var q = new UniformDensity(shift, 1 + shift);
        double expected = Math.Abs(shift);

        Wasserstein.FromQuantiles(p, q).Should().BeApproximately(expected, 1e-13 * (1 + expected));
        Wasserstein.FromDistributionFunctions(p, q).Should().BeApproximately(expected, 1e-13 * (1 + expected));
    }

    [Theory]
    // U(0, a) against U(0, b): the quantiles differ by u·(b − a), so W₁ = |b − a|/2.
    [InlineData(0.0, 1.0, 0.0, 3.0, 1.0)]
    [InlineData(0.0, 2.0, 0.0, 0.5, 0.75)]
    // U(−1, 1) against U(−2, 2): the quantiles differ by 2u − 1, so W₁ = ∫|2u − 1| du = ½.
    [InlineData(-1.0, 1.0, -2.0, 2.0, 0.5)]
    // U(0, 1) against U(0.25, 0.75): difference 0.25 − u/2 changes sign at u = ½; W₁ = 2·∫₀^½ (0.25 − u/2) du = 0.125.
    [InlineData(0.0, 1.0, 0.25, 0.75, 0.125)]
    public void Scaled_uniforms_match_the_integral_of_the_linear_quantile_difference(double a, double b, double c, double d, double expected)
    {
        var p = new UniformDensity(a, b);
        var q = new UniformDensity(c, d);

        Wasserstein.FromQuantiles(p, q).Should().BeApproximately(expected, 1e-13);
        Wasserstein.FromDistributionFunctions(p, q).Should().BeApproximately(expected, 1e-13);
    }

    [Fact]
    public void A_histogram_against_a_uniform_matches_the_hand_computation()
    {
        // Mass ¾ on [0, ½) and ¼ on [½, 1] against U(0, 1): F_h(x) = 1.5x on [0, ½], ¾ + (x − ½)/2 after; F_u = x.
        // |F_h − F_u| = x/2 on [0, ½] and (1 − x)/2 on [½, 1]: a triangle of area ⅛.
        var histogram = new HistogramDensity([0.0, 0.5, 1.0], [0.75, 0.25]);
        var uniform = new UniformDensity(0, 1);

        Wasserstein.FromQuantiles(histogram, uniform).Should().BeApproximately(0.125, 1e-14);
        Wasserstein.FromDistributionFunctions(histogram, uniform).Should().BeApproximately(0.125, 1e-14);
    }

    [Fact]
    public void The_two_forms_agree_on_mixtures_histograms_and_kernel_estimates()
    {
        var random = new RandomSource(5);
        double[] samples = [.. Enumerable.Range(0, 40).Select(_ => random.NextGaussian(1, 0.7))];
        ICumulativeDistribution[] distributions =
        [
            new MixtureDensity([new NormalDensity(-2, 0.5), new NormalDensity(2, 1)], [0.3, 0.7]),
            new HistogramDensity([-1.0, 0.0, 0.5, 3.0], [0.2, 0.0, 0.8]),
            new KernelDensity(samples),
            new NormalDensity(0.5, 1.2),
            new UniformDensity(-3, 1),
        ];

        for (int i = 0; i < distributions.Length; i++)
        {
            for (int j = i + 1; j < distributions.Length; j++)
            {
                double byQuantiles = Wasserstein.FromQuantiles(distributions[i], distributions[j]);
                double byDistributionFunctions = Wasserstein.FromDistributionFunctions(distributions[i], distributions[j]);
                byQuantiles.Should().BeApproximately(byDistributionFunctions, 1e-9 * byDistributionFunctions, $"pair {i}, {j}");
            }
        }
    }

    [Fact]
    public void Identical_distributions_are_zero_apart_and_the_triangle_inequality_holds()
    {
        var a = new NormalDensity(0, 1);
        var b = new UniformDensity(-1, 2);
        var c = new MixtureDensity([new NormalDensity(-2, 0.5), new NormalDensity(2, 1)], [0.5, 0.5]);

        Wasserstein.FromQuantiles(a, a).Should().Be(0);
        Wasserstein.FromDistributionFunctions(c, c).Should().Be(0);
        Wasserstein.FromQuantiles(a, c).Should().BeLessThanOrEqualTo(Wasserstein.FromQuantiles(a, b) + Wasserstein.FromQuantiles(b, c));
    }

    [Fact]
    public void Empirical_equal_sizes_pair_the_sorted_values()
    {
        Wasserstein.Empirical([2.0, 0.0, 1.0], [3.0, 1.0, 2.0]).Should().Be(1.0);
        Wasserstein.Empirical([0.0, 10.0], [5.0, 5.0]).Should().Be(5.0);
        Wasserstein.Empirical([1.5], [-1.5]).Should().Be(3.0);
    }

    [Fact]
    public void Empirical_unequal_sizes_integrate_the_merged_step_functions_exactly()
    {
        // {0} against {0, 1}: F_a = 1 from 0 on, F_b = ½ on [0, 1): area ½.
        Wasserstein.Empirical([0.0], [0.0, 1.0]).Should().Be(0.5);

        // {0, 3} against {1, 2, 4}: on [0,1) |½ − 0|, [1,2) |½ − ⅓|, [2,3) |½ − ⅔|, [3,4) |1 − ⅔|: ½ + ⅙ + ⅙ + ⅓ = 7/6.
        Wasserstein.Empirical([3.0, 0.0], [4.0, 1.0, 2.0]).Should().BeApproximately(7.0 / 6.0, 1e-15);
    }

    [Fact]
    public void The_merged_form_agrees_with_the_sorted_pairs_for_equal_sizes()
    {
        var random = new RandomSource(11);
        double[] a = [.. Enumerable.Range(0, 500).Select(_ => random.NextGaussian())];
        double[] b = [.. Enumerable.Range(0, 500).Select(_ => random.NextUniform(-1, 3))];
        double paired = Wasserstein.Empirical(a, b);

        Array.Sort(a);
        Array.Sort(b);
        Wasserstein.MergedDistributionFunctions(a, b).Should().BeApproximately(paired, 1e-13);
    }

    [Fact]
    public void Empirical_converges_to_the_distance_of_the_distributions()
    {
        // N(0, 1) against N(1, 1), W₁ = 1. The error of the estimate shrinks like 1/√n; for a pure shift it is
        // at least the difference of the sample means, whose standard deviation is √(2/n). The tolerance is 5√(2/n)
        // plus the part of W₁ that the noise between the sorted pairs adds (also of order 1/√n).
        var random = new RandomSource(2026);
        foreach (int n in new[] { 1_000, 10_000, 100_000 })
        {
            double[] a = [.. Enumerable.Range(0, n).Select(_ => random.NextGaussian(0, 1))];
            double[] b = [.. Enumerable.Range(0, n).Select(_ => random.NextGaussian(1, 1))];
            double error = Math.Abs(Wasserstein.Empirical(a, b) - 1.0);

            error.Should().BeLessThan(5 * Math.Sqrt(2.0 / n), $"n = {n}");
        }

        // Unequal sizes (merged form), against the closed form for N(0, 1) vs N(0.5, 2²).
        double[] c = [.. Enumerable.Range(0, 40_000).Select(_ => random.NextGaussian(0, 1))];
        double[] d = [.. Enumerable.Range(0, 25_000).Select(_ => random.NextGaussian(0.5, 2))];
        Wasserstein.Empirical(c, d).Should().BeApproximately(GaussianClosedForm(0, 1, 0.5, 2), 0.05);
    }

    [Fact]
    public void Empirical_rejects_empty_and_non_finite_samples()
    {
        FluentActions.Invoking(() => Wasserstein.Empirical([], [1.0])).Should().Throw<ArgumentException>().WithParameterName("first");
        FluentActions.Invoking(() => Wasserstein.Empirical([1.0], [])).Should().Throw<ArgumentException>().WithParameterName("second");
        FluentActions.Invoking(() => Wasserstein.Empirical([1.0, double.NaN], [1.0])).Should().Throw<ArgumentOutOfRangeException>()
            .WithParameterName("first").WithMessage("*Value 1*");
        FluentActions.Invoking(() => Wasserstein.Empirical([1.0], [double.PositiveInfinity])).Should().Throw<ArgumentOutOfRangeException>().WithParameterName("second");
    }

    [Fact]
    public void Null_distributions_are_rejected()
    {
        var p = new NormalDensity(0, 1);
        FluentActions.Invoking(() => Wasserstein.FromQuantiles(null!, p)).Should().Throw<ArgumentNullException>().WithParameterName("p");
        FluentActions.Invoking(() => Wasserstein.FromDistributionFunctions(p, null!)).Should().Throw<ArgumentNullException>().WithParameterName("q");
    }

    [Fact]
    public void A_mixture_with_a_component_that_has_no_distribution_function_is_refused()
    {
        var mixture = new MixtureDensity([new NormalDensity(0, 1), new DensityWithoutDistributionFunction()], [0.5, 0.5]);
        FluentActions.Invoking(() => Wasserstein.FromQuantiles(mixture, new NormalDensity(0, 1)))
            .Should().Throw<NotSupportedException>().WithMessage("*component 1*");
    }

    private sealed class DensityWithoutDistributionFunction : IDensity
    {
        public Support Support => new(0, 1);

        public IReadOnlyList<double> Breakpoints => [0.0, 1.0];

        public double Density(double x) => Support.Contains(x) ? 1 : 0;

        public double LogDensity(double x) => Support.Contains(x) ? 0 : double.NegativeInfinity;

        public double Sample(RandomSource random) => random.NextDouble();
    }
}
