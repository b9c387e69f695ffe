using GanCore.Randomness;
using GanCore.Tensors;
using QuadraticGan;

namespace GanCore.Samples.Tests;

/// <summary>The sample's data and report reject bad arguments with the exception type their docs promise, naming the parameter.</summary>
public sealed class QuadraticBadInputTests
{
    [Fact]
    public void Sample_with_a_null_generator_names_rng() =>
        FluentActions.Invoking(() => QuadraticFamily.Sample(null!, new Matrix(2, 15))).Should().Throw<ArgumentNullException>().WithParameterName("rng");

    [Fact]
    public void Sample_with_a_negative_count_names_count() =>
        FluentActions.Invoking(() => QuadraticFamily.Sample(new RandomSource(1), new float[15], -1)).Should().Throw<ArgumentOutOfRangeException>().WithParameterName("count");

    [Fact]
    public void Sample_into_a_short_destination_names_destination() =>
        FluentActions.Invoking(() => QuadraticFamily.Sample(new RandomSource(1), new float[15], 2)).Should().Throw<ArgumentException>().WithParameterName("destination")
            .Where(e => e.GetType() == typeof(ArgumentException));

    [Fact]
    public void Report_of_null_curves_names_curves() =>
        FluentActions.Invoking(() => QuadraticFitReport.Compute(null!)).Should().Throw<ArgumentNullException>().WithParameterName("curves");

    [Fact]
    public void Report_of_no_rows_names_curves() =>
        FluentActions.Invoking(() => QuadraticFitReport.Compute(new Matrix(0, 15))).Should().Throw<ArgumentException>().WithParameterName("curves")
            .Where(e => e.GetType() == typeof(ArgumentException));

    [Fact]
    public void Report_of_zero_curves_names_count() =>
        FluentActions.Invoking(() => QuadraticFitReport.Compute(new float[15], 0)).Should().Throw<ArgumentOutOfRangeException>().WithParameterName("count");
}
