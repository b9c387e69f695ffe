using System.Globalization;
using GanCore.Tensors;
using ScottPlot;

namespace Mixtures;

/// <summary>The sample's figures, drawn with ScottPlot and saved as PNG.</summary>
internal static class Plots
{
    public const int Width = 800;
    public const int Height = 800;
    public const int TrainingWidth = 900;
    public const int TrainingHeight = 600;
    public const int DiscriminatorHeight = 1500;

    /// <summary>Generated points over the mode centres (crosses) and their 3σ circles, on equal axis units.</summary>
    public static void Scatter(string path, Matrix points, MixtureDataset data, ModeCoverage coverage, string subtitle)
    {
        var plot = new Plot();
        var xs = new double[points.Rows];
        var ys = new double[points.Rows];
        for (int i = 0; i < points.Rows; i++)
        {
            xs[i] = points[i, 0];
            ys[i] = points[i, 1];
        }

        var generated = plot.Add.Markers(xs, ys);
        generated.MarkerSize = 3;
        generated.Color = Colors.SteelBlue.WithAlpha(0.45);
        generated.LegendText = $"generated ({points.Rows})";

        double radius = ModeCoverage.RadiusInSigmas * data.Sigma;
        for (int k = 0; k < data.ModeCount; k++)
        {
            var circle = plot.Add.Circle(data.CentreX[k], data.CentreY[k], radius);
            circle.LineColor = coverage.Counts[k] >= ModeCoverage.MinimumPerMode ? Colors.ForestGreen : Colors.FireBrick;
            circle.LineWidth = 1.5f;
            circle.FillColor = Colors.Transparent;
        }

        var centres = plot.Add.Markers(data.CentreX, data.CentreY);
        centres.MarkerShape = MarkerShape.Cross;
        centres.MarkerSize = 9;
        centres.Color = Colors.Black;
        centres.LegendText = "mode centre (circle: 3σ; green covered, red missed)";

        double extent = data.Name == "grid" ? 5.5 : 2.75;
        plot.Axes.SetLimits(-extent, extent, -extent, extent);
        plot.Axes.SquareUnits();
        plot.Title($"{data.Name}: {coverage.ModesCovered} of {data.ModeCount} modes, {coverage.HighQualityShare:P1} within 3σ\n{subtitle}");
        plot.XLabel("x");
        plot.YLabel("y");
        plot.ShowLegend(Edge.Bottom);
        plot.SavePng(path, Width, Height);
    }

