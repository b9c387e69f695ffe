using System.Diagnostics;
using System.Numerics;
using System.Runtime.CompilerServices;

namespace GanCore.Kernels;

/// <summary>The dot-product route (docs/kernels.md, Paths): C[i, j] = op(A)[i, ·]·op(B)[·, j] with vectors along K, for a
/// C of at most one vector of columns whose rows of op(A) are contiguous.</summary>
internal static unsafe partial class GemmEngine
{
    /// <summary>
    /// Whether a product with op(A)'s rows contiguous and <paramref name="n"/> ≤ one vector of columns is cheaper as dot
    /// products along K than in the direct loops, counted in FMAs per row of C. The direct loops hold the row in one
    /// vector and spend one FMA per k however few of its lanes are columns: K. The dot products spend ⌈K / lanes⌉ FMAs
    /// per column, each worth 5/4 of a direct one (their loads: at 512 bits 1024 × 2048 × 15 ran at 84 GFLOP/s as dot
    /// products and 106 in the direct loops), and then reduce the vector to a float and store it, about as long as
    /// <see cref="DotOverheadLanes"/> lanes of FMA work: N·(5/4·⌈K / lanes⌉ + DotOverheadLanes / lanes) in all. At
    /// 512 bits a 96 × 832 × 2 product is 142 against 832; the seed GAN's 64 × 128 × 15 (240 against 128) and the wide
    /// GAN's 1024 × 2048 × 15 (2,490 against 2,048) stay in the direct loops.
    /// </summary>
    /// <remarks>Lanes come in powers of two, so the two divisions are shifts: the rule runs on every product of a few
    /// columns, and with <see cref="OneVectorRows"/>' two, these divisions were 3–4% of a 4×4×4 product's time.</remarks>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static bool DotPays(int n, int k, int lanes) => lanes > 1 && n <= lanes && DotCost(n, k, lanes) < 4L * k;

    /// <summary>
    /// <see cref="DotPays"/> for a product whose op(B) columns are B's rows (A·Bᵀ), which the dot products read in place,
    /// with nothing gathered. There the direct loops still copy Bᵀ and spend a whole 512-bit vector on each row of C, a
    /// C of 9–15 columns wasting up to 7 of its 16 lanes, while the dot products pay for the columns that exist. So with
    /// 512-bit vectors, 9 ≤ N ≤ 15 and K ≥ 64, they also take a C whose dot products cost less than the direct loops'
    /// K FMAs per row at <see cref="InPlaceDotCost"/>: N·(3/4·⌈K/16⌉ + 13/4, + 2 when K is not a whole number of
    /// vectors), as long as B (N·K floats) fits in 32 KB, the smallest L1d of the AVX-512 hosts measured, so that every
    /// block of rows re-reads it from L1. Fitted on Zen 5 (2026-12-04, each route forced, M = 1–512, K = 40–832; the
    /// measured crossovers lay at N ≈ 10 for K = 64, 14 for K = 128, 13 for K = 136, 15 for K = 200, above 16 from
    /// K = 256, while the masked K tail kept the direct loops ahead from N = 9 at K = 72 and from N = 11 at K = 100): the
    /// rule takes N = 9–10, 9–13, 9–11, 9–13 and 9–15 there, N = 9 at K = 100 and none at K = 72. Sixteen columns fill
    /// the vector and stay in the direct loops (the dot products were 0.86–1.01 of their time there), so does the
    /// whole-vector part of a wider C after its dot tail (<see cref="DotTail"/>). It looks at neither M nor the host,
    /// so a row's bits depend on neither the batch size nor the CPU (among AVX-512 hosts). On Zen 4 (2026-12-07, each
    /// route forced; benchmarks/RESULTS.md, seventy-third session) the routes cross about one column lower: at M = 64,
    /// N ≈ 9.5 for K = 64, 11 for 96, 12.5 for 128, 13.5 for 160, 13 for 200 and 15 for 256, so the rule's last column
    /// at each K there ran at 1.01–1.08 of the direct loops' time; at M = 512 its columns next to the crossover ran at
    /// 1.00–1.16. Unmeasured on Intel. 256-bit vectors keep <see cref="DotPays"/>. Eight columns or fewer keep
    /// <see cref="DotPays"/> (and the pairs of rows, GemmPairRows.cs); the seed GAN's 64×128×15 (15·(6 + 3.25) = 138.75
    /// ≥ 128) and the wide GAN's 1024×2048×15 (B 120 KB) stay in the direct loops. benchmarks/RESULTS.md, thirty-eighth
    /// session.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static bool DotPaysInPlace(int n, int k, int lanes) =>
        DotPays(n, k, lanes)
        || (lanes == 16 && n > 8 && n < 16 && k >= 64 && (long)n * k <= InPlaceDotFloats && InPlaceDotCost(n, k) < 4L * k);

    /// <summary>The most floats of B (N·K) for which <see cref="DotPaysInPlace"/> widens the rule: 32 KB.</summary>
    private const int InPlaceDotFloats = 8192;

    /// <summary>Four times the in-place dot products' cost at 512 bits, in direct FMAs per row of C
    /// (<see cref="DotPaysInPlace"/>): N·(3·⌈K / 16⌉ + 13, + 8 with a K tail).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static long InPlaceDotCost(int n, int k) => (long)n * ((3L * ((k + 15) >> 4)) + 13 + ((k & 15) != 0 ? 8 : 0));

    /// <summary>Four times the dot products' cost for <paramref name="n"/> columns against <paramref name="k"/>, in
    /// direct FMAs per row (<see cref="DotPays"/>): N·(5·⌈K / lanes⌉ + 4·<see cref="DotOverheadLanes"/> / lanes).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static long DotCost(int n, int k, int lanes)
    {
        Debug.Assert(lanes >= 1 && BitOperations.IsPow2(lanes), "vectors hold a power of two of floats");
        int shift = BitOperations.Log2((uint)lanes);
        return (long)n * ((5L * ((k + lanes - 1) >> shift)) + ((4L * DotOverheadLanes) >> shift));
    }

