using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace GanCore.Kernels;

/// <summary>
/// The streaming path for skinny products whose large operand has contiguous rows and whose other side is at most
/// <see cref="MaxRows"/> wide: the GAN's Xᵀ·dY weight gradients (5×1024×2048, 2048×1024×15, 2048×1024×1 and friends).
/// The large operand Y (K rows) is read once, in chunks of a few rows across a strip of S columns; the small operand
/// supplies one scalar per output row and k. The R × S accumulators live in a scratch block; the register micro-kernels
/// carry each tile of them through one chunk at a time, starting from the block and storing back into it
/// (<see cref="SeedFromCEpilogue"/>), so no operand is packed and no column walk strides down all of Y. Every element
/// is one FMA chain over k in order from zero, the chain the direct path runs, so this path gives the same bits.
/// </summary>
internal static unsafe class GemmStream
{
    /// <summary>The most output rows (the small side) the streaming path takes.</summary>
    public const int MaxRows = 16;

    /// <summary>Rows of C <see cref="ColumnsOfC"/> gathers from its accumulators before it stores them: 4 KB of
    /// MaxRows-float rows, in L1 with the accumulators they come from.</summary>
    private const int GatherRows = 64;

    /// <summary>The most rows of Y one chunk may take.</summary>
    public const int MaxChunkRows = 1024;

    [ThreadStatic]
    private static float[]? t_acc;

    [ThreadStatic]
    private static float[]? t_x;

    [ThreadStatic]
    private static float[]? t_splatX;

    [ThreadStatic]
    private static float[]? t_hiddenAcc;

    [ThreadStatic]
    private static float[]? t_hiddenChunk;

    [ThreadStatic]
    private static float[]? t_hiddenX;

    [ThreadStatic]
    private static float[]? t_secondAcc;

    [ThreadStatic]
    private static float[]? t_secondX;

    /// <summary>
    /// acc[r·stride + s] = Σ_p x[r·rsX + p·csX] · y[p·ldy + s] for r &lt; rows, s &lt; cols, where stride is cols
    /// rounded up to whole vectors. The lanes past cols in the last vector hold junk and are never read by the callers.
    /// </summary>
    /// <remarks>Y is taken <paramref name="chunkRows"/> rows at a time. The chunk's columns of X are first copied
    /// k-major into a small buffer (the layout of a packed A sliver). Then, tile by tile across the strip, the
    /// micro-kernels run over the chunk, one group of rows after another: each tile of accumulators is loaded from the
    /// block, meets the chunk's products in order p, p+1, … in registers and is stored back
    /// (<see cref="SeedFromCEpilogue"/>), so an element's chain runs on from one chunk to the next exactly as if K were
    /// one loop. The tile's rows of Y come from memory for the first group of rows and from L1 for the others.
    /// With <paramref name="sums"/>, one more accumulator row (row <paramref name="rows"/>) starts from sums[0..cols)
    /// and adds every row of Y in order p = 0, 1, …: its row of the copied X is all ones, and fma(1, y, s) rounds
    /// y + s exactly as the addition does, so these are <see cref="Elementwise.ColumnSums"/>' additions in its order,
    /// in the same pass over Y. With <paramref name="prefetchY"/> each strip of tiles first asks for the lines of the
    /// strip two ahead (<see cref="Tiles"/>).</remarks>
    [MethodImpl(KernelCompilation.Hot)]
    public static void Block<TS, TV>(int rows, int cols, int k, float* x, nint rsX, nint csX, float* y, nint ldy, float* acc, nint stride, int chunkRows, bool prefetchY, float* sums = null)
        where TS : ISimd<TV>
        where TV : struct
    {
        for (int r = 0; r < rows; r++)
        {
            new Span<float>(acc + (r * stride), (int)stride).Clear();
        }

        int all = rows;
        if (sums is not null)
        {
            float* sumRow = acc + (rows * stride);
            new Span<float>(sumRow, (int)stride).Clear();
            new ReadOnlySpan<float>(sums, cols).CopyTo(new Span<float>(sumRow, cols));
            all++;
        }

        (int mr, int nvMax) = GemmEngine.TileFor(TS.Count);
        if (all == 1 && TS.Count > 1)
        {
            // One row (Hᵀ·d, a layer with one output): up to eight independent chains per tile, as GemmEngine.Rows
            // gives a single row of C, instead of three that wait on the FMA latency.
            nvMax = Math.Max(nvMax, GemmEngine.SingleRowVectors);
        }

        int chunk = Math.Clamp(chunkRows, 1, MaxChunkRows);
        float* xc = XChunk(all * chunk);
        if (prefetchY)
        {
            GemmEngine.CountStreamPrefetch();
        }

        for (int p0 = 0; p0 < k; p0 += chunk)
        {
            int next = prefetchY ? Math.Clamp(k - p0 - chunk, 0, chunk) : 0;
            Accumulate<TS, TV>(rows, all, cols, Math.Min(chunk, k - p0), x + (p0 * csX), rsX, csX, y + (p0 * ldy), ldy, acc, stride, xc, mr, nvMax, prefetchY, next);
        }
    }

