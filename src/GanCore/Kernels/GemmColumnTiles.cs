using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace GanCore.Kernels;

/// <summary>The number of columns of C a <see cref="GemmColumnTiles"/> instantiation computes: a constant the JIT folds,
/// so an instantiation holds exactly that many accumulators and issues exactly that many FMAs per row of K.</summary>
internal interface IColumnCount
{
    static abstract int Value { get; }
}

#pragma warning disable SA1402, SA1649 // The column counts are one-line constants that belong together.
internal readonly struct Columns1 : IColumnCount { public static int Value => 1; }

internal readonly struct Columns2 : IColumnCount { public static int Value => 2; }

internal readonly struct Columns3 : IColumnCount { public static int Value => 3; }

internal readonly struct Columns4 : IColumnCount { public static int Value => 4; }

internal readonly struct Columns5 : IColumnCount { public static int Value => 5; }

internal readonly struct Columns6 : IColumnCount { public static int Value => 6; }

internal readonly struct Columns7 : IColumnCount { public static int Value => 7; }

internal readonly struct Columns8 : IColumnCount { public static int Value => 8; }

internal readonly struct Columns9 : IColumnCount { public static int Value => 9; }

internal readonly struct Columns10 : IColumnCount { public static int Value => 10; }

internal readonly struct Columns11 : IColumnCount { public static int Value => 11; }

internal readonly struct Columns12 : IColumnCount { public static int Value => 12; }

internal readonly struct Columns13 : IColumnCount { public static int Value => 13; }

internal readonly struct Columns14 : IColumnCount { public static int Value => 14; }

internal readonly struct Columns15 : IColumnCount { public static int Value => 15; }

internal readonly struct Columns16 : IColumnCount { public static int Value => 16; }

internal readonly struct Columns17 : IColumnCount { public static int Value => 17; }

internal readonly struct Columns18 : IColumnCount { public static int Value => 18; }

internal readonly struct Columns19 : IColumnCount { public static int Value => 19; }

internal readonly struct Columns20 : IColumnCount { public static int Value => 20; }

internal readonly struct Columns21 : IColumnCount { public static int Value => 21; }

internal readonly struct Columns22 : IColumnCount { public static int Value => 22; }

internal readonly struct Columns23 : IColumnCount { public static int Value => 23; }

internal readonly struct Columns24 : IColumnCount { public static int Value => 24; }
#pragma warning restore SA1402, SA1649

/// <summary>
/// C = epilogue(Aᵀ·B) for a narrow C (8 ≤ N ≤ 24 columns) with AVX-512, such as the weight gradient Xᵀ·dY of a layer
/// with 15 outputs. The vectors run down the columns of C, along M, where Aᵀ's rows are contiguous in A: for each
/// 16-row strip of C, N accumulators (column j, lanes = rows) take one load of A and N FMAs with a broadcast element of
/// B per row of K, so every lane does useful work (vectors along a 15-wide row would waste one lane in sixteen). At the
/// end the 16 × N block is transposed in registers (64 shuffles per 16 columns) and stored row by row through the epilogue, masked to
/// N lanes. Every element is one FMA chain over p in order from zero, A[p, i]·B[p, j] (the two factors of each product
/// swap places against the row-wise kernels, which is exact), so C is bitwise what the direct loops give. The last
/// 1–15 columns of a wider Aᵀ·B come here too (<see cref="GemmEngine.ColumnTail"/>); 1–7 of them several strips at a
/// time (<see cref="FewColumns{TN, TE}"/>).
/// </summary>
internal static unsafe class GemmColumnTiles
{
    /// <summary>The fewest columns the engine sends here: N accumulators are N independent FMA chains, and hiding the FMA
    /// latency takes latency × issue rate of them, 4 cycles × up to 2 pipes on AVX-512 cores; below that (and as the 64
    /// shuffles of a strip's transpose weigh more against 16·N·K FMAs) the transposed product through memory, whose row
    /// kernels keep three vectors of each of its N rows in flight, is the better route.</summary>
    public const int MinColumns = 8;

