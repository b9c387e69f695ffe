namespace GanCore.Adversarial;

/// <summary>The outcome of <see cref="Gan.Train"/>.</summary>
/// <param name="StepsCompleted">Steps completed by this call.</param>
/// <param name="Cancelled">True when the token stopped training early (after a complete step).</param>
/// <param name="Last">The metrics of the last completed step (default when none ran).</param>
public readonly record struct GanTrainingResult(long StepsCompleted, bool Cancelled, GanStepMetrics Last);
