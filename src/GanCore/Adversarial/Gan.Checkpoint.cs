using GanCore.Checkpoints;
using GanCore.Models;
using GanCore.Optimizers;
using GanCore.Randomness;

namespace GanCore.Adversarial;

/// <summary>Saving and restoring the whole training state of a GAN.</summary>
public sealed partial class Gan
{
    private const string StateSection = "gan/state";

    // Written only by a conditional GAN (so an unconditional checkpoint is byte for byte what 0.1.0 wrote): the condition width.
    private const string ConditionsSection = "gan/conditions";

    /// <summary>
    /// Saves the whole training state — both networks, both optimizers, the random generator, the options (the R1 and
    /// the gradient-penalty settings in sections of their own, only when they are not the defaults), the step count, when conditional the
    /// condition width, and when on the generator's moving average and the packing degree — atomically, in the sectioned checkpoint format. <see cref="LoadCheckpoint(string, INoiseSource, IRealDataSampler)"/> resumes it bit for bit.
    /// </summary>
    /// <param name="path">The file to create or replace; its folder must exist.</param>
    /// <exception cref="IOException">The file cannot be written.</exception>
    public void SaveCheckpoint(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var state = new PayloadWriter();
        state.Write((byte)Options.Objective);
        state.Write((byte)Options.Schedule);
        state.Write(Options.DiscriminatorSteps);
        state.Write(Options.BatchSize);
        state.Write(Options.RealLabel);
        state.Write(StepCount);
        var sections = new List<(string, byte[])>
        {
            ("generator/architecture", ModelCodec.WriteArchitecture(Generator)),
            ("generator/parameters", ModelCodec.WriteParameters(Generator)),
            ("generator/optimizer", ModelCodec.WriteOptimizer(GeneratorOptimizer)),
            ("discriminator/architecture", ModelCodec.WriteArchitecture(Discriminator)),
            ("discriminator/parameters", ModelCodec.WriteParameters(Discriminator)),
            ("discriminator/optimizer", ModelCodec.WriteOptimizer(DiscriminatorOptimizer)),
            (ModelCheckpoint.RandomSection, ModelCodec.WriteRandom(Random.GetState())),
            (StateSection, state.ToArray()),
        };
        // Format version 2: BatchNorm running statistics and Dropout generator states, only for networks that have them.
        if (ModelCodec.WriteState(Generator) is { } generatorState)
        {
            sections.Add(("generator/state", generatorState));
        }

        if (ModelCodec.WriteState(Discriminator) is { } discriminatorState)
        {
            sections.Add(("discriminator/state", discriminatorState));
        }

        if (IsConditional)
        {
            var conditions = new PayloadWriter();
            conditions.Write(ConditionDimension);
            sections.Add((ConditionsSection, conditions.ToArray()));
        }

        if (WriteR1Settings() is { } r1)
        {
            sections.Add((R1Section, r1));
        }

        if (WriteGradientPenaltySettings() is { } gradientPenalty)
        {
            sections.Add((GradientPenaltySection, gradientPenalty));
        }

        AddAverageSections(sections);
        AddPackingSection(sections);

        byte[] bytes = CheckpointFile.Build(sections);
        CheckpointFile.WriteAtomic(path, stream => stream.Write(bytes));
    }

    /// <summary>Saves G alone as a plain model checkpoint (readable by <see cref="ModelCheckpoint.Load"/>): the trained weights, not
    /// their moving average (save <see cref="AveragedGenerator"/> with <see cref="ModelCheckpoint.Save"/> for that).</summary>
    /// <param name="path">The file to create or replace.</param>
    /// <exception cref="IOException">The file cannot be written.</exception>
    public void SaveGenerator(string path) => ModelCheckpoint.Save(path, Generator);

    /// <summary>Saves D alone as a plain model checkpoint.</summary>
    /// <param name="path">The file to create or replace.</param>
    /// <exception cref="IOException">The file cannot be written.</exception>
    public void SaveDiscriminator(string path) => ModelCheckpoint.Save(path, Discriminator);

    /// <summary>Restores a GAN saved by <see cref="SaveCheckpoint"/>, ready to continue training exactly where it stopped.</summary>
    /// <param name="path">The checkpoint file.</param>
    /// <param name="noise">The latent prior (not stored in the file; pass the one used before).</param>
    /// <param name="realData">The real-data sampler (not stored in the file).</param>
    /// <returns>The restored GAN.</returns>
    /// <exception cref="CheckpointException">The file is truncated, corrupted, of another version, or not a GAN checkpoint.</exception>
    /// <exception cref="ArgumentException">The noise or data dimensions do not fit the stored networks, or the file holds a conditional GAN and <paramref name="realData"/> is not an <see cref="IConditionalRealDataSampler"/> of the stored condition width (or the reverse).</exception>
    /// <exception cref="IOException">The file cannot be read.</exception>
    public static Gan LoadCheckpoint(string path, INoiseSource noise, IRealDataSampler realData)
    {
        ArgumentNullException.ThrowIfNull(noise);
        ArgumentNullException.ThrowIfNull(realData);
        return Deserialize(CheckpointFile.ReadFile(path), path, noise, realData, null);
    }