    /// <summary>
    /// What <see cref="DiscriminatorProbe"/> measured, against steps, in three panels: σ_max of each of D's weight
    /// matrices; D's mean slope ‖∇ₓD‖ on real and on generated points (the axis fitted to the rows after step 0, when a
    /// normalized layer's u is still random and its slope can be far above the rest); and the gap between D's mean
    /// outputs on the two, whose sign says which D rates higher (its axis fitted the same way).
    /// </summary>
    public static void Discriminator(string path, IReadOnlyList<ProbeRow> rows, IReadOnlyList<string> layerNames, string subtitle)
    {
        var multiplot = new Multiplot(); // starts with one subplot
        while (multiplot.Subplots.Count < 3)
        {
            multiplot.AddPlot(new Plot());
        }

        multiplot.Layout = new ScottPlot.MultiplotLayouts.Grid(rows: 3, columns: 1);
        double[] steps = rows.Select(r => (double)r.Step).ToArray();
        static void Line(Plot plot, double[] xs, IEnumerable<double> values, string label, Color color) => AddLine(plot, xs, values.ToArray(), label, color, width: 2);

        Color[] palette = [Colors.SteelBlue, Colors.DarkOrange, Colors.ForestGreen, Colors.FireBrick, Colors.Purple];
        Plot scale = multiplot.Subplots.GetPlot(0);
        for (int l = 0; l < layerNames.Count; l++)
        {
            Line(scale, steps, rows.Select(r => r.LargestSingularValues[l]), $"σ_max(W), layer {l + 1}: {layerNames[l]}", palette[l % palette.Length]);
        }

        scale.Title($"D's weight matrices\n{subtitle}");
        scale.XLabel("step");
        scale.YLabel("largest singular value");
        scale.ShowLegend(Alignment.UpperLeft);

        Plot slope = multiplot.Subplots.GetPlot(1);
        Line(slope, steps, rows.Select(r => r.RealSlope), "mean ‖∇ₓD‖, real points", Colors.SteelBlue);
        Line(slope, steps, rows.Select(r => r.FakeSlope), "mean ‖∇ₓD‖, generated points", Colors.DarkOrange);
        bool allNormalized = layerNames.All(n => n.StartsWith("SpectralNormDense", StringComparison.Ordinal));
        slope.Title(allNormalized ? "D's slope where the points lie (at most 1 with every layer normalized, once u has converged)" : "D's slope where the points lie");
        slope.XLabel("step");
        slope.YLabel("‖∇ₓD‖");
        slope.ShowLegend(Alignment.UpperLeft);
        double[] later = rows.Skip(1).SelectMany(r => new[] { r.RealSlope, r.FakeSlope }).Where(double.IsFinite).ToArray();
        if (later.Length > 0)
        {
            slope.Axes.SetLimits(steps[0], Math.Max(steps[^1], steps[0] + 1), 0, 1.15 * Math.Max(later.Max(), 1e-6));
        }

        Plot gap = multiplot.Subplots.GetPlot(2);
        Line(gap, steps, rows.Select(r => r.RealScore - r.FakeScore), "mean D(real) − mean D(generated)", Colors.ForestGreen);
        var zero = gap.Add.HorizontalLine(0);
        zero.Color = Colors.Gray.WithAlpha(0.6);
        zero.LinePattern = LinePattern.Dashed;
        double[] laterGaps = rows.Skip(1).Select(r => r.RealScore - r.FakeScore).Where(double.IsFinite).ToArray();
        if (laterGaps.Length > 0)
        {
            double low = Math.Min(0, laterGaps.Min());
            double high = Math.Max(0, laterGaps.Max());
            double margin = 0.1 * Math.Max(high - low, 1e-6);
            gap.Axes.SetLimits(steps[0], Math.Max(steps[^1], steps[0] + 1), low - margin, high + margin);
        }

        gap.Title("The gap between D's outputs on real and generated points");
        gap.XLabel("step");
        gap.YLabel("D(real) − D(generated)");
        gap.ShowLegend(Alignment.UpperLeft);
        multiplot.SavePng(path, TrainingWidth, DiscriminatorHeight);
    }

    /// <summary>D's mean output on real and generated batches, and both losses, against steps.</summary>
    public static void Training(string path, IReadOnlyList<MetricsRow> rows, string subtitle)
    {
        var plot = new Plot();
        double[] steps = rows.Select(r => (double)r.Step).ToArray();
        void Line(IEnumerable<float> values, string label, Color color) => AddLine(plot, steps, values.Select(v => (double)v).ToArray(), label, color);

        Line(rows.Select(r => r.RealScore), "mean D(x), real", Colors.SteelBlue);
        Line(rows.Select(r => r.FakeScore), "mean D(G(z)), generated", Colors.DarkOrange);
        Line(rows.Select(r => r.DiscriminatorLoss), "D loss", Colors.FireBrick);
        Line(rows.Select(r => r.GeneratorLoss), "G loss", Colors.ForestGreen);
        var half = plot.Add.HorizontalLine(0.5);
        half.Color = Colors.Gray.WithAlpha(0.6);
        half.LinePattern = LinePattern.Dashed;
        plot.Title($"Training\n{subtitle}");
        plot.XLabel("step");
        plot.YLabel("value");
        plot.ShowLegend(Alignment.UpperRight);
        plot.SavePng(path, TrainingWidth, TrainingHeight);
    }

