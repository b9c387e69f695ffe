namespace GanCore.Diagnostics;

/// <summary>
/// Ordinary least squares for the two-parameter model <c>y ≈ a·f(x) + b</c>, where f is a fixed basis
/// function: the identity (<see cref="Fit"/>, a straight line in the given basis values) or the square
/// (<see cref="FitQuadratic"/>, the model <c>a·x² + b</c>). A general tool for any data: it knows nothing of GANs
/// or of any sample's data.
/// </summary>
/// <remarks>
/// <para>
/// The closed-form solution of the normal equations is computed in double precision on centred sums,
/// which avoids the cancellation of the textbook <c>n·Σfy − Σf·Σy</c> form:
/// <c>a = Σ(fᵢ − f̄)(yᵢ − ȳ) / Σ(fᵢ − f̄)²</c>, <c>b = ȳ − a·f̄</c>.
/// Data that follow the model exactly are recovered to float rounding.
/// </para>
/// <para>The methods allocate nothing.</para>
/// </remarks>
public static class LeastSquares
{
    /// <summary>Fits <c>y ≈ a·f + b</c> to basis values <paramref name="basis"/> (fᵢ) and observations <paramref name="y"/>.</summary>
    /// <param name="basis">The basis values fᵢ, one per point.</param>
    /// <param name="y">The observations yᵢ, as many as <paramref name="basis"/>.</param>
    /// <returns>The fitted slope, intercept and residual RMS.</returns>
    /// <exception cref="ArgumentException">
    /// The lengths differ; there are fewer than 2 points; a value is NaN or infinite; or all basis values are
    /// equal, so the slope is not identifiable (a degenerate design).
    /// </exception>
    public static LinearFit Fit(ReadOnlySpan<float> basis, ReadOnlySpan<float> y) =>
        FitCore<IdentityBasis>(basis, y, nameof(basis));

    /// <summary>Fits <c>y ≈ a·x² + b</c> to the points (<paramref name="x"/>ᵢ, <paramref name="y"/>ᵢ).</summary>
    /// <param name="x">The abscissae xᵢ, one per point.</param>
    /// <param name="y">The observations yᵢ, as many as <paramref name="x"/>.</param>
    /// <returns>The fitted coefficient of x², the intercept and the residual RMS.</returns>
    /// <exception cref="ArgumentException">
    /// The lengths differ; there are fewer than 2 points; a value is NaN or infinite; or all xᵢ² are equal
    /// (for example x = {−1, 1}), so a is not identifiable (a degenerate design).
    /// </exception>
    public static LinearFit FitQuadratic(ReadOnlySpan<float> x, ReadOnlySpan<float> y) =>
        FitCore<SquareBasis>(x, y, nameof(x));

    private static LinearFit FitCore<TBasis>(ReadOnlySpan<float> x, ReadOnlySpan<float> y, string xName)
        where TBasis : IBasis
    {
        if (x.Length != y.Length)
        {
            throw new ArgumentException($"The {xName} values ({x.Length}) and the y values ({y.Length}) must have the same length.", nameof(y));
        }

        int n = x.Length;
        if (n < 2)
        {
            throw new ArgumentException($"A two-parameter fit needs at least 2 points; got {n}.", nameof(y));
        }

        // Pass 1: validate, means, and whether the basis varies at all.
        double f0 = TBasis.Map(x[0]);
        bool varies = false;
        double sumF = 0;
        double sumY = 0;
        for (int i = 0; i < n; i++)
        {
            if (!float.IsFinite(x[i]))
            {
                throw new ArgumentException($"{xName}[{i}] is {x[i]}; every value must be finite.", xName);
            }

            if (!float.IsFinite(y[i]))
            {
                throw new ArgumentException($"y[{i}] is {y[i]}; every value must be finite.", nameof(y));
            }

            double f = TBasis.Map(x[i]);
            varies |= f != f0;
            sumF += f;
            sumY += y[i];
        }

        if (!varies)
        {
            throw new ArgumentException($"All {n} basis values are equal (f = {f0}), so the slope is not identifiable: the design is degenerate.", xName);
        }

        double meanF = sumF / n;
        double meanY = sumY / n;

        // Pass 2: centred second moments.
        double sff = 0;
        double sfy = 0;
        for (int i = 0; i < n; i++)
        {
            double df = TBasis.Map(x[i]) - meanF;
            sff += df * df;
            sfy += df * (y[i] - meanY);
        }

        if (!(sff > 0) || !double.IsFinite(sff))
        {
            throw new ArgumentException($"The basis values vary too little (Σ(f − f̄)² = {sff}) for a stable fit: the design is degenerate.", xName);
        }

        double a = sfy / sff;
        double b = meanY - (a * meanF);

        // Pass 3: residuals, from the centred values for accuracy: rᵢ = (yᵢ − ȳ) − a·(fᵢ − f̄).
        double ssr = 0;
        for (int i = 0; i < n; i++)
        {
            double r = (y[i] - meanY) - (a * (TBasis.Map(x[i]) - meanF));
            ssr += r * r;
        }

        return new LinearFit(a, b, Math.Sqrt(ssr / n), n);
    }

    private interface IBasis
    {
        static abstract double Map(float x);
    }

    private readonly struct IdentityBasis : IBasis
    {
        public static double Map(float x) => x;
    }

    private readonly struct SquareBasis : IBasis
    {
        public static double Map(float x) => (double)x * x;
    }
}
