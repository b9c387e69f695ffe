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
    /// 2.5× the time of this loop. Two blocks of eight rows here, each transposing all of B, ran no faster than the direct
    /// loops with their one copy of Bᵀ for 9–16 rows (9–14 × 128 × 15: 1.01–1.05 of the time, 12 × 128 × 16 1.22; Zen 5,
    /// thirty-seventh session), so the few-row bound stays <see cref="FewRowsMax"/>.
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
                OneVectorRows<RowCount4, TE>(o, j0, columns, epi);
            }
            else
            {
                OneVectorRows<RowCount8, TE>(o, j0, columns, epi);
            }
        }
    }

    /// <summary>Columns <paramref name="j0"/> to <paramref name="j0"/> + <paramref name="n"/> (1–16) of C for <see cref="FewRowsOneVector{TE}"/>,
    /// with <typeparamref name="TR"/>.Count (four or eight) chains, at least as many as C has rows.</summary>
    [SkipLocalsInit]
    [MethodImpl(KernelCompilation.Hot | MethodImplOptions.NoInlining)]
    private static void OneVectorRows<TR, TE>(in GemmOperands o, int j0, int n, TE epi)
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
        float* c = o.C + j0;
        nint ldc = o.Ldc;
        nint column = o.Column0 + j0;
        Vec512 columns = Simd512.CreateMask(n);
        float* a0 = a;
        float* a1 = a + (Math.Min(1, rows - 1) * lda);
        float* a2 = a + (Math.Min(2, rows - 1) * lda);
        float* a3 = a + (Math.Min(3, rows - 1) * lda);
        float* a4 = a + (Math.Min(4, rows - 1) * lda);
        float* a5 = a + (Math.Min(5, rows - 1) * lda);
        float* a6 = a + (Math.Min(6, rows - 1) * lda);
        float* a7 = a + (Math.Min(7, rows - 1) * lda);

        // Rows of B past the last column read the last one again.
        nint last = n - 1;
        nint l1 = Math.Min(1, last) * ldb, l2 = Math.Min(2, last) * ldb, l3 = Math.Min(3, last) * ldb, l4 = Math.Min(4, last) * ldb;
        nint l5 = Math.Min(5, last) * ldb, l6 = Math.Min(6, last) * ldb, l7 = Math.Min(7, last) * ldb, l8 = Math.Min(8, last) * ldb;
        nint l9 = Math.Min(9, last) * ldb, l10 = Math.Min(10, last) * ldb, l11 = Math.Min(11, last) * ldb;
        nint l12 = Math.Min(12, last) * ldb, l13 = Math.Min(13, last) * ldb, l14 = Math.Min(14, last) * ldb;
        nint l15 = Math.Min(15, last) * ldb;

        Vector512<float> s0 = default, s1 = default, s2 = default, s3 = default, s4 = default, s5 = default, s6 = default, s7 = default;
        int kFull = k & ~15;
        int p = 0;
        for (; p < kFull; p += 16)
        {
            float* bp = b + p;
            var t = default(TileColumns);
            Tile16.Transpose(
                Avx512F.LoadVector512(bp), Avx512F.LoadVector512(bp + l1), Avx512F.LoadVector512(bp + l2), Avx512F.LoadVector512(bp + l3),
                Avx512F.LoadVector512(bp + l4), Avx512F.LoadVector512(bp + l5), Avx512F.LoadVector512(bp + l6), Avx512F.LoadVector512(bp + l7),
                Avx512F.LoadVector512(bp + l8), Avx512F.LoadVector512(bp + l9), Avx512F.LoadVector512(bp + l10), Avx512F.LoadVector512(bp + l11),
                Avx512F.LoadVector512(bp + l12), Avx512F.LoadVector512(bp + l13), Avx512F.LoadVector512(bp + l14), Avx512F.LoadVector512(bp + l15),
                ref t);

            // In k order: each element's chain must run k = 0, 1, 2, … as the direct loops run it.
            RowsStep<TR>(t.C0, 0, a0 + p, a1 + p, a2 + p, a3 + p, a4 + p, a5 + p, a6 + p, a7 + p, ref s0, ref s1, ref s2, ref s3, ref s4, ref s5, ref s6, ref s7);
            RowsStep<TR>(t.C1, 1, a0 + p, a1 + p, a2 + p, a3 + p, a4 + p, a5 + p, a6 + p, a7 + p, ref s0, ref s1, ref s2, ref s3, ref s4, ref s5, ref s6, ref s7);
            RowsStep<TR>(t.C2, 2, a0 + p, a1 + p, a2 + p, a3 + p, a4 + p, a5 + p, a6 + p, a7 + p, ref s0, ref s1, ref s2, ref s3, ref s4, ref s5, ref s6, ref s7);
            RowsStep<TR>(t.C3, 3, a0 + p, a1 + p, a2 + p, a3 + p, a4 + p, a5 + p, a6 + p, a7 + p, ref s0, ref s1, ref s2, ref s3, ref s4, ref s5, ref s6, ref s7);
            RowsStep<TR>(t.C4, 4, a0 + p, a1 + p, a2 + p, a3 + p, a4 + p, a5 + p, a6 + p, a7 + p, ref s0, ref s1, ref s2, ref s3, ref s4, ref s5, ref s6, ref s7);
            RowsStep<TR>(t.C5, 5, a0 + p, a1 + p, a2 + p, a3 + p, a4 + p, a5 + p, a6 + p, a7 + p, ref s0, ref s1, ref s2, ref s3, ref s4, ref s5, ref s6, ref s7);
            RowsStep<TR>(t.C6, 6, a0 + p, a1 + p, a2 + p, a3 + p, a4 + p, a5 + p, a6 + p, a7 + p, ref s0, ref s1, ref s2, ref s3, ref s4, ref s5, ref s6, ref s7);
            RowsStep<TR>(t.C7, 7, a0 + p, a1 + p, a2 + p, a3 + p, a4 + p, a5 + p, a6 + p, a7 + p, ref s0, ref s1, ref s2, ref s3, ref s4, ref s5, ref s6, ref s7);
            RowsStep<TR>(t.C8, 8, a0 + p, a1 + p, a2 + p, a3 + p, a4 + p, a5 + p, a6 + p, a7 + p, ref s0, ref s1, ref s2, ref s3, ref s4, ref s5, ref s6, ref s7);
            RowsStep<TR>(t.C9, 9, a0 + p, a1 + p, a2 + p, a3 + p, a4 + p, a5 + p, a6 + p, a7 + p, ref s0, ref s1, ref s2, ref s3, ref s4, ref s5, ref s6, ref s7);
            RowsStep<TR>(t.C10, 10, a0 + p, a1 + p, a2 + p, a3 + p, a4 + p, a5 + p, a6 + p, a7 + p, ref s0, ref s1, ref s2, ref s3, ref s4, ref s5, ref s6, ref s7);
            RowsStep<TR>(t.C11, 11, a0 + p, a1 + p, a2 + p, a3 + p, a4 + p, a5 + p, a6 + p, a7 + p, ref s0, ref s1, ref s2, ref s3, ref s4, ref s5, ref s6, ref s7);
            RowsStep<TR>(t.C12, 12, a0 + p, a1 + p, a2 + p, a3 + p, a4 + p, a5 + p, a6 + p, a7 + p, ref s0, ref s1, ref s2, ref s3, ref s4, ref s5, ref s6, ref s7);
            RowsStep<TR>(t.C13, 13, a0 + p, a1 + p, a2 + p, a3 + p, a4 + p, a5 + p, a6 + p, a7 + p, ref s0, ref s1, ref s2, ref s3, ref s4, ref s5, ref s6, ref s7);
            RowsStep<TR>(t.C14, 14, a0 + p, a1 + p, a2 + p, a3 + p, a4 + p, a5 + p, a6 + p, a7 + p, ref s0, ref s1, ref s2, ref s3, ref s4, ref s5, ref s6, ref s7);
            RowsStep<TR>(t.C15, 15, a0 + p, a1 + p, a2 + p, a3 + p, a4 + p, a5 + p, a6 + p, a7 + p, ref s0, ref s1, ref s2, ref s3, ref s4, ref s5, ref s6, ref s7);
        }

        if (p < k)
        {
            // The last k < 16 columns: loaded under a mask, transposed into the buffer (256 floats), and only those columns
            // enter the chains.
            Vector512<float> mask = Vector512.LessThan(Vector512<int>.Indices, Vector512.Create(k - p)).AsSingle();
            Vector512<float> zero = Vector512<float>.Zero;
            float* bp = b + p;
            float* tile = stackalloc float[16 * 16];
            var sink = new TileBuffer(tile);
            Tile16.Transpose(
                Avx512F.MaskLoad(bp, mask, zero), Avx512F.MaskLoad(bp + l1, mask, zero), Avx512F.MaskLoad(bp + l2, mask, zero), Avx512F.MaskLoad(bp + l3, mask, zero),
                Avx512F.MaskLoad(bp + l4, mask, zero), Avx512F.MaskLoad(bp + l5, mask, zero), Avx512F.MaskLoad(bp + l6, mask, zero), Avx512F.MaskLoad(bp + l7, mask, zero),
                Avx512F.MaskLoad(bp + l8, mask, zero), Avx512F.MaskLoad(bp + l9, mask, zero), Avx512F.MaskLoad(bp + l10, mask, zero), Avx512F.MaskLoad(bp + l11, mask, zero),
                Avx512F.MaskLoad(bp + l12, mask, zero), Avx512F.MaskLoad(bp + l13, mask, zero), Avx512F.MaskLoad(bp + l14, mask, zero), Avx512F.MaskLoad(bp + l15, mask, zero),
                ref sink);
            for (int q = 0; p + q < k; q++)
            {
                RowsStep<TR>(Avx512F.LoadVector512(tile + (16 * q)), q, a0 + p, a1 + p, a2 + p, a3 + p, a4 + p, a5 + p, a6 + p, a7 + p, ref s0, ref s1, ref s2, ref s3, ref s4, ref s5, ref s6, ref s7);
            }
        }

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

    /// <summary>One k step (<paramref name="q"/> floats past the row pointers) of <typeparamref name="TR"/>.Count (four or
    /// eight) rows: s_r += a_r[q]·x, the direct loops' FMA (a broadcast times a vector of op(B)).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void RowsStep<TR>(Vector512<float> x, int q, float* a0, float* a1, float* a2, float* a3, float* a4, float* a5, float* a6, float* a7, ref Vector512<float> s0, ref Vector512<float> s1, ref Vector512<float> s2, ref Vector512<float> s3, ref Vector512<float> s4, ref Vector512<float> s5, ref Vector512<float> s6, ref Vector512<float> s7)
        where TR : struct, IRowCount
    {
        s0 = Avx512F.FusedMultiplyAdd(Vector512.Create(a0[q]), x, s0);
        s1 = Avx512F.FusedMultiplyAdd(Vector512.Create(a1[q]), x, s1);
        s2 = Avx512F.FusedMultiplyAdd(Vector512.Create(a2[q]), x, s2);
        s3 = Avx512F.FusedMultiplyAdd(Vector512.Create(a3[q]), x, s3);
        if (TR.Count <= 4)
        {
            return;
        }

        s4 = Avx512F.FusedMultiplyAdd(Vector512.Create(a4[q]), x, s4);
        s5 = Avx512F.FusedMultiplyAdd(Vector512.Create(a5[q]), x, s5);
        s6 = Avx512F.FusedMultiplyAdd(Vector512.Create(a6[q]), x, s6);
        s7 = Avx512F.FusedMultiplyAdd(Vector512.Create(a7[q]), x, s7);
    }

    /// <summary>A transposed tile's sixteen k-columns, kept until all exist, so they enter the chains in k order.</summary>
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

    /// <summary>A transposed tile's k-columns stored 16 floats apart (the K tail, whose column count is not fixed).</summary>
    private readonly struct TileBuffer(float* tile) : Tile16.ISink
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Put(int index, Vector512<float> value) => Avx512F.Store(tile + (16 * index), value);
    }
}
