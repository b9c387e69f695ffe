using GanCore.Adversarial;
using GanCore.Layers;
using GanCore.Models;
using GanCore.Optimizers;
using GanCore.Randomness;
using GanCore.Tensors;

namespace GanCore.Tests.Adversarial;

/// <summary>NaN or infinity stops training with a <see cref="GanDivergenceException"/> naming the step and quantity.</summary>
public sealed class DivergenceTests : IDisposable
{
    private readonly string _directory = GanTestKit.TempDirectory("divergence");

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void A_NaN_in_the_real_data_at_step_N_names_step_N_and_the_discriminator_loss_and_an_earlier_checkpoint_still_loads()
    {
        const int poisonedStep = 25;
        int fills = 0;
        var poisoned = new DelegateSampler(15, (batch, random) =>
        {
            GanTestKit.FillCurves(batch, random);
            if (++fills == poisonedStep)
            {
                batch[3, 7] = float.NaN;
            }
        });
        Gan gan = GanTestKit.SeedGan(9, new GanOptions { BatchSize = 16 }, hidden: 32, sampler: poisoned);
        string path = Path.Combine(_directory, "before.ckpt");

        gan.Train(poisonedStep - 1);
        gan.SaveCheckpoint(path);
        float[] generatorBefore = GanTestKit.AllValues(gan.Generator);
        float[] discriminatorBefore = GanTestKit.AllValues(gan.Discriminator);

        Action step = () => gan.Step();

        GanDivergenceException e = step.Should().Throw<GanDivergenceException>().Which;
        e.Step.Should().Be(poisonedStep);
        e.Quantity.Should().Be("discriminator loss");
        e.Message.Should().Contain($"step {poisonedStep}").And.Contain("discriminator loss");

        // A non-finite loss is caught before any update of that step.
        GanTestKit.AllValues(gan.Generator).Should().Equal(generatorBefore);
        GanTestKit.AllValues(gan.Discriminator).Should().Equal(discriminatorBefore);

        Gan restored = Gan.LoadCheckpoint(path, new GaussianNoise(5), GanTestKit.QuadraticSampler());
        restored.StepCount.Should().Be(poisonedStep - 1);
        GanTestKit.AllValues(restored.Generator).Should().Equal(generatorBefore);
        GanTestKit.AllValues(restored.Discriminator).Should().Equal(discriminatorBefore);
        restored.Step().Step.Should().Be(poisonedStep);
    }

    [Fact]
    public void Under_alternating_a_NaN_at_the_second_D_step_keeps_the_first_D_update_and_leaves_G_alone()
    {
        // Step 1 of an alternating k = 2 schedule draws real data twice; the second batch carries a NaN.
        int fills = 0;
        var poisoned = new DelegateSampler(15, (batch, random) =>
        {
            GanTestKit.FillCurves(batch, random);
            if (++fills == 2)
            {
                batch[0, 0] = float.NaN;
            }
        });
        Gan gan = GanTestKit.SeedGan(9, new GanOptions { BatchSize = 8, Schedule = GanSchedule.Alternating, DiscriminatorSteps = 2 }, hidden: 16, sampler: poisoned);
        float[] generatorBefore = GanTestKit.AllValues(gan.Generator);
        float[] discriminatorBefore = GanTestKit.AllValues(gan.Discriminator);

        Action step = () => gan.Step();

        GanDivergenceException e = step.Should().Throw<GanDivergenceException>().Which;
        e.Step.Should().Be(1);
        e.Quantity.Should().Be("discriminator loss");
        GanTestKit.AllValues(gan.Generator).Should().Equal(generatorBefore, "G's update comes after the D-steps");
        GanTestKit.AllValues(gan.Discriminator).Should().NotEqual(discriminatorBefore, "the first D update of the step was already applied");
        GanTestKit.AllValues(gan.Discriminator).Should().OnlyContain(v => float.IsFinite(v), "the NaN update itself was not applied");
        gan.StepCount.Should().Be(0);
    }

