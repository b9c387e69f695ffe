using System.Diagnostics;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace GanCore.Kernels;

/// <summary>Which GEMM path to take; tests force one so that every path sees every tail.</summary>
internal enum GemmPath
{
    /// <summary>Pick by shape: dot-product (N = 1), direct (small), packed (large).</summary>
    Auto = 0,

    /// <summary>Always the direct register-blocked loops (no dot-product or transposed special cases).</summary>
    Direct = 1,

    /// <summary>Always the packed, cache-blocked path (when K &gt; 0).</summary>
    Packed = 2,

    /// <summary>The streaming path (<see cref="GemmStream"/>) where the shape allows it (M or N ≤ 16 with the large
    /// operand's rows contiguous), else as <see cref="Auto"/>.</summary>
    Stream = 3,

    /// <summary>Dot products along K (<see cref="GemmEngine.DotColumns"/>) where the shape allows it (op(A)'s rows
    /// contiguous, N ≤ one vector) whether or not they pay, else as <see cref="Auto"/> without its transposed product
    /// for a narrow Aᵀ·B (the direct loops run instead).</summary>
    Dot = 4,
}

/// <summary>The loops one product runs through (see docs/kernels.md, "Paths").</summary>
internal enum GemmRoute
{
    /// <summary>The register micro-kernels straight on A and B.</summary>
    Direct,

    /// <summary>N = 1, or a few columns against a long K (<see cref="GemmEngine.DotPays"/>; for A·Bᵀ
    /// <see cref="GemmEngine.DotPaysInPlace"/>): one dot product per element.</summary>
    Dot,

    /// <summary>M ≤ 16, op(B) rows contiguous: <see cref="GemmStream.RowsOfC"/>.</summary>
    StreamRows,

    /// <summary>N ≤ 16, op(A) = Aᵀ: <see cref="GemmStream.ColumnsOfC"/>.</summary>
    StreamColumns,

    /// <summary>Packed panels and cache blocking.</summary>
    Packed,

    /// <summary>A narrow Aᵀ·B with AVX-512, 8–24 columns: C's columns in registers over 16-row strips
    /// (<see cref="GemmColumnTiles"/>), split among the workers by strips.</summary>
    ColumnTiles,
}

/// <summary>
/// op(A) and op(B) as strided views: op(A)[i, p] = A[i·RsA + p·CsA], op(B)[p, j] = B[p·RsB + j·CsB], C[i, j] = C[i·Ldc + j].
/// <see cref="Column0"/> is the column of C that column 0 of this (sub-)problem is, for per-column epilogue data.
/// </summary>
internal unsafe struct GemmOperands
{
    public float* A;
    public nint RsA;
    public nint CsA;
    public float* B;
    public nint RsB;
    public nint CsB;
    public float* C;
    public nint Ldc;
    public int M;
    public int N;
    public int K;
    public nint Column0;
}

/// <summary>
/// The GEMM implementation behind <see cref="Gemm"/>. Arguments are already validated. See docs/kernels.md.
/// <list type="bullet">
/// <item>N = 1, or a few columns against a long K (<see cref="DotPays"/>, for A·Bᵀ <see cref="DotPaysInPlace"/>), with op(A) rows contiguous: one dot product
/// per element (<see cref="DotColumns"/>).</item>
/// <item>Small (M·N·K below <see cref="PackedThreshold"/>, or operands already in L2 together,
/// <see cref="GemmBlocking.DirectBytes"/>), skinny (K or N ≤ 16), an A·B whose op(B) stays in L2 (<see cref="KeepsBInL2"/>)
/// or a C a few tiles wide or a few row blocks high (<see cref="HasFewTiles"/>, <see cref="HasFewRowBlocks"/>): the
/// micro-kernels run straight on A and B (direct path);
/// when op(B) is Bᵀ it is first transposed into a thread-local scratch buffer so its rows are contiguous (by each
/// worker, for its block, when the product is split), except for a few rows of C (<see cref="FewRows"/>), where it is
/// transposed in registers as it is read.</item>
/// <item>Large: BLIS-style blocking — KC×NC panels of op(B) and MC×KC blocks of op(A) are packed into slivers
/// and the micro-kernel runs on the packed data; above the host-derived <see cref="GemmBlocking.ParallelThreshold"/> the output is split across
/// threads by rows or columns, never by K.</item>
/// </list>
/// </summary>
internal static unsafe partial class GemmEngine
{
    /// <summary>M·N·K at and above which the packed path is used, unless a skinny path applies or the operands are read
    /// in place for another reason (<see cref="FitsUnpacked"/>, <see cref="KeepsBInL2"/>, <see cref="HasFewTiles"/>,
    /// <see cref="HasFewRowBlocks"/>).</summary>
    internal const long PackedThreshold = 128L * 128 * 128;

    /// <summary>The blocking per vector width (index <c>(int)width / 128</c>: scalar, 128, 256, none, 512 bits), derived
    /// once from the host's caches for that width's micro-tile (<see cref="TileFor"/>).</summary>
    private static readonly GemmBlocking[] s_hostBlocking = [HostBlocking(1), HostBlocking(4), HostBlocking(8), HostBlocking(8), HostBlocking(16)];

    /// <summary>The most vectors a single-row product (M = 1) keeps in flight (the generated K1x4 … K1x8).</summary>
    internal const int SingleRowVectors = 8;

    /// <summary>The most vectors a two-row product (M = 2) keeps in flight per row (the generated K2x4).</summary>
    internal const int TwoRowVectors = 4;

    [ThreadStatic]
    private static GemmBlocking? t_blocking;

    [ThreadStatic]
    private static GemmPath t_path;

    [ThreadStatic]
    private static bool t_smallEntryOff;

    [ThreadStatic]
    private static int t_smallEntryLanes;

    /// <summary>The vector width, in floats, of the last product this thread sent through a small-product entry (the
    /// direct loops' <see cref="SmallDirect"/> or the outer products of <see cref="TakesRankOne"/>) since the last read,
    /// 0 for none; recorded only in a process that forced something (tests), and cleared by reading.</summary>
    internal static int TakeSmallEntryLanes()
    {
        int lanes = t_smallEntryLanes;
        t_smallEntryLanes = 0;
        return lanes;
    }

    [ThreadStatic]
    private static float[]? t_packA;

    /// <summary>Set, never cleared, by the first <see cref="ForceBlocking"/>, <see cref="ForcePath"/> or <see cref="TurnOffSmallEntry"/> in the process (tests
    /// and benchmarks): until then every thread has the defaults, and a GEMM call skips the thread-static reads of the
    /// forced path and blocking and of the small-product entry's switch.</summary>
    private static volatile bool s_forced;

    [ThreadStatic]
    private static int t_columnTileRuns;

    [ThreadStatic]
    private static int t_columnTailRuns;

    [ThreadStatic]
    private static int t_streamRowsDirectRuns;

    [ThreadStatic]
    private static int t_streamAvxRuns;

    [ThreadStatic]
    private static int t_streamPrefetches;

    [ThreadStatic]
    private static (GemmRoute Route, int Blocks) t_lastSplit;

    [ThreadStatic]
    private static float[]? t_packB;

    [ThreadStatic]
    private static float[]? t_transposed;

    /// <summary>op(B) padded to whole 128-bit vectors where the CPU has no masked load (<see cref="PadsToWholeVectors"/>);
    /// op(B) itself may sit in <see cref="t_transposed"/>.</summary>
    [ThreadStatic]
    private static float[]? t_paddedB;

    /// <summary>Whether a test forces splatting on this thread (<see cref="ForceSplat"/>).</summary>
    [ThreadStatic]
    private static bool t_splat;

    /// <summary>A row block of A splatted for <see cref="SplatRows"/>.</summary>
    [ThreadStatic]
    private static float[]? t_splatA;

    /// <summary>The transposed product of <see cref="TransposedProduct"/> (op(B) may already sit in <see cref="t_transposed"/>).</summary>
    [ThreadStatic]
    private static float[]? t_transposedProduct;

    /// <summary>Which of this thread's scratch buffers exist: op(B) transposed or padded (<c>t_transposed</c>), and
    /// <see cref="TransposedProduct"/>'s S. Lets a test see, on a fresh thread, which route a product took (the column
    /// tiles read B in place and use neither).</summary>
    internal static (bool OperandCopy, bool TransposedProduct) ScratchAllocated => (t_transposed is not null, t_transposedProduct is not null);

    /// <summary>The blocking this thread's GEMMs use at <paramref name="width"/>: the host's, or a forced one.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static GemmBlocking BlockingFor(VectorWidth width) => s_forced ? ForcedBlockingFor(width) : s_hostBlocking[(int)width / 128];

    // The thread-static read apart, so the common path above stays small enough to inline in precompiled code too.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static GemmBlocking ForcedBlockingFor(VectorWidth width) => t_blocking ?? s_hostBlocking[(int)width / 128];

    /// <summary>The micro-tile, MR rows × NV vectors, that the direct, packed and streaming loops run with vectors of
    /// <paramref name="lanes"/> floats: 8 × 3 with 512-bit vectors (24 accumulators of 32 registers), 6 × 2 with
    /// 256-bit vectors (12 accumulators, 2 B vectors and a broadcast: 15 of 16 registers) and with 128-bit vectors on
    /// x64 (the same 15, and without FMA the 16th for the product each multiply-add needs), 4 × 2 with 128-bit vectors on
    /// Arm64 (untimed there) and scalar. Callers pass <c>TS.Count</c>: a method that reads a <c>static abstract</c> member
    /// itself could not be inlined into them by crossgen2.</summary>
    /// <remarks>6 × 2 at 128 bits since the fifty-fourth session: on x64 without AVX a 6-row block loads each B vector
    /// for six broadcasts instead of four, and the loop's own instructions count for six rows: the h = 256 GAN's skinny
    /// products (K or N of 5 and 15, direct and streamed) took 0.82–0.99 of the 4 × 2 time, square ones 0.96–0.99, the
    /// step 0.94; the seed GAN's A·B 64×5×128 1.05 (benchmarks/RESULTS.md, fifty-fourth session; the forty-ninth had timed
    /// square products only, at parity).</remarks>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static (int Mr, int Nv) TileFor(int lanes) => lanes >= 16 ? (8, 3) : lanes == 8 || (lanes == 4 && X86Base.IsSupported) ? (6, 2) : (4, 2);

    /// <summary>The blocking the host's caches give the micro-tile of vectors of <paramref name="lanes"/> floats.</summary>
    private static GemmBlocking HostBlocking(int lanes)
    {
        (int mr, int nv) = TileFor(lanes);
        return GemmBlocking.Derive(GemmCacheInfo.Host, mr, nv * lanes);
    }

    /// <summary>The host's caches and the blocking derived from them, for benchmark and diagnostic output.</summary>
    internal static string DescribeHost()
    {
        GemmCacheInfo c = GemmCacheInfo.Host;
        GemmBlocking b = s_hostBlocking[(int)KernelDispatch.HardwareWidth / 128];
        GemmBlocking wide = s_hostBlocking[(int)VectorWidth.Bits256 / 128]; // SimdAvx's, on a CPU with AVX but not AVX2
        return $"caches ({c.Source}): L1d {c.L1Bytes / 1024} KB {c.L1Ways}-way, L2 {c.L2Bytes / 1024} KB {c.L2Ways}-way, L3 {c.L3Bytes / 1024 / 1024} MB; "
            + $"blocking at {KernelDispatch.HardwareWidth}: KC {b.KC}, MC {b.MC}, NC {b.NC}, parallel from M·N·K ≥ {b.ParallelThreshold:N0}, unpacked up to {b.DirectBytes / 1024} KB of operands"
            + (b.ResidentBBytes > 0 ? $" or A·B with op(B) up to {b.ResidentBBytes / 1024} KB and K ≤ {b.ResidentBDepth}" : string.Empty)
            + (b.FewTilesBBytes > 0 ? $" or a C of up to {FewTiles} tiles with op(B) up to {b.FewTilesBBytes / 1024} KB" : string.Empty)
            + (b.FewRowsBBytes > 0 ? $" or of up to {FewRowBlocks} row blocks with op(B) up to {b.FewRowsBBytes / 1024} KB; " : "; ")
            + $"streaming block {b.StreamBytes / 1024} KB, chunks of {b.StreamChunk} rows, the large operand prefetched from {b.StreamPrefetchBytes / 1024} KB"
            + (Avx512F.IsSupported ? (HostVectorUnits.SplitsVector512 ? "; 512-bit vectors in two 256-bit halves" : "; 512-bit vectors at full width") : string.Empty)
            + (SimdAvx.IsHost ? $"; AVX without AVX2: the packed, direct and streaming routes at 256 bits, KC {wide.KC}, MC {wide.MC}, NC {wide.NC}, streaming block {wide.StreamBytes / 1024} KB, chunks of {wide.StreamChunk} rows" : string.Empty);
    }

    /// <summary>Forces a blocking (KC, MC, NC, parallel threshold) for GEMMs called from this thread until the scope is
    /// disposed, so tests cross every block boundary with small shapes. Workers receive the caller's blocking.</summary>
    internal static BlockingScope ForceBlocking(GemmBlocking blocking)
    {
        GemmBlocking? previous = t_blocking;
        t_blocking = blocking;
        s_forced = true;
        return new BlockingScope(previous);
    }

    /// <summary>Sends this thread's small products through <see cref="Execute"/>'s decisions too, until the scope is
    /// disposed (tests compare the two).</summary>
    internal static SmallEntryScope TurnOffSmallEntry()
    {
        bool previous = t_smallEntryOff;
        t_smallEntryOff = true;
        s_forced = true;
        return new SmallEntryScope(previous);
    }

