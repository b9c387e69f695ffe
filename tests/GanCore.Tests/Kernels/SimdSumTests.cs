using GanCore.Kernels;

namespace GanCore.Tests.Kernels;

/// <summary><c>ISimd.SumEight</c> (and <c>SumEightVector</c>, its sums left in a register) must give exactly the bits of
/// eight <c>Sum</c> calls, or the dot-product route's 8-row blocks would differ from its tail rows and from a product one
/// row high. A NaN sum need only be NaN: which of
/// two NaNs an x86 add keeps depends on the operand order, which the shared shuffles change.</summary>
public sealed class SimdSumTests
{
    [Fact]
    public void SumEight_gives_the_bits_of_eight_Sums_at_every_accelerated_width()
    {
        SimdWidthsUnderTest.RunAll(default(SumEightCheck));
    }

    private readonly unsafe struct SumEightCheck : ISimdCheck
    {
        public void Run<TS, TV>(int seed)
            where TS : ISimd<TV>
            where TV : struct
        {
            var rng = new Random(seed);
            int w = TS.Count;
            float[] lanes = new float[8 * w];
            float* sums = stackalloc float[8];
            float[] inRegister = new float[w];
            for (int trial = 0; trial < 3000; trial++)
            {
                for (int e = 0; e < lanes.Length; e++)
                {
                    // Magnitudes 2^-30 .. 2^30 with mixed signs: any change in which lanes are added first moves the rounding.
                    lanes[e] = (float)((rng.NextDouble() - 0.5) * Math.Pow(2, rng.Next(-30, 31)));
                    if (trial % 7 == 0 && rng.Next(4) == 0)
                    {
                        lanes[e] = rng.Next(4) switch
                        {
                            0 => 0f,
                            1 => -0f,
                            2 => BitConverter.Int32BitsToSingle(unchecked((int)(0x7FC00000u | (uint)rng.Next(1 << 22) | (rng.Next(2) == 0 ? 0u : 0x80000000u)))), // a NaN with a random payload and sign
                            _ => rng.Next(2) == 0 ? float.PositiveInfinity : float.NegativeInfinity,
                        };
                    }
                }

                fixed (float* p = lanes)
                {
                    TV[] v = new TV[8];
                    for (int r = 0; r < 8; r++)
                    {
                        v[r] = TS.Load(ref p[r * w], 0);
                    }

                    TS.SumEight(v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7], sums);
                    TS.Store(TS.SumEightVector(v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7]), ref inRegister[0], 0);
                    for (int r = 0; r < 8; r++)
                    {
                        float expected = TS.Sum(v[r]);
                        bool same = float.IsNaN(expected) ? float.IsNaN(sums[r]) : BitConverter.SingleToInt32Bits(sums[r]) == BitConverter.SingleToInt32Bits(expected);
                        if (!same)
                        {
                            string row = string.Join(", ", lanes.Skip(r * w).Take(w).Select(x => x.ToString("R")));
                            Assert.Fail($"{typeof(TS).Name}, trial {trial}, vector {r} [{row}]: SumEight gave {sums[r]:R}, Sum gives {expected:R}.");
                        }

                        // SumEightVector's lane r (the first min(8, Count) lanes): SumEight's bits, NaN payloads included,
                        // since both run the same shuffle tree.
                        if (r < w && BitConverter.SingleToInt32Bits(inRegister[r]) != BitConverter.SingleToInt32Bits(sums[r]))
                        {
                            Assert.Fail($"{typeof(TS).Name}, trial {trial}: SumEightVector's lane {r} is {inRegister[r]:R}, SumEight gave {sums[r]:R}.");
                        }
                    }
                }
            }
        }
    }
}
