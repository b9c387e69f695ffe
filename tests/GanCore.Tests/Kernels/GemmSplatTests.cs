using GanCore.Kernels;
using GanCore.Randomness;
using GanCore.Tensors;
using GanCore.Tests.Testing;

namespace GanCore.Tests.Kernels;

/// <summary>
/// The 128-bit kernels on A splatted into whole vectors (<see cref="GemmEngine.SplatsBroadcasts"/>: x64 without AVX,
/// or forced here on any host) against the same kernels broadcasting A's elements: the direct loops row block by row
/// block, on op(B) in place and packed, and the streaming route chunk by chunk. Only where A's values come from
/// changes, so every result must be bitwise the broadcasting one, and within the reference's rounding bound
/// (<see cref="GemmCase.Verify"/>, which also checks that nothing outside C is written). On CI's leg with AVX off both
/// sides splat, and the reference check is what remains.
/// </summary>
public class GemmSplatTests
{
    private static readonly (bool TransposeA, bool TransposeB)[] Forms = [(false, false), (true, false), (false, true), (true, true)];

    [Fact]
    public void Splatted_row_blocks_give_the_bits_of_broadcast_ones_on_the_direct_loops()
    {
        // M: one 6-row block, 6 + 1 and 6 + 2 (run as 4 + 3 and 4 + 4), 13–14 rows, 48; K from 1 to SplatDepth (85 on a
        // 32 KB L1d); N of SplatStrips strips (96 columns), with a masked or padded tail (97, 102), and more (136). The
        // host's blocking reads op(B) in place (column order for the broadcasting side); a 1 KB streaming block sends
        // every C over 4 KB to the row order, on a packed op(B).
        if (OneThreadAt128() is not { } host)
        {
            return;
        }

        GemmBlocking rowOrder = host with { StreamBytes = 1024 };
        int count = 0;
        foreach (int m in new[] { 6, 7, 8, 13, 14, 48 })
        {
            foreach (int k in new[] { 1, 5, 15, 16, 33, GemmEngine.SplatDepth })
            {
                int strips = GemmEngine.SplatStrips * 8;
                foreach (int n in new[] { strips, strips + 1, strips + 6, strips + 40 })
                {
                    foreach ((bool ta, bool tb) in Forms)
                    {
                        int h = (m * 131) + (n * 7) + k + (ta ? 1 : 0) + (tb ? 2 : 0);
                        var test = new GemmCase(ta, tb, m, n, k, accumulate: (h & 1) == 1, padA: h % 2, padB: (h / 2) % 3, padC: (h / 3) % 2, seed: h);
                        foreach (GemmBlocking blocking in new[] { host, rowOrder })
                        {
                            AssertSplatMatchesBroadcast(test, GemmPath.Direct, blocking);
                            count++;
                        }
                    }
                }
            }
        }

        count.Should().Be(6 * 6 * 4 * 4 * 2);
    }

    [Fact]
    public void Splatted_chunks_give_the_bits_of_broadcast_ones_on_the_streaming_route()
    {
        // The streaming route's small side (X, splatted a chunk at a time) of 1–16 rows: as the rows of C (M small) and as
        // its columns (N small, Aᵀ read down its rows); the long side across strips and tails; K over one chunk and
        // several, chunks of 8 rows (forced) and the host's.
        if (OneThreadAt128() is not { } host)
        {
            return;
        }

        GemmBlocking shortChunks = host with { StreamChunk = 8 };
        foreach (int small in new[] { 1, 2, 5, 6, 7, 15, 16 })
        {
            foreach (int wide in new[] { 16, 17, 64, 131 })
            {
                foreach (int k in new[] { 7, 33, 300 })
                {
                    foreach ((bool ta, bool tb) in Forms)
                    {
                        foreach (bool smallM in new[] { true, false })
                        {
                            (int m, int n) = smallM ? (small, wide) : (wide, small);
                            int h = (small * 131) + (wide * 7) + k + (ta ? 1 : 0) + (tb ? 2 : 0) + (smallM ? 4 : 0);
                            var test = new GemmCase(ta, tb, m, n, k, accumulate: (h & 1) == 1, padA: h % 2, padB: (h / 2) % 3, padC: (h / 3) % 2, seed: h);
                            AssertSplatMatchesBroadcast(test, GemmPath.Stream, (h & 2) == 0 ? host : shortChunks);
                        }
                    }
                }
            }
        }
    }

