using GanCore.Adversarial;
using GanCore.Checkpoints;
using GanCore.Layers;
using GanCore.Models;
using GanCore.Optimizers;
using GanCore.Randomness;
using GanCore.Tests.Adversarial;

namespace GanCore.Tests.Optimizers;

/// <summary><see cref="Optimizer.WeightClip"/>: bad values, the clamp after every step, and that checkpoints do not keep it.</summary>
public class WeightClipTests
{
    [Theory]
    [InlineData(0f)]
    [InlineData(-0.01f)]
    [InlineData(float.NaN)]
    [InlineData(float.PositiveInfinity)]
    public void A_clip_that_is_not_a_finite_positive_number_is_rejected_naming_the_property(float c)
    {
        var sgd = new Sgd([new Parameter("w", 2, 2)]);
        FluentActions.Invoking(() => sgd.WeightClip = c).Should().Throw<ArgumentOutOfRangeException>()
            .WithParameterName("WeightClip").WithMessage($"*finite number > 0*Actual value was {c}.");
        sgd.WeightClip.Should().BeNull("a rejected value leaves the setting as it was");
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Step_clamps_every_parameter_after_the_update(bool adam)
    {
        float[] start = [0.5f, -0.5f, 0.05f, -0.05f, 0f];
        float[] gradient = [-1f, 1f, 0.01f, -0.2f, 3f];
        var clipped = new Parameter("w", 1, 5);
        var plain = new Parameter("w", 1, 5);
        var bias = new Parameter("b", 1, 1);
        start.CopyTo(clipped.Value.Span);
        start.CopyTo(plain.Value.Span);
        bias.Value[0, 0] = -7f;
        Optimizer a = adam ? new Adam([clipped, bias], 0.1f) : new Sgd([clipped, bias], 0.1f);
        Optimizer b = adam ? new Adam([plain], 0.1f) : new Sgd([plain], 0.1f);
        a.WeightClip = 0.1f;
        a.WeightClip.Should().Be(0.1f);

        for (int t = 0; t < 3; t++)
        {
            gradient.CopyTo(clipped.Gradient.Span);
            gradient.CopyTo(plain.Gradient.Span);
            a.Step();
            b.Step();

            // The unclipped update, clamped: the clip comes after the update, not before it.
            float[] expected = plain.Value.Span.ToArray().Select(v => Math.Clamp(v, -0.1f, 0.1f)).ToArray();
            clipped.Value.Span.ToArray().Should().Equal(expected, "step {0}", t + 1);
            bias.Value[0, 0].Should().Be(-0.1f, "every parameter the optimizer holds is clipped, biases included");
            clipped.Value.Span.CopyTo(plain.Value.Span); // both start the next step from the same point
        }

        a.WeightClip = null;
        bias.Gradient.Span.Fill(10f);
        a.Step();
        bias.Value[0, 0].Should().BeLessThan(-0.1f, "null turns clipping off");
    }

    [Fact]
    public void Clipping_is_not_saved_in_checkpoints()
    {
        var random = new RandomSource(2);
        var model = new Sequential(new Dense(2, 3, random));
        var adam = new Adam(model.Parameters, 1e-3f) { WeightClip = 0.01f };
        string folder = GanTestKit.TempDirectory("clip");
        try
        {
            string path = Path.Combine(folder, "model.ckpt");
            ModelCheckpoint.Save(path, model, adam);
            ModelCheckpoint.Load(path).Optimizer!.WeightClip.Should().BeNull("clipping is a run setting, like the schedule: set it again after loading");

            Gan gan = GanTestKit.SeedGan(1, new GanOptions { Objective = GanObjective.Wasserstein, BatchSize = 8 }, hidden: 4);
            gan.DiscriminatorOptimizer.WeightClip = 0.01f;
            gan.SaveCheckpoint(Path.Combine(folder, "gan.ckpt"));
            Gan.LoadCheckpoint(Path.Combine(folder, "gan.ckpt"), new GaussianNoise(5), GanTestKit.QuadraticSampler()).DiscriminatorOptimizer.WeightClip.Should().BeNull();
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