    /// <summary>The most columns: 24 accumulators, the strip's vector of A and a broadcast take 26 of AVX-512's 32 vector
    /// registers. With vectors along the rows of C instead, 17–24 columns would fill two 16-lane vectors per row.</summary>
    public const int MaxColumns = 24;

    /// <summary>Whether <see cref="Run"/> serves this host: AVX-512F for the masked loads, stores and 512-bit shuffles.</summary>
    public static bool IsSupported => Avx512F.IsSupported;

    /// <summary>Dispatches on <paramref name="n"/> to the instantiation with that many columns: 8–24 (<see
    /// cref="MinColumns"/>–<see cref="MaxColumns"/>) one strip at a time, N accumulators; 1–7 (the last columns of a wider
    /// C, <see cref="GemmEngine"/>'s column tail) several strips at a time (<see cref="FewColumns{TN, TE}"/>), which store
    /// C only as <see cref="OverwriteEpilogue"/> or <see cref="AccumulateEpilogue"/>.</summary>
    public static void Run<TE>(int m, int n, int k, float* a, nint lda, float* b, nint ldb, float* c, nint ldc, nint column, TE epi)
        where TE : struct, IGemmEpilogue
    {
        switch (n)
        {
            case 1: FewColumns<Columns1, TE>(m, k, a, lda, b, ldb, c, ldc); break;
            case 2: FewColumns<Columns2, TE>(m, k, a, lda, b, ldb, c, ldc); break;
            case 3: FewColumns<Columns3, TE>(m, k, a, lda, b, ldb, c, ldc); break;
            case 4: FewColumns<Columns4, TE>(m, k, a, lda, b, ldb, c, ldc); break;
            case 5: FewColumns<Columns5, TE>(m, k, a, lda, b, ldb, c, ldc); break;
            case 6: FewColumns<Columns6, TE>(m, k, a, lda, b, ldb, c, ldc); break;
            case 7: FewColumns<Columns7, TE>(m, k, a, lda, b, ldb, c, ldc); break;
            case 8: Strips<Columns8, TE>(m, k, a, lda, b, ldb, c, ldc, column, epi); break;
            case 9: Strips<Columns9, TE>(m, k, a, lda, b, ldb, c, ldc, column, epi); break;
            case 10: Strips<Columns10, TE>(m, k, a, lda, b, ldb, c, ldc, column, epi); break;
            case 11: Strips<Columns11, TE>(m, k, a, lda, b, ldb, c, ldc, column, epi); break;
            case 12: Strips<Columns12, TE>(m, k, a, lda, b, ldb, c, ldc, column, epi); break;
            case 13: Strips<Columns13, TE>(m, k, a, lda, b, ldb, c, ldc, column, epi); break;
            case 14: Strips<Columns14, TE>(m, k, a, lda, b, ldb, c, ldc, column, epi); break;
            case 15: Strips<Columns15, TE>(m, k, a, lda, b, ldb, c, ldc, column, epi); break;
            case 16: Strips<Columns16, TE>(m, k, a, lda, b, ldb, c, ldc, column, epi); break;
            case 17: Strips<Columns17, TE>(m, k, a, lda, b, ldb, c, ldc, column, epi); break;
            case 18: Strips<Columns18, TE>(m, k, a, lda, b, ldb, c, ldc, column, epi); break;
            case 19: Strips<Columns19, TE>(m, k, a, lda, b, ldb, c, ldc, column, epi); break;
            case 20: Strips<Columns20, TE>(m, k, a, lda, b, ldb, c, ldc, column, epi); break;
            case 21: Strips<Columns21, TE>(m, k, a, lda, b, ldb, c, ldc, column, epi); break;
            case 22: Strips<Columns22, TE>(m, k, a, lda, b, ldb, c, ldc, column, epi); break;
            case 23: Strips<Columns23, TE>(m, k, a, lda, b, ldb, c, ldc, column, epi); break;
            case 24: Strips<Columns24, TE>(m, k, a, lda, b, ldb, c, ldc, column, epi); break;
            default: throw new ArgumentOutOfRangeException(nameof(n), n, $"GemmColumnTiles takes 1 to {MaxColumns} columns.");
        }
    }

