using GanCore.Adversarial;
using GanCore.Layers;
using GanCore.Models;
using GanCore.Optimizers;
using GanCore.Randomness;
using Xunit.Abstractions;

namespace GanCore.Tests.Adversarial;

/// <summary>
/// End-to-end: a WGAN with weight clipping and a hinge GAN learn N(3, 0.5²) under the alternating 5:1 schedule
/// (fixed seeds, small budgets).
/// </summary>
public class WassersteinHingeLearningTests(ITestOutputHelper output)
{
    private const double Mean = 3.0;
    private const double Std = 0.5;

    private static Gan OneDimensionalGan(GanObjective objective, ulong seed, float learningRate)
    {
        var random = new RandomSource(seed);
        // G(z) = w·z + b can represent the target exactly; the critic has one hidden layer.
        var g = new Sequential(new Dense(1, 1, random));
        var d = new Sequential(new Dense(1, 32, random), new LeakyReLU(0.2f), new Dense(32, 1, random));
        return new Gan(
            g,
            d,
            new Adam(g.Parameters, learningRate, beta1: 0.5f),
            new Adam(d.Parameters, learningRate, beta1: 0.5f),
            new GaussianNoise(1),
            new DelegateSampler(1, static (batch, r) => r.FillGaussian(batch.Span, (float)Mean, (float)Std)),
            random,
            new GanOptions { Objective = objective, Schedule = GanSchedule.Alternating, DiscriminatorSteps = 5, BatchSize = 64 });
    }

    private (double Untrained, double Trained, double Std) TrainAndMeasure(Gan gan, int steps)
    {
        double untrained = GanTestKit.Flatten(gan.Generate(10_000)).Average(x => (double)x);
        gan.Train(steps);
        float[] samples = GanTestKit.Flatten(gan.Generate(10_000));
        double trained = samples.Average(x => (double)x);
        double std = Math.Sqrt(samples.Sum(x => (x - trained) * (x - trained)) / (samples.Length - 1));
        output.WriteLine($"{gan.Options.Objective}: mean {untrained:F4} → {trained:F4}, std {std:F4} after {steps} steps");
        return (untrained, trained, std);
    }

    // Tolerances. Over seeds 11–17 (measured once while writing this test), both objectives had the mean within 0.05
    // of 3 after 1000 and after 1500 steps; the sampling error of 10 000 draws is 0.005. 0.1 leaves room for other
    // float rounding and still fails a generator that has not moved (it starts about 3 away). The hinge GAN also
    // matched σ within 0.03 on every seed, so its σ is checked at 0.1. The clipped critic (c = 0.1, 32 hidden units)
    // did not reliably match the spread (σ between 0.10 and 0.58 across seeds): weight clipping limits what the
    // critic can see, the known weakness that led to gradient penalties, so the WGAN's σ is not asserted.

    [Fact]
    public void A_WGAN_with_weight_clipping_moves_the_mean_onto_the_data()
    {
        Gan gan = OneDimensionalGan(GanObjective.Wasserstein, 11, 5e-3f);
        gan.DiscriminatorOptimizer.WeightClip = 0.1f;
        (double untrained, double trained, _) = TrainAndMeasure(gan, 1500);

        GanTestKit.AllValues(gan.Discriminator).Should().OnlyContain(v => Math.Abs(v) <= 0.1f, "every critic weight is clipped");
        Math.Abs(untrained - Mean).Should().BeGreaterThan(1);
        trained.Should().BeApproximately(Mean, 0.1);
    }

    [Fact]
    public void A_hinge_GAN_moves_the_mean_onto_the_data()
    {
        Gan gan = OneDimensionalGan(GanObjective.Hinge, 11, 5e-3f);
        (double untrained, double trained, double std) = TrainAndMeasure(gan, 1500);

        Math.Abs(untrained - Mean).Should().BeGreaterThan(1);
        trained.Should().BeApproximately(Mean, 0.1);
        std.Should().BeApproximately(Std, 0.1);
    }
}
