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

/// <summary>
/// Linear decay from factor 1 at step 0 to <see cref="FinalFraction"/> at step <see cref="Steps"/>, held there after:
/// <c>factor(t) = 1 − (1 − f)·min(t, T)/T</c>.
/// </summary>
public sealed class LinearDecaySchedule : LearningRateSchedule
{
    /// <summary>Creates the schedule.</summary>
    /// <param name="steps">T ≥ 1: the step at which the factor reaches <paramref name="finalFraction"/>.</param>
    /// <param name="finalFraction">f in (0, 1].</param>
    /// <exception cref="ArgumentOutOfRangeException">A setting is out of range.</exception>
    public LinearDecaySchedule(long steps, float finalFraction)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(steps, 1);
        CheckFraction(finalFraction, nameof(finalFraction));
        Steps = steps;
        FinalFraction = finalFraction;
    }

    /// <summary>T, the length of the decay.</summary>
    public long Steps { get; }

    /// <summary>f, the factor reached at step T.</summary>
    public float FinalFraction { get; }

    /// <inheritdoc/>
    public override string Name => $"LinearDecay(steps={Steps}, final={FinalFraction})";

    private protected override float FactorCore(long step)
    {
        float progress = (float)Math.Min(step, Steps) / Steps;
        return 1f - ((1f - FinalFraction) * progress);
    }
}

/// <summary>
/// Cosine decay (Loshchilov and Hutter's SGDR without restarts) from 1 at step 0 to <see cref="FinalFraction"/> at step
/// <see cref="Steps"/>, held there after: <c>factor(t) = f + (1 − f)·(1 + cos(π·min(t, T)/T))/2</c>.
/// </summary>
public sealed class CosineDecaySchedule : LearningRateSchedule
{
    /// <summary>Creates the schedule.</summary>
    /// <param name="steps">T ≥ 1: the step at which the factor reaches <paramref name="finalFraction"/>.</param>
    /// <param name="finalFraction">f in (0, 1].</param>
    /// <exception cref="ArgumentOutOfRangeException">A setting is out of range.</exception>
    public CosineDecaySchedule(long steps, float finalFraction)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(steps, 1);
        CheckFraction(finalFraction, nameof(finalFraction));
        Steps = steps;
        FinalFraction = finalFraction;
    }

    /// <summary>T, the length of the decay.</summary>
    public long Steps { get; }

    /// <summary>f, the factor reached at step T.</summary>
    public float FinalFraction { get; }

    /// <inheritdoc/>
    public override string Name => $"CosineDecay(steps={Steps}, final={FinalFraction})";

    private protected override float FactorCore(long step)
    {
        double progress = (double)Math.Min(step, Steps) / Steps;
        return (float)(FinalFraction + ((1.0 - FinalFraction) * 0.5 * (1.0 + Math.Cos(Math.PI * progress))));
    }
}

/// <summary>
/// Linear warm-up: the factor rises as <c>(t + 1)/W</c> over the first <see cref="WarmupSteps"/> steps, then follows
/// <see cref="Then"/> from its own step 0: <c>factor(t) = then(t − W)</c> for t ≥ W.
/// </summary>
public sealed class LinearWarmupSchedule : LearningRateSchedule
{
    /// <summary>Creates the schedule.</summary>
    /// <param name="warmupSteps">W ≥ 1.</param>
    /// <param name="then">The schedule after the warm-up; <see cref="LearningRateSchedule.Constant"/> when null.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="warmupSteps"/> is below 1.</exception>
    public LinearWarmupSchedule(long warmupSteps, LearningRateSchedule? then = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(warmupSteps, 1);
        WarmupSteps = warmupSteps;
        Then = then ?? Constant;
    }

    /// <summary>W, the length of the warm-up.</summary>
    public long WarmupSteps { get; }

    /// <summary>The schedule followed after the warm-up, starting at its step 0.</summary>
    public LearningRateSchedule Then { get; }

    /// <inheritdoc/>
    public override string Name => $"LinearWarmup(steps={WarmupSteps}, then={Then.Name})";

    private protected override float FactorCore(long step) =>
        step < WarmupSteps ? (float)(step + 1) / WarmupSteps : Then.Factor(step - WarmupSteps);
}
