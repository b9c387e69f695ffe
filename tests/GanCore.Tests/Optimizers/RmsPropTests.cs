using GanCore.Checkpoints;
using GanCore.Layers;
using GanCore.Losses;
using GanCore.Models;
using GanCore.Optimizers;
using GanCore.Randomness;
using GanCore.Tensors;

namespace GanCore.Tests.Optimizers;

/// <summary>
/// <see cref="RmsProp"/> against its update written out here in double (PyTorch's <c>torch.optim.RMSprop</c>, independently
/// of the kernels' scalar reference), by hand, through checkpoints, and on bad settings.
/// </summary>
public sealed class RmsPropTests : IDisposable
{
    // The start values and the four steps' gradients of OptimizerStepTests (they change sign and size).
    private static readonly float[] Start = OptimizerStepTests.Start;
    private static readonly float[][] Gradients = OptimizerStepTests.Gradients;

    private readonly string _folder = Path.Combine(Path.GetTempPath(), $"gancore-rmsprop-{Guid.NewGuid():N}");

    public RmsPropTests() => Directory.CreateDirectory(_folder);

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Theory]
    [InlineData(0.99f, 0f, 0f, false, 1e-8f)]
    [InlineData(0.9f, 0.01f, 0f, false, 1e-8f)]
    [InlineData(0.99f, 0f, 0f, true, 1e-8f)]
    [InlineData(0.9f, 0f, 0.9f, false, 1e-8f)]
    [InlineData(0.95f, 0.01f, 0.5f, true, 1e-8f)]
    [InlineData(0.9f, 0f, 0f, false, 0.1f)] // ε after the root, as PyTorch: √v + ε, not √(v + ε)
    public void RmsProp_follows_PyTorch_s_update(float alpha, float decay, float momentum, bool centered, float epsilon)
    {
        const double lr = 0.01;
        double eps = epsilon;
        var p = new Parameter("p", 1, Start.Length);
        Start.CopyTo(p.Value.Span);
        var rms = new RmsProp([p], (float)lr, alpha, (float)eps, decay, momentum, centered);
        double[] theta = Start.Select(v => (double)v).ToArray();
        var v = new double[theta.Length];
        var mean = new double[theta.Length];
        var b = new double[theta.Length];
        for (int t = 0; t < Gradients.Length; t++)
        {
            Gradients[t].CopyTo(p.Gradient.Span);
            rms.Step();
            for (int i = 0; i < theta.Length; i++)
            {
                double g = Gradients[t][i] + (decay * theta[i]);
                v[i] = (alpha * v[i]) + ((1 - alpha) * g * g);
                double s = v[i];
                if (centered)
                {
                    mean[i] = (alpha * mean[i]) + ((1 - alpha) * g);
                    s -= mean[i] * mean[i];
                }

                double d = g / (Math.Sqrt(s) + eps);
                if (momentum != 0f)
                {
                    b[i] = (momentum * b[i]) + d;
                    d = b[i];
                }

                theta[i] -= lr * d;
            }

            for (int i = 0; i < theta.Length; i++)
            {
                ((double)p.Value.Span[i]).Should().BeApproximately(theta[i], 1e-5 * (1 + Math.Abs(theta[i])), "element {0} after step {1}", i, t + 1);
            }
        }

        rms.StepCount.Should().Be(Gradients.Length);
    }

    [Fact]
    public void The_first_step_moves_a_parameter_by_lr_over_the_root_of_one_minus_alpha()
    {
        // v = (1 − α)·g² from v = 0, so d = g/(√(1 − α)·|g| + ε) ≈ sign(g)/√(1 − α): 10·lr at α = 0.99, whatever |g| is.
        var p = new Parameter("p", 1, 3);
        p.Gradient.Span[0] = 0.1f;
        p.Gradient.Span[1] = -50f;
        p.Gradient.Span[2] = 0f;
        new RmsProp([p], learningRate: 0.01f).Step();
        ((double)p.Value.Span[0]).Should().BeApproximately(-0.01 * 0.1 / ((Math.Sqrt(1 - 0.99) * 0.1) + 1e-8), 1e-7);
        ((double)p.Value.Span[1]).Should().BeApproximately(0.1, 1e-6);
        p.Value.Span[2].Should().Be(0f, "a zero gradient gives 0/ε = 0");
    }

    [Fact]
    public void A_learning_rate_changed_between_steps_is_the_one_the_next_step_uses()
    {
        var p = new Parameter("p", 1, 1);
        var rms = new RmsProp([p], learningRate: 0.01f, alpha: 0.9f);
        p.Gradient.Span[0] = 0.5f;
        rms.Step(); // v = 0.1·0.25; d = 0.5/(√0.025 + ε)
        double d1 = 0.5 / (Math.Sqrt(0.025) + 1e-8);
        rms.LearningRate = 0.001f;
        rms.Step(); // v = 0.9·0.025 + 0.025
        double d2 = 0.5 / (Math.Sqrt((0.9 * 0.025) + 0.025) + 1e-8);
        ((double)p.Value.Span[0]).Should().BeApproximately(-(0.01 * d1) - (0.001 * d2), 1e-6);
    }

    [Fact]
    public void Settings_round_trip_through_a_checkpoint_with_the_state()
    {
        var random = new RandomSource(3);
        var model = new Sequential(new Dense(2, 4, random), new Tanh(), new Dense(4, 1, random));
        var optimizer = new RmsProp(model.Parameters, 0.005f, alpha: 0.9f, epsilon: 1e-6f, weightDecay: 0.001f, momentum: 0.5f, centered: true);
        (Matrix x, Matrix y) = Data();
        model.Fit(x, y, new MeanSquaredError(), optimizer, new FitOptions { Epochs = 2, BatchSize = 4, Random = random });
        string path = Path.Combine(_folder, "rms.gck");
        ModelCheckpoint.Save(path, model, optimizer, random);

        var loaded = (RmsProp)ModelCheckpoint.Load(path).Optimizer!;
        (loaded.LearningRate, loaded.Alpha, loaded.Epsilon, loaded.WeightDecay, loaded.Momentum, loaded.Centered).Should().Be((0.005f, 0.9f, 1e-6f, 0.001f, 0.5f, true));
        loaded.Name.Should().Be(optimizer.Name);
        loaded.StepCount.Should().Be(optimizer.StepCount).And.BeGreaterThan(0);
        loaded.StateBuffers.Select(s => s.Length).Should().Equal(model.Parameters.Select(p => 3 * p.Count), "v, ḡ and b of each parameter");
        loaded.StateBuffers.Should().BeEquivalentTo(optimizer.StateBuffers, o => o.WithStrictOrdering());
        loaded.StateBuffers.SelectMany(s => s).Should().Contain(v => v < 0f, "ḡ and b are signed: the blocks after v were saved");
    }

    [Theory]
    [InlineData(false, 0f)]
    [InlineData(true, 0.9f)]
    public void Resumed_training_equals_uninterrupted_training_bit_for_bit(bool centered, float momentum)
    {
        (Matrix x, Matrix y) = Data();
        (Sequential a, Optimizer aOptimizer, RandomSource aRandom) = Fresh(centered, momentum);
        a.Fit(x, y, new MeanSquaredError(), aOptimizer, new FitOptions { Epochs = 6, BatchSize = 4, Random = aRandom });

        (Sequential b, Optimizer bOptimizer, RandomSource bRandom) = Fresh(centered, momentum);
        b.Fit(x, y, new MeanSquaredError(), bOptimizer, new FitOptions { Epochs = 2, BatchSize = 4, Random = bRandom });
        string path = Path.Combine(_folder, "resume.gck");
        ModelCheckpoint.Save(path, b, bOptimizer, bRandom);
        ModelCheckpoint loaded = ModelCheckpoint.Load(path);
        var resumedRandom = new RandomSource(loaded.RandomState!.Value);
        loaded.Model.Fit(x, y, new MeanSquaredError(), loaded.Optimizer!, new FitOptions { Epochs = 4, BatchSize = 4, Random = resumedRandom });

        loaded.Model.Parameters.SelectMany(p => p.Value.Span.ToArray()).Should().Equal(a.Parameters.SelectMany(p => p.Value.Span.ToArray()));
        loaded.Optimizer!.StateBuffers.Should().BeEquivalentTo(aOptimizer.StateBuffers, o => o.WithStrictOrdering());
    }

    [Fact]
    public void A_version_1_file_cannot_hold_an_RMSprop_optimizer()
    {
        // Optimizer kind 3 came with version 2: a version-1 header over it is damage or forgery, not an old file.
        var random = new RandomSource(3);
        var model = new Sequential(new Dense(2, 2, random));
        string path = Path.Combine(_folder, "v1.gck");
        ModelCheckpoint.Save(path, model, new RmsProp(model.Parameters));
        byte[] bytes = File.ReadAllBytes(path);
        bytes[8].Should().Be(2, "the version field, little-endian at offset 8");
        bytes[8] = 1;
        File.WriteAllBytes(path, bytes);
        Action load = () => ModelCheckpoint.Load(path);
        load.Should().Throw<CheckpointException>().WithMessage("*optimizer kind 3 (RMSprop), which version 1 files do not have*");
    }

    [Theory]
    [InlineData(1f, 0f, 1e-8f, 0f, "alpha")]
    [InlineData(-0.1f, 0f, 1e-8f, 0f, "alpha")]
    [InlineData(float.NaN, 0f, 1e-8f, 0f, "alpha")]
    [InlineData(0.99f, 1f, 1e-8f, 0f, "momentum")]
    [InlineData(0.99f, -0.5f, 1e-8f, 0f, "momentum")]
    [InlineData(0.99f, 0f, 0f, 0f, "epsilon")]
    [InlineData(0.99f, 0f, float.PositiveInfinity, 0f, "epsilon")]
    [InlineData(0.99f, 0f, 1e-8f, -1f, "weightDecay")]
    [InlineData(0.99f, 0f, 1e-8f, float.NaN, "weightDecay")]
    public void Bad_settings_are_rejected_naming_the_parameter(float alpha, float momentum, float epsilon, float decay, string name)
    {
        var p = new Parameter("p", 1, 2);
        Action create = () => _ = new RmsProp([p], 0.01f, alpha, epsilon, decay, momentum);
        create.Should().Throw<ArgumentOutOfRangeException>().Which.ParamName.Should().Be(name);
    }

    [Fact]
    public void The_name_shows_the_settings()
    {
        var p = new Parameter("p", 1, 2);
        new RmsProp([p]).Name.Should().Be("RmsProp(lr=0.01, α=0.99, ε=1E-08, weightDecay=0, momentum=0)");
        new RmsProp([p], 5e-5f, momentum: 0.9f, centered: true).Name.Should().Be("RmsProp(lr=5E-05, α=0.99, ε=1E-08, weightDecay=0, momentum=0.9, centered)");
    }

    private static (Matrix X, Matrix Y) Data()
    {
        var rng = new RandomSource(12);
        var x = new Matrix(16, 2);
        rng.FillUniform(x.Span, -1f, 1f);
        var y = new Matrix(16, 1);
        for (int i = 0; i < 16; i++)
        {
            y[i, 0] = MathF.Sin(2 * x[i, 0]) * x[i, 1];
        }

        return (x, y);
    }

    private static (Sequential Model, Optimizer Optimizer, RandomSource Random) Fresh(bool centered, float momentum)
    {
        var random = new RandomSource(4);
        var model = new Sequential(new Dense(2, 8, random), new LeakyReLU(0.1f), new Dense(8, 1, random));
        return (model, new RmsProp(model.Parameters, 0.01f, momentum: momentum, centered: centered), random);
    }
}
