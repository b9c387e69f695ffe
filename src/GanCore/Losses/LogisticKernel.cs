using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using GanCore.Kernels;

namespace GanCore.Losses;

/// <summary>
/// σ(l) and softplus(l) for a batch of logits, eight or four at a time, bit for bit what <see cref="Logistic.SigmoidAndSoftplus"/>
/// gives one logit at a time through the platform's <c>expf</c> and <c>logf</c>: the GAN objectives' 2 × 64 logits a
/// step took 128 calls to each.
/// </summary>
/// <remarks>
/// <para>On x86-64 Linux, .NET's <see cref="MathF.Exp"/> and <see cref="MathF.Log(float)"/> are glibc's <c>expf</c> and
/// <c>logf</c> (glibc 2.27 and later, the algorithms of Szabolcs Nagy's optimized routines), and on a CPU with FMA
/// glibc runs the builds compiled for it. Both work in double precision: <c>expf</c> writes x/ln 2 · 32 = k + r, looks
/// up 2^(k mod 32 / 32) in a 32-entry table and multiplies it by a cubic in r; <c>logf</c> splits x = 2^k · z with
/// z near 1, looks up 1/c and log c for z's top bits in a 16-entry table and adds k·ln 2 + log c to a cubic in
/// r = z/c − 1. The result is rounded to float once. This kernel runs the same operations on eight lanes (AVX-512, the
/// tables' entries picked by permutes across registers) or four (AVX2 and FMA, gathered), with the
/// same constants and the same fused multiply-adds where the compiled library has them (read from its machine code:
/// <c>expf</c> fuses x·(32/ln 2) + shift and its reuse x·(32/ln 2) − k, and three steps of the polynomial; <c>logf</c>
/// fuses z·(1/c) − 1, k·ln 2 + log c and three steps of its polynomial, and adds r + (k·ln 2 + log c) unfused).
/// Same operations on the same doubles give the same bits, including the 0.002% of inputs where <c>expf</c>'s result
/// is not the correctly rounded one.</para>
/// <para>Whether the platform's functions are those is not assumed: <see cref="IsExact"/> runs the kernel once against
/// <see cref="Logistic.SigmoidAndSoftplus"/> on a fixed set of 512 logits, and only if every bit agrees does the
/// batch method use it; otherwise (another C library, an older glibc, no AVX2 and FMA) every logit takes the scalar
/// function. (A glibc forced onto its build without FMA might pass the check and differ in a float now and then:
/// docs/kernels.md.) Logits with |l| ≥ 88 or NaN (where <c>expf</c>
/// leaves its main path) take the scalar function too, the whole group.</para>
/// </remarks>
internal static unsafe class LogisticKernel
{
    // expf: 32/ln 2, the rounding shift 1.5·2^52, and the cubic's coefficients scaled by powers of 1/32.
    private const double InvLn2N = 46.16624130844683; // bits 0x40471547652B82FE
    private const double Shift = 6755399441055744.0; // bits 0x4338000000000000
    private const double C0 = 1.6938359250920212E-06; // bits 0x3EBC6AF84B912394
    private const double C1 = 0.00023459809789509004; // bits 0x3F2EBFCE50FAC4F3
    private const double C2 = 0.021660849396613134; // bits 0x3F962E42FF0C52D6

    // logf: ln 2 and the cubic's coefficients.
    private const double Ln2 = 0.6931471805599453; // bits 0x3FE62E42FEFA39EF
    private const double A0 = -0.25089342214237154; // bits 0xBFD00EA348B88334
    private const double A1 = 0.333456765744066; // bits 0x3FD5575B0BE00B6A
    private const double A2 = -0.4999997485802103; // bits 0xBFDFFFFEF20A4123

