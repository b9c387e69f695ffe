using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.Arm;
using System.Runtime.Intrinsics.X86;
using static GanCore.Kernels.VectorDoubleLanes;
using static GanCore.Kernels.VectorMultiplyAdd;

namespace GanCore.Kernels;

/// <summary>
/// e^x for every lane of a float vector, with the bits of the runtime's <c>Vector512.Exp</c>, <c>Vector256.Exp</c> and
/// <c>Vector128.Exp</c> (the same method and constants, evaluated in the same order), written in this assembly so the
/// loops that apply a sigmoid or tanh (<see cref="SigmoidOp"/>, <see cref="TanhOp"/>: the element-wise maps, and the pass
/// after a fused dense product, <see cref="Elementwise.MapRows"/>) inline it and are precompiled.
/// <para>
/// Why not call the runtime's: its Exp is a generic method of CoreLib, outside GanCore's version bubble, so crossgen2
/// leaves it a call; a call that takes a vector by value across that boundary is one crossgen2 refuses to compile
/// ("ABI unstable"), and the calling code then waits for the JIT at its first call (with the runtime's Exp fused into
/// the products' stores: 206 methods, 99 ms on an AVX-512 host, two of them 16 ms each). On Arm64 the runtime's 128-bit
/// Exp also loads <c>Vector256&lt;double&gt;</c>.
/// </para>
/// <para>
/// The method (AMD's AOCL libm, <c>vrs4_expf</c>, which the runtime follows): each float is widened to double;
/// z = x·log₂e; adding 1.5·2⁵² rounds z to the integer N in the low bits of the sum, and r = z − N, |r| ≤ ½;
/// 2^r ≈ C1 + C2·r + … + C6·r⁵, evaluated as (C6·r + C5)·r⁴ + ((C4·r + C3)·r² + (C2·r + C1)) with fused multiply-adds
/// where the CPU has them (separate multiplies and adds where it has not, as the runtime does); N is added to the
/// exponent field of 2^r's bits (the shift keeps N's low 12 bits, which is N modulo the field: exact for every N the
/// range below leaves); the double is rounded back to float. x above 88.72284 gives +∞, x below −103.97208 gives +0,
/// NaN stays NaN. The coefficients are AOCL's.
/// </para>
/// </summary>
internal static class VectorExp
{
    private const double Log2E = 1.4426950408889634;
    private const double RoundingShift = 6755399441055744; // 1.5·2⁵²: z + this has round(z) in its low mantissa bits
    private const double C1 = 1.0000000754895704;
    private const double C2 = 0.6931472254087585;
    private const double C3 = 0.2402210737432219;
    private const double C4 = 0.05550297297702539;
    private const double C5 = 0.009676036358193323;
    private const double C6 = 0.001341000536524434;
    private const float Overflow = 88.72284f;
    private const float Underflow = -103.97208f;

    /// <summary>|x| above this in some lane sends the vector through the saturation selects (as the runtime's test of
    /// |x| &gt; 87 does): every lane they change has |x| &gt; 88.7, and the polynomial's result elsewhere needs no fix.</summary>
    private const float Saturating = 87f;

    /// <summary>e^x, lane-wise, at 512 bits.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Of(Vector512<float> x)
    {
        if (!Avx512F.IsSupported)
        {
            return Vector512.Exp(x);
        }

        Vector512<float> e = Narrow(Core(Avx512F.ConvertToVector512Double(x.GetLower())), Core(Avx512F.ConvertToVector512Double(Avx512F.ExtractVector256(x, 1))));
        if (Vector512.GreaterThanAny(Vector512.Abs(x), Vector512.Create(Saturating)))
        {
            e = Vector512.ConditionalSelect(Vector512.GreaterThan(x, Vector512.Create(Overflow)), Vector512.Create(float.PositiveInfinity), e);
            e = Vector512.AndNot(e, Vector512.LessThan(x, Vector512.Create(Underflow)));
        }

        return e;
    }

    /// <summary>e^x, lane-wise, at 256 bits: AVX converts, FMA fuses where the CPU has it, and without AVX2 the integer
    /// step runs on the 128-bit halves.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Of(Vector256<float> x)
    {
        if (!Avx.IsSupported)
        {
            return Vector256.Exp(x);
        }

        Vector256<float> e = Narrow(Core(Avx.ConvertToVector256Double(x.GetLower())), Core(Avx.ConvertToVector256Double(Avx.ExtractVector128(x, 1))));
        Vector256<float> saturating = Avx.CompareGreaterThan(Avx.AndNot(Vector256.Create(-0f), x), Vector256.Create(Saturating));
        if (!Avx.TestZ(saturating, saturating))
        {
            e = Avx.BlendVariable(e, Vector256.Create(float.PositiveInfinity), Avx.CompareGreaterThan(x, Vector256.Create(Overflow)));
            e = Avx.AndNot(Avx.CompareLessThan(x, Vector256.Create(Underflow)), e);
        }

        return e;
    }

