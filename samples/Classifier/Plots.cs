using GanCore.Models;
using GanCore.Tensors;
using MathNet.Numerics.LinearAlgebra;
using ScottPlot;

namespace Classifier;

/// <summary>The sample's two figures, drawn with ScottPlot and saved as PNG.</summary>
internal static class Plots
{
    private const int Width = 900;
    private const int Height = 700;
    private const int Grid = 240;

    /// <summary>
    /// The predicted class over a grid, with the examples on top. Two features: the true decision regions in the
    /// original units. More: the regions on the plane through the training mean spanned by the first two principal
    /// components of the standardized training data (a slice of the feature space), with the examples projected onto it.
    /// Returns a one-line description of what was drawn.
    /// </summary>
    public static string DecisionBoundary(string path, Sequential model, PreparedData data, string subtitle)
    {
        int d = data.Features;
        Matrix standardized = data.Scaler.Apply(data.All.Features);

        // Coordinates of every example in the plotted plane, and the map from a plane point back to model input.
        double[] px = new double[data.All.Count];
        double[] py = new double[data.All.Count];
        Func<double, double, int, float> toInput;
        string xLabel;
        string yLabel;
        string description;
        if (d == 2)
        {
            for (int i = 0; i < px.Length; i++)
            {
                px[i] = data.All.Features[i, 0];
                py[i] = data.All.Features[i, 1];
            }

            toInput = (u, v, j) => (float)(((j == 0 ? u : v) - data.Scaler.Mean[j]) / data.Scaler.Std[j]);
            xLabel = data.All.FeatureNames?[0] ?? "feature 0";
            yLabel = data.All.FeatureNames?[1] ?? "feature 1";
            description = "decision regions over the two features";
        }
        else
        {
            (double[] pc1, double[] pc2, double share) = PrincipalPlane(data.Training.Features);
            for (int i = 0; i < px.Length; i++)
            {
                ReadOnlySpan<float> z = standardized.Row(i);
                for (int j = 0; j < d; j++)
                {
                    px[i] += z[j] * pc1[j];
                    py[i] += z[j] * pc2[j];
                }
            }

            toInput = (u, v, j) => (float)((u * pc1[j]) + (v * pc2[j]));
            xLabel = "principal component 1 (standardized features)";
            yLabel = "principal component 2";
            description = string.Create(System.Globalization.CultureInfo.InvariantCulture, $"decision regions on the plane of principal components 1 and 2 through the mean ({share * 100:F0}% of the variance)");
        }

        (double xMin, double xMax) = Padded(px);
        (double yMin, double yMax) = Padded(py);
        var grid = new Matrix(Grid * Grid, d);
        for (int r = 0; r < Grid; r++)
        {
            double v = yMax - ((r + 0.5) * (yMax - yMin) / Grid); // row 0 at the top
            for (int c = 0; c < Grid; c++)
            {
                double u = xMin + ((c + 0.5) * (xMax - xMin) / Grid);
                Span<float> input = grid.Row((r * Grid) + c);
                for (int j = 0; j < d; j++)
                {
                    input[j] = toInput(u, v, j);
                }
            }
        }

        int[] predicted = Experiment.Predict(model, grid);
        var intensities = new double[Grid, Grid];
        for (int r = 0; r < Grid; r++)
        {
            for (int c = 0; c < Grid; c++)
            {
                intensities[r, c] = predicted[(r * Grid) + c];
            }
        }

        int classes = data.Classes;
        var palette = new ScottPlot.Palettes.Category10();
        Color[] colors = Enumerable.Range(0, classes).Select(k => palette.GetColor(k)).ToArray();
        var plot = new Plot();
        var heatmap = plot.Add.Heatmap(intensities);
        // A fine palette (100 entries per class), so that class k, at the middle of its band of the range
        // [−0.5, K − 0.5], gets color k however the palette rounds a position to an entry.
        Color[] bands = Enumerable.Range(0, 100 * classes).Select(i => colors[i / 100].Lighten(0.6)).ToArray();
        heatmap.Colormap = new ScottPlot.Colormaps.CustomPalette(bands);
        heatmap.ManualRange = new ScottPlot.Range(-0.5, classes - 0.5);
        heatmap.Rectangle = new CoordinateRect(xMin, xMax, yMin, yMax);
        for (int k = 0; k < classes; k++)
        {
            int[] members = Enumerable.Range(0, data.All.Count).Where(i => (int)data.All.Labels[i, 0] == k).ToArray();
            if (members.Length == 0)
            {
                continue;
            }

            var points = plot.Add.ScatterPoints(members.Select(i => px[i]).ToArray(), members.Select(i => py[i]).ToArray());
            points.Color = colors[k];
            points.MarkerSize = data.All.Count > 3000 ? 3 : 5;
            points.LegendText = $"class {k}";
        }

        plot.Axes.SetLimits(xMin, xMax, yMin, yMax);
        plot.Title($"{char.ToUpperInvariant(description[0])}{description[1..]}\n{subtitle}");
        plot.XLabel(xLabel);
        plot.YLabel(yLabel);
        plot.ShowLegend(Alignment.UpperRight);
        plot.SavePng(path, Width, Height);
        return description;
    }

