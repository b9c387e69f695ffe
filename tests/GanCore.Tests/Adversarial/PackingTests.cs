using GanCore.Adversarial;
using GanCore.Checkpoints;
using GanCore.Layers;
using GanCore.Models;
using GanCore.Optimizers;
using GanCore.Randomness;
using GanCore.Tensors;
using GanCore.Tests.Testing;

namespace GanCore.Tests.Adversarial;

/// <summary>Packing (PacGAN, <see cref="GanOptions.PackingDegree"/>): D judges m concatenated examples.</summary>
public sealed class PackingTests : IDisposable
{
    private const int DataWidth = 4;
    private const int Batch = 6;

    // Fixed inputs: 6 examples, so m = 2 gives 3 packed rows and m = 3 gives 2.
    private static readonly float[][] s_x =
    [
        [0.5f, -0.2f, 1.0f, 0.3f], [1.2f, 0.4f, -0.6f, 0.0f], [-0.9f, 0.8f, 0.2f, 0.5f],
        [0.1f, 0.7f, -0.3f, -1.1f], [0.6f, -0.8f, 0.9f, 0.2f], [-0.4f, 0.0f, 0.3f, 0.8f],
    ];

    private static readonly float[][] s_c = [[1f, 0f], [0f, 1f], [0.25f, -0.5f], [0f, 0f], [-1f, 0.5f], [0.5f, 0.5f]];

    private static readonly float[][] s_z =
    [
        [0.3f, -0.7f, 1.1f], [-0.4f, 0.2f, 0.9f], [1.3f, -1.2f, 0.1f],
        [0.0f, 0.6f, -0.8f], [-1.0f, -0.3f, 0.4f], [0.7f, 0.9f, -0.2f],
    ];

    private readonly string _directory = GanTestKit.TempDirectory("packing");

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    /// <summary>G: Dense(3 [+2] → 6) → Tanh → Dense(6 → 4); D: Dense(m·(4 [+2]) → 5) → Tanh → Dense(5 → 1): smooth, so finite differences are clean.</summary>
    private static Gan SmallPackedGan(int m, bool conditional, GanOptions options)
    {
        var random = new RandomSource(13);
        int conditionWidth = conditional ? 2 : 0;
        var g = new Sequential(new Dense(3 + conditionWidth, 6, random), new Tanh(), new Dense(6, DataWidth, random));
        var d = new Sequential(new Dense(m * (DataWidth + conditionWidth), 5, random), new Tanh(), new Dense(5, 1, random));
        var noise = new FixedNoise(s_z);
        options = options with { BatchSize = Batch, PackingDegree = m };
        if (!conditional)
        {
            var sampler = new DelegateSampler(DataWidth, (batch, _) => Fill(batch, s_x));
            return new Gan(g, d, new Sgd(g.Parameters, 1e-3f), new Sgd(d.Parameters, 1e-3f), noise, sampler, new RandomSource(5), options);
        }

        var pairs = new ConditionalDelegateSampler(DataWidth, 2, (batch, labels, _) =>
        {
            Fill(batch, s_x);
            Fill(labels, s_c);
        });
        return new Gan(g, d, new Sgd(g.Parameters, 1e-3f), new Sgd(d.Parameters, 1e-3f), noise, pairs, null, new RandomSource(5), options);
    }

    private static void Fill(Matrix destination, float[][] rows)
    {
        for (int i = 0; i < destination.Rows; i++)
        {
            rows[i].CopyTo(destination.Row(i));
        }
    }

    /// <summary>The test's own packing: row r = [x_{rm}, (c_{rm}), …, x_{rm+m−1}, (c_{rm+m−1})].</summary>
    private static Matrix PackRows(float[][] examples, float[][]? conditions, int m)
    {
        int width = examples[0].Length + (conditions?[0].Length ?? 0);
        var packed = new Matrix(examples.Length / m, m * width);
        for (int i = 0; i < examples.Length; i++)
        {
            Span<float> member = packed.Row(i / m).Slice((i % m) * width, width);
            examples[i].CopyTo(member);
            conditions?[i].CopyTo(member[examples[i].Length..]);
        }

        return packed;
    }

    private static float[][] Rows(Matrix m) => Enumerable.Range(0, m.Rows).Select(i => m.Row(i).ToArray()).ToArray();

    private static Matrix GeneratorInput(bool conditional)
    {
        var input = new Matrix(Batch, 3 + (conditional ? 2 : 0));
        for (int i = 0; i < Batch; i++)
        {
            s_z[i].CopyTo(input.Row(i));
            if (conditional)
            {
                s_c[i].CopyTo(input.Row(i)[3..]);
            }
        }

        return input;
    }

    public static TheoryData<GanObjective, GanSchedule, int, bool> GradientCases => new()
    {
        { GanObjective.Minimax, GanSchedule.Simultaneous, 2, false },
        { GanObjective.NonSaturating, GanSchedule.Alternating, 3, false },
        { GanObjective.LeastSquares, GanSchedule.Simultaneous, 3, true },
        { GanObjective.Wasserstein, GanSchedule.Alternating, 2, true },
        { GanObjective.Hinge, GanSchedule.Simultaneous, 2, false },
        { GanObjective.NonSaturating, GanSchedule.Simultaneous, 6, true },
    };

