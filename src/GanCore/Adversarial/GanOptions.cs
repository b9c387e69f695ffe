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
    }
}
