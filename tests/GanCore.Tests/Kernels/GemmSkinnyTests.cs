using System.Runtime.InteropServices;
using GanCore.Kernels;
using GanCore.Layers;
using GanCore.Randomness;
using GanCore.Tensors;
using GanCore.Tools;

namespace GanCore.Tests.Kernels;

/// <summary>
/// The streaming path for skinny products, the per-row summation order of the N = 1 dot path, the host-derived
/// blocking, the missing-kernel guard and the generated micro-kernels.
/// </summary>
public class GemmSkinnyTests
{
    private static readonly (bool TransposeA, bool TransposeB)[] Forms = [(false, false), (true, false), (false, true), (true, true)];

    /// <summary>A blocking small enough that modest shapes cross every KC, MC, NC and strip boundary at every width,
    /// and a parallel threshold low enough that two threads really split them.</summary>
    internal static GemmBlocking Tiny => new(KC: 32, MC: 48, NC: 96, ParallelThreshold: 4096, StreamBytes: 4096, StreamChunk: 8, DirectBytes: 0);

    [Fact]
    public void The_streaming_path_matches_the_reference_and_the_direct_path_bitwise_at_every_tail()
    {
        // Small side 1..17 (17 is past MaxRows and falls back), long side across the 4-vector groups and the strips of a
        // 4 KB accumulator block (64 floats per strip at 16 rows), K from 1 to past one vector.
        int[] smalls = [1, 2, 3, 5, 8, 15, 16, 17];
        int[] longs = [1, 15, 16, 17, 63, 64, 65, 129, 200];
        int[] ks = [1, 7, 33];
        VectorWidth[] widths = GemmWidths.All().ToArray();
        int count = 0;
        foreach (int small in smalls)
        {
            foreach (int wide in longs)
            {
                foreach (int k in ks)
                {
                    foreach ((bool ta, bool tb) in Forms)
                    {
                        foreach (bool smallM in new[] { true, false })
                        {
                            (int m, int n) = smallM ? (small, wide) : (wide, small);
                            int h = (small * 131) + (wide * 7) + k + (ta ? 1 : 0) + (tb ? 2 : 0);
                            bool accumulate = (h & 1) == 1;
                            var test = new GemmCase(ta, tb, m, n, k, accumulate, padA: h % 2, padB: (h / 2) % 3, padC: (h / 3) % 2, seed: h);
                            VectorWidth width = widths[count++ % widths.Length];
                            test.Verify(width, GemmPath.Direct, Tiny);
                            float[] direct = (float[])test.Result.Clone();

                            // Tiny prefetches every Y (StreamPrefetchBytes 0); every other case walks it without.
                            bool prefetch = (h / 5) % 2 == 0;
                            test.Verify(width, GemmPath.Stream, prefetch ? Tiny : Tiny with { StreamPrefetchBytes = long.MaxValue });
                            test.Result.Should().Equal(direct, "{0} at {1}, prefetch {2}: the streaming path runs the direct path's FMA chain", test, width, prefetch);
                        }
                    }
                }
            }
        }
    }

    [Fact]
    public void Few_row_products_of_streaming_size_take_the_direct_loops_where_512_bit_vectors_are_split()
    {
        // A·B and Aᵀ·B with at most 16 rows and M·N·K ≥ 128³ stream op(B) by its rows, except with 512-bit vectors on a
        // core that runs them as two halves, or with 256-bit ones, and an op(B) within the bound of a C of few row blocks
        // (GemmBlocking.FewRowsBBytes: the L3 share at 512 bits, L2 at 256), where Auto takes the direct loops
        // (GemmEngine.DirectBeatsStreamRows; 2×4096×2048, op(B) 32 MB, is past the bound on any host: at most four times
        // L2; 16×128×1024 and 13×257×700, 512 and 703 KB, are within L2 on any host this project has met). Both
        // run the same FMA chains, so Auto's bits are the forced streaming route's either way, whole vectors and a tail
        // (of 8 and 12 columns: an A·B's tail of 1–3 would be dot products, GemmEngine.DotTail), overwrite and accumulate; the counter shows which route Auto took (CI's leg-other512 runs this with the other
        // kind of core forced).
        var rng = new Random(60);
        int shapes = 0;
        int directRuns = 0;
        foreach ((bool ta, int m, int k, int n) in new[] { (false, 16, 128, 1024), (false, 2, 1024, 1024), (true, 5, 1024, 512), (false, 7, 600, 520), (true, 13, 257, 700), (false, 2, 4096, 2048) })
        {
            float[] a = [.. Enumerable.Range(0, m * k).Select(_ => (float)((rng.NextDouble() * 2) - 1))];
            float[] b = [.. Enumerable.Range(0, k * n).Select(_ => (float)((rng.NextDouble() * 2) - 1))];
            float[] c0 = [.. Enumerable.Range(0, m * n).Select(_ => (float)((rng.NextDouble() * 2) - 1))];
            foreach (VectorWidth w in GemmWidths.All().Where(w => w is VectorWidth.Bits256 or VectorWidth.Bits512))
            {
                foreach (bool accumulate in new[] { false, true })
                {
                    float[] Run(GemmPath path)
                    {
                        float[] c = (float[])c0.Clone();
                        using (KernelDispatch.Cap(w))
                        using (GemmEngine.ForcePath(path))
                        {
                            Gemm.Compute(ta, false, m, n, k, a, ta ? m : k, b, n, c, n, accumulate);
                        }

                        return c;
                    }

                    _ = GemmEngine.TakeStreamRowsDirectRuns();
                    float[] auto = Run(GemmPath.Auto);
                    int direct = GemmEngine.TakeStreamRowsDirectRuns();
                    bool withinBound = sizeof(float) * (long)k * n <= GemmEngine.BlockingFor(w).FewRowsBBytes;
                    bool takesDirect = (w == VectorWidth.Bits512 && HostVectorUnits.SplitsVector512) || w == VectorWidth.Bits256;
                    direct.Should().Be(takesDirect && withinBound ? 1 : 0, $"{(ta ? "Aᵀ·B" : "A·B")} {m}×{k}×{n} at {w}");
                    directRuns += direct;
                    auto.Select(BitConverter.SingleToInt32Bits).Should().Equal(Run(GemmPath.Stream).Select(BitConverter.SingleToInt32Bits), $"{m}×{k}×{n} at {w}, accumulate={accumulate}");
                    shapes++;
                }
            }
        }

        shapes.Should().Be(6 * 2 * GemmWidths.All().Count(w => w is VectorWidth.Bits256 or VectorWidth.Bits512));
        if ((GemmWidths.All().Contains(VectorWidth.Bits512) && HostVectorUnits.SplitsVector512) || GemmWidths.All().Contains(VectorWidth.Bits256))
        {
            directRuns.Should().BeGreaterThan(0, "a split core, and 256-bit vectors, take the direct loops within the bound");
        }
    }