    /// <summary>
    /// How many of C's last columns a product computes as dot products (0 for none): the N mod W columns past the last
    /// whole vector of a C wider than one vector (W = <paramref name="lanes"/>), when op(A)'s rows are contiguous, the
    /// columns are few enough, and their dot products cost less than three quarters of a direct column
    /// (<see cref="DotCost"/> below 3·K, where <see cref="DotPays"/> allows 4·K: a tail vector shares its broadcasts of
    /// A with the rest of the row, so it costs less than a product of its own). Few enough: less than half of the
    /// vector the direct loops give them (8 lanes at most: one to three columns at 512 and 256 bits, one at 128); with
    /// 512-bit vectors and op(B)'s columns read in place (<paramref name="columnsInPlace"/>: B's rows, an A·Bᵀ), up to
    /// half of it, eight columns, and past that nine to fifteen columns where their in-place cost
    /// (<see cref="InPlaceDotCost"/>, the narrow C's rule in <see cref="DotPaysInPlace"/>) is below 3·K and their rows of
    /// B (N mod 16 times K floats) fit in <see cref="InPlaceDotFloats"/>: nine columns from K = 96, ten from 128, eleven
    /// from 160, twelve from 224, thirteen from 304, fourteen at K = 496–576 only, fifteen never (with some K that are not
    /// whole vectors left out; the floats bound ends each range at 8192 / (N mod 16)). Like <see cref="DotPays"/>, the
    /// rule does not look at M, so it makes no row's bits depend on the batch size (the packed route's K blocks still
    /// do, past its volume threshold).
    /// </summary>
    /// <remarks>
    /// <para>The direct loops and the packed kernels spend one FMA per row and k step on the tail, however few of its
    /// lanes count: A·B 64×64×17 took 1.65× the time of 64×64×16 on Zen 4, OpenBLAS 1.2×. Fitted on Zen 4 (2026-12-03,
    /// in-process A/B, benchmarks/RESULTS.md, thirty-second session): four to seven columns (16×128×20 1.2×) and three
    /// columns at 256 bits against K = 128 (128×128×11 1.03×) came out slower as dot products, the gathered columns and
    /// a horizontal sum per element costing more than the vector saved. So does an A·B of one to four rows, mostly
    /// (0.81–1.8×: there the direct loops wait on the FMA latency and the tail's vector costs them little), the price of
    /// not looking at M; an A·Bᵀ, whose columns need no gathering, gains there too.</para>
    /// <para>Four to eight columns read in place, since the fifty-sixth session (Zen 4, the same minutes, each build
    /// timed against OpenBLAS): A·Bᵀ with tails of 4–8 columns took 0.59–0.96 of the direct loops' time at every M from
    /// 1 to 256 (1×300×22 0.69, 8×128×21 0.72, 256×128×20 0.79, 256×832×24 0.94), and 0.82–1.03 at K = 64 (16×64×20
    /// 0.82–1.03, 64×64×20 1.01, 256×64×20 0.85). Gathered, the same four columns of an A·B paid from 64 rows
    /// (256×128×20 0.80, 256×300×20 0.77) but cost up to 1.43× below 16 (8×300×23; 2×64×20 and 1×128×20 at 0.68–0.75
    /// of OpenBLAS against 1.0), where the gather of K × 4 floats outweighs the rows' savings, so an A·B keeps the
    /// narrower rule. benchmarks/RESULTS.md, fifty-sixth session.</para>
    /// <para>Nine to fifteen columns read in place, since the fifty-ninth session. The direct loops give them a whole
    /// 512-bit vector per row and k step, and A·Bᵀ with a few rows (GemmFewRowsOneVector.cs) transposes a whole 16-row
    /// tile of B for them: A·Bᵀ 8×128×25 ran at 0.77 of OpenBLAS, 6×128×25 at 0.63. Each route forced on Zen 4
    /// (M = 8 and 64, K = 64–512, tails of 9, 12 and 15; benchmarks/RESULTS.md), the dot products took 0.75–0.89 of the
    /// direct loops' time where the in-place cost is below 3·K (9 columns from K = 96, 12 from K = 256) and 0.98–1.19
    /// where it is not (9 at K = 64 and 100, 12 at K = 128 and 192, 15 at K = 192–512). Unmeasured on cores with
    /// full-width 512-bit units, where both sides' FMAs cost the same as here relative to each other.</para>
    /// </remarks>
    internal static int DotTail(int n, int k, nint csA, bool columnsInPlace, int lanes)
    {
        int tail = n & (lanes - 1);
        if (csA != 1 || n <= lanes || tail == 0)
        {
            return 0;
        }

        if (columnsInPlace && lanes == 16 && tail > 8)
        {
            // Nine to fifteen columns read in place: priced as the in-place dot products of a narrow C are.
            return (long)tail * k <= InPlaceDotFloats && InPlaceDotCost(tail, k) < 3L * k ? tail : 0;
        }

        bool few = columnsInPlace && lanes == 16 ? 2 * tail <= lanes : 2 * tail < Math.Min(lanes, 8);
        return few && DotCost(tail, k, lanes) < 3L * k ? tail : 0;
    }

    /// <summary>
    /// C's last <paramref name="tail"/> columns as dot products (the dot route: <see cref="DotColumns"/>, or
    /// <see cref="Dot"/> for one), op(B)'s columns read in place where they are B's rows (A·Bᵀ) and gathered into the scratch buffer
    /// otherwise; then <paramref name="o"/> is narrowed to the other columns, which the caller computes as a product of
    /// its own. The tail is done first because the rest may reuse that buffer. From the parallel threshold on, its rows
    /// are split among the workers as a dot-route product's are (a row's bits depend on neither its block nor the
    /// thread count); until the fifty-sixth session the tail ran on the calling thread alone, and a product split in two
    /// waited on it: A·Bᵀ 1024×256×20 took 57 µs on two threads against 93.5 on one, 1024×256×16 37 against 73.
    /// </summary>
    private static void DotTailColumns<TS, TV, TOnly, TFirst, TMiddle, TLast>(ref GemmOperands o, int tail, int threads, GemmBlocking blocking, TOnly only, TFirst first, TMiddle middle, TLast last)
        where TS : ISimd<TV>
        where TV : struct
        where TOnly : struct, IGemmEpilogue
        where TFirst : struct, IGemmEpilogue
        where TMiddle : struct, IGemmEpilogue
        where TLast : struct, IGemmEpilogue
    {
        GemmOperands columns = LastColumns(o, tail);
        if (o.RsB != 1)
        {
            columns.B = GatherColumns(columns.B, o.RsB, tail, o.K, dense: false, TS.Count);
            columns.RsB = 1;
            columns.CsB = o.K;
        }

        RunLastColumns<TS, TV, TOnly, TFirst, TMiddle, TLast>(ref o, columns, GemmRoute.Dot, threads, blocking, only, first, middle, last);
    }

    /// <summary>The last <paramref name="tail"/> columns of <paramref name="o"/> as a product of their own: op(B), C and
    /// the column index moved to column N − tail.</summary>
    private static GemmOperands LastColumns(in GemmOperands o, int tail)
    {
        int j0 = o.N - tail;
        GemmOperands columns = o;
        columns.B = o.B + (j0 * o.CsB);
        columns.N = tail;
        columns.C = o.C + j0;
        columns.Column0 = o.Column0 + j0;
        return columns;
    }

    /// <summary>Runs <paramref name="columns"/>, C's last columns (<see cref="LastColumns"/>), on <paramref name="route"/>,
    /// on this thread or split among the workers from the parallel threshold on; then narrows <paramref name="o"/> to
    /// the columns before them, which the caller computes as a product of its own (a dot tail or a column tail).</summary>
    private static void RunLastColumns<TS, TV, TOnly, TFirst, TMiddle, TLast>(ref GemmOperands o, in GemmOperands columns, GemmRoute route, int threads, GemmBlocking blocking, TOnly only, TFirst first, TMiddle middle, TLast last)
        where TS : ISimd<TV>
        where TV : struct
        where TOnly : struct, IGemmEpilogue
        where TFirst : struct, IGemmEpilogue
        where TMiddle : struct, IGemmEpilogue
        where TLast : struct, IGemmEpilogue
    {
        int workers = Math.Min(threads, Environment.ProcessorCount);
        bool oneThread = workers <= 1 || (long)columns.M * columns.N * columns.K < blocking.ParallelThreshold;
        (int mr, int nvMax) = TileFor(TS.Count);
        RunRouteOrParallel<TS, TV, TOnly, TFirst, TMiddle, TLast>(oneThread, route, columns, workers, blocking, mr, nvMax, only, first, middle, last);
        o.N -= columns.N;
    }

    /// <summary>
    /// op(B)'s <paramref name="n"/> columns (K × N from <paramref name="b"/>, rows <paramref name="rsB"/> floats apart)
    /// as N rows of K floats in this thread's scratch buffer, for the dot products to read contiguously: in register
    /// tiles from eight columns up, float by float below (there a tile still loads, shuffles and stores whole rows for
    /// a few floats, and the 16×16 tiles lost to the loop at 3 and 5 columns, 0.6–0.9×); a <paramref name="dense"/> B
    /// (rows N floats apart) of two to four columns by <see cref="TryDeinterleave"/>'s permutes.
    /// </summary>
    private static float* GatherColumns(float* b, nint rsB, int n, int k, bool dense, int lanes)
    {
        float* columns = Scratch(ref t_transposed, n * k);
        if (!(dense && TryDeinterleave(b, k, n, columns)))
        {
            CopyTransposed(b, rsB, n, k, columns, n >= 8 ? lanes : 1);
        }

        return columns;
    }

