namespace GanCore.Losses;

/// <summary>ℓ(p, t) = (p − t)²; dℓ/dp = 2(p − t).</summary>
public sealed class MeanSquaredError : Loss
{
    /// <inheritdoc/>
    public override string Name => "MeanSquaredError";

    /// <summary>ℓ(p, t) = (p − t)² for one element, in double (exact for float inputs).</summary>
    internal static double Value(float p, float t)
    {
        float d = p - t;
        return (double)d * d;
    }

    /// <summary>dℓ/dp = 2(p − t) for one element.</summary>
    internal static float Derivative(float p, float t) => 2f * (p - t);

    private protected override double RowSum(ReadOnlySpan<float> predictions, ReadOnlySpan<float> targets, Span<float> gradient, float scale)
    {
        double sum = 0;
        for (int j = 0; j < predictions.Length; j++)
        {
            float d = predictions[j] - targets[j];
            sum += (double)d * d;            // ℓ = (p − t)²
            if (!gradient.IsEmpty)
            {
                gradient[j] = 2f * d * scale; // dℓ/dp = 2(p − t), times 1/count for the mean
            }
        }

        return sum;
    }
}
