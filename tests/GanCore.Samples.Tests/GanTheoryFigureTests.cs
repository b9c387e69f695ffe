using GanCore.Theory;
using GanTheory;

namespace GanCore.Samples.Tests;

/// <summary>Trains the Figure 1 GAN of samples/GanTheory once (seed 1, the sample's defaults) for every test in the class.</summary>
public sealed class Figure1Fixture
{
    internal Figure1Result Result { get; } = Figure1.Run(Figure1Settings.Default);
}

/// <summary>
/// GanTheory --figure1 and --wasserstein: p_g moves onto p_data (JSD falls, D flattens towards ½), and the
/// parallel-lines table; bad options exit with 2.
/// </summary>
public class GanTheoryFigureTests(Figure1Fixture trained) : IClassFixture<Figure1Fixture>
{
    private readonly Figure1Result _result = trained.Result;

    [Fact]
    public void Four_moments_are_recorded_from_the_start_to_the_end()
    {
        _result.Moments.Select(m => m.Step).Should().Equal(0, 150, 750, 3000);
    }

    [Fact]
    public void JSD_at_the_end_is_well_below_the_start()
    {
        double start = _result.Moments[0].JensenShannon;
        double end = _result.Moments[^1].JensenShannon;

        start.Should().BeGreaterThan(0.6, "a fresh G puts its mass near 0, far from N(4, 0.5²): JSD near log 2");
        end.Should().BeLessThan(Figure1.JsdRatioBound * start);
        _result.Moments[^1].Wasserstein.Should().BeLessThan(0.1 * _result.Moments[0].Wasserstein, "W₁ falls too");
    }

    [Fact]
    public void The_printed_JSD_is_the_library_JSD_of_the_kernel_estimate()
    {
        Figure1Moment last = _result.Moments[^1];
        Divergences.JensenShannon(Figure1.Data, last.Kernel).Should().BeApproximately(last.JensenShannon, 1e-12);
    }

    [Fact]
    public void D_flattens_towards_one_half_where_the_data_are()
    {
        _result.Moments[0].Spread.Should().BeGreaterThan(0.15, "the untrained D is not flat");
        _result.Moments[^1].Spread.Should().BeLessThanOrEqualTo(Figure1.SpreadBound);
    }

    [Fact]
    public void D_star_is_computed_from_the_estimated_p_g()
    {
        foreach (Figure1Moment m in _result.Moments)
        {
            for (int i = 0; i < m.Grid.Length; i += 10)
            {
                double sum = m.Data[i] + m.Generator[i];
                if (sum > 1e-12)
                {
                    m.Optimal[i].Should().BeApproximately(m.Data[i] / sum, 1e-9);
                }

                m.Learned[i].Should().BeInRange(0, 1);
            }
        }
    }

    [Fact]
    public void The_figure_is_written()
    {
        string directory = Path.Combine(Path.GetTempPath(), $"gantheory-figure1-{Environment.ProcessId}");
        try
        {
            Directory.CreateDirectory(directory);
            string path = Path.Combine(directory, "figure1.png");
            Plots.Figure1(path, _result);
            new FileInfo(path).Length.Should().BeGreaterThan(20_000);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public void The_parallel_lines_table_has_log_2_and_the_absolute_offset()
    {
        IReadOnlyList<ParallelLinesRow> rows = ParallelLinesTable.Compute(ParallelLinesTable.TableThetas);
        foreach (ParallelLinesRow r in rows)
        {
            r.Wasserstein.Should().BeApproximately(Math.Abs(r.Theta), 1e-14);
            r.JensenShannon.Should().Be(r.Theta == 0 ? 0 : Math.Log(2));
            r.KullbackLeibler.Should().Be(r.Theta == 0 ? 0 : double.PositiveInfinity);
        }
    }

    [Fact]
    public void Wasserstein_mode_writes_its_plot()
    {
        string directory = Path.Combine(Path.GetTempPath(), $"gantheory-wasserstein-{Environment.ProcessId}");
        try
        {
            Cli.Run(["--wasserstein", "--out", directory]).Should().Be(Cli.ExitOk);
            new FileInfo(Path.Combine(directory, "theory-wasserstein.png")).Length.Should().BeGreaterThan(10_000);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Theory]
    [InlineData("--figure1", "--steps", "3")]
    [InlineData("--figure1", "--steps", "abc")]
    [InlineData("--figure1", "--lr", "0")]
    [InlineData("--figure1", "--lr", "NaN")]
    [InlineData("--figure1", "--batch", "0")]
    [InlineData("--figure1", "--epochs", "3")]
    [InlineData("--figure1", "--exact", "")]
    [InlineData("--wasserstein", "--figure1", "")]
    [InlineData("--steps", "100", "")]
    public void Bad_options_exit_with_2_naming_the_option(string first, string second, string third)
    {
        string[] args = [.. new[] { first, second, third, "--no-plots" }.Where(a => a.Length > 0)];
        (int exit, string error) = ConsoleCapture.Error(() => Cli.Run(args));

        exit.Should().Be(Cli.ExitBadInput);
        string named = second.StartsWith("--", StringComparison.Ordinal) && second != "--exact" && second != "--figure1" ? second : first;
        error.Should().Contain(named == "--figure1" && second == "--exact" ? "--exact" : named);
    }
}
