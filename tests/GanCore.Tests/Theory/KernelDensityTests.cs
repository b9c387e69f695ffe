using GanCore.Randomness;
using GanCore.Theory;
using MathNet.Numerics.Distributions;

namespace GanCore.Tests.Theory;

/// <summary>The Gaussian kernel density estimate: against the plain sum, its moments, Silverman's rule, and use with the divergences.</summary>
public class KernelDensityTests
{
    private static double[] Draw(int n, double mean, double sd, ulong seed)
    {
        var random = new RandomSource(seed);
        return [.. Enumerable.Range(0, n).Select(_ => random.NextGaussian(mean, sd))];
    }

    [Fact]
    public void Density_and_F_match_the_plain_sum_over_every_sample()
    {
        double[] samples = Draw(400, 2, 0.7, 1);
        var kde = new KernelDensity(samples, 0.15);
        foreach (double x in new[] { -3.0, 0.0, 1.1, 2.0, 2.9, 5.0, 9.0 })
        {
            double density = samples.Sum(s => Normal.PDF(s, 0.15, x)) / samples.Length;
            double cdf = samples.Sum(s => Normal.CDF(s, 0.15, x)) / samples.Length;
            kde.Density(x).Should().BeApproximately(density, 1e-13 * density + 1e-300, $"x = {x}");
            kde.CumulativeDistribution(x).Should().BeApproximately(cdf, 1e-14, $"x = {x}");
        }
    }

    [Fact]
    public void The_log_density_stays_finite_and_exact_far_in_the_tails()
    {
        var kde = new KernelDensity([0.0, 1.0], 0.5);

        // At x = 60 both kernels underflow, but log f̂ = log(½ φ(120)/0.5 + ½ φ(118)/0.5), dominated by the nearer one.
        double expected = Math.Log(0.5 / 0.5) + Normal.PDFLn(0, 1, 118) + Math.Log(1 + Math.Exp(0.5 * ((118.0 * 118) - (120.0 * 120))));
        kde.Density(60).Should().Be(0);
        kde.LogDensity(60).Should().BeApproximately(expected, 1e-12 * Math.Abs(expected));
        kde.LogDensity(double.PositiveInfinity).Should().Be(double.NegativeInfinity);
        kde.LogDensity(1e300).Should().Be(double.NegativeInfinity);
        double.IsNaN(kde.LogDensity(double.NaN)).Should().BeTrue();
    }

    [Fact]
    public void It_integrates_to_one_with_the_sample_mean_and_the_sample_variance_plus_h_squared()
    {
        double[] samples = Draw(1000, -1, 2, 2);
        var kde = new KernelDensity(samples);
        double mean = samples.Average();
        double biasedVariance = samples.Sum(s => (s - mean) * (s - mean)) / samples.Length;

        Expectation.Quadrature(kde, _ => 1.0).Should().BeApproximately(1.0, 1e-12);
        Expectation.Quadrature(kde, x => x).Should().BeApproximately(mean, 1e-11);
        Expectation.Quadrature(kde, x => (x - mean) * (x - mean)).Should().BeApproximately(biasedVariance + (kde.Bandwidth * kde.Bandwidth), 1e-10);
    }

    [Fact]
    public void Silverman_bandwidth_matches_the_hand_computation()
    {
        // 1..5: s = √2.5 = 1.5811; IQR (type 7) = 4 − 2 = 2, /1.34 = 1.4925 < s; h = 0.9 · 1.4925 · 5^(−1/5).
        double expected = 0.9 * (2 / 1.34) * Math.Pow(5, -0.2);
        KernelDensity.SilvermanBandwidth([3.0, 1.0, 2.0, 5.0, 4.0]).Should().BeApproximately(expected, 1e-15);
        new KernelDensity([3.0, 1.0, 2.0, 5.0, 4.0]).Bandwidth.Should().BeApproximately(expected, 1e-15);

        // Heavy middle: the IQR is 0, so the standard deviation is used.
        double[] tied = [0.0, 1.0, 1.0, 1.0, 1.0, 1.0, 2.0];
        double sd = Math.Sqrt(2.0 / 6.0);
        KernelDensity.SilvermanBandwidth(tied).Should().BeApproximately(0.9 * sd * Math.Pow(7, -0.2), 1e-15);
    }

    [Fact]
    public void The_estimate_of_many_normal_samples_is_close_to_the_normal()
    {
        var truth = new NormalDensity(4, 0.5);
        var kde = new KernelDensity(Draw(4000, 4, 0.5, 3));

        // Smoothing widens the estimate by h² in variance and sampling moves it by O(1/√n): both are small.
        Divergences.JensenShannon(truth, kde).Should().BeLessThan(2e-3);
        Wasserstein.FromDistributionFunctions(truth, kde).Should().BeLessThan(0.03);
        Divergences.JensenShannon(new NormalDensity(0, 0.5), kde).Should().BeGreaterThan(0.68, "far apart, the JSD approaches log 2");
    }

    [Fact]
    public void Samples_of_the_estimate_have_its_mean()
    {
        var kde = new KernelDensity(Draw(200, 3, 1, 4));
        var random = new RandomSource(9);
        double mean = Enumerable.Range(0, 200_000).Select(_ => kde.Sample(random)).Average();
        double sd = Math.Sqrt(Expectation.Quadrature(kde, x => (x - 3) * (x - 3)));
        mean.Should().BeApproximately(kde.Samples.Average(), 5 * sd / Math.Sqrt(200_000));
    }

    [Fact]
    public void Samples_are_kept_sorted_and_breakpoints_cover_them()
    {
        var kde = new KernelDensity([5.0, -3.0, 0.0, 100.0], 0.5);
        kde.Samples.Should().Equal(-3.0, 0.0, 5.0, 100.0);
        kde.Breakpoints.Should().BeInAscendingOrder();
        kde.Breakpoints.Should().Contain(x => Math.Abs(x - 100) <= 0.5);
        kde.Breakpoints.Should().NotContain(x => x > 20 && x < 90, "points far from every sample are not cut");
    }

    [Fact]
    public void Bad_input_is_rejected_with_the_parameter_named()
    {
        FluentActions.Invoking(() => new KernelDensity([])).Should().Throw<ArgumentException>().WithParameterName("samples");
        FluentActions.Invoking(() => new KernelDensity([1.0])).Should().Throw<ArgumentException>().WithParameterName("samples").WithMessage("*two samples*");
        FluentActions.Invoking(() => new KernelDensity([2.0, 2.0, 2.0])).Should().Throw<ArgumentException>().WithParameterName("samples").WithMessage("*all 3 samples equal 2*");
        FluentActions.Invoking(() => new KernelDensity([1.0, double.NaN])).Should().Throw<ArgumentOutOfRangeException>().WithParameterName("samples").WithMessage("*Sample 1*");
        FluentActions.Invoking(() => new KernelDensity([1.0], 0.0)).Should().Throw<ArgumentOutOfRangeException>().WithParameterName("bandwidth");
        FluentActions.Invoking(() => new KernelDensity([1.0], double.NaN)).Should().Throw<ArgumentOutOfRangeException>().WithParameterName("bandwidth");
        FluentActions.Invoking(() => new KernelDensity([1.0], 1.0).Sample(null!)).Should().Throw<ArgumentNullException>();
        new KernelDensity([1.0], 0.5).Density(1.0).Should().BeApproximately(Normal.PDF(1, 0.5, 1), 1e-15, "one sample and a bandwidth are enough");
    }
}
