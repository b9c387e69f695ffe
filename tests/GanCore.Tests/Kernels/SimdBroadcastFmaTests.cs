using System.Runtime.Intrinsics.Arm;
using System.Runtime.Intrinsics.X86;
using GanCore.Kernels;

namespace GanCore.Tests.Kernels;

/// <summary>The one-vector GEMM kernels use <c>ISimd.MultiplyAddBroadcastTo</c> (a broadcast the JIT folds into the
/// FMA), the wider kernels <c>BroadcastFrom</c> (a broadcast load) and <c>MultiplyAddTo</c>: both must give the same bits,
/// or a row of C would depend on which kernel its tile landed in.</summary>
public sealed class SimdBroadcastFmaTests
{
    [Fact]
    public void MultiplyAddBroadcastTo_gives_the_bits_of_BroadcastFrom_then_MultiplyAddTo_at_every_accelerated_width()
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
            float[] a = new float[1];
            float[] b = new float[w];
            float[] acc = new float[w];
            float[] folded = new float[w];
            float[] separate = new float[w];

            // Fused at 512 bits and in the scalar path always; at 256 and 128 bits where the CPU has FMA (not on the CI leg
            // with AVX2 off, where both forms round twice); on Arm64, whose 128-bit multiply-add is always fused. Never in
            // SimdAvx, which serves CPUs without FMA.
            bool fused = typeof(TS) != typeof(SimdAvx)
                && (typeof(TS) == typeof(Simd512) || typeof(TS) == typeof(SimdScalar) || Fma.IsSupported || AdvSimd.IsSupported);
            int differing = 0;
            for (int trial = 0; trial < 5000; trial++)
            {
                // Magnitudes 2^-20 .. 2^20, mixed signs, and the special values now and then: a single rounding of a·b + c
                // differs from two roundings in most trials, so a product rounded on its own would show.
                a[0] = Value(rng);
                for (int i = 0; i < w; i++)
                {
                    b[i] = Value(rng);
                    acc[i] = Value(rng);
                }

                fixed (float* pa = a, pb = b, pacc = acc, pf = folded, ps = separate)
                {
                    TV vb = TS.Load(ref *pb, 0);
                    TV x = TS.Load(ref *pacc, 0);
                    TV y = x;
                    TS.MultiplyAddBroadcastTo(ref x, pa, vb); // the element's address, as the kernels pass it
                    TS.MultiplyAddTo(ref y, TS.BroadcastFrom(pa), vb);
                    TS.Store(x, ref *pf, 0);
                    TS.Store(y, ref *ps, 0);
                }

                for (int i = 0; i < w; i++)
                {
                    int nans = (float.IsNaN(a[0]) ? 1 : 0) + (float.IsNaN(b[i]) ? 1 : 0) + (float.IsNaN(acc[i]) ? 1 : 0);
                    if (nans >= 2)
                    {
                        // Which of two NaNs an FMA returns follows the instruction's operand order, which the JIT picks per
                        // call site (and may change when it recompiles a caller at a higher tier): any NaN will do here.
                        float.IsNaN(folded[i]).Should().BeTrue("trial {0}, lane {1}", trial, i);
                        float.IsNaN(separate[i]).Should().BeTrue("trial {0}, lane {1}", trial, i);
                        continue;
                    }

                    BitConverter.SingleToInt32Bits(folded[i]).Should().Be(BitConverter.SingleToInt32Bits(separate[i]), "trial {0}, lane {1}: {2:R}·{3:R} + {4:R}", trial, i, a[0], b[i], acc[i]);
                    float once = MathF.FusedMultiplyAdd(a[0], b[i], acc[i]);
                    float twice = (a[0] * b[i]) + acc[i];
                    if (float.IsNaN(once))
                    {
                        continue; // which NaN an FMA returns depends on its operand order, not on fusing
                    }

                    BitConverter.SingleToInt32Bits(folded[i]).Should().Be(BitConverter.SingleToInt32Bits(fused ? once : twice), "trial {0}, lane {1}: {2:R}·{3:R} + {4:R} rounded {5}", trial, i, a[0], b[i], acc[i], fused ? "once" : "twice");
                    differing += once != twice ? 1 : 0;
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
        3 => BitConverter.Int32BitsToSingle(unchecked((int)(0x7FC00000u | (uint)rng.Next(1 << 22) | (rng.Next(2) == 0 ? 0u : 0x80000000u)))), // a quiet NaN, random payload and sign
        _ => (float)((rng.NextDouble() - 0.5) * Math.Pow(2, rng.Next(-20, 21))),
    };
}
