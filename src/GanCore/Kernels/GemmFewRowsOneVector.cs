using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace GanCore.Kernels;

/// <summary>A·Bᵀ with a few rows of C at 512 bits (docs/kernels.md, Paths, 3): each sixteen columns of a row of C one
/// vector, B transposed in 16 × 16 tiles in registers as it is read.</summary>
internal static unsafe partial class GemmEngine
{
    /// <summary>
    /// Whether <see cref="FewRows{TE}"/> runs a product through <see cref="FewRowsOneVector{TE}"/>: 512-bit vectors and at
    /// least three rows. With one or two rows there are few FMAs per transposed element, and the transposes set the
    /// pace: a 16 × 16 tile takes 64 512-bit shuffles, half of them across 128-bit lanes, where 8 × 8 tiles take 96
    /// 256-bit ones for the same 256 floats, and on Zen 4 (which splits 512-bit operations) and Zen 5 the 256-bit tiles
    /// came out as fast or faster there (A·Bᵀ 2 × 33 × 40 1.43× the time at 512 bits, 2 × 15 × 128 1.45×, 1 × 33 × 40
    /// 1.28×; only long K gained, 1 × 128 × 128 0.74×; Zen 5, thirty-seventh session, with a variant, since removed, that
    /// ran two blocks of columns at once for two or four chains).
    /// </summary>
    private static bool TakesFewRowsOneVector(in GemmOperands o, int lanes) => lanes == 16 && o.M >= 3 && Avx512F.IsSupported;

    /// <summary>
    /// C = epilogue(A·Bᵀ) for up to <see cref="FewRowsMax"/> rows with 512-bit vectors (AVX-512F), sixteen columns at a
    /// time: B's sixteen rows for those columns are loaded sixteen k at a time and transposed in registers
    /// (<see cref="Tile16"/>), and each of the tile's sixteen k-columns meets every row of A, one broadcast and one FMA
    /// per row. All rows run at once: four chains for up to four rows, else eight. Rows past the last read the last row
    /// of A again, and columns past the last the last row of B, and neither is stored (a chain waits on the FMA latency,
    /// so fewer chains would not finish sooner). Each element is one FMA chain over k in order from zero, the direct
    /// loops' chain, so C has their bits (tested).
    /// </summary>
    /// <remarks>
    /// At 256 bits (<see cref="FewRowsBlock{TR, TE}"/>, <see cref="FewRowsPair{TR, TE}"/>) a block of four rows holds four
    /// or eight chains and transposes its tiles of B for itself, eight columns to a tile: on Zen 5, A·Bᵀ 8 × 128 × 15 took
    /// 2.4× the time of this loop. Two blocks of eight rows here, each transposing all of B, ran no faster than the direct
    /// loops with their one copy of Bᵀ for 9–16 rows (9–14 × 128 × 15: 1.01–1.05 of the time, 12 × 128 × 16 1.22; Zen 5,
    /// thirty-seventh session), so the few-row bound stays <see cref="FewRowsMax"/>. One or two rows stay on the 256-bit
    /// tiles (<see cref="TakesFewRowsOneVector"/>).
    /// </remarks>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void FewRowsOneVector<TE>(in GemmOperands o, TE epi)
        where TE : struct, IGemmEpilogue
    {
        for (int j0 = 0; j0 < o.N; j0 += 16)
        {
            int columns = Math.Min(16, o.N - j0);
            if (o.M <= 4)
            {
                SixteenColumns<RowCount4, TE>(o, j0, columns, epi);
            }
            else
            {
                SixteenColumns<RowCount8, TE>(o, j0, columns, epi);
            }
        }
    }