    /// <summary>All 16-row strips of C, the last one masked to the rows that remain. (Two strips per pass over K, 2·N
    /// accumulators, would halve the broadcasts of B, but at N = 15 that needs 32 vector registers and the JIT spills
    /// one accumulator; measured on Zen 4 it gained nothing.)</summary>
    // Never inlined into Run, so each instantiation is compiled on its own: inlined, the seventeen of them would exhaust
    // crossgen2's inlining budget for Run, and the masked loads and stores left as calls would keep it out of the image.
    [MethodImpl(KernelCompilation.Hot | MethodImplOptions.NoInlining)]
    private static void Strips<TN, TE>(int m, int k, float* a, nint lda, float* b, nint ldb, float* c, nint ldc, nint column, TE epi)
        where TN : struct, IColumnCount
        where TE : struct, IGemmEpilogue
    {
        int wholeRows = m - (m % 16);
        if (wholeRows > 0)
        {
            WholeStrips<TN, TE>(wholeRows, k, a, lda, b, ldb, c, ldc, column, epi);
        }

        if (wholeRows < m)
        {
            LastStrip<TN, TE>(m - wholeRows, k, a + wholeRows, lda, b, ldb, c + (wholeRows * ldc), ldc, column, epi);
        }
    }

    /// <summary>The strips of 16 rows: each loads A with a plain load per row of K. (A masked load there costs the mask
    /// rebuilt from its vector and the masked load itself, every row of K: on Zen 4, Aᵀ·B 128×64×15 and 64×64×15 ran at
    /// 0.91–0.93 of OpenBLAS with masked loads throughout, 1.02–1.05 with plain ones; benchmarks/RESULTS.md,
    /// twenty-seventh session.) Whole strips and the last one are separate methods so that each inlines one strip's
    /// loop: with both inlined into <see cref="Strips{TN, TE}"/>, crossgen2 left it out of the image.</summary>
    [MethodImpl(KernelCompilation.Hot | MethodImplOptions.NoInlining)]
    private static void WholeStrips<TN, TE>(int m, int k, float* a, nint lda, float* b, nint ldb, float* c, nint ldc, nint column, TE epi)
        where TN : struct, IColumnCount
        where TE : struct, IGemmEpilogue
    {
        for (int i = 0; i < m; i += 16)
        {
            Strip<TN, TE>(16, whole: true, k, a + i, lda, b, ldb, c + (i * ldc), ldc, column, epi);
        }
    }

    /// <summary>The last strip, of fewer than 16 rows: masked loads, the rows past the end zero.</summary>
    [MethodImpl(KernelCompilation.Hot | MethodImplOptions.NoInlining)]
    private static void LastStrip<TN, TE>(int rows, int k, float* a, nint lda, float* b, nint ldb, float* c, nint ldc, nint column, TE epi)
        where TN : struct, IColumnCount
        where TE : struct, IGemmEpilogue =>
        Strip<TN, TE>(rows, whole: false, k, a, lda, b, ldb, c, ldc, column, epi);

