using GanCore.Adversarial;
using GanCore.Checkpoints;
using GanCore.Initialization;
using GanCore.Layers;
using GanCore.Models;
using GanCore.Optimizers;
using GanCore.Randomness;
using GanCore.Tensors;
using GanCore.Tests.Testing;

namespace GanCore.Tests.Adversarial;

/// <summary>
/// Conditional GANs: G receives [z, c], D receives [x, c]; the input gradient splits at the concatenation.
/// </summary>
/// <remarks>
/// The hand-computed step (minimax, simultaneous, batch n = 2, SGD lr = 0.1), worked out in double precision:
/// <code>
///   G(z, c) = wz·z + wc·c + bg,  wz = 0.5, wc = −0.3, bg = 0.25      noise z = (2, −1)
///   D(x, c) = ux·x + uc·c + bd,  ux = 0.8, uc = 0.4,  bd = −0.2      real x = (1.5, 0.5), labels c = (1, 0)
///   The fake batch reuses the real batch's labels c.
///
///   fakes       g = (0.95, −0.25)
///   real logits r = ux·x + uc·c + bd = (1.4, 0.2)          fake logits f = ux·g + uc·c + bd = (0.96, −0.4)
///   ∂L_D/∂r = (σ(r) − 1)/n = (−0.0989080557, −0.2250830013);  ∂L_D/∂f = σ(f)/n = (0.3615609026, 0.2006561699)
///   ∂L_D/∂ux = Σ ∂r·x + Σ ∂f·g = 0.0324152307;  ∂L_D/∂uc = Σ ∂r·c + Σ ∂f·c = 0.2626528468;  ∂L_D/∂bd = 0.2382260154
///   G (minimax): ∂L_G/∂g = −σ(f)·ux/n = (−0.2892487220, −0.1605249360) — only the x column of D's input gradient
///   ∂L_G/∂wz = Σ ∂g·z = −0.4179725081;  ∂L_G/∂wc = Σ ∂g·c = −0.2892487220;  ∂L_G/∂bg = −0.4497736580
///   after SGD:  D (ux, uc, bd) = (0.7967584769, 0.3737347153, −0.2238226015)
///               G (wz, wc, bg) = (0.5417972508, −0.2710751278, 0.2949773658)
///   L_D = 1.3078745654, L_G = −0.8985964258
/// </code>
/// </remarks>
public class ConditionalGanTests
{
    private const double Tolerance = 1e-6;

    private static Dense Linear2(float w0, float w1, float b)
    {
        var dense = new Dense(2, 1, new RandomSource(0), Initializer.Zeros, Initializer.Zeros);
        dense.Weights.Value[0, 0] = w0;
        dense.Weights.Value[1, 0] = w1;
        dense.Bias.Value[0, 0] = b;
        return dense;
    }

    private static ConditionalDelegateSampler FixedPairs(float[] x, float[] c) => new ConditionalDelegateSampler(1, 1, (batch, labels, _) =>
    {
        for (int i = 0; i < batch.Rows; i++)
        {
            batch[i, 0] = x[i % x.Length];
            labels[i, 0] = c[i % c.Length];
        }
    });

    [Fact]
    public void A_tiny_conditional_step_matches_the_hand_computed_numbers()
    {
        var g = new Sequential(Linear2(0.5f, -0.3f, 0.25f));
        var d = new Sequential(Linear2(0.8f, 0.4f, -0.2f));
        var gan = new Gan(g, d, new Sgd(g.Parameters, 0.1f), new Sgd(d.Parameters, 0.1f), new FixedNoise([2f], [-1f]), FixedPairs([1.5f, 0.5f], [1f, 0f]), null, new RandomSource(1), new GanOptions { Objective = GanObjective.Minimax, BatchSize = 2 });

        GanStepMetrics m = gan.Step();

        var dd = (Dense)d.Layers[0];
        var gd = (Dense)g.Layers[0];
        ((double)dd.Weights.Value[0, 0]).Should().BeApproximately(0.7967584769, Tolerance);
        ((double)dd.Weights.Value[1, 0]).Should().BeApproximately(0.3737347153, Tolerance);
        ((double)dd.Bias.Value[0, 0]).Should().BeApproximately(-0.2238226015, Tolerance);
        ((double)gd.Weights.Value[0, 0]).Should().BeApproximately(0.5417972508, Tolerance);
        ((double)gd.Weights.Value[1, 0]).Should().BeApproximately(-0.2710751278, Tolerance);
        ((double)gd.Bias.Value[0, 0]).Should().BeApproximately(0.2949773658, Tolerance);
        ((double)m.DiscriminatorLoss).Should().BeApproximately(1.3078745654, 1e-6);
        ((double)m.GeneratorLoss).Should().BeApproximately(-0.8985964258, 1e-6);
    }

