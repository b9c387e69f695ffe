using System.Runtime.InteropServices;
using System.Runtime.Intrinsics.X86;
using GanCore.Kernels;
using GanCore.Randomness;
using GanCore.Tests.Testing;

namespace GanCore.Tests.Kernels;

/// <summary>The register-tile transposes of op(B) = Bᵀ (8×8 with AVX, 16×16 with AVX-512) against the
/// one-float-at-a-time loop, at every edge.</summary>
public class GemmTransposeTests
{
    /// <summary>What the sweeps put around and between dst's rows, to see a write outside them.</summary>
    private const float Sentinel = -12345.5f;

    [Fact]
    public unsafe void TransposeBlocks8_equals_the_scalar_transpose_at_every_tile_edge_and_writes_nothing_outside_dst()
    {
        if (!Avx.IsSupported)
        {
            // The CI legs without AVX: the engine must keep to the scalar loop, because the tiles cannot run here.
            ShouldNotRunHere(sixteen: false);
            return;
        }

        CheckEveryEdge(Copy.Tiles8, maxSize: 19);
    }

    [Fact]
    public unsafe void TransposeBlocks16_equals_the_scalar_transpose_at_every_tile_edge_and_writes_nothing_outside_dst()
    {
        if (!Avx512F.IsSupported)
        {
            // The CI legs without AVX-512: the 16×16 tiles cannot run here (the test below checks that TransposeTiles
            // and CopyTransposed never pick them, whatever lanes they are given).
            ShouldNotRunHere(sixteen: true);
            return;
        }

        CheckEveryEdge(Copy.Tiles16, maxSize: 35);
    }

    [Fact]
    public unsafe void TransposeBlocks16_into_a_padded_dst_writes_zeros_after_each_row_and_nothing_past_the_last()
    {
        // The padded op(B) of a narrow A·Bᵀ (N < 16 columns into rows of 16 floats): the first N lanes of each row are
        // Bᵀ's, the other 16 − N zeros written over whatever was there (a sentinel here), at every N from 1 to 16 and
        // every K from 1 to 50 (whole tiles, where rows past N repeat B's last row in the registers, and every tail).
        if (!Avx512F.IsSupported)
        {
            ShouldNotRunHere(sixteen: true);
            return;
        }

        var random = new RandomSource(1616UL);
        int cases = 0;
        for (int n = 1; n <= 16; n++)
        {
            for (int k = 1; k <= 50; k++)
            {
                foreach (int padB in new[] { 0, 3 })
                {
                    int ldb = k + padB;
                    var b = new float[(n * ldb) + 8];
                    random.FillUniform(b, -4f, 4f);
                    var transposed = new float[k * n];
                    var actual = new float[(k * 16) + 48];
                    actual.AsSpan().Fill(Sentinel);
                    fixed (float* bp = b)
                    fixed (float* ep = transposed)
                    fixed (float* ap = actual)
                    {
                        GemmEngine.Transpose(bp, 1, ldb, k, n, ep);
                        GemmEngine.TransposeBlocks16(bp, ldb, k, n, ap + 16, 16, accumulate: false, padded: true);
                    }

                    for (int p = 0; p < k; p++)
                    {
                        ShouldHaveBitsOf(actual.AsSpan(16 + (p * 16), n), transposed.AsSpan(p * n, n), "row {0} of dst (n = {1}, k = {2}, ldb = {3})", p, n, k, ldb);

                        if (n < 16 && MemoryMarshal.Cast<float, int>(actual.AsSpan(16 + (p * 16) + n, 16 - n)).ContainsAnyExcept(0))
                        {
                            actual.AsSpan(16 + (p * 16) + n, 16 - n).ToArray().Select(BitConverter.SingleToInt32Bits).Should().OnlyContain(v => v == 0, "the padding of row {0} is +0 (n = {1}, k = {2})", p, n, k);
                        }
                    }

                    ShouldAllBeSentinel(actual.AsSpan(0, 16), "nothing is written before dst (n = {0}, k = {1})", n, k);
                    ShouldAllBeSentinel(actual.AsSpan(16 + (k * 16)), "nothing is written past dst (n = {0}, k = {1})", n, k);

                    cases++;
                }
            }
        }

        cases.Should().Be(16 * 50 * 2);
    }

