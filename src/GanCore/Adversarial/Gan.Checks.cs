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
    private static void CheckParts(Sequential generator, Sequential discriminator, Optimizer generatorOptimizer, Optimizer discriminatorOptimizer, INoiseSource noise, IRealDataSampler realData, IConditionSource? fakeConditions, RandomSource random, GanOptions options)
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

        int conditions = 0;
        if (realData is IConditionalRealDataSampler conditional)
        {
            conditions = conditional.ConditionDimension;
            if (conditions < 1)
            {
                throw new ArgumentException($"The conditional sampler has condition width {conditions}; a condition vector needs width ≥ 1.", nameof(realData));
            }
        }
        else if (fakeConditions is not null)
        {
            throw new ArgumentException("A condition source was given but the real-data sampler is not an IConditionalRealDataSampler: an unconditional GAN takes no conditions.", nameof(fakeConditions));
        }

        if (fakeConditions is not null && fakeConditions.Dimension != conditions)
        {
            throw new ArgumentException($"The condition source has width {fakeConditions.Dimension} but the real-data sampler's conditions have width {conditions}.", nameof(fakeConditions));
        }

        if (conditions == 0 && noise.Dimension != generator.InputSize)
        {
            throw new ArgumentException($"The noise has dimension {noise.Dimension} but the generator [{generator.Describe()}] takes input width {generator.InputSize}.", nameof(noise));
        }

        if (conditions > 0 && noise.Dimension + conditions != generator.InputSize)
        {
            throw new ArgumentException($"The conditional generator [{generator.Describe()}] takes input width {generator.InputSize} but [z, c] has width noise {noise.Dimension} + condition {conditions} = {noise.Dimension + conditions}.", nameof(generator));
        }

        int packing = options.PackingDegree;
        if (packing > 1 && (long)packing * (generator.OutputSize + conditions) != discriminator.InputSize)
        {
            string member = conditions == 0 ? $"sample {generator.OutputSize}" : $"sample {generator.OutputSize} + condition {conditions}";
            throw new ArgumentException($"The discriminator [{discriminator.Describe()}] takes width {discriminator.InputSize} but with PackingDegree {packing} a packed row of {packing} examples has width {packing} × ({member}) = {(long)packing * (generator.OutputSize + conditions)}.", nameof(discriminator));
        }

        if (packing == 1 && conditions == 0 && generator.OutputSize != discriminator.InputSize)
        {
            throw new ArgumentException($"The generator produces width {generator.OutputSize} but the discriminator [{discriminator.Describe()}] takes width {discriminator.InputSize}.", nameof(discriminator));
        }

        if (packing == 1 && conditions > 0 && generator.OutputSize + conditions != discriminator.InputSize)
        {
            throw new ArgumentException($"The conditional discriminator [{discriminator.Describe()}] takes width {discriminator.InputSize} but [x, c] has width sample {generator.OutputSize} + condition {conditions} = {generator.OutputSize + conditions}.", nameof(discriminator));
        }

        if (discriminator.OutputSize != 1)
        {
            throw new ArgumentException($"The discriminator must output one logit per example; [{discriminator.Describe()}] outputs width {discriminator.OutputSize}.", nameof(discriminator));
        }

        if (realData.Dimension != generator.OutputSize)
        {
            throw new ArgumentException($"The real data has dimension {realData.Dimension} but the generator produces width {generator.OutputSize} and the discriminator takes width {discriminator.InputSize}{(conditions > 0 ? $" (sample + condition {conditions})" : string.Empty)}.", nameof(realData));
        }

        if (!generatorOptimizer.Parameters.SequenceEqual(generator.Parameters))
        {
            throw new ArgumentException("The generator optimizer does not update exactly the generator's parameters.", nameof(generatorOptimizer));
        }

        if (!discriminatorOptimizer.Parameters.SequenceEqual(discriminator.Parameters))
        {
            throw new ArgumentException("The discriminator optimizer does not update exactly the discriminator's parameters.", nameof(discriminatorOptimizer));
        }

        CheckPenaltiesSupported(options, discriminator, "discriminator", conditions);
    }

    /// <summary>
    /// For each penalty on D's input gradient that <paramref name="options"/> turn on, checks that its derivation covers
    /// D (called <paramref name="discriminatorName"/> in messages) and the packing of a GAN with
    /// <paramref name="conditions"/> condition columns. Used by the constructor and by the checkpoint reader.
    /// </summary>
    private static void CheckPenaltiesSupported(GanOptions options, Sequential discriminator, string discriminatorName, int conditions)
    {
        CheckPenaltySupported(options.R1Gamma, "R1Gamma", GradientPenalty.R1Feature, "the R1 penalty", discriminator, discriminatorName, conditions, options.PackingDegree, nameof(options));
        CheckPenaltySupported(options.GradientPenaltyWeight, "GradientPenaltyWeight", GradientPenalty.InterpolatedFeature, "the gradient penalty", discriminator, discriminatorName, conditions, options.PackingDegree, nameof(options));
    }

    /// <summary>When a penalty on D's input gradient is on (<paramref name="weight"/> &gt; 0), checks that its derivation covers D and the packing.</summary>
    private static void CheckPenaltySupported(float weight, string option, string feature, string penalty, Sequential discriminator, string discriminatorName, int conditions, int packing, string optionsName)
    {
        if (weight == 0f)
        {
            return;
        }

        GradientPenalty.CheckSupported(discriminator, discriminatorName, nameof(discriminator), feature);
        if (conditions > 0 && packing > 1)
        {
            // A packed conditional row interleaves [x₁, c₁, …, xₘ, cₘ]; the penalty's example columns are not one block.
            throw new ArgumentException($"{option} > 0 with PackingDegree {packing} is not supported for a conditional GAN: D's packed rows interleave examples and conditions, and {penalty} covers one block of example columns.", optionsName);
        }
    }

    private static void CheckLoss(long step, string quantity, double value)
    {
        if (!double.IsFinite(value))
        {
            throw new GanDivergenceException(step, quantity, value);
        }
    }

    private void CheckParameters(long step, string network, Sequential model, Optimizer optimizer)
    {
        if (optimizer.ValuesVerifiedFinite && !_parametersShared)
        {
            // The optimizer updates exactly this model's parameters (checked at construction) and saw every value it
            // wrote finite, and no other optimizer writes them (G and D share no parameter): reading them all again
            // would find nothing.
            return;
        }

        if (model.FirstNonFiniteParameter() is { } bad)
        {
            throw new GanDivergenceException(step, $"{network} parameter {bad.Where}", bad.Value);
        }
    }
}
