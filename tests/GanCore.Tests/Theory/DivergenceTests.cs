using GanCore.Theory;

namespace GanCore.Tests.Theory;

/// <summary>KL and JSD against closed forms, hand computations and their defining properties.</summary>
public class DivergenceTests
{
    private static readonly double Log2 = Math.Log(2);

    // KL(N(μ₁, σ₁²) ‖ N(μ₂, σ₂²)) = log(σ₂/σ₁) + (σ₁² + (μ₁ − μ₂)²)/(2σ₂²) − ½, written out independently of the library.
    private static double GaussianKl(double mu1, double sigma1, double mu2, double sigma2) =>
        Math.Log(sigma2 / sigma1) + (((sigma1 * sigma1) + ((mu1 - mu2) * (mu1 - mu2))) / (2 * sigma2 * sigma2)) - 0.5;

    public static TheoryData<double, double, double, double> GaussianPairs => new()
    {
        { 0, 1, 0, 1 },
        { 0, 1, 1, 1 },
        { 0, 1, 0, 2 },
        { 0, 2, 0, 1 },
        { -2, 0.5, 3, 1.5 },
        { 1, 0.1, 0, 3 },
        { 0, 3, 1, 0.1 },
        { 0, 1, 10, 1 },
        { 1000, 1e-3, 1000.002, 2e-3 },
    };

    [Theory]
    [MemberData(nameof(GaussianPairs))]
    public void KL_of_two_Gaussians_matches_the_closed_form(double mu1, double sigma1, double mu2, double sigma2)
    {
        double expected = GaussianKl(mu1, sigma1, mu2, sigma2);
        double actual = Divergences.KullbackLeibler(new NormalDensity(mu1, sigma1), new NormalDensity(mu2, sigma2));
        actual.Should().BeApproximately(expected, 1e-10 * Math.Max(1, expected));
    }

    [Fact]
    public void KL_of_a_uniform_against_a_normal_matches_the_closed_form()
    {
        // KL(U(a,b) ‖ N(μ,σ²)) = −log(b − a) + log(σ√(2π)) + E_U[(X − μ)²]/(2σ²), E_U[(X − μ)²] = (b − a)²/12 + ((a + b)/2 − μ)².
        const double a = -1, b = 2, mu = 0.3, sigma = 1.7;
        double second = ((b - a) * (b - a) / 12) + (((a + b) / 2) - mu) * (((a + b) / 2) - mu);
        double expected = -Math.Log(b - a) + Math.Log(sigma * Math.Sqrt(2 * Math.PI)) + (second / (2 * sigma * sigma));
        Divergences.KullbackLeibler(new UniformDensity(a, b), new NormalDensity(mu, sigma)).Should().BeApproximately(expected, 1e-12);
    }

    [Fact]
    public void KL_of_nested_uniforms_is_the_log_of_the_width_ratio()
    {
        // p = 1 on [0,1], q = 1/3 on [−1,2]: ∫₀¹ log 3 dx = log 3; the reverse puts mass where p = 0, so it is +∞.
        var p = new UniformDensity(0, 1);
        var q = new UniformDensity(-1, 2);
        Divergences.KullbackLeibler(p, q).Should().BeApproximately(Math.Log(3), 1e-14);
        Divergences.KullbackLeibler(q, p).Should().Be(double.PositiveInfinity);
    }

    [Fact]
    public void KL_is_infinite_when_P_has_mass_where_Q_has_none()
    {
        Divergences.KullbackLeibler(new NormalDensity(0, 1), new UniformDensity(-5, 5)).Should().Be(double.PositiveInfinity);
        Divergences.KullbackLeibler(new UniformDensity(0, 1), new UniformDensity(2, 3)).Should().Be(double.PositiveInfinity);
    }

    [Fact]
    public void KL_is_not_symmetric()
    {
        // N(0,1) against N(1,2²): log 2 + 2/8 − ½ ≈ 0.443 one way, log ½ + 5/2 − ½ ≈ 1.307 the other.
        var p = new NormalDensity(0, 1);
        var q = new NormalDensity(1, 2);
        double forward = Divergences.KullbackLeibler(p, q);
        double backward = Divergences.KullbackLeibler(q, p);
        forward.Should().BeApproximately(Log2 + 0.25 - 0.5, 1e-12);
        backward.Should().BeApproximately(-Log2 + 2.5 - 0.5, 1e-12);
        (backward - forward).Should().BeGreaterThan(0.8);
    }

