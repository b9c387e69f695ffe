using GanCore.Adversarial;
using GanCore.Layers;
using GanCore.Models;
using GanCore.Optimizers;
using GanCore.Randomness;
using GanCore.Tensors;
using GanCore.Tests.Testing;

namespace GanCore.Tests.Adversarial;

/// <summary>
/// The R1 penalty's hand-derived parameter gradients against central finite differences of the penalty itself
/// (γ/2 · mean ‖∇ₓD‖², with ∇ₓD from D's own backward pass), at several depths, with ReLU, LeakyReLU and Identity,
/// conditional and not, with plain and spectrally normalized Dense layers; mutation tests that show the check catches a
/// dropped mask, a dropped transpose, a penalized condition and a normalized layer's missing map; and the hook in both
/// schedules (every update and lazily).
/// </summary>
public class R1PenaltyTests
{
    private const float Gamma = 2.5f;

    /// <summary>The discriminators the derivation is checked on, by name; input width 4.</summary>
    public static TheoryData<string, int> Networks => new()
    {
        { "depth 1", 4 },
        { "depth 2, LeakyReLU", 4 },
        { "depth 3, ReLU and LeakyReLU", 4 },
        { "depth 4, consecutive Dense, Identity, trailing activation", 4 },
        { "depth 2, LeakyReLU", 3 },                               // conditional: the last column is the condition
        { "depth 3, ReLU and LeakyReLU", 3 },
        { "depth 4, consecutive Dense, Identity, trailing activation", 2 },
        { "depth 3, spectrally normalized", 4 },
        { "depth 3, hidden layers spectrally normalized", 4 },
        { "depth 3, hidden layers spectrally normalized", 3 },
    };

    internal static Sequential Network(string name, ulong seed)
    {
        var random = new RandomSource(seed);
        Sequential model = name switch
        {
            "depth 1" => new Sequential(new Dense(4, 1, random)),
            "depth 2, LeakyReLU" => new Sequential(new Dense(4, 6, random), new LeakyReLU(0.2f), new Dense(6, 1, random)),
            "depth 3, ReLU and LeakyReLU" => new Sequential(new Dense(4, 6, random), new ReLU(), new Dense(6, 6, random), new LeakyReLU(0.1f), new Dense(6, 1, random)),
            "depth 4, consecutive Dense, Identity, trailing activation" => new Sequential(
                new Dense(4, 5, random), new LeakyReLU(0.3f), new Dense(5, 5, random), new Dense(5, 3, random), new ReLU(), new Identity(), new Dense(3, 1, random), new Identity()),
            "depth 3, spectrally normalized" => new Sequential(
                new SpectralNormDense(4, 6, random), new ReLU(), new SpectralNormDense(6, 6, random), new LeakyReLU(0.1f), new SpectralNormDense(6, 1, random)),
            "depth 3, hidden layers spectrally normalized" => new Sequential(
                new SpectralNormDense(4, 6, random), new LeakyReLU(0.2f), new SpectralNormDense(6, 6, random), new ReLU(), new Dense(6, 1, random)),
            _ => throw new ArgumentOutOfRangeException(nameof(name), name, "unknown network"),
        };

        // Non-zero biases, so that a wrong bias gradient could show.
        foreach (Parameter bias in model.Layers.Select(BiasOf).OfType<Parameter>())
        {
            random.FillUniform(bias.Value.Span, -0.5f, 0.5f);
        }

        // A normalized layer's u moves with every training-mode pass; the finite differences need it held where the
        // analytic pass had it, so these networks run in inference mode (σ = ‖W·u‖ with that fixed u, the same W̄).
        if (model.Layers.OfType<SpectralNormDense>().Any())
        {
            model.IsTraining = false;
        }

        return model;
    }

    /// <summary>
    /// n rows of uniform inputs whose every activation input stays <see cref="GradientChecker.KinkMargin"/> away from
    /// the kink at 0, so no finite difference flips a mask (the penalty is differentiable there).
    /// </summary>
    internal static Matrix InputsAwayFromKinks(Sequential model, int n, ulong seed)
    {
        var random = new RandomSource(seed);
        var x = new Matrix(n, model.InputSize);
        var candidate = new float[model.InputSize];
        int found = 0;
        for (int attempt = 0; found < n; attempt++)
        {
            attempt.Should().BeLessThan(100_000, "inputs away from every kink must exist");
            random.FillUniform(candidate, -1.5f, 1.5f);
            if (MinimumDistanceFromKink(model, candidate) >= GradientChecker.KinkMargin)
            {
                candidate.CopyTo(x.Row(found++));
            }
        }

        return x;
    }