    [Fact]
    public void Streaming_products_run_at_256_bits_where_the_CPU_has_AVX_but_not_AVX2()
    {
        // At the 128-bit dispatch of such a CPU (CI's leg with AVX2 off) the streaming routes run SimdAvx's 256-bit
        // kernels, as the packed and direct routes do: by rows (A·B and Aᵀ·B with at most 16 rows), by columns (Aᵀ·B with
        // at most 16 columns) and the weight gradient with its bias sums. The counter sees each of them there and none
        // anywhere else. Both widths multiply and add without FMA on such a CPU, so Auto's bits are the forced direct
        // loops' (the streaming chunks run their chains) at every width.
        if (!GemmWidths.All().Contains(VectorWidth.Bits128))
        {
            return;
        }

        var rng = new Random(61);
        int expected = SimdAvx.IsHost ? 1 : 0;
        foreach ((bool ta, int m, int k, int n) in new[] { (false, 16, 784, 256), (true, 5, 2048, 300), (true, 600, 512, 15), (false, 3, 1000, 1000) })
        {
            float[] a = [.. Enumerable.Range(0, m * k).Select(_ => (float)((rng.NextDouble() * 2) - 1))];
            float[] b = [.. Enumerable.Range(0, k * n).Select(_ => (float)((rng.NextDouble() * 2) - 1))];
            float[] Run(GemmPath path)
            {
                float[] c = new float[m * n];
                using (KernelDispatch.Cap(VectorWidth.Bits128))
                using (GemmEngine.ForcePath(path))
                {
                    Gemm.Compute(ta, false, m, n, k, a, ta ? m : k, b, n, c, n, accumulate: false);
                }

                return c;
            }

            string shape = $"{(ta ? "Aᵀ·B" : "A·B")} {m}×{k}×{n}";
            _ = GemmEngine.TakeStreamAvxRuns();
            float[] auto = Run(GemmPath.Auto);
            GemmEngine.TakeStreamAvxRuns().Should().Be(expected, "{0} streams at 128 bits", shape);
            float[] direct = Run(GemmPath.Direct);
            GemmEngine.TakeStreamAvxRuns().Should().Be(0, "{0} forced direct does not stream", shape);
            auto.Select(BitConverter.SingleToInt32Bits).Should().Equal(direct.Select(BitConverter.SingleToInt32Bits), shape);
        }

        // dW += Xᵀ·dY, db += Σ dY for a layer of 5 inputs and 700 outputs over 1,000 examples: one pass over dY.
        var x = new Matrix(1000, 5);
        var dy = new Matrix(1000, 700);
        var random = new RandomSource(61);
        random.FillUniform(x.Span, -1f, 1f);
        random.FillUniform(dy.Span, -1f, 1f);
        (float[] W, float[] B) Gradients(GemmPath path)
        {
            var dw = new Matrix(5, 700);
            var db = new float[700];
            using (KernelDispatch.Cap(VectorWidth.Bits128))
            using (GemmEngine.ForcePath(path))
            {
                Gemm.WeightAndBiasGradients(x, dy, dw, db);
            }

            return (dw.Span.ToArray(), db);
        }

        _ = GemmEngine.TakeStreamAvxRuns();
        (float[] fusedW, float[] fusedB) = Gradients(GemmPath.Auto);
        GemmEngine.TakeStreamAvxRuns().Should().Be(expected, "the weight gradient with its bias sums streams at 128 bits");
        (float[] apartW, float[] apartB) = Gradients(GemmPath.Direct);
        fusedW.Select(BitConverter.SingleToInt32Bits).Should().Equal(apartW.Select(BitConverter.SingleToInt32Bits), "dW");
        fusedB.Select(BitConverter.SingleToInt32Bits).Should().Equal(apartB.Select(BitConverter.SingleToInt32Bits), "db");
    }

