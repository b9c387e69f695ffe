namespace GanCore.Adversarial;

/// <summary>The value function the two networks play.</summary>
public enum GanObjective
{
    /// <summary>
    /// Goodfellow's minimax game: D minimizes −mean(log D(x)) − mean(log(1 − D(G(z)))); G minimizes
    /// mean(log(1 − D(G(z)))). Faithful to the original, but G's gradient vanishes while D wins.
    /// </summary>
    Minimax = 0,

    /// <summary>D as in <see cref="Minimax"/>; G minimizes −mean(log D(G(z))), which does not saturate.</summary>
    NonSaturating = 1,

    /// <summary>
    /// Least-squares GAN (Mao et al.): on D's raw output s, D minimizes ½·mean((s(x) − 1)²) + ½·mean(s(G(z))²) and
    /// G minimizes ½·mean((s(G(z)) − 1)²).
    /// </summary>
    LeastSquares = 2,

    /// <summary>
    /// Wasserstein GAN (Arjovsky et al. 2017): D is a critic with raw score l; D minimizes mean(l(G(z))) − mean(l(x))
    /// and G minimizes −mean(l(G(z))). Pair it with weight clipping on D's optimizer
    /// (<see cref="Optimizers.Optimizer.WeightClip"/>) and <see cref="GanSchedule.Alternating"/> with k = 5.
    /// <see cref="GanOptions.RealLabel"/> must stay 1.
    /// </summary>
    Wasserstein = 3,

    /// <summary>
    /// Hinge GAN (Lim and Ye 2017; Miyato et al. 2018): D minimizes mean(max(0, 1 − l(x))) + mean(max(0, 1 + l(G(z))))
    /// and G minimizes −mean(l(G(z))). <see cref="GanOptions.RealLabel"/> must stay 1.
    /// </summary>
    Hinge = 4,
}
