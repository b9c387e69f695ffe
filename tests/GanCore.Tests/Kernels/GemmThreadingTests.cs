using GanCore.Kernels;
using GanCore.Tensors;
using GanCore.Tests.Testing;

namespace GanCore.Tests.Kernels;

/// <summary>Tests that change <see cref="Gemm.MaxDegreeOfParallelism"/>, a process-wide setting, run alone.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class GemmGlobalStateGroup
{
    public const string Name = "Gemm global state";
}

[Collection(GemmGlobalStateGroup.Name)]
public class GemmThreadingTests
{
    [Fact]
    public void A_dot_tail_is_done_once_for_the_whole_C_when_the_rest_is_split_across_threads()
    {
        // The tail runs first, its rows split among the workers as a dot-route product's are, then RunParallel splits the
        // other columns by rows or columns; a split must neither compute the tail again nor leave a worker's share (of
        // the tail or of the rest) narrower or wider than it should be. Every split
        // count (a forced tiny parallel threshold) against one, bitwise, and one against the tail-free columns of the
        // forced direct loops.
        if (Environment.ProcessorCount < 2)
        {
            return;
        }

        int threads = Gemm.MaxDegreeOfParallelism;
        try
        {
            foreach (VectorWidth w in GemmWidths.All().Where(w => w != VectorWidth.Scalar))
            {
                int lanes = (int)w / 32;
                foreach ((int m, int n, int k) in new[] { (96, (4 * lanes) + 1, 128), (40, (2 * lanes) + 1, 300), (200, lanes + 1, 64) })
                {
                    int tail = GemmEngine.DotTail(n, k, 1, columnsInPlace: false, lanes);
                    tail.Should().Be(1, $"{m}×{k}×{n} at {w} takes a one-column tail");
                    var rng = new Random((m * 100) + n);
                    float[] a = Enumerable.Range(0, m * k).Select(_ => (float)rng.NextDouble() - 0.5f).ToArray();
                    float[] b = Enumerable.Range(0, k * n).Select(_ => (float)rng.NextDouble() - 0.5f).ToArray();
                    float[] Run(int workers)
                    {
                        Gemm.MaxDegreeOfParallelism = workers;
                        float[] c = new float[m * n];
                        using (KernelDispatch.Cap(w))
                        using (GemmEngine.ForceBlocking(GemmEngine.BlockingFor(w) with { ParallelThreshold = 1 }))
                        {
                            Gemm.Compute(false, false, m, n, k, a, k, b, n, c, n);
                        }

                        return c;
                    }

                    float[] one = Run(1);
                    foreach (int workers in ThreadCounts.Split)
                    {
                        Run(workers).Select(BitConverter.SingleToInt32Bits).Should().Equal(one.Select(BitConverter.SingleToInt32Bits), $"{m}×{k}×{n} at {w} on {workers} threads");
                    }

                    float[] direct = new float[m * n];
                    using (KernelDispatch.Cap(w))
                    using (GemmEngine.ForcePath(GemmPath.Direct))
                    {
                        Gemm.Compute(false, false, m, n, k, a, k, b, n, direct, n);
                    }

                    Enumerable.Range(0, m * n).Where(e => e % n < n - tail).Select(e => BitConverter.SingleToInt32Bits(one[e])).Should().Equal(
                        Enumerable.Range(0, m * n).Where(e => e % n < n - tail).Select(e => BitConverter.SingleToInt32Bits(direct[e])), $"{m}×{k}×{n} at {w}: the columns before the tail");
                }
            }
        }
        finally
        {
            Gemm.MaxDegreeOfParallelism = threads;
        }
    }

