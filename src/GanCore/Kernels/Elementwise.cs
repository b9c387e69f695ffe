using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace GanCore.Kernels;

/// <summary>An element-wise operation on one input, written once for every vector width.</summary>
internal interface IUnaryOp
{
    TV Invoke<TS, TV>(TV x)
        where TS : ISimd<TV>
        where TV : struct;
}

/// <summary>An element-wise operation on two inputs, written once for every vector width.</summary>
internal interface IBinaryOp
{
    TV Invoke<TS, TV>(TV x, TV y)
        where TS : ISimd<TV>
        where TV : struct;
}

/// <summary>
/// Element-wise and reduction kernels over spans: the SIMD versions of the plain loops in
/// <see cref="ElementwiseReference"/>, which say what each one computes. Every kernel runs at the width
/// <see cref="KernelDispatch.Width"/> picks, through <see cref="VectorLoop"/> (maps) or <see cref="KernelDispatch.Run{TK}(ref TK)"/>
/// (reductions), with one tail policy: the last partial vector is a masked vector of the same width.
/// </summary>
/// <remarks>Inputs and outputs may be the same span (in place); any other overlap is rejected.</remarks>
internal static unsafe class Elementwise
{
    /// <summary>y[i] = op(x[i]).</summary>
    [MethodImpl(KernelCompilation.Hot)]
    public static void Map<TOp>(TOp op, ReadOnlySpan<float> x, Span<float> y)
        where TOp : struct, IUnaryOp
    {
        CheckSameLength(x.Length, y.Length, nameof(y));
        CheckInPlaceOrDisjoint(x, y, nameof(y));
        fixed (float* xp = x)
        fixed (float* yp = y)
        {
            VectorLoop.Run(new UnaryMap<TOp>(op), x.Length, xp, yp, null, null);
        }
    }

    /// <summary>x = op(x) in place over <paramref name="rows"/> rows of <paramref name="columns"/> floats,
    /// <paramref name="stride"/> floats apart, at <paramref name="width"/>: the exponential activations of a fused dense
    /// product (<see cref="GemmEngine.RunBiasActivation"/>), after it, at its width. Each element takes the code it takes
    /// anywhere in a span, so the bits are those of the activation fused into the product's stores.</summary>
    public static void MapRows<TOp>(TOp op, float* x, int rows, int columns, int stride, VectorWidth width)
        where TOp : struct, IUnaryOp
    {
        if (stride == columns && (long)rows * columns <= int.MaxValue)
        {
            VectorLoop.Run(new UnaryMap<TOp>(op), rows * columns, x, x, null, null, width);
            return;
        }

        for (int i = 0; i < rows; i++)
        {
            float* row = x + ((nint)i * stride);
            VectorLoop.Run(new UnaryMap<TOp>(op), columns, row, row, null, null, width);
        }
    }

    /// <summary>z[i] = op(x[i], y[i]).</summary>
    [MethodImpl(KernelCompilation.Hot)]
    public static void Map<TOp>(TOp op, ReadOnlySpan<float> x, ReadOnlySpan<float> y, Span<float> z)
        where TOp : struct, IBinaryOp
    {
        CheckSameLength(x.Length, y.Length, nameof(y));
        CheckSameLength(x.Length, z.Length, nameof(z));
        CheckInPlaceOrDisjoint(x, z, nameof(z));
        CheckInPlaceOrDisjoint(y, z, nameof(z));
        fixed (float* xp = x)
        fixed (float* yp = y)
        fixed (float* zp = z)
        {
            VectorLoop.Run(new BinaryMap<TOp>(op), x.Length, xp, yp, zp, null);
        }
    }