    /// <summary>One strip of <paramref name="rows"/> (1–16) rows; <paramref name="whole"/> (a constant at each call site,
    /// which the compiler folds) when it has all 16, so A is loaded without a mask.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Strip<TN, TE>(int rows, bool whole, int k, float* a, nint lda, float* b, nint ldb, float* c, nint ldc, nint column, TE epi)
        where TN : struct, IColumnCount
        where TE : struct, IGemmEpilogue
    {
        // The columns of C each 16 × 16 block stores: constants per instantiation.
        Vector512<float> columns = Simd512.CreateMask(Math.Min(TN.Value, 16)).V;
        Vector512<float> columnsPast16 = Simd512.CreateMask(Math.Max(TN.Value - 16, 0)).V;
        int n = TN.Value; // a constant: the guards below fold away, and columns n.. keep their zeros
        Vector512<float> lanes = Simd512.CreateMask(rows).V;
        Vector512<float> c0 = default, c1 = default, c2 = default, c3 = default, c4 = default, c5 = default, c6 = default, c7 = default;
        Vector512<float> c8 = default, c9 = default, c10 = default, c11 = default, c12 = default, c13 = default, c14 = default, c15 = default;
        Vector512<float> c16 = default, c17 = default, c18 = default, c19 = default, c20 = default, c21 = default, c22 = default, c23 = default;
        float* ap = a;
        float* bp = b;
        for (int p = 0; p < k; p++)
        {
            Vector512<float> x = whole ? Avx512F.LoadVector512(ap) : Avx512F.MaskLoad(ap, lanes, Vector512<float>.Zero);
            c0 = Avx512F.FusedMultiplyAdd(x, Vector512.Create(bp[0]), c0);
            if (n > 1) { c1 = Avx512F.FusedMultiplyAdd(x, Vector512.Create(bp[1]), c1); }
            if (n > 2) { c2 = Avx512F.FusedMultiplyAdd(x, Vector512.Create(bp[2]), c2); }
            if (n > 3) { c3 = Avx512F.FusedMultiplyAdd(x, Vector512.Create(bp[3]), c3); }
            if (n > 4) { c4 = Avx512F.FusedMultiplyAdd(x, Vector512.Create(bp[4]), c4); }
            if (n > 5) { c5 = Avx512F.FusedMultiplyAdd(x, Vector512.Create(bp[5]), c5); }
            if (n > 6) { c6 = Avx512F.FusedMultiplyAdd(x, Vector512.Create(bp[6]), c6); }
            if (n > 7) { c7 = Avx512F.FusedMultiplyAdd(x, Vector512.Create(bp[7]), c7); }
            if (n > 8) { c8 = Avx512F.FusedMultiplyAdd(x, Vector512.Create(bp[8]), c8); }
            if (n > 9) { c9 = Avx512F.FusedMultiplyAdd(x, Vector512.Create(bp[9]), c9); }
            if (n > 10) { c10 = Avx512F.FusedMultiplyAdd(x, Vector512.Create(bp[10]), c10); }
            if (n > 11) { c11 = Avx512F.FusedMultiplyAdd(x, Vector512.Create(bp[11]), c11); }
            if (n > 12) { c12 = Avx512F.FusedMultiplyAdd(x, Vector512.Create(bp[12]), c12); }
            if (n > 13) { c13 = Avx512F.FusedMultiplyAdd(x, Vector512.Create(bp[13]), c13); }
            if (n > 14) { c14 = Avx512F.FusedMultiplyAdd(x, Vector512.Create(bp[14]), c14); }
            if (n > 15) { c15 = Avx512F.FusedMultiplyAdd(x, Vector512.Create(bp[15]), c15); }
            if (n > 16) { c16 = Avx512F.FusedMultiplyAdd(x, Vector512.Create(bp[16]), c16); }
            if (n > 17) { c17 = Avx512F.FusedMultiplyAdd(x, Vector512.Create(bp[17]), c17); }
            if (n > 18) { c18 = Avx512F.FusedMultiplyAdd(x, Vector512.Create(bp[18]), c18); }
            if (n > 19) { c19 = Avx512F.FusedMultiplyAdd(x, Vector512.Create(bp[19]), c19); }
            if (n > 20) { c20 = Avx512F.FusedMultiplyAdd(x, Vector512.Create(bp[20]), c20); }
            if (n > 21) { c21 = Avx512F.FusedMultiplyAdd(x, Vector512.Create(bp[21]), c21); }
            if (n > 22) { c22 = Avx512F.FusedMultiplyAdd(x, Vector512.Create(bp[22]), c22); }
            if (n > 23) { c23 = Avx512F.FusedMultiplyAdd(x, Vector512.Create(bp[23]), c23); }
            ap += lda;
            bp += ldb;
        }

        StoreTransposed(rows, c0, c1, c2, c3, c4, c5, c6, c7, c8, c9, c10, c11, c12, c13, c14, c15, c, ldc, column, columns, epi);
        if (n > 16)
        {
            // Columns 16.. as a second 16 × 16 block, its columns past N zero and masked off.
            Vector512<float> z = Vector512<float>.Zero;
            StoreTransposed(rows, c16, c17, c18, c19, c20, c21, c22, c23, z, z, z, z, z, z, z, z, c + 16, ldc, column + 16, columnsPast16, epi);
        }
    }

