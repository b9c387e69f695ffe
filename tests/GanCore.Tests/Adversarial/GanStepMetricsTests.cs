using GanCore.Adversarial;
using GanCore.Models;
using GanCore.Optimizers;
using GanCore.Randomness;

namespace GanCore.Tests.Adversarial;

/// <summary>
/// The step metrics at a discriminator that outputs logit 0 for everything: D(x) = σ(0) = ½ exactly, so the
/// metrics take their textbook equilibrium values. A metric computed from the wrong quantity (a logit for a
/// probability, a sum for a mean, the wrong sign of the D score) fails here.
/// </summary>
public class GanStepMetricsTests
{
    private static GanStepMetrics FirstStep(GanObjective objective)
    {
        var random = new RandomSource(4);
        var g = new Sequential(GanTestKit.Scalar(1.5f, 0.25f));
        var d = new Sequential(GanTestKit.Scalar(0f, 0f)); // logit 0 whatever the input
        var gan = new Gan(
            g,
            d,
            new Adam(g.Parameters, 1e-3f),
            new Adam(d.Parameters, 1e-3f),
            new GaussianNoise(1),
            new DelegateSampler(1, static (batch, r) => r.FillGaussian(batch.Span, 2f, 1f)),
            random,
            new GanOptions { Objective = objective, BatchSize = 8 });
        return gan.Step();
    }

    [Theory]
    [InlineData(GanObjective.Minimax)]
    [InlineData(GanObjective.NonSaturating)]
    public void At_chance_mean_D_of_x_is_one_half_and_the_D_score_is_minus_log_4(GanObjective objective)
    {
        GanStepMetrics m = FirstStep(objective);

        m.MeanRealScore.Should().Be(0.5f);
        m.MeanFakeScore.Should().Be(0.5f);
        m.DiscriminatorScore.Should().BeApproximately((float)-Math.Log(4), 1e-6f);

        // Minimax G minimizes mean log(1 − D(G(z))) = log ½; non-saturating G minimizes −mean log D(G(z)) = log 2.
        float expectedG = objective == GanObjective.Minimax ? (float)-Math.Log(2) : (float)Math.Log(2);
        m.GeneratorLoss.Should().BeApproximately(expectedG, 1e-6f);
    }

    [Fact]
    public void At_output_0_least_squares_scores_are_the_raw_output_and_the_D_score_is_minus_one_half()
    {
        GanStepMetrics m = FirstStep(GanObjective.LeastSquares);

        // D loss = ½·mean((0 − 1)²) + ½·mean(0²) = ½; G loss = ½·mean((0 − 1)²) = ½.
        m.MeanRealScore.Should().Be(0f);
        m.MeanFakeScore.Should().Be(0f);
        m.DiscriminatorScore.Should().Be(-0.5f);
        m.GeneratorLoss.Should().Be(0.5f);
    }
}