    /// <summary>C = epilogue(op(A)·op(B)) as one dot product per element, op(B)'s columns the rows of
    /// <paramref name="bt"/>: <see cref="Dot"/> for one column (one call less on a discriminator's logit, 64×128×1 about
    /// half a microsecond), <see cref="DotColumns"/> for more.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void DotProducts<TS, TV, TE>(int m, int n, int k, float* a, nint lda, float* bt, nint ldbt, float* c, nint ldc, nint column, TE epi)
        where TS : ISimd<TV>
        where TV : struct
        where TE : struct, IGemmEpilogue
    {
        if (n == 1)
        {
            Dot<TS, TV, TE>(m, k, a, lda, bt, c, ldc, column, epi);
        }
        else
        {
            DotColumns<TS, TV, TE>(m, n, k, a, lda, bt, ldbt, c, ldc, column, epi);
        }
    }

    /// <summary>
    /// The reduction and store of one dot product (the shared shuffle tree, the row buffer, the epilogue's masked store)
    /// in lanes of FMA work: 6 FMAs at 512 bits, 12 at 256. A fixed time per element, it is more FMAs the fewer lanes
    /// each FMA has. Chosen, with the 5/4, from where the two routes crossed on an AMD Zen 4 (2026-12-02,
    /// <c>gemm-ratios</c> with each route forced, N = 2–16 and K = 40–832, both widths), to stay at or below every
    /// crossover: at 512 bits the dot products were faster up to N = 4–5 at K = 40, 8–9 at K = 64–128, 9–12 at
    /// K = 256–300 and 12–16 at K = 832, and the rule takes them up to N = 4, 5–7, 9–10 and 11; at 256 bits they were
    /// faster up to N = 2 at K = 40, 3–4 at K = 64–128 and 6 at K = 300–832, and the rule takes them up to 2, 2–3
    /// and 5. docs/kernels.md, "Paths".
    /// </summary>
    private const int DotOverheadLanes = 96;

    /// <summary>
    /// C[i, j] = epilogue(op(A)[i, ·]·op(B)[·, j]) for 2 ≤ N ≤ one vector, op(A)'s rows <paramref name="lda"/> apart and
    /// op(B)'s columns rows of <paramref name="bt"/>, <paramref name="ldbt"/> apart (Bᵀ itself for A·Bᵀ, a transposed
    /// copy for A·B). Blocks of rows of A meet groups of columns, the block's rows re-read from L1 for each group:
    /// with 32 registers (512-bit vectors) four rows against four columns (16 FMA chains, 8 loads per 16 FMAs), or
    /// eight rows against exactly two columns (16 chains, 10 loads per 16 FMAs), and N = 4q + 3 ends in four rows
    /// against three columns (12 chains), N = 4q + 5 in four rows against five (20 chains); otherwise (and with 16
    /// registers) four rows against two columns (8 chains, 6 loads per 8 FMAs), an odd last column paired with itself.
    /// Every element is one chain (the whole vectors of K in order, then the masked tail, then one horizontal sum), as in
    /// <see cref="Dot"/>, so an element's bits depend on neither its row nor its column nor M or N. A row's N sums are
    /// stored through the epilogue as one masked vector, or, into a dense C where one block takes every column, a
    /// block's rows as whole vectors spanning rows (<see cref="PutBlock"/>).
    /// </summary>
    [MethodImpl(KernelCompilation.Hot)]
    [SkipLocalsInit]
    private static void DotColumns<TS, TV, TE>(int m, int n, int k, float* a, nint lda, float* bt, nint ldbt, float* c, nint ldc, nint column, TE epi)
        where TS : ISimd<TV>
        where TV : struct
        where TE : struct, IGemmEpilogue
    {
        TV rowMask = TS.CreateMask(n);
        float* sums = stackalloc float[8];

        // Where one block takes every column (N = 2, and N = 3, 4 or 5 with 32 registers) its sums, row after row, are the
        // rows themselves: they are stored straight into the buffer, rows N floats apart. Otherwise each block's sums go
        // float by float to their columns of rows 16 floats apart.
        bool allColumns = n == 2 || (TS.Count == 16 && n <= 5);
        int stride = allColumns ? n : 16;

        // And where C is dense too (row stride N), a block's rows are as many consecutive floats of C: stored as whole
        // vectors through the epilogue, not one masked vector per row (A·B 256×128×2 −16%). A block spans at most 20
        // floats (eight rows of two, four of five); their per-column data, repeated row after row, for the epilogue.
        bool dense = allColumns && ldc == n;
        float* spread = stackalloc float[32];
        if (dense)
        {
            int blockFloats = (TS.Count == 16 && n == 2 ? 8 : 4) * n;
            Debug.Assert(blockFloats <= 32, "a block of rows spans at most 20 floats");
            epi.Spread(column, n, spread, blockFloats);
        }

        // Two buffers of up to eight rows of C (n ≤ 16 floats each): a block's sums are written and read back as vectors
        // only after the next block has run, when those stores have long retired. Read at once, each vector load waited
        // for the several stores it spans (no store-to-load forwarding): 7% of the time at 96 × 256 × 2.
        float* buffers = stackalloc float[2 * 128];
        float* rows = buffers;
        int pending = -1;
        int pendingRows = 0;

        // Two columns with 32 registers: eight rows at a time, sixteen chains, as four columns of four rows have.
        bool eightRows = TS.Count == 16 && n == 2;
        int i = 0;
        while (i + 4 <= m)
        {
            float* a0 = a + (i * lda);
            int height = eightRows && i + 8 <= m ? 8 : 4;
            if (height == 8)
            {
                DotEightByTwo<TS, TV>(k, a0, lda, bt, ldbt, sums, rows, allColumns);
            }
            else
            {
                DotFourRows<TS, TV>(n, k, a0, lda, bt, ldbt, sums, rows, allColumns);
            }

            float* other = rows == buffers ? buffers + 128 : buffers;
            if (pending >= 0)
            {
                PutBlock<TS, TV, TE>(epi, other, stride, pendingRows, c + (pending * ldc), ldc, column, rowMask, dense, spread);
            }

            pending = i;
            pendingRows = height;
            rows = other;
            i += height;
        }

        if (pending >= 0)
        {
            PutBlock<TS, TV, TE>(epi, rows == buffers ? buffers + 128 : buffers, stride, pendingRows, c + (pending * ldc), ldc, column, rowMask, dense, spread);
        }

        // The last m mod 4 rows: as the last four rows of A, overlapping rows already stored, whose sums are computed again
        // (the same chains, the same bits) but not stored again. They went column by column through Dot's single rows
        // before, two or three chains at a time waiting on the FMA latency: 2 of 6 rows at 6×782×4 took as long as the
        // other four. Fewer than four rows in all go through DotFewRows.
        if (i < m)
        {
            int rest = m - i;
            if (m >= 4)
            {
                DotFourRows<TS, TV>(n, k, a + ((m - 4) * lda), lda, bt, ldbt, sums, rows, allColumns);
                PutBlock<TS, TV, TE>(epi, rows + (stride * (4 - rest)), stride, rest, c + (i * ldc), ldc, column, rowMask, dense, spread);
            }
            else
            {
                DotFewRows<TS, TV, TE>(rest, n, k, a + (i * lda), lda, bt, ldbt, c + (i * ldc), ldc, column, epi);
            }
        }
    }

