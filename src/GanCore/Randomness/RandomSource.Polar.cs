using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using GanCore.Kernels;

namespace GanCore.Randomness;

/// <summary>The pieces of <see cref="FillGaussian"/>'s block-at-a-time polar method.</summary>
public sealed partial class RandomSource
{
    /// <summary>
    /// Writes mean + σ·u·f and mean + σ·v·f for each pair (u, v) of <paramref name="uv"/>, with f = √q, to
    /// <paramref name="d"/> from element <paramref name="i"/> on; returns the next free element. Explicit SSE2 where it runs,
    /// two pairs at a time (one square root instruction for both, and no scalar square root waiting on its destination's
    /// previous value): the same IEEE operations on the same doubles as the scalar loop, so the same floats.
    /// </summary>
    [MethodImpl(KernelCompilation.Hot)]
    private static unsafe int WritePolarPairs(double* uv, double* q, int pairs, float mean, float standardDeviation, float* d, int i)
    {
        int k = 0;
        if (Sse2.IsSupported)
        {
            Vector128<double> mean2 = Vector128.Create((double)mean);
            Vector128<double> deviation2 = Vector128.Create((double)standardDeviation);
            for (; k + 2 <= pairs; k += 2)
            {
                Vector128<double> f = Sse2.Sqrt(Sse2.LoadVector128(q + k));
                Vector128<double> first = Sse2.Add(mean2, Sse2.Multiply(deviation2, Sse2.Multiply(Sse2.LoadVector128(uv + (2 * k)), Sse2.UnpackLow(f, f))));
                Vector128<double> second = Sse2.Add(mean2, Sse2.Multiply(deviation2, Sse2.Multiply(Sse2.LoadVector128(uv + (2 * k) + 2), Sse2.UnpackHigh(f, f))));
                Sse.Store(d + i, Sse.MoveLowToHigh(Sse2.ConvertToVector128Single(first), Sse2.ConvertToVector128Single(second)));
                i += 4;
            }
        }

        for (; k < pairs; k++)
        {
            double factor = Math.Sqrt(q[k]);
            d[i++] = (float)(mean + (standardDeviation * (uv[2 * k] * factor)));
            d[i++] = (float)(mean + (standardDeviation * (uv[(2 * k) + 1] * factor)));
        }

        return i;
    }

    /// <summary>
    /// The accepted points of <paramref name="pairs"/> rounds of the polar method's rejection loop, exactly as
    /// <see cref="NextGaussian()"/> draws them: u, v uniform in (−1, 1) until 0 &lt; s = u² + v² &lt; 1; (u, v) pairs go to
    /// <paramref name="uv"/>, s to <paramref name="s"/>.
    /// </summary>
    [MethodImpl(KernelCompilation.Hot)]
    private unsafe void DrawPolarPairs(double* uv, double* s, int pairs)
    {
        ulong s0 = _s0;
        ulong s1 = _s1;
        ulong s2 = _s2;
        ulong s3 = _s3;
        // Branch-free rejection: every candidate is written to the next free slot, which moves on only when the
        // candidate is accepted (about 21% are not, at random, which a branch would mispredict). The buffers have room
        // for the one candidate written past the last accepted pair.
        int accepted = 0;
        while (accepted < pairs)
        {
            // 2·(b·2⁻⁵³) − 1 = b·2⁻⁵² − 1 exactly (b < 2⁵³ is exact in a double, and scaling by a power of 2 rounds nothing).
            double x = ((Next(ref s0, ref s1, ref s2, ref s3) >> 11) * (1.0 / (1UL << 52))) - 1.0;
            double y = ((Next(ref s0, ref s1, ref s2, ref s3) >> 11) * (1.0 / (1UL << 52))) - 1.0;
            double r = (x * x) + (y * y);
            uv[2 * accepted] = x;
            uv[(2 * accepted) + 1] = y;
            s[accepted] = r;
            accepted += (r < 1.0 ? 1 : 0) & (r != 0.0 ? 1 : 0);
        }

        _s0 = s0;
        _s1 = s1;
        _s2 = s2;
        _s3 = s3;
    }

    /// <summary>One xoshiro256** step on a state held in locals (<see cref="NextUInt64"/>'s arithmetic).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong Next(ref ulong s0, ref ulong s1, ref ulong s2, ref ulong s3)
    {
        ulong result = BitOperations.RotateLeft(s1 * 5, 7) * 9;
        ulong t = s1 << 17;
        s2 ^= s0;
        s3 ^= s1;
        s1 ^= s2;
        s0 ^= s3;
        s2 ^= t;
        s3 = BitOperations.RotateLeft(s3, 45);
        return result;
    }
}
