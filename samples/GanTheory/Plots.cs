using System.Globalization;
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

    /// <summary>
    /// JSD(P₀‖P_θ) and W₁(P₀, P_θ) against θ for the parallel lines: JSD jumps from 0 at θ = 0 to log 2 everywhere
    /// else, W₁ = |θ| is continuous. (KL, +∞ away from 0, cannot be drawn.)
    /// </summary>
    public static void Wasserstein(string path, IReadOnlyList<ParallelLinesRow> rows)
    {
        var plot = new Plot();
        ParallelLinesRow[] left = [.. rows.Where(r => r.Theta < 0)];
        ParallelLinesRow[] right = [.. rows.Where(r => r.Theta > 0)];
        ParallelLinesRow[] zero = [.. rows.Where(r => r.Theta == 0)];
        Color jsdColor = Colors.FireBrick;
        Color wColor = Colors.SteelBlue;

        AddLine(plot, [.. rows.Select(r => r.Theta)], [.. rows.Select(r => r.Wasserstein)], "W₁(P₀, P_θ) = |θ|", wColor, 2.5f, LinePattern.Solid);
        AddLine(plot, [.. left.Select(r => r.Theta)], [.. left.Select(r => r.JensenShannon)], "JSD(P₀‖P_θ) = log 2 for θ ≠ 0", jsdColor, 2.5f, LinePattern.Solid);
        AddLine(plot, [.. right.Select(r => r.Theta)], [.. right.Select(r => r.JensenShannon)], string.Empty, jsdColor, 2.5f, LinePattern.Solid);
        foreach (ParallelLinesRow r in zero)
        {
            var atZero = plot.Add.Marker(r.Theta, r.JensenShannon);
            atZero.Color = jsdColor;
            atZero.Size = 10;
            atZero.LegendText = "JSD = 0 at θ = 0 only";
            var open = plot.Add.Marker(0, Math.Log(2));
            open.Color = jsdColor;
            open.Size = 10;
            open.Shape = MarkerShape.OpenCircle;
        }

        plot.Title("Parallel lines P₀ = (0, U[0,1]) and P_θ = (θ, U[0,1]) (Arjovsky et al. 2017)\nJSD is flat (no gradient) except for a jump at 0; W₁ shrinks with the distance");
        plot.XLabel("θ");
        plot.YLabel("divergence (nats) / distance");
        plot.ShowLegend(Alignment.UpperCenter);
        plot.Axes.SetLimits(-1.05, 1.05, -0.05, 1.25);
        plot.SavePng(path, Width, Height);
    }

    /// <summary>
    /// Goodfellow et al.'s Figure 1, computed: four panels (2 × 2), one per moment of training, each with p_data,
    /// p_g (kernel density of G's samples), the learned σ(D(x)) and D* = p_data/(p_data + p_g).
    /// </summary>
    public static void Figure1(string path, Figure1Result result)
    {
        var multiplot = new Multiplot();
        while (multiplot.Subplots.Count < result.Moments.Count)
        {
            multiplot.AddPlot(new Plot());
        }

        multiplot.Layout = new ScottPlot.MultiplotLayouts.Grid(rows: 2, columns: 2);
        for (int k = 0; k < result.Moments.Count; k++)
        {
            Figure1Moment m = result.Moments[k];
            Plot plot = multiplot.Subplots.GetPlot(k);
            AddLine(plot, m.Grid, m.Data, "p_data = N(4, 0.5²)", Colors.Black, 2, LinePattern.Dotted);
            AddLine(plot, m.Grid, m.Generator, "p_g (KDE of G's samples)", Colors.ForestGreen, 2.5f, LinePattern.Solid);
            AddLine(plot, m.Grid, m.Learned, "learned D = σ(logit)", Colors.RoyalBlue, 2.5f, LinePattern.Dashed);
            AddLine(plot, m.Grid, m.Optimal, "D* = p_data / (p_data + p_g)", Colors.DarkOrange, 2, LinePattern.Solid);
            var half = plot.Add.HorizontalLine(0.5);
            half.Color = Colors.Gray.WithAlpha(0.6);
            half.LinePattern = LinePattern.Dotted;
            half.LineWidth = 1;
            char letter = (char)('a' + k);
            plot.Title(string.Create(CultureInfo.InvariantCulture, $"({letter}) step {m.Step}: JSD = {m.JensenShannon:F4}, W₁ = {m.Wasserstein:F3}, max |D − ½| = {m.Spread:F3}"));
            plot.XLabel("x");
            double top = Math.Max(1.05, 1.05 * Math.Max(m.Data.Max(), m.Generator.Max()));
            plot.Axes.SetLimits(m.Grid[0], m.Grid[^1], 0, top);
            if (k == 0)
            {
                plot.ShowLegend(Alignment.UpperCenter);
            }
            else
            {
                plot.HideLegend();
            }
        }

        multiplot.SavePng(path, 1400, 1000);
    }

    private static void AddLine(Plot plot, double[] xs, double[] ys, string legend, Color color, float width, LinePattern pattern)
    {
        var line = plot.Add.Scatter(xs, ys);
        if (legend.Length > 0)
        {
            line.LegendText = legend;
        }

        line.Color = color;
        line.LineWidth = width;
        line.MarkerSize = 0;
        line.LinePattern = pattern;
    }
}