    /// <summary>expf's table: the bits of 2^(i/32) minus i·2^47, so adding k·2^47 (k's low bits gone) scales it by
    /// 2^(k div 32).</summary>
    private static readonly ulong[] ExpTable =
    [
        0x3FF0000000000000, 0x3FEFD9B0D3158574, 0x3FEFB5586CF9890F, 0x3FEF9301D0125B51,
        0x3FEF72B83C7D517B, 0x3FEF54873168B9AA, 0x3FEF387A6E756238, 0x3FEF1E9DF51FDEE1,
        0x3FEF06FE0A31B715, 0x3FEEF1A7373AA9CB, 0x3FEEDEA64C123422, 0x3FEECE086061892D,
        0x3FEEBFDAD5362A27, 0x3FEEB42B569D4F82, 0x3FEEAB07DD485429, 0x3FEEA47EB03A5585,
        0x3FEEA09E667F3BCD, 0x3FEE9F75E8EC5F74, 0x3FEEA11473EB0187, 0x3FEEA589994CCE13,
        0x3FEEACE5422AA0DB, 0x3FEEB737B0CDC5E5, 0x3FEEC49182A3F090, 0x3FEED503B23E255D,
        0x3FEEE89F995AD3AD, 0x3FEEFF76F2FB5E47, 0x3FEF199BDD85529C, 0x3FEF3720DCEF9069,
        0x3FEF5818DCFBA487, 0x3FEF7C97337B9B5F, 0x3FEFA4AFA2A490DA, 0x3FEFD0765B6E4540,
    ];

    /// <summary>logf's table, 1/c for the 16 intervals of z.</summary>
    private static readonly ulong[] LogInverseC =
    [
        0x3FF661EC79F8F3BE, 0x3FF571ED4AAF883D, 0x3FF49539F0F010B0, 0x3FF3C995B0B80385,
        0x3FF30D190C8864A5, 0x3FF25E227B0B8EA0, 0x3FF1BB4A4A1A343F, 0x3FF12358F08AE5BA,
        0x3FF0953F419900A7, 0x3FF0000000000000, 0x3FEE608CFD9A47AC, 0x3FECA4B31F026AA0,
        0x3FEB2036576AFCE6, 0x3FE9C2D163A1AA2D, 0x3FE886E6037841ED, 0x3FE767DCF5534862,
    ];

    /// <summary>logf's table, log c for the 16 intervals of z.</summary>
    private static readonly ulong[] LogC =
    [
        0xBFD57BF7808CAADE, 0xBFD2BEF0A7C06DDB, 0xBFD01EAE7F513A67, 0xBFCB31D8A68224E9,
        0xBFC6574F0AC07758, 0xBFC1AA2BC79C8100, 0xBFBA4E76CE8C0E5E, 0xBFB1973C5A611CCC,
        0xBFA252F438E10C1E, 0x0000000000000000, 0x3FAAA5AA5DF25984, 0x3FBC5E53AA362EB4,
        0x3FC526E57720DB08, 0x3FCBC2860D224770, 0x3FD1058BC8A07EE1, 0x3FD4043057B6EE09,
    ];

    /// <summary>Whether the kernel, at <see cref="HostLanes"/>, gives this platform's bits (checked once per process, on
    /// first use).</summary>
    public static bool IsExact
    {
        get
        {
            int exact = Volatile.Read(ref s_exact);
            if (exact == 0)
            {
                exact = RunCheck() ? 1 : -1;
                Volatile.Write(ref s_exact, exact);
            }

            return exact > 0;
        }
    }

    /// <summary>
    /// <paramref name="sigmoid"/>[i], <paramref name="softplus"/>[i] = <see cref="Logistic.SigmoidAndSoftplus"/>(
    /// <paramref name="logits"/>[i]), bit for bit; <see cref="HostLanes"/> logits at a time where <see cref="IsExact"/>.
    /// </summary>
    public static void SigmoidAndSoftplus(ReadOnlySpan<float> logits, Span<float> sigmoid, Span<float> softplus)
    {
        int n = logits.Length;
        if (sigmoid.Length < n || softplus.Length < n)
        {
            throw new ArgumentException($"{n} logits need {n} sigmoid and softplus slots; got {sigmoid.Length} and {softplus.Length}.", nameof(sigmoid));
        }

        int i = IsExact ? Lanes(logits, sigmoid, softplus, n) : 0;
        for (; i < n; i++)
        {
            (sigmoid[i], softplus[i]) = Logistic.SigmoidAndSoftplus(logits[i]);
        }
    }

    /// <summary>The widest lane count the host runs: 8 with AVX-512, 4 with AVX2 and FMA, else 0 (scalar only).</summary>
    internal static int HostLanes => Avx512F.IsSupported ? 8 : Fma.IsSupported && Avx2.IsSupported ? 4 : 0;

