using GanCore.Randomness;
using GanCore.Tensors;

namespace GanCore.Adversarial;

/// <summary>
/// Fills a batch with real examples x and, row for row, the condition vector c each was drawn with (a one-hot label or
/// real-valued side information). A <see cref="Gan"/> given such a sampler is conditional: G receives [z, c] and D
/// receives [x, c].
/// </summary>
public interface IConditionalRealDataSampler : IRealDataSampler
{
    /// <summary>The width of one condition vector c (≥ 1).</summary>
    int ConditionDimension { get; }

    /// <summary>
    /// Fills every row of <paramref name="destination"/> (width <see cref="IRealDataSampler.Dimension"/>) with a fresh
    /// real example and the same row of <paramref name="conditions"/> (width <see cref="ConditionDimension"/>) with its
    /// condition.
    /// </summary>
    /// <param name="destination">The batch of examples to fill.</param>
    /// <param name="conditions">The batch of conditions to fill; as many rows as <paramref name="destination"/>.</param>
    /// <param name="random">The generator to draw from; its state is the only state a sampler may use.</param>
    void Fill(Matrix destination, Matrix conditions, RandomSource random);
}
