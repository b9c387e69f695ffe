using GanCore.Adversarial;
using GanCore.Checkpoints;
using GanCore.Layers;
using GanCore.Models;
using GanCore.Optimizers;
using GanCore.Randomness;

namespace GanCore.Tests.Adversarial;

/// <summary>
/// The gradient-penalty settings in checkpoints: the optional "gan/gp" section, written only when the settings are not
/// the defaults, resumes training bit for bit (ε's draws included); files without it load as before; bad sections are
/// <see cref="CheckpointException"/>s.
/// </summary>
public sealed class WganGpCheckpointTests : IDisposable
{
    private readonly string _folder = GanTestKit.TempDirectory("gp-checkpoint");

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private static List<string> Sections(byte[] file) => [.. CheckpointFile.Parse(file, "x").Keys];

    [Theory]
    [InlineData(GanSchedule.Simultaneous, 1, false, 1f)]
    [InlineData(GanSchedule.Alternating, 3, false, 0f)]
    [InlineData(GanSchedule.Alternating, 2, true, 1f)]
    public void Training_resumed_from_a_checkpoint_with_the_penalty_is_bit_identical(GanSchedule schedule, int k, bool conditional, float target)
    {
        var options = new GanOptions { BatchSize = 8, Schedule = schedule, DiscriminatorSteps = k, Objective = GanObjective.Wasserstein, GradientPenaltyWeight = 10f, GradientPenaltyTarget = target };
        Gan Make() => conditional ? GanTestKit.ConditionalSeedGan(9, options, hidden: 6) : GanTestKit.SeedGan(9, options, hidden: 6);
        Gan straight = Make();
        GanStepMetrics[] expected = Enumerable.Range(0, 7).Select(_ => straight.Step()).ToArray();

        Gan first = Make();
        for (int i = 0; i < 3; i++)
        {
            first.Step();
        }

        string path = Path.Combine(_folder, "gp.gck");
        first.SaveCheckpoint(path);
        Sections(File.ReadAllBytes(path)).Should().Contain("gan/gp").And.NotContain("gan/r1");
        Gan resumed = conditional
            ? Gan.LoadCheckpoint(path, new GaussianNoise(5), GanTestKit.ConditionalQuadraticSampler(), null)
            : Gan.LoadCheckpoint(path, new GaussianNoise(5), GanTestKit.QuadraticSampler());
        resumed.Options.Should().Be(options);
        GanStepMetrics[] after = Enumerable.Range(0, 4).Select(_ => resumed.Step()).ToArray();

        after.Should().Equal(expected[3..]);
        after.Should().OnlyContain(m => m.GradientPenalty > 0f);
        GanTestKit.AllValues(resumed.Discriminator).Should().Equal(GanTestKit.AllValues(straight.Discriminator));
        GanTestKit.AllValues(resumed.Generator).Should().Equal(GanTestKit.AllValues(straight.Generator));
    }

    [Fact]
    public void Without_the_penalty_there_is_no_gp_section()
    {
        // That files of 0.1.0 save back byte for byte is R1CheckpointTests' 0.1.0 fixture test; this is the writer's side.
        Gan plain = GanTestKit.SeedGan(2, new GanOptions { BatchSize = 8 }, hidden: 6);
        plain.Train(2);
        string path = Path.Combine(_folder, "plain.gck");
        plain.SaveCheckpoint(path);
        Sections(File.ReadAllBytes(path)).Should().NotContain("gan/gp");
    }

    [Fact]
    public void A_target_set_while_the_penalty_is_off_round_trips_too()
    {
        var options = new GanOptions { BatchSize = 8, GradientPenaltyTarget = 0f };
        Gan gan = GanTestKit.SeedGan(2, options, hidden: 6);
        string path = Path.Combine(_folder, "target-only.gck");
        gan.SaveCheckpoint(path);
        Sections(File.ReadAllBytes(path)).Should().Contain("gan/gp");
        Gan.LoadCheckpoint(path, new GaussianNoise(5), GanTestKit.QuadraticSampler()).Options.Should().Be(options);
    }

    private static byte[] Payload(float weight, float target) => [.. BitConverter.GetBytes(weight), .. BitConverter.GetBytes(target)];

    public static TheoryData<string, byte[], string> BadSections => new()
    {
        { "negative weight", Payload(-1f, 1f), "GradientPenaltyWeight" },
        { "NaN weight", Payload(float.NaN, 1f), "GradientPenaltyWeight" },
        { "infinite weight", Payload(float.PositiveInfinity, 1f), "GradientPenaltyWeight" },
        { "negative target", Payload(10f, -1f), "GradientPenaltyTarget" },
        { "NaN target", Payload(10f, float.NaN), "GradientPenaltyTarget" },
        { "infinite target", Payload(10f, float.PositiveInfinity), "GradientPenaltyTarget" },
        { "truncated", BitConverter.GetBytes(1f), "ends early" },
        { "empty", [], "ends early" },
        { "extra bytes", [.. Payload(1f, 1f), 0], "unexpected bytes" },
    };

