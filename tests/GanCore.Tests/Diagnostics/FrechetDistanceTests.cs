using GanCore.Diagnostics;
using GanCore.Randomness;
using GanCore.Tensors;

namespace GanCore.Tests.Diagnostics;

public class FrechetDistanceTests
{
    /// <summary>
    /// The closed form in two dimensions, independent of any eigendecomposition: for a 2×2 symmetric PSD matrix A,
    /// Tr(A^½) = √(Tr A + 2√det A). With A = Σ₁^½ Σ₂ Σ₁^½, Tr A = Tr(Σ₁Σ₂) and det A = det Σ₁ · det Σ₂.
    /// </summary>
    private static double ClosedForm2D(double[] m1, double[,] s1, double[] m2, double[,] s2)
    {
        double meanTerm = Math.Pow(m1[0] - m2[0], 2) + Math.Pow(m1[1] - m2[1], 2);
        double traceProduct = (s1[0, 0] * s2[0, 0]) + (s1[0, 1] * s2[1, 0]) + (s1[1, 0] * s2[0, 1]) + (s1[1, 1] * s2[1, 1]);
        double det1 = (s1[0, 0] * s1[1, 1]) - (s1[0, 1] * s1[1, 0]);
        double det2 = (s2[0, 0] * s2[1, 1]) - (s2[0, 1] * s2[1, 0]);
        double crossTrace = Math.Sqrt(traceProduct + (2 * Math.Sqrt(det1 * det2)));
        return meanTerm + s1[0, 0] + s1[1, 1] + s2[0, 0] + s2[1, 1] - (2 * crossTrace);
    }

    [Fact]
    public void Two_non_commuting_gaussians_match_the_closed_form()
    {
        double[] m1 = [0.5, -1.0];
        double[,] s1 = { { 2.0, 0.6 }, { 0.6, 0.5 } };
        double[] m2 = [1.5, 0.25];
        double[,] s2 = { { 0.3, -0.2 }, { -0.2, 1.7 } };

        double expected = ClosedForm2D(m1, s1, m2, s2);
        expected.Should().BeGreaterThan(1.0, "the test case must not be trivial");
        FrechetDistance.FromMoments(m1, s1, m2, s2).Should().BeApproximately(expected, 1e-12);
        FrechetDistance.FromMoments(m2, s2, m1, s1).Should().BeApproximately(expected, 1e-12, "the distance is symmetric");
    }

    [Fact]
    public void Diagonal_covariances_give_the_sum_of_squared_root_differences()
    {
        double[] m1 = [1, 2, 3];
        double[] m2 = [0, 2, 5];
        double[] a = [4, 1, 0.25];
        double[] b = [1, 9, 0.25];
        double expected = 1 + 0 + 4 + Math.Pow(2 - 1, 2) + Math.Pow(1 - 3, 2) + 0; // ‖μ₁−μ₂‖² + Σ(√a − √b)² = 5 + 5
        FrechetDistance.FromMoments(m1, Diagonal(a), m2, Diagonal(b)).Should().BeApproximately(expected, 1e-12);
    }

    [Fact]
    public void Commuting_covariances_give_the_sum_of_squared_root_differences_of_their_eigenvalues()
    {
        // Σ₁ = R diag(a) Rᵀ and Σ₂ = R diag(b) Rᵀ share eigenvectors, so d² = ‖μ₁−μ₂‖² + Σ(√aᵢ − √bᵢ)².
        double angle = 0.7;
        double c = Math.Cos(angle);
        double s = Math.Sin(angle);
        double[,] r = { { c, -s }, { s, c } };
        double[] a = [3.0, 0.2];
        double[] b = [0.5, 2.0];
        double expected = 0.5 + Math.Pow(Math.Sqrt(3.0) - Math.Sqrt(0.5), 2) + Math.Pow(Math.Sqrt(0.2) - Math.Sqrt(2.0), 2);
        FrechetDistance.FromMoments([0, 0], Rotate(r, a), [0.5, -0.5], Rotate(r, b)).Should().BeApproximately(expected, 1e-12);
    }

