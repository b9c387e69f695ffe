namespace GanCore.Optimizers;

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
