using GanCore.Kernels;
using GanCore.Tests.Testing;

namespace GanCore.Tests.Kernels;

/// <summary>
/// The AVX-512 column tiles (C = Aᵀ·B for 8 ≤ N ≤ 24, the columns of C in registers and transposed in them; 1–7, a wider
/// C's last columns, several strips at a time) against the FMA chain each element is defined to be, at every strip tail,
/// with padded strides and sentinels around C.
/// </summary>
public class GemmColumnTilesTests
{
    private const float Sentinel = -9876.5f;

    [Fact]
    public unsafe void Every_column_count_and_row_tail_gives_each_elements_fma_chain_and_writes_nothing_else()
    {
        if (!GemmColumnTiles.IsSupported)
        {
            // The CI legs with AVX-512 disabled: the tiles cannot run there, so the engine must never send a product here.
            FluentActions.Invoking(() => RunOnce(16, 8, 1, 16, 8, 8, accumulate: false, new Random(1))).Should().Throw<PlatformNotSupportedException>();
            return;
        }

        int cases = 0;
        for (int n = 1; n <= GemmColumnTiles.MaxColumns; n++)
        {
            // Rows: inside one strip, exactly one, every tail of a second strip, and several strips with a tail; for 1–7
            // columns also whole passes of 2, 3, 4 and 8 strips (32, 48, 64, 128 rows) with strips and rows left over.
            foreach (int m in new[] { 1, 7, 15, 16, 17, 20, 24, 31, 32, 33, 47, 48, 64, 79, 128, 143, 200 })
            {
                foreach (int k in new[] { 0, 1, 3, 16, 33 })
                {
                    int h = (n * 131) + (m * 17) + k;
                    var random = new Random(h);
                    int lda = m + (h % 3);
                    int ldb = n + (h % 2);
                    int ldc = n + ((h / 2) % 3);
                    RunOnce(m, n, k, lda, ldb, ldc, accumulate: (h & 1) == 1, random);
                    cases++;
                }
            }
        }

        cases.Should().Be(24 * 17 * 5);
    }

    [Fact]
    public void The_engine_routes_a_15_column_weight_gradient_here_with_the_bits_of_the_direct_loops()
    {
        // Aᵀ·B with N = 15 (the seed generator's output layer gradient, 128 × 64 × 15) and its neighbours, through
        // Gemm's automatic routing, bit for bit against the direct loops (forced), with and without accumulate.
        int count = 0;
        foreach (int n in new[] { 8, 12, 15, 16, 17, 20, 24 })
        {
            // 16–47 rows: one to two strips, with a tail tiled (r ≥ ¾·N) or left to the direct loops.
            foreach (int m in new[] { 16, 17, 20, 28, 31, 47, 64, 71, 128 })
            {
                foreach (bool accumulate in new[] { false, true })
                {
                    var test = new GemmCase(true, false, m, n, 64, accumulate, padA: 1, padB: 2, padC: 1, seed: (n * 1000) + m);
                    test.Verify(KernelDispatch.HardwareWidth, GemmPath.Direct);
                    float[] direct = (float[])test.Result.Clone();
                    test.Verify(KernelDispatch.HardwareWidth, GemmPath.Auto);
                    test.Result.Should().Equal(direct, "{0}", test);
                    count++;
                }
            }
        }

        count.Should().Be(7 * 9 * 2);
    }

