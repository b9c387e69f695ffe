using GanCore.Theory;
using ScottPlot;

namespace GanTheory;

/// <summary>The sample's figure, drawn with ScottPlot and saved as PNG.</summary>
internal static class Plots
{
    private const int Width = 900;
    private const int Height = 600;

    /// <summary>
    /// Learned σ(D(x)) against D*(x), with both densities on the same axis (their peaks, 0.40 and 0.50, fit under 1),
    /// and the central 95% of the mixture (where the error is measured) between two dotted lines.
    /// </summary>
    public static void Theory(string path, EmpiricalResult result, EmpiricalSettings settings)
    {
        const double left = -4;
        const double right = 5;
        const int points = 361;
        double[] xs = Enumerable.Range(0, points).Select(i => left + ((right - left) * i / (points - 1))).ToArray();

        var plot = new Plot();
        AddLine(plot, xs, xs.Select(EmpiricalDiscriminator.Data.Density).ToArray(), "p_data = N(0, 1)", Colors.SteelBlue.WithAlpha(0.8), 2, LinePattern.Solid);
        AddLine(plot, xs, xs.Select(EmpiricalDiscriminator.Generator.Density).ToArray(), "p_g = N(1.5, 0.8²)", Colors.DarkOrange.WithAlpha(0.8), 2, LinePattern.Solid);
        DiscriminatorFunction optimal = Game.OptimalDiscriminator(EmpiricalDiscriminator.Data, EmpiricalDiscriminator.Generator);
        AddLine(plot, xs, xs.Select(optimal.Probability).ToArray(), "D*(x) = p_data / (p_data + p_g)", Colors.Black, 3, LinePattern.Dashed);
        AddLine(plot, xs, xs.Select(result.Discriminator.Probability).ToArray(), "learned σ(D(x))", Colors.FireBrick, 2.5f, LinePattern.Solid);

        foreach (double edge in new[] { result.Grid[0], result.Grid[^1] })
        {
            var line = plot.Add.VerticalLine(edge);
            line.Color = Colors.Gray.WithAlpha(0.7);
            line.LinePattern = LinePattern.Dotted;
            line.LineWidth = 1.5f;
        }

        plot.Title($"Learned discriminator vs. the optimal D*\nseed {settings.Seed}, {settings.SamplesPerClass} samples per class, {settings.Epochs} epochs, {result.Steps} Adam steps");
        plot.XLabel("x");
        plot.YLabel("D(x) and density");
        plot.Add.Annotation(
            $"max |σ(D) − D*| = {result.MaxAbsError:F4}\non [{result.Grid[0]:F2}, {result.Grid[^1]:F2}] (central 95%, dotted)\nV(G, D) = {result.Value:F4}\n−log 4 + 2·JSD = {result.Target:F4}",
            Alignment.MiddleLeft);
        plot.ShowLegend(Alignment.UpperRight);
        plot.Axes.SetLimits(left, right, 0, 1.05);
        plot.SavePng(path, Width, Height);
    }

    private static void AddLine(Plot plot, double[] xs, double[] ys, string legend, Color color, float width, LinePattern pattern)
    {
        var line = plot.Add.Scatter(xs, ys);
        line.LegendText = legend;
        line.Color = color;
        line.LineWidth = width;
        line.MarkerSize = 0;
        line.LinePattern = pattern;
    }
}