    [Fact]
    public void The_streaming_routes_prefetch_a_large_operand_from_the_derived_bound_on_with_the_same_bits()
    {
        // GemmBlocking.StreamPrefetchBytes: the streaming routes prefetch Y (op(B) by rows of C, A for the columns of an
        // Aᵀ·B, dY for a weight gradient with its bias sums) when the memory its rows span reaches the bound. Here the
        // bound is set at that span and one float past it, so a small Y crosses it; the host's bound (half of L3) leaves
        // a small Y alone. Each case is bitwise the direct path's either way: a prefetch only moves data.
        foreach (VectorWidth width in GemmWidths.All())
        {
            GemmBlocking host = GemmEngine.BlockingFor(width) with { ParallelThreshold = long.MaxValue };
            foreach ((bool ta, int m, int k, int n, int padB) in new[] { (false, 5, 300, 200, 3), (true, 700, 64, 15, 0), (false, 16, 129, 95, 0) })
            {
                var test = new GemmCase(ta, false, m, n, k, accumulate: false, padA: 1, padB: padB, padC: 0, seed: m + k + n);
                test.Verify(width, GemmPath.Direct);
                float[] direct = (float[])test.Result.Clone();

                // Y's span: op(B)'s K rows of Ldb floats by rows of C (A·B), A's K rows of Lda floats by columns (Aᵀ·B).
                long y = sizeof(float) * (long)k * (ta ? test.Lda : test.Ldb);
                foreach ((long bound, int expected) in new[] { (y, 1), (y + sizeof(float), 0), (host.StreamPrefetchBytes, y >= host.StreamPrefetchBytes ? 1 : 0) })
                {
                    _ = GemmEngine.TakeStreamPrefetches();
                    test.Verify(width, GemmPath.Stream, host with { StreamPrefetchBytes = bound });
                    int blocks = GemmEngine.TakeStreamPrefetches();
                    (blocks > 0 ? 1 : 0).Should().Be(expected, "{0} at {1}: Y spans {2} bytes, the bound is {3}", test, width, y, bound);
                    test.Result.Should().Equal(direct, "{0} at {1} with the bound at {2}", test, width, bound);
                }
            }

            // dW += Xᵀ·dY, db += Σ dY in one pass over dY (1,000 × 700 floats).
            var x = new Matrix(1000, 5);
            var dy = new Matrix(1000, 700);
            var random = new RandomSource(62);
            random.FillUniform(x.Span, -1f, 1f);
            random.FillUniform(dy.Span, -1f, 1f);
            (float[] W, float[] B) Gradients(GemmPath path, long bound)
            {
                var dw = new Matrix(5, 700);
                var db = new float[700];
                using (KernelDispatch.Cap(width))
                using (GemmEngine.ForcePath(path))
                using (GemmEngine.ForceBlocking(host with { StreamPrefetchBytes = bound }))
                {
                    Gemm.WeightAndBiasGradients(x, dy, dw, db);
                }

                return (dw.Span.ToArray(), db);
            }

            (float[] apartW, float[] apartB) = Gradients(GemmPath.Direct, long.MaxValue);
            _ = GemmEngine.TakeStreamPrefetches();
            (float[] fusedW, float[] fusedB) = Gradients(GemmPath.Stream, sizeof(float) * 1000L * 700);
            GemmEngine.TakeStreamPrefetches().Should().BeGreaterThan(0, "dY at the bound is prefetched at {0}", width);
            fusedW.Should().Equal(apartW, "dW at {0}", width);
            fusedB.Should().Equal(apartB, "db at {0}", width);
        }
    }

    [Theory]
    [InlineData(Activation.Identity)]
    [InlineData(Activation.ReLU)]
    [InlineData(Activation.Tanh)]
    public void The_fused_bias_activation_gives_the_same_bits_on_the_streaming_and_direct_paths(Activation activation)
    {
        // A dense forward with a small batch (M ≤ 16) and a wide layer takes the streaming route; its epilogue adds the
        // bias of the right column in every strip.
        var rng = new Random(11);
        foreach ((int m, int k, int n) in new[] { (5, 300, 200), (16, 33, 129), (1, 64, 65) })
        {
            Matrix a = Matrix.FromRows(m, k, Enumerable.Range(0, m * k).Select(_ => (float)((rng.NextDouble() * 2) - 1)).ToArray());
            Matrix b = Matrix.FromRows(k, n, Enumerable.Range(0, k * n).Select(_ => (float)((rng.NextDouble() * 2) - 1)).ToArray());
            float[] bias = Enumerable.Range(0, n).Select(_ => (float)((rng.NextDouble() * 2) - 1)).ToArray();
            foreach (VectorWidth w in GemmWidths.All())
            {
                var direct = new Matrix(m, n);
                var stream = new Matrix(m, n);
                using (KernelDispatch.Cap(w))
                using (GemmEngine.ForceBlocking(Tiny))
                {
                    using (GemmEngine.ForcePath(GemmPath.Direct))
                    {
                        Gemm.MultiplyBiasActivation(a, b, bias, direct, activation);
                    }

                    using (GemmEngine.ForcePath(GemmPath.Stream))
                    {
                        Gemm.MultiplyBiasActivation(a, b, bias, stream, activation);
                    }
                }

                stream.Span.ToArray().Should().Equal(direct.Span.ToArray(), "{0}×{1}×{2} {3} at {4}", m, k, n, activation, w);
                float expected0 = bias[n - 1];
                for (int p = 0; p < k; p++)
                {
                    expected0 += a[m - 1, p] * b[p, n - 1];
                }

                float want = activation switch { Activation.ReLU => Math.Max(0f, expected0), Activation.Tanh => MathF.Tanh(expected0), _ => expected0 };
                stream[m - 1, n - 1].Should().BeApproximately(want, 1e-3f, "the last element carries the last column's bias");
            }
        }
    }

