using System.Runtime.CompilerServices;
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

    /// <summary>The most rows of Y one chunk may take.</summary>
    public const int MaxChunkRows = 1024;

    [ThreadStatic]
    private static float[]? t_acc;

    [ThreadStatic]
    private static float[]? t_x;

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
    /// in the same pass over Y.</remarks>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Block<TS, TV>(int rows, int cols, int k, float* x, nint rsX, nint csX, float* y, nint ldy, float* acc, nint stride, int chunkRows, float* sums = null)
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

        (int mr, int nvMax) = GemmEngine.TileFor<TS, TV>();
        if (all == 1 && TS.Count > 1)
        {
            // One row (Hᵀ·d, a layer with one output): up to eight independent chains per tile, as GemmEngine.Rows
            // gives a single row of C, instead of three that wait on the FMA latency.
            nvMax = Math.Max(nvMax, GemmEngine.SingleRowVectors);
        }

        int w = TS.Count;
        int step = nvMax * w;
        int chunk = Math.Clamp(chunkRows, 1, MaxChunkRows);
        float* xc = XChunk(all * chunk);
        for (int p0 = 0; p0 < k; p0 += chunk)
        {
            int kc = Math.Min(chunk, k - p0);
            for (int p = 0; p < kc; p++)
            {
                float* from = x + ((p0 + p) * csX);
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

            float* yc = y + (p0 * ldy);
            for (int j = 0; j < cols; j += step)
            {
                int rest = Math.Min(step, cols - j);
                int nv = (rest + w - 1) / w;
                int tail = rest - ((nv - 1) * w);
                TV mask = tail == w ? default : TS.CreateMask(tail);
                int i = 0;
                while (i < all)
                {
                    int group = GemmEngine.RowGroup(all - i, mr);
                    float* a = xc + i;
                    float* c = acc + (i * stride) + j;
                    if (tail == w)
                    {
                        GemmMicroKernels.Call<TS, TV, FullColumns, SeedFromCEpilogue>(group, nv, kc, a, 1, all, yc + j, ldy, c, stride, 0, mask, default);
                    }
                    else
                    {
                        GemmMicroKernels.Call<TS, TV, MaskedColumns, SeedFromCEpilogue>(group, nv, kc, a, 1, all, yc + j, ldy, c, stride, 0, mask, default);
                    }

                    i += group;
                }
            }
        }
    }

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
    /// (see <see cref="Block"/>): a dense layer's bias gradient next to its weight gradient.</remarks>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void RowsOfC<TS, TV, TE>(in GemmOperands o, int stripColumns, int chunkRows, TE epi, float* sums = null)
        where TS : ISimd<TV>
        where TV : struct
        where TE : struct, IGemmEpilogue
    {
        int w = TS.Count;
        nint stride = RoundUp(Math.Min(stripColumns, o.N), w);
        float* acc = Scratch((o.M + (sums is null ? 0 : 1)) * (int)stride);
        for (int j0 = 0; j0 < o.N; j0 += stripColumns)
        {
            int cols = Math.Min(stripColumns, o.N - j0);
            Block<TS, TV>(o.M, cols, o.K, o.A, o.RsA, o.CsA, o.B + j0, o.RsB, acc, stride, chunkRows, sums is null ? null : sums + j0);
            if (sums is not null)
            {
                new ReadOnlySpan<float>(acc + (o.M * stride), cols).CopyTo(new Span<float>(sums + j0, cols));
            }

            int full = cols / w * w;
            TV mask = cols > full ? TS.CreateMask(cols - full) : default;
            for (int i = 0; i < o.M; i++)
            {
                float* ar = acc + (i * stride);
                float* ci = o.C + (i * o.Ldc) + j0;
                nint column = o.Column0 + j0;
                int j = 0;
                for (; j < full; j += w)
                {
                    GemmStore.Put<TS, TV, FullColumns, TE>(epi, TS.Load(ref *(ar + j), 0), ci + j, column + j, mask);
                }

                if (full < cols)
                {
                    GemmStore.Put<TS, TV, MaskedColumns, TE>(epi, TS.Load(ref *(ar + full), 0), ci + full, column + full, mask);
                }
            }
        }
    }

    /// <summary>
    /// C = epilogue(op(A)·op(B)) with N ≤ <see cref="MaxRows"/> and op(A) = Aᵀ (RsA = 1, A's rows contiguous): computes
    /// Cᵀ = op(B)ᵀ·op(A)ᵀ with Y = A, one accumulator row per column of C, then writes C element by element.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void ColumnsOfC<TS, TV, TE>(in GemmOperands o, int stripColumns, int chunkRows, TE epi)
        where TS : ISimd<TV>
        where TV : struct
        where TE : struct, IGemmEpilogue
    {
        int w = TS.Count;
        nint stride = RoundUp(Math.Min(stripColumns, o.M), w);
        float* acc = Scratch(o.N * (int)stride);
        for (int i0 = 0; i0 < o.M; i0 += stripColumns)
        {
            int rowsOfC = Math.Min(stripColumns, o.M - i0);

            // x_j(p) = op(B)[p, j] = B[p·RsB + j·CsB]; y_p = row p of A (op(A)ᵀ), from column i0.
            Block<TS, TV>(o.N, rowsOfC, o.K, o.B, o.CsB, o.RsB, o.A + i0, o.CsA, acc, stride, chunkRows);
            for (int i = 0; i < rowsOfC; i++)
            {
                float* ci = o.C + ((i0 + i) * o.Ldc);
                for (int j = 0; j < o.N; j++)
                {
                    GemmStore.Put<SimdScalar, float, FullColumns, TE>(epi, acc[(j * stride) + i], ci + j, o.Column0 + j, 0f);
                }
            }
        }
    }

    private static float* XChunk(int length)
    {
        if (t_x is null || t_x.Length < length)
        {
            t_x = GC.AllocateUninitializedArray<float>(Math.Max(length, 256), pinned: true);
        }

        return (float*)Unsafe.AsPointer(ref t_x[0]);
    }

    private static int RoundUp(int value, int multiple) => (value + multiple - 1) / multiple * multiple;

    private static float* Scratch(int length)
    {
        if (t_acc is null || t_acc.Length < length + 16)
        {
            t_acc = GC.AllocateUninitializedArray<float>(Math.Max(length + 16, 1024), pinned: true);
        }

        // 64-byte aligned: every accumulator vector a micro-kernel loads or stores is then one cache line, not two.
        nint address = (nint)Unsafe.AsPointer(ref t_acc[0]);
        return (float*)((address + 63) & ~(nint)63);
    }
}
