using GanCore.Layers;
using GanCore.Randomness;
using GanCore.Tensors;
using GanCore.Tests.Testing;

namespace GanCore.Tests.Layers;

/// <summary>Every layer's hand-written backward pass against finite differences (see <see cref="GradientChecker"/>).</summary>
public class LayerGradientTests
{
    public static TheoryData<string> Activations => new() { "ReLU", "LeakyReLU", "Sigmoid", "Tanh", "Identity" };

    internal static ActivationLayer CreateActivation(string name) => name switch
    {
        "ReLU" => new ReLU(),
        "LeakyReLU" => new LeakyReLU(0.2f),
        "Sigmoid" => new Sigmoid(),
        "Tanh" => new Tanh(),
        "Identity" => new Identity(),
        _ => throw new ArgumentOutOfRangeException(nameof(name), name, "Unknown activation."),
    };

    /// <summary>Values in ±[margin, margin + 2], so a ±2h perturbation never crosses a ReLU kink.</summary>
    internal static Matrix AwayFromZero(int rows, int columns, RandomSource random)
    {
        Matrix m = GradientChecker.Uniform(rows, columns, random, -2f, 2f);
        Span<float> s = m.Span;
        for (int i = 0; i < s.Length; i++)
        {
            s[i] = MathF.CopySign((float)GradientChecker.KinkMargin + MathF.Abs(s[i]), s[i]);
        }

        return m;
    }

    [Theory]
    [InlineData(4, 3, 5)]
    [InlineData(1, 1, 1)]
    [InlineData(7, 9, 2)]
    public void Dense_gradients_match_finite_differences(int batch, int inputs, int outputs)
    {
        var random = new RandomSource(11);
        var dense = new Dense(inputs, outputs, random);
        random.FillUniform(dense.Bias.Value.Span, -0.5f, 0.5f); // non-zero biases, so a dropped bias term shows
        Matrix x = GradientChecker.Uniform(batch, inputs, random);
        Matrix r = GradientChecker.Uniform(batch, outputs, random);

        dense.Forward(x);
        Matrix dx = dense.Backward(r);

        GradientChecker.AssertMatches(
            () => GradientChecker.Project(dense.Forward(x), r),
            new GradientVariable("input", x, dx),
            new GradientVariable("weights", dense.Weights.Value, dense.Weights.Gradient),
            new GradientVariable("bias", dense.Bias.Value, dense.Bias.Gradient));
    }

    [Theory]
    [MemberData(nameof(Activations))]
    public void Activation_input_gradient_matches_finite_differences(string name)
    {
        var random = new RandomSource(12);
        ActivationLayer layer = CreateActivation(name);
        Matrix x = AwayFromZero(5, 6, random);
        Matrix r = GradientChecker.Uniform(5, 6, random);

        layer.Forward(x);
        Matrix dx = layer.Backward(r);

        GradientChecker.AssertMatches(() => GradientChecker.Project(layer.Forward(x), r), new GradientVariable("input", x, dx));
    }

    [Theory]
    [MemberData(nameof(Activations))]
    public void Activation_forward_matches_its_formula(string name)
    {
        var random = new RandomSource(13);
        ActivationLayer layer = CreateActivation(name);
        Matrix x = GradientChecker.Uniform(3, 4, random, -3f, 3f);
        Matrix y = layer.Forward(x);
        for (int i = 0; i < 3; i++)
        {
            for (int j = 0; j < 4; j++)
            {
                double v = x[i, j];
                double expected = name switch
                {
                    "ReLU" => Math.Max(v, 0),
                    "LeakyReLU" => v > 0 ? v : 0.2 * v,
                    "Sigmoid" => 1 / (1 + Math.Exp(-v)),
                    "Tanh" => Math.Tanh(v),
                    _ => v,
                };
                ((double)y[i, j]).Should().BeApproximately(expected, 2e-6, "{0}({1})", name, v);
            }
        }
    }

    [Fact]
    public void Activations_have_no_parameters()
    {
        foreach (string name in new[] { "ReLU", "LeakyReLU", "Sigmoid", "Tanh", "Identity" })
        {
            CreateActivation(name).Parameters.Should().BeEmpty();
        }
    }
}