    /// <summary>
    /// A C of one to three rows: each row against up to four columns at a time, four chains in one loop where one column
    /// at a time (<see cref="Dot"/>) ran one chain after another, each waiting on the FMA latency (A·B 2×128×3 took
    /// 1.2–1.3 times as long that way on Zen 4). Every element is still its own chain (the whole vectors of K in order, the
    /// masked tail, one horizontal sum), so it has <see cref="Dot"/>'s bits.
    /// </summary>
    [MethodImpl(KernelCompilation.Hot)]
    private static void DotFewRows<TS, TV, TE>(int rows, int n, int k, float* a, nint lda, float* bt, nint ldbt, float* c, nint ldc, nint column, TE epi)
        where TS : ISimd<TV>
        where TV : struct
        where TE : struct, IGemmEpilogue
    {
        int kFull = k - (k % TS.Count);
        TV mask = k > kFull ? TS.CreateMask(k - kFull) : default;
        TV lane0 = TS.CreateMask(1);
        for (int r = 0; r < rows; r++)
        {
            float* ar = a + (r * lda);
            float* cr = c + (r * ldc);
            for (int j0 = 0; j0 < n; j0 += 4)
            {
                // Fewer than four columns left: the missing ones repeat the first, computed and not stored.
                int columns = Math.Min(4, n - j0);
                float* b0 = bt + (j0 * ldbt);
                float* b1 = columns > 1 ? b0 + ldbt : b0;
                float* b2 = columns > 2 ? b0 + (2 * ldbt) : b0;
                float* b3 = columns > 3 ? b0 + (3 * ldbt) : b0;
                TV s0 = default, s1 = default, s2 = default, s3 = default;
                int p = 0;
                for (; p < kFull; p += TS.Count)
                {
                    TV y = TS.Load(ref *(ar + p), 0);
                    TS.MultiplyAddTo(ref s0, y, TS.Load(ref *(b0 + p), 0));
                    TS.MultiplyAddTo(ref s1, y, TS.Load(ref *(b1 + p), 0));
                    TS.MultiplyAddTo(ref s2, y, TS.Load(ref *(b2 + p), 0));
                    TS.MultiplyAddTo(ref s3, y, TS.Load(ref *(b3 + p), 0));
                }

                if (p < k)
                {
                    TV y = TS.LoadMasked(ar + p, mask);
                    TS.MultiplyAddTo(ref s0, y, TS.LoadMasked(b0 + p, mask));
                    TS.MultiplyAddTo(ref s1, y, TS.LoadMasked(b1 + p, mask));
                    TS.MultiplyAddTo(ref s2, y, TS.LoadMasked(b2 + p, mask));
                    TS.MultiplyAddTo(ref s3, y, TS.LoadMasked(b3 + p, mask));
                }

                GemmStore.Put<TS, TV, MaskedColumns, TE>(epi, TS.Broadcast(TS.Sum(s0)), cr + j0, column + j0, lane0);
                if (columns > 1)
                {
                    GemmStore.Put<TS, TV, MaskedColumns, TE>(epi, TS.Broadcast(TS.Sum(s1)), cr + j0 + 1, column + j0 + 1, lane0);
                }

                if (columns > 2)
                {
                    GemmStore.Put<TS, TV, MaskedColumns, TE>(epi, TS.Broadcast(TS.Sum(s2)), cr + j0 + 2, column + j0 + 2, lane0);
                }

                if (columns > 3)
                {
                    GemmStore.Put<TS, TV, MaskedColumns, TE>(epi, TS.Broadcast(TS.Sum(s3)), cr + j0 + 3, column + j0 + 3, lane0);
                }
            }
        }
    }

    /// <summary>Four rows of A against all <paramref name="n"/> columns: sums into <paramref name="rows"/>, rows 16 floats
    /// apart, or, where one block takes every column (<paramref name="allColumns"/>), N floats apart. With 32 registers fours of
    /// columns, then a last three as a triple (N = 4q + 3), or a five where one column would be left over (N = 4q + 5);
    /// otherwise pairs, an odd last column paired with itself.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void DotFourRows<TS, TV>(int n, int k, float* a0, nint lda, float* bt, nint ldbt, float* sums, float* rows, bool allColumns)
        where TS : ISimd<TV>
        where TV : struct
    {
        int j = 0;
        if (TS.Count == 16)
        {
            // Every block's chains are columns of C, none a copy.
            int fours = n % 4 == 1 ? (n - 5) / 4 : n / 4;
            for (; j < 4 * fours; j += 4)
            {
                DotFourByFour<TS, TV>(k, a0, lda, bt + (j * ldbt), ldbt, sums, rows + j, allColumns);
            }

            if (n - j == 5)
            {
                DotFourByFive<TS, TV>(k, a0, lda, bt + (j * ldbt), ldbt, sums, rows + j, allColumns);
                j += 5;
            }

            if (n - j == 3)
            {
                DotFourByThree<TS, TV>(k, a0, lda, bt + (j * ldbt), ldbt, sums, rows + j, allColumns);
                j += 3;
            }
        }

        for (; j + 2 <= n; j += 2)
        {
            DotFourByTwo<TS, TV>(k, a0, lda, bt + (j * ldbt), ldbt, sums, rows + j, allColumns);
        }

        if (j < n)
        {
            // An odd last column, as a pair with itself: four chains alone would wait on the FMA latency. The copy's sums
            // land in the row's lane n, which the row mask never stores.
            DotFourByTwo<TS, TV>(k, a0, lda, bt + (j * ldbt), 0, sums, rows + j, false);
        }
    }

    /// <summary>Four rows of A (<paramref name="a0"/>, <paramref name="lda"/> floats apart) against four columns of op(B)
    /// (rows of <paramref name="b0"/>, <paramref name="ldbt"/> apart): sixteen sums into <paramref name="rows"/>, four to
    /// a row, rows 16 floats apart, or, when these are all the columns (<paramref name="allColumns"/>), 4 apart as the
    /// reduction leaves them. Not inlined: in one method with the other blocks, the JIT spilled their loops.</summary>
    [MethodImpl(KernelCompilation.Hot | MethodImplOptions.NoInlining)]
    private static void DotFourByFour<TS, TV>(int k, float* a0, nint lda, float* b0, nint ldbt, float* sums, float* rows, bool allColumns)
        where TS : ISimd<TV>
        where TV : struct
    {
        int kFull = k - (k % TS.Count);
        nint l1 = lda, l2 = lda * 2, l3 = lda * 3;
        float* b1 = b0 + ldbt;
        float* b2 = b1 + ldbt;
        float* b3 = b2 + ldbt;
        TV s00 = default, s01 = default, s02 = default, s03 = default, s10 = default, s11 = default, s12 = default, s13 = default;
        TV s20 = default, s21 = default, s22 = default, s23 = default, s30 = default, s31 = default, s32 = default, s33 = default;
        int p = 0;
        for (; p < kFull; p += TS.Count)
        {
            TV x0 = TS.Load(ref *(b0 + p), 0);
            TV x1 = TS.Load(ref *(b1 + p), 0);
            TV x2 = TS.Load(ref *(b2 + p), 0);
            TV x3 = TS.Load(ref *(b3 + p), 0);
            FourRowsByFour<TS, TV>(a0 + p, l1, l2, l3, x0, x1, x2, x3, true, default, ref s00, ref s01, ref s02, ref s03, ref s10, ref s11, ref s12, ref s13, ref s20, ref s21, ref s22, ref s23, ref s30, ref s31, ref s32, ref s33);
        }

        if (p < k)
        {
            TV mask = TS.CreateMask(k - p);
            TV x0 = TS.LoadMasked(b0 + p, mask);
            TV x1 = TS.LoadMasked(b1 + p, mask);
            TV x2 = TS.LoadMasked(b2 + p, mask);
            TV x3 = TS.LoadMasked(b3 + p, mask);
            FourRowsByFour<TS, TV>(a0 + p, l1, l2, l3, x0, x1, x2, x3, false, mask, ref s00, ref s01, ref s02, ref s03, ref s10, ref s11, ref s12, ref s13, ref s20, ref s21, ref s22, ref s23, ref s30, ref s31, ref s32, ref s33);
        }

        if (allColumns)
        {
            TS.SumEight(s00, s01, s02, s03, s10, s11, s12, s13, rows);
            TS.SumEight(s20, s21, s22, s23, s30, s31, s32, s33, rows + 8);
            return;
        }

        TS.SumEight(s00, s01, s02, s03, s10, s11, s12, s13, sums);
        rows[0] = sums[0];
        rows[1] = sums[1];
        rows[2] = sums[2];
        rows[3] = sums[3];
        rows[16] = sums[4];
        rows[17] = sums[5];
        rows[18] = sums[6];
        rows[19] = sums[7];
        TS.SumEight(s20, s21, s22, s23, s30, s31, s32, s33, sums);
        rows[32] = sums[0];
        rows[33] = sums[1];
        rows[34] = sums[2];
        rows[35] = sums[3];
        rows[48] = sums[4];
        rows[49] = sums[5];
        rows[50] = sums[6];
        rows[51] = sums[7];
    }

