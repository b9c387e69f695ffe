using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace GanCore.Kernels;

/// <summary>A·Bᵀ with five to eight rows of C at 256 bits (docs/kernels.md, Paths, 3): A transposed once, vectors down
/// the rows of C.</summary>
internal static unsafe partial class GemmEngine
{
    /// <summary>op(A) = A transposed, K rows of eight floats (<see cref="CopyATransposed"/>).</summary>
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
    /// Whether <see cref="FewRows{TE}"/> (which has checked AVX, FMA, at most eight rows and at least eight columns) runs
    /// a product through <see cref="FewRowsTransposedA{TE}"/>: 256-bit vectors and five to eight rows. At 256 bits the
    /// 8×8 tiles of B serve four rows at a time, so five to eight rows transposed all of B twice; A's rows are at most
    /// eight, so their transpose is the smaller copy by far. One to four rows keep the tiles, which ran 1.18–1.35× faster
    /// than this loop there (its vectors then half empty). At 512 bits, where 512-bit FMAs may run as two halves, the
    /// 16×16 tiles stay (<see cref="FewRowsOneVector{TE}"/>): on Zen 4 this loop's broadcast per FMA made the loads set the
    /// pace (8×128×128 no faster, 8×128×25 slower; benchmarks/RESULTS.md, fifty-ninth session).
    /// </summary>
    private static bool TakesFewRowsTransposedA(in GemmOperands o, int lanes) => lanes == 8 && o.M >= 5;

    /// <summary>
    /// C = epilogue(A·Bᵀ) for five to eight rows at 256 bits: A's rows transposed once into K vectors of eight floats
    /// (a row's lane; the lanes past M are never stored), then for each eight columns of C (eight rows of B, each contiguous along K) one
    /// load of that vector and one broadcast of B per column and k: eight FMA chains, each a column of C down its rows.
    /// At the end the 8 × 8 block is transposed back into rows of C and stored through the epilogue. Every element is
    /// one FMA chain over k in order from zero (the two factors of each product swap places), the direct loops' chain,
    /// so C has their bits (tested). Columns past the last in a partial block read the last row of B again and are
    /// never stored. On Zen 4 with AVX-512 off: A·Bᵀ 8×128×128 4.83 → 2.91 µs, 8×300×300 0.58 of the time,
    /// 8×128×25 0.69, 5×128×64 0.66 (benchmarks/RESULTS.md, fifty-ninth session).
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
        int m = o.M;
        int n = o.N;
        float* at = Scratch(ref t_fewRowsA, k * 8);
        CopyATransposed(o.A, o.RsA, m, k, at);
        nint ldb = o.CsB;
        int j0 = 0;
        for (; j0 + 8 <= n; j0 += 8)
        {
            EightColumnsDown<TE, FullColumns>(k, at, o.B + (j0 * ldb), ldb, 8, m, o.C + j0, o.Ldc, o.Column0 + j0, epi);
        }

        if (j0 < n)
        {
            EightColumnsDown<TE, MaskedColumns>(k, at, o.B + (j0 * ldb), ldb, n - j0, m, o.C + j0, o.Ldc, o.Column0 + j0, epi);
        }
    }

    /// <summary>op(A)'s <paramref name="m"/> (≤ 8) rows, <paramref name="lda"/> floats apart, as <paramref name="k"/>
    /// vectors of eight floats at <paramref name="at"/>: lane i of vector p is A[i, p]; past the last row zeros, or in
    /// the last K mod 8 vectors (loaded under a mask) the last row again. 8 × 8 tiles.</summary>
    private static void CopyATransposed(float* a, nint lda, int m, int k, float* at)
    {
        int p = 0;
        for (; p + 8 <= k; p += 8)
        {
            Tile8.LoadTransposed(a + p, lda, m).StoreColumns(at + (p * 8), 8);
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
                Avx.Store(at + ((p + q) * 8), t.Column(q));
            }
        }
    }

    /// <summary><paramref name="columns"/> (1–8) columns of C from the rows of B at <paramref name="b"/>, down all
    /// <paramref name="rows"/> (5–8) rows, as eight FMA chains over the transposed A at <paramref name="at"/>.</summary>
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
}