    [Theory]
    [MemberData(nameof(GradientCases))]
    public void Packed_G_and_D_gradients_match_finite_differences_of_the_packed_losses(GanObjective objective, GanSchedule schedule, int m, bool conditional)
    {
        Gan gan = SmallPackedGan(m, conditional, new GanOptions { Objective = objective, Schedule = schedule });
        Parameter[] g = [.. gan.Generator.Parameters];
        Parameter[] d = [.. gan.Discriminator.Parameters];
        float[][] gBefore = g.Select(p => p.Value.Span.ToArray()).ToArray();
        float[][] dBefore = d.Select(p => p.Value.Span.ToArray()).ToArray();

        GanStepMetrics metrics = gan.Step();

        // The step left its gradients in the buffers. D's were taken at D's and G's values before the step; G's at G's
        // values before the step and D's before it (simultaneous) or after the D update (alternating, k = 1).
        float[][] dAfter = d.Select(p => p.Value.Span.ToArray()).ToArray();
        void Restore(Parameter[] parameters, float[][] values)
        {
            for (int i = 0; i < parameters.Length; i++)
            {
                values[i].CopyTo(parameters[i].Value.Span);
            }
        }

        float[][]? c = conditional ? s_c : null;
        Matrix gInput = GeneratorInput(conditional);
        Matrix realPacked = PackRows(s_x, c, m);
        int rows = Batch / m;
        var scratch = new float[rows];
        Matrix FakePacked() => PackRows(Rows(gan.Generator.Forward(gInput)), c, m);
        double GeneratorLoss()
        {
            gan.Objective.FakeTerms(gan.Discriminator.Forward(FakePacked()).Span[..rows], scratch, scratch, out _, out _, out double loss);
            return loss;
        }

        double DiscriminatorLoss(out double realScore, out double fakeScore)
        {
            double real = gan.Objective.DiscriminatorRealTerm(gan.Discriminator.Forward(realPacked).Span[..rows], 1f, scratch, out realScore);
            gan.Objective.FakeTerms(gan.Discriminator.Forward(FakePacked()).Span[..rows], scratch, scratch, out double fake, out fakeScore, out _);
            return real + fake;
        }

        Restore(g, gBefore);
        Restore(d, dBefore);

        // The reported D loss and scores are the packed ones: means over the B/m packed rows.
        double expectedLoss = DiscriminatorLoss(out double expectedReal, out double expectedFake);
        ((double)metrics.DiscriminatorLoss).Should().BeApproximately(expectedLoss, 1e-6 * (1 + Math.Abs(expectedLoss)));
        ((double)metrics.MeanRealScore).Should().BeApproximately(expectedReal, 1e-6);
        ((double)metrics.MeanFakeScore).Should().BeApproximately(expectedFake, 1e-6);

        GradientChecker.AssertMatches(() => DiscriminatorLoss(out _, out _), d.Select(p => new GradientVariable("D." + p.Name, p.Value, p.Gradient)).ToArray());
        if (schedule == GanSchedule.Alternating)
        {
            Restore(d, dAfter);
        }

        GradientChecker.AssertMatches(GeneratorLoss, g.Select(p => new GradientVariable("G." + p.Name, p.Value, p.Gradient)).ToArray());
    }

