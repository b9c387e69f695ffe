using GanCore.Randomness;
using GanCore.Tensors;

namespace GanCore.Adversarial;

/// <summary>Fills a batch with examples of the real data.</summary>
public interface IRealDataSampler
{
    /// <summary>The width of one example (the discriminator's input width).</summary>
    int Dimension { get; }

    /// <summary>Fills every row of <paramref name="destination"/> (width <see cref="Dimension"/>) with fresh real examples.</summary>
    /// <param name="destination">The batch to fill.</param>
    /// <param name="random">The generator to draw from; its state is the only state a sampler may use.</param>
    void Fill(Matrix destination, RandomSource random);
}
