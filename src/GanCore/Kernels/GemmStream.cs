using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics.X86;

namespace GanCore.Kernels;

/// <summary>
/// The streaming path for skinny products whose large operand has contiguous rows and whose other side is at most
/// <see cref="MaxRows"/> wide: the GAN's Xᵀ·dY weight gradients (5×1024×2048, 2048×1024×15, 2048×1024×1 and friends).
/// The large operand Y (K rows) is read once, row by row, in strips of S columns; the small operand supplies one scalar
/// per output row and k. The R × S accumulators live in an L1-sized scratch block, so no operand is packed and no
/// column walk strides down Y. Every element is one FMA chain over k in order from zero — the same chain the
/// register micro-kernels run — so this path gives the same bits as the direct path.
/// </summary>
internal static unsafe class GemmStream
{
    /// <summary>The most output rows (the small side) the streaming path takes.</summary>
    public const int MaxRows = 16;

    [ThreadStatic]
    private static float[]? t_acc;

    /// <summary>
    /// acc[r·stride + s] = Σ_p x[r·rsX + p·csX] · y[p·ldy + s] for r &lt; rows, s &lt; cols, where stride = cols rounded up
    /// to whole vectors. The lanes past cols in the last vector hold junk and are never read by the callers.
    /// </summary>
    /// <remarks>Four rows of Y are taken at a time: each accumulator vector is loaded once, meets its four products in
    /// order p, p+1, p+2, p+3, and is stored once, so the loop does one load and one store per four FMAs.
    /// With <paramref name="sums"/>, one more accumulator row (row <paramref name="rows"/>) starts from sums[0..cols) and
    /// adds every row of Y in order p = 0, 1, …: the column sums of Y on top of sums, with the same additions in the same
    /// order as <see cref="Elementwise.ColumnSums"/> (accumulating), in the same pass over Y.</remarks>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Block<TS, TV>(int rows, int cols, int k, float* x, nint rsX, nint csX, float* y, nint ldy, float* acc, nint stride, float* sums = null)
        where TS : ISimd<TV>
        where TV : struct
    {
        int w = TS.Count;
        int full = cols / w * w;
        TV mask = cols > full ? TS.CreateMask(cols - full) : default;
        for (int r = 0; r < rows; r++)
        {
            new Span<float>(acc + (r * stride), (int)stride).Clear();
        }

        float* sumRow = sums is null ? null : acc + (rows * stride);
        if (sums is not null)
        {
            new Span<float>(sumRow, (int)stride).Clear();
            new ReadOnlySpan<float>(sums, cols).CopyTo(new Span<float>(sumRow, cols));
        }

        int p = 0;
        for (; p + 4 <= k; p += 4)
        {
            float* y0 = y + (p * ldy);
            float* y1 = y0 + ldy;
            float* y2 = y1 + ldy;
            float* y3 = y2 + ldy;
            float* xp = x + (p * csX);
            if (Sse.IsSupported && p + 8 <= k)
            {
                // The next four rows of Y are not adjacent to these: start fetching them now.
                float* ahead = y0 + (4 * ldy);
                for (int v = 0; v < cols; v += 16)
                {
                    Sse.Prefetch0(ahead + v);
                    Sse.Prefetch0(ahead + ldy + v);
                    Sse.Prefetch0(ahead + (2 * ldy) + v);
                    Sse.Prefetch0(ahead + (3 * ldy) + v);
                }
            }

            int j = 0;
            for (; j + (2 * w) <= full; j += 2 * w)
            {
                TV a0 = TS.Load(ref *(y0 + j), 0), b0 = TS.Load(ref *(y0 + j + w), 0);
                TV a1 = TS.Load(ref *(y1 + j), 0), b1 = TS.Load(ref *(y1 + j + w), 0);
                TV a2 = TS.Load(ref *(y2 + j), 0), b2 = TS.Load(ref *(y2 + j + w), 0);
                TV a3 = TS.Load(ref *(y3 + j), 0), b3 = TS.Load(ref *(y3 + j + w), 0);
                float* ar = acc + j;
                float* xr = xp;
                for (int r = 0; r < rows; r++)
                {
                    TV x0 = TS.Broadcast(*xr), x1 = TS.Broadcast(xr[csX]), x2 = TS.Broadcast(xr[2 * csX]), x3 = TS.Broadcast(xr[3 * csX]);
                    TV s0 = TS.Load(ref *ar, 0);
                    TV s1 = TS.Load(ref *(ar + w), 0);
                    s0 = TS.MultiplyAdd(x0, a0, s0);
                    s1 = TS.MultiplyAdd(x0, b0, s1);
                    s0 = TS.MultiplyAdd(x1, a1, s0);
                    s1 = TS.MultiplyAdd(x1, b1, s1);
                    s0 = TS.MultiplyAdd(x2, a2, s0);
                    s1 = TS.MultiplyAdd(x2, b2, s1);
                    s0 = TS.MultiplyAdd(x3, a3, s0);
                    s1 = TS.MultiplyAdd(x3, b3, s1);
                    TS.Store(s0, ref *ar, 0);
                    TS.Store(s1, ref *(ar + w), 0);
                    ar += stride;
                    xr += rsX;
                }

                if (sumRow is not null)
                {
                    float* q = sumRow + j;
                    TS.Store(TS.Add(TS.Add(TS.Add(TS.Add(TS.Load(ref *q, 0), a0), a1), a2), a3), ref *q, 0);
                    TS.Store(TS.Add(TS.Add(TS.Add(TS.Add(TS.Load(ref *(q + w), 0), b0), b1), b2), b3), ref *(q + w), 0);
                }
            }

            for (; j < cols; j += w)
            {
                bool tail = j >= full;
                TV a0 = tail ? TS.LoadMasked(y0 + j, mask) : TS.Load(ref *(y0 + j), 0);
                TV a1 = tail ? TS.LoadMasked(y1 + j, mask) : TS.Load(ref *(y1 + j), 0);
                TV a2 = tail ? TS.LoadMasked(y2 + j, mask) : TS.Load(ref *(y2 + j), 0);
                TV a3 = tail ? TS.LoadMasked(y3 + j, mask) : TS.Load(ref *(y3 + j), 0);
                float* ar = acc + j;
                float* xr = xp;
                for (int r = 0; r < rows; r++)
                {
                    TV s0 = TS.Load(ref *ar, 0);
                    s0 = TS.MultiplyAdd(TS.Broadcast(*xr), a0, s0);
                    s0 = TS.MultiplyAdd(TS.Broadcast(xr[csX]), a1, s0);
                    s0 = TS.MultiplyAdd(TS.Broadcast(xr[2 * csX]), a2, s0);
                    s0 = TS.MultiplyAdd(TS.Broadcast(xr[3 * csX]), a3, s0);
                    TS.Store(s0, ref *ar, 0);
                    ar += stride;
                    xr += rsX;
                }

                if (sumRow is not null)
                {
                    // Masked lanes of a tail vector load as 0; they are never copied back to sums.
                    float* q = sumRow + j;
                    TS.Store(TS.Add(TS.Add(TS.Add(TS.Add(TS.Load(ref *q, 0), a0), a1), a2), a3), ref *q, 0);
                }
            }
        }

        for (; p < k; p++)
        {
            float* yp = y + (p * ldy);
            float* xp = x + (p * csX);
            for (int j = 0; j < cols; j += w)
            {
                TV y0 = j >= full ? TS.LoadMasked(yp + j, mask) : TS.Load(ref *(yp + j), 0);
                float* ar = acc + j;
                for (int r = 0; r < rows; r++)
                {
                    TS.Store(TS.MultiplyAdd(TS.Broadcast(xp[r * rsX]), y0, TS.Load(ref *ar, 0)), ref *ar, 0);
                    ar += stride;
                }

                if (sumRow is not null)
                {
                    TS.Store(TS.Add(TS.Load(ref *(sumRow + j), 0), y0), ref *(sumRow + j), 0);
                }
            }
        }
    }

    /// <summary>The strip width S for <paramref name="rows"/> accumulator rows: the R × S block takes
    /// <paramref name="blockBytes"/> (half of L1d, see <see cref="GemmBlocking.StreamBytes"/>), in whole groups of 4 vectors.</summary>
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
    public static void RowsOfC<TS, TV, TE>(in GemmOperands o, int stripColumns, TE epi, float* sums = null)
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
            Block<TS, TV>(o.M, cols, o.K, o.A, o.RsA, o.CsA, o.B + j0, o.RsB, acc, stride, sums is null ? null : sums + j0);
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
    public static void ColumnsOfC<TS, TV, TE>(in GemmOperands o, int stripColumns, TE epi)
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
            Block<TS, TV>(o.N, rowsOfC, o.K, o.B, o.CsB, o.RsB, o.A + i0, o.CsA, acc, stride);
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

    private static int RoundUp(int value, int multiple) => (value + multiple - 1) / multiple * multiple;

    private static float* Scratch(int length)
    {
        if (t_acc is null || t_acc.Length < length)
        {
            t_acc = GC.AllocateUninitializedArray<float>(Math.Max(length, 1024), pinned: true);
        }

        return (float*)Unsafe.AsPointer(ref t_acc[0]);
    }
}
