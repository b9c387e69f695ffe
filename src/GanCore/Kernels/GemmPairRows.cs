using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace GanCore.Kernels;

/// <summary>
/// A C of 2–8 columns in 512-bit vectors that each hold two rows (docs/kernels.md, Paths, "two rows per 512-bit
/// vector"): on a core whose 512-bit units are full width, eight columns in a 256-bit vector cost as many FMA
/// instructions as sixteen in a 512-bit one, so the direct loops' 256-bit tiles (<see cref="DirectAt256"/>) leave half
/// of each FMA unused.
/// </summary>
internal static unsafe partial class GemmEngine
{
    /// <summary>The fewest rows of C for which <see cref="PairRows{TE}"/> repays its copy of op(A).</summary>
    internal const int PairRowsMinRows = 16;

    /// <summary>The shortest K for which the pairs repay copying op(A) and splitting each accumulator at the end: on Zen 5
    /// A·B 512×12×8 took 0.83–0.94 of the 256-bit tiles' time and 512×16×8 0.82, but 512×8×8 1.08.</summary>
    internal const int PairRowsMinDepth = 12;

    /// <summary>The most row pairs one pass of <see cref="PairBlock{TP, TC, TE}"/> keeps in registers: twelve FMA chains.</summary>
    private const int PairsPerBlock = 12;

    /// <summary>op(A)'s rows in pairs, each pair's floats interleaved (<see cref="PackPairs"/>), one block of pairs at a time.</summary>
    [ThreadStatic]
    private static float[]? t_pairA;

    /// <summary>op(B)'s rows with every float twice (<see cref="DuplicateColumns"/>).</summary>
    [ThreadStatic]
    private static float[]? t_pairB;

    [ThreadStatic]
    private static bool t_pairRowsAnyHost;

    [ThreadStatic]
    private static int t_pairRowsRuns;

    /// <summary>How many products this thread sent through <see cref="PairRows{TE}"/> since the last read; counted only in
    /// a process that forced something (tests), and cleared by reading.</summary>
    internal static int TakePairRowsRuns()
    {
        int runs = t_pairRowsRuns;
        t_pairRowsRuns = 0;
        return runs;
    }

    /// <summary>Lets <see cref="PairRows{TE}"/> run on this thread on any AVX-512 host, including one that executes 512-bit
    /// vectors as two halves (where <see cref="Execute"/> never picks it): tests compare its bits with the 256-bit tiles
    /// there too. Disposing restores the previous setting.</summary>
    internal static PairRowsScope AllowPairRowsOnAnyHost()
    {
        bool previous = t_pairRowsAnyHost;
        t_pairRowsAnyHost = true;
        s_forced = true;
        return new PairRowsScope(previous);
    }

    /// <summary>Restores the previous <see cref="AllowPairRowsOnAnyHost"/> setting when disposed.</summary>
    internal readonly struct PairRowsScope(bool previous) : IDisposable
    {
        /// <inheritdoc/>
        public void Dispose() => t_pairRowsAnyHost = previous;
    }

    /// <summary>
    /// Whether a product that the direct loops would run at 256 bits (<see cref="DirectAt256"/>: 2–8 columns) runs through
    /// <see cref="PairRows{TE}"/> instead: AVX-512 on a core with full-width 512-bit units (or a test's
    /// <see cref="AllowPairRowsOnAnyHost"/>), op(A)'s rows contiguous and op(B)'s rows or columns contiguous, at least
    /// <see cref="PairRowsMinRows"/> rows and <see cref="PairRowsMinDepth"/> of K, one thread, and no dot route at 256 bits (<see cref="DotPays"/>), which the
    /// 256-bit dispatch would otherwise take: the pairs then give that dispatch's bits.
    /// </summary>
    private static bool TakesPairRows(in GemmOperands o, bool oneThread) =>
        Avx512F.IsSupported && (!s_splitsVector512 || (s_forced && t_pairRowsAnyHost))
        && o.CsA == 1 && (o.CsB == 1 || o.RsB == 1) && o.N is >= 2 and <= 8 && o.M >= PairRowsMinRows && o.K >= PairRowsMinDepth && oneThread
        && !DotPays(o.N, o.K, 8);

