using GanCore.Layers;
using GanCore.Randomness;
using GanCore.Tensors;
using GanCore.Tests.Testing;

namespace GanCore.Tests.Layers;

/// <summary>
/// Softmax, Dropout, BatchNorm and LayerNorm: every backward pass against finite differences in training and in
/// inference mode, a wrong gradient that the same check must reject, and the forward formulas.
/// </summary>
public class NormalizationDropoutSoftmaxTests
{
    public static TheoryData<string, bool> LayersAndModes
    {
        get
        {
            var data = new TheoryData<string, bool>();
            foreach (string kind in new[] { "Softmax", "Dropout", "BatchNorm", "LayerNorm" })
            {
                data.Add(kind, true);
                data.Add(kind, false);
            }

            return data;
        }
    }

    /// <summary>A layer with non-trivial γ, β and running statistics, and a hook that makes each forward pass deterministic.</summary>
    internal static (Layer Layer, Action BeforeForward) Create(string kind, int features, RandomSource random)
    {
        switch (kind)
        {
            case "Softmax":
                return (new Softmax(), () => { });
            case "Dropout":
                var source = new RandomSource(99);
                RandomSourceState state = source.GetState();
                return (new Dropout(0.4f, source), () => source.SetState(state));
            case "BatchNorm":
                var bn = new BatchNorm(features, momentum: 0.3f);
                random.FillUniform(bn.Gamma.Value.Span, 0.5f, 1.5f);
                random.FillUniform(bn.Beta.Value.Span, -0.5f, 0.5f);
                for (int k = 0; k < 3; k++)
                {
                    bn.Forward(GradientChecker.Uniform(5, features, random, -1f, 3f)); // running statistics away from 0 and 1
                }

                return (bn, () => { });
            case "LayerNorm":
                var ln = new LayerNorm(features);
                random.FillUniform(ln.Gamma.Value.Span, 0.5f, 1.5f);
                random.FillUniform(ln.Beta.Value.Span, -0.5f, 0.5f);
                return (ln, () => { });
            default:
                throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown layer.");
        }
    }

    private static GradientVariable[] Variables(Layer layer, Matrix x, Matrix dx) =>
        [new GradientVariable("input", x, dx), .. layer.Parameters.Select(p => new GradientVariable($"{layer.Name}.{p.Name}", p.Value, p.Gradient))];

    [Theory]
    [MemberData(nameof(LayersAndModes))]
    public void Gradients_match_finite_differences(string kind, bool training)
    {
        var random = new RandomSource(41);
        (Layer layer, Action before) = Create(kind, 5, random);
        layer.IsTraining = training;
        Matrix x = GradientChecker.Uniform(6, 5, random, -2f, 2f);
        Matrix r = GradientChecker.Uniform(6, 5, random);

        before();
        layer.Forward(x);
        Matrix dx = layer.Backward(r);

        GradientChecker.AssertMatches(
            () =>
            {
                before();
                return GradientChecker.Project(layer.Forward(x), r);
            },
            Variables(layer, x, dx));
    }

    [Theory]
    [MemberData(nameof(LayersAndModes))]
    public void A_wrong_gradient_fails_the_same_check(string kind, bool training)
    {
        var random = new RandomSource(42);
        (Layer layer, Action before) = Create(kind, 5, random);
        layer.IsTraining = training;
        Matrix x = GradientChecker.Uniform(6, 5, random, -2f, 2f);
        Matrix r = GradientChecker.Uniform(6, 5, random);
        before();
        Matrix y = layer.Forward(x);
        Matrix dx = layer.Backward(r);

        // Each layer's most likely mistake: the term that couples the elements (or the mask) left out.
        Matrix wrong = new(6, 5);
        for (int i = 0; i < 6; i++)
        {
            for (int j = 0; j < 5; j++)
            {
                wrong[i, j] = kind switch
                {
                    "Softmax" => y[i, j] * r[i, j],                             // missing −Σ dy·y
                    "Dropout" when training => r[i, j],                          // mask ignored
                    "Dropout" => r[i, j] * 1.01f,                               // identity scaled
                    "BatchNorm" when training => r[i, j] * ((BatchNorm)layer).Gamma.Value[0, j] / MathF.Sqrt(Variance(x, j) + 1e-5f), // batch statistics treated as constants
                    "BatchNorm" => dx[i, j] * 1.01f,
                    _ => dx[i, j] + (0.05f * y[i, j]),                         // LayerNorm: a spurious term
                };
            }
        }

        before();
        GradientCheckResult result = GradientChecker.Check(
            () =>
            {
                before();
                return GradientChecker.Project(layer.Forward(x), r);
            },
            new GradientVariable("input", x, wrong));
        result.Passed.Should().BeFalse($"the check must reject a wrong {kind} gradient");
    }