    [Fact]
    public void A_single_row_product_matches_the_reference_at_every_column_count()
    {
        // M = 1 runs up to eight vectors per kernel (K1x4 … K1x8): every N up to 8 vectors plus a tail, at every width,
        // and the Aᵀ·b form that the engine turns into a single row.
        foreach (VectorWidth w in GemmWidths.All())
        {
            for (int n = 1; n <= 140; n++)
            {
                var row = new GemmCase(false, false, 1, n, 19, accumulate: (n & 1) == 1, padA: 0, padB: n % 2, padC: 0, seed: n);
                row.Verify(w, GemmPath.Direct);
                var column = new GemmCase(true, false, n, 1, 19, accumulate: (n & 2) == 2, padA: n % 3, padB: 0, padC: 0, seed: n + 1000);
                column.Verify(w, GemmPath.Auto);
            }
        }
    }

    [Fact]
    public void A_two_row_product_matches_the_reference_at_every_column_count()
    {
        // M = 2 runs up to four vectors per kernel (K2x4): every N up to 8 vectors plus a tail, at every width, as A·B
        // and as Aᵀ·B (the weight gradient of a layer with two inputs).
        foreach (VectorWidth w in GemmWidths.All())
        {
            for (int n = 1; n <= 140; n++)
            {
                var product = new GemmCase(false, false, 2, n, 21, accumulate: (n & 1) == 1, padA: n % 2, padB: n % 3, padC: 0, seed: n);
                product.Verify(w, GemmPath.Direct);
                var gradient = new GemmCase(true, false, 2, n, 37, accumulate: (n & 2) == 2, padA: 0, padB: 0, padC: n % 2, seed: n + 2000);
                gradient.Verify(w, GemmPath.Auto);
            }
        }

        // The bits: each element is one FMA chain over k whichever kernel computes it, so the two rows equal the first two
        // rows of the same product with a third row (three rows: the 3×3 / 3×2 / 3×1 kernels), in both forms.
        var random = new RandomSource(22UL);
        foreach (VectorWidth w in GemmWidths.All())
        {
            foreach (int n in new[] { 7, 16, 33, 64, 100, 128 })
            {
                const int K = 29;
                var b = new float[K * n];
                random.FillUniform(b, -1f, 1f);
                var a3 = new float[3 * K];
                random.FillUniform(a3, -1f, 1f);
                var aT3 = new float[K * 3]; // the same A stored transposed (K×3), and its first two columns as K×2
                var aT2 = new float[K * 2];
                for (int p = 0; p < K; p++)
                {
                    for (int r = 0; r < 3; r++)
                    {
                        aT3[(p * 3) + r] = a3[(r * K) + p];
                    }

                    aT2[p * 2] = a3[p];
                    aT2[(p * 2) + 1] = a3[K + p];
                }

                using (KernelDispatch.Cap(w))
                {
                    foreach (bool ta in new[] { false, true })
                    {
                        var c2 = new float[2 * n];
                        var c3 = new float[3 * n];
                        Gemm.Compute(ta, false, 2, n, K, ta ? aT2 : a3.AsSpan(0, 2 * K).ToArray(), ta ? 2 : K, b, n, c2, n);
                        Gemm.Compute(ta, false, 3, n, K, ta ? aT3 : a3, ta ? 3 : K, b, n, c3, n);
                        c2.Select(BitConverter.SingleToInt32Bits).Should().Equal(c3.Take(2 * n).Select(BitConverter.SingleToInt32Bits), "M = 2 against the first two rows of M = 3, N = {0}, transposeA = {1}, {2}", n, ta, w);
                    }
                }
            }
        }
    }

    [Theory]
    [InlineData(1024, 5, 2048)]
    [InlineData(1024, 2048, 15)]
    [InlineData(1024, 15, 2048)]
    [InlineData(1024, 2048, 1)]
    public void The_wide_GAN_shapes_match_the_reference_in_every_form(int m, int k, int n)
    {
        // The h = 2048, batch 1024 GAN's products and their transposed forms, on the host's own blocking.
        foreach ((bool ta, bool tb) in Forms)
        {
            var test = new GemmCase(ta, tb, m, n, k, accumulate: ta, padA: 1, padB: 0, padC: 1, seed: m + n + k);
            test.Verify(KernelDispatch.HardwareWidth, GemmPath.Auto);
            var transposedShape = new GemmCase(ta, tb, n, m, k, accumulate: false, padA: 0, padB: 1, padC: 0, seed: m + k);
            transposedShape.Verify(KernelDispatch.HardwareWidth, GemmPath.Auto);
        }
    }

