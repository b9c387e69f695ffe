namespace GanCore.Adversarial;

/// <summary>Settings of a <see cref="Gan"/>. Defaults give the original GAN tutorial's game: minimax, simultaneous updates, batch 64.</summary>
public sealed record GanOptions
{
    /// <summary>The value function. Default <see cref="GanObjective.Minimax"/>.</summary>
    public GanObjective Objective { get; init; } = GanObjective.Minimax;

    /// <summary>The update order. Default <see cref="GanSchedule.Simultaneous"/>.</summary>
    public GanSchedule Schedule { get; init; } = GanSchedule.Simultaneous;

    /// <summary>k, the discriminator updates per generator update under <see cref="GanSchedule.Alternating"/> (≥ 1). Default 1.</summary>
    public int DiscriminatorSteps { get; init; } = 1;

    /// <summary>Examples per batch, real and fake alike (≥ 1). Default 64.</summary>
    public int BatchSize { get; init; } = 64;

    /// <summary>
    /// The target for real examples in D's loss: 1 normally; e.g. 0.9 for one-sided label smoothing (Salimans et
    /// al.). Must be in (0.5, 1]. Fake targets stay 0.
    /// </summary>
    public float RealLabel { get; init; } = 1f;

    /// <summary>
    /// γ of the R1 gradient penalty on real data (Mescheder et al. 2018), γ/2 · mean over the real batch of ‖∇ₓD(x)‖²,
    /// added to D's loss on the real batch; finite and ≥ 0. Default 0: off. When it is on, D may hold only Dense layers
    /// and piecewise-linear activations (ReLU, LeakyReLU, Identity), which the hand-derived gradient covers; see
    /// docs/r1-penalty.md. A conditional GAN penalizes the gradient with respect to the example columns only, not the
    /// condition c.
    /// </summary>
    public float R1Gamma { get; init; }

    /// <summary>
    /// N, lazy regularization (StyleGAN2): the R1 penalty is applied on every N-th discriminator update only (the 1st,
    /// the (N+1)-th, …, counting every D update of every step), scaled by N so its average weight stays γ (≥ 1).
    /// Default 1: every update.
    /// </summary>
    public int R1Interval { get; init; } = 1;

    /// <summary>Checks every setting and throws <see cref="ArgumentOutOfRangeException"/> naming the first bad one.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A setting is out of range.</exception>
    public void Validate()
    {
        if (!Enum.IsDefined(Objective))
        {
            throw new ArgumentOutOfRangeException(nameof(Objective), Objective, "Unknown objective.");
        }

        if (!Enum.IsDefined(Schedule))
        {
            throw new ArgumentOutOfRangeException(nameof(Schedule), Schedule, "Unknown schedule.");
        }

        if (DiscriminatorSteps < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(DiscriminatorSteps), DiscriminatorSteps, "DiscriminatorSteps must be at least 1.");
        }

        if (BatchSize < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(BatchSize), BatchSize, "BatchSize must be at least 1.");
        }

        if (!(RealLabel > 0.5f && RealLabel <= 1f))
        {
            throw new ArgumentOutOfRangeException(nameof(RealLabel), RealLabel, "RealLabel must be in (0.5, 1].");
        }

        if (RealLabel != 1f && Objective is GanObjective.Wasserstein or GanObjective.Hinge)
        {
            throw new ArgumentOutOfRangeException(nameof(RealLabel), RealLabel, $"RealLabel must be 1 for the {Objective} objective: it has no label to smooth.");
        }

        if (!(float.IsFinite(R1Gamma) && R1Gamma >= 0f))
        {
            throw new ArgumentOutOfRangeException(nameof(R1Gamma), R1Gamma, "R1Gamma must be finite and ≥ 0 (0 turns the R1 penalty off).");
        }

        if (R1Interval < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(R1Interval), R1Interval, "R1Interval must be at least 1 (1 applies the R1 penalty on every discriminator update).");
        }

        if (!float.IsFinite(R1Gamma * (float)R1Interval))
        {
            throw new ArgumentOutOfRangeException(nameof(R1Interval), R1Interval, $"R1Gamma · R1Interval = {R1Gamma} · {R1Interval} overflows float: the lazy penalty's scale must be finite.");
        }
    }
}