    /// <summary>Four rows of A against five columns of op(B): twenty sums into <paramref name="rows"/> (see
    /// <see cref="DotFourByFour"/>), 20 chains and 9 loads per 20 FMAs, 26 of the 32 registers. Before it, N = 5 ran as
    /// a pair and a triple, each reloading the four rows of A (A·B 300×300×5 and 64×70×5 about 10% slower). 512-bit
    /// vectors only (the stack copy of the K tail keeps its rows 16 floats apart).</summary>
    [MethodImpl(KernelCompilation.Hot | MethodImplOptions.NoInlining)]
    [SkipLocalsInit]
    private static void DotFourByFive<TS, TV>(int k, float* a0, nint lda, float* b0, nint ldbt, float* sums, float* rows, bool allColumns)
        where TS : ISimd<TV>
        where TV : struct
    {
        // Two passes of one loop body, plain loads only: over the whole vectors of K in place, then over the K tail,
        // copied (masked, zero-filled) beforehand into a stack block laid out as four rows and five columns 16 floats
        // apart. With a second, masked copy of the body after the loop (as the other blocks have), the JIT kept 8 of
        // the 20 accumulators on the stack inside the loop; with every load masked, as one body for both, the block
        // ran 23% slower than the pair and triple it replaced at K = 304 (a masked load costs more on Zen 4). A lane
        // past K multiplies 0 by 0 in every form, so the sums are the same.
        Debug.Assert(TS.Count <= 16, "the tail's rows are 16 floats apart");
        int kFull = k - (k % TS.Count);
        float* tail = stackalloc float[9 * 16];
        if (kFull < k)
        {
            TV mask = TS.CreateMask(k - kFull);
            for (int r = 0; r < 4; r++)
            {
                TS.Store(TS.LoadMasked(a0 + (r * lda) + kFull, mask), ref *(tail + (16 * r)), 0);
            }

            for (int j = 0; j < 5; j++)
            {
                TS.Store(TS.LoadMasked(b0 + (j * ldbt) + kFull, mask), ref *(tail + 64 + (16 * j)), 0);
            }
        }

        float* ra = a0;
        float* rb = b0;
        nint la = lda;
        nint lb = ldbt;
        int end = kFull;
        bool tailPending = kFull < k;
        TV s00 = default, s01 = default, s02 = default, s03 = default, s04 = default, s10 = default, s11 = default, s12 = default, s13 = default, s14 = default;
        TV s20 = default, s21 = default, s22 = default, s23 = default, s24 = default, s30 = default, s31 = default, s32 = default, s33 = default, s34 = default;
        while (true)
        {
            // Pass 1: the whole vectors in place (none when K < 16); pass 2, when K has a tail: one vector of the copy.
            nint la2 = la * 2, la3 = la * 3, lb2 = lb * 2, lb3 = lb * 3, lb4 = lb * 4;
            for (int p = 0; p < end; p += TS.Count)
            {
                float* bp = rb + p;
                float* ap = ra + p;
                TV x0 = TS.Load(ref *bp, 0);
                TV x1 = TS.Load(ref *(bp + lb), 0);
                TV x2 = TS.Load(ref *(bp + lb2), 0);
                TV x3 = TS.Load(ref *(bp + lb3), 0);
                TV x4 = TS.Load(ref *(bp + lb4), 0);
                TV y = TS.Load(ref *ap, 0);
                TS.MultiplyAddTo(ref s00, y, x0);
                TS.MultiplyAddTo(ref s01, y, x1);
                TS.MultiplyAddTo(ref s02, y, x2);
                TS.MultiplyAddTo(ref s03, y, x3);
                TS.MultiplyAddTo(ref s04, y, x4);
                y = TS.Load(ref *(ap + la), 0);
                TS.MultiplyAddTo(ref s10, y, x0);
                TS.MultiplyAddTo(ref s11, y, x1);
                TS.MultiplyAddTo(ref s12, y, x2);
                TS.MultiplyAddTo(ref s13, y, x3);
                TS.MultiplyAddTo(ref s14, y, x4);
                y = TS.Load(ref *(ap + la2), 0);
                TS.MultiplyAddTo(ref s20, y, x0);
                TS.MultiplyAddTo(ref s21, y, x1);
                TS.MultiplyAddTo(ref s22, y, x2);
                TS.MultiplyAddTo(ref s23, y, x3);
                TS.MultiplyAddTo(ref s24, y, x4);
                y = TS.Load(ref *(ap + la3), 0);
                TS.MultiplyAddTo(ref s30, y, x0);
                TS.MultiplyAddTo(ref s31, y, x1);
                TS.MultiplyAddTo(ref s32, y, x2);
                TS.MultiplyAddTo(ref s33, y, x3);
                TS.MultiplyAddTo(ref s34, y, x4);
            }

            if (!tailPending)
            {
                break;
            }

            tailPending = false;
            ra = tail;
            rb = tail + 64;
            la = 16;
            lb = 16;
            end = TS.Count;
        }

        if (allColumns)
        {
            // Rows 0–3, five sums each, twenty in a row: eight, eight, and four (their copy lands past the rows).
            TS.SumEight(s00, s01, s02, s03, s04, s10, s11, s12, rows);
            TS.SumEight(s13, s14, s20, s21, s22, s23, s24, s30, rows + 8);
            TS.SumEight(s31, s32, s33, s34, s31, s32, s33, s34, rows + 16);
            return;
        }

        TS.SumEight(s00, s01, s02, s03, s04, s10, s11, s12, sums);
        rows[0] = sums[0];
        rows[1] = sums[1];
        rows[2] = sums[2];
        rows[3] = sums[3];
        rows[4] = sums[4];
        rows[16] = sums[5];
        rows[17] = sums[6];
        rows[18] = sums[7];
        TS.SumEight(s13, s14, s20, s21, s22, s23, s24, s30, sums);
        rows[19] = sums[0];
        rows[20] = sums[1];
        rows[32] = sums[2];
        rows[33] = sums[3];
        rows[34] = sums[4];
        rows[35] = sums[5];
        rows[36] = sums[6];
        rows[48] = sums[7];
        TS.SumEight(s31, s32, s33, s34, s31, s32, s33, s34, sums);
        rows[49] = sums[0];
        rows[50] = sums[1];
        rows[51] = sums[2];
        rows[52] = sums[3];
    }