    internal static Parameter? BiasOf(Layer layer) => layer switch
    {
        Dense dense => dense.Bias,
        SpectralNormDense normalized => normalized.Bias,
        _ => null,
    };

    /// <summary>The smallest |input| of any ReLU/LeakyReLU for one example, by a plain double forward pass.</summary>
    private static double MinimumDistanceFromKink(Sequential model, float[] example)
    {
        double[] h = example.Select(v => (double)v).ToArray();
        double minimum = double.PositiveInfinity;
        foreach (Layer layer in model.Layers)
        {
            switch (layer)
            {
                case Dense or SpectralNormDense:
                    // W̄ = W/σ with the layer's current u, as an inference-mode pass computes it.
                    Matrix w = layer is Dense plain ? plain.Weights.Value : ((SpectralNormDense)layer).NormalizedWeights();
                    Matrix b = BiasOf(layer)!.Value;
                    var next = new double[w.Columns];
                    for (int q = 0; q < w.Columns; q++)
                    {
                        double a = b[0, q];
                        for (int p = 0; p < w.Rows; p++)
                        {
                            a += h[p] * w[p, q];
                        }

                        next[q] = a;
                    }

                    h = next;
                    break;
                case ActivationLayer activation when activation.Activation != GanCore.Kernels.Activation.Identity:
                    minimum = Math.Min(minimum, h.Min(Math.Abs));
                    h = h.Select(a => a > 0 ? a : activation.Slope * a).ToArray();
                    break;
                default:
                    break;
            }
        }

        return minimum;
    }

    /// <summary>The penalty itself, from D's own forward and backward pass: γ/2 · (1/n) Σᵢ Σ_{j &lt; d} (∂D/∂x_ij)².</summary>
    internal static double PenaltyByBackward(Sequential model, Matrix x, int dataWidth, float gamma) =>
        gamma * InputGradientSquaredNorms(model, x, dataWidth).Sum() / (2.0 * x.Rows);

    /// <summary>
    /// ‖∂D/∂xᵢ[0..d)‖² for each row i of <paramref name="x"/>, in double, from D's own forward and backward pass (a
    /// seed of 1 per row, parameter gradients skipped): the reference both gradient penalties are checked against.
    /// </summary>
    internal static double[] InputGradientSquaredNorms(Sequential model, Matrix x, int dataWidth)
    {
        model.Forward(x);
        var ones = new Matrix(x.Rows, 1);
        ones.Fill(1f);
        Matrix g = model.Backward(ones, ParameterGradients.Skip);
        var squared = new double[g.Rows];
        for (int i = 0; i < g.Rows; i++)
        {
            for (int j = 0; j < dataWidth; j++)
            {
                squared[i] += (double)g[i, j] * g[i, j];
            }
        }

        return squared;
    }

    /// <summary>Runs the hand-derived penalty on fresh gradients and returns its value and one variable per parameter.</summary>
    private static (double Value, GradientVariable[] Variables) Analytic(Sequential model, Matrix x, int dataWidth, GradientPenaltyMutation mutation = GradientPenaltyMutation.None, float scale = 1f)
    {
        model.ZeroGradients();
        model.Forward(x);
        var penalty = new GradientPenalty(model, dataWidth) { Mutation = mutation };
        double value = penalty.AccumulateR1(Gamma, scale);
        return (value, GradientChecker.ParameterVariables(model));
    }

    [Theory]
    [MemberData(nameof(Networks))]
    public void Every_parameter_gradient_matches_finite_differences_of_the_penalty(string network, int dataWidth)
    {
        Sequential model = Network(network, 11);
        Matrix x = InputsAwayFromKinks(model, 5, 12);
        (double value, GradientVariable[] variables) = Analytic(model, x, dataWidth);

        double reference = PenaltyByBackward(model, x, dataWidth, Gamma);
        value.Should().BeApproximately(reference, 1e-6 * Math.Abs(reference), "pass 1 must compute the same ∇ₓD as D's backward pass");
        reference.Should().BeGreaterThan(1e-3, "a penalty of 0 would make the check vacuous");

        GradientCheckResult result = GradientChecker.AssertMatches(() => PenaltyByBackward(model, x, dataWidth, Gamma), variables);
        result.Checked.Should().Be(model.ParameterCount);
    }