    [Fact]
    public void Packing_degree_1_is_exactly_the_unpacked_GAN()
    {
        var options = new GanOptions { BatchSize = 8, Objective = GanObjective.NonSaturating };
        Gan plain = GanTestKit.SeedGan(3, options, hidden: 6);
        Gan packed1 = GanTestKit.SeedGan(3, options with { PackingDegree = 1 }, hidden: 6);
        plain.Train(5);
        packed1.Train(5);
        GanTestKit.AllValues(packed1.Generator).Should().Equal(GanTestKit.AllValues(plain.Generator));
        GanTestKit.AllValues(packed1.Discriminator).Should().Equal(GanTestKit.AllValues(plain.Discriminator));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-2)]
    public void A_packing_degree_below_1_is_rejected_with_its_name(int m)
    {
        FluentActions.Invoking(() => new GanOptions { PackingDegree = m }.Validate())
            .Should().Throw<ArgumentOutOfRangeException>().WithParameterName(nameof(GanOptions.PackingDegree)).Which.Message.Should().Contain("at least 1");
    }

    [Fact]
    public void A_batch_that_m_does_not_divide_is_rejected_naming_both()
    {
        FluentActions.Invoking(() => SmallPackedGan(4, false, new GanOptions()))
            .Should().Throw<ArgumentOutOfRangeException>().WithParameterName(nameof(GanOptions.PackingDegree))
            .Which.Message.Should().Contain("PackingDegree 4 must divide BatchSize 6");
    }

    [Theory]
    [InlineData(false, "with PackingDegree 2 a packed row of 2 examples has width 2 × (sample 15) = 30")]
    [InlineData(true, "with PackingDegree 2 a packed row of 2 examples has width 2 × (sample 15 + condition 1) = 32")]
    public void A_discriminator_of_the_wrong_width_is_rejected_naming_the_packed_width(bool conditional, string message)
    {
        // The seed-shaped networks: D takes one example (15, or 15 + 1), not two.
        FluentActions.Invoking(() => conditional
                ? GanTestKit.ConditionalSeedGan(1, new GanOptions { BatchSize = 8, PackingDegree = 2 }, hidden: 4)
                : GanTestKit.SeedGan(1, new GanOptions { BatchSize = 8, PackingDegree = 2 }, hidden: 4))
            .Should().Throw<ArgumentException>().WithParameterName("discriminator").Which.Message.Should().Contain(message);
    }

    /// <summary>The seed-shaped GAN with D widened to m examples (and their conditions).</summary>
    private static Gan PackedSeedGan(ulong seed, GanOptions options, bool conditional)
    {
        var random = new RandomSource(seed);
        int condition = conditional ? 1 : 0;
        var g = new Sequential(new Dense(5 + condition, 12, random), new ReLU(), new Dense(12, GanTestKit.CurvePoints, random));
        var d = new Sequential(new Dense(options.PackingDegree * (GanTestKit.CurvePoints + condition), 12, random), new LeakyReLU(0.2f), new Dense(12, 1, random));
        var gOptimizer = new Adam(g.Parameters, 1e-3f);
        var dOptimizer = new Adam(d.Parameters, 1e-3f);
        return conditional
            ? new Gan(g, d, gOptimizer, dOptimizer, new GaussianNoise(5), GanTestKit.ConditionalQuadraticSampler(), null, random, options)
            : new Gan(g, d, gOptimizer, dOptimizer, new GaussianNoise(5), GanTestKit.QuadraticSampler(), random, options);
    }

    private static Gan Load(string path, bool conditional) => conditional
        ? Gan.LoadCheckpoint(path, new GaussianNoise(5), GanTestKit.ConditionalQuadraticSampler(), null)
        : Gan.LoadCheckpoint(path, new GaussianNoise(5), GanTestKit.QuadraticSampler());

    [Theory]
    [InlineData(GanSchedule.Simultaneous, false)]
    [InlineData(GanSchedule.Alternating, true)]
    public void A_packed_checkpoint_resumes_bit_for_bit(GanSchedule schedule, bool conditional)
    {
        var options = new GanOptions { BatchSize = 12, PackingDegree = 3, Schedule = schedule, DiscriminatorSteps = 2, Objective = GanObjective.Hinge, GeneratorEmaDecay = 0.9f };
        Gan straight = PackedSeedGan(9, options, conditional);
        straight.Train(10);

        Gan first = PackedSeedGan(9, options, conditional);
        first.Train(4);
        string path = Path.Combine(_directory, $"packed-{schedule}.gck");
        first.SaveCheckpoint(path);
        CheckpointFile.Parse(File.ReadAllBytes(path), path).Keys.Should().Contain("gan/packing");
        Gan resumed = Load(path, conditional);
        resumed.Options.Should().Be(options);
        resumed.Train(6);

        GanTestKit.AllValues(resumed.Generator).Should().Equal(GanTestKit.AllValues(straight.Generator));
        GanTestKit.AllValues(resumed.Discriminator).Should().Equal(GanTestKit.AllValues(straight.Discriminator));
        GanTestKit.AllValues(resumed.AveragedGenerator!).Should().Equal(GanTestKit.AllValues(straight.AveragedGenerator!));
    }

    [Theory]
    [InlineData(1, "the packing degree is 1")]
    [InlineData(0, "the packing degree is 0")]
    [InlineData(4, "packed 4 at a time")]
    public void A_bad_packing_degree_in_the_file_is_a_CheckpointException(int m, string messagePart)
    {
        Gan gan = PackedSeedGan(2, new GanOptions { BatchSize = 12, PackingDegree = 2 }, conditional: false);
        string path = Path.Combine(_directory, "bad.gck");
        gan.SaveCheckpoint(path);
        var rebuilt = CheckpointFile.Parse(File.ReadAllBytes(path), path).Values
            .OrderBy(s => s.PayloadOffset)
            .Select(s => (s.Name, s.Name == "gan/packing" ? BitConverter.GetBytes(m) : s.Payload.ToArray()))
            .ToList();
        File.WriteAllBytes(path, CheckpointFile.Build(rebuilt));
        FluentActions.Invoking(() => Load(path, conditional: false))
            .Should().Throw<CheckpointException>().Which.Message.Should().Contain(messagePart);
    }

    [Theory]
    [InlineData(GanSchedule.Simultaneous, false)]
    [InlineData(GanSchedule.Alternating, true)]
    public void Steady_state_packed_Step_allocates_zero_bytes(GanSchedule schedule, bool conditional)
    {
        Gan gan = PackedSeedGan(4, new GanOptions { Schedule = schedule, DiscriminatorSteps = 2, PackingDegree = 4, GeneratorEmaDecay = 0.99f }, conditional);
        AllocationProbe.QuietestWindow(gan).Should().Be(0, "a steady-state packed step reuses every buffer");
    }
}