    /// <summary>
    /// One chunk of <see cref="Block"/>: acc[r·stride + s] += Σ_{p &lt; kc} x[r·rsX + p·csX] · y[p·ldy + s] for the
    /// <paramref name="all"/> accumulator rows (the last one the all-ones bias-sum row when all &gt; rows), each element's
    /// chain continuing from the value in the block. <paramref name="xc"/> takes the chunk's X, k-major.
    /// <paramref name="prefetchY"/> and <paramref name="nextRows"/> (the rows of Y in the chunk after this one, 0 for
    /// none): see <see cref="Tiles"/>.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static void Accumulate<TS, TV>(int rows, int all, int cols, int kc, float* x, nint rsX, nint csX, float* y, nint ldy, float* acc, nint stride, float* xc, int mr, int nvMax, bool prefetchY, int nextRows = 0)
        where TS : ISimd<TV>
        where TV : struct
    {
        if (typeof(TS) == typeof(Simd128) && GemmEngine.SplatsBroadcasts)
        {
            // Where the CPU loads broadcasts only a test gets here: through a door, so a precompiled image leaves the
            // splatted kernels out (GemmEngine.LoadsBroadcasts).
            if (GemmEngine.LoadsBroadcasts)
            {
                AccumulateSplattedForced(rows, all, cols, kc, x, rsX, csX, y, ldy, acc, stride, mr, nvMax, prefetchY, nextRows);
            }
            else
            {
                AccumulateSplatted<Simd128Splat>(rows, all, cols, kc, x, rsX, csX, y, ldy, acc, stride, mr, nvMax, prefetchY, nextRows);
            }

            return;
        }

        for (int p = 0; p < kc; p++)
        {
            float* from = x + (p * csX);
            float* to = xc + (p * all);
            for (int r = 0; r < rows; r++)
            {
                to[r] = from[r * rsX];
            }

            if (all > rows)
            {
                to[rows] = 1f;
            }
        }

        Tiles<TS, TV>(all, cols, kc, xc, 1, y, ldy, acc, stride, mr, nvMax, prefetchY, nextRows);
    }

