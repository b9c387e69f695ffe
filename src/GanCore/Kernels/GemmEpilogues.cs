using System.Runtime.CompilerServices;

namespace GanCore.Kernels;

/// <summary>How a kernel reads and writes one vector of a row: all lanes, or only the lanes of a column tail.</summary>
internal interface IColumnAccess
{
    /// <summary>Loads C's (or another output-shaped matrix's) last vector of a row.</summary>
    static abstract unsafe TV Load<TS, TV>(float* source, TV mask)
        where TS : ISimd<TV>
        where TV : struct;

    /// <summary>Loads op(B)'s last vector of a row in a micro-kernel's k loop.</summary>
    static abstract unsafe TV LoadOperand<TS, TV>(float* source, TV mask)
        where TS : ISimd<TV>
        where TV : struct;

    static abstract unsafe void Store<TS, TV>(float* destination, TV value, TV mask)
        where TS : ISimd<TV>
        where TV : struct;

    /// <summary>Whether a micro-kernel's k loop ends with rows whose last vector of op(B) is loaded masked, after the
    /// <see cref="WholeRows"/> whose last vector <see cref="LoadOperand"/> loads whole (<see cref="OverReadColumns"/>):
    /// in a second loop in a one-vector kernel, by a test on the row inside the one loop in a wider one. A constant per
    /// type, so the JIT keeps either only where it can run.</summary>
    static abstract bool OverReads { get; }

    /// <summary>How many of a kernel's <paramref name="k"/> rows of op(B) (<paramref name="ldb"/> floats apart, the last
    /// vector <paramref name="tail"/> lanes of <paramref name="lanes"/> inside the matrix) <see cref="LoadOperand"/> may
    /// read: all of them, except where <see cref="OverReads"/>.</summary>
    static abstract int WholeRows(int k, nint ldb, int tail, int lanes);
}

/// <summary>Every lane is inside the matrix.</summary>
internal readonly struct FullColumns : IColumnAccess
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static unsafe TV Load<TS, TV>(float* source, TV mask)
        where TS : ISimd<TV>
        where TV : struct => TS.Load(ref *source, 0);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static unsafe TV LoadOperand<TS, TV>(float* source, TV mask)
        where TS : ISimd<TV>
        where TV : struct => TS.Load(ref *source, 0);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static unsafe void Store<TS, TV>(float* destination, TV value, TV mask)
        where TS : ISimd<TV>
        where TV : struct => TS.Store(value, ref *destination, 0);

    /// <inheritdoc/>
    public static bool OverReads => false;

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int WholeRows(int k, nint ldb, int tail, int lanes) => k;
}

/// <summary>Only the lanes the mask selects are inside the matrix (the last, partial vector of a row).</summary>
internal readonly struct MaskedColumns : IColumnAccess
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static unsafe TV Load<TS, TV>(float* source, TV mask)
        where TS : ISimd<TV>
        where TV : struct => TS.LoadMasked(source, mask);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static unsafe TV LoadOperand<TS, TV>(float* source, TV mask)
        where TS : ISimd<TV>
        where TV : struct => TS.LoadMasked(source, mask);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static unsafe void Store<TS, TV>(float* destination, TV value, TV mask)
        where TS : ISimd<TV>
        where TV : struct => TS.StoreMasked(destination, value, mask);

    /// <inheritdoc/>
    public static bool OverReads => false;

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int WholeRows(int k, nint ldb, int tail, int lanes) => k;
}

/// <summary>
/// C's last vector is partial, as with <see cref="MaskedColumns"/>, but op(B)'s rows are padded with zeros to whole
/// vectors (a scratch copy whose row stride is a multiple of the vector width), so the k loop loads them whole: no mask
/// and, with a 64-byte-aligned copy, no load split across two cache lines. The extra lanes (0·a, or NaN where a is
/// infinite) are never stored.
/// </summary>
internal readonly struct PaddedColumns : IColumnAccess
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static unsafe TV Load<TS, TV>(float* source, TV mask)
        where TS : ISimd<TV>
        where TV : struct => MaskedColumns.Load<TS, TV>(source, mask);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static unsafe TV LoadOperand<TS, TV>(float* source, TV mask)
        where TS : ISimd<TV>
        where TV : struct => FullColumns.Load<TS, TV>(source, mask);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static unsafe void Store<TS, TV>(float* destination, TV value, TV mask)
        where TS : ISimd<TV>
        where TV : struct => MaskedColumns.Store<TS, TV>(destination, value, mask);

    /// <inheritdoc/>
    public static bool OverReads => false;

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int WholeRows(int k, nint ldb, int tail, int lanes) => k;
}

