namespace GanCore.Adversarial;

/// <summary>What one training step measured (for the discriminator, its last update of the step).</summary>
/// <param name="Step">The step number (1-based).</param>
/// <param name="DiscriminatorLoss">D's loss.</param>
/// <param name="GeneratorLoss">G's loss.</param>
/// <param name="MeanRealScore">mean D(x) over the real batch, which tends to 0.5 (the original tutorial prints it as "D accuracy", but it is not an accuracy). For least squares, Wasserstein and hinge, the mean of D's raw output (logit).</param>
/// <param name="MeanFakeScore">mean D(G(z)) over the fake batch. For least squares, Wasserstein and hinge, the mean of D's raw output (logit).</param>
public readonly record struct GanStepMetrics(long Step, float DiscriminatorLoss, float GeneratorLoss, float MeanRealScore, float MeanFakeScore)
{
    /// <summary>The "D score", −DiscriminatorLoss, which tends to −log 4 ≈ −1.386 at equilibrium under the BCE objectives.</summary>
    public float DiscriminatorScore => -DiscriminatorLoss;

    /// <summary>
    /// The R1 penalty γ/2 · mean ‖∇ₓD(x)‖² on the real batch of the step's last discriminator update that applied it
    /// (unscaled by <see cref="GanOptions.R1Interval"/>); 0 when R1 is off or no update of this step applied it. It is
    /// not part of <see cref="DiscriminatorLoss"/>.
    /// </summary>
    public float R1Penalty { get; init; }

    /// <summary>
    /// The WGAN-GP penalty λ · mean (‖∇ₓD(x̂)‖ − t)² on the interpolates of the step's last discriminator update; 0 when
    /// it is off (<see cref="GanOptions.GradientPenaltyWeight"/> = 0). It is not part of <see cref="DiscriminatorLoss"/>.
    /// </summary>
    public float GradientPenalty { get; init; }
}
