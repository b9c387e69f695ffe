using GanCore.Randomness;
using GanCore.Theory;

namespace GanCore.Tests.Theory;

/// <summary>E[g(X)] by quadrature, by Monte Carlo, and as a discrete sum.</summary>
public class ExpectationTests
{
    [Fact]
    public void Quadrature_gives_the_closed_form_moments_of_a_normal()
    {
        // X ~ N(1, 2²): E[X²] = μ² + σ² = 5, E[X⁴] = μ⁴ + 6μ²σ² + 3σ⁴ = 1 + 24 + 48 = 73, E[e^X] = e^(μ + σ²/2) = e³.
        var f = new NormalDensity(1, 2);
        Expectation.Quadrature(f, x => x * x).Should().BeApproximately(5.0, 1e-11);
        Expectation.Quadrature(f, x => x * x * x * x).Should().BeApproximately(73.0, 1e-10);
        Expectation.Quadrature(f, Math.Exp).Should().BeApproximately(Math.Exp(3.0), 1e-10);
    }

    [Fact]
    public void Quadrature_does_not_call_g_where_the_density_is_zero()
    {
        // log x is −∞ at 0 and NaN below it, but U(1, 2) has no mass there: E[log X] = 2 log 2 − 1.
        var f = new UniformDensity(1, 2);
        Expectation.Quadrature(f, x => x >= 1 ? Math.Log(x) : double.NaN).Should().BeApproximately((2 * Math.Log(2)) - 1, 1e-13);
    }

    [Fact]
    public void Quadrature_of_an_infinite_integrand_is_infinite()
    {
        var f = new NormalDensity(0, 1);
        Expectation.Quadrature(f, x => x > 1 ? double.NegativeInfinity : 0).Should().Be(double.NegativeInfinity);
        Expectation.Quadrature(f, x => x > 1 ? double.PositiveInfinity : 0).Should().Be(double.PositiveInfinity);
    }

    public static TheoryData<string, int> MonteCarloCases => new()
    {
        { "normal", 1_000 },
        { "normal", 100_000 },
        { "uniform", 1_000 },
        { "uniform", 100_000 },
        { "mixture", 1_000 },
        { "mixture", 100_000 },
        { "histogram", 100_000 },
    };

    [Theory]
    [MemberData(nameof(MonteCarloCases))]
    public void Monte_Carlo_is_within_z_sigma_over_root_n_of_quadrature(string name, int n)
    {
        // z = 4: a fair estimate lands outside ±4σ/√n with probability 6e−5. σ is the standard deviation of g(X),
        // computed by quadrature; the seed is fixed, so the test is deterministic.
        const double z = 4.0;
        IDensity f = DensityTests.Make(name);
        static double G(double x) => (x * x) + Math.Sin(3 * x);
        double exact = Expectation.Quadrature(f, G);
        double sigma = Math.Sqrt(Expectation.Quadrature(f, x => (G(x) - exact) * (G(x) - exact)));

        MonteCarloEstimate estimate = Expectation.MonteCarlo(f, G, n, new RandomSource(12345));

        estimate.SampleCount.Should().Be(n);
        estimate.Mean.Should().BeApproximately(exact, z * sigma / Math.Sqrt(n));
        estimate.StandardError.Should().BeApproximately(sigma / Math.Sqrt(n), 0.15 * sigma / Math.Sqrt(n));
    }

    [Fact]
    public void Monte_Carlo_error_shrinks_like_one_over_root_n()
    {
        // Averaged over 40 seeds, the RMS error at n = 10 000 is about 10 times that at n = 100 (√100 = 10).
        var f = new NormalDensity(0, 1);
        double RmsError(int n)
        {
            double sum = 0;
            for (ulong seed = 1; seed <= 40; seed++)
            {
                double error = Expectation.MonteCarlo(f, x => x * x, n, new RandomSource(seed)).Mean - 1.0;
                sum += error * error;
            }

            return Math.Sqrt(sum / 40);
        }

        double ratio = RmsError(100) / RmsError(10_000);
        ratio.Should().BeInRange(10 / 1.6, 10 * 1.6);
    }

    [Fact]
    public void Monte_Carlo_is_reproducible_at_a_fixed_seed()
    {
        var f = new NormalDensity(0, 1);
        MonteCarloEstimate a = Expectation.MonteCarlo(f, Math.Abs, 1000, new RandomSource(99));
        MonteCarloEstimate b = Expectation.MonteCarlo(f, Math.Abs, 1000, new RandomSource(99));
        a.Should().Be(b);
    }

    [Fact]
    public void Discrete_expectation_is_the_weighted_sum()
    {
        // 0.2·1² + 0.3·2² + 0.5·3² = 0.2 + 1.2 + 4.5.
        Expectation.Discrete([0.2, 0.3, 0.5], [1, 2, 3], x => x * x).Should().BeApproximately(5.9, 1e-15);

        // A zero-probability point is skipped, even where g is −∞.
        Expectation.Discrete([0.5, 0.5, 0.0], [1, Math.E, 0], Math.Log).Should().BeApproximately(0.5, 1e-15);
    }

    [Fact]
    public void Bad_arguments_are_rejected_with_the_parameter_named()
    {
        var f = new NormalDensity(0, 1);
        var random = new RandomSource(1);
        FluentActions.Invoking(() => Expectation.Quadrature(null!, x => x)).Should().Throw<ArgumentNullException>().WithParameterName("density");
        FluentActions.Invoking(() => Expectation.Quadrature(f, null!)).Should().Throw<ArgumentNullException>().WithParameterName("g");
        FluentActions.Invoking(() => Expectation.MonteCarlo(f, x => x, 1, random)).Should().Throw<ArgumentOutOfRangeException>().WithParameterName("sampleCount");
        FluentActions.Invoking(() => Expectation.MonteCarlo(f, x => x, 10, null!)).Should().Throw<ArgumentNullException>().WithParameterName("random");
        FluentActions.Invoking(() => Expectation.Discrete([0.5, 0.5], [1.0], x => x)).Should().Throw<ArgumentException>().WithParameterName("points");
        FluentActions.Invoking(() => Expectation.Discrete([0.5, 0.6], [1.0, 2.0], x => x)).Should().Throw<ArgumentException>().WithParameterName("probabilities");
        FluentActions.Invoking(() => Expectation.Discrete([1.5, -0.5], [1.0, 2.0], x => x)).Should().Throw<ArgumentOutOfRangeException>().WithParameterName("probabilities");
        FluentActions.Invoking(() => Expectation.Discrete([double.NaN, 1.0], [1.0, 2.0], x => x)).Should().Throw<ArgumentOutOfRangeException>().WithParameterName("probabilities");
        FluentActions.Invoking(() => Expectation.Discrete([0.5, 0.5], [1.0, double.NaN], x => x)).Should().Throw<ArgumentOutOfRangeException>().WithParameterName("points");
        FluentActions.Invoking(() => Expectation.Discrete([], [], x => x)).Should().Throw<ArgumentException>().WithParameterName("probabilities");
        FluentActions.Invoking(() => Expectation.Discrete([1.0], [1.0], null!)).Should().Throw<ArgumentNullException>().WithParameterName("g");
    }
}
