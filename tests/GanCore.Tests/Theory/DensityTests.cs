using GanCore.Randomness;
using GanCore.Theory;

namespace GanCore.Tests.Theory;

/// <summary>The density types: normalization, moments, log-density consistency, sampling, histograms from data.</summary>
public class DensityTests
{
    public static TheoryData<string> DensityNames => ["normal", "narrow normal far out", "uniform", "mixture", "histogram"];

    internal static IDensity Make(string name) => name switch
    {
        "normal" => new NormalDensity(0.5, 2.0),
        "narrow normal far out" => new NormalDensity(1000.0, 1e-3),
        "uniform" => new UniformDensity(-1.0, 3.0),
        "mixture" => new MixtureDensity([new NormalDensity(-2, 0.5), new UniformDensity(0, 1), new NormalDensity(4, 0.1)], [0.3, 0.5, 0.2]),
        "histogram" => new HistogramDensity([0.0, 0.5, 2.0, 2.25, 4.0], [0.1, 0.4, 0.0, 0.5]),
        _ => throw new ArgumentOutOfRangeException(nameof(name)),
    };

    [Theory]
    [MemberData(nameof(DensityNames))]
    public void Every_density_integrates_to_one(string name)
    {
        IDensity f = Make(name);
        Expectation.Quadrature(f, _ => 1.0).Should().BeApproximately(1.0, 1e-12);
    }

    [Theory]
    [MemberData(nameof(DensityNames))]
    public void LogDensity_is_the_log_of_Density_and_minus_infinity_outside_the_support(string name)
    {
        IDensity f = Make(name);
        for (double x = -10; x <= 10; x += 0.37)
        {
            double density = f.Density(x);
            if (density > 1e-300)
            {
                f.LogDensity(x).Should().BeApproximately(Math.Log(density), 1e-12);
            }
        }

        if (double.IsFinite(f.Support.Lower))
        {
            f.LogDensity(f.Support.Lower - 1).Should().Be(double.NegativeInfinity);
            f.Density(f.Support.Lower - 1).Should().Be(0.0);
        }

        f.Density(double.PositiveInfinity).Should().Be(0.0);
        f.LogDensity(double.NegativeInfinity).Should().Be(double.NegativeInfinity);
    }

    [Fact]
    public void Normal_log_density_stays_finite_where_the_density_underflows()
    {
        var f = new NormalDensity(0, 1);
        f.Density(60).Should().Be(0.0);
        f.LogDensity(60).Should().BeApproximately(-1800 - (0.5 * Math.Log(2 * Math.PI)), 1e-9);
    }

    [Fact]
    public void Moments_by_quadrature_match_the_closed_forms()
    {
        var normal = new NormalDensity(0.5, 2.0);
        Expectation.Quadrature(normal, x => x).Should().BeApproximately(0.5, 1e-12);
        Expectation.Quadrature(normal, x => (x - 0.5) * (x - 0.5)).Should().BeApproximately(4.0, 1e-11);

        var uniform = new UniformDensity(-1, 3);
        Expectation.Quadrature(uniform, x => x).Should().BeApproximately(1.0, 1e-12);
        Expectation.Quadrature(uniform, x => (x - 1) * (x - 1)).Should().BeApproximately(16.0 / 12.0, 1e-12);

        // Mixture mean: Σ wᵢ μᵢ = 0.3·(−2) + 0.5·0.5 + 0.2·4.
        Expectation.Quadrature(Make("mixture"), x => x).Should().BeApproximately(-0.6 + 0.25 + 0.8, 1e-12);

        // Histogram mean: Σ pᵢ · (bin midpoint).
        Expectation.Quadrature(Make("histogram"), x => x).Should().BeApproximately((0.1 * 0.25) + (0.4 * 1.25) + (0.5 * 3.125), 1e-12);
    }

    [Fact]
    public void Histogram_density_is_probability_over_bin_width_with_the_last_edge_closed()
    {
        var h = new HistogramDensity([0.0, 0.5, 2.0], [0.2, 0.8]);
        h.Density(0.0).Should().BeApproximately(0.4, 1e-15);
        h.Density(0.49).Should().BeApproximately(0.4, 1e-15);
        h.Density(0.5).Should().BeApproximately(0.8 / 1.5, 1e-15);
        h.Density(2.0).Should().BeApproximately(0.8 / 1.5, 1e-15);
        h.Density(2.0000001).Should().Be(0.0);
        h.Density(-1e-9).Should().Be(0.0);
    }

    [Fact]
    public void Empirical_histogram_counts_samples_per_bin()
    {
        // Bins [0,1), [1,2), [2,3]: the samples fall 2, 1, 3 (3.0 is in the closed last bin).
        HistogramDensity h = HistogramDensity.FromSamples([0.0, 0.9, 1.5, 2.0, 2.5, 3.0], [0.0, 1.0, 2.0, 3.0]);
        h.Probabilities.Should().Equal(2.0 / 6, 1.0 / 6, 3.0 / 6);
        h.BinEdges.Should().Equal(0.0, 1.0, 2.0, 3.0);
    }

    [Theory]
    [MemberData(nameof(DensityNames))]
    public void Samples_have_the_density_mean(string name)
    {
        IDensity f = Make(name);
        var random = new RandomSource(2024);
        const int n = 200_000;
        double sum = 0;
        int outside = 0;
        for (int i = 0; i < n; i++)
        {
            double x = f.Sample(random);
            outside += f.Support.Contains(x) ? 0 : 1;
            sum += x;
        }

        outside.Should().Be(0);

        double mean = Expectation.Quadrature(f, x => x);
        double sd = Math.Sqrt(Expectation.Quadrature(f, x => (x - mean) * (x - mean)));
        (sum / n).Should().BeApproximately(mean, 4 * sd / Math.Sqrt(n));
    }

    [Fact]
    public void Histogram_samples_never_land_in_empty_bins()
    {
        IDensity f = Make("histogram");
        var random = new RandomSource(7);
        int inEmptyBin = 0;
        for (int i = 0; i < 20_000; i++)
        {
            double x = f.Sample(random);
            inEmptyBin += x >= 2.0 && x < 2.25 ? 1 : 0;
        }

        inEmptyBin.Should().Be(0);
    }
}
