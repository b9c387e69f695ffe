using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using GanCore.Kernels;

namespace GanCore.Tests.Kernels;

/// <summary>
/// <see cref="Simd512"/> spells out Max, Min and the fused multiply-add with AVX-512 instructions instead of calling
/// <c>Vector512.Max</c>, <c>Vector512.Min</c> and <c>Vector512.MultiplyAddEstimate</c> (a ReadyToRun image cannot use
/// code that calls those), <see cref="Simd256"/> and <see cref="Simd128"/> Max and Min with AVX-512's VL forms where it has them, and <see cref="ScalarMath"/> spells out <c>Math.Max</c> and <c>Math.Min</c> as comparisons (the
/// image's code for those would need AVX10.2). The results must be the same bits: NaN payloads and signs, ±0, ±∞ and
/// subnormals included.
/// </summary>
public sealed class SimdMaxMinTests
{
    [Fact]
    public void Max_Min_and_MultiplyAdd_at_512_bits_give_the_bits_of_the_Vector512_operations()
    {
        if (!KernelDispatch.Runs512)
        {
            return; // the legs with AVX-512 off run the 256-bit, 128-bit and scalar paths, which call the runtime's own
        }

        var rng = new Random(512);
        float[] a = new float[16];
        float[] b = new float[16];
        float[] c = new float[16];
        Vector512<float> zero = Vector512.Create(new float[16]);
        for (int trial = 0; trial < 20_000; trial++)
        {
            FillLanes(rng, a, b, c);

            Vector512<float> va = Vector512.Create(a), vb = Vector512.Create(b), vc = Vector512.Create(c);
            var wa = new Vec512(va);
            var wb = new Vec512(vb);
            var wc = new Vec512(vc);
            Same(Simd512.Max(wa, wb).V, Vector512.Max(va, vb), "Max", trial, a, b);
            Same(Simd512.Min(wa, wb).V, Vector512.Min(va, vb), "Min", trial, a, b);
            // max(a, +0), the ReLU, with a +0 the JIT cannot see as a literal (as in the kernels): the JIT's shorter
            // sequence for a literal +0 keeps a signalling NaN signalling, where this one quiets it.
            Same(Simd512.Max(wa, new Vec512(zero)).V, Vector512.Max(va, zero), "Max(a, 0)", trial, a, b);
            Same(Simd512.MultiplyAdd(wa, wb, wc).V, Vector512.FusedMultiplyAdd(va, vb, vc), "MultiplyAdd", trial, a, b);
        }
    }

    [Fact]
    public void Max_and_Min_at_256_and_128_bits_give_the_bits_of_the_Vector256_and_Vector128_operations()
    {
        // Simd256 spells them out only with AVX-512's VL forms (a precompiled image's Vector256.Max is refused on such a
        // CPU, where a thread capped to 256 bits runs the 256-bit kernels); elsewhere it calls Vector256's own.
        if (!Avx512DQ.VL.IsSupported)
        {
            return; // the AVX2 host and the legs with AVX-512 off run Vector256.Max itself
        }

        var rng = new Random(256);
        float[] a = new float[8];
        float[] b = new float[8];
        Vector256<float> zero = Vector256.Create(new float[8]);
        for (int trial = 0; trial < 20_000; trial++)
        {
            FillLanes(rng, a, b, null);

            Vector256<float> va = Vector256.Create(a), vb = Vector256.Create(b);
            var wa = new Vec256(va);
            var wb = new Vec256(vb);
            Same(Simd256.Max(wa, wb).V.ToVector512(), Vector256.Max(va, vb).ToVector512(), "Max at 256 bits", trial, a, b, 8);
            Same(Simd256.Min(wa, wb).V.ToVector512(), Vector256.Min(va, vb).ToVector512(), "Min at 256 bits", trial, a, b, 8);
            Same(Simd256.ReluOfArithmetic(wa).V.ToVector512(), Vector256.Max(va, zero).ToVector512(), "ReLU at 256 bits", trial, a, b, 8);

            // The same at 128 bits: the first four lanes.
            Vector128<float> ha = va.GetLower(), hb = vb.GetLower();
            var xa = new Vec128(ha);
            var xb = new Vec128(hb);
            Same(Simd128.Max(xa, xb).V.ToVector256().ToVector512(), Vector128.Max(ha, hb).ToVector256().ToVector512(), "Max at 128 bits", trial, a, b, 4);
            Same(Simd128.Min(xa, xb).V.ToVector256().ToVector512(), Vector128.Min(ha, hb).ToVector256().ToVector512(), "Min at 128 bits", trial, a, b, 4);
            Same(Simd128.ReluOfArithmetic(xa).V.ToVector256().ToVector512(), Vector128.Max(ha, zero.GetLower()).ToVector256().ToVector512(), "ReLU at 128 bits", trial, a, b, 4);
        }
    }