    /// <summary>
    /// C = epilogue(op(A)·op(B)) for 2–8 columns, two rows of C per 512-bit vector. Lane 2j of a pair's accumulator is row
    /// 2q's column j and lane 2j + 1 row 2q + 1's: op(B)'s row k with every float twice (b₀ b₀ b₁ b₁ … b₇ b₇, zeros past N)
    /// meets op(A)'s two floats (a, a′) of k broadcast as one 64-bit pair (a a′ a a′ …), one FMA for sixteen products. So
    /// op(A) is first copied with each pair of rows interleaved (a₀ a′₀ a₁ a′₁ …), twelve pairs at a time
    /// (<see cref="PackPairs"/>), and op(B) once with its floats doubled. At the end each accumulator is split back into
    /// its two rows and stored through the epilogue at 256 bits. Every element is the one FMA chain over k in order that
    /// the 256-bit direct loops give it (the two factors of a product only swap places), so C has their bits (tested);
    /// an odd last row runs in those loops.
    /// </summary>
    [MethodImpl(KernelCompilation.Hot)]
    private static void PairRows<TE>(in GemmOperands o, TE epi)
        where TE : struct, IGemmEpilogue
    {
        if (s_forced)
        {
            t_pairRowsRuns++;
        }

        // op(B) as rows of 16 floats, each of its N ≤ 8 floats twice. Bᵀ goes through a padded transpose first.
        float* b = o.B;
        nint ldb = o.RsB;
        bool padded = false;
        if (o.CsB != 1)
        {
            b = Scratch(ref t_transposed, o.K * 16);
            TransposeBlocks16(o.B, o.CsB, o.K, o.N, b, 16, accumulate: false, padded: true);
            ldb = 16;
            padded = true;
        }

        float* doubled = Scratch(ref t_pairB, o.K * 16);
        DuplicateColumns(b, ldb, o.K, o.N, doubled);

        int rounded = (o.K + 15) & ~15;
        float* pairs = Scratch(ref t_pairA, PairsPerBlock * 2 * rounded);
        int total = o.M / 2;
        for (int q0 = 0; q0 < total;)
        {
            int count = total - q0 >= 12 ? 12 : total - q0 >= 8 ? 8 : total - q0 >= 4 ? 4 : total - q0 >= 2 ? 2 : 1;
            float* a = o.A + (2 * q0 * o.RsA);
            float* c = o.C + (2 * q0 * o.Ldc);
            PackPairs(a, o.RsA, count, o.K, rounded, pairs);
            if (o.N == 8)
            {
                PairBlockOf<FullColumns, TE>(count, o.K, pairs, rounded, doubled, c, o.Ldc, o.Column0, o.N, epi);
            }
            else
            {
                PairBlockOf<MaskedColumns, TE>(count, o.K, pairs, rounded, doubled, c, o.Ldc, o.Column0, o.N, epi);
            }

            q0 += count;
        }

        if ((o.M & 1) == 1)
        {
            // The last row alone: the 256-bit direct loops' single-row kernel (the same chain per element).
            int i = o.M - 1;
            Rows<Simd256, Vec256, TE>(1, o.N, o.K, o.A + (i * o.RsA), o.RsA, 1, b, ldb, o.C + (i * o.Ldc), o.Ldc, o.Column0, TileFor(8).Mr, TileFor(8).Nv, epi, padded);
        }
    }

    /// <summary><see cref="PairBlock{TP, TC, TE}"/> for 12, 8, 4, 2 or 1 pairs.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void PairBlockOf<TC, TE>(int count, int k, float* pairs, int rounded, float* doubled, float* c, nint ldc, nint column, int columns, TE epi)
        where TC : IColumnAccess
        where TE : struct, IGemmEpilogue
    {
        switch (count)
        {
            case 12:
                PairBlock<Pairs12, TC, TE>(k, pairs, rounded, doubled, c, ldc, column, columns, epi);
                break;
            case 8:
                PairBlock<Pairs8, TC, TE>(k, pairs, rounded, doubled, c, ldc, column, columns, epi);
                break;
            case 4:
                PairBlock<Pairs4, TC, TE>(k, pairs, rounded, doubled, c, ldc, column, columns, epi);
                break;
            case 2:
                PairBlock<Pairs2, TC, TE>(k, pairs, rounded, doubled, c, ldc, column, columns, epi);
                break;
            default:
                Debug.Assert(count == 1, "blocks of 12, 8, 4, 2 or 1 pairs");
                PairBlock<Pairs1, TC, TE>(k, pairs, rounded, doubled, c, ldc, column, columns, epi);
                break;
        }
    }

