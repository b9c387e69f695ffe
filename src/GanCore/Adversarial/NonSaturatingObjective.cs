namespace GanCore.Adversarial;

/// <summary>
/// D as in <see cref="MinimaxObjective"/>; G minimizes −mean log σ(l_fake) = mean BCE(l_fake, 1), with
/// dLoss_G/dl = (σ(l) − 1)/n, which stays large exactly when D rejects G's samples.
/// </summary>
public sealed class NonSaturatingObjective : AdversarialObjective
{
    internal NonSaturatingObjective()
    {
    }

    /// <inheritdoc/>
    public override GanObjective Kind => GanObjective.NonSaturating;

    private protected override double RealTerm(ReadOnlySpan<float> logits, float target, Span<float> gradient, out double meanScore) =>
        CrossEntropyTerms.Real(logits, target, gradient, out meanScore);

    private protected override void FakeTermsCore(ReadOnlySpan<float> logits, Span<float> discriminatorGradient, Span<float> generatorGradient, out double discriminatorLoss, out double meanScore, out double generatorLoss) =>
        CrossEntropyTerms.Fake(logits, discriminatorGradient, generatorGradient, nonSaturating: true, out discriminatorLoss, out meanScore, out generatorLoss);
}