    [Fact]
    public void Splatted_chunks_with_the_bias_row_give_the_bits_of_broadcast_ones()
    {
        // dW += Xᵀ·dY with db += Σ dY as one more accumulator row, whose splatted X is all ones: fma(1, y, s) must round as
        // the broadcasting side's does, and the ones row must land after the m rows of X.
        if (OneThreadAt128() is not { } host)
        {
            return;
        }

        var random = new RandomSource(20261205);
        foreach (int m in new[] { 1, 5, 6, 15, 16 })
        {
            foreach ((int n, int k) in new[] { (16, 7), (64, 33), (131, 300) })
            {
                Matrix x = Random(random, k, m), dy = Random(random, k, n);
                float[] dw = Random(random, m, n).Span.ToArray();
                float[] db = Random(random, 1, n).Span.ToArray();
                Matrix dwBroadcast = Matrix.FromRows(m, n, (float[])dw.Clone()), dwSplat = Matrix.FromRows(m, n, (float[])dw.Clone());
                float[] dbBroadcast = (float[])db.Clone(), dbSplat = (float[])db.Clone();
                using (KernelDispatch.Cap(VectorWidth.Bits128))
                using (GemmEngine.ForcePath(GemmPath.Stream))
                using (GemmEngine.ForceBlocking(host with { StreamChunk = 8 }))
                {
                    Gemm.WeightAndBiasGradients(x, dy, dwBroadcast, dbBroadcast);
                    using (GemmEngine.ForceSplat())
                    {
                        Gemm.WeightAndBiasGradients(x, dy, dwSplat, dbSplat);
                    }
                }

                dwSplat.Span.ToArray().Should().Equal(dwBroadcast.Span.ToArray(), "dW, m = {0}, n = {1}, k = {2}", m, n, k);
                dbSplat.Should().Equal(dbBroadcast, "db, m = {0}, n = {1}, k = {2}", m, n, k);
                for (int j = 0; j < n; j++)
                {
                    // The sums themselves, in order, as ColumnSums adds them.
                    float sum = db[j];
                    for (int p = 0; p < k; p++)
                    {
                        sum += dy[p, j];
                    }

                    dbSplat[j].Should().Be(sum, "db[{0}] is db + Σ dY in row order, m = {1}, n = {2}, k = {3}", j, m, n, k);
                }
            }
        }
    }

    /// <summary>The host's 128-bit blocking on one thread (every block runs where the splat is forced), or null where
    /// this host has no 128-bit kernels.</summary>
    private static GemmBlocking? OneThreadAt128() =>
        KernelWidths.Available.Contains(VectorWidth.Bits128) ? GemmEngine.BlockingFor(VectorWidth.Bits128) with { ParallelThreshold = long.MaxValue } : null;

    /// <summary>Runs <paramref name="test"/> at 128 bits on <paramref name="path"/> with A broadcast, then with A
    /// splatted, each checked against the reference, and compares the two bit for bit.</summary>
    private static void AssertSplatMatchesBroadcast(GemmCase test, GemmPath path, GemmBlocking blocking)
    {
        test.Verify(VectorWidth.Bits128, path, blocking);
        float[] broadcast = (float[])test.Result.Clone();
        using (GemmEngine.ForceSplat())
        {
            test.Verify(VectorWidth.Bits128, path, blocking);
        }

        test.Result.Should().Equal(broadcast, "{0} on {1}: a splatted A holds the values a broadcast reads", test, path);
    }

    private static Matrix Random(RandomSource random, int rows, int columns)
    {
        var matrix = new Matrix(rows, columns);
        random.FillUniform(matrix.Span, -1f, 1f);
        return matrix;
    }
}
