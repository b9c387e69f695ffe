using GanCore.Adversarial;
using GanCore.Layers;
using GanCore.Models;
using GanCore.Optimizers;
using GanCore.Randomness;

namespace GanCore.Tests.Adversarial;

/// <summary>
/// One step of a one-weight-per-network GAN, checked against numbers worked out by hand (in double precision; the
/// library computes in float, hence the 1e-6 tolerances, about 10 float ulps at these magnitudes).
/// </summary>
/// <remarks>
/// Setup, shared by both schedules (minimax objective, batch n = 2, plain SGD with lr = 0.1):
/// <code>
///   G(z) = w_g·z + b_g,  w_g = 0.5,  b_g = 0.25        noise  z = (2, −1)
///   D(x) = w_d·x + b_d,  w_d = 0.8,  b_d = −0.2        real   x = (1.5, 0.5)        (D outputs a logit)
///
///   fakes       g = w_g·z + b_g        = (1.25, −0.25)
///   real logits r = w_d·x + b_d        = (1.0, 0.2)      σ(r) = (0.7310585786, 0.5498339973)
///   fake logits f = w_d·g + b_d        = (0.8, −0.4)     σ(f) = (0.6899744811, 0.4013123399)
///
/// D's loss  L_D = mean softplus(−r) + mean softplus(f)  = 1.2977582376
///   ∂L_D/∂r_i = (σ(r_i) − 1)/n = (−0.1344707107, −0.2250830013)
///   ∂L_D/∂f_i =  σ(f_i)/n      = ( 0.3449872406,  0.2006561699)
///   ∂L_D/∂w_d = Σ ∂L_D/∂r_i·x_i + Σ ∂L_D/∂f_i·g_i
///             = −0.1344707107·1.5 − 0.2250830013·0.5 + 0.3449872406·1.25 − 0.2006561699·0.25 = 0.0668224415
///   ∂L_D/∂b_d = Σ ∂L_D/∂r_i + Σ ∂L_D/∂f_i = 0.1860896985
///
/// G's loss (minimax) L_G = mean log(1 − σ(f)) = −mean softplus(f) = −0.8420579592
///   ∂L_G/∂f_i = −σ(f_i)/n;  ∂f_i/∂g_i = w_d;  so ∂L_G/∂g_i = −σ(f_i)·w_d/n = (−0.2759897925, −0.1605249360)
///   ∂L_G/∂w_g = Σ ∂L_G/∂g_i·z_i = −0.2759897925·2 + 0.1605249360 = −0.3914546489
///   ∂L_G/∂b_g = Σ ∂L_G/∂g_i     = −0.4365147284
///
/// SGD θ ← θ − 0.1·∂L/∂θ:
///   D:  w_d = 0.8 − 0.00668224415 = 0.7933177558,   b_d = −0.2 − 0.01860896985 = −0.2186089698
/// </code>
/// </remarks>
public class HandComputedStepTests
{
    private const double Tolerance = 1e-6;

    private static Gan Build(GanSchedule schedule)
    {
        var generator = new Sequential(GanTestKit.Scalar(0.5f, 0.25f));
        var discriminator = new Sequential(GanTestKit.Scalar(0.8f, -0.2f));
        return new Gan(
            generator,
            discriminator,
            new Sgd(generator.Parameters, 0.1f),
            new Sgd(discriminator.Parameters, 0.1f),
            new FixedNoise([2f], [-1f]),
            new DelegateSampler(1, (batch, _) =>
            {
                batch[0, 0] = 1.5f;
                batch[1, 0] = 0.5f;
            }),
            new RandomSource(1),
            new GanOptions { Objective = GanObjective.Minimax, Schedule = schedule, BatchSize = 2 });
    }

    private static (double W, double B) Weights(Sequential model)
    {
        var dense = (Dense)model.Layers[0];
        return (dense.Weights.Value[0, 0], dense.Bias.Value[0, 0]);
    }