    /// <summary>x[i] = act(x[i]) in place.</summary>
    [MethodImpl(KernelCompilation.Hot)]
    public static void Activate(Activation activation, Span<float> x, float slope = 0f)
    {
        switch (activation)
        {
            case Activation.Identity:
                break;
            case Activation.ReLU:
                Map(default(ReluOp), x, x);
                break;
            case Activation.LeakyReLU:
                Map(new LeakyReluOp(slope), x, x);
                break;
            case Activation.Sigmoid:
                Map(default(SigmoidOp), x, x);
                break;
            case Activation.Tanh:
                Map(default(TanhOp), x, x);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(activation), activation, "Unknown activation.");
        }
    }

    /// <summary>
    /// gradInput[i] = gradOutput[i] · act'(x) where the derivative is computed from the activation's
    /// <em>output</em> y[i] = act(x[i]) (every supported activation's derivative is a function of its output
    /// when slope ≥ 0). gradInput may be gradOutput (in place), never <paramref name="output"/>.
    /// </summary>
    /// <exception cref="ArgumentException">The lengths differ, <paramref name="gradInput"/> partly overlaps
    /// <paramref name="gradOutput"/>, or it overlaps <paramref name="output"/> at all.</exception>
    [MethodImpl(KernelCompilation.Hot)]
    public static void ActivationBackward(Activation activation, ReadOnlySpan<float> gradOutput, ReadOnlySpan<float> output, Span<float> gradInput, float slope = 0f)
    {
        // Checked here for every activation (the Identity case does not go through Map), and the output is
        // never overwritten: Backward must not change what Forward kept.
        CheckSameLength(gradOutput.Length, output.Length, nameof(output));
        CheckSameLength(gradOutput.Length, gradInput.Length, nameof(gradInput));
        CheckInPlaceOrDisjoint(gradOutput, gradInput, nameof(gradInput));
        if (SpanOverlap.Any(output, gradInput))
        {
            throw new ArgumentException("Span 'gradInput' overlaps the activation output, which backward must not change.", nameof(gradInput));
        }

        switch (activation)
        {
            case Activation.Identity:
                gradOutput.CopyTo(gradInput);
                break;
            case Activation.ReLU:
                Map(new LeakyReluGradOp(0f), gradOutput, output, gradInput);
                break;
            case Activation.LeakyReLU:
                Map(new LeakyReluGradOp(slope), gradOutput, output, gradInput);
                break;
            case Activation.Sigmoid:
                Map(default(SigmoidGradOp), gradOutput, output, gradInput);
                break;
            case Activation.Tanh:
                Map(default(TanhGradOp), gradOutput, output, gradInput);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(activation), activation, "Unknown activation.");
        }
    }

    /// <summary>y[i] += alpha · x[i].</summary>
    public static void Axpy(float alpha, ReadOnlySpan<float> x, Span<float> y) => Map(new AxpyOp(alpha), x, y, y);

    /// <summary>x[i] *= alpha.</summary>
    public static void Scale(float alpha, Span<float> x) => Map(new ScaleOp(alpha), x, x);

    /// <summary>y[i] = alpha · x[i]: a scaled copy in one pass (the same bits as a copy, then <see cref="Scale(float, Span{float})"/>).</summary>
    public static void Scale(float alpha, ReadOnlySpan<float> x, Span<float> y) => Map(new ScaleOp(alpha), x, y);

    /// <summary>x[i] = min(max(x[i], low), high) in place; NaN stays NaN (IEEE minimum and maximum propagate it).</summary>
    public static void Clamp(Span<float> x, float low, float high) => Map(new ClampOp(low, high), x, x);

    /// <summary>z[i] = x[i] + y[i].</summary>
    public static void Add(ReadOnlySpan<float> x, ReadOnlySpan<float> y, Span<float> z) => Map(default(AddOp), x, y, z);

    /// <summary>
    /// Column sums of a rows × columns row-major block with row stride <paramref name="stride"/>:
    /// sums[j] (+)= Σ_i x[i·stride + j]. This is a dense layer's bias gradient.
    /// </summary>
    [MethodImpl(KernelCompilation.Hot)]
    public static void ColumnSums(ReadOnlySpan<float> x, int rows, int columns, int stride, Span<float> sums, bool accumulate)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(rows);
        ArgumentOutOfRangeException.ThrowIfNegative(columns);
        if (stride < columns)
        {
            throw new ArgumentOutOfRangeException(nameof(stride), stride, $"The row stride {stride} is smaller than the row length {columns}.");
        }

        long need = rows == 0 || columns == 0 ? 0 : ((long)(rows - 1) * stride) + columns;
        if (x.Length < need)
        {
            throw new ArgumentException($"A {rows}×{columns} block with stride {stride} needs {need} elements; the span has {x.Length}.", nameof(x));
        }

        if (sums.Length != columns)
        {
            throw new ArgumentException($"The sums span has {sums.Length} elements; the block has {columns} columns.", nameof(sums));
        }

        if (SpanOverlap.Any(x, sums))
        {
            throw new ArgumentException("The sums span overlaps the input.", nameof(sums));
        }

        if (!accumulate)
        {
            sums.Clear();
        }

        if (columns == 0)
        {
            // A rows × 0 block needs no elements, so x may be shorter than rows·stride: do not touch it.
            return;
        }

        fixed (float* xp = x)
        fixed (float* sp = sums)
        {
            var kernel = new ColumnSumsKernel(xp, rows, columns, stride, sp);
            KernelDispatch.Run(ref kernel);
        }
    }

    /// <summary>Σ x[i]·y[i], accumulated in float lanes.</summary>
    [MethodImpl(KernelCompilation.Hot)]
    public static float Dot(ReadOnlySpan<float> x, ReadOnlySpan<float> y)
    {
        CheckSameLength(x.Length, y.Length, nameof(y));
        fixed (float* xp = x)
        fixed (float* yp = y)
        {
            var kernel = new DotKernel(xp, yp, x.Length);
            KernelDispatch.Run(ref kernel);
            return kernel.Result;
        }
    }

    /// <summary>
    /// Σ x[i]², accumulated in four independent float-lane sums, so that the adds overlap instead of each waiting for
    /// the one before it (<see cref="Dot"/> keeps one sum: its rounding is part of results elsewhere). The gradient
    /// norm of <see cref="Optimizers.Optimizer.GradientClipNorm"/>.
    /// </summary>
    [MethodImpl(KernelCompilation.Hot)]
    public static float SumOfSquares(ReadOnlySpan<float> x)
    {
        fixed (float* xp = x)
        {
            var kernel = new FourSumsKernel<SquareTerm>(xp, x.Length);
            KernelDispatch.Run(ref kernel);
            return kernel.Result;
        }
    }

    /// <summary>True when every element is finite (no NaN, no ±∞).</summary>
    [MethodImpl(KernelCompilation.Hot)]
    public static bool AllFinite(ReadOnlySpan<float> x)
    {
        fixed (float* xp = x)
        {
            var kernel = new FourSumsKernel<FiniteTerm>(xp, x.Length);
            KernelDispatch.Run(ref kernel);
            return kernel.Result == 0f;
        }
    }

    internal static void CheckSameLength(int expected, int actual, string name)
    {
        if (expected != actual)
        {
            throw new ArgumentException($"Span '{name}' has {actual} elements; expected {expected}.", name);
        }
    }

    internal static void CheckInPlaceOrDisjoint(ReadOnlySpan<float> input, ReadOnlySpan<float> output, string name)
    {
        if (SpanOverlap.Any(input, output, out int offset) && offset != 0)
        {
            throw new ArgumentException($"Span '{name}' partly overlaps an input (offset {offset}); it must be the same span or disjoint.", name);
        }
    }

    /// <summary>s1 = op(s0).</summary>
    private readonly struct UnaryMap<TOp>(TOp op) : IStreamKernel
        where TOp : struct, IUnaryOp
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public TV Apply<TS, TV, TC>(float* s0, float* s1, float* s2, float* s3, TV mask)
            where TS : ISimd<TV>
            where TV : struct
            where TC : IColumnAccess
        {
            TV y = op.Invoke<TS, TV>(TC.Load<TS, TV>(s0, mask));
            TC.Store<TS, TV>(s1, y, mask);
            return y;
        }
    }

    /// <summary>s2 = op(s0, s1).</summary>
    private readonly struct BinaryMap<TOp>(TOp op) : IStreamKernel
        where TOp : struct, IBinaryOp
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public TV Apply<TS, TV, TC>(float* s0, float* s1, float* s2, float* s3, TV mask)
            where TS : ISimd<TV>
            where TV : struct
            where TC : IColumnAccess
        {
            TV y = op.Invoke<TS, TV>(TC.Load<TS, TV>(s0, mask), TC.Load<TS, TV>(s1, mask));
            TC.Store<TS, TV>(s2, y, mask);
            return y;
        }
    }

    /// <summary>
    /// Column sums, one vector of columns at a time (eight or four at once where they fit, so that many independent
    /// addition chains overlap: a 64×128 bias gradient at 512 bits in 86–90 ns instead of 165–169 with four, and 64×64 in 91–93 instead
    /// of 150–155, the loop now in one helper whose row stride and offsets stay in registers), the last partial
    /// vector of columns masked. Each column is summed row after row into its running
    /// total in a register: the same additions in the same order as adding the rows into the sums one by one.
    /// </summary>
    private struct ColumnSumsKernel(float* x, int rows, int columns, int stride, float* sums) : IWidthKernel
    {
        [MethodImpl(KernelCompilation.Hot)]
        public readonly void Run<TS, TV>()
            where TS : ISimd<TV>
            where TV : struct
        {
            int c = TS.Count;
            int j = 0;
            for (; j + (8 * c) <= columns; j += 8 * c)
            {
                Vectors<TS, TV>(j, eight: true);
            }

            for (; j + (4 * c) <= columns; j += 4 * c)
            {
                Vectors<TS, TV>(j, eight: false);
            }

            for (; j + c <= columns; j += c)
            {
                Columns<TS, TV, FullColumns>(j, default);
            }

            if (j < columns)
            {
                Columns<TS, TV, MaskedColumns>(j, TS.CreateMask(columns - j));
            }
        }

        /// <summary>Eight whole vectors of columns from column <paramref name="j"/> on (four when not
        /// <paramref name="eight"/>, a constant at each call, so the other four vanish), each its own addition chain.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private readonly void Vectors<TS, TV>(int j, bool eight)
            where TS : ISimd<TV>
            where TV : struct
        {
            nuint c = (nuint)TS.Count;
            float* s = sums + j;
            TV a0 = TS.Load(ref *s, 0);
            TV a1 = TS.Load(ref *s, c);
            TV a2 = TS.Load(ref *s, 2 * c);
            TV a3 = TS.Load(ref *s, 3 * c);
            TV a4 = eight ? TS.Load(ref *s, 4 * c) : default;
            TV a5 = eight ? TS.Load(ref *s, 5 * c) : default;
            TV a6 = eight ? TS.Load(ref *s, 6 * c) : default;
            TV a7 = eight ? TS.Load(ref *s, 7 * c) : default;
            float* row = x + j;
            nint step = stride;
            for (int i = 0; i < rows; i++, row += step)
            {
                a0 = TS.Add(a0, TS.Load(ref *row, 0));
                a1 = TS.Add(a1, TS.Load(ref *row, c));
                a2 = TS.Add(a2, TS.Load(ref *row, 2 * c));
                a3 = TS.Add(a3, TS.Load(ref *row, 3 * c));
                if (eight)
                {
                    a4 = TS.Add(a4, TS.Load(ref *row, 4 * c));
                    a5 = TS.Add(a5, TS.Load(ref *row, 5 * c));
                    a6 = TS.Add(a6, TS.Load(ref *row, 6 * c));
                    a7 = TS.Add(a7, TS.Load(ref *row, 7 * c));
                }
            }

            TS.Store(a0, ref *s, 0);
            TS.Store(a1, ref *s, c);
            TS.Store(a2, ref *s, 2 * c);
            TS.Store(a3, ref *s, 3 * c);
            if (eight)
            {
                TS.Store(a4, ref *s, 4 * c);
                TS.Store(a5, ref *s, 5 * c);
                TS.Store(a6, ref *s, 6 * c);
                TS.Store(a7, ref *s, 7 * c);
            }
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private readonly void Columns<TS, TV, TC>(int j, TV mask)
            where TS : ISimd<TV>
            where TV : struct
            where TC : IColumnAccess
        {
            TV a = TC.Load<TS, TV>(sums + j, mask);
            float* row = x + j;
            for (int i = 0; i < rows; i++, row += stride)
            {
                a = TS.Add(a, TC.Load<TS, TV>(row, mask));
            }

            TC.Store<TS, TV>(sums + j, a, mask);
        }
    }

    /// <summary>Σ x·y in one vector accumulator; the masked tail adds zeros in the lanes past the end.</summary>
    private struct DotKernel(float* x, float* y, int n) : IWidthKernel
    {
        public float Result { get; private set; }

        [MethodImpl(KernelCompilation.Hot)]
        public void Run<TS, TV>()
            where TS : ISimd<TV>
            where TV : struct
        {
            int count = TS.Count;
            TV acc = TS.Broadcast(0f);
            int i = 0;
            for (; i + count <= n; i += count)
            {
                acc = TS.MultiplyAdd(TS.Load(ref x[i], 0), TS.Load(ref y[i], 0), acc);
            }

            if (i < n)
            {
                TV mask = TS.CreateMask(n - i);
                acc = TS.MultiplyAdd(TS.LoadMasked(x + i, mask), TS.LoadMasked(y + i, mask), acc);
            }

            Result = TS.Sum(acc);
        }
    }
}