    /// <summary>G: Dense(3+2→6) → Tanh → Dense(6→4); D: Dense(4+2→5) → Tanh → Dense(5→1): smooth, so finite differences are clean.</summary>
    private static (Gan Gan, FixedNoise Noise, float[][] X, float[][] C) SmallConditionalGan(GanObjective objective, IConditionSource? source)
    {
        var random = new RandomSource(11);
        var g = new Sequential(new Dense(5, 6, random), new Tanh(), new Dense(6, 4, random));
        var d = new Sequential(new Dense(6, 5, random), new Tanh(), new Dense(5, 1, random));
        var noise = new FixedNoise([0.3f, -0.7f, 1.1f], [-0.4f, 0.2f, 0.9f], [1.3f, -1.2f, 0.1f]);
        float[][] x = [[0.5f, -0.2f, 1.0f, 0.3f], [1.2f, 0.4f, -0.6f, 0.0f], [-0.9f, 0.8f, 0.2f, 0.5f]];
        float[][] c = [[1f, 0f], [0f, 1f], [0.25f, -0.5f]];
        var sampler = new ConditionalDelegateSampler(4, 2, (batch, labels, _) =>
        {
            for (int i = 0; i < batch.Rows; i++)
            {
                x[i].CopyTo(batch.Row(i));
                c[i].CopyTo(labels.Row(i));
            }
        });
        var gan = new Gan(g, d, new Sgd(g.Parameters, 1e-3f), new Sgd(d.Parameters, 1e-3f), noise, sampler, source, new RandomSource(5), new GanOptions { Objective = objective, BatchSize = 3 });
        return (gan, noise, x, c);
    }

    private sealed class FixedConditions(float[][] rows) : IConditionSource
    {
        public int Dimension => rows[0].Length;

        public int Fills { get; private set; }

        public void Fill(Matrix destination, RandomSource random)
        {
            Fills++;
            for (int i = 0; i < destination.Rows; i++)
            {
                rows[i % rows.Length].CopyTo(destination.Row(i));
            }
        }
    }

    private static Matrix Concat(float[][] a, float[][] b)
    {
        var m = new Matrix(a.Length, a[0].Length + b[0].Length);
        for (int i = 0; i < a.Length; i++)
        {
            a[i].CopyTo(m.Row(i));
            b[i].CopyTo(m.Row(i)[a[0].Length..]);
        }

        return m;
    }

