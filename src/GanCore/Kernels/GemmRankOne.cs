using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace GanCore.Kernels;

/// <summary>A product with K = 1 (docs/kernels.md, Paths): C = op(A)·op(B) is the outer product of a column and a row,
/// one multiplication per element, so the time is C's stores.</summary>
internal static unsafe partial class GemmEngine
{
    /// <summary>
    /// Whether <see cref="Dispatch"/> takes a product as an outer product (<see cref="RankOne{TS, TV, TE}"/>): K = 1, two
    /// or more columns whose op(B) row is contiguous (A·B, Aᵀ·B, or an A·Bᵀ whose B is one contiguous column), and either
    /// one thread or a C below the parallel threshold's M·N·K (larger ones are split among threads by the other routes,
    /// whose elements have the same bits). The layer products with K = 1 are a weight gradient Xᵀ·dY at batch size 1 and
    /// the forward pass of a layer with one input. The direct loops spend a micro-tile's set-up on one FMA per element:
    /// on Zen 5 (2026-12-04, same-process pairs against the routes before) Aᵀ·B 15×1×128 took 0.65–0.68 of their time,
    /// A·B 64×1×128 0.88, A·B 64×1×15 0.80–0.92, 64×1×2 0.63–0.81, and the column tiles' Aᵀ·B 128×1×15 0.86–0.88. An
    /// Aᵀ·B of two to four columns that takes the transposed product (<see cref="TransposedProductShape"/>) stays there:
    /// it stores C densely, several rows per vector, where these are one masked store per row (Aᵀ·B 128×1×2 took 1.97×
    /// its time here, 128×1×4 1.44×; 128×1×5 0.83–0.88). N = 1 stays with the dot route.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static bool TakesRankOne(in GemmOperands o, int threads, VectorWidth width) =>
        o.K == 1 && o.N > 1 && o.CsB == 1 && !(o.N <= 4 && TransposedProductShape(o, width.Floats()))
        && (threads <= 1 || Environment.ProcessorCount <= 1 || (long)o.M * o.N < s_hostBlocking[(int)width / 128].ParallelThreshold);

    /// <summary>
    /// C[i, j] = epilogue(op(A)[i, 0]·op(B)[0, j]) row by row: op(A)'s element broadcast, op(B)'s row loaded a vector at a
    /// time (from L1 after the first row) for two rows at once, a last partial vector under a mask. Each element is the
    /// direct loops' chain of one step, an FMA onto zero, so C has their bits: a product of −0 stores +0 as theirs does.
    /// (An epilogue that seeds the chain from C never comes here.)
    /// </summary>
    [MethodImpl(KernelCompilation.Hot)]
    private static void RankOne<TS, TV, TE>(in GemmOperands o, TE epi)
        where TS : ISimd<TV>
        where TV : struct
        where TE : struct, IGemmEpilogue
    {
        // The operands' fields in locals: the stores through C could alias o, so the JIT would read them again each row.
        int m = o.M, n = o.N;
        float* a0 = o.A;
        nint rsA = o.RsA;
        float* b = o.B;
        float* c0 = o.C;
        nint ldc = o.Ldc;
        nint column = o.Column0;
        int whole = n - (n % TS.Count);
        TV all = TS.CreateMask(TS.Count);
        TV mask = TS.CreateMask(n - whole);
        int i = 0;
        for (; i + 1 < m; i += 2)
        {
            // Two rows at a time: each vector of op(B) loaded once for both.
            TV a = TS.Broadcast(a0[i * rsA]);
            TV a1 = TS.Broadcast(a0[(i + 1) * rsA]);
            float* c = c0 + (i * ldc);
            float* c1 = c + ldc;
            int j = 0;
            for (; j < whole; j += TS.Count)
            {
                TV bj = TS.Load(ref b[j], 0);
                GemmStore.Put<TS, TV, FullColumns, TE>(epi, TS.MultiplyAdd(a, bj, default), c + j, column + j, all);
                GemmStore.Put<TS, TV, FullColumns, TE>(epi, TS.MultiplyAdd(a1, bj, default), c1 + j, column + j, all);
            }

            if (j < n)
            {
                TV bj = MaskedColumns.LoadOperand<TS, TV>(b + j, mask);
                GemmStore.Put<TS, TV, MaskedColumns, TE>(epi, TS.MultiplyAdd(a, bj, default), c + j, column + j, mask);
                GemmStore.Put<TS, TV, MaskedColumns, TE>(epi, TS.MultiplyAdd(a1, bj, default), c1 + j, column + j, mask);
            }
        }

        if (i < m)
        {
            // The last row of an odd M.
            TV a = TS.Broadcast(a0[i * rsA]);
            float* c = c0 + (i * ldc);
            int j = 0;
            for (; j < whole; j += TS.Count)
            {
                GemmStore.Put<TS, TV, FullColumns, TE>(epi, TS.MultiplyAdd(a, TS.Load(ref b[j], 0), default), c + j, column + j, all);
            }

            if (j < n)
            {
                GemmStore.Put<TS, TV, MaskedColumns, TE>(epi, TS.MultiplyAdd(a, MaskedColumns.LoadOperand<TS, TV>(b + j, mask), default), c + j, column + j, mask);
            }
        }
    }

    /// <summary><see cref="RankOne{TS, TV, TE}"/> at <paramref name="width"/> (one the hardware accelerates).</summary>
    private static void RankOne<TE>(VectorWidth width, in GemmOperands o, TE epi)
        where TE : struct, IGemmEpilogue
    {
        switch (width)
        {
            case VectorWidth.Bits512 when KernelDispatch.Runs512:
                RankOne<Simd512, Vec512, TE>(o, epi);
                break;
            case VectorWidth.Bits256 when KernelDispatch.Runs256:
                RankOne<Simd256, Vec256, TE>(o, epi);
                break;
            case VectorWidth.Bits128 when KernelDispatch.Runs128:
                if (KernelDispatch.CapOnly128)
                {
                    RankOneUnderCap<Simd128, Vec128, TE>(o, epi);
                }
                else
                {
                    RankOne<Simd128, Vec128, TE>(o, epi);
                }

                break;
            case VectorWidth.Scalar:
                if (KernelDispatch.CapOnlyScalar)
                {
                    RankOneUnderCap<SimdScalar, float, TE>(o, epi);
                }
                else
                {
                    RankOne<SimdScalar, float, TE>(o, epi);
                }

                break;
            default:
                throw KernelDispatch.NotAccelerated(width);
        }
    }

    /// <summary><see cref="RankOne{TS, TV, TE}"/> at a width narrower than the host's (<see cref="KernelCompilation.UnderCap"/>).</summary>
    [MethodImpl(KernelCompilation.UnderCap)]
    private static void RankOneUnderCap<TS, TV, TE>(in GemmOperands o, TE epi)
        where TS : ISimd<TV>
        where TV : struct
        where TE : struct, IGemmEpilogue =>
        RankOne<TS, TV, TE>(o, epi);
}
