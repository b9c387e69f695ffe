using GanCore.Kernels;
using GanCore.Randomness;
using GanCore.Tensors;
using GanCore.Tests.Testing;

namespace GanCore.Tests.Kernels;

/// <summary>A dense layer's dW += Xᵀ·dY and db += Σ dY in one streamed pass, against the product and the column sums run apart.
/// One test pins <see cref="Gemm.MaxDegreeOfParallelism"/>, a process-wide setting, so the class runs alone.</summary>
[Collection(GemmGlobalStateGroup.Name)]
public class GemmWeightAndBiasTests
{
    [Fact]
    public void One_pass_gives_the_bits_of_the_product_and_the_column_sums_at_every_width_and_tail()
    {
        // The streaming route is forced so small shapes take it; m up to 17 (17 falls back to the two calls), n across the
        // strip's vector groups and tails, k across the four-row groups and the one-row tail.
        var random = new RandomSource(21);
        int cases = 0;
        foreach (VectorWidth width in GemmWidths.All())
        {
            foreach (int m in new[] { 1, 2, 5, 15, 16, 17 })
            {
                foreach (int n in new[] { 2, 3, 16, 17, 33, 64, 129, 300 })
                {
                    foreach (int k in new[] { 1, 3, 4, 5, 8, 33 })
                    {
                        (Matrix x, Matrix dy, Matrix dwApart, float[] dbApart, Matrix dwFused, float[] dbFused) = Operands(random, m, n, k);
                        using (KernelDispatch.Cap(width))
                        using (GemmEngine.ForcePath(GemmPath.Stream))
                        {
                            Gemm.MultiplyTransposedA(x, dy, dwApart, accumulate: true);
                            Elementwise.ColumnSums(dy.Span, dy.Rows, dy.Columns, dy.Stride, dbApart, accumulate: true);
                            Gemm.WeightAndBiasGradients(x, dy, dwFused, dbFused);
                        }

                        dwFused.Span.ToArray().Should().Equal(dwApart.Span.ToArray(), "dW, m = {0}, n = {1}, k = {2} at {3}", m, n, k, width);
                        dbFused.Should().Equal(dbApart, "db, m = {0}, n = {1}, k = {2} at {3}", m, n, k, width);
                        cases++;
                    }
                }
            }
        }

        cases.Should().Be(GemmWidths.All().Count() * 6 * 8 * 6);
    }

    [Fact]
    public void A_wide_layer_on_the_default_route_streams_and_matches_the_separate_calls()
    {
        // 15 inputs, 2048 outputs, batch 1024: the Xᵀ·dY of D's first layer at h = 2048 (the streaming route by size).
        var random = new RandomSource(22);
        var x = new Matrix(1024, 15);
        var dy = new Matrix(1024, 2048);
        random.FillUniform(x.Span, -1f, 1f);
        random.FillUniform(dy.Span, -1f, 1f);
        var dwApart = new Matrix(15, 2048);
        var dwFused = new Matrix(15, 2048);
        var dbApart = new float[2048];
        var dbFused = new float[2048];
        int threads = Gemm.MaxDegreeOfParallelism;
        try
        {
            Gemm.MaxDegreeOfParallelism = 1;
            Gemm.MultiplyTransposedA(x, dy, dwApart, accumulate: true);
            Elementwise.ColumnSums(dy.Span, dy.Rows, dy.Columns, dy.Stride, dbApart, accumulate: true);
            Gemm.WeightAndBiasGradients(x, dy, dwFused, dbFused);
        }
        finally
        {
            Gemm.MaxDegreeOfParallelism = threads;
        }

        dwFused.Span.ToArray().Should().Equal(dwApart.Span.ToArray());
        dbFused.Should().Equal(dbApart);
    }

    [Fact]
    public void Across_threads_the_one_pass_splits_its_columns_with_the_bits_of_one_thread()
    {
        // Over the parallel threshold (73³ ≈ 389 K multiply-adds on an L1d of 64 KB; K, the batch, grows past it where a
        // larger L1d raises it): the columns of dW and db are split between the threads, one split product per call, each
        // column's FMA chain and sum as on one thread. Column counts across the four-vector units' tails (129, 300) and a
        // single input (m = 1).
        var random = new RandomSource(23);
        int saved = Gemm.MaxDegreeOfParallelism;
        try
        {
            foreach (VectorWidth width in GemmWidths.All())
            {
                foreach ((int m, int n, int least) in new[] { (5, 300, 300), (16, 129, 256), (1, 1000, 500), (15, 2048, 1024) })
                {
                    long threshold = GemmEngine.BlockingFor(width).ParallelThreshold;
                    int k = (int)Math.Max(least, (threshold + ((long)m * n) - 1) / ((long)m * n));
                    ((long)m * n * k).Should().BeGreaterThanOrEqualTo(threshold);
                    foreach (int workers in ThreadCounts.Split)
                    {
                        (Matrix x, Matrix dy, Matrix dwOne, float[] dbOne, Matrix dwSplit, float[] dbSplit) = Operands(random, m, n, k);
                        using (KernelDispatch.Cap(width))
                        {
                            Gemm.MaxDegreeOfParallelism = 1;
                            Gemm.MultiplyTransposedA(x, dy, dwOne, accumulate: true);
                            Elementwise.ColumnSums(dy.Span, dy.Rows, dy.Columns, dy.Stride, dbOne, accumulate: true);
                            Gemm.MaxDegreeOfParallelism = workers;
                            long before = GemmWorkers.Products;
                            Gemm.WeightAndBiasGradients(x, dy, dwSplit, dbSplit);
                            (GemmWorkers.Products - before).Should().Be(Environment.ProcessorCount >= 2 ? 1 : 0, "m = {0}, n = {1}, k = {2} at {3}", m, n, k, width);
                        }

                        dwSplit.Span.ToArray().Should().Equal(dwOne.Span.ToArray(), "dW, m = {0}, n = {1}, k = {2} at {3}, {4} threads", m, n, k, width, workers);
                        dbSplit.Should().Equal(dbOne, "db, m = {0}, n = {1}, k = {2} at {3}, {4} threads", m, n, k, width, workers);
                    }
                }
            }
        }
        finally
        {
            Gemm.MaxDegreeOfParallelism = saved;
        }
    }

    /// <summary>Random X (k × m) and dY (k × n), and two identical copies of a random starting dW (m × n) and db (n)
    /// for the two computations to accumulate into.</summary>
    private static (Matrix X, Matrix DY, Matrix DW1, float[] DB1, Matrix DW2, float[] DB2) Operands(RandomSource random, int m, int n, int k)
    {
        var x = new Matrix(k, m);
        var dy = new Matrix(k, n);
        random.FillUniform(x.Span, -1f, 1f);
        random.FillUniform(dy.Span, -1f, 1f);
        var dwStart = new float[m * n];
        var dbStart = new float[n];
        random.FillUniform(dwStart, -1f, 1f);
        random.FillUniform(dbStart, -1f, 1f);
        return (x, dy, Matrix.FromRows(m, n, dwStart), (float[])dbStart.Clone(), Matrix.FromRows(m, n, dwStart), (float[])dbStart.Clone());
    }

    [Fact]
    public void A_bias_gradient_of_the_wrong_length_is_rejected_with_both_widths()
    {
        FluentActions.Invoking(() => Gemm.WeightAndBiasGradients(new Matrix(4, 3), new Matrix(4, 5), new Matrix(3, 5), new float[4]))
            .Should().Throw<ArgumentException>().WithParameterName("db").WithMessage("*4 elements*5 columns*");
    }
}
