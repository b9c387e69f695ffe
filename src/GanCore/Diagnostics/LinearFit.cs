namespace GanCore.Diagnostics;

/// <summary>
/// The result of a least-squares fit of <c>y ≈ A·f(x) + B</c> (see <see cref="LeastSquares"/>).
/// </summary>
/// <param name="A">The fitted slope on the basis value f(x); for <see cref="LeastSquares.FitQuadratic"/> the coefficient of x².</param>
/// <param name="B">The fitted intercept.</param>
/// <param name="ResidualRms">
/// The root mean square of the residuals, <c>sqrt(Σ (yᵢ − A·fᵢ − B)² / n)</c>: divided by the point count n,
/// not by the n − 2 degrees of freedom, so it is the typical distance of a point from the fitted curve.
/// </param>
/// <param name="PointCount">The number of points n that were fitted.</param>
public readonly record struct LinearFit(double A, double B, double ResidualRms, int PointCount)
{
    /// <summary>The fitted value <c>A·<paramref name="basisValue"/> + B</c>.</summary>
    /// <param name="basisValue">The basis value f(x) (for a quadratic fit, x²).</param>
    /// <returns>The value of the fitted line at <paramref name="basisValue"/>.</returns>
    public double Evaluate(double basisValue) => (A * basisValue) + B;
}
