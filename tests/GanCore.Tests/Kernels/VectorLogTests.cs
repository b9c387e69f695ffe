using System.Runtime.Intrinsics.X86;
using GanCore.Kernels;
using GanCore.Tests.Testing;

namespace GanCore.Tests.Kernels;

/// <summary><c>VectorLog</c>: eight logarithms at a time with the bits of <c>Math.Log</c>, on both of glibc's paths,
/// and the polar factors of the Gaussian stream unchanged.</summary>
public sealed class VectorLogTests
{
    [Fact]
    public void The_eight_lane_log_gives_Math_Log_bits_on_both_paths_at_every_length()
    {
        if (!Avx512F.IsSupported || !Avx512DQ.IsSupported)
        {
            VectorLog.IsExact.Should().BeFalse("the kernel needs AVX-512 F and DQ");
            return;
        }

        if (!Platform.GlibcX64)
        {
            return; // the kernel follows glibc's log; elsewhere it is checked against the platform's at first use
        }

        var rng = new Random(20261202);
        var x = new List<double>
        {
            1.0, 0.9375, BitConverter.Int64BitsToDouble(0x3FEE000000000000 - 1), BitConverter.Int64BitsToDouble(0x3FF1090000000000),
            BitConverter.Int64BitsToDouble(0x3FF1090000000000 - 1), 0.0, -0.0, -1.0, double.Epsilon, double.MaxValue,
            double.PositiveInfinity, double.NaN, 2.2250738585072014E-308, 0.5, 2.0, Math.E,

            // The kernel works on 32-bit words: a low word that must not decide (1 + 1 ulp, and 1.0's high word with a
            // low one), the band's lower edge, the largest subnormal and the largest double below 1.
            BitConverter.Int64BitsToDouble(0x3FF0000000000001), BitConverter.Int64BitsToDouble(0x3FF00001_00000000),
            BitConverter.Int64BitsToDouble(0x3FEE000000000000), BitConverter.Int64BitsToDouble(0x000FFFFFFFFFFFFF),
            BitConverter.Int64BitsToDouble(0x3FEFFFFFFFFFFFFF), BitConverter.Int64BitsToDouble(0x3FF108FF_00000000),
        };
        for (int i = 0; i < 300_000; i++)
        {
            double u = rng.NextDouble();
            x.Add((i % 3) switch
            {
                0 => u,                                        // the polar method's s
                1 => 0.9375 + (u * 0.127),                     // the band near 1 and its edges
                _ => Math.ScaleB(1.0 + u, rng.Next(-1030, 1024)), // every exponent, subnormals included
            });
        }

        double[] all = x.ToArray();
        Compare(all, "the whole set");
        for (int length = 0; length <= 19; length++)
        {
            Compare(all.AsSpan(500, length).ToArray(), $"{length} values");
        }
    }

    [Fact]
    public void The_eight_lane_log_runs_on_x64_glibc_with_AVX512()
    {
        bool avx512 = Avx512F.IsSupported && Avx512DQ.IsSupported;
        if (!avx512)
        {
            VectorLog.IsExact.Should().BeFalse("without AVX-512 F and DQ the kernel never runs");
        }
        else if (Platform.GlibcX64)
        {
            VectorLog.IsExact.Should().BeTrue("on x86-64 glibc Math.Log is the log the kernel follows; if a glibc build disagrees, the polar method loses its vector path (same bits, slower)");
        }
    }

    [Fact]
    public unsafe void Polar_factors_are_the_scalar_expression_bit_for_bit()
    {
        var rng = new Random(3);
        foreach (int n in new[] { 0, 1, 7, 8, 9, 32, 33 })
        {
            double[] q = new double[n];
            for (int i = 0; i < n; i++)
            {
                q[i] = i % 5 == 0 ? 0.9375 + (rng.NextDouble() * 0.0625) : rng.NextDouble();
            }

            double[] expected = q.Select(s => -2.0 * Math.Log(s) / s).ToArray();
            fixed (double* p = q)
            {
                VectorLog.PolarFactors(p, n);
            }

            q.Select(BitConverter.DoubleToInt64Bits).Should().Equal(expected.Select(BitConverter.DoubleToInt64Bits), $"n = {n}");
        }
    }

    [OptInFact("GANCORE_EXHAUSTIVE_LOGISTIC")]
    public void A_billion_random_doubles_get_Math_Log_bits()
    {
        VectorLog.IsExact.Should().BeTrue("the long comparison is for the vector path");
        long mismatches = 0;
        Parallel.For(0, 2000, b =>
        {
            var rng = new Random(b);
            double[] x = new double[1 << 19];
            double[] y = new double[x.Length];
            for (int i = 0; i < x.Length; i++)
            {
                double u = rng.NextDouble();
                x[i] = (i % 3) switch { 0 => u, 1 => 0.9375 + (u * 0.127), _ => Math.ScaleB(1.0 + u, rng.Next(-1022, 1024)) };
            }

            VectorLog.Log(x, y, vector: true);
            for (int i = 0; i < x.Length; i++)
            {
                if (BitConverter.DoubleToInt64Bits(y[i]) != BitConverter.DoubleToInt64Bits(Math.Log(x[i])))
                {
                    Interlocked.Increment(ref mismatches);
                }
            }
        });
        mismatches.Should().Be(0);
    }

    private static void Compare(double[] x, string what)
    {
        double[] y = new double[x.Length];
        VectorLog.Log(x, y, vector: true);
        for (int i = 0; i < x.Length; i++)
        {
            double expected = Math.Log(x[i]);
            if (double.IsNaN(expected))
            {
                double.IsNaN(y[i]).Should().BeTrue($"log({x[i]:R}) is NaN ({what})");
                continue;
            }

            BitConverter.DoubleToInt64Bits(y[i]).Should().Be(BitConverter.DoubleToInt64Bits(expected), $"log({x[i]:R}) = {expected:R} ({what})");
        }
    }
}
