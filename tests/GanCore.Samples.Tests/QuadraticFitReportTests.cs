using System.Text.Json;
using GanCore.Diagnostics;
using GanCore.Randomness;
using GanCore.Tensors;
using QuadraticGan;

namespace GanCore.Samples.Tests;

public class QuadraticFitReportTests
{
    private const int N = 2000;

    private static Matrix RealCurves(ulong seed = 2024, int count = N)
    {
        var curves = new Matrix(count, QuadraticFamily.PointCount);
        QuadraticFamily.Sample(new RandomSource(seed), curves);
        return curves;
    }

    private static Matrix Curves(int count, Func<int, double, double> curve)
    {
        var m = new Matrix(count, QuadraticFamily.PointCount);
        for (int i = 0; i < count; i++)
        {
            for (int j = 0; j < QuadraticFamily.PointCount; j++)
            {
                m[i, j] = (float)curve(i, QuadraticFamily.GridPoint(j, QuadraticFamily.PointCount));
            }
        }

        return m;
    }

    [Fact]
    public void Real_curves_pass_every_check()
    {
        QuadraticFitReport report = QuadraticFitReport.Compute(RealCurves());

        report.CurveCount.Should().Be(N);
        report.PointCount.Should().Be(15);
        report.FittedCount.Should().Be(N);
        report.NonFiniteCount.Should().Be(0);
        report.InBandShare.Should().Be(1.0);
        report.MedianResidualRms.Should().BeLessThan(1e-6);
        report.MeanOffsetError.Should().BeLessThan(1e-6);

        // Sampling error of the mean of U(1,2): σ/√n = 0.2887/√2000 = 0.0065; allow 4 standard errors.
        report.MeanA.Should().BeApproximately(QuadraticFitReport.ReferenceMeanA, 4 * 0.2887 / Math.Sqrt(N));

        // Sampling error of a sample std: SE(s) ≈ σ·sqrt((κ - 1) / (4n)), and the uniform's kurtosis is κ = 9/5,
        // so SE = 0.2887·sqrt(0.8 / 8000) = 0.2887 · 0.01 = 0.0029; allow 4 standard errors (0.0115).
        double stdTolerance = 4 * QuadraticFitReport.ReferenceStdA * Math.Sqrt((1.8 - 1) / (4.0 * N));
        report.StdA.Should().BeApproximately(QuadraticFitReport.ReferenceStdA, stdTolerance);

        // The fitted a are draws from U(1,2) up to float rounding, so KS is below the 5% critical value 1.358/√n = 0.0304.
        report.KsA.Should().BeLessThan(1.358 / Math.Sqrt(N));
        report.KsAPValue.Should().BeGreaterThan(0.05);
        report.MeetsThresholds().Should().BeTrue();
    }

    [Fact]
    public void Collapsed_curves_stay_in_band_but_KS_and_std_flag_the_collapse()
    {
        QuadraticFitReport report = QuadraticFitReport.Compute(Curves(N, (_, x) => (1.5 * x * x) + 0.5));

        report.InBandShare.Should().Be(1.0);
        report.MedianResidualRms.Should().BeLessThan(1e-6);
        report.MeanA.Should().BeApproximately(1.5, 1e-6);
        report.StdA.Should().BeLessThan(1e-6);

        // Every a is 1.5: the ECDF jumps 0 → 1 where the U(1,2) CDF is 1/2 → D = 1/2.
        report.KsA.Should().BeApproximately(0.5, 1e-5);
        report.KsAPValue.Should().BeLessThan(1e-100);
        report.MeetsThresholds().Should().BeFalse();
    }

    [Fact]
    public void A_vertical_shift_shows_in_the_offset_error_and_cuts_the_band()
    {
        // y + 0.5 = a·x² + a - 0.5 is inside the band (tolerance 0.1) only while a - 0.5 ≤ 1.1 at x = 0, i.e. a ≤ 1.6:
        // the expected in-band share is P(a ≤ 1.6) = 0.6, with a binomial standard error sqrt(0.24/2000) = 0.011.
        var rng = new RandomSource(77);
        Matrix shifted = Curves(N, (_, x) => 0);
        QuadraticFamily.Sample(rng, shifted);
        foreach (ref float v in shifted.Span)
        {
            v += 0.5f;
        }

        QuadraticFitReport report = QuadraticFitReport.Compute(shifted);

        report.InBandShare.Should().BeApproximately(0.6, 0.045);
        report.MeanOffsetError.Should().BeApproximately(0.5, 1e-5);
        report.MedianResidualRms.Should().BeLessThan(1e-6);
        report.KsA.Should().BeLessThan(1.358 / Math.Sqrt(N)); // the shape is still right
        report.MeetsThresholds().Should().BeFalse();
    }

