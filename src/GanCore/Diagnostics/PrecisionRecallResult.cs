namespace GanCore.Diagnostics;

/// <summary>The outcome of <see cref="PrecisionRecall.Compute"/>: two shares in [0, 1].</summary>
/// <param name="Precision">The share of generated samples that fall inside the estimated manifold of the real samples (quality).</param>
/// <param name="Recall">The share of real samples that fall inside the estimated manifold of the generated samples (coverage).</param>
public readonly record struct PrecisionRecallResult(double Precision, double Recall);
