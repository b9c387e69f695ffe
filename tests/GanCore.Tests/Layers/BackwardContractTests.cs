using GanCore.Layers;
using GanCore.Models;
using GanCore.Randomness;
using GanCore.Tensors;
using GanCore.Tests.Testing;

namespace GanCore.Tests.Layers;

/// <summary>
/// The layer contract: Backward never changes what Forward kept, gradients accumulate, Skip leaves parameter
/// gradients bitwise untouched, and a fused Sequential model equals its layers run one by one.
/// </summary>
public class BackwardContractTests
{
    public static TheoryData<string> LayerKinds => new() { "Dense", "ReLU", "LeakyReLU", "Sigmoid", "Tanh", "Identity" };

    private static (Layer Layer, int Inputs, int Outputs) Create(string kind, RandomSource random) => kind == "Dense"
        ? (new Dense(5, 3, random, biasInitializer: Initializer(0.25f)), 5, 3)
        : (LayerGradientTests.CreateActivation(kind), 4, 4);

    private static GanCore.Initialization.Initializer Initializer(float value) => GanCore.Initialization.Initializer.Constant(value);

    private static float[][] Snapshot(IEnumerable<Parameter> parameters) => parameters.Select(p => p.Gradient.Span.ToArray()).ToArray();

    private static float[] Copy(Matrix m) => m.Span.ToArray();

    [Theory]
    [MemberData(nameof(LayerKinds))]
    public void Two_backward_passes_after_one_forward_each_equal_the_pass_alone(string kind)
    {
        var random = new RandomSource(41);
        (Layer layer, int inputs, int outputs) = Create(kind, random);
        Matrix x = GradientChecker.Uniform(6, inputs, random, -2f, 2f);
        Matrix g1 = GradientChecker.Uniform(6, outputs, random);
        Matrix g2 = GradientChecker.Uniform(6, outputs, random);

        // Reference: g1 alone, then g2 alone, each after its own forward pass.
        layer.Forward(x);
        ZeroAll(layer);
        float[] dx1 = Copy(layer.Backward(g1));
        float[][] p1 = Snapshot(layer.Parameters);
        layer.Forward(x);
        ZeroAll(layer);
        float[] dx2 = Copy(layer.Backward(g2));
        float[][] p2 = Snapshot(layer.Parameters);

        // One forward, then g2, then g1 (order reversed): each equals the pass alone.
        float[] output = Copy(layer.Forward(x));
        ZeroAll(layer);
        float[] dx2Again = Copy(layer.Backward(g2));
        Snapshot(layer.Parameters).Should().BeEquivalentTo(p2, o => o.WithStrictOrdering());
        ZeroAll(layer);
        float[] dx1Again = Copy(layer.Backward(g1));
        Snapshot(layer.Parameters).Should().BeEquivalentTo(p1, o => o.WithStrictOrdering());

        dx1Again.Should().Equal(dx1);
        dx2Again.Should().Equal(dx2);
        dx1.Should().NotEqual(dx2, "different upstream gradients give different input gradients");
        Copy(layer.Forward(x)).Should().Equal(output);
    }

    [Fact]
    public void Parameter_gradients_accumulate_over_backward_passes()
    {
        var random = new RandomSource(42);
        var dense = new Dense(5, 3, random);
        Matrix x = GradientChecker.Uniform(6, 5, random);
        Matrix g1 = GradientChecker.Uniform(6, 3, random);
        Matrix g2 = GradientChecker.Uniform(6, 3, random);
        dense.Forward(x);
        ZeroAll(dense);
        dense.Backward(g1);
        float[][] p1 = Snapshot(dense.Parameters);
        ZeroAll(dense);
        dense.Backward(g2);
        float[][] p2 = Snapshot(dense.Parameters);

        ZeroAll(dense);
        dense.Backward(g1);
        dense.Backward(g2);

        float[][] sum = Snapshot(dense.Parameters);
        for (int k = 0; k < sum.Length; k++)
        {
            for (int i = 0; i < sum[k].Length; i++)
            {
                sum[k][i].Should().BeApproximately(p1[k][i] + p2[k][i], 1e-5f);
            }
        }

        dense.Weights.ZeroGradient();
        dense.Weights.Gradient.Span.ToArray().Should().OnlyContain(v => v == 0f);
    }

    [Theory]
    [MemberData(nameof(LayerKinds))]
    public void Skip_leaves_every_gradient_buffer_bitwise_unchanged_and_returns_the_same_input_gradient(string kind)
    {
        var random = new RandomSource(43);
        (Layer layer, int inputs, int outputs) = Create(kind, random);
        Matrix x = GradientChecker.Uniform(6, inputs, random, -2f, 2f);
        Matrix g = GradientChecker.Uniform(6, outputs, random);
        foreach (Parameter p in layer.Parameters)
        {
            random.FillUniform(p.Gradient.Span, -1f, 1f); // arbitrary, not zero: Skip must not touch them
        }

        float[][] before = Snapshot(layer.Parameters);
        layer.Forward(x);

        float[] skipped = Copy(layer.Backward(g, ParameterGradients.Skip));
        Snapshot(layer.Parameters).Should().BeEquivalentTo(before, o => o.WithStrictOrdering());

        float[] accumulated = Copy(layer.Backward(g, ParameterGradients.Accumulate));
        accumulated.Should().Equal(skipped);
        if (layer.Parameters.Count > 0)
        {
            Snapshot(layer.Parameters).Should().NotBeEquivalentTo(before, "Accumulate does change the gradients");
        }
    }