    [Fact]
    public unsafe void Interleave_equals_the_scalar_transpose_for_two_to_four_rows_at_every_length_and_writes_nothing_outside_dst()
    {
        // The copy TransposeTiles takes with AVX-512 for a B of 2–4 rows into a dense dst (a narrow Aᵀ·B's S → C),
        // against the scalar loop: K from 1 to 50 (whole blocks of 16 columns and every tail), B's rows padded or not,
        // stored and accumulated.
        if (!Avx512F.IsSupported)
        {
            // Without AVX-512 TransposeTiles never calls it, and its permutes throw instead of running anything.
            FluentActions.Invoking(() =>
            {
                var b = new float[2 * 16];
                var dst = new float[2 * 16];
                fixed (float* bp = b)
                fixed (float* dp = dst)
                {
                    GemmEngine.Interleave(bp, 16, 16, 2, dp, accumulate: false);
                }
            }).Should().Throw<PlatformNotSupportedException>();
            return;
        }

        CheckEveryEdge(Copy.Interleave, maxSize: 50);
    }

    [Fact]
    public unsafe void TransposeTiles_and_CopyTransposed_give_the_scalar_transpose_for_every_lane_count_on_any_host()
    {
        // The dispatch: 16 lanes take the 16×16 tiles only where AVX-512 runs, 8 (or 16 without AVX-512) the 8×8 tiles
        // only where AVX runs (CopyTransposed; TransposeTiles is only called where AVX runs), fewer the scalar loop.
        // Every choice copies exactly, so each must equal Transpose and none may throw on this host.
        var random = new RandomSource(1616UL);
        int cases = 0;
        foreach ((int n, int k) in new[] { (1, 1), (7, 9), (15, 128), (128, 15), (33, 35), (2, 37), (3, 48), (4, 21) })
        {
            var b = new float[n * k];
            random.FillUniform(b, -4f, 4f);
            var expected = new float[k * n];
            fixed (float* bp = b)
            fixed (float* ep = expected)
            {
                GemmEngine.Transpose(bp, 1, k, k, n, ep);
                foreach (int lanes in new[] { 1, 4, 8, 16 })
                {
                    var copied = new float[k * n];
                    fixed (float* cp = copied)
                    {
                        GemmEngine.CopyTransposed(bp, k, k, n, cp, lanes);
                    }

                    copied.Should().Equal(expected, "CopyTransposed with {0} lanes, {1}×{2}", lanes, n, k);
                    cases++;
                    if (!Avx.IsSupported)
                    {
                        continue;
                    }

                    var tiled = new float[k * n];
                    fixed (float* tp = tiled)
                    {
                        GemmEngine.TransposeTiles(bp, k, k, n, tp, n, accumulate: false, lanes);
                    }

                    tiled.Should().Equal(expected, "TransposeTiles with {0} lanes, {1}×{2}", lanes, n, k);
                    cases++;
                }
            }
        }

        cases.Should().Be(8 * 4 * (Avx.IsSupported ? 2 : 1));
    }