    [Theory]
    [InlineData(GanObjective.Minimax, false)]
    [InlineData(GanObjective.NonSaturating, false)]
    [InlineData(GanObjective.NonSaturating, true)]
    [InlineData(GanObjective.LeastSquares, true)]
    public void Conditional_G_and_D_gradients_match_finite_differences(GanObjective objective, bool withConditionSource)
    {
        float[][] fakeConditions = [[0f, 1f], [0.5f, 0.5f], [1f, 0f]];
        var source = withConditionSource ? new FixedConditions(fakeConditions) : null;
        (Gan gan, _, float[][] x, float[][] c) = SmallConditionalGan(objective, source);
        float[][] cFake = withConditionSource ? fakeConditions : c;
        float[][] z = [[0.3f, -0.7f, 1.1f], [-0.4f, 0.2f, 0.9f], [1.3f, -1.2f, 0.1f]];
        float[][] before = gan.Generator.Parameters.Concat(gan.Discriminator.Parameters).Select(p => p.Value.Span.ToArray()).ToArray();

        gan.Step();

        // The step left its gradients (taken at the parameters before the update) in the buffers; restore the values.
        Parameter[] all = [.. gan.Generator.Parameters, .. gan.Discriminator.Parameters];
        for (int i = 0; i < all.Length; i++)
        {
            before[i].CopyTo(all[i].Value.Span);
        }

        Matrix gInput = Concat(z, cFake);
        Matrix realInput = Concat(x, c);
        var scratch = new float[3];
        double GeneratorLoss()
        {
            Matrix fake = gan.Generator.Forward(gInput);
            float[][] fakeRows = Enumerable.Range(0, 3).Select(i => fake.Row(i).ToArray()).ToArray();
            Matrix logits = gan.Discriminator.Forward(Concat(fakeRows, cFake));
            gan.Objective.FakeTerms(logits.Span[..3], scratch, scratch, out _, out _, out double loss);
            return loss;
        }

        double DiscriminatorLoss()
        {
            Matrix fake = gan.Generator.Forward(gInput);
            float[][] fakeRows = Enumerable.Range(0, 3).Select(i => fake.Row(i).ToArray()).ToArray();
            double real = gan.Objective.DiscriminatorRealTerm(gan.Discriminator.Forward(realInput).Span[..3], 1f, scratch, out _);
            gan.Objective.FakeTerms(gan.Discriminator.Forward(Concat(fakeRows, cFake)).Span[..3], scratch, scratch, out double fakeLoss, out _, out _);
            return real + fakeLoss;
        }

        GradientChecker.AssertMatches(GeneratorLoss, gan.Generator.Parameters.Select(p => new GradientVariable("G." + p.Name, p.Value, p.Gradient)).ToArray());
        GradientChecker.AssertMatches(DiscriminatorLoss, gan.Discriminator.Parameters.Select(p => new GradientVariable("D." + p.Name, p.Value, p.Gradient)).ToArray());
        if (source is not null)
        {
            source.Fills.Should().Be(1);
        }
    }

    [Fact]
    public void The_generator_gradient_ignores_the_condition_columns_of_Ds_input_gradient()
    {
        // D(x, c) = 0·x + 5·c: D's input gradient is 0 on x and large on c, so G must receive exactly zero.
        var g = new Sequential(Linear2(0.5f, -0.3f, 0.25f));
        var d = new Sequential(Linear2(0f, 5f, 0f));
        var gan = new Gan(g, d, new Sgd(g.Parameters, 0.1f), new Sgd(d.Parameters, 0.1f), new FixedNoise([2f], [-1f]), FixedPairs([1.5f, 0.5f], [1f, 0f]), null, new RandomSource(1), new GanOptions { BatchSize = 2 });
        gan.Step();
        g.Parameters.SelectMany(p => p.Gradient.Span.ToArray()).Should().OnlyContain(v => v == 0f);
    }

    [Fact]
    public void Construction_checks_the_condition_widths_and_names_them()
    {
        var random = new RandomSource(2);
        Sequential Net(int i, int o) => new(new Dense(i, o, random));
        IConditionalRealDataSampler data = GanTestKit.ConditionalQuadraticSampler();
        Gan Build(Sequential g, Sequential d, IConditionSource? source = null, INoiseSource? noise = null) =>
            new(g, d, new Adam(g.Parameters), new Adam(d.Parameters), noise ?? new GaussianNoise(5), data, source, random, null);

        Build(Net(6, 15), Net(16, 1)).IsConditional.Should().BeTrue();

        ArgumentException e = FluentActions.Invoking(() => Build(Net(5, 15), Net(16, 1))).Should().Throw<ArgumentException>().Which;
        e.ParamName.Should().Be("generator");
        e.Message.Should().Contain("input width 5").And.Contain("noise 5 + condition 1 = 6");

        e = FluentActions.Invoking(() => Build(Net(6, 15), Net(15, 1))).Should().Throw<ArgumentException>().Which;
        e.ParamName.Should().Be("discriminator");
        e.Message.Should().Contain("takes width 15").And.Contain("sample 15 + condition 1 = 16");

        e = FluentActions.Invoking(() => Build(Net(6, 15), Net(16, 1), new CategoricalConditions(2))).Should().Throw<ArgumentException>().Which;
        e.ParamName.Should().Be("fakeConditions");
        e.Message.Should().Contain("width 2").And.Contain("width 1");

        e = FluentActions.Invoking(() => Build(Net(7, 15), Net(16, 1), noise: new GaussianNoise(5))).Should().Throw<ArgumentException>().Which;
        e.Message.Should().Contain("input width 7");
    }

