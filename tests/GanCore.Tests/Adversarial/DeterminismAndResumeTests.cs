using GanCore.Adversarial;
using GanCore.Checkpoints;
using GanCore.Randomness;
using GanCore.Tensors;

namespace GanCore.Tests.Adversarial;

/// <summary>Same seed, same bits: across two runs, and across a checkpoint save/load in the middle of a run.</summary>
public sealed class DeterminismAndResumeTests : IDisposable
{
    private readonly string _directory = GanTestKit.TempDirectory("resume");

    public static TheoryData<string> Configurations => ["seed", "alternating"];

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private static GanOptions Options(string name) => name == "seed"
        ? new GanOptions { BatchSize = 16 }
        : new GanOptions { Schedule = GanSchedule.Alternating, DiscriminatorSteps = 2, Objective = GanObjective.NonSaturating, RealLabel = 0.9f, BatchSize = 16 };

    private static Gan Build(string configuration, ulong seed = 5) => GanTestKit.SeedGan(seed, Options(configuration), hidden: 32, learningRate: 1e-3f);

    private static List<GanStepMetrics> Run(Gan gan, int steps)
    {
        var metrics = new List<GanStepMetrics>();
        gan.Train(steps, metrics.Add);
        return metrics;
    }

    /// <summary>Every float of every metric, as bits.</summary>
    private static int[] Bits(IEnumerable<GanStepMetrics> metrics) => metrics
        .SelectMany(m => new[] { m.DiscriminatorLoss, m.GeneratorLoss, m.MeanRealScore, m.MeanFakeScore, (float)m.Step })
        .Select(BitConverter.SingleToInt32Bits)
        .ToArray();

    private static int[] Bits(Matrix m) => GanTestKit.Flatten(m).Select(BitConverter.SingleToInt32Bits).ToArray();

    private static int[] Bits(float[] values) => values.Select(BitConverter.SingleToInt32Bits).ToArray();

    [Theory]
    [MemberData(nameof(Configurations))]
    public void Same_seed_gives_bitwise_identical_curves_across_two_runs(string configuration)
    {
        Gan first = Build(configuration);
        Gan second = Build(configuration);

        int[] firstMetrics = Bits(Run(first, 100));
        int[] secondMetrics = Bits(Run(second, 100));
        int[] firstCurves = Bits(first.Generate(200));
        int[] secondCurves = Bits(second.Generate(200));

        secondMetrics.Should().Equal(firstMetrics);
        secondCurves.Should().Equal(firstCurves);
        Bits(GanTestKit.AllValues(second.Generator)).Should().Equal(Bits(GanTestKit.AllValues(first.Generator)));
        Bits(GanTestKit.AllValues(second.Discriminator)).Should().Equal(Bits(GanTestKit.AllValues(first.Discriminator)));

        // The comparison can fail: another seed gives other curves.
        Gan other = Build(configuration, seed: 6);
        Run(other, 100);
        Bits(other.Generate(200)).Should().NotEqual(firstCurves);
    }

    [Theory]
    [MemberData(nameof(Configurations))]
    public void Resuming_from_a_checkpoint_equals_an_uninterrupted_run_bit_for_bit(string configuration)
    {
        const int n = 40, m = 40;
        string path = Path.Combine(_directory, $"{configuration}.ckpt");

        Gan uninterrupted = Build(configuration);
        List<GanStepMetrics> all = Run(uninterrupted, n + m);

        Gan before = Build(configuration);
        Run(before, n);
        before.SaveCheckpoint(path);
        Gan resumed = Gan.LoadCheckpoint(path, new GaussianNoise(5), GanTestKit.QuadraticSampler());

        resumed.StepCount.Should().Be(n);
        resumed.Options.Should().Be(Options(configuration));
        resumed.GeneratorOptimizer.StepCount.Should().Be(before.GeneratorOptimizer.StepCount);
        resumed.DiscriminatorOptimizer.StepCount.Should().Be(before.DiscriminatorOptimizer.StepCount);
        List<GanStepMetrics> rest = Run(resumed, m);

        rest[0].Step.Should().Be(n + 1);
        Bits(rest).Should().Equal(Bits(all.Skip(n)));
        Bits(GanTestKit.AllValues(resumed.Generator)).Should().Equal(Bits(GanTestKit.AllValues(uninterrupted.Generator)));
        Bits(GanTestKit.AllValues(resumed.Discriminator)).Should().Equal(Bits(GanTestKit.AllValues(uninterrupted.Discriminator)));

        // The random state was saved too: the next draws of both agree.
        Bits(resumed.Generate(50)).Should().Equal(Bits(uninterrupted.Generate(50)));
    }

