using GanCore.Layers;
using GanCore.Randomness;
using GanCore.Tensors;

namespace GanCore.Tests.Layers;

/// <summary>Bad arguments to layers throw the documented exception with a message naming the layer and the values.</summary>
public class LayerBadInputTests
{
    private readonly RandomSource _random = new(61);

    [Fact]
    public void Dense_rejects_an_input_of_the_wrong_width()
    {
        var dense = new Dense(5, 3, _random);
        Action act = () => dense.Forward(new Matrix(4, 6));
        act.Should().Throw<ArgumentException>().WithParameterName("input")
            .WithMessage("Dense(5→3): expected input of shape (batch, 5) but got (4, 6).*");
    }

    [Theory]
    [InlineData("Dense")]
    [InlineData("Tanh")]
    public void Layers_reject_a_batch_of_zero_rows(string kind)
    {
        Layer layer = kind == "Dense" ? new Dense(5, 3, _random) : new Tanh();
        Action act = () => layer.Forward(new Matrix(0, 5));
        act.Should().Throw<ArgumentException>().WithMessage($"{layer.Name}: the input batch has 0 rows*");
    }

    [Theory]
    [InlineData("Dense")]
    [InlineData("ReLU")]
    public void Backward_before_Forward_is_an_invalid_operation(string kind)
    {
        Layer layer = kind == "Dense" ? new Dense(2, 3, _random) : new ReLU();
        Action act = () => layer.Backward(new Matrix(1, 3));
        act.Should().Throw<InvalidOperationException>().WithMessage($"{layer.Name}: Backward was called before any Forward.");
    }

    [Theory]
    [InlineData(4, 2)]
    [InlineData(3, 3)]
    [InlineData(1, 2)]
    public void Backward_rejects_a_gradient_of_the_wrong_shape(int rows, int columns)
    {
        var dense = new Dense(3, 2, _random);
        dense.Forward(new Matrix(3, 3));
        Action act = () => dense.Backward(new Matrix(rows, columns));
        act.Should().Throw<ArgumentException>().WithParameterName("gradientOutput")
            .WithMessage($"Dense(3→2): expected an output gradient of shape (3, 2) — the last output's — but got ({rows}, {columns}).*");

        var sigmoid = new Sigmoid();
        sigmoid.Forward(new Matrix(3, 2));
        Action act2 = () => sigmoid.Backward(new Matrix(rows, columns + 1));
        act2.Should().Throw<ArgumentException>().WithMessage($"Sigmoid: expected an output gradient of shape (3, 2)*but got ({rows}, {columns + 1})*");
    }

    [Fact]
    public void Null_arguments_are_rejected()
    {
        var dense = new Dense(2, 2, _random);
        Action forward = () => dense.Forward(null!);
        Action backward = () => dense.Backward(null!);
        Action noRandom = () => _ = new Dense(2, 2, null!);
        forward.Should().Throw<ArgumentNullException>().WithParameterName("input");
        backward.Should().Throw<ArgumentNullException>().WithParameterName("gradientOutput");
        noRandom.Should().Throw<ArgumentNullException>().WithParameterName("random");
    }

    [Theory]
    [InlineData(0, 3, "inputs")]
    [InlineData(3, 0, "outputs")]
    [InlineData(-1, 3, "inputs")]
    public void Dense_rejects_widths_below_one(int inputs, int outputs, string name)
    {
        Action act = () => _ = new Dense(inputs, outputs, _random);
        act.Should().Throw<ArgumentOutOfRangeException>().WithParameterName(name).WithMessage($"*{Math.Min(inputs, outputs)}*");
    }

    [Theory]
    [InlineData(-0.1f)]
    [InlineData(1f)]
    [InlineData(float.NaN)]
    [InlineData(float.PositiveInfinity)]
    public void LeakyReLU_rejects_a_slope_outside_0_to_1(float slope)
    {
        Action act = () => _ = new LeakyReLU(slope);
        act.Should().Throw<ArgumentOutOfRangeException>().WithParameterName(nameof(slope)).WithMessage("*[0, 1)*");
    }

    [Fact]
    public void A_larger_batch_after_a_smaller_one_works_and_backward_follows_the_last_batch()
    {
        var dense = new Dense(2, 2, _random);
        dense.Forward(new Matrix(2, 2));
        dense.Forward(new Matrix(7, 2)).Rows.Should().Be(7);
        dense.BatchSize.Should().Be(7);
        Action stale = () => dense.Backward(new Matrix(2, 2));
        stale.Should().Throw<ArgumentException>().WithMessage("*shape (7, 2)*got (2, 2)*");
        dense.Backward(new Matrix(7, 2)).Rows.Should().Be(7);
    }
}