/// <summary>
/// Σ term(x) in four independent vector sums, so that the additions' latency does not bound the loop: four vectors at
/// a time, then one at a time, then the masked tail (its lanes past the end are zeros, and both terms map 0 to 0).
/// <typeparamref name="TTerm"/> folds one vector into a sum: <c>Invoke(sum, x)</c> (an <see cref="IBinaryOp"/> whose
/// first input is the running sum).
/// </summary>
internal unsafe struct FourSumsKernel<TTerm>(float* x, int n) : IWidthKernel
    where TTerm : struct, IBinaryOp
{
    public float Result { get; private set; }

    [MethodImpl(KernelCompilation.Hot)]
    public void Run<TS, TV>()
        where TS : ISimd<TV>
        where TV : struct
    {
        TTerm term = default;
        int count = TS.Count;
        TV a0 = TS.Broadcast(0f);
        TV a1 = a0;
        TV a2 = a0;
        TV a3 = a0;
        int i = 0;
        for (; i + (4 * count) <= n; i += 4 * count)
        {
            a0 = term.Invoke<TS, TV>(a0, TS.Load(ref x[i], 0));
            a1 = term.Invoke<TS, TV>(a1, TS.Load(ref x[i], (nuint)count));
            a2 = term.Invoke<TS, TV>(a2, TS.Load(ref x[i], (nuint)(2 * count)));
            a3 = term.Invoke<TS, TV>(a3, TS.Load(ref x[i], (nuint)(3 * count)));
        }

        for (; i + count <= n; i += count)
        {
            a0 = term.Invoke<TS, TV>(a0, TS.Load(ref x[i], 0));
        }

        if (i < n)
        {
            a1 = term.Invoke<TS, TV>(a1, TS.LoadMasked(x + i, TS.CreateMask(n - i)));
        }

        Result = TS.Sum(TS.Add(TS.Add(a0, a1), TS.Add(a2, a3)));
    }
}

