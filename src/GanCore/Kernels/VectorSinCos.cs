using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.Arm;
using System.Runtime.Intrinsics.X86;
using static GanCore.Kernels.VectorDoubleLanes;
using static GanCore.Kernels.VectorMultiplyAdd;

namespace GanCore.Kernels;

/// <summary>
/// sin x and cos x for every lane of a float vector, with the bits of the runtime's <c>Vector512.SinCos</c>,
/// <c>Vector256.SinCos</c> and <c>Vector128.SinCos</c> (the same method, constants, branches and order of operations),
/// written in this assembly so the Box–Muller block (<see cref="Randomness.RandomSource.FillGaussianVectorized"/>)
/// inlines it and is precompiled, for the reason <see cref="VectorLogSingle"/> gives.
/// <para>
/// The method (AMD's AOCL libm, <c>sinf</c> and <c>cosf</c>, which the runtime follows): the floats are widened to
/// doubles. If every lane of the float vector has |x| ≤ π/4, sin is x + x³·(S₁ + S₂x² + S₃x⁴ + S₄x⁶) and cos is
/// (1 − x²/2, with its rounding error added back) + x⁴·(C₁ + C₂x² + C₃x⁴ + C₄x⁶) — or, if every lane is below 2⁻⁷,
/// x − x³/6 and 1 − x²/2 in float. Otherwise |x| is reduced by π/2 in three parts (Cody–Waite): adding 1.5·2⁵² to
/// |x|·2/π leaves the region n = round(|x|·2/π) in the sum's low bits, and r = |x| − n·π/2 is formed with π/2 as a
/// head and two tails, so it keeps double precision's worth of bits for every n below 5·10⁶·2/π; the same polynomials in r (cos as 1 − r²/2 + r⁴·(…)) give sin r and cos r, swapped in odd regions and
/// negated as the quadrant and x's sign require. Lanes below 2⁻¹³ give x and 1 whatever the path. A vector with any
/// lane at 5·10⁶ or beyond, ∞ or NaN goes lane by lane through <see cref="MathF.SinCos"/>, as the runtime's does. The
/// doubles are rounded back to float. The choice between the paths is made for the whole vector, so a lane's bits
/// can depend on its neighbours (rarely, and by the last bit), at every width as in the runtime. A vector is split into
/// halves, each choosing its own path, only where the CPU lacks the width's instructions (AVX-512, AVX2), as the
/// runtime splits a vector it does not accelerate; where the runtime is only told to prefer narrower vectors
/// (<c>DOTNET_PreferredVectorBitWidth</c>) it splits and this does not, as GanCore's kernels run the CPU's widest
/// width there (<see cref="KernelDispatch"/>).
/// </para>
/// </summary>
internal static class VectorSinCos
{
    private const int PiOver4Bits = 0x3F49_0FDB;
    private const int SmallBits = 0x3C00_0000; // 2⁻⁷ (AOCL's comments say 2⁻¹³; the runtime's constant is this)
    private const int TinyBits = 0x3900_0000; // 2⁻¹³ (the comments: 2⁻²⁷)
    private const int HugeBits = 0x4A98_9680; // 5·10⁶
    private const double TwoOverPi = 2.0 / Math.PI;
    private const double RoundingShift = 6755399441055744; // 1.5·2⁵²: the sum's low mantissa bits hold round(z)
    private const double PiOver2Head = 1.5707963267341256;
    private const double PiOver2Tail1 = 6.077100506303966E-11;
    private const double PiOver2Tail2 = 2.0222662487959506E-21;
    private const double S1 = -1.0 / 6.0;
    private const double S2 = 0.00833333333333095;
    private const double S3 = -0.00019841269836761127;
    private const double S4 = 2.7557316103728802E-06;
    private const double C1 = 1.0 / 24.0;
    private const double C2 = -0.0013888888888887398;
    private const double C3 = 2.4801587298767044E-05;
    private const double C4 = -2.755731727234489E-07;