    [Fact]
    public void Equal_gaussians_are_at_distance_zero_even_when_singular()
    {
        // A rank-1 covariance: one eigenvalue is 0 and may round to a tiny negative number (clamped).
        double[,] singular = { { 1, 2 }, { 2, 4 } };
        FrechetDistance.FromMoments([1, 1], singular, [1, 1], singular).Should().BeApproximately(0, 1e-7);
        FrechetDistance.FromMoments([1, 1], singular, [1, 1], singular).Should().BeGreaterThanOrEqualTo(0);

        double[,] full = { { 2.0, 0.6 }, { 0.6, 0.5 } };
        FrechetDistance.FromMoments([0, 0], full, [0, 0], full).Should().BeApproximately(0, 1e-12);
    }

    [Fact]
    public void Singular_against_full_matches_the_closed_form()
    {
        double[,] singular = { { 1, 2 }, { 2, 4 } };
        double[,] full = { { 2.0, 0.6 }, { 0.6, 0.5 } };
        double expected = ClosedForm2D([0, 0], singular, [1, 0], full);
        FrechetDistance.FromMoments([0, 0], singular, [1, 0], full).Should().BeApproximately(expected, 1e-7);
    }

    [Fact]
    public void Moments_are_the_mean_and_the_unbiased_covariance()
    {
        // Rows (0,0), (2,0), (1,3): mean (1,1); deviations (−1,−1), (1,−1), (0,2); sums of products / (n−1 = 2).
        Matrix m = Matrix.FromArray(new float[,] { { 0, 0 }, { 2, 0 }, { 1, 3 } });
        (double[] mean, double[,] cov) = FrechetDistance.Moments(m);
        mean.Should().Equal(1.0, 1.0);
        cov[0, 0].Should().BeApproximately(1.0, 1e-15);  // (1 + 1 + 0) / 2
        cov[1, 1].Should().BeApproximately(3.0, 1e-15);  // (1 + 1 + 4) / 2
        cov[0, 1].Should().BeApproximately(0.0, 1e-15);  // (1 − 1 + 0) / 2
        cov[1, 0].Should().Be(cov[0, 1]);
    }

    [Fact]
    public void Large_samples_approach_the_closed_form_of_their_gaussians()
    {
        // 200,000 draws per set. The estimate's standard error here is about 0.005 (mean term ≈ 2|Δμ|·√(tr Σ / n),
        // covariance terms ≈ tr Σ · √(2 / n)); the tolerance 0.03 is about six of those.
        double[] m1 = [0.5, -1.0];
        double[,] s1 = { { 2.0, 0.6 }, { 0.6, 0.5 } };
        double[] m2 = [1.5, 0.25];
        double[,] s2 = { { 0.3, -0.2 }, { -0.2, 1.7 } };
        var random = new RandomSource(17);
        Matrix x = Draw(random, 200_000, m1, s1);
        Matrix y = Draw(random, 200_000, m2, s2);

        double expected = ClosedForm2D(m1, s1, m2, s2);
        FrechetDistance.Compute(x, y).Should().BeApproximately(expected, 0.03);
        FrechetDistance.Compute(x, x).Should().BeApproximately(0, 1e-9);
    }

    [Fact]
    public void Two_samples_of_one_distribution_are_close_to_zero_and_a_shift_adds_its_square()
    {
        var random = new RandomSource(5);
        double[,] s = { { 1.0, 0.3 }, { 0.3, 0.8 } };
        Matrix x = Draw(random, 50_000, [0, 0], s);
        Matrix y = Draw(random, 50_000, [0, 0], s);
        double baseline = FrechetDistance.Compute(x, y);
        baseline.Should().BeLessThan(0.01);

        // Shifting every row of y by (3, 4) moves only the mean term: +25 − 2 (Δμ̂ · (3, 4)) exactly.
        Matrix shifted = new(y.Rows, 2);
        for (int i = 0; i < y.Rows; i++)
        {
            shifted[i, 0] = y[i, 0] + 3;
            shifted[i, 1] = y[i, 1] + 4;
        }

        double[] mx = FrechetDistance.Moments(x).Mean;
        double[] my = FrechetDistance.Moments(y).Mean;
        double expected = baseline + 25 - (2 * (((mx[0] - my[0]) * 3) + ((mx[1] - my[1]) * 4)));
        FrechetDistance.Compute(x, shifted).Should().BeApproximately(expected, 1e-4);
    }