    /// <summary>
    /// <paramref name="count"/> pairs of rows of A (rows <paramref name="rsA"/> floats apart, K floats each) into
    /// <paramref name="pairs"/>: pair q's 2·<paramref name="rounded"/> floats from <c>pairs + q·2·rounded</c>, row 2q's
    /// float k at 2k and row 2q + 1's at 2k + 1, zeros past K. Two permutes per 32 floats.
    /// </summary>
    private static void PackPairs(float* a, nint rsA, int count, int k, int rounded, float* pairs)
    {
        Vector512<int> low = Vector512.Create(0, 16, 1, 17, 2, 18, 3, 19, 4, 20, 5, 21, 6, 22, 7, 23);
        Vector512<int> high = Vector512.Create(8, 24, 9, 25, 10, 26, 11, 27, 12, 28, 13, 29, 14, 30, 15, 31);
        int whole = k & ~15;
        Vector512<float> tailMask = Vector512.LessThan(Vector512<int>.Indices, Vector512.Create(k - whole)).AsSingle();
        for (int q = 0; q < count; q++)
        {
            float* first = a + (2 * q * rsA);
            float* second = first + rsA;
            float* d = pairs + (2 * q * rounded);
            int p = 0;
            for (; p < whole; p += 16)
            {
                Vector512<float> x = Avx512F.LoadVector512(first + p);
                Vector512<float> y = Avx512F.LoadVector512(second + p);
                Avx512F.Store(d + (2 * p), Avx512F.PermuteVar16x32x2(x, low, y));
                Avx512F.Store(d + (2 * p) + 16, Avx512F.PermuteVar16x32x2(x, high, y));
            }

            if (p < k)
            {
                Vector512<float> x = Avx512F.MaskLoad(first + p, tailMask, Vector512<float>.Zero);
                Vector512<float> y = Avx512F.MaskLoad(second + p, tailMask, Vector512<float>.Zero);
                Avx512F.Store(d + (2 * p), Avx512F.PermuteVar16x32x2(x, low, y));
                Avx512F.Store(d + (2 * p) + 16, Avx512F.PermuteVar16x32x2(x, high, y));
            }
        }
    }

    /// <summary>Row k of <paramref name="doubled"/> (16 floats) = the first N ≤ 8 floats of op(B)'s row k (rows
    /// <paramref name="ldb"/> apart), each twice, then zeros.</summary>
    private static void DuplicateColumns(float* b, nint ldb, int k, int n, float* doubled)
    {
        Vector512<int> twice = Vector512.Create(0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7);
        Vector256<float> mask = Vector256.LessThan(Vector256<int>.Indices, Vector256.Create(n)).AsSingle();
        for (int p = 0; p < k; p++)
        {
            Vector256<float> row = Avx512F.VL.MaskLoad(b + (p * ldb), mask, Vector256<float>.Zero);
            Avx512F.Store(doubled + (p * 16), Avx512F.PermuteVar16x32(row.ToVector512Unsafe(), twice));
        }
    }

    /// <summary>How many pairs of rows a <see cref="PairBlock{TP, TC, TE}"/> instance holds: a constant the JIT folds.</summary>
    private interface IPairCount
    {
        static abstract int Count { get; }
    }

    private readonly struct Pairs12 : IPairCount
    {
        public static int Count => 12;
    }

    private readonly struct Pairs8 : IPairCount
    {
        public static int Count => 8;
    }

    private readonly struct Pairs4 : IPairCount
    {
        public static int Count => 4;
    }

    private readonly struct Pairs2 : IPairCount
    {
        public static int Count => 2;
    }

    private readonly struct Pairs1 : IPairCount
    {
        public static int Count => 1;
    }

