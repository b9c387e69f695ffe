namespace GanCore.Randomness;

/// <summary>The saved state of a <see cref="RandomSource"/>: the four xoshiro256** words and the cached Gaussian.</summary>
/// <param name="S0">State word 0.</param>
/// <param name="S1">State word 1.</param>
/// <param name="S2">State word 2.</param>
/// <param name="S3">State word 3.</param>
/// <param name="HasSpareGaussian">Whether a second Gaussian from the last polar pair is waiting.</param>
/// <param name="SpareGaussian">That waiting Gaussian (0 when there is none).</param>
public readonly record struct RandomSourceState(ulong S0, ulong S1, ulong S2, ulong S3, bool HasSpareGaussian, double SpareGaussian);
