using GanCore.Adversarial;
using GanCore.Layers;
using GanCore.Models;
using GanCore.Optimizers;
using GanCore.Randomness;
using GanCore.Tensors;

namespace GanCore.Tests.Adversarial;

/// <summary>
/// The generator's pass must not touch D (neither its weights nor its gradient buffers), and D's updates must not touch G.
/// Under minimax, G's loss is exactly minus D's fake term, so an accidental accumulation of G's gradient into D's
/// buffers would cancel D's fake-term gradient; that is why the buffers themselves are compared, not only the weights.
/// </summary>
public class GradientIsolationTests
{
    private const int Batch = 4;

    private static readonly float[][] NoiseRows =
    [
        [0.3f, -1.2f, 0.8f, 0.1f, -0.5f],
        [-0.7f, 0.4f, 1.5f, -0.9f, 0.2f],
        [1.1f, 0.6f, -0.3f, 0.7f, -1.4f],
        [-0.2f, -0.8f, 0.05f, 1.3f, 0.9f],
    ];

    private static void FillReal(Matrix batch)
    {
        // Four fixed curves of the quadratic family (a = 1, 1.3, 1.6, 2): y = a·x² + a − 1 on 15 points in [−1, 1].
        float[] a = [1f, 1.3f, 1.6f, 2f];
        for (int i = 0; i < batch.Rows; i++)
        {
            for (int j = 0; j < batch.Columns; j++)
            {
                float x = -1f + (2f * j / (batch.Columns - 1));
                batch[i, j] = (a[i % a.Length] * x * x) + a[i % a.Length] - 1f;
            }
        }
    }

    private static (Gan Gan, FixedNoise Noise) Build(GanObjective objective, GanSchedule schedule, int discriminatorSteps = 1, float learningRate = 0.05f, float realLabel = 1f)
    {
        var random = new RandomSource(77);
        (Sequential g, Sequential d) = GanTestKit.QuadraticNetworks(random, hidden: 16);
        var noise = new FixedNoise(NoiseRows);
        var gan = new Gan(
            g,
            d,
            new Sgd(g.Parameters, learningRate),
            new Sgd(d.Parameters, learningRate),
            noise,
            new DelegateSampler(15, (batch, _) => FillReal(batch)),
            random,
            new GanOptions { Objective = objective, Schedule = schedule, DiscriminatorSteps = discriminatorSteps, BatchSize = Batch, RealLabel = realLabel });
        return (gan, noise);
    }

    [Theory]
    [InlineData(GanObjective.Minimax, 1)]
    [InlineData(GanObjective.Minimax, 2)]
    [InlineData(GanObjective.NonSaturating, 2)]
    [InlineData(GanObjective.LeastSquares, 1)]
    public void Alternating_D_steps_leave_G_untouched_and_the_G_pass_leaves_D_untouched_bitwise(GanObjective objective, int k)
    {
        (Gan gan, FixedNoise noise) = Build(objective, GanSchedule.Alternating, k);
        gan.Step(); // every buffer is now non-zero, so "untouched" is a real statement

        // Noise is drawn k times for the D-steps, then once for the G pass: the fills are probes between the pieces.
        ModelSnapshot? gAtStart = null, gBeforeGPass = null, dAtStart = null, dBeforeGPass = null;
        int first = noise.Fills + 1;
        noise.OnFill = fill =>
        {
            if (fill == first)
            {
                gAtStart = ModelSnapshot.Of(gan.Generator);
                dAtStart = ModelSnapshot.Of(gan.Discriminator);
            }
            else if (fill == first + k)
            {
                gBeforeGPass = ModelSnapshot.Of(gan.Generator);
                dBeforeGPass = ModelSnapshot.Of(gan.Discriminator);
            }
        };

        gan.Step();
        var gAfter = ModelSnapshot.Of(gan.Generator);
        var dAfter = ModelSnapshot.Of(gan.Discriminator);

        noise.Fills.Should().Be(first + k, "k noise draws for the D-steps and one for the G pass");

        // The probes saw real work: D moved during its steps, G moved during its pass.
        ModelSnapshot.BitwiseEqual(dAtStart!.Values, dBeforeGPass!.Values).Should().BeFalse();
        ModelSnapshot.BitwiseEqual(gBeforeGPass!.Values, gAfter.Values).Should().BeFalse();

        // D-steps: G's weights and G's gradient buffers are bitwise as they were.
        ModelSnapshot.BitwiseEqual(gAtStart!.Values, gBeforeGPass.Values).Should().BeTrue("the D-steps must not update G");
        ModelSnapshot.BitwiseEqual(gAtStart.Gradients, gBeforeGPass.Gradients).Should().BeTrue("the D-steps must not add into G's gradient buffers");

        // G pass: D's weights and D's gradient buffers are bitwise as the last D-step left them.
        ModelSnapshot.BitwiseEqual(dBeforeGPass.Values, dAfter.Values).Should().BeTrue("the G pass must not update D");
        ModelSnapshot.BitwiseEqual(dBeforeGPass.Gradients, dAfter.Gradients).Should().BeTrue("the G pass must flow through D with ParameterGradients.Skip");
    }