    [Theory]
    [MemberData(nameof(Networks))]
    public void Bias_gradients_are_exactly_zero_and_weight_gradients_are_not(string network, int dataWidth)
    {
        Sequential model = Network(network, 21);
        Matrix x = InputsAwayFromKinks(model, 7, 22);
        Analytic(model, x, dataWidth);
        foreach (Layer layer in model.Layers.Where(l => BiasOf(l) is not null))
        {
            BiasOf(layer)!.Gradient.Span.ToArray().Should().OnlyContain(v => v == 0f, "b enters ∇ₓD only through the piecewise-constant masks");
            layer.Parameters[0].Gradient.Span.ToArray().Should().Contain(v => v != 0f, layer.Name);
        }
    }

    [Fact]
    public void The_gradient_is_linear_in_the_scale_and_accumulates()
    {
        Sequential model = Network("depth 3, ReLU and LeakyReLU", 31);
        Matrix x = InputsAwayFromKinks(model, 6, 32);
        (_, GradientVariable[] once) = Analytic(model, x, 4, scale: 1f);
        float[][] unit = once.Select(v => v.Analytic.Span.ToArray()).ToArray();
        (_, GradientVariable[] scaled) = Analytic(model, x, 4, scale: 4f);
        for (int k = 0; k < unit.Length; k++)
        {
            float[] expected = unit[k].Select(v => 4f * v).ToArray();
            scaled[k].Analytic.Span.ToArray().Should().Equal(expected, (a, b) => Math.Abs(a - b) <= 1e-6f * (1f + Math.Abs(b)));
        }

        // Gradients add up: a second call on the same forward pass doubles the (scale-4) gradient.
        new GradientPenalty(model, 4).AccumulateR1(Gamma, 4f);
        for (int k = 0; k < unit.Length; k++)
        {
            float[] expected = unit[k].Select(v => 8f * v).ToArray();
            scaled[k].Analytic.Span.ToArray().Should().Equal(expected, (a, b) => Math.Abs(a - b) <= 1e-5f * (1f + Math.Abs(b)));
        }
    }

    [Theory]
    [InlineData(nameof(GradientPenaltyMutation.NoMaskInFirstPass), "depth 3, ReLU and LeakyReLU", 4)]
    [InlineData(nameof(GradientPenaltyMutation.NoMaskInSecondPass), "depth 3, ReLU and LeakyReLU", 4)]
    [InlineData(nameof(GradientPenaltyMutation.NoMaskInSecondPass), "depth 2, LeakyReLU", 3)]
    [InlineData(nameof(GradientPenaltyMutation.TransposedWeightGradient), "depth 3, ReLU and LeakyReLU", 4)]
    [InlineData(nameof(GradientPenaltyMutation.PenalizeConditions), "depth 2, LeakyReLU", 3)]
    [InlineData(nameof(GradientPenaltyMutation.NoNormalizationMap), "depth 3, spectrally normalized", 4)]
    [InlineData(nameof(GradientPenaltyMutation.NoNormalizationMap), "depth 3, hidden layers spectrally normalized", 4)]
    public void Mutation_the_same_check_fails_on_a_wrong_derivation(string mutationName, string network, int dataWidth)
    {
        GradientPenaltyMutation mutation = Enum.Parse<GradientPenaltyMutation>(mutationName);
        Sequential model = Network(network, 11);
        Matrix x = InputsAwayFromKinks(model, 5, 12);
        (_, GradientVariable[] correct) = Analytic(model, x, dataWidth);
        GradientChecker.Check(() => PenaltyByBackward(model, x, dataWidth, Gamma), correct).Passed.Should().BeTrue("the unmutated derivation passes on the same network and inputs");

        (_, GradientVariable[] mutated) = Analytic(model, x, dataWidth, mutation);
        GradientCheckResult result = GradientChecker.Check(() => PenaltyByBackward(model, x, dataWidth, Gamma), mutated);
        result.Passed.Should().BeFalse($"the mutation {mutation} must be caught");
        result.Mismatches.Should().NotBeEmpty();
    }

    public static TheoryData<string> UnsupportedKinds => ["Sigmoid", "Tanh", "Softmax", "BatchNorm", "LayerNorm", "Dropout"];

