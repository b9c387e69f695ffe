using GanCore.Randomness;

namespace GanCore.Adversarial;

/// <summary>The state of a <see cref="MatrixSampler"/> without replacement (see <see cref="MatrixSampler.GetState"/>).</summary>
/// <param name="Epoch">The epochs started so far (0: none yet).</param>
/// <param name="Position">The examples of the current epoch already handed out.</param>
/// <param name="EpochShuffle">The key that fixes the current epoch's order.</param>
public readonly record struct MatrixSamplerState(long Epoch, int Position, RandomSourceState EpochShuffle);
