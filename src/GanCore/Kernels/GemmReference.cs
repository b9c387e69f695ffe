namespace GanCore.Kernels;

/// <summary>
/// The plain matrix multiply: read this first. C[i, j] = Σ_p op(A)[i, p]·op(B)[p, j] (+ C[i, j]) is three nested loops,
/// with op(X) = X or Xᵀ and row-major storage with leading dimensions (row strides) lda, ldb, ldc. Everything in
/// <see cref="Gemm"/> and <see cref="GemmEngine"/> (packing into cache-sized panels, register-blocked micro-kernels,
/// fused bias and activation epilogues, threads) is an optimization of this loop that computes the same sums in a
/// different order; the tests hold them to it, accumulated here in double, within a bound proportional to
/// Σ_p |op(A)[i, p]·op(B)[p, j]| (<see cref="AbsoluteProducts"/>). Slow by design: never call it on a hot path.
/// </summary>
internal static class GemmReference
{
    /// <summary>C = op(A)·op(B), or C += op(A)·op(B) when <paramref name="accumulate"/>; m × n result, k the shared dimension.</summary>
    public static void Compute(bool transposeA, bool transposeB, int m, int n, int k, ReadOnlySpan<float> a, int lda, ReadOnlySpan<float> b, int ldb, Span<float> c, int ldc, bool accumulate)
    {
        for (int i = 0; i < m; i++)
        {
            for (int j = 0; j < n; j++)
            {
                double sum = accumulate ? c[(i * ldc) + j] : 0.0;
                for (int p = 0; p < k; p++)
                {
                    float aip = transposeA ? a[(p * lda) + i] : a[(i * lda) + p];
                    float bpj = transposeB ? b[(j * ldb) + p] : b[(p * ldb) + j];
                    sum += (double)aip * bpj;
                }

                c[(i * ldc) + j] = (float)sum;
            }
        }
    }

    /// <summary>Σ_p |op(A)[i,p]·op(B)[p,j]| for every (i, j): the scale the error bound of element (i, j) is relative to.</summary>
    public static void AbsoluteProducts(bool transposeA, bool transposeB, int m, int n, int k, ReadOnlySpan<float> a, int lda, ReadOnlySpan<float> b, int ldb, Span<double> result)
    {
        for (int i = 0; i < m; i++)
        {
            for (int j = 0; j < n; j++)
            {
                double sum = 0.0;
                for (int p = 0; p < k; p++)
                {
                    float aip = transposeA ? a[(p * lda) + i] : a[(i * lda) + p];
                    float bpj = transposeB ? b[(j * ldb) + p] : b[(p * ldb) + j];
                    sum += Math.Abs((double)aip * bpj);
                }

                result[(i * n) + j] = sum;
            }
        }
    }
}