    [Fact]
    public void A_condition_source_needs_a_conditional_sampler()
    {
        var random = new RandomSource(2);
        var g = new Sequential(new Dense(5, 15, random));
        var d = new Sequential(new Dense(15, 1, random));
        var conditional = (IConditionalRealDataSampler)new ConditionalDelegateSampler(15, 1, (_, _, _) => { });

        // Through the unconditional constructor a conditional sampler makes a conditional GAN, so the widths must fit.
        FluentActions.Invoking(() => new Gan(g, d, new Adam(g.Parameters), new Adam(d.Parameters), new GaussianNoise(5), conditional, random))
            .Should().Throw<ArgumentException>().Which.Message.Should().Contain("condition 1");
    }

    private sealed class ZeroWidthConditions : IConditionalRealDataSampler
    {
        public int Dimension => 15;

        public int ConditionDimension => 0;

        public void Fill(Matrix destination, Matrix conditions, RandomSource random)
        {
        }

        public void Fill(Matrix destination, RandomSource random)
        {
        }
    }

    [Fact]
    public void A_conditional_sampler_with_condition_width_0_is_rejected()
    {
        var random = new RandomSource(2);
        var g = new Sequential(new Dense(5, 15, random));
        var d = new Sequential(new Dense(15, 1, random));
        FluentActions.Invoking(() => new Gan(g, d, new Adam(g.Parameters), new Adam(d.Parameters), new GaussianNoise(5), new ZeroWidthConditions(), null, random, null))
            .Should().Throw<ArgumentException>().WithParameterName("realData").Which.Message.Should().Contain("condition width 0");
    }

    [Fact]
    public void One_hot_labels_out_of_range_are_rejected_with_their_index()
    {
        FluentActions.Invoking(() => CategoricalConditions.OneHot([0, 1, 2], 2)).Should().Throw<ArgumentOutOfRangeException>()
            .Which.Message.Should().Contain("Label 2 at index 2").And.Contain("2 classes");
        FluentActions.Invoking(() => CategoricalConditions.OneHot([-1], 3)).Should().Throw<ArgumentOutOfRangeException>()
            .Which.Message.Should().Contain("Label -1 at index 0");
        FluentActions.Invoking(() => CategoricalConditions.OneHot([], 3)).Should().Throw<ArgumentException>().WithParameterName("labels");
        FluentActions.Invoking(() => CategoricalConditions.Encode([0, 1], new Matrix(3, 2))).Should().Throw<ArgumentException>().WithParameterName("destination");
        GanTestKit.Flatten(CategoricalConditions.OneHot([2, 0], 3)).Should().Equal(0f, 0f, 1f, 1f, 0f, 0f);
    }

    [Fact]
    public void CategoricalConditions_draws_one_hot_rows_uniformly()
    {
        var source = new CategoricalConditions(3);
        var batch = new Matrix(6000, 3);
        source.Fill(batch, new RandomSource(8));
        var counts = new int[3];
        for (int i = 0; i < batch.Rows; i++)
        {
            Span<float> row = batch.Row(i);
            row.ToArray().Sum().Should().Be(1f);
            counts[row.IndexOf(1f)]++;
        }

        // Binomial(6000, 1/3): σ ≈ 36.5; 5σ ≈ 183.
        counts.Should().OnlyContain(n => Math.Abs(n - 2000) < 183);
        FluentActions.Invoking(() => source.Fill(new Matrix(2, 4), new RandomSource(1))).Should().Throw<ArgumentException>().WithParameterName("destination");
    }

