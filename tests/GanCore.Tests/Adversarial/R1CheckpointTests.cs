using GanCore.Adversarial;
using GanCore.Checkpoints;
using GanCore.Layers;
using GanCore.Models;
using GanCore.Optimizers;
using GanCore.Randomness;

namespace GanCore.Tests.Adversarial;

/// <summary>
/// The R1 settings in checkpoints: the optional "gan/r1" section, written only when the settings are not the defaults,
/// resumes training bit for bit (the lazy schedule included); files without it load as before; bad sections are
/// <see cref="CheckpointException"/>s.
/// </summary>
public sealed class R1CheckpointTests : IDisposable
{
    private readonly string _folder = GanTestKit.TempDirectory("r1-checkpoint");

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private static List<string> Sections(byte[] file) => [.. CheckpointFile.Parse(file, "x").Keys];

    [Theory]
    [InlineData(GanSchedule.Simultaneous, 1, 1, false)]
    [InlineData(GanSchedule.Alternating, 2, 3, false)]
    [InlineData(GanSchedule.Alternating, 3, 4, true)]
    public void Training_resumed_from_a_checkpoint_with_R1_is_bit_identical(GanSchedule schedule, int k, int interval, bool conditional)
    {
        var options = new GanOptions { BatchSize = 8, Schedule = schedule, DiscriminatorSteps = k, R1Gamma = 5f, R1Interval = interval, Objective = GanObjective.NonSaturating };
        Gan Make() => conditional ? GanTestKit.ConditionalSeedGan(9, options, hidden: 6) : GanTestKit.SeedGan(9, options, hidden: 6);
        Gan straight = Make();
        GanStepMetrics[] expected = Enumerable.Range(0, 7).Select(_ => straight.Step()).ToArray();

        Gan first = Make();
        for (int i = 0; i < 3; i++)
        {
            first.Step();
        }

        string path = Path.Combine(_folder, "r1.gck");
        first.SaveCheckpoint(path);
        Sections(File.ReadAllBytes(path)).Should().Contain("gan/r1");
        Gan resumed = conditional
            ? Gan.LoadCheckpoint(path, new GaussianNoise(5), GanTestKit.ConditionalQuadraticSampler(), null)
            : Gan.LoadCheckpoint(path, new GaussianNoise(5), GanTestKit.QuadraticSampler());
        resumed.Options.Should().Be(options);
        GanStepMetrics[] after = Enumerable.Range(0, 4).Select(_ => resumed.Step()).ToArray();

        after.Should().Equal(expected[3..]);
        after.Should().Contain(m => m.R1Penalty > 0f);
        GanTestKit.AllValues(resumed.Discriminator).Should().Equal(GanTestKit.AllValues(straight.Discriminator));
        GanTestKit.AllValues(resumed.Generator).Should().Equal(GanTestKit.AllValues(straight.Generator));
    }

    [Fact]
    public void Without_R1_there_is_no_r1_section_and_the_bytes_are_those_of_a_GAN_without_the_feature()
    {
        Gan plain = GanTestKit.SeedGan(2, new GanOptions { BatchSize = 8 }, hidden: 6);
        Gan explicitOff = GanTestKit.SeedGan(2, new GanOptions { BatchSize = 8, R1Gamma = 0f, R1Interval = 1 }, hidden: 6);
        plain.Train(2);
        explicitOff.Train(2);
        string a = Path.Combine(_folder, "a.gck");
        string b = Path.Combine(_folder, "b.gck");
        plain.SaveCheckpoint(a);
        explicitOff.SaveCheckpoint(b);
        byte[] bytes = File.ReadAllBytes(a);
        Sections(bytes).Should().NotContain("gan/r1");
        File.ReadAllBytes(b).Should().Equal(bytes);
        Gan.LoadCheckpoint(a, new GaussianNoise(5), GanTestKit.QuadraticSampler()).Options.Should().Be(plain.Options);
    }

    [Fact]
    public void A_GAN_checkpoint_written_by_0_1_0_loads_with_R1_off_and_saves_back_the_same_sections_byte_for_byte()
    {
        string fixture = Path.Combine(AppContext.BaseDirectory, "Checkpoints", "Fixtures", "gan-0.1.0.gcc");
        var sampler = new DelegateSampler(4, static (m, r) => r.FillUniform(m.Span, 1f, 2f));
        Gan gan = Gan.LoadCheckpoint(fixture, new GaussianNoise(3), sampler);
        gan.Options.R1Gamma.Should().Be(0f);
        gan.Options.R1Interval.Should().Be(1);
        string path = Path.Combine(_folder, "resaved.gck");
        gan.SaveCheckpoint(path);
        byte[] resaved = File.ReadAllBytes(path);
        byte[] original = File.ReadAllBytes(fixture);

        // Only the header's format version differs (0.1.0 wrote version 1; today's writer writes 2): every section,
        // and so every byte after the header's version field, is what 0.1.0 wrote.
        BitConverter.ToInt32(original, 8).Should().Be(1);
        BitConverter.ToInt32(resaved, 8).Should().Be(2);
        resaved[..8].Should().Equal(original[..8]);
        resaved[12..].Should().Equal(original[12..]);
    }

