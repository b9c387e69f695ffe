using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using GanCore.Randomness;
using GanCore.Tensors;

namespace QuadraticGan;

/// <summary>
/// The real data of the flagship quadratic GAN: curves <c>y = a·x² + (a − 1)</c> with a ~ U(1, 2), sampled at
/// the grid x = linspace(−1, 1, <see cref="PointCount"/>). Every such curve lies between x² (a = 1) and
/// 2x² + 1 (a = 2).
/// </summary>
/// <remarks>
/// Grid points are x_j = −1 + 2j/(n − 1) for j = 0..n−1, computed in double; curve values are computed in double
/// and rounded once to float. The samplers allocate nothing, so they can feed a training loop.
/// </remarks>
public static class QuadraticFamily
{
    /// <summary>The number of grid points of one curve in the flagship sample: 15.</summary>
    public const int PointCount = 15;

    /// <summary>The lower end of the distribution of a: 1.</summary>
    public const double ALow = 1.0;

    /// <summary>The upper end of the distribution of a: 2.</summary>
    public const double AHigh = 2.0;

    private static readonly float[] Grid = CreateGrid(PointCount);

    /// <summary>The grid points in double, as the curve values use them.</summary>
    private static readonly double[] GridDoubles = CreateGridDoubles(PointCount);

    /// <summary><see cref="GridDoubles"/> and a 16th point, 0, so the vector path reads whole vectors.</summary>
    private static readonly double[] GridDoublesPadded = [.. GridDoubles, 0.0];

    /// <summary>The <see cref="PointCount"/> grid points x_j = −1 + 2j/14, from −1 to 1.</summary>
    public static ReadOnlySpan<float> X => Grid;

