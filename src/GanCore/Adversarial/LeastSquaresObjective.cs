using GanCore.Losses;

namespace GanCore.Adversarial;

/// <summary>
/// Least-squares GAN (Mao et al.) on D's raw output s = l: D minimizes ½·mean((s(x) − t)²) + ½·mean(s(G(z))²) and
/// G minimizes ½·mean((s(G(z)) − 1)²): half of <see cref="MeanSquaredError"/> with targets t, 0 and 1, so
/// dLoss/ds = (s − target)/n. Scores are D's raw outputs.
/// </summary>
public sealed class LeastSquaresObjective : AdversarialObjective
{
    internal LeastSquaresObjective()
    {
    }

    /// <inheritdoc/>
    public override GanObjective Kind => GanObjective.LeastSquares;

    private protected override double RealTerm(ReadOnlySpan<float> logits, float target, Span<float> gradient, out double meanScore)
    {
        int batch = logits.Length;
        float inverse = 1f / batch;
        double loss = 0;
        double score = 0;
        for (int i = 0; i < batch; i++)
        {
            float s = logits[i];
            loss += 0.5 * MeanSquaredError.Value(s, target);
            gradient[i] = 0.5f * MeanSquaredError.Derivative(s, target) * inverse;
            score += s;
        }

        meanScore = score / batch;
        return loss / batch;
    }

    private protected override void FakeTermsCore(ReadOnlySpan<float> logits, Span<float> discriminatorGradient, Span<float> generatorGradient, out double discriminatorLoss, out double meanScore, out double generatorLoss)
    {
        int batch = logits.Length;
        float inverse = 1f / batch;
        bool forD = !discriminatorGradient.IsEmpty;
        bool forG = !generatorGradient.IsEmpty;
        double lossD = 0;
        double score = 0;
        double lossG = 0;
        for (int i = 0; i < batch; i++)
        {
            float s = logits[i];
            if (forD)
            {
                lossD += 0.5 * MeanSquaredError.Value(s, 0f);
                discriminatorGradient[i] = 0.5f * MeanSquaredError.Derivative(s, 0f) * inverse;
                score += s;
            }

            if (forG)
            {
                lossG += 0.5 * MeanSquaredError.Value(s, 1f);
                generatorGradient[i] = 0.5f * MeanSquaredError.Derivative(s, 1f) * inverse;
            }
        }

        discriminatorLoss = lossD / batch;
        meanScore = score / batch;
        generatorLoss = lossG / batch;
    }
}