    /// <summary>sin x and cos x, lane-wise, at 512 bits (AVX-512; the 256-bit halves elsewhere, as the runtime splits them).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static (Vector512<float> Sin, Vector512<float> Cos) Of(Vector512<float> x)
    {
        if (!Avx512F.IsSupported)
        {
            (Vector256<float> sinLower, Vector256<float> cosLower) = Of(x.GetLower());
            (Vector256<float> sinUpper, Vector256<float> cosUpper) = Of(x.GetUpper());
            return (Vector512.Create(sinLower, sinUpper), Vector512.Create(cosLower, cosUpper));
        }

        Vector512<int> ux = Vector512.Abs(x).AsInt32();
        Vector512<float> sin, cos;
        if (Vector512.LessThanAll(ux, Vector512.Create(PiOver4Bits + 1)))
        {
            if (Vector512.GreaterThanAny(ux, Vector512.Create(SmallBits - 1)))
            {
                Vector512<double> lower = Avx512F.ConvertToVector512Double(x.GetLower());
                Vector512<double> upper = Avx512F.ConvertToVector512Double(Avx512F.ExtractVector256(x, 1));
                sin = Narrow(SinPolynomial(lower), SinPolynomial(upper));
                cos = Narrow(CosSmall(lower), CosSmall(upper));
            }
            else
            {
                Vector512<float> x2 = x * x;
                sin = Avx512F.FusedMultiplyAdd(Vector512.Create(-0.16666667f), x2 * x, x);
                cos = Avx512F.FusedMultiplyAdd(Vector512.Create(-0.5f), x2, Vector512<float>.One);
            }
        }
        else if (Vector512.LessThanAll(ux, Vector512.Create(HugeBits)))
        {
            (Vector512<double> sinLower, Vector512<double> cosLower) = Reduced(Avx512F.ConvertToVector512Double(x.GetLower()));
            (Vector512<double> sinUpper, Vector512<double> cosUpper) = Reduced(Avx512F.ConvertToVector512Double(Avx512F.ExtractVector256(x, 1)));
            sin = Narrow(sinLower, sinUpper);
            cos = Narrow(cosLower, cosUpper);
        }
        else
        {
            Vector512<float> copy = x; // the path's own locals go by reference, not x, sin and cos, which stay in registers
            LaneByLane(copy, out Vector512<float> sinByLane, out Vector512<float> cosByLane);
            return (sinByLane, cosByLane);
        }

        Vector512<float> notTiny = Vector512.GreaterThan(ux, Vector512.Create(TinyBits - 1)).AsSingle();
        return (Vector512.ConditionalSelect(notTiny, sin, x), Vector512.ConditionalSelect(notTiny, cos, Vector512<float>.One));
    }

