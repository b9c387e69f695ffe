using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using GanCore.Tensors;

namespace GanCore.Diagnostics;

/// <content>The distance loops' innermost part: the squared distances of one block, the panels of a transposed set
/// they read, and one implementation of the few double-vector operations per width.</content>
public static partial class PrecisionRecall
{
    /// <summary>
    /// The squared distances from <paramref name="a"/> to the 4·W rows of a panel that start at
    /// <paramref name="offset"/> in <paramref name="values"/>, one row per lane. Each lane runs the scalar sequence of
    /// <see cref="SquaredDistance"/> (diff = a[t] − b[t], sum = sum + diff·diff, t in order, no fused multiply-add), so
    /// it is bitwise the same value.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Distances<TV, TL>(ReadOnlySpan<double> a, double[] values, int offset, int width, out TV s0, out TV s1, out TV s2, out TV s3)
        where TV : struct
        where TL : struct, ILanes<TV>
    {
        s0 = s1 = s2 = s3 = TL.Broadcast(0);
        nuint w = (nuint)TL.Count;
        ref double c = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(values), offset);
        for (int t = 0; t < a.Length; t++)
        {
            TV x = TL.Broadcast(a[t]);
            s0 = TL.AddSquaredDifference(s0, x, TL.Load(ref c, 0));
            s1 = TL.AddSquaredDifference(s1, x, TL.Load(ref c, w));
            s2 = TL.AddSquaredDifference(s2, x, TL.Load(ref c, 2 * w));
            s3 = TL.AddSquaredDifference(s3, x, TL.Load(ref c, 3 * w));
            c = ref Unsafe.Add(ref c, width);
        }
    }

    /// <summary>
    /// A set transposed to doubles in panels of <see cref="PanelRows"/> rows (a multiple of the block, sized to stay in
    /// L1 while every other row is measured against it). The panel that starts at row s has width w = Width(s) and
    /// holds element (j, t) at s·d + t·w + (j − s). Rows are padded with zeros to <see cref="Padded"/>, a whole
    /// number of blocks; the padding lanes are computed and ignored. <see cref="RowMajor"/> is the same set, row-major.
    /// </summary>
    private sealed class Panels
    {
        /// <summary>The doubles one panel should hold at most (24 KB: half a typical L1 data cache).</summary>
        private const int PanelBudget = 3072;

        public Panels(Matrix set, int block)
        {
            int n = set.Rows;
            int d = set.Columns;
            Rows = n;
            Columns = d;
            RowMajor = new double[n * d];
            Padded = (n + block - 1) / block * block;
            PanelRows = Math.Max(block, PanelBudget / d / block * block);
            Values = new double[Padded * d];
            for (int start = 0; start < n; start += PanelRows)
            {
                int width = Width(start);
                for (int j = start; j < Math.Min(n, start + width); j++)
                {
                    ReadOnlySpan<float> row = set.Row(j);
                    for (int t = 0; t < d; t++)
                    {
                        Values[(start * d) + (t * width) + (j - start)] = row[t];
                        RowMajor[(j * d) + t] = row[t];
                    }
                }
            }
        }

        /// <summary>The panels (column-major within each).</summary>
        public double[] Values { get; }

        /// <summary>The rows widened to double, row after row: a row measured against the panels is broadcast from here
        /// (converting inside the loop would tie every step to the previous one through the conversion's register).</summary>
        public double[] RowMajor { get; }

        public int Rows { get; }

        public int Columns { get; }

        public int Padded { get; }

        public int PanelRows { get; }

        public int Width(int start) => Math.Min(PanelRows, Padded - start);
    }

    /// <summary>The lane count of a vector of doubles.</summary>
    private interface ILanesCount
    {
        static abstract int Count { get; }
    }

    /// <summary>The few operations on a vector of doubles the distance loops need, one implementation per width.</summary>
    private interface ILanes<TV> : ILanesCount
        where TV : struct
    {
        static abstract TV Broadcast(double value);

        static abstract TV Load(ref double source, nuint offset);

        static abstract void Store(TV value, Span<double> destination);

        /// <summary>sum + (x − y)·(x − y) per lane: a subtraction, a multiplication and an addition, each rounded (never fused).</summary>
        static abstract TV AddSquaredDifference(TV sum, TV x, TV y);

        /// <summary>Bit l set when lane l of <paramref name="a"/> is below lane l of <paramref name="b"/>.</summary>
        static abstract uint LessThanBits(TV a, TV b);

        static abstract bool AnyLessThanOrEqual(TV a, TV b);
    }

    private readonly struct Lanes512 : ILanes<Vector512<double>>
    {
        public static int Count => Vector512<double>.Count;

        public static Vector512<double> Broadcast(double value) => Vector512.Create(value);

        public static Vector512<double> Load(ref double source, nuint offset) => Vector512.LoadUnsafe(ref source, offset);

        public static void Store(Vector512<double> value, Span<double> destination) => value.CopyTo(destination);

        public static Vector512<double> AddSquaredDifference(Vector512<double> sum, Vector512<double> x, Vector512<double> y)
        {
            Vector512<double> diff = x - y;
            return sum + (diff * diff);
        }

        public static uint LessThanBits(Vector512<double> a, Vector512<double> b) => (uint)Vector512.LessThan(a, b).ExtractMostSignificantBits();

        public static bool AnyLessThanOrEqual(Vector512<double> a, Vector512<double> b) => Vector512.LessThanOrEqualAny(a, b);
    }

    private readonly struct Lanes256 : ILanes<Vector256<double>>
    {
        public static int Count => Vector256<double>.Count;

        public static Vector256<double> Broadcast(double value) => Vector256.Create(value);

        public static Vector256<double> Load(ref double source, nuint offset) => Vector256.LoadUnsafe(ref source, offset);

        public static void Store(Vector256<double> value, Span<double> destination) => value.CopyTo(destination);

        public static Vector256<double> AddSquaredDifference(Vector256<double> sum, Vector256<double> x, Vector256<double> y)
        {
            Vector256<double> diff = x - y;
            return sum + (diff * diff);
        }

        public static uint LessThanBits(Vector256<double> a, Vector256<double> b) => (uint)Vector256.LessThan(a, b).ExtractMostSignificantBits();

        public static bool AnyLessThanOrEqual(Vector256<double> a, Vector256<double> b) => Vector256.LessThanOrEqualAny(a, b);
    }

    private readonly struct Lanes128 : ILanes<Vector128<double>>
    {
        public static int Count => Vector128<double>.Count;

        public static Vector128<double> Broadcast(double value) => Vector128.Create(value);

        public static Vector128<double> Load(ref double source, nuint offset) => Vector128.LoadUnsafe(ref source, offset);

        public static void Store(Vector128<double> value, Span<double> destination) => value.CopyTo(destination);

        public static Vector128<double> AddSquaredDifference(Vector128<double> sum, Vector128<double> x, Vector128<double> y)
        {
            Vector128<double> diff = x - y;
            return sum + (diff * diff);
        }

        public static uint LessThanBits(Vector128<double> a, Vector128<double> b) => (uint)Vector128.LessThan(a, b).ExtractMostSignificantBits();

        public static bool AnyLessThanOrEqual(Vector128<double> a, Vector128<double> b) => Vector128.LessThanOrEqualAny(a, b);
    }
}
