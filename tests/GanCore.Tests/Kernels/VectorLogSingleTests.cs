using System.Runtime.Intrinsics;
using GanCore.Kernels;

namespace GanCore.Tests.Kernels;

/// <summary><c>VectorLogSingle</c> is the runtime's vectorized float Log written in this assembly (so the Box–Muller block
/// is precompiled): at every width this process accelerates, each lane must have the runtime's bits (NaN for NaN), on the
/// legs with FMA and on those without it, and at 256 bits on AVX without AVX2.</summary>
public sealed class VectorLogSingleTests
{
    [Fact]
    public void Every_width_gives_the_bits_of_the_runtime_Log_over_the_float_range_and_its_edges()
    {
        float[] values = Inputs();
        int compared = RuntimeMathBits.CompareAtEveryWidth("log", values, VectorLogSingle.Of, Vector512.Log, VectorLogSingle.Of, Vector256.Log, VectorLogSingle.Of, Vector128.Log);
        compared.Should().BeGreaterThanOrEqualTo(values.Length, "the 128-bit width runs on every leg");
    }

    [Fact]
    public void Gives_the_special_values_and_is_within_a_few_ulps_of_the_double_logarithm()
    {
        var x = Vector128.Create(0f, -0f, float.PositiveInfinity, -1f);
        RuntimeMathBits.Lanes(VectorLogSingle.Of(x)).Should().Equal(float.NegativeInfinity, float.NegativeInfinity, float.PositiveInfinity, float.NaN);
        float[] more = RuntimeMathBits.Lanes(VectorLogSingle.Of(Vector128.Create(1f, float.NaN, -float.Epsilon, float.NegativeInfinity)));
        BitConverter.SingleToUInt32Bits(more[0]).Should().Be(0u, "ln 1 is +0");
        more.Skip(1).Should().OnlyContain(v => float.IsNaN(v), "NaN and negative arguments give NaN");

        var rng = new Random(12);
        for (int i = 0; i < 20_000; i++)
        {
            float v = BitConverter.Int32BitsToSingle(rng.Next(0x0000_0001, 0x7F80_0000)); // subnormals and normals alike
            float log = VectorLogSingle.Of(Vector128.Create(v)).GetElement(0);
            float exact = (float)Math.Log(v);
            float ulp = MathF.BitIncrement(MathF.Abs(exact)) - MathF.Abs(exact);
            MathF.Abs(log - exact).Should().BeLessThanOrEqualTo(4 * ulp, "log({0:R})", v);
        }
    }

    /// <summary>Every 2039th bit pattern over all 2³² (both signs, subnormals, NaNs, ±∞), every float within 5,000 of 1,
    /// of the bits of 2/3 (where the exponent steps) and of the smallest normal, the Box–Muller block's u₁ = k/2³² for
    /// every 16411th k, and the special values.</summary>
    private static float[] Inputs()
    {
        var all = new List<float>
        {
            0f, -0f, float.Epsilon, -float.Epsilon, float.PositiveInfinity, float.NegativeInfinity, float.NaN, float.MaxValue,
            float.MinValue, 1f, -1f, 2f / 3f, 4f / 3f, 0.5f, 2f,
        };
        for (long bits = 0; bits <= uint.MaxValue; bits += 2039)
        {
            all.Add(BitConverter.UInt32BitsToSingle((uint)bits));
        }

        foreach (uint center in new uint[] { 0x3F80_0000, 0x3F2A_AAAB, 0x0080_0000 })
        {
            for (int k = -5_000; k <= 5_000; k++)
            {
                all.Add(BitConverter.UInt32BitsToSingle((uint)(center + k)));
            }
        }

        for (long k = 1; k <= 1L << 32; k += 16411)
        {
            all.Add(k * (1f / 4294967296f));
        }

        while (all.Count % 16 != 0)
        {
            all.Add(1f);
        }

        return [.. all];
    }
}
