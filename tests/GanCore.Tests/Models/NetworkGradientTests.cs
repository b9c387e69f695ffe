using GanCore.Layers;
using GanCore.Losses;
using GanCore.Models;
using GanCore.Randomness;
using GanCore.Tensors;
using GanCore.Tests.Testing;

namespace GanCore.Tests.Models;

/// <summary>A whole 3-layer Sequential network (with fused Dense+activation pairs) against finite differences.</summary>
public class NetworkGradientTests
{
    public static TheoryData<string, string> Hidden => new()
    {
        { "Tanh", "LeakyReLU" },
        { "ReLU", "Sigmoid" },
        { "LeakyReLU", "Tanh" },
    };

    internal static Layer Activation(string name) => name switch
    {
        "ReLU" => new ReLU(),
        "LeakyReLU" => new LeakyReLU(0.1f),
        "Sigmoid" => new Sigmoid(),
        "Tanh" => new Tanh(),
        _ => throw new ArgumentOutOfRangeException(nameof(name)),
    };

    /// <summary>
    /// Builds Dense(3→6) → a → Dense(6→5) → b → Dense(5→2) and a batch whose every ReLU/LeakyReLU pre-activation
    /// keeps <see cref="GradientChecker.KinkMargin"/> from 0, trying seeds in order until one does.
    /// </summary>
    internal static (Sequential Model, Matrix Input) NetworkAwayFromKinks(string first, string second, int batch = 4)
    {
        for (ulong seed = 100; seed < 1100; seed++)
        {
            var random = new RandomSource(seed);
            var model = new Sequential(
                new Dense(3, 6, random), Activation(first),
                new Dense(6, 5, random), Activation(second),
                new Dense(5, 2, random));
            foreach (Layer layer in model.Layers)
            {
                if (layer is Dense d)
                {
                    random.FillUniform(d.Bias.Value.Span, -0.3f, 0.3f);
                }
            }

            Matrix x = GradientChecker.Uniform(batch, 3, random);
            if (MinimumKinkDistance(model, x) >= GradientChecker.KinkMargin)
            {
                return (model, x);
            }
        }

        throw new InvalidOperationException("No seed kept the pre-activations away from the kinks.");
    }

    /// <summary>The smallest |z| over the pre-activations that feed a ReLU or LeakyReLU, computed in double.</summary>
    internal static double MinimumKinkDistance(Sequential model, Matrix input)
    {
        double[,] x = ToDouble(input);
        double minimum = double.PositiveInfinity;
        foreach (Layer layer in model.Layers)
        {
            switch (layer)
            {
                case Dense d:
                    var z = new double[x.GetLength(0), d.OutputSize];
                    for (int i = 0; i < x.GetLength(0); i++)
                    {
                        for (int j = 0; j < d.OutputSize; j++)
                        {
                            double s = d.Bias.Value[0, j];
                            for (int k = 0; k < d.InputSize; k++)
                            {
                                s += x[i, k] * d.Weights.Value[k, j];
                            }

                            z[i, j] = s;
                        }
                    }

                    x = z;
                    break;
                case ActivationLayer a:
                    for (int i = 0; i < x.GetLength(0); i++)
                    {
                        for (int j = 0; j < x.GetLength(1); j++)
                        {
                            double v = x[i, j];
                            if (a is ReLU or LeakyReLU)
                            {
                                minimum = Math.Min(minimum, Math.Abs(v));
                            }

                            x[i, j] = a switch
                            {
                                ReLU => Math.Max(v, 0),
                                LeakyReLU l => v > 0 ? v : l.Slope * v,
                                Sigmoid => 1 / (1 + Math.Exp(-v)),
                                Tanh => Math.Tanh(v),
                                _ => v,
                            };
                        }
                    }

                    break;
            }
        }

        return minimum;
    }

    [Theory]
    [MemberData(nameof(Hidden))]
    public void Input_and_parameter_gradients_match_finite_differences(string first, string second)
    {
        (Sequential model, Matrix x) = NetworkAwayFromKinks(first, second);
        Matrix r = GradientChecker.Uniform(x.Rows, model.OutputSize, new RandomSource(5));
        model.ZeroGradients();
        model.Forward(x);
        Matrix dx = model.Backward(r);

        GradientChecker.AssertMatches(() => GradientChecker.Project(model.Forward(x), r), Variables(model, x, dx));
    }

    [Fact]
    public void CheckModel_checks_a_deeper_network_in_one_call()
    {
        (Sequential model, Matrix x) = NetworkAwayFromKinks("Tanh", "Sigmoid", batch: 3);
        Matrix r = GradientChecker.Uniform(3, model.OutputSize, new RandomSource(8));

        GradientCheckResult result = GradientChecker.CheckModel(model, x, r);

        result.Passed.Should().BeTrue(result.Describe());
        result.Checked.Should().Be(x.Rows * x.Columns + model.ParameterCount);
    }

    [Fact]
    public void Network_with_a_loss_matches_finite_differences_of_the_loss()
    {
        (Sequential model, Matrix x) = NetworkAwayFromKinks("LeakyReLU", "Tanh", batch: 6);
        var loss = new BinaryCrossEntropyWithLogits();
        var targets = Matrix.FromRows(6, 2, [0, 1, 1, 0, 1, 1, 0, 0, 1, 0, 0, 1]);
        var g = new Matrix(6, 2);
        model.ZeroGradients();
        loss.Compute(model.Forward(x), targets, g);
        Matrix dx = model.Backward(g);

        GradientChecker.AssertMatches(() => loss.Compute(model.Forward(x), targets), Variables(model, x, dx));
    }

    [Fact]
    public void BackwardParameters_gives_the_same_parameter_gradients_as_Backward()
    {
        (Sequential model, Matrix x) = NetworkAwayFromKinks("Tanh", "ReLU");
        Matrix r = GradientChecker.Uniform(x.Rows, model.OutputSize, new RandomSource(6));
        model.ZeroGradients();
        model.Forward(x);
        model.Backward(r);
        float[][,] expected = model.Parameters.Select(p => p.Gradient.ToArray()).ToArray();

        model.ZeroGradients();
        model.BackwardParameters(r);

        model.Parameters.Select(p => p.Gradient.ToArray()).Should().BeEquivalentTo(expected, o => o.WithStrictOrdering());
    }

    private static GradientVariable[] Variables(Sequential model, Matrix x, Matrix dx)
    {
        var variables = new List<GradientVariable> { new("input", x, dx) };
        foreach (Layer layer in model.Layers)
        {
            foreach (Parameter p in layer.Parameters)
            {
                variables.Add(new GradientVariable($"{layer.Name}.{p.Name}", p.Value, p.Gradient));
            }
        }

        return [.. variables];
    }

    private static double[,] ToDouble(Matrix m)
    {
        var result = new double[m.Rows, m.Columns];
        for (int i = 0; i < m.Rows; i++)
        {
            for (int j = 0; j < m.Columns; j++)
            {
                result[i, j] = m[i, j];
            }
        }

        return result;
    }
}
