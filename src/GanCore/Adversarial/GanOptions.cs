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

/// <summary>How discriminator and generator updates are ordered.</summary>
public enum GanSchedule
{
    /// <summary>Both gradients come from one forward pass and both networks are updated together (the seed TensorFlow program).</summary>
    Simultaneous = 0,

    /// <summary>k discriminator updates, each on fresh batches, then one generator update against the updated D (Goodfellow's Algorithm 1).</summary>
    Alternating = 1,
}

/// <summary>Settings of a <see cref="Gan"/>. Defaults reproduce the seed experiment's game.</summary>
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
    }
}

/// <summary>What one training step measured (for the discriminator, its last update of the step).</summary>
/// <param name="Step">The step number (1-based).</param>
/// <param name="DiscriminatorLoss">D's loss.</param>
/// <param name="GeneratorLoss">G's loss.</param>
/// <param name="MeanRealScore">mean D(x) over the real batch — the "D accuracy" of the seed program, which tends to 0.5. For least squares, D's raw output.</param>
/// <param name="MeanFakeScore">mean D(G(z)) over the fake batch. For least squares, D's raw output.</param>
public readonly record struct GanStepMetrics(long Step, float DiscriminatorLoss, float GeneratorLoss, float MeanRealScore, float MeanFakeScore)
{
    /// <summary>The seed program's "D score", −DiscriminatorLoss, which tends to −log 4 ≈ −1.386 at equilibrium under the BCE objectives.</summary>
    public float DiscriminatorScore => -DiscriminatorLoss;
}

/// <summary>The outcome of <see cref="Gan.Train"/>.</summary>
/// <param name="StepsCompleted">Steps completed by this call.</param>
/// <param name="Cancelled">True when the token stopped training early (after a complete step).</param>
/// <param name="Last">The metrics of the last completed step (default when none ran).</param>
public readonly record struct GanTrainingResult(long StepsCompleted, bool Cancelled, GanStepMetrics Last);

/// <summary>
/// Training produced a NaN or infinite loss or weight. Nothing was clamped; the message names the step and the
/// first non-finite quantity. The networks hold the non-finite values, so restore from a checkpoint.
/// </summary>
public sealed class GanDivergenceException : ArithmeticException
{
    /// <summary>Creates the exception.</summary>
    public GanDivergenceException()
        : this("GAN training diverged.")
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">What diverged.</param>
    public GanDivergenceException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and a cause.</summary>
    /// <param name="message">What diverged.</param>
    /// <param name="innerException">The cause.</param>
    public GanDivergenceException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    internal GanDivergenceException(long step, string quantity, double value)
        : base($"GAN training diverged at step {step}: {quantity} is {value}.")
    {
        Step = step;
        Quantity = quantity;
    }

    /// <summary>The step at which the non-finite value appeared.</summary>
    public long Step { get; }

    /// <summary>The first non-finite quantity found, e.g. "discriminator loss" or "generator parameter Dense(5→128).weights[17]".</summary>
    public string Quantity { get; } = string.Empty;
}