    [Fact]
    public void The_last_columns_of_a_wider_weight_gradient_take_the_column_tiles_with_the_bits_of_the_direct_loops()
    {
        // Aᵀ·B with N = 16q + r (N > 24): the direct loops take the whole vectors and, with AVX-512 and a strip of rows
        // or more, the column tiles take the r last columns (counted once per product); below 16 rows, or with
        // N a whole number of vectors, no tail. Bit for bit against the direct loops (forced), overwriting and
        // accumulating, on one thread and, with the parallel threshold forced to 1, split.
        int saved = Gemm.MaxDegreeOfParallelism;
        int count = 0;
        try
        {
            foreach (int n in new[] { 25, 26, 30, 31, 32, 33, 34, 36, 39, 40, 41, 47, 49, 50, 55, 57, 63, 64, 65, 100 })
            {
                foreach (int m in new[] { 8, 16, 17, 31, 64, 100, 130 })
                {
                    var test = new GemmCase(true, false, m, n, (n % 3 == 0) ? 33 : 64, accumulate: (m + n) % 2 == 1, padA: 1, padB: 2, padC: 1, seed: (n * 1000) + m);
                    Gemm.MaxDegreeOfParallelism = 1;
                    test.Verify(KernelDispatch.HardwareWidth, GemmPath.Direct);
                    float[] direct = (float[])test.Result.Clone();
                    bool tail = GemmColumnTiles.IsSupported && KernelDispatch.HardwareWidth == VectorWidth.Bits512 && m >= 16 && n % 16 != 0;
                    GemmEngine.TakeColumnTailRuns();
                    test.Verify(KernelDispatch.HardwareWidth, GemmPath.Auto);
                    GemmEngine.TakeColumnTailRuns().Should().Be(tail ? 1 : 0, "{0}", test);
                    test.Result.Should().Equal(direct, "{0}", test);
                    using (GemmEngine.ForceBlocking(GemmEngine.BlockingFor(KernelDispatch.HardwareWidth) with { ParallelThreshold = 1 }))
                    {
                        foreach (int workers in ThreadCounts.Split)
                        {
                            Gemm.MaxDegreeOfParallelism = workers;
                            test.Verify(KernelDispatch.HardwareWidth, GemmPath.Auto);
                            GemmEngine.TakeColumnTailRuns().Should().Be(tail ? 1 : 0, "{0} on {1} thread(s)", test, workers);
                            test.Result.Should().Equal(direct, "{0} on {1} thread(s)", test, workers);
                        }
                    }

                    count++;
                }
            }
        }
        finally
        {
            Gemm.MaxDegreeOfParallelism = saved;
        }

        count.Should().Be(20 * 7);
    }

    [Fact]
    public void Where_op_A_fits_in_L2_a_larger_weight_gradient_takes_the_column_tail_on_either_route()
    {
        // Sizes the host may pack (M·K from 100,000 floats up): where op(A) fits in L2 and K is one block of the packed
        // route (K ≤ KC) the last N mod 16 columns still go to the column tiles, whose one FMA chain per element is the
        // direct loops' and, for such a K, the packed kernels' (bitwise against the direct loops there); every element
        // within the reference's tolerance and nothing written outside C (Verify).
        (int M, int K, int N, bool Accumulate)[] shapes = [(784, 128, 50, false), (1000, 128, 41, true), (600, 200, 34, false), (2048, 64, 25, true)];
        int count = 0;
        foreach ((int m, int k, int n, bool accumulate) in shapes)
        {
            var test = new GemmCase(true, false, m, n, k, accumulate, padA: 0, padB: 1, padC: 1, seed: m + n + k);
            test.Verify(KernelDispatch.HardwareWidth, GemmPath.Direct);
            float[] direct = (float[])test.Result.Clone();
            GemmEngine.TakeColumnTailRuns();
            test.Verify(KernelDispatch.HardwareWidth, GemmPath.Auto);
            int tails = GemmEngine.TakeColumnTailRuns();
            bool tiled = GemmColumnTiles.IsSupported && KernelDispatch.HardwareWidth == VectorWidth.Bits512;
            if ((long)m * k * sizeof(float) <= GemmCacheInfo.Host.L2Bytes && k <= GemmEngine.BlockingFor(KernelDispatch.HardwareWidth).KC)
            {
                tails.Should().Be(tiled ? 1 : 0, "{0}", test);
            }

            if (k <= GemmEngine.BlockingFor(KernelDispatch.HardwareWidth).KC)
            {
                test.Result.Should().Equal(direct, "{0}", test);
            }

            count++;
        }

        count.Should().Be(shapes.Length);
    }