    /// <summary>Columns <paramref name="j0"/> to <paramref name="j0"/> + <paramref name="n"/> − 1 (n = 1–16) of C for
    /// <see cref="FewRowsOneVector{TE}"/>, with <typeparamref name="TR"/>.Count chains (four or eight; at least as many as
    /// C has rows).</summary>
    [MethodImpl(KernelCompilation.Hot | MethodImplOptions.NoInlining)]
    private static void SixteenColumns<TR, TE>(in GemmOperands o, int j0, int n, TE epi)
        where TR : struct, IRowCount
        where TE : struct, IGemmEpilogue
    {
        Debug.Assert(o.M >= 1 && o.M <= TR.Count && n is >= 1 and <= 16, "a few rows, one vector of columns");
        int k = o.K;
        int rows = o.M;
        float* a = o.A;
        nint lda = o.RsA;
        nint ldb = o.CsB;
        float* b = o.B + (j0 * ldb);
        var rowsB = new TileRows(n, ldb);
        float* a0 = a;
        float* a1 = a + (Math.Min(1, rows - 1) * lda);
        float* a2 = a + (Math.Min(2, rows - 1) * lda);
        float* a3 = a + (Math.Min(3, rows - 1) * lda);
        float* a4 = a + (Math.Min(4, rows - 1) * lda);
        float* a5 = a + (Math.Min(5, rows - 1) * lda);
        float* a6 = a + (Math.Min(6, rows - 1) * lda);
        float* a7 = a + (Math.Min(7, rows - 1) * lda);

        Vector512<float> s0 = default, s1 = default, s2 = default, s3 = default, s4 = default, s5 = default, s6 = default, s7 = default;
        int kFull = k & ~15;
        int p = 0;
        for (; p < kFull; p += 16)
        {
            var t = default(TileColumns);
            rowsB.Transpose(b + p, ref t);
            TileSteps<TR>(t, 16, p, a0, a1, a2, a3, a4, a5, a6, a7, ref s0, ref s1, ref s2, ref s3, ref s4, ref s5, ref s6, ref s7);
        }

        if (p < k)
        {
            // The last k < 16 columns: loaded under a mask, and only those columns enter the chains.
            int left = k - p;
            Vector512<float> mask = Vector512.LessThan(Vector512<int>.Indices, Vector512.Create(left)).AsSingle();
            var t = default(TileColumns);
            rowsB.TransposeMasked(b + p, mask, ref t);
            TileSteps<TR>(t, left, p, a0, a1, a2, a3, a4, a5, a6, a7, ref s0, ref s1, ref s2, ref s3, ref s4, ref s5, ref s6, ref s7);
        }

        float* c = o.C + j0;
        nint column = o.Column0 + j0;
        PutChains<TR, TE>(epi, rows, c, o.Ldc, column, Simd512.CreateMask(n), s0, s1, s2, s3, s4, s5, s6, s7);
    }