    /// <summary>
    /// C's 1–7 columns (<typeparamref name="TN"/>) over all <paramref name="m"/> rows: with so few columns one strip would
    /// hold as few FMA chains, each k step waiting on the FMA latency, so a pass takes <see cref="StripsPerPass"/>
    /// strips, 8–14 accumulators (one load of A per strip and one broadcast of B per column, per row of K), whose sums
    /// reach C through a buffer, element by element (a 16 × 16 transpose per strip would cost more than one or two
    /// columns' FMAs); the strips left over, and a last one of fewer than 16 rows, go one at a time through
    /// <see cref="Strips{TN, TE}"/>. Every element is one FMA chain over p in order from zero, as in the direct loops,
    /// so the grouping into passes changes no bit. Only <see cref="OverwriteEpilogue"/> and
    /// <see cref="AccumulateEpilogue"/> (C + the sum, the same addition as its vector form).
    /// </summary>
    // Never inlined into Run, like Strips: inlined, the instantiations would exhaust crossgen2's inlining budget for Run.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void FewColumns<TN, TE>(int m, int k, float* a, nint lda, float* b, nint ldb, float* c, nint ldc)
        where TN : struct, IColumnCount
        where TE : struct, IGemmEpilogue
    {
        if (typeof(TE) != typeof(OverwriteEpilogue) && typeof(TE) != typeof(AccumulateEpilogue))
        {
            throw new InvalidOperationException($"GemmColumnTiles stores 1–7 columns by overwriting or accumulating only, not through {typeof(TE).Name}.");
        }

        int passRows = 16 * StripsPerPass(TN.Value);
        int i = 0;
        for (; i + passRows <= m; i += passRows)
        {
            FewColumnsPass<TN, TE>(k, a + i, lda, b, ldb, c + (i * ldc), ldc);
        }

        if (i < m)
        {
            // The strips a pass leaves over, and a last one of fewer than 16 rows: one at a time, N chains each.
            Strips<TN, TE>(m - i, k, a + i, lda, b, ldb, c + (i * ldc), ldc, 0, default);
        }
    }

    /// <summary>The 16-row strips <see cref="FewColumns{TN, TE}"/> takes per pass for <paramref name="columns"/> columns:
    /// ⌈8 / N⌉, so a pass holds at least eight FMA chains (8, 4, 3, then 2 strips: 8–14 accumulators), enough to cover
    /// the FMA latency at two FMAs per cycle.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static int StripsPerPass(int columns) => columns == 1 ? 8 : columns == 2 ? 4 : columns == 3 ? 3 : 2;