    [Fact]
    public void A_small_forced_blocking_crosses_every_block_boundary_in_every_form_width_and_path()
    {
        // MR = 8 or 4, NR = 48 / 16 / 8 / 2, KC = 32, MC = 48, NC = 96: one past and one short of each.
        int[][] shapes =
        [
            [47, 95, 31], [48, 96, 32], [49, 97, 33], [97, 191, 65], [9, 49, 64], [7, 47, 96], [100, 17, 40], [3, 200, 97],
        ];
        foreach (int[] s in shapes)
        {
            foreach ((bool ta, bool tb) in Forms)
            {
                int h = (s[0] * 1000) + (s[1] * 10) + s[2] + (ta ? 1 : 0);
                var test = new GemmCase(ta, tb, s[0], s[1], s[2], accumulate: (h & 1) == 1, padA: h % 2, padB: (h / 2) % 3, padC: (h / 3) % 2, seed: h);
                foreach (VectorWidth w in GemmWidths.All())
                {
                    foreach (GemmPath path in new[] { GemmPath.Auto, GemmPath.Direct, GemmPath.Packed, GemmPath.Stream })
                    {
                        test.Verify(w, path, Tiny);
                    }
                }
            }
        }
    }

    [Theory]
    [InlineData(128)]
    [InlineData(15)]
    [InlineData(33)]
    [InlineData(2048)]
    public void A_dot_product_row_does_not_depend_on_its_position_or_the_batch_size(int k)
    {
        // N = 1 (a discriminator's logit): row i of a 61-row batch equals row i of the 64-row batch, bitwise, at every
        // width. 61 = 7·8 + 5 leaves five rows outside the 8-row blocks; the 64-row batch has none.
        var rng = new Random(k);
        float[] a = Enumerable.Range(0, 64 * k).Select(_ => (float)((rng.NextDouble() * 2) - 1)).ToArray();
        float[] b = Enumerable.Range(0, k).Select(_ => (float)((rng.NextDouble() * 2) - 1)).ToArray();
        foreach (VectorWidth w in GemmWidths.All())
        {
            using (KernelDispatch.Cap(w))
            {
                var full = new float[64];
                var part = new float[61];
                var shifted = new float[61];
                Gemm.Compute(false, false, 64, 1, k, a, k, b, 1, full, 1);
                Gemm.Compute(false, false, 61, 1, k, a, k, b, 1, part, 1);
                Gemm.Compute(false, false, 61, 1, k, a.AsSpan(3 * k).ToArray(), k, b, 1, shifted, 1); // rows 3..63 at 0..60
                part.Should().Equal(full[..61], "width {0}", w);
                shifted.Should().Equal(full[3..], "width {0}: a row moved by three positions", w);
            }
        }
    }

    [Fact]
    public void A_Dense_128_to_1_logit_does_not_depend_on_its_row_or_the_batch_size()
    {
        var random = new RandomSource(7);
        var layer = new Dense(128, 1, random);
        var rng = new Random(5);
        float[] x = Enumerable.Range(0, 64 * 128).Select(_ => (float)((rng.NextDouble() * 2) - 1)).ToArray();
        foreach (VectorWidth w in GemmWidths.All())
        {
            using (KernelDispatch.Cap(w))
            {
                float[] full = Column(layer.Forward(Matrix.FromRows(64, 128, x)));
                float[] part = Column(layer.Forward(Matrix.FromRows(61, 128, x.AsSpan(0, 61 * 128))));
                float[] tail = Column(layer.Forward(Matrix.FromRows(61, 128, x.AsSpan(3 * 128))));
                part.Should().Equal(full[..61], "width {0}", w);
                tail.Should().Equal(full[3..], "width {0}", w);
            }
        }
    }

    [Fact]
    public unsafe void A_kernel_shape_without_a_kernel_throws_a_typed_exception_naming_it()
    {
        float[] buffer = new float[64];
        Action call = () =>
        {
            fixed (float* p = buffer)
            {
                GemmMicroKernels.Call<SimdScalar, float, FullColumns, OverwriteEpilogue>(12, 3, 1, 1, p, 1, 1, p, 1, p + 32, 1, 0, 0, default);
            }
        };
        call.Should().Throw<GemmKernelMissingException>().Where(e => e.Rows == 12 && e.Vectors == 3 && e.Message.Contains("12 row(s) × 3 vector(s)", StringComparison.Ordinal));
    }

    [Fact]
    public unsafe void A_row_tail_kernel_asked_for_several_row_blocks_throws_instead_of_computing_one()
    {
        float[] buffer = new float[256];
        Action call = () =>
        {
            fixed (float* p = buffer)
            {
                GemmMicroKernels.Call<SimdScalar, float, FullColumns, OverwriteEpilogue>(7, 2, 3, 1, p, 1, 1, p, 1, p + 128, 2, 0, 0, default);
            }
        };
        call.Should().Throw<GemmKernelMissingException>().Where(e => e.Rows == 7 && e.Vectors == 2 && e.Message.Contains("3 blocks", StringComparison.Ordinal));
    }

