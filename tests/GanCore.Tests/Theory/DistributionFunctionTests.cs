using GanCore.Randomness;
using GanCore.Theory;
using MathNet.Numerics.Distributions;

namespace GanCore.Tests.Theory;

/// <summary>F and F⁻¹ of the density types: closed forms, F' = f, F(F⁻¹(u)) = u, the ends, and bad probabilities.</summary>
public class DistributionFunctionTests
{
    public static TheoryData<string> Names => ["normal", "uniform", "histogram", "mixture", "kde"];

    private static ICumulativeDistribution Make(string name) => name switch
    {
        "normal" => new NormalDensity(1.5, 0.8),
        "uniform" => new UniformDensity(-2, 3),
        "histogram" => new HistogramDensity([-1.0, 0.0, 0.5, 0.75, 3.0], [0.2, 0.0, 0.3, 0.5]),
        "mixture" => new MixtureDensity([new NormalDensity(-2, 0.5), new UniformDensity(0, 1), new NormalDensity(2, 1)], [0.3, 0.2, 0.5]),
        "kde" => new KernelDensity([0.3, -1.2, 2.5, 0.1, 0.4, 4.0, -0.5]),
        _ => throw new ArgumentOutOfRangeException(nameof(name)),
    };

    [Theory]
    [MemberData(nameof(Names))]
    public void The_derivative_of_F_is_the_density(string name)
    {
        ICumulativeDistribution d = Make(name);
        foreach (double x in new[] { -1.7, -0.6, 0.2, 0.6, 1.3, 2.2, 2.9 })
        {
            const double h = 1e-5;
            double slope = (d.CumulativeDistribution(x + h) - d.CumulativeDistribution(x - h)) / (2 * h);
            slope.Should().BeApproximately(d.Density(x), 1e-6, $"x = {x}");
        }
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void F_of_the_quantile_gives_back_the_probability(string name)
    {
        ICumulativeDistribution d = Make(name);
        foreach (double u in new[] { 1e-12, 0.001, 0.1, 0.2, 0.35, 0.5, 0.77, 0.999, 1 - 1e-12 })
        {
            d.CumulativeDistribution(d.Quantile(u)).Should().BeApproximately(u, 1e-12, $"u = {u}");
        }
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void F_runs_from_0_to_1_and_never_decreases(string name)
    {
        ICumulativeDistribution d = Make(name);
        d.CumulativeDistribution(double.NegativeInfinity).Should().Be(0);
        d.CumulativeDistribution(double.PositiveInfinity).Should().Be(1);
        double.IsNaN(d.CumulativeDistribution(double.NaN)).Should().BeTrue();
        double previous = 0;
        for (double x = -10; x <= 10; x += 0.01)
        {
            double f = d.CumulativeDistribution(x);
            f.Should().BeInRange(previous, 1.0);
            previous = f;
        }
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void A_probability_outside_0_1_is_rejected(string name)
    {
        ICumulativeDistribution d = Make(name);
        foreach (double u in new[] { -0.1, 1.1, double.NaN })
        {
            FluentActions.Invoking(() => d.Quantile(u)).Should().Throw<ArgumentOutOfRangeException>().WithParameterName("probability");
        }
    }

    [Fact]
    public void Normal_matches_MathNet_and_has_infinite_end_quantiles()
    {
        var d = new NormalDensity(1.5, 0.8);
        d.CumulativeDistribution(-20).Should().Be(Normal.CDF(1.5, 0.8, -20)).And.BeGreaterThan(0, "the lower tail stays accurate");
        d.Quantile(0.975).Should().BeApproximately(1.5 + (0.8 * 1.959963984540054), 1e-12);
        d.Quantile(0).Should().Be(double.NegativeInfinity);
        d.Quantile(1).Should().Be(double.PositiveInfinity);
    }

    [Fact]
    public void Uniform_is_linear_between_its_ends()
    {
        var d = new UniformDensity(-2, 3);
        d.CumulativeDistribution(0.5).Should().Be(0.5);
        d.CumulativeDistribution(-5).Should().Be(0);
        d.CumulativeDistribution(7).Should().Be(1);
        d.Quantile(0).Should().Be(-2);
        d.Quantile(1).Should().Be(3);
        d.Quantile(0.1).Should().BeApproximately(-1.5, 1e-15);
    }

    [Fact]
    public void Histogram_quantiles_skip_empty_bins_and_end_at_the_outer_non_empty_edges()
    {
        var d = new HistogramDensity([-1.0, 0.0, 0.5, 0.75, 3.0, 4.0], [0.0, 0.2, 0.0, 0.8, 0.0]);
        d.Quantile(0).Should().Be(0.0, "the first bin is empty");
        d.Quantile(1).Should().Be(3.0, "the last bin is empty");
        d.Quantile(0.2).Should().Be(0.5, "F reaches 0.2 at the right edge of the second bin and stays there over the empty bin");
        d.Quantile(0.1).Should().BeApproximately(0.25, 1e-15);
        d.Quantile(0.6).Should().BeApproximately(0.75 + (0.5 * 2.25), 1e-15);
        d.CumulativeDistribution(0.6).Should().BeApproximately(0.2, 1e-15);
    }

    [Fact]
    public void Mixture_F_is_the_weighted_sum_and_its_quantile_ends_are_the_outermost_components()
    {
        var d = new MixtureDensity([new NormalDensity(-2, 0.5), new UniformDensity(0, 1)], [0.25, 0.75]);
        d.CumulativeDistribution(0.4).Should().BeApproximately((0.25 * Normal.CDF(-2, 0.5, 0.4)) + (0.75 * 0.4), 1e-15);
        d.Quantile(0).Should().Be(double.NegativeInfinity);
        d.Quantile(1).Should().Be(double.PositiveInfinity, "the normal component is unbounded above");

        var bounded = new MixtureDensity([new UniformDensity(0, 1), new UniformDensity(5, 6)], [0.5, 0.5]);
        bounded.Quantile(0).Should().Be(0);
        bounded.Quantile(1).Should().Be(6);
        bounded.Quantile(0.75).Should().BeApproximately(5.5, 1e-12);
        bounded.Quantile(0.5).Should().BeApproximately(1.0, 1e-12, "F is flat at ½ on [1, 5]; the quantile is the left end");
    }

    [Fact]
    public void Mixture_with_a_component_without_distribution_function_names_it()
    {
        var d = new MixtureDensity([new NormalDensity(0, 1), new Opaque()], [0.5, 0.5]);
        FluentActions.Invoking(() => d.CumulativeDistribution(0)).Should().Throw<NotSupportedException>().WithMessage("*component 1 (Opaque)*");
        FluentActions.Invoking(() => d.Quantile(0.5)).Should().Throw<NotSupportedException>();

        // A component with weight 0 is never asked.
        var ignored = new MixtureDensity([new NormalDensity(0, 1), new Opaque()], [1.0, 0.0]);
        ignored.CumulativeDistribution(0).Should().Be(0.5);
    }

    private sealed class Opaque : IDensity
    {
        public Support Support => new(0, 1);

        public IReadOnlyList<double> Breakpoints => [0.0, 1.0];

        public double Density(double x) => Support.Contains(x) ? 1 : 0;

        public double LogDensity(double x) => Support.Contains(x) ? 0 : double.NegativeInfinity;

        public double Sample(RandomSource random) => random.NextDouble();
    }
}
