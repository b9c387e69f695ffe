using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.Arm;
using System.Runtime.Intrinsics.X86;
using static GanCore.Kernels.VectorMultiplyAdd;

namespace GanCore.Kernels;

/// <summary>
/// ln x for every lane of a float vector, with the bits of the runtime's <c>Vector512.Log</c>, <c>Vector256.Log</c> and
/// <c>Vector128.Log</c> (the same method, constants and order of operations), written in this assembly so the
/// Box–Muller block (<see cref="Randomness.RandomSource.FillGaussianVectorized"/>) inlines it and is precompiled: the
/// runtime's Log is a generic method of CoreLib that takes its vector by value across the version bubble, which
/// crossgen2 refuses to compile into a caller, so the block waited for the JIT at a process's first Gaussian batch.
/// <see cref="VectorExp"/> is the same idea for e^x.
/// <para>
/// The method (AMD's AOCL libm, <c>vrs4_logf</c>, which the runtime follows, all in float): subtracting the bits of
/// 2/3 (rounded up, 0x3F2AAAAB) from x's bits and shifting right arithmetically by 23 gives the exponent n with the
/// mantissa m = x/2ⁿ in [2/3, 4/3); r = m − 1 ∈ [−1/3, 1/3); ln(1 + r) ≈ r + C₂r² + … + C₁₀r¹⁰ in an Estrin-like
/// scheme over r², r⁴, r⁸; the result is n·ln 2 + that, one fused multiply-add. Fused multiply-adds wherever the CPU
/// has them (a multiply and an add where it has not), as the runtime's <c>MultiplyAddEstimate</c>. Lanes outside the
/// positive normal range take the special-value selects: +0 and −0 give −∞, a negative lane or NaN gives NaN, +∞ stays
/// +∞, and a subnormal is scaled by 2²³ first (its exponent then corrected by 23).
/// </para>
/// </summary>
internal static class VectorLogSingle
{
    private const uint SmallestNormalBits = 0x0080_0000;
    private const uint InfinityBits = 0x7F80_0000;
    private const uint MantissaMask = 0x007F_FFFF;
    private const uint TwoThirdsBits = 0x3F2A_AAAB;
    private const float Ln2 = 0.6931472f;
    private const float C02 = -0.5000001f;
    private const float C03 = 0.33332965f;
    private const float C04 = -0.24999046f;
    private const float C05 = 0.20018855f;
    private const float C06 = -0.16700386f;
    private const float C07 = 0.13902695f;
    private const float C08 = -0.1197452f;
    private const float C09 = 0.14401625f;
    private const float C10 = -0.13657966f;

    /// <summary>ln x, lane-wise, at 512 bits (AVX-512; the 256-bit halves elsewhere, as the runtime splits them).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Of(Vector512<float> x)
    {
        if (!Avx512F.IsSupported)
        {
            return Vector512.Create(Of(x.GetLower()), Of(x.GetUpper()));
        }

        Vector512<float> special = x;
        Vector512<uint> specialMask = Vector512.GreaterThanOrEqual(
            x.AsUInt32() - Vector512.Create(SmallestNormalBits), Vector512.Create(InfinityBits - SmallestNormalBits));
        if (specialMask != Vector512<uint>.Zero)
        {
            Vector512<float> negative = Vector512.LessThan(x.AsInt32(), Vector512<int>.Zero).AsSingle();
            special = Vector512.ConditionalSelect(negative, Vector512.Create(float.NaN), special);
            Vector512<float> zero = Vector512.Equals(x, Vector512<float>.Zero);
            special = Vector512.ConditionalSelect(zero, Vector512.Create(float.NegativeInfinity), special);
            Vector512<float> taken = zero | negative | ~Vector512.Equals(x, x) | Vector512.Equals(x, Vector512.Create(float.PositiveInfinity));
            Vector512<float> subnormal = Vector512.AndNot(specialMask.AsSingle(), taken);
            x = Vector512.ConditionalSelect(subnormal, ((x * 8388608f).AsUInt32() - Vector512.Create(23u << 23)).AsSingle(), x);
            specialMask = taken.AsUInt32();
        }

        Vector512<uint> shifted = x.AsUInt32() - Vector512.Create(TwoThirdsBits);
        Vector512<float> n = Vector512.ConvertToSingle(shifted.AsInt32() >> 23);
        Vector512<float> r = ((shifted & Vector512.Create(MantissaMask)) + Vector512.Create(TwoThirdsBits)).AsSingle() - Vector512<float>.One;
        Vector512<float> r2 = r * r;
        Vector512<float> r4 = r2 * r2;
        Vector512<float> r8 = r4 * r4;
        Vector512<float> q = Avx512F.FusedMultiplyAdd(
            Avx512F.FusedMultiplyAdd(r2, Vector512.Create(C10), Avx512F.FusedMultiplyAdd(Vector512.Create(C09), r, Vector512.Create(C08))),
            r8,
            Avx512F.FusedMultiplyAdd(
                Avx512F.FusedMultiplyAdd(
                    Avx512F.FusedMultiplyAdd(Vector512.Create(C07), r, Vector512.Create(C06)),
                    r2,
                    Avx512F.FusedMultiplyAdd(Vector512.Create(C05), r, Vector512.Create(C04))),
                r4,
                Avx512F.FusedMultiplyAdd(Avx512F.FusedMultiplyAdd(Vector512.Create(C03), r, Vector512.Create(C02)), r2, r)));
        return Vector512.ConditionalSelect(specialMask.AsSingle(), special, Avx512F.FusedMultiplyAdd(n, Vector512.Create(Ln2), q));
    }