    private static Layer Unsupported(string kind) => kind switch
    {
        "Sigmoid" => new Sigmoid(),
        "Tanh" => new Tanh(),
        "Softmax" => new Softmax(),
        "BatchNorm" => new BatchNorm(6),
        "LayerNorm" => new LayerNorm(6),
        "Dropout" => new Dropout(0.25f, new RandomSource(1)),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "unknown"),
    };

    private static Gan GanWith(Sequential discriminator, GanOptions options, RandomSource random)
    {
        var generator = new Sequential(new Dense(5, 6, random), new ReLU(), new Dense(6, GanTestKit.CurvePoints, random));
        return new Gan(generator, discriminator, new Adam(generator.Parameters), new Adam(discriminator.Parameters), new GaussianNoise(5), GanTestKit.QuadraticSampler(), random, options);
    }

    [Theory]
    [MemberData(nameof(UnsupportedKinds))]
    public void A_discriminator_the_derivation_does_not_cover_is_rejected_at_construction_naming_the_layer(string kind)
    {
        var random = new RandomSource(5);
        Layer bad = Unsupported(kind);
        Sequential Discriminator() => new(new Dense(GanTestKit.CurvePoints, 6, random), new LeakyReLU(0.2f), bad, new Dense(6, 1, random));

        UnsupportedLayerException e = FluentActions.Invoking(() => GanWith(Discriminator(), new GanOptions { R1Gamma = 1f }, random))
            .Should().Throw<UnsupportedLayerException>().Which;
        e.LayerIndex.Should().Be(2);
        e.LayerName.Should().Be(bad.Name);
        e.ParamName.Should().Be("discriminator");
        e.Message.Should().Contain($"layer 2 ({bad.Name})").And.Contain("R1").And.Contain("ReLU, LeakyReLU and Identity");

        // The same network is fine without R1.
        bad = Unsupported(kind);
        GanWith(Discriminator(), new GanOptions(), random).Should().NotBeNull();
    }

    [Theory]
    [InlineData(-1f, 1, "R1Gamma")]
    [InlineData(float.NaN, 1, "R1Gamma")]
    [InlineData(float.PositiveInfinity, 1, "R1Gamma")]
    [InlineData(float.NegativeInfinity, 1, "R1Gamma")]
    [InlineData(1f, 0, "R1Interval")]
    [InlineData(1f, -4, "R1Interval")]
    [InlineData(0f, 0, "R1Interval")]
    [InlineData(3e38f, 16, "R1Interval")]
    public void Bad_R1_options_throw_naming_the_option(float gamma, int interval, string option)
    {
        var options = new GanOptions { R1Gamma = gamma, R1Interval = interval };
        FluentActions.Invoking(options.Validate).Should().Throw<ArgumentOutOfRangeException>().WithParameterName(option);
        FluentActions.Invoking(() => GanTestKit.SeedGan(1, options, hidden: 4)).Should().Throw<ArgumentOutOfRangeException>().WithParameterName(option);
    }

    [Fact]
    public void R1_is_off_by_default_and_a_zero_gamma_changes_nothing()
    {
        new GanOptions().R1Gamma.Should().Be(0f);
        new GanOptions().R1Interval.Should().Be(1);
        Gan plain = GanTestKit.SeedGan(7, new GanOptions { BatchSize = 8 }, hidden: 6);
        Gan zero = GanTestKit.SeedGan(7, new GanOptions { BatchSize = 8, R1Gamma = 0f, R1Interval = 5 }, hidden: 6);
        for (int i = 0; i < 3; i++)
        {
            plain.Step().Should().Be(zero.Step());
        }

        GanTestKit.AllValues(zero.Discriminator).Should().Equal(GanTestKit.AllValues(plain.Discriminator));
    }

    /// <summary>A sampler that keeps a copy of the last batch (and conditions) it wrote.</summary>
    internal sealed class RecordingSampler(bool conditional) : IConditionalRealDataSampler
    {
        private readonly IConditionalRealDataSampler _conditional = GanTestKit.ConditionalQuadraticSampler();

        public int Dimension => GanTestKit.CurvePoints;

        public int ConditionDimension => 1;

        public Matrix LastInput { get; } = new(8, GanTestKit.CurvePoints + (conditional ? 1 : 0));

        public void Fill(Matrix destination, RandomSource random)
        {
            GanTestKit.FillCurves(destination, random);
            destination.CopyTo(LastInput);
        }

        public void Fill(Matrix destination, Matrix conditions, RandomSource random)
        {
            _conditional.Fill(destination, conditions, random);
            destination.CopyTo(LastInput.Slice(0, 0, 8, GanTestKit.CurvePoints));
            conditions.CopyTo(LastInput.Slice(0, GanTestKit.CurvePoints, 8, 1));
        }
    }

    internal sealed class PlainSampler(RecordingSampler inner) : IRealDataSampler
    {
        public int Dimension => inner.Dimension;

        public void Fill(Matrix destination, RandomSource random) => inner.Fill(destination, random);
    }

    internal static Gan SmallGan(ulong seed, bool conditional, GanOptions options, out RecordingSampler sampler, bool normalized = false)
    {
        var random = new RandomSource(seed);
        int c = conditional ? 1 : 0;
        var g = new Sequential(new Dense(5 + c, 8, random), new ReLU(), new Dense(8, GanTestKit.CurvePoints, random));
        var d = normalized
            ? new Sequential(new SpectralNormDense(GanTestKit.CurvePoints + c, 8, random), new LeakyReLU(0.2f), new SpectralNormDense(8, 8, random), new ReLU(), new Dense(8, 1, random))
            : new Sequential(new Dense(GanTestKit.CurvePoints + c, 8, random), new LeakyReLU(0.2f), new Dense(8, 8, random), new ReLU(), new Dense(8, 1, random));
        sampler = new RecordingSampler(conditional);
        return conditional
            ? new Gan(g, d, new Adam(g.Parameters, 1e-3f), new Adam(d.Parameters, 1e-3f), new GaussianNoise(5), sampler, null, random, options)
            : new Gan(g, d, new Adam(g.Parameters, 1e-3f), new Adam(d.Parameters, 1e-3f), new GaussianNoise(5), new PlainSampler(sampler), random, options);
    }

    [Theory]
    [InlineData(GanSchedule.Simultaneous, false, 1)]
    [InlineData(GanSchedule.Simultaneous, false, 3)]
    [InlineData(GanSchedule.Alternating, false, 1)]
    [InlineData(GanSchedule.Alternating, false, 4)]
    [InlineData(GanSchedule.Simultaneous, true, 1)]
    [InlineData(GanSchedule.Alternating, true, 2)]
    [InlineData(GanSchedule.Simultaneous, false, 1, true)]
    [InlineData(GanSchedule.Alternating, true, 2, true)]
    public void A_step_adds_exactly_N_times_the_penalty_gradient_on_the_real_batch_into_D(GanSchedule schedule, bool conditional, int interval, bool normalized = false)
    {
        // With spectrally normalized layers in D, the copy's one training-mode pass moves its u as the step's pass on
        // the real batch, D's first of the step, moves the trained D's.
        var baseOptions = new GanOptions { BatchSize = 8, Schedule = schedule, Objective = GanObjective.NonSaturating };
        Gan plain = SmallGan(3, conditional, baseOptions, out _, normalized);
        Gan penalized = SmallGan(3, conditional, baseOptions with { R1Gamma = Gamma, R1Interval = interval }, out RecordingSampler sampler, normalized);
        Gan untouched = SmallGan(3, conditional, baseOptions, out _, normalized);

        plain.Step();
        GanStepMetrics metrics = penalized.Step();

        // The expected gradient: the hand-derived penalty on an untrained copy of D, on the real batch of the update.
        Sequential copy = untouched.Discriminator;
        copy.ZeroGradients();
        copy.Forward(sampler.LastInput);
        double expectedPenalty = new GradientPenalty(copy, GanTestKit.CurvePoints).AccumulateR1(Gamma, interval);
        metrics.R1Penalty.Should().BeApproximately((float)expectedPenalty, 1e-6f * (float)expectedPenalty);
        metrics.R1Penalty.Should().BeGreaterThan(0f);
        copy.IsTraining = false; // the same u again
        expectedPenalty.Should().BeApproximately(PenaltyByBackward(copy, sampler.LastInput, GanTestKit.CurvePoints, Gamma), 1e-6 * expectedPenalty);

        AssertGradientGained(penalized.Discriminator, plain.Discriminator, copy);

        if (conditional && !normalized)
        {
            // The condition's row of the first weight matrix gets no penalty gradient at all.
            var first = (Dense)penalized.Discriminator.Layers[0];
            var firstPlain = (Dense)plain.Discriminator.Layers[0];
            first.Weights.Gradient.Row(GanTestKit.CurvePoints).ToArray().Should().Equal(firstPlain.Weights.Gradient.Row(GanTestKit.CurvePoints).ToArray());
        }

        if (conditional && normalized)
        {
            // Through a normalized first layer it gets some: that row is part of W, so of σ, which divides every weight
            // of W̄.
            var first = (SpectralNormDense)penalized.Discriminator.Layers[0];
            var firstPlain = (SpectralNormDense)plain.Discriminator.Layers[0];
            float[] with = first.Weights.Gradient.Row(GanTestKit.CurvePoints).ToArray();
            float[] without = firstPlain.Weights.Gradient.Row(GanTestKit.CurvePoints).ToArray();
            with.Zip(without, (a, b) => a - b).Should().Contain(d => d != 0f);
        }
    }

    /// <summary>
    /// Every gradient of <paramref name="penalized"/> minus the same gradient of <paramref name="plain"/> (the same step
    /// without the penalty) equals the penalty's own gradient in <paramref name="expected"/>, parameter by parameter,
    /// to float rounding.
    /// </summary>
    internal static void AssertGradientGained(Sequential penalized, Sequential plain, Sequential expected)
    {
        for (int p = 0; p < expected.Parameters.Count; p++)
        {
            float[] with = penalized.Parameters[p].Gradient.Span.ToArray();
            float[] without = plain.Parameters[p].Gradient.Span.ToArray();
            float[] penalty = expected.Parameters[p].Gradient.Span.ToArray();
            for (int i = 0; i < penalty.Length; i++)
            {
                (with[i] - without[i]).Should().BeApproximately(penalty[i], 1e-5f * (1f + Math.Abs(without[i]) + Math.Abs(penalty[i])), $"parameter {p} element {i}");
            }
        }
    }

    [Theory]
    [InlineData(GanSchedule.Simultaneous, 1, 3, new[] { true, false, false, true, false, false, true })]
    [InlineData(GanSchedule.Alternating, 2, 3, new[] { true, true, false, true, true, false, true })]
    [InlineData(GanSchedule.Alternating, 3, 2, new[] { true, true, true, true, true, true, true })]
    [InlineData(GanSchedule.Alternating, 1, 1, new[] { true, true, true, true, true, true, true })]
    public void Lazy_R1_applies_on_every_Nth_discriminator_update(GanSchedule schedule, int k, int interval, bool[] applied)
    {
        Gan gan = GanTestKit.SeedGan(4, new GanOptions { BatchSize = 8, Schedule = schedule, DiscriminatorSteps = k, R1Gamma = 1f, R1Interval = interval }, hidden: 6);
        for (int s = 0; s < applied.Length; s++)
        {
            GanStepMetrics m = gan.Step();
            (m.R1Penalty > 0f).Should().Be(applied[s], $"step {s + 1}: updates {s * k}..{(s * k) + k - 1}, applied when a multiple of {interval}");
        }
    }

    [Fact]
    public void Training_with_R1_flattens_D_on_the_real_data()
    {
        // The same seed GAN (non-saturating, Adam 1e-3), 500 steps with and without R1 (γ = 10); then the mean squared
        // slope ‖∇ₓD‖² on 256 fresh real curves, measured by the penalty with γ = 2 (P = mean ‖g‖²).
        double Slope(float gamma)
        {
            Gan gan = GanTestKit.SeedGan(8, new GanOptions { Objective = GanObjective.NonSaturating, R1Gamma = gamma }, hidden: 32, learningRate: 1e-3f);
            gan.Train(500);
            var x = new Matrix(256, GanTestKit.CurvePoints);
            GanTestKit.FillCurves(x, new RandomSource(77));
            gan.Discriminator.Forward(x);
            gan.Discriminator.ZeroGradients();
            return new GradientPenalty(gan.Discriminator, GanTestKit.CurvePoints).AccumulateR1(2f, 1f);
        }

        double without = Slope(0f);
        double with = Slope(10f);
        without.Should().BeGreaterThan(0.1, "unregularized, D grows a steep slope on the data");
        with.Should().BeLessThan(without / 20, "R1 penalizes exactly that slope");
    }
}
