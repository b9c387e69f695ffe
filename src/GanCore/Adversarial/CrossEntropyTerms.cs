using GanCore.Losses;

namespace GanCore.Adversarial;

/// <summary>The batch loops of the two cross-entropy objectives, on <see cref="BinaryCrossEntropyWithLogits"/>.</summary>
/// <remarks>σ and softplus of the whole batch come first (<see cref="LogisticKernel"/>, the same bits as one logit at a
/// time), then the loop sums the losses and scores in order, in double.</remarks>
internal static class CrossEntropyTerms
{
    [ThreadStatic]
    private static float[]? t_sigmoid;

    [ThreadStatic]
    private static float[]? t_softplus;

    /// <summary>σ(l) and softplus(l) of every logit, in this thread's scratch (grown once, then reused).</summary>
    private static (float[] Sigmoid, float[] Softplus) Logistics(ReadOnlySpan<float> logits)
    {
        int n = logits.Length;
        if (t_sigmoid is null || t_sigmoid.Length < n)
        {
            t_sigmoid = new float[n];
            t_softplus = new float[n];
        }

        LogisticKernel.SigmoidAndSoftplus(logits, t_sigmoid, t_softplus!);
        return (t_sigmoid, t_softplus!);
    }

    /// <summary>D on real logits: mean BCE(l, t) = mean(softplus(l) − t·l); dLoss/dl = (σ(l) − t)/n; score mean σ(l).</summary>
    public static double Real(ReadOnlySpan<float> logits, float target, Span<float> gradient, out double meanScore)
    {
        int batch = logits.Length;
        float inverse = 1f / batch;
        double loss = 0;
        double score = 0;
        (float[] sigmoids, float[] softpluses) = Logistics(logits);
        for (int i = 0; i < batch; i++)
        {
            float l = logits[i];
            float sigmoid = sigmoids[i];
            float softplus = softpluses[i];
            loss += BinaryCrossEntropyWithLogits.Value(l, target, softplus);                  // softplus(l) − t·l
            gradient[i] = BinaryCrossEntropyWithLogits.Derivative(target, sigmoid) * inverse; // (σ(l) − t)/n
            score += sigmoid;                                                                 // D(x) = σ(l)
        }

        meanScore = score / batch;
        return loss / batch;
    }

    /// <summary>
    /// D on fake logits: mean BCE(l, 0) = mean softplus(l). G, minimax: −mean BCE(l, 0) = mean log(1 − σ(l));
    /// non-saturating: mean BCE(l, 1) = −mean log σ(l). σ and softplus are computed once per logit for both.
    /// </summary>
    public static void Fake(ReadOnlySpan<float> logits, Span<float> discriminatorGradient, Span<float> generatorGradient, bool nonSaturating, out double discriminatorLoss, out double meanScore, out double generatorLoss)
    {
        int batch = logits.Length;
        float inverse = 1f / batch;
        bool forD = !discriminatorGradient.IsEmpty;
        bool forG = !generatorGradient.IsEmpty;
        double lossD = 0;
        double score = 0;
        double lossG = 0;
        (float[] sigmoids, float[] softpluses) = Logistics(logits);
        for (int i = 0; i < batch; i++)
        {
            float l = logits[i];
            float sigmoid = sigmoids[i];
            float softplus = softpluses[i];
            if (forD)
            {
                lossD += BinaryCrossEntropyWithLogits.Value(l, 0f, softplus);                      // −log(1 − σ(l)) = softplus(l)
                discriminatorGradient[i] = BinaryCrossEntropyWithLogits.Derivative(0f, sigmoid) * inverse; // σ(l)/n
                score += sigmoid;                                                                  // D(G(z)) = σ(l)
            }

            if (forG && !nonSaturating)
            {
                // Minimax: log(1 − σ(l)) = −softplus(l); its gradient −σ(l)/n vanishes as D rejects the sample (σ(l) → 0).
                lossG -= BinaryCrossEntropyWithLogits.Value(l, 0f, softplus);
                generatorGradient[i] = -BinaryCrossEntropyWithLogits.Derivative(0f, sigmoid) * inverse;
            }
            else if (forG)
            {
                // Non-saturating: −log σ(l) = softplus(l) − l; its gradient (σ(l) − 1)/n is largest exactly there.
                lossG += BinaryCrossEntropyWithLogits.Value(l, 1f, softplus);
                generatorGradient[i] = BinaryCrossEntropyWithLogits.Derivative(1f, sigmoid) * inverse;
            }
        }

        discriminatorLoss = lossD / batch;
        meanScore = score / batch;
        generatorLoss = lossG / batch;
    }
}