    [Theory]
    [MemberData(nameof(BadSections))]
    public void A_bad_gp_section_is_a_CheckpointException_naming_the_section(string what, byte[] payload, string messagePart)
    {
        Gan gan = GanTestKit.SeedGan(2, new GanOptions { BatchSize = 8, GradientPenaltyWeight = 1f }, hidden: 6);
        string path = R1CheckpointTests.WithSection(gan, _folder, "gan/gp", payload);
        FluentActions.Invoking(() => Gan.LoadCheckpoint(path, new GaussianNoise(5), GanTestKit.QuadraticSampler()))
            .Should().Throw<CheckpointException>(what).Which.Message.Should().StartWith(path).And.Contain("'gan/gp'").And.Contain(messagePart);
    }

    [Fact]
    public void A_gp_section_over_a_stored_discriminator_the_derivation_does_not_cover_is_a_CheckpointException()
    {
        var random = new RandomSource(3);
        var g = new Sequential(new Dense(5, 6, random), new ReLU(), new Dense(6, GanTestKit.CurvePoints, random));
        var d = new Sequential(new Dense(GanTestKit.CurvePoints, 6, random), new Tanh(), new Dense(6, 1, random));
        var gan = new Gan(g, d, new Adam(g.Parameters), new Adam(d.Parameters), new GaussianNoise(5), GanTestKit.QuadraticSampler(), random, new GanOptions { BatchSize = 8 });
        string path = R1CheckpointTests.WithSection(gan, _folder, "gan/gp", Payload(10f, 1f));
        FluentActions.Invoking(() => Gan.LoadCheckpoint(path, new GaussianNoise(5), GanTestKit.QuadraticSampler()))
            .Should().Throw<CheckpointException>().Which.Message.Should().Contain("layer 1 (Tanh)").And.Contain("'gan/gp'");

        // With λ = 0 the same D is fine: the penalty is off.
        path = R1CheckpointTests.WithSection(gan, _folder, "gan/gp", Payload(0f, 0.5f));
        Gan.LoadCheckpoint(path, new GaussianNoise(5), GanTestKit.QuadraticSampler()).Options.GradientPenaltyTarget.Should().Be(0.5f);
    }

    [Theory]
    [InlineData("gan/gp", "GradientPenaltyWeight")]
    [InlineData("gan/r1", "R1Gamma")]
    public void A_penalty_section_on_a_packed_conditional_checkpoint_is_a_CheckpointException(string section, string option)
    {
        // The constructor refuses a penalty on a packed conditional GAN with an ArgumentException; a file that asks for
        // one is damage, reported as such (section and payload offset), before any GAN is built.
        var random = new RandomSource(4);
        var g = new Sequential(new Dense(6, 6, random), new ReLU(), new Dense(6, GanTestKit.CurvePoints, random));
        var d = new Sequential(new Dense(2 * (GanTestKit.CurvePoints + 1), 6, random), new ReLU(), new Dense(6, 1, random));
        var gan = new Gan(g, d, new Adam(g.Parameters), new Adam(d.Parameters), new GaussianNoise(5), GanTestKit.ConditionalQuadraticSampler(), null, random, new GanOptions { BatchSize = 8, PackingDegree = 2 });
        bool r1 = section == "gan/r1";
        string path = R1CheckpointTests.WithSection(gan, _folder, section, r1 ? R1CheckpointTests.Payload(1f, 1) : Payload(10f, 1f));
        long payloadOffset = CheckpointFile.Parse(File.ReadAllBytes(path), path)[section].PayloadOffset;
        CheckpointException e = FluentActions.Invoking(() => Gan.LoadCheckpoint(path, new GaussianNoise(5), GanTestKit.ConditionalQuadraticSampler(), null))
            .Should().Throw<CheckpointException>().Which;
        e.Message.Should().StartWith(path).And.Contain($"{option} > 0 with PackingDegree 2");
        e.Section.Should().Be(section);
        e.Offset.Should().Be(payloadOffset);

        // Off (weight 0), the same section loads, and its other setting is read: nothing is penalized.
        path = R1CheckpointTests.WithSection(gan, _folder, section, r1 ? R1CheckpointTests.Payload(0f, 2) : Payload(0f, 0.5f));
        GanOptions loaded = Gan.LoadCheckpoint(path, new GaussianNoise(5), GanTestKit.ConditionalQuadraticSampler(), null).Options;
        loaded.PackingDegree.Should().Be(2);
        (r1 ? loaded.R1Interval : loaded.GradientPenaltyTarget).Should().Be(r1 ? 2 : 0.5f);
    }
}
