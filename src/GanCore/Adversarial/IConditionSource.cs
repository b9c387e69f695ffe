using GanCore.Randomness;
using GanCore.Tensors;

namespace GanCore.Adversarial;

/// <summary>
/// Draws the conditions a conditional GAN's fake batch is generated with. Without one, the fake batch reuses the
/// conditions of the real batch drawn in the same step (so both halves of D's batch share their class balance); under
/// the alternating schedule, G's own update reuses those of the last real batch of that step.
/// </summary>
public interface IConditionSource
{
    /// <summary>The width of one condition vector (must equal the sampler's <see cref="IConditionalRealDataSampler.ConditionDimension"/>).</summary>
    int Dimension { get; }

    /// <summary>Fills every row of <paramref name="destination"/> (width <see cref="Dimension"/>) with a fresh condition.</summary>
    /// <param name="destination">The batch to fill.</param>
    /// <param name="random">The generator to draw from; its state is the only state a source may use.</param>
    void Fill(Matrix destination, RandomSource random);
}