    /// <summary>The kernel over the whole groups of <see cref="HostLanes"/> logits; returns how many logits it wrote.</summary>
    private static int Lanes(ReadOnlySpan<float> logits, Span<float> sigmoid, Span<float> softplus, int n) => Lanes(logits, sigmoid, softplus, n, HostLanes);

    /// <summary>The kernel over the whole groups of <paramref name="lanes"/> (8 or 4; the tests run both) logits; a group
    /// with a NaN or |l| ≥ 88 takes the scalar function. Returns how many logits it wrote (0 where the CPU lacks the
    /// instructions of that width).</summary>
    /// <remarks>Each width's loop is an instantiation of its own (<see cref="LanesOf{TWidth}"/>), called only where it
    /// runs: the 8-lane one holds 512-bit vectors of doubles and ints, and precompiled code loads every vector type a
    /// method names when the method is first called, whether or not that branch ever runs. One loop for both widths had an
    /// AVX2 host's image (x86-64-v3, AVX-512 absent) load the 512-bit vector types and classes in the GAN's first step
    /// (benchmarks/RESULTS.md, sixty-eighth session).</remarks>
    internal static int Lanes(ReadOnlySpan<float> logits, Span<float> sigmoid, Span<float> softplus, int n, int lanes) =>
        lanes == 8 ? (Avx512F.IsSupported ? LanesOf<EightLanes>(logits, sigmoid, softplus, n) : 0)
        : lanes == 4 && Fma.IsSupported && Avx2.IsSupported ? LanesOf<FourLanes>(logits, sigmoid, softplus, n) : 0;

    /// <summary>The whole groups of <typeparamref name="TWidth"/>'s width (<see cref="EightLanes"/> or
    /// <see cref="FourLanes"/>): each stored only when every lane is on the main path, so outputs that alias the logits
    /// never feed the fallback; otherwise the scalar function takes the group. The width is a type test the compiler
    /// settles for each instantiation before it reads the other width's code. (A type test keeps a handle of the type it
    /// names, which the runtime loads with the method: harmless for these empty markers, which is why the GEMM engine's
    /// tests for 512-bit code ask the lane count instead of naming <see cref="Simd512"/>.)</summary>
    [MethodImpl(MethodImplOptions.NoInlining | KernelCompilation.Hot)]
    private static int LanesOf<TWidth>(ReadOnlySpan<float> logits, Span<float> sigmoid, Span<float> softplus, int n)
        where TWidth : struct
    {
        int lanes = typeof(TWidth) == typeof(EightLanes) ? 8 : 4;
        int done = n - (n % lanes);
        fixed (float* l = logits, sg = sigmoid, sp = softplus)
        fixed (ulong* expTable = ExpTable, inverseC = LogInverseC, logC = LogC)
        {
            for (int i = 0; i < done; i += lanes)
            {
                bool ok;
                if (typeof(TWidth) == typeof(EightLanes))
                {
                    ok = Eight(Avx.LoadVector256(l + i), expTable, inverseC, logC, out Vector256<float> s, out Vector256<float> p);
                    if (ok)
                    {
                        Avx.Store(sg + i, s);
                        Avx.Store(sp + i, p);
                    }
                }
                else
                {
                    ok = Four(Sse.LoadVector128(l + i), expTable, (double*)inverseC, (double*)logC, out Vector128<float> s, out Vector128<float> p);
                    if (ok)
                    {
                        Sse.Store(sg + i, s);
                        Sse.Store(sp + i, p);
                    }
                }

                if (!ok)
                {
                    for (int j = i; j < i + lanes; j++)
                    {
                        (sg[j], sp[j]) = Logistic.SigmoidAndSoftplus(l[j]);
                    }
                }
            }
        }

        return done;
    }

    /// <summary><see cref="LanesOf{TWidth}"/>'s 8-lane width (AVX-512).</summary>
    private readonly struct EightLanes
    {
    }

    /// <summary><see cref="LanesOf{TWidth}"/>'s 4-lane width (AVX2 and FMA).</summary>
    private readonly struct FourLanes
    {
    }