    [Fact]
    public void ConditionalDelegateSampler_checks_its_batches()
    {
        var sampler = new ConditionalDelegateSampler(3, 2, (_, _, _) => { });
        FluentActions.Invoking(() => sampler.Fill(new Matrix(4, 3), new Matrix(3, 2), new RandomSource(1))).Should().Throw<ArgumentException>().WithParameterName("conditions").Which.Message.Should().Contain("3 rows").And.Contain("4");
        FluentActions.Invoking(() => sampler.Fill(new Matrix(4, 3), new Matrix(4, 1), new RandomSource(1))).Should().Throw<ArgumentException>().WithParameterName("conditions");
        FluentActions.Invoking(() => new ConditionalDelegateSampler(3, 0, (_, _, _) => { })).Should().Throw<ArgumentOutOfRangeException>().WithParameterName("conditionDimension");
    }

    [Fact]
    public void ConditionalDelegateSampler_marginal_Fill_reuses_one_scratch_buffer_and_allocates_nothing()
    {
        var seen = new List<Matrix>();
        var sampler = new ConditionalDelegateSampler(3, 2, (batch, labels, random) =>
        {
            seen.Add(labels);
            labels.Rows.Should().Be(batch.Rows);
            for (int i = 0; i < batch.Rows; i++)
            {
                labels[i, 0] = labels[i, 1] = 7f;
                batch.Row(i).Fill(i + 0.5f);
            }
        });
        var random = new RandomSource(3);
        var x = new Matrix(8, 3);
        sampler.Fill(x, random);
        sampler.Fill(x, random);
        seen[1].Should().BeSameAs(seen[0], "the discarded conditions of equal batches go to the same buffer");
        GanTestKit.Flatten(x).Should().Equal(Enumerable.Range(0, 8).SelectMany(i => Enumerable.Repeat(i + 0.5f, 3)));

        // A smaller batch gets a view of the same storage, a larger one a grown buffer; every call sees matching rows.
        var small = new Matrix(5, 3);
        sampler.Fill(small, random);
        seen[2].Rows.Should().Be(5);
        var large = new Matrix(11, 3);
        sampler.Fill(large, random);
        seen[3].Rows.Should().Be(11);
        sampler.Fill(large, random);
        seen[4].Should().BeSameAs(seen[3]);
        GanTestKit.Flatten(large).Should().Equal(Enumerable.Range(0, 11).SelectMany(i => Enumerable.Repeat(i + 0.5f, 3)));

        var quiet = new ConditionalDelegateSampler(3, 2, static (batch, labels, random) => labels[0, 1] = batch[0, 0] = random.NextSingle());
        AllocationProbe.QuietestWindow(() => quiet.Fill(x, random), warmUp: 1, calls: 100).Should().Be(0, "the marginal Fill reuses its scratch conditions");
    }

    [Fact]
    public void Generate_on_a_conditional_GAN_needs_conditions_and_checks_them()
    {
        Gan gan = GanTestKit.ConditionalSeedGan(3, new GanOptions { BatchSize = 16 }, hidden: 8);
        FluentActions.Invoking(() => gan.Generate(4)).Should().Throw<InvalidOperationException>().Which.Message.Should().Contain("conditional").And.Contain("Generate(count, conditions)");
        FluentActions.Invoking(() => gan.Generate(4, new RandomSource(1))).Should().Throw<InvalidOperationException>();
        FluentActions.Invoking(() => gan.Generate(4, new Matrix(4, 2))).Should().Throw<ArgumentException>().WithParameterName("conditions").Which.Message.Should().Contain("width 2").And.Contain("width is 1");
        FluentActions.Invoking(() => gan.Generate(4, new Matrix(3, 1))).Should().Throw<ArgumentException>().WithParameterName("conditions").Which.Message.Should().Contain("3 rows");
        FluentActions.Invoking(() => gan.Generate(4, (Matrix)null!)).Should().Throw<ArgumentNullException>().WithParameterName("conditions");

        Gan plain = GanTestKit.SeedGan(3, hidden: 8);
        FluentActions.Invoking(() => plain.Generate(4, new Matrix(4, 1))).Should().Throw<InvalidOperationException>().Which.Message.Should().Contain("unconditional");
    }

