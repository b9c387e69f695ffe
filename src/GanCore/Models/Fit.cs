using GanCore.Kernels;
using GanCore.Layers;
using GanCore.Losses;
using GanCore.Optimizers;
using GanCore.Randomness;
using GanCore.Tensors;

namespace GanCore.Models;

public sealed partial class Sequential
{
    /// <summary>The thread-count tuner of <see cref="Fit"/>'s steps (null before the first call), kept across calls at one
    /// batch size, so a loop of short Fit calls (an epoch each) continues its trials instead of starting one in every
    /// call.</summary>
    internal StepThreadTuner? FitThreadTuner { get; private set; }

    /// <summary>The batch size <see cref="FitThreadTuner"/> timed.</summary>
    private int _fitTunerBatch;

    /// <summary>
    /// Trains the model on in-memory data with mini-batches: for each batch, zero the gradients, run forward,
    /// compute the loss, run backward, and take one optimizer step. The optimizer's learning-rate schedule
    /// (<see cref="Optimizer.Schedule"/>) applies, since <see cref="Optimizer.Step"/> follows it.
    /// </summary>
    /// <remarks>
    /// Training runs in training mode; the validation data (when given) is evaluated after each epoch in inference
    /// mode; the model's <see cref="IsTraining"/> is put back to what it was when Fit returns or throws. With
    /// <see cref="FitOptions.EarlyStoppingPatience"/> set, training stops once the validation loss has not reached a new
    /// low for that many epochs, and with <see cref="FitOptions.RestoreBestWeights"/> the weights of the
    /// lowest-validation-loss epoch are restored, also when training diverges (unless that epoch's state is not finite).
    /// </remarks>
    /// <param name="inputs">The inputs, one example per row, width <see cref="InputSize"/>.</param>
    /// <param name="targets">The targets, one row per input row, width <see cref="OutputSize"/> (for <see cref="SoftmaxCrossEntropy"/>, also one column of class indices).</param>
    /// <param name="loss">The loss to minimize.</param>
    /// <param name="optimizer">An optimizer over this model's parameters.</param>
    /// <param name="options">Epochs, batch size, shuffling, validation data and early stopping; defaults when null (shuffling then needs a generator, so pass options).</param>
    /// <param name="progress">Called after each epoch on the calling thread; may be null.</param>
    /// <param name="cancellationToken">Checked before each batch; training stops between batches, leaving the model consistent
    /// (a weight the last step made NaN or infinite is reported as a divergence instead).</param>
    /// <returns>The steps taken and the loss of each epoch, with the validation results when there was validation data.</returns>
    /// <exception cref="ArgumentNullException">A required argument is null.</exception>
    /// <exception cref="ArgumentException">The shapes do not match the model, the data is empty, an input is NaN or infinite, a target is outside the loss's domain, the options are invalid, or the optimizer does not update this model's parameters.</exception>
    /// <exception cref="OperationCanceledException">Cancellation was requested (and the weights are finite).</exception>
    /// <exception cref="FitDivergenceException">The model's output (on a training batch or the validation data), the loss,
    /// or after the last step a weight, became NaN or infinite: training diverged. An <see cref="ArithmeticException"/>.</exception>
    public FitResult Fit(Matrix inputs, Matrix targets, Loss loss, Optimizer optimizer, FitOptions? options = null, Action<FitProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        ArgumentNullException.ThrowIfNull(targets);
        ArgumentNullException.ThrowIfNull(loss);
        ArgumentNullException.ThrowIfNull(optimizer);
        options ??= new FitOptions { Shuffle = false };
        CheckFitArguments(inputs, targets, loss, optimizer, options);
        bool wasTraining = IsTraining;
        try
        {
            return FitCore(inputs, targets, loss, optimizer, options, progress, cancellationToken);
        }
        finally
        {
            IsTraining = wasTraining;
        }
    }

