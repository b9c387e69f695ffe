using System.Runtime.Intrinsics.X86;
using GanCore.Losses;
using GanCore.Tests.Testing;

namespace GanCore.Tests.Kernels;

/// <summary><c>LogisticKernel</c>: a batch of logits gets the bits of <c>Logistic.SigmoidAndSoftplus</c> one at a
/// time, whichever path ran; on x86-64 glibc with AVX2 and FMA the vector path must be the one that runs. (In the
/// Kernels folder so that CI's width legs run it too.)</summary>
public sealed class LogisticKernelTests
{

    [Fact]
    public void A_batch_gets_the_scalar_functions_bits_at_every_length_and_for_every_kind_of_logit()
    {
        var rng = new Random(20261202);
        var logits = new List<float>
        {
            0f, -0f, float.PositiveInfinity, float.NegativeInfinity, float.NaN, float.Epsilon, -float.Epsilon, float.MaxValue,
            float.MinValue, 1e-30f, -1e-30f, 87.99999f, -87.99999f, 88f, -88f, 88.72f, -103.97f, -104f, 103.5f, 1f, -1f,
        };
        for (int i = 0; i < 100_000; i++)
        {
            logits.Add((float)((rng.NextDouble() - 0.5) * Math.Pow(2, rng.Next(-40, 8))));
        }

        float[] all = logits.ToArray();
        Compare(all, "the whole set");

        // Every length up to 67 (every tail after whole groups of four), at every offset of a small window.
        for (int length = 0; length <= 67; length++)
        {
            for (int offset = 0; offset < 4; offset++)
            {
                Compare(all.AsSpan(1000 + offset, length).ToArray(), $"{length} logits from {1000 + offset}");
            }
        }
    }

    [Fact]
    public void Both_vector_widths_give_the_scalar_functions_bits_where_the_host_runs_them()
    {
        // LogisticKernel.Lanes at 8 (AVX-512, permutes) and 4 (AVX2 and FMA) directly, whichever the host would pick: on
        // an AVX-512 host the batch method never runs the 4-lane path. Only against glibc, whose functions they follow.
        if (!Platform.GlibcX64)
        {
            return;
        }

        var rng = new Random(7);
        float[] logits = new float[4096 + 8];
        for (int i = 0; i < logits.Length; i++)
        {
            logits[i] = (float)((rng.NextDouble() - 0.5) * Math.Pow(2, rng.Next(-30, 8)));
        }

        logits[5] = float.NaN;
        logits[9] = 90f;
        foreach (int lanes in new[] { 8, 4 })
        {
            bool supported = lanes == 8 ? Avx512F.IsSupported : Fma.IsSupported && Avx2.IsSupported;
            float[] sigmoid = new float[logits.Length];
            float[] softplus = new float[logits.Length];
            int done = LogisticKernel.Lanes(logits, sigmoid, softplus, logits.Length, lanes);
            done.Should().Be(supported ? logits.Length : 0, $"{lanes} lanes {(supported ? "run" : "do not run")} on this host");
            for (int i = 0; i < done; i++)
            {
                (float s, float p) = Logistic.SigmoidAndSoftplus(logits[i]);
                if (float.IsNaN(logits[i]))
                {
                    (float.IsNaN(sigmoid[i]) && float.IsNaN(softplus[i])).Should().BeTrue($"NaN in, NaN out ({lanes} lanes)");
                    continue;
                }

                BitConverter.SingleToInt32Bits(sigmoid[i]).Should().Be(BitConverter.SingleToInt32Bits(s), $"σ({logits[i]:R}) at {lanes} lanes");
                BitConverter.SingleToInt32Bits(softplus[i]).Should().Be(BitConverter.SingleToInt32Bits(p), $"softplus({logits[i]:R}) at {lanes} lanes");
            }

        }

    }

    [Fact]
    public void The_vector_path_runs_on_x64_glibc_with_AVX2_and_FMA()
    {
        if (!Fma.IsSupported || !Avx2.IsSupported)
        {
            LogisticKernel.IsExact.Should().BeFalse("the vector path needs AVX2 and FMA");
            return;
        }

        if (Platform.GlibcX64)
        {
            LogisticKernel.IsExact.Should().BeTrue("on x86-64 glibc with FMA, MathF.Exp and MathF.Log are the expf and logf the kernel follows; if a glibc build disagrees, the GAN objectives lose their vector path (same bits, slower)");
        }
    }

    [OptInFact("GANCORE_EXHAUSTIVE_LOGISTIC")]
    public void Every_logit_below_88_in_magnitude_gets_the_scalar_functions_bits()
    {
        // All 2·0x42B00000 floats with |l| < 88 (about 2.2 billion), in blocks, on every core.
        LogisticKernel.IsExact.Should().BeTrue("the exhaustive comparison is for the vector path");
        const int block = 1 << 16;
        const uint end = 0x42B00000;
        long mismatches = 0;
        Parallel.For(0, (int)(2 * (end / block)), b =>
        {
            uint first = (uint)(b / 2) * block;
            uint sign = b % 2 == 0 ? 0u : 0x80000000u;
            float[] l = new float[block];
            float[] s = new float[block];
            float[] p = new float[block];
            for (int i = 0; i < block; i++)
            {
                l[i] = BitConverter.UInt32BitsToSingle((first + (uint)i) | sign);
            }

            LogisticKernel.SigmoidAndSoftplus(l, s, p);
            for (int i = 0; i < block; i++)
            {
                (float es, float ep) = Logistic.SigmoidAndSoftplus(l[i]);
                if (BitConverter.SingleToInt32Bits(es) != BitConverter.SingleToInt32Bits(s[i]) || BitConverter.SingleToInt32Bits(ep) != BitConverter.SingleToInt32Bits(p[i]))
                {
                    Interlocked.Increment(ref mismatches);
                }
            }
        });
        mismatches.Should().Be(0);
    }

    private static void Compare(float[] logits, string what)
    {
        float[] sigmoid = new float[logits.Length];
        float[] softplus = new float[logits.Length];
        LogisticKernel.SigmoidAndSoftplus(logits, sigmoid, softplus);
        for (int i = 0; i < logits.Length; i++)
        {
            float l = logits[i];
            (float s, float p) = Logistic.SigmoidAndSoftplus(l);
            if (float.IsNaN(l))
            {
                // Which NaN an x86 operation returns depends on the operand order the JIT picked (LogisticTests).
                float.IsNaN(sigmoid[i]).Should().BeTrue($"σ of NaN is NaN ({what})");
                float.IsNaN(softplus[i]).Should().BeTrue($"softplus of NaN is NaN ({what})");
                continue;
            }

            BitConverter.SingleToInt32Bits(sigmoid[i]).Should().Be(BitConverter.SingleToInt32Bits(s), $"σ({l:R}) ({what})");
            BitConverter.SingleToInt32Bits(softplus[i]).Should().Be(BitConverter.SingleToInt32Bits(p), $"softplus({l:R}) ({what})");
        }
    }
}
