using GanCore.Theory;

namespace GanCore.Tests.Theory;

/// <summary>Invalid parameters for the density types are rejected with typed exceptions that name the parameter.</summary>
public class DensityArgumentTests
{
    [Theory]
    [InlineData(0.0)]
    [InlineData(-1.0)]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    public void Normal_rejects_a_bad_standard_deviation(double sigma) =>
        FluentActions.Invoking(() => new NormalDensity(0, sigma)).Should().Throw<ArgumentOutOfRangeException>().WithParameterName("standardDeviation");

    [Theory]
    [InlineData(double.NaN)]
    [InlineData(double.NegativeInfinity)]
    public void Normal_rejects_a_bad_mean(double mu) =>
        FluentActions.Invoking(() => new NormalDensity(mu, 1)).Should().Throw<ArgumentOutOfRangeException>().WithParameterName("mean");

    [Theory]
    [InlineData(1.0, 1.0, "upper")]
    [InlineData(2.0, 1.0, "upper")]
    [InlineData(double.NaN, 1.0, "lower")]
    [InlineData(0.0, double.NaN, "upper")]
    [InlineData(double.NegativeInfinity, 1.0, "lower")]
    [InlineData(0.0, double.PositiveInfinity, "upper")]
    [InlineData(-1e308, 1e308, "upper")]
    public void Uniform_rejects_bad_ends(double a, double b, string parameter) =>
        FluentActions.Invoking(() => new UniformDensity(a, b)).Should().Throw<ArgumentOutOfRangeException>().WithParameterName(parameter);

    [Fact]
    public void Mixture_rejects_bad_components_and_weights()
    {
        var f = new NormalDensity(0, 1);
        FluentActions.Invoking(() => new MixtureDensity(null!, [1.0])).Should().Throw<ArgumentNullException>().WithParameterName("components");
        FluentActions.Invoking(() => new MixtureDensity([f, null!], [0.5, 0.5])).Should().Throw<ArgumentNullException>().WithParameterName("components");
        FluentActions.Invoking(() => new MixtureDensity([], [])).Should().Throw<ArgumentException>().WithParameterName("components");
        FluentActions.Invoking(() => new MixtureDensity([f, f], [1.0])).Should().Throw<ArgumentException>().WithParameterName("weights");
        FluentActions.Invoking(() => new MixtureDensity([f, f], [0.5, 0.6])).Should().Throw<ArgumentException>().WithParameterName("weights");
        FluentActions.Invoking(() => new MixtureDensity([f, f], [1.5, -0.5])).Should().Throw<ArgumentOutOfRangeException>().WithParameterName("weights");
        FluentActions.Invoking(() => new MixtureDensity([f, f], [double.NaN, 1.0])).Should().Throw<ArgumentOutOfRangeException>().WithParameterName("weights");
    }

    [Fact]
    public void Histogram_rejects_bad_edges_and_probabilities()
    {
        FluentActions.Invoking(() => new HistogramDensity([0.0], [])).Should().Throw<ArgumentException>().WithParameterName("binEdges");
        FluentActions.Invoking(() => new HistogramDensity([0.0, 1.0, 1.0], [0.5, 0.5])).Should().Throw<ArgumentException>().WithParameterName("binEdges");
        FluentActions.Invoking(() => new HistogramDensity([0.0, 2.0, 1.0], [0.5, 0.5])).Should().Throw<ArgumentException>().WithParameterName("binEdges");
        FluentActions.Invoking(() => new HistogramDensity([0.0, double.NaN], [1.0])).Should().Throw<ArgumentOutOfRangeException>().WithParameterName("binEdges");
        FluentActions.Invoking(() => new HistogramDensity([0.0, 1.0, 2.0], [1.0])).Should().Throw<ArgumentException>().WithParameterName("probabilities");
        FluentActions.Invoking(() => new HistogramDensity([0.0, 1.0, 2.0], [0.5, 0.4])).Should().Throw<ArgumentException>().WithParameterName("probabilities");
        FluentActions.Invoking(() => new HistogramDensity([0.0, 1.0, 2.0], [-0.5, 1.5])).Should().Throw<ArgumentOutOfRangeException>().WithParameterName("probabilities");
        FluentActions.Invoking(() => HistogramDensity.FromSamples([0.5, 3.0], [0.0, 1.0, 2.0])).Should().Throw<ArgumentOutOfRangeException>().WithParameterName("samples");
        FluentActions.Invoking(() => HistogramDensity.FromSamples([double.NaN], [0.0, 1.0])).Should().Throw<ArgumentOutOfRangeException>().WithParameterName("samples");
        FluentActions.Invoking(() => HistogramDensity.FromSamples([], [0.0, 1.0])).Should().Throw<ArgumentException>().WithParameterName("samples");
    }

    [Fact]
    public void Support_rejects_empty_or_NaN_intervals()
    {
        FluentActions.Invoking(() => new Support(1, 1)).Should().Throw<ArgumentOutOfRangeException>().WithParameterName("upper");
        FluentActions.Invoking(() => new Support(double.NaN, 1)).Should().Throw<ArgumentOutOfRangeException>().WithParameterName("lower");
        FluentActions.Invoking(() => new Support(double.PositiveInfinity, double.PositiveInfinity)).Should().Throw<ArgumentOutOfRangeException>().WithParameterName("lower");
    }

    [Fact]
    public void Sampling_rejects_a_null_generator()
    {
        foreach (string name in (string[])["normal", "uniform", "mixture", "histogram"])
        {
            FluentActions.Invoking(() => DensityTests.Make(name).Sample(null!)).Should().Throw<ArgumentNullException>().WithParameterName("random");
        }
    }
}
