namespace GanCore.Optimizers;

/// <summary>
/// A learning-rate schedule: the factor by which an optimizer's <see cref="Optimizer.LearningRate"/> is multiplied at
/// each of its steps. Set it on <see cref="Optimizer.Schedule"/>; every caller of <see cref="Optimizer.Step"/>
/// (<c>Sequential.Fit</c>, <c>Gan.Train</c>, a hand-written loop) then follows it, and a run resumed from a checkpoint
/// continues the schedule where it stopped, because the step count is saved.
/// </summary>
/// <remarks>
/// Schedules are immutable and hold no state: the factor is a function of the optimizer's step index alone
/// (0 for the first step). Steps are the optimizer's own: with an alternating GAN schedule, D's optimizer steps
/// k times per GAN step.
/// </remarks>
public abstract class LearningRateSchedule
{
    private protected LearningRateSchedule()
    {
    }

    /// <summary>The constant schedule: factor 1 at every step. The default of every optimizer.</summary>
    public static LearningRateSchedule Constant { get; } = new ConstantSchedule();

    /// <summary>A short description with the settings, e.g. "LinearDecay(steps=20000, final=0.05)".</summary>
    public abstract string Name { get; }

    /// <summary>The factor for the step with 0-based index <paramref name="step"/>: a finite number &gt; 0.</summary>
    /// <param name="step">The number of steps the optimizer has already taken (≥ 0).</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="step"/> is negative.</exception>
    public float Factor(long step)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(step);
        return FactorCore(step);
    }

    /// <inheritdoc/>
    public override string ToString() => Name;

    /// <summary>The factor for a step index already checked to be ≥ 0.</summary>
    private protected abstract float FactorCore(long step);

    private protected static void CheckFraction(float value, string name)
    {
        if (!(value > 0f && value <= 1f))
        {
            throw new ArgumentOutOfRangeException(name, value, $"{name} must be in (0, 1]: the learning rate must stay > 0.");
        }
    }

    private sealed class ConstantSchedule : LearningRateSchedule
    {
        public override string Name => "Constant";

        private protected override float FactorCore(long step) => 1f;
    }
}
