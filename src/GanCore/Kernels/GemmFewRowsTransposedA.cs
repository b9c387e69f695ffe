using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace GanCore.Kernels;

/// <summary>A·Bᵀ with five to <see cref="GemmEngine.FewRowsTransposedAMax"/> rows of C at 256 bits (docs/kernels.md, Paths,
/// 3): A transposed once per sixteen rows, vectors down the rows of C.</summary>
internal static unsafe partial class GemmEngine
{
    /// <summary>op(A) = A transposed, K rows of eight or sixteen floats (<see cref="CopyATransposed"/>).</summary>
    [ThreadStatic]
    private static float[]? t_fewRowsA;

    [ThreadStatic]
    private static int t_fewRowsTransposedARuns;

    /// <summary>How many products this thread sent through <see cref="FewRowsTransposedA{TE}"/> since the last read;
    /// counted only in a process that forced something (tests), and cleared by reading.</summary>
    internal static int TakeFewRowsTransposedARuns()
    {
        int runs = t_fewRowsTransposedARuns;
        t_fewRowsTransposedARuns = 0;
        return runs;
    }

    /// <summary>
    /// Whether <see cref="FewRows{TE}"/> (which has checked AVX, FMA, at least eight columns, and at most
    /// <see cref="FewRowsTransposedAMax"/> rows at 256 bits, eight at 512) runs a product through
    /// <see cref="FewRowsTransposedA{TE}"/>: 256-bit vectors and five rows or more. At 256 bits the 8×8 tiles of B serve
    /// four rows at a time, so five to eight rows transposed all of B twice, and past eight rows the direct loops copy Bᵀ
    /// whole; A's rows are few, so their transpose is the smaller copy by far. One to four rows keep the tiles, which ran 1.18–1.35× faster
    /// than this loop there (its vectors then half empty). At 512 bits, where 512-bit FMAs may run as two halves, the
    /// 16×16 tiles stay (<see cref="FewRowsOneVector{TE}"/>): on Zen 4 this loop's broadcast per FMA made the loads set the
    /// pace (8×128×128 no faster, 8×128×25 slower; benchmarks/RESULTS.md, fifty-ninth session).
    /// </summary>
    private static bool TakesFewRowsTransposedA(in GemmOperands o, int lanes) => lanes == 8 && o.M >= 5;

    /// <summary>
    /// C = epilogue(A·Bᵀ) for five to <see cref="FewRowsTransposedAMax"/> rows at 256 bits, sixteen rows at a time. Five to
    /// eight rows: A's rows transposed once into K vectors of eight floats
    /// (a row's lane; the lanes past M are never stored), then for each eight columns of C (eight rows of B, each contiguous along K) one
    /// load of that vector and one broadcast of B per column and k: eight FMA chains, each a column of C down its rows.
    /// At the end the 8 × 8 block is transposed back into rows of C and stored through the epilogue. Nine to sixteen
    /// rows: two such vectors per k, four columns at a time (<see cref="FourColumnsDown{TE, TC}"/>). Every element is
    /// one FMA chain over k in order from zero (the two factors of each product swap places), the direct loops' chain,
    /// so C has their bits (tested). Columns past the last in a partial block read the last row of B again and are
    /// never stored. On Zen 4 with AVX-512 off: A·Bᵀ 8×128×128 4.83 → 2.91 µs, 8×300×300 0.58 of the time,
    /// 8×128×25 0.69, 5×128×64 0.66 (benchmarks/RESULTS.md, fifty-ninth session); 16×128×128 7.89 → 5.22 µs (100 GFLOP/s,
    /// 86% of the FMA peak), 32×128×128 0.83 of the time, 48×128×128 0.92 (sixtieth session).
    /// </summary>
    [MethodImpl(KernelCompilation.Hot | MethodImplOptions.NoInlining)]
    private static void FewRowsTransposedA<TE>(in GemmOperands o, TE epi)
        where TE : struct, IGemmEpilogue
    {
        if (s_forced)
        {
            t_fewRowsTransposedARuns++;
        }

        int k = o.K;
        int n = o.N;
        nint ldb = o.CsB;
        float* at = Scratch(ref t_fewRowsA, k * 16);
        for (int i0 = 0; i0 < o.M; i0 += 16)
        {
            int rows = Math.Min(16, o.M - i0);
            float* a = o.A + (i0 * o.RsA);
            float* c = o.C + (i0 * o.Ldc);
            int j0 = 0;
            if (rows > 8)
            {
                // Two vectors of rows per k, interleaved (rows 0–7, then 8–15), four columns at a time.
                CopyATransposed(a, o.RsA, 8, k, at, 16);
                CopyATransposed(a + (8 * o.RsA), o.RsA, rows - 8, k, at + 8, 16);
                for (; j0 + 4 <= n; j0 += 4)
                {
                    FourColumnsDown<TE, FullColumns>(k, at, o.B + (j0 * ldb), ldb, 4, rows, c + j0, o.Ldc, o.Column0 + j0, epi);
                }

                if (j0 < n)
                {
                    FourColumnsDown<TE, MaskedColumns>(k, at, o.B + (j0 * ldb), ldb, n - j0, rows, c + j0, o.Ldc, o.Column0 + j0, epi);
                }

                continue;
            }

            CopyATransposed(a, o.RsA, rows, k, at, 8);
            for (; j0 + 8 <= n; j0 += 8)
            {
                EightColumnsDown<TE, FullColumns>(k, at, o.B + (j0 * ldb), ldb, 8, rows, c + j0, o.Ldc, o.Column0 + j0, epi);
            }

            if (j0 < n)
            {
                EightColumnsDown<TE, MaskedColumns>(k, at, o.B + (j0 * ldb), ldb, n - j0, rows, c + j0, o.Ldc, o.Column0 + j0, epi);
            }
        }
    }

