using GanCore.Tensors;

namespace GanCore.Diagnostics;

/// <summary>
/// Precision and recall for generative models with k-nearest-neighbour manifolds (Kynkäänniemi, Karras, Laine,
/// Lehtinen and Aila, "Improved Precision and Recall Metric for Assessing Generative Models", NeurIPS 2019).
/// </summary>
/// <remarks>
/// <para>
/// Each sample φ of a set Φ gets a ball whose radius r_k(φ) is the distance to its k-th nearest neighbour among the
/// other samples of Φ (φ itself excluded by index; an exact duplicate elsewhere in Φ is a neighbour at distance 0).
/// The union of the balls estimates the manifold of Φ: a point y lies in it when ‖y − φ‖ ≤ r_k(φ) for some φ
/// (inclusive, so a point equal to a sample is always inside).
/// Precision = share of generated samples inside the real manifold; recall = share of real samples inside the
/// generated manifold. A generator that draws only part of the data scores high precision and low recall; one that
/// spreads samples off the data scores low precision.
/// </para>
/// <para>
/// k = 3 is the paper's default (<see cref="DefaultNeighbors"/>). Distances are Euclidean, exact and brute force:
/// O(n·m·d) time, O(n + m) memory, nothing allocated per pair. That suits a few thousand points in low dimension
/// (2,500 × 2,500 points in 2-D take well under a second); use features of moderate dimension for images.
/// Distances are accumulated in double precision.
/// </para>
/// </remarks>
public static class PrecisionRecall
{
    /// <summary>The paper's default neighbourhood size k = 3.</summary>
    public const int DefaultNeighbors = 3;

    /// <summary>Improved precision and recall of <paramref name="generated"/> against <paramref name="real"/> (rows = samples, columns = dimensions).</summary>
    /// <param name="real">The real samples: more than <paramref name="k"/> rows, finite values.</param>
    /// <param name="generated">The generated samples: more than <paramref name="k"/> rows, as many columns as <paramref name="real"/>, finite values.</param>
    /// <param name="k">The neighbourhood size (≥ 1); default 3.</param>
    /// <returns>Precision and recall, each in [0, 1].</returns>
    /// <exception cref="ArgumentNullException">A set is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="k"/> is below 1.</exception>
    /// <exception cref="ArgumentException">
    /// The column counts differ or are zero; a set has k or fewer rows (a sample needs k other samples for its radius);
    /// a value is NaN or infinite.
    /// </exception>
    public static PrecisionRecallResult Compute(Matrix real, Matrix generated, int k = DefaultNeighbors)
    {
        ArgumentNullException.ThrowIfNull(real);
        ArgumentNullException.ThrowIfNull(generated);
        ArgumentOutOfRangeException.ThrowIfLessThan(k, 1);
        if (real.Columns != generated.Columns)
        {
            throw new ArgumentException($"The sets have different dimensions: real is {real.Rows}×{real.Columns}, generated is {generated.Rows}×{generated.Columns}.", nameof(generated));
        }

        CheckSet(real, k, nameof(real));
        CheckSet(generated, k, nameof(generated));

        double[] realRadii = SquaredNeighborRadii(real, k);
        double[] generatedRadii = SquaredNeighborRadii(generated, k);
        double precision = ShareInside(generated, real, realRadii);
        double recall = ShareInside(real, generated, generatedRadii);
        return new PrecisionRecallResult(precision, recall);
    }

    /// <summary>
    /// The k-NN radius of every sample among the other samples of the same set: r_k(φᵢ) = the k-th smallest
    /// ‖φᵢ − φⱼ‖ over j ≠ i.
    /// </summary>
    /// <param name="samples">The set: more than <paramref name="k"/> rows, finite values.</param>
    /// <param name="k">The neighbourhood size (≥ 1).</param>
    /// <returns>One radius per row (a distance, not squared).</returns>
    /// <exception cref="ArgumentNullException"><paramref name="samples"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="k"/> is below 1.</exception>
    /// <exception cref="ArgumentException">The set has k or fewer rows, no columns, or a NaN or infinite value.</exception>
    public static double[] NeighborRadii(Matrix samples, int k = DefaultNeighbors)
    {
        ArgumentNullException.ThrowIfNull(samples);
        ArgumentOutOfRangeException.ThrowIfLessThan(k, 1);
        CheckSet(samples, k, nameof(samples));
        double[] radii = SquaredNeighborRadii(samples, k);
        for (int i = 0; i < radii.Length; i++)
        {
            radii[i] = Math.Sqrt(radii[i]);
        }

        return radii;
    }

    /// <summary>Squared k-NN radii: for each row, the k smallest squared distances to the other rows, kept sorted in a k-slot buffer.</summary>
    private static double[] SquaredNeighborRadii(Matrix set, int k)
    {
        int n = set.Rows;
        var radii = new double[n];
        var nearest = new double[k];
        for (int i = 0; i < n; i++)
        {
            ReadOnlySpan<float> a = set.Row(i);
            nearest.AsSpan().Fill(double.PositiveInfinity);
            for (int j = 0; j < n; j++)
            {
                if (j == i)
                {
                    continue;
                }

                double d2 = SquaredDistance(a, set.Row(j));
                if (d2 >= nearest[k - 1])
                {
                    continue;
                }

                // Insert into the sorted buffer, dropping the largest.
                int slot = k - 1;
                while (slot > 0 && nearest[slot - 1] > d2)
                {
                    nearest[slot] = nearest[slot - 1];
                    slot--;
                }

                nearest[slot] = d2;
            }

            radii[i] = nearest[k - 1];
        }

        return radii;
    }

    /// <summary>The share of rows of <paramref name="points"/> within the squared radius of some row of <paramref name="centres"/>.</summary>
    private static double ShareInside(Matrix points, Matrix centres, double[] squaredRadii)
    {
        int inside = 0;
        for (int i = 0; i < points.Rows; i++)
        {
            ReadOnlySpan<float> p = points.Row(i);
            for (int j = 0; j < centres.Rows; j++)
            {
                if (SquaredDistance(p, centres.Row(j)) <= squaredRadii[j])
                {
                    inside++;
                    break;
                }
            }
        }

        return (double)inside / points.Rows;
    }

    private static double SquaredDistance(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        double sum = 0;
        for (int t = 0; t < a.Length; t++)
        {
            double diff = (double)a[t] - b[t];
            sum += diff * diff;
        }

        return sum;
    }

    private static void CheckSet(Matrix set, int k, string name)
    {
        if (set.Columns == 0)
        {
            throw new ArgumentException($"{name} has no columns ({set.Rows}×0).", name);
        }

        if (set.Rows <= k)
        {
            throw new ArgumentException($"{name} has n = {set.Rows} samples; k = {k} needs at least k + 1 = {k + 1} (each sample's radius is the distance to its k-th nearest other sample).", name);
        }

        for (int i = 0; i < set.Rows; i++)
        {
            ReadOnlySpan<float> row = set.Row(i);
            for (int j = 0; j < row.Length; j++)
            {
                if (!float.IsFinite(row[j]))
                {
                    throw new ArgumentException($"{name}[{i}, {j}] is {row[j]}; precision and recall need finite values ({set.Rows}×{set.Columns}).", name);
                }
            }
        }
    }
}
