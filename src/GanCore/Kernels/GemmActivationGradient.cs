using System.Runtime.CompilerServices;
using GanCore.Tensors;

namespace GanCore.Kernels;

/// <summary>
/// C = f'(Y) ⊙ base(acc): an activation's derivative applied in the final store of the GEMM that produces the gradient
/// flowing into it (dX = dY·Wᵀ of the dense layer after it), so the gradient is written once instead of being written,
/// read back and written again by a separate element-wise pass. Y, the activation's output, is read at the same (row,
/// column) as C: it has C's row stride, so its element sits at a fixed distance <paramref name="outputOffset"/> (in
/// floats) from C's. <typeparamref name="TGrad"/> is the element-wise derivative op of
/// <see cref="Elementwise.ActivationBackward"/>, so every element gets exactly the value that pass would give it.
/// </summary>
internal readonly unsafe struct ActivationGradientEpilogue<TBase, TGrad>(nint outputOffset, TGrad gradient) : IGemmEpilogue
    where TBase : struct, IGemmEpilogue
    where TGrad : struct, IBinaryOp
{
    /// <inheritdoc/>
    public static bool SeedsFromC => false;

    /// <inheritdoc/>
    public bool ParksAccumulators => default(TBase).ReadsC;

    /// <inheritdoc/>
    public bool ReadsC => default(TBase).ReadsC;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public TV Apply<TS, TV, TC>(TV acc, float* c, nint column, TV mask)
        where TS : ISimd<TV>
        where TV : struct
        where TC : IColumnAccess
    {
        TV sum = default(TBase).Apply<TS, TV, TC>(acc, c, column, mask);
        return gradient.Invoke<TS, TV>(sum, TC.Load<TS, TV>(c + outputOffset, mask));
    }

    /// <inheritdoc/>
    public void Spread(nint column, int n, float* spread, int count) => default(TBase).Spread(column, n, spread, count);

    /// <inheritdoc/>
    /// <remarks>Y shares C's row stride, so in a dense C its elements are as consecutive as C's.</remarks>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public TV ApplyDense<TS, TV, TC>(TV acc, float* c, float* spread, TV mask)
        where TS : ISimd<TV>
        where TV : struct
        where TC : IColumnAccess
    {
        TV sum = default(TBase).ApplyDense<TS, TV, TC>(acc, c, spread, mask);
        return gradient.Invoke<TS, TV>(sum, TC.Load<TS, TV>(c + outputOffset, mask));
    }
}

/// <summary>The fused backward product behind a dense layer followed (in forward order) by an activation.</summary>
public static partial class Gemm
{
    /// <summary>
    /// C = f'(Y) ⊙ (A·Bᵀ): the gradient with respect to an activation's input, dX = f'(Y) ⊙ (dY·Wᵀ), in one pass.
    /// The result equals <see cref="MultiplyTransposedB"/> followed by <see cref="Elementwise.ActivationBackward"/> bit for bit.
    /// </summary>
    /// <param name="a">dY, M×K.</param>
    /// <param name="b">W, N×K (used transposed).</param>
    /// <param name="c">The result, M×N; shares storage with no input.</param>
    /// <param name="activationOutput">Y, the activation's output: M×N with C's row stride.</param>
    /// <param name="activation">The activation whose derivative is applied.</param>
    /// <param name="slope">The negative-side slope of <see cref="Activation.LeakyReLU"/>; ignored otherwise.</param>
    /// <exception cref="ArgumentException">The shapes or strides do not agree, or C overlaps an input.</exception>
    internal static void MultiplyTransposedBActivationGradient(Matrix a, Matrix b, Matrix c, Matrix activationOutput, Activation activation, float slope)
    {
        CheckShapes(false, true, a, b, c);
        if (activationOutput.Rows != c.Rows || activationOutput.Columns != c.Columns || activationOutput.Stride != c.Stride)
        {
            throw new ArgumentException($"The activation output is {activationOutput.Rows}×{activationOutput.Columns} (stride {activationOutput.Stride}); C is {c.Rows}×{c.Columns} (stride {c.Stride}).", nameof(activationOutput));
        }

        bool inPlace = ReferenceEquals(c, activationOutput);
        if (inPlace && a.Columns > GemmStream.MaxRows)
        {
            throw new ArgumentException($"C can replace the activation output only when K ≤ {GemmStream.MaxRows} (K = {a.Columns}): a larger K may be split into blocks whose partial sums would overwrite the output before it is read.", nameof(c));
        }

        if (!inPlace && SpanOverlap.Any(c.Span, activationOutput.Span))
        {
            throw new ArgumentException("C partly overlaps the activation output; it must be the activation output itself (in place) or disjoint from it.", nameof(c));
        }

        Validate(false, true, c.Rows, c.Columns, a.Columns, a.Span, a.Stride, b.Span, b.Stride, c.Span, c.Stride);
        GemmEngine.RunActivationGradient(c.Rows, c.Columns, a.Columns, a.Span, a.Stride, b.Span, b.Stride, c.Span, c.Stride, activationOutput.Span, activation, slope, KernelDispatch.Width, Threads);
    }
}