    private static float Variance(Matrix x, int column)
    {
        double mean = 0;
        for (int i = 0; i < x.Rows; i++)
        {
            mean += x[i, column];
        }

        mean /= x.Rows;
        double v = 0;
        for (int i = 0; i < x.Rows; i++)
        {
            v += (x[i, column] - mean) * (x[i, column] - mean);
        }

        return (float)(v / x.Rows);
    }

    [Fact]
    public void A_wrong_parameter_gradient_fails_the_check()
    {
        var random = new RandomSource(43);
        var bn = new BatchNorm(4);
        random.FillUniform(bn.Gamma.Value.Span, 0.5f, 1.5f);
        Matrix x = GradientChecker.Uniform(5, 4, random, -2f, 2f);
        Matrix r = GradientChecker.Uniform(5, 4, random);
        bn.Forward(x);
        bn.Backward(r);
        var scaled = new Matrix(1, 4);
        for (int j = 0; j < 4; j++)
        {
            scaled[0, j] = bn.Gamma.Gradient[0, j] * 1.05f;
        }

        GradientChecker.Check(() => GradientChecker.Project(bn.Forward(x), r), new GradientVariable("gamma", bn.Gamma.Value, scaled))
            .Passed.Should().BeFalse();
    }

    [Fact]
    public void Softmax_rows_are_probabilities_and_stable_for_huge_logits()
    {
        var softmax = new Softmax();
        var x = Matrix.FromRows(3, 3, [1f, 2f, 3f, 1000f, 1000f, -1000f, -5000f, 0f, 5000f]);
        Matrix y = softmax.Forward(x);

        double e1 = Math.Exp(1), e2 = Math.Exp(2), e3 = Math.Exp(3);
        y[0, 0].Should().BeApproximately((float)(e1 / (e1 + e2 + e3)), 1e-6f);
        y[0, 2].Should().BeApproximately((float)(e3 / (e1 + e2 + e3)), 1e-6f);
        y[1, 0].Should().Be(0.5f);
        y[1, 1].Should().Be(0.5f);
        y[1, 2].Should().Be(0f);
        y[2, 2].Should().Be(1f);
        y.Span.ToArray().Should().OnlyContain(v => float.IsFinite(v));
    }

    [Fact]
    public void Dropout_masks_reproduce_scale_the_kept_elements_and_drop_about_the_rate()
    {
        var a = new Dropout(0.3f, new RandomSource(5));
        var b = new Dropout(0.3f, new RandomSource(5));
        var x = new Matrix(200, 50);
        x.Span.Fill(2f);

        float[] ya = a.Forward(x).Span.ToArray();
        float[] yb = b.Forward(x).Span.ToArray();

        ya.Should().Equal(yb, "the same generator state gives the same mask");
        ya.Should().OnlyContain(v => v == 0f || v == 2f / 0.7f);
        double dropped = ya.Count(v => v == 0f) / (double)ya.Length;
        dropped.Should().BeApproximately(0.3, 0.02); // 10,000 Bernoulli(0.3) draws: σ ≈ 0.0046
        a.Forward(x).Span.ToArray().Should().NotEqual(ya, "the next batch draws a new mask");
    }

    [Fact]
    public void Dropout_is_the_identity_in_inference_mode_and_at_rate_zero()
    {
        var random = new RandomSource(6);
        Matrix x = GradientChecker.Uniform(4, 7, random);
        var d = new Dropout(0.5f, new RandomSource(1)) { };
        d.IsTraining = false;
        d.Forward(x).Span.ToArray().Should().Equal(x.Span.ToArray());
        Matrix g = GradientChecker.Uniform(4, 7, random);
        d.Backward(g).Span.ToArray().Should().Equal(g.Span.ToArray());

        var zero = new Dropout(0f, new RandomSource(1));
        zero.Forward(x).Span.ToArray().Should().Equal(x.Span.ToArray());
    }

    [Fact]
    public void BatchNorm_training_normalizes_columns_and_updates_running_statistics_with_PyTorch_momentum()
    {
        var bn = new BatchNorm(2, momentum: 0.25f, epsilon: 1e-5f);
        var x = Matrix.FromRows(4, 2, [1f, 10f, 2f, 20f, 3f, 30f, 4f, 40f]);
        Matrix y = bn.Forward(x);

        // Column 0: mean 2.5, biased variance 1.25, unbiased 5/3.
        y[0, 0].Should().BeApproximately((float)((1 - 2.5) / Math.Sqrt(1.25 + 1e-5)), 1e-6f);
        y[3, 1].Should().BeApproximately((float)((40 - 25) / Math.Sqrt(125 + 1e-5)), 1e-6f);
        bn.RunningMean[0].Should().BeApproximately(0.25f * 2.5f, 1e-6f);
        bn.RunningMean[1].Should().BeApproximately(0.25f * 25f, 1e-5f);
        bn.RunningVariance[0].Should().BeApproximately((0.75f * 1f) + (0.25f * (5f / 3f)), 1e-6f);
        bn.RunningVariance[1].Should().BeApproximately((0.75f * 1f) + (0.25f * (500f / 3f)), 1e-4f);
    }