    [Fact]
    public void Bad_input_is_rejected_with_the_shapes_in_the_message()
    {
        Matrix two = Matrix.FromArray(new float[,] { { 0, 0 }, { 1, 1 } });
        Matrix three = Matrix.FromArray(new float[,] { { 0, 0, 0 }, { 1, 1, 1 } });
        Matrix one = Matrix.FromArray(new float[,] { { 0, 0 } });
        Matrix nan = Matrix.FromArray(new float[,] { { 0, 0 }, { 1, float.NaN } });

        FluentActions.Invoking(() => FrechetDistance.Compute(two, three)).Should().Throw<ArgumentException>().WithMessage("*2×2*2×3*");
        FluentActions.Invoking(() => FrechetDistance.Compute(one, two)).Should().Throw<ArgumentException>().WithParameterName("first").WithMessage("*at least 2*");
        FluentActions.Invoking(() => FrechetDistance.Compute(two, nan)).Should().Throw<ArgumentException>().WithParameterName("second").WithMessage("*[1, 1]*NaN*");

        double[,] id = { { 1, 0 }, { 0, 1 } };
        FluentActions.Invoking(() => FrechetDistance.FromMoments([0, 0], id, [0], id)).Should().Throw<ArgumentException>().WithParameterName("mean2");
        FluentActions.Invoking(() => FrechetDistance.FromMoments([0, 0], new double[3, 3], [0, 0], id)).Should().Throw<ArgumentException>().WithParameterName("covariance1").WithMessage("*3×3*2×2*");
        FluentActions.Invoking(() => FrechetDistance.FromMoments([0, 0], id, [0, 0], new double[,] { { 1, 0.5 }, { 0, 1 } })).Should().Throw<ArgumentException>().WithParameterName("covariance2").WithMessage("*not symmetric*");
        FluentActions.Invoking(() => FrechetDistance.FromMoments([0, 0], new double[,] { { 1, 0 }, { 0, -1 } }, [0, 0], id)).Should().Throw<ArgumentException>().WithParameterName("covariance1").WithMessage("*not positive semi-definite*");
        FluentActions.Invoking(() => FrechetDistance.FromMoments([0, double.NaN], id, [0, 0], id)).Should().Throw<ArgumentException>().WithParameterName("mean1");
    }

    private static double[,] Diagonal(double[] values)
    {
        var m = new double[values.Length, values.Length];
        for (int i = 0; i < values.Length; i++)
        {
            m[i, i] = values[i];
        }

        return m;
    }

    private static double[,] Rotate(double[,] r, double[] eigenvalues)
    {
        var m = new double[2, 2];
        for (int i = 0; i < 2; i++)
        {
            for (int j = 0; j < 2; j++)
            {
                m[i, j] = (r[i, 0] * eigenvalues[0] * r[j, 0]) + (r[i, 1] * eigenvalues[1] * r[j, 1]);
            }
        }

        return m;
    }

    /// <summary>n draws of N(mean, cov) in 2-D through the Cholesky factor L (cov = L Lᵀ).</summary>
    private static Matrix Draw(RandomSource random, int n, double[] mean, double[,] cov)
    {
        double l00 = Math.Sqrt(cov[0, 0]);
        double l10 = cov[1, 0] / l00;
        double l11 = Math.Sqrt(cov[1, 1] - (l10 * l10));
        var m = new Matrix(n, 2);
        for (int i = 0; i < n; i++)
        {
            double z0 = random.NextGaussian();
            double z1 = random.NextGaussian();
            m[i, 0] = (float)(mean[0] + (l00 * z0));
            m[i, 1] = (float)(mean[1] + (l10 * z0) + (l11 * z1));
        }

        return m;
    }
}
