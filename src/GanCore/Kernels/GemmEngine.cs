using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace GanCore.Kernels;

/// <summary>
/// The GEMM implementation behind <see cref="Gemm"/>. Arguments are already validated.
/// Baseline: row-oriented loops (i-p-j for A·B and Aᵀ·B, dot products for A·Bᵀ), vectorized along the
/// contiguous dimension at the given width.
/// </summary>
internal static class GemmEngine
{
    public static void Run(bool transposeA, bool transposeB, int m, int n, int k, ReadOnlySpan<float> a, int lda, ReadOnlySpan<float> b, int ldb, Span<float> c, int ldc, bool accumulate, VectorWidth width, int threads)
    {
        _ = threads;
        if (m == 0 || n == 0)
        {
            return;
        }

        if (!accumulate)
        {
            for (int i = 0; i < m; i++)
            {
                c.Slice(i * ldc, n).Clear();
            }
        }

        if (k == 0)
        {
            return;
        }

        if (transposeB)
        {
            for (int i = 0; i < m; i++)
            {
                for (int j = 0; j < n; j++)
                {
                    float sum = 0f;
                    for (int p = 0; p < k; p++)
                    {
                        float aip = transposeA ? a[(p * lda) + i] : a[(i * lda) + p];
                        sum = MathF.FusedMultiplyAdd(aip, b[(j * ldb) + p], sum);
                    }

                    c[(i * ldc) + j] += sum;
                }
            }

            return;
        }

        ref float br = ref MemoryMarshal.GetReference(b);
        ref float cr = ref MemoryMarshal.GetReference(c);
        for (int i = 0; i < m; i++)
        {
            ref float crow = ref Unsafe.Add(ref cr, i * ldc);
            for (int p = 0; p < k; p++)
            {
                float aip = transposeA ? a[(p * lda) + i] : a[(i * lda) + p];
                Axpy(width, aip, ref Unsafe.Add(ref br, p * ldb), ref crow, (nuint)n);
            }
        }
    }

    public static void RunBiasActivation(int m, int n, int k, ReadOnlySpan<float> a, int lda, ReadOnlySpan<float> b, int ldb, ReadOnlySpan<float> bias, Span<float> c, int ldc, Activation activation, float slope, VectorWidth width, int threads)
    {
        Run(false, false, m, n, k, a, lda, b, ldb, c, ldc, accumulate: false, width, threads);
        using (KernelDispatch.Cap(width))
        {
            for (int i = 0; i < m; i++)
            {
                Span<float> row = c.Slice(i * ldc, n);
                Elementwise.BiasActivate(activation, row, bias, row, slope);
            }
        }
    }

    private static void Axpy(VectorWidth width, float alpha, ref float x, ref float y, nuint n)
    {
        nuint i = 0;
        if (width >= VectorWidth.Bits512)
        {
            i = AxpyCore<Simd512, Vector512<float>>(alpha, ref x, ref y, i, n);
        }

        if (width >= VectorWidth.Bits256)
        {
            i = AxpyCore<Simd256, Vector256<float>>(alpha, ref x, ref y, i, n);
        }

        if (width >= VectorWidth.Bits128)
        {
            i = AxpyCore<Simd128, Vector128<float>>(alpha, ref x, ref y, i, n);
        }

        AxpyCore<SimdScalar, float>(alpha, ref x, ref y, i, n);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static nuint AxpyCore<TS, TV>(float alpha, ref float x, ref float y, nuint i, nuint n)
        where TS : ISimd<TV>
        where TV : struct
    {
        nuint count = (nuint)TS.Count;
        TV va = TS.Broadcast(alpha);
        for (; i + count <= n; i += count)
        {
            TS.Store(TS.MultiplyAdd(va, TS.Load(ref x, i), TS.Load(ref y, i)), ref y, i);
        }

        return i;
    }
}