    [Fact]
    public void The_spelled_out_sequence_is_the_one_the_test_above_can_reach()
    {
        // Without AVX-512 DQ, Simd512 falls back to the Vector512 calls, and the comparison above would compare a thing
        // with itself. Every host this project runs on with AVX-512 has DQ; say so if one does not.
        if (KernelDispatch.Runs512)
        {
            Avx512DQ.IsSupported.Should().BeTrue("the 512-bit path is only taken with AVX-512 F, BW, CD, DQ and VL");
        }
    }

    [Fact]
    public void ScalarMath_gives_the_bits_of_Math_Max_and_Math_Min()
    {
        var rng = new Random(10);
        for (int trial = 0; trial < 200_000; trial++)
        {
            float a = Adversarial(rng);
            float b = rng.Next(5) == 0 ? a : Adversarial(rng);
            SameScalar(ScalarMath.Max(a, b), Math.Max(a, b), "Max", trial, a, b);
            SameScalar(ScalarMath.Min(a, b), Math.Min(a, b), "Min", trial, a, b);
            SameScalar(ScalarMath.Max(b, a), Math.Max(b, a), "Max (swapped)", trial, b, a);
            SameScalar(ScalarMath.Min(b, a), Math.Min(b, a), "Min (swapped)", trial, b, a);
            double da = a, db = b;
            SameScalar(ScalarMath.Max(da, db), Math.Max(da, db), "Max(double)", trial, da, db);
            SameScalar(ScalarMath.Min(da, db), Math.Min(da, db), "Min(double)", trial, da, db);
            SameScalar(ScalarMath.Max(db, da), Math.Max(db, da), "Max(double, swapped)", trial, db, da);
            SameScalar(ScalarMath.Min(db, da), Math.Min(db, da), "Min(double, swapped)", trial, db, da);
        }
    }

    [Fact]
    public void ScalarMath_ToInt32_gives_the_cast_of_every_integral_value_in_range()
    {
        // The ends of int's range, every integer around zero, random integers across the range and random integral
        // floats, as doubles and (where exact) as floats: the processor's conversion must give what the C# cast gives.
        var values = new List<double> { int.MinValue, int.MaxValue, int.MinValue + 1, int.MaxValue - 1, 0.0, -0.0, 65535, -65535 };
        for (int i = -70_000; i <= 70_000; i++)
        {
            values.Add(i);
        }

        var rng = new Random(11);
        for (int i = 0; i < 100_000; i++)
        {
            values.Add(rng.Next(int.MinValue, int.MaxValue));
            float f = rng.Next(int.MinValue, int.MaxValue); // rounded to a float's 24 bits: still an integer
            if (f < 2147483648f)
            {
                values.Add(f);
            }
        }

        foreach (double x in values)
        {
            int got = ScalarMath.ToInt32(x);
            if (got != (int)x)
            {
                Assert.Fail($"ToInt32({x:R}) = {got}; the cast gives {(int)x}.");
            }

            if ((float)x == x && ScalarMath.ToInt32((float)x) != (int)(float)x)
            {
                Assert.Fail($"ToInt32((float){x:R}) = {ScalarMath.ToInt32((float)x)}; the cast gives {(int)(float)x}.");
            }
        }
    }

