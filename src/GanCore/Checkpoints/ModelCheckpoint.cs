using GanCore.Models;
using GanCore.Optimizers;
using GanCore.Randomness;

namespace GanCore.Checkpoints;

/// <summary>
/// Saves and loads a <see cref="Sequential"/> model — architecture and weights — and optionally its optimizer's
/// state and a generator's state, so that training resumes exactly. The format is versioned and sectioned, with a
/// CRC-32 per section (docs/checkpoint-format.md).
/// </summary>
public sealed class ModelCheckpoint
{
    internal const string ArchitectureSection = "model/architecture";
    internal const string ParametersSection = "model/parameters";
    internal const string OptimizerSection = "model/optimizer";
    internal const string StateSection = "model/state";
    internal const string RandomSection = "random";

    private ModelCheckpoint(Sequential model, Optimizer? optimizer, RandomSourceState? randomState)
    {
        Model = model;
        Optimizer = optimizer;
        RandomState = randomState;
    }

    /// <summary>The model, with its saved weights.</summary>
    public Sequential Model { get; }

    /// <summary>The optimizer over <see cref="Model"/>'s parameters with its saved settings, moments and step count, or null when none was saved.</summary>
    public Optimizer? Optimizer { get; }

    /// <summary>The saved generator state (restore it with <c>new RandomSource(state)</c>), or null when none was saved.</summary>
    public RandomSourceState? RandomState { get; }

    /// <summary>
    /// Writes a checkpoint. The file is written to a temporary name and renamed over <paramref name="path"/>, so a
    /// crash never leaves a half-written checkpoint in place.
    /// </summary>
    /// <param name="path">The file to create or replace; its folder must exist.</param>
    /// <param name="model">The model to save.</param>
    /// <param name="optimizer">An optimizer over exactly this model's parameters, to save its state too; or null.</param>
    /// <param name="random">A generator whose state to save too; or null.</param>
    /// <exception cref="ArgumentNullException"><paramref name="model"/> is null.</exception>
    /// <exception cref="ArgumentException">The path is empty, or the optimizer is not over this model's parameters.</exception>
    /// <exception cref="IOException">The file cannot be written.</exception>
    public static void Save(string path, Sequential model, Optimizer? optimizer = null, RandomSource? random = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        byte[] bytes = Serialize(model, optimizer, random);
        CheckpointFile.WriteAtomic(path, stream => stream.Write(bytes));
    }

    /// <summary>Reads a checkpoint written by <see cref="Save"/>.</summary>
    /// <param name="path">The file.</param>
    /// <returns>The model, and the optimizer and generator state when the file has them.</returns>
    /// <exception cref="CheckpointException">The file is truncated, corrupted, of another version, or not a model checkpoint; the message says what and where.</exception>
    /// <exception cref="IOException">The file cannot be read (e.g. <see cref="FileNotFoundException"/>).</exception>
    public static ModelCheckpoint Load(string path) => Deserialize(CheckpointFile.ReadFile(path), path);

    /// <summary>Reads only the model from a checkpoint (any optimizer or generator state is validated and ignored).</summary>
    /// <param name="path">The file.</param>
    /// <returns>The model.</returns>
    /// <exception cref="CheckpointException">The file is truncated, corrupted, of another version, or not a model checkpoint.</exception>
    /// <exception cref="IOException">The file cannot be read.</exception>
    public static Sequential LoadModel(string path) => Load(path).Model;

    internal static byte[] Serialize(Sequential model, Optimizer? optimizer, RandomSource? random)
    {
        ArgumentNullException.ThrowIfNull(model);
        var sections = new List<(string, byte[])>
        {
            (ArchitectureSection, ModelCodec.WriteArchitecture(model)),
            (ParametersSection, ModelCodec.WriteParameters(model)),
        };
        if (ModelCodec.WriteState(model) is { } state)
        {
            sections.Add((StateSection, state));
        }

        if (optimizer is not null)
        {
            if (!optimizer.Parameters.SequenceEqual(model.Parameters))
            {
                throw new ArgumentException("The optimizer does not update exactly this model's parameters, so its state cannot be saved with it.", nameof(optimizer));
            }

            sections.Add((OptimizerSection, ModelCodec.WriteOptimizer(optimizer)));
        }

        if (random is not null)
        {
            sections.Add((RandomSection, ModelCodec.WriteRandom(random.GetState())));
        }

        return CheckpointFile.Build(sections);
    }

    internal static ModelCheckpoint Deserialize(byte[] file, string source)
    {
        Dictionary<string, CheckpointFile.Section> sections = CheckpointFile.Parse(file, source);
        Sequential model = ModelCodec.ReadModel(
            ModelCodec.Require(sections, ArchitectureSection, source),
            ModelCodec.Require(sections, ParametersSection, source),
            sections.GetValueOrDefault(StateSection));
        Optimizer? optimizer = sections.TryGetValue(OptimizerSection, out CheckpointFile.Section? o) ? ModelCodec.ReadOptimizer(o, model) : null;
        RandomSourceState? random = sections.TryGetValue(RandomSection, out CheckpointFile.Section? r) ? ModelCodec.ReadRandom(r) : null;
        return new ModelCheckpoint(model, optimizer, random);
    }
}