    private FitResult FitCore(Matrix inputs, Matrix targets, Loss loss, Optimizer optimizer, FitOptions options, Action<FitProgress>? progress, CancellationToken cancellationToken)
    {
        int n = inputs.Rows;
        int batch = Math.Min(options.BatchSize, n);
        bool classification = loss is SoftmaxCrossEntropy;
        Matrix? validationInputs = options.ValidationInputs;
        Matrix? validationTargets = options.ValidationTargets;
        bool validate = validationInputs is not null;
        bool earlyStopping = options.EarlyStoppingPatience > 0;
        int[] order = Enumerable.Range(0, n).ToArray();
        var x = new Matrix(batch, InputSize);
        var y = new Matrix(batch, targets.Columns);
        var gradient = new Matrix(batch, OutputSize);
        var losses = new List<float>(options.Epochs);
        var accuracies = new List<float>(classification ? options.Epochs : 0);
        var validationLosses = new List<float>(validate ? options.Epochs : 0);
        var validationAccuracies = new List<float>(validate && classification ? options.Epochs : 0);
        float[]? best = earlyStopping && options.RestoreBestWeights ? new float[StateLength()] : null;
        float bestLoss = float.PositiveInfinity;
        int bestEpoch = 0;
        int sinceBest = 0;
        bool stoppedEarly = false;
        long steps = 0;
        int lastStepEpoch = 0;
        if (FitThreadTuner is null || _fitTunerBatch != batch)
        {
            FitThreadTuner = new StepThreadTuner();
            _fitTunerBatch = batch;
        }

        StepThreadTuner threadTuner = FitThreadTuner;
        try
        {
            for (int epoch = 1; epoch <= options.Epochs; epoch++)
            {
                IsTraining = true;
                if (options.Shuffle)
                {
                    // Shuffle the identity, not the last epoch's order: each epoch's order then depends only on the
                    // generator's state, so training resumed from a checkpoint (which saves that state) continues exactly.
                    for (int i = 0; i < n; i++)
                    {
                        order[i] = i;
                    }

                    options.Random!.Shuffle(order.AsSpan());
                }

                double epochLoss = 0;
                long correct = 0;
                for (int start = 0; start < n; start += batch)
                {
                    if (cancellationToken.IsCancellationRequested)
                    {
                        CheckParametersFinite(lastStepEpoch, steps);
                        cancellationToken.ThrowIfCancellationRequested();
                    }

                    int rows = Math.Min(batch, n - start);
                    Matrix xb = rows == batch ? x : x.View(rows);
                    Matrix yb = rows == batch ? y : y.View(rows);
                    Matrix gb = rows == batch ? gradient : gradient.View(rows);
                    for (int r = 0; r < rows; r++)
                    {
                        inputs.Row(order[start + r]).CopyTo(xb.Row(r));
                        targets.Row(order[start + r]).CopyTo(yb.Row(r));
                    }

                    // Full batches are alike, so their steps time the thread counts (Gemm.AdaptiveParallelism); a short last
                    // batch runs at the most threads, untimed.
                    bool alike = rows == batch;
                    if (alike)
                    {
                        threadTuner.Begin();
                    }

                    float value;
                    try
                    {
                        ZeroGradients();
                        Matrix output = Forward(xb);
                        if (!AllFinite(output))
                        {
                            // Checked here, not left to the loss: a diverged model is an arithmetic failure, not a bad argument.
                            throw new FitDivergenceException(epoch, steps + 1, "the model's output became NaN or infinite");
                        }

                        value = loss.Compute(output, yb, gb);
                        if (!float.IsFinite(value))
                        {
                            throw new FitDivergenceException(epoch, steps + 1, $"the {loss.Name} loss became {value}");
                        }

                        if (classification)
                        {
                            correct += Classification.Correct(output, yb, "Fit");
                        }

                        BackwardParameters(gb);
                        optimizer.Step();
                    }
                    finally
                    {
                        if (alike)
                        {
                            threadTuner.End();
                        }
                    }

                    steps++;
                    lastStepEpoch = epoch;
                    epochLoss += (double)value * rows;
                }

                losses.Add((float)(epochLoss / n));
                float accuracy = float.NaN;
                if (classification)
                {
                    accuracy = (float)correct / n;
                    accuracies.Add(accuracy);
                }

                float validationLoss = float.NaN;
                float validationAccuracy = float.NaN;
                if (validate)
                {
                    IsTraining = false;
                    (validationLoss, validationAccuracy) = Evaluate(validationInputs!, validationTargets!, loss, x, classification, epoch, steps);
                    IsTraining = true;
                    validationLosses.Add(validationLoss);
                    if (classification)
                    {
                        validationAccuracies.Add(validationAccuracy);
                    }

                    if (validationLoss < bestLoss - options.EarlyStoppingMinDelta || bestEpoch == 0)
                    {
                        bestLoss = validationLoss;
                        bestEpoch = epoch;
                        sinceBest = 0;
                        if (best is not null)
                        {
                            CaptureState(best);
                        }
                    }
                    else
                    {
                        sinceBest++;
                    }
                }

                progress?.Invoke(new FitProgress(epoch, options.Epochs, steps, losses[^1])
                {
                    Accuracy = accuracy,
                    ValidationLoss = validationLoss,
                    ValidationAccuracy = validationAccuracy,
                });

                if (earlyStopping && sinceBest >= options.EarlyStoppingPatience && epoch < options.Epochs)
                {
                    stoppedEarly = true;
                    break;
                }
            }

            CheckParametersFinite(lastStepEpoch, steps);
        }
        catch (FitDivergenceException e) when (best is not null && bestEpoch != 0 && Elementwise.AllFinite(best))
        {
            // Early stopping keeps the best epoch's state to restore at the end of training; a divergence ends it too. A
            // captured state can hold an ∞ its outputs did not show (a BatchNorm running variance, say): not put back.
            RestoreState(best);
            e.RestoredBestEpoch = bestEpoch;
            throw;
        }

        bool restored = false;
        if (best is not null && bestEpoch != 0 && bestEpoch != losses.Count && Elementwise.AllFinite(best))
        {
            RestoreState(best);
            restored = true;
        }

        return new FitResult(steps, losses)
        {
            EpochAccuracies = accuracies,
            ValidationLosses = validationLosses,
            ValidationAccuracies = validationAccuracies,
            BestEpoch = bestEpoch,
            StoppedEarly = stoppedEarly,
            RestoredBestWeights = restored,
        };
    }

