using GanCore.Layers;
using GanCore.Tensors;

namespace GanCore.Adversarial;

/// <summary>One training step under the simultaneous or the alternating schedule; the losses on D's logits come from <see cref="Objective"/>.</summary>
public sealed partial class Gan
{
    private GanStepMetrics SimultaneousStep(long step)
    {
        int batch = Options.BatchSize;
        RealData.Fill(Buffers.Real, Random);
        Noise.Fill(Buffers.Noise, Random);
        Generator.ZeroGradients();
        Discriminator.ZeroGradients();
        Matrix fake = Generator.Forward(Buffers.Noise);

        // D on the real batch: its loss term and gradient.
        Matrix realLogits = Discriminator.Forward(Buffers.Real);
        double realLoss = Objective.DiscriminatorRealTerm(realLogits.Span[..batch], Options.RealLabel, Buffers.GradientReal.Span, out double realScore);
        Discriminator.BackwardParameters(Buffers.GradientReal);

        // D on the fake batch: one forward pass serves D's gradient and G's gradient.
        Matrix fakeLogits = Discriminator.Forward(fake);
        Objective.FakeTerms(fakeLogits.Span[..batch], Buffers.GradientFake.Span, Buffers.GradientGenerator.Span, out double fakeLoss, out double fakeScore, out double generatorLoss);
        double discriminatorLoss = realLoss + fakeLoss;
        CheckLoss(step, "discriminator loss", discriminatorLoss);
        CheckLoss(step, "generator loss", generatorLoss);
        Discriminator.BackwardParameters(Buffers.GradientFake);
        Matrix gradientFakeInput = Discriminator.Backward(Buffers.GradientGenerator, ParameterGradients.Skip);
        Generator.BackwardParameters(gradientFakeInput);

        DiscriminatorOptimizer.Step();
        GeneratorOptimizer.Step();
        CheckParameters(step, "discriminator", Discriminator);
        CheckParameters(step, "generator", Generator);
        return new GanStepMetrics(step, (float)discriminatorLoss, (float)generatorLoss, (float)realScore, (float)fakeScore);
    }

    private GanStepMetrics AlternatingStep(long step)
    {
        int batch = Options.BatchSize;
        double discriminatorLoss = 0;
        double realScore = 0;
        double fakeScore = 0;
        for (int k = 0; k < Options.DiscriminatorSteps; k++)
        {
            RealData.Fill(Buffers.Real, Random);
            Noise.Fill(Buffers.Noise, Random);
            Discriminator.ZeroGradients();
            Matrix fakeForD = Generator.Forward(Buffers.Noise);
            Matrix realLogits = Discriminator.Forward(Buffers.Real);
            double realLoss = Objective.DiscriminatorRealTerm(realLogits.Span[..batch], Options.RealLabel, Buffers.GradientReal.Span, out realScore);
            Discriminator.BackwardParameters(Buffers.GradientReal);
            Matrix fakeLogitsForD = Discriminator.Forward(fakeForD);
            Objective.FakeTerms(fakeLogitsForD.Span[..batch], Buffers.GradientFake.Span, [], out double fakeLoss, out fakeScore, out _);
            discriminatorLoss = realLoss + fakeLoss;
            CheckLoss(step, "discriminator loss", discriminatorLoss);
            Discriminator.BackwardParameters(Buffers.GradientFake);
            DiscriminatorOptimizer.Step();
            CheckParameters(step, "discriminator", Discriminator);
        }

        Noise.Fill(Buffers.Noise, Random);
        Generator.ZeroGradients();
        Matrix fake = Generator.Forward(Buffers.Noise);
        Matrix fakeLogits = Discriminator.Forward(fake);
        Objective.FakeTerms(fakeLogits.Span[..batch], [], Buffers.GradientGenerator.Span, out _, out _, out double generatorLoss);
        CheckLoss(step, "generator loss", generatorLoss);
        Matrix gradientFakeInput = Discriminator.Backward(Buffers.GradientGenerator, ParameterGradients.Skip);
        Generator.BackwardParameters(gradientFakeInput);
        GeneratorOptimizer.Step();
        CheckParameters(step, "generator", Generator);
        return new GanStepMetrics(step, (float)discriminatorLoss, (float)generatorLoss, (float)realScore, (float)fakeScore);
    }

    private StepBuffers Buffers => _buffers ??= new StepBuffers(Options.BatchSize, Noise.Dimension, RealData.Dimension);

    /// <summary>The per-step batch buffers, reused by every step.</summary>
    private sealed class StepBuffers(int batch, int noiseDimension, int dataDimension)
    {
        public Matrix Noise { get; } = new(batch, noiseDimension);

        public Matrix Real { get; } = new(batch, dataDimension);

        public Matrix GradientReal { get; } = new(batch, 1);

        public Matrix GradientFake { get; } = new(batch, 1);

        public Matrix GradientGenerator { get; } = new(batch, 1);
    }
}
