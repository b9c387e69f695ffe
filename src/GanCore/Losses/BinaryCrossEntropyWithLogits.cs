namespace GanCore.Losses;

/// <summary>
/// Binary cross-entropy on logits z (the sigmoid is inside the loss): ℓ(z, t) = max(z, 0) − z·t + log(1 + e^(−|z|)),
/// which equals −[t·log σ(z) + (1 − t)·log(1 − σ(z))] without overflow for any finite z; dℓ/dz = σ(z) − t.
/// Targets must be in [0, 1].
/// </summary>
/// <remarks>
/// Why it equals the probability form: −log σ(z) = softplus(−z) = softplus(z) − z and −log(1 − σ(z)) = softplus(z), so
/// ℓ = t·(softplus(z) − z) + (1 − t)·softplus(z) = softplus(z) − t·z. Differentiating, softplus'(z) = σ(z) gives
/// σ(z) − t: no clamp is needed, and the gradient stays within [−1, 1] where the probability form's
/// (p − t)/(p(1 − p)) blows up. The GAN objectives call <see cref="Value"/> and <see cref="Derivative"/> per logit;
/// <see cref="Loss.Compute"/> averages over a matrix.
/// </remarks>
public sealed class BinaryCrossEntropyWithLogits : Loss
{
    /// <inheritdoc/>
    public override string Name => "BinaryCrossEntropyWithLogits";

    /// <summary>ℓ(z, t) = softplus(z) − t·z for one logit, given softplus(z) (see <see cref="Logistic.SigmoidAndSoftplus"/>).</summary>
    internal static float Value(float z, float t, float softplusZ) => softplusZ - (t * z);

    /// <summary>dℓ/dz = σ(z) − t for one logit, given σ(z).</summary>
    internal static float Derivative(float t, float sigmoidZ) => sigmoidZ - t;

    private protected override double RowSum(ReadOnlySpan<float> predictions, ReadOnlySpan<float> targets, Span<float> gradient, float scale)
    {
        double sum = 0;
        for (int j = 0; j < predictions.Length; j++)
        {
            double z = predictions[j];
            double t = targets[j];
            sum += Logistic.Softplus(z) - (z * t);                          // ℓ = softplus(z) − t·z
            if (!gradient.IsEmpty)
            {
                gradient[j] = (float)((Logistic.Sigmoid(z) - t) * scale); // dℓ/dz = σ(z) − t, since softplus' = σ
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
