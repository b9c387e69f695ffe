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
}
