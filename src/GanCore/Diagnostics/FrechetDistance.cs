using GanCore.Kernels;
using GanCore.Tensors;
using MathNet.Numerics.LinearAlgebra;
using MathNet.Numerics.LinearAlgebra.Factorization;

namespace GanCore.Diagnostics;

/// <summary>
/// The Fréchet distance between two sample sets, each summarized by a Gaussian with its mean and covariance:
/// d² = ‖μ₁ − μ₂‖² + Tr(Σ₁ + Σ₂ − 2 (Σ₁^½ Σ₂ Σ₁^½)^½). It is the squared 2-Wasserstein distance between
/// N(μ₁, Σ₁) and N(μ₂, Σ₂), and the quantity behind the FID (there computed on Inception features; here on any
/// feature vectors, such as raw 2-D points).
/// </summary>
/// <remarks>
/// <para>
/// The cross term uses the symmetric form Σ₁^½ Σ₂ Σ₁^½ rather than Σ₁Σ₂: both have the same eigenvalues, but the
/// symmetric form is a symmetric positive semi-definite matrix, so its square root is real and comes from a
/// symmetric eigendecomposition. Every square root is taken from MathNet.Numerics' <c>Evd</c> with
/// <c>Symmetricity.Symmetric</c>: A = V diag(λ) Vᵀ gives A^½ = V diag(√λ) Vᵀ, and Tr(A^½) = Σ √λᵢ.
/// </para>
/// <para>
/// Rounding can turn a zero eigenvalue of a singular covariance (for example a set whose points lie on a line)
/// into a tiny negative number. Eigenvalues below zero are clamped to zero before the square root; a covariance
/// with an eigenvalue below −1e-9·(1 + largest |λ|) is not positive semi-definite and is rejected. The final
/// distance is clamped at zero for the same reason (two equal sets can round to −1e-16).
/// </para>
/// <para>
/// Covariances of samples use the unbiased n − 1 denominator (numpy's <c>np.cov</c> default, which the common FID
/// code uses). Sums are accumulated in double precision.
/// </para>
/// </remarks>
public static class FrechetDistance
{
    /// <summary>Relative tolerance below which a negative eigenvalue counts as rounding, not as an indefinite matrix.</summary>
    private const double NegativeEigenvalueTolerance = 1e-9;

    /// <summary>The Fréchet distance between the Gaussians fitted to two sample sets (rows = samples, columns = dimensions).</summary>
    /// <param name="first">The first set: at least two rows, finite values.</param>
    /// <param name="second">The second set: at least two rows, the same number of columns as <paramref name="first"/>, finite values.</param>
    /// <returns>d² ≥ 0 (a squared distance, in squared data units).</returns>
    /// <exception cref="ArgumentNullException">A set is null.</exception>
    /// <exception cref="ArgumentException">A set has fewer than two rows, the column counts differ, or a value is NaN or infinite.</exception>
    public static double Compute(Matrix first, Matrix second)
    {
        ArgumentNullException.ThrowIfNull(first);
        ArgumentNullException.ThrowIfNull(second);
        if (first.Columns != second.Columns)
        {
            throw new ArgumentException($"The sets have different dimensions: first is {first.Rows}×{first.Columns}, second is {second.Rows}×{second.Columns}.", nameof(second));
        }

        (double[] mean1, double[,] covariance1) = Moments(first, nameof(first));
        (double[] mean2, double[,] covariance2) = Moments(second, nameof(second));
        return FromMoments(mean1, covariance1, mean2, covariance2);
    }

