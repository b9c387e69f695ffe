using System.Globalization;
using System.Text.Json.Serialization;
using GanCore.Diagnostics;
using GanCore.Tensors;

namespace QuadraticGan;

/// <summary>
/// How well a batch of generated curves matches the quadratic family <c>y = a·x² + (a − 1)</c>, a ~ U(1, 2)
/// (see <see cref="QuadraticFamily"/>). A discriminator near chance does not mean the generator is good; this
/// report judges the generator by its samples. Each curve is fitted to <c>a·x² + b</c> by least squares over
/// x = linspace(−1, 1, <see cref="PointCount"/>) and the report gives:
/// <list type="number">
/// <item><description><see cref="InBandShare"/>: the share of curves inside [x², 2x² + 1] within <see cref="BandTolerance"/> at every point;</description></item>
/// <item><description><see cref="MedianResidualRms"/>: the median residual RMS of the fits (is the shape quadratic?);</description></item>
/// <item><description><see cref="MeanOffsetError"/>: the mean |b − (a − 1)| (does the intercept follow a?);</description></item>
/// <item><description><see cref="MeanA"/>, <see cref="StdA"/> and <see cref="KsA"/>: the distribution of the fitted a against U(1, 2). A small
/// <see cref="StdA"/> and a large <see cref="KsA"/> are the mode-collapse signal.</description></item>
/// </list>
/// </summary>
/// <remarks>
/// <para>
/// The properties are plain values, so the report serializes directly with System.Text.Json. Undefined statistics
/// are NaN (for example <see cref="StdA"/> of a single curve); the type allows named floating-point literals so
/// such a report still serializes ("NaN").
/// </para>
/// <para>
/// A curve holding NaN or an infinity (a diverged generator) is counted in <see cref="CurveCount"/> and in
/// <see cref="NonFiniteCount"/>, counts as out of band, and is left out of the fit statistics, which cover the
/// <see cref="FittedCount"/> finite curves.
/// </para>
/// </remarks>
[JsonNumberHandling(JsonNumberHandling.AllowNamedFloatingPointLiterals)]
public sealed record QuadraticFitReport
{
    /// <summary>How far, in y, a point may lie outside the band [x², 2x² + 1] and still count as inside: 0.1.</summary>
    public const double BandTolerance = 0.1;

    /// <summary>The lower end of the reference distribution U(1, 2) of a.</summary>
    public const double UniformLow = QuadraticFamily.ALow;

    /// <summary>The upper end of the reference distribution U(1, 2) of a.</summary>
    public const double UniformHigh = QuadraticFamily.AHigh;

    /// <summary>The mean of U(1, 2): 1.5.</summary>
    public const double ReferenceMeanA = 1.5;

    /// <summary>The standard deviation of U(1, 2): 1/√12 ≈ 0.288675.</summary>
    public const double ReferenceStdA = 0.28867513459481287;

    /// <summary>The default pass threshold of <see cref="MeetsThresholds"/> for <see cref="InBandShare"/>: at least 0.9.</summary>
    public const double DefaultMinInBandShare = 0.9;

    /// <summary>The default pass threshold of <see cref="MeetsThresholds"/> for <see cref="KsA"/>: at most 0.11.</summary>
    public const double DefaultMaxKsA = 0.11;

    /// <summary>
    /// The fewest grid points a curve may have: 3. With 2 points (x = ±1) every x² is 1 and a cannot be told apart from b.
    /// </summary>
    public const int MinimumPointCount = 3;

    /// <summary>The number of curves in the batch.</summary>
    public int CurveCount { get; init; }

    /// <summary>The number of grid points per curve (15 in the flagship sample).</summary>
    public int PointCount { get; init; }

    /// <summary>The number of curves that hold NaN or an infinity; they are out of band and not fitted.</summary>
    public int NonFiniteCount { get; init; }

    /// <summary>The number of finite curves, which the fit statistics describe: <see cref="CurveCount"/> − <see cref="NonFiniteCount"/>.</summary>
    public int FittedCount { get; init; }

    /// <summary>
    /// The share, in [0, 1], of all curves with x_j² − 0.1 ≤ y_j ≤ 2x_j² + 1 + 0.1 at every grid point j.
    /// </summary>
    public double InBandShare { get; init; }

    /// <summary>The median over the fitted curves of the residual RMS of the least-squares fit a·x² + b (0 for exact quadratics).</summary>
    public double MedianResidualRms { get; init; }

    /// <summary>The mean over the fitted curves of |b − (a − 1)|: how far the intercept is from the one the family ties to a.</summary>
    public double MeanOffsetError { get; init; }

    /// <summary>The mean of the fitted a (reference <see cref="ReferenceMeanA"/>).</summary>
    public double MeanA { get; init; }