    // ScalarMath returns a signalling NaN argument as it is, where the JIT's Math.Max quiets it (sets the top mantissa bit)
    // and the runtime's own fallback does not; arithmetic makes only quiet NaNs. So NaNs are compared quieted: same
    // payload and sign. Of two NaN arguments Math.Max returns the first or the second depending on the type and the
    // host (the double form under the JIT returned the second), so either is accepted there.
    private static int Quieted(float x) => BitConverter.SingleToInt32Bits(x) | (float.IsNaN(x) ? 0x0040_0000 : 0);

    private static long Quieted(double x) => BitConverter.DoubleToInt64Bits(x) | (double.IsNaN(x) ? 0x0008_0000_0000_0000L : 0);

    private static void SameScalar(float actual, float expected, string what, int trial, float a, float b)
    {
        int x = Quieted(actual);
        int y = Quieted(expected);
        if (x != y && !(float.IsNaN(a) && float.IsNaN(b) && (x == Quieted(a) || x == Quieted(b))))
        {
            Assert.Fail($"{what}, trial {trial}: a = {a:R} (0x{BitConverter.SingleToInt32Bits(a):X8}), b = {b:R} (0x{BitConverter.SingleToInt32Bits(b):X8}): got 0x{x:X8}, Math gives 0x{y:X8}.");
        }
    }

    private static void SameScalar(double actual, double expected, string what, int trial, double a, double b)
    {
        long x = Quieted(actual);
        long y = Quieted(expected);
        if (x != y && !(double.IsNaN(a) && double.IsNaN(b) && (x == Quieted(a) || x == Quieted(b))))
        {
            Assert.Fail($"{what}, trial {trial}: a = {a:R} (0x{BitConverter.DoubleToInt64Bits(a):X16}), b = {b:R} (0x{BitConverter.DoubleToInt64Bits(b):X16}): got 0x{x:X16}, Math gives 0x{y:X16}.");
        }
    }

    /// <summary>Adversarial lanes, lane by lane: a, then b (a again one time in five: equal pairs too, ±0 against ±0,
    /// NaN against NaN), then c where there is one.</summary>
    private static void FillLanes(Random rng, float[] a, float[] b, float[]? c)
    {
        for (int i = 0; i < a.Length; i++)
        {
            a[i] = Adversarial(rng);
            b[i] = rng.Next(5) == 0 ? a[i] : Adversarial(rng);
            if (c is not null)
            {
                c[i] = Adversarial(rng);
            }
        }
    }

    private static float Adversarial(Random rng) => rng.Next(12) switch
    {
        0 => 0f,
        1 => -0f,
        2 => float.PositiveInfinity,
        3 => float.NegativeInfinity,
        4 => BitConverter.Int32BitsToSingle(unchecked((int)(0x7F800001u | (uint)rng.Next(1 << 23) | (rng.Next(2) == 0 ? 0u : 0x80000000u)))), // NaN, random payload (signalling or quiet) and sign
        5 => BitConverter.Int32BitsToSingle(rng.Next(1, 1 << 23) | (rng.Next(2) == 0 ? 0 : int.MinValue)), // subnormal
        _ => (float)((rng.NextDouble() - 0.5) * Math.Pow(2, rng.Next(-40, 41))),
    };

    private static void Same(Vector512<float> actual, Vector512<float> expected, string what, int trial, float[] a, float[] b, int lanes = 16)
    {
        for (int i = 0; i < lanes; i++)
        {
            int x = BitConverter.SingleToInt32Bits(actual[i]);
            int y = BitConverter.SingleToInt32Bits(expected[i]);
            if (x != y)
            {
                Assert.Fail($"{what}, trial {trial}, lane {i}: a = {a[i]:R} (0x{BitConverter.SingleToInt32Bits(a[i]):X8}), b = {b[i]:R} (0x{BitConverter.SingleToInt32Bits(b[i]):X8}): got 0x{x:X8}, the runtime's operation gives 0x{y:X8}.");
            }
        }
    }
}