    /// <summary>
    /// The chunk's tiles for <see cref="Accumulate"/> and <see cref="AccumulateSplatted{TS}"/>: strips of up to
    /// <paramref name="nvMax"/> vectors of the block's columns, each walked down all <paramref name="all"/> rows in groups
    /// of up to MR (<see cref="GemmEngine.RowGroup"/>), every tile seeded from and stored back to the accumulators. Row r
    /// of the chunk's copy of X starts <paramref name="slot"/>·r floats in (1 for plain floats, 4 for splatted ones), its
    /// rows at one k <paramref name="slot"/>·<paramref name="all"/> floats apart.
    /// </summary>
    /// <remarks>A strip's tile reads one to three 64-byte lines from each of the chunk's rows of Y, each row in a page of
    /// its own once Y's rows are 4 KB long: dozens of interleaved streams, more than a hardware prefetcher follows. From
    /// L3 the loads' latency hides behind the FMAs; from memory it does not. With <paramref name="prefetchY"/> (Y too
    /// large to stay in L3 from one pass to the next, <see cref="GemmBlocking.StreamPrefetchBytes"/>) each strip first
    /// asks for the lines of the strip two ahead, every row of the chunk, into L2 (<c>prefetcht1</c>: the rows share
    /// one L1d set when their stride is a multiple of 4 KB), and the chunk's last two strips ask for the first two of
    /// the next chunk's <paramref name="nextRows"/> rows (A·B 16×4096×1024 0.88 and 4×4096×1024 0.90 of the time at
    /// 512 bits against the strips of this chunk alone). A prefetch only moves data, so the bits do not change.</remarks>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Tiles<TS, TV>(int all, int cols, int kc, float* xc, int slot, float* y, nint ldy, float* acc, nint stride, int mr, int nvMax, bool prefetchY, int nextRows)
        where TS : ISimd<TV>
        where TV : struct
    {
        int w = TS.Count;
        int step = nvMax * w;
        bool prefetch = prefetchY && Sse.IsSupported;
        int ahead = PrefetchStrips * step;
        int wholeStrips = (cols + step - 1) / step * step;
        for (int j = 0; j < cols; j += step)
        {
            if (prefetch)
            {
                // The strip `ahead` columns on: in this chunk, or else, counted past this chunk's whole strips (j is a
                // multiple of step), one of the next chunk's first strips.
                int target = j + ahead;
                if (target < cols)
                {
                    PrefetchStrip(y + target, ldy, kc, Math.Min(step, cols - target));
                }
                else if (nextRows > 0 && target - wholeStrips < cols)
                {
                    PrefetchStrip(y + (kc * ldy) + (target - wholeStrips), ldy, nextRows, Math.Min(step, cols - (target - wholeStrips)));
                }
            }

            int rest = Math.Min(step, cols - j);
            int nv = (rest + w - 1) / w;
            int tail = rest - ((nv - 1) * w);
            int i = 0;
            while (i < all)
            {
                int group = GemmEngine.RowGroup(all - i, mr);
                float* a = xc + (slot * i);
                float* c = acc + (i * stride) + j;
                if (tail == w)
                {
                    GemmMicroKernels.Call<TS, TV, FullColumns, SeedFromCEpilogue>(group, nv, 1, kc, a, slot, slot * all, y + j, ldy, c, stride, 0, tail, default);
                }
                else
                {
                    GemmMicroKernels.Call<TS, TV, MaskedColumns, SeedFromCEpilogue>(group, nv, 1, kc, a, slot, slot * all, y + j, ldy, c, stride, 0, tail, default);
                }

                i += group;
            }
        }
    }

    /// <summary>How many strips ahead of the kernels <see cref="Tiles"/> prefetches Y: one measured about the same as two
    /// at 256 bits and 3–12% slower at 512 on most shapes, four no better (Zen 4, benchmarks/RESULTS.md, sixty-second
    /// session).</summary>
    private const int PrefetchStrips = 2;

    /// <summary>Asks for every 64-byte line of <paramref name="columns"/> floats from each of <paramref name="rows"/> rows
    /// of Y (<paramref name="ldy"/> floats apart), into L2.</summary>
    private static void PrefetchStrip(float* y, nint ldy, int rows, int columns)
    {
        for (int p = 0; p < rows; p++, y += ldy)
        {
            for (int q = 0; q < columns; q += 16)
            {
                Sse.Prefetch1(y + q);
            }
        }
    }

    /// <summary>
    /// <see cref="Accumulate"/> where a broadcast costs a shuffle (<see cref="GemmEngine.SplatsBroadcasts"/>): the
    /// chunk's X is copied with every element splatted to a whole vector, and the kernels read it by plain loads
    /// (<see cref="Simd128Splat"/>). Each tile carries its accumulators from the block through the chunk in order and
    /// back, as in <see cref="Accumulate"/>, so every chain is the same. Generic over the kernels' SIMD type (only ever
    /// <see cref="Simd128Splat"/>) so that crossgen2 compiles it only where something calls it: a non-generic method it
    /// compiles in every image, and with it the splatted kernels.
    /// </summary>
    private static void AccumulateSplatted<TS>(int rows, int all, int cols, int kc, float* x, nint rsX, nint csX, float* y, nint ldy, float* acc, nint stride, int mr, int nvMax, bool prefetchY, int nextRows)
        where TS : ISimd<Vec128>
    {
        float* xs = Aligned(ref t_splatX, all * kc * 4);
        GemmEngine.SplatA(x, rsX, csX, rows, kc, xs, all);
        if (all > rows)
        {
            for (int p = 0; p < kc; p++)
            {
                Vector128.Create(1f).StoreUnsafe(ref *(xs + (((p * all) + rows) * 4)));
            }
        }

        Tiles<TS, Vec128>(all, cols, kc, xs, 4, y, ldy, acc, stride, mr, nvMax, prefetchY, nextRows);
    }

