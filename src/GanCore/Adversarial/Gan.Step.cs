using GanCore.Layers;
using GanCore.Tensors;

namespace GanCore.Adversarial;

/// <summary>One training step: the simultaneous and alternating schedules and the objective's terms on D's logits.</summary>
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
        double realLoss = RealTerm(realLogits.Span, Buffers.GradientReal.Span, batch, out double realScore);
        Discriminator.BackwardParameters(Buffers.GradientReal);

        // D on the fake batch: one forward pass serves D's gradient and G's gradient.
        Matrix fakeLogits = Discriminator.Forward(fake);
        FakeTerms(fakeLogits.Span, Buffers.GradientFake.Span, Buffers.GradientGenerator.Span, batch, out double fakeLoss, out double fakeScore, out double generatorLoss);
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
            double realLoss = RealTerm(realLogits.Span, Buffers.GradientReal.Span, batch, out realScore);
            Discriminator.BackwardParameters(Buffers.GradientReal);
            Matrix fakeLogitsForD = Discriminator.Forward(fakeForD);
            FakeTerms(fakeLogitsForD.Span, Buffers.GradientFake.Span, [], batch, out double fakeLoss, out fakeScore, out _);
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
        FakeTerms(fakeLogits.Span, [], Buffers.GradientGenerator.Span, batch, out _, out _, out double generatorLoss);
        CheckLoss(step, "generator loss", generatorLoss);
        Matrix gradientFakeInput = Discriminator.Backward(Buffers.GradientGenerator, ParameterGradients.Skip);
        Generator.BackwardParameters(gradientFakeInput);
        GeneratorOptimizer.Step();
        CheckParameters(step, "generator", Generator);
        return new GanStepMetrics(step, (float)discriminatorLoss, (float)generatorLoss, (float)realScore, (float)fakeScore);
    }

    /// <summary>D's loss on real logits: mean BCE(l, t) = mean(softplus(l) − t·l), or ½·mean((l − t)²) for least squares. Writes dLoss/dl.</summary>
    private double RealTerm(ReadOnlySpan<float> logits, Span<float> gradient, int batch, out double meanScore)
    {
        float t = Options.RealLabel;
        float inverse = 1f / batch;
        double loss = 0;
        double score = 0;
        for (int i = 0; i < batch; i++)
        {
            float l = logits[i];
            if (Options.Objective == GanObjective.LeastSquares)
            {
                float d = l - t;
                loss += 0.5 * d * d;
                gradient[i] = d * inverse;
                score += l;
            }
            else
            {
                (float sigmoid, float softplus) = Logistic(l);
                loss += softplus - (t * l);
                gradient[i] = (sigmoid - t) * inverse;
                score += sigmoid;
            }
        }

        meanScore = score / batch;
        return loss / batch;
    }

    /// <summary>
    /// Both losses on one batch of fake logits, with σ and softplus computed once per logit. D's term (target 0) is
    /// mean softplus(l), or ½·mean(l²) for least squares. G's term is minimax mean(log(1 − σ(l))) = −mean softplus(l),
    /// non-saturating −mean(log σ(l)) = mean softplus(−l), or least squares ½·mean((l − 1)²). Writes dLoss/dl into each
    /// gradient span that is not empty; a term whose span is empty is neither written nor needed.
    /// </summary>
    private void FakeTerms(ReadOnlySpan<float> logits, Span<float> discriminatorGradient, Span<float> generatorGradient, int batch, out double discriminatorLoss, out double meanScore, out double generatorLoss)
    {
        float inverse = 1f / batch;
        bool forD = !discriminatorGradient.IsEmpty;
        bool forG = !generatorGradient.IsEmpty;
        double lossD = 0;
        double score = 0;
        double lossG = 0;
        for (int i = 0; i < batch; i++)
        {
            float l = logits[i];
            if (Options.Objective == GanObjective.LeastSquares)
            {
                if (forD)
                {
                    lossD += 0.5 * l * l;
                    discriminatorGradient[i] = l * inverse;
                    score += l;
                }

                if (forG)
                {
                    float d = l - 1f;
                    lossG += 0.5 * d * d;
                    generatorGradient[i] = d * inverse;
                }

                continue;
            }

            (float sigmoid, float softplus) = Logistic(l);
            if (forD)
            {
                lossD += softplus;
                discriminatorGradient[i] = sigmoid * inverse;
                score += sigmoid;
            }

            if (forG && Options.Objective == GanObjective.Minimax)
            {
                lossG -= softplus;
                generatorGradient[i] = -sigmoid * inverse;
            }
            else if (forG)
            {
                lossG += softplus - l; // softplus(−l) = softplus(l) − l
                generatorGradient[i] = (sigmoid - 1f) * inverse;
            }
        }

        discriminatorLoss = lossD / batch;
        meanScore = score / batch;
        generatorLoss = lossG / batch;
    }

    /// <summary>σ(l) and softplus(l) = log(1 + e^l) from one e^(−|l|), stable for any finite l.</summary>
    private static (float Sigmoid, float Softplus) Logistic(float l)
    {
        float e = MathF.Exp(-MathF.Abs(l));
        float sigmoid = l >= 0f ? 1f / (1f + e) : e / (1f + e);
        float softplus = MathF.Max(l, 0f) + float.LogP1(e);
        return (sigmoid, softplus);
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
