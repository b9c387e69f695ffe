using System.Runtime.Intrinsics.X86;
using GanCore.Kernels;
using GanCore.Tensors;
using GanCore.Tests.Testing;

namespace GanCore.Tests.Kernels;

/// <summary>Two rows of C per 512-bit vector for a C of 2–8 columns (GemmEngine.PairRows, GemmPairRows.cs): the bits of
/// the 256-bit direct loops, on any AVX-512 host (the test lets the pairs run where 512-bit vectors are split too).</summary>
public class GemmPairRowsTests
{
    [Fact]
    public void Pairs_of_rows_give_the_256_bit_direct_loops_bits_for_every_column_count_row_parity_and_K_tail()
    {
        if (!Avx512F.IsSupported || !KernelWidths.Available.Contains(VectorWidth.Bits512))
        {
            NoPairsWithoutAvx512();
            return;
        }

        int paired = 0;
        int cases = 0;
        using (GemmEngine.AllowPairRowsOnAnyHost())
        {
            foreach (bool transposeB in new[] { false, true })
            {
                foreach (int m in new[] { 16, 17, 24, 25, 33, 64, 97 })
                {
                    for (int n = 2; n <= 8; n++)
                    {
                        foreach (int k in new[] { 1, 5, 12, 16, 33, 128 })
                        {
                            int h = (m * 31) + (n * 7) + k + (transposeB ? 1 : 0);
                            var test = new GemmCase(false, transposeB, m, n, k, accumulate: (h & 1) == 1, padA: h % 3, padB: (h / 3) % 2, padC: (h / 2) % 3, seed: h);
                            test.Verify(VectorWidth.Bits256, GemmPath.Direct);
                            float[] direct = (float[])test.Result.Clone();
                            GemmEngine.TakePairRowsRuns();
                            test.Verify(VectorWidth.Bits512, GemmPath.Auto);
                            int runs = GemmEngine.TakePairRowsRuns();

                            // The pairs take every such product but those sent to dot products, at 512 bits or, by
                            // the 256-bit dispatch, at 256.
                            bool pairs = k >= GemmEngine.PairRowsMinDepth && !GemmEngine.DotPays(n, k, 16) && !GemmEngine.DotPays(n, k, 8);
                            runs.Should().Be(pairs ? 1 : 0, "{0}", test);
                            paired += runs;
                            if (runs == 1)
                            {
                                test.Result.Select(BitConverter.SingleToInt32Bits).Should().Equal(direct.Select(BitConverter.SingleToInt32Bits), "{0}: the pairs against the 256-bit direct loops", test);
                            }

                            cases++;
                        }
                    }
                }
            }
        }

        cases.Should().Be(2 * 7 * 7 * 6);
        paired.Should().BeGreaterThan(cases / 3, "many of these shapes take the pairs");
    }

    [Fact]
    public void The_pairs_read_and_write_nothing_outside_the_operands()
    {
        // Each operand flush against an inaccessible page (Linux): the pair copy's whole-vector loads, the masked K tail,
        // op(B)'s doubled rows and the 256-bit stores of each row must stay inside A, B and C.
        if (!Avx512F.IsSupported || !KernelWidths.Available.Contains(VectorWidth.Bits512) || !GuardedMemory.IsSupported)
        {
            return;
        }

        using (GemmEngine.AllowPairRowsOnAnyHost())
        {
            foreach ((bool transposeB, int m, int n, int k) in new[] { (false, 17, 8, 12), (false, 33, 7, 35), (true, 25, 6, 48), (true, 16, 8, 64), (false, 64, 3, 17) })
            {
                var test = new GemmCase(false, transposeB, m, n, k, accumulate: m % 2 == 1, padA: 0, padB: 0, padC: 0, seed: m + n + k);
                foreach (GuardedMemory.Placement placement in new[] { GuardedMemory.Placement.AtStart, GuardedMemory.Placement.AtEnd })
                {
                    GemmEngine.TakePairRowsRuns();
                    test.VerifyGuarded(VectorWidth.Bits512, GemmPath.Auto, null, placement);
                    GemmEngine.TakePairRowsRuns().Should().Be(1, "{0} takes the pairs", test);
                }
            }
        }
    }

    [Theory]
    [InlineData(Activation.Identity)]
    [InlineData(Activation.ReLU)]
    [InlineData(Activation.Sigmoid)]
    [InlineData(Activation.Tanh)]
    public void A_bias_and_activation_epilogue_gives_the_256_bit_bits_through_the_pairs(Activation activation)
    {
        // A classifier's logits (40 × 64 → 6) and a 7-column layer with an odd batch, fused bias and activation.
        if (!Avx512F.IsSupported || !KernelWidths.Available.Contains(VectorWidth.Bits512))
        {
            NoPairsWithoutAvx512();
            return;
        }

        foreach ((int m, int k, int n) in new[] { (40, 64, 6), (33, 100, 7), (64, 128, 8) })
        {
            var random = new GanCore.Randomness.RandomSource((ulong)((m * 1000) + n));
            var a = new Matrix(m, k);
            var b = new Matrix(k, n);
            random.FillUniform(a.Span, -1f, 1f);
            random.FillUniform(b.Span, -0.5f, 0.5f);
            var bias = new float[n];
            random.FillUniform(bias, -0.3f, 0.3f);
            var expected = new Matrix(m, n);
            using (KernelDispatch.Cap(VectorWidth.Bits256))
            {
                Gemm.MultiplyBiasActivation(a, b, bias, expected, activation, 0f);
            }

            var actual = new Matrix(m, n);
            using (GemmEngine.AllowPairRowsOnAnyHost())
            {
                GemmEngine.TakePairRowsRuns();
                Gemm.MultiplyBiasActivation(a, b, bias, actual, activation, 0f);
                GemmEngine.TakePairRowsRuns().Should().Be(1, "{0}×{1}×{2} takes the pairs", m, k, n);
            }

            actual.Span.ToArray().Select(BitConverter.SingleToInt32Bits).Should().Equal(expected.Span.ToArray().Select(BitConverter.SingleToInt32Bits), "{0}×{1}×{2} with {3}", m, k, n, activation);
        }
    }

    /// <summary>On a host (or a CI leg) without AVX-512 the 512-bit dispatch the pairs hang off does not exist: even with
    /// the pairs allowed on any host (which also turns their counting on), a product they would take elsewhere runs
    /// without them, and still matches the reference.</summary>
    private static void NoPairsWithoutAvx512()
    {
        var test = new GemmCase(false, false, 40, 8, 64, accumulate: false, padA: 0, padB: 0, padC: 0, seed: 4080);
        using (GemmEngine.AllowPairRowsOnAnyHost())
        {
            GemmEngine.TakePairRowsRuns();
            test.Verify(KernelWidths.Available.Max(), GemmPath.Auto);
            GemmEngine.TakePairRowsRuns().Should().Be(0, "{0} has no 512-bit dispatch here", test);
        }
    }
}