    /// <summary>Four rows of A against three columns of op(B): twelve sums into <paramref name="rows"/> (see
    /// <see cref="DotFourByFour"/>), 12 chains, 7 loads per 12 FMAs.</summary>
    [MethodImpl(KernelCompilation.Hot | MethodImplOptions.NoInlining)]
    private static void DotFourByThree<TS, TV>(int k, float* a0, nint lda, float* b0, nint ldbt, float* sums, float* rows, bool allColumns)
        where TS : ISimd<TV>
        where TV : struct
    {
        int kFull = k - (k % TS.Count);
        nint l1 = lda, l2 = lda * 2, l3 = lda * 3;
        float* b1 = b0 + ldbt;
        float* b2 = b1 + ldbt;
        TV s00 = default, s01 = default, s02 = default, s10 = default, s11 = default, s12 = default;
        TV s20 = default, s21 = default, s22 = default, s30 = default, s31 = default, s32 = default;
        int p = 0;
        for (; p < kFull; p += TS.Count)
        {
            TV x0 = TS.Load(ref *(b0 + p), 0);
            TV x1 = TS.Load(ref *(b1 + p), 0);
            TV x2 = TS.Load(ref *(b2 + p), 0);
            FourRowsByThree<TS, TV>(a0 + p, l1, l2, l3, x0, x1, x2, true, default, ref s00, ref s01, ref s02, ref s10, ref s11, ref s12, ref s20, ref s21, ref s22, ref s30, ref s31, ref s32);
        }

        if (p < k)
        {
            TV mask = TS.CreateMask(k - p);
            TV x0 = TS.LoadMasked(b0 + p, mask);
            TV x1 = TS.LoadMasked(b1 + p, mask);
            TV x2 = TS.LoadMasked(b2 + p, mask);
            FourRowsByThree<TS, TV>(a0 + p, l1, l2, l3, x0, x1, x2, false, mask, ref s00, ref s01, ref s02, ref s10, ref s11, ref s12, ref s20, ref s21, ref s22, ref s30, ref s31, ref s32);
        }

        if (allColumns)
        {
            // Rows 0–2 and the first two sums of row 2, then row 2's last and row 3 (the copy after them lands past the
            // four rows, in the buffer's unused floats).
            TS.SumEight(s00, s01, s02, s10, s11, s12, s20, s21, rows);
            TS.SumEight(s22, s30, s31, s32, s22, s30, s31, s32, rows + 8);
            return;
        }

        TS.SumEight(s00, s01, s02, s10, s11, s12, s20, s21, sums);
        rows[0] = sums[0];
        rows[1] = sums[1];
        rows[2] = sums[2];
        rows[16] = sums[3];
        rows[17] = sums[4];
        rows[18] = sums[5];
        rows[32] = sums[6];
        rows[33] = sums[7];
        TS.SumEight(s22, s30, s31, s32, s22, s30, s31, s32, sums);
        rows[34] = sums[0];
        rows[48] = sums[1];
        rows[49] = sums[2];
        rows[50] = sums[3];
    }

    /// <summary>Four rows of A against two columns of op(B): eight sums into <paramref name="rows"/> (see
    /// <see cref="DotFourByFour"/>).</summary>
    [MethodImpl(KernelCompilation.Hot | MethodImplOptions.NoInlining)]
    private static void DotFourByTwo<TS, TV>(int k, float* a0, nint lda, float* b0, nint ldbt, float* sums, float* rows, bool allColumns)
        where TS : ISimd<TV>
        where TV : struct
    {
        int kFull = k - (k % TS.Count);
        nint l1 = lda, l2 = lda * 2, l3 = lda * 3;
        float* b1 = b0 + ldbt;
        TV s00 = default, s01 = default, s10 = default, s11 = default, s20 = default, s21 = default, s30 = default, s31 = default;
        int p = 0;
        for (; p < kFull; p += TS.Count)
        {
            TV x0 = TS.Load(ref *(b0 + p), 0);
            TV x1 = TS.Load(ref *(b1 + p), 0);
            FourRowsByTwo<TS, TV>(a0 + p, l1, l2, l3, x0, x1, true, default, ref s00, ref s01, ref s10, ref s11, ref s20, ref s21, ref s30, ref s31);
        }

        if (p < k)
        {
            TV mask = TS.CreateMask(k - p);
            TV x0 = TS.LoadMasked(b0 + p, mask);
            TV x1 = TS.LoadMasked(b1 + p, mask);
            FourRowsByTwo<TS, TV>(a0 + p, l1, l2, l3, x0, x1, false, mask, ref s00, ref s01, ref s10, ref s11, ref s20, ref s21, ref s30, ref s31);
        }

        if (allColumns)
        {
            TS.SumEight(s00, s01, s10, s11, s20, s21, s30, s31, rows);
            return;
        }

        TS.SumEight(s00, s01, s10, s11, s20, s21, s30, s31, sums);
        CopyPairs(sums, rows);
    }

    /// <summary>Eight rows of A against two columns of op(B): sixteen sums into <paramref name="rows"/>, rows 16 floats
    /// apart, or 2 apart when these are all the columns (<paramref name="allColumns"/>; see
    /// <see cref="DotFourByFour"/>).</summary>
    [MethodImpl(KernelCompilation.Hot | MethodImplOptions.NoInlining)]
    private static void DotEightByTwo<TS, TV>(int k, float* a0, nint lda, float* b0, nint ldbt, float* sums, float* rows, bool allColumns)
        where TS : ISimd<TV>
        where TV : struct
    {
        int kFull = k - (k % TS.Count);
        float* a4 = a0 + (4 * lda);
        nint l1 = lda, l2 = lda * 2, l3 = lda * 3;
        float* b1 = b0 + ldbt;
        TV s00 = default, s01 = default, s10 = default, s11 = default, s20 = default, s21 = default, s30 = default, s31 = default;
        TV s40 = default, s41 = default, s50 = default, s51 = default, s60 = default, s61 = default, s70 = default, s71 = default;
        int p = 0;
        for (; p < kFull; p += TS.Count)
        {
            TV x0 = TS.Load(ref *(b0 + p), 0);
            TV x1 = TS.Load(ref *(b1 + p), 0);
            FourRowsByTwo<TS, TV>(a0 + p, l1, l2, l3, x0, x1, true, default, ref s00, ref s01, ref s10, ref s11, ref s20, ref s21, ref s30, ref s31);
            FourRowsByTwo<TS, TV>(a4 + p, l1, l2, l3, x0, x1, true, default, ref s40, ref s41, ref s50, ref s51, ref s60, ref s61, ref s70, ref s71);
        }

        if (p < k)
        {
            TV mask = TS.CreateMask(k - p);
            TV x0 = TS.LoadMasked(b0 + p, mask);
            TV x1 = TS.LoadMasked(b1 + p, mask);
            FourRowsByTwo<TS, TV>(a0 + p, l1, l2, l3, x0, x1, false, mask, ref s00, ref s01, ref s10, ref s11, ref s20, ref s21, ref s30, ref s31);
            FourRowsByTwo<TS, TV>(a4 + p, l1, l2, l3, x0, x1, false, mask, ref s40, ref s41, ref s50, ref s51, ref s60, ref s61, ref s70, ref s71);
        }

        if (allColumns)
        {
            TS.SumEight(s00, s01, s10, s11, s20, s21, s30, s31, rows);
            TS.SumEight(s40, s41, s50, s51, s60, s61, s70, s71, rows + 8);
            return;
        }

        TS.SumEight(s00, s01, s10, s11, s20, s21, s30, s31, sums);
        CopyPairs(sums, rows);
        TS.SumEight(s40, s41, s50, s51, s60, s61, s70, s71, sums);
        CopyPairs(sums, rows + 64);
    }