/// <summary>The entry of the fused activation-gradient product.</summary>
internal static unsafe partial class GemmEngine
{
    public static void RunActivationGradient(int m, int n, int k, ReadOnlySpan<float> a, int lda, ReadOnlySpan<float> b, int ldb, Span<float> c, int ldc, ReadOnlySpan<float> output, Activation activation, float slope, VectorWidth width, int threads) =>
        RunActivationGradient(m, n, k, a, lda, b, ldb, transposeB: true, c, ldc, output, activation, slope, width, threads);

    /// <summary>C = f'(Y) ⊙ (A·op(B)): with <paramref name="transposeB"/> false, B is already Wᵀ (K×N, rows contiguous),
    /// the layout the product would otherwise copy W into on every call.</summary>
    public static void RunActivationGradient(int m, int n, int k, ReadOnlySpan<float> a, int lda, ReadOnlySpan<float> b, int ldb, bool transposeB, Span<float> c, int ldc, ReadOnlySpan<float> output, Activation activation, float slope, VectorWidth width, int threads)
    {
        if (m == 0 || n == 0)
        {
            return;
        }

        fixed (float* pa = a, pb = b, pc = c, py = output)
        {
            GemmOperands o = Describe(false, transposeB, m, n, k, pa, lda, pb, ldb, pc, ldc);
            nint offset = (nint)(py - pc);
            switch (activation)
            {
                case Activation.Identity:
                    Dispatch(width, ref o, threads, default(OverwriteEpilogue), default(OverwriteEpilogue), default(AccumulateEpilogue), default(AccumulateEpilogue));
                    break;
                case Activation.ReLU:
                    RunGradient(width, ref o, threads, offset, new LeakyReluGradOp(0f));
                    break;
                case Activation.LeakyReLU:
                    RunGradient(width, ref o, threads, offset, new LeakyReluGradOp(slope));
                    break;
                case Activation.Sigmoid:
                    RunGradient(width, ref o, threads, offset, default(SigmoidGradOp));
                    break;
                case Activation.Tanh:
                    RunGradient(width, ref o, threads, offset, default(TanhGradOp));
                    break;
                default:
                    throw new ArgumentOutOfRangeException(nameof(activation), activation, "Unknown activation.");
            }
        }
    }

    private static void RunGradient<TGrad>(VectorWidth width, ref GemmOperands o, int threads, nint offset, TGrad gradient)
        where TGrad : struct, IBinaryOp =>
        Dispatch(
            width,
            ref o,
            threads,
            new ActivationGradientEpilogue<OverwriteEpilogue, TGrad>(offset, gradient),
            default(OverwriteEpilogue),
            default(AccumulateEpilogue),
            new ActivationGradientEpilogue<AccumulateEpilogue, TGrad>(offset, gradient));
}
