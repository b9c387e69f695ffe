using System.Runtime.CompilerServices;

namespace GanCore.Kernels;

/// <summary>
/// <see cref="Simd128"/> for micro-kernels whose A operand is stored already broadcast: each A element a whole vector
/// of four equal floats (<see cref="GemmEngine"/>'s splatted row blocks), so <see cref="BroadcastFrom"/> is a plain
/// vector load. Everything else is <see cref="Simd128"/>'s, the arithmetic included, so a kernel computes the same bits
/// either way. For x64 without AVX, which has no broadcast load: there a broadcast is a scalar load and a shuffle
/// (<c>movss</c>, <c>shufps</c>), and the shuffle competes with the multiplies and adds for the vector pipes.
/// </summary>
internal readonly struct Simd128Splat : ISimd<Vec128>
{
    public static int Count => Simd128.Count;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vec128 Load(ref float source, nuint offset) => Simd128.Load(ref source, offset);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(Vec128 value, ref float destination, nuint offset) => Simd128.Store(value, ref destination, offset);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vec128 Broadcast(float value) => Simd128.Broadcast(value);

    /// <summary>The vector at <paramref name="source"/>: four copies of one A element, written by the splat.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static unsafe Vec128 BroadcastFrom(float* source) => Simd128.Load(ref *source, 0);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vec128 Add(Vec128 a, Vec128 b) => Simd128.Add(a, b);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vec128 Subtract(Vec128 a, Vec128 b) => Simd128.Subtract(a, b);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vec128 Multiply(Vec128 a, Vec128 b) => Simd128.Multiply(a, b);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vec128 Divide(Vec128 a, Vec128 b) => Simd128.Divide(a, b);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vec128 MultiplyAdd(Vec128 a, Vec128 b, Vec128 c) => Simd128.MultiplyAdd(a, b, c);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void MultiplyAddTo(ref Vec128 acc, Vec128 a, Vec128 b) => Simd128.MultiplyAddTo(ref acc, a, b);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static unsafe void MultiplyAddBroadcastTo(ref Vec128 acc, float* a, Vec128 b) => Simd128.MultiplyAddTo(ref acc, BroadcastFrom(a), b);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vec128 ReluOfArithmetic(Vec128 x) => Simd128.ReluOfArithmetic(x);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vec128 Max(Vec128 a, Vec128 b) => Simd128.Max(a, b);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vec128 Min(Vec128 a, Vec128 b) => Simd128.Min(a, b);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vec128 Sqrt(Vec128 a) => Simd128.Sqrt(a);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vec128 Exp(Vec128 a) => Simd128.Exp(a);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vec128 Log(Vec128 a) => Simd128.Log(a);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static (Vec128 Sin, Vec128 Cos) SinCos(Vec128 a) => Simd128.SinCos(a);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vec128 Abs(Vec128 a) => Simd128.Abs(a);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vec128 SelectPositive(Vec128 x, Vec128 ifPositive, Vec128 otherwise) => Simd128.SelectPositive(x, ifPositive, otherwise);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vec128 CopySign(Vec128 magnitude, Vec128 sign) => Simd128.CopySign(magnitude, sign);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Sum(Vec128 a) => Simd128.Sum(a);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static unsafe void SumEight(Vec128 s0, Vec128 s1, Vec128 s2, Vec128 s3, Vec128 s4, Vec128 s5, Vec128 s6, Vec128 s7, float* sums) =>
        Simd128.SumEight(s0, s1, s2, s3, s4, s5, s6, s7, sums);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vec128 SumEightVector(Vec128 s0, Vec128 s1, Vec128 s2, Vec128 s3, Vec128 s4, Vec128 s5, Vec128 s6, Vec128 s7) =>
        Simd128.SumEightVector(s0, s1, s2, s3, s4, s5, s6, s7);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vec128 FlushSubnormal(Vec128 a) => Simd128.FlushSubnormal(a);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vec128 CreateMask(int count) => Simd128.CreateMask(count);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static unsafe Vec128 LoadMasked(float* source, Vec128 mask) => Simd128.LoadMasked(source, mask);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static unsafe void StoreMasked(float* destination, Vec128 value, Vec128 mask) => Simd128.StoreMasked(destination, value, mask);
}
