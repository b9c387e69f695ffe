using GanCore.Randomness;
using GanCore.Tensors;

namespace GanCore.Adversarial;

/// <summary>Fills a batch with latent noise z for the generator.</summary>
public interface INoiseSource
{
    /// <summary>The width of one noise vector (the generator's input width).</summary>
    int Dimension { get; }

    /// <summary>Fills every row of <paramref name="destination"/> (width <see cref="Dimension"/>) with fresh noise.</summary>
    /// <param name="destination">The batch to fill.</param>
    /// <param name="random">The generator to draw from; its state is the only state a source may use.</param>
    void Fill(Matrix destination, RandomSource random);
}
