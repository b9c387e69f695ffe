using GanCore.Adversarial;
using GanCore.Initialization;
using GanCore.Layers;
using GanCore.Models;
using GanCore.Optimizers;
using GanCore.Randomness;
using GanCore.Tensors;
using GanCore.Tests.Testing;

namespace GanCore.Tests.Adversarial;

/// <summary>
/// The WGAN-GP penalty λ · mean (‖∇ₓD(x̂)‖ − t)²: its hand-derived parameter gradients against central finite differences
/// of the penalty itself on the networks of <see cref="R1PenaltyTests"/>, for t = 1, t = 0 and a t between; a mutation
/// that drops the norm's derivative; rows whose gradient is 0; the interpolates a training step builds and the exact
/// gradient it adds under both schedules; the options; and that training with it holds D's slope near t.
/// </summary>
public class WganGpTests
{
    private const float Lambda = 1.5f;

    /// <summary>The penalty from D's own forward and backward pass: λ · (1/n) Σᵢ (‖∂D/∂xᵢ[0..d)‖ − t)².</summary>
    private static double PenaltyByBackward(Sequential model, Matrix x, int dataWidth, float weight, float target) =>
        weight * R1PenaltyTests.InputGradientSquaredNorms(model, x, dataWidth).Sum(squared =>
        {
            double gap = Math.Sqrt(squared) - target;
            return gap * gap;
        }) / x.Rows;

    private static (double Value, GradientVariable[] Variables) Analytic(Sequential model, Matrix x, int dataWidth, float target, GradientPenaltyMutation mutation = GradientPenaltyMutation.None)
    {
        model.ZeroGradients();
        model.Forward(x);
        double value = new GradientPenalty(model, dataWidth) { Mutation = mutation }.AccumulateCentered(Lambda, target);
        return (value, GradientChecker.ParameterVariables(model));
    }

    public static TheoryData<string, int, float> NetworksAndTargets()
    {
        var data = new TheoryData<string, int, float>();
        foreach ((string network, int dataWidth) in R1PenaltyTests.Networks.Select(row => ((string)row[0], (int)row[1])))
        {
            data.Add(network, dataWidth, 1f);
        }

        data.Add("depth 3, ReLU and LeakyReLU", 4, 0f);
        data.Add("depth 3, ReLU and LeakyReLU", 3, 0.35f);
        data.Add("depth 3, spectrally normalized", 4, 0f);
        return data;
    }

    [Theory]
    [MemberData(nameof(NetworksAndTargets))]
    public void Every_parameter_gradient_matches_finite_differences_of_the_penalty(string network, int dataWidth, float target)
    {
        Sequential model = R1PenaltyTests.Network(network, 41);
        Matrix x = R1PenaltyTests.InputsAwayFromKinks(model, 5, 42);
        (double value, GradientVariable[] variables) = Analytic(model, x, dataWidth, target);

        double reference = PenaltyByBackward(model, x, dataWidth, Lambda, target);
        value.Should().BeApproximately(reference, 1e-6 * Math.Abs(reference), "pass 1 must compute the same ∇ₓD as D's backward pass");
        reference.Should().BeGreaterThan(1e-3, "a penalty of 0 would make the check vacuous");

        GradientCheckResult result = GradientChecker.AssertMatches(() => PenaltyByBackward(model, x, dataWidth, Lambda, target), variables);
        result.Checked.Should().Be(model.ParameterCount);
        foreach (Layer layer in model.Layers.Where(l => R1PenaltyTests.BiasOf(l) is not null))
        {
            R1PenaltyTests.BiasOf(layer)!.Gradient.Span.ToArray().Should().OnlyContain(v => v == 0f, "b enters ∇ₓD only through the masks");
        }
    }

