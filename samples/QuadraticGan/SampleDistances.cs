using GanCore.Diagnostics;
using GanCore.Randomness;
using GanCore.Tensors;

namespace QuadraticGan;

/// <summary>
/// How far the generated curves lie from fresh real ones, as whole 15-point vectors: the Fréchet distance of their
/// Gaussian fits and the k-NN precision and recall (Kynkäänniemi et al. 2019). NaN when the generated curves hold a
/// non-finite value or are too few for the neighbourhoods.
/// </summary>
/// <param name="RealCurves">How many fresh real curves were drawn (as many as generated).</param>
/// <param name="FrechetDistance">‖μ_r − μ_g‖² + Tr(Σ_r + Σ_g − 2(Σ_r Σ_g)^½); 0 for identical distributions.</param>
/// <param name="Precision">The share of generated curves inside the real curves' k-NN manifold (quality).</param>
/// <param name="Recall">The share of real curves inside the generated curves' k-NN manifold (coverage).</param>
/// <param name="Neighbors">The k of the k-NN radii.</param>
internal sealed record SampleDistances(int RealCurves, double FrechetDistance, double Precision, double Recall, int Neighbors)
{
    /// <summary>The seed offset of the real reference curves: a stream of their own, so the training stream is untouched.</summary>
    private const ulong ReferenceStream = 0x5EED_0F_2EA1UL;

    /// <summary>Compares <paramref name="generated"/> with as many fresh real curves (with labels drawn the same way when conditional).</summary>
    public static SampleDistances Compute(Matrix generated, TrainSettings s)
    {
        var random = new RandomSource(s.Seed ^ ReferenceStream);
        Matrix real = s.Conditional
            ? ConditionalQuadratic.Real(generated.Rows, random).Curves
            : DrawRealCurves(generated.Rows, random);
        return Between(real, generated);
    }

    /// <summary>
    /// Compares the curves generated under one label with as many fresh real curves of that label, a ~ U(1, 1.5) for
    /// label 0 or U(1.5, 2) for label 1, drawn from a stream of the label's own (the training stream and the
    /// whole-set reference curves are untouched).
    /// </summary>
    /// <param name="generated">The curves generated under <paramref name="label"/>.</param>
    /// <param name="label">0 or 1.</param>
    /// <param name="seed">The run's seed.</param>
    public static SampleDistances ForLabel(Matrix generated, int label, ulong seed)
    {
        var random = new RandomSource(seed ^ ReferenceStream ^ ((ulong)(label + 1) << 40));
        double low = label == 0 ? QuadraticFamily.ALow : ConditionalQuadratic.Split;
        double high = label == 0 ? ConditionalQuadratic.Split : QuadraticFamily.AHigh;
        var real = new Matrix(generated.Rows, QuadraticFamily.PointCount);
        for (int i = 0; i < real.Rows; i++)
        {
            QuadraticFamily.Evaluate(random.NextUniform(low, high), real.Row(i));
        }

        return Between(real, generated);
    }

    private static SampleDistances Between(Matrix real, Matrix generated)
    {
        int k = PrecisionRecall.DefaultNeighbors;
        try
        {
            double fd = GanCore.Diagnostics.FrechetDistance.Compute(real, generated);
            PrecisionRecallResult pr = PrecisionRecall.Compute(real, generated, k);
            return new SampleDistances(real.Rows, fd, pr.Precision, pr.Recall, k);
        }
        catch (ArgumentException)
        {
            // Non-finite generated values, or too few curves for k neighbours: reported as NaN, not as a crash.
            return new SampleDistances(real.Rows, double.NaN, double.NaN, double.NaN, k);
        }
    }

    private static Matrix DrawRealCurves(int count, RandomSource random)
    {
        var curves = new Matrix(count, QuadraticFamily.PointCount);
        QuadraticFamily.Sample(random, curves);
        return curves;
    }
}
