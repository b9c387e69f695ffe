using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace GanCore.Kernels;

/// <summary>A·Bᵀ with a few rows of C (docs/kernels.md, Paths, 3): op(B) = Bᵀ transposed in registers as it is read,
/// instead of copied whole before the direct loops.</summary>
internal static unsafe partial class GemmEngine
{
    /// <summary>The most rows of C <see cref="FewRows{TE}"/> takes at 512 bits: past them the copy of Bᵀ, made once for
    /// all rows, costs less than transposing each block of B once per eight rows (two passes of eight measured no faster
    /// than the copy; <see cref="FewRowsOneVector{TE}"/>). At 256 bits see <see cref="FewRowsTransposedAMax"/>.</summary>
    internal const int FewRowsMax = 8;

    /// <summary>The most rows of C <see cref="FewRows{TE}"/> takes at 256 bits (<see cref="FewRowsTransposedA{TE}"/>, in
    /// passes of sixteen rows): there each pass of sixteen ran at 86% of the FMA peak where the direct loops, after their
    /// copy of Bᵀ, reached 72–80% at 16–32 rows and 97% at 64 (A·Bᵀ ×128×128 at AVX2 on Zen 4: 0.66 of the time at 16
    /// rows, 0.83 at 32, 0.92 at 48, 0.95 at 64; ×1024×1024 even at 48 and 64; sixtieth session).</summary>
    internal const int FewRowsTransposedAMax = 48;

    /// <summary>
    /// Whether A·Bᵀ runs through <see cref="FewRows{TE}"/>: at most <see cref="FewRowsMax"/> rows of C (at 256 bits
    /// <see cref="FewRowsTransposedAMax"/>) and at least eight
    /// columns, op(A)'s rows and B's rows contiguous, a CPU with AVX and FMA, one thread. The direct loops need op(B)'s
    /// rows, which are B's columns: they would first copy Bᵀ (N·K floats read, shuffled and written, and read again),
    /// for a few rows of C to use. A 2 × 889 × 297 product spent 65% of its time in that copy, at 0.19 of
    /// OpenBLAS on Zen 4. Asked only of products the direct loops would take: a shape the dot route takes
    /// (<see cref="DotPaysInPlace"/>, which looks at N and K only) never gets here.
    /// </summary>
    /// <remarks>The instruction sets are asked first and the test is inlined, so where they are missing (Arm64, x86-64-v2)
    /// the compiler drops the call to <see cref="FewRows{TE}"/> and an image leaves out its 256-bit tiles.</remarks>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static bool TakesFewRows(in GemmOperands o, int lanes) =>
        Avx.IsSupported && Fma.IsSupported && lanes >= 8 && o.CsA == 1 && o.RsB == 1 && o.CsB != 1 && o.M <= (lanes == 8 ? FewRowsTransposedAMax : FewRowsMax) && o.N >= 8 && o.K > 0;

