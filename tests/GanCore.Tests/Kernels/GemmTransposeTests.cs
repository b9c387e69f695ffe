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
}
