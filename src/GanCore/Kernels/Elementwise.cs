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
/// Element-wise and reduction kernels over spans. Each runs the widest accelerated vector width
/// (<see cref="KernelDispatch.Width"/>), then narrower widths; the element-wise maps finish the last 1–3 elements in a
/// zero-padded Vector128, so that an element's result never depends on its position. Only without any vector
/// acceleration does a map run one lane at a time.
/// <see cref="ElementwiseReference"/> holds the plain loops the tests trust.
/// </summary>
/// <remarks>Inputs and outputs may be the same span (in place); any other overlap is rejected.</remarks>
internal static class Elementwise
{
    /// <summary>y[i] = op(x[i]).</summary>
    public static void Map<TOp>(TOp op, ReadOnlySpan<float> x, Span<float> y)
        where TOp : struct, IUnaryOp
    {
        CheckSameLength(x.Length, y.Length, nameof(y));
        CheckInPlaceOrDisjoint(x, y, nameof(y));
        ref float xr = ref MemoryMarshal.GetReference(x);
        ref float yr = ref MemoryMarshal.GetReference(y);
        nuint n = (nuint)x.Length;
        nuint i = 0;
        VectorWidth w = KernelDispatch.Width;
        if (w >= VectorWidth.Bits512)
        {
            i = MapCore<TOp, Simd512, Vector512<float>>(op, ref xr, ref yr, i, n);
        }

        if (w >= VectorWidth.Bits256)
        {
            i = MapCore<TOp, Simd256, Vector256<float>>(op, ref xr, ref yr, i, n);
        }

        if (w >= VectorWidth.Bits128)
        {
            i = MapCore<TOp, Simd128, Vector128<float>>(op, ref xr, ref yr, i, n);
            if (i < n)
            {
                // Fewer than 4 elements remain: run them through a zero-padded Vector128 rather than one lane at a
                // time, so that every element takes the same vector path (the vectorized Exp differs from MathF.Exp
                // by an ulp): the result for an element does not depend on where it sits in the span, and matches
                // the fused GEMM epilogue, whose column tails are masked vectors.
                Vector128<float> padded = LoadTail(ref xr, i, n);
                StoreTail(op.Invoke<Simd128, Vector128<float>>(padded), ref yr, i, n);
                return;
            }
        }

        MapCore<TOp, SimdScalar, float>(op, ref xr, ref yr, i, n);
    }

    /// <summary>z[i] = op(x[i], y[i]).</summary>
    public static void Map<TOp>(TOp op, ReadOnlySpan<float> x, ReadOnlySpan<float> y, Span<float> z)
        where TOp : struct, IBinaryOp
    {
        CheckSameLength(x.Length, y.Length, nameof(y));
        CheckSameLength(x.Length, z.Length, nameof(z));
        CheckInPlaceOrDisjoint(x, z, nameof(z));
        CheckInPlaceOrDisjoint(y, z, nameof(z));
        ref float xr = ref MemoryMarshal.GetReference(x);
        ref float yr = ref MemoryMarshal.GetReference(y);
        ref float zr = ref MemoryMarshal.GetReference(z);
        nuint n = (nuint)x.Length;
        nuint i = 0;
        VectorWidth w = KernelDispatch.Width;
        if (w >= VectorWidth.Bits512)
        {
            i = MapCore<TOp, Simd512, Vector512<float>>(op, ref xr, ref yr, ref zr, i, n);
        }

        if (w >= VectorWidth.Bits256)
        {
            i = MapCore<TOp, Simd256, Vector256<float>>(op, ref xr, ref yr, ref zr, i, n);
        }

        if (w >= VectorWidth.Bits128)
        {
            i = MapCore<TOp, Simd128, Vector128<float>>(op, ref xr, ref yr, ref zr, i, n);
            if (i < n)
            {
                // The tail through a zero-padded vector, as in the unary Map: every element takes the same path.
                Vector128<float> px = LoadTail(ref xr, i, n);
                Vector128<float> py = LoadTail(ref yr, i, n);
                StoreTail(op.Invoke<Simd128, Vector128<float>>(px, py), ref zr, i, n);
                return;
            }
        }

        MapCore<TOp, SimdScalar, float>(op, ref xr, ref yr, ref zr, i, n);
    }

    /// <summary>x[i] = act(x[i]) in place.</summary>
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

