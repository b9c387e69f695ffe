using GanCore.Adversarial;
using GanCore.Diagnostics;
using GanCore.Randomness;
using GanCore.Tensors;

namespace QuadraticGan;

/// <summary>The fit of the curves generated under one label of the conditional experiment.</summary>
/// <param name="Label">The label: 0 for a ≤ 1.5 ("lower"), 1 for a &gt; 1.5 ("upper").</param>
/// <param name="Count">How many curves were generated under the label.</param>
/// <param name="ALow">The lower end of the label's range of a.</param>
/// <param name="AHigh">The upper end of the label's range of a.</param>
/// <param name="RightSideShare">The share of curves whose fitted a lies on the label's side of 1.5 (non-finite curves count as wrong).</param>
/// <param name="InBandShare">The share of curves inside [x², 2x² + 1] within 0.1 at every point (as in the unconditional report).</param>
/// <param name="KsA">The KS statistic of the fitted a against U(<paramref name="ALow"/>, <paramref name="AHigh"/>).</param>
/// <param name="MeanA">The mean fitted a; the reference is the middle of the range.</param>
/// <param name="StdA">The standard deviation of the fitted a.</param>
/// <param name="ReferenceStdA">The standard deviation of U(<paramref name="ALow"/>, <paramref name="AHigh"/>): 0.5/√12 = 0.1443.</param>
/// <param name="MedianResidualRms">The median RMS residual of the fits.</param>
internal sealed record ClassFitReport(int Label, int Count, double ALow, double AHigh, double RightSideShare, double InBandShare, double KsA, double MeanA, double StdA, double ReferenceStdA, double MedianResidualRms)
{
    /// <summary>The Fréchet distance and k-NN precision/recall of the label's curves against as many fresh real curves
    /// of the label (a ~ U(<see cref="ALow"/>, <see cref="AHigh"/>)); null when not computed.</summary>
    public SampleDistances? Distances { get; init; }
}

/// <summary>How the label 0/1 is fed to G and D as the condition vector c.</summary>
internal enum LabelEncoding
{
    /// <summary>One column holding the label, 0 or 1 (406_conditional_GAN's).</summary>
    Scalar,

    /// <summary>Two columns, the one-hot vector of the label: (1, 0) for label 0, (0, 1) for label 1.</summary>
    OneHot,
}

/// <summary>
/// The conditional experiment (MorvanZhou's 406_conditional_GAN): the curves of the quadratic family with the label
/// c = 1 when a &gt; 1.5 ("upper"), else 0. G receives [z, c] and D receives [x, c].
/// </summary>
internal static class ConditionalQuadratic
{
    /// <summary>The value of a that separates the two labels.</summary>
    public const double Split = 1.5;

    /// <summary>The width of the scalar condition: one column holding the label 0 or 1.</summary>
    public const int ConditionWidth = 1;

    /// <summary>The width of the condition vector under <paramref name="encoding"/>: 1 (scalar) or 2 (one-hot).</summary>
    public static int WidthOf(LabelEncoding encoding) => encoding == LabelEncoding.OneHot ? 2 : ConditionWidth;

    /// <summary>The label of a curve with parameter a: 1 when a &gt; 1.5, else 0.</summary>
    public static int LabelOf(double a) => a > Split ? 1 : 0;

    /// <summary>Writes the condition vector of <paramref name="label"/> (0 or 1) under <paramref name="encoding"/> into <paramref name="condition"/>.</summary>
    public static void Encode(int label, LabelEncoding encoding, Span<float> condition)
    {
        if (encoding == LabelEncoding.OneHot)
        {
            condition[0] = label == 0 ? 1f : 0f;
            condition[1] = label == 0 ? 0f : 1f;
        }
        else
        {
            condition[0] = label;
        }
    }

    /// <summary>The condition vectors of a column of labels (0 or 1) under <paramref name="encoding"/>: the labels themselves when scalar.</summary>
    public static Matrix Encode(Matrix labels, LabelEncoding encoding)
    {
        if (encoding == LabelEncoding.Scalar)
        {
            return labels;
        }

        var conditions = new Matrix(labels.Rows, WidthOf(encoding));
        for (int i = 0; i < labels.Rows; i++)
        {
            Encode((int)labels[i, 0], encoding, conditions.Row(i));
        }

        return conditions;
    }