/// <summary>sum + x² (a multiply-add, fused where the width has FMA): <see cref="Elementwise.SumOfSquares"/>.</summary>
internal readonly struct SquareTerm : IBinaryOp
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public TV Invoke<TS, TV>(TV sum, TV x)
        where TS : ISimd<TV>
        where TV : struct => TS.MultiplyAdd(x, x, sum);
}

/// <summary>
/// sum + x·0: x·0 is ±0 for finite x and NaN for NaN or ±∞, so the sum is 0 exactly when every element is finite
/// (<see cref="Elementwise.AllFinite"/>; a GAN step checks every parameter this way).
/// </summary>
internal readonly struct FiniteTerm : IBinaryOp
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public TV Invoke<TS, TV>(TV sum, TV x)
        where TS : ISimd<TV>
        where TV : struct => TS.Add(sum, TS.Multiply(x, TS.Broadcast(0f)));
}

/// <summary>max(0, x); NaN propagates (IEEE maximum), like LeakyReLU's slope·NaN.</summary>
internal readonly struct ReluOp : IUnaryOp
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public TV Invoke<TS, TV>(TV x)
        where TS : ISimd<TV>
        where TV : struct => TS.Max(x, TS.Broadcast(0f));
}

/// <summary>x &gt; 0 ? x : slope·x.</summary>
internal readonly struct LeakyReluOp(float slope) : IUnaryOp
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public TV Invoke<TS, TV>(TV x)
        where TS : ISimd<TV>
        where TV : struct => TS.SelectPositive(x, x, TS.Multiply(x, TS.Broadcast(slope)));
}

