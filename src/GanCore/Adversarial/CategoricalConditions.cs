using GanCore.Randomness;
using GanCore.Tensors;

namespace GanCore.Adversarial;

/// <summary>
/// One-hot class conditions: a condition source that draws a class uniformly per row, and the encoding of given labels.
/// </summary>
public sealed class CategoricalConditions : IConditionSource
{
    /// <summary>Creates a source of uniformly drawn one-hot classes.</summary>
    /// <param name="classes">The number of classes (≥ 1): the width of a condition vector.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="classes"/> is less than 1.</exception>
    public CategoricalConditions(int classes)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(classes, 1);
        Dimension = classes;
    }

    /// <summary>The number of classes, which is the width of a condition vector.</summary>
    public int Dimension { get; }

    /// <summary>Fills every row with the one-hot vector of a class drawn uniformly from 0 … <see cref="Dimension"/> − 1.</summary>
    /// <param name="destination">The batch to fill (width <see cref="Dimension"/>).</param>
    /// <param name="random">The generator to draw from (one draw per row).</param>
    public void Fill(Matrix destination, RandomSource random)
    {
        SourceChecks.CheckBatch(destination, Dimension, nameof(destination), "condition");
        ArgumentNullException.ThrowIfNull(random);
        for (int i = 0; i < destination.Rows; i++)
        {
            int label = random.NextInt32(Dimension);
            Span<float> row = destination.Row(i);
            row.Clear();
            row[label] = 1f;
        }
    }

    /// <summary>The one-hot encoding of <paramref name="labels"/>: row i has a 1 in column labels[i] and 0 elsewhere.</summary>
    /// <param name="labels">The class of each row, each in [0, <paramref name="classes"/>).</param>
    /// <param name="classes">The number of classes (≥ 1).</param>
    /// <returns>A new labels.Length × classes matrix.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="classes"/> is less than 1, or a label is outside [0, classes) (the message names its index).</exception>
    /// <exception cref="ArgumentException"><paramref name="labels"/> is empty.</exception>
    public static Matrix OneHot(ReadOnlySpan<int> labels, int classes)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(classes, 1);
        if (labels.IsEmpty)
        {
            throw new ArgumentException("At least one label is needed.", nameof(labels));
        }

        var result = new Matrix(labels.Length, classes);
        Encode(labels, result);
        return result;
    }

    /// <summary>Writes the one-hot encoding of <paramref name="labels"/> into <paramref name="destination"/> (labels.Length rows; the width is the class count).</summary>
    /// <param name="labels">The class of each row, each in [0, destination.Columns).</param>
    /// <param name="destination">The matrix to overwrite.</param>
    /// <exception cref="ArgumentException">The row count differs from the number of labels.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A label is outside [0, destination.Columns) (the message names its index).</exception>
    public static void Encode(ReadOnlySpan<int> labels, Matrix destination)
    {
        ArgumentNullException.ThrowIfNull(destination);
        if (destination.Rows != labels.Length)
        {
            throw new ArgumentException($"{labels.Length} labels cannot fill a matrix with {destination.Rows} rows.", nameof(destination));
        }

        int classes = destination.Columns;
        for (int i = 0; i < labels.Length; i++)
        {
            if ((uint)labels[i] >= (uint)classes)
            {
                throw new ArgumentOutOfRangeException(nameof(labels), labels[i], $"Label {labels[i]} at index {i} is outside the {classes} classes [0, {classes - 1}].");
            }

            Span<float> row = destination.Row(i);
            row.Clear();
            row[labels[i]] = 1f;
        }
    }
}