    /// <summary>Restores a conditional GAN saved by <see cref="SaveCheckpoint"/>, ready to continue training exactly where it stopped.</summary>
    /// <param name="path">The checkpoint file.</param>
    /// <param name="noise">The latent prior (not stored in the file; pass the one used before).</param>
    /// <param name="realData">The sampler of (x, c) pairs (not stored in the file); its condition width must be the stored one.</param>
    /// <param name="fakeConditions">The fake batch's condition source used before, or null when the fake batch reused the real batch's conditions (not stored in the file).</param>
    /// <returns>The restored GAN.</returns>
    /// <exception cref="CheckpointException">The file is truncated, corrupted, of another version, or not a GAN checkpoint.</exception>
    /// <exception cref="ArgumentException">The noise, data or condition widths do not fit the stored networks, or the file holds an unconditional GAN.</exception>
    /// <exception cref="IOException">The file cannot be read.</exception>
    public static Gan LoadCheckpoint(string path, INoiseSource noise, IConditionalRealDataSampler realData, IConditionSource? fakeConditions)
    {
        ArgumentNullException.ThrowIfNull(noise);
        ArgumentNullException.ThrowIfNull(realData);
        return Deserialize(CheckpointFile.ReadFile(path), path, noise, realData, fakeConditions);
    }

    /// <summary>Restores a GAN from the bytes of a checkpoint file; <paramref name="path"/> names the source in errors.</summary>
    internal static Gan Deserialize(byte[] file, string path, INoiseSource noise, IRealDataSampler realData, IConditionSource? fakeConditions = null)
    {
        Dictionary<string, CheckpointFile.Section> sections = CheckpointFile.Parse(file, path);
        Sequential generator = ModelCodec.ReadModel(ModelCodec.Require(sections, "generator/architecture", path), ModelCodec.Require(sections, "generator/parameters", path), sections.GetValueOrDefault("generator/state"));
        Sequential discriminator = ModelCodec.ReadModel(ModelCodec.Require(sections, "discriminator/architecture", path), ModelCodec.Require(sections, "discriminator/parameters", path), sections.GetValueOrDefault("discriminator/state"));
        Optimizer generatorOptimizer = ModelCodec.ReadOptimizer(ModelCodec.Require(sections, "generator/optimizer", path), generator);
        Optimizer discriminatorOptimizer = ModelCodec.ReadOptimizer(ModelCodec.Require(sections, "discriminator/optimizer", path), discriminator);
        var random = new RandomSource(ModelCodec.ReadRandom(ModelCodec.Require(sections, ModelCheckpoint.RandomSection, path)));
        PayloadReader r = ModelCodec.Require(sections, StateSection, path).Reader();
        long at = r.Offset;
        (float averageDecay, long averageStart) = ReadAverageSettings(sections);
        var options = new GanOptions
        {
            Objective = (GanObjective)r.ReadByte(),
            Schedule = (GanSchedule)r.ReadByte(),
            DiscriminatorSteps = r.ReadInt32(1, 1_000_000, "the discriminator steps"),
            BatchSize = r.ReadInt32(1, 1 << 20, "the batch size"),
            RealLabel = r.ReadSingle(),
            GeneratorEmaDecay = averageDecay,
            GeneratorEmaStart = averageStart,
            PackingDegree = ReadPackingDegree(sections),
        };
        long steps = r.ReadInt64();
        r.ExpectEnd();
        try
        {
            options.Validate();
            ArgumentOutOfRangeException.ThrowIfNegative(steps);
        }
        catch (ArgumentOutOfRangeException e)
        {
            throw new CheckpointException(path, at, StateSection, $"the stored GAN settings are invalid: {e.Message}");
        }

        int conditions = 0;
        if (sections.TryGetValue(ConditionsSection, out CheckpointFile.Section? conditionSection))
        {
            PayloadReader c = conditionSection.Reader();
            conditions = c.ReadInt32(1, ModelCodec.MaxWidth, "the condition width");
            c.ExpectEnd();
        }

        // The two networks must fit each other whatever noise and data the caller brings: a file where they do not is
        // damaged (e.g. swapped sections), not a caller error.
        int packing = options.PackingDegree;
        if ((long)packing * (generator.OutputSize + conditions) != discriminator.InputSize || discriminator.OutputSize != 1 || generator.InputSize <= conditions)
        {
            string fit = conditions == 0 ? $"take width {generator.OutputSize}" : $"take width {generator.OutputSize} + condition {conditions} (with a generator wider than the condition {conditions})";
            fit = packing == 1 ? fit : $"{fit}, packed {packing} at a time,";
            throw new CheckpointException(path, -1, null, $"the stored networks do not fit together: the generator [{generator.Describe()}] feeds a discriminator [{discriminator.Describe()}], which must {fit} and output width 1");
        }

        options = ReadR1Settings(sections, path, options, discriminator, conditions);
        options = ReadGradientPenaltySettings(sections, path, options, discriminator, conditions);
        int given = (realData as IConditionalRealDataSampler)?.ConditionDimension ?? 0;
        if (given != conditions)
        {
            string stored = conditions == 0 ? "an unconditional GAN" : $"a conditional GAN with condition width {conditions}";
            string brought = given == 0 ? "an unconditional sampler" : $"a conditional sampler with condition width {given}";
            throw new ArgumentException($"'{path}' holds {stored} but {brought} was given.", nameof(realData));
        }

        var gan = new Gan(generator, discriminator, generatorOptimizer, discriminatorOptimizer, noise, realData, fakeConditions, random, options) { StepCount = steps };
        gan.RestoreAverage(sections, path);
        return gan;
    }
}
