using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace GanCore.Tests.Kernels;

/// <summary>Lane-by-lane comparison of one of GanCore's vector functions with the runtime's, bit for bit (NaN for NaN:
/// the payload is not compared), for <see cref="VectorExpTests"/>, <see cref="VectorLogSingleTests"/> and
/// <see cref="VectorSinCosTests"/>.</summary>
internal static class RuntimeMathBits
{
    public static float[] Lanes(Vector512<float> v)
    {
        float[] a = new float[16];
        v.CopyTo(a);
        return a;
    }

    public static float[] Lanes(Vector256<float> v)
    {
        float[] a = new float[8];
        v.CopyTo(a);
        return a;
    }

    public static float[] Lanes(Vector128<float> v)
    {
        float[] a = new float[4];
        v.CopyTo(a);
        return a;
    }

    /// <summary>Compares one of GanCore's lane-wise functions with the runtime's at every width this process runs: 512 bits
    /// where <see cref="Vector512"/> is accelerated, 256 where <see cref="Vector256"/> is or the CPU has AVX without AVX2
    /// (<c>SimdAvx</c>'s width, where both split a vector into 128-bit halves), 128 on every leg. Returns the lanes
    /// compared, at least <paramref name="values"/>' length.</summary>
    public static int CompareAtEveryWidth(
        string name,
        float[] values,
        Func<Vector512<float>, Vector512<float>> ours512,
        Func<Vector512<float>, Vector512<float>> runtime512,
        Func<Vector256<float>, Vector256<float>> ours256,
        Func<Vector256<float>, Vector256<float>> runtime256,
        Func<Vector128<float>, Vector128<float>> ours128,
        Func<Vector128<float>, Vector128<float>> runtime128)
    {
        int compared = 0;
        if (Vector512.IsHardwareAccelerated)
        {
            compared += Compare(name, values, 16, (v, i) =>
            {
                Vector512<float> x = Vector512.Create(v.AsSpan(i, 16));
                return (Lanes(ours512(x)), Lanes(runtime512(x)));
            });
        }

        if (Vector256.IsHardwareAccelerated || Avx.IsSupported)
        {
            compared += Compare(name, values, 8, (v, i) =>
            {
                Vector256<float> x = Vector256.Create(v.AsSpan(i, 8));
                return (Lanes(ours256(x)), Lanes(runtime256(x)));
            });
        }

        return compared + Compare(name, values, 4, (v, i) =>
        {
            Vector128<float> x = Vector128.Create(v.AsSpan(i, 4));
            return (Lanes(ours128(x)), Lanes(runtime128(x)));
        });
    }

    /// <summary>Runs <paramref name="run"/> on each group of <paramref name="lanes"/> consecutive values and fails on the
    /// first lane whose result differs from the runtime's; returns the number of lanes compared.</summary>
    /// <param name="name">The function's name in the failure message, e.g. "exp".</param>
    public static int Compare(string name, float[] values, int lanes, Func<float[], int, (float[] Ours, float[] Runtime)> run)
    {
        int count = 0;
        for (int i = 0; i + lanes <= values.Length; i += lanes)
        {
            (float[] ours, float[] runtime) = run(values, i);
            for (int l = 0; l < lanes; l++)
            {
                float x = values[i + l];
                if (float.IsNaN(runtime[l]))
                {
                    float.IsNaN(ours[l]).Should().BeTrue("{0}({1:R}) (bits 0x{2:X8}) at {3} bits is NaN in the runtime", name, x, BitConverter.SingleToUInt32Bits(x), lanes * 32);
                }
                else if (BitConverter.SingleToUInt32Bits(ours[l]) != BitConverter.SingleToUInt32Bits(runtime[l]))
                {
                    BitConverter.SingleToUInt32Bits(ours[l]).Should().Be(
                        BitConverter.SingleToUInt32Bits(runtime[l]),
                        "{0}({1:R}) (bits 0x{2:X8}, lane {3} of the group at {4}) at {5} bits: ours {6:R}, the runtime's {7:R}",
                        name,
                        x,
                        BitConverter.SingleToUInt32Bits(x),
                        l,
                        i,
                        lanes * 32,
                        ours[l],
                        runtime[l]);
                }

                count++;
            }
        }

        return count;
    }
}
