namespace GanCore.Adversarial;

/// <summary>
/// A GAN objective as functions of D's logits l, averaged over a batch: D's loss on real examples (target t, 1 or a
/// smoothed label), D's loss on fake examples (target 0) and G's loss on fake examples, each with its gradient with
/// respect to the logits. The binary cross-entropy objectives are built on
/// <see cref="Losses.BinaryCrossEntropyWithLogits"/>, least squares on <see cref="Losses.MeanSquaredError"/>.
/// </summary>
/// <remarks>
/// The gradients written are dLoss/dl of the batch mean, so each is already divided by the batch size and can go
/// straight into D's backward pass. The fake terms are computed in one pass: D's and G's terms share D's forward pass
/// on the fake batch and, for the cross-entropy objectives, one σ(l) and one softplus(l) per logit.
/// <see cref="GanOptions.Objective"/> names the objective a <see cref="Gan"/> uses; <see cref="For"/> maps it here.
/// </remarks>
public abstract class AdversarialObjective
{
    private protected AdversarialObjective()
    {
    }

    /// <summary>Goodfellow's minimax game (see <see cref="MinimaxObjective"/>).</summary>
    public static AdversarialObjective Minimax { get; } = new MinimaxObjective();

    /// <summary>The non-saturating generator loss (see <see cref="NonSaturatingObjective"/>).</summary>
    public static AdversarialObjective NonSaturating { get; } = new NonSaturatingObjective();

    /// <summary>The least-squares GAN (see <see cref="LeastSquaresObjective"/>).</summary>
    public static AdversarialObjective LeastSquares { get; } = new LeastSquaresObjective();

    /// <summary>The Wasserstein GAN's critic objective (see <see cref="WassersteinObjective"/>).</summary>
    public static AdversarialObjective Wasserstein { get; } = new WassersteinObjective();

    /// <summary>The hinge objective (see <see cref="HingeObjective"/>).</summary>
    public static AdversarialObjective Hinge { get; } = new HingeObjective();

    /// <summary>The option value that names this objective.</summary>
    public abstract GanObjective Kind { get; }

    /// <summary>The objective that <paramref name="kind"/> names.</summary>
    /// <param name="kind">An objective option.</param>
    /// <returns>The shared instance of that objective.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="kind"/> is not a defined objective.</exception>
    public static AdversarialObjective For(GanObjective kind) => kind switch
    {
        GanObjective.Minimax => Minimax,
        GanObjective.NonSaturating => NonSaturating,
        GanObjective.LeastSquares => LeastSquares,
        GanObjective.Wasserstein => Wasserstein,
        GanObjective.Hinge => Hinge,
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown objective."),
    };

    /// <summary>D's loss on a batch of real logits, averaged; writes dLoss/dl of every logit into <paramref name="gradient"/>.</summary>
    /// <param name="logits">D's logits on the real batch (at least one).</param>
    /// <param name="target">The target of real examples: 1, or less for one-sided label smoothing (which Wasserstein and hinge do not have: for them it must be 1).</param>
    /// <param name="gradient">Receives dLoss/dlᵢ; at least as long as <paramref name="logits"/>.</param>
    /// <param name="meanScore">The mean score: mean σ(l) = mean D(x) for the cross-entropy objectives, mean l for least squares, Wasserstein and hinge.</param>
    /// <returns>The mean loss.</returns>
    /// <exception cref="ArgumentException"><paramref name="logits"/> is empty or <paramref name="gradient"/> is shorter; or, for Wasserstein and hinge, <paramref name="target"/> is not 1.</exception>
    public double DiscriminatorRealTerm(ReadOnlySpan<float> logits, float target, Span<float> gradient, out double meanScore)
    {
        CheckSpans(logits, gradient, nameof(gradient));
        return RealTerm(logits, target, gradient, out meanScore);
    }

    /// <summary>
    /// D's and G's losses on one batch of fake logits, averaged. Writes dLoss/dl into each gradient span that is not
    /// empty; a term whose span is empty is not needed: its gradient is not written (its loss, or for D also the score,
    /// is then 0).
    /// </summary>
    /// <param name="logits">D's logits on the fake batch (at least one).</param>
    /// <param name="discriminatorGradient">Receives dLoss_D/dlᵢ (target 0), or empty.</param>
    /// <param name="generatorGradient">Receives dLoss_G/dlᵢ, or empty.</param>
    /// <param name="discriminatorLoss">D's mean loss on the fake batch.</param>
    /// <param name="meanScore">The mean score on the fake batch: mean D(G(z)), or mean l for least squares, Wasserstein and hinge.</param>
    /// <param name="generatorLoss">G's mean loss.</param>
    /// <exception cref="ArgumentException"><paramref name="logits"/> is empty or a gradient span is neither empty nor long enough.</exception>
    public void FakeTerms(ReadOnlySpan<float> logits, Span<float> discriminatorGradient, Span<float> generatorGradient, out double discriminatorLoss, out double meanScore, out double generatorLoss)
    {
        CheckSpans(logits, discriminatorGradient, nameof(discriminatorGradient), allowEmpty: true);
        CheckSpans(logits, generatorGradient, nameof(generatorGradient), allowEmpty: true);
        FakeTermsCore(logits, discriminatorGradient, generatorGradient, out discriminatorLoss, out meanScore, out generatorLoss);
    }

    /// <inheritdoc/>
    public override string ToString() => Kind.ToString();

    /// <summary>
    /// True when G's gradient from <see cref="FakeTerms"/> is, value by value, exactly the negative of D's (minimax:
    /// −σ(l)/n against σ(l)/n; Wasserstein: −1/n against 1/n). Then G's gradient through D is exactly the negative of
    /// the input gradient of D's own backward pass on the fake batch, since that pass is linear in its output gradient
    /// and rounding to nearest is symmetric: the simultaneous step gets both from one pass.
    /// </summary>
    internal virtual bool GeneratorGradientNegatesDiscriminatorFake => false;

    /// <summary>The real term, spans checked.</summary>
    private protected abstract double RealTerm(ReadOnlySpan<float> logits, float target, Span<float> gradient, out double meanScore);

    /// <summary>The fake terms, spans checked.</summary>
    private protected abstract void FakeTermsCore(ReadOnlySpan<float> logits, Span<float> discriminatorGradient, Span<float> generatorGradient, out double discriminatorLoss, out double meanScore, out double generatorLoss);

    private static void CheckSpans(ReadOnlySpan<float> logits, Span<float> gradient, string name, bool allowEmpty = false)
    {
        if (logits.IsEmpty)
        {
            throw new ArgumentException("The batch of logits is empty.", nameof(logits));
        }

        if (gradient.Length < logits.Length && !(allowEmpty && gradient.IsEmpty))
        {
            throw new ArgumentException($"The gradient holds {gradient.Length} values but there are {logits.Length} logits.", name);
        }
    }
}
