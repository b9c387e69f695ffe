namespace GanCore.Kernels;

/// <summary>
/// The plain triple loop the tests trust: C = op(A)·op(B) (+ C), accumulated in double. Slow by design;
/// never call it on a hot path.
/// </summary>
internal static class GemmReference
{
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
