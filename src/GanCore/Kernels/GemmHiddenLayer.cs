using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using GanCore.Tensors;

namespace GanCore.Kernels;

/// <summary>The parameter gradients and the input gradient of Dense → activation → Dense without the gradient at the
/// activation's input stored whole.</summary>
public static partial class Gemm
{
    /// <summary>
    /// dW1 += Xᵀ·G and db1 += Σ_p G[p, ·] with G = f'(H) ⊙ (dY·W2ᵀ), the gradient at the input of the activation
    /// between two dense layers, made and used a few rows at a time (<see cref="GemmStream.HiddenLayer"/>) when the
    /// shapes suit that path. The results are bitwise those of <see cref="MultiplyTransposedBActivationGradient"/> into
    /// G followed by <see cref="WeightAndBiasGradients"/>(X, G, dW1, db1).
    /// </summary>
    /// <param name="x">X, the first layer's input: batch × I.</param>
    /// <param name="dy">dY, the gradient at the second layer's output: batch × O.</param>
    /// <param name="w2">W2, the second layer's weights: hidden × O.</param>
    /// <param name="h">H, the activation's output (the second layer's input): batch × hidden, contiguous.</param>
    /// <param name="activation">f.</param>
    /// <param name="slope">The negative-side slope of <see cref="Activation.LeakyReLU"/>; ignored otherwise.</param>
    /// <param name="dw1">The first layer's weight gradient, I × hidden, accumulated into.</param>
    /// <param name="db1">The first layer's bias gradient, hidden floats, accumulated into.</param>
    /// <returns>False, with nothing written, when the shapes or the thread setting call for the two separate calls: G
    /// small enough to stay in L2 when stored (<see cref="GemmEngine.HiddenGradientSpills"/>), more than
    /// <see cref="GemmStream.MaxRows"/> inputs, a single input column stored densely, fewer than two hidden units, a
    /// product that would run on several threads, or a forced GEMM route.</returns>
    /// <exception cref="ArgumentException">The shapes do not agree, H is not contiguous, or a gradient overlaps an input.</exception>
    internal static bool TryHiddenLayerGradients(Matrix x, Matrix dy, Matrix w2, Matrix h, Activation activation, float slope, Matrix dw1, Span<float> db1) =>
        TryHiddenLayerGradients(x, dy, w2, h, activation, slope, dw1, db1, null);