    /// <summary>One k step of four rows of A against four columns (see <see cref="FourRowsByTwo"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void FourRowsByFour<TS, TV>(float* ap, nint l1, nint l2, nint l3, TV x0, TV x1, TV x2, TV x3, bool whole, TV mask, ref TV s00, ref TV s01, ref TV s02, ref TV s03, ref TV s10, ref TV s11, ref TV s12, ref TV s13, ref TV s20, ref TV s21, ref TV s22, ref TV s23, ref TV s30, ref TV s31, ref TV s32, ref TV s33)
        where TS : ISimd<TV>
        where TV : struct
    {
        TV y = whole ? TS.Load(ref *ap, 0) : TS.LoadMasked(ap, mask);
        TS.MultiplyAddTo(ref s00, y, x0);
        TS.MultiplyAddTo(ref s01, y, x1);
        TS.MultiplyAddTo(ref s02, y, x2);
        TS.MultiplyAddTo(ref s03, y, x3);
        y = whole ? TS.Load(ref *(ap + l1), 0) : TS.LoadMasked(ap + l1, mask);
        TS.MultiplyAddTo(ref s10, y, x0);
        TS.MultiplyAddTo(ref s11, y, x1);
        TS.MultiplyAddTo(ref s12, y, x2);
        TS.MultiplyAddTo(ref s13, y, x3);
        y = whole ? TS.Load(ref *(ap + l2), 0) : TS.LoadMasked(ap + l2, mask);
        TS.MultiplyAddTo(ref s20, y, x0);
        TS.MultiplyAddTo(ref s21, y, x1);
        TS.MultiplyAddTo(ref s22, y, x2);
        TS.MultiplyAddTo(ref s23, y, x3);
        y = whole ? TS.Load(ref *(ap + l3), 0) : TS.LoadMasked(ap + l3, mask);
        TS.MultiplyAddTo(ref s30, y, x0);
        TS.MultiplyAddTo(ref s31, y, x1);
        TS.MultiplyAddTo(ref s32, y, x2);
        TS.MultiplyAddTo(ref s33, y, x3);
    }

    /// <summary>One k step of four rows of A against three columns (see <see cref="FourRowsByTwo"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void FourRowsByThree<TS, TV>(float* ap, nint l1, nint l2, nint l3, TV x0, TV x1, TV x2, bool whole, TV mask, ref TV s00, ref TV s01, ref TV s02, ref TV s10, ref TV s11, ref TV s12, ref TV s20, ref TV s21, ref TV s22, ref TV s30, ref TV s31, ref TV s32)
        where TS : ISimd<TV>
        where TV : struct
    {
        TV y = whole ? TS.Load(ref *ap, 0) : TS.LoadMasked(ap, mask);
        TS.MultiplyAddTo(ref s00, y, x0);
        TS.MultiplyAddTo(ref s01, y, x1);
        TS.MultiplyAddTo(ref s02, y, x2);
        y = whole ? TS.Load(ref *(ap + l1), 0) : TS.LoadMasked(ap + l1, mask);
        TS.MultiplyAddTo(ref s10, y, x0);
        TS.MultiplyAddTo(ref s11, y, x1);
        TS.MultiplyAddTo(ref s12, y, x2);
        y = whole ? TS.Load(ref *(ap + l2), 0) : TS.LoadMasked(ap + l2, mask);
        TS.MultiplyAddTo(ref s20, y, x0);
        TS.MultiplyAddTo(ref s21, y, x1);
        TS.MultiplyAddTo(ref s22, y, x2);
        y = whole ? TS.Load(ref *(ap + l3), 0) : TS.LoadMasked(ap + l3, mask);
        TS.MultiplyAddTo(ref s30, y, x0);
        TS.MultiplyAddTo(ref s31, y, x1);
        TS.MultiplyAddTo(ref s32, y, x2);
    }

    /// <summary>One k step of four rows of A (<paramref name="ap"/>, then <paramref name="l1"/>, <paramref name="l2"/>,
    /// <paramref name="l3"/> floats on) against two columns: s_r0 += a_r·x0, s_r1 += a_r·x1, the rows loaded whole or,
    /// for the K tail, under <paramref name="mask"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void FourRowsByTwo<TS, TV>(float* ap, nint l1, nint l2, nint l3, TV x0, TV x1, bool whole, TV mask, ref TV s00, ref TV s01, ref TV s10, ref TV s11, ref TV s20, ref TV s21, ref TV s30, ref TV s31)
        where TS : ISimd<TV>
        where TV : struct
    {
        TV y = whole ? TS.Load(ref *ap, 0) : TS.LoadMasked(ap, mask);
        TS.MultiplyAddTo(ref s00, y, x0);
        TS.MultiplyAddTo(ref s01, y, x1);
        y = whole ? TS.Load(ref *(ap + l1), 0) : TS.LoadMasked(ap + l1, mask);
        TS.MultiplyAddTo(ref s10, y, x0);
        TS.MultiplyAddTo(ref s11, y, x1);
        y = whole ? TS.Load(ref *(ap + l2), 0) : TS.LoadMasked(ap + l2, mask);
        TS.MultiplyAddTo(ref s20, y, x0);
        TS.MultiplyAddTo(ref s21, y, x1);
        y = whole ? TS.Load(ref *(ap + l3), 0) : TS.LoadMasked(ap + l3, mask);
        TS.MultiplyAddTo(ref s30, y, x0);
        TS.MultiplyAddTo(ref s31, y, x1);
    }

    /// <summary>Four rows' pairs of sums, as <c>SumEight</c> leaves them (row r at 2r, 2r + 1), into the row buffer's
    /// rows (16 floats apart).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void CopyPairs(float* sums, float* rows)
    {
        rows[0] = sums[0];
        rows[1] = sums[1];
        rows[16] = sums[2];
        rows[17] = sums[3];
        rows[32] = sums[4];
        rows[33] = sums[5];
        rows[48] = sums[6];
        rows[49] = sums[7];
    }

    /// <summary>Stores a block of <paramref name="count"/> rows of sums: where C is dense (<paramref name="dense"/>: the
    /// buffer's rows <paramref name="stride"/> = N floats apart, as C's), as count·N consecutive floats in whole vectors
    /// and a masked last one, the float f floats after the block's start taking its per-column data from
    /// <paramref name="spread"/>[f] (the vector at f gets <c>spread + f</c>); otherwise row by row (<see cref="PutRows"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void PutBlock<TS, TV, TE>(TE epi, float* rows, int stride, int count, float* c, nint ldc, nint column, TV rowMask, bool dense, float* spread)
        where TS : ISimd<TV>
        where TV : struct
        where TE : struct, IGemmEpilogue
    {
        if (!dense)
        {
            PutRows<TS, TV, TE>(epi, rows, stride, count, c, ldc, column, rowMask);
            return;
        }

        int total = count * stride;
        Debug.Assert(total <= 32, "the spread covers at most 32 floats");
        int f = 0;
        for (; f + TS.Count <= total; f += TS.Count)
        {
            GemmStore.PutDense<TS, TV, FullColumns, TE>(epi, TS.Load(ref *(rows + f), 0), c + f, spread + f, default);
        }

        if (f < total)
        {
            TV mask = TS.CreateMask(total - f);
            GemmStore.PutDense<TS, TV, MaskedColumns, TE>(epi, TS.LoadMasked(rows + f, mask), c + f, spread + f, mask);
        }
    }

