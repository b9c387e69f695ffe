using GanCore.Diagnostics;
using GanCore.Randomness;

namespace GanCore.Tests.Diagnostics;

public class KolmogorovSmirnovTests
{
    private static double UniformCdf(double t) => Math.Clamp(t, 0, 1);

    [Fact]
    public void Tenths_against_uniform_match_the_hand_value()
    {
        // {0.1, …, 0.9}, n = 9: after the step at i/10 the ECDF is i/9, before it (i-1)/9.
        // max(i/9 - i/10) = 9/90 at i = 9; max(i/10 - (i-1)/9) = (10-i)/90 = 9/90 at i = 1 → D = 0.1.
        double[] sample = [.. Enumerable.Range(1, 9).Select(i => i / 10.0)];
        KolmogorovSmirnov.Statistic(sample, UniformCdf).Should().BeApproximately(0.1, 1e-12);
        KolmogorovSmirnov.StatisticUniform(sample, 0, 1).Should().BeApproximately(0.1, 1e-12);
    }

    [Fact]
    public void Three_points_match_the_hand_value()
    {
        // {0.2, 0.4, 0.9}: at 0.2 the gaps are 0.2 and 1/3-0.2; at 0.4, 0.4-1/3 and 2/3-0.4 = 4/15;
        // at 0.9, 0.9-2/3 and 0.1 → D = 4/15.
        KolmogorovSmirnov.StatisticUniform([0.9, 0.2, 0.4], 0, 1).Should().BeApproximately(4.0 / 15, 1e-12);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(7)]
    [InlineData(100)]
    [InlineData(1000)]
    public void Uniform_quantiles_give_half_a_step(int n)
    {
        double[] sample = [.. Enumerable.Range(1, n).Select(i => (i - 0.5) / n)];
        KolmogorovSmirnov.StatisticUniform(sample, 0, 1).Should().BeApproximately(0.5 / n, 1e-12);
    }

    [Fact]
    public void Uniform_convenience_rescales_the_interval()
    {
        double[] sample = [.. Enumerable.Range(1, 9).Select(i => 1 + (i / 10.0))];
        KolmogorovSmirnov.StatisticUniform(sample, 1, 2).Should().BeApproximately(0.1, 1e-12);

        // Values outside the support: all below → F = 0 everywhere, the ECDF is already 1 → D = 1.
        KolmogorovSmirnov.StatisticUniform([-5.0, -4.0], 1, 2).Should().Be(1);
        KolmogorovSmirnov.StatisticUniform([double.PositiveInfinity], 1, 2).Should().Be(1);
    }

    [Fact]
    public void Ties_are_one_step_compared_on_both_sides()
    {
        // All at 0.5: before the step F - 0 = 0.5, after it 1 - 0.5 = 0.5.
        KolmogorovSmirnov.StatisticUniform([0.5, 0.5, 0.5, 0.5], 0, 1).Should().BeApproximately(0.5, 1e-12);

        // {0.1, 0.1, 0.1, 0.9}: the tied step goes 0 → 3/4 at 0.1, so D = 3/4 - 0.1 = 0.65.
        KolmogorovSmirnov.StatisticUniform([0.1, 0.9, 0.1, 0.1], 0, 1).Should().BeApproximately(0.65, 1e-12);

        // {0.25, 0.5, 0.5, 0.75}: steps 0→1/4 at 0.25, 1/4→3/4 at 0.5, 3/4→1 at 0.75 → every gap ≤ 1/4.
        KolmogorovSmirnov.StatisticUniform([0.25, 0.5, 0.5, 0.75], 0, 1).Should().BeApproximately(0.25, 1e-12);
    }

    [Fact]
    public void Two_sample_statistic_matches_hand_values()
    {
        // {0.1, 0.4, 0.7} vs {0.2, 0.3, 0.5, 0.9}: at 0.1 the gap is 1/3 - 0; later gaps are
        // 1/12, 1/6, 1/6, 1/12, 1/4, 0 → D = 1/3.
        KolmogorovSmirnov.TwoSampleStatistic([0.7, 0.1, 0.4], [0.9, 0.2, 0.5, 0.3]).Should().BeApproximately(1.0 / 3, 1e-12);
        KolmogorovSmirnov.TwoSampleStatistic([1.0, 2.0], [3.0, 4.0]).Should().Be(1);
        KolmogorovSmirnov.TwoSampleStatistic([3.0, 4.0], [1.0, 2.0]).Should().Be(1);
    }

