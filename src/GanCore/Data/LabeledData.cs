using System.Globalization;
using GanCore.Kernels;
using GanCore.Randomness;
using GanCore.Tensors;

namespace GanCore.Data;

/// <summary>
/// A classification data set: features (one example per row) and labels as a one-column matrix of integer class ids
/// 0..<see cref="ClassCount"/>−1, the target layout <c>SoftmaxCrossEntropy</c> takes.
/// </summary>
public sealed class LabeledData
{
    /// <summary>The largest class id accepted (labels are stored as float32, which holds integers exactly far beyond it).</summary>
    public const int MaxClassId = 65535;

    private readonly string[]? _featureNames;
    private readonly int[] _classSizes;

    /// <summary>Pairs features with labels (both are kept, not copied).</summary>
    /// <param name="features">One example per row; at least one row and one column; every value finite.</param>
    /// <param name="labels">One class id per row of <paramref name="features"/>: a one-column matrix of integers in 0..<see cref="MaxClassId"/>.</param>
    /// <param name="featureNames">Optional names of the feature columns (one per column).</param>
    /// <exception cref="ArgumentNullException"><paramref name="features"/> or <paramref name="labels"/> is null.</exception>
    /// <exception cref="ArgumentException">The shapes do not match, the data is empty, a feature is not finite, a label is not an integer class id (the message names the row and the value), or the name count differs from the feature width.</exception>
    public LabeledData(Matrix features, Matrix labels, IReadOnlyList<string>? featureNames = null)
    {
        ArgumentNullException.ThrowIfNull(features);
        ArgumentNullException.ThrowIfNull(labels);
        if (features.Rows == 0 || features.Columns == 0)
        {
            throw new ArgumentException($"The features are {features.Rows}×{features.Columns}; a data set needs at least one row and one column.", nameof(features));
        }

        if (labels.Rows != features.Rows || labels.Columns != 1)
        {
            throw new ArgumentException($"The labels are {labels.Rows}×{labels.Columns}; expected {features.Rows}×1 (one class id per row of the features).", nameof(labels));
        }

        if (featureNames is not null && featureNames.Count != features.Columns)
        {
            throw new ArgumentException($"{featureNames.Count} feature names were given for {features.Columns} feature columns.", nameof(featureNames));
        }

        int maxLabel = 0;
        for (int i = 0; i < features.Rows; i++)
        {
            ReadOnlySpan<float> row = features.Row(i);
            for (int j = 0; j < row.Length; j++)
            {
                if (!float.IsFinite(row[j]))
                {
                    throw new ArgumentException($"features[{i}, {j}] is {row[j].ToString(CultureInfo.InvariantCulture)}; features must be finite.", nameof(features));
                }
            }

            float label = labels[i, 0];
            if (!IsClassId(label))
            {
                throw new ArgumentException($"labels[{i}, 0] is {label.ToString(CultureInfo.InvariantCulture)}; labels must be integer class ids 0..{MaxClassId}.", nameof(labels));
            }

            maxLabel = Math.Max(maxLabel, ScalarMath.ToInt32(label));
        }

        Features = features;
        Labels = labels;
        _featureNames = featureNames?.ToArray();
        _classSizes = new int[maxLabel + 1];
        for (int i = 0; i < labels.Rows; i++)
        {
            _classSizes[ScalarMath.ToInt32(labels[i, 0])]++;
        }
    }

    /// <summary>The features, one example per row.</summary>
    public Matrix Features { get; }

    /// <summary>The class ids, one per row (a one-column matrix).</summary>
    public Matrix Labels { get; }

    /// <summary>The names of the feature columns, or null when unknown.</summary>
    public IReadOnlyList<string>? FeatureNames => _featureNames;

    /// <summary>The number of examples.</summary>
    public int Count => Features.Rows;

    /// <summary>The number of classes: the largest label + 1 (a class id below it with no example still counts).</summary>
    public int ClassCount => _classSizes.Length;

    /// <summary>The number of examples of each class, indexed by class id.</summary>
    public IReadOnlyList<int> ClassSizes => _classSizes;

    /// <summary>
    /// Splits off a validation set, stratified: from each class, a share <paramref name="validationFraction"/> of its
    /// examples (rounded to the nearest integer), chosen at random, goes to validation; the rest is the training set.
    /// Both keep the original row order.
    /// </summary>
    /// <param name="validationFraction">The share of examples for validation, in (0, 1).</param>
    /// <param name="random">The generator that picks the validation examples.</param>
    /// <returns>The training and validation sets; both keep this set's <see cref="ClassCount"/> semantics (labels unchanged).</returns>
    /// <exception cref="ArgumentNullException"><paramref name="random"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="validationFraction"/> is not in (0, 1), or it leaves one of the two sets empty.</exception>
    public (LabeledData Training, LabeledData Validation) Split(double validationFraction, RandomSource random)
    {
        ArgumentNullException.ThrowIfNull(random);
        if (!(validationFraction > 0 && validationFraction < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(validationFraction), validationFraction, "The validation fraction must be in (0, 1).");
        }

        var toValidation = new bool[Count];
        int validationCount = 0;
        for (int c = 0; c < ClassCount; c++)
        {
            int[] members = Enumerable.Range(0, Count).Where(i => ScalarMath.ToInt32(Labels[i, 0]) == c).ToArray();
            random.Shuffle(members.AsSpan());
            int take = ScalarMath.ToInt32(Math.Round(members.Length * validationFraction, MidpointRounding.AwayFromZero));
            for (int k = 0; k < take; k++)
            {
                toValidation[members[k]] = true;
            }

            validationCount += take;
        }

        if (validationCount == 0 || validationCount == Count)
        {
            throw new ArgumentOutOfRangeException(nameof(validationFraction), validationFraction, $"A validation fraction of {validationFraction} of {Count} examples leaves {(validationCount == 0 ? "no validation" : "no training")} examples.");
        }

        return (Subset(toValidation, false, Count - validationCount), Subset(toValidation, true, validationCount));
    }

    internal static bool IsClassId(float value) => value >= 0 && value <= MaxClassId && value == MathF.Floor(value);

    private LabeledData Subset(bool[] mask, bool keep, int count)
    {
        var features = new Matrix(count, Features.Columns);
        var labels = new Matrix(count, 1);
        int r = 0;
        for (int i = 0; i < Count; i++)
        {
            if (mask[i] == keep)
            {
                Features.Row(i).CopyTo(features.Row(r));
                labels[r, 0] = Labels[i, 0];
                r++;
            }
        }

        return new LabeledData(features, labels, _featureNames);
    }
}