    /// <summary><see cref="AccumulateSplatted{TS}"/> where only a test forces it (<see cref="KernelCompilation.UnderCap"/>).</summary>
    [MethodImpl(KernelCompilation.UnderCap)]
    private static void AccumulateSplattedForced(int rows, int all, int cols, int kc, float* x, nint rsX, nint csX, float* y, nint ldy, float* acc, nint stride, int mr, int nvMax, bool prefetchY, int nextRows) =>
        AccumulateSplatted<Simd128Splat>(rows, all, cols, kc, x, rsX, csX, y, ldy, acc, stride, mr, nvMax, prefetchY, nextRows);

    /// <summary>The strip width S for <paramref name="rows"/> accumulator rows: the R × S block takes
    /// <paramref name="blockBytes"/> (<see cref="GemmBlocking.StreamBytes"/>), in whole groups of 4 vectors.</summary>
    public static int StripColumns<TS, TV>(int rows, int blockBytes)
        where TS : ISimd<TV>
        where TV : struct
    {
        int unit = 4 * TS.Count;
        int s = blockBytes / (Math.Max(rows, 1) * sizeof(float)) / unit * unit;
        return Math.Clamp(s, unit, 4096);
    }

    /// <summary>
    /// C = epilogue(op(A)·op(B)) with M ≤ <see cref="MaxRows"/> and op(B) rows contiguous (CsB = 1): Y = op(B), one
    /// accumulator row per row of C, stored through the epilogue strip by strip.
    /// </summary>
    /// <remarks>With <paramref name="sums"/> (N floats), the column sums of op(B) are added into it in the same pass
    /// (see <see cref="Block"/>): a dense layer's bias gradient next to its weight gradient. op(B) is prefetched when the
    /// memory its rows span (K times its row stride) takes at least <paramref name="prefetchBytes"/>
    /// (<see cref="GemmBlocking.StreamPrefetchBytes"/>).</remarks>
    [MethodImpl(KernelCompilation.Hot)]
    public static void RowsOfC<TS, TV, TE>(in GemmOperands o, int stripColumns, int chunkRows, long prefetchBytes, TE epi, float* sums = null)
        where TS : ISimd<TV>
        where TV : struct
        where TE : struct, IGemmEpilogue
    {
        int w = TS.Count;
        nint stride = RoundUp(Math.Min(stripColumns, o.N), w);
        float* acc = Scratch((o.M + (sums is null ? 0 : 1)) * (int)stride);
        bool prefetch = sizeof(float) * (long)o.K * o.RsB >= prefetchBytes;
        for (int j0 = 0; j0 < o.N; j0 += stripColumns)
        {
            int cols = Math.Min(stripColumns, o.N - j0);
            Block<TS, TV>(o.M, cols, o.K, o.A, o.RsA, o.CsA, o.B + j0, o.RsB, acc, stride, chunkRows, prefetch, sums is null ? null : sums + j0);
            if (sums is not null)
            {
                new ReadOnlySpan<float>(acc + (o.M * stride), cols).CopyTo(new Span<float>(sums + j0, cols));
            }

            Store<TS, TV, TE>(o.M, cols, acc, stride, o.C + j0, o.Ldc, o.Column0 + j0, epi);
        }
    }

