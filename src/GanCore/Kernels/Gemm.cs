using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using GanCore.Tensors;

namespace GanCore.Kernels;

/// <summary>
/// General matrix multiplication on row-major float32 data: C = op(A)·op(B) or C += op(A)·op(B), where
/// op(X) is X or Xᵀ. op(A) is M×K, op(B) is K×N and C is M×N. The three forms backpropagation needs —
/// A·B, Aᵀ·B and A·Bᵀ — have their own fast paths; Aᵀ·Bᵀ is supported for completeness.
/// </summary>
/// <remarks>
/// <para>Small shapes (the GAN's 64×15×128 and friends) run a direct register-blocked kernel with no packing;
/// large shapes pack A and B into panels for a cache-blocked micro-kernel and, above a size threshold, split
/// the rows and columns of C across up to <see cref="MaxDegreeOfParallelism"/> threads. K is never split, so
/// a result is bitwise the same for any thread count.</para>
/// <para>The widest vector path the hardware accelerates is used: Vector512, Vector256, Vector128 or scalar.</para>
/// <para>The methods are thread-safe for distinct outputs. C must not overlap A or B.</para>
/// </remarks>
public static partial class Gemm
{
    private static int s_maxDegreeOfParallelism = Environment.ProcessorCount;

    /// <summary>
    /// The most threads one large multiplication may use. Defaults to <see cref="Environment.ProcessorCount"/>;
    /// 1 means strictly single-threaded. Small shapes (M·N·K below the cube whose three operands would fill one core's
    /// L1 data cache: 52³ for 32 KB) always run on the calling thread.
    /// </summary>
    /// <remarks>The other threads are background workers, one per processor beyond the first, each started the first
    /// time a product needs it. After each product a worker spins for 100 µs before it blocks, so that a training step's
    /// next product finds it awake; an idle process uses no CPU. One product uses the workers at a time: a product
    /// called on another thread meanwhile runs on that thread alone. The result is bitwise the same either way. The
    /// steps of <see cref="Adversarial.Gan.Step"/> and <see cref="Models.Sequential.Fit"/> may use fewer: with
    /// <see cref="AdaptiveParallelism"/> on they time each count up to this one and run the fastest.</remarks>
    /// <exception cref="ArgumentOutOfRangeException">The value is less than 1.</exception>
    public static int MaxDegreeOfParallelism
    {
        get => Volatile.Read(ref s_maxDegreeOfParallelism);
        set
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, 1);
            Volatile.Write(ref s_maxDegreeOfParallelism, value);
        }
    }

    private static volatile bool s_adaptiveParallelism = true;

    /// <summary>The most threads the running step of a training loop on this thread lets a product use (its
    /// <see cref="StepThreadTuner"/>'s choice), or 0 outside such a step.</summary>
    [ThreadStatic]
    private static int t_stepThreads;

    /// <summary>
    /// Whether training loops choose their own thread count, up to <see cref="MaxDegreeOfParallelism"/>, by timing
    /// their steps. True by default. <see cref="Adversarial.Gan.Step"/> and <see cref="Models.Sequential.Fit"/> then try
    /// every few hundred steps each count of 1, 2, 4, … up to the maximum and run the fastest until the next trial,
    /// since whether a second core pays depends on the step's shapes and, on a virtual machine, on the moment: on one
    /// two-core guest the same step ran 1.3× faster on two threads than on one in one minute and 1.65× slower in
    /// another. False: every product over the size threshold uses <see cref="MaxDegreeOfParallelism"/> threads, as when
    /// timing a fixed thread count. Products called outside a training loop always do. The thread count never
    /// changes a result.
    /// </summary>
    public static bool AdaptiveParallelism
    {
        get => s_adaptiveParallelism;
        set => s_adaptiveParallelism = value;
    }

    /// <summary>The running training step's thread count on this thread (0: none; see <see cref="StepThreadTuner"/>).</summary>
    internal static int StepThreads
    {
        get => t_stepThreads;
        set => t_stepThreads = value;
    }

    /// <summary>The most threads a product called now on this thread may use: <see cref="MaxDegreeOfParallelism"/>,
    /// or fewer when a training step's tuner chose fewer.</summary>
    internal static int Threads
    {
        get
        {
            int max = MaxDegreeOfParallelism;
            int step = t_stepThreads;
            return step > 0 && step < max ? step : max;
        }
    }

    /// <summary>
    /// C = op(A)·op(B), or C += op(A)·op(B) when <paramref name="accumulate"/> is true, on spans with explicit
    /// row strides (leading dimensions), as in BLAS <c>sgemm</c> with α = 1 and β ∈ {0, 1}.
    /// </summary>
    /// <param name="transposeA">Use Aᵀ: A is stored K×M instead of M×K.</param>
    /// <param name="transposeB">Use Bᵀ: B is stored N×K instead of K×N.</param>
    /// <param name="m">Rows of C (≥ 0).</param>
    /// <param name="n">Columns of C (≥ 0).</param>
    /// <param name="k">The shared dimension (≥ 0). With K = 0, C is zeroed (overwrite) or left as is (accumulate).</param>
    /// <param name="a">The elements of A, row-major.</param>
    /// <param name="lda">The row stride of A as stored (≥ its stored column count).</param>
    /// <param name="b">The elements of B, row-major.</param>
    /// <param name="ldb">The row stride of B as stored.</param>
    /// <param name="c">The elements of C, row-major.</param>
    /// <param name="ldc">The row stride of C (≥ N).</param>
    /// <param name="accumulate">Add into C instead of overwriting it.</param>
    /// <exception cref="ArgumentOutOfRangeException">A dimension is negative, or a stride is smaller than its row.</exception>
    /// <exception cref="ArgumentException">A span is too short for its shape and stride, or C overlaps A or B.</exception>
    public static void Compute(
        bool transposeA,
        bool transposeB,
        int m,
        int n,
        int k,
        ReadOnlySpan<float> a,
        int lda,
        ReadOnlySpan<float> b,
        int ldb,
        Span<float> c,
        int ldc,
        bool accumulate = false)
    {
        Validate(transposeA, transposeB, m, n, k, a, lda, b, ldb, c, ldc);
        GemmEngine.Run(transposeA, transposeB, m, n, k, a, lda, b, ldb, c, ldc, accumulate, KernelDispatch.Width, Threads);
    }

    /// <summary>C = A·B (or C += A·B). A is M×K, B is K×N, C is M×N.</summary>
    /// <param name="a">The left operand.</param>
    /// <param name="b">The right operand.</param>
    /// <param name="c">The result; must not share storage with A or B.</param>
    /// <param name="accumulate">Add into C instead of overwriting it.</param>
    /// <exception cref="ArgumentNullException">A matrix is null.</exception>
    /// <exception cref="ArgumentException">The shapes do not agree, or C overlaps A or B.</exception>
    public static void Multiply(Matrix a, Matrix b, Matrix c, bool accumulate = false) => Run(false, false, a, b, c, accumulate);

    /// <summary>C = Aᵀ·B (or C += Aᵀ·B). A is K×M, B is K×N, C is M×N. A dense layer's weight gradient Xᵀ·dY.</summary>
    /// <param name="a">The operand used transposed.</param>
    /// <param name="b">The right operand.</param>
    /// <param name="c">The result; must not share storage with A or B.</param>
    /// <param name="accumulate">Add into C instead of overwriting it.</param>
    /// <exception cref="ArgumentNullException">A matrix is null.</exception>
    /// <exception cref="ArgumentException">The shapes do not agree, or C overlaps A or B.</exception>
    public static void MultiplyTransposedA(Matrix a, Matrix b, Matrix c, bool accumulate = false) => Run(true, false, a, b, c, accumulate);

    /// <summary>C = A·Bᵀ (or C += A·Bᵀ). A is M×K, B is N×K, C is M×N. A dense layer's input gradient dY·Wᵀ.</summary>
    /// <param name="a">The left operand.</param>
    /// <param name="b">The operand used transposed.</param>
    /// <param name="c">The result; must not share storage with A or B.</param>
    /// <param name="accumulate">Add into C instead of overwriting it.</param>
    /// <exception cref="ArgumentNullException">A matrix is null.</exception>
    /// <exception cref="ArgumentException">The shapes do not agree, or C overlaps A or B.</exception>
    public static void MultiplyTransposedB(Matrix a, Matrix b, Matrix c, bool accumulate = false) => Run(false, true, a, b, c, accumulate);

    /// <summary>
    /// The fused dense epilogue: C = act(A·B + bias), with the bias broadcast over the rows of C.
    /// A is M×K, B is K×N, bias has N elements, C is M×N.
    /// </summary>
    /// <param name="a">The input batch, one example per row.</param>
    /// <param name="b">The weights.</param>
    /// <param name="bias">One bias per column of C.</param>
    /// <param name="c">The result; must not share storage with A, B or the bias.</param>
    /// <param name="activation">The activation applied to every element.</param>
    /// <param name="slope">The negative-side slope of <see cref="Activation.LeakyReLU"/> (≥ 0); ignored otherwise.</param>
    /// <exception cref="ArgumentNullException">A matrix is null.</exception>
    /// <exception cref="ArgumentException">The shapes do not agree, the bias length is not N, or C overlaps an input.</exception>
    public static void MultiplyBiasActivation(Matrix a, Matrix b, ReadOnlySpan<float> bias, Matrix c, Activation activation, float slope = 0f)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        ArgumentNullException.ThrowIfNull(c);
        CheckShapes(false, false, a, b, c);
        if (bias.Length != c.Columns)
        {
            throw new ArgumentException($"The bias has {bias.Length} elements; C has {c.Columns} columns.", nameof(bias));
        }

        if (SpanOverlap.Any(c.Span, bias))
        {
            throw new ArgumentException("C overlaps the bias.", nameof(c));
        }

        Validate(false, false, c.Rows, c.Columns, a.Columns, a.Span, a.Stride, b.Span, b.Stride, c.Span, c.Stride);
        GemmEngine.RunBiasActivation(c.Rows, c.Columns, a.Columns, a.Span, a.Stride, b.Span, b.Stride, bias, c.Span, c.Stride, activation, slope, KernelDispatch.Width, Threads);
    }

    /// <summary>
    /// A dense layer's parameter gradients: dW += Xᵀ·dY and db += Σ_rows dY. One pass over dY when the product streams
    /// (a wide layer with at most 16 inputs, on one thread), else the product and then <see cref="Elementwise.ColumnSums"/>;
    /// the bits are the same either way.
    /// </summary>
    internal static void WeightAndBiasGradients(Matrix x, Matrix dy, Matrix dw, Span<float> db)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(dy);
        ArgumentNullException.ThrowIfNull(dw);
        CheckShapes(true, false, x, dy, dw);
        if (db.Length != dy.Columns)
        {
            throw new ArgumentException($"The bias gradient has {db.Length} elements but dY has {dy.Columns} columns.", nameof(db));
        }

        int m = dw.Rows;
        int n = dw.Columns;
        int k = x.Rows;
        Validate(true, false, m, n, k, x.Span, x.Stride, dy.Span, dy.Stride, dw.Span, dw.Stride);
        if (!GemmEngine.TryWeightAndBiasGradients(m, n, k, x.Span, x.Stride, dy.Span, dy.Stride, dw.Span, dw.Stride, db, KernelDispatch.Width, Threads))
        {
            GemmEngine.Run(true, false, m, n, k, x.Span, x.Stride, dy.Span, dy.Stride, dw.Span, dw.Stride, accumulate: true, KernelDispatch.Width, Threads);
            Elementwise.ColumnSums(dy.Span, dy.Rows, dy.Columns, dy.Stride, db, accumulate: true);
        }
    }

    private static void Run(bool transposeA, bool transposeB, Matrix a, Matrix b, Matrix c, bool accumulate)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        ArgumentNullException.ThrowIfNull(c);
        CheckShapes(transposeA, transposeB, a, b, c);
        int k = transposeA ? a.Rows : a.Columns;
        Compute(transposeA, transposeB, c.Rows, c.Columns, k, a.Span, a.Stride, b.Span, b.Stride, c.Span, c.Stride, accumulate);
    }

    private static void CheckShapes(bool transposeA, bool transposeB, Matrix a, Matrix b, Matrix c)
    {
        (int am, int ak) = transposeA ? (a.Columns, a.Rows) : (a.Rows, a.Columns);
        (int bk, int bn) = transposeB ? (b.Columns, b.Rows) : (b.Rows, b.Columns);
        // The form's name is only built on failure, so a valid call allocates nothing.
        string Form() => (transposeA ? "Aᵀ" : "A") + "·" + (transposeB ? "Bᵀ" : "B");
        if (ak != bk)
        {
            throw new ArgumentException($"{Form()}: op(A) is {am}×{ak} but op(B) is {bk}×{bn}; the inner dimensions differ.", nameof(b));
        }

        if (c.Rows != am || c.Columns != bn)
        {
            throw new ArgumentException($"{Form()}: the result is {am}×{bn} but C is {c.Rows}×{c.Columns}.", nameof(c));
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static void Validate(bool transposeA, bool transposeB, int m, int n, int k, ReadOnlySpan<float> a, int lda, ReadOnlySpan<float> b, int ldb, ReadOnlySpan<float> c, int ldc)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(m);
        ArgumentOutOfRangeException.ThrowIfNegative(n);
        ArgumentOutOfRangeException.ThrowIfNegative(k);
        (int aRows, int aCols) = transposeA ? (k, m) : (m, k);
        (int bRows, int bCols) = transposeB ? (n, k) : (k, n);
        int aUsed = CheckOperand(a.Length, aRows, aCols, lda, nameof(a), nameof(lda));
        int bUsed = CheckOperand(b.Length, bRows, bCols, ldb, nameof(b), nameof(ldb));
        int cUsed = CheckOperand(c.Length, m, n, ldc, nameof(c), nameof(ldc));
        if (cUsed > 0)
        {
            // Only the elements each operand reaches count (a product's C may sit in a longer span next to its inputs).
            if (SpanOverlap.Any(c[..cUsed], a[..aUsed]))
            {
                throw new ArgumentException("C overlaps A; the output must not share storage with an input.", nameof(c));
            }

            if (SpanOverlap.Any(c[..cUsed], b[..bUsed]))
            {
                throw new ArgumentException("C overlaps B; the output must not share storage with an input.", nameof(c));
            }
        }
    }

    /// <summary>The elements a rows × columns operand of row stride <paramref name="stride"/> reaches, after checking
    /// that the stride covers a row and that a span of <paramref name="spanLength"/> holds them. Inlined into every
    /// product's validation: the messages are built only on failure (<see cref="ThrowBadOperand"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int CheckOperand(int spanLength, int rows, int columns, int stride, string name, string strideName)
    {
        long need = Matrix.RequiredLength(rows, columns, stride);
        if (stride < columns || stride < 0 || spanLength < need)
        {
            ThrowBadOperand(spanLength, rows, columns, stride, name, strideName);
        }

        return (int)need;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    [DoesNotReturn]
    private static void ThrowBadOperand(int spanLength, int rows, int columns, int stride, string name, string strideName)
    {
        if (stride < columns || stride < 0)
        {
            throw new ArgumentOutOfRangeException(strideName, stride, $"The row stride of {name} ({stride}) is smaller than its row length {columns}.");
        }

        long need = Matrix.RequiredLength(rows, columns, stride);
        throw new ArgumentException($"Span '{name}' has {spanLength} elements; a {rows}×{columns} operand with stride {stride} needs {need}.", name);
    }
}
