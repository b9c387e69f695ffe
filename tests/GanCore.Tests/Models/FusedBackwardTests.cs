using FluentAssertions;
using GanCore.Layers;
using GanCore.Models;
using GanCore.Randomness;
using GanCore.Tensors;
using GanCore.Tests.Layers;
using GanCore.Tests.Testing;

namespace GanCore.Tests.Models;

/// <summary>
/// Sequential fuses an activation into the forward product of the Dense or SpectralNormDense layer before it, and its
/// derivative into the input-gradient GEMM of the weight layer after it. Every mode of the backward pass (full,
/// parameters only, Skip) must equal the layers run one by one, bit for bit, on the GAN's own shapes (batch 64, 128
/// hidden units: full vectors and column tails), with plain layers, the hidden layers normalized (the Mixtures
/// sample's D) and every layer normalized.
/// </summary>
public class FusedBackwardTests
{
    public static TheoryData<string, string> Activations
    {
        get
        {
            var data = new TheoryData<string, string>();
            foreach (string normalized in new[] { "none", "hidden", "all" })
            {
                foreach (string activation in new[] { "ReLU", "LeakyReLU", "Sigmoid", "Tanh", "Identity" })
                {
                    data.Add(activation, normalized);
                }
            }

            return data;
        }
    }

    [Theory]
    [MemberData(nameof(Activations))]
    public void Every_backward_mode_equals_the_layers_run_one_by_one_bitwise(string activation, string normalized)
    {
        (Sequential model, Layer[] separate) = Twins(activation, normalized, seed: 71);

        // A normalized layer advances its u on every training forward pass: each pass of the model below starts from
        // the u the separate layers started from, so each is the same function of x as their one pass.
        var initial = new Sequential(Build(activation, normalized, seed: 71));
        void Forward(Matrix input)
        {
            model.CopyParametersFrom(initial);
            model.Forward(input);
        }

        var random = new RandomSource(72);
        Matrix x = GradientChecker.Uniform(64, 15, random, -2f, 2f);
        Matrix g = GradientChecker.Uniform(64, 3, random);

        // The layers one by one (Layer.Forward/Backward never fuse).
        Matrix y = x;
        foreach (Layer layer in separate)
        {
            y = layer.Forward(y);
        }

        Matrix d = g;
        for (int i = separate.Length - 1; i >= 0; i--)
        {
            d = separate[i].Backward(d);
        }

        float[] expectedDx = d.Span.ToArray();
        float[][] expectedGradients = Gradients(separate.SelectMany(l => l.Parameters));
        Matrix skipped = g;
        for (int i = separate.Length - 1; i >= 0; i--)
        {
            skipped = separate[i].Backward(skipped, ParameterGradients.Skip);
        }

        float[] expectedSkipDx = skipped.Span.ToArray();

        // Full backward.
        model.ZeroGradients();
        model.CopyParametersFrom(initial);
        model.Forward(x).Span.ToArray().Should().Equal(y.Span.ToArray());

        // Fused, not merely equal: a weight layer with an activation after it writes into the activation's buffer and
        // never fills its own output buffer.
        for (int i = 0; i + 1 < model.Layers.Count; i++)
        {
            if (model.Layers[i + 1] is ActivationLayer)
            {
                OwnOutput(model.Layers[i]).Should().BeNull($"layer {i} ({model.Layers[i].Name}) is fused with the activation after it");
            }
        }

        model.Backward(g).Span.ToArray().Should().Equal(expectedDx);
        Gradients(model.Parameters).Should().BeEquivalentTo(expectedGradients, o => o.WithStrictOrdering());

        // Parameters only: the same parameter gradients.
        model.ZeroGradients();
        model.BackwardParameters(g);
        Gradients(model.Parameters).Should().BeEquivalentTo(expectedGradients, o => o.WithStrictOrdering());

        // Skip: the same input gradient, and no parameter gradient touched.
        float[][] before = Gradients(model.Parameters);
        model.Backward(g, ParameterGradients.Skip).Span.ToArray().Should().Equal(expectedSkipDx);
        Gradients(model.Parameters).Should().BeEquivalentTo(before, o => o.WithStrictOrdering());

        // The last backward pass over a forward pass (the GAN step's), which may write the gradient at the last hidden
        // activation over that activation's output (dY 3 wide) but not at the first (37 wide): the same bits in every mode.
        model.ZeroGradients();
        Forward(x);
        model.BackwardLast(g, ParameterGradients.Accumulate, needInputGradient: true)!.Span.ToArray().Should().Equal(expectedDx);
        Gradients(model.Parameters).Should().BeEquivalentTo(expectedGradients, o => o.WithStrictOrdering());
        model.ZeroGradients();
        Forward(x);
        model.BackwardLast(g, ParameterGradients.Accumulate, needInputGradient: false).Should().BeNull();
        Gradients(model.Parameters).Should().BeEquivalentTo(expectedGradients, o => o.WithStrictOrdering());
        Forward(x);
        model.BackwardLast(g, ParameterGradients.Skip, needInputGradient: true)!.Span.ToArray().Should().Equal(expectedSkipDx);
        Gradients(model.Parameters).Should().BeEquivalentTo(expectedGradients, o => o.WithStrictOrdering());
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void A_weight_layer_run_by_another_model_since_falls_back_to_the_unfused_pair(bool normalized)
    {
        // The same weight layer instance in two models: after the other model's forward pass, its kept input is not this
        // model's ReLU output, so fusing would read the wrong activations. The result must still be what the layers
        // compute: dY times the matrix of the layer's last pass (W, or W̄ of the other model's pass), masked by this
        // model's ReLU.
        var random = new RandomSource(73);
        var first = new Dense(4, 6, random);
        var relu = new ReLU();
        Layer shared = normalized ? new SpectralNormDense(6, 2, random) : new Dense(6, 2, random);
        var model = new Sequential(first, relu, shared);
        var other = new Sequential(shared);
        Matrix x = GradientChecker.Uniform(5, 4, random, -2f, 2f);
        Matrix g = GradientChecker.Uniform(5, 2, random);
        model.Forward(x);
        Matrix hidden = relu.Output!;
        float[] hiddenValues = hidden.Span.ToArray();
        other.Forward(GradientChecker.Uniform(5, 6, random));
        Matrix sharedWeights = shared is SpectralNormDense sn ? sn.NormalizedOfLastPass : ((Dense)shared).Weights.Value;

        model.ZeroGradients();
        float[] fused = model.Backward(g).Span.ToArray();

        // By hand: the shared layer's input gradient uses its weights only; the ReLU mask comes from this model's hidden layer.
        var expected = new float[5 * 4];
        var dHidden = new float[5 * 6];
        for (int i = 0; i < 5; i++)
        {
            for (int j = 0; j < 6; j++)
            {
                float sum = 0f;
                for (int o = 0; o < 2; o++)
                {
                    sum = MathF.FusedMultiplyAdd(g[i, o], sharedWeights[j, o], sum);
                }

                dHidden[(i * 6) + j] = hiddenValues[(i * 6) + j] > 0f ? sum : sum * 0f;
            }
        }

        for (int i = 0; i < 5; i++)
        {
            for (int j = 0; j < 4; j++)
            {
                float sum = 0f;
                for (int h = 0; h < 6; h++)
                {
                    sum = MathF.FusedMultiplyAdd(dHidden[(i * 6) + h], first.Weights.Value[j, h], sum);
                }

                expected[(i * 4) + j] = sum;
            }
        }

        fused.Should().BeEquivalentTo(expected, o => o.Using<float>(c => c.Subject.Should().BeApproximately(c.Expectation, 1e-5f)).WhenTypeIs<float>());
    }

    /// <summary>The weight layer's own output buffer (null until an unfused forward pass fills it).</summary>
    private static object? OwnOutput(Layer layer) =>
        layer.GetType().GetField("_output", System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Instance)!.GetValue(layer);

    private static float[][] Gradients(IEnumerable<Parameter> parameters) => parameters.Select(p => p.Gradient.Span.ToArray()).ToArray();

    private static (Sequential Model, Layer[] Separate) Twins(string activation, string normalized, ulong seed) =>
        (new Sequential(Build(activation, normalized, seed)), Build(activation, normalized, seed));

    /// <summary>15 → 128 → 37 → 3 with <paramref name="activation"/> between; "hidden" normalizes the first two weight
    /// layers, "all" all three.</summary>
    private static Layer[] Build(string activation, string normalized, ulong seed)
    {
        var random = new RandomSource(seed);
        Layer Weights(int inputs, int outputs, bool spectral, float bias)
        {
            GanCore.Initialization.Initializer b = GanCore.Initialization.Initializer.Constant(bias);
            return spectral ? new SpectralNormDense(inputs, outputs, random, biasInitializer: b) : new Dense(inputs, outputs, random, biasInitializer: b);
        }

        bool hidden = normalized is "hidden" or "all";
        return
        [
            Weights(15, 128, hidden, 0.05f),
            LayerGradientTests.CreateActivation(activation),
            Weights(128, 37, hidden, -0.05f),
            LayerGradientTests.CreateActivation(activation),
            Weights(37, 3, normalized == "all", 0f),
        ];
    }
}
