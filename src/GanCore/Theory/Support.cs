namespace GanCore.Theory;

/// <summary>A closed interval [<see cref="Lower"/>, <see cref="Upper"/>] of the real line; either end may be infinite.</summary>
public readonly record struct Support
{
    /// <summary>Creates the interval [<paramref name="lower"/>, <paramref name="upper"/>].</summary>
    /// <param name="lower">The lower end; may be −∞.</param>
    /// <param name="upper">The upper end; may be +∞; must be greater than <paramref name="lower"/>.</param>
    /// <exception cref="ArgumentOutOfRangeException">An end is NaN, <paramref name="lower"/> is +∞, or <paramref name="upper"/> ≤ <paramref name="lower"/>.</exception>
    public Support(double lower, double upper)
    {
        if (double.IsNaN(lower) || double.IsPositiveInfinity(lower))
        {
            throw new ArgumentOutOfRangeException(nameof(lower), lower, "The lower end must be a number below +∞.");
        }

        if (double.IsNaN(upper) || upper <= lower)
        {
            throw new ArgumentOutOfRangeException(nameof(upper), upper, $"The upper end must be greater than the lower end {lower}.");
        }

        Lower = lower;
        Upper = upper;
    }

    /// <summary>The whole real line (−∞, ∞).</summary>
    public static Support RealLine => new(double.NegativeInfinity, double.PositiveInfinity);

    /// <summary>The lower end (may be −∞).</summary>
    public double Lower { get; }

    /// <summary>The upper end (may be +∞).</summary>
    public double Upper { get; }

    /// <summary>Whether both ends are finite.</summary>
    public bool IsBounded => double.IsFinite(Lower) && double.IsFinite(Upper);

    /// <summary>Whether <paramref name="x"/> lies in [<see cref="Lower"/>, <see cref="Upper"/>].</summary>
    /// <param name="x">The point to test; NaN is never contained.</param>
    public bool Contains(double x) => x >= Lower && x <= Upper;
}