    /// <summary>
    /// C = epilogue(A·Bᵀ) for a few rows. With 512-bit vectors and three or more rows, sixteen columns at a time for all
    /// rows at once (<see cref="FewRowsOneVector{TE}"/>); with 256-bit vectors and five rows or more, A transposed
    /// once per sixteen rows and vectors down the rows of C (<see cref="FewRowsTransposedA{TE}"/>). Otherwise, for each eight rows of B
    /// (eight columns of C), 8 × 8 tiles of B are
    /// loaded along K and transposed in registers (<see cref="Tile8"/>), and each of the tile's eight k-columns meets up
    /// to four rows of A, one broadcast and one FMA per row; with AVX-512's 32 registers (the 256-bit dispatch on such a
    /// CPU) two such blocks go at once (<see cref="FewRowsPair{TR, TE}"/>), for twice the chains. B is read once per four
    /// rows of C (once in all by <see cref="FewRowsOneVector{TE}"/>) and never copied.
    /// Each element is one FMA chain over k in order from zero, the direct loops' chain, so C has their bits (tested).
    /// </summary>
    [MethodImpl(KernelCompilation.Hot)]
    private static void FewRows<TE>(in GemmOperands o, TE epi, int lanes)
        where TE : struct, IGemmEpilogue
    {
        if (TakesFewRowsTransposedA(o, lanes))
        {
            FewRowsTransposedA(o, epi);
            return;
        }

        if (TakesFewRowsOneVector(o, lanes))
        {
            FewRowsOneVector(o, epi);
            return;
        }

        for (int i0 = 0; i0 < o.M; i0 += 4)
        {
            int rows = Math.Min(4, o.M - i0);
            float* a = o.A + (i0 * o.RsA);
            float* c = o.C + (i0 * o.Ldc);
            int j0 = 0;
            if (Avx512F.VL.IsSupported)
            {
                // A few rows hold too few chains to hide the FMA latency: take sixteen columns at a time, two tiles'
                // chains interleaved. Their 16 tile vectors and up to 8 sums need AVX-512's 32 registers (with four rows
                // the JIT still spills a few tile vectors, whose last shuffle has only a VEX form and so ymm0–15, and the
                // pair is faster all the same: 8×500×300 1.26 → 1.43 of OpenBLAS, 8×128×128 0.63 → 0.69 on Zen 4).
                for (; j0 + 8 < o.N; j0 += 16)
                {
                    // Sixteen columns, or 9–15 at the end of the row: the second tile's rows past the last column read
                    // the last one again (those lanes are never stored), so a C of 9–15 columns runs its two halves' chains
                    // side by side instead of one block of eight after the other (A·Bᵀ 1×128×15: 0.36 → 0.22 µs on Zen 5).
                    float* b = o.B + (j0 * o.CsB);
                    int columns = Math.Min(16, o.N - j0);
                    if (columns == 16)
                    {
                        FewRowsPair<TE, FullColumns>(rows, o, a, b, c + j0, o.Column0 + j0, 16, epi);
                    }
                    else
                    {
                        FewRowsPair<TE, MaskedColumns>(rows, o, a, b, c + j0, o.Column0 + j0, columns, epi);
                    }
                }
            }

            for (; j0 < o.N; j0 += 8)
            {
                float* b = o.B + (j0 * o.CsB);
                int columns = Math.Min(8, o.N - j0);
                switch (rows)
                {
                    case 1:
                        FewRowsBlock<RowCount1, TE>(o.K, a, o.RsA, b, o.CsB, columns, c + j0, o.Ldc, o.Column0 + j0, epi);
                        break;
                    case 2:
                        FewRowsBlock<RowCount2, TE>(o.K, a, o.RsA, b, o.CsB, columns, c + j0, o.Ldc, o.Column0 + j0, epi);
                        break;
                    case 3:
                        FewRowsBlock<RowCount3, TE>(o.K, a, o.RsA, b, o.CsB, columns, c + j0, o.Ldc, o.Column0 + j0, epi);
                        break;
                    default:
                        FewRowsBlock<RowCount4, TE>(o.K, a, o.RsA, b, o.CsB, columns, c + j0, o.Ldc, o.Column0 + j0, epi);
                        break;
                }
            }
        }
    }

    /// <summary><see cref="FewRowsPair{TR, TE, TC}"/> for <paramref name="rows"/> (1–4) rows of C from <paramref name="a"/>
    /// and <paramref name="columns"/> (9–16) columns from <paramref name="b"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void FewRowsPair<TE, TC>(int rows, in GemmOperands o, float* a, float* b, float* c, nint column, int columns, TE epi)
        where TE : struct, IGemmEpilogue
        where TC : struct, IColumnAccess
    {
        switch (rows)
        {
            case 1:
                FewRowsPair<RowCount1, TE, TC>(o.K, a, o.RsA, b, o.CsB, columns, c, o.Ldc, column, epi);
                break;
            case 2:
                FewRowsPair<RowCount2, TE, TC>(o.K, a, o.RsA, b, o.CsB, columns, c, o.Ldc, column, epi);
                break;
            case 3:
                FewRowsPair<RowCount3, TE, TC>(o.K, a, o.RsA, b, o.CsB, columns, c, o.Ldc, column, epi);
                break;
            default:
                FewRowsPair<RowCount4, TE, TC>(o.K, a, o.RsA, b, o.CsB, columns, c, o.Ldc, column, epi);
                break;
        }
    }