    /// <summary>A tile's first <paramref name="count"/> (1–16) k-columns (<paramref name="t"/>, k = <paramref name="p"/>,
    /// <paramref name="p"/> + 1, … along the rows of A) into <typeparamref name="TR"/>.Count chains, in k order: each
    /// element's chain must run k = 0, 1, 2, … as the direct loops run it. A whole tile passes 16, and the tests fold away.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void TileSteps<TR>(TileColumns t, int count, nint p, float* a0, float* a1, float* a2, float* a3, float* a4, float* a5, float* a6, float* a7, ref Vector512<float> s0, ref Vector512<float> s1, ref Vector512<float> s2, ref Vector512<float> s3, ref Vector512<float> s4, ref Vector512<float> s5, ref Vector512<float> s6, ref Vector512<float> s7)
        where TR : struct, IRowCount
    {
        RowsStep<TR>(t.C0, p, 0, a0, a1, a2, a3, a4, a5, a6, a7, ref s0, ref s1, ref s2, ref s3, ref s4, ref s5, ref s6, ref s7);

        if (count > 1)
        {
            RowsStep<TR>(t.C1, p, 1, a0, a1, a2, a3, a4, a5, a6, a7, ref s0, ref s1, ref s2, ref s3, ref s4, ref s5, ref s6, ref s7);
        }

        if (count > 2)
        {
            RowsStep<TR>(t.C2, p, 2, a0, a1, a2, a3, a4, a5, a6, a7, ref s0, ref s1, ref s2, ref s3, ref s4, ref s5, ref s6, ref s7);
        }

        if (count > 3)
        {
            RowsStep<TR>(t.C3, p, 3, a0, a1, a2, a3, a4, a5, a6, a7, ref s0, ref s1, ref s2, ref s3, ref s4, ref s5, ref s6, ref s7);
        }

        if (count > 4)
        {
            RowsStep<TR>(t.C4, p, 4, a0, a1, a2, a3, a4, a5, a6, a7, ref s0, ref s1, ref s2, ref s3, ref s4, ref s5, ref s6, ref s7);
        }

        if (count > 5)
        {
            RowsStep<TR>(t.C5, p, 5, a0, a1, a2, a3, a4, a5, a6, a7, ref s0, ref s1, ref s2, ref s3, ref s4, ref s5, ref s6, ref s7);
        }

        if (count > 6)
        {
            RowsStep<TR>(t.C6, p, 6, a0, a1, a2, a3, a4, a5, a6, a7, ref s0, ref s1, ref s2, ref s3, ref s4, ref s5, ref s6, ref s7);
        }

        if (count > 7)
        {
            RowsStep<TR>(t.C7, p, 7, a0, a1, a2, a3, a4, a5, a6, a7, ref s0, ref s1, ref s2, ref s3, ref s4, ref s5, ref s6, ref s7);
        }

        if (count > 8)
        {
            RowsStep<TR>(t.C8, p, 8, a0, a1, a2, a3, a4, a5, a6, a7, ref s0, ref s1, ref s2, ref s3, ref s4, ref s5, ref s6, ref s7);
        }

        if (count > 9)
        {
            RowsStep<TR>(t.C9, p, 9, a0, a1, a2, a3, a4, a5, a6, a7, ref s0, ref s1, ref s2, ref s3, ref s4, ref s5, ref s6, ref s7);
        }

        if (count > 10)
        {
            RowsStep<TR>(t.C10, p, 10, a0, a1, a2, a3, a4, a5, a6, a7, ref s0, ref s1, ref s2, ref s3, ref s4, ref s5, ref s6, ref s7);
        }

        if (count > 11)
        {
            RowsStep<TR>(t.C11, p, 11, a0, a1, a2, a3, a4, a5, a6, a7, ref s0, ref s1, ref s2, ref s3, ref s4, ref s5, ref s6, ref s7);
        }

        if (count > 12)
        {
            RowsStep<TR>(t.C12, p, 12, a0, a1, a2, a3, a4, a5, a6, a7, ref s0, ref s1, ref s2, ref s3, ref s4, ref s5, ref s6, ref s7);
        }

        if (count > 13)
        {
            RowsStep<TR>(t.C13, p, 13, a0, a1, a2, a3, a4, a5, a6, a7, ref s0, ref s1, ref s2, ref s3, ref s4, ref s5, ref s6, ref s7);
        }

        if (count > 14)
        {
            RowsStep<TR>(t.C14, p, 14, a0, a1, a2, a3, a4, a5, a6, a7, ref s0, ref s1, ref s2, ref s3, ref s4, ref s5, ref s6, ref s7);
        }

        if (count > 15)
        {
            RowsStep<TR>(t.C15, p, 15, a0, a1, a2, a3, a4, a5, a6, a7, ref s0, ref s1, ref s2, ref s3, ref s4, ref s5, ref s6, ref s7);
        }
    }