/// <summary>1 / (1 + e^(−x)); e^(−x) overflowing to +∞ gives exactly 0.</summary>
internal readonly struct SigmoidOp : IUnaryOp
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public TV Invoke<TS, TV>(TV x)
        where TS : ISimd<TV>
        where TV : struct
    {
        TV one = TS.Broadcast(1f);
        return TS.Divide(one, TS.Add(one, TS.Exp(TS.Subtract(TS.Broadcast(0f), x))));
    }
}

/// <summary>
/// tanh(x) = sign(x)·(1 − t)/(1 + t) with t = e^(−2|x|) ∈ (0, 1], so nothing overflows. Below
/// |x| = <see cref="SeriesLimit"/> the 1 − t cancels (and the vectorized Exp(0) is not exactly 1, which made
/// tanh(0) ≈ 6e-8), so there the odd Taylor series x − x³/3 + 2x⁵/15 − 17x⁷/315 + 62x⁹/2835 is used instead;
/// its truncation error at 0.25 is below 1e-8 relative.
/// </summary>
internal readonly struct TanhOp : IUnaryOp
{
    private const float SeriesLimit = 0.25f;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public TV Invoke<TS, TV>(TV x)
        where TS : ISimd<TV>
        where TV : struct
    {
        TV one = TS.Broadcast(1f);
        TV magnitude = TS.Abs(x);
        TV t = TS.Exp(TS.Multiply(TS.Broadcast(-2f), magnitude));
        TV large = TS.Divide(TS.Subtract(one, t), TS.Add(one, t));

        TV x2 = TS.Multiply(magnitude, magnitude);
        TV q = TS.MultiplyAdd(TS.Broadcast(62f / 2835f), x2, TS.Broadcast(-17f / 315f));
        q = TS.MultiplyAdd(q, x2, TS.Broadcast(2f / 15f));
        q = TS.MultiplyAdd(q, x2, TS.Broadcast(-1f / 3f));
        TV small = TS.MultiplyAdd(magnitude, TS.Multiply(x2, q), magnitude);

        // limit − |x| > 0 selects the series; NaN and ±∞ take the exponential form (NaN propagates, ±∞ gives ±1).
        TV result = TS.SelectPositive(TS.Subtract(TS.Broadcast(SeriesLimit), magnitude), small, large);
        return TS.CopySign(result, x);
    }
}