    /// <summary>
    /// The sample standard deviation (with n − 1) of the fitted a (reference <see cref="ReferenceStdA"/>); NaN for
    /// fewer than 2 fitted curves. Near 0 means mode collapse.
    /// </summary>
    public double StdA { get; init; }

    /// <summary>The one-sample Kolmogorov–Smirnov statistic of the fitted a against U(1, 2), in [0, 1]; NaN when nothing was fitted.</summary>
    public double KsA { get; init; }

    /// <summary>The asymptotic p-value of <see cref="KsA"/> (see <see cref="KolmogorovSmirnov.PValue"/>); NaN when nothing was fitted.</summary>
    public double KsAPValue { get; init; }

    /// <summary>Computes the report for the curves in the rows of <paramref name="curves"/>.</summary>
    /// <param name="curves">One curve per row (at least one row), sampled at linspace(−1, 1, Columns); at least <see cref="MinimumPointCount"/> columns; any stride.</param>
    /// <returns>The report.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="curves"/> is null.</exception>
    /// <exception cref="ArgumentException">The matrix has no rows or fewer than <see cref="MinimumPointCount"/> columns.</exception>
    public static QuadraticFitReport Compute(Matrix curves)
    {
        ArgumentNullException.ThrowIfNull(curves);
        CheckShape(curves.Rows, curves.Columns, nameof(curves));
        return ComputeCore(curves.Span, curves.Rows, curves.Columns, curves.Stride);
    }

    /// <summary>Computes the report for <paramref name="count"/> curves stored row after row in <paramref name="values"/>.</summary>
    /// <param name="values">The curve values, row-major with no gaps; the point count per curve is <c>values.Length / count</c>.</param>
    /// <param name="count">The number of curves (positive).</param>
    /// <returns>The report.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="count"/> is not positive.</exception>
    /// <exception cref="ArgumentException">
    /// The length is not a multiple of <paramref name="count"/>, or gives fewer than <see cref="MinimumPointCount"/> points per curve.
    /// </exception>
    public static QuadraticFitReport Compute(ReadOnlySpan<float> values, int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(count);
        if (values.Length % count != 0)
        {
            throw new ArgumentException($"{values.Length} values do not split into {count} curves of equal length.", nameof(values));
        }

        int columns = values.Length / count;
        CheckShape(count, columns, nameof(values));
        return ComputeCore(values, count, columns, columns);
    }

    /// <summary>
    /// Fits every row of <paramref name="curves"/> to <c>a·x² + b</c> over linspace(−1, 1, Columns) and writes the fits,
    /// for example to plot the histogram of the fitted a next to U(1, 2). A row holding NaN or an infinity gets a fit
    /// whose A, B and ResidualRms are NaN. Allocates only the grid of the column count.
    /// </summary>
    /// <param name="curves">One curve per row; at least <see cref="MinimumPointCount"/> columns; any stride.</param>
    /// <param name="fits">Room for one fit per row; the first <c>curves.Rows</c> elements are written.</param>
    /// <exception cref="ArgumentNullException"><paramref name="curves"/> is null.</exception>
    /// <exception cref="ArgumentException">
    /// The matrix has fewer than <see cref="MinimumPointCount"/> columns, or <paramref name="fits"/> is shorter than its row count.
    /// </exception>
    public static void FitRows(Matrix curves, Span<LinearFit> fits)
    {
        ArgumentNullException.ThrowIfNull(curves);
        if (curves.Columns < MinimumPointCount)
        {
            throw new ArgumentException($"Each curve has {curves.Columns} points; a fit of a·x² + b over linspace(−1, 1, n) needs at least {MinimumPointCount}.", nameof(curves));
        }

        if (fits.Length < curves.Rows)
        {
            throw new ArgumentException($"{curves.Rows} curves need room for {curves.Rows} fits; the destination holds {fits.Length}.", nameof(fits));
        }

        var x = new float[curves.Columns];
        QuadraticFamily.FillGrid(x);
        for (int i = 0; i < curves.Rows; i++)
        {
            ReadOnlySpan<float> y = curves.Row(i);
            fits[i] = IsFinite(y)
                ? LeastSquares.FitQuadratic(x, y)
                : new LinearFit(double.NaN, double.NaN, double.NaN, y.Length);
        }
    }

    /// <summary>
    /// Whether the batch passes the quality gate: <see cref="InBandShare"/> ≥ <paramref name="minInBandShare"/> and
    /// <see cref="KsA"/> ≤ <paramref name="maxKsA"/>. A NaN statistic fails.
    /// </summary>
    /// <param name="minInBandShare">The least acceptable in-band share.</param>
    /// <param name="maxKsA">The largest acceptable KS statistic of the fitted a.</param>
    /// <returns>True when both conditions hold.</returns>
    public bool MeetsThresholds(double minInBandShare = DefaultMinInBandShare, double maxKsA = DefaultMaxKsA) =>
        InBandShare >= minInBandShare && KsA <= maxKsA;

