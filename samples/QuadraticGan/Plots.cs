using GanCore.Diagnostics;
using GanCore.Samples;
using GanCore.Tensors;
using ScottPlot;

namespace QuadraticGan;

/// <summary>The sample's three figures, drawn with ScottPlot and saved as PNG.</summary>
internal static class Plots
{
    private const int Width = 900;
    private const int Height = 600;

    /// <summary>
    /// Draws and encodes one tiny plot, so that ScottPlot's and Skia's one-time start-up (typefaces, text shaping, the
    /// PNG encoder) is paid before the real figures. The CLI runs it on a background thread while training keeps the
    /// other core busy.
    /// </summary>
    public static void WarmUp()
    {
        var plot = new Plot();
        plot.Add.Scatter(new double[] { 0, 1 }, new double[] { 0, 1 });
        plot.Title("warm-up");
        plot.XLabel("x");
        plot.YLabel("y");
        _ = plot.GetImageBytes(64, 48, ImageFormat.Png);
    }

    /// <summary>The original experiment's figure: generated curves against the two bounds x² and 2x² + 1, with mean D(x) and the D score.
    /// With <paramref name="labels"/> (the conditional experiment), <paramref name="count"/>/2 curves of each label in two colours, and the split 1.5x² + 0.5.</summary>
    public static void Curves(string path, Matrix curves, double dAccuracy, double dScore, string subtitle, int count = 12, Matrix? labels = null)
    {
        var plot = new Plot();
        double[] xs = QuadraticFamily.X.ToArray().Select(v => (double)v).ToArray();
        double[] lower = xs.Select(x => x * x).ToArray();
        double[] upper = xs.Select(x => (2 * x * x) + 1).ToArray();
        var drawn = new int[2];
        for (int i = 0; i < curves.Rows; i++)
        {
            int label = labels is null ? 0 : (int)labels[i, 0];
            int limit = labels is null ? count : count / 2;
            if (drawn[label] >= limit)
            {
                continue;
            }

            double[] ys = curves.Row(i).ToArray().Select(v => (double)v).ToArray();
            var line = plot.Add.Scatter(xs, ys);
            line.MarkerSize = 4;
            line.LineWidth = 1.5f;
            line.Color = (label == 0 ? Colors.SteelBlue : Colors.SeaGreen).WithAlpha(0.75);
            if (drawn[label] == 0)
            {
                line.LegendText = labels is null ? "generated" : label == 0 ? "generated, label 0 (a ≤ 1.5)" : "generated, label 1 (a > 1.5)";
            }

            drawn[label]++;
        }

        if (labels is not null)
        {
            var split = plot.Add.Scatter(xs, xs.Select(x => (1.5 * x * x) + 0.5).ToArray());
            split.LegendText = "1.5x² + 0.5 (a = 1.5, the split)";
            split.Color = Colors.Gray;
            split.LineWidth = 2;
            split.MarkerSize = 0;
            split.LinePattern = LinePattern.Dotted;
        }

        var low = plot.Add.Scatter(xs, lower);
        low.LegendText = "x² (a = 1)";
        low.Color = Colors.FireBrick;
        low.LineWidth = 3;
        low.MarkerSize = 0;
        low.LinePattern = LinePattern.Dashed;
        var high = plot.Add.Scatter(xs, upper);
        high.LegendText = "2x² + 1 (a = 2)";
        high.Color = Colors.DarkOrange;
        high.LineWidth = 3;
        high.MarkerSize = 0;
        high.LinePattern = LinePattern.Dashed;

        plot.Title($"Generated curves vs. the bounds of a·x² + (a − 1), a ~ U(1, 2)\n{subtitle}");
        plot.XLabel("x");
        plot.YLabel("y");
        plot.Add.Annotation($"D accuracy (mean D(x)) {SampleConsole.OverSteps(dAccuracy, "F3")}   D score {SampleConsole.OverSteps(dScore, "F3")} (−log 4 = −1.386)", Alignment.UpperCenter);
        plot.ShowLegend(Alignment.UpperLeft);
        plot.SavePng(path, Width, Height);
    }

    /// <summary>D accuracy (mean D(x)) and D score (−D loss) against steps, with reference lines at 0.5 and −log 4.</summary>
    public static void Training(string path, IReadOnlyList<MetricsRow> rows, string subtitle)
    {
        var plot = new Plot();
        double[] steps = rows.Select(r => (double)r.Step).ToArray();
        var accuracy = plot.Add.Scatter(steps, rows.Select(r => (double)r.RealScore).ToArray());
        accuracy.LegendText = "D accuracy: mean D(x)";
        accuracy.MarkerSize = 0;
        accuracy.Color = Colors.SteelBlue;
        var score = plot.Add.Scatter(steps, rows.Select(r => (double)r.DiscriminatorScore).ToArray());
        score.LegendText = "D score: −D loss";
        score.MarkerSize = 0;
        score.Color = Colors.FireBrick;
        var half = plot.Add.HorizontalLine(0.5);
        half.LegendText = "0.5";
        half.Color = Colors.SteelBlue.WithAlpha(0.6);
        half.LinePattern = LinePattern.Dashed;
        var logFour = plot.Add.HorizontalLine(-Math.Log(4));
        logFour.LegendText = "−log 4";
        logFour.Color = Colors.FireBrick.WithAlpha(0.6);
        logFour.LinePattern = LinePattern.Dashed;
        plot.Title($"Discriminator during training\n{subtitle}");
        plot.XLabel("step");
        plot.YLabel("value");
        plot.ShowLegend(Alignment.LowerRight);
        plot.SavePng(path, Width, Height);
    }

    /// <summary>A histogram of the fitted a of the generated curves against the U(1, 2) density.</summary>
    public static void AHistogram(string path, double[] fittedA, QuadraticFitReport report, string subtitle)
    {
        const double binWidth = 0.05;
        const double start = 0.5;
        const int bins = 40; // 0.5 .. 2.5
        var counts = new double[bins];
        foreach (double a in fittedA)
        {
            int b = (int)Math.Floor((a - start) / binWidth);
            counts[Math.Clamp(b, 0, bins - 1)]++;
        }

        double n = Math.Max(1, fittedA.Length);
        var plot = new Plot();
        var bars = plot.Add.Bars(Enumerable.Range(0, bins).Select(b => start + ((b + 0.5) * binWidth)).ToArray(), counts.Select(c => c / (n * binWidth)).ToArray());
        foreach (Bar bar in bars.Bars)
        {
            bar.Size = binWidth * 0.95;
            bar.FillColor = Colors.SteelBlue.WithAlpha(0.7);
            bar.LineWidth = 0;
        }

        bars.LegendText = "fitted a (generated)";
        double[] ux = [start, 1, 1, 2, 2, start + (bins * binWidth)];
        double[] uy = [0, 0, 1, 1, 0, 0];
        var uniform = plot.Add.Scatter(ux, uy);
        uniform.LegendText = "U(1, 2) density";
        uniform.Color = Colors.FireBrick;
        uniform.LineWidth = 2.5f;
        uniform.MarkerSize = 0;
        plot.Title($"Fitted a of {fittedA.Length} generated curves\n{subtitle}");
        plot.XLabel("a");
        plot.YLabel("density");
        plot.Add.Annotation($"KS {report.KsA:F3}   mean {report.MeanA:F3}   std {report.StdA:F3} (U(1,2): 0.289)", Alignment.UpperRight);
        plot.ShowLegend(Alignment.UpperLeft);
        plot.SavePng(path, Width, Height);
    }
}