    /// <summary>y[i] = act(x[i] + bias[i]) — one row of the fused dense epilogue.</summary>
    public static void BiasActivate(Activation activation, ReadOnlySpan<float> x, ReadOnlySpan<float> bias, Span<float> y, float slope = 0f)
    {
        switch (activation)
        {
            case Activation.Identity:
                Map(default(AddOp), x, bias, y);
                break;
            case Activation.ReLU:
                Map(new BiasThen<ReluOp>(default), x, bias, y);
                break;
            case Activation.LeakyReLU:
                Map(new BiasThen<LeakyReluOp>(new LeakyReluOp(slope)), x, bias, y);
                break;
            case Activation.Sigmoid:
                Map(new BiasThen<SigmoidOp>(default), x, bias, y);
                break;
            case Activation.Tanh:
                Map(new BiasThen<TanhOp>(default), x, bias, y);
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
    public static void ActivationBackward(Activation activation, ReadOnlySpan<float> gradOutput, ReadOnlySpan<float> output, Span<float> gradInput, float slope = 0f)
    {
        // Checked here for every activation (the Identity case does not go through Map), and the output is
        // never overwritten: Backward must not change what Forward kept.
        CheckSameLength(gradOutput.Length, output.Length, nameof(output));
        CheckSameLength(gradOutput.Length, gradInput.Length, nameof(gradInput));
        CheckInPlaceOrDisjoint(gradOutput, gradInput, nameof(gradInput));
        if (output.Overlaps(gradInput))
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

    /// <summary>z[i] = x[i] + y[i].</summary>
    public static void Add(ReadOnlySpan<float> x, ReadOnlySpan<float> y, Span<float> z) => Map(default(AddOp), x, y, z);

    /// <summary>
    /// Column sums of a rows × columns row-major block with row stride <paramref name="stride"/>:
    /// sums[j] (+)= Σ_i x[i·stride + j]. This is a dense layer's bias gradient.
    /// </summary>
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

        if (x.Overlaps(sums))
        {
            throw new ArgumentException("The sums span overlaps the input.", nameof(sums));
        }

        if (!accumulate)
        {
            sums.Clear();
        }

        if (columns == 0)
        {
            // A rows × 0 block needs no elements, so x may be shorter than rows·stride: do not slice it.
            return;
        }

        // Each column is summed row after row into its running total, in registers: the same additions in the same
        // order as adding the rows into the sums one by one, without a call per row.
        ref float xr = ref MemoryMarshal.GetReference(x);
        ref float sr = ref MemoryMarshal.GetReference(sums);
        int j = 0;
        VectorWidth w = KernelDispatch.Width;
        if (w >= VectorWidth.Bits512)
        {
            j = ColumnSumsCore<Simd512, Vector512<float>>(ref xr, rows, columns, stride, ref sr, j);
        }

        if (w >= VectorWidth.Bits256)
        {
            j = ColumnSumsCore<Simd256, Vector256<float>>(ref xr, rows, columns, stride, ref sr, j);
        }

        if (w >= VectorWidth.Bits128)
        {
            j = ColumnSumsCore<Simd128, Vector128<float>>(ref xr, rows, columns, stride, ref sr, j);
        }

        ColumnSumsCore<SimdScalar, float>(ref xr, rows, columns, stride, ref sr, j);
    }

    /// <summary>Column sums for the columns from <paramref name="j"/> on, one vector of columns at a time (four at once
    /// where they fit, so four independent addition chains overlap); returns the first column left over.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int ColumnSumsCore<TS, TV>(ref float x, int rows, int columns, int stride, ref float sums, int j)
        where TS : ISimd<TV>
        where TV : struct
    {
        int c = TS.Count;
        for (; j + (4 * c) <= columns; j += 4 * c)
        {
            TV a0 = TS.Load(ref sums, (nuint)j);
            TV a1 = TS.Load(ref sums, (nuint)(j + c));
            TV a2 = TS.Load(ref sums, (nuint)(j + (2 * c)));
            TV a3 = TS.Load(ref sums, (nuint)(j + (3 * c)));
            for (int i = 0; i < rows; i++)
            {
                nuint at = (nuint)((i * stride) + j);
                a0 = TS.Add(a0, TS.Load(ref x, at));
                a1 = TS.Add(a1, TS.Load(ref x, at + (nuint)c));
                a2 = TS.Add(a2, TS.Load(ref x, at + (nuint)(2 * c)));
                a3 = TS.Add(a3, TS.Load(ref x, at + (nuint)(3 * c)));
            }

            TS.Store(a0, ref sums, (nuint)j);
            TS.Store(a1, ref sums, (nuint)(j + c));
            TS.Store(a2, ref sums, (nuint)(j + (2 * c)));
            TS.Store(a3, ref sums, (nuint)(j + (3 * c)));
        }

        for (; j + c <= columns; j += c)
        {
            TV a = TS.Load(ref sums, (nuint)j);
            for (int i = 0; i < rows; i++)
            {
                a = TS.Add(a, TS.Load(ref x, (nuint)((i * stride) + j)));
            }

            TS.Store(a, ref sums, (nuint)j);
        }

        return j;
    }

    /// <summary>Σ x[i]·y[i], accumulated in float lanes.</summary>
    public static float Dot(ReadOnlySpan<float> x, ReadOnlySpan<float> y)
    {
        CheckSameLength(x.Length, y.Length, nameof(y));
        ref float xr = ref MemoryMarshal.GetReference(x);
        ref float yr = ref MemoryMarshal.GetReference(y);
        nuint n = (nuint)x.Length;
        nuint i = 0;
        float sum = 0f;
        VectorWidth w = KernelDispatch.Width;
        if (w >= VectorWidth.Bits512)
        {
            sum += DotCore<Simd512, Vector512<float>>(ref xr, ref yr, ref i, n);
        }

        if (w >= VectorWidth.Bits256)
        {
            sum += DotCore<Simd256, Vector256<float>>(ref xr, ref yr, ref i, n);
        }

        if (w >= VectorWidth.Bits128)
        {
            sum += DotCore<Simd128, Vector128<float>>(ref xr, ref yr, ref i, n);
        }

        return sum + DotCore<SimdScalar, float>(ref xr, ref yr, ref i, n);
    }

    /// <summary>True when every element is finite (no NaN, no ±∞).</summary>
    public static bool AllFinite(ReadOnlySpan<float> x)
    {
        // x·0 is 0 for finite x and NaN for NaN or ±∞, so one sum answers the question.
        float acc = 0f;
        for (int i = 0; i < x.Length; i++)
        {
            acc += x[i] * 0f;
        }

        return acc == 0f;
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
        if (input.Overlaps(output, out int offset) && offset != 0)
        {
            throw new ArgumentException($"Span '{name}' partly overlaps an input (offset {offset}); it must be the same span or disjoint.", name);
        }
    }

    /// <summary>Elements i..n−1 (fewer than 4) in the low lanes of a vector, zeros above.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<float> LoadTail(ref float source, nuint i, nuint n)
    {
        Vector128<float> v = Vector128<float>.Zero;
        for (nuint k = 0; i + k < n; k++)
        {
            v = v.WithElement((int)k, Unsafe.Add(ref source, i + k));
        }

        return v;
    }

    /// <summary>Stores the low n − i lanes of <paramref name="value"/> at i..n−1.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void StoreTail(Vector128<float> value, ref float destination, nuint i, nuint n)
    {
        for (nuint k = 0; i + k < n; k++)
        {
            Unsafe.Add(ref destination, i + k) = value.GetElement((int)k);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static nuint MapCore<TOp, TS, TV>(TOp op, ref float x, ref float y, nuint i, nuint n)
        where TOp : struct, IUnaryOp
        where TS : ISimd<TV>
        where TV : struct
    {
        nuint count = (nuint)TS.Count;
        for (; i + count <= n; i += count)
        {
            TS.Store(op.Invoke<TS, TV>(TS.Load(ref x, i)), ref y, i);
        }

        return i;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static nuint MapCore<TOp, TS, TV>(TOp op, ref float x, ref float y, ref float z, nuint i, nuint n)
        where TOp : struct, IBinaryOp
        where TS : ISimd<TV>
        where TV : struct
    {
        nuint count = (nuint)TS.Count;
        for (; i + count <= n; i += count)
        {
            TS.Store(op.Invoke<TS, TV>(TS.Load(ref x, i), TS.Load(ref y, i)), ref z, i);
        }

        return i;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static float DotCore<TS, TV>(ref float x, ref float y, ref nuint i, nuint n)
        where TS : ISimd<TV>
        where TV : struct
    {
        nuint count = (nuint)TS.Count;
        if (i + count > n)
        {
            return 0f;
        }

        TV acc = TS.Broadcast(0f);
        for (; i + count <= n; i += count)
        {
            acc = TS.MultiplyAdd(TS.Load(ref x, i), TS.Load(ref y, i), acc);
        }

        return TS.Sum(acc);
    }
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

/// <summary>act(x + b): the bias add fused in front of an activation.</summary>
internal readonly struct BiasThen<TAct>(TAct act) : IBinaryOp
    where TAct : struct, IUnaryOp
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public TV Invoke<TS, TV>(TV x, TV bias)
        where TS : ISimd<TV>
        where TV : struct => act.Invoke<TS, TV>(TS.Add(x, bias));
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

/// <summary>alpha·x.</summary>
internal readonly struct ScaleOp(float alpha) : IUnaryOp
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public TV Invoke<TS, TV>(TV x)
        where TS : ISimd<TV>
        where TV : struct => TS.Multiply(x, TS.Broadcast(alpha));
}