    /// <summary>A one-line summary with the reference values for comparison (invariant culture).</summary>
    /// <returns>The summary.</returns>
    public override string ToString() => string.Create(
        CultureInfo.InvariantCulture,
        $"{CurveCount} curves × {PointCount} points{(NonFiniteCount > 0 ? $" ({NonFiniteCount} non-finite)" : string.Empty)}: " +
        $"in-band {InBandShare * 100:F1}%, median residual RMS {MedianResidualRms:G3}, mean |b-(a-1)| {MeanOffsetError:G3}, " +
        $"a mean {MeanA:F4} std {StdA:F4} (U(1,2): {ReferenceMeanA:F4}, {ReferenceStdA:F4}), KS(a) {KsA:F4} (p {KsAPValue:G3})");

    private static void CheckShape(int count, int columns, string name)
    {
        if (count < 1)
        {
            throw new ArgumentException("The batch holds no curves.", name);
        }

        if (columns < MinimumPointCount)
        {
            throw new ArgumentException($"Each curve has {columns} points; a fit of a·x² + b over linspace(−1, 1, n) needs at least {MinimumPointCount}.", name);
        }
    }

    private static QuadraticFitReport ComputeCore(ReadOnlySpan<float> data, int count, int columns, int stride)
    {
        // The band in double on the exact grid; the fit uses the float grid the generator's curves live on.
        var x = new float[columns];
        var lower = new double[columns];
        var upper = new double[columns];
        QuadraticFamily.FillGrid(x);
        for (int j = 0; j < columns; j++)
        {
            double xj = QuadraticFamily.GridPoint(j, columns);
            lower[j] = (xj * xj) - BandTolerance;
            upper[j] = (2.0 * xj * xj) + 1.0 + BandTolerance;
        }

        var fittedA = new double[count];
        var residuals = new double[count];
        int fitted = 0;
        int inBand = 0;
        int nonFinite = 0;
        double offsetSum = 0;
        for (int i = 0; i < count; i++)
        {
            ReadOnlySpan<float> y = data.Slice(i * stride, columns);
            bool finite = true;
            bool inside = true;
            for (int j = 0; j < columns; j++)
            {
                float v = y[j];
                finite &= float.IsFinite(v);
                inside &= v >= lower[j] && v <= upper[j];
            }

            if (!finite)
            {
                nonFinite++;
                continue;
            }

            if (inside)
            {
                inBand++;
            }

            LinearFit fit = LeastSquares.FitQuadratic(x, y);
            fittedA[fitted] = fit.A;
            residuals[fitted] = fit.ResidualRms;
            offsetSum += Math.Abs(fit.B - (fit.A - 1.0));
            fitted++;
        }

        ReadOnlySpan<double> a = fittedA.AsSpan(0, fitted);
        double ks = fitted > 0 ? KolmogorovSmirnov.StatisticUniform(a, UniformLow, UniformHigh) : double.NaN;
        return new QuadraticFitReport
        {
            CurveCount = count,
            PointCount = columns,
            NonFiniteCount = nonFinite,
            FittedCount = fitted,
            InBandShare = (double)inBand / count,
            MedianResidualRms = Median(residuals.AsSpan(0, fitted)),
            MeanOffsetError = fitted > 0 ? offsetSum / fitted : double.NaN,
            MeanA = Mean(a),
            StdA = SampleStandardDeviation(a),
            KsA = ks,
            KsAPValue = fitted > 0 ? KolmogorovSmirnov.PValue(ks, fitted) : double.NaN,
        };
    }

    private static bool IsFinite(ReadOnlySpan<float> values)
    {
        foreach (float v in values)
        {
            if (!float.IsFinite(v))
            {
                return false;
            }
        }

        return true;
    }

    private static double Mean(ReadOnlySpan<double> values)
    {
        if (values.IsEmpty)
        {
            return double.NaN;
        }

        double sum = 0;
        foreach (double v in values)
        {
            sum += v;
        }

        return sum / values.Length;
    }

    private static double SampleStandardDeviation(ReadOnlySpan<double> values)
    {
        if (values.Length < 2)
        {
            return double.NaN;
        }

        double mean = Mean(values);
        double sum = 0;
        foreach (double v in values)
        {
            sum += (v - mean) * (v - mean);
        }

        return Math.Sqrt(sum / (values.Length - 1));
    }

    private static double Median(Span<double> values)
    {
        if (values.IsEmpty)
        {
            return double.NaN;
        }

        values.Sort();
        int mid = values.Length / 2;
        return values.Length % 2 == 1 ? values[mid] : 0.5 * (values[mid - 1] + values[mid]);
    }
}