    /// <summary>Loss (left axis) and accuracy (right axis) per epoch, training and validation.</summary>
    public static void Curves(string path, IReadOnlyList<EpochRow> history, int bestEpoch, string subtitle)
    {
        var plot = new Plot();
        double[] epochs = history.Select(h => (double)h.Epoch).ToArray();
        void Line(double[] ys, string label, Color color, bool right, bool dashed)
        {
            if (ys.Length == 0 || ys.All(double.IsNaN))
            {
                return;
            }

            var line = plot.Add.Scatter(epochs, ys);
            line.LegendText = label;
            line.Color = color;
            line.MarkerSize = 0;
            line.LineWidth = 2;
            line.LinePattern = dashed ? LinePattern.Dashed : LinePattern.Solid;
            if (right)
            {
                line.Axes.YAxis = plot.Axes.Right;
            }
        }

        Line(history.Select(h => (double)h.Loss).ToArray(), "training loss", Colors.FireBrick, false, false);
        Line(history.Select(h => (double)h.ValidationLoss).ToArray(), "validation loss", Colors.FireBrick, false, true);
        Line(history.Select(h => (double)h.Accuracy).ToArray(), "training accuracy (right axis)", Colors.SteelBlue, true, false);
        Line(history.Select(h => (double)h.ValidationAccuracy).ToArray(), "validation accuracy (right axis)", Colors.SteelBlue, true, true);
        if (bestEpoch > 0)
        {
            var best = plot.Add.VerticalLine(bestEpoch);
            best.Color = Colors.Gray.WithAlpha(0.7);
            best.LinePattern = LinePattern.Dotted;
            best.LegendText = $"lowest validation loss (epoch {bestEpoch})";
        }

        plot.Axes.Right.Label.Text = "accuracy";
        plot.Axes.SetLimitsY(0, 1.02, plot.Axes.Right);
        plot.Title($"Softmax cross-entropy and accuracy per epoch\n{subtitle}");
        plot.XLabel("epoch");
        plot.YLabel("loss (mean cross-entropy)");
        plot.ShowLegend(Alignment.UpperCenter);
        plot.SavePng(path, Width, Height);
    }

    private static (double Min, double Max) Padded(double[] values)
    {
        double min = values.Min();
        double max = values.Max();
        double pad = Math.Max(1e-6, (max - min) * 0.08);
        return (min - pad, max + pad);
    }

    /// <summary>The first two principal axes of the (already standardized) features and the share of variance they hold.</summary>
    private static (double[] First, double[] Second, double Share) PrincipalPlane(Matrix standardized)
    {
        int n = standardized.Rows;
        int d = standardized.Columns;
        Matrix<double> x = Matrix<double>.Build.Dense(n, d, (i, j) => standardized[i, j]);
        Matrix<double> covariance = x.TransposeThisAndMultiply(x) / Math.Max(1, n - 1);
        var evd = covariance.Evd(Symmetricity.Symmetric);
        double[] values = evd.EigenValues.Select(c => c.Real).ToArray();
        int[] order = Enumerable.Range(0, d).OrderByDescending(i => values[i]).ToArray();
        double total = values.Sum(v => Math.Max(0, v));
        double[] first = evd.EigenVectors.Column(order[0]).ToArray();
        double[] second = evd.EigenVectors.Column(order[1]).ToArray();
        double share = total > 0 ? (Math.Max(0, values[order[0]]) + Math.Max(0, values[order[1]])) / total : 0;
        return (first, second, share);
    }
}
