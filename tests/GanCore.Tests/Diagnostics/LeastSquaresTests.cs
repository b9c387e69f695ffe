using GanCore.Diagnostics;
using GanCore.Randomness;
using GanCore.Tests.Testing;

namespace GanCore.Tests.Diagnostics;

public class LeastSquaresTests
{
    private const int PointCount = 15;

    /// <summary>x = linspace(−1, 1, 15).</summary>
    private static readonly float[] Grid = Enumerable.Range(0, PointCount).Select(j => (float)(-1.0 + (2.0 * j / (PointCount - 1)))).ToArray();

    /// <summary>a·x² + (a − 1) on <see cref="Grid"/>, computed in double and rounded once.</summary>
    private static void Evaluate(double a, Span<float> y)
    {
        for (int j = 0; j < y.Length; j++)
        {
            double x = -1.0 + (2.0 * j / (y.Length - 1));
            y[j] = (float)((a * x * x) + (a - 1.0));
        }
    }

    [Fact]
    public void Fit_is_exact_on_real_curves_and_recovers_a_and_b()
    {
        var rng = new RandomSource(11);
        Span<float> y = stackalloc float[PointCount];
        for (int trial = 0; trial < 200; trial++)
        {
            double a = rng.NextUniform(1, 2);
            Evaluate(a, y);

            LinearFit fit = LeastSquares.FitQuadratic(Grid, y);

            fit.A.Should().BeApproximately(a, 1e-5);
            fit.B.Should().BeApproximately(a - 1, 1e-5);
            fit.ResidualRms.Should().BeLessThan(1e-5);
            fit.PointCount.Should().Be(15);
        }
    }

    [Fact]
    public void Fit_recovers_arbitrary_quadratics_including_negative_and_large_coefficients()
    {
        float[] x = [-3f, -1.5f, 0f, 0.5f, 2f, 4f];
        foreach ((double a, double b) in new[] { (-2.5, 7.0), (1000.0, -3.0), (0.001, 0.0) })
        {
            float[] y = x.Select(v => (float)((a * v * v) + b)).ToArray();
            LinearFit fit = LeastSquares.FitQuadratic(x, y);
            fit.A.Should().BeApproximately(a, 1e-6 * Math.Max(1, Math.Abs(a)));
            fit.B.Should().BeApproximately(b, 1e-5 * Math.Max(1, Math.Abs(a)));
        }
    }

    [Fact]
    public void Fit_in_three_points_matches_the_hand_solution()
    {
        // x = {-1, 0, 1}, f = x² = {1, 0, 1}, y = {1, 0, 2}.
        // f̄ = 2/3, ȳ = 1, Σ(f-f̄)² = 2/3, Σ(f-f̄)(y-ȳ) = 1 → a = 3/2, b = 1 - (3/2)(2/3) = 0.
        // Residuals {-1/2, 0, 1/2} → RMS = sqrt((1/4 + 1/4) / 3) = sqrt(1/6).
        LinearFit fit = LeastSquares.FitQuadratic([-1f, 0f, 1f], [1f, 0f, 2f]);

        fit.A.Should().BeApproximately(1.5, 1e-12);
        fit.B.Should().BeApproximately(0, 1e-12);
        fit.ResidualRms.Should().BeApproximately(Math.Sqrt(1.0 / 6), 1e-12);
        fit.Evaluate(1).Should().BeApproximately(1.5, 1e-12);
    }

    [Fact]
    public void Fit_of_a_noisy_quadratic_matches_the_hand_computed_residual()
    {
        // y = 2x² + 1 + e on x = {-1, -0.5, 0, 0.5, 1}, with a single bump e = 0.3 at x = 0.
        // f = {1, 1/4, 0, 1/4, 1}: f̄ = 1/2, Σ(f-f̄)² = 7/8, Σ(f-f̄)e = -0.15, ē = 0.06.
        // a = 2 - 0.15/(7/8) = 2 - 6/35 = 64/35; b = ȳ - a·f̄ = 2.06 - 32/35.
        // SSR = Σ(e-ē)² - (Σ(f-f̄)e)²/Σ(f-f̄)² = 0.072 - 0.0225/0.875 = 9/125 - 9/350 = 2025/43750,
        // so the RMS is sqrt(2025/43750 / 5) = 45/sqrt(218750) ≈ 0.0962140.
        float[] x = [-1f, -0.5f, 0f, 0.5f, 1f];
        float[] y = [3f, 1.5f, 1.3f, 1.5f, 3f];

        LinearFit fit = LeastSquares.FitQuadratic(x, y);

        fit.A.Should().BeApproximately(64.0 / 35, 1e-6);
        fit.B.Should().BeApproximately(2.06 - (32.0 / 35), 1e-6);
        fit.ResidualRms.Should().BeApproximately(45 / Math.Sqrt(218750), 1e-6);
        fit.ResidualRms.Should().BeApproximately(0.0962140, 1e-6);
    }