    /// <summary>One to four rows of C (<typeparamref name="TR"/>) by sixteen columns, or by 9–15
    /// (<paramref name="columns"/>, <typeparamref name="TC"/> = <see cref="MaskedColumns"/>): two tiles of B per k step,
    /// each with its own chains, so twice the chains of <see cref="FewRowsBlock{TR, TE}"/> are in flight. With fewer than
    /// sixteen columns the second tile's rows past the last column read the last one again, as in
    /// <see cref="FewRowsBlock{TR, TE}"/>, and its vector is stored under a mask.</summary>
    [MethodImpl(KernelCompilation.Hot | MethodImplOptions.NoInlining)]
    private static void FewRowsPair<TR, TE, TC>(int k, float* a0, nint lda, float* b, nint ldb, int columns, float* c, nint ldc, nint column, TE epi)
        where TR : struct, IRowCount
        where TE : struct, IGemmEpilogue
        where TC : struct, IColumnAccess
    {
        float* a1 = a0 + lda;
        float* a2 = a1 + lda;
        float* a3 = a2 + lda;
        float* b8 = b + (8 * ldb);
        bool partial = typeof(TC) != typeof(FullColumns);
        int last = partial ? columns - 9 : 7;
        nint l1 = Math.Min(1, last) * ldb, l2 = Math.Min(2, last) * ldb, l3 = Math.Min(3, last) * ldb;
        nint l4 = Math.Min(4, last) * ldb, l5 = Math.Min(5, last) * ldb, l6 = Math.Min(6, last) * ldb;
        nint l7 = Math.Min(7, last) * ldb;
        Vector256<float> s0 = default, s1 = default, s2 = default, s3 = default, s4 = default, s5 = default, s6 = default, s7 = default;
        int kFull = k & ~7;
        int p = 0;
        for (; p < kFull; p += 8)
        {
            Tile8 t = Tile8.LoadTransposed(b + p, ldb, 8);
            Tile8 u = partial ? TileAt(b8 + p, l1, l2, l3, l4, l5, l6, l7) : Tile8.LoadTransposed(b8 + p, ldb, 8);

            EightColumns<TR>(t.C0, t.C1, t.C2, t.C3, t.C4, t.C5, t.C6, t.C7, a0 + p, a1 + p, a2 + p, a3 + p, ref s0, ref s1, ref s2, ref s3);
            EightColumns<TR>(u.C0, u.C1, u.C2, u.C3, u.C4, u.C5, u.C6, u.C7, a0 + p, a1 + p, a2 + p, a3 + p, ref s4, ref s5, ref s6, ref s7);
        }

        if (p < k)
        {
            Vector256<float> mask = Vector256.LessThan(Vector256<int>.Indices, Vector256.Create(k - p)).AsSingle();
            Tile8 t = MaskedTile(b + p, ldb, mask);
            Tile8 u = MaskedTileAt(b8 + p, l1, l2, l3, l4, l5, l6, l7, mask);
            for (int q = 0; p + q < k; q++)
            {
                FourRows<TR>(t.Column(q), a0 + p + q, a1 + p + q, a2 + p + q, a3 + p + q, ref s0, ref s1, ref s2, ref s3);
                FourRows<TR>(u.Column(q), a0 + p + q, a1 + p + q, a2 + p + q, a3 + p + q, ref s4, ref s5, ref s6, ref s7);
            }
        }

        Vec256 all = Simd256.CreateMask(8);
        Vec256 right = Simd256.CreateMask(columns - 8);
        PutPair<TE, TC>(epi, c, column, all, right, s0, s4);
        if (TR.Count > 1)
        {
            PutPair<TE, TC>(epi, c + ldc, column, all, right, s1, s5);
        }

        if (TR.Count > 2)
        {
            PutPair<TE, TC>(epi, c + (2 * ldc), column, all, right, s2, s6);
        }

        if (TR.Count > 3)
        {
            PutPair<TE, TC>(epi, c + (3 * ldc), column, all, right, s3, s7);
        }
    }

    /// <summary>Sixteen columns of a row of C, two vectors, through the epilogue; the second under
    /// <paramref name="right"/> when <typeparamref name="TC"/> masks.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void PutPair<TE, TC>(TE epi, float* c, nint column, Vec256 all, Vec256 right, Vector256<float> left, Vector256<float> rightHalf)
        where TE : struct, IGemmEpilogue
        where TC : struct, IColumnAccess
    {
        GemmStore.Put<Simd256, Vec256, FullColumns, TE>(epi, new Vec256(left), c, column, all);
        GemmStore.Put<Simd256, Vec256, TC, TE>(epi, new Vec256(rightHalf), c + 8, column + 8, right);
    }