/// <summary>g · (y &gt; 0 ? 1 : slope), from the output y of (leaky) ReLU.</summary>
internal readonly struct LeakyReluGradOp(float slope) : IBinaryOp
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public TV Invoke<TS, TV>(TV g, TV y)
        where TS : ISimd<TV>
        where TV : struct => TS.SelectPositive(y, g, TS.Multiply(g, TS.Broadcast(slope)));
}

/// <summary>g · y · (1 − y), from the output y of the sigmoid.</summary>
internal readonly struct SigmoidGradOp : IBinaryOp
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public TV Invoke<TS, TV>(TV g, TV y)
        where TS : ISimd<TV>
        where TV : struct => TS.Multiply(g, TS.Multiply(y, TS.Subtract(TS.Broadcast(1f), y)));
}

/// <summary>g · (1 − y²), from the output y of tanh.</summary>
internal readonly struct TanhGradOp : IBinaryOp
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public TV Invoke<TS, TV>(TV g, TV y)
        where TS : ISimd<TV>
        where TV : struct => TS.Multiply(g, TS.Subtract(TS.Broadcast(1f), TS.Multiply(y, y)));
}

/// <summary>x + y.</summary>
internal readonly struct AddOp : IBinaryOp
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public TV Invoke<TS, TV>(TV x, TV y)
        where TS : ISimd<TV>
        where TV : struct => TS.Add(x, y);
}

/// <summary>alpha·x + y.</summary>
internal readonly struct AxpyOp(float alpha) : IBinaryOp
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public TV Invoke<TS, TV>(TV x, TV y)
        where TS : ISimd<TV>
        where TV : struct => TS.MultiplyAdd(TS.Broadcast(alpha), x, y);
}

/// <summary>min(max(x, low), high); NaN propagates through both.</summary>
internal readonly struct ClampOp(float low, float high) : IUnaryOp
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public TV Invoke<TS, TV>(TV x)
        where TS : ISimd<TV>
        where TV : struct => TS.Min(TS.Max(x, TS.Broadcast(low)), TS.Broadcast(high));
}

/// <summary>alpha·x.</summary>
internal readonly struct ScaleOp(float alpha) : IUnaryOp
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public TV Invoke<TS, TV>(TV x)
        where TS : ISimd<TV>
        where TV : struct => TS.Multiply(x, TS.Broadcast(alpha));
}