    [Fact]
    public void Every_kernel_the_generator_lists_is_reachable_through_Call()
    {
        int most = GemmKernelSource.Shapes.Max(x => x.Rows);
        float[] a = Enumerable.Range(0, most * 3).Select(i => (float)i).ToArray();
        float[] b = Enumerable.Range(0, 3 * 48).Select(i => 1f / (i + 1)).ToArray();
        foreach ((int rows, int vectors) in GemmKernelSource.Shapes)
        {
            var c = new float[most * 48];
            Run(rows, vectors, a, b, c);
            for (int r = 0; r < rows; r++)
            {
                for (int j = 0; j < 48; j++)
                {
                    double expected = 0;
                    for (int p = 0; p < 3; p++)
                    {
                        expected += a[(r * 3) + p] * (double)b[(p * 48) + j];
                    }

                    float want = j < vectors ? (float)expected : 0f; // columns past NV are left alone
                    c[(r * 48) + j].Should().BeApproximately(want, 1e-4f, "K{0}x{1} at ({2}, {3})", rows, vectors, r, j);
                }
            }
        }
    }

    [Fact]
    public void The_checked_in_micro_kernels_are_the_generators_output()
    {
        string path = Path.Combine(RepositoryRoot(), GemmKernelSource.RelativePath);
        string onDisk = File.ReadAllText(path).ReplaceLineEndings("\n");
        onDisk.Should().Be(GemmKernelSource.Generate(), "run `dotnet run --project tools/GemmKernelGen` after changing the generator");
    }

    [Fact]
    public void Cache_sizes_come_from_CPUID_first_then_sysfs_then_the_fallback()
    {
        // CPUID first: sysfs's first reads cost milliseconds inside the GAN's first step (docs/kernels.md).
        // CPUID describes the core the thread runs on: on a hybrid CPU (P- and E-cores with different caches) the thread
        // may move between two reads, so Detect must agree with a read just before it or one just after.
        GemmCacheInfo? cpuid = GemmCacheInfo.FromCpuId();
        GemmCacheInfo? sysfs = GemmCacheInfo.FromSysfs("/sys/devices/system/cpu/cpu0/cache");
        GemmCacheInfo expected = cpuid ?? sysfs ?? GemmCacheInfo.Fallback;
        GemmCacheInfo detected = GemmCacheInfo.Detect();
        GemmCacheInfo expectedAfter = GemmCacheInfo.FromCpuId() ?? sysfs ?? GemmCacheInfo.Fallback;
        detected.Should().BeOneOf(expected, expectedAfter);
        if (System.Runtime.Intrinsics.X86.X86Base.IsSupported && cpuid is not null)
        {
            // The legacy leaves are AMD's, read only where leaf 0x8000001D left nothing.
            bool amd = GemmCacheInfo.X86Vendor().Amd;
            GemmCacheInfo.Detect().Source.Should().BeOneOf(amd ? ["cpuid", "cpuid-legacy"] : ["cpuid"]);
        }
    }

    [Fact]
    public void AMD_legacy_cache_leaves_decode_to_L1d_L2_and_L3()
    {
        // The registers an AMD EPYC family 26 (Zen 5) guest returned, whose leaf 0x8000001D was empty:
        // L1d 48 KB 12-way, L2 1 MB with code 6 (8-way), L3 1016 × 512 KB with its ways left to leaf 0x8000001D.
        GemmCacheInfo? zen5 = GemmCacheInfo.FromAmdLegacyLeaves(0x300C0140, 0x04006140, 0x0FE09140);
        zen5.Should().Be(new GemmCacheInfo(48 * 1024, 12, 1024 * 1024, 8, 1016L * 512 * 1024, "cpuid-legacy"));

        // 32 KB 8-way, 512 KB with code 8 (16-way), no L3.
        GemmCacheInfo.FromAmdLegacyLeaves(0x20080140, 0x02008140, 0).Should()
            .Be(new GemmCacheInfo(32 * 1024, 8, 512 * 1024, 16, 0, "cpuid-legacy"));

        // Fully associative L1d and an L2 code of 9 ("see 0x8000001D") leave the ways to the fallback's.
        GemmCacheInfo? open = GemmCacheInfo.FromAmdLegacyLeaves(0x40FF0140, 0x08009140, 0);
        open.Should().Be(new GemmCacheInfo(64 * 1024, GemmCacheInfo.Fallback.L1Ways, 2048 * 1024, GemmCacheInfo.Fallback.L2Ways, 0, "cpuid-legacy"));

        // A leaf that reads as zero (a hypervisor that hides it) gives nothing, and detection moves on.
        GemmCacheInfo.FromAmdLegacyLeaves(0, 0x04006140, 0).Should().BeNull();
        GemmCacheInfo.FromAmdLegacyLeaves(0x300C0140, 0, 0).Should().BeNull();
    }