    /// <summary>e^x, lane-wise, at 128 bits: SSE2 on x86-64, AdvSimd on Arm64, the runtime's Exp elsewhere.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Of(Vector128<float> x)
    {
        if (!Sse2.IsSupported && !AdvSimd.Arm64.IsSupported)
        {
            return Vector128.Exp(x);
        }

        Vector128<float> e = Narrow(Core(WidenLower(x)), Core(WidenUpper(x)));

        if (Vector128.GreaterThanAny(Vector128.Abs(x), Vector128.Create(Saturating)))
        {
            e = Vector128.ConditionalSelect(Vector128.GreaterThan(x, Vector128.Create(Overflow)), Vector128.Create(float.PositiveInfinity), e);
            e = Vector128.AndNot(e, Vector128.LessThan(x, Vector128.Create(Underflow)));
        }

        return e;
    }

    /// <summary>2^(x·log₂e) for doubles, eight lanes (AVX-512).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<double> Core(Vector512<double> x)
    {
        Vector512<double> z = x * Vector512.Create(Log2E);
        Vector512<double> shifted = z + Vector512.Create(RoundingShift);
        Vector512<double> r = z - (shifted - Vector512.Create(RoundingShift));
        Vector512<double> r2 = r * r;
        Vector512<double> r4 = r2 * r2;
        Vector512<double> poly = Avx512F.FusedMultiplyAdd(
            r4,
            Avx512F.FusedMultiplyAdd(Vector512.Create(C6), r, Vector512.Create(C5)),
            Avx512F.FusedMultiplyAdd(
                r2,
                Avx512F.FusedMultiplyAdd(Vector512.Create(C4), r, Vector512.Create(C3)),
                Avx512F.FusedMultiplyAdd(Vector512.Create(C2), r, Vector512.Create(C1))));
        return Avx512F.Add(poly.AsUInt64(), Avx512F.ShiftLeftLogical(shifted.AsUInt64(), 52)).AsDouble();
    }

    /// <summary>2^(x·log₂e) for doubles, four lanes (AVX).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<double> Core(Vector256<double> x)
    {
        Vector256<double> z = Avx.Multiply(x, Vector256.Create(Log2E));
        Vector256<double> shifted = Avx.Add(z, Vector256.Create(RoundingShift));
        Vector256<double> r = Avx.Subtract(z, Avx.Subtract(shifted, Vector256.Create(RoundingShift)));
        Vector256<double> r2 = Avx.Multiply(r, r);
        Vector256<double> r4 = Avx.Multiply(r2, r2);
        Vector256<double> poly = MultiplyAdd(
            r4,
            MultiplyAdd(Vector256.Create(C6), r, Vector256.Create(C5)),
            MultiplyAdd(r2, MultiplyAdd(Vector256.Create(C4), r, Vector256.Create(C3)), MultiplyAdd(Vector256.Create(C2), r, Vector256.Create(C1))));
        if (Avx2.IsSupported)
        {
            return Avx2.Add(poly.AsUInt64(), Avx2.ShiftLeftLogical(shifted.AsUInt64(), 52)).AsDouble();
        }

        Vector128<ulong> lower = Sse2.Add(poly.AsUInt64().GetLower(), Sse2.ShiftLeftLogical(shifted.AsUInt64().GetLower(), 52));
        Vector128<ulong> upper = Sse2.Add(Avx.ExtractVector128(poly.AsUInt64(), 1), Sse2.ShiftLeftLogical(Avx.ExtractVector128(shifted.AsUInt64(), 1), 52));
        return Avx.InsertVector128(lower.ToVector256Unsafe(), upper, 1).AsDouble();
    }

    /// <summary>2^(x·log₂e) for doubles, two lanes (SSE2 or AdvSimd).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<double> Core(Vector128<double> x)
    {
        Vector128<double> z = x * Vector128.Create(Log2E);
        Vector128<double> shifted = z + Vector128.Create(RoundingShift);
        Vector128<double> r = z - (shifted - Vector128.Create(RoundingShift));
        Vector128<double> r2 = r * r;
        Vector128<double> r4 = r2 * r2;
        Vector128<double> poly = MultiplyAdd(
            r4,
            MultiplyAdd(Vector128.Create(C6), r, Vector128.Create(C5)),
            MultiplyAdd(r2, MultiplyAdd(Vector128.Create(C4), r, Vector128.Create(C3)), MultiplyAdd(Vector128.Create(C2), r, Vector128.Create(C1))));
        return (poly.AsUInt64() + (shifted.AsUInt64() << 52)).AsDouble();
    }
}
