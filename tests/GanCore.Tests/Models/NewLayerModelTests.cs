using GanCore.Layers;
using GanCore.Losses;
using GanCore.Models;
using GanCore.Optimizers;
using GanCore.Randomness;
using GanCore.Tensors;
using GanCore.Tests.Testing;

namespace GanCore.Tests.Models;

/// <summary>Models with Softmax, Dropout, BatchNorm and LayerNorm: mode switching, whole-model gradients in both modes, and zero allocation.</summary>
public class NewLayerModelTests
{
    private static Sequential Network(RandomSource random, RandomSource dropoutRandom) => new(
        new Dense(4, 6, random), new BatchNorm(6, momentum: 0.3f), new Tanh(),
        new Dropout(0.3f, dropoutRandom),
        new Dense(6, 5, random), new LayerNorm(5), new Sigmoid(), // smooth: a ReLU kink near 0 would spoil finite differences
        new Dense(5, 3, random), new Softmax());

    [Fact]
    public void IsTraining_reaches_every_layer_and_defaults_to_training()
    {
        Sequential model = Network(new RandomSource(1), new RandomSource(2));
        model.IsTraining.Should().BeTrue();
        model.Layers.Should().OnlyContain(l => l.IsTraining);

        model.IsTraining = false;
        model.Layers.Should().OnlyContain(l => !l.IsTraining);
    }

    [Fact]
    public void The_models_mode_wins_over_a_layer_used_elsewhere_since()
    {
        var random = new RandomSource(3);
        var dropout = new Dropout(0.5f, new RandomSource(4));
        var a = new Sequential(new Dense(3, 3, random), dropout) { IsTraining = false };
        _ = new Sequential(new Dense(3, 3, random), dropout); // a second model sets the shared layer to training

        Matrix x = GradientChecker.Uniform(2, 3, random);
        Matrix y1 = a.Forward(x);
        float[] first = y1.Span.ToArray();
        a.Forward(x).Span.ToArray().Should().Equal(first, "model a is in inference mode, so its dropout is the identity");
        dropout.IsTraining.Should().BeFalse();
    }

    [Fact]
    public void CopyParametersFrom_copies_BatchNorm_running_statistics_too()
    {
        var random = new RandomSource(11);
        Sequential source = Network(random, new RandomSource(12));
        Sequential target = Network(random, new RandomSource(13));
        source.Forward(GradientChecker.Uniform(6, 4, random, -2f, 3f));
        var bn = (BatchNorm)source.Layers[1];

        target.CopyParametersFrom(source);

        var copied = (BatchNorm)target.Layers[1];
        copied.RunningMean.ToArray().Should().Equal(bn.RunningMean.ToArray()).And.Contain(v => v != 0f);
        copied.RunningVariance.ToArray().Should().Equal(bn.RunningVariance.ToArray());
        source.IsTraining = false;
        target.IsTraining = false;
        Matrix x = GradientChecker.Uniform(3, 4, random);
        float[] expected = source.Forward(x).Span.ToArray();
        target.Forward(x).Span.ToArray().Should().Equal(expected);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Whole_model_gradients_match_finite_differences(bool training)
    {
        var random = new RandomSource(5);
        var dropoutRandom = new RandomSource(6);
        Sequential model = Network(random, dropoutRandom);
        for (int k = 0; k < 3; k++)
        {
            model.Forward(GradientChecker.Uniform(8, 4, random, -2f, 2f)); // move the running statistics
        }

        model.IsTraining = training;
        RandomSourceState state = dropoutRandom.GetState();
        Matrix x = GradientChecker.Uniform(7, 4, random, -2f, 2f);
        Matrix r = GradientChecker.Uniform(7, 3, random);

        model.ZeroGradients();
        dropoutRandom.SetState(state);
        model.Forward(x);
        Matrix dx = model.Backward(r);
        GradientVariable[] variables = [new("input", x, dx), .. GradientChecker.ParameterVariables(model)];

        GradientChecker.AssertMatches(
            () =>
            {
                dropoutRandom.SetState(state); // the same mask for every evaluation
                return GradientChecker.Project(model.Forward(x), r);
            },
            variables);
    }

    [Fact]
    public void A_steady_state_classification_step_with_the_new_layers_allocates_zero_bytes()
    {
        var random = new RandomSource(7);
        var model = new Sequential(
            new Dense(2, 32, random), new BatchNorm(32), new ReLU(), new Dropout(0.2f, new RandomSource(8)),
            new Dense(32, 32, random), new LayerNorm(32), new Tanh(),
            new Dense(32, 3, random));
        var adam = new Adam(model.Parameters, 1e-3f);
        var loss = new SoftmaxCrossEntropy();
        var x = new Matrix(64, 2);
        random.FillUniform(x.Span, -1f, 1f);
        var y = new Matrix(64, 1);
        for (int i = 0; i < 64; i++)
        {
            y[i, 0] = i % 3;
        }

        var gradient = new Matrix(64, 3);
        Matrix small = x.View(10);
        Matrix smallY = y.View(10);
        Matrix smallGradient = gradient.View(10);
        var softmax = new Softmax();

        void Step(Matrix xb, Matrix yb, Matrix gb)
        {
            model.ZeroGradients();
            loss.Compute(model.Forward(xb), yb, gb);
            model.BackwardParameters(gb);
            adam.Step();
        }

        void Evaluate()
        {
            model.IsTraining = false;
            softmax.Forward(model.Forward(x));
            model.IsTraining = true;
        }

        void Round()
        {
            Step(x, y, gradient);
            Step(small, smallY, smallGradient);
            Evaluate();
        }

        AllocationProbe.QuietestWindow(Round, warmUp: 60, calls: 30).Should().Be(0, "steady-state steps and inference passes reuse every buffer");
    }

    [Fact]
    public void A_GAN_like_step_with_BatchNorm_in_G_and_Dropout_in_D_allocates_zero_bytes()
    {
        var random = new RandomSource(9);
        var g = new Sequential(new Dense(5, 64, random), new BatchNorm(64), new ReLU(), new Dense(64, 15, random));
        var d = new Sequential(new Dense(15, 64, random), new LeakyReLU(0.2f), new Dropout(0.3f, new RandomSource(10)), new Dense(64, 1, random));
        var gOptimizer = new Adam(g.Parameters, 1e-3f);
        var dOptimizer = new Adam(d.Parameters, 1e-3f);
        var z = new Matrix(64, 5);
        random.FillGaussian(z.Span);
        var ones = new Matrix(64, 1);
        ones.Fill(1f);
        var grad = new Matrix(64, 1);
        var bce = new BinaryCrossEntropyWithLogits();

        void Step()
        {
            g.ZeroGradients();
            d.ZeroGradients();
            Matrix fake = g.Forward(z);
            bce.Compute(d.Forward(fake), ones, grad);
            g.BackwardParameters(d.Backward(grad, ParameterGradients.Skip));
            gOptimizer.Step();
            bce.Compute(d.Forward(fake), ones, grad);
            d.BackwardParameters(grad);
            dOptimizer.Step();
        }

        AllocationProbe.QuietestWindow(Step, warmUp: 60, calls: 30).Should().Be(0);
    }
}