    /// <summary>C[i, j] = epilogue(acc[i·stride + j]) for the first <paramref name="rows"/> × <paramref name="cols"/>
    /// accumulators, <paramref name="column0"/> being C's first column in the whole product (for bias epilogues).</summary>
    private static void Store<TS, TV, TE>(int rows, int cols, float* acc, nint stride, float* c, nint ldc, nint column0, TE epi)
        where TS : ISimd<TV>
        where TV : struct
        where TE : struct, IGemmEpilogue
    {
        int w = TS.Count;
        int full = cols / w * w;
        TV mask = cols > full ? TS.CreateMask(cols - full) : default;
        for (int i = 0; i < rows; i++)
        {
            float* ar = acc + (i * stride);
            float* ci = c + (i * ldc);
            int j = 0;
            for (; j < full; j += w)
            {
                GemmStore.Put<TS, TV, FullColumns, TE>(epi, TS.Load(ref *(ar + j), 0), ci + j, column0 + j, mask);
            }

            if (full < cols)
            {
                GemmStore.Put<TS, TV, MaskedColumns, TE>(epi, TS.Load(ref *(ar + full), 0), ci + full, column0 + full, mask);
            }
        }
    }

    /// <summary>
    /// C = epilogue(op(A)·op(B)) with N ≤ <see cref="MaxRows"/> and op(A) = Aᵀ (RsA = 1, A's rows contiguous): computes
    /// Cᵀ = op(B)ᵀ·op(A)ᵀ with Y = A, one accumulator row per column of C, then gathers each strip's rows of C and stores them. A is
    /// prefetched when the memory its rows span (K times its row stride) takes at least <paramref name="prefetchBytes"/>
    /// (<see cref="GemmBlocking.StreamPrefetchBytes"/>).
    /// </summary>
    [MethodImpl(KernelCompilation.Hot)]
    public static void ColumnsOfC<TS, TV, TE>(in GemmOperands o, int stripColumns, int chunkRows, long prefetchBytes, TE epi)
        where TS : ISimd<TV>
        where TV : struct
        where TE : struct, IGemmEpilogue
    {
        int w = TS.Count;
        nint stride = RoundUp(Math.Min(stripColumns, o.M), w);
        float* acc = Scratch(o.N * (int)stride);
        bool prefetch = sizeof(float) * (long)o.K * o.CsA >= prefetchBytes;

        // Rows of C gathered from the accumulators' columns, GatherRows at a time, then stored by whole vectors and a
        // masked tail as the other routes store (N ≤ MaxRows, a whole number of vectors at every width); lanes past N
        // stay zero. Until the seventy-first session each element went through the scalar store, which crossgen2 could
        // not compile; a row loaded as a vector straight after its scalar stores would wait for them, so a block of rows
        // is gathered before any is stored.
        float* rows = stackalloc float[GatherRows * MaxRows];
        new Span<float>(rows, GatherRows * MaxRows).Clear();
        for (int i0 = 0; i0 < o.M; i0 += stripColumns)
        {
            int rowsOfC = Math.Min(stripColumns, o.M - i0);

            // x_j(p) = op(B)[p, j] = B[p·RsB + j·CsB]; y_p = row p of A (op(A)ᵀ), from column i0.
            Block<TS, TV>(o.N, rowsOfC, o.K, o.B, o.CsB, o.RsB, o.A + i0, o.CsA, acc, stride, chunkRows, prefetch);
            for (int g0 = 0; g0 < rowsOfC; g0 += GatherRows)
            {
                int gathered = Math.Min(GatherRows, rowsOfC - g0);
                for (int i = 0; i < gathered; i++)
                {
                    float* ri = rows + (i * MaxRows);
                    float* ai = acc + g0 + i;
                    for (int j = 0; j < o.N; j++)
                    {
                        ri[j] = ai[j * stride];
                    }
                }

                Store<TS, TV, TE>(gathered, o.N, rows, MaxRows, o.C + ((i0 + g0) * o.Ldc), o.Ldc, o.Column0, epi);
            }
        }
    }

