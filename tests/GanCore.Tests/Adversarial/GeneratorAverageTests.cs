using GanCore.Adversarial;
using GanCore.Checkpoints;
using GanCore.Layers;
using GanCore.Models;
using GanCore.Optimizers;
using GanCore.Randomness;
using GanCore.Tensors;
using GanCore.Tests.Testing;

namespace GanCore.Tests.Adversarial;

/// <summary>The generator's exponential moving average (<see cref="GanOptions.GeneratorEmaDecay"/>, <see cref="Gan.AveragedGenerator"/>).</summary>
public sealed class GeneratorAverageTests : IDisposable
{
    private readonly string _directory = GanTestKit.TempDirectory("ema");

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    /// <summary>G = Dense(5→8) → BatchNorm(8) → ReLU → Dense(8→15); D = Dense(m·15→8) → LeakyReLU → Dense(8→1); Adam 1e-2 so weights move visibly.</summary>
    internal static Gan BatchNormGan(ulong seed, GanOptions options)
    {
        var random = new RandomSource(seed);
        var g = new Sequential(new Dense(5, 8, random), new BatchNorm(8), new ReLU(), new Dense(8, GanTestKit.CurvePoints, random));
        var d = new Sequential(new Dense(options.PackingDegree * GanTestKit.CurvePoints, 8, random), new LeakyReLU(0.2f), new Dense(8, 1, random));
        return new Gan(g, d, new Adam(g.Parameters, 1e-2f), new Adam(d.Parameters, 1e-2f), new GaussianNoise(5), GanTestKit.QuadraticSampler(), random, options);
    }

    private static float[] Values(Sequential model) => GanTestKit.AllValues(model);

    /// <summary>Every parameter, then every BatchNorm running mean and variance.</summary>
    private static float[] ValuesAndStatistics(Sequential model) =>
        [.. Values(model), .. model.Layers.OfType<BatchNorm>().SelectMany(b => b.RunningMean.ToArray().Concat(b.RunningVariance.ToArray()))];

    [Fact]
    public void A_spectrally_normalized_layer_in_G_gives_the_average_G_s_power_iteration_vector()
    {
        var random = new RandomSource(21);
        var g = new Sequential(new SpectralNormDense(5, 8, random), new ReLU(), new Dense(8, GanTestKit.CurvePoints, random));
        var d = new Sequential(new Dense(GanTestKit.CurvePoints, 8, random), new LeakyReLU(0.2f), new Dense(8, 1, random));
        var gan = new Gan(g, d, new Adam(g.Parameters, 1e-2f), new Adam(d.Parameters, 1e-2f), new GaussianNoise(5), GanTestKit.QuadraticSampler(), random, new GanOptions { BatchSize = 16, GeneratorEmaDecay = 0.9f });
        var initialU = ((SpectralNormDense)gan.AveragedGenerator!.Layers[0]).U.ToArray();
        gan.Train(5);

        var trained = (SpectralNormDense)g.Layers[0];
        var averaged = (SpectralNormDense)gan.AveragedGenerator!.Layers[0];
        trained.U.ToArray().Should().NotEqual(initialU, "five training passes move G's u");
        averaged.U.ToArray().Should().Equal(trained.U.ToArray(), "the average never runs a training pass, so its u must come from G");
    }

    [Fact]
    public void The_bias_corrected_decay_copies_G_first_and_tends_to_beta()
    {
        Gan.AverageDecay(0.999f, 1, 1).Should().Be(0f, "the first averaged update copies G");
        Gan.AverageDecay(0.999f, 5, 3).Should().Be(0f, "before the start the average is G");
        Gan.AverageDecay(0.999f, 5, 5).Should().Be(0f, "at the start the average becomes G");
        ((double)Gan.AverageDecay(0.999f, 1, 2)).Should().BeApproximately(0.999 / 1.999, 1e-7, "β₂ = β/(1 + β): the two updates weigh 1 : β");
        ((double)Gan.AverageDecay(0.5f, 3, 5)).Should().BeApproximately((0.5 - 0.125) / (1 - 0.125), 1e-7, "t = 3");
        Gan.AverageDecay(0.9f, 1, 1_000_000).Should().Be(0.9f);
    }

