using GanCore.Kernels;

namespace GanCore.Adversarial;

/// <summary>
/// The hinge GAN (Lim and Ye 2017; Miyato et al. 2018) on D's raw score l: D minimizes
/// mean max(0, 1 − l(x)) + mean max(0, 1 + l(G(z))); G minimizes −mean l(G(z)), as in the Wasserstein GAN.
/// Gradients: real −1/n where l &lt; 1, else 0; fake (D) +1/n where l &gt; −1, else 0; fake (G) −1/n. Scores are mean l.
/// </summary>
/// <remarks>
/// At the kink (l = 1 on a real example, l = −1 on a fake one) the hinge has no derivative; any value in the
/// subdifferential [−1/n, 0] (real) or [0, 1/n] (fake) is valid, and this class takes 0, the flat side: a margin met
/// exactly is met. A NaN logit gives a NaN loss (which <see cref="Gan"/> reports as divergence) and a 0 gradient.
/// One-sided label smoothing (<see cref="GanOptions.RealLabel"/>) has no meaning for a margin loss: the real term
/// throws <see cref="ArgumentException"/> for a target other than 1. docs/objectives.md derives the terms.
/// </remarks>
public sealed class HingeObjective : AdversarialObjective
{
    internal HingeObjective()
    {
    }

    /// <inheritdoc/>
    public override GanObjective Kind => GanObjective.Hinge;

    private protected override double RealTerm(ReadOnlySpan<float> logits, float target, Span<float> gradient, out double meanScore)
    {
        WassersteinObjective.RequireUnitTarget(target, Kind);
        int batch = logits.Length;
        float inverse = 1f / batch;
        double loss = 0;
        double score = 0;
        for (int i = 0; i < batch; i++)
        {
            float l = logits[i];
            loss += ScalarMath.Max(0.0, 1.0 - l);        // NaN propagates (as from Math.Max)
            gradient[i] = l < 1f ? -inverse : 0f;        // the margin is active below 1
            score += l;
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
        double sum = 0;
        for (int i = 0; i < batch; i++)
        {
            float l = logits[i];
            sum += l;
            if (forD)
            {
                lossD += ScalarMath.Max(0.0, 1.0 + l);
                discriminatorGradient[i] = l > -1f ? inverse : 0f; // the margin is active above −1
            }

            if (forG)
            {
                generatorGradient[i] = -inverse;
            }
        }

        double mean = sum / batch;
        discriminatorLoss = lossD / batch;
        meanScore = forD ? mean : 0;
        generatorLoss = forG ? -mean : 0;
    }
}
