using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.Arm;
using System.Runtime.Intrinsics.X86;

namespace GanCore.Kernels;

/// <summary>
/// a·b + c as the runtime's <c>MultiplyAddEstimate</c> computes it on each CPU — one rounding where there is a fused
/// multiply-add (FMA on x86-64, every Arm64 core), a multiply and an add otherwise — spelled as hardware intrinsics,
/// which crossgen2 compiles inline: the runtime's helper is a call, which keeps a kernel using it out of a precompiled
/// image. <see cref="VectorExp"/>, <see cref="VectorLogSingle"/> and <see cref="VectorSinCos"/> reproduce the runtime's
/// functions with it, and <see cref="Simd128.MultiplyAdd"/> is it. (At 512 bits <c>Avx512F.FusedMultiplyAdd</c> is
/// always there.)
/// </summary>
internal static class VectorMultiplyAdd
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> MultiplyAdd(Vector256<float> a, Vector256<float> b, Vector256<float> c) =>
        Fma.IsSupported ? Fma.MultiplyAdd(a, b, c) : Avx.Add(Avx.Multiply(a, b), c);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> MultiplyAdd(Vector128<float> a, Vector128<float> b, Vector128<float> c) =>
        Fma.IsSupported ? Fma.MultiplyAdd(a, b, c) :
        AdvSimd.IsSupported ? AdvSimd.FusedMultiplyAdd(c, a, b) :
        (a * b) + c;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<double> MultiplyAdd(Vector256<double> a, Vector256<double> b, Vector256<double> c) =>
        Fma.IsSupported ? Fma.MultiplyAdd(a, b, c) : Avx.Add(Avx.Multiply(a, b), c);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<double> MultiplyAdd(Vector128<double> a, Vector128<double> b, Vector128<double> c) =>
        Fma.IsSupported ? Fma.MultiplyAdd(a, b, c) :
        AdvSimd.Arm64.IsSupported ? AdvSimd.Arm64.FusedMultiplyAdd(c, a, b) :
        (a * b) + c;
}