/// <summary>
/// C's last vector is partial, as with <see cref="MaskedColumns"/>, and op(B) is read in place, but its rows' last
/// vectors are loaded whole wherever that load stays inside op(B): lanes past the tail lie in the gap before the next
/// row or in the rows after it, up to the last row's tail. Only the last row or rows (<see cref="WholeRows"/>; one when
/// the row stride is at least the lanes past the tail) are loaded masked. The extra lanes hold a·(some other element
/// of B) and are never stored, as with <see cref="PaddedColumns"/>; no copy of B is made.
/// </summary>
internal readonly struct OverReadColumns : IColumnAccess
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static unsafe TV Load<TS, TV>(float* source, TV mask)
        where TS : ISimd<TV>
        where TV : struct => MaskedColumns.Load<TS, TV>(source, mask);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static unsafe TV LoadOperand<TS, TV>(float* source, TV mask)
        where TS : ISimd<TV>
        where TV : struct => FullColumns.Load<TS, TV>(source, mask);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static unsafe void Store<TS, TV>(float* destination, TV value, TV mask)
        where TS : ISimd<TV>
        where TV : struct => MaskedColumns.Store<TS, TV>(destination, value, mask);

    /// <inheritdoc/>
    public static bool OverReads => true;

    /// <summary>Row p's last vector, loaded whole, ends <paramref name="lanes"/> floats after it starts; it stays inside
    /// op(B) while p·ldb + lanes ≤ (k − 1)·ldb + tail, so the last ⌈(lanes − tail) / ldb⌉ rows are loaded masked (one
    /// when ldb ≥ lanes − tail, and no division then).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int WholeRows(int k, nint ldb, int tail, int lanes)
    {
        int past = lanes - tail;
        if (ldb >= past)
        {
            return k - 1;
        }

        return ldb <= 0 ? 0 : Math.Max(0, k - (int)((past + ldb - 1) / ldb));
    }
}

/// <summary>
/// What a kernel does with a finished accumulator before storing it into C: the "epilogue". Fusing it into the
/// final store means C is written once, and read at most once.
/// </summary>
internal interface IGemmEpilogue
{
    /// <summary>Whether a micro-kernel starts each accumulator from C's current value instead of zero, continuing an
    /// FMA chain that an earlier call over the first K rows began (<see cref="SeedFromCEpilogue"/>). Abstract, not a
    /// default: crossgen2 cannot precompile a kernel whose call would resolve to an interface's default implementation.</summary>
    static abstract bool SeedsFromC { get; }

    /// <summary>Whether the largest micro-kernels (16 accumulators or more) park their accumulators on the stack and store
    /// them through one store per column of vectors in a loop over the rows, instead of one inlined store per accumulator.
    /// True for the epilogues that add C to the product and then do work of their own (the packed route's last K block
    /// with a bias and an activation, or with an activation's gradient): their store, inlined 16–24 times, overran the
    /// inliner's budget, so the JIT's optimized kernel called it with vectors passed by value and crossgen2 left the
    /// kernel out of the image (seventy-first session). A constant per type, so the runtime's JIT keeps only one of the
    /// two kernels. crossgen2 folds it for the plain epilogues but not for the generic ones (nor did it fold a static
    /// abstract property or a <c>typeof</c> test of their type argument), so for those the precompiled code tests it at
    /// run time and the image holds both kernels, until tier 1 replaces the code.</summary>
    bool ParksAccumulators { get; }

    /// <summary>Whether <see cref="Apply"/> reads C (C + acc), so that an epilogue with work of its own on top of it
    /// <see cref="ParksAccumulators"/>. A constant per type.</summary>
    bool ReadsC { get; }