    [Theory]
    [InlineData(GanObjective.Minimax, 1f)]
    [InlineData(GanObjective.NonSaturating, 0.9f)]
    [InlineData(GanObjective.LeastSquares, 0.9f)]
    public void Simultaneous_step_matches_a_manual_D_pass_and_a_separate_G_only_pass(GanObjective objective, float realLabel)
    {
        const float lr = 0.05f;
        (Gan gan, _) = Build(objective, GanSchedule.Simultaneous, learningRate: lr, realLabel: realLabel);
        gan.Step();
        gan.Step();

        // A reference copy of both networks at the parameters the next step starts from.
        (Sequential g, Sequential d) = GanTestKit.QuadraticNetworks(new RandomSource(1), hidden: 16);
        g.CopyParametersFrom(gan.Generator);
        d.CopyParametersFrom(gan.Discriminator);
        var noise = new Matrix(Batch, 5);
        new FixedNoise(NoiseRows).Fill(noise, null!);
        var real = new Matrix(Batch, 15);
        FillReal(real);

        // D's gradient: real term plus fake term, and nothing else.
        g.ZeroGradients();
        d.ZeroGradients();
        Matrix fake = g.Forward(noise);
        float[] realLogits = GanTestKit.Flatten(d.Forward(real));
        d.BackwardParameters(Column(realLogits.Select(l => RealGradient(objective, l, realLabel)).ToArray()));
        float[] fakeLogits = GanTestKit.Flatten(d.Forward(fake));
        d.BackwardParameters(Column(fakeLogits.Select(l => FakeGradient(objective, l)).ToArray()));
        var dReference = ModelSnapshot.Of(d);

        // G-only pass through D with D's parameter gradients skipped (the Sequential contract Gan relies on).
        Matrix dFake = d.Backward(Column(fakeLogits.Select(l => GeneratorGradient(objective, l)).ToArray()), ParameterGradients.Skip);
        ModelSnapshot.BitwiseEqual(ModelSnapshot.Of(d).Gradients, dReference.Gradients).Should().BeTrue("Backward with Skip must leave D's gradient buffers alone");
        ModelSnapshot.BitwiseEqual(ModelSnapshot.Of(d).Values, dReference.Values).Should().BeTrue();
        g.BackwardParameters(dFake);
        var gReference = ModelSnapshot.Of(g);

        GanStepMetrics metrics = gan.Step();
        var dGan = ModelSnapshot.Of(gan.Discriminator);
        var gGan = ModelSnapshot.Of(gan.Generator);

        // The buffers after Gan.Step hold the gradients that the optimizers consumed. Float rounding aside (the
        // reference σ is computed in double), they must match; 1e-5 of the largest entry is far below any real mix-up:
        AssertClose(dGan.Gradients, dReference.Gradients, "D's gradient buffers");
        AssertClose(gGan.Gradients, gReference.Gradients, "G's gradient buffers (a G-only pass)");

        // SGD: θ' = θ − lr·∇ for both networks, from the same starting parameters.
        AssertClose(dGan.Values, Sgd(dReference.Values, dReference.Gradients, lr), "D's updated weights");
        AssertClose(gGan.Values, Sgd(gReference.Values, gReference.Gradients, lr), "G's updated weights");

        // The reported losses and scores, from the same logits (see GanObjective for the formulas).
        double t = realLabel;
        double expectedDLoss = objective == GanObjective.LeastSquares
            ? realLogits.Average(r => 0.5 * (r - t) * (r - t)) + fakeLogits.Average(f => 0.5 * f * f)
            : realLogits.Average(r => Softplus(r) - (t * r)) + fakeLogits.Average(f => Softplus(f));
        double expectedGLoss = objective switch
        {
            GanObjective.Minimax => -fakeLogits.Average(f => Softplus(f)),
            GanObjective.NonSaturating => fakeLogits.Average(f => Softplus(-f)),
            _ => fakeLogits.Average(f => 0.5 * (f - 1) * (f - 1)),
        };
        metrics.DiscriminatorLoss.Should().BeApproximately((float)expectedDLoss, 1e-5f);
        metrics.GeneratorLoss.Should().BeApproximately((float)expectedGLoss, 1e-5f);
        metrics.MeanRealScore.Should().BeApproximately(realLogits.Average(r => objective == GanObjective.LeastSquares ? r : Sigmoid(r)), 1e-6f);
        metrics.MeanFakeScore.Should().BeApproximately(fakeLogits.Average(f => objective == GanObjective.LeastSquares ? f : Sigmoid(f)), 1e-6f);

        // This test can fail: had the G pass accumulated into D, D's buffers would hold the D gradient plus the
        // G-loss gradient w.r.t. D's parameters (under minimax the fake term would vanish exactly).
        d.ZeroGradients();
        d.Forward(fake);
        d.BackwardParameters(Column(fakeLogits.Select(l => GeneratorGradient(objective, l)).ToArray()));
        float[][] contaminated = dReference.Gradients.Zip(ModelSnapshot.Of(d).Gradients, (a, b) => a.Zip(b, (x, y) => x + y).ToArray()).ToArray();
        MaxDifference(contaminated, dReference.Gradients).Should().BeGreaterThan(100 * Tolerance(dReference.Gradients));
    }