    /// <summary>
    /// <see cref="TryHiddenLayerGradients(Matrix, Matrix, Matrix, Matrix, Activation, float, Matrix, Span{float})"/>,
    /// and with <paramref name="dw2"/> the second layer's dW2 += Hᵀ·dY too, in the same pass over H. Bitwise what
    /// <see cref="MultiplyTransposedA"/>(H, dY, dW2, accumulate: true) gives: with dY at most
    /// <see cref="GemmStream.MaxRows"/> wide (as the path requires) that product is never packed, so each element is one
    /// chain over the batch in order from zero, then C + acc.
    /// </summary>
    /// <param name="x">X, the first layer's input: batch × I.</param>
    /// <param name="dy">dY, the gradient at the second layer's output: batch × O.</param>
    /// <param name="w2">W2, the second layer's weights: hidden × O.</param>
    /// <param name="h">H, the activation's output (the second layer's input): batch × hidden, contiguous.</param>
    /// <param name="activation">f.</param>
    /// <param name="slope">The negative-side slope of <see cref="Activation.LeakyReLU"/>; ignored otherwise.</param>
    /// <param name="dw1">The first layer's weight gradient, I × hidden, accumulated into.</param>
    /// <param name="db1">The first layer's bias gradient, hidden floats, accumulated into.</param>
    /// <param name="dw2">The second layer's weight gradient, hidden × O, accumulated into; or null.</param>
    /// <returns>False, with nothing written, as the shorter overload.</returns>
    /// <exception cref="ArgumentException">The shapes do not agree, H is not contiguous, or a gradient overlaps an input.</exception>
    internal static bool TryHiddenLayerGradients(Matrix x, Matrix dy, Matrix w2, Matrix h, Activation activation, float slope, Matrix dw1, Span<float> db1, Matrix? dw2)
    {
        int batch = x.Rows;
        if (dy.Rows != batch || h.Rows != batch || dw1.Rows != x.Columns || dw1.Columns != h.Columns || w2.Rows != h.Columns || w2.Columns != dy.Columns || db1.Length != h.Columns)
        {
            throw new ArgumentException(
                $"The hidden layer's shapes do not agree: X {x.Rows}×{x.Columns}, dY {dy.Rows}×{dy.Columns}, W2 {w2.Rows}×{w2.Columns}, H {h.Rows}×{h.Columns}, dW1 {dw1.Rows}×{dw1.Columns}, db1 {db1.Length}.",
                nameof(h));
        }

        CheckContiguous(h);
        Span<float> dw = dw1.Span;
        if (SpanOverlap.Any(dw, x.Span) || SpanOverlap.Any(dw, dy.Span) || SpanOverlap.Any(dw, w2.Span) || SpanOverlap.Any(dw, h.Span) || SpanOverlap.Any(db1, x.Span) || SpanOverlap.Any(db1, dy.Span) || SpanOverlap.Any(db1, w2.Span) || SpanOverlap.Any(db1, h.Span) || SpanOverlap.Any(db1, dw))
        {
            throw new ArgumentException("A gradient overlaps an input of the hidden layer's product.", nameof(dw1));
        }

        Span<float> second = default;
        if (dw2 is not null)
        {
            if (dw2.Rows != h.Columns || dw2.Columns != dy.Columns)
            {
                throw new ArgumentException($"dW2 is {dw2.Rows}×{dw2.Columns}; Hᵀ·dY is {h.Columns}×{dy.Columns}.", nameof(dw2));
            }

            second = dw2.Span;
            if (SpanOverlap.Any(second, dw) || SpanOverlap.Any(second, db1) || SpanOverlap.Any(second, x.Span) || SpanOverlap.Any(second, dy.Span) || SpanOverlap.Any(second, w2.Span) || SpanOverlap.Any(second, h.Span))
            {
                throw new ArgumentException("dW2 overlaps another operand of the hidden layer's product.", nameof(dw2));
            }
        }

        return GemmEngine.TryHiddenLayerGradients(batch, x.Columns, h.Columns, dy.Columns, x.Span, x.Stride, dy.Span, dy.Stride, w2.Span, w2.Stride, h.Span, dw, dw1.Stride, db1, second, dw2?.Stride ?? 0, activation, slope, KernelDispatch.Width, Threads);
    }
    /// <summary>
    /// dX = G·W1ᵀ with G = f'(H) ⊙ (dY·W2ᵀ): the input gradient of Dense → activation → Dense, made a chunk of rows
    /// at a time so G is never stored whole, when G would spill out of L2 (<see cref="GemmEngine.HiddenGradientSpills"/>)
    /// and the product runs on one thread. The rows of dX depend only on the same rows of G, and each chunk's products
    /// take the routes the whole batch would (W1 ≤ 16 rows wide: the direct loops or the dot product, one chain over
    /// the hidden units per element), so dX is bitwise that of <see cref="MultiplyTransposedBActivationGradient"/> into
    /// G followed by <see cref="MultiplyTransposedB"/>(G, W1, dX).
    /// </summary>
    /// <param name="dy">dY, the gradient at the second layer's output: batch × O.</param>
    /// <param name="w2">W2, the second layer's weights: hidden × O.</param>
    /// <param name="h">H, the activation's output: batch × hidden, contiguous.</param>
    /// <param name="activation">f.</param>
    /// <param name="slope">The negative-side slope of <see cref="Activation.LeakyReLU"/>; ignored otherwise.</param>
    /// <param name="w1">W1, the first layer's weights: I × hidden.</param>
    /// <param name="dx">dX, batch × I, overwritten.</param>
    /// <returns>False, with nothing written, when the shapes or the thread setting call for the two separate calls.</returns>
    /// <exception cref="ArgumentException">The shapes do not agree, H is not contiguous, or dX overlaps an input.</exception>
    internal static bool TryHiddenLayerInputGradient(Matrix dy, Matrix w2, Matrix h, Activation activation, float slope, Matrix w1, Matrix dx)
    {
        int batch = dy.Rows;
        if (h.Rows != batch || dx.Rows != batch || w2.Rows != h.Columns || w2.Columns != dy.Columns || w1.Columns != h.Columns || dx.Columns != w1.Rows)
        {
            throw new ArgumentException(
                $"The hidden layer's shapes do not agree: dY {dy.Rows}×{dy.Columns}, W2 {w2.Rows}×{w2.Columns}, H {h.Rows}×{h.Columns}, W1 {w1.Rows}×{w1.Columns}, dX {dx.Rows}×{dx.Columns}.",
                nameof(h));
        }

        CheckContiguous(h);
        Span<float> c = dx.Span;
        if (SpanOverlap.Any(c, dy.Span) || SpanOverlap.Any(c, w2.Span) || SpanOverlap.Any(c, h.Span) || SpanOverlap.Any(c, w1.Span))
        {
            throw new ArgumentException("dX overlaps an input of the hidden layer's product.", nameof(dx));
        }

        return GemmEngine.TryHiddenLayerInputGradient(batch, w1.Rows, h.Columns, dy.Columns, dy.Span, dy.Stride, w2.Span, w2.Stride, h.Span, w1.Span, w1.Stride, c, dx.Stride, activation, slope, KernelDispatch.Width, Threads);
    }