    /// <summary>The value to store at <paramref name="c"/>, given the accumulated products.</summary>
    /// <param name="acc">Σ_p op(A)[i, p]·op(B)[p, j] over this kernel's share of K.</param>
    /// <param name="c">Where the vector is stored.</param>
    /// <param name="column">The column index of the first lane (for per-column data such as a bias).</param>
    /// <param name="mask">The lane mask when <typeparamref name="TC"/> is <see cref="MaskedColumns"/>, <see cref="PaddedColumns"/> or <see cref="OverReadColumns"/>.</param>
    unsafe TV Apply<TS, TV, TC>(TV acc, float* c, nint column, TV mask)
        where TS : ISimd<TV>
        where TV : struct
        where TC : IColumnAccess;

    /// <summary>Copies the per-column data (a bias) for a C stored densely (row stride N = <paramref name="n"/>), where one
    /// vector spans several rows: <c>spread[l] = data[column + l mod N]</c> for l &lt; <paramref name="count"/>, what
    /// <see cref="ApplyDense"/> then reads. Nothing, for an epilogue without per-column data.</summary>
    unsafe void Spread(nint column, int n, float* spread, int count);

    /// <summary><see cref="Apply"/> for a vector of consecutive floats of a densely stored C: lane l's per-column data is
    /// <c>spread[l]</c> (the caller moves <paramref name="spread"/> forward by as many floats as <paramref name="c"/> lies
    /// past the start of a row of C whose data <see cref="Spread"/> copied from index 0); data at C's positions is read
    /// lane by lane as in <see cref="Apply"/>. Each lane gets the bits <see cref="Apply"/> gives that element.</summary>
    unsafe TV ApplyDense<TS, TV, TC>(TV acc, float* c, float* spread, TV mask)
        where TS : ISimd<TV>
        where TV : struct
        where TC : IColumnAccess;
}

/// <summary>C = acc.</summary>
internal readonly struct OverwriteEpilogue : IGemmEpilogue
{
    /// <inheritdoc/>
    public static bool SeedsFromC => false;

    /// <inheritdoc/>
    public bool ParksAccumulators => false;

    /// <inheritdoc/>
    public bool ReadsC => false;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public unsafe TV Apply<TS, TV, TC>(TV acc, float* c, nint column, TV mask)
        where TS : ISimd<TV>
        where TV : struct
        where TC : IColumnAccess => acc;

    /// <inheritdoc/>
    public unsafe void Spread(nint column, int n, float* spread, int count)
    {
    }

    /// <inheritdoc/>
    /// <remarks>No per-column data: <see cref="Apply"/> ignores its column.</remarks>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public unsafe TV ApplyDense<TS, TV, TC>(TV acc, float* c, float* spread, TV mask)
        where TS : ISimd<TV>
        where TV : struct
        where TC : IColumnAccess => Apply<TS, TV, TC>(acc, c, 0, mask);
}

/// <summary>C = C + acc.</summary>
internal readonly struct AccumulateEpilogue : IGemmEpilogue
{
    /// <inheritdoc/>
    public static bool SeedsFromC => false;

    /// <inheritdoc/>
    public bool ParksAccumulators => false;

    /// <inheritdoc/>
    public bool ReadsC => true;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public unsafe TV Apply<TS, TV, TC>(TV acc, float* c, nint column, TV mask)
        where TS : ISimd<TV>
        where TV : struct
        where TC : IColumnAccess => TS.Add(TC.Load<TS, TV>(c, mask), acc);

    /// <inheritdoc/>
    public unsafe void Spread(nint column, int n, float* spread, int count)
    {
    }

    /// <inheritdoc/>
    /// <remarks>No per-column data: <see cref="Apply"/> ignores its column.</remarks>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public unsafe TV ApplyDense<TS, TV, TC>(TV acc, float* c, float* spread, TV mask)
        where TS : ISimd<TV>
        where TV : struct
        where TC : IColumnAccess => Apply<TS, TV, TC>(acc, c, 0, mask);
}

