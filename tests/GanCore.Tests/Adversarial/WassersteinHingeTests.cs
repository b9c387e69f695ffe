using GanCore.Adversarial;
using GanCore.Randomness;
using GanCore.Tensors;
using GanCore.Tests.Testing;

namespace GanCore.Tests.Adversarial;

/// <summary>
/// The Wasserstein and hinge objectives: every term against central finite differences (with a mutation test that
/// shows the check catches a wrong gradient), hand-computed values at and around the hinge's kinks, the real-label
/// rule, NaN handling, the option values in GAN checkpoints, and zero allocation with weight clipping.
/// </summary>
public class WassersteinHingeTests
{
    public static TheoryData<GanObjective> Kinds => [GanObjective.Wasserstein, GanObjective.Hinge];

    /// <summary>
    /// Logits in [−3, 3], on both sides of each margin, that keep at least <see cref="GradientChecker.KinkMargin"/>
    /// from the hinge's kinks at ±1, so no central difference (step <see cref="GradientChecker.Step"/>) straddles one.
    /// </summary>
    private static Matrix Logits()
    {
        float[] values = [-2.7f, -1.6f, -0.8f, -0.3f, 0.05f, 0.6f, 1.4f, 2.1f, 2.9f, -2.2f, 0.35f];
        var logits = new Matrix(values.Length, 1);
        values.CopyTo(logits.Span);
        return logits;
    }

    private static (GradientVariable Real, GradientVariable FakeD, GradientVariable FakeG) Analytic(AdversarialObjective objective, Matrix logits)
    {
        var real = new Matrix(logits.Rows, 1);
        var fakeD = new Matrix(logits.Rows, 1);
        var fakeG = new Matrix(logits.Rows, 1);
        objective.DiscriminatorRealTerm(logits.Span, 1f, real.Span, out _);
        objective.FakeTerms(logits.Span, fakeD.Span, fakeG.Span, out _, out _, out _);
        return (new GradientVariable("real", logits, real), new GradientVariable("fake, D", logits, fakeD), new GradientVariable("fake, G", logits, fakeG));
    }

    private static double RealLoss(AdversarialObjective objective, Matrix logits) =>
        objective.DiscriminatorRealTerm(logits.Span, 1f, new float[logits.Rows], out _);

    private static double FakeLossD(AdversarialObjective objective, Matrix logits)
    {
        objective.FakeTerms(logits.Span, new float[logits.Rows], [], out double d, out _, out _);
        return d;
    }