    [Fact]
    public void A_weight_that_overflows_is_named_with_its_network_layer_and_index()
    {
        // D(x) = −0.8·x + 0.2 on the real x = 100 gives the logit −79.8, so ∂L_D/∂w_d ≈ (σ(−79.8) − 1)·100 ≈ −100;
        // with SGD at lr = 1e38 the step w_d − lr·∂L/∂w_d = 1e40 overflows float to +∞. Both losses are finite.
        Gan gan = SgdGanOnHundred(
            new Sequential(GanTestKit.Scalar(0.5f, 0.25f)),
            new Sequential(GanTestKit.Scalar(-0.8f, 0.2f)),
            generatorRate: 1e-3f,
            discriminatorRate: 1e38f);

        Action step = () => gan.Step();

        GanDivergenceException e = step.Should().Throw<GanDivergenceException>().Which;
        e.Step.Should().Be(1);
        e.Quantity.Should().Be("discriminator parameter Dense(1→1).weights[0]");
        e.Message.Should().Contain("step 1").And.Contain("Infinity");
    }

    [Fact]
    public void A_layer_shared_by_G_and_D_is_still_named_as_Ds_when_Gs_update_overflows_it()
    {
        // L (w = 0.5, b = 0.25) is G's only layer and D's first. On the real x = 100, D's logit −0.8·L(100) + 0.2 ≈ −40
        // gives L's weight a gradient of about 80; D's SGD (lr 1e-3) leaves it finite, then G's (lr 1e38) writes −∞
        // into the same weight. D's optimizer saw only finite values, but G's step wrote after it, so the check must
        // still scan D first and name D's parameter, as before the optimizers reported finiteness.
        Dense shared = GanTestKit.Scalar(0.5f, 0.25f);
        Gan gan = SgdGanOnHundred(
            new Sequential(shared),
            new Sequential(shared, GanTestKit.Scalar(-0.8f, 0.2f)),
            generatorRate: 1e38f,
            discriminatorRate: 1e-3f);

        Action step = () => gan.Step();

        GanDivergenceException e = step.Should().Throw<GanDivergenceException>().Which;
        e.Step.Should().Be(1);
        e.Quantity.Should().Be("discriminator parameter Dense(1→1).weights[0]");
    }

    [Fact]
    public void Gradient_clipping_with_a_layer_shared_by_G_and_D_is_rejected_under_the_simultaneous_schedule()
    {
        // Both optimizers step on the shared layer's gradient: D's clipping would scale what G's then measures.
        Dense shared = GanTestKit.Scalar(0.5f, 0.25f);
        Gan gan = SgdGanOnHundred(new Sequential(shared), new Sequential(shared, GanTestKit.Scalar(-0.8f, 0.2f)), generatorRate: 1e-3f, discriminatorRate: 1e-3f);
        gan.GeneratorOptimizer.GradientClipNorm = 1f;
        float[] before = GanTestKit.AllValues(gan.Discriminator);

        Action step = () => gan.Step();

        step.Should().Throw<InvalidOperationException>().WithMessage("GradientClipNorm*share parameters*simultaneous schedule*");
        GanTestKit.AllValues(gan.Discriminator).Should().Equal(before, "nothing was updated");
        gan.StepCount.Should().Be(0);
        gan.GeneratorOptimizer.GradientClipNorm = null;
        gan.Step().Step.Should().Be(1, "without clipping the shared layer trains as before");
    }

    [Fact]
    public void A_huge_learning_rate_diverges_within_a_few_steps()
    {
        Gan gan = GanTestKit.SeedGan(1, new GanOptions { BatchSize = 16 }, hidden: 32, learningRate: 1e30f);

        Action train = () => gan.Train(20);

        GanDivergenceException e = train.Should().Throw<GanDivergenceException>().Which;
        e.Step.Should().BeInRange(1, 20);
        e.Quantity.Should().MatchRegex(@"^((discriminator|generator) loss|(discriminator|generator) parameter Dense\(\d+→\d+\)\.(weights|bias)\[\d+\])$");
        e.Message.Should().Contain($"step {e.Step}: {e.Quantity} is ");
    }

    /// <summary>G and D trained by plain SGD at the given rates on the noise z = 2 and the real x = 100, one example per batch.</summary>
    private static Gan SgdGanOnHundred(Sequential generator, Sequential discriminator, float generatorRate, float discriminatorRate) => new(
        generator,
        discriminator,
        new Sgd(generator.Parameters, generatorRate),
        new Sgd(discriminator.Parameters, discriminatorRate),
        new FixedNoise([2f]),
        new DelegateSampler(1, (batch, _) => batch.Fill(100f)),
        new RandomSource(1),
        new GanOptions { BatchSize = 1 });
}