    /// <summary>
    /// H = f(X·W1 + b1) and Y = H·W2 + b2, the forward pass of Dense → activation → Dense, a chunk of rows at a time
    /// when H would spill out of L2 (<see cref="GemmEngine.HiddenGradientSpills"/>), so the second product reads each
    /// chunk of H from cache right after the first wrote it. H is still stored whole (backward needs it). Rows do not
    /// depend on each other, and with X and Y at most <see cref="GemmStream.MaxRows"/> wide each chunk's products take
    /// the routes the whole batch would (never the packed one), so H and Y are bitwise those of the two whole products.
    /// </summary>
    /// <param name="x">X: batch × I.</param>
    /// <param name="w1">W1: I × hidden.</param>
    /// <param name="b1">b1: hidden floats.</param>
    /// <param name="activation">f.</param>
    /// <param name="slope">The negative-side slope of <see cref="Activation.LeakyReLU"/>; ignored otherwise.</param>
    /// <param name="h">H: batch × hidden, contiguous, overwritten.</param>
    /// <param name="w2">W2: hidden × O.</param>
    /// <param name="b2">b2: O floats.</param>
    /// <param name="y">Y: batch × O, overwritten.</param>
    /// <returns>False, with nothing written, when the shapes or the thread setting call for the two whole products.</returns>
    /// <exception cref="ArgumentException">The shapes do not agree, H is not contiguous, or an output overlaps an input.</exception>
    internal static bool TryHiddenLayerForward(Matrix x, Matrix w1, ReadOnlySpan<float> b1, Activation activation, float slope, Matrix h, Matrix w2, ReadOnlySpan<float> b2, Matrix y) =>
        TryHiddenLayerForward(x, w1, b1, activation, slope, h, w2, b2, y, Activation.Identity, 0f);

