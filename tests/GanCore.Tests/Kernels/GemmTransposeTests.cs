using System.Runtime.Intrinsics.X86;
using GanCore.Kernels;
using GanCore.Randomness;

namespace GanCore.Tests.Kernels;

/// <summary>The register-tile transposes of op(B) = Bᵀ (8×8 with AVX, 16×16 with AVX-512) against the
/// one-float-at-a-time loop, at every edge.</summary>
public class GemmTransposeTests
{
    [Fact]
    public unsafe void TransposeBlocks8_equals_the_scalar_transpose_at_every_tile_edge_and_writes_nothing_outside_dst()
    {
        if (!Avx.IsSupported)
        {
            // The CI legs without AVX: the engine must keep to the scalar loop, because the tiles cannot run here.
            var one = new float[1];
            var target = new float[1];
            FluentActions.Invoking(() =>
            {
                fixed (float* bp = one)
                fixed (float* tp = target)
                {
                    GemmEngine.TransposeBlocks8(bp, 1, 1, 1, tp, 1, accumulate: false);
                }
            }).Should().Throw<PlatformNotSupportedException>();
            return;
        }

        CheckEveryEdge(sixteen: false, maxSize: 19);
    }

    [Fact]
    public unsafe void TransposeBlocks16_equals_the_scalar_transpose_at_every_tile_edge_and_writes_nothing_outside_dst()
    {
        if (!Avx512F.IsSupported)
        {
            // The CI legs without AVX-512: TransposeTiles must not pick the 16×16 tiles, which cannot run here.
            var one = new float[1];
            var target = new float[1];
            FluentActions.Invoking(() =>
            {
                fixed (float* bp = one)
                fixed (float* tp = target)
                {
                    GemmEngine.TransposeBlocks16(bp, 1, 1, 1, tp, 1, accumulate: false);
                }
            }).Should().Throw<PlatformNotSupportedException>();
            return;
        }

        CheckEveryEdge(sixteen: true, maxSize: 35);
    }

    /// <summary>Every N and K from 1 to <paramref name="maxSize"/> (past one or two whole tiles), B's rows padded or not,
    /// dst's rows padded or not, stored and accumulated: the tiles give the scalar loop's floats, dst + Bᵀ gives the
    /// scalar sums, and nothing before, between or after dst's rows changes.</summary>
    private static unsafe void CheckEveryEdge(bool sixteen, int maxSize)
    {
        var random = new RandomSource(sixteen ? 16UL : 8UL);
        const float Sentinel = -12345.5f;
        int cases = 0;
        for (int n = 1; n <= maxSize; n++)
        {
            for (int k = 1; k <= maxSize; k++)
            {
                foreach (int pad in new[] { 0, 3 })
                {
                    foreach (bool accumulate in new[] { false, true })
                    {
                        // B is stored N×K with row stride K + pad; op(B) = Bᵀ is K×N, read with rsB = 1, csB = ldb, into
                        // dst rows ldd = N + pad apart (the padded rows of a narrow op(B)); the pad floats must survive.
                        int ldb = k + pad;
                        int ldd = n + pad;
                        var b = new float[(n * ldb) + 8];
                        random.FillUniform(b, -4f, 4f);
                        var transposed = new float[k * n];
                        var actual = new float[(k * ldd) + 32];
                        actual.AsSpan().Fill(Sentinel);
                        var start = new float[k * n];
                        if (accumulate)
                        {
                            random.FillUniform(start, -4f, 4f);
                            for (int p = 0; p < k; p++)
                            {
                                start.AsSpan(p * n, n).CopyTo(actual.AsSpan(16 + (p * ldd), n));
                            }
                        }

                        fixed (float* bp = b)
                        fixed (float* ep = transposed)
                        fixed (float* ap = actual)
                        {
                            GemmEngine.Transpose(bp, 1, ldb, k, n, ep);
                            if (sixteen)
                            {
                                GemmEngine.TransposeBlocks16(bp, ldb, k, n, ap + 16, ldd, accumulate);
                            }
                            else
                            {
                                GemmEngine.TransposeBlocks8(bp, ldb, k, n, ap + 16, ldd, accumulate);
                            }
                        }

                        for (int p = 0; p < k; p++)
                        {
                            var expected = new float[n];
                            for (int j = 0; j < n; j++)
                            {
                                expected[j] = accumulate ? start[(p * n) + j] + transposed[(p * n) + j] : transposed[(p * n) + j];
                            }

                            actual.AsSpan(16 + (p * ldd), n).ToArray().Should().Equal(expected, "row {0} of dst (n = {1}, k = {2}, ldb = {3}, ldd = {4}, accumulate = {5})", p, n, k, ldb, ldd, accumulate);
                            if (pad > 0)
                            {
                                actual.AsSpan(16 + (p * ldd) + n, pad).ToArray().Should().OnlyContain(v => v == Sentinel, "the padding after row {0} is left alone (n = {1}, k = {2})", p, n, k);
                            }
                        }

                        actual.AsSpan(0, 16).ToArray().Should().OnlyContain(v => v == Sentinel, "nothing is written before dst (n = {0}, k = {1})", n, k);
                        actual.AsSpan(16 + (k * ldd)).ToArray().Should().OnlyContain(v => v == Sentinel, "nothing is written past dst (n = {0}, k = {1})", n, k);
                        cases++;
                    }
                }
            }
        }

        cases.Should().Be(maxSize * maxSize * 2 * 2);
    }

    [Fact]
    public void A_narrow_transposed_A_product_gives_the_direct_paths_bits_in_both_B_forms_with_and_without_accumulate()
    {
        // Aᵀ·B and Aᵀ·Bᵀ with 2 ≤ N ≤ 16 and M ≥ 32 run as S = op(B)ᵀ·A, then C (+)= Sᵀ (GemmEngine.TransposedProduct) on
        // AVX hosts; the direct loops (forced) are the reference, bit for bit, at every width, across M, N and K tails.
        int count = 0;
        foreach (int n in new[] { 2, 3, 7, 8, 9, 15, 16 })
        {
            foreach (int m in new[] { 32, 33, 64, 127, 128, 200 })
            {
                foreach (int k in new[] { 1, 5, 64, 129 })
                {
                    foreach (bool tb in new[] { false, true })
                    {
                        int h = (n * 31) + (m * 7) + k + (tb ? 1 : 0);
                        var test = new GemmCase(true, tb, m, n, k, accumulate: (h & 1) == 1, padA: h % 2, padB: (h / 2) % 3, padC: (h / 3) % 2, seed: h);
                        foreach (VectorWidth width in GemmWidths.All())
                        {
                            test.Verify(width, GemmPath.Direct);
                            float[] direct = (float[])test.Result.Clone();
                            test.Verify(width, GemmPath.Auto);
                            test.Result.Should().Equal(direct, "{0} at {1}", test, width);
                            count++;
                        }
                    }
                }
            }
        }

        count.Should().Be(7 * 6 * 4 * 2 * GemmWidths.All().Count());
    }
}
