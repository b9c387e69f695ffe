using GanCore.Adversarial;
using GanCore.Layers;
using GanCore.Models;
using GanCore.Optimizers;
using GanCore.Randomness;
using GanCore.Tensors;
using GanCore.Tests.Testing;

namespace GanCore.Tests.Adversarial;

/// <summary>
/// The alternating schedule (k D-updates, then one G-update) of a conditional GAN, checked against central finite
/// differences of the objective it claims to follow.
/// </summary>
/// <remarks>
/// Every draw differs (noise batch j is Z_j, real batch j is (X_j, C_j), condition-source batch j is S_j), so a step that
/// reuses the wrong batch, the wrong conditions or the wrong parameters computes the gradient of a different function.
/// With k D-steps the draws are: D-step j = 1…k takes (X_j, C_j) and Z_j with fake conditions S_j (or C_j without a
/// source); the G-step takes Z_{k+1} with S_{k+1} (or the last real conditions C_k). After <see cref="Gan.Step"/>:
/// <list type="bullet">
/// <item>D's gradient buffers hold ∇_D [ real(D([X_k, C_k])) + fake(D([G(Z_k, c_k), c_k])) ], taken at D's parameters
/// before its last update (recorded when the k-th real batch is drawn) and G's parameters before the step;</item>
/// <item>G's gradient buffers hold ∇_G gen(D([G(Z_{k+1}, c), c])), taken at G's parameters before the step and D's
/// parameters after all k updates. Only the example columns of D's input gradient reach G.</item>
/// </list>
/// </remarks>
public class ConditionalAlternatingGradientTests
{
    private const int Batch = 3;
    private const int NoiseWidth = 3;
    private const int DataWidth = 4;
    private const int ConditionWidth = 2;

    /// <summary>A source of pre-drawn batches, one per fill, in order; it reports each fill to a probe.</summary>
    private sealed class BatchSequence(Matrix[] batches)
    {
        public int Fills { get; private set; }

        public Matrix Batch(int fill) => batches[fill - 1];

        public Matrix Next()
        {
            Fills++;
            return batches[Fills - 1];
        }
    }

    private sealed class SequenceNoise(BatchSequence sequence) : INoiseSource
    {
        public int Dimension => NoiseWidth;

        public void Fill(Matrix destination, RandomSource random) => sequence.Next().CopyTo(destination);
    }

    private sealed class SequenceConditions(BatchSequence sequence) : IConditionSource
    {
        public int Dimension => ConditionWidth;

        public void Fill(Matrix destination, RandomSource random) => sequence.Next().CopyTo(destination);
    }

    private static Matrix[] Draw(int count, int columns, RandomSource random, float low = -1f, float high = 1f) =>
        [.. Enumerable.Range(0, count).Select(_ => GradientChecker.Uniform(Batch, columns, random, low, high))];

    private static Matrix Concat(Matrix a, Matrix b)
    {
        var m = new Matrix(a.Rows, a.Columns + b.Columns);
        for (int i = 0; i < a.Rows; i++)
        {
            a.Row(i).CopyTo(m.Row(i));
            b.Row(i).CopyTo(m.Row(i)[a.Columns..]);
        }

        return m;
    }

    private static float[][] Snapshot(Sequential model) => [.. model.Parameters.Select(p => p.Value.Span.ToArray())];

    private static void Restore(Sequential model, float[][] values)
    {
        Parameter[] parameters = [.. model.Parameters];
        for (int i = 0; i < parameters.Length; i++)
        {
            values[i].CopyTo(parameters[i].Value.Span);
        }
    }

