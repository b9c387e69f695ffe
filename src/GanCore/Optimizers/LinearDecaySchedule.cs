namespace GanCore.Optimizers;

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