    [Fact]
    public void Linear_fit_in_given_basis_values_matches_the_hand_solution()
    {
        // Points (0,1), (1,3), (2,4), (3,4): f̄ = 1.5, ȳ = 3, f - f̄ = {-1.5, -0.5, 0.5, 1.5}, y - ȳ = {-2, 0, 1, 1},
        // Σ(f-f̄)² = 5, Σ(f-f̄)(y-ȳ) = 3 + 0 + 0.5 + 1.5 = 5 → a = 1, b = 3 - 1.5 = 1.5;
        // residuals {-0.5, 0.5, 0.5, -0.5} → RMS = 0.5.
        LinearFit fit = LeastSquares.Fit([0f, 1f, 2f, 3f], [1f, 3f, 4f, 4f]);

        fit.A.Should().BeApproximately(1, 1e-12);
        fit.B.Should().BeApproximately(1.5, 1e-12);
        fit.ResidualRms.Should().BeApproximately(0.5, 1e-12);
    }

    [Fact]
    public void Fit_is_accurate_far_from_the_origin()
    {
        // A large common offset in y would ruin the uncentred n·Σfy - Σf·Σy form in float; the centred form keeps it.
        float[] f = [0f, 1f, 2f, 3f, 4f];
        float[] y = f.Select(v => 100000f + (0.5f * v)).ToArray();
        LinearFit fit = LeastSquares.Fit(f, y);
        fit.A.Should().BeApproximately(0.5, 1e-9);
        fit.B.Should().BeApproximately(100000, 1e-6);
        fit.ResidualRms.Should().Be(0);
    }

    [Fact]
    public void Fewer_than_two_points_throws()
    {
        var act0 = () => LeastSquares.FitQuadratic([], []);
        var act1 = () => LeastSquares.FitQuadratic([0.5f], [1f]);
        act0.Should().Throw<ArgumentException>().WithParameterName("y").WithMessage("*at least 2 points*0*");
        act1.Should().Throw<ArgumentException>().WithParameterName("y").WithMessage("*at least 2 points*1*");
    }

    [Fact]
    public void Length_mismatch_throws_and_names_both_sizes()
    {
        var act = () => LeastSquares.FitQuadratic([0f, 1f, 2f], [1f, 2f]);
        act.Should().Throw<ArgumentException>().WithParameterName("y").WithMessage("*(3)*(2)*");
    }

    [Theory]
    [InlineData(float.NaN, false)]
    [InlineData(float.PositiveInfinity, false)]
    [InlineData(float.NegativeInfinity, true)]
    [InlineData(float.NaN, true)]
    public void Non_finite_input_throws(float bad, bool inX)
    {
        float[] x = [-1f, 0f, 1f];
        float[] y = [1f, 0f, 1f];
        (inX ? x : y)[1] = bad;
        var act = () => LeastSquares.FitQuadratic(x, y);
        act.Should().Throw<ArgumentException>().WithParameterName(inX ? "x" : "y").WithMessage("*[1]*finite*");
    }

    [Fact]
    public void Degenerate_design_throws()
    {
        // x = ±1: every x² is 1, so a and b cannot be separated.
        var symmetric = () => LeastSquares.FitQuadratic([-1f, 1f, -1f], [1f, 2f, 3f]);
        symmetric.Should().Throw<ArgumentException>().WithParameterName("x").WithMessage("*degenerate*");

        // Equal values whose double mean is not exactly the value (0.1·3/3 ≠ 0.1) are still caught.
        var constant = () => LeastSquares.Fit([0.1f, 0.1f, 0.1f], [1f, 2f, 3f]);
        constant.Should().Throw<ArgumentException>().WithParameterName("basis").WithMessage("*degenerate*");
    }

    [Fact]
    public void Fitting_allocates_nothing()
    {
        float[] y = new float[PointCount];
        Evaluate(1.25, y);
        double a = 0;
        AllocationProbe.QuietestWindow(() => a = LeastSquares.FitQuadratic(Grid, y).A, warmUp: 1, calls: 100).Should().Be(0);
        a.Should().BeApproximately(1.25, 1e-5);
    }
}