    [Theory]
    [MemberData(nameof(DensityTests.DensityNames), MemberType = typeof(DensityTests))]
    public void KL_of_a_density_with_itself_is_zero(string name)
    {
        IDensity p = DensityTests.Make(name);
        Divergences.KullbackLeibler(p, p).Should().Be(0.0);
        Divergences.JensenShannon(p, p).Should().BeApproximately(0.0, 1e-15);
    }

    public static TheoryData<string, string> Pairs => new()
    {
        { "normal", "uniform" },
        { "uniform", "normal" },
        { "normal", "mixture" },
        { "mixture", "normal" },
        { "uniform", "histogram" },
        { "histogram", "mixture" },
        { "narrow normal far out", "normal" },
    };

    [Theory]
    [MemberData(nameof(Pairs))]
    public void KL_is_non_negative_and_JSD_is_symmetric_and_between_zero_and_log_2(string first, string second)
    {
        IDensity p = DensityTests.Make(first);
        IDensity q = DensityTests.Make(second);
        Divergences.KullbackLeibler(p, q).Should().BeGreaterThan(0.0);
        double jsd = Divergences.JensenShannon(p, q);
        jsd.Should().BeGreaterThan(0.0).And.BeLessThanOrEqualTo(Log2 + 1e-14);
        Divergences.JensenShannon(q, p).Should().BeApproximately(jsd, 1e-13);
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(0.1)]
    [InlineData(0.25)]
    [InlineData(0.5)]
    [InlineData(0.9)]
    [InlineData(1.0)]
    public void JSD_of_shifted_unit_uniforms_is_s_log_2(double s)
    {
        // U(0,1) and U(s,1+s) overlap on [s,1] (where m = p = q) and each has s of mass alone (where p/m = 2).
        double jsd = Divergences.JensenShannon(new UniformDensity(0, 1), new UniformDensity(s, 1 + s));
        jsd.Should().BeApproximately(s * Log2, 1e-14);
    }

    [Fact]
    public void JSD_of_disjoint_supports_is_log_2()
    {
        Divergences.JensenShannon(new UniformDensity(0, 1), new UniformDensity(2, 5)).Should().BeApproximately(Log2, 1e-14);
        Divergences.JensenShannon(new UniformDensity(0, 1), new HistogramDensity([1.0, 2.0, 4.0], [0.3, 0.7])).Should().BeApproximately(Log2, 1e-14);
    }

    [Fact]
    public void JSD_approaches_log_2_as_two_Gaussians_separate()
    {
        var p = new NormalDensity(0, 1);
        double previous = 0;
        foreach (double d in (double[])[0.5, 1, 2, 4, 8, 16, 40])
        {
            double jsd = Divergences.JensenShannon(p, new NormalDensity(d, 1));
            jsd.Should().BeGreaterThan(previous).And.BeLessThanOrEqualTo(Log2 + 1e-14);
            previous = jsd;
        }

        // At a separation of 40σ the overlap is about Φ(−20) ≈ 3e−89: JSD is log 2 to double precision.
        previous.Should().BeApproximately(Log2, 1e-13);
    }

    [Fact]
    public void Discrete_KL_and_JSD_match_hand_computations()
    {
        double[] p = [0.5, 0.5];
        double[] q = [0.9, 0.1];

        // KL(P‖Q) = ½ log(0.5/0.9) + ½ log(0.5/0.1) = ½ log(25/9) = log(5/3).
        Divergences.KullbackLeibler(p, q).Should().BeApproximately(Math.Log(5.0 / 3.0), 1e-15);

        // KL(Q‖P) = 0.9 log 1.8 + 0.1 log 0.2.
        Divergences.KullbackLeibler(q, p).Should().BeApproximately((0.9 * Math.Log(1.8)) + (0.1 * Math.Log(0.2)), 1e-15);

        // M = (0.7, 0.3): JSD = ½[½ log(5/7) + ½ log(5/3)] + ½[0.9 log(9/7) + 0.1 log(1/3)] ≈ 0.1017492.
        double expectedJsd = (0.5 * ((0.5 * Math.Log(5.0 / 7)) + (0.5 * Math.Log(5.0 / 3)))) + (0.5 * ((0.9 * Math.Log(9.0 / 7)) + (0.1 * Math.Log(1.0 / 3))));
        Divergences.JensenShannon(p, q).Should().BeApproximately(expectedJsd, 1e-15);
        expectedJsd.Should().BeApproximately(0.1017492, 1e-7);
    }

