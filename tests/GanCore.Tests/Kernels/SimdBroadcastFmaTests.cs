using GanCore.Kernels;

namespace GanCore.Tests.Kernels;

/// <summary>The one-vector GEMM kernels use <c>ISimd.MultiplyAddBroadcastTo</c> (a broadcast the JIT folds into the
/// FMA), the wider kernels <c>Broadcast</c> and <c>MultiplyAddTo</c>: both must give the same bits, or a row of C would
/// depend on which kernel its tile landed in.</summary>
public sealed class SimdBroadcastFmaTests
{
    [Fact]
    public void MultiplyAddBroadcastTo_gives_the_bits_of_Broadcast_then_MultiplyAddTo_at_every_accelerated_width()
    {
        SimdWidthsUnderTest.RunAll(default(BroadcastFmaCheck));
    }

    private readonly unsafe struct BroadcastFmaCheck : ISimdCheck
    {
        public void Run<TS, TV>(int seed)
            where TS : ISimd<TV>
            where TV : struct
        {
            var rng = new Random(seed);
            int w = TS.Count;
            float[] b = new float[w];
            float[] acc = new float[w];
            float[] folded = new float[w];
            float[] separate = new float[w];
            int differing = 0;
            for (int trial = 0; trial < 5000; trial++)
            {
                // Magnitudes 2^-20 .. 2^20, mixed signs, and the special values now and then: a single rounding of a·b + c
                // differs from two roundings in most trials, so a product rounded on its own would show.
                float a = Value(rng);
                for (int i = 0; i < w; i++)
                {
                    b[i] = Value(rng);
                    acc[i] = Value(rng);
                }

                fixed (float* pb = b, pacc = acc, pf = folded, ps = separate)
                {
                    TV vb = TS.Load(ref *pb, 0);
                    TV x = TS.Load(ref *pacc, 0);
                    TV y = x;
                    TS.MultiplyAddBroadcastTo(ref x, a, vb);
                    TS.MultiplyAddTo(ref y, TS.Broadcast(a), vb);
                    TS.Store(x, ref *pf, 0);
                    TS.Store(y, ref *ps, 0);
                }

                for (int i = 0; i < w; i++)
                {
                    BitConverter.SingleToInt32Bits(folded[i]).Should().Be(BitConverter.SingleToInt32Bits(separate[i]), "trial {0}, lane {1}: {2}·{3} + {4}", trial, i, a, b[i], acc[i]);
                    // A property of the data, whatever this width computes (without AVX2 the 128-bit path has no
                    // FMA and neither form fuses): the trials must hold sums that one rounding and two round apart.
                    float unfused = (a * b[i]) + acc[i];
                    if (float.IsFinite(unfused) && unfused != MathF.FusedMultiplyAdd(a, b[i], acc[i]))
                    {
                        differing++;
                    }
                }
            }

            differing.Should().BeGreaterThan(0, "the trials must include sums where one rounding and two differ, or fusing is untested");
        }
    }

    private static float Value(Random rng) => rng.Next(40) switch
    {
        0 => 0f,
        1 => -0f,
        2 => float.PositiveInfinity,
        3 => float.NaN,
        _ => (float)((rng.NextDouble() - 0.5) * Math.Pow(2, rng.Next(-20, 21))),
    };
}
