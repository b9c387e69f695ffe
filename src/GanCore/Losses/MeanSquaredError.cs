namespace GanCore.Losses;

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