    /// <summary>As the overload without an output activation, with Y = g(H·W2 + b2) for <paramref name="outputActivation"/>
    /// g (the second layer fused with the activation after it, as <see cref="MultiplyBiasActivation"/> does).</summary>
    /// <param name="x">X: batch × I.</param>
    /// <param name="w1">W1: I × hidden.</param>
    /// <param name="b1">b1: hidden floats.</param>
    /// <param name="activation">f.</param>
    /// <param name="slope">f's negative-side slope when it is leaky.</param>
    /// <param name="h">H: batch × hidden, contiguous, overwritten.</param>
    /// <param name="w2">W2: hidden × O.</param>
    /// <param name="b2">b2: O floats.</param>
    /// <param name="y">Y: batch × O, overwritten.</param>
    /// <param name="outputActivation">g.</param>
    /// <param name="outputSlope">g's negative-side slope when it is leaky.</param>
    /// <returns>False, with nothing written, when the shapes or the thread setting call for the two whole products.</returns>
    /// <exception cref="ArgumentException">The shapes do not agree, H is not contiguous, or an output overlaps an input.</exception>
    internal static bool TryHiddenLayerForward(Matrix x, Matrix w1, ReadOnlySpan<float> b1, Activation activation, float slope, Matrix h, Matrix w2, ReadOnlySpan<float> b2, Matrix y, Activation outputActivation, float outputSlope)
    {
        int batch = x.Rows;
        if (h.Rows != batch || y.Rows != batch || w1.Rows != x.Columns || w1.Columns != h.Columns || b1.Length != h.Columns || w2.Rows != h.Columns || w2.Columns != y.Columns || b2.Length != y.Columns)
        {
            throw new ArgumentException(
                $"The hidden layer's shapes do not agree: X {x.Rows}×{x.Columns}, W1 {w1.Rows}×{w1.Columns}, b1 {b1.Length}, H {h.Rows}×{h.Columns}, W2 {w2.Rows}×{w2.Columns}, b2 {b2.Length}, Y {y.Rows}×{y.Columns}.",
                nameof(h));
        }

        CheckContiguous(h);
        Span<float> hs = h.Span;
        Span<float> ys = y.Span;
        if (SpanOverlap.Any(hs, x.Span) || SpanOverlap.Any(hs, w1.Span) || SpanOverlap.Any(hs, b1) || SpanOverlap.Any(hs, w2.Span) || SpanOverlap.Any(hs, b2) || SpanOverlap.Any(hs, ys)
            || SpanOverlap.Any(ys, x.Span) || SpanOverlap.Any(ys, w1.Span) || SpanOverlap.Any(ys, b1) || SpanOverlap.Any(ys, w2.Span) || SpanOverlap.Any(ys, b2))
        {
            throw new ArgumentException("H or Y overlaps an input of the hidden layer's forward pass.", nameof(h));
        }

        return GemmEngine.TryHiddenLayerForward(batch, x.Columns, h.Columns, y.Columns, x.Span, x.Stride, w1.Span, w1.Stride, b1, hs, w2.Span, w2.Stride, b2, ys, y.Stride, activation, slope, outputActivation, outputSlope, KernelDispatch.Width, Threads);
    }

    private static void CheckContiguous(Matrix h)
    {
        if (h.Stride != h.Columns)
        {
            throw new ArgumentException($"H must be contiguous; its stride is {h.Stride} for {h.Columns} columns.", nameof(h));
        }
    }
}

/// <summary>The entries of the hidden layer's chunked gradients.</summary>
internal static unsafe partial class GemmEngine
{
    /// <summary>This thread's forced setting of the hidden layer's fused gradients (tests): 0 lets the shapes decide,
    /// a positive value takes the path with that many rows per chunk, a negative one takes it with the host's height.</summary>
    [ThreadStatic]
    private static int t_hiddenChunkRows;

    /// <summary>Forces the hidden layer's fused gradients on this thread (tests): rows &gt; 0 per chunk, &lt; 0 the host's
    /// chunk height, 0 back to the default choice.</summary>
    internal static void ForceHiddenChunk(int rows)
    {
        s_forced = true;
        t_hiddenChunkRows = rows;
    }

    /// <summary>The rows of the batch per chunk of G: as many as fill a quarter of L2 (G's chunk and the accumulator
    /// block then stay there while X's rows stream past), at least the streaming path's chunk.</summary>
    internal static int HiddenChunkRows(int hidden, GemmBlocking blocking) =>
        Math.Clamp(GemmCacheInfo.Host.L2Bytes / 4 / (hidden * sizeof(float)), blocking.StreamChunk, GemmStream.MaxChunkRows);

    /// <summary>Whether the first layer's gradients skip storing G by default: when G, batch × hidden floats, would take
    /// more than half of L2. Below that, storing G and reading it back stays in L2 and the two calls are as fast (the
    /// seed GAN's 64 × 128 lost 1 µs per pass to the chunk loop on the Intel host; 1024 × 2048 gained 9%).</summary>
    internal static bool HiddenGradientSpills(int batch, int hidden) =>
        (long)batch * hidden * sizeof(float) > GemmCacheInfo.Host.L2Bytes / 2;