    /// <summary>Grid point <paramref name="index"/> of linspace(−1, 1, <paramref name="count"/>), in double: −1 + 2·index/(count − 1).</summary>
    /// <param name="index">The point index, in [0, <paramref name="count"/>).</param>
    /// <param name="count">The number of grid points (at least 2).</param>
    /// <returns>The grid point; exactly −1 for the first and 1 for the last.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="count"/> is below 2, or <paramref name="index"/> is outside the grid.</exception>
    public static double GridPoint(int index, int count)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 2);
        if ((uint)index >= (uint)count)
        {
            throw new ArgumentOutOfRangeException(nameof(index), index, $"Index {index} is outside a grid of {count} points.");
        }

        return -1.0 + (2.0 * index / (count - 1));
    }

    /// <summary>Writes linspace(−1, 1, <paramref name="destination"/>.Length) into <paramref name="destination"/>.</summary>
    /// <param name="destination">The grid to fill (at least 2 elements).</param>
    /// <exception cref="ArgumentException"><paramref name="destination"/> has fewer than 2 elements.</exception>
    public static void FillGrid(Span<float> destination)
    {
        CheckCurveLength(destination.Length, nameof(destination));
        for (int j = 0; j < destination.Length; j++)
        {
            destination[j] = (float)GridPoint(j, destination.Length);
        }
    }

    /// <summary>Writes the curve <c>a·x² + (a − 1)</c> over linspace(−1, 1, <paramref name="destination"/>.Length).</summary>
    /// <param name="a">The curve parameter (finite; the real family has a in [1, 2)).</param>
    /// <param name="destination">The curve values to write (at least 2 elements).</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="a"/> is not finite.</exception>
    /// <exception cref="ArgumentException"><paramref name="destination"/> has fewer than 2 elements.</exception>
    public static void Evaluate(double a, Span<float> destination)
    {
        if (!double.IsFinite(a))
        {
            throw new ArgumentOutOfRangeException(nameof(a), a, "The curve parameter must be finite.");
        }

        CheckCurveLength(destination.Length, nameof(destination));
        Write(a, destination);
    }

    /// <summary>
    /// Writes <paramref name="count"/> real curves of <see cref="PointCount"/> values each, row after row, into the
    /// first <c>count·<see cref="PointCount"/></c> elements of <paramref name="destination"/>; each curve draws its own
    /// a ~ U(1, 2) from <paramref name="rng"/>. Elements past those are not touched.
    /// </summary>
    /// <param name="rng">The random source; exactly one uniform draw is consumed per curve.</param>
    /// <param name="destination">Room for at least <c>count·<see cref="PointCount"/></c> values.</param>
    /// <param name="count">The number of curves (≥ 0).</param>
    /// <exception cref="ArgumentNullException"><paramref name="rng"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="count"/> is negative.</exception>
    /// <exception cref="ArgumentException"><paramref name="destination"/> is too short for <paramref name="count"/> curves.</exception>
    public static void Sample(RandomSource rng, Span<float> destination, int count)
    {
        ArgumentNullException.ThrowIfNull(rng);
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        long needed = (long)count * PointCount;
        if (destination.Length < needed)
        {
            throw new ArgumentException($"{count} curves of {PointCount} points need {needed} values; the destination holds {destination.Length}.", nameof(destination));
        }

        for (int i = 0; i < count; i++)
        {
            Write(rng.NextUniform(ALow, AHigh), destination.Slice(i * PointCount, PointCount));
        }
    }

    /// <summary>
    /// Fills every row of <paramref name="destination"/> with a real curve over linspace(−1, 1, Columns); each row
    /// draws its own a ~ U(1, 2) from <paramref name="rng"/>. Usually Columns is <see cref="PointCount"/>.
    /// </summary>
    /// <param name="rng">The random source; exactly one uniform draw is consumed per row.</param>
    /// <param name="destination">The batch to overwrite (at least 2 columns; any stride).</param>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="destination"/> has fewer than 2 columns.</exception>
    public static void Sample(RandomSource rng, Matrix destination)
    {
        ArgumentNullException.ThrowIfNull(rng);
        ArgumentNullException.ThrowIfNull(destination);
        CheckCurveLength(destination.Columns, nameof(destination));
        for (int i = 0; i < destination.Rows; i++)
        {
            Write(rng.NextUniform(ALow, AHigh), destination.Row(i));
        }
    }

    internal static void CheckCurveLength(int length, string name)
    {
        if (length < 2)
        {
            throw new ArgumentException($"A curve needs at least 2 grid points; got {length}.", name);
        }
    }

    private static void Write(double a, Span<float> curve)
    {
        int n = curve.Length;
        if (n == PointCount)
        {
            // The flagship grid, its points computed once (the same doubles as below), so a batch costs no divisions.
            // Four points at a time where AVX runs (WriteFlagship), else one at a time below: the same bits.
            if (Avx.IsSupported)
            {
                WriteFlagship(a, curve);
                return;
            }

            ReadOnlySpan<double> grid = GridDoubles;
            for (int j = 0; j < grid.Length; j++)
            {
                double x = grid[j];
                curve[j] = (float)((a * x * x) + (a - 1.0));
            }

            return;
        }

        for (int j = 0; j < n; j++)
        {
            double x = -1.0 + (2.0 * j / (n - 1));
            curve[j] = (float)((a * x * x) + (a - 1.0));
        }
    }

    /// <summary>
    /// The flagship curve four points at a time: the same double operations in the same order as the scalar loop,
    /// (a·x)·x + (a − 1), each rounded to float once, so the same floats. Written in AVX intrinsics on pointers, with no
    /// vector helper of the framework (those keep a method out of the sample's ReadyToRun image, and a fresh process
    /// would compile it in its first step: ~12 ms measured with Vector256's helpers).
    /// </summary>
    private static unsafe void WriteFlagship(double a, Span<float> curve)
    {
        Vector256<double> av = Vector256.Create(a);
        Vector256<double> shift = Vector256.Create(a - 1.0);
        fixed (double* x = GridDoublesPadded)
        fixed (float* y = curve)
        {
            for (int j = 0; j < 12; j += 4)
            {
                Vector256<double> xj = Avx.LoadVector256(x + j);
                Sse.Store(y + j, Avx.ConvertToVector128Single(Avx.Add(Avx.Multiply(Avx.Multiply(av, xj), xj), shift)));
            }

            // Points 12–14 (and the zero padding's 16th lane, not stored).
            Vector256<double> x12 = Avx.LoadVector256(x + 12);
            Vector128<float> last = Avx.ConvertToVector128Single(Avx.Add(Avx.Multiply(Avx.Multiply(av, x12), x12), shift));
            Sse.StoreLow(y + 12, last);
            Sse.StoreScalar(y + 14, Sse.Shuffle(last, last, 2));
        }
    }

    private static double[] CreateGridDoubles(int count)
    {
        var grid = new double[count];
        for (int j = 0; j < count; j++)
        {
            grid[j] = GridPoint(j, count);
        }

        return grid;
    }

    private static float[] CreateGrid(int count)
    {
        var grid = new float[count];
        FillGrid(grid);
        return grid;
    }
}