    [Fact]
    public void Shifts_that_leave_the_band_drop_the_share_to_zero()
    {
        var rng = new RandomSource(78);
        double[] a = [.. Enumerable.Range(0, N).Select(_ => rng.NextUniform(1, 2))];

        // Up by 1.2: at x = 0, a - 1 + 1.2 ≥ 1.2 > 1.1 for every a ≥ 1.
        QuadraticFitReport up = QuadraticFitReport.Compute(Curves(N, (i, x) => (a[i] * x * x) + a[i] - 1 + 1.2));
        up.InBandShare.Should().Be(0);
        up.MeanOffsetError.Should().BeApproximately(1.2, 1e-5);

        // Right by 0.5, y = a(x - 0.5)² + a - 1: at x = 1 the band needs 1.25a - 1 ≥ 0.9 (a ≥ 1.52), at x = -1
        // it needs 3.25a - 1 ≤ 3.1 (a ≤ 1.26): no a satisfies both.
        QuadraticFitReport right = QuadraticFitReport.Compute(Curves(N, (i, x) => (a[i] * (x - 0.5) * (x - 0.5)) + a[i] - 1));
        right.InBandShare.Should().Be(0);
        right.MedianResidualRms.Should().BeGreaterThan(0.1); // a linear term the model a·x² + b cannot follow
    }

    [Fact]
    public void Straight_lines_fail_the_thresholds()
    {
        // A broken generator: y = s·x + 1 with s ~ U(-1, 1). Fitted a ≈ 0, far outside U(1, 2).
        var rng = new RandomSource(79);
        double[] slope = [.. Enumerable.Range(0, N).Select(_ => rng.NextUniform(-1, 1))];
        QuadraticFitReport report = QuadraticFitReport.Compute(Curves(N, (i, x) => (slope[i] * x) + 1));

        report.InBandShare.Should().BeLessThan(QuadraticFitReport.DefaultMinInBandShare);
        report.KsA.Should().BeGreaterThan(QuadraticFitReport.DefaultMaxKsA);
        report.KsA.Should().Be(1);
        report.MeanA.Should().BeApproximately(0, 1e-5);
        report.MeetsThresholds().Should().BeFalse();

        // A flat line y = 1 even stays in band at every point: only the KS of a catches it.
        QuadraticFitReport flat = QuadraticFitReport.Compute(Curves(100, (_, _) => 1));
        flat.InBandShare.Should().Be(1);
        flat.KsA.Should().Be(1);
        flat.MeetsThresholds().Should().BeFalse();
    }

    [Fact]
    public void Noisy_real_curves_report_the_noise_level_as_residual()
    {
        // Independent N(0, 0.02²) noise per point: the residual RMS of a 2-parameter fit of 15 points has
        // E[RMS²] = σ²·(15 - 2)/15, so the median RMS is close to 0.02·sqrt(13/15) = 0.0186.
        var rng = new RandomSource(80);
        Matrix curves = RealCurves(81, 1000);
        foreach (ref float v in curves.Span)
        {
            v += (float)rng.NextGaussian(0, 0.02);
        }

        QuadraticFitReport report = QuadraticFitReport.Compute(curves);
        report.MedianResidualRms.Should().BeApproximately(0.02 * Math.Sqrt(13.0 / 15), 0.002);
        report.InBandShare.Should().BeGreaterThan(0.9);
    }

    [Fact]
    public void Span_overload_matches_the_matrix_overload_and_strided_matrices_work()
    {
        Matrix curves = RealCurves(5, 300);
        QuadraticFitReport fromMatrix = QuadraticFitReport.Compute(curves);
        QuadraticFitReport fromSpan = QuadraticFitReport.Compute(curves.Span, 300);
        fromSpan.Should().Be(fromMatrix);

        var strided = new Matrix(300, 15, stride: 20);
        strided.Fill(float.NaN); // the gaps hold garbage that must be skipped
        for (int i = 0; i < 300; i++)
        {
            curves.Row(i).CopyTo(strided.Row(i));
        }

        QuadraticFitReport.Compute(strided).Should().Be(fromMatrix);
    }

    [Fact]
    public void Other_column_counts_use_their_own_grid()
    {
        var curves = new Matrix(500, 7);
        QuadraticFamily.Sample(new RandomSource(6), curves);
        QuadraticFitReport report = QuadraticFitReport.Compute(curves);
        report.PointCount.Should().Be(7);
        report.InBandShare.Should().Be(1);
        report.MedianResidualRms.Should().BeLessThan(1e-6);
        report.MeanOffsetError.Should().BeLessThan(1e-6);
    }

