using GanCore.Adversarial;
using GanCore.Layers;
using GanCore.Models;
using GanCore.Optimizers;
using GanCore.Randomness;
using GanCore.Tensors;

namespace GanCore.Tests.Adversarial;

/// <summary>
/// A GAN whose generator has BatchNorm and whose discriminator has Dropout: steps run in training mode, Generate in
/// inference mode, and checkpoints carry the running statistics and the dropout generator.
/// </summary>
public sealed class TrainingModeTests : IDisposable
{
    private readonly string _directory = GanTestKit.TempDirectory("modes");

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private static Gan Build(ulong seed)
    {
        var random = new RandomSource(seed);
        var g = new Sequential(new Dense(4, 16, random), new BatchNorm(16), new ReLU(), new Dense(16, GanTestKit.CurvePoints, random));
        var d = new Sequential(new Dense(GanTestKit.CurvePoints, 16, random), new ReLU(), new Dropout(0.25f, new RandomSource(seed + 100)), new Dense(16, 1, random));
        return new Gan(g, d, new Adam(g.Parameters, 1e-3f), new Adam(d.Parameters, 1e-3f), new GaussianNoise(4), GanTestKit.QuadraticSampler(), random, new GanOptions { BatchSize = 8 });
    }

    private static BatchNorm GeneratorBatchNorm(Gan gan) => gan.Generator.Layers.OfType<BatchNorm>().Single();

    [Fact]
    public void A_step_trains_in_training_mode_even_after_the_user_switched_to_inference()
    {
        Gan gan = Build(1);
        gan.Generator.IsTraining = false;
        gan.Discriminator.IsTraining = false;
        float[] before = GeneratorBatchNorm(gan).RunningMean.ToArray();

        gan.Step();

        gan.Generator.IsTraining.Should().BeTrue();
        gan.Discriminator.IsTraining.Should().BeTrue();
        GeneratorBatchNorm(gan).RunningMean.ToArray().Should().NotEqual(before, "a training-mode step updates BatchNorm's running statistics");
    }

    [Fact]
    public void Generate_runs_in_inference_mode_restores_the_mode_and_leaves_running_statistics_alone()
    {
        Gan gan = Build(2);
        gan.Train(20);
        float[] mean = GeneratorBatchNorm(gan).RunningMean.ToArray();

        // One example: in training mode BatchNorm would reject a 1-row batch.
        Matrix one = gan.Generate(1, new RandomSource(5));
        Matrix again = gan.Generate(1, new RandomSource(5));

        GanTestKit.Flatten(one).Should().Equal(GanTestKit.Flatten(again), "inference output depends only on the noise");
        GeneratorBatchNorm(gan).RunningMean.ToArray().Should().Equal(mean);
        gan.Generator.IsTraining.Should().BeTrue("the mode is restored");

        // An example does not depend on the others drawn with it: the first row of a 3-row draw equals a 1-row draw.
        Matrix three = gan.Generate(3, new RandomSource(5));
        three.Row(0).ToArray().Should().Equal(one.Row(0).ToArray());
    }

    [Fact]
    public void A_checkpoint_keeps_running_statistics_and_the_dropout_stream_so_a_resumed_run_is_bitwise_identical()
    {
        Gan straight = Build(3);
        straight.Train(30);

        Gan first = Build(3);
        first.Train(12);
        string path = Path.Combine(_directory, "modes.gcc");
        first.SaveCheckpoint(path);
        Gan resumed = Gan.LoadCheckpoint(path, new GaussianNoise(4), GanTestKit.QuadraticSampler());
        GeneratorBatchNorm(resumed).RunningVariance.ToArray().Should().Equal(GeneratorBatchNorm(first).RunningVariance.ToArray());
        resumed.Train(18);

        GanTestKit.AllValues(resumed.Generator).Should().Equal(GanTestKit.AllValues(straight.Generator));
        GanTestKit.AllValues(resumed.Discriminator).Should().Equal(GanTestKit.AllValues(straight.Discriminator));
        GeneratorBatchNorm(resumed).RunningMean.ToArray().Should().Equal(GeneratorBatchNorm(straight).RunningMean.ToArray());
    }
}
