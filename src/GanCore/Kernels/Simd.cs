using System.Diagnostics.CodeAnalysis;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.Arm;
using System.Runtime.Intrinsics.X86;

namespace GanCore.Kernels;

/// <summary>
/// The operations a kernel needs from one vector width. Kernels are written once, generic over
/// <c>TS : ISimd&lt;TV&gt;</c>, and the JIT specializes them for each width (the struct type argument
/// makes every call a direct, inlined intrinsic). <see cref="SimdScalar"/> is the one-lane fallback.
/// </summary>
internal interface ISimd<TV>
    where TV : struct
{
    /// <summary>Lanes per vector.</summary>
    static abstract int Count { get; }

    static abstract TV Load(ref float source, nuint offset);

    static abstract void Store(TV value, ref float destination, nuint offset);

    static abstract TV Broadcast(float value);

    /// <summary>The float at <paramref name="source"/> in every lane: <see cref="Broadcast"/>(*source) as one broadcast
    /// load (<c>vbroadcastss</c> from memory), the only form AVX without AVX2 has (<see cref="SimdAvx"/>). The
    /// micro-kernels read A's values this way.</summary>
    static abstract unsafe TV BroadcastFrom(float* source);

    static abstract TV Add(TV a, TV b);

    static abstract TV Subtract(TV a, TV b);

    static abstract TV Multiply(TV a, TV b);

    static abstract TV Divide(TV a, TV b);

    /// <summary>a·b + c, fused (single rounding) where the hardware has FMA.</summary>
    static abstract TV MultiplyAdd(TV a, TV b, TV c);

    /// <summary>acc = a·b + acc, fused where the hardware has FMA (the 128- and 256-bit paths round twice without it,
    /// as <see cref="MultiplyAdd"/> does).</summary>
    static abstract void MultiplyAddTo(ref TV acc, TV a, TV b);

    /// <summary>
    /// acc = (*a in every lane)·b + acc, fused as <see cref="MultiplyAddTo"/> is: its bits with <see cref="BroadcastFrom"/>(a).
    /// For a kernel that uses each broadcast once (one vector per row of C). The JIT folds the load and the broadcast into
    /// the FMA's memory operand (AVX-512 embedded broadcast, <c>{1to16}</c>); a separate <c>vbroadcastss</c> per FMA holds
    /// AMD Zen 4 to ~75% of its FMA peak, the folded form runs at the peak. The narrower widths implement it as
    /// <see cref="MultiplyAddTo"/> of <see cref="BroadcastFrom"/>(a), the same expression: one broadcast load, which is
    /// also the only broadcast AVX without AVX2 has (<see cref="SimdAvx"/>).
    /// </summary>
    static abstract unsafe void MultiplyAddBroadcastTo(ref TV acc, float* a, TV b);

    static abstract TV Max(TV a, TV b);

    /// <summary>
    /// <see cref="Max"/>(x, +0) for an x that is the result of arithmetic, which is never a signalling NaN:
    /// x ≤ 0 ? +0 : x, the same bits (−0 gives +0, a quiet NaN comes back as it is). At 512 bits a compare into a mask
    /// register and a blend, against Max's three instructions (<c>vrangeps</c> and two <c>vfixupimmps</c>) on the ports
    /// the FMAs use; the GEMM's fused ReLU, after K = 5 or 15 FMAs per element, spent a third of its vector work there.
    /// Other widths call Max.
    /// </summary>
    static abstract TV ReluOfArithmetic(TV x);

    static abstract TV Min(TV a, TV b);

    static abstract TV Sqrt(TV a);

    /// <summary>e^x, lane-wise: <see cref="VectorExp"/> (the runtime's vectorized Exp, bit for bit, written here so kernels
    /// inline it); <see cref="MathF.Exp"/> at the scalar width.</summary>
    static abstract TV Exp(TV a);

    /// <summary>Natural logarithm, lane-wise: <see cref="VectorLogSingle"/> (the runtime's vectorized Log, bit for bit,
    /// written here so kernels inline it; the same result in every lane at every width); <see cref="MathF.Log(float)"/>
    /// at the scalar width.</summary>
    static abstract TV Log(TV a);

    /// <summary>Sine and cosine (radians), lane-wise: <see cref="VectorSinCos"/> (the runtime's vectorized SinCos, bit for
    /// bit, written here so kernels inline it); <see cref="MathF.SinCos"/> at the scalar width.</summary>
    static abstract (TV Sin, TV Cos) SinCos(TV a);

    static abstract TV Abs(TV a);

    /// <summary>Lane-wise <c>x &gt; 0 ? ifPositive : otherwise</c>.</summary>
    static abstract TV SelectPositive(TV x, TV ifPositive, TV otherwise);

    /// <summary>Lane-wise copy of the sign of <paramref name="sign"/> onto the magnitude of <paramref name="magnitude"/>: the
    /// sign bit of one and the other bits of the other, as a bitwise select (what the runtime's <c>CopySign</c> computes, but
    /// inline: crossgen2 compiles that helper as a call, which keeps a kernel using it out of the image).</summary>
    static abstract TV CopySign(TV magnitude, TV sign);

    static abstract float Sum(TV a);

    /// <summary>
    /// <c>sums[r] = Sum(s_r)</c> for eight vectors at once, bit for bit whenever the sum is not NaN: on x86 the eight
    /// trees share their shuffles (adjacent lanes, then pairs, then 128-bit halves, then 256-bit halves, the pairing
    /// <see cref="Sum"/> uses), so eight dot products finish in a handful of instructions instead of eight horizontal
    /// reductions. A NaN sum is NaN here too, but its payload and sign may differ: an x86 add of two NaNs keeps its first
    /// operand's, and the shared shuffles put the operands in another order.
    /// </summary>
    static abstract unsafe void SumEight(TV s0, TV s1, TV s2, TV s3, TV s4, TV s5, TV s6, TV s7, float* sums);

    /// <summary><see cref="SumEight"/> left in a register: lane r &lt; min(8, Count) holds <c>Sum(s_r)</c>, the bits
    /// <see cref="SumEight"/> stores; lanes from 8 on are unspecified. Below eight lanes the later sums are not
    /// returned, so callers use it from 256 bits up, where it spares a store and the reload that would wait on it.</summary>
    static abstract TV SumEightVector(TV s0, TV s1, TV s2, TV s3, TV s4, TV s5, TV s6, TV s7);

    /// <summary>
    /// Lanes whose magnitude is below <see cref="SimdConstants.SmallestNormal"/> (the subnormals, and ±0) become +0;
    /// the others, NaN and ±∞ included, pass unchanged. One compare and one mask: the cure for state that decays
    /// geometrically into the subnormal range, where every operation on it costs a microcode assist on many CPUs.
    /// </summary>
    static abstract TV FlushSubnormal(TV a);

    /// <summary>A mask whose lanes [0, <paramref name="count"/>) are all ones and the rest zero (0 &lt; count ≤ Count).</summary>
    static abstract TV CreateMask(int count);

    /// <summary>Loads the lanes a <see cref="CreateMask"/> mask selects, without touching memory past them; other lanes are 0.</summary>
    static abstract unsafe TV LoadMasked(float* source, TV mask);

    /// <summary>Stores the lanes a <see cref="CreateMask"/> mask selects, without touching memory past them.</summary>
    static abstract unsafe void StoreMasked(float* destination, TV value, TV mask);
}

