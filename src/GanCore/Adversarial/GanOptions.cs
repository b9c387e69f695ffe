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
    /// added to D's loss on the real batch; finite and ≥ 0. Default 0: off. When it is on, D may hold only Dense
    /// layers, plain or <see cref="Layers.SpectralNormDense"/>, and piecewise-linear activations (ReLU, LeakyReLU,
    /// Identity), which the hand-derived gradient covers; see docs/r1-penalty.md. A conditional GAN penalizes the
    /// gradient with respect to the example columns only, not the condition c.
    /// </summary>
    public float R1Gamma { get; init; }

    /// <summary>
    /// N, lazy regularization (StyleGAN2): the R1 penalty is applied on every N-th discriminator update only (the 1st,
    /// the (N+1)-th, …, counting every D update of every step), scaled by N so its average weight stays γ (≥ 1).
    /// Default 1: every update.
    /// </summary>
    public int R1Interval { get; init; } = 1;

    /// <summary>
    /// λ of the WGAN-GP gradient penalty (Gulrajani et al. 2017), λ · mean over the batch of (‖∇ₓD(x̂)‖ − t)², on
    /// interpolates x̂ = ε·x + (1 − ε)·G(z) between the real and the fake batch with ε ~ U[0, 1) drawn per row of
    /// D's input (one per packed row of m examples under <see cref="PackingDegree"/>), added to D's loss on every
    /// discriminator update (one more forward pass of D per update and R1's two hand-derived passes, about four
    /// forward passes' work); t is <see cref="GradientPenaltyTarget"/>. Finite and ≥ 0. Default 0: off. The paper's
    /// λ is 10, with <see cref="GanObjective.Wasserstein"/> in place of weight clipping; the penalty works with
    /// every objective. D's layers are restricted as for <see cref="R1Gamma"/>, and a conditional GAN penalizes the
    /// example columns only: x̂ keeps the real row's condition, also when the fake batch drew conditions of its own
    /// (<see cref="Gan.FakeConditions"/>). See docs/wgan-gp.md.
    /// </summary>
    public float GradientPenaltyWeight { get; init; }

    /// <summary>
    /// t, the gradient norm the WGAN-GP penalty pulls ‖∇ₓD(x̂)‖ towards: 1 (the default) is the paper's 1-Lipschitz
    /// critic; 0 gives the zero-centered penalty λ · mean ‖∇ₓD(x̂)‖² (Thanh-Tung et al. 2019). Finite and ≥ 0; no
    /// effect on training while <see cref="GradientPenaltyWeight"/> is 0 (still validated, and saved when not 1).
    /// </summary>
    public float GradientPenaltyTarget { get; init; } = 1f;

    /// <summary>
    /// β, the decay of the generator's exponential moving average (Yazıcı et al. 2019): after every generator update
    /// θ_ema ← β_t·θ_ema + (1 − β_t)·θ, with the bias-corrected β_t = β·(1 − β^(t−1))/(1 − β^t) of the t-th averaged
    /// update, so the average never holds the initial weights. <see cref="Gan.AveragedGenerator"/> holds θ_ema and every
    /// <c>Gan.Generate</c> overload draws from it. Must be in [0, 1); 0 (the default) turns the average off (β = 0 would
    /// make it equal G). Typical: 0.999 (averages about the last 1/(1 − β) = 1000 updates). See docs/ema-and-packing.md.
    /// </summary>
    public float GeneratorEmaDecay { get; init; }

    /// <summary>
    /// The first generator update (1-based <see cref="Gan.StepCount"/>) whose weights enter the average; before it the
    /// average follows G exactly. Default 1: average from the first update. A later start leaves out the early,
    /// chaotic weights when β is close to 1. Must be at least 1; ignored while <see cref="GeneratorEmaDecay"/> is 0.
    /// </summary>
    public long GeneratorEmaStart { get; init; } = 1;

    /// <summary>
    /// m, the packing degree of PacGAN (Lin et al. 2018): D judges m examples at once, concatenated into one row
    /// [x₁, …, xₘ] (conditional: [x₁, c₁, …, xₘ, cₘ]), so its input width is m·(data width + condition width). Real
    /// and fake batches are packed alike, m consecutive examples per row; D's loss and the scores are over
    /// <see cref="BatchSize"/>/m packed rows. Must be at least 1 and divide <see cref="BatchSize"/>; 1 (the default)
    /// is no packing. See docs/ema-and-packing.md.
    /// </summary>
    public int PackingDegree { get; init; } = 1;

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

        if (!(float.IsFinite(GradientPenaltyWeight) && GradientPenaltyWeight >= 0f))
        {
            throw new ArgumentOutOfRangeException(nameof(GradientPenaltyWeight), GradientPenaltyWeight, "GradientPenaltyWeight must be finite and ≥ 0 (0 turns the gradient penalty off).");
        }

        if (!(float.IsFinite(GradientPenaltyTarget) && GradientPenaltyTarget >= 0f))
        {
            throw new ArgumentOutOfRangeException(nameof(GradientPenaltyTarget), GradientPenaltyTarget, "GradientPenaltyTarget must be finite and ≥ 0 (1 for WGAN-GP's 1-Lipschitz critic, 0 for a zero-centered penalty).");
        }

        if (!(GeneratorEmaDecay >= 0f && GeneratorEmaDecay < 1f))
        {
            throw new ArgumentOutOfRangeException(nameof(GeneratorEmaDecay), GeneratorEmaDecay, "GeneratorEmaDecay must be in [0, 1): 0 turns the generator average off; 1 would never move it.");
        }

        if (GeneratorEmaStart < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(GeneratorEmaStart), GeneratorEmaStart, "GeneratorEmaStart must be at least 1 (the first generator update).");
        }

        if (PackingDegree < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(PackingDegree), PackingDegree, "PackingDegree must be at least 1 (1 = no packing).");
        }

        if (BatchSize % PackingDegree != 0)
        {
            throw new ArgumentOutOfRangeException(nameof(PackingDegree), PackingDegree, $"PackingDegree {PackingDegree} must divide BatchSize {BatchSize}: D judges the batch as BatchSize/m packed rows of m examples each.");
        }
    }
}
