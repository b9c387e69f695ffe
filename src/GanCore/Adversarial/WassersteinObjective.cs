namespace GanCore.Adversarial;

/// <summary>
/// The Wasserstein GAN (Arjovsky, Chintala and Bottou 2017). D is a critic with a raw score l (no sigmoid): it
/// minimizes mean l(G(z)) − mean l(x), so −(D's loss) estimates the Wasserstein-1 distance when the critic is
/// 1-Lipschitz (enforce that with weight clipping, <see cref="Optimizers.Optimizer.WeightClip"/>). G minimizes
/// −mean l(G(z)). Every gradient is ±1/n: real −1/n, fake (D) +1/n, fake (G) −1/n. Scores are mean l.
/// </summary>
/// <remarks>
/// There are no labels, so one-sided label smoothing (<see cref="GanOptions.RealLabel"/>) has no meaning here:
/// the real term throws <see cref="ArgumentException"/> for a target other than 1 instead of silently ignoring it.
/// docs/objectives.md derives the terms.
/// </remarks>
public sealed class WassersteinObjective : AdversarialObjective
{
    internal WassersteinObjective()
    {
    }

    /// <inheritdoc/>
    public override GanObjective Kind => GanObjective.Wasserstein;

    internal override bool GeneratorGradientNegatesDiscriminatorFake => true;

    private protected override double RealTerm(ReadOnlySpan<float> logits, float target, Span<float> gradient, out double meanScore)
    {
        RequireUnitTarget(target, Kind);
        int batch = logits.Length;
        float inverse = 1f / batch;
        double sum = 0;
        for (int i = 0; i < batch; i++)
        {
            sum += logits[i];
            gradient[i] = -inverse; // d(−mean l)/dlᵢ
        }

        meanScore = sum / batch;
        return -meanScore;
    }

    private protected override void FakeTermsCore(ReadOnlySpan<float> logits, Span<float> discriminatorGradient, Span<float> generatorGradient, out double discriminatorLoss, out double meanScore, out double generatorLoss)
    {
        int batch = logits.Length;
        float inverse = 1f / batch;
        bool forD = !discriminatorGradient.IsEmpty;
        bool forG = !generatorGradient.IsEmpty;
        double sum = 0;
        for (int i = 0; i < batch; i++)
        {
            sum += logits[i];
        }

        if (forD)
        {
            discriminatorGradient[..batch].Fill(inverse); // d(mean l)/dlᵢ
        }

        if (forG)
        {
            generatorGradient[..batch].Fill(-inverse); // d(−mean l)/dlᵢ
        }

        double mean = sum / batch;
        discriminatorLoss = forD ? mean : 0;
        meanScore = forD ? mean : 0;
        generatorLoss = forG ? -mean : 0;
    }

    /// <summary>Throws when a real target other than 1 reaches an objective that has no labels.</summary>
    internal static void RequireUnitTarget(float target, GanObjective kind)
    {
        if (target != 1f)
        {
            throw new ArgumentException($"The {kind} objective has no real label to smooth: the target must be 1 (got {target}); set GanOptions.RealLabel to 1.", nameof(target));
        }
    }
}
