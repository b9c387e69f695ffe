using GanCore.Tensors;

namespace GanCore.Losses;

/// <summary>Metrics for multi-class classifiers.</summary>
public static class Classification
{
    /// <summary>
    /// The share of rows whose largest score (the first one on ties) is at the true class. Softmax is monotone, so
    /// logits and probabilities give the same answer.
    /// </summary>
    /// <param name="logitsOrProbabilities">One row per example, one column per class (at least 2 classes), all finite.</param>
    /// <param name="targets">The same two forms <see cref="SoftmaxCrossEntropy"/> accepts: a one-column matrix of exact
    /// integer class indices 0..C−1, or one-hot rows with C columns.</param>
    /// <returns>The accuracy, in [0, 1].</returns>
    /// <exception cref="ArgumentNullException">A matrix is null.</exception>
    /// <exception cref="ArgumentException">The batch is empty, the shapes do not fit, a score is NaN or infinite, or a target is not a valid class (the message names the row and the value).</exception>
    public static float Accuracy(Matrix logitsOrProbabilities, Matrix targets)
    {
        ArgumentNullException.ThrowIfNull(logitsOrProbabilities);
        ArgumentNullException.ThrowIfNull(targets);
        return (float)Correct(logitsOrProbabilities, targets, "Accuracy") / logitsOrProbabilities.Rows;
    }

    /// <summary>Counts the rows whose arg-max is the true class, after checking both matrices.</summary>
    internal static int Correct(Matrix logitsOrProbabilities, Matrix targets, string who)
    {
        if (logitsOrProbabilities.Rows == 0)
        {
            throw new ArgumentException($"{who}: the predictions have 0 rows.", nameof(logitsOrProbabilities));
        }

        ClassTargets.Check(logitsOrProbabilities, targets, who);
        int correct = 0;
        for (int i = 0; i < logitsOrProbabilities.Rows; i++)
        {
            ReadOnlySpan<float> row = logitsOrProbabilities.Row(i);
            for (int j = 0; j < row.Length; j++)
            {
                if (!float.IsFinite(row[j]))
                {
                    throw new ArgumentException($"{who}: predictions[{i}, {j}] is {row[j]}; logitsOrProbabilities must be finite.", nameof(logitsOrProbabilities));
                }
            }

            if (ClassTargets.ArgMax(row) == ClassTargets.ClassOf(targets.Row(i)))
            {
                correct++;
            }
        }

        return correct;
    }
}