    /// <summary>ln x, lane-wise, at 256 bits (AVX2; without it the runtime's 256-bit vectors are not accelerated and it
    /// takes the 128-bit halves, as this does).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Of(Vector256<float> x)
    {
        if (!Avx2.IsSupported)
        {
            return Vector256.Create(Of(x.GetLower()), Of(x.GetUpper()));
        }

        Vector256<float> special = x;
        Vector256<uint> specialMask = Vector256.GreaterThanOrEqual(
            x.AsUInt32() - Vector256.Create(SmallestNormalBits), Vector256.Create(InfinityBits - SmallestNormalBits));
        if (specialMask != Vector256<uint>.Zero)
        {
            Vector256<float> negative = Vector256.LessThan(x.AsInt32(), Vector256<int>.Zero).AsSingle();
            special = Vector256.ConditionalSelect(negative, Vector256.Create(float.NaN), special);
            Vector256<float> zero = Vector256.Equals(x, Vector256<float>.Zero);
            special = Vector256.ConditionalSelect(zero, Vector256.Create(float.NegativeInfinity), special);
            Vector256<float> taken = zero | negative | ~Vector256.Equals(x, x) | Vector256.Equals(x, Vector256.Create(float.PositiveInfinity));
            Vector256<float> subnormal = Vector256.AndNot(specialMask.AsSingle(), taken);
            x = Vector256.ConditionalSelect(subnormal, ((x * 8388608f).AsUInt32() - Vector256.Create(23u << 23)).AsSingle(), x);
            specialMask = taken.AsUInt32();
        }

        Vector256<uint> shifted = x.AsUInt32() - Vector256.Create(TwoThirdsBits);
        Vector256<float> n = Vector256.ConvertToSingle(shifted.AsInt32() >> 23);
        Vector256<float> r = ((shifted & Vector256.Create(MantissaMask)) + Vector256.Create(TwoThirdsBits)).AsSingle() - Vector256<float>.One;
        Vector256<float> r2 = r * r;
        Vector256<float> r4 = r2 * r2;
        Vector256<float> r8 = r4 * r4;
        Vector256<float> q = MultiplyAdd(
            MultiplyAdd(r2, Vector256.Create(C10), MultiplyAdd(Vector256.Create(C09), r, Vector256.Create(C08))),
            r8,
            MultiplyAdd(
                MultiplyAdd(MultiplyAdd(Vector256.Create(C07), r, Vector256.Create(C06)), r2, MultiplyAdd(Vector256.Create(C05), r, Vector256.Create(C04))),
                r4,
                MultiplyAdd(MultiplyAdd(Vector256.Create(C03), r, Vector256.Create(C02)), r2, r)));
        return Vector256.ConditionalSelect(specialMask.AsSingle(), special, MultiplyAdd(n, Vector256.Create(Ln2), q));
    }

    /// <summary>ln x, lane-wise, at 128 bits: SSE2 on x86-64, AdvSimd on Arm64, the runtime's Log elsewhere.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Of(Vector128<float> x)
    {
        if (!Sse2.IsSupported && !AdvSimd.Arm64.IsSupported)
        {
            return Vector128.Log(x);
        }

        Vector128<float> special = x;
        Vector128<uint> specialMask = Vector128.GreaterThanOrEqual(
            x.AsUInt32() - Vector128.Create(SmallestNormalBits), Vector128.Create(InfinityBits - SmallestNormalBits));
        if (specialMask != Vector128<uint>.Zero)
        {
            Vector128<float> negative = Vector128.LessThan(x.AsInt32(), Vector128<int>.Zero).AsSingle();
            special = Vector128.ConditionalSelect(negative, Vector128.Create(float.NaN), special);
            Vector128<float> zero = Vector128.Equals(x, Vector128<float>.Zero);
            special = Vector128.ConditionalSelect(zero, Vector128.Create(float.NegativeInfinity), special);
            Vector128<float> taken = zero | negative | ~Vector128.Equals(x, x) | Vector128.Equals(x, Vector128.Create(float.PositiveInfinity));
            Vector128<float> subnormal = Vector128.AndNot(specialMask.AsSingle(), taken);
            x = Vector128.ConditionalSelect(subnormal, ((x * 8388608f).AsUInt32() - Vector128.Create(23u << 23)).AsSingle(), x);
            specialMask = taken.AsUInt32();
        }

        Vector128<uint> shifted = x.AsUInt32() - Vector128.Create(TwoThirdsBits);
        Vector128<float> n = Vector128.ConvertToSingle(shifted.AsInt32() >> 23);
        Vector128<float> r = ((shifted & Vector128.Create(MantissaMask)) + Vector128.Create(TwoThirdsBits)).AsSingle() - Vector128<float>.One;
        Vector128<float> r2 = r * r;
        Vector128<float> r4 = r2 * r2;
        Vector128<float> r8 = r4 * r4;
        Vector128<float> q = MultiplyAdd(
            MultiplyAdd(r2, Vector128.Create(C10), MultiplyAdd(Vector128.Create(C09), r, Vector128.Create(C08))),
            r8,
            MultiplyAdd(
                MultiplyAdd(MultiplyAdd(Vector128.Create(C07), r, Vector128.Create(C06)), r2, MultiplyAdd(Vector128.Create(C05), r, Vector128.Create(C04))),
                r4,
                MultiplyAdd(MultiplyAdd(Vector128.Create(C03), r, Vector128.Create(C02)), r2, r)));
        return Vector128.ConditionalSelect(specialMask.AsSingle(), special, MultiplyAdd(n, Vector128.Create(Ln2), q));
    }
}