    [Fact]
    public void Simultaneous_updates_both_networks_from_the_same_parameters()
    {
        Gan gan = Build(GanSchedule.Simultaneous);

        GanStepMetrics m = gan.Step();

        // Both gradients come from the one forward pass above, at w_d = 0.8, b_d = −0.2:
        //   G:  w_g = 0.5 + 0.03914546489 = 0.5391454649,   b_g = 0.25 + 0.04365147284 = 0.2936514728
        (double wd, double bd) = Weights(gan.Discriminator);
        (double wg, double bg) = Weights(gan.Generator);
        wd.Should().BeApproximately(0.7933177558, Tolerance);
        bd.Should().BeApproximately(-0.2186089698, Tolerance);
        wg.Should().BeApproximately(0.5391454649, Tolerance);
        bg.Should().BeApproximately(0.2936514728, Tolerance);

        m.Step.Should().Be(1);
        m.DiscriminatorLoss.Should().BeApproximately(1.2977582376f, 1e-6f);
        m.GeneratorLoss.Should().BeApproximately(-0.8420579592f, 1e-6f);
        m.DiscriminatorScore.Should().BeApproximately(-1.2977582376f, 1e-6f); // the D score is −(D loss), by hand
        m.MeanRealScore.Should().BeApproximately(0.6404462880f, 1e-6f);  // mean σ(r)
        m.MeanFakeScore.Should().BeApproximately(0.5456434105f, 1e-6f);  // mean σ(f)

        // The buffers hold the gradients the optimizers used (hand values above).
        var d = (Dense)gan.Discriminator.Layers[0];
        var g = (Dense)gan.Generator.Layers[0];
        ((double)d.Weights.Gradient[0, 0]).Should().BeApproximately(0.0668224415, Tolerance);
        ((double)d.Bias.Gradient[0, 0]).Should().BeApproximately(0.1860896985, Tolerance);
        ((double)g.Weights.Gradient[0, 0]).Should().BeApproximately(-0.3914546489, Tolerance);
        ((double)g.Bias.Gradient[0, 0]).Should().BeApproximately(-0.4365147284, Tolerance);
    }

    [Fact]
    public void Alternating_k1_updates_G_against_the_already_updated_D()
    {
        Gan gan = Build(GanSchedule.Alternating);

        GanStepMetrics m = gan.Step();

        // The D-step is the same as above (same x, same z, G not yet moved): w_d = 0.7933177558, b_d = −0.2186089698.
        // Then G draws its noise again (z = (2, −1), so g = (1.25, −0.25) still) and sees the NEW D:
        //   f' = w_d'·g + b_d' = (0.7730382250, −0.4169384088)      σ(f') = (0.6841777561, 0.3972495936)
        //   L_G = −mean softplus(f') = −0.8294139153
        //   ∂L_G/∂g_i = −σ(f'_i)·w_d'/n = (−0.2713851810, −0.1575725781)
        //   ∂L_G/∂w_g = −0.2713851810·2 + 0.1575725781 = −0.3851977840
        //   ∂L_G/∂b_g = −0.2713851810 − 0.1575725781  = −0.4289577591
        //   w_g = 0.5 + 0.03851977840 = 0.5385197784,   b_g = 0.25 + 0.04289577591 = 0.2928957759
        (double wd, double bd) = Weights(gan.Discriminator);
        (double wg, double bg) = Weights(gan.Generator);
        wd.Should().BeApproximately(0.7933177558, Tolerance);
        bd.Should().BeApproximately(-0.2186089698, Tolerance);
        wg.Should().BeApproximately(0.5385197784, Tolerance);
        bg.Should().BeApproximately(0.2928957759, Tolerance);

        // The two schedules really differ here: 0.5391454649 (simultaneous) vs 0.5385197784, far beyond the tolerance.
        Math.Abs(0.5391454649 - 0.5385197784).Should().BeGreaterThan(100 * Tolerance);

        // D's metrics are from its (only) update, G's loss from the pass against the updated D.
        m.DiscriminatorLoss.Should().BeApproximately(1.2977582376f, 1e-6f);
        m.GeneratorLoss.Should().BeApproximately(-0.8294139153f, 1e-6f);
        m.MeanRealScore.Should().BeApproximately(0.6404462880f, 1e-6f);
        m.MeanFakeScore.Should().BeApproximately(0.5456434105f, 1e-6f);
    }
}
