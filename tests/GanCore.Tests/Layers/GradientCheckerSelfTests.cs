using GanCore.Kernels;
using GanCore.Layers;
using GanCore.Randomness;
using GanCore.Tensors;
using GanCore.Tests.Testing;

namespace GanCore.Tests.Layers;

/// <summary>
/// The gradient checker must be able to fail: each test computes a deliberately wrong backward pass around a
/// real layer and asserts that the checker catches it (and that the same setup with the right backward passes).
/// </summary>
public class GradientCheckerSelfTests
{
    private readonly RandomSource _random = new(21);

    [Fact]
    public void Catches_a_weight_gradient_scaled_by_1_01()
    {
        (Dense dense, Matrix x, Matrix r, Matrix dx) = DenseSetup(4, 3, 5);
        Elementwise.Scale(1.01f, dense.Weights.Gradient.Span);

        GradientCheckResult result = Check(dense, x, r, dx);

        result.Passed.Should().BeFalse();
        result.Mismatches.Should().OnlyContain(m => m.Variable == "weights");
        result.Mismatches.Count.Should().BeGreaterThan(dense.Weights.Count / 2, "almost every weight gradient is large enough for a 1% error to show");
    }

    [Fact]
    public void Catches_an_input_gradient_scaled_by_1_01()
    {
        (Dense dense, Matrix x, Matrix r, Matrix dx) = DenseSetup(4, 3, 5);
        Elementwise.Scale(1.01f, dx.Span);

        GradientCheckResult result = Check(dense, x, r, dx);

        result.Passed.Should().BeFalse();
        result.Mismatches.Should().OnlyContain(m => m.Variable == "input");
    }

    [Fact]
    public void Catches_an_input_gradient_that_uses_W_instead_of_W_transposed()
    {
        (Dense dense, Matrix x, Matrix r, _) = DenseSetup(3, 4, 4);
        var wrong = new Matrix(3, 4);
        Gemm.Multiply(r, dense.Weights.Value, wrong); // dY·W where dY·Wᵀ is right

        GradientCheckResult result = Check(dense, x, r, wrong);

        result.Passed.Should().BeFalse();
        result.Mismatches.Should().OnlyContain(m => m.Variable == "input");
    }

    [Fact]
    public void Catches_a_dropped_bias_gradient()
    {
        (Dense dense, Matrix x, Matrix r, Matrix dx) = DenseSetup(4, 3, 5);
        dense.Bias.ZeroGradient();

        GradientCheckResult result = Check(dense, x, r, dx);

        result.Passed.Should().BeFalse();
        result.Mismatches.Should().OnlyContain(m => m.Variable == "bias");
        result.Mismatches.Should().HaveCount(5);
    }

    [Fact]
    public void Catches_a_dropped_activation_derivative()
    {
        var tanh = new Tanh();
        Matrix x = GradientChecker.Uniform(4, 3, _random, -2f, 2f);
        Matrix r = GradientChecker.Uniform(4, 3, _random);
        tanh.Forward(x);

        // dX = dY, forgetting the (1 − y²) factor.
        GradientCheckResult result = GradientChecker.Check(() => GradientChecker.Project(tanh.Forward(x), r), new GradientVariable("input", x, r));

        result.Passed.Should().BeFalse();
    }

    [Fact]
    public void The_same_setups_pass_with_the_right_backward()
    {
        (Dense dense, Matrix x, Matrix r, Matrix dx) = DenseSetup(4, 3, 5);
        Check(dense, x, r, dx).Passed.Should().BeTrue();
    }

    [Fact]
    public void AssertMatches_fails_the_test_and_names_the_element()
    {
        (Dense dense, Matrix x, Matrix r, Matrix dx) = DenseSetup(2, 2, 2);
        Elementwise.Scale(1.01f, dense.Weights.Gradient.Span);

        Action act = () => GradientChecker.AssertMatches(
            () => GradientChecker.Project(dense.Forward(x), r),
            new GradientVariable("weights", dense.Weights.Value, dense.Weights.Gradient));

        act.Should().Throw<Exception>().WithMessage("*weights[*numerical*analytic*");
    }

    [Fact]
    public void Tolerance_is_one_formula()
    {
        GradientChecker.IsClose(1.0, 1.0 + 1e-3).Should().BeTrue();
        GradientChecker.IsClose(1.0, 1.01).Should().BeFalse();
        GradientChecker.IsClose(0.0, 5e-5).Should().BeTrue();
        GradientChecker.IsClose(0.0, 5e-4).Should().BeFalse();
        GradientChecker.IsClose(double.NaN, 0.0).Should().BeFalse();
    }

    private (Dense Dense, Matrix X, Matrix R, Matrix Dx) DenseSetup(int batch, int inputs, int outputs)
    {
        var dense = new Dense(inputs, outputs, _random);
        _random.FillUniform(dense.Bias.Value.Span, -0.5f, 0.5f);
        Matrix x = GradientChecker.Uniform(batch, inputs, _random);
        Matrix r = GradientChecker.Uniform(batch, outputs, _random);
        dense.Forward(x);
        var dx = new Matrix(batch, inputs);
        dense.Backward(r).CopyTo(dx);
        return (dense, x, r, dx);
    }

    private static GradientCheckResult Check(Dense dense, Matrix x, Matrix r, Matrix dx) =>
        GradientChecker.Check(
            () => GradientChecker.Project(dense.Forward(x), r),
            new GradientVariable("input", x, dx),
            new GradientVariable("weights", dense.Weights.Value, dense.Weights.Gradient),
            new GradientVariable("bias", dense.Bias.Value, dense.Bias.Gradient));
}