/// <summary>C = the accumulator, where the kernel began from C itself (<see cref="IGemmEpilogue.SeedsFromC"/>): the
/// FMA chain of every element runs on through consecutive calls over consecutive rows of K, as if it were one call.
/// GemmStream uses it to walk a long K in chunks that stay in L1.</summary>
internal readonly struct SeedFromCEpilogue : IGemmEpilogue
{
    /// <inheritdoc/>
    public static bool SeedsFromC => true;

    /// <inheritdoc/>
    public bool ParksAccumulators => false;

    /// <inheritdoc/>
    public bool ReadsC => false;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public unsafe TV Apply<TS, TV, TC>(TV acc, float* c, nint column, TV mask)
        where TS : ISimd<TV>
        where TV : struct
        where TC : IColumnAccess => acc;

    /// <inheritdoc/>
    public unsafe void Spread(nint column, int n, float* spread, int count)
    {
    }

    /// <inheritdoc/>
    /// <remarks>No per-column data: <see cref="Apply"/> ignores its column.</remarks>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public unsafe TV ApplyDense<TS, TV, TC>(TV acc, float* c, float* spread, TV mask)
        where TS : ISimd<TV>
        where TV : struct
        where TC : IColumnAccess => Apply<TS, TV, TC>(acc, c, 0, mask);
}

/// <summary>C = act(base(acc) + bias[column]): the dense layer's bias and activation, fused into the last store.</summary>
internal readonly unsafe struct BiasActivationEpilogue<TBase, TAct>(float* bias, TAct activation) : IGemmEpilogue
    where TBase : struct, IGemmEpilogue
    where TAct : struct, IUnaryOp
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
        return activation.Invoke<TS, TV>(TS.Add(sum, TC.Load<TS, TV>(bias + column, mask)));
    }

    /// <inheritdoc/>
    public void Spread(nint column, int n, float* spread, int count)
    {
        // Column by column with a wrapping counter: no division per float.
        for (int l = 0, j = 0; l < count; l++)
        {
            spread[l] = bias[column + j];
            j = j + 1 == n ? 0 : j + 1;
        }
    }

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public TV ApplyDense<TS, TV, TC>(TV acc, float* c, float* spread, TV mask)
        where TS : ISimd<TV>
        where TV : struct
        where TC : IColumnAccess
    {
        TV sum = default(TBase).ApplyDense<TS, TV, TC>(acc, c, spread, mask);
        return activation.Invoke<TS, TV>(TS.Add(sum, TC.Load<TS, TV>(spread, mask)));
    }
}

/// <summary>The identity activation, for a bias-only epilogue.</summary>
internal readonly struct IdentityOp : IUnaryOp
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public TV Invoke<TS, TV>(TV x)
        where TS : ISimd<TV>
        where TV : struct => x;
}

/// <summary>ReLU in a GEMM epilogue: its input, acc + bias, is the result of an addition and never a signalling NaN,
/// so <see cref="ISimd{TV}.ReluOfArithmetic"/> gives <see cref="ReluOp"/>'s bits with fewer instructions.</summary>
internal readonly struct ReluOfSumOp : IUnaryOp
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public TV Invoke<TS, TV>(TV x)
        where TS : ISimd<TV>
        where TV : struct => TS.ReluOfArithmetic(x);
}

/// <summary>The one store every kernel ends with.</summary>
internal static unsafe class GemmStore
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Put<TS, TV, TC, TE>(TE epi, TV acc, float* c, nint column, TV mask)
        where TS : ISimd<TV>
        where TV : struct
        where TC : IColumnAccess
        where TE : IGemmEpilogue =>
        TC.Store<TS, TV>(c, epi.Apply<TS, TV, TC>(acc, c, column, mask), mask);

    /// <summary><see cref="Put"/> for consecutive floats of a densely stored C (<see cref="IGemmEpilogue.ApplyDense"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void PutDense<TS, TV, TC, TE>(TE epi, TV acc, float* c, float* spread, TV mask)
        where TS : ISimd<TV>
        where TV : struct
        where TC : IColumnAccess
        where TE : IGemmEpilogue =>
        TC.Store<TS, TV>(c, epi.ApplyDense<TS, TV, TC>(acc, c, spread, mask), mask);
}