    [Fact]
    public void Cache_sizes_are_read_from_sysfs_and_fall_back_when_absent()
    {
        string dir = Path.Combine(Path.GetTempPath(), "gancore-cache-" + Guid.NewGuid().ToString("N"));
        try
        {
            WriteCache(dir, 0, 1, "Data", "48K", 12);
            WriteCache(dir, 1, 1, "Instruction", "32K", 8);
            WriteCache(dir, 2, 2, "Unified", "2048K", 16);
            WriteCache(dir, 3, 3, "Unified", "266240K", 20);
            GemmCacheInfo? info = GemmCacheInfo.FromSysfs(dir);
            info.Should().Be(new GemmCacheInfo(48 * 1024, 12, 2048 * 1024, 16, 266240L * 1024, "sysfs"));
            GemmCacheInfo.FromSysfs(Path.Combine(dir, "missing")).Should().BeNull();
            GemmCacheInfo.ParseSize("1M").Should().Be(1024 * 1024);
            GemmCacheInfo.ParseSize("512").Should().Be(512);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Theory]
    [InlineData(48 * 1024, 12, 2048 * 1024, 16, 266240L * 1024)] // Intel Xeon family 6 model 207
    [InlineData(32 * 1024, 8, 1024 * 1024, 16, 32L * 1024 * 1024)] // AMD Zen 5 as its sysfs reports it
    [InlineData(48 * 1024, 12, 1024 * 1024, 8, 1016L * 512 * 1024)] // AMD EPYC family 26 model 2 (Zen 5) from CPUID 0x80000005/6
    [InlineData(32 * 1024, 8, 256 * 1024, 4, 0L)] // the fallback: no L3
    public void The_derived_blocking_fits_the_caches_it_was_derived_from(int l1, int l1Ways, int l2, int l2Ways, long l3)
    {
        var cache = new GemmCacheInfo(l1, l1Ways, l2, l2Ways, l3, "test");
        foreach ((int mr, int nr) in new[] { (8, 48), (6, 16), (4, 16), (4, 8), (4, 2) })
        {
            GemmBlocking b = GemmBlocking.Derive(cache, mr, nr);
            (b.KC % 8).Should().Be(0);
            (b.MC % mr).Should().Be(0);
            (b.NC % nr).Should().Be(0);
            if (GemmBlocking.KeepsASliverInL1(mr))
            {
                ((long)mr * b.KC * sizeof(float)).Should().BeLessThanOrEqualTo(l1 / 4, "an A sliver fits in a quarter of L1d");
                ((long)b.KC * b.NC * sizeof(float)).Should().BeLessThanOrEqualTo(Math.Max(l2 / 2, (long)b.KC * nr * sizeof(float)), "a B block fits in half of L2 (or is one sliver)");
                ((long)b.MC * b.KC * sizeof(float)).Should().BeLessThanOrEqualTo(l3 > 0 ? l3 / 4 : l2 / 2, "an A panel fits in a quarter of L3, or half of L2 without one");
                b.NC.Should().BeGreaterThanOrEqualTo(nr);
            }
            else
            {
                ((long)b.KC * nr * sizeof(float)).Should().BeLessThanOrEqualTo(l1, "a B sliver fits in L1d");
                ((long)b.MC * b.KC * sizeof(float)).Should().BeLessThanOrEqualTo(l2 / 2, "an A block fits in half of L2");
            }

            // A C of few row blocks reads op(B) in place up to the L3 share (8-row kernels) or, where a tile's row of op(B)
            // fills a 64-byte line, all of L2.
            b.FewRowsBBytes.Should().Be(GemmBlocking.KeepsASliverInL1(mr) ? b.FewTilesBBytes : nr >= 16 ? l2 : 0, "op(B)'s bound for a few row blocks of {0} × {1} tiles", mr, nr);

            // The streaming routes prefetch a large operand that does not stay in L3: half of it, at most 16 times L2, or
            // all of L2 without one.
            b.StreamPrefetchBytes.Should().Be(l3 > 0 ? Math.Min(l3 / 2, 16L * l2) : l2, "the streaming routes' prefetch bound");
            b.ParallelThreshold.Should().BeGreaterThan(0);
            b.StreamBytes.Should().Be(Math.Max(l2 / 16, l1 / 2));
            ((long)b.StreamChunk * nr * sizeof(float)).Should().BeLessThanOrEqualTo(Math.Max(l1 / 8, 8 * nr * sizeof(float)), "a chunk's rows across one tile fit in an eighth of L1d");
            b.StreamChunk.Should().BeInRange(8, 256);
        }

        GemmBlocking.Derive(cache, 8, 48).Should().Be(GemmBlocking.Derive(cache, 8, 48), "the derivation is a pure function of the caches");
    }

    [Theory]
    [InlineData(48 * 1024, 12, 2048 * 1024, 16, 266240L * 1024, 63, 64)] // Intel Xeon family 6 model 207
    [InlineData(32 * 1024, 8, 1024 * 1024, 16, 32L * 1024 * 1024, 52, 53)] // AMD Zen 4 and 5
    [InlineData(32 * 1024, 8, 256 * 1024, 4, 0L, 52, 53)] // the fallback
    public void The_parallel_threshold_is_the_cube_whose_operands_fill_L1d(int l1, int l1Ways, int l2, int l2Ways, long l3, int lastSingle, int firstSplit)
    {
        var cache = new GemmCacheInfo(l1, l1Ways, l2, l2Ways, l3, "test");
        GemmBlocking b = GemmBlocking.Derive(cache, 8, 48);
        double side = Math.Cbrt(b.ParallelThreshold);
        (3 * side * side * sizeof(float)).Should().BeApproximately(l1, l1 * 1e-3, "A, B and C of the threshold cube fill L1d");
        ((long)lastSingle * lastSingle * lastSingle).Should().BeLessThan(b.ParallelThreshold);
        ((long)firstSplit * firstSplit * firstSplit).Should().BeGreaterThanOrEqualTo(b.ParallelThreshold);
        GemmBlocking.Derive(cache, 4, 16).ParallelThreshold.Should().Be(b.ParallelThreshold, "the threshold depends on the caches, not on the vector width");
        GemmBlocking.Derive(cache with { L2Bytes = 4 * l2 }, 8, 48).ParallelThreshold.Should().Be(b.ParallelThreshold, "nor on L2");
    }

    [Theory]
    [InlineData(142_693L, 142_693L, 2)] // at the threshold: two blocks of half of it each
    [InlineData(142_692L, 142_693L, 1)]
    [InlineData(214_040L, 142_693L, 3)] // 1.5 thresholds: three
    [InlineData(1_426_930L, 142_693L, 20)]
    [InlineData(1L << 40, 1L, int.MaxValue)] // a forced threshold of 1: no cap
    [InlineData(0L, 142_693L, 1)]
    public void A_product_is_split_into_blocks_of_at_least_half_the_threshold(long volume, long threshold, int most)
    {
        GemmEngine.MostShares(volume, threshold).Should().Be(most);
    }

    [Fact]
    public void The_parallel_threshold_is_the_truncated_cube_exactly()
    {
        // Derive truncates s³ (s² = L1d/12) without a double-to-integer conversion (precompiled code with one is refused):
        // it must give exactly what the conversion gives, for L1d sizes from 16 KB to 4 MB, powers of two or not.
        for (long l1 = 16 * 1024; l1 <= 4L << 20; l1 = (l1 * 9 / 8) + 512)
        {
            var cache = new GemmCacheInfo((int)l1, 8, 8 << 20, 16, 0, "test");
            double side = Math.Sqrt((int)l1 / (3.0 * sizeof(float)));
            long expected = Math.Max(32L * 32 * 32, (long)(side * side * side));
            GemmBlocking.Derive(cache, 8, 48).ParallelThreshold.Should().Be(expected, "L1d = {0} bytes", l1);
        }
    }

    [Fact]
    public void The_host_blocking_is_derived_from_the_host_caches()
    {
        // The micro-tile's rows: 8 at 512 bits, 6 at 256 and at 128 on x64, else 4 (GemmEngine.TileFor).
        int mr = KernelDispatch.HardwareWidth switch
        {
            VectorWidth.Bits512 => 8,
            VectorWidth.Bits256 => 6,
            VectorWidth.Bits128 when RuntimeInformation.ProcessArchitecture == Architecture.X64 => 6,
            _ => 4,
        };
        GemmBlocking expected = GemmBlocking.Derive(GemmCacheInfo.Host, mr, KernelDispatch.HardwareWidth switch
        {
            VectorWidth.Bits512 => 48,
            VectorWidth.Bits256 => 16,
            VectorWidth.Bits128 => 8,
            _ => 2,
        });
        GemmEngine.BlockingFor(KernelDispatch.HardwareWidth).Should().Be(expected);
        GemmEngine.DescribeHost().Should().Contain($"KC {expected.KC}, MC {expected.MC}, NC {expected.NC}");
        if (SimdAvx.IsHost)
        {
            // AVX without AVX2 (CI's leg with AVX2 off): the packed, direct and streaming routes run at 256 bits, 6 × 16 tiles.
            GemmBlocking wide = GemmBlocking.Derive(GemmCacheInfo.Host, 6, 16);
            GemmEngine.BlockingFor(VectorWidth.Bits256).Should().Be(wide);
            GemmEngine.DescribeHost().Should().Contain($"AVX without AVX2: the packed, direct and streaming routes at 256 bits, KC {wide.KC}, MC {wide.MC}, NC {wide.NC}, streaming block {wide.StreamBytes / 1024} KB, chunks of {wide.StreamChunk} rows");
        }
    }

    private static unsafe void Run(int rows, int vectors, float[] a, float[] b, float[] c)
    {
        // The scalar instantiation (W = 1) exists at every width, so this runs everywhere: NV columns are written.
        fixed (float* pa = a, pb = b, pc = c)
        {
            GemmMicroKernels.Call<SimdScalar, float, FullColumns, OverwriteEpilogue>(rows, vectors, 1, 3, pa, 3, 1, pb, 48, pc, 48, 0, 0, default);
        }
    }

    private static float[] Column(Matrix m)
    {
        var values = new float[m.Rows];
        for (int i = 0; i < m.Rows; i++)
        {
            values[i] = m[i, 0];
        }

        return values;
    }

    private static void WriteCache(string root, int index, int level, string type, string size, int ways)
    {
        string dir = Path.Combine(root, $"index{index}");
        Directory.CreateDirectory(dir);
        File.WriteAllText(Path.Combine(dir, "level"), $"{level}\n");
        File.WriteAllText(Path.Combine(dir, "type"), $"{type}\n");
        File.WriteAllText(Path.Combine(dir, "size"), $"{size}\n");
        File.WriteAllText(Path.Combine(dir, "ways_of_associativity"), $"{ways}\n");
    }

    private static string RepositoryRoot()
    {
        string? dir = AppContext.BaseDirectory;
        while (dir is not null && !File.Exists(Path.Combine(dir, "GanCore.sln")))
        {
            dir = Path.GetDirectoryName(dir);
        }

        return dir ?? throw new InvalidOperationException("GanCore.sln not found above " + AppContext.BaseDirectory);
    }
}