    /// <summary>The mean loss (and accuracy) over a data set in the current mode, in batches of the training buffer's size.</summary>
    private (float Loss, float Accuracy) Evaluate(Matrix inputs, Matrix targets, Loss loss, Matrix buffer, bool classification, int epoch, long steps)
    {
        int n = inputs.Rows;
        int batch = buffer.Rows;
        double total = 0;
        long correct = 0;
        for (int start = 0; start < n; start += batch)
        {
            int rows = Math.Min(batch, n - start);
            Matrix xb = rows == batch ? buffer : buffer.View(rows);
            inputs.Slice(start, 0, rows, inputs.Columns).CopyTo(xb);
            Matrix output = Forward(xb);
            if (!AllFinite(output))
            {
                throw new FitDivergenceException(epoch, steps, "the model's output on the validation data became NaN or infinite after the epoch's last step");
            }

            Matrix tb = targets.Slice(start, 0, rows, targets.Columns);
            float value = loss.Compute(output, tb);
            if (!float.IsFinite(value))
            {
                // Finite outputs can still give a loss past float's range (an error above ~1.8e19, squared).
                throw new FitDivergenceException(epoch, steps, $"the {loss.Name} loss on the validation data became {value} after the epoch's last step");
            }

            total += (double)value * rows;
            if (classification)
            {
                correct += Classification.Correct(output, tb, "Fit");
            }
        }

        return ((float)(total / n), classification ? (float)correct / n : float.NaN);
    }
}