    /// <summary>A cheap first test for the layers: whether the chunked paths could take a batch × hidden gradient or
    /// activation at all (it spills out of L2, or a test forced the path), before any argument is checked.</summary>
    internal static bool HiddenChunkingWanted(int batch, int hidden) =>
        (s_forced && t_hiddenChunkRows != 0) || HiddenGradientSpills(batch, hidden);

    /// <summary>
    /// W2 as the products that make G read it: when W2 has more than one column, the product A·W2ᵀ would copy W2ᵀ into
    /// scratch on every call (once per chunk), so it is copied once here and the chunks multiply by it untransposed. The
    /// copy is the one the product makes (both transposes copy exactly), so G keeps its bits. The two forms also take
    /// the same route: the dot route for A·Bᵀ differs from A·B's only from K ≥ 64 (<see cref="DotPaysInPlace"/>), and
    /// here K is the output count, at most <see cref="GemmStream.MaxRows"/>.
    /// </summary>
    /// <returns>The operand, with <paramref name="transposeB"/> and <paramref name="ldb"/> to pass with it.</returns>
    internal static ReadOnlySpan<float> SecondWeights(float* w2, int ldw2, int hidden, int outputs, VectorWidth width, out bool transposeB, out int ldb)
    {
        Debug.Assert(outputs <= GemmStream.MaxRows && GemmStream.MaxRows < 64, "A·W2ᵀ and A·(W2ᵀ copied) must take the same route (DotPaysInPlace widens A·Bᵀ only from K = 64)");
        if (ldw2 == 1)
        {
            transposeB = true;
            ldb = 1;
            return new ReadOnlySpan<float>(w2, hidden);
        }

        float* t = GemmStream.Aligned(ref t_hiddenW2T, outputs * hidden);
        CopyTransposed(w2, ldw2, outputs, hidden, t, width.Floats());

        transposeB = false;
        ldb = hidden;
        return new ReadOnlySpan<float>(t, outputs * hidden);
    }

    /// <summary>Whether the chunked paths take these shapes (the forced setting first, then: at most
    /// <see cref="GemmStream.MaxRows"/> inputs and outputs, at least two hidden units, one thread, and G spilling out of
    /// L2), and with how many rows per chunk. With X and dY at most 16 wide, no product of these paths is ever packed,
    /// for a chunk or for the whole batch: the packed path would split a longer K into blocks and sum them in another
    /// order, and a chunk's smaller volume could then take a different route from the whole batch's.</summary>
    private static bool TryHiddenChunk(int batch, int inputs, int hidden, int outputs, VectorWidth width, int threads, out int chunk)
    {
        chunk = 0;
        int forced = s_forced ? t_hiddenChunkRows : 0;
        if (s_forced && t_path != GemmPath.Auto && forced == 0)
        {
            return false;
        }

        GemmBlocking blocking = BlockingFor(width);
        bool parallel = SplitShares(threads, (long)batch * hidden * Math.Max(inputs, outputs), blocking) > 1;
        if (batch == 0 || inputs > GemmStream.MaxRows || outputs > GemmStream.MaxRows || hidden < 2 || parallel || (forced == 0 && !HiddenGradientSpills(batch, hidden)))
        {
            return false;
        }

        chunk = Math.Min(forced > 0 ? forced : HiddenChunkRows(hidden, blocking), batch);
        return true;
    }

    /// <summary><see cref="GemmStream.HiddenLayer{TS, TV}"/> at a width narrower than the host's (<see cref="KernelCompilation.UnderCap"/>).</summary>
    [MethodImpl(KernelCompilation.UnderCap)]
    private static void HiddenLayerUnderCap<TS, TV>(int batch, int inputs, int hidden, int outputs, float* x, nint ldx, float* dy, nint lddy, float* w2, nint ldw2, float* h, float* dw, nint lddw, float* db, float* dw2, nint lddw2, Activation activation, float slope, VectorWidth width, int chunkRows)
        where TS : ISimd<TV>
        where TV : struct =>
        GemmStream.HiddenLayer<TS, TV>(batch, inputs, hidden, outputs, x, ldx, dy, lddy, w2, ldw2, h, dw, lddw, db, dw2, lddw2, activation, slope, width, chunkRows);