    /// <summary>
    /// The Fréchet distance between N(<paramref name="mean1"/>, <paramref name="covariance1"/>) and
    /// N(<paramref name="mean2"/>, <paramref name="covariance2"/>), given directly.
    /// </summary>
    /// <param name="mean1">μ₁, of length d (finite).</param>
    /// <param name="covariance1">Σ₁, d×d, symmetric positive semi-definite (finite).</param>
    /// <param name="mean2">μ₂, of length d (finite).</param>
    /// <param name="covariance2">Σ₂, d×d, symmetric positive semi-definite (finite).</param>
    /// <returns>d² = ‖μ₁ − μ₂‖² + Tr(Σ₁ + Σ₂ − 2 (Σ₁^½ Σ₂ Σ₁^½)^½) ≥ 0.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException">
    /// The dimensions disagree or are zero; a value is NaN or infinite; a covariance is not symmetric (relative
    /// asymmetry above 1e-9) or has a clearly negative eigenvalue.
    /// </exception>
    public static double FromMoments(double[] mean1, double[,] covariance1, double[] mean2, double[,] covariance2)
    {
        ArgumentNullException.ThrowIfNull(mean1);
        ArgumentNullException.ThrowIfNull(covariance1);
        ArgumentNullException.ThrowIfNull(mean2);
        ArgumentNullException.ThrowIfNull(covariance2);
        int d = mean1.Length;
        if (d == 0)
        {
            throw new ArgumentException("The mean is empty; the distance needs at least one dimension.", nameof(mean1));
        }

        if (mean2.Length != d)
        {
            throw new ArgumentException($"mean2 has length {mean2.Length}; mean1 has length {d}.", nameof(mean2));
        }

        CheckFinite(mean1, nameof(mean1));
        CheckFinite(mean2, nameof(mean2));
        CheckCovariance(covariance1, d, nameof(covariance1));
        CheckCovariance(covariance2, d, nameof(covariance2));

        double meanTerm = 0;
        for (int i = 0; i < d; i++)
        {
            double diff = mean1[i] - mean2[i];
            meanTerm += diff * diff;
        }

        Matrix<double> sigma1 = Matrix<double>.Build.DenseOfArray(covariance1);
        Matrix<double> sigma2 = Matrix<double>.Build.DenseOfArray(covariance2);
        Matrix<double> root1 = SymmetricSquareRoot(sigma1, nameof(covariance1));

        // Σ₁^½ Σ₂ Σ₁^½ is symmetric in exact arithmetic; average it with its transpose so the symmetric solver sees
        // exactly a symmetric matrix. Its square root's trace is the sum of the square roots of its eigenvalues.
        Matrix<double> inner = root1 * sigma2 * root1;
        inner = (inner + inner.Transpose()) * 0.5;
        double crossTrace = 0;
        foreach (double lambda in ClampedEigenvalues(inner, nameof(covariance2)))
        {
            crossTrace += Math.Sqrt(lambda);
        }

        double distance = meanTerm + sigma1.Trace() + sigma2.Trace() - (2 * crossTrace);
        return ScalarMath.Max(0.0, distance);
    }

    /// <summary>The sample mean and the unbiased (n − 1) sample covariance of the rows of <paramref name="samples"/>.</summary>
    /// <param name="samples">Rows = samples (at least two), columns = dimensions; finite values.</param>
    /// <returns>The mean (length = columns) and the covariance (columns × columns).</returns>
    /// <exception cref="ArgumentNullException"><paramref name="samples"/> is null.</exception>
    /// <exception cref="ArgumentException">Fewer than two rows, no columns, or a NaN or infinite value.</exception>
    public static (double[] Mean, double[,] Covariance) Moments(Matrix samples) => Moments(samples, nameof(samples));

    private static (double[] Mean, double[,] Covariance) Moments(Matrix samples, string name)
    {
        ArgumentNullException.ThrowIfNull(samples, name);
        int n = samples.Rows;
        int d = samples.Columns;
        if (n < 2)
        {
            throw new ArgumentException($"{name} has {n} row(s) ({n}×{d}); a covariance needs at least 2 samples.", name);
        }

        if (d == 0)
        {
            throw new ArgumentException($"{name} has no columns ({n}×0).", name);
        }

        var mean = new double[d];
        for (int i = 0; i < n; i++)
        {
            ReadOnlySpan<float> row = samples.Row(i);
            for (int j = 0; j < d; j++)
            {
                float v = row[j];
                if (!float.IsFinite(v))
                {
                    throw new ArgumentException($"{name}[{i}, {j}] is {v}; the distance needs finite values ({n}×{d}).", name);
                }

                mean[j] += v;
            }
        }

        for (int j = 0; j < d; j++)
        {
            mean[j] /= n;
        }

        // Centred products, so large offsets do not cancel catastrophically.
        var covariance = new double[d, d];
        var centred = new double[d];
        for (int i = 0; i < n; i++)
        {
            ReadOnlySpan<float> row = samples.Row(i);
            for (int j = 0; j < d; j++)
            {
                centred[j] = row[j] - mean[j];
            }

            for (int a = 0; a < d; a++)
            {
                double ca = centred[a];
                for (int b = a; b < d; b++)
                {
                    covariance[a, b] += ca * centred[b];
                }
            }
        }

        for (int a = 0; a < d; a++)
        {
            for (int b = a; b < d; b++)
            {
                double value = covariance[a, b] / (n - 1);
                covariance[a, b] = value;
                covariance[b, a] = value;
            }
        }

        return (mean, covariance);
    }

