using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.Arm;
using System.Runtime.Intrinsics.X86;

namespace GanCore.Kernels;

/// <summary>
/// Floats widened to doubles and rounded back, for the vector functions that compute in double as the runtime's do
/// (<see cref="VectorExp"/>, <see cref="VectorSinCos"/>): a float vector's halves in, two double vectors out, and back.
/// Widening is exact; narrowing rounds to nearest. Hardware intrinsics, which crossgen2 compiles inline (the framework's
/// <c>WidenLower</c> and <c>Narrow</c> helpers would be calls). At 512 and 256 bits the callers widen with one
/// conversion per half themselves.
/// </summary>
internal static class VectorDoubleLanes
{
    /// <summary>Lanes 0–1 of <paramref name="x"/> as doubles (SSE2 or Arm64's AdvSimd).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<double> WidenLower(Vector128<float> x) =>
        Sse2.IsSupported ? Sse2.ConvertToVector128Double(x) : AdvSimd.Arm64.ConvertToDouble(x.GetLower());

    /// <summary>Lanes 2–3 of <paramref name="x"/> as doubles (SSE2 or Arm64's AdvSimd).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<double> WidenUpper(Vector128<float> x) =>
        Sse2.IsSupported ? Sse2.ConvertToVector128Double(Sse.MoveHighToLow(x, x)) : AdvSimd.Arm64.ConvertToDoubleUpper(x);

    /// <summary><paramref name="lower"/> and <paramref name="upper"/> rounded to floats, lower in lanes 0–7 (AVX-512).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Narrow(Vector512<double> lower, Vector512<double> upper) =>
        Avx512F.InsertVector256(Avx512F.ConvertToVector256Single(lower).ToVector512Unsafe(), Avx512F.ConvertToVector256Single(upper), 1);

    /// <summary><paramref name="lower"/> and <paramref name="upper"/> rounded to floats, lower in lanes 0–3 (AVX).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Narrow(Vector256<double> lower, Vector256<double> upper) =>
        Avx.InsertVector128(Avx.ConvertToVector128Single(lower).ToVector256Unsafe(), Avx.ConvertToVector128Single(upper), 1);

    /// <summary><paramref name="lower"/> and <paramref name="upper"/> rounded to floats, lower in lanes 0–1 (SSE2 or Arm64's
    /// AdvSimd).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Narrow(Vector128<double> lower, Vector128<double> upper) =>
        Sse2.IsSupported
            ? Sse.MoveLowToHigh(Sse2.ConvertToVector128Single(lower), Sse2.ConvertToVector128Single(upper))
            : AdvSimd.Arm64.ConvertToSingleUpper(AdvSimd.Arm64.ConvertToSingleLower(lower), upper);
}