    [Fact]
    public void Two_sample_ties_across_samples_move_both_functions()
    {
        // A one-at-a-time merge would report 1/3 here; the samples are identical.
        KolmogorovSmirnov.TwoSampleStatistic([1.0, 2.0, 3.0], [3.0, 2.0, 1.0]).Should().Be(0);

        // Same values in the same proportions.
        KolmogorovSmirnov.TwoSampleStatistic([1.0, 2.0], [1.0, 1.0, 2.0, 2.0]).Should().Be(0);

        // {1, 1, 2} vs {1, 2, 2}: after 1 the CDFs are 2/3 and 1/3; after 2 both are 1 → D = 1/3.
        KolmogorovSmirnov.TwoSampleStatistic([1.0, 1.0, 2.0], [1.0, 2.0, 2.0]).Should().BeApproximately(1.0 / 3, 1e-12);
    }

    [Fact]
    public void Statistics_match_a_brute_force_evaluation_on_tied_random_data()
    {
        var rng = new RandomSource(7);
        for (int trial = 0; trial < 50; trial++)
        {
            // Rounding to one decimal makes ties common.
            double[] first = [.. Enumerable.Range(0, 1 + rng.NextInt32(30)).Select(_ => Math.Round(rng.NextDouble(), 1))];
            double[] second = [.. Enumerable.Range(0, 1 + rng.NextInt32(30)).Select(_ => Math.Round(rng.NextDouble(), 1))];

            KolmogorovSmirnov.Statistic(first, UniformCdf).Should().BeApproximately(BruteOneSample(first, UniformCdf), 1e-12);
            KolmogorovSmirnov.TwoSampleStatistic(first, second).Should().BeApproximately(BruteTwoSample(first, second), 1e-12);
        }
    }

    [Fact]
    public void Inputs_are_not_modified()
    {
        double[] sample = [0.9, 0.1, 0.5];
        KolmogorovSmirnov.StatisticUniform(sample, 0, 1);
        KolmogorovSmirnov.TwoSampleStatistic(sample, sample);
        sample.Should().Equal(0.9, 0.1, 0.5);
    }

    [Fact]
    public void Kolmogorov_distribution_matches_tabulated_critical_values()
    {
        // Well-known asymptotic critical values: P(K > 1.22385) = 0.10, P(K > 1.35810) = 0.05, P(K > 1.62762) = 0.01.
        KolmogorovSmirnov.KolmogorovSurvival(1.22385).Should().BeApproximately(0.10, 1e-5);
        KolmogorovSmirnov.KolmogorovSurvival(1.35810).Should().BeApproximately(0.05, 1e-5);
        KolmogorovSmirnov.KolmogorovSurvival(1.62762).Should().BeApproximately(0.01, 1e-5);

        // Median of K is about 0.8276.
        KolmogorovSmirnov.KolmogorovSurvival(0.8276).Should().BeApproximately(0.5, 1e-4);
        KolmogorovSmirnov.KolmogorovSurvival(0).Should().Be(1);
        KolmogorovSmirnov.KolmogorovSurvival(-1).Should().Be(1);
        KolmogorovSmirnov.KolmogorovSurvival(0.1).Should().Be(1);
        KolmogorovSmirnov.KolmogorovSurvival(10).Should().BeLessThan(1e-80);
    }

    [Theory]
    [InlineData(0.6)]
    [InlineData(0.8)]
    [InlineData(1.0)]
    [InlineData(1.2)]
    [InlineData(1.6)]
    public void Both_series_of_the_Kolmogorov_distribution_agree(double lambda)
    {
        (1 - KolmogorovSmirnov.KolmogorovCdfTheta(lambda))
            .Should().BeApproximately(KolmogorovSmirnov.KolmogorovSurvivalAlternating(lambda), 1e-13);
    }

