using GanCore.Randomness;
using GanCore.Tensors;

namespace GanCore.Models;

/// <summary>Settings of <see cref="Sequential.Fit"/>.</summary>
public sealed class FitOptions
{
    /// <summary>Passes over the data (≥ 1). Default 1.</summary>
    public int Epochs { get; init; } = 1;

    /// <summary>Rows per mini-batch (≥ 1). The last batch of an epoch may be smaller. Default 32.</summary>
    public int BatchSize { get; init; } = 32;

    /// <summary>Shuffle the rows at the start of each epoch (needs <see cref="Random"/>): each epoch draws a fresh permutation
    /// of the rows in their original order, so it depends only on the generator's state. Default true.</summary>
    public bool Shuffle { get; init; } = true;

    /// <summary>The generator used for shuffling; required when <see cref="Shuffle"/> is true.</summary>
    public RandomSource? Random { get; init; }

    /// <summary>Validation inputs, evaluated after every epoch in inference mode (width <see cref="Sequential.InputSize"/>); null for none.
    /// Give <see cref="ValidationTargets"/> with it.</summary>
    public Matrix? ValidationInputs { get; init; }

    /// <summary>Validation targets, one row per validation input, in the form the loss takes; null for none.</summary>
    public Matrix? ValidationTargets { get; init; }

    /// <summary>
    /// Early stopping: stop after this many epochs in a row without a new best validation loss (needs validation
    /// data). "Best" means the lowest validation loss, where a new loss counts only when it is lower than the best by
    /// more than <see cref="EarlyStoppingMinDelta"/>. 0 (the default) turns early stopping off.
    /// </summary>
    public int EarlyStoppingPatience { get; init; }

    /// <summary>How much lower than the best a validation loss must be to count as an improvement (≥ 0). Default 0.</summary>
    public float EarlyStoppingMinDelta { get; init; }

    /// <summary>
    /// With early stopping on, put back the weights (and BatchNorm running statistics) of the epoch with the lowest
    /// validation loss when training ends, whether it stopped early, ran every epoch or diverged
    /// (<see cref="FitDivergenceException.RestoredBestEpoch"/>); not when it is cancelled, which leaves the last weights,
    /// nor when that epoch's captured state holds a NaN or ∞ itself. Default true. The optimizer's state (moments, step count) is not rewound.
    /// </summary>
    public bool RestoreBestWeights { get; init; } = true;
}