    /// <summary>A^½ = V diag(√max(λ, 0)) Vᵀ of a symmetric positive semi-definite A, from MathNet's symmetric Evd.</summary>
    private static Matrix<double> SymmetricSquareRoot(Matrix<double> a, string name)
    {
        Evd<double> evd = a.Evd(Symmetricity.Symmetric);
        double[] lambdas = Clamp(evd.EigenValues.Select(c => c.Real).ToArray(), name);
        Matrix<double> v = evd.EigenVectors;
        Matrix<double> scaled = v.Clone();
        for (int j = 0; j < lambdas.Length; j++)
        {
            double root = Math.Sqrt(lambdas[j]);
            for (int i = 0; i < scaled.RowCount; i++)
            {
                scaled[i, j] *= root;
            }
        }

        return scaled * v.Transpose();
    }

    private static double[] ClampedEigenvalues(Matrix<double> a, string name) =>
        Clamp(a.Evd(Symmetricity.Symmetric).EigenValues.Select(c => c.Real).ToArray(), name);

    private static double[] Clamp(double[] lambdas, string name)
    {
        double largest = 0;
        foreach (double l in lambdas)
        {
            largest = ScalarMath.Max(largest, Math.Abs(l));
        }

        double floor = -NegativeEigenvalueTolerance * (1 + largest);
        for (int i = 0; i < lambdas.Length; i++)
        {
            if (lambdas[i] < floor)
            {
                throw new ArgumentException($"{name} is not positive semi-definite: eigenvalue {lambdas[i]:G6} (largest |λ| {largest:G6}).", name);
            }

            lambdas[i] = ScalarMath.Max(0.0, lambdas[i]);
        }

        return lambdas;
    }

    private static void CheckFinite(double[] values, string name)
    {
        for (int i = 0; i < values.Length; i++)
        {
            if (!double.IsFinite(values[i]))
            {
                throw new ArgumentException($"{name}[{i}] is {values[i]}; the distance needs finite values.", name);
            }
        }
    }

    private static void CheckCovariance(double[,] covariance, int d, string name)
    {
        if (covariance.GetLength(0) != d || covariance.GetLength(1) != d)
        {
            throw new ArgumentException($"{name} is {covariance.GetLength(0)}×{covariance.GetLength(1)}; the means have length {d}, so it must be {d}×{d}.", name);
        }

        double scale = 0;
        for (int i = 0; i < d; i++)
        {
            for (int j = 0; j < d; j++)
            {
                double v = covariance[i, j];
                if (!double.IsFinite(v))
                {
                    throw new ArgumentException($"{name}[{i}, {j}] is {v}; the distance needs finite values.", name);
                }

                scale = ScalarMath.Max(scale, Math.Abs(v));
            }
        }

        for (int i = 0; i < d; i++)
        {
            for (int j = i + 1; j < d; j++)
            {
                if (Math.Abs(covariance[i, j] - covariance[j, i]) > NegativeEigenvalueTolerance * (1 + scale))
                {
                    throw new ArgumentException($"{name} is not symmetric: [{i}, {j}] = {covariance[i, j]:G6} but [{j}, {i}] = {covariance[j, i]:G6}.", name);
                }
            }
        }
    }
}
