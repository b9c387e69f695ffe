using CsCheck;
using GanCore.Adversarial;
using GanCore.Losses;
using GanCore.Tensors;
using GanCore.Tests.Adversarial;

namespace GanCore.Tests.Hardening;

/// <summary>
/// Numerical safety: BCE never returns NaN on its domain (property tests, value and gradient), and a diverging GAN
/// stops with <see cref="GanDivergenceException"/> while the last checkpoint before the failure still loads.
/// (The fixed-point BCE cases and the other divergence paths live in Losses/LossGradientTests and Gan/DivergenceTests.)
/// </summary>
public sealed class NumericalSafetyTests : IDisposable
{
    private readonly string _folder = GanTestKit.TempDirectory("numerics");

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    /// <summary>Probabilities and targets in [0, 1], with exactly 0, exactly 1 and the floats next to them over-represented.</summary>
    private static readonly Gen<float> Probability = Gen.Frequency(
        (4, (IGen<float>)Gen.Float[0f, 1f]),
        (1, Gen.Const(0f)),
        (1, Gen.Const(1f)),
        (1, Gen.Const(float.Epsilon)),
        (1, Gen.Const(BitConverter.Int32BitsToSingle(BitConverter.SingleToInt32Bits(1f) - 1))));

    private static readonly Gen<float> Logit = Gen.Frequency(
        (4, (IGen<float>)Gen.Float[-1e4f, 1e4f]),
        (1, Gen.Float[-40f, 40f]),
        (1, Gen.Const(1e4f)),
        (1, Gen.Const(-1e4f)),
        (1, Gen.Const(0f)));

    [Fact]
    public void BCE_on_probabilities_is_finite_in_value_and_gradient_on_all_of_0_to_1()
    {
        Gen.Select(Probability.Array[1, 24], Gen.Int[0, 1000]).Sample(
            static (values, targetSeed) =>
            {
                float[] targets = values.Select((_, i) => ((targetSeed + i) % 3) switch { 0 => 0f, 1 => 1f, _ => 0.5f }).ToArray();
                Check(new BinaryCrossEntropy(), values, targets, -1e4f);
            },
            iter: 3000);
    }

    [Fact]
    public void BCE_with_probability_targets_anywhere_in_0_to_1_is_finite()
    {
        Gen.Select(Probability.Array[1, 24], Probability.Array[24]).Sample(
            static (values, targets) => Check(new BinaryCrossEntropy(), values, targets[..values.Length], -1e4f),
            iter: 2000);
    }

    [Fact]
    public void BCE_on_logits_is_finite_in_value_and_gradient_for_logits_up_to_1e4()
    {
        Gen.Select(Logit.Array[1, 24], Probability.Array[24]).Sample(
            static (logits, allTargets) =>
            {
                float[] targets = allTargets[..logits.Length];
                Check(new BinaryCrossEntropyWithLogits(), logits, targets, float.NegativeInfinity);

                // dℓ/dz = (σ(z) − t)/n lies in [−1/n, 1/n].
                var gradient = new Matrix(1, logits.Length);
                new BinaryCrossEntropyWithLogits().Compute(Matrix.FromRows(1, logits.Length, logits), Matrix.FromRows(1, logits.Length, targets), gradient);
                foreach (float g in gradient.Span)
                {
                    Math.Abs(g).Should().BeLessThanOrEqualTo((1f / logits.Length) * (1 + 1e-6f));
                }
            },
            iter: 3000);
    }

    private static void Check(Loss loss, float[] predictions, float[] targets, float minimumValue)
    {
        var gradient = new Matrix(1, predictions.Length);
        float value = loss.Compute(Matrix.FromRows(1, predictions.Length, predictions), Matrix.FromRows(1, targets.Length, targets), gradient);
        float.IsFinite(value).Should().BeTrue($"{loss.Name}({string.Join(", ", predictions)}; {string.Join(", ", targets)}) = {value}");
        value.Should().BeGreaterThanOrEqualTo(minimumValue);
        foreach (float g in gradient.Span)
        {
            float.IsFinite(g).Should().BeTrue($"{loss.Name} gradient at ({string.Join(", ", predictions)}) is {g}");
        }
    }

    [Fact]
    public void A_huge_learning_rate_stops_with_the_step_and_quantity_and_the_checkpoint_before_it_loads()
    {
        Gan gan = GanTestKit.SeedGan(7, new GanOptions { BatchSize = 16 }, hidden: 32, learningRate: 1e30f);
        string checkpoint = Path.Combine(_folder, "before.gck");
        GanDivergenceException? failure = null;
        for (int i = 0; i < 50 && failure is null; i++)
        {
            gan.SaveCheckpoint(checkpoint);
            try
            {
                gan.Step();
            }
            catch (GanDivergenceException e)
            {
                failure = e;
            }
        }

        failure.Should().NotBeNull("a learning rate of 1e30 must blow up");
        failure!.Step.Should().Be(gan.StepCount + 1, "the failing step is not counted");
        failure.Message.Should().Contain($"step {failure.Step}").And.Contain(failure.Quantity);
        failure.Message.Should().MatchRegex("NaN|Infinity|∞");

        Gan restored = Gan.LoadCheckpoint(checkpoint, new GaussianNoise(5), GanTestKit.QuadraticSampler());
        restored.StepCount.Should().Be(failure.Step - 1);
        GanTestKit.AllValues(restored.Generator).Concat(GanTestKit.AllValues(restored.Discriminator)).Should().OnlyContain(v => float.IsFinite(v));
    }
}