    [Fact]
    public void Non_finite_curves_are_out_of_band_and_not_fitted()
    {
        Matrix curves = RealCurves(8, 10);
        curves[3, 4] = float.NaN;
        curves[7, 0] = float.PositiveInfinity;

        QuadraticFitReport report = QuadraticFitReport.Compute(curves);
        report.CurveCount.Should().Be(10);
        report.NonFiniteCount.Should().Be(2);
        report.FittedCount.Should().Be(8);
        report.InBandShare.Should().Be(0.8);
        report.MedianResidualRms.Should().BeLessThan(1e-6);

        Matrix diverged = RealCurves(8, 4);
        diverged.Fill(float.NaN);
        QuadraticFitReport none = QuadraticFitReport.Compute(diverged);
        none.InBandShare.Should().Be(0);
        none.KsA.Should().Be(double.NaN);
        none.MeetsThresholds(0, 1).Should().BeFalse();
    }

    [Fact]
    public void Small_batches_match_hand_computed_statistics()
    {
        // Curves a·x² + b with (a, b) = (1, 0), (2, 1.5), (1.5, 0.5): exact quadratics, so the fit returns them.
        // Offsets |b - (a-1)| = 0, 0.5, 0 → mean 1/6. Mean a = 1.5; sample std = sqrt((0.25 + 0.25 + 0) / 2) = 0.5
        // (the population std would be sqrt(1/6) = 0.408). KS of {1, 1.5, 2} against U(1,2): at 1 the ECDF jumps
        // 0 → 1/3 where F = 0, at 1.5 it jumps 1/3 → 2/3 where F = 1/2, at 2 it jumps 2/3 → 1 where F = 1 → D = 1/3.
        double[] a = [1, 2, 1.5];
        double[] b = [0, 1.5, 0.5];
        QuadraticFitReport report = QuadraticFitReport.Compute(Curves(3, (i, x) => (a[i] * x * x) + b[i]));

        report.MeanOffsetError.Should().BeApproximately(1.0 / 6, 1e-6);
        report.MeanA.Should().BeApproximately(1.5, 1e-6);
        report.StdA.Should().BeApproximately(0.5, 1e-6);
        report.KsA.Should().BeApproximately(1.0 / 3, 1e-6);
        report.InBandShare.Should().BeApproximately(2.0 / 3, 1e-12); // 2x² + 1.5 leaves the band at x = 0
    }

    [Fact]
    public void Median_residual_is_the_middle_of_the_sorted_residuals()
    {
        // Curves x² + c·e, where e = +1 at x = 0 and 0 elsewhere. For one bump of height c on 15 points the residual
        // of the fit scales linearly with c, so residuals are proportional to |c| and the median follows the middle c.
        double[] c = [0.3, 0.1, 0.2, 0.4];
        QuadraticFitReport even = QuadraticFitReport.Compute(Curves(4, (i, x) => (x * x) + (x == 0 ? c[i] : 0)));
        QuadraticFitReport one = QuadraticFitReport.Compute(Curves(1, (_, x) => (x * x) + (x == 0 ? 0.1 : 0)));

        // Even count: the mean of the two middle values, the residuals for c = 0.2 and 0.3, i.e. 2.5× the c = 0.1 one.
        even.MedianResidualRms.Should().BeApproximately(2.5 * one.MedianResidualRms, 1e-6);
        one.MedianResidualRms.Should().BeGreaterThan(0.01);
    }

    [Fact]
    public void Band_edges_use_the_tolerance()
    {
        // Just inside and just outside the lower edge x² - 0.1 at every point.
        QuadraticFitReport inside = QuadraticFitReport.Compute(Curves(1, (_, x) => (x * x) - 0.099));
        QuadraticFitReport outside = QuadraticFitReport.Compute(Curves(1, (_, x) => (x * x) - 0.101));
        inside.InBandShare.Should().Be(1);
        outside.InBandShare.Should().Be(0);
        inside.StdA.Should().Be(double.NaN); // one curve: the sample std is undefined

        QuadraticFitReport upperInside = QuadraticFitReport.Compute(Curves(1, (_, x) => (2 * x * x) + 1.099));
        QuadraticFitReport upperOutside = QuadraticFitReport.Compute(Curves(1, (_, x) => (2 * x * x) + 1.101));
        upperInside.InBandShare.Should().Be(1);
        upperOutside.InBandShare.Should().Be(0);
    }