    [Fact]
    public void P_values_follow_the_scaled_statistic()
    {
        // For large n the Stephens factor is ≈ √n, so D = 1.3581/√n has p ≈ 0.05.
        const int n = 1_000_000;
        KolmogorovSmirnov.PValue(1.35810 / Math.Sqrt(n), n).Should().BeApproximately(0.05, 1e-3);
        KolmogorovSmirnov.PValue(0, 10).Should().Be(1);
        KolmogorovSmirnov.PValue(0.5, 2000).Should().BeLessThan(1e-100);
        KolmogorovSmirnov.TwoSamplePValue(1.35810 * Math.Sqrt(2.0 / n), n, n).Should().BeApproximately(0.05, 1e-3);
    }

    [Fact]
    public void Empty_and_NaN_samples_throw()
    {
        var empty = () => KolmogorovSmirnov.StatisticUniform([], 0, 1);
        empty.Should().Throw<ArgumentException>().WithParameterName("sample").WithMessage("*empty*");

        var nan = () => KolmogorovSmirnov.Statistic([0.1, double.NaN], UniformCdf);
        nan.Should().Throw<ArgumentException>().WithParameterName("sample").WithMessage("*[1]*NaN*");

        var emptySecond = () => KolmogorovSmirnov.TwoSampleStatistic([0.1], []);
        emptySecond.Should().Throw<ArgumentException>().WithParameterName("second");

        var nanFirst = () => KolmogorovSmirnov.TwoSampleStatistic([double.NaN], [0.1]);
        nanFirst.Should().Throw<ArgumentException>().WithParameterName("first");
    }

    [Fact]
    public void Bad_reference_distributions_throw()
    {
        var nullCdf = () => KolmogorovSmirnov.Statistic([0.5], null!);
        nullCdf.Should().Throw<ArgumentNullException>().WithParameterName("cdf");

        var badCdf = () => KolmogorovSmirnov.Statistic([0.5], _ => 1.5);
        badCdf.Should().Throw<ArgumentOutOfRangeException>().WithParameterName("cdf");

        var nanCdf = () => KolmogorovSmirnov.Statistic([0.5], _ => double.NaN);
        nanCdf.Should().Throw<ArgumentOutOfRangeException>().WithParameterName("cdf");

        var emptyInterval = () => KolmogorovSmirnov.StatisticUniform([0.5], 1, 1);
        emptyInterval.Should().Throw<ArgumentOutOfRangeException>().WithParameterName("high");

        var infinite = () => KolmogorovSmirnov.StatisticUniform([0.5], double.NegativeInfinity, 1);
        infinite.Should().Throw<ArgumentOutOfRangeException>().WithParameterName("low");

        var badStatistic = () => KolmogorovSmirnov.PValue(1.5, 10);
        badStatistic.Should().Throw<ArgumentOutOfRangeException>().WithParameterName("statistic");

        var badSize = () => KolmogorovSmirnov.PValue(0.1, 0);
        badSize.Should().Throw<ArgumentOutOfRangeException>().WithParameterName("sampleSize");
    }

    // References: evaluate both sides of the ECDF at every sample value by counting.
    private static double BruteOneSample(double[] sample, Func<double, double> cdf)
    {
        double d = 0;
        foreach (double v in sample)
        {
            double atOrBelow = sample.Count(s => s <= v) / (double)sample.Length;
            double below = sample.Count(s => s < v) / (double)sample.Length;
            d = Math.Max(d, Math.Max(Math.Abs(atOrBelow - cdf(v)), Math.Abs(below - cdf(v))));
        }

        return d;
    }

    private static double BruteTwoSample(double[] first, double[] second)
    {
        double d = 0;
        foreach (double v in first.Concat(second))
        {
            double f = first.Count(s => s <= v) / (double)first.Length;
            double g = second.Count(s => s <= v) / (double)second.Length;
            d = Math.Max(d, Math.Abs(f - g));
        }

        return d;
    }
}