    /// <summary>One pass of <see cref="FewColumns{TN, TE}"/>: <see cref="StripsPerPass"/> whole strips of 16 rows.</summary>
    [SkipLocalsInit]
    [MethodImpl(KernelCompilation.Hot | MethodImplOptions.NoInlining)]
    private static void FewColumnsPass<TN, TE>(int k, float* a, nint lda, float* b, nint ldb, float* c, nint ldc)
        where TN : struct, IColumnCount
        where TE : struct, IGemmEpilogue
    {
        int n = TN.Value; // a constant, and so is the strip count: the guards below fold away
        int strips = StripsPerPass(n);

        // Accumulator sj: strip s, column j.
        Vector512<float> s0j0 = default, s1j0 = default, s2j0 = default, s3j0 = default, s4j0 = default, s5j0 = default, s6j0 = default, s7j0 = default;
        Vector512<float> s0j1 = default, s1j1 = default, s2j1 = default, s3j1 = default;
        Vector512<float> s0j2 = default, s1j2 = default, s2j2 = default;
        Vector512<float> s0j3 = default, s1j3 = default, s0j4 = default, s1j4 = default, s0j5 = default, s1j5 = default, s0j6 = default, s1j6 = default;
        float* ap = a;
        float* bp = b;
        for (int p = 0; p < k; p++)
        {
            Vector512<float> x0 = Avx512F.LoadVector512(ap);
            Vector512<float> x1 = strips > 1 ? Avx512F.LoadVector512(ap + 16) : default;
            Vector512<float> x2 = strips > 2 ? Avx512F.LoadVector512(ap + 32) : default;
            Vector512<float> x3 = strips > 3 ? Avx512F.LoadVector512(ap + 48) : default;
            Vector512<float> b0 = Vector512.Create(bp[0]);
            s0j0 = Avx512F.FusedMultiplyAdd(x0, b0, s0j0);
            if (strips > 1) { s1j0 = Avx512F.FusedMultiplyAdd(x1, b0, s1j0); }
            if (strips > 2) { s2j0 = Avx512F.FusedMultiplyAdd(x2, b0, s2j0); }
            if (strips > 3) { s3j0 = Avx512F.FusedMultiplyAdd(x3, b0, s3j0); }
            if (strips > 4)
            {
                s4j0 = Avx512F.FusedMultiplyAdd(Avx512F.LoadVector512(ap + 64), b0, s4j0);
                s5j0 = Avx512F.FusedMultiplyAdd(Avx512F.LoadVector512(ap + 80), b0, s5j0);
                s6j0 = Avx512F.FusedMultiplyAdd(Avx512F.LoadVector512(ap + 96), b0, s6j0);
                s7j0 = Avx512F.FusedMultiplyAdd(Avx512F.LoadVector512(ap + 112), b0, s7j0);
            }

            if (n > 1)
            {
                Vector512<float> b1 = Vector512.Create(bp[1]);
                s0j1 = Avx512F.FusedMultiplyAdd(x0, b1, s0j1);
                s1j1 = Avx512F.FusedMultiplyAdd(x1, b1, s1j1);
                if (strips > 2) { s2j1 = Avx512F.FusedMultiplyAdd(x2, b1, s2j1); }
                if (strips > 3) { s3j1 = Avx512F.FusedMultiplyAdd(x3, b1, s3j1); }
            }

            if (n > 2)
            {
                Vector512<float> b2 = Vector512.Create(bp[2]);
                s0j2 = Avx512F.FusedMultiplyAdd(x0, b2, s0j2);
                s1j2 = Avx512F.FusedMultiplyAdd(x1, b2, s1j2);
                if (strips > 2) { s2j2 = Avx512F.FusedMultiplyAdd(x2, b2, s2j2); }
            }

            if (n > 3) { Vector512<float> b3 = Vector512.Create(bp[3]); s0j3 = Avx512F.FusedMultiplyAdd(x0, b3, s0j3); s1j3 = Avx512F.FusedMultiplyAdd(x1, b3, s1j3); }
            if (n > 4) { Vector512<float> b4 = Vector512.Create(bp[4]); s0j4 = Avx512F.FusedMultiplyAdd(x0, b4, s0j4); s1j4 = Avx512F.FusedMultiplyAdd(x1, b4, s1j4); }
            if (n > 5) { Vector512<float> b5 = Vector512.Create(bp[5]); s0j5 = Avx512F.FusedMultiplyAdd(x0, b5, s0j5); s1j5 = Avx512F.FusedMultiplyAdd(x1, b5, s1j5); }
            if (n > 6) { Vector512<float> b6 = Vector512.Create(bp[6]); s0j6 = Avx512F.FusedMultiplyAdd(x0, b6, s0j6); s1j6 = Avx512F.FusedMultiplyAdd(x1, b6, s1j6); }
            ap += lda;
            bp += ldb;
        }

        // Every strip's columns to a buffer first (strip s's column j at t + 16·(s·N + j)), then into C row by row: with
        // a call between two strips' spills, the accumulators still to be spilled would live across it, and the JIT
        // stored them to the stack at every k step instead.
        float* t = stackalloc float[16 * 16];
        Spill(n, t, s0j0, s0j1, s0j2, s0j3, s0j4, s0j5, s0j6);
        Spill(n, t + (16 * n), s1j0, s1j1, s1j2, s1j3, s1j4, s1j5, s1j6);
        if (strips > 2)
        {
            Spill(n, t + (32 * n), s2j0, s2j1, s2j2, default, default, default, default);
        }

        if (strips > 3)
        {
            Spill(n, t + (48 * n), s3j0, s3j1, default, default, default, default, default);
        }

        if (strips > 4)
        {
            Avx512F.Store(t + 64, s4j0);
            Avx512F.Store(t + 80, s5j0);
            Avx512F.Store(t + 96, s6j0);
            Avx512F.Store(t + 112, s7j0);
        }

        for (int strip = 0; strip < strips; strip++)
        {
            StoreRows<TE>(n, t + (16 * n * strip), c + (16 * strip * ldc), ldc);
        }
    }

