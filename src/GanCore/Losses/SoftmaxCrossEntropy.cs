using GanCore.Kernels;
using GanCore.Tensors;

namespace GanCore.Losses;

/// <summary>
/// Multi-class cross-entropy on logits (the softmax is inside the loss): for a row of logits z over C ≥ 2 classes and
/// true class c, ℓ = log Σⱼ e^(zⱼ) − z_c, computed as m + log Σⱼ e^(zⱼ − m) with m = maxⱼ zⱼ (log-sum-exp), so no
/// exponential overflows for any finite logits. dℓ/dzⱼ = softmax(z)ⱼ − [j = c].
/// </summary>
/// <remarks>
/// <para><b>Reduction.</b> Unlike the element-wise losses, the loss is the <b>mean over rows</b> (examples), not over
/// rows × classes, as in PyTorch's CrossEntropyLoss and Keras; the gradient is (softmax − onehot)/rows.</para>
/// <para><b>Targets</b> come in either of two forms:
/// a one-column matrix of class indices, each an exact integer in 0..C−1 (stored as a float, e.g. 2f);
/// or one-hot rows with C columns (exactly one 1, every other entry 0). Anything else is an
/// <see cref="ArgumentException"/> naming the row and the value.</para>
/// <para>Put a <see cref="Layers.Softmax"/> layer after the logits only for inference, to read probabilities.</para>
/// </remarks>
public sealed class SoftmaxCrossEntropy : Loss
{
    /// <inheritdoc/>
    public override string Name => "SoftmaxCrossEntropy";

    private protected override void CheckTargets(Matrix predictions, Matrix targets) => ClassTargets.Check(predictions, targets, Name);

    private protected override double RowSum(ReadOnlySpan<float> predictions, ReadOnlySpan<float> targets, Span<float> gradient, float scale)
    {
        int classes = predictions.Length;
        int c = ClassTargets.ClassOf(targets);
        float max = float.NegativeInfinity;
        foreach (float z in predictions)
        {
            max = ScalarMath.Max(max, z);
        }

        double sum = 0;
        foreach (float z in predictions)
        {
            sum += Math.Exp((double)z - max);
        }

        double logSumExp = max + Math.Log(sum);
        double loss = logSumExp - predictions[c];                           // ℓ = logΣe^z − z_c
        if (!gradient.IsEmpty)
        {
            // The base class scales by 1/(rows·C); the mean is over rows, so multiply C back in.
            double rowScale = (double)scale * classes;
            for (int j = 0; j < classes; j++)
            {
                double p = Math.Exp(predictions[j] - logSumExp);             // softmaxⱼ
                gradient[j] = (float)((p - (j == c ? 1.0 : 0.0)) * rowScale); // dℓ/dzⱼ = softmaxⱼ − [j = c]
            }
        }

        return loss * classes;
    }
}

/// <summary>The two target forms of a classification loss: class indices (one column) or one-hot rows.</summary>
internal static class ClassTargets
{
    /// <summary>Checks the targets' shape and every value against the predictions' class count.</summary>
    public static void Check(Matrix predictions, Matrix targets, string who)
    {
        int classes = predictions.Columns;
        if (classes < 2)
        {
            throw new ArgumentException($"{who}: the predictions have {classes} column(s); classification needs one column per class and at least 2 classes.", nameof(predictions));
        }

        if (targets.Rows != predictions.Rows || (targets.Columns != 1 && targets.Columns != classes))
        {
            throw new ArgumentException($"{who}: targets is {targets.Rows}×{targets.Columns} but the predictions are {predictions.Rows}×{classes}; targets must be {predictions.Rows}×1 (class indices) or {predictions.Rows}×{classes} (one-hot rows).", nameof(targets));
        }

        for (int i = 0; i < targets.Rows; i++)
        {
            ReadOnlySpan<float> t = targets.Row(i);
            if (t.Length == 1)
            {
                float v = t[0];
                if (!(v >= 0f && v <= classes - 1) || v != MathF.Floor(v))
                {
                    throw new ArgumentException($"{who}: targets[{i}, 0] is {v}; a class index must be an exact integer in 0..{classes - 1}.", nameof(targets));
                }
            }
            else
            {
                int ones = 0;
                for (int j = 0; j < t.Length; j++)
                {
                    if (t[j] == 1f)
                    {
                        ones++;
                    }
                    else if (t[j] != 0f)
                    {
                        throw new ArgumentException($"{who}: targets[{i}, {j}] is {t[j]}; a one-hot row holds only 0 and 1.", nameof(targets));
                    }
                }

                if (ones != 1)
                {
                    throw new ArgumentException($"{who}: targets row {i} has {ones} ones; a one-hot row has exactly one 1 (the class).", nameof(targets));
                }
            }
        }
    }

    /// <summary>The class of one checked target row.</summary>
    public static int ClassOf(ReadOnlySpan<float> target)
    {
        if (target.Length == 1)
        {
            return ScalarMath.ToInt32(target[0]); // the row was checked to hold an integer class id
        }

        return target.IndexOf(1f);
    }

    /// <summary>The index of the largest value (the first one on ties).</summary>
    public static int ArgMax(ReadOnlySpan<float> values)
    {
        int best = 0;
        for (int j = 1; j < values.Length; j++)
        {
            if (values[j] > values[best])
            {
                best = j;
            }
        }

        return best;
    }
}