    [GuardedMemoryFact]
    public unsafe void The_tiled_transposes_and_the_interleave_read_only_B_and_write_only_dst_with_both_against_an_inaccessible_page()
    {
        if (!Avx.IsSupported)
        {
            return;
        }

        // B holds exactly (N − 1)·ldb + K floats and dst exactly (K − 1)·ldd + N, each flush against a guard page after
        // its end, then before its start: an unmasked load or store one float outside either ends the process.
        // The interleave (N = 2–4, dense dst) loads and stores whole vectors, and with accumulate loads dst too.
        var random = new RandomSource(4096UL);
        int cases = 0;
        (int N, int K, int PadB, int Pad)[] shapes = [(1, 1, 0, 0), (15, 128, 0, 1), (128, 15, 0, 0), (7, 9, 2, 3), (17, 33, 1, 0), (35, 17, 0, 2), (16, 16, 0, 0), (2, 37, 0, 0), (3, 48, 1, 0), (4, 21, 0, 0)];
        foreach (Copy copy in Avx512F.IsSupported ? new[] { Copy.Tiles8, Copy.Tiles16, Copy.Interleave } : new[] { Copy.Tiles8 })
        {
            foreach ((int n, int k, int padB, int pad) in shapes.Where(s => copy != Copy.Interleave || (s.N is >= 2 and <= 4 && s.Pad == 0)))
            {
                int ldb = k + padB;
                int ldd = n + pad;
                var b = new float[((n - 1) * ldb) + k];
                random.FillUniform(b, -4f, 4f);
                var expected = new float[k * n];
                fixed (float* bp = b)
                fixed (float* ep = expected)
                {
                    GemmEngine.Transpose(bp, 1, ldb, k, n, ep);
                }

                foreach (GuardedMemory.Placement placement in new[] { GuardedMemory.Placement.AtEnd, GuardedMemory.Placement.AtStart })
                {
                    foreach (bool accumulate in new[] { false, true })
                    {
                        using var guardedB = GuardedMemory.CopyOf(b, placement);
                        using var dst = GuardedMemory.CopyOf(new float[((k - 1) * ldd) + n], placement);
                        Run(copy, guardedB.Start, ldb, k, n, dst.Start, ldd, accumulate);

                        for (int p = 0; p < k; p++)
                        {
                            dst.Span.Slice(p * ldd, n).ToArray().Should().Equal(expected.AsSpan(p * n, n).ToArray(), "row {0} ({1}×{2}, {3})", p, n, k, copy);
                        }

                        cases++;
                    }
                }
            }
        }

        cases.Should().Be((Avx512F.IsSupported ? (2 * 10) + 3 : 10) * 2 * 2);
    }

    /// <summary>The copies <see cref="CheckEveryEdge"/> checks.</summary>
    private enum Copy
    {
        Tiles8,
        Tiles16,
        Interleave,
    }

    /// <summary>The 16×16 tiles, the 8×8 tiles or the interleave (whose dst is dense: <paramref name="ldd"/> = N).</summary>
    private static unsafe void Run(Copy copy, float* b, nint ldb, int k, int n, float* dst, nint ldd, bool accumulate)
    {
        if (copy == Copy.Interleave)
        {
            ldd.Should().Be(n);
            GemmEngine.Interleave(b, ldb, k, n, dst, accumulate);
        }
        else
        {
            TransposeBlocks(copy == Copy.Tiles16, b, ldb, k, n, dst, ldd, accumulate);
        }
    }

    /// <summary>The 16×16 or the 8×8 tiles.</summary>
    private static unsafe void TransposeBlocks(bool sixteen, float* b, nint ldb, int k, int n, float* dst, nint ldd, bool accumulate)
    {
        if (sixteen)
        {
            GemmEngine.TransposeBlocks16(b, ldb, k, n, dst, ldd, accumulate);
        }
        else
        {
            GemmEngine.TransposeBlocks8(b, ldb, k, n, dst, ldd, accumulate);
        }
    }

    /// <summary>On a host without the tiles' instructions, calling them throws instead of running anything.</summary>
    private static unsafe void ShouldNotRunHere(bool sixteen)
    {
        var one = new float[1];
        var target = new float[1];
        FluentActions.Invoking(() =>
        {
            fixed (float* bp = one)
            fixed (float* tp = target)
            {
                TransposeBlocks(sixteen, bp, 1, 1, 1, tp, 1, accumulate: false);
            }
        }).Should().Throw<PlatformNotSupportedException>();
    }

    /// <summary>Asserts that <paramref name="actual"/> holds <paramref name="expected"/>'s floats bit for bit (−0 is not +0,
    /// a NaN is its own bits). The sweeps run ~10,000 cases, so the spans are compared with a plain loop first and the
    /// assertion (with its message) is built only for spans that differ.</summary>
    private static void ShouldHaveBitsOf(ReadOnlySpan<float> actual, ReadOnlySpan<float> expected, string because, params object[] becauseArgs)
    {
        if (!MemoryMarshal.Cast<float, int>(actual).SequenceEqual(MemoryMarshal.Cast<float, int>(expected)))
        {
            actual.ToArray().Select(BitConverter.SingleToInt32Bits).Should().Equal(expected.ToArray().Select(BitConverter.SingleToInt32Bits), because, becauseArgs);
        }
    }