    [Fact]
    public void The_checked_rows_have_norms_on_both_sides_of_the_target()
    {
        // Otherwise (‖g‖ − t) would have one sign and a sign error in it could hide in the check above.
        Sequential model = R1PenaltyTests.Network("depth 3, ReLU and LeakyReLU", 41);
        Matrix x = R1PenaltyTests.InputsAwayFromKinks(model, 5, 42);
        double[] norms = R1PenaltyTests.InputGradientSquaredNorms(model, x, 3).Select(Math.Sqrt).ToArray();
        norms.Should().Contain(n => n < 0.35).And.Contain(n => n > 0.35, "target 0.35 on the conditional rows of the theory above");
    }

    [Theory]
    [InlineData(nameof(GradientPenaltyMutation.NormGradientNotNormalized), "depth 3, ReLU and LeakyReLU", 4)]
    [InlineData(nameof(GradientPenaltyMutation.NoMaskInSecondPass), "depth 2, LeakyReLU", 4)]
    [InlineData(nameof(GradientPenaltyMutation.PenalizeConditions), "depth 2, LeakyReLU", 3)]
    public void Mutation_the_same_check_fails_on_a_wrong_derivation(string mutationName, string network, int dataWidth)
    {
        GradientPenaltyMutation mutation = Enum.Parse<GradientPenaltyMutation>(mutationName);
        Sequential model = R1PenaltyTests.Network(network, 41);
        Matrix x = R1PenaltyTests.InputsAwayFromKinks(model, 5, 42);
        (_, GradientVariable[] correct) = Analytic(model, x, dataWidth, 1f);
        GradientChecker.Check(() => PenaltyByBackward(model, x, dataWidth, Lambda, 1f), correct).Passed.Should().BeTrue("the unmutated derivation passes");

        (_, GradientVariable[] mutated) = Analytic(model, x, dataWidth, 1f, mutation);
        GradientChecker.Check(() => PenaltyByBackward(model, x, dataWidth, Lambda, 1f), mutated).Passed.Should().BeFalse($"the mutation {mutation} must be caught");
    }

    [Theory]
    [InlineData(1f)]
    [InlineData(0f)]
    public void A_row_whose_gradient_is_zero_adds_nothing_and_stays_finite(float target)
    {
        // Every ReLU dead (bias −100): D is constant, g = 0 on every row, P = λ·t², and the norm has no gradient at 0.
        var random = new RandomSource(3);
        var model = new Sequential(new Dense(4, 3, random), new ReLU(), new Dense(3, 1, random));
        ((Dense)model.Layers[0]).Bias.Value.Fill(-100f);
        var x = new Matrix(6, 4);
        random.FillUniform(x.Span, -1f, 1f);
        model.ZeroGradients();
        model.Forward(x);
        double value = new GradientPenalty(model, 4).AccumulateCentered(Lambda, target);
        value.Should().Be(Lambda * target * target);
        foreach (Parameter p in model.Parameters)
        {
            p.Gradient.Span.ToArray().Should().OnlyContain(v => v == 0f, p.Name);
        }
    }

    /// <summary>G made constant (its last layer's weights 0, its bias <c>0.1·(j + 1)</c>), so every fake row is known.</summary>
    private static float[] MakeGeneratorConstant(Gan gan)
    {
        var last = (Dense)gan.Generator.Layers[^1];
        last.Weights.Value.Fill(0f);
        for (int j = 0; j < last.Bias.Value.Columns; j++)
        {
            last.Bias.Value[0, j] = 0.1f * (j + 1);
        }

        return last.Bias.Value.Span.ToArray();
    }