    [Fact]
    public void Report_serializes_to_json_and_round_trips()
    {
        QuadraticFitReport report = QuadraticFitReport.Compute(RealCurves(9, 50));
        string json = JsonSerializer.Serialize(report);
        json.Should().Contain("\"InBandShare\":1").And.Contain("\"KsA\":").And.Contain("\"StdA\":");
        JsonSerializer.Deserialize<QuadraticFitReport>(json).Should().Be(report);

        QuadraticFitReport single = QuadraticFitReport.Compute(RealCurves(9, 1));
        string singleJson = JsonSerializer.Serialize(single);
        singleJson.Should().Contain("\"StdA\":\"NaN\"");
        JsonSerializer.Deserialize<QuadraticFitReport>(singleJson)!.StdA.Should().Be(double.NaN);
    }

    [Fact]
    public void Summary_names_every_statistic_with_its_reference()
    {
        string text = QuadraticFitReport.Compute(Curves(4, (_, x) => (1.5 * x * x) + 0.5)).ToString();
        text.Should().Contain("4 curves").And.Contain("in-band 100.0").And.Contain("KS(a) 0.5000")
            .And.Contain("0.2887").And.Contain("std 0.0000");
    }

    [Fact]
    public void Reference_statistics_are_those_of_the_real_family()
    {
        // The reference std is that of U(low, high): (high − low)/√12.
        QuadraticFitReport.ReferenceStdA.Should().BeApproximately((QuadraticFitReport.UniformHigh - QuadraticFitReport.UniformLow) / Math.Sqrt(12), 1e-15);
        QuadraticFitReport.ReferenceMeanA.Should().Be((QuadraticFitReport.UniformLow + QuadraticFitReport.UniformHigh) / 2);

        // The uniform range the report tests against is the range the real curves are drawn from: 20,000 real curves
        // fill it to within 0.001 at both ends and never leave it.
        double[] a = FittedA(RealCurves(7, 20_000));
        a.Min().Should().BeGreaterThanOrEqualTo(QuadraticFitReport.UniformLow - 1e-5).And.BeLessThan(QuadraticFitReport.UniformLow + 1e-3);
        a.Max().Should().BeLessThanOrEqualTo(QuadraticFitReport.UniformHigh + 1e-5).And.BeGreaterThan(QuadraticFitReport.UniformHigh - 1e-3);
    }

    private static double[] FittedA(Matrix curves)
    {
        var fits = new LinearFit[curves.Rows];
        QuadraticFitReport.FitRows(curves, fits);
        return fits.Select(f => f.A).ToArray();
    }

    [Fact]
    public void FitRows_returns_each_curve_s_fit()
    {
        Matrix curves = Curves(3, (i, x) => ((1 + (0.25 * i)) * x * x) + (0.5 * i));
        curves[2, 3] = float.NaN;
        var fits = new LinearFit[4];

        QuadraticFitReport.FitRows(curves, fits);

        fits[0].A.Should().BeApproximately(1, 1e-6);
        fits[0].B.Should().BeApproximately(0, 1e-6);
        fits[1].A.Should().BeApproximately(1.25, 1e-6);
        fits[1].B.Should().BeApproximately(0.5, 1e-6);
        fits[2].A.Should().Be(double.NaN);
        fits[3].Should().Be(default(LinearFit));

        var tooShort = () => QuadraticFitReport.FitRows(curves, new LinearFit[2]);
        tooShort.Should().Throw<ArgumentException>().WithParameterName("fits").WithMessage("*3*2*");
        var twoColumns = () => QuadraticFitReport.FitRows(new Matrix(1, 2), new LinearFit[1]);
        twoColumns.Should().Throw<ArgumentException>().WithParameterName("curves");
    }

    [Fact]
    public void Bad_input_throws_with_names_and_sizes()
    {
        var nullMatrix = () => QuadraticFitReport.Compute(null!);
        nullMatrix.Should().Throw<ArgumentNullException>().WithParameterName("curves");

        var noRows = () => QuadraticFitReport.Compute(new Matrix(0, 15));
        noRows.Should().Throw<ArgumentException>().WithParameterName("curves").WithMessage("*no curves*");

        var twoColumns = () => QuadraticFitReport.Compute(new Matrix(5, 2));
        twoColumns.Should().Throw<ArgumentException>().WithParameterName("curves").WithMessage("*2 points*at least 3*");

        var ragged = () => QuadraticFitReport.Compute(new float[31], 2);
        ragged.Should().Throw<ArgumentException>().WithParameterName("values").WithMessage("*31*2*");

        var zeroCount = () => QuadraticFitReport.Compute(new float[30], 0);
        zeroCount.Should().Throw<ArgumentOutOfRangeException>().WithParameterName("count");
    }
}