    /// <summary>op(A)'s <paramref name="m"/> (≤ 8) rows, <paramref name="lda"/> floats apart, as <paramref name="k"/>
    /// vectors of eight floats at <paramref name="at"/>: lane i of vector p is A[i, p]; past the last row zeros, or in
    /// the last K mod 8 vectors (loaded under a mask) the last row again. 8 × 8 tiles.</summary>
    private static void CopyATransposed(float* a, nint lda, int m, int k, float* at, nint stride)
    {
        int p = 0;
        for (; p + 8 <= k; p += 8)
        {
            Tile8.LoadTransposed(a + p, lda, m).StoreColumns(at + (p * stride), stride);
        }

        if (p < k)
        {
            // The few-row tiles' masked load (GemmFewRows.cs): rows past the last read it again, lanes never stored.
            Vector256<float> mask = Vector256.LessThan(Vector256<int>.Indices, Vector256.Create(k - p)).AsSingle();
            int last = m - 1;
            Tile8 t = MaskedTileAt(
                a + p, Math.Min(1, last) * lda, Math.Min(2, last) * lda, Math.Min(3, last) * lda, Math.Min(4, last) * lda,
                Math.Min(5, last) * lda, Math.Min(6, last) * lda, Math.Min(7, last) * lda, mask);
            for (int q = 0; p + q < k; q++)
            {
                Avx.Store(at + ((p + q) * stride), t.Column(q));
            }
        }
    }

    /// <summary><paramref name="columns"/> (1–8) columns of C from the rows of B at <paramref name="b"/>, down all
    /// <paramref name="rows"/> (5–8, or 1–8 as the last pass of a product of more than sixteen rows) rows, as eight FMA
    /// chains over the transposed A at <paramref name="at"/>.</summary>
    [MethodImpl(KernelCompilation.Hot | MethodImplOptions.NoInlining)]
    private static void EightColumnsDown<TE, TC>(int k, float* at, float* b, nint ldb, int columns, int rows, float* c, nint ldc, nint column, TE epi)
        where TE : struct, IGemmEpilogue
        where TC : struct, IColumnAccess
    {
        int last = columns - 1;
        float* b0 = b;
        float* b1 = b + (Math.Min(1, last) * ldb);
        float* b2 = b + (Math.Min(2, last) * ldb);
        float* b3 = b + (Math.Min(3, last) * ldb);
        float* b4 = b + (Math.Min(4, last) * ldb);
        float* b5 = b + (Math.Min(5, last) * ldb);
        float* b6 = b + (Math.Min(6, last) * ldb);
        float* b7 = b + (Math.Min(7, last) * ldb);
        Vector256<float> s0 = default, s1 = default, s2 = default, s3 = default, s4 = default, s5 = default, s6 = default, s7 = default;
        for (nint p = 0; p < k; p++)
        {
            Vector256<float> x = Avx.LoadAlignedVector256(at + (p * 8));
            s0 = Fma.MultiplyAdd(x, Vector256.Create(b0[p]), s0);
            s1 = Fma.MultiplyAdd(x, Vector256.Create(b1[p]), s1);
            s2 = Fma.MultiplyAdd(x, Vector256.Create(b2[p]), s2);
            s3 = Fma.MultiplyAdd(x, Vector256.Create(b3[p]), s3);
            s4 = Fma.MultiplyAdd(x, Vector256.Create(b4[p]), s4);
            s5 = Fma.MultiplyAdd(x, Vector256.Create(b5[p]), s5);
            s6 = Fma.MultiplyAdd(x, Vector256.Create(b6[p]), s6);
            s7 = Fma.MultiplyAdd(x, Vector256.Create(b7[p]), s7);
        }

        // The rows' stores written out, not a loop over t.Column(r): the loop's switch cost 8% of 8×15×128 and 8×32×100.
        Tile8 t = Tile8.Transpose(s0, s1, s2, s3, s4, s5, s6, s7);
        Vec256 mask = Simd256.CreateMask(columns);
        GemmStore.Put<Simd256, Vec256, TC, TE>(epi, new Vec256(t.C0), c, column, mask);
        if (rows > 1)
        {
            GemmStore.Put<Simd256, Vec256, TC, TE>(epi, new Vec256(t.C1), c + ldc, column, mask);
        }

        if (rows > 2)
        {
            GemmStore.Put<Simd256, Vec256, TC, TE>(epi, new Vec256(t.C2), c + (2 * ldc), column, mask);
        }

        if (rows > 3)
        {
            GemmStore.Put<Simd256, Vec256, TC, TE>(epi, new Vec256(t.C3), c + (3 * ldc), column, mask);
        }

        if (rows > 4)
        {
            GemmStore.Put<Simd256, Vec256, TC, TE>(epi, new Vec256(t.C4), c + (4 * ldc), column, mask);
        }

        if (rows > 5)
        {
            GemmStore.Put<Simd256, Vec256, TC, TE>(epi, new Vec256(t.C5), c + (5 * ldc), column, mask);
        }

        if (rows > 6)
        {
            GemmStore.Put<Simd256, Vec256, TC, TE>(epi, new Vec256(t.C6), c + (6 * ldc), column, mask);
        }

        if (rows > 7)
        {
            GemmStore.Put<Simd256, Vec256, TC, TE>(epi, new Vec256(t.C7), c + (7 * ldc), column, mask);
        }
    }