    public static bool TryHiddenLayerGradients(int batch, int inputs, int hidden, int outputs, ReadOnlySpan<float> x, int ldx, ReadOnlySpan<float> dy, int lddy, ReadOnlySpan<float> w2, int ldw2, ReadOnlySpan<float> h, Span<float> dw, int lddw, Span<float> db, Span<float> dw2, int lddw2, Activation activation, float slope, VectorWidth width, int threads)
    {
        // One input column stored densely (ldx = 1) makes Xᵀ a contiguous row, which the stored path's Xᵀ·G may take
        // as dot products (the dot route, DotPays, or a dot tail, DotTail), summed in another order than the chunks'
        // FMA chains; so the path declines it.
        if (inputs > hidden || ldx == 1 || !TryHiddenChunk(batch, inputs, hidden, outputs, width, threads, out int chunk))
        {
            return false;
        }

        fixed (float* px = x, pdy = dy, pw = w2, ph = h, pdw = dw, pdb = db, pdw2 = dw2)
        {
            switch (width)
            {
                case VectorWidth.Bits512 when KernelDispatch.Runs512:
                    GemmStream.HiddenLayer<Simd512, Vec512>(batch, inputs, hidden, outputs, px, ldx, pdy, lddy, pw, ldw2, ph, pdw, lddw, pdb, pdw2, lddw2, activation, slope, width, chunk);
                    break;
                case VectorWidth.Bits256 when KernelDispatch.Runs256:
                    GemmStream.HiddenLayer<Simd256, Vec256>(batch, inputs, hidden, outputs, px, ldx, pdy, lddy, pw, ldw2, ph, pdw, lddw, pdb, pdw2, lddw2, activation, slope, width, chunk);
                    break;
                case VectorWidth.Bits128 when SimdAvx.IsHost:
                    // AVX without AVX2: the chunks' streaming products at 256 bits, as Execute runs them (SimdAvx).
                    CountStreamAvxRun();
                    GemmStream.HiddenLayer<SimdAvx, Vec256>(batch, inputs, hidden, outputs, px, ldx, pdy, lddy, pw, ldw2, ph, pdw, lddw, pdb, pdw2, lddw2, activation, slope, width, chunk);
                    break;
                case VectorWidth.Bits128 when KernelDispatch.Runs128:
                    if (KernelDispatch.CapOnly128)
                    {
                        HiddenLayerUnderCap<Simd128, Vec128>(batch, inputs, hidden, outputs, px, ldx, pdy, lddy, pw, ldw2, ph, pdw, lddw, pdb, pdw2, lddw2, activation, slope, width, chunk);
                    }
                    else
                    {
                        GemmStream.HiddenLayer<Simd128, Vec128>(batch, inputs, hidden, outputs, px, ldx, pdy, lddy, pw, ldw2, ph, pdw, lddw, pdb, pdw2, lddw2, activation, slope, width, chunk);
                    }

                    break;
                case VectorWidth.Scalar:
                    if (KernelDispatch.CapOnlyScalar)
                    {
                        HiddenLayerUnderCap<SimdScalar, float>(batch, inputs, hidden, outputs, px, ldx, pdy, lddy, pw, ldw2, ph, pdw, lddw, pdb, pdw2, lddw2, activation, slope, width, chunk);
                    }
                    else
                    {
                        GemmStream.HiddenLayer<SimdScalar, float>(batch, inputs, hidden, outputs, px, ldx, pdy, lddy, pw, ldw2, ph, pdw, lddw, pdb, pdw2, lddw2, activation, slope, width, chunk);
                    }

                    break;
                default:
                    throw KernelDispatch.NotAccelerated(width);
            }
        }

        return true;
    }