    /// <summary>Eight logits at 512 bits, the tables' entries picked by two-register permutes instead of gathers; false,
    /// with garbage in the outputs, when one of them is NaN or |l| ≥ 88.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool Eight(Vector256<float> l, ulong* expTable, ulong* inverseC, ulong* logC, out Vector256<float> sigmoid, out Vector256<float> softplus)
    {
        Vector256<float> x = Avx.Or(l, Vector256.Create(int.MinValue).AsSingle()); // −|l|
        Vector256<int> top = Avx2.And(Avx2.ShiftRightLogical(x.AsInt32(), 20), Vector256.Create(0x7FF));
        bool main = Avx.TestZ(Avx2.CompareGreaterThan(top, Vector256.Create(0x42A)), Vector256<int>.AllBitsSet);

        // e = expf(x), as in Four; 2^(i/32) for i = k mod 32 from the four registers of the table.
        Vector512<double> xd = Avx512F.ConvertToVector512Double(x);
        Vector512<double> invLn2N = Vector512.Create(InvLn2N);
        Vector512<double> shift = Vector512.Create(Shift);
        Vector512<double> kd = Avx512F.FusedMultiplyAdd(invLn2N, xd, shift);
        Vector512<int> kLane = Avx512F.Shuffle(kd.AsInt32(), LaneWords.LowToBoth); // k (kd's low word) in both words of its lane
        kd = Avx512F.Subtract(kd, shift);
        Vector512<double> r = Avx512F.FusedMultiplySubtract(invLn2N, xd, kd);

        // Entry k mod 32 is words 2·(k mod 16) and 2·(k mod 16) + 1 of the registers holding entries 0–15 or 16–31.
        Vector512<int> entryWords = Avx512F.Or(Avx512F.ShiftLeftLogical(Avx512F.And(kLane, Vector512.Create(15)), 1), LaneWords.High512(1));
        Vector512<double> low = Avx512F.PermuteVar16x32x2(Avx512F.LoadVector512((int*)expTable), entryWords, Avx512F.LoadVector512((int*)expTable + 16)).AsDouble();
        Vector512<double> high = Avx512F.PermuteVar16x32x2(Avx512F.LoadVector512((int*)expTable + 32), entryWords, Avx512F.LoadVector512((int*)expTable + 48)).AsDouble();
        Vector512<double> entry = Vector512.ConditionalSelect(Avx512F.CompareEqual(Avx512F.And(kLane, Vector512.Create(16)), Vector512<int>.Zero).AsDouble(), low, high);

        // The entry's bits + k·2^47: k's low 17 bits added to the high word, from its bit 15 (LaneWords).
        Vector512<int> t = Avx512F.Add(entry.AsInt32(), Avx512F.And(Avx512F.ShiftLeftLogical(kLane, 15), LaneWords.High512(-1)));
        Vector512<double> z = Avx512F.FusedMultiplyAdd(Vector512.Create(C0), r, Vector512.Create(C1));
        Vector512<double> r2 = Avx512F.Multiply(r, r);
        Vector512<double> y = Avx512F.FusedMultiplyAdd(r, Vector512.Create(C2), Vector512.Create(1.0));
        y = Avx512F.FusedMultiplyAdd(z, r2, y);
        y = Avx512F.Multiply(y, t.AsDouble());
        Vector256<float> e = Avx512F.ConvertToVector256Single(y);

        Vector256<float> one = Vector256.Create(1f);
        Vector256<float> onePlusE = Avx.Add(one, e);
        Vector256<float> nonNegative = Avx.CompareGreaterThanOrEqual(l, Vector256<float>.Zero);
        sigmoid = Avx.BlendVariable(Avx.Divide(e, onePlusE), Avx.Divide(one, onePlusE), nonNegative);
        Vector256<float> positivePart = Avx.And(l, Avx.CompareGreaterThan(l, Vector256<float>.Zero));

        // logf(1 + e), as in Four; 1/c and log c for the 16 slots from two registers each.
        Vector256<int> iw = onePlusE.AsInt32();
        Vector256<int> tmp = Avx2.Subtract(iw, Vector256.Create(0x3F330000));
        Vector256<int> slot = Avx2.And(Avx2.ShiftRightLogical(tmp, 19), Vector256.Create(15));
        Vector512<int> slotWords = Avx512F.PermuteVar16x32(Avx512F.InsertVector256(Vector512<int>.Zero, slot, 0), LaneWords.SpreadToLanes());
        slotWords = Avx512F.Or(Avx512F.ShiftLeftLogical(slotWords, 1), LaneWords.High512(1)); // entry s: words 2s and 2s + 1
        Vector256<int> k = Avx2.ShiftRightArithmetic(tmp, 23);
        Vector256<int> iz = Avx2.Subtract(iw, Avx2.And(tmp, Vector256.Create(unchecked((int)0xFF800000))));
        Vector512<double> zd = Avx512F.ConvertToVector512Double(iz.AsSingle());
        Vector512<double> invc = Avx512F.PermuteVar16x32x2(Avx512F.LoadVector512((int*)inverseC), slotWords, Avx512F.LoadVector512((int*)inverseC + 16)).AsDouble();
        Vector512<double> logc = Avx512F.PermuteVar16x32x2(Avx512F.LoadVector512((int*)logC), slotWords, Avx512F.LoadVector512((int*)logC + 16)).AsDouble();
        Vector512<double> y0 = Avx512F.FusedMultiplyAdd(Avx512F.ConvertToVector512Double(k), Vector512.Create(Ln2), logc);
        Vector512<double> rl = Avx512F.FusedMultiplyAdd(zd, invc, Vector512.Create(-1.0));
        Vector512<double> p = Avx512F.FusedMultiplyAdd(rl, Vector512.Create(A1), Vector512.Create(A2));
        Vector512<double> rl2 = Avx512F.Multiply(rl, rl);
        Vector512<double> sum = Avx512F.Add(rl, y0);
        p = Avx512F.FusedMultiplyAdd(rl2, Vector512.Create(A0), p);
        Vector256<float> log = Avx512F.ConvertToVector256Single(Avx512F.FusedMultiplyAdd(rl2, p, sum));
        log = Avx.AndNot(Avx.CompareEqual(onePlusE, one), log); // logf(1) = 0 exactly

        softplus = Avx.Add(positivePart, log);
        return main;
    }

