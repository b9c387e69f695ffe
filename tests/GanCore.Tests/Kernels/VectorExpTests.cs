using System.Runtime.Intrinsics;
using GanCore.Kernels;

namespace GanCore.Tests.Kernels;

/// <summary><c>VectorExp</c> is the runtime's vectorized Exp written in this assembly (so the kernels that fuse a sigmoid
/// or tanh are precompiled): at every width this process accelerates, each lane must have the runtime's bits (NaN for
/// NaN), on the legs with FMA and on those without it, and at 256 bits on AVX without AVX2.</summary>
public sealed class VectorExpTests
{
    [Fact]
    public void Every_width_gives_the_bits_of_the_runtime_Exp_over_the_float_range_and_its_edges()
    {
        float[] values = Inputs();
        int compared = RuntimeMathBits.CompareAtEveryWidth("exp", values, VectorExp.Of, Vector512.Exp, VectorExp.Of, Vector256.Exp, VectorExp.Of, Vector128.Exp);
        compared.Should().BeGreaterThanOrEqualTo(values.Length, "the 128-bit width runs on every leg");
    }

    [Fact]
    public void Saturates_to_infinity_and_zero_and_is_close_to_the_double_exponential()
    {
        var x = Vector128.Create(89f, -104f, float.PositiveInfinity, float.NegativeInfinity);
        RuntimeMathBits.Lanes(VectorExp.Of(x)).Should().Equal(float.PositiveInfinity, 0f, float.PositiveInfinity, 0f);
        float.IsNaN(VectorExp.Of(Vector128.Create(float.NaN)).GetElement(0)).Should().BeTrue();

        // About one ulp: within 2 ulps of the correctly rounded value over the normal range.
        var rng = new Random(11);
        for (int i = 0; i < 20_000; i++)
        {
            float v = (float)((rng.NextDouble() * 170) - 85);
            float e = VectorExp.Of(Vector128.Create(v)).GetElement(0);
            float exact = (float)Math.Exp(v);
            Math.Abs(e - exact).Should().BeLessThanOrEqualTo(2 * MathF.BitIncrement(exact) - (2 * exact), "exp({0})", v);
        }
    }

    /// <summary>Every 509th bit pattern over all 2³² (both signs, subnormals, NaNs, ±∞), every 7th of the 280,000 around 0,
    /// ±1, ±87 and the two thresholds, every one of the 6,000 around the thresholds and ±87 (where the runtime takes its
    /// special-value branch), and the special values.</summary>
    private static float[] Inputs()
    {
        var all = new List<float>
        {
            0f, -0f, float.Epsilon, -float.Epsilon, float.PositiveInfinity, float.NegativeInfinity, float.NaN, float.MaxValue,
            float.MinValue, 1f, -1f, 88.72284f, -103.97208f, 87f, -87f, 88.7f, -88.7f, 0.5f, -0.5f,
        };
        for (long bits = 0; bits <= uint.MaxValue; bits += 509)
        {
            all.Add(BitConverter.UInt32BitsToSingle((uint)bits));
        }

        foreach (float center in new[] { 0f, 88.72284f, -103.97208f, 87f, -87f, 1f, -1f })
        {
            uint c = BitConverter.SingleToUInt32Bits(center);
            for (int k = -20_000; k <= 20_000; k++)
            {
                all.Add(BitConverter.UInt32BitsToSingle((uint)(c + (k * 7))));
            }
        }

        foreach (float threshold in new[] { 88.72284f, -103.97208f, 87f, -87f })
        {
            uint c = BitConverter.SingleToUInt32Bits(threshold);
            for (int k = -3000; k <= 3000; k++)
            {
                all.Add(BitConverter.UInt32BitsToSingle((uint)(c + k)));
            }
        }

        while (all.Count % 16 != 0)
        {
            all.Add(2f);
        }

        return all.ToArray();
    }
}
