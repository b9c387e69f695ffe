using GanCore.Losses;

namespace GanCore.Models;

/// <summary>Progress of <see cref="Sequential.Fit"/>, reported after each epoch.</summary>
/// <param name="Epoch">The epoch just completed (1-based).</param>
/// <param name="Epochs">The number of epochs requested.</param>
/// <param name="Steps">Optimizer steps taken so far.</param>
/// <param name="Loss">The mean training loss over the epoch's batches, weighted by batch size.</param>
public readonly record struct FitProgress(int Epoch, int Epochs, long Steps, float Loss)
{
    /// <summary>For <see cref="SoftmaxCrossEntropy"/>: the share of training rows classified correctly, measured on each
    /// batch's training-mode output before its step (as Keras reports it); NaN for other losses.</summary>
    public float Accuracy { get; init; } = float.NaN;

    /// <summary>The mean loss over the validation data in inference mode after this epoch; NaN without validation data.</summary>
    public float ValidationLoss { get; init; } = float.NaN;

    /// <summary>For <see cref="SoftmaxCrossEntropy"/>: the validation accuracy in inference mode; NaN otherwise.</summary>
    public float ValidationAccuracy { get; init; } = float.NaN;
}