    /// <summary>Eight floats from each of eight rows of B, at <paramref name="bp"/> and <paramref name="l1"/> …
    /// <paramref name="l7"/> floats past it (a repeated offset reads a row again), transposed.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Tile8 TileAt(float* bp, nint l1, nint l2, nint l3, nint l4, nint l5, nint l6, nint l7) => Tile8.Transpose(
        Avx.LoadVector256(bp), Avx.LoadVector256(bp + l1), Avx.LoadVector256(bp + l2), Avx.LoadVector256(bp + l3),
        Avx.LoadVector256(bp + l4), Avx.LoadVector256(bp + l5), Avx.LoadVector256(bp + l6), Avx.LoadVector256(bp + l7));

    /// <summary><see cref="TileAt"/> with each row's first lanes under <paramref name="mask"/> (a K tail).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Tile8 MaskedTileAt(float* bp, nint l1, nint l2, nint l3, nint l4, nint l5, nint l6, nint l7, Vector256<float> mask) => Tile8.Transpose(
        Load8(bp, mask, whole: false), Load8(bp + l1, mask, whole: false), Load8(bp + l2, mask, whole: false), Load8(bp + l3, mask, whole: false),
        Load8(bp + l4, mask, whole: false), Load8(bp + l5, mask, whole: false), Load8(bp + l6, mask, whole: false), Load8(bp + l7, mask, whole: false));

    /// <summary>Eight whole rows of B from <paramref name="b"/>, their first lanes under <paramref name="mask"/>,
    /// transposed.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Tile8 MaskedTile(float* b, nint ldb, Vector256<float> mask) => Tile8.Transpose(
        Load8(b, mask, whole: false), Load8(b + ldb, mask, whole: false), Load8(b + (2 * ldb), mask, whole: false), Load8(b + (3 * ldb), mask, whole: false),
        Load8(b + (4 * ldb), mask, whole: false), Load8(b + (5 * ldb), mask, whole: false), Load8(b + (6 * ldb), mask, whole: false), Load8(b + (7 * ldb), mask, whole: false));

    /// <summary><typeparamref name="TR"/>.Count (1–4) rows of C by up to eight columns (<paramref name="columns"/>, rows of
    /// B <paramref name="ldb"/> apart). The row count is a type, so each instantiation holds exactly that many chains.</summary>
    [MethodImpl(KernelCompilation.Hot | MethodImplOptions.NoInlining)]
    private static void FewRowsBlock<TR, TE>(int k, float* a0, nint lda, float* b, nint ldb, int columns, float* c, nint ldc, nint column, TE epi)
        where TR : struct, IRowCount
        where TE : struct, IGemmEpilogue
    {
        float* a1 = a0 + lda;
        float* a2 = a1 + lda;
        float* a3 = a2 + lda;

        // Rows of B past the last column read the last one again (the lanes are never stored).
        nint l1 = Math.Min(1, columns - 1) * ldb, l2 = Math.Min(2, columns - 1) * ldb, l3 = Math.Min(3, columns - 1) * ldb;
        nint l4 = Math.Min(4, columns - 1) * ldb, l5 = Math.Min(5, columns - 1) * ldb, l6 = Math.Min(6, columns - 1) * ldb;
        nint l7 = Math.Min(7, columns - 1) * ldb;
        Vector256<float> s0 = default, s1 = default, s2 = default, s3 = default;
        int kFull = k & ~7;
        int p = 0;
        for (; p < kFull; p += 8)
        {
            float* bp = b + p;
            Tile8 t = TileAt(bp, l1, l2, l3, l4, l5, l6, l7);
            EightColumns<TR>(t.C0, t.C1, t.C2, t.C3, t.C4, t.C5, t.C6, t.C7, a0 + p, a1 + p, a2 + p, a3 + p, ref s0, ref s1, ref s2, ref s3);
        }

        if (p < k)
        {
            // The last k < 8 columns of the tile: loaded under a mask, and only those columns enter the chains.
            Vector256<float> mask = Vector256.LessThan(Vector256<int>.Indices, Vector256.Create(k - p)).AsSingle();
            float* bp = b + p;
            Tile8 t = MaskedTileAt(bp, l1, l2, l3, l4, l5, l6, l7, mask);
            for (int q = 0; p + q < k; q++)
            {
                FourRows<TR>(t.Column(q), a0 + p + q, a1 + p + q, a2 + p + q, a3 + p + q, ref s0, ref s1, ref s2, ref s3);
            }
        }

        Vec256 lanes = Simd256.CreateMask(columns);
        GemmStore.Put<Simd256, Vec256, MaskedColumns, TE>(epi, new Vec256(s0), c, column, lanes);
        if (TR.Count > 1)
        {
            GemmStore.Put<Simd256, Vec256, MaskedColumns, TE>(epi, new Vec256(s1), c + ldc, column, lanes);
        }

        if (TR.Count > 2)
        {
            GemmStore.Put<Simd256, Vec256, MaskedColumns, TE>(epi, new Vec256(s2), c + (2 * ldc), column, lanes);
        }

        if (TR.Count > 3)
        {
            GemmStore.Put<Simd256, Vec256, MaskedColumns, TE>(epi, new Vec256(s3), c + (3 * ldc), column, lanes);
        }
    }

    /// <summary>A tile's eight k-columns (<paramref name="x0"/> … <paramref name="x7"/>, k = 0…7 from the row pointers)
    /// into <typeparamref name="TR"/>.Count chains, in k order. The columns come as eight vectors, not as a
    /// <see cref="Tile8"/>: a struct of eight vectors passed between inlined helpers was kept in memory.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void EightColumns<TR>(Vector256<float> x0, Vector256<float> x1, Vector256<float> x2, Vector256<float> x3, Vector256<float> x4, Vector256<float> x5, Vector256<float> x6, Vector256<float> x7, float* a0, float* a1, float* a2, float* a3, ref Vector256<float> s0, ref Vector256<float> s1, ref Vector256<float> s2, ref Vector256<float> s3)
        where TR : struct, IRowCount
    {
        FourRows<TR>(x0, a0, a1, a2, a3, ref s0, ref s1, ref s2, ref s3);
        FourRows<TR>(x1, a0 + 1, a1 + 1, a2 + 1, a3 + 1, ref s0, ref s1, ref s2, ref s3);
        FourRows<TR>(x2, a0 + 2, a1 + 2, a2 + 2, a3 + 2, ref s0, ref s1, ref s2, ref s3);
        FourRows<TR>(x3, a0 + 3, a1 + 3, a2 + 3, a3 + 3, ref s0, ref s1, ref s2, ref s3);
        FourRows<TR>(x4, a0 + 4, a1 + 4, a2 + 4, a3 + 4, ref s0, ref s1, ref s2, ref s3);
        FourRows<TR>(x5, a0 + 5, a1 + 5, a2 + 5, a3 + 5, ref s0, ref s1, ref s2, ref s3);
        FourRows<TR>(x6, a0 + 6, a1 + 6, a2 + 6, a3 + 6, ref s0, ref s1, ref s2, ref s3);
        FourRows<TR>(x7, a0 + 7, a1 + 7, a2 + 7, a3 + 7, ref s0, ref s1, ref s2, ref s3);
    }

    /// <summary>One k step of <typeparamref name="TR"/>.Count rows: s_r += a_r[0]·x, the direct loops' FMA (a broadcast
    /// times a vector of op(B)).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void FourRows<TR>(Vector256<float> x, float* a0, float* a1, float* a2, float* a3, ref Vector256<float> s0, ref Vector256<float> s1, ref Vector256<float> s2, ref Vector256<float> s3)
        where TR : struct, IRowCount
    {
        s0 = Fma.MultiplyAdd(Vector256.Create(*a0), x, s0);
        if (TR.Count > 1)
        {
            s1 = Fma.MultiplyAdd(Vector256.Create(*a1), x, s1);
        }

        if (TR.Count > 2)
        {
            s2 = Fma.MultiplyAdd(Vector256.Create(*a2), x, s2);
        }

        if (TR.Count > 3)
        {
            s3 = Fma.MultiplyAdd(Vector256.Create(*a3), x, s3);
        }
    }

    /// <summary>A row count as a type (<see cref="FewRowsBlock{TR, TE}"/>).</summary>
    internal interface IRowCount
    {
        static abstract int Count { get; }
    }

    private readonly struct RowCount1 : IRowCount
    {
        public static int Count => 1;
    }

    private readonly struct RowCount2 : IRowCount
    {
        public static int Count => 2;
    }

    private readonly struct RowCount3 : IRowCount
    {
        public static int Count => 3;
    }

    private readonly struct RowCount4 : IRowCount
    {
        public static int Count => 4;
    }

    private readonly struct RowCount8 : IRowCount
    {
        public static int Count => 8;
    }
}