    /// <summary>Stores <paramref name="count"/> (one to eight) rows of sums, <paramref name="stride"/> floats apart in <paramref name="rows"/>,
    /// through the epilogue, one masked vector per row of C.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void PutRows<TS, TV, TE>(TE epi, float* rows, int stride, int count, float* c, nint ldc, nint column, TV rowMask)
        where TS : ISimd<TV>
        where TV : struct
        where TE : struct, IGemmEpilogue
    {
        for (int r = 0; r < count; r++)
        {
            GemmStore.Put<TS, TV, MaskedColumns, TE>(epi, TS.LoadMasked(rows + (stride * r), rowMask), c + (r * ldc), column, rowMask);
        }
    }

    /// <summary>C[i, 0] = epilogue(A[i, ·]·b) for every row: vectors run along K, eight rows at a time so eight
    /// independent FMA chains hide the FMA latency; the K tail is one masked vector; the epilogue runs in one lane, or,
    /// into a dense C at 256 bits and wider, on a block's eight rows in one vector.</summary>
    [MethodImpl(KernelCompilation.Hot)]
    private static void Dot<TS, TV, TE>(int m, int k, float* a, nint lda, float* b, float* c, nint ldc, nint column, TE epi)
        where TS : ISimd<TV>
        where TV : struct
        where TE : struct, IGemmEpilogue
    {
        int w = TS.Count;
        int kFull = k - (k % w);
        int tail = k - kFull;
        TV mask = tail > 0 ? TS.CreateMask(tail) : default;

        // Each row's sum goes through the epilogue in lane 0 of a TS vector (or, into a dense C, a block's eight in one
        // vector), not as a scalar: σ and tanh use the vector Exp, which differs from MathF.Exp by an ulp at times, so a
        // one-column product gives what the other paths and Elementwise.Activate give at the same width.
        TV lane0 = TS.CreateMask(1);
        TV eight = TS.CreateMask(w < 8 ? w : 8);
        float* sums = stackalloc float[8];

        // A dense C's one column: its per-column data (a bias) in all eight lanes.
        bool dense = ldc == 1 && w >= 8;
        float* spread = stackalloc float[8];
        if (dense)
        {
            epi.Spread(column, 1, spread, 8);
        }

        int i = 0;
        for (; i + 8 <= m; i += 8)
        {
            float* a0 = a + (i * lda);
            nint l1 = lda, l2 = lda * 2, l3 = lda * 3, l4 = lda * 4, l5 = lda * 5, l6 = lda * 6, l7 = lda * 7;
            TV s0 = default, s1 = default, s2 = default, s3 = default, s4 = default, s5 = default, s6 = default, s7 = default;
            int p = 0;
            for (; p < kFull; p += w)
            {
                TV x = TS.Load(ref *(b + p), 0);
                float* ap = a0 + p;
                TS.MultiplyAddTo(ref s0, x, TS.Load(ref *ap, 0));
                TS.MultiplyAddTo(ref s1, x, TS.Load(ref *(ap + l1), 0));
                TS.MultiplyAddTo(ref s2, x, TS.Load(ref *(ap + l2), 0));
                TS.MultiplyAddTo(ref s3, x, TS.Load(ref *(ap + l3), 0));
                TS.MultiplyAddTo(ref s4, x, TS.Load(ref *(ap + l4), 0));
                TS.MultiplyAddTo(ref s5, x, TS.Load(ref *(ap + l5), 0));
                TS.MultiplyAddTo(ref s6, x, TS.Load(ref *(ap + l6), 0));
                TS.MultiplyAddTo(ref s7, x, TS.Load(ref *(ap + l7), 0));
            }

            if (tail > 0)
            {
                TV x = TS.LoadMasked(b + p, mask);
                float* ap = a0 + p;
                TS.MultiplyAddTo(ref s0, x, TS.LoadMasked(ap, mask));
                TS.MultiplyAddTo(ref s1, x, TS.LoadMasked(ap + l1, mask));
                TS.MultiplyAddTo(ref s2, x, TS.LoadMasked(ap + l2, mask));
                TS.MultiplyAddTo(ref s3, x, TS.LoadMasked(ap + l3, mask));
                TS.MultiplyAddTo(ref s4, x, TS.LoadMasked(ap + l4, mask));
                TS.MultiplyAddTo(ref s5, x, TS.LoadMasked(ap + l5, mask));
                TS.MultiplyAddTo(ref s6, x, TS.LoadMasked(ap + l6, mask));
                TS.MultiplyAddTo(ref s7, x, TS.LoadMasked(ap + l7, mask));
            }

            // The eight horizontal sums in one shared shuffle tree (the same bits as eight TS.Sum calls).
            float* ci = c + (i * ldc);
            if (dense)
            {
                // A dense C (a logit per row): the eight sums are eight consecutive floats of it, put through the epilogue
                // as one vector straight from the shuffle tree, not broadcast and stored one lane at a time.
                TV total = TS.SumEightVector(s0, s1, s2, s3, s4, s5, s6, s7);
                if (w == 8)
                {
                    GemmStore.PutDense<TS, TV, FullColumns, TE>(epi, total, ci, spread, eight);
                }
                else
                {
                    GemmStore.PutDense<TS, TV, MaskedColumns, TE>(epi, total, ci, spread, eight);
                }

                continue;
            }

            TS.SumEight(s0, s1, s2, s3, s4, s5, s6, s7, sums);
            GemmStore.Put<TS, TV, MaskedColumns, TE>(epi, TS.Broadcast(sums[0]), ci, column, lane0);
            GemmStore.Put<TS, TV, MaskedColumns, TE>(epi, TS.Broadcast(sums[1]), ci + ldc, column, lane0);
            GemmStore.Put<TS, TV, MaskedColumns, TE>(epi, TS.Broadcast(sums[2]), ci + (ldc * 2), column, lane0);
            GemmStore.Put<TS, TV, MaskedColumns, TE>(epi, TS.Broadcast(sums[3]), ci + (ldc * 3), column, lane0);
            GemmStore.Put<TS, TV, MaskedColumns, TE>(epi, TS.Broadcast(sums[4]), ci + (ldc * 4), column, lane0);
            GemmStore.Put<TS, TV, MaskedColumns, TE>(epi, TS.Broadcast(sums[5]), ci + (ldc * 5), column, lane0);
            GemmStore.Put<TS, TV, MaskedColumns, TE>(epi, TS.Broadcast(sums[6]), ci + (ldc * 6), column, lane0);
            GemmStore.Put<TS, TV, MaskedColumns, TE>(epi, TS.Broadcast(sums[7]), ci + (ldc * 7), column, lane0);
        }

        // The last m mod 8 rows: the same sequence per row as above (one accumulator, the full vectors in order, then the
        // masked tail, then one horizontal sum), so a row's result does not depend on its position or on M.
        for (; i < m; i++)
        {
            float* ai = a + (i * lda);
            TV s0 = default;
            int p = 0;
            for (; p < kFull; p += w)
            {
                TS.MultiplyAddTo(ref s0, TS.Load(ref *(ai + p), 0), TS.Load(ref *(b + p), 0));
            }

            if (tail > 0)
            {
                TS.MultiplyAddTo(ref s0, TS.LoadMasked(ai + p, mask), TS.LoadMasked(b + p, mask));
            }

            GemmStore.Put<TS, TV, MaskedColumns, TE>(epi, TS.Broadcast(TS.Sum(s0)), c + (i * ldc), column, lane0);
        }
    }
}