    /// <summary>
    /// The parameter gradients of a dense layer whose output goes through an activation f into a second dense layer,
    /// with the gradient G = f'(H) ⊙ (dY·W2ᵀ) reaching the first layer never stored whole: dW1 += Xᵀ·G and
    /// db1 += Σ_p G[p, ·]. The batch is taken <paramref name="chunkRows"/> rows at a time. A chunk of G is made by the
    /// fused activation-gradient product (<c>GemmEngine.RunActivationGradient</c>) into a buffer that stays in
    /// cache, and at once meets the chunk's rows of X through <see cref="Accumulate"/>, whose block of I + 1 accumulator
    /// rows (I = X's columns, one more for the bias sums) spans all of the hidden width and carries every chain from
    /// chunk to chunk. Each element of G is the product's value (its rows do not depend on each other), and each chain
    /// runs over p in order from zero as the direct path's does, then meets dW1 in the accumulate epilogue's C + acc;
    /// the bias row is <see cref="Elementwise.ColumnSums"/>' additions. So the results are bitwise those of the product
    /// into G followed by <see cref="Gemm.WeightAndBiasGradients"/>.
    /// </summary>
    /// <param name="batch">The rows of X, dY and H.</param>
    /// <param name="inputs">I, X's columns: dW1's rows (at most <see cref="MaxRows"/>).</param>
    /// <param name="hidden">H's columns: dW1's columns, db1's length and W2's rows.</param>
    /// <param name="outputs">dY's columns: W2's columns.</param>
    /// <param name="x">X, batch × I with row stride <paramref name="ldx"/>.</param>
    /// <param name="ldx">X's row stride.</param>
    /// <param name="dy">dY, batch × O with row stride <paramref name="lddy"/>.</param>
    /// <param name="lddy">dY's row stride.</param>
    /// <param name="w2">W2, hidden × O with row stride <paramref name="ldw2"/>.</param>
    /// <param name="ldw2">W2's row stride.</param>
    /// <param name="h">H = f(·), the activation's output, batch × hidden, contiguous.</param>
    /// <param name="dw">dW1, I × hidden with row stride <paramref name="lddw"/>, accumulated into.</param>
    /// <param name="lddw">dW1's row stride.</param>
    /// <param name="db">db1, hidden floats, accumulated into.</param>
    /// <param name="dw2">The second layer's dW2 += Hᵀ·dY, hidden × O with row stride <paramref name="lddw2"/>, accumulated
    /// in the same pass over H (O ≤ <see cref="MaxRows"/>), or null to leave it to the caller.</param>
    /// <param name="lddw2">dW2's row stride.</param>
    /// <param name="activation">f.</param>
    /// <param name="slope">f's negative-side slope when it is leaky.</param>
    /// <param name="width">The vector width of <typeparamref name="TS"/>, for the product that makes G.</param>
    /// <param name="chunkRows">Rows of the batch per chunk.</param>
    [MethodImpl(KernelCompilation.Hot)]
    public static void HiddenLayer<TS, TV>(int batch, int inputs, int hidden, int outputs, float* x, nint ldx, float* dy, nint lddy, float* w2, nint ldw2, float* h, float* dw, nint lddw, float* db, float* dw2, nint lddw2, Activation activation, float slope, VectorWidth width, int chunkRows)
        where TS : ISimd<TV>
        where TV : struct
    {
        int w = TS.Count;
        nint stride = RoundUp(hidden, w);
        int all = inputs + 1;
        float* acc = Aligned(ref t_hiddenAcc, all * (int)stride);
        new Span<float>(acc, all * (int)stride).Clear();
        new ReadOnlySpan<float>(db, hidden).CopyTo(new Span<float>(acc + (inputs * stride), hidden));

        int chunk = Math.Clamp(chunkRows, 1, Math.Min(MaxChunkRows, batch));
        float* g = Aligned(ref t_hiddenChunk, chunk * hidden);
        float* xc = Aligned(ref t_hiddenX, all * chunk);
        ReadOnlySpan<float> weights = GemmEngine.SecondWeights(w2, (int)ldw2, hidden, outputs, width, out bool transposeB, out int ldb);
        (int mr, int nvMax) = GemmEngine.TileFor(TS.Count);

        // dW2 = Hᵀ·dY as the streaming path's Cᵀ block: O accumulator rows over H's columns, while the chunk of H is in cache.
        float* acc2 = null;
        float* xc2 = null;
        int nvMax2 = outputs == 1 && TS.Count > 1 ? Math.Max(nvMax, GemmEngine.SingleRowVectors) : nvMax;
        if (dw2 is not null)
        {
            acc2 = Aligned(ref t_secondAcc, outputs * (int)stride);
            new Span<float>(acc2, outputs * (int)stride).Clear();
            xc2 = Aligned(ref t_secondX, outputs * chunk);
        }

        for (int p0 = 0; p0 < batch; p0 += chunk)
        {
            int kc = Math.Min(chunk, batch - p0);
            if (dw2 is not null)
            {
                // H is not prefetched past GemmBlocking.StreamPrefetchBytes: with it the GAN step at h = 2048, batch 2048
                // and h = 1024, batch 4096 (H of 16 MB) ran the same (Zen 4, benchmarks/RESULTS.md, sixty-second session).
                Accumulate<TS, TV>(outputs, outputs, hidden, kc, dy + (p0 * lddy), 1, lddy, h + ((nint)p0 * hidden), hidden, acc2, stride, xc2, mr, nvMax2, prefetchY: false);
            }

            GemmEngine.RunActivationGradient(
                kc,
                hidden,
                outputs,
                new ReadOnlySpan<float>(dy + (p0 * lddy), (int)(((kc - 1) * lddy) + outputs)),
                (int)lddy,
                weights,
                ldb,
                transposeB,
                new Span<float>(g, kc * hidden),
                hidden,
                new ReadOnlySpan<float>(h + ((nint)p0 * hidden), kc * hidden),
                activation,
                slope,
                width,
                threads: 1);
            Accumulate<TS, TV>(inputs, all, hidden, kc, x + (p0 * ldx), 1, ldx, g, hidden, acc, stride, xc, mr, nvMax, prefetchY: false);
        }

        Store<TS, TV, AccumulateEpilogue>(inputs, hidden, acc, stride, dw, lddw, 0, default);
        new ReadOnlySpan<float>(acc + (inputs * stride), hidden).CopyTo(new Span<float>(db, hidden));
        if (dw2 is not null)
        {
            // dW2[i, r] += acc2[r, i]: the accumulate epilogue's C + acc, through the transposing register tiles where there
            // are some (for a dense dW2 of 2–4 columns with AVX-512, GemmEngine.Interleave's permutes).
            if (outputs == 1 && lddw2 == 1)
            {
                Store<TS, TV, AccumulateEpilogue>(1, hidden, acc2, stride, dw2, hidden, 0, default);
            }
            else if (Avx.IsSupported)
            {
                GemmEngine.TransposeTiles(acc2, stride, hidden, outputs, dw2, lddw2, accumulate: true, TS.Count);
            }
            else
            {
                for (int i = 0; i < hidden; i++)
                {
                    for (int r = 0; r < outputs; r++)
                    {
                        dw2[(i * lddw2) + r] += acc2[(r * stride) + i];
                    }
                }
            }
        }
    }

