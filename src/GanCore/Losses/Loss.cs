using GanCore.Tensors;

namespace GanCore.Losses;

/// <summary>
/// A loss L(predictions, targets) reduced by the <b>mean over every element</b> (batch rows × outputs).
/// <see cref="Compute"/> returns L and writes dL/d(predictions) — already divided by the element count — so the
/// gradient can go straight into a model's backward pass.
/// </summary>
public abstract class Loss
{
    private protected Loss()
    {
    }

    /// <summary>A short name, e.g. "MeanSquaredError".</summary>
    public abstract string Name { get; }

    /// <summary>Computes the mean loss and, optionally, its gradient.</summary>
    /// <param name="predictions">The model's output (probabilities or logits, depending on the loss).</param>
    /// <param name="targets">The targets, the same shape.</param>
    /// <param name="gradient">When not null, receives dL/d(predictions); the same shape. May be <paramref name="predictions"/> itself.</param>
    /// <returns>The mean loss.</returns>
    /// <exception cref="ArgumentNullException">A required matrix is null.</exception>
    /// <exception cref="ArgumentException">The shapes differ, the batch is empty, or an input is NaN/∞ or out of the loss's domain.</exception>
    public float Compute(Matrix predictions, Matrix targets, Matrix? gradient = null)
    {
        ArgumentNullException.ThrowIfNull(predictions);
        ArgumentNullException.ThrowIfNull(targets);
        if (predictions.Rows == 0 || predictions.Columns == 0)
        {
            throw new ArgumentException($"{Name}: the predictions are empty ({predictions.Rows}×{predictions.Columns}).", nameof(predictions));
        }

        CheckTargets(predictions, targets);
        if (gradient is not null)
        {
            CheckSameShape(predictions, gradient, nameof(gradient));
        }

        for (int i = 0; i < predictions.Rows; i++)
        {
            CheckValues(predictions.Row(i), i, nameof(predictions), isTarget: false);
            CheckValues(targets.Row(i), i, nameof(targets), isTarget: true);
        }

        double sum = 0;
        float scale = 1f / (predictions.Rows * predictions.Columns);
        for (int i = 0; i < predictions.Rows; i++)
        {
            sum += RowSum(predictions.Row(i), targets.Row(i), gradient is null ? [] : gradient.Row(i), scale);
        }

        return (float)(sum * scale);
    }

    /// <summary>Adds up the per-element losses of one row, and writes scale·dℓ/dp into <paramref name="gradient"/> when it is not empty.</summary>
    private protected abstract double RowSum(ReadOnlySpan<float> predictions, ReadOnlySpan<float> targets, Span<float> gradient, float scale);

    /// <summary>Checks the targets' shape against the predictions' (the same shape, unless the loss accepts another form).</summary>
    private protected virtual void CheckTargets(Matrix predictions, Matrix targets) => CheckSameShape(predictions, targets, nameof(targets));

    /// <summary>Checks one row of predictions or targets for values outside the loss's domain.</summary>
    private protected virtual void CheckValues(ReadOnlySpan<float> values, int row, string name, bool isTarget)
    {
        for (int j = 0; j < values.Length; j++)
        {
            if (!float.IsFinite(values[j]))
            {
                throw new ArgumentException($"{Name}: {name}[{row}, {j}] is {values[j]}; losses need finite inputs.", name);
            }
        }
    }

    private void CheckSameShape(Matrix predictions, Matrix other, string name)
    {
        if (other.Rows != predictions.Rows || other.Columns != predictions.Columns)
        {
            throw new ArgumentException($"{Name}: {name} is {other.Rows}×{other.Columns} but the predictions are {predictions.Rows}×{predictions.Columns}.", name);
        }
    }
}
