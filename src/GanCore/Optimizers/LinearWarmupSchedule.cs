namespace GanCore.Optimizers;

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
