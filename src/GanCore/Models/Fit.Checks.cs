using GanCore.Kernels;
using GanCore.Layers;
using GanCore.Losses;
using GanCore.Optimizers;
using GanCore.Randomness;
using GanCore.Tensors;

namespace GanCore.Models;

public sealed partial class Sequential
{
    /// <summary>
    /// Fit's other checks see the weights only through the next batch's output: after the last step, and before
    /// stopping for cancellation, the weights are checked themselves, so a model that diverged in its last step is not
    /// handed back as if trained.
    /// </summary>
    private void CheckParametersFinite(int epoch, long steps)
    {
        if (steps > 0 && FirstNonFiniteParameter() is { } bad)
        {
            throw new FitDivergenceException(epoch, steps, $"parameter {bad.Where} became {bad.Value} in the last step");
        }
    }

    /// <summary>
    /// The first parameter value that is NaN or infinite, as "Layer.parameter[index]" with the value, or null when
    /// every one is finite: one vectorized pass per parameter, and an element scan only of the one that fails. Fit's
    /// weight check and the GAN's divergence check both use it.
    /// </summary>
    internal (string Where, float Value)? FirstNonFiniteParameter()
    {
        // Index loops: enumerating IReadOnlyList through its interface would allocate on every GAN step.
        for (int l = 0; l < _layers.Length; l++)
        {
            IReadOnlyList<Parameter> parameters = _layers[l].Parameters;
            for (int p = 0; p < parameters.Count; p++)
            {
                ReadOnlySpan<float> values = parameters[p].Value.Span;
                if (Elementwise.AllFinite(values))
                {
                    continue;
                }

                for (int i = 0; i < values.Length; i++)
                {
                    if (!float.IsFinite(values[i]))
                    {
                        return ($"{_layers[l].Name}.{parameters[p].Name}[{i}]", values[i]);
                    }
                }
            }
        }

        return null;
    }

    private void CheckTargetShape(Matrix inputs, Matrix targets, Loss loss, string parameter)
    {
        string what = parameter == nameof(targets) ? "targets" : "validation targets";
        bool indices = loss is SoftmaxCrossEntropy && targets.Columns == 1;
        if (targets.Rows != inputs.Rows || (targets.Columns != OutputSize && !indices))
        {
            string expected = loss is SoftmaxCrossEntropy ? $"{inputs.Rows}×1 (class indices) or {inputs.Rows}×{OutputSize} (one-hot rows)" : $"{inputs.Rows}×{OutputSize} (one row per input, the model's output width)";
            throw new ArgumentException($"Fit: the {what} are {targets.Rows}×{targets.Columns}; expected {expected}.", parameter);
        }
    }

    /// <summary>
    /// A NaN or infinite input would not be caught by the loss (it checks predictions and targets) until it had
    /// already turned the weights into NaN, or not at all when it is the last step; reject it up front.
    /// </summary>
    private static void CheckFinite(Matrix inputs, string parameter)
    {
        string what = parameter == nameof(inputs) ? "inputs" : "validation inputs";
        for (int i = 0; i < inputs.Rows; i++)
        {
            ReadOnlySpan<float> row = inputs.Row(i);
            for (int j = 0; j < row.Length; j++)
            {
                if (!float.IsFinite(row[j]))
                {
                    throw new ArgumentException($"Fit: {what}[{i}, {j}] is {row[j]}; inputs must be finite.", parameter);
                }
            }
        }
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

    private void CheckFitArguments(Matrix inputs, Matrix targets, Loss loss, Optimizer optimizer, FitOptions options)
    {
        if (inputs.Rows == 0)
        {
            throw new ArgumentException("Fit: the inputs have 0 rows.", nameof(inputs));
        }

        if (inputs.Columns != InputSize)
        {
            throw new ArgumentException($"Fit: the inputs are {inputs.Rows}×{inputs.Columns} but the model takes width {InputSize}.", nameof(inputs));
        }

        CheckTargetShape(inputs, targets, loss, nameof(targets));
        CheckFinite(inputs, nameof(inputs));

        if (options.ValidationInputs is null != options.ValidationTargets is null)
        {
            throw new ArgumentException("Fit: give both ValidationInputs and ValidationTargets, or neither.", nameof(options));
        }

        if (options.ValidationInputs is { } validationInputs)
        {
            if (validationInputs.Rows == 0 || validationInputs.Columns != InputSize)
            {
                throw new ArgumentException($"Fit: the validation inputs are {validationInputs.Rows}×{validationInputs.Columns}; expected at least one row of width {InputSize}.", nameof(options));
            }

            CheckTargetShape(validationInputs, options.ValidationTargets!, loss, nameof(options));
            CheckFinite(validationInputs, nameof(options));
        }

        if (options.EarlyStoppingPatience < 0)
        {
            throw new ArgumentException($"Fit: EarlyStoppingPatience is {options.EarlyStoppingPatience}; it must be ≥ 0 (0 turns early stopping off).", nameof(options));
        }

        if (options.EarlyStoppingPatience > 0 && options.ValidationInputs is null)
        {
            throw new ArgumentException("Fit: early stopping watches the validation loss, so it needs ValidationInputs and ValidationTargets.", nameof(options));
        }

        if (!(options.EarlyStoppingMinDelta >= 0f) || !float.IsFinite(options.EarlyStoppingMinDelta))
        {
            throw new ArgumentException($"Fit: EarlyStoppingMinDelta is {options.EarlyStoppingMinDelta}; it must be finite and ≥ 0.", nameof(options));
        }

        // BatchNorm cannot estimate a variance from one row in training mode: refuse up front a batch plan that
        // would end an epoch with a single row, rather than failing in the middle of training.
        if (_layers.Any(l => l is BatchNorm) && options.BatchSize >= 1 && (inputs.Rows == 1 || (inputs.Rows > options.BatchSize && inputs.Rows % options.BatchSize == 1)))
        {
            throw new ArgumentException($"Fit: with {inputs.Rows} rows and BatchSize {options.BatchSize} a batch of 1 row would reach a BatchNorm layer in training mode, which needs at least 2; choose another batch size.", nameof(options));
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
