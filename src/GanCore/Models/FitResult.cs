using GanCore.Losses;

namespace GanCore.Models;

/// <summary>The outcome of <see cref="Sequential.Fit"/>.</summary>
/// <param name="Steps">Optimizer steps taken.</param>
/// <param name="EpochLosses">The mean loss of each epoch, in order.</param>
public sealed record FitResult(long Steps, IReadOnlyList<float> EpochLosses)
{
    /// <summary>The last epoch's mean loss (NaN when no epoch ran).</summary>
    public float FinalLoss => EpochLosses.Count == 0 ? float.NaN : EpochLosses[^1];

    /// <summary>Each epoch's training accuracy (see <see cref="FitProgress.Accuracy"/>); empty unless the loss is <see cref="SoftmaxCrossEntropy"/>.</summary>
    public IReadOnlyList<float> EpochAccuracies { get; init; } = [];

    /// <summary>Each epoch's validation loss; empty without validation data.</summary>
    public IReadOnlyList<float> ValidationLosses { get; init; } = [];

    /// <summary>Each epoch's validation accuracy; empty without validation data or for losses other than <see cref="SoftmaxCrossEntropy"/>.</summary>
    public IReadOnlyList<float> ValidationAccuracies { get; init; } = [];

    /// <summary>The 1-based epoch with the lowest validation loss (0 without validation data).</summary>
    public int BestEpoch { get; init; }

    /// <summary>True when early stopping ended training before the requested epochs.</summary>
    public bool StoppedEarly { get; init; }

    /// <summary>True when the best epoch's weights were put back at the end (<see cref="FitOptions.RestoreBestWeights"/>).</summary>
    public bool RestoredBestWeights { get; init; }
}
