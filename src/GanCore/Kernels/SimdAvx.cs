using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace GanCore.Kernels;

/// <summary>
/// 256-bit vectors on an x86 CPU with AVX but without AVX2 (Intel Sandy Bridge and Ivy Bridge, AMD Bulldozer), for
/// the GEMM's packed, direct and streaming routes only (<see cref="GemmEngine"/>'s Execute sends them here, and so do
/// the fused weight-and-bias and hidden-layer gradients; every other kernel on such a CPU keeps the 128-bit width,
/// <see cref="KernelDispatch.HardwareWidth"/>).
/// </summary>
/// <remarks>
/// Without AVX2 the runtime does not accelerate <see cref="Vector256{T}"/>: the JIT splits its operators into two
/// 128-bit halves (a multiply becomes an extract, two <c>vmulps xmm</c> and an insert), and <c>Vector256.Create(x)</c>
/// takes two shuffles. AVX itself has every float instruction the micro-kernels need at full width, so the arithmetic
/// here calls it directly: <c>vmulps</c> and <c>vaddps</c> on <c>ymm</c>, and a broadcast as <c>vbroadcastss</c> from
/// memory (AVX has no register form; the micro-kernels pass A's address, <see cref="BroadcastFrom"/> and
/// <see cref="MultiplyAddBroadcastTo"/>). There is no FMA (the runtime has none before AVX2): a multiply and an add,
/// rounded twice, as <see cref="Simd128"/> computes without FMA on the same CPU, so an element's bits are the same at
/// either width. The operations the two routes need only at a tile's edges (masks, masked loads and stores, the
/// epilogues' max and select) are <see cref="Simd256"/>'s, whose split halves are correct on AVX alone and run once per
/// tile or row, not per k.
/// </remarks>
internal readonly struct SimdAvx : ISimd<Vec256>
{
    /// <summary>Whether this process runs on such a CPU: AVX without AVX2, and so no accelerated
    /// <see cref="Vector256{T}"/>. A constant to the JIT; false on Arm64 and wherever <see cref="Simd256"/> runs. Asked of
    /// the instruction sets, not of <see cref="Vector256.IsHardwareAccelerated"/>, so that a precompiled image and the JIT
    /// agree where the runtime is only told to prefer narrower vectors (<c>DOTNET_PreferredVectorBitWidth=128</c> on an
    /// AVX2 CPU, which runs the 256-bit kernels in both, as <see cref="KernelDispatch.HardwareWidth"/> does).</summary>
    public static bool IsHost
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => Avx.IsSupported && !Avx2.IsSupported;
    }

    public static int Count => Vector256<float>.Count;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vec256 Load(ref float source, nuint offset) => Simd256.Load(ref source, offset);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(Vec256 value, ref float destination, nuint offset) => Simd256.Store(value, ref destination, offset);

    /// <summary>A store of <paramref name="value"/> and <c>vbroadcastss</c> from it: two memory operations, where the
    /// register form would cost two shuffles on the one port AVX-era cores shuffle on. The kernels' hot loops use
    /// <see cref="BroadcastFrom"/> instead.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static unsafe Vec256 Broadcast(float value) => new(Avx.BroadcastScalarToVector256(&value));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static unsafe Vec256 BroadcastFrom(float* source) => new(Avx.BroadcastScalarToVector256(source));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vec256 Add(Vec256 a, Vec256 b) => new(Avx.Add(a.V, b.V));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vec256 Subtract(Vec256 a, Vec256 b) => new(Avx.Subtract(a.V, b.V));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vec256 Multiply(Vec256 a, Vec256 b) => new(Avx.Multiply(a.V, b.V));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vec256 Divide(Vec256 a, Vec256 b) => new(Avx.Divide(a.V, b.V));

    /// <summary>a·b + c as a multiply and an add (no FMA on these CPUs).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vec256 MultiplyAdd(Vec256 a, Vec256 b, Vec256 c) => new(Avx.Add(Avx.Multiply(a.V, b.V), c.V));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void MultiplyAddTo(ref Vec256 acc, Vec256 a, Vec256 b) => Unsafe.AsRef(in acc.V) = Avx.Add(Avx.Multiply(a.V, b.V), acc.V);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static unsafe void MultiplyAddBroadcastTo(ref Vec256 acc, float* a, Vec256 b) => MultiplyAddTo(ref acc, BroadcastFrom(a), b);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vec256 Max(Vec256 a, Vec256 b) => Simd256.Max(a, b);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vec256 ReluOfArithmetic(Vec256 x) => Simd256.ReluOfArithmetic(x);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vec256 Min(Vec256 a, Vec256 b) => Simd256.Min(a, b);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vec256 Sqrt(Vec256 a) => new(Avx.Sqrt(a.V));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vec256 Exp(Vec256 a) => Simd256.Exp(a);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vec256 Log(Vec256 a) => Simd256.Log(a);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static (Vec256 Sin, Vec256 Cos) SinCos(Vec256 a) => Simd256.SinCos(a);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vec256 Abs(Vec256 a) => Simd256.Abs(a);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vec256 SelectPositive(Vec256 x, Vec256 ifPositive, Vec256 otherwise) => Simd256.SelectPositive(x, ifPositive, otherwise);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vec256 CopySign(Vec256 magnitude, Vec256 sign) => Simd256.CopySign(magnitude, sign);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Sum(Vec256 a) => Simd256.Sum(a);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static unsafe void SumEight(Vec256 s0, Vec256 s1, Vec256 s2, Vec256 s3, Vec256 s4, Vec256 s5, Vec256 s6, Vec256 s7, float* sums) =>
        Simd256.SumEight(s0, s1, s2, s3, s4, s5, s6, s7, sums);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vec256 SumEightVector(Vec256 s0, Vec256 s1, Vec256 s2, Vec256 s3, Vec256 s4, Vec256 s5, Vec256 s6, Vec256 s7) =>
        Simd256.SumEightVector(s0, s1, s2, s3, s4, s5, s6, s7);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vec256 FlushSubnormal(Vec256 a) => Simd256.FlushSubnormal(a);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vec256 CreateMask(int count) => Simd256.CreateMask(count);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static unsafe Vec256 LoadMasked(float* source, Vec256 mask) => Simd256.LoadMasked(source, mask);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static unsafe void StoreMasked(float* destination, Vec256 value, Vec256 mask) => Simd256.StoreMasked(destination, value, mask);
}
