using GanCore.Losses;
using GanCore.Randomness;
using GanCore.Tensors;
using GanCore.Tests.Testing;

namespace GanCore.Tests.Losses;

/// <summary>SoftmaxCrossEntropy's value, gradient, stability and target forms; the accuracy helper.</summary>
public class SoftmaxCrossEntropyTests
{
    private static Matrix Indices(params float[] classes) => Matrix.FromRows(classes.Length, 1, classes);

    private static Matrix OneHot(int classes, params int[] labels)
    {
        var m = new Matrix(labels.Length, classes);
        for (int i = 0; i < labels.Length; i++)
        {
            m[i, labels[i]] = 1f;
        }

        return m;
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Gradient_matches_finite_differences(bool oneHot)
    {
        var random = new RandomSource(51);
        Matrix z = GradientChecker.Uniform(5, 4, random, -3f, 3f);
        int[] labels = [0, 3, 1, 1, 2];
        Matrix t = oneHot ? OneHot(4, labels) : Indices([.. labels.Select(l => (float)l)]);
        var g = new Matrix(5, 4);
        var loss = new SoftmaxCrossEntropy();
        loss.Compute(z, t, g);

        GradientChecker.AssertMatches(() => loss.Compute(z, t), new GradientVariable("logits", z, g));
    }

    [Fact]
    public void A_gradient_without_the_mean_over_rows_fails_the_check()
    {
        var random = new RandomSource(52);
        Matrix z = GradientChecker.Uniform(5, 4, random, -3f, 3f);
        Matrix t = Indices(0, 3, 1, 1, 2);
        var g = new Matrix(5, 4);
        var loss = new SoftmaxCrossEntropy();
        loss.Compute(z, t, g);
        for (int i = 0; i < g.Length; i++)
        {
            g.Span[i] *= 5f; // forgot to divide by the batch
        }

        GradientChecker.Check(() => loss.Compute(z, t), new GradientVariable("logits", z, g)).Passed.Should().BeFalse();
    }

    [Fact]
    public void Value_is_the_mean_over_rows_of_logsumexp_minus_the_true_logit()
    {
        var z = Matrix.FromRows(2, 3, [1f, 2f, 3f, 0.5f, -1f, 2f]);
        double row0 = Math.Log(Math.Exp(1) + Math.Exp(2) + Math.Exp(3)) - 1;
        double row1 = Math.Log(Math.Exp(0.5) + Math.Exp(-1) + Math.Exp(2)) - 2;
        var loss = new SoftmaxCrossEntropy();

        loss.Compute(z, Indices(0, 2)).Should().BeApproximately((float)((row0 + row1) / 2), 1e-6f);
        loss.Compute(z, OneHot(3, 0, 2)).Should().Be(loss.Compute(z, Indices(0, 2)));
    }

    [Fact]
    public void Huge_logits_stay_finite_and_exact()
    {
        var z = Matrix.FromRows(2, 3, [1000f, 0f, -1000f, 5000f, 5001f, -5000f]);
        var g = new Matrix(2, 3);
        float value = new SoftmaxCrossEntropy().Compute(z, Indices(2, 0), g);

        // Row 0: logsumexp = 1000 (+ e^−1000 terms), ℓ = 2000. Row 1: logsumexp = 5001 + log(1 + e^−1), ℓ = 1 + log(1 + e^−1).
        value.Should().BeApproximately((float)((2000 + 1 + Math.Log(1 + Math.Exp(-1))) / 2), 1e-3f);
        g.Span.ToArray().Should().OnlyContain(v => float.IsFinite(v));
        g[0, 0].Should().BeApproximately(0.5f, 1e-7f);   // (1 − 0)/2
        g[0, 2].Should().BeApproximately(-0.5f, 1e-7f);  // (0 − 1)/2
    }

    [Theory]
    [InlineData(3f, "*targets[1, 0] is 3*0..2*")]
    [InlineData(-1f, "*targets[1, 0] is -1*0..2*")]
    [InlineData(1.5f, "*targets[1, 0] is 1.5*integer*")]
    [InlineData(float.NaN, "*targets[1, 0] is NaN*")]
    public void A_bad_class_index_names_the_row_and_the_value(float bad, string message)
    {
        var z = new Matrix(2, 3);
        Action act = () => new SoftmaxCrossEntropy().Compute(z, Indices(0, bad));
        act.Should().Throw<ArgumentException>().WithMessage(message).Which.ParamName.Should().Be("targets");
    }

    [Fact]
    public void A_bad_one_hot_row_names_the_row()
    {
        var z = new Matrix(2, 3);
        var loss = new SoftmaxCrossEntropy();
        ((Action)(() => loss.Compute(z, Matrix.FromRows(2, 3, [1, 0, 0, 0.5f, 0.5f, 0])))).Should().Throw<ArgumentException>().WithMessage("*targets[1, 0] is 0.5*");
        ((Action)(() => loss.Compute(z, Matrix.FromRows(2, 3, [1, 0, 0, 1, 1, 0])))).Should().Throw<ArgumentException>().WithMessage("*row 1 has 2 ones*");
        ((Action)(() => loss.Compute(z, Matrix.FromRows(2, 3, [1, 0, 0, 0, 0, 0])))).Should().Throw<ArgumentException>().WithMessage("*row 1 has 0 ones*");
        ((Action)(() => loss.Compute(z, new Matrix(2, 2)))).Should().Throw<ArgumentException>().WithMessage("*2×2*2×1 (class indices) or 2×3 (one-hot rows)*");
        ((Action)(() => loss.Compute(new Matrix(2, 1), Indices(0, 0)))).Should().Throw<ArgumentException>().WithMessage("*at least 2 classes*");
        ((Action)(() => loss.Compute(Matrix.FromRows(1, 2, [float.PositiveInfinity, 0]), Indices(0)))).Should().Throw<ArgumentException>().WithMessage("*predictions[0, 0] is Infinity*");
    }

    [Fact]
    public void Accuracy_counts_the_arg_max_for_both_target_forms()
    {
        var z = Matrix.FromRows(4, 3, [0.1f, 0.7f, 0.2f, 3f, 1f, 2f, -1f, -2f, -0.5f, 1f, 1f, 0f]);

        Classification.Accuracy(z, Indices(1, 0, 0, 0)).Should().Be(0.75f); // row 2's arg-max is 2; row 3's tie goes to the first
        Classification.Accuracy(z, OneHot(3, 1, 0, 2, 1)).Should().Be(0.75f);
        Classification.Accuracy(z, Indices(1, 0, 2, 0)).Should().Be(1f);
    }

    [Fact]
    public void Accuracy_rejects_bad_input_with_the_same_messages()
    {
        var z = new Matrix(2, 3);
        ((Action)(() => Classification.Accuracy(z, Indices(0, 7)))).Should().Throw<ArgumentException>().WithMessage("*targets[1, 0] is 7*");
        ((Action)(() => Classification.Accuracy(new Matrix(0, 3), new Matrix(0, 1)))).Should().Throw<ArgumentException>().WithMessage("*0 rows*");
        ((Action)(() => Classification.Accuracy(Matrix.FromRows(1, 2, [float.NaN, 0]), Indices(0)))).Should().Throw<ArgumentException>().WithMessage("*predictions[0, 0] is NaN*");
        ((Action)(() => Classification.Accuracy(null!, z))).Should().Throw<ArgumentNullException>();
    }
}