    /// <summary>sin x and cos x, lane-wise, at 256 bits (AVX2; without it the runtime's 256-bit vectors are not
    /// accelerated and it takes the 128-bit halves, each choosing its own path, as this does).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static (Vector256<float> Sin, Vector256<float> Cos) Of(Vector256<float> x)
    {
        if (!Avx2.IsSupported)
        {
            (Vector128<float> sinLower, Vector128<float> cosLower) = Of(x.GetLower());
            (Vector128<float> sinUpper, Vector128<float> cosUpper) = Of(x.GetUpper());
            return (Vector256.Create(sinLower, sinUpper), Vector256.Create(cosLower, cosUpper));
        }

        Vector256<int> ux = Vector256.Abs(x).AsInt32();
        Vector256<float> sin, cos;
        if (Vector256.LessThanAll(ux, Vector256.Create(PiOver4Bits + 1)))
        {
            if (Vector256.GreaterThanAny(ux, Vector256.Create(SmallBits - 1)))
            {
                Vector256<double> lower = Avx.ConvertToVector256Double(x.GetLower());
                Vector256<double> upper = Avx.ConvertToVector256Double(Avx.ExtractVector128(x, 1));
                sin = Narrow(SinPolynomial(lower), SinPolynomial(upper));
                cos = Narrow(CosSmall(lower), CosSmall(upper));
            }
            else
            {
                Vector256<float> x2 = x * x;
                sin = MultiplyAdd(Vector256.Create(-0.16666667f), x2 * x, x);
                cos = MultiplyAdd(Vector256.Create(-0.5f), x2, Vector256<float>.One);
            }
        }
        else if (Vector256.LessThanAll(ux, Vector256.Create(HugeBits)))
        {
            (Vector256<double> sinLower, Vector256<double> cosLower) = Reduced(Avx.ConvertToVector256Double(x.GetLower()));
            (Vector256<double> sinUpper, Vector256<double> cosUpper) = Reduced(Avx.ConvertToVector256Double(Avx.ExtractVector128(x, 1)));
            sin = Narrow(sinLower, sinUpper);
            cos = Narrow(cosLower, cosUpper);
        }
        else
        {
            Vector256<float> copy = x; // the path's own locals go by reference, not x, sin and cos, which stay in registers
            LaneByLane(copy, out Vector256<float> sinByLane, out Vector256<float> cosByLane);
            return (sinByLane, cosByLane);
        }

        Vector256<float> notTiny = Vector256.GreaterThan(ux, Vector256.Create(TinyBits - 1)).AsSingle();
        return (Vector256.ConditionalSelect(notTiny, sin, x), Vector256.ConditionalSelect(notTiny, cos, Vector256<float>.One));
    }

    /// <summary>sin x and cos x, lane-wise, at 128 bits: SSE2 on x86-64, AdvSimd on Arm64, the runtime's SinCos elsewhere.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static (Vector128<float> Sin, Vector128<float> Cos) Of(Vector128<float> x)
    {
        if (!Sse2.IsSupported && !AdvSimd.Arm64.IsSupported)
        {
            return Vector128.SinCos(x);
        }

        Vector128<int> ux = Vector128.Abs(x).AsInt32();
        Vector128<float> sin, cos;
        if (Vector128.LessThanAll(ux, Vector128.Create(PiOver4Bits + 1)))
        {
            if (Vector128.GreaterThanAny(ux, Vector128.Create(SmallBits - 1)))
            {
                Vector128<double> lower = WidenLower(x);
                Vector128<double> upper = WidenUpper(x);
                sin = Narrow(SinPolynomial(lower), SinPolynomial(upper));
                cos = Narrow(CosSmall(lower), CosSmall(upper));
            }
            else
            {
                Vector128<float> x2 = x * x;
                sin = MultiplyAdd(Vector128.Create(-0.16666667f), x2 * x, x);
                cos = MultiplyAdd(Vector128.Create(-0.5f), x2, Vector128<float>.One);
            }
        }
        else if (Vector128.LessThanAll(ux, Vector128.Create(HugeBits)))
        {
            (Vector128<double> sinLower, Vector128<double> cosLower) = Reduced(WidenLower(x));
            (Vector128<double> sinUpper, Vector128<double> cosUpper) = Reduced(WidenUpper(x));
            sin = Narrow(sinLower, sinUpper);
            cos = Narrow(cosLower, cosUpper);
        }
        else
        {
            Vector128<float> copy = x; // the path's own locals go by reference, not x, sin and cos, which stay in registers
            LaneByLane(copy, out Vector128<float> sinByLane, out Vector128<float> cosByLane);
            return (sinByLane, cosByLane);
        }

        Vector128<float> notTiny = Vector128.GreaterThan(ux, Vector128.Create(TinyBits - 1)).AsSingle();
        return (Vector128.ConditionalSelect(notTiny, sin, x), Vector128.ConditionalSelect(notTiny, cos, Vector128<float>.One));
    }