    /// <summary>
    /// TP.Count pairs of rows of C (from <paramref name="c"/>, rows <paramref name="ldc"/> apart) over the whole K loop:
    /// per k one load of the doubled row of op(B) and, per pair, a 64-bit broadcast and an FMA. The pairs are read
    /// through two pointers (pairs 0–5 and 6–11) and five offsets, so the loop keeps every address in a register.
    /// </summary>
    [MethodImpl(KernelCompilation.Hot)]
    [SkipLocalsInit]
    private static void PairBlock<TP, TC, TE>(int k, float* pairs, int rounded, float* doubled, float* c, nint ldc, nint column, int columns, TE epi)
        where TP : IPairCount
        where TC : IColumnAccess
        where TE : struct, IGemmEpilogue
    {
        // The column mask is made here, not passed in: a Vec256 passed by value to a method that is not inlined keeps the
        // caller out of a ReadyToRun image (crossgen2: "ABI unstable type"), and PairRows was compiled by the JIT at its
        // first call in every instantiation (sixty-ninth session).
        Vec256 mask = Simd256.CreateMask(columns);
        Vector512<float> a0 = default, a1 = default, a2 = default, a3 = default, a4 = default, a5 = default;
        Vector512<float> a6 = default, a7 = default, a8 = default, a9 = default, a10 = default, a11 = default;
        if (TE.SeedsFromC)
        {
            a0 = Seed<TC>(c, ldc, 0, mask);
            a1 = TP.Count > 1 ? Seed<TC>(c, ldc, 1, mask) : default;
            a2 = TP.Count > 2 ? Seed<TC>(c, ldc, 2, mask) : default;
            a3 = TP.Count > 3 ? Seed<TC>(c, ldc, 3, mask) : default;
            a4 = TP.Count > 4 ? Seed<TC>(c, ldc, 4, mask) : default;
            a5 = TP.Count > 5 ? Seed<TC>(c, ldc, 5, mask) : default;
            a6 = TP.Count > 6 ? Seed<TC>(c, ldc, 6, mask) : default;
            a7 = TP.Count > 7 ? Seed<TC>(c, ldc, 7, mask) : default;
            a8 = TP.Count > 8 ? Seed<TC>(c, ldc, 8, mask) : default;
            a9 = TP.Count > 9 ? Seed<TC>(c, ldc, 9, mask) : default;
            a10 = TP.Count > 10 ? Seed<TC>(c, ldc, 10, mask) : default;
            a11 = TP.Count > 11 ? Seed<TC>(c, ldc, 11, mask) : default;
        }

        // A pair's k-th two floats are one double: pair q at p + q·rounded doubles.
        double* p = (double*)pairs;
        double* p6 = p + (6 * (nint)rounded);
        nint d1 = rounded, d2 = 2 * d1, d3 = 3 * d1, d4 = 4 * d1, d5 = 5 * d1;
        float* y = doubled;
        for (int step = 0; step < k; step++)
        {
            Vector512<float> b = Avx512F.LoadVector512(y);
            a0 = Avx512F.FusedMultiplyAdd(PairOf(p), b, a0);
            if (TP.Count > 1)
            {
                a1 = Avx512F.FusedMultiplyAdd(PairOf(p + d1), b, a1);
            }

            if (TP.Count > 2)
            {
                a2 = Avx512F.FusedMultiplyAdd(PairOf(p + d2), b, a2);
                a3 = Avx512F.FusedMultiplyAdd(PairOf(p + d3), b, a3);
            }

            if (TP.Count > 4)
            {
                a4 = Avx512F.FusedMultiplyAdd(PairOf(p + d4), b, a4);
                a5 = Avx512F.FusedMultiplyAdd(PairOf(p + d5), b, a5);
                a6 = Avx512F.FusedMultiplyAdd(PairOf(p6), b, a6);
                a7 = Avx512F.FusedMultiplyAdd(PairOf(p6 + d1), b, a7);
            }

            if (TP.Count > 8)
            {
                a8 = Avx512F.FusedMultiplyAdd(PairOf(p6 + d2), b, a8);
                a9 = Avx512F.FusedMultiplyAdd(PairOf(p6 + d3), b, a9);
                a10 = Avx512F.FusedMultiplyAdd(PairOf(p6 + d4), b, a10);
                a11 = Avx512F.FusedMultiplyAdd(PairOf(p6 + d5), b, a11);
            }

            p++;
            p6++;
            y += 16;
        }

        if (!(typeof(TE) == typeof(OverwriteEpilogue) || typeof(TE) == typeof(AccumulateEpilogue) || typeof(TE) == typeof(SeedFromCEpilogue)))
        {
            // An epilogue with work of its own (a bias, an activation, a gradient): the accumulators parked on the stack
            // and stored through one PutPair in a loop. Twelve inlined PutPairs, each two Puts through the bias load, the
            // activation and the masked store, overran the inliner's budget: PutPair stayed a call passing vectors by
            // value, which crossgen2 refuses, and the JIT compiled those PairBlocks at their first call (seventieth session).
            float* parked = stackalloc float[PairsPerBlock * 16];
            Avx512F.Store(parked, a0);
            if (TP.Count > 1)
            {
                Avx512F.Store(parked + 16, a1);
            }

            if (TP.Count > 2)
            {
                Avx512F.Store(parked + 32, a2);
                Avx512F.Store(parked + 48, a3);
            }

            if (TP.Count > 4)
            {
                Avx512F.Store(parked + 64, a4);
                Avx512F.Store(parked + 80, a5);
                Avx512F.Store(parked + 96, a6);
                Avx512F.Store(parked + 112, a7);
            }

            if (TP.Count > 8)
            {
                Avx512F.Store(parked + 128, a8);
                Avx512F.Store(parked + 144, a9);
                Avx512F.Store(parked + 160, a10);
                Avx512F.Store(parked + 176, a11);
            }

            for (int q = 0; q < TP.Count; q++)
            {
                PutPair<TC, TE>(Avx512F.LoadVector512(parked + (16 * q)), c, ldc, q, column, mask, epi);
            }

            return;
        }

        PutPair<TC, TE>(a0, c, ldc, 0, column, mask, epi);
        if (TP.Count > 1)
        {
            PutPair<TC, TE>(a1, c, ldc, 1, column, mask, epi);
        }

        if (TP.Count > 2)
        {
            PutPair<TC, TE>(a2, c, ldc, 2, column, mask, epi);
            PutPair<TC, TE>(a3, c, ldc, 3, column, mask, epi);
        }

        if (TP.Count > 4)
        {
            PutPair<TC, TE>(a4, c, ldc, 4, column, mask, epi);
            PutPair<TC, TE>(a5, c, ldc, 5, column, mask, epi);
            PutPair<TC, TE>(a6, c, ldc, 6, column, mask, epi);
            PutPair<TC, TE>(a7, c, ldc, 7, column, mask, epi);
        }

        if (TP.Count > 8)
        {
            PutPair<TC, TE>(a8, c, ldc, 8, column, mask, epi);
            PutPair<TC, TE>(a9, c, ldc, 9, column, mask, epi);
            PutPair<TC, TE>(a10, c, ldc, 10, column, mask, epi);
            PutPair<TC, TE>(a11, c, ldc, 11, column, mask, epi);
        }
    }