/// <summary>Constants the kernels share.</summary>
internal static class SimdConstants
{
    /// <summary>The smallest positive normal float, 2⁻¹²⁶ ≈ 1.1754944e-38: below it a float is subnormal.</summary>
    public const float SmallestNormal = 1.17549435E-38f;
}

/// <summary>A 512-bit vector of floats, as a type of this assembly: kernels instantiated over it (not over CoreLib's
/// <see cref="Vector512{T}"/>) can be precompiled by crossgen2. The JIT keeps it in a register like the vector itself.</summary>
internal readonly struct Vec512
{
    public readonly Vector512<float> V;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vec512(Vector512<float> v) => V = v;
}

internal readonly struct Simd512 : ISimd<Vec512>
{
    public static int Count => Vector512<float>.Count;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vec512 Load(ref float source, nuint offset) => new(Vector512.LoadUnsafe(ref source, offset));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(Vec512 value, ref float destination, nuint offset) => value.V.StoreUnsafe(ref destination, offset);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vec512 Broadcast(float value) => new(Vector512.Create(value));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static unsafe Vec512 BroadcastFrom(float* source) => Broadcast(*source);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vec512 Add(Vec512 a, Vec512 b) => new(a.V + b.V);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vec512 Subtract(Vec512 a, Vec512 b) => new(a.V - b.V);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vec512 Multiply(Vec512 a, Vec512 b) => new(a.V * b.V);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vec512 Divide(Vec512 a, Vec512 b) => new(a.V / b.V);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vec512 MultiplyAdd(Vec512 a, Vec512 b, Vec512 c) =>
        new(Avx512F.IsSupported ? Avx512F.FusedMultiplyAdd(a.V, b.V, c.V) : Vector512.MultiplyAddEstimate(a.V, b.V, c.V));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void MultiplyAddTo(ref Vec512 acc, Vec512 a, Vec512 b) =>
        Unsafe.AsRef(in acc.V) = Avx512F.IsSupported ? Avx512F.FusedMultiplyAdd(a.V, b.V, acc.V) : Vector512.MultiplyAddEstimate(a.V, b.V, acc.V);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static unsafe void MultiplyAddBroadcastTo(ref Vec512 acc, float* a, Vec512 b) =>
        Unsafe.AsRef(in acc.V) = Avx512F.IsSupported ? Avx512F.FusedMultiplyAdd(Vector512.Create(*a), b.V, acc.V) : Vector512.MultiplyAddEstimate(Vector512.Create(*a), b.V, acc.V);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vec512 ReluOfArithmetic(Vec512 x) =>
        new(Avx512F.IsSupported ? Avx512F.BlendVariable(x.V, Vector512<float>.Zero, Avx512F.CompareLessThanOrEqual(x.V, Vector512<float>.Zero)) : Max(x, default).V);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vec512 Max(Vec512 a, Vec512 b) => new(Avx512DQ.IsSupported ? IeeeMinMax.Of(a.V, b.V, IeeeMinMax.Max) : Vector512.Max(a.V, b.V));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vec512 Min(Vec512 a, Vec512 b) => new(Avx512DQ.IsSupported ? IeeeMinMax.Of(a.V, b.V, IeeeMinMax.Min) : Vector512.Min(a.V, b.V));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vec512 Sqrt(Vec512 a) => new(Vector512.Sqrt(a.V));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vec512 Exp(Vec512 a) => new(VectorExp.Of(a.V));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vec512 Log(Vec512 a) => new(VectorLogSingle.Of(a.V));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static (Vec512 Sin, Vec512 Cos) SinCos(Vec512 a)
    {
        (Vector512<float> sin, Vector512<float> cos) = VectorSinCos.Of(a.V);
        return (new(sin), new(cos));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vec512 Abs(Vec512 a) => new(Vector512.Abs(a.V));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vec512 SelectPositive(Vec512 x, Vec512 ifPositive, Vec512 otherwise) =>
        new(Vector512.ConditionalSelect(Vector512.GreaterThan(x.V, Vector512<float>.Zero), ifPositive.V, otherwise.V));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vec512 CopySign(Vec512 magnitude, Vec512 sign) => new(Vector512.ConditionalSelect(Vector512.Create(-0f), sign.V, magnitude.V));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Sum(Vec512 a) => Vector512.Sum(a.V);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static unsafe void SumEight(Vec512 s0, Vec512 s1, Vec512 s2, Vec512 s3, Vec512 s4, Vec512 s5, Vec512 s6, Vec512 s7, float* sums)
    {
        if (!Avx512F.IsSupported)
        {
            SimdSums.EachOf<Simd512, Vec512>(s0, s1, s2, s3, s4, s5, s6, s7, sums);
            return;
        }

        Avx.Store(sums, SumEightVector(s0, s1, s2, s3, s4, s5, s6, s7).V.GetLower()); // the ISA store: crossgen2 leaves Vector256.Store as a call it cannot precompile
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vec512 SumEightVector(Vec512 s0, Vec512 s1, Vec512 s2, Vec512 s3, Vec512 s4, Vec512 s5, Vec512 s6, Vec512 s7)
    {
        if (!Avx512F.IsSupported)
        {
            return new(Vector512.Create(Vector256.Create(Sum(s0), Sum(s1), Sum(s2), Sum(s3), Sum(s4), Sum(s5), Sum(s6), Sum(s7)), Vector256<float>.Zero));
        }

        // Per 128-bit lane L of each vector: q_L = (x0 + x1) + (x2 + x3); Vector512.Sum = (q0 + q1) + (q2 + q3).
        Vector512<float> q0123 = SimdSums.Quarters(s0.V, s1.V, s2.V, s3.V);
        Vector512<float> q4567 = SimdSums.Quarters(s4.V, s5.V, s6.V, s7.V);

        // Lanes of h: [q0 + q1 of s0..s3, q2 + q3 of s0..s3, q0 + q1 of s4..s7, q2 + q3 of s4..s7]; the total's upper
        // half repeats its lower.
        Vector512<float> h = Avx512F.Shuffle4x128(q0123, q4567, 0x88) + Avx512F.Shuffle4x128(q0123, q4567, 0xDD);
        return new(Avx512F.Shuffle4x128(h, h, 0x88) + Avx512F.Shuffle4x128(h, h, 0xDD));
    }

    /// <summary>
    /// Subnormals and −0 become +0, as at the other widths (|a| &lt; the smallest normal float clears every bit): with
    /// AVX-512 DQ one <c>vfpclassps</c> (classes +0, −0 and denormal) into a mask register and a blend, against an
    /// absolute value, a compare, a mask-to-vector move and an and-not.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vec512 FlushSubnormal(Vec512 a) =>
        new(Avx512DQ.IsSupported
            ? Avx512F.BlendVariable(a.V, Vector512<float>.Zero, Avx512DQ.Classify(a.V, ZeroOrSubnormalClasses))
            : Vector512.AndNot(a.V, Vector512.LessThan(Vector512.Abs(a.V), Vector512.Create(SimdConstants.SmallestNormal))));

    /// <summary><c>vfpclassps</c> categories: +0 (bit 1), −0 (bit 2), denormal (bit 5).</summary>
    private const byte ZeroOrSubnormalClasses = 0x02 | 0x04 | 0x20;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vec512 CreateMask(int count) => new(Vector512.LessThan(Vector512<int>.Indices, Vector512.Create(count)).AsSingle());

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static unsafe Vec512 LoadMasked(float* source, Vec512 mask)
    {
        if (Avx512F.IsSupported)
        {
            return new(Avx512F.MaskLoad(source, mask.V, Vector512<float>.Zero));
        }

        return new(Vector512.Create(Simd256.LoadMasked(source, mask.V.GetLower()), Simd256.LoadMasked(source + 8, mask.V.GetUpper())));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static unsafe void StoreMasked(float* destination, Vec512 value, Vec512 mask)
    {
        if (Avx512F.IsSupported)
        {
            Avx512F.MaskStore(destination, mask.V, value.V);
            return;
        }

        Simd256.StoreMasked(destination, value.V.GetLower(), mask.V.GetLower());
        Simd256.StoreMasked(destination + 8, value.V.GetUpper(), mask.V.GetUpper());
    }
}

/// <summary>A 256-bit vector of floats, as a type of this assembly, for the reason <see cref="Vec512"/> is one: kernels
/// instantiated over it can be precompiled by crossgen2 for AVX2 hosts (x86-64-v3). The JIT keeps it in a register like
/// the vector itself.</summary>
internal readonly struct Vec256
{
    public readonly Vector256<float> V;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vec256(Vector256<float> v) => V = v;
}

internal readonly struct Simd256 : ISimd<Vec256>
{
    public static int Count => Vector256<float>.Count;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vec256 Load(ref float source, nuint offset) => new(Vector256.LoadUnsafe(ref source, offset));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(Vec256 value, ref float destination, nuint offset) => value.V.StoreUnsafe(ref destination, offset);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vec256 Broadcast(float value) => new(Vector256.Create(value));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static unsafe Vec256 BroadcastFrom(float* source) => Broadcast(*source);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vec256 Add(Vec256 a, Vec256 b) => new(a.V + b.V);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vec256 Subtract(Vec256 a, Vec256 b) => new(a.V - b.V);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vec256 Multiply(Vec256 a, Vec256 b) => new(a.V * b.V);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vec256 Divide(Vec256 a, Vec256 b) => new(a.V / b.V);

    /// <summary>FMA's <c>vfmadd</c> where the CPU has it (what <c>Vector256.MultiplyAddEstimate</c> gives there, spelled as
    /// the ISA intrinsic, which crossgen2 compiles inline rather than as a call), else a multiply and an add.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vec256 MultiplyAdd(Vec256 a, Vec256 b, Vec256 c) =>
        new(Fma.IsSupported ? Fma.MultiplyAdd(a.V, b.V, c.V) : Vector256.MultiplyAddEstimate(a.V, b.V, c.V));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void MultiplyAddTo(ref Vec256 acc, Vec256 a, Vec256 b) =>
        Unsafe.AsRef(in acc.V) = Fma.IsSupported ? Fma.MultiplyAdd(a.V, b.V, acc.V) : Vector256.MultiplyAddEstimate(a.V, b.V, acc.V);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static unsafe void MultiplyAddBroadcastTo(ref Vec256 acc, float* a, Vec256 b) => MultiplyAddTo(ref acc, BroadcastFrom(a), b);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vec256 ReluOfArithmetic(Vec256 x) => Max(x, default);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vec256 Max(Vec256 a, Vec256 b) => new(Avx512DQ.VL.IsSupported ? IeeeMinMax.Of(a.V, b.V, IeeeMinMax.Max) : Vector256.Max(a.V, b.V));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vec256 Min(Vec256 a, Vec256 b) => new(Avx512DQ.VL.IsSupported ? IeeeMinMax.Of(a.V, b.V, IeeeMinMax.Min) : Vector256.Min(a.V, b.V));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vec256 Sqrt(Vec256 a) => new(Vector256.Sqrt(a.V));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vec256 Exp(Vec256 a) => new(VectorExp.Of(a.V));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vec256 Log(Vec256 a) => new(VectorLogSingle.Of(a.V));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static (Vec256 Sin, Vec256 Cos) SinCos(Vec256 a)
    {
        (Vector256<float> sin, Vector256<float> cos) = VectorSinCos.Of(a.V);
        return (new(sin), new(cos));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vec256 Abs(Vec256 a) => new(Vector256.Abs(a.V));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vec256 SelectPositive(Vec256 x, Vec256 ifPositive, Vec256 otherwise) =>
        new(Vector256.ConditionalSelect(Vector256.GreaterThan(x.V, Vector256<float>.Zero), ifPositive.V, otherwise.V));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vec256 CopySign(Vec256 magnitude, Vec256 sign) => new(Vector256.ConditionalSelect(Vector256.Create(-0f), sign.V, magnitude.V));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Sum(Vec256 a) => Vector256.Sum(a.V);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static unsafe void SumEight(Vec256 s0, Vec256 s1, Vec256 s2, Vec256 s3, Vec256 s4, Vec256 s5, Vec256 s6, Vec256 s7, float* sums)
    {
        if (!Avx.IsSupported)
        {
            SimdSums.EachOf<Simd256, Vec256>(s0, s1, s2, s3, s4, s5, s6, s7, sums);
            return;
        }

        Avx.Store(sums, SumEightVector(s0, s1, s2, s3, s4, s5, s6, s7).V);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vec256 SumEightVector(Vec256 s0, Vec256 s1, Vec256 s2, Vec256 s3, Vec256 s4, Vec256 s5, Vec256 s6, Vec256 s7)
    {
        if (!Avx.IsSupported)
        {
            return new(Vector256.Create(Sum(s0), Sum(s1), Sum(s2), Sum(s3), Sum(s4), Sum(s5), Sum(s6), Sum(s7)));
        }

        // Per 128-bit lane L: q_L = (x0 + x1) + (x2 + x3); Vector256.Sum = q0 + q1.
        Vector256<float> q0123 = SimdSums.Quarters(s0.V, s1.V, s2.V, s3.V);
        Vector256<float> q4567 = SimdSums.Quarters(s4.V, s5.V, s6.V, s7.V);
        return new(Avx.Permute2x128(q0123, q4567, 0x20) + Avx.Permute2x128(q0123, q4567, 0x31));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vec256 FlushSubnormal(Vec256 a) =>
        new(Vector256.AndNot(a.V, Vector256.LessThan(Vector256.Abs(a.V), Vector256.Create(SimdConstants.SmallestNormal))));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vec256 CreateMask(int count) => new(Vector256.LessThan(Vector256<int>.Indices, Vector256.Create(count)).AsSingle());

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static unsafe Vec256 LoadMasked(float* source, Vec256 mask) => new(LoadMasked(source, mask.V));

    /// <summary><see cref="LoadMasked(float*, Vec256)"/> on the bare vector (for <see cref="Simd512"/>'s fallback without
    /// AVX-512, which works in <see cref="Vector256{T}"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static unsafe Vector256<float> LoadMasked(float* source, Vector256<float> mask)
    {
        if (Avx.IsSupported)
        {
            return Avx.MaskLoad(source, mask);
        }

        return Vector256.Create(Simd128.LoadMasked(source, mask.GetLower()), Simd128.LoadMasked(source + 4, mask.GetUpper()));
    }

    /// <summary>
    /// With AVX-512 (VL), one masked store. Without it, not AVX's <c>vmaskmovps</c>: its store form is microcoded on AMD
    /// (Zen 2 to Zen 4 take several cycles per store), and every row of a product whose width is not a multiple of 8
    /// ends in one, so at 256 bits a 64×128×15 product spent a seventh of its time there and a one-column product over
    /// half. The mask's lanes are counted (<c>vmovmskps</c>, <c>popcnt</c>) and <see cref="StorePrefix"/> writes them with
    /// plain stores, which cost the same on every x86 CPU.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static unsafe void StoreMasked(float* destination, Vec256 value, Vec256 mask) => StoreMasked(destination, value.V, mask.V);

    /// <summary><see cref="StoreMasked(float*, Vec256, Vec256)"/> on the bare vectors.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static unsafe void StoreMasked(float* destination, Vector256<float> value, Vector256<float> mask)
    {
        if (Avx512F.VL.IsSupported)
        {
            Avx512F.VL.MaskStore(destination, mask, value);
            return;
        }

        if (Avx.IsSupported)
        {
            StorePrefix(destination, value, BitOperations.PopCount((uint)Avx.MoveMask(mask)));
            return;
        }

        Simd128.StoreMasked(destination, value.GetLower(), mask.GetLower());
        Simd128.StoreMasked(destination + 4, value.GetUpper(), mask.GetUpper());
    }

    /// <summary>Stores lanes [0, <paramref name="count"/>) of <paramref name="value"/> (0 ≤ count ≤ 8), the lanes a
    /// <see cref="CreateMask"/>(count) mask selects, as at most three plain stores of four, two and one floats; nothing
    /// past them is touched.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static unsafe void StorePrefix(float* destination, Vector256<float> value, int count)
    {
        if (!Avx.IsSupported)
        {
            Simd128.StorePrefix(destination, value.GetLower(), Math.Min(count, 4));
            Simd128.StorePrefix(destination + 4, value.GetUpper(), Math.Max(count - 4, 0));
            return;
        }

        if (count == 8)
        {
            Avx.Store(destination, value);
            return;
        }

        Vector128<float> part = value.GetLower();
        if ((count & 4) != 0)
        {
            Sse.Store(destination, part);
            destination += 4;
            part = value.GetUpper();
        }

        Simd128.StorePrefix(destination, part, count & 3);
    }
}

/// <summary>A 128-bit vector of floats, as a type of this assembly, for the reason <see cref="Vec512"/> is one: kernels
/// instantiated over it can be precompiled by crossgen2, for x86-64 hosts without AVX2 (x86-64-v2) and for Arm64, where
/// 128 bits is the only width. The JIT keeps it in a register like the vector itself.</summary>
internal readonly struct Vec128
{
    public readonly Vector128<float> V;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vec128(Vector128<float> v) => V = v;
}

internal readonly struct Simd128 : ISimd<Vec128>
{
    public static int Count => Vector128<float>.Count;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vec128 Load(ref float source, nuint offset) => new(Vector128.LoadUnsafe(ref source, offset));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(Vec128 value, ref float destination, nuint offset) => value.V.StoreUnsafe(ref destination, offset);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vec128 Broadcast(float value) => new(Vector128.Create(value));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static unsafe Vec128 BroadcastFrom(float* source) => Broadcast(*source);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vec128 Add(Vec128 a, Vec128 b) => new(a.V + b.V);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vec128 Subtract(Vec128 a, Vec128 b) => new(a.V - b.V);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vec128 Multiply(Vec128 a, Vec128 b) => new(a.V * b.V);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vec128 Divide(Vec128 a, Vec128 b) => new(a.V / b.V);

    /// <summary>A fused multiply-add where the CPU has one (FMA's <c>vfmadd</c>, Arm64's <c>fmla</c>), else a multiply and
    /// an add: what <c>Vector128.MultiplyAddEstimate</c> gives on each, spelled out, because crossgen2 compiles that helper as
    /// a call, which keeps every kernel using it out of a precompiled image.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vec128 MultiplyAdd(Vec128 a, Vec128 b, Vec128 c) => new(VectorMultiplyAdd.MultiplyAdd(a.V, b.V, c.V));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void MultiplyAddTo(ref Vec128 acc, Vec128 a, Vec128 b) => Unsafe.AsRef(in acc.V) = VectorMultiplyAdd.MultiplyAdd(a.V, b.V, acc.V);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static unsafe void MultiplyAddBroadcastTo(ref Vec128 acc, float* a, Vec128 b) => MultiplyAddTo(ref acc, BroadcastFrom(a), b);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vec128 ReluOfArithmetic(Vec128 x) => Max(x, default);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vec128 Max(Vec128 a, Vec128 b) => new(Avx512DQ.VL.IsSupported ? IeeeMinMax.Of(a.V, b.V, IeeeMinMax.Max) : Vector128.Max(a.V, b.V));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vec128 Min(Vec128 a, Vec128 b) => new(Avx512DQ.VL.IsSupported ? IeeeMinMax.Of(a.V, b.V, IeeeMinMax.Min) : Vector128.Min(a.V, b.V));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vec128 Sqrt(Vec128 a) => new(Vector128.Sqrt(a.V));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vec128 Exp(Vec128 a) => new(VectorExp.Of(a.V));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vec128 Log(Vec128 a) => new(VectorLogSingle.Of(a.V));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static (Vec128 Sin, Vec128 Cos) SinCos(Vec128 a)
    {
        (Vector128<float> sin, Vector128<float> cos) = VectorSinCos.Of(a.V);
        return (new(sin), new(cos));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vec128 Abs(Vec128 a) => new(Vector128.Abs(a.V));

    /// <summary>
    /// ifPositive where x &gt; 0, else otherwise. Without AVX by and, and-not and or: the JIT makes the select a
    /// <c>blendvps</c>, whose SSE4.1 form takes its mask in xmm0 alone, so a loop that selects moved its values through
    /// xmm0 and, holding the leaky ReLU's slope there, stored it to the stack and reloaded it every iteration, a chain
    /// through memory from one iteration to the next (the h = 256 GAN's rank-one dH = f'(H) ⊙ (dY·W2ᵀ), 512 × 256, twice
    /// a step: the step took 0.97–0.98 of its time after this change). The same lanes either way.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vec128 SelectPositive(Vec128 x, Vec128 ifPositive, Vec128 otherwise)
    {
        Vector128<float> positive = Vector128.GreaterThan(x.V, Vector128<float>.Zero);
        return new(Sse.IsSupported && !Avx.IsSupported
            ? Sse.Or(Sse.And(positive, ifPositive.V), Sse.AndNot(positive, otherwise.V))
            : Vector128.ConditionalSelect(positive, ifPositive.V, otherwise.V));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vec128 CopySign(Vec128 magnitude, Vec128 sign) => new(Vector128.ConditionalSelect(Vector128.Create(-0f), sign.V, magnitude.V));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Sum(Vec128 a) => Vector128.Sum(a.V);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static unsafe void SumEight(Vec128 s0, Vec128 s1, Vec128 s2, Vec128 s3, Vec128 s4, Vec128 s5, Vec128 s6, Vec128 s7, float* sums)
    {
        if (!Sse.IsSupported)
        {
            SimdSums.EachOf<Simd128, Vec128>(s0, s1, s2, s3, s4, s5, s6, s7, sums);
            return;
        }

        // Vector128.Sum = (x0 + x1) + (x2 + x3).
        Sse.Store(sums, SimdSums.Quarters(s0.V, s1.V, s2.V, s3.V));
        Sse.Store(sums + 4, SimdSums.Quarters(s4.V, s5.V, s6.V, s7.V));
    }

    /// <summary>The first four sums only.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vec128 SumEightVector(Vec128 s0, Vec128 s1, Vec128 s2, Vec128 s3, Vec128 s4, Vec128 s5, Vec128 s6, Vec128 s7) =>
        new(Sse.IsSupported ? SimdSums.Quarters(s0.V, s1.V, s2.V, s3.V) : Vector128.Create(Sum(s0), Sum(s1), Sum(s2), Sum(s3)));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vec128 FlushSubnormal(Vec128 a) =>
        new(Vector128.AndNot(a.V, Vector128.LessThan(Vector128.Abs(a.V), Vector128.Create(SimdConstants.SmallestNormal))));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vec128 CreateMask(int count) => new(Vector128.LessThan(Vector128<int>.Indices, Vector128.Create(count)).AsSingle());

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static unsafe Vec128 LoadMasked(float* source, Vec128 mask) => new(LoadMasked(source, mask.V));

    /// <summary><see cref="LoadMasked(float*, Vec128)"/> on the bare vector (for <see cref="Simd256"/>'s fallback without
    /// AVX, which works in halves).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static unsafe Vector128<float> LoadMasked(float* source, Vector128<float> mask)
    {
        if (Avx.IsSupported)
        {
            return Avx.MaskLoad(source, mask);
        }

        Vector128<float> result = Vector128<float>.Zero;
        for (int i = 0; i < 4; i++)
        {
            if (mask.AsInt32().GetElement(i) != 0)
            {
                result = result.WithElement(i, source[i]);
            }
        }

        return result;
    }

    /// <summary>As <see cref="Simd256.StoreMasked(float*, Vec256, Vec256)"/>: one AVX-512 masked store where the CPU has it, else plain stores of the
    /// counted lanes (<see cref="StorePrefix"/>) rather than AVX's <c>vmaskmovps</c>, whose store form is microcoded on AMD.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static unsafe void StoreMasked(float* destination, Vec128 value, Vec128 mask) => StoreMasked(destination, value.V, mask.V);

    /// <summary><see cref="StoreMasked(float*, Vec128, Vec128)"/> on the bare vectors.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static unsafe void StoreMasked(float* destination, Vector128<float> value, Vector128<float> mask)
    {
        if (Avx512F.VL.IsSupported)
        {
            Avx512F.VL.MaskStore(destination, mask, value);
            return;
        }

        if (Sse.IsSupported)
        {
            StorePrefix(destination, value, BitOperations.PopCount((uint)Sse.MoveMask(mask)));
            return;
        }

        for (int i = 0; i < 4; i++)
        {
            if (mask.AsInt32().GetElement(i) != 0)
            {
                destination[i] = value.GetElement(i);
            }
        }
    }

    /// <summary>Stores lanes [0, <paramref name="count"/>) of <paramref name="value"/> (0 ≤ count ≤ 4) as at most two plain
    /// stores, of two floats and of one (float by float without SSE); nothing past them is touched.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static unsafe void StorePrefix(float* destination, Vector128<float> value, int count)
    {
        if (!Sse.IsSupported)
        {
            for (int i = 0; i < count; i++)
            {
                destination[i] = value.GetElement(i);
            }

            return;
        }

        if (count == 4)
        {
            Sse.Store(destination, value);
            return;
        }

        if ((count & 2) != 0)
        {
            Sse.StoreLow(destination, value);
            destination += 2;
            value = Sse.MoveHighToLow(value, value);
        }

        if ((count & 1) != 0)
        {
            Sse.StoreScalar(destination, value);
        }
    }
}

/// <summary>The one-lane fallback, used for tails and when no vector width is accelerated.</summary>
internal readonly struct SimdScalar : ISimd<float>
{
    public static int Count => 1;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Load(ref float source, nuint offset) => Unsafe.Add(ref source, offset);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(float value, ref float destination, nuint offset) => Unsafe.Add(ref destination, offset) = value;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Broadcast(float value) => value;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static unsafe float BroadcastFrom(float* source) => Broadcast(*source);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Add(float a, float b) => a + b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Subtract(float a, float b) => a - b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Multiply(float a, float b) => a * b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Divide(float a, float b) => a / b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float MultiplyAdd(float a, float b, float c) => MathF.FusedMultiplyAdd(a, b, c);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void MultiplyAddTo(ref float acc, float a, float b) => acc = MathF.FusedMultiplyAdd(a, b, acc);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static unsafe void MultiplyAddBroadcastTo(ref float acc, float* a, float b) => MultiplyAddTo(ref acc, *a, b);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float ReluOfArithmetic(float x) => Max(x, default);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Max(float a, float b) => ScalarMath.Max(a, b);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Min(float a, float b) => ScalarMath.Min(a, b);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Sqrt(float a) => MathF.Sqrt(a);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Exp(float a) => MathF.Exp(a);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Log(float a) => MathF.Log(a);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static (float Sin, float Cos) SinCos(float a) => MathF.SinCos(a);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Abs(float a) => MathF.Abs(a);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float SelectPositive(float x, float ifPositive, float otherwise) => x > 0f ? ifPositive : otherwise;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float CopySign(float magnitude, float sign) => MathF.CopySign(magnitude, sign);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Sum(float a) => a;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static unsafe void SumEight(float s0, float s1, float s2, float s3, float s4, float s5, float s6, float s7, float* sums) =>
        SimdSums.EachOf<SimdScalar, float>(s0, s1, s2, s3, s4, s5, s6, s7, sums);

    /// <summary>The first sum only: <paramref name="s0"/> itself.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float SumEightVector(float s0, float s1, float s2, float s3, float s4, float s5, float s6, float s7) => s0;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float FlushSubnormal(float a) => MathF.Abs(a) < SimdConstants.SmallestNormal ? 0f : a;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float CreateMask(int count) => count > 0 ? BitConverter.Int32BitsToSingle(-1) : 0f;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static unsafe float LoadMasked(float* source, float mask) => BitConverter.SingleToInt32Bits(mask) != 0 ? *source : 0f;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static unsafe void StoreMasked(float* destination, float value, float mask)
    {
        if (BitConverter.SingleToInt32Bits(mask) != 0)
        {
            *destination = value;
        }
    }
}

/// <summary>The shared steps of <see cref="ISimd{TV}"/>'s <c>SumEight</c>.</summary>
internal static class SimdSums
{
    /// <summary>The reference: one <c>Sum</c> per vector (every width off x86, and the scalar path).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static unsafe void EachOf<TS, TV>(TV s0, TV s1, TV s2, TV s3, TV s4, TV s5, TV s6, TV s7, float* sums)
        where TS : ISimd<TV>
        where TV : struct
    {
        sums[0] = TS.Sum(s0);
        sums[1] = TS.Sum(s1);
        sums[2] = TS.Sum(s2);
        sums[3] = TS.Sum(s3);
        sums[4] = TS.Sum(s4);
        sums[5] = TS.Sum(s5);
        sums[6] = TS.Sum(s6);
        sums[7] = TS.Sum(s7);
    }

    /// <summary>Per 128-bit lane L: [q_L(a), q_L(b), q_L(c), q_L(d)] with q_L = (x0 + x1) + (x2 + x3) of that lane's four
    /// floats. shufps 0x88 takes floats 0 and 2 of each source, 0xDD floats 1 and 3, within each 128-bit lane.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Quarters(Vector512<float> a, Vector512<float> b, Vector512<float> c, Vector512<float> d)
    {
        Vector512<float> ab = Avx512F.Shuffle(a, b, 0x88) + Avx512F.Shuffle(a, b, 0xDD);
        Vector512<float> cd = Avx512F.Shuffle(c, d, 0x88) + Avx512F.Shuffle(c, d, 0xDD);
        return Avx512F.Shuffle(ab, cd, 0x88) + Avx512F.Shuffle(ab, cd, 0xDD);
    }

    /// <inheritdoc cref="Quarters(Vector512{float}, Vector512{float}, Vector512{float}, Vector512{float})"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Quarters(Vector256<float> a, Vector256<float> b, Vector256<float> c, Vector256<float> d)
    {
        Vector256<float> ab = Avx.Shuffle(a, b, 0x88) + Avx.Shuffle(a, b, 0xDD);
        Vector256<float> cd = Avx.Shuffle(c, d, 0x88) + Avx.Shuffle(c, d, 0xDD);
        return Avx.Shuffle(ab, cd, 0x88) + Avx.Shuffle(ab, cd, 0xDD);
    }

    /// <inheritdoc cref="Quarters(Vector512{float}, Vector512{float}, Vector512{float}, Vector512{float})"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Quarters(Vector128<float> a, Vector128<float> b, Vector128<float> c, Vector128<float> d)
    {
        Vector128<float> ab = Sse.Shuffle(a, b, 0x88) + Sse.Shuffle(a, b, 0xDD);
        Vector128<float> cd = Sse.Shuffle(c, d, 0x88) + Sse.Shuffle(c, d, 0xDD);
        return Sse.Shuffle(ab, cd, 0x88) + Sse.Shuffle(ab, cd, 0xDD);
    }
}

/// <summary>
/// Vector512.Max's and Min's AVX-512 sequence (IEEE 754 maximum and minimum: NaN propagates, +0 &gt; −0), spelled out
/// with the ISA intrinsics, at each width, because a ReadyToRun image's code for Vector512.Max, Vector256.Max and
/// Vector128.Max is refused at run time on an AVX-512 CPU (docs/kernels.md, "Warm-up"): vrangeps picks the larger or
/// smaller, and two fixups give NaN and signed zeros their IEEE results. It is the sequence the JIT emits for them there,
/// and the one the kernels' ReLU compiled to before; only where the JIT saw a literal +0 did it sometimes emit a shorter
/// one, which differs from this in one case: a signalling NaN, which this quiets (as IEEE 754 asks). The 256- and
/// 128-bit forms (AVX-512's VL instructions) serve the narrower kernels on an AVX-512 CPU, which run there under a
/// thread's cap (<see cref="KernelDispatch.Cap"/>): with the runtime's Max every kernel with a ReLU was compiled again at
/// tier 0 (when the sixty-third session ran those kernels wherever the runtime preferred narrower vectors, the first 500
/// seed steps took 10 (256) and 6.2 (128) times the steady step). Callers use these only where the CPU has AVX-512 DQ (and VL), the runtime's Max elsewhere.
/// </summary>
internal static class IeeeMinMax
{
    /// <summary>vrangeps's control for the minimum.</summary>
    public const byte Min = 4;

    /// <summary>vrangeps's control for the maximum.</summary>
    public const byte Max = 5;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Of(Vector512<float> a, Vector512<float> b, [ConstantExpected(Min = Min, Max = Max)] byte control) =>
        Avx512F.Fixup(Avx512DQ.Range(a, b, control), Avx512F.Fixup(a, b, Vector512.Create(1), 0), Vector512.Create(1), 0);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Of(Vector256<float> a, Vector256<float> b, [ConstantExpected(Min = Min, Max = Max)] byte control) =>
        Avx512F.VL.Fixup(Avx512DQ.VL.Range(a, b, control), Avx512F.VL.Fixup(a, b, Vector256.Create(1), 0), Vector256.Create(1), 0);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Of(Vector128<float> a, Vector128<float> b, [ConstantExpected(Min = Min, Max = Max)] byte control) =>
        Avx512F.VL.Fixup(Avx512DQ.VL.Range(a, b, control), Avx512F.VL.Fixup(a, b, Vector128.Create(1), 0), Vector128.Create(1), 0);
}