    // The double-precision parts, once per width of double vector. Reduced is the runtime's path for |x| > π/4: the
    // three-part reduction, the polynomials in r, then the quadrant's swap and signs.

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static (Vector512<double> Sin, Vector512<double> Cos) Reduced(Vector512<double> x)
    {
        Vector512<double> ax = Vector512.Abs(x);
        Vector512<double> shifted = Avx512F.FusedMultiplyAdd(Vector512.Create(TwoOverPi), ax, Vector512.Create(RoundingShift));
        Vector512<long> region = shifted.AsInt64();
        Vector512<double> n = shifted - Vector512.Create(RoundingShift);
        Vector512<double> head = Avx512F.FusedMultiplyAdd(Vector512.Create(-PiOver2Head), n, ax);
        Vector512<double> tail = n * Vector512.Create(PiOver2Tail1);
        Vector512<double> r = head - tail;
        tail = Avx512F.FusedMultiplyAdd(Vector512.Create(PiOver2Tail2), n, -((head - r) - tail));
        r -= tail;
        Vector512<double> sin = SinPolynomial(r);
        Vector512<double> cos = CosLarge(r);
        Vector512<double> even = Vector512.Equals(region & Vector512<long>.One, Vector512<long>.Zero).AsDouble();
        Vector512<long> flip = (x.AsInt64() >>> 63) ^ (region >>> 1); // sin's sign: x's, turned by regions 2 and 3
        Vector512<double> s = Vector512.ConditionalSelect(even, sin, cos);
        Vector512<double> c = Vector512.ConditionalSelect(even, cos, sin);
        s = Vector512.ConditionalSelect(Vector512.Equals(flip & Vector512<long>.One, Vector512<long>.Zero).AsDouble(), s, -s);
        c = Vector512.ConditionalSelect(Vector512.Equals((region + Vector512<long>.One) & Vector512.Create(2L), Vector512<long>.Zero).AsDouble(), c, -c);
        return (s, c);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static (Vector256<double> Sin, Vector256<double> Cos) Reduced(Vector256<double> x)
    {
        Vector256<double> ax = Vector256.Abs(x);
        Vector256<double> shifted = MultiplyAdd(Vector256.Create(TwoOverPi), ax, Vector256.Create(RoundingShift));
        Vector256<long> region = shifted.AsInt64();
        Vector256<double> n = shifted - Vector256.Create(RoundingShift);
        Vector256<double> head = MultiplyAdd(Vector256.Create(-PiOver2Head), n, ax);
        Vector256<double> tail = n * Vector256.Create(PiOver2Tail1);
        Vector256<double> r = head - tail;
        tail = MultiplyAdd(Vector256.Create(PiOver2Tail2), n, -((head - r) - tail));
        r -= tail;
        Vector256<double> sin = SinPolynomial(r);
        Vector256<double> cos = CosLarge(r);
        Vector256<double> even = Vector256.Equals(region & Vector256<long>.One, Vector256<long>.Zero).AsDouble();
        Vector256<long> flip = (x.AsInt64() >>> 63) ^ (region >>> 1);
        Vector256<double> s = Vector256.ConditionalSelect(even, sin, cos);
        Vector256<double> c = Vector256.ConditionalSelect(even, cos, sin);
        s = Vector256.ConditionalSelect(Vector256.Equals(flip & Vector256<long>.One, Vector256<long>.Zero).AsDouble(), s, -s);
        c = Vector256.ConditionalSelect(Vector256.Equals((region + Vector256<long>.One) & Vector256.Create(2L), Vector256<long>.Zero).AsDouble(), c, -c);
        return (s, c);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static (Vector128<double> Sin, Vector128<double> Cos) Reduced(Vector128<double> x)
    {
        Vector128<double> ax = Vector128.Abs(x);
        Vector128<double> shifted = MultiplyAdd(Vector128.Create(TwoOverPi), ax, Vector128.Create(RoundingShift));
        Vector128<long> region = shifted.AsInt64();
        Vector128<double> n = shifted - Vector128.Create(RoundingShift);
        Vector128<double> head = MultiplyAdd(Vector128.Create(-PiOver2Head), n, ax);
        Vector128<double> tail = n * Vector128.Create(PiOver2Tail1);
        Vector128<double> r = head - tail;
        tail = MultiplyAdd(Vector128.Create(PiOver2Tail2), n, -((head - r) - tail));
        r -= tail;
        Vector128<double> sin = SinPolynomial(r);
        Vector128<double> cos = CosLarge(r);
        Vector128<double> even = Vector128.Equals(region & Vector128<long>.One, Vector128<long>.Zero).AsDouble();
        Vector128<long> flip = (x.AsInt64() >>> 63) ^ (region >>> 1);
        Vector128<double> s = Vector128.ConditionalSelect(even, sin, cos);
        Vector128<double> c = Vector128.ConditionalSelect(even, cos, sin);
        s = Vector128.ConditionalSelect(Vector128.Equals(flip & Vector128<long>.One, Vector128<long>.Zero).AsDouble(), s, -s);
        c = Vector128.ConditionalSelect(Vector128.Equals((region + Vector128<long>.One) & Vector128.Create(2L), Vector128<long>.Zero).AsDouble(), c, -c);
        return (s, c);
    }

    /// <summary>r + r³·(S₁ + S₂r² + S₃r⁴ + S₄r⁶).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<double> SinPolynomial(Vector512<double> r)
    {
        Vector512<double> r2 = r * r;
        Vector512<double> r4 = r2 * r2;
        Vector512<double> p = Avx512F.FusedMultiplyAdd(
            Avx512F.FusedMultiplyAdd(Vector512.Create(S4), r2, Vector512.Create(S3)),
            r4,
            Avx512F.FusedMultiplyAdd(Vector512.Create(S2), r2, Vector512.Create(S1)));
        return Avx512F.FusedMultiplyAdd(p, r2 * r, r);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<double> SinPolynomial(Vector256<double> r)
    {
        Vector256<double> r2 = r * r;
        Vector256<double> r4 = r2 * r2;
        Vector256<double> p = MultiplyAdd(MultiplyAdd(Vector256.Create(S4), r2, Vector256.Create(S3)), r4, MultiplyAdd(Vector256.Create(S2), r2, Vector256.Create(S1)));
        return MultiplyAdd(p, r2 * r, r);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<double> SinPolynomial(Vector128<double> r)
    {
        Vector128<double> r2 = r * r;
        Vector128<double> r4 = r2 * r2;
        Vector128<double> p = MultiplyAdd(MultiplyAdd(Vector128.Create(S4), r2, Vector128.Create(S3)), r4, MultiplyAdd(Vector128.Create(S2), r2, Vector128.Create(S1)));
        return MultiplyAdd(p, r2 * r, r);
    }

    /// <summary>C₁ + C₂r² + C₃r⁴ + C₄r⁶, cos's polynomial past its first two terms.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<double> CosPolynomial(Vector512<double> r2, Vector512<double> r4) =>
        Avx512F.FusedMultiplyAdd(
            Avx512F.FusedMultiplyAdd(Vector512.Create(C4), r2, Vector512.Create(C3)),
            r4,
            Avx512F.FusedMultiplyAdd(Vector512.Create(C2), r2, Vector512.Create(C1)));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<double> CosPolynomial(Vector256<double> r2, Vector256<double> r4) =>
        MultiplyAdd(MultiplyAdd(Vector256.Create(C4), r2, Vector256.Create(C3)), r4, MultiplyAdd(Vector256.Create(C2), r2, Vector256.Create(C1)));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<double> CosPolynomial(Vector128<double> r2, Vector128<double> r4) =>
        MultiplyAdd(MultiplyAdd(Vector128.Create(C4), r2, Vector128.Create(C3)), r4, MultiplyAdd(Vector128.Create(C2), r2, Vector128.Create(C1)));

    /// <summary>cos r for a reduced r: (1 − r²/2) + r⁴·(C₁ + …), the leading part one fused multiply-add.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<double> CosLarge(Vector512<double> r)
    {
        Vector512<double> r2 = r * r;
        Vector512<double> r4 = r2 * r2;
        return Avx512F.FusedMultiplyAdd(CosPolynomial(r2, r4), r4, Avx512F.FusedMultiplyAdd(Vector512.Create(-0.5), r2, Vector512<double>.One));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<double> CosLarge(Vector256<double> r)
    {
        Vector256<double> r2 = r * r;
        Vector256<double> r4 = r2 * r2;
        return MultiplyAdd(CosPolynomial(r2, r4), r4, MultiplyAdd(Vector256.Create(-0.5), r2, Vector256<double>.One));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<double> CosLarge(Vector128<double> r)
    {
        Vector128<double> r2 = r * r;
        Vector128<double> r4 = r2 * r2;
        return MultiplyAdd(CosPolynomial(r2, r4), r4, MultiplyAdd(Vector128.Create(-0.5), r2, Vector128<double>.One));
    }

    /// <summary>cos x for |x| ≤ π/4 unreduced: t = 1 − x²/2 with its rounding error added back, + x⁴·(C₁ + …).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<double> CosSmall(Vector512<double> x)
    {
        Vector512<double> x2 = x * x;
        Vector512<double> x4 = x2 * x2;
        Vector512<double> half = x2 * Vector512.Create(0.5);
        Vector512<double> t = Vector512<double>.One - half;
        return Avx512F.FusedMultiplyAdd(CosPolynomial(x2, x4), x4, t + ((Vector512<double>.One - t) - half));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<double> CosSmall(Vector256<double> x)
    {
        Vector256<double> x2 = x * x;
        Vector256<double> x4 = x2 * x2;
        Vector256<double> half = x2 * Vector256.Create(0.5);
        Vector256<double> t = Vector256<double>.One - half;
        return MultiplyAdd(CosPolynomial(x2, x4), x4, t + ((Vector256<double>.One - t) - half));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<double> CosSmall(Vector128<double> x)
    {
        Vector128<double> x2 = x * x;
        Vector128<double> x4 = x2 * x2;
        Vector128<double> half = x2 * Vector128.Create(0.5);
        Vector128<double> t = Vector128<double>.One - half;
        return MultiplyAdd(CosPolynomial(x2, x4), x4, t + ((Vector128<double>.One - t) - half));
    }

    /// <summary>The runtime's answer for a vector with a huge, infinite or NaN lane: <see cref="MathF.SinCos"/> per lane
    /// (what its optimized code returns; its tier-0 code differs there). Out of line, and the vectors by reference: a
    /// call that passed them by value would keep the callers out of the precompiled image.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void LaneByLane(in Vector512<float> x, out Vector512<float> sin, out Vector512<float> cos)
    {
        Span<float> lanes = stackalloc float[2 * Vector512<float>.Count];
        for (int i = 0; i < Vector512<float>.Count; i++)
        {
            (lanes[i], lanes[Vector512<float>.Count + i]) = MathF.SinCos(x.GetElement(i));
        }

        sin = Vector512.LoadUnsafe(ref lanes[0]);
        cos = Vector512.LoadUnsafe(ref lanes[Vector512<float>.Count]);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void LaneByLane(in Vector256<float> x, out Vector256<float> sin, out Vector256<float> cos)
    {
        Span<float> lanes = stackalloc float[2 * Vector256<float>.Count];
        for (int i = 0; i < Vector256<float>.Count; i++)
        {
            (lanes[i], lanes[Vector256<float>.Count + i]) = MathF.SinCos(x.GetElement(i));
        }

        sin = Vector256.LoadUnsafe(ref lanes[0]);
        cos = Vector256.LoadUnsafe(ref lanes[Vector256<float>.Count]);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void LaneByLane(in Vector128<float> x, out Vector128<float> sin, out Vector128<float> cos)
    {
        Span<float> lanes = stackalloc float[2 * Vector128<float>.Count];
        for (int i = 0; i < Vector128<float>.Count; i++)
        {
            (lanes[i], lanes[Vector128<float>.Count + i]) = MathF.SinCos(x.GetElement(i));
        }

        sin = Vector128.LoadUnsafe(ref lanes[0]);
        cos = Vector128.LoadUnsafe(ref lanes[Vector128<float>.Count]);
    }
}