    /// <summary>Whether a small product may skip the route decisions: always, unless this thread forced a path or a
    /// blocking (which the decisions must see: a forced parallel threshold splits even a small product) or turned the
    /// entry off.</summary>
    private static bool SmallEntryAllowed
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => !s_forced || SmallEntryAllowedWhenForced();
    }

    /// <summary>The thread-static part of <see cref="SmallEntryAllowed"/>, out of line so that the common test (nothing
    /// forced in the process) inlines into the caller.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static bool SmallEntryAllowedWhenForced() => t_path == GemmPath.Auto && t_blocking is null && !t_smallEntryOff;

    /// <summary>Forces a path for GEMMs called from this thread until the scope is disposed (tests).</summary>
    internal static PathScope ForcePath(GemmPath path)
    {
        GemmPath previous = t_path;
        t_path = path;
        s_forced = true;
        return new PathScope(previous);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Run(bool transposeA, bool transposeB, int m, int n, int k, ReadOnlySpan<float> a, int lda, ReadOnlySpan<float> b, int ldb, Span<float> c, int ldc, bool accumulate, VectorWidth width, int threads)
    {
        if (m == 0 || n == 0 || (k == 0 && accumulate))
        {
            return;
        }

        fixed (float* pa = a, pb = b, pc = c)
        {
            GemmOperands o = Describe(transposeA, transposeB, m, n, k, pa, lda, pb, ldb, pc, ldc);
            if (accumulate)
            {
                AccumulateEpilogue add = default;
                Dispatch(width, ref o, threads, add, add, add, add);
            }
            else
            {
                Dispatch(width, ref o, threads, default(OverwriteEpilogue), default(OverwriteEpilogue), default(AccumulateEpilogue), default(AccumulateEpilogue));
            }
        }
    }

    /// <summary>
    /// dW += Xᵀ·dY and db += Σ_rows dY (X: k×m, dY: k×n, dW: m×n) in one pass over dY, when the product takes the
    /// streaming route (a wide layer's weight gradient with m ≤ 16 inputs): returns false, having done nothing,
    /// otherwise. The bits are those of the product and <see cref="Elementwise.ColumnSums"/> run one after the other:
    /// each element of dW is the same FMA chain, each sum the same additions in the same order. Above the parallel
    /// threshold the columns are split among threads as the streaming route splits them
    /// (<see cref="WeightAndBiasShares{TS, TV}"/>), each column's chain and sum unchanged; until the thirty-fifth session
    /// the product alone was split there and the column sums ran after it on the calling thread.
    /// </summary>
    public static bool TryWeightAndBiasGradients(int m, int n, int k, ReadOnlySpan<float> x, int ldx, ReadOnlySpan<float> dy, int lddy, Span<float> dw, int lddw, Span<float> db, VectorWidth width, int threads)
    {
        GemmPath path = s_forced ? t_path : GemmPath.Auto;
        long volume = (long)m * n * k;
        GemmBlocking blocking = BlockingFor(width);
        bool stream = path == GemmPath.Stream || (path == GemmPath.Auto && StreamsAtSize(volume, k, (int)width / 32, blocking));
        if (!stream || m == 0 || n < 2 || k == 0 || m > GemmStream.MaxRows || m > n || db.Length < n)
        {
            return false;
        }

        int shares = SplitShares(threads, volume, blocking);
        fixed (float* px = x, pdy = dy, pdw = dw, pdb = db)
        {
            GemmOperands o = Describe(transposeA: true, transposeB: false, m, n, k, px, ldx, pdy, lddy, pdw, lddw);
            switch (width)
            {
                case VectorWidth.Bits512 when KernelDispatch.Runs512:
                    WeightAndBias<Simd512, Vec512>(o, blocking, pdb, shares);
                    break;
                case VectorWidth.Bits256 when KernelDispatch.Runs256:
                    WeightAndBias<Simd256, Vec256>(o, blocking, pdb, shares);
                    break;
                case VectorWidth.Bits128 when SimdAvx.IsHost:
                    // AVX without AVX2: the streaming route at 256 bits, as Execute runs it (SimdAvx).
                    CountStreamAvxRun();
                    WeightAndBias<SimdAvx, Vec256>(o, BlockingFor(VectorWidth.Bits256), pdb, shares);
                    break;
                case VectorWidth.Bits128 when KernelDispatch.Runs128:
                    if (KernelDispatch.CapOnly128)
                    {
                        WeightAndBiasUnderCap<Simd128, Vec128>(o, blocking, pdb, shares);
                    }
                    else
                    {
                        WeightAndBias<Simd128, Vec128>(o, blocking, pdb, shares);
                    }

                    break;
                case VectorWidth.Scalar:
                    if (KernelDispatch.CapOnlyScalar)
                    {
                        WeightAndBiasUnderCap<SimdScalar, float>(o, blocking, pdb, shares);
                    }
                    else
                    {
                        WeightAndBias<SimdScalar, float>(o, blocking, pdb, shares);
                    }

                    break;
                default:
                    throw KernelDispatch.NotAccelerated(width);
            }
        }

        return true;
    }

    /// <summary><see cref="WeightAndBias{TS, TV}"/> at a width narrower than the host's (<see cref="KernelCompilation.UnderCap"/>).</summary>
    [MethodImpl(KernelCompilation.UnderCap)]
    private static void WeightAndBiasUnderCap<TS, TV>(in GemmOperands o, GemmBlocking blocking, float* db, int shares)
        where TS : ISimd<TV>
        where TV : struct =>
        WeightAndBias<TS, TV>(o, blocking, db, shares);

    /// <summary>dW += Xᵀ·dY with db's sums riding along as one more row of the streaming block, on this thread or, for
    /// <paramref name="shares"/> &gt; 1 and free workers, split by columns in units of four vectors (the streaming
    /// route's split, <see cref="RunParallel"/>).</summary>
    private static void WeightAndBias<TS, TV>(in GemmOperands o, GemmBlocking blocking, float* db, int shares)
        where TS : ISimd<TV>
        where TV : struct
    {
        int unit = 4 * TS.Count;
        int units = (o.N + unit - 1) / unit;
        shares = Math.Min(shares, units);
        if (shares > 1 && GemmWorkers.TryAcquire())
        {
            int blocks = BalancingBlocks(shares, units, (long)o.M * o.N * o.K, blocking.ParallelThreshold);
            WeightAndBiasShares<TS, TV>.Instance.Set(o, blocking, db, unit, units, blocks);
            GemmWorkers.RunAndRelease(WeightAndBiasShares<TS, TV>.Instance, shares, blocks);
            return;
        }

        WeightAndBiasColumns<TS, TV>(o, blocking, db);
    }

    /// <summary>One block of columns of <see cref="WeightAndBias{TS, TV}"/> (its db from <paramref name="db"/>).</summary>
    private static void WeightAndBiasColumns<TS, TV>(in GemmOperands o, GemmBlocking blocking, float* db)
        where TS : ISimd<TV>
        where TV : struct =>
        GemmStream.RowsOfC<TS, TV, AccumulateEpilogue>(o, GemmStream.StripColumns<TS, TV>(o.M + 1, blocking.StreamBytes), blocking.StreamChunk, blocking.StreamPrefetchBytes, default, db);

    /// <summary>The column blocks of one split <see cref="WeightAndBias{TS, TV}"/>: block b takes units
    /// [b·units/blocks, (b+1)·units/blocks). One instance per width, filled by the product that holds the workers.</summary>
    private sealed class WeightAndBiasShares<TS, TV> : GemmShares
        where TS : ISimd<TV>
        where TV : struct
    {
        public static readonly WeightAndBiasShares<TS, TV> Instance = new();

        private GemmOperands _whole;
        private GemmBlocking? _blocking;
        private float* _db;
        private int _unit;
        private int _units;
        private int _blocks;

        public void Set(in GemmOperands whole, GemmBlocking blocking, float* db, int unit, int units, int blocks)
        {
            _whole = whole;
            _blocking = blocking;
            _db = db;
            _unit = unit;
            _units = units;
            _blocks = blocks;
        }

        public override void Run(int block)
        {
            GemmOperands part = Block(_whole, byColumns: true, block, _unit, _units, _blocks);
            if (part.N > 0)
            {
                WeightAndBiasColumns<TS, TV>(part, _blocking!, _db + (part.Column0 - _whole.Column0));
            }
        }
    }

    public static void RunBiasActivation(int m, int n, int k, ReadOnlySpan<float> a, int lda, ReadOnlySpan<float> b, int ldb, ReadOnlySpan<float> bias, Span<float> c, int ldc, Activation activation, float slope, VectorWidth width, int threads)
    {
        if (m == 0 || n == 0)
        {
            return;
        }

        fixed (float* pa = a, pb = b, pc = c, pbias = bias)
        {
            GemmOperands o = Describe(false, false, m, n, k, pa, lda, pb, ldb, pc, ldc);
            switch (activation)
            {
                case Activation.Identity:
                    RunBias(width, ref o, threads, pbias, default(IdentityOp));
                    break;
                case Activation.ReLU:
                    RunBias(width, ref o, threads, pbias, default(ReluOfSumOp));
                    break;
                case Activation.LeakyReLU:
                    RunBias(width, ref o, threads, pbias, new LeakyReluOp(slope));
                    break;
                case Activation.Sigmoid:
                    RunBias(width, ref o, threads, pbias, default(IdentityOp));
                    ActivateAfter(default(SigmoidOp), pc, m, n, k, ldc, width, threads);
                    break;
                case Activation.Tanh:
                    RunBias(width, ref o, threads, pbias, default(IdentityOp));
                    ActivateAfter(default(TanhOp), pc, m, n, k, ldc, width, threads);
                    break;
                default:
                    throw new ArgumentOutOfRangeException(nameof(activation), activation, "Unknown activation.");
            }
        }
    }

    /// <summary>
    /// A fused sigmoid or tanh, applied to C's rows after the product (A·B + bias) at the product's width
    /// (<see cref="Elementwise.MapRows"/>; docs/kernels.md, Epilogues): on this thread, or split by rows among the workers
    /// when the product was large enough to be split (<see cref="SplitShares"/>), so that the pass gains the threads the
    /// product did. Each element's bits are the same either way.
    /// </summary>
    private static void ActivateAfter<TAct>(TAct act, float* c, int m, int n, int k, int ldc, VectorWidth width, int threads)
        where TAct : struct, IUnaryOp
    {
        int shares = Math.Min(SplitShares(threads, (long)m * n * k, BlockingFor(width)), m);
        if (shares > 1 && GemmWorkers.TryAcquire())
        {
            ActivationShares<TAct>.Instance.Set(act, c, m, n, ldc, width, shares);
            GemmWorkers.RunAndRelease(ActivationShares<TAct>.Instance, shares, shares);
            return;
        }

        Elementwise.MapRows(act, c, m, n, ldc, width);
    }

    /// <summary>The row blocks of one split <see cref="ActivateAfter"/>: block b takes rows [b·M/blocks, (b+1)·M/blocks).
    /// One instance per activation, filled by the product that holds the workers.</summary>
    private sealed class ActivationShares<TAct> : GemmShares
        where TAct : struct, IUnaryOp
    {
        public static readonly ActivationShares<TAct> Instance = new();

        private TAct _act;
        private float* _c;
        private int _m;
        private int _n;
        private int _ldc;
        private VectorWidth _width;
        private int _blocks;

        public void Set(TAct act, float* c, int m, int n, int ldc, VectorWidth width, int blocks)
        {
            _act = act;
            _c = c;
            _m = m;
            _n = n;
            _ldc = ldc;
            _width = width;
            _blocks = blocks;
        }

        public override void Run(int block)
        {
            int start = (int)((long)block * _m / _blocks);
            int end = (int)((long)(block + 1) * _m / _blocks);
            Elementwise.MapRows(_act, _c + ((nint)start * _ldc), end - start, _n, _ldc, _width);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static GemmOperands Describe(bool transposeA, bool transposeB, int m, int n, int k, float* a, int lda, float* b, int ldb, float* c, int ldc) => new()
    {
        A = a,
        RsA = transposeA ? 1 : lda,
        CsA = transposeA ? lda : 1,
        B = b,
        RsB = transposeB ? 1 : ldb,
        CsB = transposeB ? ldb : 1,
        C = c,
        Ldc = ldc,
        M = m,
        N = n,
        K = k,
    };

    private static void RunBias<TAct>(VectorWidth width, ref GemmOperands o, int threads, float* bias, TAct act)
        where TAct : struct, IUnaryOp =>
        Dispatch(
            width,
            ref o,
            threads,
            new BiasActivationEpilogue<OverwriteEpilogue, TAct>(bias, act),
            default(OverwriteEpilogue),
            default(AccumulateEpilogue),
            new BiasActivationEpilogue<AccumulateEpilogue, TAct>(bias, act));

    /// <summary>Picks the vector width. <typeparamref name="TOnly"/> finishes a product computed in one pass over K;
    /// the packed path, which visits K in KC blocks, finishes its first, middle and last blocks with the other three.</summary>
    private static void Dispatch<TOnly, TFirst, TMiddle, TLast>(VectorWidth width, ref GemmOperands o, int threads, TOnly only, TFirst first, TMiddle middle, TLast last)
        where TOnly : struct, IGemmEpilogue
        where TFirst : struct, IGemmEpilogue
        where TMiddle : struct, IGemmEpilogue
        where TLast : struct, IGemmEpilogue
    {
        // K = 1: an outer product, C's stores and nothing else (GemmRankOne.cs).
        if (o.K == 1 && !TOnly.SeedsFromC && TakesRankOne(o, threads, width) && SmallEntryAllowed)
        {
            if (s_forced)
            {
                t_smallEntryLanes = width.Floats();
            }

            RankOne(width, o, only);
            return;
        }

        // A small A·B that the direct loops take whole: straight to them, past the route, width and blocking decisions
        // (SmallDirect), which cost a 4×4×4 product more than its arithmetic.
        if (SmallDirect(o, width) is > 0 and int lanes && SmallEntryAllowed)
        {
            if (s_forced)
            {
                t_smallEntryLanes = lanes;
            }

            // Rows is inlined here. Behind KernelDispatch.Runs512 / Runs256 alone, crossgen2 for a target without the
            // width (Arm64) still inlined Rows<Simd512, ...> and Rows<Simd256, ...> before dropping the branch, and kept
            // their layout checks of Vector512<float> and Vector256<float>, which loaded both types at Dispatch's first
            // call. With the instruction set's IsSupported first, the branch goes before anything is inlined into it
            // (sixty-ninth session; StepWarmup --expect-precompiled checks it). Runs512 and Runs256 stay the conditions.
            if (lanes == 16 && Avx512F.IsSupported && KernelDispatch.Runs512)
            {
                Rows<Simd512, Vec512, TOnly>(o.M, o.N, o.K, o.A, o.RsA, o.CsA, o.B, o.RsB, o.C, o.Ldc, o.Column0, DirectRowBlock(16, o.M, o.N, o.K, o.RsA, TileFor(16).Mr, s_splitsVector512), TileFor(16).Nv, only);
                return;
            }

            if (lanes == 8 && Avx2.IsSupported && KernelDispatch.Runs256)
            {
                Rows<Simd256, Vec256, TOnly>(o.M, o.N, o.K, o.A, o.RsA, o.CsA, o.B, o.RsB, o.C, o.Ldc, o.Column0, DirectRowBlock(8, o.M, o.N, o.K, o.RsA, TileFor(8).Mr, s_splitsVector512), TileFor(8).Nv, only);
                return;
            }
        }

        // A width only when this process runs it (KernelDispatch.Runs512 and the others): always true of a width the
        // dispatcher can pick, and a constant to the compiler where the target lacks the width, so an image for such a
        // target (Arm64: 512 and 256 bits; x86-64-v3: 512) leaves out that branch and every kernel it instantiates. The
        // other kernel dispatches on VectorWidth (VectorLoop, the hidden layer, the weight-and-bias gradients) do the
        // same; a width that reaches none of the cases is a bug, not scalar.
        switch (width)
        {
            case VectorWidth.Bits512 when KernelDispatch.Runs512:
                Execute<Simd512, Vec512, TOnly, TFirst, TMiddle, TLast>(ref o, threads, BlockingFor(width), only, first, middle, last);
                break;
            case VectorWidth.Bits256 when KernelDispatch.Runs256:
                Execute<Simd256, Vec256, TOnly, TFirst, TMiddle, TLast>(ref o, threads, BlockingFor(width), only, first, middle, last);
                break;
            case VectorWidth.Bits128 when KernelDispatch.Runs128:
                if (KernelDispatch.CapOnly128)
                {
                    ExecuteUnderCap<Simd128, Vec128, TOnly, TFirst, TMiddle, TLast>(ref o, threads, BlockingFor(width), only, first, middle, last);
                }
                else
                {
                    Execute<Simd128, Vec128, TOnly, TFirst, TMiddle, TLast>(ref o, threads, BlockingFor(width), only, first, middle, last);
                }

                break;
            case VectorWidth.Scalar:
                if (KernelDispatch.CapOnlyScalar)
                {
                    ExecuteUnderCap<SimdScalar, float, TOnly, TFirst, TMiddle, TLast>(ref o, threads, BlockingFor(width), only, first, middle, last);
                }
                else
                {
                    Execute<SimdScalar, float, TOnly, TFirst, TMiddle, TLast>(ref o, threads, BlockingFor(width), only, first, middle, last);
                }

                break;
            default:
                throw KernelDispatch.NotAccelerated(width);
        }
    }

    /// <summary><see cref="Execute{TS, TV, TOnly, TFirst, TMiddle, TLast}"/> at a width narrower than the host's (<see cref="KernelCompilation.UnderCap"/>).</summary>
    [MethodImpl(KernelCompilation.UnderCap)]
    private static void ExecuteUnderCap<TS, TV, TOnly, TFirst, TMiddle, TLast>(ref GemmOperands o, int threads, GemmBlocking blocking, TOnly only, TFirst first, TMiddle middle, TLast last)
        where TS : ISimd<TV>
        where TV : struct
        where TOnly : struct, IGemmEpilogue
        where TFirst : struct, IGemmEpilogue
        where TMiddle : struct, IGemmEpilogue
        where TLast : struct, IGemmEpilogue =>
        Execute<TS, TV, TOnly, TFirst, TMiddle, TLast>(ref o, threads, blocking, only, first, middle, last);

    [MethodImpl(KernelCompilation.Hot)]
    private static void Execute<TS, TV, TOnly, TFirst, TMiddle, TLast>(ref GemmOperands o, int threads, GemmBlocking blocking, TOnly only, TFirst first, TMiddle middle, TLast last)
        where TS : ISimd<TV>
        where TV : struct
        where TOnly : struct, IGemmEpilogue
        where TFirst : struct, IGemmEpilogue
        where TMiddle : struct, IGemmEpilogue
        where TLast : struct, IGemmEpilogue
    {
        (int mr, int nvMax) = TileFor(TS.Count);
        GemmPath path = s_forced ? t_path : GemmPath.Auto;
        if (path == GemmPath.Auto && DotTail(o.N, o.K, o.CsA, o.RsB == 1, TS.Count) is > 0 and int tail)
        {
            // The last N mod W columns as dot products; the rest is then a product of whole vectors of columns.
            DotTailColumns<TS, TV, TOnly, TFirst, TMiddle, TLast>(ref o, tail, threads, blocking, only, first, middle, last);
        }

        long volume = (long)o.M * o.N * o.K;
        GemmRoute route = Choose(ref o, path, volume, blocking, TS.Count);
        if ((route == GemmRoute.Direct || (route == GemmRoute.Packed && o.K <= blocking.KC && (long)o.M * o.K * sizeof(float) <= s_l2Bytes)) && path == GemmPath.Auto && ColumnTail(o, TS.Count) is > 0 and int columnTail
            && (typeof(TOnly) == typeof(OverwriteEpilogue) || typeof(TOnly) == typeof(AccumulateEpilogue)))
        {
            // An Aᵀ·B's last N mod 16 columns as column tiles; the rest is then a product of whole vectors of columns. On
            // the packed route too while K is one block (K ≤ KC: one FMA chain per element there as well, so the same
            // bits) and op(A), which the tiles read once more, fits in L2: Zen 4, Aᵀ·B 784×128×50 115 → 100 µs,
            // 1000×256×41 244 → 217; with A in L3 only, 4096×512×50 took 2,800 → 3,165 µs (its rows 16 KB apart, the
            // tiles' 64–256 bytes per row of K find no prefetch).
            if (s_forced)
            {
                t_columnTailRuns++;
            }

            RunLastColumns<TS, TV, TOnly, TFirst, TMiddle, TLast>(ref o, LastColumns(o, columnTail), GemmRoute.ColumnTiles, threads, blocking, only, first, middle, last);
            volume = (long)o.M * o.N * o.K;
        }

        if (route == GemmRoute.Dot && o.RsB != 1)
        {
            // Strided columns of op(B) (A·B): gathered once, each a row of K floats, so every dot product reads its
            // column contiguously.
            o.B = GatherColumns(o.B, o.RsB, o.N, o.K, o.CsB == 1 && o.RsB == o.N, TS.Count);
            o.RsB = 1;
            o.CsB = o.K;
        }
        int workers = Math.Min(threads, Environment.ProcessorCount);
        bool oneThread = workers <= 1 || volume < blocking.ParallelThreshold;
        if (route == GemmRoute.Direct && path == GemmPath.Auto && oneThread && TakesFewRows(o, TS.Count))
        {
            // A·Bᵀ with a few rows: Bᵀ transposed in registers, not copied (GemmFewRows.cs).
            FewRows(o, only, TS.Count);
            return;
        }

        // A narrow Aᵀ·B: with AVX-512 and 8–24 columns the column tiles from one 16-row strip up, else (up to one vector of
        // columns) the transposed product through memory from four vectors of rows, both below the parallel threshold;
        // from there on the column tiles still, split among the workers by strips, but for a C of exactly one vector,
        // where they spend as many FMAs as the direct loops and ran 1–3% slower (Aᵀ·B 256×128×16: 9.13–9.17 µs against
        // 9.04–9.05 on one thread, 5.45–5.52 against 5.31–5.34 on two; Zen 4, fifty-seventh session).
        bool columnTiles = TakesColumnTiles(o.N, TS.Count);
        bool transposedProduct = route == GemmRoute.Direct && path == GemmPath.Auto && TransposedProductShape(o, TS.Count)
            && (volume < blocking.ParallelThreshold || (columnTiles && o.CsB == 1 && o.N != TS.Count))
            && (typeof(TOnly) == typeof(OverwriteEpilogue) || typeof(TOnly) == typeof(AccumulateEpilogue));
        if (TS.Count == 16 && route == GemmRoute.Direct && path == GemmPath.Auto && !transposedProduct && DirectAt256(o.M, o.N))
        {
            // The direct loops would hold each row of C in one 512-bit vector, at least half of it padding: the whole
            // product runs at 256 bits instead, where those eight lanes are a whole vector. The same number of vector
            // instructions on a core with full-width 512-bit units, half the work on one that runs a 512-bit operation
            // as two 256-bit halves (Zen 4: A·B 256×64×8 0.82 → 1.17 of OpenBLAS, Aᵀ·B 32×200×3, whose 32 rows take
            // the transposed product at 256 bits, 0.34 → 1.09). Every element is the same FMA chain over k at either
            // width, so C does not change. (Row sends up to eight columns past whole vectors to 256 bits too, where
            // 512-bit vectors are split; a single row, M = 1, has its own loop.) On a core with full-width 512-bit units
            // a 256-bit FMA costs as much as a 512-bit one, so there two rows share each 512-bit vector instead, with the
            // same bits (GemmPairRows.cs).
            if (TakesPairRows(o, oneThread))
            {
                PairRows(o, only);
                return;
            }

            Execute<Simd256, Vec256, TOnly, TFirst, TMiddle, TLast>(ref o, threads, BlockingFor(VectorWidth.Bits256), only, first, middle, last);
            return;
        }

        bool paddedB = false;
        bool bInScratch = false;
        if (route == GemmRoute.Direct && o.CsB != 1)
        {
            // op(B) = Bᵀ: transpose it once so the kernels can load its rows as vectors; a narrow op(B) into rows padded
            // with zeros to one whole vector (PadsB), unless the transposed product below reads it through its strides.
            paddedB = !transposedProduct && o.RsB == 1 && TS.Count >= 8 && Avx.IsSupported && PadsB(o, TS.Count, oneThread, TS.Count == 16 && Avx512F.IsSupported);
            if (paddedB)
            {
                float* b = Scratch(ref t_transposed, o.K * TS.Count);
                if (TS.Count == 16 && Avx512F.IsSupported)
                {
                    // The 16×16 tiles write the padding lanes' zeros themselves.
                    TransposeBlocks16(o.B, o.CsB, o.K, o.N, b, TS.Count, accumulate: false, padded: true);
                }
                else
                {
                    ZeroRows<TS, TV>(b, o.K);
                    TransposeTiles(o.B, o.CsB, o.K, o.N, b, TS.Count, accumulate: false, TS.Count);
                }
                o.B = b;
                o.RsB = TS.Count;
                o.CsB = 1;
                bInScratch = true;
            }
            else if (oneThread)
            {
                TransposeB(ref o, TS.Count);
                bInScratch = true;
            }

            // Split among workers, each block copies the part of Bᵀ it reads into its own thread's scratch (RunRoute):
            // a copy the calling thread wrote would reach the other core's loops only through a transfer of every line
            // from this core's cache, which cost A·Bᵀ 128³ on two threads more than the copy itself (30 µs against 20
            // for A·B).
        }

        if (transposedProduct && o.CsB == 1 && columnTiles)
        {
            // Until the fifty-seventh session only below the parallel threshold, so a larger product, even on one
            // thread, took the direct loops at one FMA per row and k step where a strip takes N per 16 rows: Aᵀ·B
            // 256×128×10 9.0 → 5.8 µs on one thread (Zen 4; benchmarks/RESULTS.md).
            if (s_forced)
            {
                t_columnTileRuns++;
            }

            RunRouteOrParallel<TS, TV, TOnly, TFirst, TMiddle, TLast>(oneThread, GemmRoute.ColumnTiles, o, workers, blocking, mr, nvMax, only, first, middle, last);
            return;
        }

        if (transposedProduct && o.CsB == 1)
        {
            TransposedProduct<TS, TV>(o, mr, nvMax, typeof(TOnly) == typeof(AccumulateEpilogue));
            return;
        }

        // op(B) read in place: pad it into the scratch buffer (never when op(B) already sits there, transposed).
        if (!bInScratch && route == GemmRoute.Direct && o.CsB == 1 && TS.Count >= 8 && !OverReadsB(TS.Count) && PadsB(o, TS.Count, oneThread))
        {
            float* padded = Scratch(ref t_transposed, o.K * TS.Count);
            PadRows<TS, TV>(o.B, o.RsB, o.K, o.N, padded);
            o.B = padded;
            o.RsB = TS.Count;
            paddedB = true;
        }

        if (paddedB)
        {
            // C one vector wide: 16- or 12-row blocks (fewer where A's rows share an L1 set), as RunRoute's direct loops
            // take them.
            Rows<TS, TV, TOnly>(o.M, o.N, o.K, o.A, o.RsA, o.CsA, o.B, o.RsB, o.C, o.Ldc, o.Column0, OneVectorRows(TS.Count, o.RsA), nvMax, only, paddedB: true);
            return;
        }

        if (TS.Count == 4 && route is (GemmRoute.Packed or GemmRoute.Direct or GemmRoute.StreamRows or GemmRoute.StreamColumns) && SimdAvx.IsHost)
        {
            // AVX without AVX2 (Sandy and Ivy Bridge): the register-tiled routes at 256 bits in AVX's own instructions,
            // with that width's tile and blocking (SimdAvx); the 128-bit kernels ran at 0.39–0.46 of OpenBLAS's AVX kernel.
            // The streaming routes too, whose chunks run the same micro-kernels: at 128 bits they took 2.0–2.4× the time
            // of the packed route for A·B 16×784×256 and Aᵀ·B 15×1024×2048 (benchmarks/RESULTS.md, sixty-first session).
            // Both widths multiply and add without FMA, so the bits do not move. The thread decision stands: the parallel
            // threshold comes from L1d alone, the same at both widths.
            if (route is GemmRoute.StreamRows or GemmRoute.StreamColumns)
            {
                CountStreamAvxRun();
            }

            (int mr8, int nv8) = TileFor(8);
            RunRouteOrParallel<SimdAvx, Vec256, TOnly, TFirst, TMiddle, TLast>(oneThread, route, o, workers, BlockingFor(VectorWidth.Bits256), mr8, nv8, only, first, middle, last);
            return;
        }

        RunRouteOrParallel<TS, TV, TOnly, TFirst, TMiddle, TLast>(oneThread, route, o, workers, blocking, mr, nvMax, only, first, middle, last);
    }

    /// <summary>The route on this thread, or split among <paramref name="workers"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void RunRouteOrParallel<TS, TV, TOnly, TFirst, TMiddle, TLast>(bool oneThread, GemmRoute route, in GemmOperands o, int workers, GemmBlocking blocking, int mr, int nvMax, TOnly only, TFirst first, TMiddle middle, TLast last)
        where TS : ISimd<TV>
        where TV : struct
        where TOnly : struct, IGemmEpilogue
        where TFirst : struct, IGemmEpilogue
        where TMiddle : struct, IGemmEpilogue
        where TLast : struct, IGemmEpilogue
    {
        if (oneThread)
        {
            RunRoute<TS, TV, TOnly, TFirst, TMiddle, TLast>(route, o, blocking, mr, nvMax, only, first, middle, last);
            return;
        }

        RunParallel<TS, TV, TOnly, TFirst, TMiddle, TLast>(route, o, workers, blocking, mr, nvMax, only, first, middle, last);
    }

    /// <summary>
    /// C (+)= Aᵀ·B with C's 8–24 columns in registers (AVX-512, <see cref="GemmColumnTiles"/>), no S in memory. A strip
    /// costs N FMAs per k whatever its rows, the direct loops one per row at somewhat less speed each (a broadcast load
    /// per FMA), so a last partial strip of r rows is tiled only when r ≥ ¾·N; fewer rows go to the direct loops (Aᵀ·B
    /// 17×64×15: 0.44 µs against 0.60 as a strip; 28×64×15 and 31×64×15 cost the same either way). The bits are the
    /// same on both: each element is one FMA chain over k from zero. A block of a split product has whole strips but
    /// for the last block, which ends where C does.
    /// </summary>
    private static void ColumnTileRows<TS, TV, TOnly>(in GemmOperands o, int nvMax, TOnly only)
        where TS : ISimd<TV>
        where TV : struct
        where TOnly : struct, IGemmEpilogue
    {
        if (!GemmColumnTiles.IsSupported)
        {
            // Never taken: only a CPU with AVX-512 routes a product here (TakesColumnTiles, ColumnTail). A constant to the
            // compiler, so the Arm64 image, which would hold the tiles' ~190 instantiations as emulated 512-bit code
            // (2.7 MB), leaves them out, as the x86-64 images without AVX-512 already do.
            throw KernelDispatch.NotAccelerated(VectorWidth.Bits512);
        }

        int tiled = o.M - (o.M % 16);
        int rest = o.M - tiled;
        if (4 * rest >= 3 * o.N)
        {
            tiled = o.M;
            rest = 0;
        }

        GemmColumnTiles.Run(tiled, o.N, o.K, o.A, o.CsA, o.B, o.RsB, o.C, o.Ldc, o.Column0, only);
        if (rest > 0)
        {
            Rows<TS, TV, TOnly>(rest, o.N, o.K, o.A + tiled, o.RsA, o.CsA, o.B, o.RsB, o.C + (tiled * o.Ldc), o.Ldc, o.Column0, 12, nvMax, only);
        }
    }

    /// <summary>How many products this thread sent to the column tiles (<see cref="GemmRoute.ColumnTiles"/>) since the
    /// last read; counted only in a process that forced something (tests), and cleared by reading.</summary>
    internal static int TakeColumnTileRuns()
    {
        int runs = t_columnTileRuns;
        t_columnTileRuns = 0;
        return runs;
    }

    /// <summary>
    /// How many of an Aᵀ·B's last columns go to the column tiles (0 for none): the N mod 16 past the last whole 512-bit
    /// vector of a C wider than <see cref="GemmColumnTiles.MaxColumns"/> (a narrower one is column tiles whole,
    /// <see cref="TransposedProductShape"/>), from one whole strip of 16 rows, with AVX-512 and op(B)'s rows contiguous.
    /// The direct loops and the packed kernels spend a vector on those columns in every row and k step, sixteen FMAs per
    /// 16 rows whatever their number (or a 256-bit pass of their own for up to eight, where 512-bit vectors run in two
    /// halves); the tiles spend N mod 16, down the rows of C where Aᵀ's rows are contiguous (<see cref="GemmColumnTiles"/>;
    /// 1–7 columns several strips at a time). <see cref="Execute"/> asks it on the direct route, and on the packed one
    /// while K is one block and op(A) fits in L2. Each element is still one FMA chain over k from zero, so C does not
    /// change; the rule does not look at the threads, and at M only as far as a strip's worth of rows (and, on the
    /// packed route, op(A)'s size). benchmarks/RESULTS.md, fifty-eighth session.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static int ColumnTail(in GemmOperands o, int lanes) =>
        lanes == 16 && o.RsA == 1 && o.CsA != 1 && o.CsB == 1 && o.M >= 16 && o.N > GemmColumnTiles.MaxColumns && (o.N & 15) != 0 && GemmColumnTiles.IsSupported
            ? o.N & 15
            : 0;

    /// <summary>How many products this thread gave a column tail (<see cref="ColumnTail"/>) since the last read; counted
    /// only in a process that forced something (tests), and cleared by reading.</summary>
    internal static int TakeColumnTailRuns()
    {
        int runs = t_columnTailRuns;
        t_columnTailRuns = 0;
        return runs;
    }

    /// <summary>The route and the number of blocks of the last product this thread split among workers
    /// (<see cref="RunParallel"/>) since the last read, or (Direct, 0) for none; recorded only in a process that forced
    /// something (tests), and cleared by reading.</summary>
    internal static (GemmRoute Route, int Blocks) TakeLastSplit()
    {
        (GemmRoute Route, int Blocks) split = t_lastSplit;
        t_lastSplit = default;
        return split;
    }

    /// <summary>How many streaming products (<see cref="GemmRoute.StreamRows"/>, <see cref="GemmRoute.StreamColumns"/>, the
    /// weight gradient with its bias sums, the hidden layer's chunked gradients) this thread ran at 256 bits on a CPU
    /// with AVX but not AVX2 (<see cref="SimdAvx"/>) since the last read; counted only in a process that forced
    /// something (tests), and cleared by reading.</summary>
    internal static int TakeStreamAvxRuns()
    {
        int runs = t_streamAvxRuns;
        t_streamAvxRuns = 0;
        return runs;
    }

    /// <summary>How many streaming blocks (<see cref="GemmStream.Block{TS, TV}"/>: a strip of C's rows or columns, or a
    /// weight gradient's) this thread ran with the large operand prefetched (<see cref="GemmBlocking.StreamPrefetchBytes"/>;
    /// on x64, while Arm64 counts the blocks that would be, having no prefetch instruction in .NET) since the last read;
    /// counted only in a process that forced something (tests), and cleared by reading.</summary>
    internal static int TakeStreamPrefetches()
    {
        int runs = t_streamPrefetches;
        t_streamPrefetches = 0;
        return runs;
    }

    /// <summary>Counts one <see cref="TakeStreamPrefetches"/> block where something was forced.</summary>
    internal static void CountStreamPrefetch()
    {
        if (s_forced)
        {
            t_streamPrefetches++;
        }
    }

    /// <summary>Counts one <see cref="TakeStreamAvxRuns"/> run where something was forced.</summary>
    private static void CountStreamAvxRun()
    {
        if (s_forced)
        {
            t_streamAvxRuns++;
        }
    }

    /// <summary>How many products this thread sent to the direct loops instead of streaming them by rows
    /// (<see cref="DirectBeatsStreamRows"/>) since the last read; counted only in a process that forced something (tests),
    /// and cleared by reading.</summary>
    internal static int TakeStreamRowsDirectRuns()
    {
        int runs = t_streamRowsDirectRuns;
        t_streamRowsDirectRuns = 0;
        return runs;
    }

    /// <summary>Whether an Aᵀ·B's narrow C would take the column tiles (AVX-512, 8 or more columns) if it takes the
    /// transposed product at all (<see cref="TransposedProductShape"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool TakesColumnTiles(int n, int lanes) => lanes == 16 && n >= GemmColumnTiles.MinColumns && GemmColumnTiles.IsSupported;

    /// <summary>The shape of an Aᵀ·B that <see cref="Execute"/> computes as a transposed product, one thread and no forced
    /// path granted: op(A) read down its columns, 2 ≤ N ≤ 24 with the column tiles (from 16 rows), else N ≤ one vector
    /// (from four vectors of rows), 256- or 512-bit vectors. Asked by <see cref="SmallDirect"/> too, which must not take
    /// such a product.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool TransposedProductShape(in GemmOperands o, int lanes)
    {
        bool columnTiles = TakesColumnTiles(o.N, lanes);
        return o.RsA == 1 && o.CsA != 1 && o.N > 1 && o.N <= (columnTiles ? GemmColumnTiles.MaxColumns : lanes)
            && o.M >= (columnTiles ? 16 : 4 * lanes) && lanes >= 8 && Avx.IsSupported;
    }

    /// <summary>
    /// C (+)= Aᵀ·B for a narrow C (2 ≤ N ≤ one vector), such as a weight gradient Xᵀ·dY of a layer with few outputs: the
    /// direct loops would hold one vector per row of C and load a broadcast per FMA. Computed instead as
    /// S = Bᵀ·A (N×M, into scratch), whose rows are long, so the kernels keep three full vectors per row and eight rows
    /// in flight, and then C = Sᵀ or C + Sᵀ in register tiles (<see cref="TransposeTiles"/>: 16×16 with AVX-512, else
    /// 8×8; a dense C of 2–4 columns by <see cref="Interleave"/>'s permutes). Every element is still one FMA chain over p in order (the two factors of each product swap places, which is
    /// exact), and C + acc is the accumulate epilogue's own sum, so C is bitwise what the direct loops give.
    /// </summary>
    private static void TransposedProduct<TS, TV>(in GemmOperands o, int mr, int nvMax, bool accumulate)
        where TS : ISimd<TV>
        where TV : struct
    {
        float* s = Scratch(ref t_transposedProduct, o.N * o.M);

        // Sᵀ's operands: (Bᵀ)[j, p] = B[p·RsB + j·CsB], so rows step CsB (= 1) and columns RsB; Aᵀ's rows p start at A + p·CsA.
        Rows<TS, TV, OverwriteEpilogue>(o.N, o.M, o.K, o.B, o.CsB, o.RsB, o.A, o.CsA, s, o.M, 0, mr, nvMax, default);
        TransposeTiles(s, o.M, o.M, o.N, o.C, o.Ldc, accumulate, TS.Count);
    }

    /// <summary>Whether the direct loops of a 512-bit dispatch run a C of <paramref name="m"/> × <paramref name="n"/> at
    /// 256 bits instead (<see cref="Execute"/>, and <see cref="SmallDirect"/> for the same products): at most eight
    /// columns and more than one row (a single row has its own loop).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool DirectAt256(int m, int n) => n <= 8 && m > 1;

    /// <summary>M·N·K at or below which an A·B of fewer than 32 rows may skip the route decisions (<see cref="SmallDirect"/>).</summary>
    internal const long SmallVolume = 32L * 32 * 32;

    /// <summary>
    /// The vector width, in floats, at which <see cref="Execute"/> would run a small product on the direct loops as a
    /// whole, or 0 where it might do anything else: an A·B or Aᵀ·B (op(B) rows contiguous) of at least two columns,
    /// fewer than 32 rows (no padded copy of B, <see cref="PadsB"/>), K ≥ 1, M·N·K ≤ <see cref="SmallVolume"/> (one
    /// thread, no streaming or packing) and C within twice L1d (never RunRoute's row order); for an A·B neither a dot
    /// route (<see cref="DotPays"/>) nor a dot tail (<see cref="DotTail"/>), for an Aᵀ·B neither a transposed product
    /// (<see cref="TransposedProductShape"/>) nor a column tail (<see cref="ColumnTail"/>); at 512 bits a C of at most eight columns and two or more rows runs at 256,
    /// as <see cref="Execute"/> sends it there and then asks the same again at that width. Only for
    /// 512- and 256-bit vectors the hardware accelerates (a width it does not must reach the refusal). Tested against
    /// <see cref="Execute"/>'s own choice, bitwise, and for the width it takes, shape by shape.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static int SmallDirect(in GemmOperands o, VectorWidth width)
    {
        // C within twice L1d never takes RunRoute's row order (which needs more than four StreamBytes, at least L1d / 2
        // each): on a host with a small L2, a 31 × 600 C could.
        if (o.CsB != 1 || (o.CsA != 1 && o.RsA != 1) || o.N < 2 || o.M >= 32 || o.K < 1 || (long)o.M * o.N * o.K > SmallVolume
            || (long)o.M * o.N * sizeof(float) > 2L * s_l1Bytes)
        {
            return 0;
        }

        // Only a width the hardware accelerates: any other must reach Dispatch's refusal.
        int lanes = width == VectorWidth.Bits512 && KernelDispatch.Runs512 ? 16 : width == VectorWidth.Bits256 && KernelDispatch.Runs256 ? 8 : 0;
        if (lanes == 0)
        {
            return 0;
        }

        // An A·B may be a dot route or have a dot tail; an Aᵀ·B (op(A) read down its columns) never is, but may be a
        // transposed product (the column tiles, or S = Bᵀ·A). The pairs of rows and the few-row loops are for A·B and A·Bᵀ.
        bool transposedA = o.CsA != 1;
        if (transposedA ? TransposedProductShape(o, lanes) || ColumnTail(o, lanes) > 0 : DotPays(o.N, o.K, lanes) || DotTail(o.N, o.K, 1, columnsInPlace: false, lanes) > 0)
        {
            return 0;
        }

        return lanes == 16 && DirectAt256(o.M, o.N) ? ((transposedA ? TransposedProductShape(o, 8) : DotPays(o.N, o.K, 8)) ? 0 : 8) : lanes;
    }

    /// <summary>Picks the route for a shape (or the one a test forced).</summary>
    private static GemmRoute Choose(ref GemmOperands o, GemmPath path, long volume, GemmBlocking blocking, int lanes)
    {
        if (path == GemmPath.Dot)
        {
            if (o.CsA == 1 && o.N <= lanes)
            {
                return GemmRoute.Dot;
            }

            path = GemmPath.Auto;
        }

        if (path is GemmPath.Auto or GemmPath.Stream)
        {
            if (path == GemmPath.Auto && o.CsA == 1 && (o.N == 1 || (o.RsB == 1 ? DotPaysInPlace(o.N, o.K, lanes) : DotPays(o.N, o.K, lanes))))
            {
                // A matrix-vector product at any size, or a C of a few columns against a long K: one dot product per
                // element, op(A) streamed once (the direct loops would spend a whole vector on each k of a row).
                return GemmRoute.Dot;
            }

            // Skinny products whose large operand would otherwise be walked down its columns or packed: stream it once,
            // row by row (the weight gradients Xᵀ·dY of a wide layer with a narrow input or output).
            bool large = path == GemmPath.Stream || StreamsAtSize(volume, o.K, lanes, blocking);
            if (large && o.K > 0 && o.M <= GemmStream.MaxRows && o.CsB == 1 && o.M <= o.N)
            {
                if (path == GemmPath.Auto && DirectBeatsStreamRows(o, blocking, lanes))
                {
                    if (s_forced)
                    {
                        t_streamRowsDirectRuns++;
                    }

                    return GemmRoute.Direct;
                }

                return GemmRoute.StreamRows;
            }

            if (large && o.K > 0 && o.N <= GemmStream.MaxRows && o.RsA == 1 && o.CsA != 1)
            {
                return GemmRoute.StreamColumns;
            }
        }

        // K ≤ 16 or N ≤ 16: the direct loops read the large operand in place (op(A) rows or C rows in order); packing it
        // would cost as much as the arithmetic. Operands already in L2 together are read in place too (FitsUnpacked), so
        // is an A·B whose op(B) stays in L2 (KeepsBInL2), a C a few tiles wide (HasFewTiles) and a C of a few blocks of
        // rows (HasFewRowBlocks). No rule looks at the
        // thread count: the routes sum a K longer than KC in another order, and a product's bits must not depend on the
        // threads.
        bool skinny = o.K <= GemmStream.MaxRows || o.N <= GemmStream.MaxRows;
        bool packed = o.K > 0 && (path == GemmPath.Packed
            || (path != GemmPath.Direct && volume >= PackedThreshold && !skinny && !FitsUnpacked(o, blocking.DirectBytes) && !KeepsBInL2(o, blocking)
                && !HasFewTiles(o, blocking, lanes) && !HasFewRowBlocks(o, blocking, lanes)));
        if (packed)
        {
            return GemmRoute.Packed;
        }

        if (path == GemmPath.Auto && o.N == 1 && o.RsA == 1 && o.Ldc == 1)
        {
            // Aᵀ·b below the streaming size: compute the transposed product cᵀ = bᵀ·A, one row contiguous in A.
            float* a = o.A;
            nint aStep = o.CsA;
            o.A = o.B;
            o.CsA = o.RsB;
            o.RsA = 0;
            o.B = a;
            o.RsB = aStep;
            o.CsB = 1;
            o.N = o.M;
            o.M = 1;
            o.Ldc = 0;
        }

        return GemmRoute.Direct;
    }

    /// <summary>Whether the memory op(A), op(B) and C span (each stored matrix's rows times its row stride, so a view into
    /// a wider matrix counts the rows it skips) takes at most <paramref name="directBytes"/> together
    /// (<see cref="GemmBlocking.DirectBytes"/>), so the direct loops find every operand in L2 without packing.</summary>
    internal static bool FitsUnpacked(in GemmOperands o, long directBytes)
    {
        // A is stored M × K (rows RsA apart) or, for Aᵀ, K × M (rows CsA apart); B K × N or N × K likewise. (No Math.Max:
        // see docs/kernels.md, "Warm-up".)
        long a = o.CsA == 1 ? o.M * Span(o.RsA, o.K) : o.K * Span(o.CsA, o.M);
        long b = o.CsB == 1 ? o.K * Span(o.RsB, o.N) : o.N * Span(o.CsB, o.K);
        long c = o.M * Span(o.Ldc, o.N);
        return sizeof(float) * (a + b + c) <= directBytes;

        static long Span(nint stride, int length) => stride > length ? stride : length;
    }

    /// <summary>Whether an A·B (op(A) and op(B) rows contiguous) has an op(B) of at most
    /// <see cref="GemmBlocking.ResidentBBytes"/> (the memory its rows span) and a K of at most
    /// <see cref="GemmBlocking.ResidentBDepth"/>, so the direct loops read op(B) from L2 and each row block of A from L1.</summary>
    internal static bool KeepsBInL2(in GemmOperands o, GemmBlocking blocking) =>
        o.CsA == 1 && o.CsB == 1 && o.K <= blocking.ResidentBDepth
        && sizeof(float) * o.K * (o.RsB > o.N ? o.RsB : o.N) <= blocking.ResidentBBytes;

    /// <summary>The most micro-tiles (NR columns each) across C for which <see cref="HasFewTiles"/> skips packing.</summary>
    internal const int FewTiles = 8;

    /// <summary>Whether op(A)'s rows are contiguous (A·B or A·Bᵀ), C is at most <see cref="FewTiles"/> micro-tiles wide at
    /// <paramref name="lanes"/> lanes, and the memory the stored B spans (its rows times its row stride, as in
    /// <see cref="FitsUnpacked"/>) takes at most <see cref="GemmBlocking.FewTilesBBytes"/>: packing op(A) would not pay
    /// for its copy over so few tiles, so the direct loops read it in place.</summary>
    internal static bool HasFewTiles(in GemmOperands o, GemmBlocking blocking, int lanes)
    {
        if (o.CsA != 1 || o.N > FewTiles * TileFor(lanes).Nv * lanes)
        {
            return false;
        }

        // B is stored K × N (rows RsB apart) or, for Bᵀ, N × K (rows CsB apart).
        long b = o.CsB == 1 ? o.K * (o.RsB > o.N ? o.RsB : o.N) : o.N * (o.CsB > o.K ? o.CsB : o.K);
        return sizeof(float) * b <= blocking.FewTilesBBytes;
    }

    /// <summary>The most blocks of MR rows of C for which <see cref="HasFewRowBlocks"/> skips packing.</summary>
    internal const int FewRowBlocks = 8;

    /// <summary>The most blocks of MR rows for which <see cref="HasFewRowBlocks"/> skips packing with kernels of fewer than
    /// 8 rows when op(B)'s rows lie <see cref="PageBytes"/> or more apart.</summary>
    internal const int FewRowBlocksPaged = 4;

    /// <summary>The span within which a hardware stream prefetcher follows a stride (x64's 4 KB page): op(B)'s rows this
    /// far apart or farther put every k step of a column tile in a page of its own.</summary>
    internal const int PageBytes = 4096;

    /// <summary>Whether op(B)'s rows are contiguous (A·B or Aᵀ·B), C has at most <see cref="FewRowBlocks"/> blocks of MR
    /// rows at <paramref name="lanes"/> lanes, and the memory the stored B spans takes at most
    /// <see cref="GemmBlocking.FewRowsBBytes"/>: packing op(B) would not pay for its copy over so few row blocks, so the
    /// direct loops read it in place. The kernels of fewer than 8 rows (6 × 16 at 256 bits) read one line of op(B) per
    /// k step of a column tile; with op(B)'s rows a page or more apart (<see cref="PageBytes"/>) no stream prefetcher
    /// runs ahead of them and the packed copy pays from fewer rows, so there C takes at most
    /// <see cref="FewRowBlocksPaged"/> blocks (Zen 4, AVX-512 off: A·B 32×128×1024, 32×256×1024 and 48×256×1024 took
    /// 1.02–1.06 of the packed time direct, 12–24 rows 0.84–0.95; with rows of at most 3 KB, 32–48 rows 0.87–0.94;
    /// benchmarks/RESULTS.md, sixty-first session).</summary>
    internal static bool HasFewRowBlocks(in GemmOperands o, GemmBlocking blocking, int lanes)
    {
        int mr = TileFor(lanes).Mr;
        long rowBytes = sizeof(float) * (long)(o.RsB > o.N ? o.RsB : o.N);
        int blocks = mr < 8 && rowBytes >= PageBytes ? FewRowBlocksPaged : FewRowBlocks;
        return o.CsB == 1 && o.M <= blocks * mr && o.K * rowBytes <= blocking.FewRowsBBytes;
    }

    /// <summary>Runs one route on (a block of) the operands on the calling thread.</summary>
    [MethodImpl(KernelCompilation.Hot)]
    private static void RunRoute<TS, TV, TOnly, TFirst, TMiddle, TLast>(GemmRoute route, in GemmOperands o, GemmBlocking blocking, int mr, int nvMax, TOnly only, TFirst first, TMiddle middle, TLast last)
        where TS : ISimd<TV>
        where TV : struct
        where TOnly : struct, IGemmEpilogue
        where TFirst : struct, IGemmEpilogue
        where TMiddle : struct, IGemmEpilogue
        where TLast : struct, IGemmEpilogue
    {
        switch (route)
        {
            case GemmRoute.Dot:
                DotProducts<TS, TV, TOnly>(o.M, o.N, o.K, o.A, o.RsA, o.B, o.CsB, o.C, o.Ldc, o.Column0, only);
                break;
            case GemmRoute.StreamRows:
                GemmStream.RowsOfC<TS, TV, TOnly>(o, GemmStream.StripColumns<TS, TV>(o.M, blocking.StreamBytes), blocking.StreamChunk, blocking.StreamPrefetchBytes, only);
                break;
            case GemmRoute.StreamColumns:
                GemmStream.ColumnsOfC<TS, TV, TOnly>(o, GemmStream.StripColumns<TS, TV>(o.N, blocking.StreamBytes), blocking.StreamChunk, blocking.StreamPrefetchBytes, only);
                break;
            case GemmRoute.Packed:
                Packed<TS, TV, TOnly, TFirst, TMiddle, TLast>(o, blocking, mr, nvMax, only, first, middle, last);
                break;
            case GemmRoute.ColumnTiles:
                ColumnTileRows<TS, TV, TOnly>(o, nvMax, only);
                break;
            default:
                if (o.CsB != 1)
                {
                    // A block of a split A·Bᵀ (Execute copies Bᵀ before a product it does not split).
                    GemmOperands copied = o;
                    TransposeB(ref copied, TS.Count);
                    RunRoute<TS, TV, TOnly, TFirst, TMiddle, TLast>(route, copied, blocking, mr, nvMax, only, first, middle, last);
                    break;
                }

                int rowBlock = DirectRowBlock(TS.Count, o.M, o.N, o.K, o.RsA, mr, s_splitsVector512);

                // The kernels walk a column of tiles down all the rows they are given, so the B strip a column reads
                // stays in L1. A C beyond 4·StreamBytes (a quarter of L2, at least twice L1d; the wide GAN's 1024 × 2048
                // outputs with K = 5 or 15) and at least two strips wide is written row block by row block instead: the
                // full-width tiles of a block left to right in one call, then its narrower last strip. Each row of C is
                // then written front to back, a stream the hardware prefetchers follow from line to line and page to
                // page, where a column of tiles wrote one to three lines per row, each row in another page, which they
                // cannot run ahead of. The last M mod rowBlock rows take the column order.
                int nr = nvMax * TS.Count;
                long rowOrderBytes = 4L * blocking.StreamBytes;
                if ((long)o.M * o.N * sizeof(float) > rowOrderBytes && o.M > rowBlock && o.N >= 2 * nr)
                {
                    // Every row block reads all of op(B), so it is first packed into its strips, each K × NR contiguous:
                    // rows of B a page apart would put a strip's K lines in one L1 set, to be fetched again for every
                    // tile. K·N copies against M·N·K FMAs.
                    float* packed = Scratch(ref t_packB, PackLength(o.K, o.N, o.N, nr));
                    PackB<TS, TV>(o.B, o.RsB, o.CsB, o.K, o.N, nr, packed);
                    if (typeof(TS) == typeof(Simd128) && SplatsA(o, rowBlock, nr))
                    {
                        // Row by row block already: every block splatted, all rows on the packed strips.
                        SplatRowsRouted<TOnly>(o.M, o.N, o.K, o.A, o.RsA, o.CsA, packed, nr, (nint)o.K * nr, o.C, o.Ldc, o.Column0, rowBlock, nvMax, only, paddedB: false);
                        break;
                    }

                    int i = 0;
                    for (; i + rowBlock <= o.M; i += rowBlock)
                    {
                        RowOfStrips<TS, TV, TOnly>(rowBlock, o.N, o.K, o.A + (i * o.RsA), o.RsA, o.CsA, packed, nr, (nint)o.K * nr, o.C + (i * o.Ldc), o.Ldc, o.Column0, nvMax, only, paddedB: false);
                    }

                    if (i < o.M)
                    {
                        Rows<TS, TV, TOnly>(o.M - i, o.N, o.K, o.A + (i * o.RsA), o.RsA, o.CsA, o.B, o.RsB, o.C + (i * o.Ldc), o.Ldc, o.Column0, rowBlock, nvMax, only);
                    }

                    break;
                }

                float* b = o.B;
                nint ldb = o.RsB;
                bool paddedB = PadsToWholeVectors(o, rowBlock, TS.Count);
                if (paddedB)
                {
                    // No masked load in hardware: op(B) padded with zeros to whole vectors, so the k loops load its last
                    // vector whole (PaddedColumns) and only C's stores are masked.
                    ldb = (o.N + TS.Count - 1) / TS.Count * TS.Count;
                    b = Scratch(ref t_paddedB, (int)(o.K * ldb));
                    PadRowsToVector128(o.B, o.RsB, o.K, o.N, ldb, b);
                }

                if (typeof(TS) == typeof(Simd128) && SplatsA(o, rowBlock, nr) && (long)o.K * o.N * sizeof(float) <= rowOrderBytes)
                {
                    // op(B) stays in L2 while the row blocks pass over it, as a packed op(B) does on the row order above.
                    SplatRowsRouted<TOnly>(o.M, o.N, o.K, o.A, o.RsA, o.CsA, b, ldb, nr, o.C, o.Ldc, o.Column0, rowBlock, nvMax, only, paddedB);
                    break;
                }

                Rows<TS, TV, TOnly>(o.M, o.N, o.K, o.A, o.RsA, o.CsA, b, ldb, o.C, o.Ldc, o.Column0, rowBlock, nvMax, only, paddedB);
                break;
        }
    }

    /// <summary>
    /// Whether a skinny product of <paramref name="volume"/> multiply-adds is large enough for the streaming route
    /// (<see cref="Choose"/>, <see cref="TryWeightAndBiasGradients"/>): from <see cref="PackedThreshold"/>, and where the
    /// 128-bit kernels splat A (<see cref="SplatsBroadcasts"/>) from a quarter of it with K of at least four chunks.
    /// There the streaming route splats each chunk of the small operand once for the whole strip, where the direct loops
    /// broadcast it again for every strip of columns; without AVX (Zen 4) Aᵀ·B 15×512×256 took 107 µs streamed against
    /// 114 direct, 5×512×256 35 against 38, 256×512×15 111 against 118, while at K = 256 (two chunks) the streamed
    /// 128×256×16 and 256×256×8 were 3–5% slower, and at K = 64–128 up to 13% (benchmarks/RESULTS.md, fifty-fifth
    /// session). Every route runs the same chains, so this moves no bits.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool StreamsAtSize(long volume, int k, int lanes, GemmBlocking blocking) =>
        volume >= PackedThreshold || (lanes == 4 && SplatsBroadcasts && k >= 4 * blocking.StreamChunk && volume >= PackedThreshold / 4);

    /// <summary>
    /// Whether a product the streaming route would take by its rows (at most <see cref="GemmStream.MaxRows"/> rows of C,
    /// op(B)'s rows contiguous, <see cref="StreamsAtSize"/>) runs on the direct loops instead, which read op(B) once per
    /// block of rows of C (one or two blocks here) where the streaming route loads and stores its block of accumulators
    /// once per chunk of op(B)'s rows: with 512-bit vectors on a core that runs them as two 256-bit halves, or with
    /// 256-bit ones, and an op(B) within the bound of a C of few row blocks (<see cref="HasFewRowBlocks"/>: the L3 share
    /// this core can count on at 512 bits, L2 at 256).
    /// There the direct loops took 0.69–0.98 of the streaming route's time on one thread and 0.53–0.90 on two (Zen 4:
    /// A·B 16×784×1024 0.74 and 0.64, 16×256×512 0.71 and 0.53); past the bound they lost, up to 2.5× on one thread and
    /// 1.8× on two (op(B) of 16–64 MB, read from memory once per block of rows; of 8 MB they still gained, 16×2048×1024
    /// 0.75, while 16×300×8000, 9.6 MB, lost 1.10–1.14 on one thread; benchmarks/RESULTS.md, sixtieth session). At
    /// 256 bits on the same core (AVX-512 off) the direct loops took 0.84–0.93 of the streaming time with op(B) in L2
    /// (A·B 12×784×256 and 16×784×256, 16×512×512, 16×1024×256; sixty-first session) and were 1.07–1.46× slower
    /// past it (8×2048×1024, Aᵀ·B 5×1024×2048, 8 MB). Without AVX2 the route is chosen at 128 bits, where
    /// <see cref="GemmBlocking.FewRowsBBytes"/> is 0 (the direct loops' multiply and add on <see cref="SimdAvx"/> were
    /// slower than packing, A·B 32×784×256 166–173 µs against 142), and without AVX the streaming route's splat pays
    /// (<see cref="StreamsAtSize"/>), so both keep streaming; a core with full-width 512-bit units is unmeasured and
    /// keeps it too. The fused weight-and-bias gradient (<see cref="TryWeightAndBiasGradients"/>) streams either way:
    /// its bias column sums ride along. Every route runs the same chains, so this moves no bits.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool DirectBeatsStreamRows(in GemmOperands o, GemmBlocking blocking, int lanes) =>
        ((lanes == 16 && s_splitsVector512) || lanes == 8) && HasFewRowBlocks(o, blocking, lanes);

    /// <summary>The longest K whose row blocks the direct loops splat (<see cref="SplatsA"/>): a 6-row block's splat,
    /// 6·K whole 128-bit vectors, within a quarter of L1d (K ≤ 85 on a 32 KB L1d, 128 on a 48 KB one).</summary>
    internal static readonly int SplatDepth = GemmCacheInfo.Host.L1Bytes / (4 * 6 * 16);

    /// <summary>The fewest full strips of columns (of NR) over which the direct loops splat a row block.</summary>
    internal const int SplatStrips = 12;

    /// <summary>
    /// Whether the direct loops run row block by row block on A's elements stored already broadcast
    /// (<see cref="SplatRows"/>): x64 without AVX (no broadcast load), K ≤ <see cref="SplatDepth"/>, at least
    /// <see cref="SplatStrips"/> full strips of columns to reuse each splat, and at least one full row block.
    /// </summary>
    /// <remarks>
    /// A splat costs a load, a shuffle and a store per element, and a kernel call per row block, where broadcasting
    /// costs a load and a shuffle per element and strip; against the kernels' own set-up of each block, it paid from
    /// about ten strips. Without AVX (Zen 4), against broadcasting: A·B 600×15×N took 1.53, 1.37, 1.38, 1.28, 1.18, 1.07
    /// and 1.04 of the time at N = 16, 17, 19, 24, 31, 40 and 48 (two to six strips), 0.97, 0.93 and 0.91 at 64, 80 and
    /// 96; 600×5×N 1.06 at 64 and 0.98 at 96; 64×15×96 0.86, 64×5×96 0.95; the GAN's N = 128–2048 0.81–0.89. A K past 16
    /// pays as well with enough strips: A·B 64×32×128 0.84, 64×40×128 0.88, A·Bᵀ 64×64×128 0.88, Aᵀ·B 15×64×128 0.88
    /// (benchmarks/RESULTS.md, fifty-fifth session).
    /// </remarks>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool SplatsA(in GemmOperands o, int rowBlock, int nr) =>
        SplatsBroadcasts && o.K <= SplatDepth && o.N >= SplatStrips * nr && o.M >= rowBlock;

    /// <summary>Whether the 128-bit kernels read A's elements from a splatted copy where they reuse them across strips
    /// (<see cref="SplatRows"/>, <see cref="GemmStream"/>): on x64 without AVX, whose broadcast is a load and a shuffle,
    /// or where a test forces it (<see cref="ForceSplat"/>).</summary>
    internal static bool SplatsBroadcasts
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => s_noBroadcastLoad || (s_forced && t_splat);
    }

    /// <summary>Whether the CPU has a broadcast load (x64 with AVX, every Arm64 CPU), so that only a test's
    /// <see cref="ForceSplat"/> takes the splatted route (<see cref="SplatsBroadcasts"/>). Asked of the instruction sets,
    /// so a constant in a precompiled image, whose splatted kernels then sit behind a door
    /// (<see cref="KernelCompilation.UnderCap"/>) and are left out: about 1,200 methods, 2.1 MB, of the Arm64 image.</summary>
    internal static bool LoadsBroadcasts
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => Avx.IsSupported || !X86Base.IsSupported;
    }

    /// <summary>x64 without AVX: no broadcast load.</summary>
    private static readonly bool s_noBroadcastLoad = !LoadsBroadcasts;

    /// <summary>Splats A for the 128-bit kernels on this thread's products whatever the CPU (<see cref="SplatsBroadcasts"/>),
    /// until the scope is disposed: a test's way to compare the splatted route with the broadcasting one on any host.</summary>
    internal static SplatScope ForceSplat()
    {
        bool previous = t_splat;
        t_splat = true;
        s_forced = true;
        return new SplatScope(previous);
    }

    /// <summary>
    /// The direct loops (<see cref="Rows"/>) with the row blocks outermost: each block of up to <paramref name="mr"/>
    /// rows of A is first splatted (<see cref="SplatA"/>, every element four times), then runs across all columns of C
    /// (<see cref="RowOfStrips"/>, <see cref="Simd128Splat"/>). The rows are grouped as <see cref="RowBlocks"/>
    /// groups them. Each element of C is the same chain of multiply-adds as in <see cref="Rows"/>.
    /// </summary>
    [MethodImpl(KernelCompilation.Hot)]
    private static void SplatRows<TE>(int m, int n, int k, float* a, nint rsA, nint csA, float* b, nint ldb, nint stripStride, float* c, nint ldc, nint column, int mr, int nvMax, TE epi, bool paddedB)
        where TE : struct, IGemmEpilogue
    {
        float* s = Scratch(ref t_splatA, mr * k * 4);
        int i = 0;
        while (i < m)
        {
            int left = m - i;
            int rows = left > mr + 2 ? mr : left > mr ? 4 : left;
            SplatA(a + (i * rsA), rsA, csA, rows, k, s, rows);
            RowOfStrips<Simd128Splat, Vec128, TE>(rows, n, k, s, 4, 4 * rows, b, ldb, stripStride, c + (i * ldc), ldc, column, nvMax, epi, paddedB);
            i += rows;
        }
    }

    /// <summary><see cref="SplatRows{TE}"/>, through a door where the CPU loads broadcasts (<see cref="LoadsBroadcasts"/>):
    /// there only a test's <see cref="ForceSplat"/> gets here.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void SplatRowsRouted<TE>(int m, int n, int k, float* a, nint rsA, nint csA, float* b, nint ldb, nint stripStride, float* c, nint ldc, nint column, int mr, int nvMax, TE epi, bool paddedB)
        where TE : struct, IGemmEpilogue
    {
        if (LoadsBroadcasts)
        {
            SplatRowsForced(m, n, k, a, rsA, csA, b, ldb, stripStride, c, ldc, column, mr, nvMax, epi, paddedB);
        }
        else
        {
            SplatRows(m, n, k, a, rsA, csA, b, ldb, stripStride, c, ldc, column, mr, nvMax, epi, paddedB);
        }
    }

    /// <summary><see cref="SplatRows{TE}"/> where only a test forces it (<see cref="KernelCompilation.UnderCap"/>).</summary>
    [MethodImpl(KernelCompilation.UnderCap)]
    private static void SplatRowsForced<TE>(int m, int n, int k, float* a, nint rsA, nint csA, float* b, nint ldb, nint stripStride, float* c, nint ldc, nint column, int mr, int nvMax, TE epi, bool paddedB)
        where TE : struct, IGemmEpilogue =>
        SplatRows(m, n, k, a, rsA, csA, b, ldb, stripStride, c, ldc, column, mr, nvMax, epi, paddedB);

    /// <summary>s[(p·slots + r)·4 + l] = a[r·rsA + p·csA] for r &lt; rows, l = 0..3: the rows of A one under the other in
    /// each column, every element a whole 128-bit vector, <paramref name="slots"/> (≥ rows) vectors per column (the
    /// streaming route keeps one more for its row of ones, <see cref="GemmStream"/>).</summary>
    internal static void SplatA(float* a, nint rsA, nint csA, int rows, int k, float* s, int slots)
    {
        for (int p = 0; p < k; p++)
        {
            float* column = a + (p * csA);
            float* to = s + ((nint)p * slots * 4);
            for (int r = 0; r < rows; r++)
            {
                Vector128.Create(column[r * rsA]).StoreUnsafe(ref *(to + (r * 4)));
            }
        }
    }

    /// <summary>One block of <paramref name="rows"/> rows across all <paramref name="n"/> columns of C, B's strips of NR
    /// columns <paramref name="stripStride"/> floats apart (rows <paramref name="ldb"/> apart within a strip: op(B) in
    /// place, stride NR, or packed by <see cref="PackB{TS, TV}"/>, stride K·NR with rows NR apart): the full strips in one
    /// call that walks left to right (a call per strip for a row-tail kernel, which takes one block), then the narrower
    /// last strip (<see cref="Row"/>).</summary>
    [MethodImpl(KernelCompilation.Hot)]
    private static void RowOfStrips<TS, TV, TE>(int rows, int n, int k, float* a, nint rsA, nint csA, float* b, nint ldb, nint stripStride, float* c, nint ldc, nint column, int nvMax, TE epi, bool paddedB)
        where TS : ISimd<TV>
        where TV : struct
        where TE : struct, IGemmEpilogue
    {
        int nr = nvMax * TS.Count;
        int strips = n / nr;
        if (rows is 4 or 6 or 8 or 12)
        {
            // The kernels that walk several blocks walk these strips side by side.
            if (strips > 0)
            {
                GemmMicroKernels.Call<TS, TV, FullColumns, TE>(rows, nvMax, strips, k, a, rsA, csA, b, ldb, c, ldc, column, 0, epi, across: nr, bAcross: stripStride);
            }
        }
        else
        {
            for (int strip = 0; strip < strips; strip++)
            {
                GemmMicroKernels.Call<TS, TV, FullColumns, TE>(rows, nvMax, 1, k, a, rsA, csA, b + (strip * stripStride), ldb, c + (strip * nr), ldc, column + (strip * nr), 0, epi);
            }
        }

        int j = strips * nr;
        if (j < n)
        {
            Row<TS, TV, TE>(rows, 1, n - j, k, a, rsA, csA, b + (strips * stripStride), ldb, c + j, ldc, column + j, nvMax, epi, paddedB);
        }
    }

    /// <summary>
    /// Whether the direct loops read op(B) from a copy whose rows are padded with zeros to whole vectors: 128-bit vectors
    /// on a CPU without a masked load (x64 without AVX, where <see cref="Simd128.LoadMasked(float*, Vector128{float})"/>
    /// tests and inserts lane by lane, and Arm64's AdvSimd, which does the same), a last vector of 1–3 columns
    /// (N = 15: the G output and D input gradient), and at least two blocks of <paramref name="rowBlock"/> rows to read
    /// the copy. Unpadded, every k step of the last strip paid four extracts, tests and inserts per row block: without
    /// AVX (Zen 4, 4 × 2 tiles) the h = 256 GAN's A·B and A·Bᵀ 512×256×15 took 1.19× the padded time and its step 1.04×;
    /// with 6 × 2 tiles A·B 8×128×15 (two blocks of 4 rows) took 0.92× (benchmarks/RESULTS.md, fifty-fourth session).
    /// Only the loads change; C's bits do not (the padding lanes are never stored).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool PadsToWholeVectors(in GemmOperands o, int rowBlock, int lanes) =>
        lanes == 4 && !Avx.IsSupported && o.N > 1 && o.N % 4 != 0 && o.M >= 2 * rowBlock;

    /// <summary>
    /// The rows per tile the direct loops take: when C is one vector wide, 16 with 512-bit vectors and 12 with narrower
    /// ones (one B load and one broadcast per row each k-step, so 16 or 12 independent FMA chains instead of 8) or fewer
    /// where A's rows crowd an L1 set (<see cref="OneVectorRows"/>); 4 with 512-bit vectors on a core that executes them as two 256-bit halves
    /// (<paramref name="splitsVector512"/>, <see cref="HostVectorUnits"/>), a short K (≤ 16, the GAN's 5 and 15 inputs)
    /// and a C no larger than L1d; else the kernel's MR.
    /// </summary>
    /// <remarks>
    /// With a short K a tile's accumulators live only a few dozen cycles and end in a burst of stores. The 8 × 3 tile of
    /// 512-bit vectors stores 1.5 KB at once, the 4 × 3 tile half that. On Zen 4, which stores a 512-bit vector as two
    /// 256-bit halves, a C of up to L1d's size came out 5–10% faster in 4-row tiles (64×5×128: 0.99–1.01 → 0.93–0.94 µs;
    /// 64×10×128 and 32×5×128 alike). The price is a second pass over the B strip (K × 3 vectors) per 8 rows. For a
    /// larger C the two measured from 5% slower to 9% faster depending on the row strides (256×5×512 and 512×16×512
    /// slower; 64×15×1024 and 16×15×2048, whose rows of B and C all fall in one L1 set, 24–35% slower), so those keep MR.
    /// On Zen 5, whose 512-bit units are full width, 8-row tiles were faster at 13 of 15 shapes tried and within noise
    /// at the other two (best of two runs: 64×5×128 1.01–1.05 of OpenBLAS against 0.88–0.90 in 4-row tiles, 64×15×128
    /// 1.02–1.05 against 0.88–0.96, 8×15×1024 1.20–1.42 against 0.82–0.84; benchmarks/RESULTS.md, twenty-first session). Narrower vectors keep MR too: their tiles store a
    /// quarter of the bytes (6 × 2 at 256 bits, 384 bytes), and 4-row tiles there measured −12% to +3%.
    /// </remarks>
    internal static int DirectRowBlock(int lanes, int m, int n, int k, nint rsA, int mr, bool splitsVector512) =>
        n <= lanes && lanes > 1 ? OneVectorRows(lanes, rsA)
        : lanes == 16 && splitsVector512 && k <= GemmStream.MaxRows && (long)m * n * sizeof(float) <= s_l1Bytes ? 4
        : mr;

    /// <summary>Whether the host executes a 512-bit vector instruction as two 256-bit halves (<see cref="HostVectorUnits"/>).</summary>
    private static readonly bool s_splitsVector512 = HostVectorUnits.SplitsVector512;

    /// <summary>
    /// The rows per tile when C is one vector wide: 16 with 512-bit vectors (<paramref name="lanes"/> = 16, whose 32
    /// registers hold 16 accumulators beside B's vector), 12 with narrower ones (16 registers on x64), unless op(A)'s rows,
    /// <paramref name="rsA"/> floats apart, would put more lines into one L1 set than its ways hold beside a line of B and
    /// one of C. Each row is a stream of
    /// broadcasts that reuses its line for 16 k-steps; rows a multiple of the way size apart (8 KB in the wide GAN's
    /// 1024×2048×15 products) all land in one set, and 12 of them in 8 ways were evicted before their reuse: A·B
    /// 1024×2048×15 took 973 µs in 12-row tiles and 641 in 6-row tiles on Zen 4, 604 with lda = 2040. The limit is g·(ways − 2) rows for rows
    /// that cycle through g sets (the way size over the largest power of two dividing the stride; g rows on a 2-way L1d):
    /// 6 rows on Zen 4's 8-way L1d, 8 on a 12-way one, 16 (12 below 512 bits) for the seed GAN's 512-byte rows.
    /// </summary>
    /// <remarks>
    /// 16 rows where 12 did until the thirty-ninth session: a C of 64 rows takes four 16-row blocks instead of four of 12
    /// and two of 8, whose 8 chains only just cover the FMA latency on two pipes. On Zen 5, in-process against the 12-row
    /// build, A·B 64×128×16, 64×128×15 and A·Bᵀ 64×128×15 (the G output and the D input gradient of the seed GAN) took
    /// 0.96 of the time, 40 and 13–17 rows 0.95–0.97, 30, 100 and 512 rows 0.98–1.00, 45 rows 1.01–1.02, and the seed
    /// step 0.995–0.997 (benchmarks/RESULTS.md, thirty-ninth session). Narrower vectors keep 12: 16 accumulators, B's
    /// vector and a broadcast would not fit in x64's 16 ymm registers.
    /// </remarks>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static int OneVectorRows(int lanes, nint rsA)
    {
        // No integer division on the way to a small product's first FMA: a way is a power of two of bytes on every
        // cache seen, and the divisor below is one (the stride's lowest set bit), so both are a mask and a shift.
        long stride = rsA * sizeof(float);
        long bytes = s_l1WayIsPow2 ? stride & (s_l1WayBytes - 1) : stride % s_l1WayBytes;
        long sets = bytes == 0 ? 1 : s_l1WayBytes >> BitOperations.TrailingZeroCount(bytes);
        long limit = RowsInSets(sets, s_l1Ways);
        return limit >= 16 && lanes == 16 ? 16 : limit >= 12 ? 12 : limit >= 8 ? 8 : limit >= 6 ? 6 : 4;
    }

    /// <summary>The rows of A that may stream at once through <paramref name="sets"/> L1 sets of <paramref name="ways"/>
    /// ways: ways − 2 per set beside a line of B and one of C, and at least one, so that on a 2-way L1d (Arm's
    /// Cortex-A72), where ways − 2 is 0, rows spread over many sets are not all held to 4-row tiles.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static long RowsInSets(long sets, int ways) => sets * Math.Max(ways - 2, 1);

    /// <summary>The host's L1d size in bytes.</summary>
    private static readonly int s_l1Bytes = GemmCacheInfo.Host.L1Bytes;

    /// <summary>The host's L2 size: up to it, an Aᵀ·B on the packed route gives its last columns to the column tiles too
    /// (<see cref="ColumnTail"/>).</summary>
    private static readonly long s_l2Bytes = GemmCacheInfo.Host.L2Bytes;

    /// <summary>The bytes of one L1d way, the distance between addresses in the same set (<see cref="GemmCacheInfo"/>
    /// keeps the way count ≥ 2).</summary>
    private static readonly int s_l1WayBytes = GemmCacheInfo.Host.L1Bytes / GemmCacheInfo.Host.L1Ways;

    /// <summary>Whether <see cref="s_l1WayBytes"/> is a power of two (a remainder by it is then a mask).</summary>
    private static readonly bool s_l1WayIsPow2 = BitOperations.IsPow2(s_l1WayBytes);

    /// <summary>The host's L1d ways.</summary>
    private static readonly int s_l1Ways = GemmCacheInfo.Host.L1Ways;

    /// <summary>Splits C among the workers by rows or by columns in whole micro-tiles (MR rows, NR columns), whichever
    /// leaves the largest share the fewer elements; the streaming routes split their long side. Each thread's share is a
    /// run of up to <see cref="GemmWorkers.BlocksPerThread"/> contiguous blocks (<see cref="BalancingBlocks"/>; one block
    /// on the packed route and the direct loops' A·Bᵀ, which would pack or copy op(B) again for each, and on the
    /// streaming route by rows, which would copy op(A)'s rows again). K is never split
    /// and every element is computed exactly as on one thread, so the result is bitwise the same for any thread count and
    /// any thread's taking of any block. The blocks run on <see cref="GemmWorkers"/>, or all on the calling thread when
    /// another product holds them.</summary>
    [MethodImpl(KernelCompilation.Hot)]
    private static void RunParallel<TS, TV, TOnly, TFirst, TMiddle, TLast>(GemmRoute route, GemmOperands o, int workers, GemmBlocking blocking, int mr, int nvMax, TOnly only, TFirst first, TMiddle middle, TLast last)
        where TS : ISimd<TV>
        where TV : struct
        where TOnly : struct, IGemmEpilogue
        where TFirst : struct, IGemmEpilogue
        where TMiddle : struct, IGemmEpilogue
        where TLast : struct, IGemmEpilogue
    {
        workers = SplitShares(workers, (long)o.M * o.N * o.K, blocking);
        int nr = nvMax * TS.Count;
        int rowUnit = route switch { GemmRoute.Dot => 8, GemmRoute.ColumnTiles => 16, GemmRoute.Direct => DirectRowBlock(TS.Count, o.M, o.N, o.K, o.RsA, mr, s_splitsVector512), _ => mr };
        int columnUnit = route == GemmRoute.StreamRows ? 4 * TS.Count : nr;
        bool byColumns = route switch
        {
            GemmRoute.Dot or GemmRoute.StreamColumns or GemmRoute.ColumnTiles => false,
            GemmRoute.StreamRows => true,
            _ => SplitsByColumns(o.M, o.N, rowUnit, columnUnit, workers),
        };
        int unit = byColumns ? columnUnit : rowUnit;
        int units = ((byColumns ? o.N : o.M) + unit - 1) / unit;
        workers = Math.Min(workers, units);
        if (workers <= 1 || !GemmWorkers.TryAcquire())
        {
            // One block, or another product holds the workers: this one runs on its calling thread alone, same bits.
            RunRoute<TS, TV, TOnly, TFirst, TMiddle, TLast>(route, o, blocking, mr, nvMax, only, first, middle, last);
            return;
        }

        // The packed route packs op(B) (or op(A)) again for every block, the direct loops' A·Bᵀ copies Bᵀ again, and the
        // streaming route by rows copies its chunks of op(A)'s few rows again (a strided gather for an A·B, one load per
        // float, against a block's FMAs of a vector each): those keep one block per thread. With four blocks per thread
        // the copies had cost A·B 16×2048×512 on two threads 0.94 of its one-thread time at 256 bits; one block each took
        // 0.59 (Zen 4, AVX-512 off: 376 → 235 µs, 0.60 → 0.95 of OpenBLAS; 4×4096×1024 564 → 321; at 512 bits
        // 16×4096×1024 1,274 → 878; benchmarks/RESULTS.md, sixty-first session).
        int blocks = route is GemmRoute.Packed or GemmRoute.StreamRows || (route == GemmRoute.Direct && o.CsB != 1)
            ? workers
            : BalancingBlocks(workers, units, (long)o.M * o.N * o.K, blocking.ParallelThreshold);
        if (s_forced)
        {
            t_lastSplit = (route, blocks);
        }

        RouteShares<TS, TV, TOnly, TFirst, TMiddle, TLast> shares = RouteShares<TS, TV, TOnly, TFirst, TMiddle, TLast>.Instance;
        shares.Set(route, o, blocking, mr, nvMax, only, first, middle, last, byColumns, unit, units, blocks);
        GemmWorkers.RunAndRelease(shares, workers, blocks);
    }

    /// <summary>
    /// How many blocks a product of <paramref name="volume"/> multiply-adds and <paramref name="units"/> units of rows or
    /// columns is cut into for <paramref name="threads"/> threads: up to <see cref="GemmWorkers.BlocksPerThread"/> per
    /// thread, so that a thread done with its own run of blocks can take over the end of a slower one's
    /// (<see cref="GemmWorkers"/>), but never more than the units, nor blocks under a quarter of the parallel
    /// <paramref name="threshold"/> each, whose kernel set-up would weigh against their work. At least one per thread.
    /// </summary>
    internal static int BalancingBlocks(int threads, int units, long volume, long threshold)
    {
        long byWork = 4 * volume / Math.Max(threshold, 1);
        return (int)Math.Max(threads, Math.Min(Math.Min(units, (long)threads * GemmWorkers.BlocksPerThread), byWork));
    }

    /// <summary>The blocks of one product on one route (<see cref="RunParallel"/>): block b takes units
    /// [b·units/blocks, (b+1)·units/blocks) of C's rows or columns, so blocks differ by at most one unit. One instance
    /// per instantiation, filled by the product that holds the workers.</summary>
    private sealed class RouteShares<TS, TV, TOnly, TFirst, TMiddle, TLast> : GemmShares
        where TS : ISimd<TV>
        where TV : struct
        where TOnly : struct, IGemmEpilogue
        where TFirst : struct, IGemmEpilogue
        where TMiddle : struct, IGemmEpilogue
        where TLast : struct, IGemmEpilogue
    {
        public static readonly RouteShares<TS, TV, TOnly, TFirst, TMiddle, TLast> Instance = new();

        private GemmRoute _route;
        private GemmOperands _whole;
        private GemmBlocking? _blocking;
        private int _mr;
        private int _nvMax;
        private TOnly _only;
        private TFirst _first;
        private TMiddle _middle;
        private TLast _last;
        private bool _byColumns;
        private int _unit;
        private int _units;
        private int _blocks;

        public void Set(GemmRoute route, in GemmOperands whole, GemmBlocking blocking, int mr, int nvMax, TOnly only, TFirst first, TMiddle middle, TLast last, bool byColumns, int unit, int units, int blocks)
        {
            _route = route;
            _whole = whole;
            _blocking = blocking;
            _mr = mr;
            _nvMax = nvMax;
            _only = only;
            _first = first;
            _middle = middle;
            _last = last;
            _byColumns = byColumns;
            _unit = unit;
            _units = units;
            _blocks = blocks;
        }

        public override void Run(int block)
        {
            GemmOperands part = Block(_whole, _byColumns, block, _unit, _units, _blocks);
            if (part.M > 0 && part.N > 0)
            {
                RunRoute<TS, TV, TOnly, TFirst, TMiddle, TLast>(_route, part, _blocking!, _mr, _nvMax, _only, _first, _middle, _last);
            }
        }
    }

    /// <summary>Share <paramref name="share"/> of a product split into <paramref name="shares"/> blocks of C's rows or
    /// columns (<paramref name="byColumns"/>): units [w·units/shares, (w+1)·units/shares) of <paramref name="unit"/> rows
    /// or columns each, the last unit cut at C's edge, so blocks differ by at most one unit.</summary>
    private static GemmOperands Block(in GemmOperands whole, bool byColumns, int share, int unit, int units, int shares)
    {
        int start = (int)((long)share * units / shares) * unit;
        int end = (int)((long)(share + 1) * units / shares) * unit;
        GemmOperands part = whole;
        if (byColumns)
        {
            end = Math.Min(whole.N, end);
            part.N = end - start;
            part.B += start * whole.CsB;
            part.C += start;
            part.Column0 = whole.Column0 + start;
        }
        else
        {
            end = Math.Min(whole.M, end);
            part.M = end - start;
            part.A += start * whole.RsA;
            part.C += start * whole.Ldc;
        }

        return part;
    }

    /// <summary>How many blocks a product of <paramref name="volume"/> multiply-adds is split into with at most
    /// <paramref name="threads"/> threads: 1 on one processor or thread or below the parallel threshold, else as many as
    /// the threads, the workers (<see cref="GemmWorkers.MaxShares"/>) and <see cref="MostShares"/> allow.</summary>
    internal static int SplitShares(int threads, long volume, GemmBlocking blocking)
    {
        int workers = Math.Min(threads, Environment.ProcessorCount);
        return workers > 1 && volume >= blocking.ParallelThreshold
            ? Math.Min(Math.Min(workers, GemmWorkers.MaxShares), MostShares(volume, blocking.ParallelThreshold))
            : 1;
    }

    /// <summary>The most blocks a product of <paramref name="volume"/> multiply-adds is split into: each at least half
    /// the parallel <paramref name="threshold"/>, what each of two blocks gets at the threshold itself. Two from the
    /// threshold up, so a two-core host splits exactly as the threshold says; on a many-core host a product just over
    /// it goes to two cores rather than to every core in blocks too small to repay their fetch of B.</summary>
    internal static int MostShares(long volume, long threshold) => (int)Math.Clamp(2 * volume / Math.Max(threshold, 1), 1, int.MaxValue);

    /// <summary>Whether <see cref="RunParallel"/> splits an M × N block of C by columns (units of
    /// <paramref name="columnUnit"/>) rather than by rows (units of <paramref name="rowUnit"/>): whichever leaves the
    /// largest block the fewer elements, columns on a tie when N ≥ M. (Comparing the two sides' shares alone split a C
    /// of 1,000 rows and 26 columns by columns, one 48-column unit, and left the second worker idle.)</summary>
    internal static bool SplitsByColumns(int m, int n, int rowUnit, int columnUnit, int workers)
    {
        long byColumn = LargestShare(n, columnUnit, workers, m);
        long byRow = LargestShare(m, rowUnit, workers, n);
        return byColumn < byRow || (byColumn == byRow && n >= m);
    }

    /// <summary>The elements of C in the largest block when its <paramref name="length"/> side is split among
    /// <paramref name="workers"/> as <see cref="RunParallel"/> splits it (worker w takes units [w·units/workers,
    /// (w+1)·units/workers), the last unit possibly partial) and the <paramref name="other"/> side is not.</summary>
    internal static long LargestShare(int length, int unit, int workers, int other)
    {
        long units = (length + unit - 1) / unit;
        long largest = 0;
        for (int w = 0; w < workers; w++)
        {
            long start = w * units / workers * unit;
            long end = (w + 1) * units / workers * unit;
            long size = (end < length ? end : length) - start;
            largest = size > largest ? size : largest;
        }

        return largest * other;
    }

    /// <summary>The cache-blocked path: for each MC×KC panel of op(A), pack it; for each KC×NC block of op(B), pack it;
    /// then run the micro-kernels over the packed slivers, each A sliver (kept in L1) against every B sliver. Kernels of
    /// fewer than 8 rows take <see cref="PackedBResident{TS, TV, TOnly, TFirst, TMiddle, TLast}"/> instead.</summary>
    [MethodImpl(KernelCompilation.Hot)]
    private static void Packed<TS, TV, TOnly, TFirst, TMiddle, TLast>(GemmOperands o, GemmBlocking blocking, int mr, int nvMax, TOnly only, TFirst first, TMiddle middle, TLast last)
        where TS : ISimd<TV>
        where TV : struct
        where TOnly : struct, IGemmEpilogue
        where TFirst : struct, IGemmEpilogue
        where TMiddle : struct, IGemmEpilogue
        where TLast : struct, IGemmEpilogue
    {
        if (!GemmBlocking.KeepsASliverInL1(mr))
        {
            PackedBResident<TS, TV, TOnly, TFirst, TMiddle, TLast>(o, blocking, mr, nvMax, only, first, middle, last);
            return;
        }

        int nr = nvMax * TS.Count;

        // The K and N blocks are evened out: as many blocks as the blocking asks for, of (nearly) equal size, so that
        // no product ends in a sliver of a block (N = 2048 in blocks of 672 would leave 32 columns; K = 1000 in blocks
        // of 384, 232 steps). The derived KC and NC are multiples of 8 and NR, so an even block is never larger than
        // theirs; the pack buffers are sized from the blocks actually used, so a forced blocking may be anything.
        int kcBlock = Even(o.K, blocking.KC, 8);
        int ncBlock = Even(o.N, blocking.NC, nr);
        int mcBlock = blocking.MC;
        int kcMax = Math.Min(kcBlock, o.K);
        float* packA = Scratch(ref t_packA, PackLength(kcMax, mcBlock, o.M, mr));
        float* packB = Scratch(ref t_packB, PackLength(kcMax, ncBlock, o.N, nr));
        for (int ic = 0; ic < o.M; ic += mcBlock)
        {
            int mc = Math.Min(mcBlock, o.M - ic);
            for (int pc = 0; pc < o.K; pc += kcBlock)
            {
                int kc = Math.Min(kcBlock, o.K - pc);
                PackA(o.A + (ic * o.RsA) + (pc * o.CsA), o.RsA, o.CsA, mc, kc, mr, packA);
                bool isFirst = pc == 0;
                bool isLast = pc + kc == o.K;
                for (int jc = 0; jc < o.N; jc += ncBlock)
                {
                    int nc = Math.Min(ncBlock, o.N - jc);
                    PackB<TS, TV>(o.B + (pc * o.RsB) + (jc * o.CsB), o.RsB, o.CsB, kc, nc, nr, packB);
                    float* c = o.C + (ic * o.Ldc) + jc;
                    nint column = o.Column0 + jc;
                    Block<TS, TV, TOnly, TFirst, TMiddle, TLast>(aResident: true, isFirst, isLast, mc, nc, kc, packA, packB, c, o.Ldc, column, mr, nvMax, only, first, middle, last);
                }
            }
        }
    }

    /// <summary>One packed A block or panel against one packed B panel or block, with the epilogue its K block needs: the
    /// first block overwrites or accumulates as asked, middle blocks add, the last adds and applies the rest (the only
    /// block does both). <paramref name="aResident"/> picks the loop over the slivers.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Block<TS, TV, TOnly, TFirst, TMiddle, TLast>(bool aResident, bool isFirst, bool isLast, int mc, int nc, int kc, float* packA, float* packB, float* c, nint ldc, nint column, int mr, int nvMax, TOnly only, TFirst first, TMiddle middle, TLast last)
        where TS : ISimd<TV>
        where TV : struct
        where TOnly : struct, IGemmEpilogue
        where TFirst : struct, IGemmEpilogue
        where TMiddle : struct, IGemmEpilogue
        where TLast : struct, IGemmEpilogue
    {
        if (isFirst && isLast)
        {
            Tiles<TS, TV, TOnly>(aResident, mc, nc, kc, packA, packB, c, ldc, column, mr, nvMax, only);
        }
        else if (isFirst)
        {
            Tiles<TS, TV, TFirst>(aResident, mc, nc, kc, packA, packB, c, ldc, column, mr, nvMax, first);
        }
        else if (isLast)
        {
            Tiles<TS, TV, TLast>(aResident, mc, nc, kc, packA, packB, c, ldc, column, mr, nvMax, last);
        }
        else
        {
            Tiles<TS, TV, TMiddle>(aResident, mc, nc, kc, packA, packB, c, ldc, column, mr, nvMax, middle);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Tiles<TS, TV, TE>(bool aResident, int mc, int nc, int kc, float* packA, float* packB, float* c, nint ldc, nint column, int mr, int nvMax, TE epi)
        where TS : ISimd<TV>
        where TV : struct
        where TE : struct, IGemmEpilogue
    {
        if (aResident)
        {
            Macro<TS, TV, TE>(mc, nc, kc, packA, packB, c, ldc, column, mr, nvMax, epi);
        }
        else
        {
            MacroBResident<TS, TV, TE>(mc, nc, kc, packA, packB, c, ldc, column, mr, nvMax, epi);
        }
    }

    /// <summary>Floats a pack buffer needs for blocks of up to <paramref name="block"/> of <paramref name="length"/> rows
    /// (or columns) and <paramref name="kc"/> steps: PackA and PackB write whole slivers of <paramref name="unit"/>, so a
    /// block is rounded up to whole slivers (a forced MC or NC need not be a multiple of MR or NR).</summary>
    internal static int PackLength(int kc, int block, int length, int unit) => kc * RoundUp(Math.Min(block, length), unit);

    /// <summary>The block size for <paramref name="length"/> cut into as few blocks of at most
    /// <paramref name="block"/> as possible, each as even as whole multiples of <paramref name="unit"/> allow.</summary>
    private static int Even(int length, int block, int unit)
    {
        int blocks = (length + block - 1) / block;
        return blocks <= 1 ? block : RoundUp((length + blocks - 1) / blocks, unit);
    }

    /// <summary>One packed A panel against one packed B block: each A sliver (MR × kc, kept in L1) meets every B sliver
    /// (kc × NR, streamed from L2), walking along a row of C's tiles.</summary>
    [MethodImpl(KernelCompilation.Hot)]
    private static void Macro<TS, TV, TE>(int mc, int nc, int kc, float* packA, float* packB, float* c, nint ldc, nint column, int mr, int nvMax, TE epi)
        where TS : ISimd<TV>
        where TV : struct
        where TE : struct, IGemmEpilogue
    {
        int nr = nvMax * TS.Count;
        for (int ir = 0; ir < mc; ir += mr)
        {
            int rows = Math.Min(mr, mc - ir);
            float* aSliver = packA + (ir * kc);
            float* cRow = c + (ir * ldc);
            for (int jr = 0; jr < nc; jr += nr)
            {
                if (jr + nr < nc)
                {
                    // The next tile of C, into L2 while this tile's K loop runs: C is read (after the first K block) and
                    // written once per tile, rows ldc apart, where the hardware prefetcher does not look. Into L2, not L1:
                    // with a power-of-two ldc the tile's rows share L1 sets and would evict the A sliver.
                    PrefetchTile(cRow + jr + nr, ldc, rows, Math.Min(nr, nc - jr - nr));
                }
                else if (ir + mr < mc)
                {
                    // The last tile of this block of rows: the first tile of the next block's rows instead.
                    PrefetchTile(cRow + (mr * ldc), ldc, Math.Min(mr, mc - ir - mr), Math.Min(nr, nc));
                }

                PackedTile<TS, TV, TE>(rows, Math.Min(nr, nc - jr), kc, aSliver, packB + (jr * kc), cRow + jr, ldc, column + jr, mr, nvMax, epi);
            }
        }
    }

    /// <summary>One tile of packed slivers: a full tile (almost every tile of a large product) goes straight to the main
    /// kernel, without the row and column loops and the (rows, vectors) switch that the row and column tails need.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void PackedTile<TS, TV, TE>(int rows, int cols, int kc, float* aSliver, float* bSliver, float* c, nint ldc, nint column, int mr, int nvMax, TE epi)
        where TS : ISimd<TV>
        where TV : struct
        where TE : struct, IGemmEpilogue
    {
        int nr = nvMax * TS.Count;
        if (rows == mr && cols == nr)
        {
            GemmMicroKernels.Call<TS, TV, FullColumns, TE>(mr, nvMax, 1, kc, aSliver, 1, mr, bSliver, nr, c, ldc, column, 0, epi);
        }
        else
        {
            Rows<TS, TV, TE>(rows, cols, kc, aSliver, 1, mr, bSliver, nr, c, ldc, column, mr, nvMax, epi);
        }
    }

    /// <summary>The direct loops over the M rows of C in blocks of up to MR rows (<see cref="RowBlocks"/>), each block across
    /// all columns (<see cref="Row"/>). The order in which tiles are computed never changes an element.</summary>
    /// <remarks>Inlined: 1 ≤ M ≤ min(MR, 12) rows are one kernel block, which goes straight to <see cref="Row"/>, so that
    /// a small product pays one call fewer on its way to the kernel; <see cref="RowBlocks"/> would make the same call.
    /// (Past 12 rows, a one-vector C in 16-row blocks splits 13–15 rows into two kernels, <see cref="OneVectorRows16"/>.)</remarks>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Rows<TS, TV, TE>(int m, int n, int k, float* a, nint rsA, nint csA, float* b, nint ldb, float* c, nint ldc, nint column, int mr, int nvMax, TE epi, bool paddedB = false)
        where TS : ISimd<TV>
        where TV : struct
        where TE : struct, IGemmEpilogue
    {
        if ((uint)(m - 1) < (uint)Math.Min(mr, 12))
        {
            // A single row of C (cᵀ = bᵀ·A): one accumulator chain per vector, so take up to eight vectors at a time.
            // Two rows (the weight gradient of a layer with two inputs, Xᵀ·dY): tiles four vectors wide, eight chains.
            // With three, a C four vectors wide ended in a 2×1 tile whose two chains waited on the FMA latency for as
            // long as the 2×3 tile took (Aᵀ·B 2×64×64).
            int vectors = TS.Count == 1 ? nvMax : m == 1 ? Math.Max(nvMax, SingleRowVectors) : m == 2 ? Math.Max(nvMax, TwoRowVectors) : nvMax;
            Row<TS, TV, TE>(m, 1, n, k, a, rsA, csA, b, ldb, c, ldc, column, vectors, epi, paddedB);
            return;
        }

        RowBlocks<TS, TV, TE>(m, n, k, a, rsA, csA, b, ldb, c, ldc, column, mr, nvMax, epi, paddedB);
    }

    /// <summary><see cref="Rows"/> past one kernel block: more than MR rows, or 13–16 rows in 16-row blocks (MR ≥ 4, so
    /// never one or two rows): the full blocks of MR rows, each column of tiles in one kernel call, then the remaining
    /// rows.</summary>
    [MethodImpl(KernelCompilation.Hot)]
    private static void RowBlocks<TS, TV, TE>(int m, int n, int k, float* a, nint rsA, nint csA, float* b, nint ldb, float* c, nint ldc, nint column, int mr, int nvMax, TE epi, bool paddedB)
        where TS : ISimd<TV>
        where TV : struct
        where TE : struct, IGemmEpilogue
    {
        if (mr == 16)
        {
            OneVectorRows16<TS, TV, TE>(m, n, k, a, rsA, csA, b, ldb, c, ldc, column, nvMax, epi, paddedB);
            return;
        }

        // The kernels walk down the full MR-row blocks themselves, so a narrow-K product (K = 5: five FMAs per
        // accumulator) does not pay a call and a dispatch per tile.
        int full = m / mr;
        if (mr == 12 && full > 0 && m % mr is > 0 and <= 4)
        {
            // C one vector wide (12 chains per block): a last block of 1–4 rows would be 1–4 FMA chains, each k-step
            // waiting on the FMA latency, for as long as a 12-row block takes. The last 12 + r rows run as 8 and 4 + r
            // instead, close to the 8 chains that keep two FMA pipes busy at a 4-cycle latency. On Zen 5 (full-width
            // 512-bit FMAs) A·B 13×128×15 went from 1.00–1.02 of OpenBLAS to 1.18–1.20 and 16×128×15 from 1.20–1.27 to
            // 1.29–1.30; at 64 rows (5 × 12 + 4 → 4 × 12 + 8 + 8) the tail is a sixteenth of the work and the change was
            // within noise. Only the grouping of rows into kernel calls changes, never an element's FMA chain.
            full--;
        }
        else if (mr == 4 && TS.Count == 16 && full > 0 && m % mr == 1)
        {
            // 4-row tiles (512-bit vectors in two halves, K ≤ 16, a C within L1d): a last single row would run each
            // column tile as one to three chains, a few dozen cycles of FMA latency apiece plus a kernel call, for a
            // quarter of a 4-row tile's work. The last 4 + 1 rows run as one block of 5 instead (Zen 4: Aᵀ·B 5×8×128
            // 0.157 → 0.124 µs, 9×8×128 0.23 → 0.21; blocks of 6 and 7 for the last 4 + 2 and 4 + 3 rows were no faster,
            // and A·B 10×5×128 slower, 0.17 → 0.19–0.20; benchmarks/RESULTS.md, fifty-ninth session). Only the grouping
            // of rows changes, never an element's chain.
            full--;
        }
        else if (mr == 6 && full > 0 && m % mr is > 0 and <= 2)
        {
            // 6-row blocks (256-bit vectors, and 128-bit on x64): a last block of one or two rows would be two or four
            // chains, each k-step waiting on the multiply-add latency. The last 6 + r rows run as 4 and 3 + r instead.
            // Without AVX (128-bit, Zen 4) A·B 8×128×15 took 1.29 µs as 6 + 2 rows and 1.18 as 4 + 4, 8×5×128 0.51 and
            // 0.44; with AVX2 0.41 and 0.36, 0.20 and 0.17 (benchmarks/RESULTS.md, fifty-fourth session). Only the
            // grouping of rows changes, never an element's chain.
            full--;
        }

        if (full > 0)
        {
            Row<TS, TV, TE>(mr, full, n, k, a, rsA, csA, b, ldb, c, ldc, column, nvMax, epi, paddedB);
        }

        int i = full * mr;
        if (mr == 6 && m - i == 8)
        {
            // 6 + 2 rows as two blocks of 4 in one call.
            Row<TS, TV, TE>(4, 2, n, k, a + (i * rsA), rsA, csA, b, ldb, c + (i * ldc), ldc, column, nvMax, epi, paddedB);
            return;
        }

        while (i < m)
        {
            // After the full blocks: (after 12-row blocks) one of 8, (after 6-row blocks) one of 4, (after 4-row blocks)
            // the held-back block's 4 + 1 rows as one of 5, then the rest in one
            // kernel: there is a kernel for every row count up to 8, so a row tail costs one pass over B. A C one vector
            // wide (12-row blocks) has kernels of 9–11 rows too, so its last 9–11 rows are one block of 9–11 chains
            // instead of 8 rows and a block of 1–3 that waits on the FMA latency for as long as the 8 took. (The held-back
            // 12- or 6-row block's first 8 or 4 rows are this loop's own case, not RowGroup's: GemmStream walks all its
            // rows through RowGroup, where more than MR rows left must still mean MR.)
            int rows = m - i > mr ? (mr == 6 ? 4 : mr == 4 ? 5 : 8) : mr == 12 && m - i > 8 ? m - i : RowGroup(m - i, mr);
            Row<TS, TV, TE>(rows, 1, n, k, a + (i * rsA), rsA, csA, b, ldb, c + (i * ldc), ldc, column, nvMax, epi, paddedB);
            i += rows;
        }
    }

    /// <summary>
    /// <see cref="Rows"/> for a C one vector wide in 16-row blocks (<see cref="OneVectorRows"/>, 512-bit vectors): the
    /// full blocks in one call, then the r = M mod 16 rows left in kernels of 5–12 rows (K5x1 … K12x1), each with enough
    /// FMA chains to cover most of the FMA latency. 8–12 rows, or 5–7 with no full block to borrow from, are one kernel;
    /// 13–15 are two (7 + 6, 7 + 7, 8 + 7); 1–4 rows past a full block take that block back and run the 17–20 rows as two
    /// (9 + 8 … 10 + 10), where on their own they would be 1–4 chains waiting on the latency for as long as a 16-row
    /// block takes; 5–7 past a full block stay one kernel (a 5–7-row block costs about what the 8-row one it would pair
    /// into does). Fewer than 5 rows in all are one kernel. Only the grouping of rows changes, never an element's chain.
    /// (A C of at most 12 rows no longer comes here: <see cref="Rows"/> sends it to the same single kernel itself.)
    /// </summary>
    private static void OneVectorRows16<TS, TV, TE>(int m, int n, int k, float* a, nint rsA, nint csA, float* b, nint ldb, float* c, nint ldc, nint column, int nvMax, TE epi, bool paddedB)
        where TS : ISimd<TV>
        where TV : struct
        where TE : struct, IGemmEpilogue
    {
        int full = m / 16;
        int rest = m - (full * 16);
        if (full > 0 && rest is > 0 and <= 4)
        {
            full--;
            rest += 16;
        }

        if (full > 0)
        {
            Row<TS, TV, TE>(16, full, n, k, a, rsA, csA, b, ldb, c, ldc, column, nvMax, epi, paddedB);
        }

        int i = full * 16;
        if (rest > 12)
        {
            // 13–15 or 17–20 rows: two kernels, the larger first.
            int first = (rest + 1) / 2;
            Row<TS, TV, TE>(first, 1, n, k, a + (i * rsA), rsA, csA, b, ldb, c + (i * ldc), ldc, column, nvMax, epi, paddedB);
            i += first;
            rest -= first;
        }

        if (rest > 0)
        {
            Row<TS, TV, TE>(rest, 1, n, k, a + (i * rsA), rsA, csA, b, ldb, c + (i * ldc), ldc, column, nvMax, epi, paddedB);
        }
    }

    /// <summary>The rows of C the next kernel takes when <paramref name="remaining"/> rows are left: MR, then (after
    /// 12-row blocks) 8, then the rest in one kernel (there is one for every row count up to 8).</summary>
    internal static int RowGroup(int remaining, int mr) => remaining >= mr ? mr : mr > 8 && remaining >= 8 ? 8 : remaining;

    /// <summary>Whether <see cref="Row"/> runs the <paramref name="partial"/> columns of a last, partial 512-bit vector
    /// (0 for none) as a 256-bit kernel of their own: at most eight of them, op(B) not padded, and 512-bit vectors run in
    /// two halves or a block of more than 8 rows (which has no two-vector kernel). Row's two-and-two strips ask it too.
    /// <paramref name="lanes"/> is the caller's <c>TS.Count</c>, 16 for <see cref="Simd512"/> only: a test of the type
    /// (<c>typeof(TS) == typeof(Simd512)</c>) had every width's precompiled code load <see cref="Simd512"/>, and with it
    /// the 512-bit vector type, at its first call, also on CPUs without AVX-512.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool LastColumnsAt256(int lanes, int partial, int rows, bool paddedB) =>
        lanes == 16 && partial is > 0 and <= 8 && !paddedB && (s_splitsVector512 || rows > 8);

    /// <summary><paramref name="blocks"/> blocks of <paramref name="rows"/> rows, one under the other, across all
    /// <paramref name="n"/> columns: full-width columns of tiles <paramref name="nvMax"/> vectors wide, then one narrower
    /// column whose last vector may be masked (with three-vector tiles, a last four vectors as two and two, except where
    /// 512-bit vectors run in two halves and the last vector holds at most eight columns).</summary>
    [MethodImpl(KernelCompilation.Hot)]
    private static void Row<TS, TV, TE>(int rows, int blocks, int n, int k, float* a, nint rsA, nint csA, float* b, nint ldb, float* c, nint ldc, nint column, int nvMax, TE epi, bool paddedB)
        where TS : ISimd<TV>
        where TV : struct
        where TE : struct, IGemmEpilogue
    {
        int w = TS.Count;
        int step = nvMax * w;
        int j = 0;
        for (; j + step <= n; j += step)
        {
            int after = n - j - step;
            if (nvMax == 3 && after > 0 && after <= w && !LastColumnsAt256(TS.Count, after % w, rows, paddedB))
            {
                // The last three-vector strip would leave one vector of columns (N of 3q + 1 vectors, the last possibly
                // partial): it and that vector run as two strips of two instead. A one-vector strip holds each row's
                // tile in one accumulator, so every k-step loads a broadcast per FMA beside B's vector, more loads than
                // two ports issue along with the FMAs, while two-vector tiles load one broadcast per two FMAs. Zen 5,
                // in-process, same build: A·B 64×30×64 0.93 of the time, 64×5×64 0.90, 256×64×64 0.95, 64×128×64 0.96,
                // 64×64×112 0.97 (benchmarks/RESULTS.md, thirty-ninth session). Only the grouping of columns into kernel
                // calls changes, never an element's FMA chain. (No division on the way: a small product's path.) Not
                // where the last vector's at most eight columns go to a 256-bit kernel of their own below (512-bit
                // vectors in two halves): there the three-vector strip leaves no one-vector 512-bit tile.
                GemmMicroKernels.Call<TS, TV, FullColumns, TE>(rows, 2, blocks, k, a, rsA, csA, b + j, ldb, c + j, ldc, column + j, 0, epi);
                j += 2 * w;
                break;
            }

            GemmMicroKernels.Call<TS, TV, FullColumns, TE>(rows, nvMax, blocks, k, a, rsA, csA, b + j, ldb, c + j, ldc, column + j, 0, epi);
        }

        int rest = n - j;
        if (rest == 0)
        {
            return;
        }

        int partial = rest % w;
        if (LastColumnsAt256(TS.Count, partial, rows, paddedB))
        {
            // At most eight columns in the last vector: a 256-bit vector holds them. A 512-bit one would spend as many FMAs
            // on them as on sixteen columns (on a core that runs a 512-bit FMA as two 256-bit halves, twice the 256-bit
            // cost). The whole vectors before them go first, in a kernel of their own. Each element is the same FMA chain
            // over k at either width, so C does not change. Only where 512-bit vectors are split (or for blocks of 9–16
            // rows, which have no two-vector kernel): on a full-width core a 256-bit FMA costs a 512-bit one, and the second
            // pass over the rows, each pass with half the chains, made A·B 64×128×24 and 256×128×24 take 1.22× the time
            // of one pass holding the masked last vector beside the whole ones, 64×128×20 1.28× (Zen 5, in-process,
            // benchmarks/RESULTS.md, thirty-sixth session).
            int whole = rest - partial;
            if (whole > 0)
            {
                GemmMicroKernels.Call<TS, TV, FullColumns, TE>(rows, whole / w, blocks, k, a, rsA, csA, b + j, ldb, c + j, ldc, column + j, 0, epi);
            }

            Row<Simd256, Vec256, TE>(rows, blocks, partial, k, a, rsA, csA, b + j + whole, ldb, c + j + whole, ldc, column + j + whole, nvMax, epi, paddedB: false);
            return;
        }

        int nv = (rest + w - 1) / w;
        int tail = rest - ((nv - 1) * w);
        if (tail == w)
        {
            GemmMicroKernels.Call<TS, TV, FullColumns, TE>(rows, nv, blocks, k, a, rsA, csA, b + j, ldb, c + j, ldc, column + j, 0, epi);
        }
        else if (paddedB)
        {
            GemmMicroKernels.Call<TS, TV, PaddedColumns, TE>(rows, nv, blocks, k, a, rsA, csA, b + j, ldb, c + j, ldc, column + j, tail, epi);
        }
        else if (OverReadsB(TS.Count) && (rows != 4 || nv != 1))
        {
            // (Four rows of one vector stay masked: there the JIT kept two of the over-read kernel's pointer offsets on
            // the stack, and A·B 4×K×15 took 1.07–1.19× the masked kernel's time at K = 64–512; benchmarks/RESULTS.md,
            // fifty-eighth and sixtieth sessions.)
            GemmMicroKernels.Call<TS, TV, OverReadColumns, TE>(rows, nv, blocks, k, a, rsA, csA, b + j, ldb, c + j, ldc, column + j, tail, epi);
        }
        else
        {
            GemmMicroKernels.Call<TS, TV, MaskedColumns, TE>(rows, nv, blocks, k, a, rsA, csA, b + j, ldb, c + j, ldc, column + j, tail, epi);
        }
    }

    /// <summary>
    /// dst (N×K, row stride K) = the columns of a dense K×N matrix b (row stride N) for N = 2, 3 or 4, with AVX-512:
    /// sixteen rows at a time, their N·16 floats loaded as N vectors and split by two-source permutes (two for N = 2;
    /// for N = 3 two per column, the first from the first two vectors, the second filling the lanes that lie in the
    /// third; four and then four more for N = 4), the last K mod 16 rows float by float. Returns false, having written
    /// nothing, for any other N or without AVX-512. Float by float (<see cref="Transpose"/>) a 782 × 4 B took longer than
    /// the dot products that read it (6×782×4 on Zen 5), and masked 8×8 tiles were slower still (8 rows loaded, shuffled
    /// and stored for 2–4 floats each). Pure data movement: the copy is exact.
    /// </summary>
    [MethodImpl(KernelCompilation.Hot)]
    internal static bool TryDeinterleave(float* b, int k, int n, float* dst)
    {
        if (!KernelDispatch.Runs512 || n is not (2 or 3 or 4))
        {
            return false;
        }

        Deinterleave512(b, k, n, dst);
        return true;
    }

    /// <summary>
    /// <see cref="TryDeinterleave"/>'s work, for N = 2, 3 or 4 with AVX-512. A method of its own: its 512-bit locals
    /// in TryDeinterleave were compiled on CPUs without AVX-512 too, only to be dropped, and left checks of
    /// <c>Vector512&lt;float&gt;</c> and <c>Vector512&lt;int&gt;</c> that loaded both at its first call there (the
    /// x86-64-v3 image with AVX-512 off, sixty-ninth session).
    /// </summary>
    [MethodImpl(KernelCompilation.Hot)]
    private static void Deinterleave512(float* b, int k, int n, float* dst)
    {
        int p = 0;
        if (n == 3)
        {
            // Row r's column j is float 3r + j of the block: in v0 or v1 while below 32 (rows 0–10, 0–10, 0–9 for
            // j = 0, 1, 2), else float 3r + j − 32 of v2. Each column: the lanes from v0 and v1 (the others get a don't-care
            // index, 0), then the rest from v2.
            Vector512<int> from01Column0 = Vector512.Create(0, 3, 6, 9, 12, 15, 18, 21, 24, 27, 30, 0, 0, 0, 0, 0);
            Vector512<int> from01Column1 = Vector512.Create(1, 4, 7, 10, 13, 16, 19, 22, 25, 28, 31, 0, 0, 0, 0, 0);
            Vector512<int> from01Column2 = Vector512.Create(2, 5, 8, 11, 14, 17, 20, 23, 26, 29, 0, 0, 0, 0, 0, 0);
            Vector512<int> with2Column0 = Vector512.Create(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 17, 20, 23, 26, 29);
            Vector512<int> with2Column1 = Vector512.Create(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 18, 21, 24, 27, 30);
            Vector512<int> with2Column2 = Vector512.Create(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 16, 19, 22, 25, 28, 31);
            for (; p + 16 <= k; p += 16)
            {
                float* s = b + (3 * p);
                Vector512<float> v0 = Avx512F.LoadVector512(s), v1 = Avx512F.LoadVector512(s + 16), v2 = Avx512F.LoadVector512(s + 32);
                Avx512F.Store(dst + p, Avx512F.PermuteVar16x32x2(Avx512F.PermuteVar16x32x2(v0, from01Column0, v1), with2Column0, v2));
                Avx512F.Store(dst + k + p, Avx512F.PermuteVar16x32x2(Avx512F.PermuteVar16x32x2(v0, from01Column1, v1), with2Column1, v2));
                Avx512F.Store(dst + (2 * k) + p, Avx512F.PermuteVar16x32x2(Avx512F.PermuteVar16x32x2(v0, from01Column2, v1), with2Column2, v2));
            }
        }
        else if (n == 2)
        {
            Vector512<int> even = Vector512.Create(0, 2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22, 24, 26, 28, 30);
            Vector512<int> odd = even + Vector512<int>.One;
            for (; p + 16 <= k; p += 16)
            {
                Vector512<float> v0 = Avx512F.LoadVector512(b + (2 * p));
                Vector512<float> v1 = Avx512F.LoadVector512(b + (2 * p) + 16);
                Avx512F.Store(dst + p, Avx512F.PermuteVar16x32x2(v0, even, v1));
                Avx512F.Store(dst + k + p, Avx512F.PermuteVar16x32x2(v0, odd, v1));
            }
        }
        else
        {
            // Rows 0–7 of the block from v0 (rows 0–3) and v1 (rows 4–7), columns 0 and 1, then 2 and 3; rows 8–15 alike
            // from v2 and v3; then each column's two halves of eight.
            Vector512<int> pairs01 = Vector512.Create(0, 4, 8, 12, 16, 20, 24, 28, 1, 5, 9, 13, 17, 21, 25, 29);
            Vector512<int> pairs23 = pairs01 + Vector512.Create(2);
            Vector512<int> low = Vector512.Create(0, 1, 2, 3, 4, 5, 6, 7, 16, 17, 18, 19, 20, 21, 22, 23);
            Vector512<int> high = low + Vector512.Create(8);
            for (; p + 16 <= k; p += 16)
            {
                float* s = b + (4 * p);
                Vector512<float> v0 = Avx512F.LoadVector512(s), v1 = Avx512F.LoadVector512(s + 16), v2 = Avx512F.LoadVector512(s + 32), v3 = Avx512F.LoadVector512(s + 48);
                Vector512<float> u0 = Avx512F.PermuteVar16x32x2(v0, pairs01, v1), u1 = Avx512F.PermuteVar16x32x2(v0, pairs23, v1);
                Vector512<float> u2 = Avx512F.PermuteVar16x32x2(v2, pairs01, v3), u3 = Avx512F.PermuteVar16x32x2(v2, pairs23, v3);
                Avx512F.Store(dst + p, Avx512F.PermuteVar16x32x2(u0, low, u2));
                Avx512F.Store(dst + k + p, Avx512F.PermuteVar16x32x2(u0, high, u2));
                Avx512F.Store(dst + (2 * k) + p, Avx512F.PermuteVar16x32x2(u1, low, u3));
                Avx512F.Store(dst + (3 * k) + p, Avx512F.PermuteVar16x32x2(u1, high, u3));
            }
        }

        for (; p < k; p++)
        {
            for (int j = 0; j < n; j++)
            {
                dst[(j * k) + p] = b[(p * n) + j];
            }
        }
    }

    /// <summary>
    /// dst (K×N, dense: row stride N) = Bᵀ, or dst + Bᵀ when <paramref name="accumulate"/>, for B of N = 2, 3 or 4 rows
    /// (row stride <paramref name="ldb"/>), with AVX-512: the inverse of <see cref="TryDeinterleave"/>. Sixteen columns
    /// of B at a time, N vectors, become the N·16 floats of sixteen rows of dst by two-source permutes (two for N = 2;
    /// two per vector for N = 3, the first from rows 0 and 1, the second filling in row 2; four and four more for
    /// N = 4), the last K mod 16 columns float by float. A 16×16 tile spent a whole tile's loads, shuffles and masked
    /// stores on these two to four floats per row: in Aᵀ·B 128×64×2, whose transposed product ends in a 2×128 → 128×2
    /// copy, the tiles took a quarter of the time. Pure data movement, and dst + Bᵀ is the tiles' own sum.
    /// </summary>
    [MethodImpl(KernelCompilation.Hot)]
    internal static void Interleave(float* b, nint ldb, int k, int n, float* dst, bool accumulate)
    {
        Debug.Assert(n is 2 or 3 or 4, "Interleave copies two to four rows");
        float* b1 = b + ldb;
        float* b2 = b1 + ldb;
        float* b3 = b2 + ldb;
        int p = 0;
        if (n == 2)
        {
            Vector512<int> low = Vector512.Create(0, 16, 1, 17, 2, 18, 3, 19, 4, 20, 5, 21, 6, 22, 7, 23);
            Vector512<int> high = low + Vector512.Create(8);
            for (; p + 16 <= k; p += 16)
            {
                Vector512<float> v0 = Avx512F.LoadVector512(b + p), v1 = Avx512F.LoadVector512(b1 + p);
                float* d = dst + (2 * p);
                StoreInterleaved(d, Avx512F.PermuteVar16x32x2(v0, low, v1), accumulate);
                StoreInterleaved(d + 16, Avx512F.PermuteVar16x32x2(v0, high, v1), accumulate);
            }
        }
        else if (n == 3)
        {
            // Float l of output vector q is element e = 16q + l: column e / 3 of row e mod 3. The first permute takes rows
            // 0 and 1 (row 2's lanes get a don't-care index, 0), the second keeps those lanes and fills row 2's from v2.
            Vector512<int> rows01Vector0 = Vector512.Create(0, 16, 0, 1, 17, 0, 2, 18, 0, 3, 19, 0, 4, 20, 0, 5);
            Vector512<int> rows01Vector1 = Vector512.Create(21, 0, 6, 22, 0, 7, 23, 0, 8, 24, 0, 9, 25, 0, 10, 26);
            Vector512<int> rows01Vector2 = Vector512.Create(0, 11, 27, 0, 12, 28, 0, 13, 29, 0, 14, 30, 0, 15, 31, 0);
            Vector512<int> row2Vector0 = Vector512.Create(0, 1, 16, 3, 4, 17, 6, 7, 18, 9, 10, 19, 12, 13, 20, 15);
            Vector512<int> row2Vector1 = Vector512.Create(0, 21, 2, 3, 22, 5, 6, 23, 8, 9, 24, 11, 12, 25, 14, 15);
            Vector512<int> row2Vector2 = Vector512.Create(26, 1, 2, 27, 4, 5, 28, 7, 8, 29, 10, 11, 30, 13, 14, 31);
            for (; p + 16 <= k; p += 16)
            {
                Vector512<float> v0 = Avx512F.LoadVector512(b + p), v1 = Avx512F.LoadVector512(b1 + p), v2 = Avx512F.LoadVector512(b2 + p);
                float* d = dst + (3 * p);
                StoreInterleaved(d, Avx512F.PermuteVar16x32x2(Avx512F.PermuteVar16x32x2(v0, rows01Vector0, v1), row2Vector0, v2), accumulate);
                StoreInterleaved(d + 16, Avx512F.PermuteVar16x32x2(Avx512F.PermuteVar16x32x2(v0, rows01Vector1, v1), row2Vector1, v2), accumulate);
                StoreInterleaved(d + 32, Avx512F.PermuteVar16x32x2(Avx512F.PermuteVar16x32x2(v0, rows01Vector2, v1), row2Vector2, v2), accumulate);
            }
        }
        else
        {
            // Rows 0 and 1, and 2 and 3, interleaved in pairs (u: columns 0–7, w: 8–15), then the pairs of pairs.
            Vector512<int> low = Vector512.Create(0, 16, 1, 17, 2, 18, 3, 19, 4, 20, 5, 21, 6, 22, 7, 23);
            Vector512<int> high = low + Vector512.Create(8);
            Vector512<int> quadLow = Vector512.Create(0, 1, 16, 17, 2, 3, 18, 19, 4, 5, 20, 21, 6, 7, 22, 23);
            Vector512<int> quadHigh = quadLow + Vector512.Create(8);
            for (; p + 16 <= k; p += 16)
            {
                Vector512<float> v0 = Avx512F.LoadVector512(b + p), v1 = Avx512F.LoadVector512(b1 + p), v2 = Avx512F.LoadVector512(b2 + p), v3 = Avx512F.LoadVector512(b3 + p);
                Vector512<float> u01 = Avx512F.PermuteVar16x32x2(v0, low, v1), w01 = Avx512F.PermuteVar16x32x2(v0, high, v1);
                Vector512<float> u23 = Avx512F.PermuteVar16x32x2(v2, low, v3), w23 = Avx512F.PermuteVar16x32x2(v2, high, v3);
                float* d = dst + (4 * p);
                StoreInterleaved(d, Avx512F.PermuteVar16x32x2(u01, quadLow, u23), accumulate);
                StoreInterleaved(d + 16, Avx512F.PermuteVar16x32x2(u01, quadHigh, u23), accumulate);
                StoreInterleaved(d + 32, Avx512F.PermuteVar16x32x2(w01, quadLow, w23), accumulate);
                StoreInterleaved(d + 48, Avx512F.PermuteVar16x32x2(w01, quadHigh, w23), accumulate);
            }
        }

        for (; p < k; p++)
        {
            for (int j = 0; j < n; j++)
            {
                float value = b[(j * ldb) + p];
                dst[(p * n) + j] = accumulate ? dst[(p * n) + j] + value : value;
            }
        }
    }

    /// <summary>Stores 16 floats of <see cref="Interleave"/>'s output, or adds them to what dst holds.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void StoreInterleaved(float* d, Vector512<float> value, bool accumulate) =>
        Avx512F.Store(d, accumulate ? Avx512F.LoadVector512(d) + value : value);

    /// <summary>dst (K×N, row stride N) = Bᵀ for B N×K with row stride <paramref name="ldb"/>: in register tiles
    /// (<see cref="TransposeTiles"/>) when the dispatched vectors hold at least eight floats (<paramref name="lanes"/>)
    /// and the CPU has AVX, else float by float. All of them copy exactly, so the choice never changes a result.</summary>
    internal static void CopyTransposed(float* b, nint ldb, int k, int n, float* dst, int lanes)
    {
        if (lanes >= 8 && Avx.IsSupported)
        {
            TransposeTiles(b, ldb, k, n, dst, n, accumulate: false, lanes);
        }
        else
        {
            Transpose(b, 1, ldb, k, n, dst);
        }
    }

    /// <summary>dst (K×N, row stride <paramref name="ldd"/>) = Bᵀ, or dst + Bᵀ when <paramref name="accumulate"/>, for B
    /// stored N×K with row stride <paramref name="ldb"/>, in the widest register tiles the dispatched vectors allow:
    /// 16×16 (<see cref="TransposeBlocks16"/>) with 16 <paramref name="lanes"/> and AVX-512, else 8×8
    /// (<see cref="TransposeBlocks8"/>, which requires AVX). The 16×16 tiles take 2.1–2.7× less time on the weight
    /// shapes of a GAN step (128×15, 15×128), 1.3–2.7× less on the dot route's column copies (8–16 columns), and
    /// 1.2–2× less on every other shape measured, down to 1×128 and 12×12 (Zen 5, benchmarks/RESULTS.md, twenty-fifth
    /// session); both copy exactly. With AVX-512 a dense dst of 2–4 columns (ldd = N) takes no tiles:
    /// <see cref="Interleave"/> permutes B's few rows into dst's rows, also exactly.</summary>
    internal static void TransposeTiles(float* b, nint ldb, int k, int n, float* dst, nint ldd, bool accumulate, int lanes)
    {
        if (lanes >= 16 && Avx512F.IsSupported && n is (2 or 3 or 4) && ldd == n)
        {
            Interleave(b, ldb, k, n, dst, accumulate);
        }
        else if (lanes >= 16 && Avx512F.IsSupported)
        {
            TransposeBlocks16(b, ldb, k, n, dst, ldd, accumulate);
        }
        else
        {
            TransposeBlocks8(b, ldb, k, n, dst, ldd, accumulate);
        }
    }

    /// <summary>
    /// dst (K×N, row stride <paramref name="ldd"/>) = Bᵀ, or dst + Bᵀ when <paramref name="accumulate"/>, for B stored
    /// N×K with row stride <paramref name="ldb"/>, in 16×16 tiles transposed in AVX-512 registers (<see cref="Tile16"/>):
    /// sixteen row loads, 64 shuffles and sixteen row stores per 256 floats. Partial tiles at the edges load and store
    /// under masks, so nothing outside either matrix is read or written. Pure data movement: the result is exactly that
    /// of <see cref="Transpose"/>. With <paramref name="padded"/> (N ≤ 16, <paramref name="ldd"/> = 16, not accumulating)
    /// every row of dst is written whole, lanes N–15 as zeros: the padded op(B) of the direct loops (<see cref="PadsB"/>),
    /// with no zeroing pass before it. Requires AVX-512F.
    /// </summary>
    [MethodImpl(KernelCompilation.Hot)]
    internal static void TransposeBlocks16(float* b, nint ldb, int k, int n, float* dst, nint ldd, bool accumulate, bool padded = false)
    {
        Debug.Assert(!padded || (n <= 16 && ldd == 16 && !accumulate), "a padded dst is one whole vector per row, overwritten");
        Vector512<float> zero = Vector512<float>.Zero;

        // The whole tiles along K, stored (not accumulated), take a loop with no branch per row (WholeTiles); the last
        // K mod 16 columns, and every accumulating copy, the general one below.
        int wholeK = accumulate ? 0 : k & ~15;
        for (int j0 = 0; j0 < n; j0 += 16)
        {
            int rows = Math.Min(16, n - j0);
            float* src = b + (j0 * ldb);
            if (wholeK > 0)
            {
                if (rows == 16)
                {
                    WholeTiles(src, ldb, rows, wholeK, new StoredRows(dst + j0, ldd));
                }
                else if (padded)
                {
                    WholeTiles(src, ldb, rows, wholeK, new PaddedRows(dst + j0, ldd, rows));
                }
                else
                {
                    WholeTiles(src, ldb, rows, wholeK, new MaskedRows(dst + j0, ldd, rows));
                }
            }

            var sink = new TransposedRows(ldd, padded ? 16 : rows, accumulate);
            for (int p0 = wholeK; p0 < k; p0 += 16)
            {
                int columns = Math.Min(16, k - p0);
                bool whole = columns == 16;
                Vector512<float> loadMask = Vector512.LessThan(Vector512<int>.Indices, Vector512.Create(columns)).AsSingle();
                float* s = src + p0;
                sink.Start(dst + j0 + (p0 * ldd), columns);
                Tile16.Transpose(
                    Load16(s, loadMask, whole),
                    rows > 1 ? Load16(s + ldb, loadMask, whole) : zero,
                    rows > 2 ? Load16(s + (2 * ldb), loadMask, whole) : zero,
                    rows > 3 ? Load16(s + (3 * ldb), loadMask, whole) : zero,
                    rows > 4 ? Load16(s + (4 * ldb), loadMask, whole) : zero,
                    rows > 5 ? Load16(s + (5 * ldb), loadMask, whole) : zero,
                    rows > 6 ? Load16(s + (6 * ldb), loadMask, whole) : zero,
                    rows > 7 ? Load16(s + (7 * ldb), loadMask, whole) : zero,
                    rows > 8 ? Load16(s + (8 * ldb), loadMask, whole) : zero,
                    rows > 9 ? Load16(s + (9 * ldb), loadMask, whole) : zero,
                    rows > 10 ? Load16(s + (10 * ldb), loadMask, whole) : zero,
                    rows > 11 ? Load16(s + (11 * ldb), loadMask, whole) : zero,
                    rows > 12 ? Load16(s + (12 * ldb), loadMask, whole) : zero,
                    rows > 13 ? Load16(s + (13 * ldb), loadMask, whole) : zero,
                    rows > 14 ? Load16(s + (14 * ldb), loadMask, whole) : zero,
                    rows > 15 ? Load16(s + (15 * ldb), loadMask, whole) : zero,
                    ref sink);
            }
        }
    }

    /// <summary>
    /// The whole 16×16 tiles of <see cref="TransposeBlocks16"/> down <paramref name="k"/> (a multiple of 16) columns of
    /// <paramref name="rows"/> rows of B: sixteen plain loads, 64 shuffles and sixteen stores per tile, with no test per
    /// row. Rows past <paramref name="rows"/> load the last row again (memory inside B); the sink stores only the lanes
    /// of real rows, or zeroes the others.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void WholeTiles<TSink>(float* src, nint ldb, int rows, int k, TSink sink)
        where TSink : struct, ITileRows
    {
        // Row r of the tile is row min(r, rows − 1) of B. (A branch per row here cost as much as the shuffles.)
        nint last = rows - 1;
        nint o1 = Math.Min(1, last) * ldb, o2 = Math.Min(2, last) * ldb, o3 = Math.Min(3, last) * ldb;
        nint o4 = Math.Min(4, last) * ldb, o5 = Math.Min(5, last) * ldb, o6 = Math.Min(6, last) * ldb;
        nint o7 = Math.Min(7, last) * ldb, o8 = Math.Min(8, last) * ldb, o9 = Math.Min(9, last) * ldb;
        nint o10 = Math.Min(10, last) * ldb, o11 = Math.Min(11, last) * ldb, o12 = Math.Min(12, last) * ldb;
        nint o13 = Math.Min(13, last) * ldb, o14 = Math.Min(14, last) * ldb, o15 = Math.Min(15, last) * ldb;
        for (int p0 = 0; p0 < k; p0 += 16)
        {
            float* s = src + p0;
            sink.Start(p0);
            Tile16.Transpose(
                Avx512F.LoadVector512(s),
                Avx512F.LoadVector512(s + o1),
                Avx512F.LoadVector512(s + o2),
                Avx512F.LoadVector512(s + o3),
                Avx512F.LoadVector512(s + o4),
                Avx512F.LoadVector512(s + o5),
                Avx512F.LoadVector512(s + o6),
                Avx512F.LoadVector512(s + o7),
                Avx512F.LoadVector512(s + o8),
                Avx512F.LoadVector512(s + o9),
                Avx512F.LoadVector512(s + o10),
                Avx512F.LoadVector512(s + o11),
                Avx512F.LoadVector512(s + o12),
                Avx512F.LoadVector512(s + o13),
                Avx512F.LoadVector512(s + o14),
                Avx512F.LoadVector512(s + o15),
                ref sink);
        }
    }

    /// <summary>A sink of <see cref="WholeTiles{TSink}"/>: told where each tile starts (its first column of B,
    /// <c>p0</c>), it stores the tile's sixteen rows of dst.</summary>
    private interface ITileRows : Tile16.ISink
    {
        /// <summary>Points the sink at the tile of B's columns <paramref name="p0"/> … <paramref name="p0"/> + 15.</summary>
        void Start(int p0);
    }

    /// <summary>Sixteen real rows: each output is a whole row segment of dst.</summary>
    private struct StoredRows(float* dst, nint ldd) : ITileRows
    {
        private float* _first;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Start(int p0) => _first = dst + (p0 * ldd);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public readonly void Put(int index, Vector512<float> value) => Avx512F.Store(_first + (index * ldd), value);
    }

    /// <summary>Fewer real rows into a dst padded to one vector per row: the lanes of the repeated rows become zeros, and
    /// each row is stored whole.</summary>
    private struct PaddedRows(float* dst, nint ldd, int rows) : ITileRows
    {
        private readonly Vector512<float> _keep = Vector512.LessThan(Vector512<int>.Indices, Vector512.Create(rows)).AsSingle();
        private float* _first;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Start(int p0) => _first = dst + (p0 * ldd);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public readonly void Put(int index, Vector512<float> value) => Avx512F.Store(_first + (index * ldd), value & _keep);
    }

    /// <summary>Fewer real rows into a dst whose rows hold only them: each output is stored under a mask of its real
    /// lanes, so nothing past a row of dst is written.</summary>
    private struct MaskedRows(float* dst, nint ldd, int rows) : ITileRows
    {
        private readonly Vector512<float> _keep = Vector512.LessThan(Vector512<int>.Indices, Vector512.Create(rows)).AsSingle();
        private float* _first;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Start(int p0) => _first = dst + (p0 * ldd);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public readonly void Put(int index, Vector512<float> value) => Avx512F.MaskStore(_first + (index * ldd), _keep, value);
    }

    /// <summary>Sixteen floats, or the first lanes of <paramref name="mask"/> with zeros after them.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> Load16(float* s, Vector512<float> mask, bool whole) =>
        whole ? Avx512F.LoadVector512(s) : Avx512F.MaskLoad(s, mask, Vector512<float>.Zero);

    /// <summary><see cref="TransposeBlocks16"/>'s outputs: row p of a tile is row p0 + p of dst, its first <c>rows</c>
    /// lanes stored (or added to what is there), and only the tile's first <c>columns</c> rows exist.</summary>
    private struct TransposedRows : Tile16.ISink
    {
        private readonly nint _ldd;
        private readonly Vector512<float> _mask;
        private readonly bool _whole;
        private readonly bool _accumulate;
        private float* _first;
        private int _columns;

        public TransposedRows(nint ldd, int rows, bool accumulate)
        {
            _ldd = ldd;
            _mask = Vector512.LessThan(Vector512<int>.Indices, Vector512.Create(rows)).AsSingle();
            _whole = rows == 16;
            _accumulate = accumulate;
        }

        /// <summary>Points the sink at the tile whose first row of dst is <paramref name="first"/>, with
        /// <paramref name="columns"/> rows.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Start(float* first, int columns)
        {
            _first = first;
            _columns = columns;
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public readonly void Put(int index, Vector512<float> value)
        {
            if (index >= _columns)
            {
                return;
            }

            float* row = _first + (index * _ldd);
            if (_whole)
            {
                Avx512F.Store(row, _accumulate ? Avx512F.Add(Avx512F.LoadVector512(row), value) : value);
            }
            else
            {
                Avx512F.MaskStore(row, _mask, _accumulate ? Avx512F.Add(Avx512F.MaskLoad(row, _mask, Vector512<float>.Zero), value) : value);
            }
        }
    }

    /// <summary>
    /// dst (K×N, row stride <paramref name="ldd"/>) = op(B) = Bᵀ, or dst + Bᵀ when <paramref name="accumulate"/>, for B
    /// stored N×K with row stride <paramref name="ldb"/> (op(B)'s rows contiguous in B's columns), in 8×8 tiles
    /// transposed in AVX registers: eight row loads, 24 shuffles, eight row stores per 64 floats, where
    /// <see cref="Transpose"/> moves one float at a time. Partial tiles at the edges load and store under masks, so
    /// nothing outside either matrix is read or written; whole tiles use plain loads and stores. Pure data movement: the
    /// result is exactly that of <see cref="Transpose"/>.
    /// </summary>
    [MethodImpl(KernelCompilation.Hot)]
    internal static void TransposeBlocks8(float* b, nint ldb, int k, int n, float* dst, nint ldd, bool accumulate)
    {
        for (int j0 = 0; j0 < n; j0 += 8)
        {
            int rows = Math.Min(8, n - j0);
            bool wholeRows = rows == 8;
            Vector256<float> storeMask = Vector256.LessThan(Vector256<int>.Indices, Vector256.Create(rows)).AsSingle();
            float* src = b + (j0 * ldb);
            for (int p0 = 0; p0 < k; p0 += 8)
            {
                int columns = Math.Min(8, k - p0);
                bool wholeColumns = columns == 8;
                Vector256<float> loadMask = Vector256.LessThan(Vector256<int>.Indices, Vector256.Create(columns)).AsSingle();
                float* s0 = src + p0;
                Vector256<float> r0 = Load8(s0, loadMask, wholeColumns);
                Vector256<float> r1 = rows > 1 ? Load8(s0 + ldb, loadMask, wholeColumns) : Vector256<float>.Zero;
                Vector256<float> r2 = rows > 2 ? Load8(s0 + (2 * ldb), loadMask, wholeColumns) : Vector256<float>.Zero;
                Vector256<float> r3 = rows > 3 ? Load8(s0 + (3 * ldb), loadMask, wholeColumns) : Vector256<float>.Zero;
                Vector256<float> r4 = rows > 4 ? Load8(s0 + (4 * ldb), loadMask, wholeColumns) : Vector256<float>.Zero;
                Vector256<float> r5 = rows > 5 ? Load8(s0 + (5 * ldb), loadMask, wholeColumns) : Vector256<float>.Zero;
                Vector256<float> r6 = rows > 6 ? Load8(s0 + (6 * ldb), loadMask, wholeColumns) : Vector256<float>.Zero;
                Vector256<float> r7 = rows > 7 ? Load8(s0 + (7 * ldb), loadMask, wholeColumns) : Vector256<float>.Zero;

                Tile8 t = Tile8.Transpose(r0, r1, r2, r3, r4, r5, r6, r7);
                float* d = dst + ((nint)p0 * ldd) + j0;
                if (wholeColumns)
                {
                    // A full tile (all but the last of each row of tiles): straight-line stores, no per-column branch.
                    Store8(d, storeMask, t.C0, accumulate, wholeRows);
                    Store8(d + ldd, storeMask, t.C1, accumulate, wholeRows);
                    Store8(d + (2 * ldd), storeMask, t.C2, accumulate, wholeRows);
                    Store8(d + (3 * ldd), storeMask, t.C3, accumulate, wholeRows);
                    Store8(d + (4 * ldd), storeMask, t.C4, accumulate, wholeRows);
                    Store8(d + (5 * ldd), storeMask, t.C5, accumulate, wholeRows);
                    Store8(d + (6 * ldd), storeMask, t.C6, accumulate, wholeRows);
                    Store8(d + (7 * ldd), storeMask, t.C7, accumulate, wholeRows);
                    continue;
                }

                for (int c = 0; c < columns; c++)
                {
                    Store8(d + (c * ldd), storeMask, t.Column(c), accumulate, wholeRows);
                }
            }
        }
    }

    /// <summary>Eight floats, or the first lanes of <paramref name="mask"/> with zeros after them. The masked load is
    /// AVX-512's where the CPU has it; the masked store (<see cref="Store8"/>) is <see cref="Simd256.StoreMasked(float*, Vec256, Vec256)"/>, never
    /// AVX's <c>vmaskmovps</c>, whose store form costs several cycles each on AMD (a narrow product's transposition took a
    /// quarter of its time).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> Load8(float* s, Vector256<float> mask, bool whole) =>
        whole ? Avx.LoadVector256(s) : Avx512F.VL.IsSupported ? Avx512F.VL.MaskLoad(s, mask, Vector256<float>.Zero) : Avx.MaskLoad(s, mask);

    /// <summary>Stores a transposed row (all eight lanes when <paramref name="whole"/>, else under the edge mask), or adds
    /// it to what is there (C + acc, the accumulate epilogue's order).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store8(float* d, Vector256<float> mask, Vector256<float> value, bool accumulate, bool whole)
    {
        if (whole)
        {
            Avx.Store(d, accumulate ? Avx.Add(Avx.LoadVector256(d), value) : value);
        }
        else
        {
            Simd256.StoreMasked(d, accumulate ? Avx.Add(Load8(d, mask, whole: false), value) : value, mask);
        }
    }

    /// <summary>dst (K×N, row stride N) = op(B) read through its strides.</summary>
    [MethodImpl(KernelCompilation.Hot)]
    internal static void Transpose(float* b, nint rsB, nint csB, int k, int n, float* dst)
    {
        // Blocks of 8 columns of op(B) (rows of B): the reads walk 8 contiguous rows, the writes fill 8-float runs.
        int j = 0;
        for (; j + 8 <= n; j += 8)
        {
            float* src = b + (j * csB);
            for (int p = 0; p < k; p++)
            {
                float* s = src + (p * rsB);
                float* d = dst + (p * n) + j;
                d[0] = s[0];
                d[1] = s[csB];
                d[2] = s[csB * 2];
                d[3] = s[csB * 3];
                d[4] = s[csB * 4];
                d[5] = s[csB * 5];
                d[6] = s[csB * 6];
                d[7] = s[csB * 7];
            }
        }

        for (; j < n; j++)
        {
            float* src = b + (j * csB);
            for (int p = 0; p < k; p++)
            {
                dst[(p * n) + j] = src[p * rsB];
            }
        }
    }

    /// <summary>Packs a kc×nc block of op(B) into slivers of NR columns, each kc×NR row-major (the last may be narrower;
    /// its unused columns are never read, the kernels mask them).</summary>
    [MethodImpl(KernelCompilation.Hot)]
    internal static void PackB<TS, TV>(float* b, nint rsB, nint csB, int kc, int nc, int nr, float* dst)
        where TS : ISimd<TV>
        where TV : struct
    {
        if (csB == 1)
        {
            PackBRows<TS, TV>(b, rsB, kc, nc, nr, dst);
            return;
        }

        for (int j0 = 0; j0 < nc; j0 += nr)
        {
            int cols = Math.Min(nr, nc - j0);
            float* d = dst + (j0 * kc);
            if (rsB == 1 && nr == 8 && Vector128.IsHardwareAccelerated)
            {
                PackBTransposed<Tile4>(b + (j0 * csB), csB, cols, kc, nr, d);
            }
            else if (rsB == 1 && nr % 8 == 0 && Avx.IsSupported)
            {
                PackBTransposed<Tile8>(b + (j0 * csB), csB, cols, kc, nr, d);
            }
            else
            {
                for (int j = 0; j < cols; j++)
                {
                    float* s = b + ((j0 + j) * csB);
                    for (int p = 0; p < kc; p++)
                    {
                        d[(p * nr) + j] = s[p * rsB];
                    }
                }
            }
        }
    }

    /// <summary>The rows of op(B) <see cref="PackBRows{TS, TV}"/> takes together.</summary>
    private const int PackBGroup = 8;

    /// <summary>
    /// Packs a kc×nc block of a row-major op(B) <see cref="PackBGroup"/> rows at a time: the group's rows are read front
    /// to back side by side, and each sliver receives their NR-column pieces as one contiguous run of PackBGroup·NR
    /// floats (the last sliver's pieces may be narrower: whole vectors, then one masked).
    /// </summary>
    /// <remarks>
    /// Sliver by sliver over all of kc, the reads would step a whole row stride (a page or more in a large B) for every
    /// NR columns, a pattern the hardware prefetchers do not follow, so each line waited on L3 or memory in turn. One
    /// row at a time, as before, every piece went to another sliver, kc·NR floats apart: with kc·NR·4 bytes a multiple
    /// of the L1 way size, all of a row's pieces fell into the same few L1 sets. On Zen 4, 256-bit slivers (NR = 16):
    /// a 256×256 block in L2 packed in 9–12 µs row by row, 4.7–4.9 µs four rows at a time; 320×2048 from L3 in 124 µs
    /// row by row, 69 in fours, 63 in eights; 512×1024 in 101, 70 and 50. 512-bit slivers (NR = 48): 320×2048 89 → 61 µs,
    /// 512×1024 65 → 49, the L2 block unchanged. Pure data movement: the packed floats are the same.
    /// </remarks>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void PackBRows<TS, TV>(float* b, nint rsB, int kc, int nc, int nr, float* dst)
        where TS : ISimd<TV>
        where TV : struct
    {
        int w = TS.Count;
        int full = nc - (nc % nr);
        int tail = nc - full;
        int tailVectors = tail - (tail % w);
        int rest = tail - tailVectors;
        TV restMask = rest > 0 ? TS.CreateMask(rest) : default;
        for (int p0 = 0; p0 < kc; p0 += PackBGroup)
        {
            int p1 = Math.Min(p0 + PackBGroup, kc);
            for (int j0 = 0; j0 < full; j0 += nr)
            {
                float* s = b + (p0 * rsB) + j0;
                float* d = dst + (j0 * kc) + (p0 * nr);
                for (int p = p0; p < p1; p++)
                {
                    for (int v = 0; v < nr; v += w)
                    {
                        TS.Store(TS.Load(ref *(s + v), 0), ref *(d + v), 0);
                    }

                    s += rsB;
                    d += nr;
                }
            }

            // The last sliver's pieces: their whole vectors, then the rest masked.
            if (tail > 0)
            {
                float* s = b + (p0 * rsB) + full;
                float* d = dst + (full * kc) + (p0 * nr);
                for (int p = p0; p < p1; p++)
                {
                    for (int v = 0; v < tailVectors; v += w)
                    {
                        TS.Store(TS.Load(ref *(s + v), 0), ref *(d + v), 0);
                    }

                    if (rest > 0)
                    {
                        TS.StoreMasked(d + tailVectors, TS.LoadMasked(s + tailVectors, restMask), restMask);
                    }

                    s += rsB;
                    d += nr;
                }
            }
        }
    }

    /// <summary>Packs one kc×NR sliver of op(B) = Bᵀ (its <paramref name="cols"/> columns are rows of B, row stride
    /// <paramref name="ldb"/>, contiguous along k) in register tiles: for each W columns, W×W blocks are loaded as W rows
    /// of B (zeros past the last column) and transposed in registers, and each k's W columns are one vector store inside
    /// the sliver's row; the last kc mod W rows are copied float by float. <typeparamref name="TTile"/> is
    /// <see cref="Tile8"/> (W = 8, AVX) or <see cref="Tile4"/> (W = 4, any host: the 128-bit kernels' 8-column slivers,
    /// on Arm64 too). Before, every float was copied on its own: A·Bᵀ 256³ ran at 0.74 of OpenBLAS against A·B's 1.05.</summary>
    [MethodImpl(KernelCompilation.Hot)]
    private static void PackBTransposed<TTile>(float* b, nint ldb, int cols, int kc, int nr, float* d)
        where TTile : struct, ITransposingTile<TTile>
    {
        int w = TTile.Width;
        for (int j = 0; j < cols; j += w)
        {
            int live = Math.Min(w, cols - j);
            float* s = b + (j * ldb);
            float* dj = d + j;
            int p = 0;
            for (; p + w <= kc; p += w)
            {
                TTile.LoadTransposed(s + p, ldb, live).StoreColumns(dj + ((nint)p * nr), nr);
            }

            CopyTransposedTail(s, ldb, live, p, kc, dj, nr);
        }
    }

    /// <summary>The last steps [<paramref name="p0"/>, <paramref name="kc"/>) of a transposing pack, float by float:
    /// element p of each of <paramref name="rows"/> source rows (<paramref name="lds"/> floats apart) goes to lane r of
    /// the packed k-row p (<paramref name="stride"/> floats apart from <paramref name="d"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void CopyTransposedTail(float* s, nint lds, int rows, int p0, int kc, float* d, nint stride)
    {
        for (int p = p0; p < kc; p++)
        {
            float* q = d + (p * stride);
            for (int r = 0; r < rows; r++)
            {
                q[r] = s[(r * lds) + p];
            }
        }
    }

    /// <summary>Packs an mc×kc block of op(A) into slivers of MR rows, each stored k-major (MR values per k), so the
    /// micro-kernel reads A with rsA = 1, csA = MR. The unused rows of a last, shorter sliver are never read.</summary>
    [MethodImpl(KernelCompilation.Hot)]
    internal static void PackA(float* a, nint rsA, nint csA, int mc, int kc, int mr, float* dst)
    {
        // 4-row slivers (128-bit kernels on Arm64) in 128-bit vectors on any host; 6 and 8 rows with AVX; 6 rows without
        // AVX (x64's 128-bit kernels) in 128-bit vectors.
        bool quarter = mr == 4 && Vector128.IsHardwareAccelerated;
        bool vectors = Avx.IsSupported && mr <= 8;
        bool six = mr == 6 && !vectors && Vector128.IsHardwareAccelerated;
        if (rsA == 1 && (quarter || six))
        {
            PackAColumns128(a, csA, mc, kc, mr, dst);
            return;
        }

        if (rsA == 1 && vectors)
        {
            PackAColumns(a, csA, mc, kc, mr, dst);
            return;
        }

        for (int i0 = 0; i0 < mc; i0 += mr)
        {
            int rows = Math.Min(mr, mc - i0);
            float* d = dst + (i0 * kc);
            if (csA == 1 && quarter)
            {
                PackATransposed4(a + (i0 * rsA), rsA, rows, kc, d);
            }
            else if (csA == 1 && six)
            {
                PackATransposed6(a + (i0 * rsA), rsA, rows, kc, d);
            }
            else if (csA == 1 && vectors)
            {
                PackATransposed(a + (i0 * rsA), rsA, rows, kc, mr, d);
            }
            else
            {
                for (int r = 0; r < rows; r++)
                {
                    float* s = a + ((i0 + r) * rsA);
                    float* dr = d + r;
                    for (int p = 0; p < kc; p++)
                    {
                        dr[p * mr] = s[p * csA];
                    }
                }
            }
        }
    }

    /// <summary>
    /// Stores one packed column of a sliver (its <paramref name="mr"/> rows at one k, in the first lanes of
    /// <paramref name="column"/>) at <paramref name="d"/>, the sliver's offset <paramref name="offset"/>. A whole vector
    /// where it fits inside the sliver (<paramref name="length"/> floats): its lanes past MR land in the next k's slot,
    /// which the same sliver's store at the next k overwrites later, so an MR below 8 (6 at 256 bits; 4-row slivers have their own routines) costs
    /// one store per k, as 8 does. The last k's store is cut to MR lanes, so nothing past the sliver is touched.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void StorePackedColumn(float* d, Vector256<float> column, nint offset, nint length, int mr) =>
        Simd256.StorePrefix(d, column, offset + 8 <= length ? 8 : mr);

    /// <summary>The k-rows <see cref="PackAColumns"/> takes together: each sliver's piece of PackAGroup k-rows is
    /// written as one run of PackAGroup·MR floats (three 64-byte lines at MR = 6), read from PackAGroup rows side by side.</summary>
    private const int PackAGroup = 8;

    /// <summary>
    /// Packs an mc×kc block of op(A) = Aᵀ (stored kc × mc: at each k the block's rows lie side by side, k-rows
    /// <paramref name="csA"/> apart), <see cref="PackAGroup"/> k-rows at a time, so that a sliver's piece is written as
    /// one contiguous run while the group's k-rows are read front to back side by side. Sliver by sliver over all of kc,
    /// the reads stepped a k-row stride for every MR floats, a pattern the hardware prefetchers do not follow; one k-row
    /// at a time over all slivers, every store went to another sliver, kc·MR floats apart, and touched a line of its own.
    /// </summary>
    /// <remarks>
    /// A sliver's MR values at one k are one vector load. Four k at a time (<see cref="StorePackedQuad{TRows}"/>) the
    /// four loads come first and their 4·MR floats then go out as whole, non-overlapping vectors: at MR = 6 three
    /// stores of lanes joined by permutes and blends (AVX2), at MR = 8 four. One k at a time, a load and
    /// a store alternated, the store eight floats wide whatever MR (<see cref="StorePackedColumn"/>): on Zen 4 a 256×256
    /// Aᵀ packed in 20–35 µs at MR = 6 and 15–27 at MR = 8, against 6–7 and 5–7 in quads (the same block, in L2). The
    /// last k of a group that are not four, and the slivers whose eight floats would pass the k-row's end (loaded
    /// masked), still go one k at a time. Pure data movement: the packed floats are the same. (4-row slivers, and 6-row
    /// ones without AVX, take <see cref="PackAColumns128"/>.) Called, not inlined: one call per packed block, and inlined
    /// its 256-bit code was compiled into <see cref="PackA"/> on CPUs without AVX too, only to be dropped, leaving checks of
    /// the 256-bit vector types that loaded them at PackA's first call (the Arm64 image, sixty-ninth session).
    /// </remarks>
    [MethodImpl(KernelCompilation.Hot)]
    private static void PackAColumns(float* a, nint csA, int mc, int kc, int mr, float* dst)
    {
        if (mr == 8)
        {
            PackAColumns<SliverRows8>(a, csA, mc, kc, mr, dst);
        }
        else if (mr == 6 && Avx2.IsSupported)
        {
            PackAColumns<SliverRows6>(a, csA, mc, kc, mr, dst);
        }
        else
        {
            PackAColumns<SliverRowsOther>(a, csA, mc, kc, mr, dst);
        }
    }

    /// <summary><see cref="PackAColumns(float*, nint, int, int, int, float*)"/> for one MR: <typeparamref name="TRows"/>
    /// picks how four k are stored (<see cref="StorePackedQuad{TRows}"/>), or, as <see cref="SliverRowsOther"/>, that
    /// every k is stored alone.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void PackAColumns<TRows>(float* a, nint csA, int mc, int kc, int mr, float* dst)
        where TRows : struct
    {
        nint length = (nint)kc * mr;
        int slivers = (mc + mr - 1) / mr;
        int lastRows = mc - ((slivers - 1) * mr);
        Vector256<float> mask = Simd256.CreateMask(mr).V;
        Vector256<float> lastMask = Simd256.CreateMask(lastRows).V;
        // A piece whose eight floats all lie in the k-row (its start + 8 ≤ mc) is loaded whole: its lanes past MR are
        // the next sliver's rows, which land in the next k's slot and are overwritten there (or are dropped by a quad).
        int whole = mc >= 8 ? ((mc - 8) / mr) + 1 : 0;
        for (int p0 = 0; p0 < kc; p0 += PackAGroup)
        {
            int p1 = Math.Min(p0 + PackAGroup, kc);
            float* s0 = a + (p0 * csA);
            float* d0 = dst + ((nint)p0 * mr);
            for (int i = 0; i < slivers; i++)
            {
                float* s = s0 + (i * mr);
                float* d = d0 + (i * length);
                bool wholeLoad = i < whole;
                int p = p0;
                if (typeof(TRows) != typeof(SliverRowsOther) && wholeLoad)
                {
                    for (; p + 4 <= p1; p += 4)
                    {
                        Vector256<float> c0 = Avx.LoadVector256(s);
                        Vector256<float> c1 = Avx.LoadVector256(s + csA);
                        Vector256<float> c2 = Avx.LoadVector256(s + (2 * csA));
                        Vector256<float> c3 = Avx.LoadVector256(s + (3 * csA));
                        StorePackedQuad<TRows>(d, c0, c1, c2, c3);
                        s += 4 * csA;
                        d += 4 * mr;
                    }
                }

                Vector256<float> pieceMask = i < slivers - 1 ? mask : lastMask;
                for (; p < p1; p++)
                {
                    nint offset = (nint)p * mr;
                    StorePackedColumn(d, wholeLoad ? Avx.LoadVector256(s) : Avx.MaskLoad(s, pieceMask), offset, length, mr);
                    s += csA;
                    d += mr;
                }
            }
        }
    }

    /// <summary>
    /// Stores four consecutive packed columns of a sliver of <typeparamref name="TRows"/> rows (lanes [0, MR) of
    /// <paramref name="c0"/> to <paramref name="c3"/>, one k each) as the 4·MR contiguous floats they occupy, in whole
    /// vectors that do not overlap: MR = 8 as they are; MR = 6 as d[0, 8) = c0[0, 6) c1[0, 2), d[8, 16) = c1[2, 6) c2[0, 4), d[16, 24) = c2[4, 6) c3[0, 6), each piece moved
    /// into place by a permute and the pieces joined by a blend (AVX2).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void StorePackedQuad<TRows>(float* d, Vector256<float> c0, Vector256<float> c1, Vector256<float> c2, Vector256<float> c3)
        where TRows : struct
    {
        if (typeof(TRows) == typeof(SliverRows8))
        {
            Avx.Store(d, c0);
            Avx.Store(d + 8, c1);
            Avx.Store(d + 16, c2);
            Avx.Store(d + 24, c3);
        }
        else if (typeof(TRows) == typeof(SliverRows6))
        {
            Vector256<int> first = Vector256.Create(0, 0, 0, 0, 0, 0, 0, 1);
            Vector256<int> second = Vector256.Create(2, 3, 4, 5, 0, 1, 2, 3);
            Vector256<int> third = Vector256.Create(4, 5, 0, 1, 2, 3, 4, 5);
            Avx.Store(d, Avx.Blend(c0, Avx2.PermuteVar8x32(c1, first), 0b1100_0000));
            Avx.Store(d + 8, Avx.Blend(Avx2.PermuteVar8x32(c1, second), Avx2.PermuteVar8x32(c2, second), 0b1111_0000));
            Avx.Store(d + 16, Avx.Blend(Avx2.PermuteVar8x32(c2, third), Avx2.PermuteVar8x32(c3, third), 0b1111_1100));
        }
        else
        {
            throw new UnreachableException($"No four-k store for {typeof(TRows).Name}.");
        }
    }

    /// <summary>An A sliver of 8 rows (<see cref="PackAColumns{TRows}"/>).</summary>
    private struct SliverRows8;

    /// <summary>An A sliver of 6 rows, packed four k at a time with AVX2 permutes (<see cref="PackAColumns{TRows}"/>).</summary>
    private struct SliverRows6;

    /// <summary>Any other sliver (6 rows without AVX2): every k stored alone (<see cref="PackAColumns{TRows}"/>).</summary>
    private struct SliverRowsOther;

    /// <summary>
    /// <see cref="PackAColumns(float*, nint, int, int, int, float*)"/> for 4-row slivers, in 128-bit vectors on any host,
    /// and for 6-row slivers without AVX (x64's 128-bit kernels, <see cref="TileFor"/>): a sliver's values at one k are
    /// one 16-byte copy, and for six rows one 8-byte copy more, exactly its slot (a last, shorter sliver is copied float
    /// by float), <see cref="PackAGroup"/> k-rows at a time. Float by float, as <see cref="PackA"/> took a 6-row sliver
    /// without AVX before the fifty-fourth session, Aᵀ·B 256³–1024³ ran at 1.05–1.07 of OpenBLAS, in vectors 1.11–1.12.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void PackAColumns128(float* a, nint csA, int mc, int kc, int mr, float* dst)
    {
        nint length = (nint)kc * mr;
        int whole = mc / mr;
        int lastRows = mc - (whole * mr);
        for (int p0 = 0; p0 < kc; p0 += PackAGroup)
        {
            int p1 = Math.Min(p0 + PackAGroup, kc);
            float* s0 = a + (p0 * csA);
            float* d0 = dst + ((nint)p0 * mr);
            for (int i = 0; i < whole; i++)
            {
                float* s = s0 + (i * mr);
                float* d = d0 + (i * length);
                for (int p = p0; p < p1; p++)
                {
                    Vector128.LoadUnsafe(ref *s).StoreUnsafe(ref *d);
                    if (mr == 6)
                    {
                        *(ulong*)(d + 4) = *(ulong*)(s + 4);
                    }

                    s += csA;
                    d += mr;
                }
            }

            if (lastRows > 0)
            {
                float* s = s0 + (whole * mr);
                float* d = d0 + (whole * length);
                for (int p = p0; p < p1; p++)
                {
                    for (int r = 0; r < lastRows; r++)
                    {
                        d[r] = s[r];
                    }

                    s += csA;
                    d += mr;
                }
            }
        }
    }

    /// <summary>
    /// <see cref="PackATransposed"/> for 6-row slivers without AVX (x64's 128-bit kernels, <see cref="TileFor"/>): 4×4
    /// blocks transposed in registers (<see cref="Tile4"/>), rows 0–3 stored whole and rows 4–5 as the first two lanes of
    /// each column, so nothing is written outside a k's six slots; the last kc mod 4 columns float by float.
    /// </summary>
    [MethodImpl(KernelCompilation.Hot)]
    private static void PackATransposed6(float* a, nint lda, int rows, int kc, float* d)
    {
        const int mr = 6;
        int p = 0;
        for (; p + 4 <= kc; p += 4)
        {
            float* q = d + ((nint)p * mr);
            Tile4.LoadTransposed(a + p, lda, Math.Min(rows, 4)).StoreColumns(q, mr);
            if (rows > 4)
            {
                Tile4 bottom = Tile4.LoadTransposed(a + (4 * lda) + p, lda, rows - 4);
                *(ulong*)(q + 4) = bottom.C0.AsUInt64().ToScalar();
                *(ulong*)(q + mr + 4) = bottom.C1.AsUInt64().ToScalar();
                *(ulong*)(q + (2 * mr) + 4) = bottom.C2.AsUInt64().ToScalar();
                *(ulong*)(q + (3 * mr) + 4) = bottom.C3.AsUInt64().ToScalar();
            }
        }

        CopyTransposedTail(a, lda, rows, p, kc, d, mr);
    }

    /// <summary>
    /// <see cref="PackATransposed"/> for 4-row slivers on any host: 4×4 blocks transposed in 128-bit registers
    /// (<see cref="Tile4"/>; zeros for the rows past the last, never read), each block's four columns one contiguous run
    /// of 16 floats; the last kc mod 4 columns float by float.
    /// </summary>
    [MethodImpl(KernelCompilation.Hot)]
    private static void PackATransposed4(float* a, nint lda, int rows, int kc, float* d)
    {
        const int mr = 4;
        int p = 0;
        for (; p + 4 <= kc; p += 4)
        {
            Tile4.LoadTransposed(a + p, lda, rows).StoreColumns(d + ((nint)p * mr), mr);
        }

        CopyTransposedTail(a, lda, rows, p, kc, d, mr);
    }

    /// <summary>Packs <paramref name="rows"/> (1 to MR ≤ 8) row-major rows of A (row stride <paramref name="lda"/>)
    /// k-major, MR floats per k: 8×8 blocks are loaded as row vectors (zeros for the rows past the last) and transposed in
    /// registers (unpack, shuffle, 128-bit permute), then each k's column is one store (<see cref="StorePackedColumn"/>).
    /// The last kc mod 8 columns are copied float by float.</summary>
    [MethodImpl(KernelCompilation.Hot)]
    private static void PackATransposed(float* a, nint lda, int rows, int kc, int mr, float* d)
    {
        nint length = (nint)kc * mr;
        int p = 0;
        for (; p + 8 <= kc; p += 8)
        {
            Tile8 t = Tile8.LoadTransposed(a + p, lda, rows);
            nint offset = (nint)p * mr;
            if (offset + (7 * mr) + 8 <= length)
            {
                // All eight columns' whole-vector stores stay inside the sliver.
                t.StoreColumns(d + offset, mr);
            }
            else
            {
                for (int c = 0; c < 8; c++)
                {
                    nint at = offset + (c * mr);
                    StorePackedColumn(d + at, t.Column(c), at, length, mr);
                }
            }
        }

        CopyTransposedTail(a, lda, rows, p, kc, d, mr);
    }

    private static int RoundUp(int value, int multiple) => (value + multiple - 1) / multiple * multiple;

    /// <summary>A pinned thread-local buffer of at least <paramref name="length"/> floats, starting on a 64-byte line
    /// (<see cref="GemmStream.Aligned"/>); grows, never shrinks, so a steady state allocates nothing.</summary>
    private static float* Scratch(ref float[]? buffer, int length) => GemmStream.Aligned(ref buffer, length);

    /// <summary>Copies op(B) = Bᵀ into this thread's scratch as K rows of N contiguous floats, so the direct loops can
    /// load its rows as vectors, and points <paramref name="o"/> at the copy.</summary>
    private static void TransposeB(ref GemmOperands o, int lanes)
    {
        float* b = Scratch(ref t_transposed, o.K * o.N);
        if (o.RsB == 1)
        {
            CopyTransposed(o.B, o.CsB, o.K, o.N, b, lanes);
        }
        else
        {
            Transpose(o.B, o.RsB, o.CsB, o.K, o.N, b);
        }

        o.B = b;
        o.RsB = o.N;
        o.CsB = 1;
    }

    /// <summary>
    /// Whether the direct loops read op(B) from a copy padded to one whole vector per row: when C is narrower than one
    /// vector (2 ≤ N &lt; W; 15 in the GAN's G output and D input gradient), each k step's only load of B is its last,
    /// partial vector. Unpadded, that load is masked and, with rows of 60 bytes, split across two cache lines most of
    /// the time: 64×128×15 ran 20% slower than 64×128×16. On Zen 4 the mask is all of that cost: a 16-row loop over
    /// K = 128 took 2,240–2,290 ns with whole loads, aligned or split across lines, and 2,590–2,610 with masked ones
    /// (benchmarks/RESULTS.md, fifty-sixth session). The copy costs one vector store per row of op(B), so it is
    /// made only when enough rows of C (32) reuse it, and when the product runs on one thread; an A·B on a core that
    /// splits 512-bit vectors reads op(B) in place instead (<see cref="OverReadsB"/>). An op(B) = Bᵀ is copied
    /// anyway, and with AVX-512 (<paramref name="transposedIn16"/>) its 16×16 tiles write a padded copy for the same
    /// stores as a dense one, so it is padded at any M.
    /// </summary>
    private static bool PadsB(in GemmOperands o, int lanes, bool oneThread, bool transposedIn16 = false) =>
        o.N > 1 && o.N < lanes && (o.M >= 32 || transposedIn16) && oneThread;

    /// <summary>
    /// Whether the direct loops read a last, partial vector of op(B)'s rows whole, in place (<see cref="OverReadColumns"/>),
    /// rather than masked or from a padded copy (<see cref="PadsB"/>): with 512-bit vectors on a core that runs them as
    /// two 256-bit halves. There a masked load costs (a 16-row loop over K = 128 took 2,590–2,610 ns with masked loads of
    /// B against 2,240–2,290 with whole ones) and a load split across two cache lines does not (whole loads took the
    /// same aligned or split), so reading 15 of 16 lanes in place beats both the mask and the copy, whose stores cost
    /// about 0.1 µs per 128 rows (Zen 4: A·B 64×128×15 2.40 → 2.30 µs, 64×128×16 2.29; benchmarks/RESULTS.md,
    /// fifty-seventh session). A core with full-width 512-bit units splits a misaligned 64-byte load across two lines
    /// every time, and there the padded copy paid (Intel, ninth session: 64×128×15 1.08 → 1.34 of OpenBLAS), so it keeps
    /// it. The same FMA chains either way: C does not change.
    /// <paramref name="lanes"/>: the caller's <c>TS.Count</c> (16 for <see cref="Simd512"/>; see <see cref="LastColumnsAt256"/>).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool OverReadsB(int lanes) => lanes == 16 && s_splitsVector512;

    /// <summary>Zeroes <paramref name="rows"/> rows of one vector each (the padding lanes of a transposed op(B)).</summary>
    private static void ZeroRows<TS, TV>(float* d, int rows)
        where TS : ISimd<TV>
        where TV : struct
    {
        for (int p = 0; p < rows; p++)
        {
            TS.Store(default, ref *(d + (p * TS.Count)), 0);
        }
    }

    /// <summary>d (rows × one vector) = the first <paramref name="n"/> columns of each row of b, the other lanes zero.</summary>
    private static void PadRows<TS, TV>(float* b, nint ldb, int rows, int n, float* d)
        where TS : ISimd<TV>
        where TV : struct
    {
        TV mask = TS.CreateMask(n);
        for (int p = 0; p < rows; p++)
        {
            TS.Store(TS.LoadMasked(b + (p * ldb), mask), ref *(d + (p * TS.Count)), 0);
        }
    }

    /// <summary>
    /// <see cref="PadsToWholeVectors"/>'s copy: d (<paramref name="rows"/> rows, <paramref name="ldd"/> floats apart, a
    /// multiple of 4) = the first <paramref name="n"/> columns of each row of b, the lanes from n to the next whole
    /// 128-bit vector zero. A row's last, partial vector is loaded whole and its lanes past n cleared by a mask: those
    /// lanes lie in the gap before the next row or within the next row's n floats (the row stride is at least n, and
    /// n ≥ 2), so only the last row, which has no next row, takes the masked load, which on these CPUs tests and
    /// inserts lane by lane.
    /// </summary>
    private static void PadRowsToVector128(float* b, nint ldb, int rows, int n, nint ldd, float* d)
    {
        int whole = n & ~3;
        Vector128<float> keep = Vector128.LessThan(Vector128<int>.Indices, Vector128.Create(n - whole)).AsSingle();
        for (int p = 0; p < rows; p++)
        {
            float* from = b + (p * ldb);
            float* to = d + (p * ldd);
            for (int j = 0; j < whole; j += 4)
            {
                Vector128.LoadUnsafe(ref *(from + j)).StoreUnsafe(ref *(to + j));
            }

            Vector128<float> last = p < rows - 1 ? Vector128.LoadUnsafe(ref *(from + whole)) & keep : Simd128.LoadMasked(from + whole, keep);
            last.StoreUnsafe(ref *(to + whole));
        }
    }

    /// <summary>Restores the previous forced blocking when disposed.</summary>
    internal readonly struct BlockingScope(GemmBlocking? previous) : IDisposable
    {
        public void Dispose() => t_blocking = previous;
    }

    /// <summary>Restores the previous forced path when disposed.</summary>
    internal readonly struct PathScope(GemmPath previous) : IDisposable
    {
        public void Dispose() => t_path = previous;
    }

    /// <summary>Restores the previous forced splatting when disposed.</summary>
    internal readonly struct SplatScope(bool previous) : IDisposable
    {
        public void Dispose() => t_splat = previous;
    }

    /// <summary>Turns the small-product entry back on (or leaves it off, if it was) when disposed.</summary>
    internal readonly struct SmallEntryScope(bool previous) : IDisposable
    {
        public void Dispose() => t_smallEntryOff = previous;
    }
}
