namespace GanCore.Adversarial;

/// <summary>
/// Goodfellow's minimax game on V(G, D) = E[log D(x)] + E[log(1 − D(G(z)))], D(·) = σ(l). D minimizes
/// −V = mean BCE(l_real, 1) + mean BCE(l_fake, 0); G minimizes mean log(1 − σ(l_fake)) = −mean BCE(l_fake, 0), with
/// dLoss_G/dl = −σ(l)/n. Faithful to the original, but G's gradient vanishes while D confidently rejects its samples.
/// </summary>
public sealed class MinimaxObjective : AdversarialObjective
{
    internal MinimaxObjective()
    {
    }

    /// <inheritdoc/>
    public override GanObjective Kind => GanObjective.Minimax;

    internal override bool GeneratorGradientNegatesDiscriminatorFake => true;

    private protected override double RealTerm(ReadOnlySpan<float> logits, float target, Span<float> gradient, out double meanScore) =>
        CrossEntropyTerms.Real(logits, target, gradient, out meanScore);

    private protected override void FakeTermsCore(ReadOnlySpan<float> logits, Span<float> discriminatorGradient, Span<float> generatorGradient, out double discriminatorLoss, out double meanScore, out double generatorLoss) =>
        CrossEntropyTerms.Fake(logits, discriminatorGradient, generatorGradient, nonSaturating: false, out discriminatorLoss, out meanScore, out generatorLoss);
}
