using GanCore.Adversarial;

namespace QuadraticGan;

/// <summary>The latent prior of the generator.</summary>
internal enum NoiseKind
{
    /// <summary>z ~ N(0, 1) per component (the original experiment's).</summary>
    Gaussian,

    /// <summary>z ~ U(−1, 1) per component.</summary>
    Uniform,
}

/// <summary>The shape of the learning-rate decay from the start rates to <see cref="TrainSettings.LearningRateFinalFraction"/> of them.</summary>
internal enum LearningRateDecay
{
    /// <summary>A straight line (the library's LinearDecaySchedule).</summary>
    Linear,

    /// <summary>Half a cosine (the library's CosineDecaySchedule): slow at the start and at the end.</summary>
    Cosine,
}

/// <summary>Everything one training run needs. Presets fill the defaults; explicit options override them.</summary>
internal sealed record TrainSettings
{
    public string Preset { get; init; } = "original";

    public int Steps { get; init; } = 5000;

    public ulong Seed { get; init; } = 1;

    public int Batch { get; init; } = 64;

    public float LearningRateG { get; init; } = 1e-4f;

    public float LearningRateD { get; init; } = 1e-4f;

    /// <summary>
    /// The optimizer of G and D: "adam" (every preset), "sgd" or "rmsprop" (α 0.99, ε 1e-8), at
    /// <see cref="LearningRateG"/> and <see cref="LearningRateD"/>.
    /// </summary>
    public string Optimizer { get; init; } = "adam";

    /// <summary>True when the optimizer is Adam, whose <see cref="Beta1"/> and <see cref="Beta2"/> apply.</summary>
    public bool UsesAdam => Optimizer == "adam";

    /// <summary>SGD's or RMSprop's momentum μ in [0, 1) for both networks; null when not given (0, none).</summary>
    public float? Momentum { get; init; }

    /// <summary>SGD with Nesterov momentum (needs <see cref="Momentum"/> &gt; 0).</summary>
    public bool Nesterov { get; init; }

    /// <summary>
    /// Gradient clipping by global norm on both optimizers (<see cref="GanCore.Optimizers.Optimizer.GradientClipNorm"/>);
    /// null for none (every preset). Not stored in checkpoints: a resumed run clips as its command line says.
    /// </summary>
    public float? ClipNorm { get; init; }

    /// <summary>Adam's β1 of both networks (the decay of the gradient's moving average).</summary>
    public float Beta1 { get; init; } = 0.9f;

    /// <summary>Adam's β2 of both networks (the decay of the squared gradient's moving average).</summary>
    public float Beta2 { get; init; } = 0.999f;

    /// <summary>Both learning rates fall linearly from their start value to this fraction of it by the last step (1 = constant).</summary>
    public float LearningRateFinalFraction { get; init; } = 1f;

    /// <summary>The shape of the decay when <see cref="LearningRateFinalFraction"/> is below 1.</summary>
    public LearningRateDecay Decay { get; init; } = LearningRateDecay.Linear;

    public GanObjective Objective { get; init; } = GanObjective.Minimax;

    public GanSchedule Schedule { get; init; } = GanSchedule.Simultaneous;

    public int DiscriminatorSteps { get; init; } = 1;

    public float RealLabel { get; init; } = 1f;

    public NoiseKind Noise { get; init; } = NoiseKind.Gaussian;

    public int NoiseDimension { get; init; } = 5;

    public int Hidden { get; init; } = 128;

    public int Samples { get; init; } = 1000;

    public string OutputDirectory { get; init; } = "out";

    public string? Resume { get; init; }

    public int CheckpointEvery { get; init; }

    public int Threads { get; init; } = 1;

    public bool NoPlots { get; init; }

    public bool ExportOnnx { get; init; }

    public bool Quiet { get; init; }

    /// <summary>The conditional experiment (406_conditional_GAN): G receives [z, label], D receives [curve, label]; the label is 1 when a &gt; 1.5.</summary>
    public bool Conditional { get; init; }

    /// <summary>How the conditional experiment feeds the label to G and D: one 0/1 column (the original's) or a one-hot pair.</summary>
    public LabelEncoding LabelEncoding { get; init; } = LabelEncoding.Scalar;

    /// <summary>The default step count of the conditional original experiment (10,000, as in 406_conditional_GAN).</summary>
    public const int ConditionalOriginalSteps = 10000;

    /// <summary>The original experiment: Goodfellow's minimax game, simultaneous updates, Adam 1e-4, batch 64, 5000 steps.</summary>
    public static TrainSettings OriginalPreset { get; } = new();

    /// <summary>GanCore's tuned recipe (docs/quadratic-gan.md explains it and the sweep behind it).</summary>
    public static TrainSettings TunedPreset { get; } = new()
    {
        Preset = "tuned",
        Steps = 20000,
        Objective = GanObjective.NonSaturating,
        Noise = NoiseKind.Uniform,
        LearningRateG = 5e-4f,
        LearningRateD = 5e-4f,
        Beta1 = 0.5f,
        LearningRateFinalFraction = 0.05f,
    };

    /// <summary>
    /// GanCore's tuned recipe for the conditional experiment (<c>--conditional --preset tuned</c>): the unconditional
    /// tuned recipe with the alternating 1:1 schedule and a cosine decay to 5% (docs/quadratic-gan.md gives the sweep).
    /// </summary>
    public static TrainSettings ConditionalTunedPreset { get; } = TunedPreset with
    {
        Schedule = GanSchedule.Alternating,
        Decay = LearningRateDecay.Cosine,
    };

    /// <summary>The preset named <paramref name="name"/>: <c>original</c> (also accepted as <c>seed</c>, its older name) or <c>tuned</c>.</summary>
    public static TrainSettings ForPreset(string name) => name switch
    {
        "original" => OriginalPreset,
        "seed" => OriginalPreset with { Preset = "seed" },
        "tuned" => TunedPreset,
        _ => throw new ArgumentException($"Unknown --preset '{name}'; expected original (alias seed) or tuned."),
    };
}
