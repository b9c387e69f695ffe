using GanCore.Layers;
using GanCore.Optimizers;

namespace GanCore.Tests.Optimizers;

/// <summary>Bad optimizer settings throw the documented exception, naming the setting and its value.</summary>
public class OptimizerBadInputTests
{
    private static Parameter[] Parameters() => [new Parameter("w", 2, 2)];

    [Theory]
    [InlineData(0f)]
    [InlineData(-0.1f)]
    [InlineData(float.NaN)]
    [InlineData(float.PositiveInfinity)]
    public void A_learning_rate_that_is_not_a_finite_positive_number_is_rejected(float lr)
    {
        Action sgd = () => _ = new Sgd(Parameters(), lr);
        Action adam = () => _ = new Adam(Parameters(), lr);
        Action setter = () => new Sgd(Parameters(), 0.1f).LearningRate = lr;

        // The constructors name their parameter; the property setter names the property.
        foreach ((Action act, string name) in new[] { (sgd, "learningRate"), (adam, "learningRate"), (setter, "LearningRate") })
        {
            act.Should().Throw<ArgumentOutOfRangeException>().WithParameterName(name)
                .WithMessage($"The learning rate must be a finite number > 0.*Actual value was {lr}.");
        }
    }

    [Theory]
    [InlineData(1f, 0.999f, "beta1")]
    [InlineData(-0.1f, 0.999f, "beta1")]
    [InlineData(float.NaN, 0.999f, "beta1")]
    [InlineData(0.9f, 1f, "beta2")]
    [InlineData(0.9f, 1.5f, "beta2")]
    public void Adam_rejects_a_beta_outside_0_to_1(float beta1, float beta2, string name)
    {
        Action act = () => _ = new Adam(Parameters(), 1e-3f, beta1, beta2);
        float value = name == "beta1" ? beta1 : beta2;
        act.Should().Throw<ArgumentOutOfRangeException>().WithParameterName(name).WithMessage($"{name} must be in [0, 1).*Actual value was {value}.");
    }

    [Theory]
    [InlineData(0f)]
    [InlineData(-1e-8f)]
    [InlineData(float.NaN)]
    public void Adam_rejects_a_bad_epsilon(float epsilon)
    {
        Action act = () => _ = new Adam(Parameters(), epsilon: epsilon);
        act.Should().Throw<ArgumentOutOfRangeException>().WithParameterName(nameof(epsilon));
    }

    [Theory]
    [InlineData(-0.1f)]
    [InlineData(float.NaN)]
    [InlineData(float.PositiveInfinity)]
    public void A_bad_weight_decay_is_rejected(float decay)
    {
        Action sgd = () => _ = new Sgd(Parameters(), weightDecay: decay);
        Action adam = () => _ = new Adam(Parameters(), weightDecay: decay);
        sgd.Should().Throw<ArgumentOutOfRangeException>().WithParameterName("weightDecay").WithMessage("weightDecay must be a finite number ≥ 0.*");
        adam.Should().Throw<ArgumentOutOfRangeException>().WithParameterName("weightDecay");
    }

    [Theory]
    [InlineData(1f)]
    [InlineData(-0.5f)]
    public void SGD_rejects_momentum_outside_0_to_1(float momentum)
    {
        Action act = () => _ = new Sgd(Parameters(), momentum: momentum);
        act.Should().Throw<ArgumentOutOfRangeException>().WithParameterName(nameof(momentum)).WithMessage($"momentum must be in [0, 1).*Actual value was {momentum}.");
    }

    [Fact]
    public void Nesterov_without_momentum_is_rejected()
    {
        Action act = () => _ = new Sgd(Parameters(), nesterov: true);
        act.Should().Throw<ArgumentException>().WithParameterName("nesterov").WithMessage("Nesterov momentum needs momentum > 0 (momentum is 0).*");
    }

    [Fact]
    public void Null_and_repeated_parameters_are_rejected()
    {
        Parameter w = Parameters()[0];
        Action nullList = () => _ = new Sgd(null!);
        Action nullItem = () => _ = new Adam([w, null!]);
        Action repeated = () => _ = new Adam([w, w]);
        nullList.Should().Throw<ArgumentNullException>().WithParameterName("parameters");
        nullItem.Should().Throw<ArgumentException>().WithMessage("Parameter 1 in the list is null.*");
        repeated.Should().Throw<ArgumentException>().WithMessage("The same parameter appears twice*");
    }

    [Fact]
    public void Names_show_the_settings()
    {
        new Sgd(Parameters(), 0.5f, momentum: 0.9f, nesterov: true).Name.Should().Be("Sgd(lr=0.5, momentum=0.9, nesterov, weightDecay=0)");
        new Adam(Parameters(), 0.25f).ToString().Should().StartWith("Adam(lr=0.25, β1=0.9, β2=0.999");
    }
}