    /// <summary>A pair's two floats at one k (one double at <paramref name="p"/>) in every 64-bit lane: vbroadcastsd, as
    /// <c>Vector512.Create(*p)</c> compiles, spelled as the hardware intrinsic because precompiled code checks that helper's
    /// IL at run time and loads the framework's Vector512 class (sixty-ninth session).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> PairOf(double* p) => Avx512F.BroadcastScalarToVector512(Sse2.LoadScalarVector128(p)).AsSingle();

    /// <summary>C's rows 2q and 2q + 1 interleaved as one accumulator (for an epilogue that continues C's chains).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> Seed<TC>(float* c, nint ldc, int q, Vec256 mask)
        where TC : IColumnAccess
    {
        Vector256<float> first = TC.Load<Simd256, Vec256>(c + (2 * q * ldc), mask).V;
        Vector256<float> second = TC.Load<Simd256, Vec256>(c + (((2 * q) + 1) * ldc), mask).V;
        Vector512<int> interleave = Vector512.Create(0, 8, 1, 9, 2, 10, 3, 11, 4, 12, 5, 13, 6, 14, 7, 15);
        return Avx512F.PermuteVar16x32(Avx512F.InsertVector256(Avx512F.InsertVector256(Vector512<float>.Zero, first, 0), second, 1), interleave);
    }

    /// <summary>Splits pair q's accumulator into its two rows (even lanes, odd lanes) and stores each through the
    /// epilogue at 256 bits.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void PutPair<TC, TE>(Vector512<float> acc, float* c, nint ldc, int q, nint column, Vec256 mask, TE epi)
        where TC : IColumnAccess
        where TE : struct, IGemmEpilogue
    {
        Vector512<int> split = Vector512.Create(0, 2, 4, 6, 8, 10, 12, 14, 1, 3, 5, 7, 9, 11, 13, 15);
        Vector512<float> rows = Avx512F.PermuteVar16x32(acc, split);
        GemmStore.Put<Simd256, Vec256, TC, TE>(epi, new Vec256(rows.GetLower()), c + (2 * q * ldc), column, mask);
        GemmStore.Put<Simd256, Vec256, TC, TE>(epi, new Vec256(rows.GetUpper()), c + (((2 * q) + 1) * ldc), column, mask);
    }
}