    [Theory]
    [InlineData(GanSchedule.Simultaneous, false, false)]
    [InlineData(GanSchedule.Alternating, false, false)]
    [InlineData(GanSchedule.Simultaneous, true, false)]
    [InlineData(GanSchedule.Alternating, true, true)]
    [InlineData(GanSchedule.Simultaneous, false, true)]
    public void A_step_adds_exactly_the_penalty_gradient_on_interpolates_of_its_real_and_fake_batch(GanSchedule schedule, bool conditional, bool normalized)
    {
        var baseOptions = new GanOptions { BatchSize = 8, Schedule = schedule, Objective = GanObjective.Wasserstein };
        Gan plain = R1PenaltyTests.SmallGan(3, conditional, baseOptions, out _, normalized);
        Gan penalized = R1PenaltyTests.SmallGan(3, conditional, baseOptions with { GradientPenaltyWeight = Lambda }, out R1PenaltyTests.RecordingSampler sampler, normalized);
        Gan untouched = R1PenaltyTests.SmallGan(3, conditional, baseOptions, out _, normalized);
        float[] fakeRow = MakeGeneratorConstant(plain);
        MakeGeneratorConstant(penalized);

        plain.Step();
        GanStepMetrics metrics = penalized.Step();

        // x̂ lies on the segment from the fake row to the real row, one ε ∈ [0, 1) per row; c is the real row's.
        Matrix real = sampler.LastInput;
        Matrix mixed = penalized.LastInterpolates!;
        mixed.Rows.Should().Be(8);
        var epsilons = new double[8];
        int data = GanTestKit.CurvePoints;
        for (int i = 0; i < 8; i++)
        {
            int widest = Enumerable.Range(0, data).MaxBy(j => Math.Abs(real[i, j] - fakeRow[j]));
            double epsilon = (mixed[i, widest] - fakeRow[widest]) / (double)(real[i, widest] - fakeRow[widest]);
            epsilon.Should().BeInRange(0, 1);
            for (int j = 0; j < data; j++)
            {
                mixed[i, j].Should().BeApproximately((float)(fakeRow[j] + (epsilon * (real[i, j] - fakeRow[j]))), 1e-5f, $"row {i} column {j}");
            }

            mixed.Row(i)[data..].ToArray().Should().Equal(real.Row(i)[data..].ToArray(), "the conditions are the real row's");
            epsilons[i] = epsilon;
        }

        epsilons.Distinct().Should().HaveCount(8, "ε is drawn per row");

        // The expected gradient: the hand-derived penalty on an untrained copy of D at those interpolates, after the
        // same training-mode passes (real, fake, x̂), so a normalized layer's u moved as the trained D's did.
        Sequential copy = untouched.Discriminator;
        copy.ZeroGradients();
        copy.Forward(real);
        var fake = new Matrix(8, real.Columns);
        for (int i = 0; i < 8; i++)
        {
            fakeRow.CopyTo(fake.Row(i));
            real.Row(i)[data..].CopyTo(fake.Row(i)[data..]);
        }

        copy.Forward(fake);
        copy.Forward(mixed);
        double expectedPenalty = new GradientPenalty(copy, data).AccumulateCentered(Lambda, 1f);
        metrics.GradientPenalty.Should().BeApproximately((float)expectedPenalty, 1e-6f * (float)expectedPenalty).And.BeGreaterThan(0f);
        metrics.R1Penalty.Should().Be(0f);
        for (int p = 0; p < copy.Parameters.Count; p++)
        {
            float[] expected = copy.Parameters[p].Gradient.Span.ToArray();
            if (copy.Parameters[p].Value.Rows > 1)
            {
                expected.Should().Contain(v => v != 0f, $"parameter {p} is a weight matrix, which the penalty moves");
            }
            else
            {
                expected.Should().OnlyContain(v => v == 0f, $"parameter {p} is a bias, which enters ∇ₓD only through the masks");
            }
        }

        R1PenaltyTests.AssertGradientGained(penalized.Discriminator, plain.Discriminator, copy);
    }