    [ThreadStatic]
    private static float[]? t_hiddenG;

    [ThreadStatic]
    private static float[]? t_hiddenW1;

    [ThreadStatic]
    private static float[]? t_hiddenW2T;

    public static bool TryHiddenLayerInputGradient(int batch, int inputs, int hidden, int outputs, ReadOnlySpan<float> dy, int lddy, ReadOnlySpan<float> w2, int ldw2, ReadOnlySpan<float> h, ReadOnlySpan<float> w1, int ldw1, Span<float> dx, int lddx, Activation activation, float slope, VectorWidth width, int threads)
    {
        if (!TryHiddenChunk(batch, inputs, hidden, outputs, width, threads, out int chunk))
        {
            return false;
        }

        fixed (float* pw1 = w1, pw2 = w2)
        {
            ReadOnlySpan<float> second = SecondWeights(pw2, ldw2, hidden, outputs, width, out bool transposeB, out int ldb);

            // dX = G·W1ᵀ as the stored path computes it. Where its A·Bᵀ takes dot products that read W1's rows in place
            // (DotPaysInPlace) and a product with a copy W1ᵀ would not (its columns would be gathered, DotPays), each chunk
            // runs that A·Bᵀ on W1 itself. Otherwise W1ᵀ (hidden × I) is copied once, the copy the product would make on
            // every call (both transposes copy exactly), and the chunks multiply by it. Either way every element is
            // computed as without chunks.
            bool inPlace = DotPaysInPlace(inputs, hidden, width.Floats()) && !DotPays(inputs, hidden, width.Floats());
            ReadOnlySpan<float> first = w1;
            int ldFirst = ldw1;
            if (!inPlace)
            {
                float* wt = GemmStream.Aligned(ref t_hiddenW1, hidden * inputs);
                CopyTransposed(pw1, ldw1, hidden, inputs, wt, width.Floats());
                first = new(wt, hidden * inputs);
                ldFirst = inputs;
            }

            float* g = GemmStream.Aligned(ref t_hiddenG, chunk * hidden);
            for (int p0 = 0; p0 < batch; p0 += chunk)
            {
                int kc = Math.Min(chunk, batch - p0);
                Span<float> gc = new(g, kc * hidden);
                RunActivationGradient(kc, hidden, outputs, dy.Slice(p0 * lddy, ((kc - 1) * lddy) + outputs), lddy, second, ldb, transposeB, gc, hidden, h.Slice(p0 * hidden, kc * hidden), activation, slope, width, threads: 1);
                Run(false, inPlace, kc, inputs, hidden, gc, hidden, first, ldFirst, dx.Slice(p0 * lddx, ((kc - 1) * lddx) + inputs), lddx, accumulate: false, width, threads: 1);
            }
        }

        return true;
    }

    public static bool TryHiddenLayerForward(int batch, int inputs, int hidden, int outputs, ReadOnlySpan<float> x, int ldx, ReadOnlySpan<float> w1, int ldw1, ReadOnlySpan<float> b1, Span<float> h, ReadOnlySpan<float> w2, int ldw2, ReadOnlySpan<float> b2, Span<float> y, int ldy, Activation activation, float slope, Activation outputActivation, float outputSlope, VectorWidth width, int threads)
    {
        if (!TryHiddenChunk(batch, inputs, hidden, outputs, width, threads, out int chunk))
        {
            return false;
        }

        for (int p0 = 0; p0 < batch; p0 += chunk)
        {
            int kc = Math.Min(chunk, batch - p0);
            Span<float> hc = h.Slice(p0 * hidden, kc * hidden);
            RunBiasActivation(kc, hidden, inputs, x.Slice(p0 * ldx, ((kc - 1) * ldx) + inputs), ldx, w1, ldw1, b1, hc, hidden, activation, slope, width, threads: 1);
            RunBiasActivation(kc, outputs, hidden, hc, hidden, w2, ldw2, b2, y.Slice(p0 * ldy, ((kc - 1) * ldy) + outputs), ldy, outputActivation, outputSlope, width, threads: 1);
        }

        return true;
    }
}