    [Theory]
    [InlineData(0.5f, 1L, GanSchedule.Simultaneous)]
    [InlineData(0.9f, 1L, GanSchedule.Alternating)]
    [InlineData(0.5f, 4L, GanSchedule.Simultaneous)]
    public void The_average_is_the_normalized_exponentially_weighted_mean_of_Gs_weights_and_statistics(float beta, long start, GanSchedule schedule)
    {
        Gan gan = BatchNormGan(3, new GanOptions { BatchSize = 8, Schedule = schedule, DiscriminatorSteps = 2, GeneratorEmaDecay = beta, GeneratorEmaStart = start });
        gan.AveragedGenerator.Should().NotBeNull().And.NotBeSameAs(gan.Generator);
        gan.AveragedGenerator!.Describe().Should().Be(gan.Generator.Describe());
        var history = new List<float[]>();
        for (int s = 1; s <= 7; s++)
        {
            gan.Step();
            history.Add(ValuesAndStatistics(gan.Generator));
            float[] average = ValuesAndStatistics(gan.AveragedGenerator);
            if (s < start)
            {
                average.Should().Equal(history[^1], "before the start step the average is G");
                continue;
            }

            // Σ β^(s−i)·θ_i / Σ β^(s−i) over the updates i = start..s, in double.
            for (int k = 0; k < average.Length; k++)
            {
                double sum = 0, weight = 0;
                for (long i = start; i <= s; i++)
                {
                    double w = Math.Pow(beta, s - i);
                    sum += w * history[(int)i - 1][k];
                    weight += w;
                }

                double expected = sum / weight;
                double bound = 1e-6 * (1 + history.Max(h => Math.Abs(h[k])));
                if (!(Math.Abs(average[k] - expected) <= bound))
                {
                    Assert.Fail($"step {s}, value {k}: average {average[k]:R}, expected {expected:R} (bound {bound:E2}).");
                }
            }
        }

        // The check can fail: G has moved, so the average is not G.
        ValuesAndStatistics(gan.AveragedGenerator).Should().NotEqual(history[^1]);
    }

    [Fact]
    public void Without_a_decay_there_is_no_average_and_Generate_runs_G()
    {
        Gan gan = GanTestKit.SeedGan(4, new GanOptions { BatchSize = 8 }, hidden: 6);
        gan.Train(3);
        gan.AveragedGenerator.Should().BeNull();
        Matrix samples = gan.Generate(5, new RandomSource(9));
        var z = new Matrix(5, 5);
        gan.Noise.Fill(z, new RandomSource(9));
        GanTestKit.Flatten(samples).Should().Equal(GanTestKit.Flatten(gan.Generator.Forward(z)));
    }

    [Fact]
    public void Every_unconditional_Generate_overload_draws_from_the_average()
    {
        Gan gan = BatchNormGan(5, new GanOptions { BatchSize = 8, GeneratorEmaDecay = 0.9f });
        gan.Train(6);
        gan.Generator.IsTraining.Should().BeTrue();

        // 20 rows: more than one batch of 8, so the chunked path runs too.
        Matrix samples = gan.Generate(20, new RandomSource(9));
        var trainingStream = new RandomSource(gan.Random.GetState());
        Matrix fromTrainingStream = gan.Generate(20);
        Matrix Noise(RandomSource random)
        {
            var z = new Matrix(20, 5);
            for (int start = 0; start < 20; start += 8)
            {
                gan.Noise.Fill(z.Slice(start, 0, Math.Min(8, 20 - start), 5), random);
            }

            return z;
        }

        gan.AveragedGenerator!.IsTraining.Should().BeFalse();
        Matrix z = Noise(new RandomSource(9));
        float[] expected = GanTestKit.Flatten(gan.AveragedGenerator.Forward(z));
        GanTestKit.Flatten(samples).Should().Equal(expected);
        GanTestKit.Flatten(fromTrainingStream).Should().Equal(GanTestKit.Flatten(gan.AveragedGenerator.Forward(Noise(trainingStream))));

        gan.Generator.IsTraining = false;
        float[] fromG = GanTestKit.Flatten(gan.Generator.Forward(z));
        gan.Generator.IsTraining = true;
        fromG.Should().NotEqual(expected, "G itself has moved away from its average");
    }

