using System.Runtime.Intrinsics.X86;
using GanCore.Kernels;
using GanCore.Randomness;

namespace GanCore.Tests.Kernels;

/// <summary>The 8×8-tile AVX transpose of op(B) = Bᵀ against the one-float-at-a-time loop, at every edge.</summary>
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
                    GemmEngine.TransposeBlocks8(bp, 1, 1, 1, tp);
                }
            }).Should().Throw<PlatformNotSupportedException>();
            return;
        }

        var random = new RandomSource(8);
        const float Sentinel = -12345.5f;
        int cases = 0;
        for (int n = 1; n <= 19; n++)
        {
            for (int k = 1; k <= 19; k++)
            {
                foreach (int pad in new[] { 0, 3 })
                {
                    // B is stored N×K with row stride K + pad; op(B) = Bᵀ is K×N, read with rsB = 1, csB = ldb.
                    int ldb = k + pad;
                    var b = new float[(n * ldb) + 8];
                    random.FillUniform(b, -4f, 4f);
                    var expected = new float[k * n];
                    var actual = new float[(k * n) + 16];
                    actual.AsSpan().Fill(Sentinel);
                    fixed (float* bp = b)
                    fixed (float* ep = expected)
                    fixed (float* ap = actual)
                    {
                        GemmEngine.Transpose(bp, 1, ldb, k, n, ep);
                        GemmEngine.TransposeBlocks8(bp, ldb, k, n, ap + 8);
                    }

                    actual.AsSpan(8, k * n).ToArray().Should().Equal(expected, "n = {0}, k = {1}, ldb = {2}", n, k, ldb);
                    actual.AsSpan(0, 8).ToArray().Should().OnlyContain(v => v == Sentinel, "nothing is written before dst (n = {0}, k = {1})", n, k);
                    actual.AsSpan(8 + (k * n)).ToArray().Should().OnlyContain(v => v == Sentinel, "nothing is written past K·N (n = {0}, k = {1})", n, k);
                    cases++;
                }
            }
        }

        cases.Should().Be(19 * 19 * 2);
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
