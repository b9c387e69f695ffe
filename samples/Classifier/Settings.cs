using GanCore.Data;

namespace Classifier;

/// <summary>Everything one run needs; the command line fills it, <see cref="Cli"/> validates it.</summary>
internal sealed record ClassifierSettings
{
    /// <summary>A CSV file to classify instead of the spiral; null for the spiral.</summary>
    public string? Csv { get; init; }

    /// <summary>The label column of the CSV: a 0-based index, −1 for the last column, or a header name.</summary>
    public string LabelColumn { get; init; } = "-1";

    public char Delimiter { get; init; } = ',';

    public CsvHeader Header { get; init; } = CsvHeader.Auto;

    /// <summary>Spiral: points per class.</summary>
    public int Points { get; init; } = 300;

    /// <summary>Spiral: number of classes (arms).</summary>
    public int Classes { get; init; } = 3;

    /// <summary>Spiral: standard deviation of the angle noise, in radians.</summary>
    public float Noise { get; init; } = 0.2f;

    public int Epochs { get; init; } = 300;

    public int Batch { get; init; } = 32;

    public float LearningRate { get; init; } = 0.01f;

    /// <summary>
    /// The optimizer: "adam" (the default), "adamw" (Adam with decoupled weight decay), "sgd" or "rmsprop", each with
    /// the library's defaults for what the options below do not set.
    /// </summary>
    public string Optimizer { get; init; } = "adam";

    /// <summary>SGD's or RMSprop's momentum μ in [0, 1); null when not given (0, none). Adam and AdamW have β1 instead.</summary>
    public float? Momentum { get; init; }

    /// <summary>True for the optimizers that take a momentum (SGD and RMSprop).</summary>
    public bool HasMomentum => Optimizer is "sgd" or "rmsprop";

    /// <summary>SGD with Nesterov momentum (needs <see cref="Momentum"/> &gt; 0).</summary>
    public bool Nesterov { get; init; }

    /// <summary>
    /// Weight decay λ ≥ 0, null when not given: decoupled for AdamW (θ ← θ·(1 − lr·λ), default 0.01 as in PyTorch),
    /// an L2 term λ·θ added to the gradient for the others (default 0).
    /// </summary>
    public float? WeightDecay { get; init; }

    /// <summary>The weight decay the run uses: <see cref="WeightDecay"/>, or the optimizer's default.</summary>
    public float WeightDecayUsed => WeightDecay ?? (Optimizer == "adamw" ? 0.01f : 0f);

    /// <summary>Learning rate at the last epoch as a fraction of the start (cosine decay; 1 = constant).</summary>
    public float LearningRateFinalFraction { get; init; } = 0.05f;

    public int Hidden { get; init; } = 64;

    /// <summary>Hidden layers (each Dense → [BatchNorm] → ReLU → [Dropout]).</summary>
    public int Layers { get; init; } = 2;

    /// <summary>Dropout rate after each hidden activation; 0 for none.</summary>
    public float Dropout { get; init; }

    public bool BatchNorm { get; init; }

    /// <summary>The share of examples held out for validation (stratified); 0 for none.</summary>
    public double Validation { get; init; } = 0.2;

    /// <summary>Early stopping patience in epochs (0: off). Needs a validation split.</summary>
    public int Patience { get; init; }

    /// <summary>Gradient clipping by global norm (<see cref="GanCore.Optimizers.Optimizer.GradientClipNorm"/>); null for none.</summary>
    public float? ClipNorm { get; init; }

    public ulong Seed { get; init; } = 1;

    public string OutputDirectory { get; init; } = "out";

    public bool NoPlots { get; init; }

    public bool ExportOnnx { get; init; }

    public bool Quiet { get; init; }
}