    private static double FakeLossG(AdversarialObjective objective, Matrix logits)
    {
        objective.FakeTerms(logits.Span, [], new float[logits.Rows], out _, out _, out double g);
        return g;
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Every_term_s_gradient_matches_finite_differences(GanObjective kind)
    {
        AdversarialObjective objective = AdversarialObjective.For(kind);
        Matrix logits = Logits();
        (GradientVariable real, GradientVariable fakeD, GradientVariable fakeG) = Analytic(objective, logits);

        GradientChecker.AssertMatches(() => RealLoss(objective, logits), real).Checked.Should().Be(logits.Rows);
        GradientChecker.AssertMatches(() => FakeLossD(objective, logits), fakeD).Checked.Should().Be(logits.Rows);
        GradientChecker.AssertMatches(() => FakeLossG(objective, logits), fakeG).Checked.Should().Be(logits.Rows);
    }

    [Fact]
    public void Mutation_the_same_check_catches_a_wrong_gradient()
    {
        Matrix logits = Logits();
        int n = logits.Rows;

        // Hinge, real term, with the max(0, ·) forgotten: −1/n for every logit, also where the margin is met (l > 1).
        (GradientVariable real, GradientVariable fakeD, _) = Analytic(AdversarialObjective.Hinge, logits);
        var noMask = new Matrix(n, 1);
        noMask.Span.Fill(-1f / n);
        GradientChecker.Check(() => RealLoss(AdversarialObjective.Hinge, logits), real with { Analytic = noMask })
            .Mismatches.Should().HaveCount(logits.Span.ToArray().Count(l => l > 1f), "exactly the logits past the margin have a zero derivative");

        // Hinge, fake term, with the kink on the wrong side (active where l < −1 instead of l > −1).
        var wrongSide = new Matrix(n, 1);
        for (int i = 0; i < n; i++)
        {
            wrongSide[i, 0] = logits[i, 0] < -1f ? 1f / n : 0f;
        }

        GradientChecker.Check(() => FakeLossD(AdversarialObjective.Hinge, logits), fakeD with { Analytic = wrongSide }).Mismatches.Should().NotBeEmpty();

        // Wasserstein, G's term, without the division by the batch size.
        (_, _, GradientVariable fakeG) = Analytic(AdversarialObjective.Wasserstein, logits);
        var unscaled = new Matrix(n, 1);
        unscaled.Span.Fill(-1f);
        GradientChecker.Check(() => FakeLossG(AdversarialObjective.Wasserstein, logits), fakeG with { Analytic = unscaled }).Mismatches.Should().HaveCount(n);

        // Wasserstein, D's fake term, with the sign flipped (what a critic maximizing the wrong side would use).
        (_, GradientVariable wFakeD, _) = Analytic(AdversarialObjective.Wasserstein, logits);
        var flipped = new Matrix(n, 1);
        flipped.Span.Fill(-1f / n);
        GradientChecker.Check(() => FakeLossD(AdversarialObjective.Wasserstein, logits), wFakeD with { Analytic = flipped }).Mismatches.Should().HaveCount(n);
    }

    [Fact]
    public void Wasserstein_terms_equal_hand_computed_values()
    {
        float[] logits = [2f, -0.5f, 1f, 3.5f];
        var real = new float[4];
        var fakeD = new float[4];
        var fakeG = new float[4];

        double realLoss = AdversarialObjective.Wasserstein.DiscriminatorRealTerm(logits, 1f, real, out double realScore);
        AdversarialObjective.Wasserstein.FakeTerms(logits, fakeD, fakeG, out double fakeLoss, out double fakeScore, out double generatorLoss);

        // mean l = 6/4 = 1.5.
        realLoss.Should().Be(-1.5);
        realScore.Should().Be(1.5);
        fakeLoss.Should().Be(1.5);
        fakeScore.Should().Be(1.5);
        generatorLoss.Should().Be(-1.5);
        real.Should().Equal(-0.25f, -0.25f, -0.25f, -0.25f);
        fakeD.Should().Equal(0.25f, 0.25f, 0.25f, 0.25f);
        fakeG.Should().Equal(-0.25f, -0.25f, -0.25f, -0.25f);
    }

    [Fact]
    public void Hinge_terms_equal_hand_computed_values_with_zero_subgradient_at_the_kinks()
    {
        // Real: max(0, 1 − l) = 0, 1.5, 0 (kink), 2, 0.5 → mean 0.8; gradient −1/5 where l < 1, 0 at the kink l = 1.
        float[] realLogits = [2f, -0.5f, 1f, -1f, 0.5f];
        var real = new float[5];
        double realLoss = AdversarialObjective.Hinge.DiscriminatorRealTerm(realLogits, 1f, real, out double realScore);
        realLoss.Should().BeApproximately(0.8, 1e-12);
        realScore.Should().BeApproximately(0.4, 1e-7);
        real.Should().Equal(0f, -0.2f, 0f, -0.2f, -0.2f);

        // Fake: max(0, 1 + l) = 3, 0.5, 0 (kink), 0, 1.5 → mean 1; gradient 1/5 where l > −1, 0 at the kink l = −1.
        float[] fakeLogits = [2f, -0.5f, -1f, -3f, 0.5f];
        var fakeD = new float[5];
        var fakeG = new float[5];
        AdversarialObjective.Hinge.FakeTerms(fakeLogits, fakeD, fakeG, out double fakeLoss, out double fakeScore, out double generatorLoss);
        fakeLoss.Should().BeApproximately(1.0, 1e-12);
        fakeScore.Should().BeApproximately(-0.4, 1e-7);
        generatorLoss.Should().BeApproximately(0.4, 1e-7);
        fakeD.Should().Equal(0.2f, 0.2f, 0f, 0f, 0.2f);
        fakeG.Should().Equal(-0.2f, -0.2f, -0.2f, -0.2f, -0.2f);
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void A_term_not_asked_for_is_not_written_and_reports_zero(GanObjective kind)
    {
        AdversarialObjective objective = AdversarialObjective.For(kind);
        float[] logits = [0.5f, 2f, -3f];
        var onlyG = new float[3];
        objective.FakeTerms(logits, [], onlyG, out double d, out double score, out double g);
        d.Should().Be(0);
        score.Should().Be(0);
        g.Should().BeApproximately(0.5 / 3, 1e-7);

        var onlyD = new float[] { 7f, 7f, 7f, 7f };
        objective.FakeTerms(logits, onlyD, [], out _, out _, out double none);
        none.Should().Be(0);
        onlyD[3].Should().Be(7f, "a gradient span longer than the batch is written only up to the batch size");
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void A_smoothed_real_label_is_rejected_naming_the_target(GanObjective kind)
    {
        AdversarialObjective objective = AdversarialObjective.For(kind);
        FluentActions.Invoking(() => objective.DiscriminatorRealTerm([0.5f], 0.9f, new float[1], out _))
            .Should().Throw<ArgumentException>().WithParameterName("target").WithMessage($"*{kind}*RealLabel*");

        // Through the composer, the options are rejected when the GAN is built, before any step.
        FluentActions.Invoking(() => GanTestKit.SeedGan(3, new GanOptions { Objective = kind, RealLabel = 0.9f, BatchSize = 8 }, hidden: 4))
            .Should().Throw<ArgumentOutOfRangeException>().WithParameterName("RealLabel").WithMessage($"*{kind}*");
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void A_NaN_logit_gives_a_NaN_loss_so_divergence_is_detected(GanObjective kind)
    {
        AdversarialObjective objective = AdversarialObjective.For(kind);
        float[] logits = [0.5f, float.NaN];
        double.IsNaN(objective.DiscriminatorRealTerm(logits, 1f, new float[2], out _)).Should().BeTrue();
        objective.FakeTerms(logits, new float[2], new float[2], out double d, out _, out double g);
        double.IsNaN(d).Should().BeTrue();
        double.IsNaN(g).Should().BeTrue();
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Short_or_empty_spans_are_rejected_naming_the_parameter(GanObjective kind)
    {
        AdversarialObjective objective = AdversarialObjective.For(kind);
        float[] logits = [0.5f, -1f, 2f];
        FluentActions.Invoking(() => objective.DiscriminatorRealTerm(logits, 1f, new float[2], out _)).Should().Throw<ArgumentException>().WithParameterName("gradient");
        FluentActions.Invoking(() => objective.DiscriminatorRealTerm([], 1f, new float[2], out _)).Should().Throw<ArgumentException>().WithParameterName("logits");
        FluentActions.Invoking(() => objective.FakeTerms(logits, new float[1], [], out _, out _, out _)).Should().Throw<ArgumentException>().WithParameterName("discriminatorGradient");
        FluentActions.Invoking(() => objective.FakeTerms(logits, [], new float[2], out _, out _, out _)).Should().Throw<ArgumentException>().WithParameterName("generatorGradient");
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void The_option_maps_to_its_objective_and_survives_a_GAN_checkpoint(GanObjective kind)
    {
        AdversarialObjective.For(kind).Kind.Should().Be(kind);
        AdversarialObjective.For(kind).ToString().Should().Be(kind.ToString());
        var options = new GanOptions { Objective = kind, Schedule = GanSchedule.Alternating, DiscriminatorSteps = 5, BatchSize = 16 };
        Gan gan = GanTestKit.SeedGan(5, options, hidden: 8);
        gan.Train(3);
        string folder = GanTestKit.TempDirectory("objectives");
        try
        {
            string path = Path.Combine(folder, "gan.ckpt");
            gan.SaveCheckpoint(path);
            Gan restored = Gan.LoadCheckpoint(path, new GaussianNoise(5), GanTestKit.QuadraticSampler());
            restored.Options.Should().Be(options);
            restored.Objective.Should().BeSameAs(AdversarialObjective.For(kind));

            // The resumed run continues bit for bit.
            GanStepMetrics a = gan.Step();
            GanStepMetrics b = restored.Step();
            b.Should().Be(a);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Steady_state_alternating_step_with_weight_clipping_allocates_zero_bytes(GanObjective kind)
    {
        Gan gan = GanTestKit.SeedGan(4, new GanOptions { Schedule = GanSchedule.Alternating, Objective = kind, DiscriminatorSteps = 5 });
        gan.DiscriminatorOptimizer.WeightClip = 0.01f;
        AllocationProbe.QuietestWindow(gan).Should().Be(0);
        GanTestKit.AllValues(gan.Discriminator).Should().OnlyContain(v => Math.Abs(v) <= 0.01f);
    }
}