    private static float Sigmoid(float l) => (float)(1.0 / (1.0 + Math.Exp(-l)));

    // dLoss/dlogit for one example of a batch of n; see GanObjective for the losses.
    private static double Softplus(double l) => Math.Log(1 + Math.Exp(l));

    private static float RealGradient(GanObjective o, float l, float t) => (o == GanObjective.LeastSquares ? l - t : Sigmoid(l) - t) / Batch;

    private static float FakeGradient(GanObjective o, float l) => (o == GanObjective.LeastSquares ? l : Sigmoid(l)) / Batch;

    private static float GeneratorGradient(GanObjective o, float l) => o switch
    {
        GanObjective.Minimax => -Sigmoid(l) / Batch,
        GanObjective.NonSaturating => (Sigmoid(l) - 1f) / Batch,
        _ => (l - 1f) / Batch,
    };

    private static Matrix Column(float[] values) => Matrix.FromRows(values.Length, 1, values);

    private static float[][] Sgd(float[][] values, float[][] gradients, float lr) =>
        values.Zip(gradients, (v, g) => v.Zip(g, (x, dx) => x - (lr * dx)).ToArray()).ToArray();

    private static double MaxDifference(float[][] a, float[][] b) =>
        a.Zip(b, (x, y) => x.Zip(y, (p, q) => Math.Abs((double)p - q)).Max()).Max();

    private static double Tolerance(float[][] reference) => 1e-5 * Math.Max(1e-6, reference.Max(r => r.Max(Math.Abs)));

    private static void AssertClose(float[][] actual, float[][] expected, string what)
    {
        actual.Select(a => a.Length).Should().Equal(expected.Select(e => e.Length), what);
        MaxDifference(actual, expected).Should().BeLessThanOrEqualTo(Tolerance(expected), what);
    }
}