    [Fact]
    public void Generate_fills_partial_batches_with_the_same_noise_a_manual_forward_pass_would_use()
    {
        Gan gan = Build("seed"); // batch 16: 37 = 16 + 16 + 5
        gan.Train(3);
        var random = new RandomSource(gan.Random.GetState());
        var noise = new GaussianNoise(5);
        var expected = new List<float>();
        foreach (int rows in new[] { 16, 16, 5 })
        {
            var z = new Matrix(rows, 5);
            noise.Fill(z, random);
            expected.AddRange(GanTestKit.Flatten(gan.Generator.Forward(z)));
        }

        Matrix generated = gan.Generate(37);

        generated.Rows.Should().Be(37);
        Bits(generated).Should().Equal(Bits(expected.ToArray()));
        gan.Random.GetState().Should().Be(random.GetState(), "Generate draws exactly the noise it uses");
    }

    [Fact]
    public void Loading_a_damaged_checkpoint_or_with_mismatched_sources_fails_with_the_documented_exceptions()
    {
        Gan gan = Build("alternating");
        gan.Train(2);
        string path = Path.Combine(_directory, "good.ckpt");
        gan.SaveCheckpoint(path);
        byte[] good = File.ReadAllBytes(path);

        string truncated = Path.Combine(_directory, "truncated.ckpt");
        File.WriteAllBytes(truncated, good.AsSpan(0, good.Length - 7).ToArray());
        string corrupted = Path.Combine(_directory, "corrupted.ckpt");
        byte[] bad = (byte[])good.Clone();
        bad[bad.Length / 3] ^= 0x10;
        File.WriteAllBytes(corrupted, bad);
        string model = Path.Combine(_directory, "generator.ckpt");
        gan.SaveGenerator(model);

        IRealDataSampler data = GanTestKit.QuadraticSampler();
        ((Action)(() => Gan.LoadCheckpoint(truncated, new GaussianNoise(5), data))).Should().Throw<CheckpointException>();
        ((Action)(() => Gan.LoadCheckpoint(corrupted, new GaussianNoise(5), data))).Should().Throw<CheckpointException>();
        ((Action)(() => Gan.LoadCheckpoint(model, new GaussianNoise(5), data))).Should().Throw<CheckpointException>("a lone model checkpoint is not a GAN checkpoint");
        ((Action)(() => Gan.LoadCheckpoint(Path.Combine(_directory, "missing.ckpt"), new GaussianNoise(5), data))).Should().Throw<IOException>();
        ((Action)(() => Gan.LoadCheckpoint(path, new GaussianNoise(4), data))).Should().Throw<ArgumentException>().WithParameterName("noise");
        Gan.LoadCheckpoint(path, new GaussianNoise(5), data).StepCount.Should().Be(2);
    }

    [Fact]
    public void Generate_with_its_own_generator_leaves_the_training_stream_untouched()
    {
        Gan gan = Build("seed");
        gan.Train(5);
        RandomSourceState before = gan.Random.GetState();
        Matrix own = gan.Generate(40, new RandomSource(gan.Random.GetState()));

        gan.Random.GetState().Should().Be(before, "the training stream must not move");

        // Drawing from a copy of the training stream gives exactly what Generate(count) gives, which does move it.
        Matrix fromTraining = gan.Generate(40);
        Bits(own).Should().Equal(Bits(fromTraining));
        gan.Random.GetState().Should().NotBe(before);
    }

    [Fact]
    public void A_checkpoint_saved_after_Generate_with_its_own_generator_resumes_like_one_saved_before()
    {
        Gan gan = Build("alternating");
        gan.Train(4);
        string beforePath = Path.Combine(_directory, "before.ckpt");
        string afterPath = Path.Combine(_directory, "after.ckpt");
        gan.SaveCheckpoint(beforePath);
        gan.Generate(100, new RandomSource(77));
        gan.SaveCheckpoint(afterPath);

        File.ReadAllBytes(afterPath).Should().Equal(File.ReadAllBytes(beforePath));
    }

    [Fact]
    public void Generate_rejects_a_null_generator() =>
        FluentActions.Invoking(() => Build("seed").Generate(3, (RandomSource)null!)).Should().Throw<ArgumentNullException>().WithParameterName("random");
}