    [Fact]
    public void Conditional_Generate_draws_from_the_average_on_z_concatenated_with_c()
    {
        Gan gan = GanTestKit.ConditionalSeedGan(6, new GanOptions { BatchSize = 8, GeneratorEmaDecay = 0.8f }, hidden: 10);
        gan.Train(5);
        Matrix conditions = Matrix.FromArray(new float[,] { { 0f }, { 1f }, { 1f }, { 0f } });
        Matrix samples = gan.Generate(4, conditions, new RandomSource(3));
        var z = new Matrix(4, 5);
        gan.Noise.Fill(z, new RandomSource(3));
        var input = new Matrix(4, 6);
        for (int i = 0; i < 4; i++)
        {
            z.Row(i).CopyTo(input.Row(i));
            input[i, 5] = conditions[i, 0];
        }

        float[] expected = GanTestKit.Flatten(gan.AveragedGenerator!.Forward(input));
        GanTestKit.Flatten(samples).Should().Equal(expected);
        GanTestKit.Flatten(gan.Generator.Forward(input)).Should().NotEqual(expected);
    }

    [Theory]
    [InlineData(GanSchedule.Simultaneous, 1L)]
    [InlineData(GanSchedule.Alternating, 1L)]
    [InlineData(GanSchedule.Simultaneous, 6L)]
    public void A_checkpoint_with_the_average_resumes_bit_for_bit(GanSchedule schedule, long start)
    {
        var options = new GanOptions { BatchSize = 8, Schedule = schedule, DiscriminatorSteps = 2, Objective = GanObjective.NonSaturating, GeneratorEmaDecay = 0.95f, GeneratorEmaStart = start };
        Gan straight = BatchNormGan(8, options);
        straight.Train(10);

        Gan first = BatchNormGan(8, options);
        first.Train(4);
        string path = Path.Combine(_directory, $"ema-{schedule}-{start}.gck");
        first.SaveCheckpoint(path);
        List<string> sections = [.. CheckpointFile.Parse(File.ReadAllBytes(path), path).Keys];
        sections.Should().Contain(["gan/ema", "gan/ema/parameters", "gan/ema/state"]);

        Gan resumed = Gan.LoadCheckpoint(path, new GaussianNoise(5), GanTestKit.QuadraticSampler());
        resumed.Options.Should().Be(options);
        ValuesAndStatistics(resumed.AveragedGenerator!).Should().Equal(ValuesAndStatistics(first.AveragedGenerator!));
        resumed.Train(6);

        ValuesAndStatistics(resumed.Generator).Should().Equal(ValuesAndStatistics(straight.Generator));
        Values(resumed.Discriminator).Should().Equal(Values(straight.Discriminator));
        ValuesAndStatistics(resumed.AveragedGenerator!).Should().Equal(ValuesAndStatistics(straight.AveragedGenerator!));
        GanTestKit.Flatten(resumed.Generate(12, new RandomSource(1))).Should().Equal(GanTestKit.Flatten(straight.Generate(12, new RandomSource(1))));
    }

    [Fact]
    public void Without_the_average_a_checkpoint_has_no_average_sections_and_loads_without_one()
    {
        Gan gan = GanTestKit.SeedGan(2, new GanOptions { BatchSize = 8 }, hidden: 6);
        gan.Train(2);
        string path = Path.Combine(_directory, "plain.gck");
        gan.SaveCheckpoint(path);
        CheckpointFile.Parse(File.ReadAllBytes(path), path).Keys.Should().NotContain(k => k.StartsWith("gan/ema", StringComparison.Ordinal) || k == "gan/packing");
        Gan loaded = Gan.LoadCheckpoint(path, new GaussianNoise(5), GanTestKit.QuadraticSampler());
        loaded.AveragedGenerator.Should().BeNull();
        loaded.Options.GeneratorEmaDecay.Should().Be(0f);
    }