    [Fact]
    public void Generate_with_conditions_is_G_on_z_concatenated_with_c_and_broadcasts_a_single_row()
    {
        Gan gan = GanTestKit.ConditionalSeedGan(3, new GanOptions { BatchSize = 16 }, hidden: 8);
        gan.Train(2);
        const int count = 37; // three chunks of the 16-row batch, the last one partial
        var labels = new Matrix(count, 1);
        for (int i = 0; i < count; i++)
        {
            labels[i, 0] = i % 3 == 0 ? 1f : 0f;
        }

        Matrix generated = gan.Generate(count, labels, new RandomSource(42));

        var random = new RandomSource(42);
        var z = new Matrix(count, 5);
        for (int start = 0; start < count; start += 16)
        {
            int rows = Math.Min(16, count - start);
            gan.Noise.Fill(z.Slice(start, 0, rows, 5), random);
        }

        var input = new Matrix(count, 6);
        for (int i = 0; i < count; i++)
        {
            z.Row(i).CopyTo(input.Row(i));
            input[i, 5] = labels[i, 0];
        }

        GanTestKit.Flatten(generated).Should().Equal(GanTestKit.Flatten(gan.Generator.Forward(input)));

        var one = new Matrix(1, 1);
        one[0, 0] = 1f;
        var ones = new Matrix(count, 1);
        ones.Fill(1f);
        GanTestKit.Flatten(gan.Generate(count, one, new RandomSource(9))).Should().Equal(GanTestKit.Flatten(gan.Generate(count, ones, new RandomSource(9))));
    }

    [Fact]
    public void A_condition_source_is_drawn_once_per_fake_batch()
    {
        // Reuse itself is checked by the hand-computed step (its fake batch carries the real labels) and by the
        // gradient check without a source; here: a given source is asked once per fake batch, under both schedules.
        var source = new FixedConditions([[1f], [0f]]);
        Gan withSource = GanTestKit.ConditionalSeedGan(5, new GanOptions { BatchSize = 8 }, hidden: 8, fakeConditions: source);
        withSource.Step();
        withSource.Step();
        source.Fills.Should().Be(2);
        withSource.FakeConditions.Should().BeSameAs(source);

        var alternating = new FixedConditions([[1f], [0f]]);
        Gan alt = GanTestKit.ConditionalSeedGan(5, new GanOptions { BatchSize = 8, Schedule = GanSchedule.Alternating, DiscriminatorSteps = 3 }, hidden: 8, fakeConditions: alternating);
        alt.Step();
        alternating.Fills.Should().Be(4, "each of the 3 D updates and the G update draws its fake batch's conditions");
    }

    [Theory]
    [InlineData(GanSchedule.Simultaneous, GanObjective.Minimax, false)]
    [InlineData(GanSchedule.Simultaneous, GanObjective.NonSaturating, true)]
    [InlineData(GanSchedule.Alternating, GanObjective.NonSaturating, false)]
    public void Steady_state_conditional_Step_allocates_zero_bytes(GanSchedule schedule, GanObjective objective, bool withSource)
    {
        Gan gan = GanTestKit.ConditionalSeedGan(4, new GanOptions { Schedule = schedule, Objective = objective, DiscriminatorSteps = 2 }, fakeConditions: withSource ? new CategoricalConditions(1) : null);
        AllocationProbe.QuietestWindow(gan).Should().Be(0, "a steady-state conditional step reuses every buffer");
    }