    /// <summary>
    /// The norms of G's and D's gradients before clipping (every 10th step, the rows of metrics.csv; for D the last of
    /// the step's updates), on a log scale, with the limit <paramref name="clipNorm"/> as a dashed line: clipping scaled
    /// down every step above it. The axis spans the norms (and the limit when it is within a decade of them); a zero
    /// norm has no logarithm and leaves a gap in its line.
    /// </summary>
    public static void GradientNorms(string path, IReadOnlyList<MetricsRow> rows, float clipNorm, string subtitle)
    {
        var plot = new Plot();
        double[] steps = rows.Select(r => (double)r.Step).ToArray();
        static double Log(float v) => v > 0 && float.IsFinite(v) ? Math.Log10(v) : double.NaN;
        double[] d = rows.Select(r => Log(r.DiscriminatorGradientNorm)).ToArray();
        double[] g = rows.Select(r => Log(r.GeneratorGradientNorm)).ToArray();
        AddLine(plot, steps, d, "‖∇D‖ before clipping", Colors.FireBrick);
        AddLine(plot, steps, g, "‖∇G‖ before clipping", Colors.ForestGreen);

        double limit = Math.Log10(clipNorm);
        double[] shown = d.Concat(g).Where(double.IsFinite).ToArray();
        double low = shown.Length > 0 ? shown.Min() : limit - 1;
        double high = shown.Length > 0 ? shown.Max() : limit + 1;
        string limitText = string.Create(CultureInfo.InvariantCulture, $"--clip-norm {clipNorm}");
        string yLabel = "norm (log scale)";
        if (limit >= low - 1 && limit <= high + 1)
        {
            low = Math.Min(low, limit);
            high = Math.Max(high, limit);
            var line = plot.Add.HorizontalLine(limit);
            line.Color = Colors.Black.WithAlpha(0.7);
            line.LinePattern = LinePattern.Dashed;
            line.LegendText = limitText;
        }
        else
        {
            // A limit decades away from every norm would squeeze the lines flat: name it instead of drawing it.
            yLabel += $"; {limitText} is {(limit > high ? "above" : "below")} every norm";
        }

        double pad = Math.Max(0.05 * (high - low), 0.1);
        low -= pad;
        high += pad;
        plot.Axes.SetLimitsY(low, high);
        plot.Axes.Left.TickGenerator = LogTicks(low, high);
        plot.Title($"Gradient norms (global L2, all of a network's parameters)\n{subtitle}");
        plot.XLabel("step");
        plot.YLabel(yLabel);
        plot.ShowLegend(Alignment.UpperRight);
        plot.SavePng(path, TrainingWidth, TrainingHeight);
    }

    /// <summary>
    /// Ticks for an axis that plots log₁₀ of its values over [<paramref name="low"/>, <paramref name="high"/>]: a
    /// labelled tick at every power of ten, minor ticks at 2–9 times it, and, when the axis spans less than a decade
    /// and a half (padding included: under two and a half), labels at 2 and 5 times each power too, so that a narrow range still reads.
    /// </summary>
    private static ScottPlot.TickGenerators.NumericManual LogTicks(double low, double high)
    {
        var ticks = new ScottPlot.TickGenerators.NumericManual();
        bool narrow = high - low < 2.5;
        for (int k = (int)Math.Floor(low); k <= (int)Math.Ceiling(high); k++)
        {
            for (int m = 1; m <= 9; m++)
            {
                double at = k + Math.Log10(m);
                if (at < low || at > high)
                {
                    continue;
                }

                if (m == 1 || (narrow && m is 2 or 5))
                {
                    ticks.AddMajor(at, (m * Math.Pow(10, k)).ToString("g3", CultureInfo.InvariantCulture));
                }
                else
                {
                    ticks.AddMinor(at);
                }
            }
        }

        return ticks;
    }

    /// <summary>A line through (xs, ys) without markers, in the legend as <paramref name="label"/>; ScottPlot's width unless <paramref name="width"/> is given.</summary>
    private static void AddLine(Plot plot, double[] xs, double[] ys, string label, Color color, float? width = null)
    {
        var line = plot.Add.Scatter(xs, ys);
        line.LegendText = label;
        line.MarkerSize = 0;
        line.Color = color;
        if (width is { } w)
        {
            line.LineWidth = w;
        }
    }
}