    [Fact]
    public unsafe void A_few_column_store_takes_only_the_overwriting_and_accumulating_epilogues()
    {
        if (!GemmColumnTiles.IsSupported)
        {
            return;
        }

        // 1–7 columns reach C element by element, which only these two epilogues allow; the engine sends no other.
        var a = new float[16 * 4];
        var b = new float[4 * 3];
        var c = new float[16 * 3];
        FluentActions.Invoking(() =>
        {
            fixed (float* pa = a, pb = b, pc = c)
            {
                GemmColumnTiles.Run(16, 3, 4, pa, 16, pb, 3, pc, 3, 0, default(SeedFromCEpilogue));
            }
        }).Should().Throw<InvalidOperationException>().WithMessage("*SeedFromCEpilogue*");
    }

    [Fact]
    public void Above_the_parallel_threshold_the_column_tiles_run_on_one_thread_and_split_by_strips_on_more()
    {
        // Until the fifty-seventh session a product from the parallel threshold on took the direct loops even on one
        // thread. With the threshold forced to 1, each shape is "large" on every host; it must take the column tiles
        // (counted once per product, on the calling thread) on one thread and on every split, with the bits of the
        // direct loops (forced): full strips only, a tail tiled (r ≥ ¾·N), a tail left to the direct loops, accumulating.
        // A C of exactly 16 columns keeps the direct loops there (as many FMAs, and they ran faster).
        (int M, int N, int K, bool Accumulate)[] shapes = [(256, 10, 128, false), (200, 12, 64, true), (250, 20, 48, false), (71, 24, 40, true), (48, 8, 33, false), (64, 16, 32, false)];
        int saved = Gemm.MaxDegreeOfParallelism;
        int count = 0;
        try
        {
            foreach ((int m, int n, int k, bool accumulate) in shapes)
            {
                var test = new GemmCase(true, false, m, n, k, accumulate, padA: 1, padB: 2, padC: 1, seed: (m * 31) + n + k);
                Gemm.MaxDegreeOfParallelism = 1;
                test.Verify(KernelDispatch.HardwareWidth, GemmPath.Direct);
                float[] direct = (float[])test.Result.Clone();
                using (GemmEngine.ForceBlocking(GemmEngine.BlockingFor(KernelDispatch.HardwareWidth) with { ParallelThreshold = 1 }))
                {
                    foreach (int workers in (int[])[1, .. ThreadCounts.Split])
                    {
                        Gemm.MaxDegreeOfParallelism = workers;
                        GemmEngine.TakeColumnTileRuns();
                        test.Verify(KernelDispatch.HardwareWidth, GemmPath.Auto);
                        int runs = GemmEngine.TakeColumnTileRuns();
                        runs.Should().Be(GemmColumnTiles.IsSupported && KernelDispatch.HardwareWidth == VectorWidth.Bits512 && n != 16 ? 1 : 0, "{0} on {1} thread(s)", test, workers);
                        test.Result.Should().Equal(direct, "{0} on {1} thread(s)", test, workers);
                        count++;
                    }
                }
            }
        }
        finally
        {
            Gemm.MaxDegreeOfParallelism = saved;
        }

        count.Should().Be(shapes.Length * (1 + ThreadCounts.Split.Count));
    }

