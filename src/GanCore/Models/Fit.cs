using GanCore.Kernels;
using GanCore.Losses;
using GanCore.Optimizers;
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
}

/// <summary>Progress of <see cref="Sequential.Fit"/>, reported after each epoch.</summary>
/// <param name="Epoch">The epoch just completed (1-based).</param>
/// <param name="Epochs">The number of epochs requested.</param>
/// <param name="Steps">Optimizer steps taken so far.</param>
/// <param name="Loss">The mean training loss over the epoch's batches, weighted by batch size.</param>
public readonly record struct FitProgress(int Epoch, int Epochs, long Steps, float Loss);

/// <summary>The outcome of <see cref="Sequential.Fit"/>.</summary>
/// <param name="Steps">Optimizer steps taken.</param>
/// <param name="EpochLosses">The mean loss of each epoch, in order.</param>
public sealed record FitResult(long Steps, IReadOnlyList<float> EpochLosses)
{
    /// <summary>The last epoch's mean loss (NaN when no epoch ran).</summary>
    public float FinalLoss => EpochLosses.Count == 0 ? float.NaN : EpochLosses[^1];
}

public sealed partial class Sequential
{
    /// <summary>
    /// Trains the model on in-memory data with mini-batches: for each batch, zero the gradients, run forward,
    /// compute the loss, run backward, and take one optimizer step.
    /// </summary>
    /// <param name="inputs">The inputs, one example per row, width <see cref="InputSize"/>.</param>
    /// <param name="targets">The targets, one row per input row, width <see cref="OutputSize"/>.</param>
    /// <param name="loss">The loss to minimize.</param>
    /// <param name="optimizer">An optimizer over this model's parameters.</param>
    /// <param name="options">Epochs, batch size and shuffling; defaults when null (shuffling then needs a generator, so pass options).</param>
    /// <param name="progress">Called after each epoch on the calling thread; may be null.</param>
    /// <param name="cancellationToken">Checked before each batch; training stops between batches, leaving the model consistent.</param>
    /// <returns>The steps taken and the loss of each epoch.</returns>
    /// <exception cref="ArgumentNullException">A required argument is null.</exception>
    /// <exception cref="ArgumentException">The shapes do not match the model, the data is empty, an input is NaN or infinite, a target is outside the loss's domain, the options are invalid, or the optimizer does not update this model's parameters.</exception>
    /// <exception cref="OperationCanceledException">Cancellation was requested.</exception>
    /// <exception cref="ArithmeticException">The model's output or the loss became NaN or infinite (training diverged).</exception>
    public FitResult Fit(Matrix inputs, Matrix targets, Loss loss, Optimizer optimizer, FitOptions? options = null, Action<FitProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        ArgumentNullException.ThrowIfNull(targets);
        ArgumentNullException.ThrowIfNull(loss);
        ArgumentNullException.ThrowIfNull(optimizer);
        options ??= new FitOptions { Shuffle = false };
        CheckFitArguments(inputs, targets, optimizer, options);

        int n = inputs.Rows;
        int batch = Math.Min(options.BatchSize, n);
        int[] order = Enumerable.Range(0, n).ToArray();
        var x = new Matrix(batch, InputSize);
        var y = new Matrix(batch, OutputSize);
        var gradient = new Matrix(batch, OutputSize);
        var losses = new List<float>(options.Epochs);
        long steps = 0;
        for (int epoch = 1; epoch <= options.Epochs; epoch++)
        {
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
            for (int start = 0; start < n; start += batch)
            {
                cancellationToken.ThrowIfCancellationRequested();
                int rows = Math.Min(batch, n - start);
                Matrix xb = rows == batch ? x : x.View(rows);
                Matrix yb = rows == batch ? y : y.View(rows);
                Matrix gb = rows == batch ? gradient : gradient.View(rows);
                for (int r = 0; r < rows; r++)
                {
                    inputs.Row(order[start + r]).CopyTo(xb.Row(r));
                    targets.Row(order[start + r]).CopyTo(yb.Row(r));
                }

                ZeroGradients();
                Matrix output = Forward(xb);
                if (!AllFinite(output))
                {
                    // Checked here, not left to the loss: a diverged model is an arithmetic failure, not a bad argument.
                    throw new ArithmeticException($"Fit: the model's output became NaN or infinite at epoch {epoch}, step {steps + 1}; training diverged (try a smaller learning rate).");
                }

                float value = loss.Compute(output, yb, gb);
                if (!float.IsFinite(value))
                {
                    throw new ArithmeticException($"Fit: the {loss.Name} loss became {value} at epoch {epoch}, step {steps + 1}.");
                }

                BackwardParameters(gb);
                optimizer.Step();
                steps++;
                epochLoss += (double)value * rows;
            }

            losses.Add((float)(epochLoss / n));
            progress?.Invoke(new FitProgress(epoch, options.Epochs, steps, losses[^1]));
        }

        return new FitResult(steps, losses);
    }

    private static bool AllFinite(Matrix m)
    {
        for (int i = 0; i < m.Rows; i++)
        {
            if (!Elementwise.AllFinite(m.Row(i)))
            {
                return false;
            }
        }

        return true;
    }

    private void CheckFitArguments(Matrix inputs, Matrix targets, Optimizer optimizer, FitOptions options)
    {
        if (inputs.Rows == 0)
        {
            throw new ArgumentException("Fit: the inputs have 0 rows.", nameof(inputs));
        }

        if (inputs.Columns != InputSize)
        {
            throw new ArgumentException($"Fit: the inputs are {inputs.Rows}×{inputs.Columns} but the model takes width {InputSize}.", nameof(inputs));
        }

        if (targets.Rows != inputs.Rows || targets.Columns != OutputSize)
        {
            throw new ArgumentException($"Fit: the targets are {targets.Rows}×{targets.Columns}; expected {inputs.Rows}×{OutputSize} (one row per input, the model's output width).", nameof(targets));
        }

        // A NaN or infinite input would not be caught by the loss (it checks predictions and targets) until it had
        // already turned the weights into NaN, or not at all when it is the last step; reject it up front.
        for (int i = 0; i < inputs.Rows; i++)
        {
            ReadOnlySpan<float> row = inputs.Row(i);
            for (int j = 0; j < row.Length; j++)
            {
                if (!float.IsFinite(row[j]))
                {
                    throw new ArgumentException($"Fit: inputs[{i}, {j}] is {row[j]}; inputs must be finite.", nameof(inputs));
                }
            }
        }

        if (options.Epochs < 1)
        {
            throw new ArgumentException($"Fit: Epochs is {options.Epochs}; it must be at least 1.", nameof(options));
        }

        if (options.BatchSize < 1)
        {
            throw new ArgumentException($"Fit: BatchSize is {options.BatchSize}; it must be at least 1.", nameof(options));
        }

        if (options.Shuffle && options.Random is null)
        {
            throw new ArgumentException("Fit: Shuffle is on but no Random generator was given in the options.", nameof(options));
        }

        if (!optimizer.Parameters.SequenceEqual(_parameters))
        {
            throw new ArgumentException("Fit: the optimizer was not created for this model's parameters.", nameof(optimizer));
        }
    }
}