    private static float* XChunk(int length)
    {
        if (t_x is null || t_x.Length < length)
        {
            t_x = GC.AllocateArray<float>(Math.Max(length, 256), pinned: true);
        }

        return (float*)Unsafe.AsPointer(ref t_x[0]);
    }

    private static int RoundUp(int value, int multiple) => (value + multiple - 1) / multiple * multiple;

    private static float* Scratch(int length) => Aligned(ref t_acc, length);

    /// <summary>A thread's pinned buffer of at least <paramref name="length"/> floats, grown when short, at a 64-byte
    /// boundary: every vector a micro-kernel loads or stores from it (an accumulator, a packed sliver) is then one cache
    /// line, not two.</summary>
    /// <remarks>
    /// <c>GC.AllocateArray&lt;float&gt;</c>, as <see cref="Tensors.Matrix"/> allocates, rather than
    /// <c>AllocateUninitializedArray</c>: neither generic instantiation is in a precompiled image, and the matrices a model
    /// is built from have compiled this one before a step needs scratch, so the first step does not wait for the JIT
    /// (0.3–0.5 ms of step 1 on Zen 5). Zeroing a grow-only buffer costs nothing in a steady state.
    /// </remarks>
    internal static float* Aligned(ref float[]? buffer, int length)
    {
        if (buffer is null || buffer.Length < length + 16)
        {
            buffer = GC.AllocateArray<float>(Math.Max(length + 16, 1024), pinned: true);
        }

        nint address = (nint)Unsafe.AsPointer(ref buffer[0]);
        return (float*)((address + 63) & ~(nint)63);
    }
}