    [Theory]
    [InlineData(-1f, 1f, "GradientPenaltyWeight")]
    [InlineData(float.NaN, 1f, "GradientPenaltyWeight")]
    [InlineData(float.PositiveInfinity, 1f, "GradientPenaltyWeight")]
    [InlineData(10f, -0.5f, "GradientPenaltyTarget")]
    [InlineData(10f, float.NaN, "GradientPenaltyTarget")]
    [InlineData(0f, float.PositiveInfinity, "GradientPenaltyTarget")]
    public void Bad_options_throw_naming_the_option(float weight, float target, string option)
    {
        var options = new GanOptions { GradientPenaltyWeight = weight, GradientPenaltyTarget = target };
        FluentActions.Invoking(options.Validate).Should().Throw<ArgumentOutOfRangeException>().WithParameterName(option);
        FluentActions.Invoking(() => GanTestKit.SeedGan(1, options, hidden: 4)).Should().Throw<ArgumentOutOfRangeException>().WithParameterName(option);
    }

    [Fact]
    public void A_discriminator_the_derivation_does_not_cover_is_rejected_naming_the_layer_and_the_option()
    {
        var random = new RandomSource(5);
        var g = new Sequential(new Dense(5, 6, random), new ReLU(), new Dense(6, GanTestKit.CurvePoints, random));
        var d = new Sequential(new Dense(GanTestKit.CurvePoints, 6, random), new Tanh(), new Dense(6, 1, random));
        UnsupportedLayerException e = FluentActions.Invoking(() => new Gan(g, d, new Adam(g.Parameters), new Adam(d.Parameters), new GaussianNoise(5), GanTestKit.QuadraticSampler(), random, new GanOptions { GradientPenaltyWeight = 10f }))
            .Should().Throw<UnsupportedLayerException>().Which;
        e.LayerIndex.Should().Be(1);
        e.Message.Should().Contain("GradientPenaltyWeight").And.Contain("layer 1 (Tanh)");
    }

    [Fact]
    public void A_conditional_GAN_with_packing_is_refused()
    {
        var options = new GanOptions { BatchSize = 8, PackingDegree = 2, GradientPenaltyWeight = 1f };
        var random = new RandomSource(2);
        var g = new Sequential(new Dense(6, 4, random), new ReLU(), new Dense(4, GanTestKit.CurvePoints, random));
        var d = new Sequential(new Dense(2 * (GanTestKit.CurvePoints + 1), 4, random), new ReLU(), new Dense(4, 1, random));
        FluentActions.Invoking(() => new Gan(g, d, new Adam(g.Parameters), new Adam(d.Parameters), new GaussianNoise(5), GanTestKit.ConditionalQuadraticSampler(), null, random, options))
            .Should().Throw<ArgumentException>().WithParameterName("options").Which.Message.Should().Contain("GradientPenaltyWeight > 0 with PackingDegree 2");
    }

    [Fact]
    public void A_penalty_that_overflows_stops_training_before_D_is_updated()
    {
        // D(x) = x·w with every weight 1e20: its outputs and loss are finite floats, but ‖∇ₓD‖² = 15·1e40 is not.
        var random = new RandomSource(6);
        var g = new Sequential(new Dense(5, 4, random), new ReLU(), new Dense(4, GanTestKit.CurvePoints, random));
        var d = new Sequential(new Dense(GanTestKit.CurvePoints, 1, random, Initializer.Constant(1e20f), Initializer.Constant(0f)));
        var gan = new Gan(g, d, new Adam(g.Parameters), new Adam(d.Parameters), new GaussianNoise(5), GanTestKit.QuadraticSampler(), random, new GanOptions { BatchSize = 8, Objective = GanObjective.Wasserstein, GradientPenaltyWeight = 10f });
        float[] before = GanTestKit.AllValues(gan.Discriminator);
        GanDivergenceException e = FluentActions.Invoking(gan.Step).Should().Throw<GanDivergenceException>().Which;
        e.Quantity.Should().Be("gradient penalty");
        e.Step.Should().Be(1);
        GanTestKit.AllValues(gan.Discriminator).Should().Equal(before, "the step stopped before D's optimizer");
    }

