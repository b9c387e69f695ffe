using GanCore.Kernels;
using GanCore.Layers;
using GanCore.Models;
using GanCore.Optimizers;
using GanCore.Randomness;

namespace GanCore.Adversarial;

/// <summary>The checks of a GAN's parts (at construction) and of its numbers (after every update).</summary>
public sealed partial class Gan
{
    /// <summary>Throws when the parts are null or do not fit together: widths, D's single logit, each optimizer over its own network.</summary>
    private static void CheckParts(Sequential generator, Sequential discriminator, Optimizer generatorOptimizer, Optimizer discriminatorOptimizer, INoiseSource noise, IRealDataSampler realData, RandomSource random, GanOptions options)
    {
        ArgumentNullException.ThrowIfNull(generator);
        ArgumentNullException.ThrowIfNull(discriminator);
        ArgumentNullException.ThrowIfNull(generatorOptimizer);
        ArgumentNullException.ThrowIfNull(discriminatorOptimizer);
        ArgumentNullException.ThrowIfNull(noise);
        ArgumentNullException.ThrowIfNull(realData);
        ArgumentNullException.ThrowIfNull(random);
        options.Validate();
        if (ReferenceEquals(generator, discriminator))
        {
            throw new ArgumentException("The generator and the discriminator must be different models.", nameof(discriminator));
        }

        if (noise.Dimension != generator.InputSize)
        {
            throw new ArgumentException($"The noise has dimension {noise.Dimension} but the generator [{generator.Describe()}] takes input width {generator.InputSize}.", nameof(noise));
        }

        if (generator.OutputSize != discriminator.InputSize)
        {
            throw new ArgumentException($"The generator produces width {generator.OutputSize} but the discriminator [{discriminator.Describe()}] takes width {discriminator.InputSize}.", nameof(discriminator));
        }

        if (discriminator.OutputSize != 1)
        {
            throw new ArgumentException($"The discriminator must output one logit per example; [{discriminator.Describe()}] outputs width {discriminator.OutputSize}.", nameof(discriminator));
        }

        if (realData.Dimension != discriminator.InputSize)
        {
            throw new ArgumentException($"The real data has dimension {realData.Dimension} but the discriminator takes width {discriminator.InputSize}.", nameof(realData));
        }

        if (!generatorOptimizer.Parameters.SequenceEqual(generator.Parameters))
        {
            throw new ArgumentException("The generator optimizer does not update exactly the generator's parameters.", nameof(generatorOptimizer));
        }

        if (!discriminatorOptimizer.Parameters.SequenceEqual(discriminator.Parameters))
        {
            throw new ArgumentException("The discriminator optimizer does not update exactly the discriminator's parameters.", nameof(discriminatorOptimizer));
        }
    }

    private static void CheckLoss(long step, string quantity, double value)
    {
        if (!double.IsFinite(value))
        {
            throw new GanDivergenceException(step, quantity, value);
        }
    }

    private static void CheckParameters(long step, string network, Sequential model)
    {
        // Index loops: enumerating IReadOnlyList through its interface would allocate on every step.
        IReadOnlyList<Layer> layers = model.Layers;
        for (int l = 0; l < layers.Count; l++)
        {
            IReadOnlyList<Parameter> parameters = layers[l].Parameters;
            for (int p = 0; p < parameters.Count; p++)
            {
                ReadOnlySpan<float> values = parameters[p].Value.Span;

                // x·x is finite for every finite x below ~1.8e19; the scan below finds the culprit only when needed.
                if (float.IsFinite(Elementwise.Dot(values, values)))
                {
                    continue;
                }

                for (int i = 0; i < values.Length; i++)
                {
                    if (!float.IsFinite(values[i]))
                    {
                        throw new GanDivergenceException(step, $"{network} parameter {layers[l].Name}.{parameters[p].Name}[{i}]", values[i]);
                    }
                }
            }
        }
    }
}