    [Theory]
    [InlineData(GanObjective.Minimax, 1, false, 1f)]
    [InlineData(GanObjective.NonSaturating, 1, true, 1f)]
    [InlineData(GanObjective.NonSaturating, 2, false, 0.9f)]
    [InlineData(GanObjective.NonSaturating, 3, true, 1f)]
    [InlineData(GanObjective.LeastSquares, 2, true, 1f)]
    public void Alternating_conditional_G_and_D_gradients_match_finite_differences(GanObjective objective, int dSteps, bool withConditionSource, float realLabel)
    {
        var random = new RandomSource(23);

        // Smooth networks (Tanh), so the finite differences have no kinks to cross.
        var g = new Sequential(new Dense(NoiseWidth + ConditionWidth, 6, random), new Tanh(), new Dense(6, DataWidth, random));
        var d = new Sequential(new Dense(DataWidth + ConditionWidth, 5, random), new Tanh(), new Dense(5, 1, random));
        var noise = new BatchSequence(Draw(dSteps + 1, NoiseWidth, random));
        var real = new BatchSequence(Draw(dSteps, DataWidth, random, -1.5f, 1.5f));
        var realConditions = new BatchSequence(Draw(dSteps, ConditionWidth, random, 0f, 1f));
        var sourceBatches = new BatchSequence(Draw(dSteps + 1, ConditionWidth, random, -1f, 0f));
        float[][]? dBeforeLastUpdate = null;
        var sampler = new ConditionalDelegateSampler(DataWidth, ConditionWidth, (batch, labels, _) =>
        {
            // The k-th real batch is drawn at the start of the last D-step: D holds the parameters its gradient is taken at.
            dBeforeLastUpdate = Snapshot(d);
            real.Next().CopyTo(batch);
            realConditions.Next().CopyTo(labels);
        });

        // SGD with a step large enough that D's updates matter: a G gradient taken at stale D parameters fails the check.
        var options = new GanOptions { Objective = objective, Schedule = GanSchedule.Alternating, DiscriminatorSteps = dSteps, BatchSize = Batch, RealLabel = realLabel };
        var gan = new Gan(g, d, new Sgd(g.Parameters, 0.05f), new Sgd(d.Parameters, 0.5f), new SequenceNoise(noise), sampler, withConditionSource ? new SequenceConditions(sourceBatches) : null, new RandomSource(5), options);
        float[][] gBefore = Snapshot(g);
        float[][] dBefore = Snapshot(d);

        gan.Step();

        noise.Fills.Should().Be(dSteps + 1, "each D-step and the G-step draw fresh noise");
        real.Fills.Should().Be(dSteps, "each D-step draws a real batch");
        sourceBatches.Fills.Should().Be(withConditionSource ? dSteps + 1 : 0);
        float[][] dAfter = Snapshot(d);
        Enumerable.Range(0, dAfter.Length).Any(i => !dAfter[i].SequenceEqual(dBeforeLastUpdate![i])).Should().BeTrue("the last D update changed D");
        if (dSteps > 1)
        {
            Enumerable.Range(0, dBefore.Length).Any(i => !dBefore[i].SequenceEqual(dBeforeLastUpdate![i])).Should().BeTrue("the earlier D updates changed D");
        }

        // G's gradient: G at its parameters before the step, D after all k updates, noise Z_{k+1}, conditions S_{k+1} or C_k.
        Restore(g, gBefore);
        Matrix generatorConditions = withConditionSource ? sourceBatches.Batch(dSteps + 1) : realConditions.Batch(dSteps);
        Matrix generatorInput = Concat(noise.Batch(dSteps + 1), generatorConditions);
        var scratch = new float[Batch];
        double GeneratorLoss()
        {
            Matrix fake = Concat(g.Forward(generatorInput), generatorConditions);
            gan.Objective.FakeTerms(d.Forward(fake).Span[..Batch], scratch, scratch, out _, out _, out double loss);
            return loss;
        }

        GradientChecker.AssertMatches(GeneratorLoss, [.. g.Parameters.Select(p => new GradientVariable("G." + p.Name, p.Value, p.Gradient))]);

        // D's gradient: D before its last update, G before the step, the k-th real batch, noise Z_k, fake conditions S_k or C_k.
        Restore(d, dBeforeLastUpdate!);
        Matrix fakeConditions = withConditionSource ? sourceBatches.Batch(dSteps) : realConditions.Batch(dSteps);
        Matrix fakeForD = Concat(g.Forward(Concat(noise.Batch(dSteps), fakeConditions)), fakeConditions);
        Matrix realInput = Concat(real.Batch(dSteps), realConditions.Batch(dSteps));
        double DiscriminatorLoss()
        {
            double realLoss = gan.Objective.DiscriminatorRealTerm(d.Forward(realInput).Span[..Batch], realLabel, scratch, out _);
            gan.Objective.FakeTerms(d.Forward(fakeForD).Span[..Batch], scratch, scratch, out double fakeLoss, out _, out _);
            return realLoss + fakeLoss;
        }

        GradientChecker.AssertMatches(DiscriminatorLoss, [.. d.Parameters.Select(p => new GradientVariable("D." + p.Name, p.Value, p.Gradient))]);
    }
}
