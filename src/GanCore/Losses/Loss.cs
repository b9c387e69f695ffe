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

/// <summary>ℓ(p, t) = (p − t)²; dℓ/dp = 2(p − t).</summary>
public sealed class MeanSquaredError : Loss
{
    /// <inheritdoc/>
    public override string Name => "MeanSquaredError";

    private protected override double RowSum(ReadOnlySpan<float> predictions, ReadOnlySpan<float> targets, Span<float> gradient, float scale)
    {
        double sum = 0;
        for (int j = 0; j < predictions.Length; j++)
        {
            float d = predictions[j] - targets[j];
            sum += (double)d * d;
            if (!gradient.IsEmpty)
            {
                gradient[j] = 2f * d * scale;
            }
        }

        return sum;
    }
}

/// <summary>
/// Binary cross-entropy on probabilities: ℓ(p, t) = −[t·log p + (1 − t)·log(1 − p)], with p clamped to
/// [1e−7, 1 − 1e−7] so log never sees 0 or 1; dℓ/dp = (p − t) / (p(1 − p)) at the clamped p. Targets must be in
/// [0, 1] and predictions in [0, 1]. Prefer <see cref="BinaryCrossEntropyWithLogits"/>: it is stable everywhere.
/// </summary>
public sealed class BinaryCrossEntropy : Loss
{
    /// <summary>The clamp applied to probabilities before the log.</summary>
    public const float Epsilon = 1e-7f;

    /// <inheritdoc/>
    public override string Name => "BinaryCrossEntropy";

    private protected override double RowSum(ReadOnlySpan<float> predictions, ReadOnlySpan<float> targets, Span<float> gradient, float scale)
    {
        double sum = 0;
        for (int j = 0; j < predictions.Length; j++)
        {
            double p = Math.Clamp(predictions[j], Epsilon, 1.0 - Epsilon);
            double t = targets[j];
            sum -= (t * Math.Log(p)) + ((1 - t) * Math.Log(1 - p));
            if (!gradient.IsEmpty)
            {
                gradient[j] = (float)((p - t) / (p * (1 - p)) * scale);
            }
        }

        return sum;
    }

    private protected override void CheckValues(ReadOnlySpan<float> values, int row, string name, bool isTarget)
    {
        for (int j = 0; j < values.Length; j++)
        {
            if (!(values[j] >= 0f && values[j] <= 1f))
            {
                throw new ArgumentException($"{Name}: {name}[{row}, {j}] is {values[j]}; probabilities and targets must lie in [0, 1].", name);
            }
        }
    }
}

/// <summary>
/// Binary cross-entropy on logits z (the sigmoid is inside the loss): ℓ(z, t) = max(z, 0) − z·t + log(1 + e^(−|z|)),
/// which equals −[t·log σ(z) + (1 − t)·log(1 − σ(z))] without overflow for any finite z; dℓ/dz = σ(z) − t.
/// Targets must be in [0, 1].
/// </summary>
public sealed class BinaryCrossEntropyWithLogits : Loss
{
    /// <inheritdoc/>
    public override string Name => "BinaryCrossEntropyWithLogits";

    private protected override double RowSum(ReadOnlySpan<float> predictions, ReadOnlySpan<float> targets, Span<float> gradient, float scale)
    {
        double sum = 0;
        for (int j = 0; j < predictions.Length; j++)
        {
            double z = predictions[j];
            double t = targets[j];
            sum += LogisticMath.Softplus(z) - (z * t);
            if (!gradient.IsEmpty)
            {
                gradient[j] = (float)((LogisticMath.Sigmoid(z) - t) * scale);
            }
        }

        return sum;
    }

    private protected override void CheckValues(ReadOnlySpan<float> values, int row, string name, bool isTarget)
    {
        base.CheckValues(values, row, name, isTarget);
        if (isTarget)
        {
            for (int j = 0; j < values.Length; j++)
            {
                if (!(values[j] >= 0f && values[j] <= 1f))
                {
                    throw new ArgumentException($"{Name}: {name}[{row}, {j}] is {values[j]}; targets must lie in [0, 1].", name);
                }
            }
        }
    }
}

/// <summary>Numerically stable logistic functions, in double.</summary>
internal static class LogisticMath
{
    /// <summary>σ(z) = 1/(1 + e^(−z)), computed from e^(−|z|) so nothing overflows.</summary>
    public static double Sigmoid(double z)
    {
        double e = Math.Exp(-Math.Abs(z));
        return z >= 0 ? 1.0 / (1.0 + e) : e / (1.0 + e);
    }

    /// <summary>softplus(z) = log(1 + e^z) = max(z, 0) + log(1 + e^(−|z|)).</summary>
    public static double Softplus(double z) => Math.Max(z, 0.0) + double.LogP1(Math.Exp(-Math.Abs(z)));

    /// <summary>log σ(z) = −softplus(−z).</summary>
    public static double LogSigmoid(double z) => -Softplus(-z);

    /// <summary>log(1 − σ(z)) = −softplus(z).</summary>
    public static double LogOneMinusSigmoid(double z) => -Softplus(z);
}