    [Fact]
    public void Skip_through_a_model_leaves_every_gradient_unchanged()
    {
        var random = new RandomSource(44);
        var model = new Sequential(new Dense(3, 8, random), new LeakyReLU(0.2f), new Dense(8, 4, random), new Tanh(), new Dense(4, 1, random));
        foreach (Parameter p in model.Parameters)
        {
            random.FillUniform(p.Gradient.Span, -1f, 1f);
        }

        float[][] before = Snapshot(model.Parameters);
        Matrix x = GradientChecker.Uniform(5, 3, random);
        Matrix g = GradientChecker.Uniform(5, 1, random);
        model.Forward(x);

        float[] skipped = Copy(model.Backward(g, ParameterGradients.Skip));
        Snapshot(model.Parameters).Should().BeEquivalentTo(before, o => o.WithStrictOrdering());
        float[] accumulated = Copy(model.Backward(g));
        accumulated.Should().Equal(skipped);
    }

    [Fact]
    public void Changing_the_input_after_Forward_does_not_change_Backward()
    {
        var random = new RandomSource(45);
        var dense = new Dense(4, 3, random);
        Matrix x = GradientChecker.Uniform(5, 4, random);
        Matrix g = GradientChecker.Uniform(5, 3, random);
        dense.Forward(x);
        ZeroAll(dense);
        dense.Backward(g);
        float[][] expected = Snapshot(dense.Parameters);

        dense.Forward(x);
        x.Fill(123f);
        ZeroAll(dense);
        dense.Backward(g);

        Snapshot(dense.Parameters).Should().BeEquivalentTo(expected, o => o.WithStrictOrdering());
    }

    [Theory]
    [InlineData("ReLU")]
    [InlineData("LeakyReLU")]
    [InlineData("Sigmoid")]
    [InlineData("Tanh")]
    [InlineData("Identity")]
    public void Fused_Sequential_equals_the_layers_run_one_by_one(string activation)
    {
        (Sequential model, Layer[] separate) = Twins(activation, seed: 46);
        var random = new RandomSource(47);
        Matrix x = GradientChecker.Uniform(9, 5, random, -2f, 2f);
        Matrix g = GradientChecker.Uniform(9, 2, random);

        model.ZeroGradients();
        float[] fusedOutput = Copy(model.Forward(x));
        float[] fusedDx = Copy(model.Backward(g));

        Matrix y = x;
        foreach (Layer layer in separate)
        {
            y = layer.Forward(y);
        }

        Copy(y).Should().Equal(fusedOutput);
        Matrix d = g;
        for (int i = separate.Length - 1; i >= 0; i--)
        {
            d = separate[i].Backward(d);
        }

        Copy(d).Should().Equal(fusedDx);
        Snapshot(separate.SelectMany(l => l.Parameters)).Should().BeEquivalentTo(Snapshot(model.Parameters), o => o.WithStrictOrdering());
    }

    [Fact]
    public void Smaller_batches_after_a_larger_one_give_the_same_results_as_a_fresh_model()
    {
        (Sequential used, _) = Twins("Tanh", seed: 48);
        (Sequential fresh, _) = Twins("Tanh", seed: 48);
        var random = new RandomSource(49);
        used.Forward(GradientChecker.Uniform(32, 5, random));
        used.Backward(GradientChecker.Uniform(32, 2, random));
        Matrix x = GradientChecker.Uniform(3, 5, random);
        Matrix g = GradientChecker.Uniform(3, 2, random);

        used.ZeroGradients();
        fresh.ZeroGradients();
        Copy(used.Forward(x)).Should().Equal(Copy(fresh.Forward(x)));
        Copy(used.Backward(g)).Should().Equal(Copy(fresh.Backward(g)));
        Snapshot(used.Parameters).Should().BeEquivalentTo(Snapshot(fresh.Parameters), o => o.WithStrictOrdering());
        used.Forward(x).Rows.Should().Be(3);
    }

    [Theory]
    [InlineData("Sigmoid")]
    [InlineData("Tanh")]
    [InlineData("LeakyReLU")]
    public void An_example_gives_the_same_output_wherever_it_sits_in_the_batch(string activation)
    {
        ActivationLayer layer = LayerGradientTests.CreateActivation(activation);
        var random = new RandomSource(50);
        Matrix rows = GradientChecker.Uniform(1, 7, random, -3f, 3f);
        float[] alone = Copy(layer.Forward(rows));

        // The same row at every position of a 9-row batch: positions differ in vector lanes versus tails.
        var batch = new Matrix(9, 7);
        for (int i = 0; i < 9; i++)
        {
            GradientChecker.Uniform(1, 7, random, -3f, 3f).Row(0).CopyTo(batch.Row(i));
        }

        for (int position = 0; position < 9; position++)
        {
            Matrix copy = GradientChecker.Uniform(9, 7, random);
            batch.CopyTo(copy);
            rows.Row(0).CopyTo(copy.Row(position));
            layer.Forward(copy).Row(position).ToArray().Should().Equal(alone, "row {0}", position);
        }
    }

    /// <summary>The same network twice from one seed: once inside a Sequential (fused), once as loose layers.</summary>
    private static (Sequential Model, Layer[] Separate) Twins(string activation, ulong seed)
    {
        Layer[] Build()
        {
            var random = new RandomSource(seed);
            return
            [
                new Dense(5, 7, random, biasInitializer: Initializer(0.1f)),
                LayerGradientTests.CreateActivation(activation),
                new Dense(7, 2, random, biasInitializer: Initializer(-0.2f)),
            ];
        }

        return (new Sequential(Build()), Build());
    }

    private static void ZeroAll(Layer layer)
    {
        foreach (Parameter p in layer.Parameters)
        {
            p.ZeroGradient();
        }
    }
}