    /// <summary>One k step (<paramref name="p"/> + <paramref name="q"/> floats along the rows of A: the two apart, so that
    /// the constant <paramref name="q"/> folds into the FMA's address) of <typeparamref name="TR"/>.Count (four or eight)
    /// rows: s_r += a_r[p + q]·x, the direct loops' FMA (a broadcast times a vector of op(B)).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void RowsStep<TR>(Vector512<float> x, nint p, int q, float* a0, float* a1, float* a2, float* a3, float* a4, float* a5, float* a6, float* a7, ref Vector512<float> s0, ref Vector512<float> s1, ref Vector512<float> s2, ref Vector512<float> s3, ref Vector512<float> s4, ref Vector512<float> s5, ref Vector512<float> s6, ref Vector512<float> s7)
        where TR : struct, IRowCount
    {
        s0 = Avx512F.FusedMultiplyAdd(Vector512.Create(*(a0 + p + q)), x, s0);
        s1 = Avx512F.FusedMultiplyAdd(Vector512.Create(*(a1 + p + q)), x, s1);
        s2 = Avx512F.FusedMultiplyAdd(Vector512.Create(*(a2 + p + q)), x, s2);
        s3 = Avx512F.FusedMultiplyAdd(Vector512.Create(*(a3 + p + q)), x, s3);

        if (TR.Count > 4)
        {
            s4 = Avx512F.FusedMultiplyAdd(Vector512.Create(*(a4 + p + q)), x, s4);
            s5 = Avx512F.FusedMultiplyAdd(Vector512.Create(*(a5 + p + q)), x, s5);
            s6 = Avx512F.FusedMultiplyAdd(Vector512.Create(*(a6 + p + q)), x, s6);
            s7 = Avx512F.FusedMultiplyAdd(Vector512.Create(*(a7 + p + q)), x, s7);
        }
    }

    /// <summary>Stores the first <paramref name="rows"/> of the chains (at most <typeparamref name="TR"/>.Count) as rows
    /// of C, their first columns under <paramref name="columns"/>, through the epilogue.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void PutChains<TR, TE>(TE epi, int rows, float* c, nint ldc, nint column, Vec512 columns, Vector512<float> s0, Vector512<float> s1, Vector512<float> s2, Vector512<float> s3, Vector512<float> s4, Vector512<float> s5, Vector512<float> s6, Vector512<float> s7)
        where TR : struct, IRowCount
        where TE : struct, IGemmEpilogue
    {
        GemmStore.Put<Simd512, Vec512, MaskedColumns, TE>(epi, new Vec512(s0), c, column, columns);
        if (rows > 1)
        {
            GemmStore.Put<Simd512, Vec512, MaskedColumns, TE>(epi, new Vec512(s1), c + ldc, column, columns);
        }

        if (rows > 2)
        {
            GemmStore.Put<Simd512, Vec512, MaskedColumns, TE>(epi, new Vec512(s2), c + (2 * ldc), column, columns);
        }

        if (rows > 3)
        {
            GemmStore.Put<Simd512, Vec512, MaskedColumns, TE>(epi, new Vec512(s3), c + (3 * ldc), column, columns);
        }

        if (TR.Count > 4 && rows > 4)
        {
            GemmStore.Put<Simd512, Vec512, MaskedColumns, TE>(epi, new Vec512(s4), c + (4 * ldc), column, columns);
        }

        if (TR.Count > 4 && rows > 5)
        {
            GemmStore.Put<Simd512, Vec512, MaskedColumns, TE>(epi, new Vec512(s5), c + (5 * ldc), column, columns);
        }

        if (TR.Count > 4 && rows > 6)
        {
            GemmStore.Put<Simd512, Vec512, MaskedColumns, TE>(epi, new Vec512(s6), c + (6 * ldc), column, columns);
        }

        if (TR.Count > 4 && rows > 7)
        {
            GemmStore.Put<Simd512, Vec512, MaskedColumns, TE>(epi, new Vec512(s7), c + (7 * ldc), column, columns);
        }
    }