    /// <summary>Columns 0…<paramref name="n"/> − 1 of a strip (lane i = row i) to <paramref name="t"/>, column j at t + 16·j.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Spill(int n, float* t, Vector512<float> c0, Vector512<float> c1, Vector512<float> c2, Vector512<float> c3, Vector512<float> c4, Vector512<float> c5, Vector512<float> c6)
    {
        Avx512F.Store(t, c0);
        if (n > 1) { Avx512F.Store(t + 16, c1); }
        if (n > 2) { Avx512F.Store(t + 32, c2); }
        if (n > 3) { Avx512F.Store(t + 48, c3); }
        if (n > 4) { Avx512F.Store(t + 64, c4); }
        if (n > 5) { Avx512F.Store(t + 80, c5); }
        if (n > 6) { Avx512F.Store(t + 96, c6); }
    }

    /// <summary>The 16 rows of a spilled whole strip into C, <paramref name="n"/> columns each: C = the sum, or C + the
    /// sum (<see cref="AccumulateEpilogue"/>, the same addition as its vector form).</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void StoreRows<TE>(int n, float* t, float* c, nint ldc)
        where TE : struct, IGemmEpilogue
    {
        for (int i = 0; i < 16; i++)
        {
            float* row = c + (i * ldc);
            for (int j = 0; j < n; j++)
            {
                float sum = t[(16 * j) + i];
                row[j] = typeof(TE) == typeof(AccumulateEpilogue) ? row[j] + sum : sum;
            }
        }
    }

    /// <summary>
    /// Stores the first <paramref name="rows"/> rows of the 16 × 16 block whose column j is <paramref name="c0"/>…
    /// <paramref name="c15"/> (lane i = row i), each row masked to the <paramref name="columns"/> lanes, transposed in
    /// registers by <see cref="Tile16"/>.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void StoreTransposed<TE>(
        int rows,
        Vector512<float> c0,
        Vector512<float> c1,
        Vector512<float> c2,
        Vector512<float> c3,
        Vector512<float> c4,
        Vector512<float> c5,
        Vector512<float> c6,
        Vector512<float> c7,
        Vector512<float> c8,
        Vector512<float> c9,
        Vector512<float> c10,
        Vector512<float> c11,
        Vector512<float> c12,
        Vector512<float> c13,
        Vector512<float> c14,
        Vector512<float> c15,
        float* c,
        nint ldc,
        nint column,
        Vector512<float> columns,
        TE epi)
        where TE : struct, IGemmEpilogue
    {
        var sink = new RowsOfC<TE>(rows, c, ldc, column, columns, epi);
        Tile16.Transpose(c0, c1, c2, c3, c4, c5, c6, c7, c8, c9, c10, c11, c12, c13, c14, c15, ref sink);
    }

    /// <summary>The transposed block's rows into C through the epilogue, the first <c>rows</c> of them, each masked to
    /// the block's columns.</summary>
    private readonly struct RowsOfC<TE>(int rows, float* c, nint ldc, nint column, Vector512<float> columns, TE epi) : Tile16.ISink
        where TE : struct, IGemmEpilogue
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Put(int index, Vector512<float> value)
        {
            if (index < rows)
            {
                GemmStore.Put<Simd512, Vec512, MaskedColumns, TE>(epi, new Vec512(value), c + (index * ldc), column, new Vec512(columns));
            }
        }
    }
}
