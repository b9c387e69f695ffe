using GanCore.Randomness;
using GanCore.Theory;

namespace GanCore.Tests.Theory;

/// <summary>The quadrature engine behind the theory functions: its error estimate, its tails, its conventions.</summary>
public class IntegratorTests
{
    // A density the library does not ship, with polynomial (not Gaussian) tails: the mapped tail panels must carry
    // the mass beyond the outermost breakpoints, since a truncation at ±3 would lose 20% of it.
    private sealed class Cauchy : IDensity
    {
        public Support Support => Support.RealLine;

        public IReadOnlyList<double> Breakpoints { get; } = [-3.0, -1.0, 0.0, 1.0, 3.0];

        public double Density(double x) => 1 / (Math.PI * (1 + (x * x)));

        public double LogDensity(double x) => Math.Log(Density(x));

        public double Sample(RandomSource random) => Math.Tan(Math.PI * (random.NextDouble() - 0.5));
    }

    [Fact]
    public void Mapped_tails_integrate_a_heavy_tailed_density_without_truncation()
    {
        Expectation.Quadrature(new Cauchy(), _ => 1.0).Should().BeApproximately(1.0, 1e-11);

        // P(|X| > 3) = 1 − (2/π) atan 3.
        Expectation.Quadrature(new Cauchy(), x => Math.Abs(x) > 3 ? 1.0 : 0.0).Should().BeApproximately(1 - (2 / Math.PI * Math.Atan(3)), 1e-11);
    }

    public static TheoryData<string> Cases => ["normal", "narrow normal far out", "uniform", "mixture", "histogram"];

    [Theory]
    [MemberData(nameof(Cases))]
    public void The_error_estimate_meets_the_documented_tolerance(string name)
    {
        IDensity f = DensityTests.Make(name);
        QuadratureResult result = Integrator.Integrate(x => f.Density(x) * x * x, f);
        result.Converged.Should().BeTrue();
        result.ErrorEstimate.Should().BeLessThanOrEqualTo(Math.Max(Integrator.AbsoluteTolerance, Integrator.RelativeTolerance * result.AbsoluteIntegral));
        result.Panels.Should().BeLessThan(Integrator.MaximumPanels);
    }

    [Fact]
    public void An_integrand_that_is_zero_everywhere_costs_one_pass()
    {
        QuadratureResult result = Integrator.Integrate(_ => 0.0, new UniformDensity(0, 1));
        result.Value.Should().Be(0.0);
        result.Converged.Should().BeTrue();
        result.Panels.Should().Be(1);
    }

    [Fact]
    public void Infinite_and_NaN_integrands_are_reported_not_averaged()
    {
        var f = new NormalDensity(0, 1);
        Integrator.Integrate(x => x > 2 ? double.PositiveInfinity : 1, f).Value.Should().Be(double.PositiveInfinity);
        Integrator.Integrate(x => x > 2 ? double.NegativeInfinity : 1, f).Value.Should().Be(double.NegativeInfinity);
        Integrator.Integrate(x => x > 2 ? double.NaN : 1, f).Value.Should().Be(double.NaN);
    }
}