    [Fact]
    public void Discrete_divergences_follow_the_zero_conventions()
    {
        // 0·log 0 = 0: the empty third bin of P contributes nothing; Q's mass there makes KL(Q‖P) infinite.
        double[] p = [0.5, 0.5, 0.0];
        double[] q = [0.25, 0.25, 0.5];
        Divergences.KullbackLeibler(p, q).Should().BeApproximately(Math.Log(2), 1e-15);
        Divergences.KullbackLeibler(q, p).Should().Be(double.PositiveInfinity);
        Divergences.KullbackLeibler(p, p).Should().Be(0.0);

        Divergences.JensenShannon([1.0, 0.0], [0.0, 1.0]).Should().BeApproximately(Log2, 1e-15);
        Divergences.JensenShannon(q, q).Should().Be(0.0);
    }

    [Fact]
    public void Continuous_divergences_of_histograms_on_shared_bins_equal_the_discrete_ones()
    {
        // On common bins the widths cancel in p/q, so the integral reduces to the sum over bins.
        double[] edges = [0.0, 0.3, 1.0, 2.5, 3.0];
        double[] p = [0.1, 0.2, 0.3, 0.4];
        double[] q = [0.25, 0.25, 0.4, 0.1];
        var hp = new HistogramDensity(edges, p);
        var hq = new HistogramDensity(edges, q);
        Divergences.KullbackLeibler(hp, hq).Should().BeApproximately(Divergences.KullbackLeibler(p, q), 1e-14);
        Divergences.JensenShannon(hp, hq).Should().BeApproximately(Divergences.JensenShannon(p, q), 1e-14);
    }

    [Fact]
    public void Bad_arguments_are_rejected_with_the_parameter_named()
    {
        var f = new NormalDensity(0, 1);
        FluentActions.Invoking(() => Divergences.KullbackLeibler(null!, f)).Should().Throw<ArgumentNullException>().WithParameterName("p");
        FluentActions.Invoking(() => Divergences.KullbackLeibler(f, null!)).Should().Throw<ArgumentNullException>().WithParameterName("q");
        FluentActions.Invoking(() => Divergences.JensenShannon(null!, f)).Should().Throw<ArgumentNullException>().WithParameterName("p");
        FluentActions.Invoking(() => Divergences.JensenShannon(f, null!)).Should().Throw<ArgumentNullException>().WithParameterName("q");
        FluentActions.Invoking(() => Divergences.KullbackLeibler([0.5, 0.5], [1.0])).Should().Throw<ArgumentException>().WithParameterName("q");
        FluentActions.Invoking(() => Divergences.JensenShannon([0.5, 0.5], [0.2, 0.3, 0.5])).Should().Throw<ArgumentException>().WithParameterName("q");
        FluentActions.Invoking(() => Divergences.KullbackLeibler([0.5, 0.4], [0.5, 0.5])).Should().Throw<ArgumentException>().WithParameterName("p");
        FluentActions.Invoking(() => Divergences.KullbackLeibler([0.5, 0.5], [1.2, -0.2])).Should().Throw<ArgumentOutOfRangeException>().WithParameterName("q");
        FluentActions.Invoking(() => Divergences.JensenShannon([double.NaN, 1.0], [0.5, 0.5])).Should().Throw<ArgumentOutOfRangeException>().WithParameterName("p");
        FluentActions.Invoking(() => Divergences.KullbackLeibler([], [])).Should().Throw<ArgumentException>().WithParameterName("p");
    }
}