    /// <summary>Asserts that every float of <paramref name="span"/> is still the sentinel (nothing wrote there); as in
    /// <see cref="ShouldHaveBitsOf"/>, the assertion is built only when one is not.</summary>
    private static void ShouldAllBeSentinel(ReadOnlySpan<float> span, string because, params object[] becauseArgs)
    {
        if (span.ContainsAnyExcept(Sentinel))
        {
            span.ToArray().Should().OnlyContain(v => v == Sentinel, because, becauseArgs);
        }
    }

    /// <summary>Every N and K from 1 to <paramref name="maxSize"/> (past one or two whole tiles), B's rows padded or not,
    /// dst's rows padded or not, stored and accumulated: the tiles give the scalar loop's floats, dst + Bᵀ gives the
    /// scalar sums (the order of that addition cannot show in the bits, which commute), and nothing before, between or
    /// after dst's rows changes. <see cref="Copy.Interleave"/> takes only N = 2–4 and a dense dst.</summary>
    private static unsafe void CheckEveryEdge(Copy copy, int maxSize)
    {
        var random = new RandomSource(copy switch { Copy.Tiles16 => 16UL, Copy.Tiles8 => 8UL, _ => 3UL });
        int cases = 0;
        for (int n = 1; n <= maxSize; n++)
        {
            for (int k = 1; k <= maxSize; k++)
            {
                foreach ((int padB, int pad) in new[] { (0, 0), (3, 0), (0, 5), (3, 5) })
                {
                    if (copy == Copy.Interleave && (n is < 2 or > 4 || pad != 0))
                    {
                        continue;
                    }

                    foreach (bool accumulate in new[] { false, true })
                    {
                        // B is stored N×K with row stride K + padB; op(B) = Bᵀ is K×N, read with rsB = 1, csB = ldb, into
                        // dst rows ldd = N + pad apart (the padded rows of a narrow op(B)); the pad floats must survive.
                        int ldb = k + padB;
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
                            Run(copy, bp, ldb, k, n, ap + 16, ldd, accumulate);
                        }

                        var expected = new float[n];
                        for (int p = 0; p < k; p++)
                        {
                            for (int j = 0; j < n; j++)
                            {
                                expected[j] = accumulate ? start[(p * n) + j] + transposed[(p * n) + j] : transposed[(p * n) + j];
                            }

                            ShouldHaveBitsOf(actual.AsSpan(16 + (p * ldd), n), expected, "row {0} of dst (n = {1}, k = {2}, ldb = {3}, ldd = {4}, accumulate = {5})", p, n, k, ldb, ldd, accumulate);
                            ShouldAllBeSentinel(actual.AsSpan(16 + (p * ldd) + n, pad), "the padding after row {0} is left alone (n = {1}, k = {2})", p, n, k);
                        }

                        ShouldAllBeSentinel(actual.AsSpan(0, 16), "nothing is written before dst (n = {0}, k = {1})", n, k);
                        ShouldAllBeSentinel(actual.AsSpan(16 + (k * ldd)), "nothing is written past dst (n = {0}, k = {1})", n, k);

                        cases++;
                    }
                }
            }
        }

        cases.Should().Be(copy == Copy.Interleave ? 3 * maxSize * 2 * 2 : maxSize * maxSize * 4 * 2);
    }

    [Fact]
    public void A_narrow_transposed_A_product_gives_the_direct_paths_bits_in_both_B_forms_with_and_without_accumulate()
    {
        // Aᵀ·B and Aᵀ·Bᵀ with 2 ≤ N ≤ 16 and M ≥ 32 run as S = op(B)ᵀ·A, then C (+)= Sᵀ (GemmEngine.TransposedProduct) on
        // AVX hosts; the direct loops (forced) are the reference, bit for bit, at every width, across M, N and K tails.
        int count = 0;
        foreach (int n in new[] { 2, 3, 4, 7, 8, 9, 15, 16 })
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

        count.Should().Be(8 * 6 * 4 * 2 * GemmWidths.All().Count());
    }
}