    /// <summary><paramref name="columns"/> (1–4) columns of C from the rows of B at <paramref name="b"/>, down all
    /// <paramref name="rows"/> (9–16) rows, as eight FMA chains over the transposed A at <paramref name="at"/> (two
    /// vectors of rows per k): four broadcasts of B and two loads of A per eight FMAs, where eight columns of one vector
    /// take eight broadcasts and a load. Eight chains and their two row vectors and a broadcast fit AVX2's sixteen
    /// registers, sixteen chains would not. The 8 × 8 transpose at the end gives each lane pair of rows i and i + 8
    /// four columns: row i in the low half, row i + 8 in the high.</summary>
    [MethodImpl(KernelCompilation.Hot | MethodImplOptions.NoInlining)]
    private static void FourColumnsDown<TE, TC>(int k, float* at, float* b, nint ldb, int columns, int rows, float* c, nint ldc, nint column, TE epi)
        where TE : struct, IGemmEpilogue
        where TC : struct, IColumnAccess
    {
        int last = columns - 1;
        float* b0 = b;
        float* b1 = b + (Math.Min(1, last) * ldb);
        float* b2 = b + (Math.Min(2, last) * ldb);
        float* b3 = b + (Math.Min(3, last) * ldb);
        Vector256<float> s0 = default, s1 = default, s2 = default, s3 = default, t0 = default, t1 = default, t2 = default, t3 = default;
        for (nint p = 0; p < k; p++)
        {
            Vector256<float> x = Avx.LoadAlignedVector256(at + (p * 16));
            Vector256<float> y = Avx.LoadAlignedVector256(at + (p * 16) + 8);
            Vector256<float> v = Vector256.Create(b0[p]);
            s0 = Fma.MultiplyAdd(x, v, s0);
            t0 = Fma.MultiplyAdd(y, v, t0);
            v = Vector256.Create(b1[p]);
            s1 = Fma.MultiplyAdd(x, v, s1);
            t1 = Fma.MultiplyAdd(y, v, t1);
            v = Vector256.Create(b2[p]);
            s2 = Fma.MultiplyAdd(x, v, s2);
            t2 = Fma.MultiplyAdd(y, v, t2);
            v = Vector256.Create(b3[p]);
            s3 = Fma.MultiplyAdd(x, v, s3);
            t3 = Fma.MultiplyAdd(y, v, t3);
        }

        Tile8 t = Tile8.Transpose(s0, s1, s2, s3, t0, t1, t2, t3);
        Vec128 mask = Simd128.CreateMask(columns);
        PutRowPair<TE, TC>(epi, t.C0, c, ldc, 0, rows, column, mask);
        PutRowPair<TE, TC>(epi, t.C1, c, ldc, 1, rows, column, mask);
        PutRowPair<TE, TC>(epi, t.C2, c, ldc, 2, rows, column, mask);
        PutRowPair<TE, TC>(epi, t.C3, c, ldc, 3, rows, column, mask);
        PutRowPair<TE, TC>(epi, t.C4, c, ldc, 4, rows, column, mask);
        PutRowPair<TE, TC>(epi, t.C5, c, ldc, 5, rows, column, mask);
        PutRowPair<TE, TC>(epi, t.C6, c, ldc, 6, rows, column, mask);
        PutRowPair<TE, TC>(epi, t.C7, c, ldc, 7, rows, column, mask);
    }

    /// <summary>Row <paramref name="i"/> of C from the low half of <paramref name="pair"/>, and row i + 8 from its high
    /// half when there is one.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void PutRowPair<TE, TC>(TE epi, Vector256<float> pair, float* c, nint ldc, int i, int rows, nint column, Vec128 mask)
        where TE : struct, IGemmEpilogue
        where TC : struct, IColumnAccess
    {
        GemmStore.Put<Simd128, Vec128, TC, TE>(epi, new Vec128(pair.GetLower()), c + (i * ldc), column, mask);
        if (i + 8 < rows)
        {
            GemmStore.Put<Simd128, Vec128, TC, TE>(epi, new Vec128(pair.GetUpper()), c + ((i + 8) * ldc), column, mask);
        }
    }
}