    [Fact]
    public void BatchNorm_inference_uses_the_running_statistics_and_changes_nothing()
    {
        var bn = new BatchNorm(2, momentum: 1f);
        bn.Gamma.Value.Span.Fill(2f);
        bn.Beta.Value.Span.Fill(0.5f);
        bn.Forward(Matrix.FromRows(3, 2, [0f, 1f, 2f, 1f, 4f, 4f])); // momentum 1: running = batch (unbiased variance)
        float[] mean = bn.RunningMean.ToArray();
        float[] variance = bn.RunningVariance.ToArray();
        mean.Should().Equal(2f, 2f);
        variance[0].Should().BeApproximately(4f, 1e-6f);
        variance[1].Should().BeApproximately(3f, 1e-6f);

        bn.IsTraining = false;
        Matrix y = bn.Forward(Matrix.FromRows(1, 2, [3f, 5f]));

        y[0, 0].Should().BeApproximately((float)((2 * (3 - 2) / Math.Sqrt(4 + 1e-5)) + 0.5), 1e-6f);
        y[0, 1].Should().BeApproximately((float)((2 * (5 - 2) / Math.Sqrt(3 + 1e-5)) + 0.5), 1e-6f);
        bn.RunningMean.ToArray().Should().Equal(mean);
        bn.RunningVariance.ToArray().Should().Equal(variance);
    }

    [Fact]
    public void BatchNorm_training_mode_rejects_a_single_row()
    {
        var bn = new BatchNorm(3);
        Action act = () => bn.Forward(new Matrix(1, 3));
        act.Should().Throw<ArgumentException>().WithMessage("*BatchNorm(3)*at least 2 rows*(1, 3)*");
        bn.IsTraining = false;
        bn.Forward(new Matrix(1, 3)).Rows.Should().Be(1);
    }

    [Fact]
    public void LayerNorm_normalizes_each_row_and_ignores_the_mode()
    {
        var ln = new LayerNorm(4);
        var x = Matrix.FromRows(2, 4, [1f, 2f, 3f, 4f, -10f, 0f, 10f, 20f]);
        float[] training = ln.Forward(x).Span.ToArray();
        double s0 = 1 / Math.Sqrt(1.25 + 1e-5);
        training[0].Should().BeApproximately((float)(-1.5 * s0), 1e-6f);
        training[3].Should().BeApproximately((float)(1.5 * s0), 1e-6f);
        for (int i = 0; i < 2; i++)
        {
            training.Skip(4 * i).Take(4).Sum().Should().BeApproximately(0f, 1e-5f);
        }

        ln.IsTraining = false;
        ln.Forward(x).Span.ToArray().Should().Equal(training);
    }

    [Theory]
    [InlineData("Softmax")]
    [InlineData("Dropout")]
    [InlineData("BatchNorm")]
    [InlineData("LayerNorm")]
    public void Two_backward_passes_after_one_forward_each_equal_the_pass_alone(string kind)
    {
        var random = new RandomSource(44);
        (Layer layer, Action before) = Create(kind, 4, random);
        Matrix x = GradientChecker.Uniform(5, 4, random, -2f, 2f);
        Matrix r1 = GradientChecker.Uniform(5, 4, random);
        Matrix r2 = GradientChecker.Uniform(5, 4, random);

        before();
        layer.Forward(x);
        float[] alone = layer.Backward(r2).Span.ToArray();
        before();
        layer.Forward(x);
        layer.Backward(r1);
        layer.Backward(r2).Span.ToArray().Should().Equal(alone);
    }

    [Theory]
    [InlineData("BatchNorm")]
    [InlineData("LayerNorm")]
    public void Skip_leaves_the_parameter_gradients_untouched_and_returns_the_same_input_gradient(string kind)
    {
        var random = new RandomSource(45);
        (Layer layer, _) = Create(kind, 4, random);
        Matrix x = GradientChecker.Uniform(5, 4, random, -2f, 2f);
        Matrix r = GradientChecker.Uniform(5, 4, random);
        layer.Forward(x);
        float[] accumulate = layer.Backward(r).Span.ToArray();
        float[][] gradients = layer.Parameters.Select(p => p.Gradient.Span.ToArray()).ToArray();

        layer.Backward(r, ParameterGradients.Skip).Span.ToArray().Should().Equal(accumulate);
        layer.Parameters.Select(p => p.Gradient.Span.ToArray()).Should().BeEquivalentTo(gradients, o => o.WithStrictOrdering());
    }
}