    /// <summary>Four logits at 256 bits, the tables' entries gathered; false, having computed nothing,
    /// when one of them is NaN or |l| ≥ 88.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool Four(Vector128<float> l, ulong* expTable, double* inverseC, double* logC, out Vector128<float> sigmoid, out Vector128<float> softplus)
    {
        Vector128<float> x = Sse.Or(l, Vector128.Create(int.MinValue).AsSingle()); // −|l|

        // expf leaves its main path at |x| ≥ 88 (top 12 bits of the magnitude ≥ those of 88f) and for NaN.
        Vector128<int> top = Sse2.And(Sse2.ShiftRightLogical(x.AsInt32(), 20), Vector128.Create(0x7FF));
        if (!Sse41.TestZ(Sse2.CompareGreaterThan(top, Vector128.Create(0x42A)), Vector128<int>.AllBitsSet))
        {
            sigmoid = default;
            softplus = default;
            return false;
        }

        // e = expf(x): x·32/ln 2 = k + r with k an integer, 2^(k/32) from the table, times 1 + C2·r + C1·r² + C0·r³.
        Vector256<double> xd = Avx.ConvertToVector256Double(x);
        Vector256<double> invLn2N = Vector256.Create(InvLn2N);
        Vector256<double> shift = Vector256.Create(Shift);
        Vector256<double> kd = Fma.MultiplyAdd(invLn2N, xd, shift);
        Vector256<int> kLane = Avx2.Shuffle(kd.AsInt32(), LaneWords.LowToBoth); // k (kd's low word) in both words of its lane
        kd = Avx.Subtract(kd, shift);
        Vector256<double> r = Fma.MultiplySubtract(invLn2N, xd, kd);
        Vector128<int> index = Sse2.And(Avx.ConvertToVector128Int32(kd), Vector128.Create(31)); // kd is the integer k now
        Vector256<int> t = Avx2.Add(Avx2.GatherVector256((double*)expTable, index, 8).AsInt32(), Avx2.And(Avx2.ShiftLeftLogical(kLane, 15), LaneWords.High256(-1)));
        Vector256<double> z = Fma.MultiplyAdd(Vector256.Create(C0), r, Vector256.Create(C1));
        Vector256<double> r2 = Avx.Multiply(r, r);
        Vector256<double> y = Fma.MultiplyAdd(r, Vector256.Create(C2), Vector256.Create(1.0));
        y = Fma.MultiplyAdd(z, r2, y);
        y = Avx.Multiply(y, t.AsDouble());
        Vector128<float> e = Avx.ConvertToVector128Single(y);

        // σ(l) = 1/(1 + e) for l ≥ 0, e/(1 + e) below; max(l, 0) (no NaN reaches here).
        Vector128<float> one = Vector128.Create(1f);
        Vector128<float> onePlusE = Sse.Add(one, e);
        Vector128<float> nonNegative = Sse.CompareGreaterThanOrEqual(l, Vector128<float>.Zero);
        sigmoid = Sse41.BlendVariable(Sse.Divide(e, onePlusE), Sse.Divide(one, onePlusE), nonNegative);
        Vector128<float> positivePart = Sse.And(l, Sse.CompareGreaterThan(l, Vector128<float>.Zero));

        // logf(w), w = 1 + e in [1, 2]: w = 2^k·z with z's top bits picking c, then log c + k·ln 2 + a cubic in r = z/c − 1.
        Vector128<int> iw = onePlusE.AsInt32();
        Vector128<int> tmp = Sse2.Subtract(iw, Vector128.Create(0x3F330000));
        Vector128<int> slot = Sse2.And(Sse2.ShiftRightLogical(tmp, 19), Vector128.Create(15));
        Vector128<int> k = Sse2.ShiftRightArithmetic(tmp, 23);
        Vector128<int> iz = Sse2.Subtract(iw, Sse2.And(tmp, Vector128.Create(unchecked((int)0xFF800000))));
        Vector256<double> zd = Avx.ConvertToVector256Double(iz.AsSingle());
        Vector256<double> invc = Avx2.GatherVector256(inverseC, slot, 8);
        Vector256<double> logc = Avx2.GatherVector256(logC, slot, 8);
        Vector256<double> y0 = Fma.MultiplyAdd(Avx.ConvertToVector256Double(k), Vector256.Create(Ln2), logc);
        Vector256<double> rl = Fma.MultiplyAdd(zd, invc, Vector256.Create(-1.0));
        Vector256<double> p = Fma.MultiplyAdd(rl, Vector256.Create(A1), Vector256.Create(A2));
        Vector256<double> rl2 = Avx.Multiply(rl, rl);
        Vector256<double> sum = Avx.Add(rl, y0);
        p = Fma.MultiplyAdd(rl2, Vector256.Create(A0), p);
        Vector128<float> log = Avx.ConvertToVector128Single(Fma.MultiplyAdd(rl2, p, sum));
        log = Sse.AndNot(Sse.CompareEqual(onePlusE, one), log); // logf(1) = 0 exactly

        softplus = Sse.Add(positivePart, log);
        return true;
    }