    [Fact]
    public void Off_by_default_and_a_zero_weight_changes_nothing()
    {
        new GanOptions().GradientPenaltyWeight.Should().Be(0f);
        new GanOptions().GradientPenaltyTarget.Should().Be(1f);
        var options = new GanOptions { BatchSize = 8, Objective = GanObjective.Wasserstein, Schedule = GanSchedule.Alternating, DiscriminatorSteps = 2 };
        Gan plain = GanTestKit.SeedGan(7, options, hidden: 6);
        Gan zero = GanTestKit.SeedGan(7, options with { GradientPenaltyWeight = 0f, GradientPenaltyTarget = 0f }, hidden: 6);
        for (int i = 0; i < 3; i++)
        {
            GanStepMetrics m = zero.Step();
            m.Should().Be(plain.Step());
            m.GradientPenalty.Should().Be(0f);
        }

        zero.LastInterpolates.Should().BeNull("no interpolates are made while the penalty is off");
        GanTestKit.AllValues(zero.Discriminator).Should().Equal(GanTestKit.AllValues(plain.Discriminator));
    }

    /// <summary>A GAN packing m = 2 examples per row of D, batch 8, recording its real batches.</summary>
    private static Gan PackedGan(GanOptions options, out R1PenaltyTests.RecordingSampler sampler)
    {
        var random = new RandomSource(5);
        var g = new Sequential(new Dense(5, 8, random), new ReLU(), new Dense(8, GanTestKit.CurvePoints, random));
        var d = new Sequential(new Dense(2 * GanTestKit.CurvePoints, 8, random), new LeakyReLU(0.2f), new Dense(8, 1, random));
        sampler = new R1PenaltyTests.RecordingSampler(conditional: false);
        return new Gan(g, d, new Adam(g.Parameters, 1e-3f), new Adam(d.Parameters, 1e-3f), new GaussianNoise(5), new R1PenaltyTests.PlainSampler(sampler), random, options with { PackingDegree = 2 });
    }

    [Fact]
    public void A_packed_GAN_interpolates_each_packed_row_with_one_epsilon_and_adds_its_penalty_gradient()
    {
        var options = new GanOptions { BatchSize = 8, Objective = GanObjective.Wasserstein };
        Gan plain = PackedGan(options, out _);
        Gan penalized = PackedGan(options with { GradientPenaltyWeight = Lambda }, out R1PenaltyTests.RecordingSampler sampler);
        Gan untouched = PackedGan(options, out _);
        float[] fakeRow = MakeGeneratorConstant(plain);
        MakeGeneratorConstant(penalized);
        plain.Step();
        penalized.Step().GradientPenalty.Should().BeGreaterThan(0f);

        // Packed row r is [x₂ᵣ, x₂ᵣ₊₁] against [G, G]: one ε for both halves.
        int width = GanTestKit.CurvePoints;
        Matrix real = sampler.LastInput;
        Matrix mixed = penalized.LastInterpolates!;
        mixed.Rows.Should().Be(4, "one interpolate per packed row of D");
        mixed.Columns.Should().Be(2 * width);
        for (int r = 0; r < 4; r++)
        {
            int widest = Enumerable.Range(0, width).MaxBy(j => Math.Abs(real[2 * r, j] - fakeRow[j]));
            double epsilon = (mixed[r, widest] - fakeRow[widest]) / (double)(real[2 * r, widest] - fakeRow[widest]);
            epsilon.Should().BeInRange(0, 1);
            for (int half = 0; half < 2; half++)
            {
                for (int j = 0; j < width; j++)
                {
                    mixed[r, (half * width) + j].Should().BeApproximately((float)(fakeRow[j] + (epsilon * (real[(2 * r) + half, j] - fakeRow[j]))), 1e-5f, $"packed row {r}, example {half}, column {j}");
                }
            }
        }

        // D's gradient gains exactly the penalty's at those packed rows (plain layers: only the pass on x̂ matters).
        Sequential copy = untouched.Discriminator;
        copy.ZeroGradients();
        copy.Forward(mixed);
        new GradientPenalty(copy, 2 * width).AccumulateCentered(Lambda, 1f);
        R1PenaltyTests.AssertGradientGained(penalized.Discriminator, plain.Discriminator, copy);
    }