    [Theory]
    [InlineData(false, false, 300, 280, 260)]
    [InlineData(true, false, 260, 300, 270)]
    [InlineData(false, true, 257, 299, 301)]
    [InlineData(true, true, 290, 250, 280)]
    [InlineData(false, false, 40, 1500, 300)]
    [InlineData(false, false, 301, 1, 700)] // dot products (N = 1), split by rows
    [InlineData(true, false, 5, 600, 1024)] // streaming, rows of C (M ≤ 16)
    [InlineData(true, false, 600, 15, 1024)] // streaming, columns of C (N ≤ 16, Aᵀ)
    [InlineData(false, false, 300, 280, 15)] // direct, K ≤ 16
    [InlineData(false, true, 600, 15, 1024)] // direct, N ≤ 16, split by rows: each block copies all of Bᵀ
    [InlineData(false, true, 24, 600, 40)] // direct, split by columns: each block copies its columns of Bᵀ
    [InlineData(false, true, 300, 280, 15)] // direct, C written row block by row block from Bᵀ's copy packed
    [InlineData(false, true, 200, 20, 300)] // A·Bᵀ with a dot tail of four columns read in place (512 bits), its rows split too
    [InlineData(true, false, 250, 10, 300)] // Aᵀ·B as column tiles (512 bits), split by 16-row strips, the last block 10 rows
    public void One_thread_and_every_split_give_bitwise_identical_results(bool ta, bool tb, int m, int n, int k)
    {
        var rng = new Random(m + n + k);
        float[] a = Enumerable.Range(0, m * k).Select(_ => (float)rng.NextDouble() - 0.5f).ToArray();
        float[] b = Enumerable.Range(0, k * n).Select(_ => (float)rng.NextDouble() - 0.5f).ToArray();
        int lda = ta ? m : k;
        int ldb = tb ? k : n;
        int saved = Gemm.MaxDegreeOfParallelism;
        try
        {
            foreach (VectorWidth w in GemmWidths.All())
            {
                // The host's blocking with the threshold lowered so these shapes really split, and a tiny blocking with
                // many KC, MC and NC blocks per worker.
                foreach (GemmBlocking blocking in new[] { GemmEngine.BlockingFor(w) with { ParallelThreshold = 1 }, GemmSkinnyTests.Tiny })
                {
                    using (KernelDispatch.Cap(w))
                    using (GemmEngine.ForceBlocking(blocking))
                    {
                        var one = new float[m * n];
                        Gemm.MaxDegreeOfParallelism = 1;
                        Gemm.Compute(ta, tb, m, n, k, a, lda, b, ldb, one, n);
                        foreach (int workers in ThreadCounts.Split)
                        {
                            var split = new float[m * n];
                            Gemm.MaxDegreeOfParallelism = workers;
                            Gemm.Compute(ta, tb, m, n, k, a, lda, b, ldb, split, n);
                            split.Should().Equal(one, "width {0}, {1}, {2} threads", w, blocking, workers);
                        }
                    }
                }
            }
        }
        finally
        {
            Gemm.MaxDegreeOfParallelism = saved;
        }
    }

    [Fact]
    public void One_thread_and_every_split_give_bitwise_identical_fused_epilogues()
    {
        var rng = new Random(3);
        Matrix a = Matrix.FromRows(300, 290, Enumerable.Range(0, 300 * 290).Select(_ => (float)rng.NextDouble() - 0.5f).ToArray());
        Matrix b = Matrix.FromRows(290, 270, Enumerable.Range(0, 290 * 270).Select(_ => (float)rng.NextDouble() - 0.5f).ToArray());
        float[] bias = Enumerable.Range(0, 270).Select(_ => (float)rng.NextDouble() - 0.5f).ToArray();
        int saved = Gemm.MaxDegreeOfParallelism;
        try
        {
            foreach (GemmBlocking blocking in new[] { GemmEngine.BlockingFor(KernelDispatch.Width) with { ParallelThreshold = 1 }, GemmSkinnyTests.Tiny })
            {
                using (GemmEngine.ForceBlocking(blocking))
                {
                    var one = new Matrix(300, 270);
                    Gemm.MaxDegreeOfParallelism = 1;
                    Gemm.MultiplyBiasActivation(a, b, bias, one, Activation.Tanh);
                    foreach (int workers in ThreadCounts.Split)
                    {
                        var split = new Matrix(300, 270);
                        Gemm.MaxDegreeOfParallelism = workers;
                        Gemm.MultiplyBiasActivation(a, b, bias, split, Activation.Tanh);
                        split.Span.ToArray().Should().Equal(one.Span.ToArray(), "{0}, {1} threads", blocking, workers);
                    }
                }
            }
        }
        finally
        {
            Gemm.MaxDegreeOfParallelism = saved;
        }
    }

    [Fact]
    public void Steady_state_small_gemms_allocate_nothing()
    {
        // The dense layers of the seed GAN at batch 64: forward, weight gradient (accumulate), input gradient.
        (bool Ta, bool Tb, int M, int K, int N, bool Acc)[] calls =
        [
            (false, false, 64, 5, 128, false), (false, false, 64, 128, 15, false), (false, false, 64, 15, 128, false), (false, false, 64, 128, 1, false),
            (true, false, 5, 64, 128, true), (true, false, 128, 64, 15, true), (true, false, 15, 64, 128, true), (true, false, 128, 64, 1, true),
            (false, true, 64, 15, 128, false), (false, true, 64, 128, 15, false), (false, true, 64, 1, 128, false),
        ];
        var buffers = calls.Select(x => (A: new float[x.M * x.K], B: new float[x.K * x.N], C: new float[x.M * x.N])).ToArray();
        var a = new Matrix(64, 15);
        var w = new Matrix(15, 128);
        var y = new Matrix(64, 128);
        var bias = new float[128];
        void RunAll()
        {
            for (int i = 0; i < calls.Length; i++)
            {
                (bool ta, bool tb, int m, int k, int n, bool acc) = calls[i];
                Gemm.Compute(ta, tb, m, n, k, buffers[i].A, ta ? m : k, buffers[i].B, tb ? k : n, buffers[i].C, n, acc);
            }

            Gemm.MultiplyBiasActivation(a, w, bias, y, Activation.LeakyReLU, 0.2f);
            Gemm.MultiplyBiasActivation(a, w, bias, y, Activation.Tanh);
            Gemm.Multiply(a, w, y);
            Gemm.MultiplyTransposedB(y, w, a);
        }

        AllocationProbe.QuietestWindow(RunAll, warmUp: 100, calls: 20).Should().Be(0);
    }
}