    [Fact]
    public void A_narrow_weight_gradient_takes_the_column_tiles_with_AVX512_and_the_transposed_product_with_AVX2()
    {
        // The route shows in the thread-static scratch buffers, so each product runs on a fresh thread: the column tiles
        // read B in place and use none, the transposed product writes S into its own.
        static (bool OperandCopy, bool TransposedProduct) Scratch(int m, int n)
        {
            (bool, bool) used = default;
            var thread = new Thread(() =>
            {
                var h = new float[64 * m];
                var dy = new float[64 * n];
                var dw = new float[m * n];
                h.AsSpan().Fill(0.5f);
                dy.AsSpan().Fill(0.25f);
                Gemm.Compute(true, false, m, n, 64, h, m, dy, n, dw, n);
                used = GemmEngine.ScratchAllocated;
                dw.Should().OnlyContain(v => v == 8f, "64 products of 0.5 · 0.25");
            });
            thread.Start();
            thread.Join();
            return used;
        }

        switch (KernelDispatch.Width)
        {
            case VectorWidth.Bits512:
                GemmColumnTiles.IsSupported.Should().BeTrue("512-bit vectors are AVX-512");
                Scratch(128, 15).Should().Be((false, false), "G's dW2, 128 × 64 × 15, runs as column tiles");
                Scratch(128, 8).Should().Be((false, false), "8 columns run as column tiles");
                Scratch(32, 15).Should().Be((false, false), "two strips run as column tiles");
                Scratch(128, 7).Should().Be((false, true), "below 8 columns the transposed product stays");
                break;
            case VectorWidth.Bits256:
                Scratch(128, 8).Should().Be((false, true), "8 columns are one 256-bit vector: the transposed product");
                break;
            default:
                // 128-bit and scalar: no narrow-C route; the results above are all this width checks.
                Scratch(128, 15);
                break;
        }
    }

    private static unsafe void RunOnce(int m, int n, int k, int lda, int ldb, int ldc, bool accumulate, Random random)
    {
        // A is K×M (op(A) = Aᵀ), B is K×N, C is M×N; the gaps past each row and a margin of 16 floats on both sides of C
        // hold sentinels.
        var a = new float[Math.Max(1, k * lda)];
        var b = new float[Math.Max(1, k * ldb) + 16];
        for (int i = 0; i < a.Length; i++)
        {
            a[i] = (float)((random.NextDouble() * 4) - 2);
        }

        for (int i = 0; i < b.Length; i++)
        {
            b[i] = (float)((random.NextDouble() * 4) - 2);
        }

        const int Margin = 16;
        var c = new float[(m * ldc) + (2 * Margin)];
        c.AsSpan().Fill(Sentinel);
        var c0 = new float[m * n];
        for (int i = 0; i < m; i++)
        {
            for (int j = 0; j < n; j++)
            {
                c0[(i * n) + j] = (float)((random.NextDouble() * 2) - 1);
                c[Margin + (i * ldc) + j] = c0[(i * n) + j];
            }
        }

        fixed (float* pa = a, pb = b, pc = c)
        {
            if (accumulate)
            {
                GemmColumnTiles.Run(m, n, k, pa, lda, pb, ldb, pc + Margin, ldc, 0, default(AccumulateEpilogue));
            }
            else
            {
                GemmColumnTiles.Run(m, n, k, pa, lda, pb, ldb, pc + Margin, ldc, 0, default(OverwriteEpilogue));
            }
        }

        for (int i = 0; i < m; i++)
        {
            for (int j = 0; j < ldc; j++)
            {
                float actual = c[Margin + (i * ldc) + j];
                if (j >= n)
                {
                    actual.Should().Be(Sentinel, "the gap past row {0} is not C (m = {1}, n = {2}, k = {3})", i, m, n, k);
                    continue;
                }

                // One FMA chain over p in order from zero, then C + chain when accumulating: the definition every GEMM
                // path keeps to.
                float chain = 0f;
                for (int p = 0; p < k; p++)
                {
                    chain = MathF.FusedMultiplyAdd(a[(p * lda) + i], b[(p * ldb) + j], chain);
                }

                float expected = accumulate ? c0[(i * n) + j] + chain : chain;
                actual.Should().Be(expected, "C[{0}, {1}] (m = {2}, n = {3}, k = {4}, accumulate = {5})", i, j, m, n, k, accumulate);
            }
        }

        c.AsSpan(0, Margin).ToArray().Should().OnlyContain(v => v == Sentinel, "nothing is written before C");
        c.AsSpan(Margin + (m * ldc)).ToArray().Should().OnlyContain(v => v == Sentinel, "nothing is written after C");
    }
}