    [Theory]
    [InlineData(-0.1f)]
    [InlineData(1f)]
    [InlineData(1.5f)]
    [InlineData(float.NaN)]
    [InlineData(float.PositiveInfinity)]
    public void A_decay_outside_0_to_1_is_rejected_with_its_name(float decay)
    {
        FluentActions.Invoking(() => GanTestKit.SeedGan(1, new GanOptions { GeneratorEmaDecay = decay }, hidden: 4))
            .Should().Throw<ArgumentOutOfRangeException>().WithParameterName(nameof(GanOptions.GeneratorEmaDecay)).Which.Message.Should().Contain("[0, 1)");
    }

    [Theory]
    [InlineData(0L)]
    [InlineData(-5L)]
    public void A_start_step_below_1_is_rejected_with_its_name(long start)
    {
        FluentActions.Invoking(() => new GanOptions { GeneratorEmaDecay = 0.9f, GeneratorEmaStart = start }.Validate())
            .Should().Throw<ArgumentOutOfRangeException>().WithParameterName(nameof(GanOptions.GeneratorEmaStart));
    }

    [Theory]
    [InlineData("decay 0", "decay is 0")]
    [InlineData("decay 1", "decay is 1")]
    [InlineData("start 0", "start step is 0")]
    [InlineData("short", "ends early")]
    [InlineData("no parameters", "gan/ema/parameters")]
    public void A_damaged_average_in_the_file_is_a_CheckpointException(string damage, string messagePart)
    {
        Gan gan = GanTestKit.SeedGan(2, new GanOptions { BatchSize = 8, GeneratorEmaDecay = 0.9f }, hidden: 6);
        string path = Path.Combine(_directory, "damaged.gck");
        gan.SaveCheckpoint(path);
        byte[] settings = damage switch
        {
            "decay 0" => [.. BitConverter.GetBytes(0f), .. BitConverter.GetBytes(1L)],
            "decay 1" => [.. BitConverter.GetBytes(1f), .. BitConverter.GetBytes(1L)],
            "start 0" => [.. BitConverter.GetBytes(0.9f), .. BitConverter.GetBytes(0L)],
            "short" => BitConverter.GetBytes(0.9f),
            _ => [.. BitConverter.GetBytes(0.9f), .. BitConverter.GetBytes(1L)],
        };
        var rebuilt = CheckpointFile.Parse(File.ReadAllBytes(path), path).Values
            .OrderBy(s => s.PayloadOffset)
            .Where(s => !(damage == "no parameters" && s.Name == "gan/ema/parameters"))
            .Select(s => (s.Name, s.Name == "gan/ema" ? settings : s.Payload.ToArray()))
            .ToList();
        File.WriteAllBytes(path, CheckpointFile.Build(rebuilt));
        FluentActions.Invoking(() => Gan.LoadCheckpoint(path, new GaussianNoise(5), GanTestKit.QuadraticSampler()))
            .Should().Throw<CheckpointException>().Which.Message.Should().Contain(messagePart);
    }

    [Theory]
    [InlineData(GanSchedule.Simultaneous, 1)]
    [InlineData(GanSchedule.Alternating, 1)]
    [InlineData(GanSchedule.Simultaneous, 4)]
    [InlineData(GanSchedule.Alternating, 2)]
    public void Steady_state_Step_with_the_average_and_packing_allocates_zero_bytes(GanSchedule schedule, int packing)
    {
        Gan gan = BatchNormGan(4, new GanOptions { Schedule = schedule, DiscriminatorSteps = 2, GeneratorEmaDecay = 0.999f, PackingDegree = packing });
        AllocationProbe.QuietestWindow(gan).Should().Be(0, "a steady-state step with the average on reuses every buffer");
    }
}
