namespace GanCore.Losses;

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