    /// <summary>Where a block's sixteen rows of B start, <c>ldb</c> floats apart: rows past the block's last column
    /// (<c>n</c> − 1) start where the last one does, so their lanes repeat it and are never stored.</summary>
    private readonly struct TileRows(int n, nint ldb)
    {
        private readonly nint _l1 = Math.Min(1, n - 1) * ldb, _l2 = Math.Min(2, n - 1) * ldb, _l3 = Math.Min(3, n - 1) * ldb;
        private readonly nint _l4 = Math.Min(4, n - 1) * ldb, _l5 = Math.Min(5, n - 1) * ldb, _l6 = Math.Min(6, n - 1) * ldb;
        private readonly nint _l7 = Math.Min(7, n - 1) * ldb, _l8 = Math.Min(8, n - 1) * ldb, _l9 = Math.Min(9, n - 1) * ldb;
        private readonly nint _l10 = Math.Min(10, n - 1) * ldb, _l11 = Math.Min(11, n - 1) * ldb, _l12 = Math.Min(12, n - 1) * ldb;
        private readonly nint _l13 = Math.Min(13, n - 1) * ldb, _l14 = Math.Min(14, n - 1) * ldb, _l15 = Math.Min(15, n - 1) * ldb;

        /// <summary>The 16 × 16 tile whose rows start at <paramref name="b"/> (k-column i to output i).</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Transpose<TSink>(float* b, ref TSink sink)
            where TSink : struct, Tile16.ISink => Tile16.Transpose(
            Avx512F.LoadVector512(b), Avx512F.LoadVector512(b + _l1), Avx512F.LoadVector512(b + _l2), Avx512F.LoadVector512(b + _l3),
            Avx512F.LoadVector512(b + _l4), Avx512F.LoadVector512(b + _l5), Avx512F.LoadVector512(b + _l6), Avx512F.LoadVector512(b + _l7),
            Avx512F.LoadVector512(b + _l8), Avx512F.LoadVector512(b + _l9), Avx512F.LoadVector512(b + _l10), Avx512F.LoadVector512(b + _l11),
            Avx512F.LoadVector512(b + _l12), Avx512F.LoadVector512(b + _l13), Avx512F.LoadVector512(b + _l14), Avx512F.LoadVector512(b + _l15),
            ref sink);

        /// <summary>The tile's first k-columns, those <paramref name="mask"/> selects (the others load as zeros, and no
        /// memory past them is read).</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void TransposeMasked<TSink>(float* b, Vector512<float> mask, ref TSink sink)
            where TSink : struct, Tile16.ISink
        {
            Vector512<float> zero = Vector512<float>.Zero;
            Tile16.Transpose(
                Avx512F.MaskLoad(b, mask, zero), Avx512F.MaskLoad(b + _l1, mask, zero), Avx512F.MaskLoad(b + _l2, mask, zero), Avx512F.MaskLoad(b + _l3, mask, zero),
                Avx512F.MaskLoad(b + _l4, mask, zero), Avx512F.MaskLoad(b + _l5, mask, zero), Avx512F.MaskLoad(b + _l6, mask, zero), Avx512F.MaskLoad(b + _l7, mask, zero),
                Avx512F.MaskLoad(b + _l8, mask, zero), Avx512F.MaskLoad(b + _l9, mask, zero), Avx512F.MaskLoad(b + _l10, mask, zero), Avx512F.MaskLoad(b + _l11, mask, zero),
                Avx512F.MaskLoad(b + _l12, mask, zero), Avx512F.MaskLoad(b + _l13, mask, zero), Avx512F.MaskLoad(b + _l14, mask, zero), Avx512F.MaskLoad(b + _l15, mask, zero),
                ref sink);
        }
    }

    /// <summary>A transposed tile's sixteen k-columns, kept until all exist, so they enter the chains in k order. The JIT
    /// promotes the sixteen fields to registers here, passed by value to the inlined <see cref="TileSteps{TR}"/> too
    /// (no spills in the disassembly; <see cref="Tile16"/>'s remark warns that this is not a given).</summary>
    private struct TileColumns : Tile16.ISink
    {
        public Vector512<float> C0, C1, C2, C3, C4, C5, C6, C7, C8, C9, C10, C11, C12, C13, C14, C15;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Put(int index, Vector512<float> value)
        {
            switch (index)
            {
                case 0: C0 = value; break;
                case 1: C1 = value; break;
                case 2: C2 = value; break;
                case 3: C3 = value; break;
                case 4: C4 = value; break;
                case 5: C5 = value; break;
                case 6: C6 = value; break;
                case 7: C7 = value; break;
                case 8: C8 = value; break;
                case 9: C9 = value; break;
                case 10: C10 = value; break;
                case 11: C11 = value; break;
                case 12: C12 = value; break;
                case 13: C13 = value; break;
                case 14: C14 = value; break;
                default: C15 = value; break;
            }
        }
    }

}