    [Theory]
    [InlineData(GanSchedule.Simultaneous)]
    [InlineData(GanSchedule.Alternating)]
    public void A_conditional_checkpoint_resumes_bit_for_bit(GanSchedule schedule)
    {
        var options = new GanOptions { BatchSize = 16, Schedule = schedule, DiscriminatorSteps = 2, Objective = GanObjective.NonSaturating };
        Gan straight = GanTestKit.ConditionalSeedGan(7, options, hidden: 12);
        straight.Train(10);

        Gan first = GanTestKit.ConditionalSeedGan(7, options, hidden: 12);
        first.Train(4);
        string folder = GanTestKit.TempDirectory("cgan");
        try
        {
            string path = Path.Combine(folder, "gan.gck");
            first.SaveCheckpoint(path);
            Gan resumed = Gan.LoadCheckpoint(path, new GaussianNoise(5), GanTestKit.ConditionalQuadraticSampler(), null);
            resumed.IsConditional.Should().BeTrue();
            resumed.ConditionDimension.Should().Be(1);
            resumed.Train(6);
            resumed.StepCount.Should().Be(10);
            ModelSnapshot.BitwiseEqual(ModelSnapshot.Of(resumed.Generator).Values, ModelSnapshot.Of(straight.Generator).Values).Should().BeTrue();
            ModelSnapshot.BitwiseEqual(ModelSnapshot.Of(resumed.Discriminator).Values, ModelSnapshot.Of(straight.Discriminator).Values).Should().BeTrue();

            // The unconditional loader overload also accepts a conditional sampler (it is an IRealDataSampler).
            Gan.LoadCheckpoint(path, new GaussianNoise(5), (IRealDataSampler)GanTestKit.ConditionalQuadraticSampler()).IsConditional.Should().BeTrue();

            FluentActions.Invoking(() => Gan.LoadCheckpoint(path, new GaussianNoise(5), GanTestKit.QuadraticSampler()))
                .Should().Throw<ArgumentException>().WithParameterName("realData").Which.Message.Should().Contain("conditional GAN with condition width 1").And.Contain("unconditional sampler");
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public void An_unconditional_checkpoint_has_no_conditions_section_and_refuses_a_conditional_sampler()
    {
        Gan gan = GanTestKit.SeedGan(2, new GanOptions { BatchSize = 8 }, hidden: 6);
        gan.Train(2);
        string folder = GanTestKit.TempDirectory("ugan");
        try
        {
            string path = Path.Combine(folder, "gan.gck");
            gan.SaveCheckpoint(path);
            Sections(File.ReadAllBytes(path)).Should().NotContain("gan/conditions");
            Gan.LoadCheckpoint(path, new GaussianNoise(5), GanTestKit.QuadraticSampler()).IsConditional.Should().BeFalse();
            FluentActions.Invoking(() => Gan.LoadCheckpoint(path, new GaussianNoise(5), GanTestKit.ConditionalQuadraticSampler(), null))
                .Should().Throw<ArgumentException>().WithParameterName("realData").Which.Message.Should().Contain("unconditional GAN").And.Contain("condition width 1");
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Theory]
    [InlineData(0, "the condition width")]
    [InlineData(-3, "the condition width")]
    [InlineData(2, "do not fit together")]
    public void A_bad_condition_width_in_the_file_is_a_CheckpointException(int width, string messagePart)
    {
        Gan gan = GanTestKit.ConditionalSeedGan(2, new GanOptions { BatchSize = 8 }, hidden: 6);
        string folder = GanTestKit.TempDirectory("cgan-bad");
        try
        {
            string path = Path.Combine(folder, "gan.gck");
            gan.SaveCheckpoint(path);
            byte[] file = File.ReadAllBytes(path);
            var sections = CheckpointFile.Parse(file, path);
            var rebuilt = sections.Values.OrderBy(s => s.PayloadOffset).Select(s => (s.Name, s.Name == "gan/conditions" ? BitConverter.GetBytes(width) : s.Payload.ToArray())).ToList();
            File.WriteAllBytes(path, CheckpointFile.Build(rebuilt));
            FluentActions.Invoking(() => Gan.LoadCheckpoint(path, new GaussianNoise(5), GanTestKit.ConditionalQuadraticSampler(), null))
                .Should().Throw<CheckpointException>().Which.Message.Should().Contain(messagePart);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private static List<string> Sections(byte[] file) => [.. CheckpointFile.Parse(file, "x").Keys];
}