    [Fact]
    public void A_zero_gamma_with_a_lazy_interval_round_trips_too()
    {
        var options = new GanOptions { BatchSize = 8, R1Gamma = 0f, R1Interval = 4 };
        Gan gan = GanTestKit.SeedGan(2, options, hidden: 6);
        string path = Path.Combine(_folder, "lazy-off.gck");
        gan.SaveCheckpoint(path);
        Sections(File.ReadAllBytes(path)).Should().Contain("gan/r1");
        Gan.LoadCheckpoint(path, new GaussianNoise(5), GanTestKit.QuadraticSampler()).Options.Should().Be(options);
    }

    private string WithR1Payload(Gan gan, byte[] payload) => WithSection(gan, _folder, "gan/r1", payload);

    /// <summary>Saves <paramref name="gan"/> to bad.gck in <paramref name="folder"/> with section <paramref name="name"/> replaced by (or given) <paramref name="payload"/>.</summary>
    internal static string WithSection(Gan gan, string folder, string name, byte[] payload)
    {
        string path = Path.Combine(folder, "bad.gck");
        gan.SaveCheckpoint(path);
        var sections = CheckpointFile.Parse(File.ReadAllBytes(path), path).Values.OrderBy(s => s.PayloadOffset)
            .Where(s => s.Name != name)
            .Select(s => (s.Name, s.Payload.ToArray()))
            .Append((name, payload))
            .ToList();
        File.WriteAllBytes(path, CheckpointFile.Build(sections));
        return path;
    }

    internal static byte[] Payload(float gamma, int interval) => [.. BitConverter.GetBytes(gamma), .. BitConverter.GetBytes(interval)];

    public static TheoryData<string, byte[], string> BadSections => new()
    {
        { "negative gamma", Payload(-1f, 1), "R1Gamma" },
        { "NaN gamma", Payload(float.NaN, 1), "R1Gamma" },
        { "infinite gamma", Payload(float.PositiveInfinity, 1), "R1Gamma" },
        { "zero interval", Payload(1f, 0), "R1Interval" },
        { "negative interval", Payload(1f, int.MinValue), "R1Interval" },
        { "overflowing scale", Payload(3e38f, 1000), "R1Interval" },
        { "truncated", BitConverter.GetBytes(1f), "ends early" },
        { "empty", [], "ends early" },
        { "extra bytes", [.. Payload(1f, 2), 0], "unexpected bytes" },
    };

    [Theory]
    [MemberData(nameof(BadSections))]
    public void A_bad_r1_section_is_a_CheckpointException_naming_the_section(string what, byte[] payload, string messagePart)
    {
        Gan gan = GanTestKit.SeedGan(2, new GanOptions { BatchSize = 8, R1Gamma = 1f }, hidden: 6);
        string path = WithR1Payload(gan, payload);
        FluentActions.Invoking(() => Gan.LoadCheckpoint(path, new GaussianNoise(5), GanTestKit.QuadraticSampler()))
            .Should().Throw<CheckpointException>(what).Which.Message.Should().StartWith(path).And.Contain("'gan/r1'").And.Contain(messagePart);
    }

    [Fact]
    public void An_r1_section_over_a_stored_discriminator_the_derivation_does_not_cover_is_a_CheckpointException()
    {
        var random = new RandomSource(3);
        var g = new Sequential(new Dense(5, 6, random), new ReLU(), new Dense(6, GanTestKit.CurvePoints, random));
        var d = new Sequential(new Dense(GanTestKit.CurvePoints, 6, random), new Tanh(), new Dense(6, 1, random));
        var gan = new Gan(g, d, new Adam(g.Parameters), new Adam(d.Parameters), new GaussianNoise(5), GanTestKit.QuadraticSampler(), random, new GanOptions { BatchSize = 8 });
        string path = WithR1Payload(gan, Payload(1f, 1));
        FluentActions.Invoking(() => Gan.LoadCheckpoint(path, new GaussianNoise(5), GanTestKit.QuadraticSampler()))
            .Should().Throw<CheckpointException>().Which.Message.Should().Contain("layer 1 (Tanh)").And.Contain("'gan/r1'");

        // With γ = 0 the same D is fine: R1 is off.
        path = WithR1Payload(gan, Payload(0f, 2));
        Gan.LoadCheckpoint(path, new GaussianNoise(5), GanTestKit.QuadraticSampler()).Options.R1Interval.Should().Be(2);
    }
}