    /// <summary>Real (curve, condition) pairs: one draw a ~ U(1, 2) per row, as the unconditional sampler draws, and its label encoded by <paramref name="encoding"/>.</summary>
    public static IConditionalRealDataSampler CreateSampler(LabelEncoding encoding = LabelEncoding.Scalar) => new ConditionalDelegateSampler(QuadraticFamily.PointCount, WidthOf(encoding), (batch, conditions, random) =>
    {
        for (int i = 0; i < batch.Rows; i++)
        {
            double a = random.NextUniform(QuadraticFamily.ALow, QuadraticFamily.AHigh);
            QuadraticFamily.Evaluate(a, batch.Row(i));
            Encode(LabelOf(a), encoding, conditions.Row(i));
        }
    });

    /// <summary>The labels of <paramref name="count"/> generated curves: the first half 0, the rest 1; or all <paramref name="only"/> when given.</summary>
    public static Matrix Labels(int count, int? only = null)
    {
        var labels = new Matrix(count, ConditionWidth);
        int zeros = count / 2;
        for (int i = 0; i < count; i++)
        {
            labels[i, 0] = only ?? (i < zeros ? 0 : 1);
        }

        return labels;
    }

    /// <summary>The per-label fit reports of generated curves (one report per label present in <paramref name="labels"/>);
    /// with <paramref name="distanceSeed"/>, each also gets its distances to fresh real curves of its label (<see cref="SampleDistances.ForLabel"/>).</summary>
    public static IReadOnlyList<ClassFitReport> Compute(Matrix curves, Matrix labels, ulong? distanceSeed = null)
    {
        var reports = new List<ClassFitReport>();
        for (int label = 0; label <= 1; label++)
        {
            var rows = new List<int>();
            for (int i = 0; i < labels.Rows; i++)
            {
                if ((int)labels[i, 0] == label)
                {
                    rows.Add(i);
                }
            }

            if (rows.Count > 0)
            {
                reports.Add(ComputeClass(curves, rows, label, distanceSeed));
            }
        }

        return reports;
    }

    private static ClassFitReport ComputeClass(Matrix curves, List<int> rows, int label, ulong? distanceSeed)
    {
        var subset = new Matrix(rows.Count, curves.Columns);
        for (int i = 0; i < rows.Count; i++)
        {
            curves.Row(rows[i]).CopyTo(subset.Row(i));
        }

        QuadraticFitReport fit = QuadraticFitReport.Compute(subset);
        var fits = new LinearFit[subset.Rows];
        QuadraticFitReport.FitRows(subset, fits);
        double[] a = fits.Select(f => f.A).Where(double.IsFinite).ToArray();
        double low = label == 0 ? QuadraticFamily.ALow : Split;
        double high = label == 0 ? Split : QuadraticFamily.AHigh;
        int rightSide = a.Count(v => LabelOf(v) == label);
        double mean = a.Length == 0 ? double.NaN : a.Average();
        double std = a.Length < 2 ? double.NaN : Math.Sqrt(a.Sum(v => (v - mean) * (v - mean)) / (a.Length - 1));
        return new ClassFitReport(
            label,
            rows.Count,
            low,
            high,
            (double)rightSide / rows.Count,
            fit.InBandShare,
            a.Length == 0 ? double.NaN : KolmogorovSmirnov.StatisticUniform(a, low, high),
            mean,
            std,
            (high - low) / Math.Sqrt(12),
            fit.MedianResidualRms)
        {
            Distances = distanceSeed is { } seed ? SampleDistances.ForLabel(subset, label, seed) : null,
        };
    }

    /// <summary>Fresh real curves and their labels, for the distance metrics of the report.</summary>
    public static (Matrix Curves, Matrix Labels) Real(int count, RandomSource random)
    {
        var curves = new Matrix(count, QuadraticFamily.PointCount);
        var labels = new Matrix(count, ConditionWidth);
        CreateSampler().Fill(curves, labels, random);
        return (curves, labels);
    }
}