    /// <summary>Every fake condition 7, a label the real data never has.</summary>
    private sealed class SevenConditions : IConditionSource
    {
        public int Dimension => 1;

        public void Fill(Matrix destination, RandomSource random) => destination.Fill(7f);
    }

    [Fact]
    public void A_conditional_interpolate_keeps_the_real_rows_condition_when_the_fake_batch_has_its_own()
    {
        var random = new RandomSource(3);
        var g = new Sequential(new Dense(6, 8, random), new ReLU(), new Dense(8, GanTestKit.CurvePoints, random));
        var d = new Sequential(new Dense(GanTestKit.CurvePoints + 1, 8, random), new LeakyReLU(0.2f), new Dense(8, 1, random));
        var sampler = new R1PenaltyTests.RecordingSampler(conditional: true);
        var options = new GanOptions { BatchSize = 8, Objective = GanObjective.Wasserstein, GradientPenaltyWeight = 1f };
        var gan = new Gan(g, d, new Adam(g.Parameters), new Adam(d.Parameters), new GaussianNoise(5), sampler, new SevenConditions(), random, options);
        gan.Step().GradientPenalty.Should().BeGreaterThan(0f);
        Matrix mixed = gan.LastInterpolates!;
        for (int i = 0; i < mixed.Rows; i++)
        {
            mixed[i, GanTestKit.CurvePoints].Should().Be(sampler.LastInput[i, GanTestKit.CurvePoints], "row {0} carries its own real row's label, not the fake batch's 7", i);
        }
    }

    [Fact]
    public void Training_with_the_penalty_holds_Ds_slope_near_one_on_the_interpolates()
    {
        // The seed GAN as a WGAN (critic, 5 D updates per step, Adam 1e-3 β1 0.5) for 300 steps, with and without
        // λ = 10; then the root mean square of ‖∇ₓD‖ on the step's own interpolates, from the penalty with t = 0
        // (P = λ·mean ‖g‖²).
        double RootMeanSquareSlope(float weight)
        {
            var options = new GanOptions { Objective = GanObjective.Wasserstein, Schedule = GanSchedule.Alternating, DiscriminatorSteps = 5, GradientPenaltyWeight = weight };
            Gan gan = GanTestKit.SeedGan(8, options, hidden: 32, learningRate: 1e-3f, beta1: 0.5f);
            gan.Train(300);
            var x = new Matrix(256, GanTestKit.CurvePoints);
            var fake = new Matrix(256, GanTestKit.CurvePoints);
            var random = new RandomSource(77);
            GanTestKit.FillCurves(x, random);
            gan.Generate(256, random).CopyTo(fake);
            for (int i = 0; i < 256; i++)
            {
                float epsilon = random.NextSingle();
                for (int j = 0; j < GanTestKit.CurvePoints; j++)
                {
                    x[i, j] = fake[i, j] + (epsilon * (x[i, j] - fake[i, j]));
                }
            }

            gan.Discriminator.Forward(x);
            gan.Discriminator.ZeroGradients();
            return Math.Sqrt(new GradientPenalty(gan.Discriminator, GanTestKit.CurvePoints).AccumulateCentered(1f, 0f));
        }

        double without = RootMeanSquareSlope(0f);
        double with = RootMeanSquareSlope(10f);
        without.Should().BeGreaterThan(5, "an unconstrained critic grows its slope without bound");
        with.Should().BeInRange(0.7, 1.3, "the penalty pulls ‖∇ₓD(x̂)‖ to 1");
    }
}