    /// <summary>0 until <see cref="IsExact"/> has run the check, then 1 (exact) or −1. A plain field, not a
    /// <see cref="Lazy{T}"/>: the kernels read it on every call, also as precompiled code. Two threads may both run the
    /// check once; they get the same answer.</summary>
    private static int s_exact;

    /// <summary>The kernel against the scalar function on 512 logits: a deterministic spread over (−88, 88), the
    /// same magnitudes below 2^−10 and ±0. Every sigmoid and softplus must agree bit for bit.</summary>
    [SkipLocalsInit]
    private static bool RunCheck()
    {
        if (HostLanes == 0)
        {
            return false;
        }

        // 512 logits in three stack buffers: the check runs inside a process's first training step, where every fresh
        // page of memory costs a fault (4,096 values in heap arrays cost step 1 about 60 more faults, 1–2 ms on a Zen 5 guest).
        const int count = 512;
        Span<float> logits = stackalloc float[count];
        uint state = 0x9E3779B9u;
        for (int i = 0; i < count; i++)
        {
            state = (state * 1664525u) + 1013904223u;
            float u = ((state >> 8) * (1f / (1 << 24))) - 0.5f;
            logits[i] = i % 8 == 7 ? u * (1f / 1024) : u * 175.9f;
        }

        logits[0] = 0f;
        logits[1] = -0f;
        Span<float> sigmoid = stackalloc float[count];
        Span<float> softplus = stackalloc float[count];
        if (Lanes(logits, sigmoid, softplus, count) != count)
        {
            return false;
        }

        for (int i = 0; i < count; i++)
        {
            (float s, float p) = Logistic.SigmoidAndSoftplus(logits[i]);
            if (BitConverter.SingleToInt32Bits(s) != BitConverter.SingleToInt32Bits(sigmoid[i])
                || BitConverter.SingleToInt32Bits(p) != BitConverter.SingleToInt32Bits(softplus[i]))
            {
                return false;
            }
        }

        return true;
    }
}
