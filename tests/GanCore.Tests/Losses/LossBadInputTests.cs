using GanCore.Losses;
using GanCore.Tensors;

namespace GanCore.Tests.Losses;

/// <summary>Bad loss inputs throw ArgumentException naming the loss, the element and the value.</summary>
public class LossBadInputTests
{
    public static TheoryData<Loss> AllLosses => new() { new MeanSquaredError(), new BinaryCrossEntropy(), new BinaryCrossEntropyWithLogits() };

    [Theory]
    [MemberData(nameof(AllLosses))]
    public void NaN_and_infinity_in_predictions_or_targets_are_rejected(Loss loss)
    {
        foreach (float bad in new[] { float.NaN, float.PositiveInfinity, float.NegativeInfinity })
        {
            var p = Matrix.FromRows(2, 2, [0.5f, 0.5f, 0.5f, 0.5f]);
            var t = Matrix.FromRows(2, 2, [0f, 1f, 1f, 0f]);
            p[1, 0] = bad;
            Action predictions = () => loss.Compute(p, t);
            predictions.Should().Throw<ArgumentException>().WithParameterName("predictions").WithMessage($"{loss.Name}: predictions[1, 0] is {bad}*");

            p[1, 0] = 0.5f;
            t[0, 1] = bad;
            Action targets = () => loss.Compute(p, t, new Matrix(2, 2));
            targets.Should().Throw<ArgumentException>().WithParameterName("targets").WithMessage($"{loss.Name}: targets[0, 1] is {bad}*");
        }
    }

    [Theory]
    [MemberData(nameof(AllLosses))]
    public void An_empty_batch_and_mismatched_shapes_are_rejected(Loss loss)
    {
        Action empty = () => loss.Compute(new Matrix(0, 1), new Matrix(0, 1));
        Action targets = () => loss.Compute(new Matrix(2, 1), new Matrix(2, 2));
        Action gradient = () => loss.Compute(new Matrix(2, 1), new Matrix(2, 1), new Matrix(1, 1));
        Action nullPredictions = () => loss.Compute(null!, new Matrix(1, 1));
        empty.Should().Throw<ArgumentException>().WithMessage($"{loss.Name}: the predictions are empty (0×1).*");
        targets.Should().Throw<ArgumentException>().WithParameterName("targets").WithMessage($"{loss.Name}: targets is 2×2 but the predictions are 2×1.*");
        gradient.Should().Throw<ArgumentException>().WithParameterName("gradient").WithMessage("*gradient is 1×1*");
        nullPredictions.Should().Throw<ArgumentNullException>();
    }

    [Theory]
    [InlineData(1.5f, 0f, "predictions")]
    [InlineData(-0.1f, 0f, "predictions")]
    [InlineData(0.5f, 2f, "targets")]
    [InlineData(0.5f, -1f, "targets")]
    public void BCE_rejects_values_outside_0_to_1(float p, float t, string name)
    {
        Action act = () => new BinaryCrossEntropy().Compute(Matrix.FromRows(1, 1, [p]), Matrix.FromRows(1, 1, [t]));
        act.Should().Throw<ArgumentException>().WithParameterName(name).WithMessage($"BinaryCrossEntropy: {name}[0, 0] is *must lie in [0, 1]*");
    }

    [Fact]
    public void BCE_with_logits_accepts_any_finite_logit_but_rejects_targets_outside_0_to_1()
    {
        var loss = new BinaryCrossEntropyWithLogits();
        loss.Compute(Matrix.FromRows(1, 2, [-1e30f, 1e30f]), Matrix.FromRows(1, 2, [0f, 1f])).Should().Be(0f);
        Action act = () => loss.Compute(Matrix.FromRows(1, 1, [0f]), Matrix.FromRows(1, 1, [1.01f]));
        act.Should().Throw<ArgumentException>().WithParameterName("targets").WithMessage("BinaryCrossEntropyWithLogits: targets[0, 0] is 1.01; targets must lie in [0, 1]*");
    }
}
