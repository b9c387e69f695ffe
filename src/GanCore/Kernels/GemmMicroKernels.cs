// <generated>
// Written by tools/GemmKernelGen from tools/GemmKernelGen/GemmKernelSource.cs. Do not edit by hand: change the
// generator and run `dotnet run --project tools/GemmKernelGen` (GemmKernelGenerationTests checks this file is current).
// </generated>
// The register-blocked GEMM micro-kernels: R rows × NV vectors of C held in registers over the whole K loop.
using System.Runtime.CompilerServices;

namespace GanCore.Kernels;

/// <summary>
/// Micro-kernels C[0..R, 0..NV·W) = epilogue(Σ_p A[r, p]·B[p, ·]) of W = TS.Count lanes, for the (R, NV) pairs 16×1, 12×1, 11×1, 10×1, 9×1, 8×3, 8×2, 8×1, 7×3, 7×2, 7×1, 6×3, 6×2, 6×1, 5×3, 5×2, 5×1, 4×3, 4×2, 4×1, 3×3, 3×2, 3×1, 2×3, 2×2, 2×1, 1×3, 1×2, 1×1, 1×4, 1×5, 1×6, 1×7, 1×8, 2×4.
/// A element (r, p) is at <c>a[r·rsA + p·csA]</c>, so one kernel serves A (rsA = lda, csA = 1), Aᵀ (rsA = 1, csA = lda)
/// and a packed A sliver (rsA = 1, csA = MR). B row p starts at <c>b + p·ldb</c> with contiguous columns. The last
/// vector of every row goes through the TC column access so a masked column tail never reads or writes past the
/// matrix. Every element is one FMA chain over p in order, whichever kernel computes it, so the result does not
/// depend on how the output was tiled.
/// </summary>
internal static unsafe class GemmMicroKernels
{
    /// <summary>Runs K{rows}x{nv} on <paramref name="blocks"/> (≥ 1) blocks of rows, one under the other, or with
    /// <paramref name="across"/> ≠ 0 on blocks side by side, <paramref name="across"/> columns of C and
    /// <paramref name="bAcross"/> floats of B apart (full columns only); a pair without a kernel throws
    /// <see cref="GemmKernelMissingException"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Call<TS, TV, TC, TE>(int rows, int nv, int blocks, int k, float* a, nint rsA, nint csA, float* b, nint ldb, float* c, nint ldc, nint column, int tail, TE epi, nint across = 0, nint bAcross = 0)
        where TS : ISimd<TV>
        where TV : struct
        where TC : IColumnAccess
        where TE : IGemmEpilogue
    {
        switch ((rows * 16) + nv)
        {
            case (16 * 16) + 1:
                if (epi.ParksAccumulators)
                {
                    K16x1Parked<TS, TV, TC, TE>(blocks, k, a, rsA, csA, b, ldb, c, ldc, column, tail, epi, across, bAcross);
                }
                else
                {
                    K16x1<TS, TV, TC, TE>(blocks, k, a, rsA, csA, b, ldb, c, ldc, column, tail, epi, across, bAcross);
                }

                break;
            case (12 * 16) + 1:
                K12x1<TS, TV, TC, TE>(blocks, k, a, rsA, csA, b, ldb, c, ldc, column, tail, epi, across, bAcross);
                break;
            case (11 * 16) + 1:
                K11x1<TS, TV, TC, TE>(blocks, k, a, rsA, csA, b, ldb, c, ldc, column, tail, epi, across, bAcross);
                break;
            case (10 * 16) + 1:
                K10x1<TS, TV, TC, TE>(blocks, k, a, rsA, csA, b, ldb, c, ldc, column, tail, epi, across, bAcross);
                break;
            case (9 * 16) + 1:
                K9x1<TS, TV, TC, TE>(blocks, k, a, rsA, csA, b, ldb, c, ldc, column, tail, epi, across, bAcross);
                break;
            case (8 * 16) + 3:
                if (epi.ParksAccumulators)
                {
                    K8x3Parked<TS, TV, TC, TE>(blocks, k, a, rsA, csA, b, ldb, c, ldc, column, tail, epi, across, bAcross);
                }
                else
                {
                    K8x3<TS, TV, TC, TE>(blocks, k, a, rsA, csA, b, ldb, c, ldc, column, tail, epi, across, bAcross);
                }

                break;
            case (8 * 16) + 2:
                K8x2<TS, TV, TC, TE>(blocks, k, a, rsA, csA, b, ldb, c, ldc, column, tail, epi, across, bAcross);
                break;
            case (8 * 16) + 1:
                K8x1<TS, TV, TC, TE>(blocks, k, a, rsA, csA, b, ldb, c, ldc, column, tail, epi, across, bAcross);
                break;
            case (7 * 16) + 3:
                if (epi.ParksAccumulators)
                {
                    K7x3Parked<TS, TV, TC, TE>(blocks, k, a, rsA, csA, b, ldb, c, ldc, column, tail, epi, across, bAcross);
                }
                else
                {
                    K7x3<TS, TV, TC, TE>(blocks, k, a, rsA, csA, b, ldb, c, ldc, column, tail, epi, across, bAcross);
                }

                break;
            case (7 * 16) + 2:
                K7x2<TS, TV, TC, TE>(blocks, k, a, rsA, csA, b, ldb, c, ldc, column, tail, epi, across, bAcross);
                break;
            case (7 * 16) + 1:
                K7x1<TS, TV, TC, TE>(blocks, k, a, rsA, csA, b, ldb, c, ldc, column, tail, epi, across, bAcross);
                break;
            case (6 * 16) + 3:
                K6x3<TS, TV, TC, TE>(blocks, k, a, rsA, csA, b, ldb, c, ldc, column, tail, epi, across, bAcross);
                break;
            case (6 * 16) + 2:
                K6x2<TS, TV, TC, TE>(blocks, k, a, rsA, csA, b, ldb, c, ldc, column, tail, epi, across, bAcross);
                break;
            case (6 * 16) + 1:
                K6x1<TS, TV, TC, TE>(blocks, k, a, rsA, csA, b, ldb, c, ldc, column, tail, epi, across, bAcross);
                break;
            case (5 * 16) + 3:
                K5x3<TS, TV, TC, TE>(blocks, k, a, rsA, csA, b, ldb, c, ldc, column, tail, epi, across, bAcross);
                break;
            case (5 * 16) + 2:
                K5x2<TS, TV, TC, TE>(blocks, k, a, rsA, csA, b, ldb, c, ldc, column, tail, epi, across, bAcross);
                break;
            case (5 * 16) + 1:
                K5x1<TS, TV, TC, TE>(blocks, k, a, rsA, csA, b, ldb, c, ldc, column, tail, epi, across, bAcross);
                break;
            case (4 * 16) + 3:
                K4x3<TS, TV, TC, TE>(blocks, k, a, rsA, csA, b, ldb, c, ldc, column, tail, epi, across, bAcross);
                break;
            case (4 * 16) + 2:
                K4x2<TS, TV, TC, TE>(blocks, k, a, rsA, csA, b, ldb, c, ldc, column, tail, epi, across, bAcross);
                break;
            case (4 * 16) + 1:
                K4x1<TS, TV, TC, TE>(blocks, k, a, rsA, csA, b, ldb, c, ldc, column, tail, epi, across, bAcross);
                break;
            case (3 * 16) + 3:
                K3x3<TS, TV, TC, TE>(blocks, k, a, rsA, csA, b, ldb, c, ldc, column, tail, epi, across, bAcross);
                break;
            case (3 * 16) + 2:
                K3x2<TS, TV, TC, TE>(blocks, k, a, rsA, csA, b, ldb, c, ldc, column, tail, epi, across, bAcross);
                break;
            case (3 * 16) + 1:
                K3x1<TS, TV, TC, TE>(blocks, k, a, rsA, csA, b, ldb, c, ldc, column, tail, epi, across, bAcross);
                break;
            case (2 * 16) + 3:
                K2x3<TS, TV, TC, TE>(blocks, k, a, rsA, csA, b, ldb, c, ldc, column, tail, epi, across, bAcross);
                break;
            case (2 * 16) + 2:
                K2x2<TS, TV, TC, TE>(blocks, k, a, rsA, csA, b, ldb, c, ldc, column, tail, epi, across, bAcross);
                break;
            case (2 * 16) + 1:
                K2x1<TS, TV, TC, TE>(blocks, k, a, rsA, csA, b, ldb, c, ldc, column, tail, epi, across, bAcross);
                break;
            case (1 * 16) + 3:
                K1x3<TS, TV, TC, TE>(blocks, k, a, rsA, csA, b, ldb, c, ldc, column, tail, epi, across, bAcross);
                break;
            case (1 * 16) + 2:
                K1x2<TS, TV, TC, TE>(blocks, k, a, rsA, csA, b, ldb, c, ldc, column, tail, epi, across, bAcross);
                break;
            case (1 * 16) + 1:
                K1x1<TS, TV, TC, TE>(blocks, k, a, rsA, csA, b, ldb, c, ldc, column, tail, epi, across, bAcross);
                break;
            case (1 * 16) + 4:
                K1x4<TS, TV, TC, TE>(blocks, k, a, rsA, csA, b, ldb, c, ldc, column, tail, epi, across, bAcross);
                break;
            case (1 * 16) + 5:
                K1x5<TS, TV, TC, TE>(blocks, k, a, rsA, csA, b, ldb, c, ldc, column, tail, epi, across, bAcross);
                break;
            case (1 * 16) + 6:
                K1x6<TS, TV, TC, TE>(blocks, k, a, rsA, csA, b, ldb, c, ldc, column, tail, epi, across, bAcross);
                break;
            case (1 * 16) + 7:
                K1x7<TS, TV, TC, TE>(blocks, k, a, rsA, csA, b, ldb, c, ldc, column, tail, epi, across, bAcross);
                break;
            case (1 * 16) + 8:
                K1x8<TS, TV, TC, TE>(blocks, k, a, rsA, csA, b, ldb, c, ldc, column, tail, epi, across, bAcross);
                break;
            case (2 * 16) + 4:
                K2x4<TS, TV, TC, TE>(blocks, k, a, rsA, csA, b, ldb, c, ldc, column, tail, epi, across, bAcross);
                break;
            default:
                throw new GemmKernelMissingException(rows, nv);
        }
    }

    /// <summary>16 row(s) × 1 vector(s), for <paramref name="blocks"/> (≥ 1) blocks of 16 row(s): block i reads A from
    /// <c>a + i·16·rsA</c> and writes C from <c>c + i·16·ldc</c>, so a column of tiles costs one call; with
    /// <paramref name="across"/> ≠ 0 (whole vectors, TC = FullColumns), block i reads B from <c>b + i·bAcross</c> and writes
    /// C from <c>c + i·across</c>, so a row of tiles costs one call.</summary>
    [MethodImpl(KernelCompilation.Hot)]
    public static void K16x1<TS, TV, TC, TE>(int blocks, int k, float* a, nint rsA, nint csA, float* b, nint ldb, float* c, nint ldc, nint column, int tail, TE epi, nint across, nint bAcross)
        where TS : ISimd<TV>
        where TV : struct
        where TC : IColumnAccess
        where TE : IGemmEpilogue
    {
        TV mask = TS.CreateMask(tail);
        nint r1 = rsA;
        nint r2 = rsA * 2;
        nint r3 = rsA * 3;
        nint r4 = rsA * 4;
        nint r5 = rsA * 5;
        nint aBytes = csA * sizeof(float);
        nint bBytes = ldb * sizeof(float);
        nint aStep = across == 0 ? rsA * 16 : 0;
        nint cStep = across == 0 ? ldc * 16 : across;
        for (int block = 0; block < blocks; block++)
        {
            float* ap = a;
            float* bp = b;
            float* a6 = a + (rsA * 6); // rows 6.. reuse the offsets of rows 0.. (fewer live registers)
            float* a12 = a + (rsA * 12); // rows 12.. reuse the offsets of rows 0.. (fewer live registers)
            TV c00 = TE.SeedsFromC ? TC.Load<TS, TV>(c, mask) : default;
            TV c10 = TE.SeedsFromC ? TC.Load<TS, TV>(c + (ldc * 1), mask) : default;
            TV c20 = TE.SeedsFromC ? TC.Load<TS, TV>(c + (ldc * 2), mask) : default;
            TV c30 = TE.SeedsFromC ? TC.Load<TS, TV>(c + (ldc * 3), mask) : default;
            TV c40 = TE.SeedsFromC ? TC.Load<TS, TV>(c + (ldc * 4), mask) : default;
            TV c50 = TE.SeedsFromC ? TC.Load<TS, TV>(c + (ldc * 5), mask) : default;
            TV c60 = TE.SeedsFromC ? TC.Load<TS, TV>(c + (ldc * 6), mask) : default;
            TV c70 = TE.SeedsFromC ? TC.Load<TS, TV>(c + (ldc * 7), mask) : default;
            TV c80 = TE.SeedsFromC ? TC.Load<TS, TV>(c + (ldc * 8), mask) : default;
            TV c90 = TE.SeedsFromC ? TC.Load<TS, TV>(c + (ldc * 9), mask) : default;
            TV c100 = TE.SeedsFromC ? TC.Load<TS, TV>(c + (ldc * 10), mask) : default;
            TV c110 = TE.SeedsFromC ? TC.Load<TS, TV>(c + (ldc * 11), mask) : default;
            TV c120 = TE.SeedsFromC ? TC.Load<TS, TV>(c + (ldc * 12), mask) : default;
            TV c130 = TE.SeedsFromC ? TC.Load<TS, TV>(c + (ldc * 13), mask) : default;
            TV c140 = TE.SeedsFromC ? TC.Load<TS, TV>(c + (ldc * 14), mask) : default;
            TV c150 = TE.SeedsFromC ? TC.Load<TS, TV>(c + (ldc * 15), mask) : default;
            int whole = TC.WholeRows(k, ldb, tail, TS.Count);
            int p = 0;
            for (; p < whole; p++)
            {
                TV b0 = TC.LoadOperand<TS, TV>(bp, mask);
                TS.MultiplyAddBroadcastTo(ref c00, ap, b0);
                TS.MultiplyAddBroadcastTo(ref c10, ap + r1, b0);
                TS.MultiplyAddBroadcastTo(ref c20, ap + r2, b0);
                TS.MultiplyAddBroadcastTo(ref c30, ap + r3, b0);
                TS.MultiplyAddBroadcastTo(ref c40, ap + r4, b0);
                TS.MultiplyAddBroadcastTo(ref c50, ap + r5, b0);
                TS.MultiplyAddBroadcastTo(ref c60, a6, b0);
                TS.MultiplyAddBroadcastTo(ref c70, a6 + r1, b0);
                TS.MultiplyAddBroadcastTo(ref c80, a6 + r2, b0);
                TS.MultiplyAddBroadcastTo(ref c90, a6 + r3, b0);
                TS.MultiplyAddBroadcastTo(ref c100, a6 + r4, b0);
                TS.MultiplyAddBroadcastTo(ref c110, a6 + r5, b0);
                TS.MultiplyAddBroadcastTo(ref c120, a12, b0);
                TS.MultiplyAddBroadcastTo(ref c130, a12 + r1, b0);
                TS.MultiplyAddBroadcastTo(ref c140, a12 + r2, b0);
                TS.MultiplyAddBroadcastTo(ref c150, a12 + r3, b0);
                ap = (float*)((byte*)ap + aBytes);
                a6 = (float*)((byte*)a6 + aBytes);
                a12 = (float*)((byte*)a12 + aBytes);
                bp = (float*)((byte*)bp + bBytes);
            }
            if (TC.OverReads)
            {
                for (; p < k; p++)
                {
                    TV b0 = TS.LoadMasked(bp, mask);
                    TS.MultiplyAddBroadcastTo(ref c00, ap, b0);
                    TS.MultiplyAddBroadcastTo(ref c10, ap + r1, b0);
                    TS.MultiplyAddBroadcastTo(ref c20, ap + r2, b0);
                    TS.MultiplyAddBroadcastTo(ref c30, ap + r3, b0);
                    TS.MultiplyAddBroadcastTo(ref c40, ap + r4, b0);
                    TS.MultiplyAddBroadcastTo(ref c50, ap + r5, b0);
                    TS.MultiplyAddBroadcastTo(ref c60, a6, b0);
                    TS.MultiplyAddBroadcastTo(ref c70, a6 + r1, b0);
                    TS.MultiplyAddBroadcastTo(ref c80, a6 + r2, b0);
                    TS.MultiplyAddBroadcastTo(ref c90, a6 + r3, b0);
                    TS.MultiplyAddBroadcastTo(ref c100, a6 + r4, b0);
                    TS.MultiplyAddBroadcastTo(ref c110, a6 + r5, b0);
                    TS.MultiplyAddBroadcastTo(ref c120, a12, b0);
                    TS.MultiplyAddBroadcastTo(ref c130, a12 + r1, b0);
                    TS.MultiplyAddBroadcastTo(ref c140, a12 + r2, b0);
                    TS.MultiplyAddBroadcastTo(ref c150, a12 + r3, b0);
                    ap = (float*)((byte*)ap + aBytes);
                    a6 = (float*)((byte*)a6 + aBytes);
                    a12 = (float*)((byte*)a12 + aBytes);
                    bp = (float*)((byte*)bp + bBytes);
                }
            }

            float* q0 = c;
            GemmStore.Put<TS, TV, TC, TE>(epi, c00, q0, column, mask);
            float* q1 = c + (ldc * 1);
            GemmStore.Put<TS, TV, TC, TE>(epi, c10, q1, column, mask);
            float* q2 = c + (ldc * 2);
            GemmStore.Put<TS, TV, TC, TE>(epi, c20, q2, column, mask);
            float* q3 = c + (ldc * 3);
            GemmStore.Put<TS, TV, TC, TE>(epi, c30, q3, column, mask);
            float* q4 = c + (ldc * 4);
            GemmStore.Put<TS, TV, TC, TE>(epi, c40, q4, column, mask);
            float* q5 = c + (ldc * 5);
            GemmStore.Put<TS, TV, TC, TE>(epi, c50, q5, column, mask);
            float* q6 = c + (ldc * 6);
            GemmStore.Put<TS, TV, TC, TE>(epi, c60, q6, column, mask);
            float* q7 = c + (ldc * 7);
            GemmStore.Put<TS, TV, TC, TE>(epi, c70, q7, column, mask);
            float* q8 = c + (ldc * 8);
            GemmStore.Put<TS, TV, TC, TE>(epi, c80, q8, column, mask);
            float* q9 = c + (ldc * 9);
            GemmStore.Put<TS, TV, TC, TE>(epi, c90, q9, column, mask);
            float* q10 = c + (ldc * 10);
            GemmStore.Put<TS, TV, TC, TE>(epi, c100, q10, column, mask);
            float* q11 = c + (ldc * 11);
            GemmStore.Put<TS, TV, TC, TE>(epi, c110, q11, column, mask);
            float* q12 = c + (ldc * 12);
            GemmStore.Put<TS, TV, TC, TE>(epi, c120, q12, column, mask);
            float* q13 = c + (ldc * 13);
            GemmStore.Put<TS, TV, TC, TE>(epi, c130, q13, column, mask);
            float* q14 = c + (ldc * 14);
            GemmStore.Put<TS, TV, TC, TE>(epi, c140, q14, column, mask);
            float* q15 = c + (ldc * 15);
            GemmStore.Put<TS, TV, TC, TE>(epi, c150, q15, column, mask);

            a += aStep;
            b += bAcross;
            c += cStep;
            column += across;
        }
    }

    /// <summary>16 row(s) × 1 vector(s), for <paramref name="blocks"/> (≥ 1) blocks of 16 row(s): block i reads A from
    /// <c>a + i·16·rsA</c> and writes C from <c>c + i·16·ldc</c>, so a column of tiles costs one call; with
    /// <paramref name="across"/> ≠ 0 (whole vectors, TC = FullColumns), block i reads B from <c>b + i·bAcross</c> and writes
    /// C from <c>c + i·across</c>, so a row of tiles costs one call.</summary>
    /// <remarks>K16x1 for an epilogue that <see cref="IGemmEpilogue.ParksAccumulators"/>: after the K loop the
    /// accumulators are parked on the stack and stored through one store per column of vectors in a loop over the rows.</remarks>
    [MethodImpl(KernelCompilation.Hot)]
    [SkipLocalsInit]
    public static void K16x1Parked<TS, TV, TC, TE>(int blocks, int k, float* a, nint rsA, nint csA, float* b, nint ldb, float* c, nint ldc, nint column, int tail, TE epi, nint across, nint bAcross)
        where TS : ISimd<TV>
        where TV : struct
        where TC : IColumnAccess
        where TE : IGemmEpilogue
    {
        TV mask = TS.CreateMask(tail);
        nint w = TS.Count;
        float* parked = stackalloc float[16 * 16]; // 16 vectors of up to 16 lanes, for every block
        nint r1 = rsA;
        nint r2 = rsA * 2;
        nint r3 = rsA * 3;
        nint r4 = rsA * 4;
        nint r5 = rsA * 5;
        nint aBytes = csA * sizeof(float);
        nint bBytes = ldb * sizeof(float);
        nint aStep = across == 0 ? rsA * 16 : 0;
        nint cStep = across == 0 ? ldc * 16 : across;
        for (int block = 0; block < blocks; block++)
        {
            float* ap = a;
            float* bp = b;
            float* a6 = a + (rsA * 6); // rows 6.. reuse the offsets of rows 0.. (fewer live registers)
            float* a12 = a + (rsA * 12); // rows 12.. reuse the offsets of rows 0.. (fewer live registers)
            TV c00 = TE.SeedsFromC ? TC.Load<TS, TV>(c, mask) : default;
            TV c10 = TE.SeedsFromC ? TC.Load<TS, TV>(c + (ldc * 1), mask) : default;
            TV c20 = TE.SeedsFromC ? TC.Load<TS, TV>(c + (ldc * 2), mask) : default;
            TV c30 = TE.SeedsFromC ? TC.Load<TS, TV>(c + (ldc * 3), mask) : default;
            TV c40 = TE.SeedsFromC ? TC.Load<TS, TV>(c + (ldc * 4), mask) : default;
            TV c50 = TE.SeedsFromC ? TC.Load<TS, TV>(c + (ldc * 5), mask) : default;
            TV c60 = TE.SeedsFromC ? TC.Load<TS, TV>(c + (ldc * 6), mask) : default;
            TV c70 = TE.SeedsFromC ? TC.Load<TS, TV>(c + (ldc * 7), mask) : default;
            TV c80 = TE.SeedsFromC ? TC.Load<TS, TV>(c + (ldc * 8), mask) : default;
            TV c90 = TE.SeedsFromC ? TC.Load<TS, TV>(c + (ldc * 9), mask) : default;
            TV c100 = TE.SeedsFromC ? TC.Load<TS, TV>(c + (ldc * 10), mask) : default;
            TV c110 = TE.SeedsFromC ? TC.Load<TS, TV>(c + (ldc * 11), mask) : default;
            TV c120 = TE.SeedsFromC ? TC.Load<TS, TV>(c + (ldc * 12), mask) : default;
            TV c130 = TE.SeedsFromC ? TC.Load<TS, TV>(c + (ldc * 13), mask) : default;
            TV c140 = TE.SeedsFromC ? TC.Load<TS, TV>(c + (ldc * 14), mask) : default;
            TV c150 = TE.SeedsFromC ? TC.Load<TS, TV>(c + (ldc * 15), mask) : default;
            int whole = TC.WholeRows(k, ldb, tail, TS.Count);
            int p = 0;
            for (; p < whole; p++)
            {
                TV b0 = TC.LoadOperand<TS, TV>(bp, mask);
                TS.MultiplyAddBroadcastTo(ref c00, ap, b0);
                TS.MultiplyAddBroadcastTo(ref c10, ap + r1, b0);
                TS.MultiplyAddBroadcastTo(ref c20, ap + r2, b0);
                TS.MultiplyAddBroadcastTo(ref c30, ap + r3, b0);
                TS.MultiplyAddBroadcastTo(ref c40, ap + r4, b0);
                TS.MultiplyAddBroadcastTo(ref c50, ap + r5, b0);
                TS.MultiplyAddBroadcastTo(ref c60, a6, b0);
                TS.MultiplyAddBroadcastTo(ref c70, a6 + r1, b0);
                TS.MultiplyAddBroadcastTo(ref c80, a6 + r2, b0);
                TS.MultiplyAddBroadcastTo(ref c90, a6 + r3, b0);
                TS.MultiplyAddBroadcastTo(ref c100, a6 + r4, b0);
                TS.MultiplyAddBroadcastTo(ref c110, a6 + r5, b0);
                TS.MultiplyAddBroadcastTo(ref c120, a12, b0);
                TS.MultiplyAddBroadcastTo(ref c130, a12 + r1, b0);
                TS.MultiplyAddBroadcastTo(ref c140, a12 + r2, b0);
                TS.MultiplyAddBroadcastTo(ref c150, a12 + r3, b0);
                ap = (float*)((byte*)ap + aBytes);
                a6 = (float*)((byte*)a6 + aBytes);
                a12 = (float*)((byte*)a12 + aBytes);
                bp = (float*)((byte*)bp + bBytes);
            }
            if (TC.OverReads)
            {
                for (; p < k; p++)
                {
                    TV b0 = TS.LoadMasked(bp, mask);
                    TS.MultiplyAddBroadcastTo(ref c00, ap, b0);
                    TS.MultiplyAddBroadcastTo(ref c10, ap + r1, b0);
                    TS.MultiplyAddBroadcastTo(ref c20, ap + r2, b0);
                    TS.MultiplyAddBroadcastTo(ref c30, ap + r3, b0);
                    TS.MultiplyAddBroadcastTo(ref c40, ap + r4, b0);
                    TS.MultiplyAddBroadcastTo(ref c50, ap + r5, b0);
                    TS.MultiplyAddBroadcastTo(ref c60, a6, b0);
                    TS.MultiplyAddBroadcastTo(ref c70, a6 + r1, b0);
                    TS.MultiplyAddBroadcastTo(ref c80, a6 + r2, b0);
                    TS.MultiplyAddBroadcastTo(ref c90, a6 + r3, b0);
                    TS.MultiplyAddBroadcastTo(ref c100, a6 + r4, b0);
                    TS.MultiplyAddBroadcastTo(ref c110, a6 + r5, b0);
                    TS.MultiplyAddBroadcastTo(ref c120, a12, b0);
                    TS.MultiplyAddBroadcastTo(ref c130, a12 + r1, b0);
                    TS.MultiplyAddBroadcastTo(ref c140, a12 + r2, b0);
                    TS.MultiplyAddBroadcastTo(ref c150, a12 + r3, b0);
                    ap = (float*)((byte*)ap + aBytes);
                    a6 = (float*)((byte*)a6 + aBytes);
                    a12 = (float*)((byte*)a12 + aBytes);
                    bp = (float*)((byte*)bp + bBytes);
                }
            }

            TS.Store(c00, ref *(parked), 0);
            TS.Store(c10, ref *(parked + w), 0);
            TS.Store(c20, ref *(parked + (w * 2)), 0);
            TS.Store(c30, ref *(parked + (w * 3)), 0);
            TS.Store(c40, ref *(parked + (w * 4)), 0);
            TS.Store(c50, ref *(parked + (w * 5)), 0);
            TS.Store(c60, ref *(parked + (w * 6)), 0);
            TS.Store(c70, ref *(parked + (w * 7)), 0);
            TS.Store(c80, ref *(parked + (w * 8)), 0);
            TS.Store(c90, ref *(parked + (w * 9)), 0);
            TS.Store(c100, ref *(parked + (w * 10)), 0);
            TS.Store(c110, ref *(parked + (w * 11)), 0);
            TS.Store(c120, ref *(parked + (w * 12)), 0);
            TS.Store(c130, ref *(parked + (w * 13)), 0);
            TS.Store(c140, ref *(parked + (w * 14)), 0);
            TS.Store(c150, ref *(parked + (w * 15)), 0);
            for (int r = 0; r < 16; r++)
            {
                float* qr = c + (ldc * r);
                float* pr = parked + (w * r);
                GemmStore.Put<TS, TV, TC, TE>(epi, TS.Load(ref *(pr), 0), qr, column, mask);
            }

            a += aStep;
            b += bAcross;
            c += cStep;
            column += across;
        }
    }

    /// <summary>12 row(s) × 1 vector(s), for <paramref name="blocks"/> (≥ 1) blocks of 12 row(s): block i reads A from
    /// <c>a + i·12·rsA</c> and writes C from <c>c + i·12·ldc</c>, so a column of tiles costs one call; with
    /// <paramref name="across"/> ≠ 0 (whole vectors, TC = FullColumns), block i reads B from <c>b + i·bAcross</c> and writes
    /// C from <c>c + i·across</c>, so a row of tiles costs one call.</summary>
    [MethodImpl(KernelCompilation.Hot)]
    public static void K12x1<TS, TV, TC, TE>(int blocks, int k, float* a, nint rsA, nint csA, float* b, nint ldb, float* c, nint ldc, nint column, int tail, TE epi, nint across, nint bAcross)
        where TS : ISimd<TV>
        where TV : struct
        where TC : IColumnAccess
        where TE : IGemmEpilogue
    {
        TV mask = TS.CreateMask(tail);
        nint r1 = rsA;
        nint r2 = rsA * 2;
        nint r3 = rsA * 3;
        nint r4 = rsA * 4;
        nint r5 = rsA * 5;
        nint aBytes = csA * sizeof(float);
        nint bBytes = ldb * sizeof(float);
        nint aStep = across == 0 ? rsA * 12 : 0;
        nint cStep = across == 0 ? ldc * 12 : across;
        for (int block = 0; block < blocks; block++)
        {
            float* ap = a;
            float* bp = b;
            float* a6 = a + (rsA * 6); // rows 6.. reuse the offsets of rows 0.. (fewer live registers)
            TV c00 = TE.SeedsFromC ? TC.Load<TS, TV>(c, mask) : default;
            TV c10 = TE.SeedsFromC ? TC.Load<TS, TV>(c + (ldc * 1), mask) : default;
            TV c20 = TE.SeedsFromC ? TC.Load<TS, TV>(c + (ldc * 2), mask) : default;
            TV c30 = TE.SeedsFromC ? TC.Load<TS, TV>(c + (ldc * 3), mask) : default;
            TV c40 = TE.SeedsFromC ? TC.Load<TS, TV>(c + (ldc * 4), mask) : default;
            TV c50 = TE.SeedsFromC ? TC.Load<TS, TV>(c + (ldc * 5), mask) : default;
            TV c60 = TE.SeedsFromC ? TC.Load<TS, TV>(c + (ldc * 6), mask) : default;
            TV c70 = TE.SeedsFromC ? TC.Load<TS, TV>(c + (ldc * 7), mask) : default;
            TV c80 = TE.SeedsFromC ? TC.Load<TS, TV>(c + (ldc * 8), mask) : default;
            TV c90 = TE.SeedsFromC ? TC.Load<TS, TV>(c + (ldc * 9), mask) : default;
            TV c100 = TE.SeedsFromC ? TC.Load<TS, TV>(c + (ldc * 10), mask) : default;
            TV c110 = TE.SeedsFromC ? TC.Load<TS, TV>(c + (ldc * 11), mask) : default;
            int whole = TC.WholeRows(k, ldb, tail, TS.Count);
            int p = 0;
            for (; p < whole; p++)
            {
                TV b0 = TC.LoadOperand<TS, TV>(bp, mask);
                TS.MultiplyAddBroadcastTo(ref c00, ap, b0);
                TS.MultiplyAddBroadcastTo(ref c10, ap + r1, b0);
                TS.MultiplyAddBroadcastTo(ref c20, ap + r2, b0);
                TS.MultiplyAddBroadcastTo(ref c30, ap + r3, b0);
                TS.MultiplyAddBroadcastTo(ref c40, ap + r4, b0);
                TS.MultiplyAddBroadcastTo(ref c50, ap + r5, b0);
                TS.MultiplyAddBroadcastTo(ref c60, a6, b0);
                TS.MultiplyAddBroadcastTo(ref c70, a6 + r1, b0);
                TS.MultiplyAddBroadcastTo(ref c80, a6 + r2, b0);
                TS.MultiplyAddBroadcastTo(ref c90, a6 + r3, b0);
                TS.MultiplyAddBroadcastTo(ref c100, a6 + r4, b0);
                TS.MultiplyAddBroadcastTo(ref c110, a6 + r5, b0);
                ap = (float*)((byte*)ap + aBytes);
                a6 = (float*)((byte*)a6 + aBytes);
                bp = (float*)((byte*)bp + bBytes);
            }
            if (TC.OverReads)
            {
                for (; p < k; p++)
                {
                    TV b0 = TS.LoadMasked(bp, mask);
                    TS.MultiplyAddBroadcastTo(ref c00, ap, b0);
                    TS.MultiplyAddBroadcastTo(ref c10, ap + r1, b0);
                    TS.MultiplyAddBroadcastTo(ref c20, ap + r2, b0);
                    TS.MultiplyAddBroadcastTo(ref c30, ap + r3, b0);
                    TS.MultiplyAddBroadcastTo(ref c40, ap + r4, b0);
                    TS.MultiplyAddBroadcastTo(ref c50, ap + r5, b0);
                    TS.MultiplyAddBroadcastTo(ref c60, a6, b0);
                    TS.MultiplyAddBroadcastTo(ref c70, a6 + r1, b0);
                    TS.MultiplyAddBroadcastTo(ref c80, a6 + r2, b0);
                    TS.MultiplyAddBroadcastTo(ref c90, a6 + r3, b0);
                    TS.MultiplyAddBroadcastTo(ref c100, a6 + r4, b0);
                    TS.MultiplyAddBroadcastTo(ref c110, a6 + r5, b0);
                    ap = (float*)((byte*)ap + aBytes);
                    a6 = (float*)((byte*)a6 + aBytes);
                    bp = (float*)((byte*)bp + bBytes);
                }
            }

            float* q0 = c;
            GemmStore.Put<TS, TV, TC, TE>(epi, c00, q0, column, mask);
            float* q1 = c + (ldc * 1);
            GemmStore.Put<TS, TV, TC, TE>(epi, c10, q1, column, mask);
            float* q2 = c + (ldc * 2);
            GemmStore.Put<TS, TV, TC, TE>(epi, c20, q2, column, mask);
            float* q3 = c + (ldc * 3);
            GemmStore.Put<TS, TV, TC, TE>(epi, c30, q3, column, mask);
            float* q4 = c + (ldc * 4);
            GemmStore.Put<TS, TV, TC, TE>(epi, c40, q4, column, mask);
            float* q5 = c + (ldc * 5);
            GemmStore.Put<TS, TV, TC, TE>(epi, c50, q5, column, mask);
            float* q6 = c + (ldc * 6);
            GemmStore.Put<TS, TV, TC, TE>(epi, c60, q6, column, mask);
            float* q7 = c + (ldc * 7);
            GemmStore.Put<TS, TV, TC, TE>(epi, c70, q7, column, mask);
            float* q8 = c + (ldc * 8);
            GemmStore.Put<TS, TV, TC, TE>(epi, c80, q8, column, mask);
            float* q9 = c + (ldc * 9);
            GemmStore.Put<TS, TV, TC, TE>(epi, c90, q9, column, mask);
            float* q10 = c + (ldc * 10);
            GemmStore.Put<TS, TV, TC, TE>(epi, c100, q10, column, mask);
            float* q11 = c + (ldc * 11);
            GemmStore.Put<TS, TV, TC, TE>(epi, c110, q11, column, mask);

            a += aStep;
            b += bAcross;
            c += cStep;
            column += across;
        }
    }

    /// <summary>11 row(s) × 1 vector(s), one block (a row tail; <paramref name="blocks"/> must be 1, and
    /// <paramref name="across"/> and <paramref name="bAcross"/> are unused).</summary>
    [MethodImpl(KernelCompilation.Hot)]
    public static void K11x1<TS, TV, TC, TE>(int blocks, int k, float* a, nint rsA, nint csA, float* b, nint ldb, float* c, nint ldc, nint column, int tail, TE epi, nint across, nint bAcross)
        where TS : ISimd<TV>
        where TV : struct
        where TC : IColumnAccess
        where TE : IGemmEpilogue
    {
        TV mask = TS.CreateMask(tail);
        nint r1 = rsA;
        nint r2 = rsA * 2;
        nint r3 = rsA * 3;
        nint r4 = rsA * 4;
        nint r5 = rsA * 5;
        nint aBytes = csA * sizeof(float);
        nint bBytes = ldb * sizeof(float);
        if (blocks != 1)
        {
            throw new GemmKernelMissingException(11, 1, blocks);
        }

        float* ap = a;
        float* bp = b;
        float* a6 = a + (rsA * 6); // rows 6.. reuse the offsets of rows 0.. (fewer live registers)
        TV c00 = TE.SeedsFromC ? TC.Load<TS, TV>(c, mask) : default;
        TV c10 = TE.SeedsFromC ? TC.Load<TS, TV>(c + (ldc * 1), mask) : default;
        TV c20 = TE.SeedsFromC ? TC.Load<TS, TV>(c + (ldc * 2), mask) : default;
        TV c30 = TE.SeedsFromC ? TC.Load<TS, TV>(c + (ldc * 3), mask) : default;
        TV c40 = TE.SeedsFromC ? TC.Load<TS, TV>(c + (ldc * 4), mask) : default;
        TV c50 = TE.SeedsFromC ? TC.Load<TS, TV>(c + (ldc * 5), mask) : default;
        TV c60 = TE.SeedsFromC ? TC.Load<TS, TV>(c + (ldc * 6), mask) : default;
        TV c70 = TE.SeedsFromC ? TC.Load<TS, TV>(c + (ldc * 7), mask) : default;
        TV c80 = TE.SeedsFromC ? TC.Load<TS, TV>(c + (ldc * 8), mask) : default;
        TV c90 = TE.SeedsFromC ? TC.Load<TS, TV>(c + (ldc * 9), mask) : default;
        TV c100 = TE.SeedsFromC ? TC.Load<TS, TV>(c + (ldc * 10), mask) : default;
        int whole = TC.WholeRows(k, ldb, tail, TS.Count);
        int p = 0;
        for (; p < whole; p++)
        {
            TV b0 = TC.LoadOperand<TS, TV>(bp, mask);
            TS.MultiplyAddBroadcastTo(ref c00, ap, b0);
            TS.MultiplyAddBroadcastTo(ref c10, ap + r1, b0);
            TS.MultiplyAddBroadcastTo(ref c20, ap + r2, b0);
            TS.MultiplyAddBroadcastTo(ref c30, ap + r3, b0);
            TS.MultiplyAddBroadcastTo(ref c40, ap + r4, b0);
            TS.MultiplyAddBroadcastTo(ref c50, ap + r5, b0);
            TS.MultiplyAddBroadcastTo(ref c60, a6, b0);
            TS.MultiplyAddBroadcastTo(ref c70, a6 + r1, b0);
            TS.MultiplyAddBroadcastTo(ref c80, a6 + r2, b0);
            TS.MultiplyAddBroadcastTo(ref c90, a6 + r3, b0);
            TS.MultiplyAddBroadcastTo(ref c100, a6 + r4, b0);
            ap = (float*)((byte*)ap + aBytes);
            a6 = (float*)((byte*)a6 + aBytes);
            bp = (float*)((byte*)bp + bBytes);
        }
        if (TC.OverReads)
        {
            for (; p < k; p++)
            {
                TV b0 = TS.LoadMasked(bp, mask);
                TS.MultiplyAddBroadcastTo(ref c00, ap, b0);
                TS.MultiplyAddBroadcastTo(ref c10, ap + r1, b0);
                TS.MultiplyAddBroadcastTo(ref c20, ap + r2, b0);
                TS.MultiplyAddBroadcastTo(ref c30, ap + r3, b0);
                TS.MultiplyAddBroadcastTo(ref c40, ap + r4, b0);
                TS.MultiplyAddBroadcastTo(ref c50, ap + r5, b0);
                TS.MultiplyAddBroadcastTo(ref c60, a6, b0);
                TS.MultiplyAddBroadcastTo(ref c70, a6 + r1, b0);
                TS.MultiplyAddBroadcastTo(ref c80, a6 + r2, b0);
                TS.MultiplyAddBroadcastTo(ref c90, a6 + r3, b0);
                TS.MultiplyAddBroadcastTo(ref c100, a6 + r4, b0);
                ap = (float*)((byte*)ap + aBytes);
                a6 = (float*)((byte*)a6 + aBytes);
                bp = (float*)((byte*)bp + bBytes);
            }
        }

        float* q0 = c;
        GemmStore.Put<TS, TV, TC, TE>(epi, c00, q0, column, mask);
        float* q1 = c + (ldc * 1);
        GemmStore.Put<TS, TV, TC, TE>(epi, c10, q1, column, mask);
        float* q2 = c + (ldc * 2);
        GemmStore.Put<TS, TV, TC, TE>(epi, c20, q2, column, mask);
        float* q3 = c + (ldc * 3);
        GemmStore.Put<TS, TV, TC, TE>(epi, c30, q3, column, mask);
        float* q4 = c + (ldc * 4);
        GemmStore.Put<TS, TV, TC, TE>(epi, c40, q4, column, mask);
        float* q5 = c + (ldc * 5);
        GemmStore.Put<TS, TV, TC, TE>(epi, c50, q5, column, mask);
        float* q6 = c + (ldc * 6);
        GemmStore.Put<TS, TV, TC, TE>(epi, c60, q6, column, mask);
        float* q7 = c + (ldc * 7);
        GemmStore.Put<TS, TV, TC, TE>(epi, c70, q7, column, mask);
        float* q8 = c + (ldc * 8);
        GemmStore.Put<TS, TV, TC, TE>(epi, c80, q8, column, mask);
        float* q9 = c + (ldc * 9);
        GemmStore.Put<TS, TV, TC, TE>(epi, c90, q9, column, mask);
        float* q10 = c + (ldc * 10);
        GemmStore.Put<TS, TV, TC, TE>(epi, c100, q10, column, mask);
    }

    /// <summary>10 row(s) × 1 vector(s), one block (a row tail; <paramref name="blocks"/> must be 1, and
    /// <paramref name="across"/> and <paramref name="bAcross"/> are unused).</summary>
    [MethodImpl(KernelCompilation.Hot)]
    public static void K10x1<TS, TV, TC, TE>(int blocks, int k, float* a, nint rsA, nint csA, float* b, nint ldb, float* c, nint ldc, nint column, int tail, TE epi, nint across, nint bAcross)
        where TS : ISimd<TV>
        where TV : struct
        where TC : IColumnAccess
        where TE : IGemmEpilogue
    {
        TV mask = TS.CreateMask(tail);
        nint r1 = rsA;
        nint r2 = rsA * 2;
        nint r3 = rsA * 3;
        nint r4 = rsA * 4;
        nint aBytes = csA * sizeof(float);
        nint bBytes = ldb * sizeof(float);
        if (blocks != 1)
        {
            throw new GemmKernelMissingException(10, 1, blocks);
        }

        float* ap = a;
        float* bp = b;
        float* a5 = a + (rsA * 5); // rows 5.. reuse the offsets of rows 0.. (fewer live registers)
        TV c00 = TE.SeedsFromC ? TC.Load<TS, TV>(c, mask) : default;
        TV c10 = TE.SeedsFromC ? TC.Load<TS, TV>(c + (ldc * 1), mask) : default;
        TV c20 = TE.SeedsFromC ? TC.Load<TS, TV>(c + (ldc * 2), mask) : default;
        TV c30 = TE.SeedsFromC ? TC.Load<TS, TV>(c + (ldc * 3), mask) : default;
        TV c40 = TE.SeedsFromC ? TC.Load<TS, TV>(c + (ldc * 4), mask) : default;
        TV c50 = TE.SeedsFromC ? TC.Load<TS, TV>(c + (ldc * 5), mask) : default;
        TV c60 = TE.SeedsFromC ? TC.Load<TS, TV>(c + (ldc * 6), mask) : default;
        TV c70 = TE.SeedsFromC ? TC.Load<TS, TV>(c + (ldc * 7), mask) : default;
        TV c80 = TE.SeedsFromC ? TC.Load<TS, TV>(c + (ldc * 8), mask) : default;
        TV c90 = TE.SeedsFromC ? TC.Load<TS, TV>(c + (ldc * 9), mask) : default;
        int whole = TC.WholeRows(k, ldb, tail, TS.Count);
        int p = 0;
        for (; p < whole; p++)
        {
            TV b0 = TC.LoadOperand<TS, TV>(bp, mask);
            TS.MultiplyAddBroadcastTo(ref c00, ap, b0);
            TS.MultiplyAddBroadcastTo(ref c10, ap + r1, b0);
            TS.MultiplyAddBroadcastTo(ref c20, ap + r2, b0);
            TS.MultiplyAddBroadcastTo(ref c30, ap + r3, b0);
            TS.MultiplyAddBroadcastTo(ref c40, ap + r4, b0);
            TS.MultiplyAddBroadcastTo(ref c50, a5, b0);
            TS.MultiplyAddBroadcastTo(ref c60, a5 + r1, b0);
            TS.MultiplyAddBroadcastTo(ref c70, a5 + r2, b0);
            TS.MultiplyAddBroadcastTo(ref c80, a5 + r3, b0);
            TS.MultiplyAddBroadcastTo(ref c90, a5 + r4, b0);
            ap = (float*)((byte*)ap + aBytes);
            a5 = (float*)((byte*)a5 + aBytes);
            bp = (float*)((byte*)bp + bBytes);
        }
        if (TC.OverReads)
        {
            for (; p < k; p++)
            {
                TV b0 = TS.LoadMasked(bp, mask);
                TS.MultiplyAddBroadcastTo(ref c00, ap, b0);
                TS.MultiplyAddBroadcastTo(ref c10, ap + r1, b0);
                TS.MultiplyAddBroadcastTo(ref c20, ap + r2, b0);
                TS.MultiplyAddBroadcastTo(ref c30, ap + r3, b0);
                TS.MultiplyAddBroadcastTo(ref c40, ap + r4, b0);
                TS.MultiplyAddBroadcastTo(ref c50, a5, b0);
                TS.MultiplyAddBroadcastTo(ref c60, a5 + r1, b0);
                TS.MultiplyAddBroadcastTo(ref c70, a5 + r2, b0);
                TS.MultiplyAddBroadcastTo(ref c80, a5 + r3, b0);
                TS.MultiplyAddBroadcastTo(ref c90, a5 + r4, b0);
                ap = (float*)((byte*)ap + aBytes);
                a5 = (float*)((byte*)a5 + aBytes);
                bp = (float*)((byte*)bp + bBytes);
            }
        }

        float* q0 = c;
        GemmStore.Put<TS, TV, TC, TE>(epi, c00, q0, column, mask);
        float* q1 = c + (ldc * 1);
        GemmStore.Put<TS, TV, TC, TE>(epi, c10, q1, column, mask);
        float* q2 = c + (ldc * 2);
        GemmStore.Put<TS, TV, TC, TE>(epi, c20, q2, column, mask);
        float* q3 = c + (ldc * 3);
        GemmStore.Put<TS, TV, TC, TE>(epi, c30, q3, column, mask);
        float* q4 = c + (ldc * 4);
        GemmStore.Put<TS, TV, TC, TE>(epi, c40, q4, column, mask);
        float* q5 = c + (ldc * 5);
        GemmStore.Put<TS, TV, TC, TE>(epi, c50, q5, column, mask);
        float* q6 = c + (ldc * 6);
        GemmStore.Put<TS, TV, TC, TE>(epi, c60, q6, column, mask);
        float* q7 = c + (ldc * 7);
        GemmStore.Put<TS, TV, TC, TE>(epi, c70, q7, column, mask);
        float* q8 = c + (ldc * 8);
        GemmStore.Put<TS, TV, TC, TE>(epi, c80, q8, column, mask);
        float* q9 = c + (ldc * 9);
        GemmStore.Put<TS, TV, TC, TE>(epi, c90, q9, column, mask);
    }

    /// <summary>9 row(s) × 1 vector(s), one block (a row tail; <paramref name="blocks"/> must be 1, and
    /// <paramref name="across"/> and <paramref name="bAcross"/> are unused).</summary>
    [MethodImpl(KernelCompilation.Hot)]
    public static void K9x1<TS, TV, TC, TE>(int blocks, int k, float* a, nint rsA, nint csA, float* b, nint ldb, float* c, nint ldc, nint column, int tail, TE epi, nint across, nint bAcross)
        where TS : ISimd<TV>
        where TV : struct
        where TC : IColumnAccess
        where TE : IGemmEpilogue
    {
        TV mask = TS.CreateMask(tail);
        nint r1 = rsA;
        nint r2 = rsA * 2;
        nint r3 = rsA * 3;
        nint r4 = rsA * 4;
        nint aBytes = csA * sizeof(float);
        nint bBytes = ldb * sizeof(float);
        if (blocks != 1)
        {
            throw new GemmKernelMissingException(9, 1, blocks);
        }

        float* ap = a;
        float* bp = b;
        float* a5 = a + (rsA * 5); // rows 5.. reuse the offsets of rows 0.. (fewer live registers)
        TV c00 = TE.SeedsFromC ? TC.Load<TS, TV>(c, mask) : default;
        TV c10 = TE.SeedsFromC ? TC.Load<TS, TV>(c + (ldc * 1), mask) : default;
        TV c20 = TE.SeedsFromC ? TC.Load<TS, TV>(c + (ldc * 2), mask) : default;
        TV c30 = TE.SeedsFromC ? TC.Load<TS, TV>(c + (ldc * 3), mask) : default;
        TV c40 = TE.SeedsFromC ? TC.Load<TS, TV>(c + (ldc * 4), mask) : default;
        TV c50 = TE.SeedsFromC ? TC.Load<TS, TV>(c + (ldc * 5), mask) : default;
        TV c60 = TE.SeedsFromC ? TC.Load<TS, TV>(c + (ldc * 6), mask) : default;
        TV c70 = TE.SeedsFromC ? TC.Load<TS, TV>(c + (ldc * 7), mask) : default;
        TV c80 = TE.SeedsFromC ? TC.Load<TS, TV>(c + (ldc * 8), mask) : default;
        int whole = TC.WholeRows(k, ldb, tail, TS.Count);
        int p = 0;
        for (; p < whole; p++)
        {
            TV b0 = TC.LoadOperand<TS, TV>(bp, mask);
            TS.MultiplyAddBroadcastTo(ref c00, ap, b0);
            TS.MultiplyAddBroadcastTo(ref c10, ap + r1, b0);
            TS.MultiplyAddBroadcastTo(ref c20, ap + r2, b0);
            TS.MultiplyAddBroadcastTo(ref c30, ap + r3, b0);
            TS.MultiplyAddBroadcastTo(ref c40, ap + r4, b0);
            TS.MultiplyAddBroadcastTo(ref c50, a5, b0);
            TS.MultiplyAddBroadcastTo(ref c60, a5 + r1, b0);
            TS.MultiplyAddBroadcastTo(ref c70, a5 + r2, b0);
            TS.MultiplyAddBroadcastTo(ref c80, a5 + r3, b0);
            ap = (float*)((byte*)ap + aBytes);
            a5 = (float*)((byte*)a5 + aBytes);
            bp = (float*)((byte*)bp + bBytes);
        }
        if (TC.OverReads)
        {
            for (; p < k; p++)
            {
                TV b0 = TS.LoadMasked(bp, mask);
                TS.MultiplyAddBroadcastTo(ref c00, ap, b0);
                TS.MultiplyAddBroadcastTo(ref c10, ap + r1, b0);
                TS.MultiplyAddBroadcastTo(ref c20, ap + r2, b0);
                TS.MultiplyAddBroadcastTo(ref c30, ap + r3, b0);
                TS.MultiplyAddBroadcastTo(ref c40, ap + r4, b0);
                TS.MultiplyAddBroadcastTo(ref c50, a5, b0);
                TS.MultiplyAddBroadcastTo(ref c60, a5 + r1, b0);
                TS.MultiplyAddBroadcastTo(ref c70, a5 + r2, b0);
                TS.MultiplyAddBroadcastTo(ref c80, a5 + r3, b0);
                ap = (float*)((byte*)ap + aBytes);
                a5 = (float*)((byte*)a5 + aBytes);
                bp = (float*)((byte*)bp + bBytes);
            }
        }

        float* q0 = c;
        GemmStore.Put<TS, TV, TC, TE>(epi, c00, q0, column, mask);
        float* q1 = c + (ldc * 1);
        GemmStore.Put<TS, TV, TC, TE>(epi, c10, q1, column, mask);
        float* q2 = c + (ldc * 2);
        GemmStore.Put<TS, TV, TC, TE>(epi, c20, q2, column, mask);
        float* q3 = c + (ldc * 3);
        GemmStore.Put<TS, TV, TC, TE>(epi, c30, q3, column, mask);
        float* q4 = c + (ldc * 4);
        GemmStore.Put<TS, TV, TC, TE>(epi, c40, q4, column, mask);
        float* q5 = c + (ldc * 5);
        GemmStore.Put<TS, TV, TC, TE>(epi, c50, q5, column, mask);
        float* q6 = c + (ldc * 6);
        GemmStore.Put<TS, TV, TC, TE>(epi, c60, q6, column, mask);
        float* q7 = c + (ldc * 7);
        GemmStore.Put<TS, TV, TC, TE>(epi, c70, q7, column, mask);
        float* q8 = c + (ldc * 8);
        GemmStore.Put<TS, TV, TC, TE>(epi, c80, q8, column, mask);
    }

    /// <summary>8 row(s) × 3 vector(s), for <paramref name="blocks"/> (≥ 1) blocks of 8 row(s): block i reads A from
    /// <c>a + i·8·rsA</c> and writes C from <c>c + i·8·ldc</c>, so a column of tiles costs one call; with
    /// <paramref name="across"/> ≠ 0 (whole vectors, TC = FullColumns), block i reads B from <c>b + i·bAcross</c> and writes
    /// C from <c>c + i·across</c>, so a row of tiles costs one call.</summary>
    [MethodImpl(KernelCompilation.Hot)]
    public static void K8x3<TS, TV, TC, TE>(int blocks, int k, float* a, nint rsA, nint csA, float* b, nint ldb, float* c, nint ldc, nint column, int tail, TE epi, nint across, nint bAcross)
        where TS : ISimd<TV>
        where TV : struct
        where TC : IColumnAccess
        where TE : IGemmEpilogue
    {
        TV mask = TS.CreateMask(tail);
        nint w = TS.Count;
        nint r1 = rsA;
        nint r2 = rsA * 2;
        nint r3 = rsA * 3;
        nint aBytes = csA * sizeof(float);
        nint bBytes = ldb * sizeof(float);
        nint aStep = across == 0 ? rsA * 8 : 0;
        nint cStep = across == 0 ? ldc * 8 : across;
        for (int block = 0; block < blocks; block++)
        {
            float* ap = a;
            float* bp = b;
            float* a4 = a + (rsA * 4); // rows 4.. reuse the offsets of rows 0.. (fewer live registers)
            TV c00 = TE.SeedsFromC ? TS.Load(ref *(c), 0) : default;
            TV c01 = TE.SeedsFromC ? TS.Load(ref *(c + w), 0) : default;
            TV c02 = TE.SeedsFromC ? TC.Load<TS, TV>(c + (w * 2), mask) : default;
            TV c10 = TE.SeedsFromC ? TS.Load(ref *(c + (ldc * 1)), 0) : default;
            TV c11 = TE.SeedsFromC ? TS.Load(ref *(c + (ldc * 1) + w), 0) : default;
            TV c12 = TE.SeedsFromC ? TC.Load<TS, TV>(c + (ldc * 1) + (w * 2), mask) : default;
            TV c20 = TE.SeedsFromC ? TS.Load(ref *(c + (ldc * 2)), 0) : default;
            TV c21 = TE.SeedsFromC ? TS.Load(ref *(c + (ldc * 2) + w), 0) : default;
            TV c22 = TE.SeedsFromC ? TC.Load<TS, TV>(c + (ldc * 2) + (w * 2), mask) : default;
            TV c30 = TE.SeedsFromC ? TS.Load(ref *(c + (ldc * 3)), 0) : default;
            TV c31 = TE.SeedsFromC ? TS.Load(ref *(c + (ldc * 3) + w), 0) : default;
            TV c32 = TE.SeedsFromC ? TC.Load<TS, TV>(c + (ldc * 3) + (w * 2), mask) : default;
            TV c40 = TE.SeedsFromC ? TS.Load(ref *(c + (ldc * 4)), 0) : default;
            TV c41 = TE.SeedsFromC ? TS.Load(ref *(c + (ldc * 4) + w), 0) : default;
            TV c42 = TE.SeedsFromC ? TC.Load<TS, TV>(c + (ldc * 4) + (w * 2), mask) : default;
            TV c50 = TE.SeedsFromC ? TS.Load(ref *(c + (ldc * 5)), 0) : default;
            TV c51 = TE.SeedsFromC ? TS.Load(ref *(c + (ldc * 5) + w), 0) : default;
            TV c52 = TE.SeedsFromC ? TC.Load<TS, TV>(c + (ldc * 5) + (w * 2), mask) : default;
            TV c60 = TE.SeedsFromC ? TS.Load(ref *(c + (ldc * 6)), 0) : default;
            TV c61 = TE.SeedsFromC ? TS.Load(ref *(c + (ldc * 6) + w), 0) : default;
            TV c62 = TE.SeedsFromC ? TC.Load<TS, TV>(c + (ldc * 6) + (w * 2), mask) : default;
            TV c70 = TE.SeedsFromC ? TS.Load(ref *(c + (ldc * 7)), 0) : default;
            TV c71 = TE.SeedsFromC ? TS.Load(ref *(c + (ldc * 7) + w), 0) : default;
            TV c72 = TE.SeedsFromC ? TC.Load<TS, TV>(c + (ldc * 7) + (w * 2), mask) : default;
            int whole = TC.WholeRows(k, ldb, tail, TS.Count);
            for (int p = 0; p < k; p++)
            {
                TV b0 = TS.Load(ref *(bp), 0);
                TV b1 = TS.Load(ref *(bp + w), 0);
                TV b2 = TC.OverReads && p >= whole ? TS.LoadMasked(bp + (w * 2), mask) : TC.LoadOperand<TS, TV>(bp + (w * 2), mask);
                TV x0 = TS.BroadcastFrom(ap);
                TS.MultiplyAddTo(ref c00, x0, b0);
                TS.MultiplyAddTo(ref c01, x0, b1);
                TS.MultiplyAddTo(ref c02, x0, b2);
                TV x1 = TS.BroadcastFrom(ap + r1);
                TS.MultiplyAddTo(ref c10, x1, b0);
                TS.MultiplyAddTo(ref c11, x1, b1);
                TS.MultiplyAddTo(ref c12, x1, b2);
                TV x2 = TS.BroadcastFrom(ap + r2);
                TS.MultiplyAddTo(ref c20, x2, b0);
                TS.MultiplyAddTo(ref c21, x2, b1);
                TS.MultiplyAddTo(ref c22, x2, b2);
                TV x3 = TS.BroadcastFrom(ap + r3);
                TS.MultiplyAddTo(ref c30, x3, b0);
                TS.MultiplyAddTo(ref c31, x3, b1);
                TS.MultiplyAddTo(ref c32, x3, b2);
                TV x4 = TS.BroadcastFrom(a4);
                TS.MultiplyAddTo(ref c40, x4, b0);
                TS.MultiplyAddTo(ref c41, x4, b1);
                TS.MultiplyAddTo(ref c42, x4, b2);
                TV x5 = TS.BroadcastFrom(a4 + r1);
                TS.MultiplyAddTo(ref c50, x5, b0);
                TS.MultiplyAddTo(ref c51, x5, b1);
                TS.MultiplyAddTo(ref c52, x5, b2);
                TV x6 = TS.BroadcastFrom(a4 + r2);
                TS.MultiplyAddTo(ref c60, x6, b0);
                TS.MultiplyAddTo(ref c61, x6, b1);
                TS.MultiplyAddTo(ref c62, x6, b2);
                TV x7 = TS.BroadcastFrom(a4 + r3);
                TS.MultiplyAddTo(ref c70, x7, b0);
                TS.MultiplyAddTo(ref c71, x7, b1);
                TS.MultiplyAddTo(ref c72, x7, b2);
                ap = (float*)((byte*)ap + aBytes);
                a4 = (float*)((byte*)a4 + aBytes);
                bp = (float*)((byte*)bp + bBytes);
            }

            float* q0 = c;
            GemmStore.Put<TS, TV, FullColumns, TE>(epi, c00, q0, column, mask);
            GemmStore.Put<TS, TV, FullColumns, TE>(epi, c01, q0 + w, column + w, mask);
            GemmStore.Put<TS, TV, TC, TE>(epi, c02, q0 + (w * 2), column + (w * 2), mask);
            float* q1 = c + (ldc * 1);
            GemmStore.Put<TS, TV, FullColumns, TE>(epi, c10, q1, column, mask);
            GemmStore.Put<TS, TV, FullColumns, TE>(epi, c11, q1 + w, column + w, mask);
            GemmStore.Put<TS, TV, TC, TE>(epi, c12, q1 + (w * 2), column + (w * 2), mask);
            float* q2 = c + (ldc * 2);
            GemmStore.Put<TS, TV, FullColumns, TE>(epi, c20, q2, column, mask);
            GemmStore.Put<TS, TV, FullColumns, TE>(epi, c21, q2 + w, column + w, mask);
            GemmStore.Put<TS, TV, TC, TE>(epi, c22, q2 + (w * 2), column + (w * 2), mask);
            float* q3 = c + (ldc * 3);
            GemmStore.Put<TS, TV, FullColumns, TE>(epi, c30, q3, column, mask);
            GemmStore.Put<TS, TV, FullColumns, TE>(epi, c31, q3 + w, column + w, mask);
            GemmStore.Put<TS, TV, TC, TE>(epi, c32, q3 + (w * 2), column + (w * 2), mask);
            float* q4 = c + (ldc * 4);
            GemmStore.Put<TS, TV, FullColumns, TE>(epi, c40, q4, column, mask);
            GemmStore.Put<TS, TV, FullColumns, TE>(epi, c41, q4 + w, column + w, mask);
            GemmStore.Put<TS, TV, TC, TE>(epi, c42, q4 + (w * 2), column + (w * 2), mask);
            float* q5 = c + (ldc * 5);
            GemmStore.Put<TS, TV, FullColumns, TE>(epi, c50, q5, column, mask);
            GemmStore.Put<TS, TV, FullColumns, TE>(epi, c51, q5 + w, column + w, mask);
            GemmStore.Put<TS, TV, TC, TE>(epi, c52, q5 + (w * 2), column + (w * 2), mask);
            float* q6 = c + (ldc * 6);
            GemmStore.Put<TS, TV, FullColumns, TE>(epi, c60, q6, column, mask);
            GemmStore.Put<TS, TV, FullColumns, TE>(epi, c61, q6 + w, column + w, mask);
            GemmStore.Put<TS, TV, TC, TE>(epi, c62, q6 + (w * 2), column + (w * 2), mask);
            float* q7 = c + (ldc * 7);
            GemmStore.Put<TS, TV, FullColumns, TE>(epi, c70, q7, column, mask);
            GemmStore.Put<TS, TV, FullColumns, TE>(epi, c71, q7 + w, column + w, mask);
            GemmStore.Put<TS, TV, TC, TE>(epi, c72, q7 + (w * 2), column + (w * 2), mask);

            a += aStep;
            b += bAcross;
            c += cStep;
            column += across;
        }
    }

    /// <summary>8 row(s) × 3 vector(s), for <paramref name="blocks"/> (≥ 1) blocks of 8 row(s): block i reads A from
    /// <c>a + i·8·rsA</c> and writes C from <c>c + i·8·ldc</c>, so a column of tiles costs one call; with
    /// <paramref name="across"/> ≠ 0 (whole vectors, TC = FullColumns), block i reads B from <c>b + i·bAcross</c> and writes
    /// C from <c>c + i·across</c>, so a row of tiles costs one call.</summary>
    /// <remarks>K8x3 for an epilogue that <see cref="IGemmEpilogue.ParksAccumulators"/>: after the K loop the
    /// accumulators are parked on the stack and stored through one store per column of vectors in a loop over the rows.</remarks>
    [MethodImpl(KernelCompilation.Hot)]
    [SkipLocalsInit]
    public static void K8x3Parked<TS, TV, TC, TE>(int blocks, int k, float* a, nint rsA, nint csA, float* b, nint ldb, float* c, nint ldc, nint column, int tail, TE epi, nint across, nint bAcross)
        where TS : ISimd<TV>
        where TV : struct
        where TC : IColumnAccess
        where TE : IGemmEpilogue
    {
        TV mask = TS.CreateMask(tail);
        nint w = TS.Count;
        float* parked = stackalloc float[24 * 16]; // 24 vectors of up to 16 lanes, for every block
        nint r1 = rsA;
        nint r2 = rsA * 2;
        nint r3 = rsA * 3;
        nint aBytes = csA * sizeof(float);
        nint bBytes = ldb * sizeof(float);
        nint aStep = across == 0 ? rsA * 8 : 0;
        nint cStep = across == 0 ? ldc * 8 : across;
        for (int block = 0; block < blocks; block++)
        {
            float* ap = a;
            float* bp = b;
            float* a4 = a + (rsA * 4); // rows 4.. reuse the offsets of rows 0.. (fewer live registers)
            TV c00 = TE.SeedsFromC ? TS.Load(ref *(c), 0) : default;
            TV c01 = TE.SeedsFromC ? TS.Load(ref *(c + w), 0) : default;
            TV c02 = TE.SeedsFromC ? TC.Load<TS, TV>(c + (w * 2), mask) : default;
            TV c10 = TE.SeedsFromC ? TS.Load(ref *(c + (ldc * 1)), 0) : default;
            TV c11 = TE.SeedsFromC ? TS.Load(ref *(c + (ldc * 1) + w), 0) : default;
            TV c12 = TE.SeedsFromC ? TC.Load<TS, TV>(c + (ldc * 1) + (w * 2), mask) : default;
            TV c20 = TE.SeedsFromC ? TS.Load(ref *(c + (ldc * 2)), 0) : default;
            TV c21 = TE.SeedsFromC ? TS.Load(ref *(c + (ldc * 2) + w), 0) : default;
            TV c22 = TE.SeedsFromC ? TC.Load<TS, TV>(c + (ldc * 2) + (w * 2), mask) : default;
            TV c30 = TE.SeedsFromC ? TS.Load(ref *(c + (ldc * 3)), 0) : default;
            TV c31 = TE.SeedsFromC ? TS.Load(ref *(c + (ldc * 3) + w), 0) : default;
            TV c32 = TE.SeedsFromC ? TC.Load<TS, TV>(c + (ldc * 3) + (w * 2), mask) : default;
            TV c40 = TE.SeedsFromC ? TS.Load(ref *(c + (ldc * 4)), 0) : default;
            TV c41 = TE.SeedsFromC ? TS.Load(ref *(c + (ldc * 4) + w), 0) : default;
            TV c42 = TE.SeedsFromC ? TC.Load<TS, TV>(c + (ldc * 4) + (w * 2), mask) : default;
            TV c50 = TE.SeedsFromC ? TS.Load(ref *(c + (ldc * 5)), 0) : default;
            TV c51 = TE.SeedsFromC ? TS.Load(ref *(c + (ldc * 5) + w), 0) : default;
            TV c52 = TE.SeedsFromC ? TC.Load<TS, TV>(c + (ldc * 5) + (w * 2), mask) : default;
            TV c60 = TE.SeedsFromC ? TS.Load(ref *(c + (ldc * 6)), 0) : default;
            TV c61 = TE.SeedsFromC ? TS.Load(ref *(c + (ldc * 6) + w), 0) : default;
            TV c62 = TE.SeedsFromC ? TC.Load<TS, TV>(c + (ldc * 6) + (w * 2), mask) : default;
            TV c70 = TE.SeedsFromC ? TS.Load(ref *(c + (ldc * 7)), 0) : default;
            TV c71 = TE.SeedsFromC ? TS.Load(ref *(c + (ldc * 7) + w), 0) : default;
            TV c72 = TE.SeedsFromC ? TC.Load<TS, TV>(c + (ldc * 7) + (w * 2), mask) : default;
            int whole = TC.WholeRows(k, ldb, tail, TS.Count);
            for (int p = 0; p < k; p++)
            {
                TV b0 = TS.Load(ref *(bp), 0);
                TV b1 = TS.Load(ref *(bp + w), 0);
                TV b2 = TC.OverReads && p >= whole ? TS.LoadMasked(bp + (w * 2), mask) : TC.LoadOperand<TS, TV>(bp + (w * 2), mask);
                TV x0 = TS.BroadcastFrom(ap);
                TS.MultiplyAddTo(ref c00, x0, b0);
                TS.MultiplyAddTo(ref c01, x0, b1);
                TS.MultiplyAddTo(ref c02, x0, b2);
                TV x1 = TS.BroadcastFrom(ap + r1);
                TS.MultiplyAddTo(ref c10, x1, b0);
                TS.MultiplyAddTo(ref c11, x1, b1);
                TS.MultiplyAddTo(ref c12, x1, b2);
                TV x2 = TS.BroadcastFrom(ap + r2);
                TS.MultiplyAddTo(ref c20, x2, b0);
                TS.MultiplyAddTo(ref c21, x2, b1);
                TS.MultiplyAddTo(ref c22, x2, b2);
                TV x3 = TS.BroadcastFrom(ap + r3);
                TS.MultiplyAddTo(ref c30, x3, b0);
                TS.MultiplyAddTo(ref c31, x3, b1);
                TS.MultiplyAddTo(ref c32, x3, b2);
                TV x4 = TS.BroadcastFrom(a4);
                TS.MultiplyAddTo(ref c40, x4, b0);
                TS.MultiplyAddTo(ref c41, x4, b1);
                TS.MultiplyAddTo(ref c42, x4, b2);
                TV x5 = TS.BroadcastFrom(a4 + r1);
                TS.MultiplyAddTo(ref c50, x5, b0);
                TS.MultiplyAddTo(ref c51, x5, b1);
                TS.MultiplyAddTo(ref c52, x5, b2);
                TV x6 = TS.BroadcastFrom(a4 + r2);
                TS.MultiplyAddTo(ref c60, x6, b0);
                TS.MultiplyAddTo(ref c61, x6, b1);
                TS.MultiplyAddTo(ref c62, x6, b2);
                TV x7 = TS.BroadcastFrom(a4 + r3);
                TS.MultiplyAddTo(ref c70, x7, b0);
                TS.MultiplyAddTo(ref c71, x7, b1);
                TS.MultiplyAddTo(ref c72, x7, b2);
                ap = (float*)((byte*)ap + aBytes);
                a4 = (float*)((byte*)a4 + aBytes);
                bp = (float*)((byte*)bp + bBytes);
            }

            TS.Store(c00, ref *(parked), 0);
            TS.Store(c01, ref *(parked + w), 0);
            TS.Store(c02, ref *(parked + (w * 2)), 0);
            TS.Store(c10, ref *(parked + (w * 3)), 0);
            TS.Store(c11, ref *(parked + (w * 4)), 0);
            TS.Store(c12, ref *(parked + (w * 5)), 0);
            TS.Store(c20, ref *(parked + (w * 6)), 0);
            TS.Store(c21, ref *(parked + (w * 7)), 0);
            TS.Store(c22, ref *(parked + (w * 8)), 0);
            TS.Store(c30, ref *(parked + (w * 9)), 0);
            TS.Store(c31, ref *(parked + (w * 10)), 0);
            TS.Store(c32, ref *(parked + (w * 11)), 0);
            TS.Store(c40, ref *(parked + (w * 12)), 0);
            TS.Store(c41, ref *(parked + (w * 13)), 0);
            TS.Store(c42, ref *(parked + (w * 14)), 0);
            TS.Store(c50, ref *(parked + (w * 15)), 0);
            TS.Store(c51, ref *(parked + (w * 16)), 0);
            TS.Store(c52, ref *(parked + (w * 17)), 0);
            TS.Store(c60, ref *(parked + (w * 18)), 0);
            TS.Store(c61, ref *(parked + (w * 19)), 0);
            TS.Store(c62, ref *(parked + (w * 20)), 0);
            TS.Store(c70, ref *(parked + (w * 21)), 0);
            TS.Store(c71, ref *(parked + (w * 22)), 0);
            TS.Store(c72, ref *(parked + (w * 23)), 0);
            for (int r = 0; r < 8; r++)
            {
                float* qr = c + (ldc * r);
                float* pr = parked + (w * 3 * r);
                GemmStore.Put<TS, TV, FullColumns, TE>(epi, TS.Load(ref *(pr), 0), qr, column, mask);
                GemmStore.Put<TS, TV, FullColumns, TE>(epi, TS.Load(ref *(pr + w), 0), qr + w, column + w, mask);
                GemmStore.Put<TS, TV, TC, TE>(epi, TS.Load(ref *(pr + (w * 2)), 0), qr + (w * 2), column + (w * 2), mask);
            }

            a += aStep;
            b += bAcross;
            c += cStep;
            column += across;
        }
    }

    /// <summary>8 row(s) × 2 vector(s), for <paramref name="blocks"/> (≥ 1) blocks of 8 row(s): block i reads A from
    /// <c>a + i·8·rsA</c> and writes C from <c>c + i·8·ldc</c>, so a column of tiles costs one call; with
    /// <paramref name="across"/> ≠ 0 (whole vectors, TC = FullColumns), block i reads B from <c>b + i·bAcross</c> and writes
    /// C from <c>c + i·across</c>, so a row of tiles costs one call.</summary>
    [MethodImpl(KernelCompilation.Hot)]
    public static void K8x2<TS, TV, TC, TE>(int blocks, int k, float* a, nint rsA, nint csA, float* b, nint ldb, float* c, nint ldc, nint column, int tail, TE epi, nint across, nint bAcross)
        where TS : ISimd<TV>
        where TV : struct
        where TC : IColumnAccess
        where TE : IGemmEpilogue
    {
        TV mask = TS.CreateMask(tail);
        nint w = TS.Count;
        nint r1 = rsA;
        nint r2 = rsA * 2;
        nint r3 = rsA * 3;
        nint aBytes = csA * sizeof(float);
        nint bBytes = ldb * sizeof(float);
        nint aStep = across == 0 ? rsA * 8 : 0;
        nint cStep = across == 0 ? ldc * 8 : across;
        for (int block = 0; block < blocks; block++)
        {
            float* ap = a;
            float* bp = b;
            float* a4 = a + (rsA * 4); // rows 4.. reuse the offsets of rows 0.. (fewer live registers)
            TV c00 = TE.SeedsFromC ? TS.Load(ref *(c), 0) : default;
            TV c01 = TE.SeedsFromC ? TC.Load<TS, TV>(c + w, mask) : default;
            TV c10 = TE.SeedsFromC ? TS.Load(ref *(c + (ldc * 1)), 0) : default;
            TV c11 = TE.SeedsFromC ? TC.Load<TS, TV>(c + (ldc * 1) + w, mask) : default;
            TV c20 = TE.SeedsFromC ? TS.Load(ref *(c + (ldc * 2)), 0) : default;
            TV c21 = TE.SeedsFromC ? TC.Load<TS, TV>(c + (ldc * 2) + w, mask) : default;
            TV c30 = TE.SeedsFromC ? TS.Load(ref *(c + (ldc * 3)), 0) : default;
            TV c31 = TE.SeedsFromC ? TC.Load<TS, TV>(c + (ldc * 3) + w, mask) : default;
            TV c40 = TE.SeedsFromC ? TS.Load(ref *(c + (ldc * 4)), 0) : default;
            TV c41 = TE.SeedsFromC ? TC.Load<TS, TV>(c + (ldc * 4) + w, mask) : default;
            TV c50 = TE.SeedsFromC ? TS.Load(ref *(c + (ldc * 5)), 0) : default;
            TV c51 = TE.SeedsFromC ? TC.Load<TS, TV>(c + (ldc * 5) + w, mask) : default;
            TV c60 = TE.SeedsFromC ? TS.Load(ref *(c + (ldc * 6)), 0) : default;
            TV c61 = TE.SeedsFromC ? TC.Load<TS, TV>(c + (ldc * 6) + w, mask) : default;
            TV c70 = TE.SeedsFromC ? TS.Load(ref *(c + (ldc * 7)), 0) : default;
            TV c71 = TE.SeedsFromC ? TC.Load<TS, TV>(c + (ldc * 7) + w, mask) : default;
            int whole = TC.WholeRows(k, ldb, tail, TS.Count);
            for (int p = 0; p < k; p++)
            {
                TV b0 = TS.Load(ref *(bp), 0);
                TV b1 = TC.OverReads && p >= whole ? TS.LoadMasked(bp + w, mask) : TC.LoadOperand<TS, TV>(bp + w, mask);
                TV x0 = TS.BroadcastFrom(ap);
                TS.MultiplyAddTo(ref c00, x0, b0);
                TS.MultiplyAddTo(ref c01, x0, b1);
                TV x1 = TS.BroadcastFrom(ap + r1);
                TS.MultiplyAddTo(ref c10, x1, b0);
                TS.MultiplyAddTo(ref c11, x1, b1);
                TV x2 = TS.BroadcastFrom(ap + r2);
                TS.MultiplyAddTo(ref c20, x2, b0);
                TS.MultiplyAddTo(ref c21, x2, b1);
                TV x3 = TS.BroadcastFrom(ap + r3);
                TS.MultiplyAddTo(ref c30, x3, b0);
                TS.MultiplyAddTo(ref c31, x3, b1);
                TV x4 = TS.BroadcastFrom(a4);
                TS.MultiplyAddTo(ref c40, x4, b0);
                TS.MultiplyAddTo(ref c41, x4, b1);
                TV x5 = TS.BroadcastFrom(a4 + r1);
                TS.MultiplyAddTo(ref c50, x5, b0);
                TS.MultiplyAddTo(ref c51, x5, b1);
                TV x6 = TS.BroadcastFrom(a4 + r2);
                TS.MultiplyAddTo(ref c60, x6, b0);
                TS.MultiplyAddTo(ref c61, x6, b1);
                TV x7 = TS.BroadcastFrom(a4 + r3);
                TS.MultiplyAddTo(ref c70, x7, b0);
                TS.MultiplyAddTo(ref c71, x7, b1);
                ap = (float*)((byte*)ap + aBytes);
                a4 = (float*)((byte*)a4 + aBytes);
                bp = (float*)((byte*)bp + bBytes);
            }

            float* q0 = c;
            GemmStore.Put<TS, TV, FullColumns, TE>(epi, c00, q0, column, mask);
            GemmStore.Put<TS, TV, TC, TE>(epi, c01, q0 + w, column + w, mask);
            float* q1 = c + (ldc * 1);
            GemmStore.Put<TS, TV, FullColumns, TE>(epi, c10, q1, column, mask);
            GemmStore.Put<TS, TV, TC, TE>(epi, c11, q1 + w, column + w, mask);
            float* q2 = c + (ldc * 2);
            GemmStore.Put<TS, TV, FullColumns, TE>(epi, c20, q2, column, mask);
            GemmStore.Put<TS, TV, TC, TE>(epi, c21, q2 + w, column + w, mask);
            float* q3 = c + (ldc * 3);
            GemmStore.Put<TS, TV, FullColumns, TE>(epi, c30, q3, column, mask);
            GemmStore.Put<TS, TV, TC, TE>(epi, c31, q3 + w, column + w, mask);
            float* q4 = c + (ldc * 4);
            GemmStore.Put<TS, TV, FullColumns, TE>(epi, c40, q4, column, mask);
            GemmStore.Put<TS, TV, TC, TE>(epi, c41, q4 + w, column + w, mask);
            float* q5 = c + (ldc * 5);
            GemmStore.Put<TS, TV, FullColumns, TE>(epi, c50, q5, column, mask);
            GemmStore.Put<TS, TV, TC, TE>(epi, c51, q5 + w, column + w, mask);
            float* q6 = c + (ldc * 6);
            GemmStore.Put<TS, TV, FullColumns, TE>(epi, c60, q6, column, mask);
            GemmStore.Put<TS, TV, TC, TE>(epi, c61, q6 + w, column + w, mask);
            float* q7 = c + (ldc * 7);
            GemmStore.Put<TS, TV, FullColumns, TE>(epi, c70, q7, column, mask);
            GemmStore.Put<TS, TV, TC, TE>(epi, c71, q7 + w, column + w, mask);

            a += aStep;
            b += bAcross;
            c += cStep;
            column += across;
        }
    }

    /// <summary>8 row(s) × 1 vector(s), for <paramref name="blocks"/> (≥ 1) blocks of 8 row(s): block i reads A from
    /// <c>a + i·8·rsA</c> and writes C from <c>c + i·8·ldc</c>, so a column of tiles costs one call; with
    /// <paramref name="across"/> ≠ 0 (whole vectors, TC = FullColumns), block i reads B from <c>b + i·bAcross</c> and writes
    /// C from <c>c + i·across</c>, so a row of tiles costs one call.</summary>
    [MethodImpl(KernelCompilation.Hot)]
    public static void K8x1<TS, TV, TC, TE>(int blocks, int k, float* a, nint rsA, nint csA, float* b, nint ldb, float* c, nint ldc, nint column, int tail, TE epi, nint across, nint bAcross)
        where TS : ISimd<TV>
        where TV : struct
        where TC : IColumnAccess
        where TE : IGemmEpilogue
    {
        TV mask = TS.CreateMask(tail);
        nint r1 = rsA;
        nint r2 = rsA * 2;
        nint r3 = rsA * 3;
        nint aBytes = csA * sizeof(float);
        nint bBytes = ldb * sizeof(float);
        nint aStep = across == 0 ? rsA * 8 : 0;
        nint cStep = across == 0 ? ldc * 8 : across;
        for (int block = 0; block < blocks; block++)
        {
            float* ap = a;
            float* bp = b;
            float* a4 = a + (rsA * 4); // rows 4.. reuse the offsets of rows 0.. (fewer live registers)
            TV c00 = TE.SeedsFromC ? TC.Load<TS, TV>(c, mask) : default;
            TV c10 = TE.SeedsFromC ? TC.Load<TS, TV>(c + (ldc * 1), mask) : default;
            TV c20 = TE.SeedsFromC ? TC.Load<TS, TV>(c + (ldc * 2), mask) : default;
            TV c30 = TE.SeedsFromC ? TC.Load<TS, TV>(c + (ldc * 3), mask) : default;
            TV c40 = TE.SeedsFromC ? TC.Load<TS, TV>(c + (ldc * 4), mask) : default;
            TV c50 = TE.SeedsFromC ? TC.Load<TS, TV>(c + (ldc * 5), mask) : default;
            TV c60 = TE.SeedsFromC ? TC.Load<TS, TV>(c + (ldc * 6), mask) : default;
            TV c70 = TE.SeedsFromC ? TC.Load<TS, TV>(c + (ldc * 7), mask) : default;
            int whole = TC.WholeRows(k, ldb, tail, TS.Count);
            int p = 0;
            for (; p < whole; p++)
            {
                TV b0 = TC.LoadOperand<TS, TV>(bp, mask);
                TS.MultiplyAddBroadcastTo(ref c00, ap, b0);
                TS.MultiplyAddBroadcastTo(ref c10, ap + r1, b0);
                TS.MultiplyAddBroadcastTo(ref c20, ap + r2, b0);
                TS.MultiplyAddBroadcastTo(ref c30, ap + r3, b0);
                TS.MultiplyAddBroadcastTo(ref c40, a4, b0);
                TS.MultiplyAddBroadcastTo(ref c50, a4 + r1, b0);
                TS.MultiplyAddBroadcastTo(ref c60, a4 + r2, b0);
                TS.MultiplyAddBroadcastTo(ref c70, a4 + r3, b0);
                ap = (float*)((byte*)ap + aBytes);
                a4 = (float*)((byte*)a4 + aBytes);
                bp = (float*)((byte*)bp + bBytes);
            }
            if (TC.OverReads)
            {
                for (; p < k; p++)
                {
                    TV b0 = TS.LoadMasked(bp, mask);
                    TS.MultiplyAddBroadcastTo(ref c00, ap, b0);
                    TS.MultiplyAddBroadcastTo(ref c10, ap + r1, b0);
                    TS.MultiplyAddBroadcastTo(ref c20, ap + r2, b0);
                    TS.MultiplyAddBroadcastTo(ref c30, ap + r3, b0);
                    TS.MultiplyAddBroadcastTo(ref c40, a4, b0);
                    TS.MultiplyAddBroadcastTo(ref c50, a4 + r1, b0);
                    TS.MultiplyAddBroadcastTo(ref c60, a4 + r2, b0);
                    TS.MultiplyAddBroadcastTo(ref c70, a4 + r3, b0);
                    ap = (float*)((byte*)ap + aBytes);
                    a4 = (float*)((byte*)a4 + aBytes);
                    bp = (float*)((byte*)bp + bBytes);
                }
            }

            float* q0 = c;
            GemmStore.Put<TS, TV, TC, TE>(epi, c00, q0, column, mask);
            float* q1 = c + (ldc * 1);
            GemmStore.Put<TS, TV, TC, TE>(epi, c10, q1, column, mask);
            float* q2 = c + (ldc * 2);
            GemmStore.Put<TS, TV, TC, TE>(epi, c20, q2, column, mask);
            float* q3 = c + (ldc * 3);
            GemmStore.Put<TS, TV, TC, TE>(epi, c30, q3, column, mask);
            float* q4 = c + (ldc * 4);
            GemmStore.Put<TS, TV, TC, TE>(epi, c40, q4, column, mask);
            float* q5 = c + (ldc * 5);
            GemmStore.Put<TS, TV, TC, TE>(epi, c50, q5, column, mask);
            float* q6 = c + (ldc * 6);
            GemmStore.Put<TS, TV, TC, TE>(epi, c60, q6, column, mask);
            float* q7 = c + (ldc * 7);
            GemmStore.Put<TS, TV, TC, TE>(epi, c70, q7, column, mask);

            a += aStep;
            b += bAcross;
            c += cStep;
            column += across;
        }
    }

    /// <summary>7 row(s) × 3 vector(s), one block (a row tail; <paramref name="blocks"/> must be 1, and
    /// <paramref name="across"/> and <paramref name="bAcross"/> are unused).</summary>
    [MethodImpl(KernelCompilation.Hot)]
    public static void K7x3<TS, TV, TC, TE>(int blocks, int k, float* a, nint rsA, nint csA, float* b, nint ldb, float* c, nint ldc, nint column, int tail, TE epi, nint across, nint bAcross)
        where TS : ISimd<TV>
        where TV : struct
        where TC : IColumnAccess
        where TE : IGemmEpilogue
    {
        TV mask = TS.CreateMask(tail);
        nint w = TS.Count;
        nint r1 = rsA;
        nint r2 = rsA * 2;
        nint r3 = rsA * 3;
        nint r4 = rsA * 4;
        nint r5 = rsA * 5;
        nint r6 = rsA * 6;
        nint aBytes = csA * sizeof(float);
        nint bBytes = ldb * sizeof(float);
        if (blocks != 1)
        {
            throw new GemmKernelMissingException(7, 3, blocks);
        }

        float* ap = a;
        float* bp = b;
        TV c00 = TE.SeedsFromC ? TS.Load(ref *(c), 0) : default;
        TV c01 = TE.SeedsFromC ? TS.Load(ref *(c + w), 0) : default;
        TV c02 = TE.SeedsFromC ? TC.Load<TS, TV>(c + (w * 2), mask) : default;
        TV c10 = TE.SeedsFromC ? TS.Load(ref *(c + (ldc * 1)), 0) : default;
        TV c11 = TE.SeedsFromC ? TS.Load(ref *(c + (ldc * 1) + w), 0) : default;
        TV c12 = TE.SeedsFromC ? TC.Load<TS, TV>(c + (ldc * 1) + (w * 2), mask) : default;
        TV c20 = TE.SeedsFromC ? TS.Load(ref *(c + (ldc * 2)), 0) : default;
        TV c21 = TE.SeedsFromC ? TS.Load(ref *(c + (ldc * 2) + w), 0) : default;
        TV c22 = TE.SeedsFromC ? TC.Load<TS, TV>(c + (ldc * 2) + (w * 2), mask) : default;
        TV c30 = TE.SeedsFromC ? TS.Load(ref *(c + (ldc * 3)), 0) : default;
        TV c31 = TE.SeedsFromC ? TS.Load(ref *(c + (ldc * 3) + w), 0) : default;
        TV c32 = TE.SeedsFromC ? TC.Load<TS, TV>(c + (ldc * 3) + (w * 2), mask) : default;
        TV c40 = TE.SeedsFromC ? TS.Load(ref *(c + (ldc * 4)), 0) : default;
        TV c41 = TE.SeedsFromC ? TS.Load(ref *(c + (ldc * 4) + w), 0) : default;
        TV c42 = TE.SeedsFromC ? TC.Load<TS, TV>(c + (ldc * 4) + (w * 2), mask) : default;
        TV c50 = TE.SeedsFromC ? TS.Load(ref *(c + (ldc * 5)), 0) : default;
        TV c51 = TE.SeedsFromC ? TS.Load(ref *(c + (ldc * 5) + w), 0) : default;
        TV c52 = TE.SeedsFromC ? TC.Load<TS, TV>(c + (ldc * 5) + (w * 2), mask) : default;
        TV c60 = TE.SeedsFromC ? TS.Load(ref *(c + (ldc * 6)), 0) : default;
        TV c61 = TE.SeedsFromC ? TS.Load(ref *(c + (ldc * 6) + w), 0) : default;
        TV c62 = TE.SeedsFromC ? TC.Load<TS, TV>(c + (ldc * 6) + (w * 2), mask) : default;
        int whole = TC.WholeRows(k, ldb, tail, TS.Count);
        for (int p = 0; p < k; p++)
        {
            TV b0 = TS.Load(ref *(bp), 0);
            TV b1 = TS.Load(ref *(bp + w), 0);
            TV b2 = TC.OverReads && p >= whole ? TS.LoadMasked(bp + (w * 2), mask) : TC.LoadOperand<TS, TV>(bp + (w * 2), mask);
            TV x0 = TS.BroadcastFrom(ap);
            TS.MultiplyAddTo(ref c00, x0, b0);
            TS.MultiplyAddTo(ref c01, x0, b1);
            TS.MultiplyAddTo(ref c02, x0, b2);
            TV x1 = TS.BroadcastFrom(ap + r1);
            TS.MultiplyAddTo(ref c10, x1, b0);
            TS.MultiplyAddTo(ref c11, x1, b1);
            TS.MultiplyAddTo(ref c12, x1, b2);
            TV x2 = TS.BroadcastFrom(ap + r2);
            TS.MultiplyAddTo(ref c20, x2, b0);
            TS.MultiplyAddTo(ref c21, x2, b1);
            TS.MultiplyAddTo(ref c22, x2, b2);
            TV x3 = TS.BroadcastFrom(ap + r3);
            TS.MultiplyAddTo(ref c30, x3, b0);
            TS.MultiplyAddTo(ref c31, x3, b1);
            TS.MultiplyAddTo(ref c32, x3, b2);
            TV x4 = TS.BroadcastFrom(ap + r4);
            TS.MultiplyAddTo(ref c40, x4, b0);
            TS.MultiplyAddTo(ref c41, x4, b1);
            TS.MultiplyAddTo(ref c42, x4, b2);
            TV x5 = TS.BroadcastFrom(ap + r5);
            TS.MultiplyAddTo(ref c50, x5, b0);
            TS.MultiplyAddTo(ref c51, x5, b1);
            TS.MultiplyAddTo(ref c52, x5, b2);
            TV x6 = TS.BroadcastFrom(ap + r6);
            TS.MultiplyAddTo(ref c60, x6, b0);
            TS.MultiplyAddTo(ref c61, x6, b1);
            TS.MultiplyAddTo(ref c62, x6, b2);
            ap = (float*)((byte*)ap + aBytes);
            bp = (float*)((byte*)bp + bBytes);
        }

        float* q0 = c;
        GemmStore.Put<TS, TV, FullColumns, TE>(epi, c00, q0, column, mask);
        GemmStore.Put<TS, TV, FullColumns, TE>(epi, c01, q0 + w, column + w, mask);
        GemmStore.Put<TS, TV, TC, TE>(epi, c02, q0 + (w * 2), column + (w * 2), mask);
        float* q1 = c + (ldc * 1);
        GemmStore.Put<TS, TV, FullColumns, TE>(epi, c10, q1, column, mask);
        GemmStore.Put<TS, TV, FullColumns, TE>(epi, c11, q1 + w, column + w, mask);
        GemmStore.Put<TS, TV, TC, TE>(epi, c12, q1 + (w * 2), column + (w * 2), mask);
        float* q2 = c + (ldc * 2);
        GemmStore.Put<TS, TV, FullColumns, TE>(epi, c20, q2, column, mask);
        GemmStore.Put<TS, TV, FullColumns, TE>(epi, c21, q2 + w, column + w, mask);
        GemmStore.Put<TS, TV, TC, TE>(epi, c22, q2 + (w * 2), column + (w * 2), mask);
        float* q3 = c + (ldc * 3);
        GemmStore.Put<TS, TV, FullColumns, TE>(epi, c30, q3, column, mask);
        GemmStore.Put<TS, TV, FullColumns, TE>(epi, c31, q3 + w, column + w, mask);
        GemmStore.Put<TS, TV, TC, TE>(epi, c32, q3 + (w * 2), column + (w * 2), mask);
        float* q4 = c + (ldc * 4);
        GemmStore.Put<TS, TV, FullColumns, TE>(epi, c40, q4, column, mask);
        GemmStore.Put<TS, TV, FullColumns, TE>(epi, c41, q4 + w, column + w, mask);
        GemmStore.Put<TS, TV, TC, TE>(epi, c42, q4 + (w * 2), column + (w * 2), mask);
        float* q5 = c + (ldc * 5);
        GemmStore.Put<TS, TV, FullColumns, TE>(epi, c50, q5, column, mask);
        GemmStore.Put<TS, TV, FullColumns, TE>(epi, c51, q5 + w, column + w, mask);
        GemmStore.Put<TS, TV, TC, TE>(epi, c52, q5 + (w * 2), column + (w * 2), mask);
        float* q6 = c + (ldc * 6);
        GemmStore.Put<TS, TV, FullColumns, TE>(epi, c60, q6, column, mask);
        GemmStore.Put<TS, TV, FullColumns, TE>(epi, c61, q6 + w, column + w, mask);
        GemmStore.Put<TS, TV, TC, TE>(epi, c62, q6 + (w * 2), column + (w * 2), mask);
    }

    /// <summary>7 row(s) × 3 vector(s), one block (a row tail; <paramref name="blocks"/> must be 1, and
    /// <paramref name="across"/> and <paramref name="bAcross"/> are unused).</summary>
    /// <remarks>K7x3 for an epilogue that <see cref="IGemmEpilogue.ParksAccumulators"/>: after the K loop the
    /// accumulators are parked on the stack and stored through one store per column of vectors in a loop over the rows.</remarks>
    [MethodImpl(KernelCompilation.Hot)]
    [SkipLocalsInit]
    public static void K7x3Parked<TS, TV, TC, TE>(int blocks, int k, float* a, nint rsA, nint csA, float* b, nint ldb, float* c, nint ldc, nint column, int tail, TE epi, nint across, nint bAcross)
        where TS : ISimd<TV>
        where TV : struct
        where TC : IColumnAccess
        where TE : IGemmEpilogue
    {
        TV mask = TS.CreateMask(tail);
        nint w = TS.Count;
        float* parked = stackalloc float[21 * 16]; // 21 vectors of up to 16 lanes, for every block
        nint r1 = rsA;
        nint r2 = rsA * 2;
        nint r3 = rsA * 3;
        nint r4 = rsA * 4;
        nint r5 = rsA * 5;
        nint r6 = rsA * 6;
        nint aBytes = csA * sizeof(float);
        nint bBytes = ldb * sizeof(float);
        if (blocks != 1)
        {
            throw new GemmKernelMissingException(7, 3, blocks);
        }

        float* ap = a;
        float* bp = b;
        TV c00 = TE.SeedsFromC ? TS.Load(ref *(c), 0) : default;
        TV c01 = TE.SeedsFromC ? TS.Load(ref *(c + w), 0) : default;
        TV c02 = TE.SeedsFromC ? TC.Load<TS, TV>(c + (w * 2), mask) : default;
        TV c10 = TE.SeedsFromC ? TS.Load(ref *(c + (ldc * 1)), 0) : default;
        TV c11 = TE.SeedsFromC ? TS.Load(ref *(c + (ldc * 1) + w), 0) : default;
        TV c12 = TE.SeedsFromC ? TC.Load<TS, TV>(c + (ldc * 1) + (w * 2), mask) : default;
        TV c20 = TE.SeedsFromC ? TS.Load(ref *(c + (ldc * 2)), 0) : default;
        TV c21 = TE.SeedsFromC ? TS.Load(ref *(c + (ldc * 2) + w), 0) : default;
        TV c22 = TE.SeedsFromC ? TC.Load<TS, TV>(c + (ldc * 2) + (w * 2), mask) : default;
        TV c30 = TE.SeedsFromC ? TS.Load(ref *(c + (ldc * 3)), 0) : default;
        TV c31 = TE.SeedsFromC ? TS.Load(ref *(c + (ldc * 3) + w), 0) : default;
        TV c32 = TE.SeedsFromC ? TC.Load<TS, TV>(c + (ldc * 3) + (w * 2), mask) : default;
        TV c40 = TE.SeedsFromC ? TS.Load(ref *(c + (ldc * 4)), 0) : default;
        TV c41 = TE.SeedsFromC ? TS.Load(ref *(c + (ldc * 4) + w), 0) : default;
        TV c42 = TE.SeedsFromC ? TC.Load<TS, TV>(c + (ldc * 4) + (w * 2), mask) : default;
        TV c50 = TE.SeedsFromC ? TS.Load(ref *(c + (ldc * 5)), 0) : default;
        TV c51 = TE.SeedsFromC ? TS.Load(ref *(c + (ldc * 5) + w), 0) : default;
        TV c52 = TE.SeedsFromC ? TC.Load<TS, TV>(c + (ldc * 5) + (w * 2), mask) : default;
        TV c60 = TE.SeedsFromC ? TS.Load(ref *(c + (ldc * 6)), 0) : default;
        TV c61 = TE.SeedsFromC ? TS.Load(ref *(c + (ldc * 6) + w), 0) : default;
        TV c62 = TE.SeedsFromC ? TC.Load<TS, TV>(c + (ldc * 6) + (w * 2), mask) : default;
        int whole = TC.WholeRows(k, ldb, tail, TS.Count);
        for (int p = 0; p < k; p++)
        {
            TV b0 = TS.Load(ref *(bp), 0);
            TV b1 = TS.Load(ref *(bp + w), 0);
            TV b2 = TC.OverReads && p >= whole ? TS.LoadMasked(bp + (w * 2), mask) : TC.LoadOperand<TS, TV>(bp + (w * 2), mask);
            TV x0 = TS.BroadcastFrom(ap);
            TS.MultiplyAddTo(ref c00, x0, b0);
            TS.MultiplyAddTo(ref c01, x0, b1);
            TS.MultiplyAddTo(ref c02, x0, b2);
            TV x1 = TS.BroadcastFrom(ap + r1);
            TS.MultiplyAddTo(ref c10, x1, b0);
            TS.MultiplyAddTo(ref c11, x1, b1);
            TS.MultiplyAddTo(ref c12, x1, b2);
            TV x2 = TS.BroadcastFrom(ap + r2);
            TS.MultiplyAddTo(ref c20, x2, b0);
            TS.MultiplyAddTo(ref c21, x2, b1);
            TS.MultiplyAddTo(ref c22, x2, b2);
            TV x3 = TS.BroadcastFrom(ap + r3);
            TS.MultiplyAddTo(ref c30, x3, b0);
            TS.MultiplyAddTo(ref c31, x3, b1);
            TS.MultiplyAddTo(ref c32, x3, b2);
            TV x4 = TS.BroadcastFrom(ap + r4);
            TS.MultiplyAddTo(ref c40, x4, b0);
            TS.MultiplyAddTo(ref c41, x4, b1);
            TS.MultiplyAddTo(ref c42, x4, b2);
            TV x5 = TS.BroadcastFrom(ap + r5);
            TS.MultiplyAddTo(ref c50, x5, b0);
            TS.MultiplyAddTo(ref c51, x5, b1);
            TS.MultiplyAddTo(ref c52, x5, b2);
            TV x6 = TS.BroadcastFrom(ap + r6);
            TS.MultiplyAddTo(ref c60, x6, b0);
            TS.MultiplyAddTo(ref c61, x6, b1);
            TS.MultiplyAddTo(ref c62, x6, b2);
            ap = (float*)((byte*)ap + aBytes);
            bp = (float*)((byte*)bp + bBytes);
        }

        TS.Store(c00, ref *(parked), 0);
        TS.Store(c01, ref *(parked + w), 0);
        TS.Store(c02, ref *(parked + (w * 2)), 0);
        TS.Store(c10, ref *(parked + (w * 3)), 0);
        TS.Store(c11, ref *(parked + (w * 4)), 0);
        TS.Store(c12, ref *(parked + (w * 5)), 0);
        TS.Store(c20, ref *(parked + (w * 6)), 0);
        TS.Store(c21, ref *(parked + (w * 7)), 0);
        TS.Store(c22, ref *(parked + (w * 8)), 0);
        TS.Store(c30, ref *(parked + (w * 9)), 0);
        TS.Store(c31, ref *(parked + (w * 10)), 0);
        TS.Store(c32, ref *(parked + (w * 11)), 0);
        TS.Store(c40, ref *(parked + (w * 12)), 0);
        TS.Store(c41, ref *(parked + (w * 13)), 0);
        TS.Store(c42, ref *(parked + (w * 14)), 0);
        TS.Store(c50, ref *(parked + (w * 15)), 0);
        TS.Store(c51, ref *(parked + (w * 16)), 0);
        TS.Store(c52, ref *(parked + (w * 17)), 0);
        TS.Store(c60, ref *(parked + (w * 18)), 0);
        TS.Store(c61, ref *(parked + (w * 19)), 0);
        TS.Store(c62, ref *(parked + (w * 20)), 0);
        for (int r = 0; r < 7; r++)
        {
            float* qr = c + (ldc * r);
            float* pr = parked + (w * 3 * r);
            GemmStore.Put<TS, TV, FullColumns, TE>(epi, TS.Load(ref *(pr), 0), qr, column, mask);
            GemmStore.Put<TS, TV, FullColumns, TE>(epi, TS.Load(ref *(pr + w), 0), qr + w, column + w, mask);
            GemmStore.Put<TS, TV, TC, TE>(epi, TS.Load(ref *(pr + (w * 2)), 0), qr + (w * 2), column + (w * 2), mask);
        }
    }

    /// <summary>7 row(s) × 2 vector(s), one block (a row tail; <paramref name="blocks"/> must be 1, and
    /// <paramref name="across"/> and <paramref name="bAcross"/> are unused).</summary>
    [MethodImpl(KernelCompilation.Hot)]
    public static void K7x2<TS, TV, TC, TE>(int blocks, int k, float* a, nint rsA, nint csA, float* b, nint ldb, float* c, nint ldc, nint column, int tail, TE epi, nint across, nint bAcross)
        where TS : ISimd<TV>
        where TV : struct
        where TC : IColumnAccess
        where TE : IGemmEpilogue
    {
        TV mask = TS.CreateMask(tail);
        nint w = TS.Count;
        nint r1 = rsA;
        nint r2 = rsA * 2;
        nint r3 = rsA * 3;
        nint r4 = rsA * 4;
        nint r5 = rsA * 5;
        nint r6 = rsA * 6;
        nint aBytes = csA * sizeof(float);
        nint bBytes = ldb * sizeof(float);
        if (blocks != 1)
        {
            throw new GemmKernelMissingException(7, 2, blocks);
        }

        float* ap = a;
        float* bp = b;
        TV c00 = TE.SeedsFromC ? TS.Load(ref *(c), 0) : default;
        TV c01 = TE.SeedsFromC ? TC.Load<TS, TV>(c + w, mask) : default;
        TV c10 = TE.SeedsFromC ? TS.Load(ref *(c + (ldc * 1)), 0) : default;
        TV c11 = TE.SeedsFromC ? TC.Load<TS, TV>(c + (ldc * 1) + w, mask) : default;
        TV c20 = TE.SeedsFromC ? TS.Load(ref *(c + (ldc * 2)), 0) : default;
        TV c21 = TE.SeedsFromC ? TC.Load<TS, TV>(c + (ldc * 2) + w, mask) : default;
        TV c30 = TE.SeedsFromC ? TS.Load(ref *(c + (ldc * 3)), 0) : default;
        TV c31 = TE.SeedsFromC ? TC.Load<TS, TV>(c + (ldc * 3) + w, mask) : default;
        TV c40 = TE.SeedsFromC ? TS.Load(ref *(c + (ldc * 4)), 0) : default;
        TV c41 = TE.SeedsFromC ? TC.Load<TS, TV>(c + (ldc * 4) + w, mask) : default;
        TV c50 = TE.SeedsFromC ? TS.Load(ref *(c + (ldc * 5)), 0) : default;
        TV c51 = TE.SeedsFromC ? TC.Load<TS, TV>(c + (ldc * 5) + w, mask) : default;
        TV c60 = TE.SeedsFromC ? TS.Load(ref *(c + (ldc * 6)), 0) : default;
        TV c61 = TE.SeedsFromC ? TC.Load<TS, TV>(c + (ldc * 6) + w, mask) : default;
        int whole = TC.WholeRows(k, ldb, tail, TS.Count);
        for (int p = 0; p < k; p++)
        {
            TV b0 = TS.Load(ref *(bp), 0);
            TV b1 = TC.OverReads && p >= whole ? TS.LoadMasked(bp + w, mask) : TC.LoadOperand<TS, TV>(bp + w, mask);
            TV x0 = TS.BroadcastFrom(ap);
            TS.MultiplyAddTo(ref c00, x0, b0);
            TS.MultiplyAddTo(ref c01, x0, b1);
            TV x1 = TS.BroadcastFrom(ap + r1);
            TS.MultiplyAddTo(ref c10, x1, b0);
            TS.MultiplyAddTo(ref c11, x1, b1);
            TV x2 = TS.BroadcastFrom(ap + r2);
            TS.MultiplyAddTo(ref c20, x2, b0);
            TS.MultiplyAddTo(ref c21, x2, b1);
            TV x3 = TS.BroadcastFrom(ap + r3);
            TS.MultiplyAddTo(ref c30, x3, b0);
            TS.MultiplyAddTo(ref c31, x3, b1);
            TV x4 = TS.BroadcastFrom(ap + r4);
            TS.MultiplyAddTo(ref c40, x4, b0);
            TS.MultiplyAddTo(ref c41, x4, b1);
            TV x5 = TS.BroadcastFrom(ap + r5);
            TS.MultiplyAddTo(ref c50, x5, b0);
            TS.MultiplyAddTo(ref c51, x5, b1);
            TV x6 = TS.BroadcastFrom(ap + r6);
            TS.MultiplyAddTo(ref c60, x6, b0);
            TS.MultiplyAddTo(ref c61, x6, b1);
            ap = (float*)((byte*)ap + aBytes);
            bp = (float*)((byte*)bp + bBytes);
        }

        float* q0 = c;
        GemmStore.Put<TS, TV, FullColumns, TE>(epi, c00, q0, column, mask);
        GemmStore.Put<TS, TV, TC, TE>(epi, c01, q0 + w, column + w, mask);
        float* q1 = c + (ldc * 1);
        GemmStore.Put<TS, TV, FullColumns, TE>(epi, c10, q1, column, mask);
        GemmStore.Put<TS, TV, TC, TE>(epi, c11, q1 + w, column + w, mask);
        float* q2 = c + (ldc * 2);
        GemmStore.Put<TS, TV, FullColumns, TE>(epi, c20, q2, column, mask);
        GemmStore.Put<TS, TV, TC, TE>(epi, c21, q2 + w, column + w, mask);
        float* q3 = c + (ldc * 3);
        GemmStore.Put<TS, TV, FullColumns, TE>(epi, c30, q3, column, mask);
        GemmStore.Put<TS, TV, TC, TE>(epi, c31, q3 + w, column + w, mask);
        float* q4 = c + (ldc * 4);
        GemmStore.Put<TS, TV, FullColumns, TE>(epi, c40, q4, column, mask);
        GemmStore.Put<TS, TV, TC, TE>(epi, c41, q4 + w, column + w, mask);
        float* q5 = c + (ldc * 5);
        GemmStore.Put<TS, TV, FullColumns, TE>(epi, c50, q5, column, mask);
        GemmStore.Put<TS, TV, TC, TE>(epi, c51, q5 + w, column + w, mask);
        float* q6 = c + (ldc * 6);
        GemmStore.Put<TS, TV, FullColumns, TE>(epi, c60, q6, column, mask);
        GemmStore.Put<TS, TV, TC, TE>(epi, c61, q6 + w, column + w, mask);
    }

    /// <summary>7 row(s) × 1 vector(s), one block (a row tail; <paramref name="blocks"/> must be 1, and
    /// <paramref name="across"/> and <paramref name="bAcross"/> are unused).</summary>
    [MethodImpl(KernelCompilation.Hot)]
    public static void K7x1<TS, TV, TC, TE>(int blocks, int k, float* a, nint rsA, nint csA, float* b, nint ldb, float* c, nint ldc, nint column, int tail, TE epi, nint across, nint bAcross)
        where TS : ISimd<TV>
        where TV : struct
        where TC : IColumnAccess
        where TE : IGemmEpilogue
    {
        TV mask = TS.CreateMask(tail);
        nint r1 = rsA;
        nint r2 = rsA * 2;
        nint r3 = rsA * 3;
        nint r4 = rsA * 4;
        nint r5 = rsA * 5;
        nint r6 = rsA * 6;
        nint aBytes = csA * sizeof(float);
        nint bBytes = ldb * sizeof(float);
        if (blocks != 1)
        {
            throw new GemmKernelMissingException(7, 1, blocks);
        }

        float* ap = a;
        float* bp = b;
        TV c00 = TE.SeedsFromC ? TC.Load<TS, TV>(c, mask) : default;
        TV c10 = TE.SeedsFromC ? TC.Load<TS, TV>(c + (ldc * 1), mask) : default;
        TV c20 = TE.SeedsFromC ? TC.Load<TS, TV>(c + (ldc * 2), mask) : default;
        TV c30 = TE.SeedsFromC ? TC.Load<TS, TV>(c + (ldc * 3), mask) : default;
        TV c40 = TE.SeedsFromC ? TC.Load<TS, TV>(c + (ldc * 4), mask) : default;
        TV c50 = TE.SeedsFromC ? TC.Load<TS, TV>(c + (ldc * 5), mask) : default;
        TV c60 = TE.SeedsFromC ? TC.Load<TS, TV>(c + (ldc * 6), mask) : default;
        int whole = TC.WholeRows(k, ldb, tail, TS.Count);
        int p = 0;
        for (; p < whole; p++)
        {
            TV b0 = TC.LoadOperand<TS, TV>(bp, mask);
            TS.MultiplyAddBroadcastTo(ref c00, ap, b0);
            TS.MultiplyAddBroadcastTo(ref c10, ap + r1, b0);
            TS.MultiplyAddBroadcastTo(ref c20, ap + r2, b0);
            TS.MultiplyAddBroadcastTo(ref c30, ap + r3, b0);
            TS.MultiplyAddBroadcastTo(ref c40, ap + r4, b0);
            TS.MultiplyAddBroadcastTo(ref c50, ap + r5, b0);
            TS.MultiplyAddBroadcastTo(ref c60, ap + r6, b0);
            ap = (float*)((byte*)ap + aBytes);
            bp = (float*)((byte*)bp + bBytes);
        }
        if (TC.OverReads)
        {
            for (; p < k; p++)
            {
                TV b0 = TS.LoadMasked(bp, mask);
                TS.MultiplyAddBroadcastTo(ref c00, ap, b0);
                TS.MultiplyAddBroadcastTo(ref c10, ap + r1, b0);
                TS.MultiplyAddBroadcastTo(ref c20, ap + r2, b0);
                TS.MultiplyAddBroadcastTo(ref c30, ap + r3, b0);
                TS.MultiplyAddBroadcastTo(ref c40, ap + r4, b0);
                TS.MultiplyAddBroadcastTo(ref c50, ap + r5, b0);
                TS.MultiplyAddBroadcastTo(ref c60, ap + r6, b0);
                ap = (float*)((byte*)ap + aBytes);
                bp = (float*)((byte*)bp + bBytes);
            }
        }

        float* q0 = c;
        GemmStore.Put<TS, TV, TC, TE>(epi, c00, q0, column, mask);
        float* q1 = c + (ldc * 1);
        GemmStore.Put<TS, TV, TC, TE>(epi, c10, q1, column, mask);
        float* q2 = c + (ldc * 2);
        GemmStore.Put<TS, TV, TC, TE>(epi, c20, q2, column, mask);
        float* q3 = c + (ldc * 3);
        GemmStore.Put<TS, TV, TC, TE>(epi, c30, q3, column, mask);
        float* q4 = c + (ldc * 4);
        GemmStore.Put<TS, TV, TC, TE>(epi, c40, q4, column, mask);
        float* q5 = c + (ldc * 5);
        GemmStore.Put<TS, TV, TC, TE>(epi, c50, q5, column, mask);
        float* q6 = c + (ldc * 6);
        GemmStore.Put<TS, TV, TC, TE>(epi, c60, q6, column, mask);
    }

    /// <summary>6 row(s) × 3 vector(s), for <paramref name="blocks"/> (≥ 1) blocks of 6 row(s): block i reads A from
    /// <c>a + i·6·rsA</c> and writes C from <c>c + i·6·ldc</c>, so a column of tiles costs one call; with
    /// <paramref name="across"/> ≠ 0 (whole vectors, TC = FullColumns), block i reads B from <c>b + i·bAcross</c> and writes
    /// C from <c>c + i·across</c>, so a row of tiles costs one call.</summary>
    [MethodImpl(KernelCompilation.Hot)]
    public static void K6x3<TS, TV, TC, TE>(int blocks, int k, float* a, nint rsA, nint csA, float* b, nint ldb, float* c, nint ldc, nint column, int tail, TE epi, nint across, nint bAcross)
        where TS : ISimd<TV>
        where TV : struct
        where TC : IColumnAccess
        where TE : IGemmEpilogue
    {
        TV mask = TS.CreateMask(tail);
        nint w = TS.Count;
        nint r1 = rsA;
        nint r2 = rsA * 2;
        nint r3 = rsA * 3;
        nint r4 = rsA * 4;
        nint r5 = rsA * 5;
        nint aBytes = csA * sizeof(float);
        nint bBytes = ldb * sizeof(float);
        nint aStep = across == 0 ? rsA * 6 : 0;
        nint cStep = across == 0 ? ldc * 6 : across;
        for (int block = 0; block < blocks; block++)
        {
            float* ap = a;
            float* bp = b;
            TV c00 = TE.SeedsFromC ? TS.Load(ref *(c), 0) : default;
            TV c01 = TE.SeedsFromC ? TS.Load(ref *(c + w), 0) : default;
            TV c02 = TE.SeedsFromC ? TC.Load<TS, TV>(c + (w * 2), mask) : default;
            TV c10 = TE.SeedsFromC ? TS.Load(ref *(c + (ldc * 1)), 0) : default;
            TV c11 = TE.SeedsFromC ? TS.Load(ref *(c + (ldc * 1) + w), 0) : default;
            TV c12 = TE.SeedsFromC ? TC.Load<TS, TV>(c + (ldc * 1) + (w * 2), mask) : default;
            TV c20 = TE.SeedsFromC ? TS.Load(ref *(c + (ldc * 2)), 0) : default;
            TV c21 = TE.SeedsFromC ? TS.Load(ref *(c + (ldc * 2) + w), 0) : default;
            TV c22 = TE.SeedsFromC ? TC.Load<TS, TV>(c + (ldc * 2) + (w * 2), mask) : default;
            TV c30 = TE.SeedsFromC ? TS.Load(ref *(c + (ldc * 3)), 0) : default;
            TV c31 = TE.SeedsFromC ? TS.Load(ref *(c + (ldc * 3) + w), 0) : default;
            TV c32 = TE.SeedsFromC ? TC.Load<TS, TV>(c + (ldc * 3) + (w * 2), mask) : default;
            TV c40 = TE.SeedsFromC ? TS.Load(ref *(c + (ldc * 4)), 0) : default;
            TV c41 = TE.SeedsFromC ? TS.Load(ref *(c + (ldc * 4) + w), 0) : default;
            TV c42 = TE.SeedsFromC ? TC.Load<TS, TV>(c + (ldc * 4) + (w * 2), mask) : default;
            TV c50 = TE.SeedsFromC ? TS.Load(ref *(c + (ldc * 5)), 0) : default;
            TV c51 = TE.SeedsFromC ? TS.Load(ref *(c + (ldc * 5) + w), 0) : default;
            TV c52 = TE.SeedsFromC ? TC.Load<TS, TV>(c + (ldc * 5) + (w * 2), mask) : default;
            int whole = TC.WholeRows(k, ldb, tail, TS.Count);
            for (int p = 0; p < k; p++)
            {
                TV b0 = TS.Load(ref *(bp), 0);
                TV b1 = TS.Load(ref *(bp + w), 0);
                TV b2 = TC.OverReads && p >= whole ? TS.LoadMasked(bp + (w * 2), mask) : TC.LoadOperand<TS, TV>(bp + (w * 2), mask);
                TV x0 = TS.BroadcastFrom(ap);
                TS.MultiplyAddTo(ref c00, x0, b0);
                TS.MultiplyAddTo(ref c01, x0, b1);
                TS.MultiplyAddTo(ref c02, x0, b2);
                TV x1 = TS.BroadcastFrom(ap + r1);
                TS.MultiplyAddTo(ref c10, x1, b0);
                TS.MultiplyAddTo(ref c11, x1, b1);
                TS.MultiplyAddTo(ref c12, x1, b2);
                TV x2 = TS.BroadcastFrom(ap + r2);
                TS.MultiplyAddTo(ref c20, x2, b0);
                TS.MultiplyAddTo(ref c21, x2, b1);
                TS.MultiplyAddTo(ref c22, x2, b2);
                TV x3 = TS.BroadcastFrom(ap + r3);
                TS.MultiplyAddTo(ref c30, x3, b0);
                TS.MultiplyAddTo(ref c31, x3, b1);
                TS.MultiplyAddTo(ref c32, x3, b2);
                TV x4 = TS.BroadcastFrom(ap + r4);
                TS.MultiplyAddTo(ref c40, x4, b0);
                TS.MultiplyAddTo(ref c41, x4, b1);
                TS.MultiplyAddTo(ref c42, x4, b2);
                TV x5 = TS.BroadcastFrom(ap + r5);
                TS.MultiplyAddTo(ref c50, x5, b0);
                TS.MultiplyAddTo(ref c51, x5, b1);
                TS.MultiplyAddTo(ref c52, x5, b2);
                ap = (float*)((byte*)ap + aBytes);
                bp = (float*)((byte*)bp + bBytes);
            }

            float* q0 = c;
            GemmStore.Put<TS, TV, FullColumns, TE>(epi, c00, q0, column, mask);
            GemmStore.Put<TS, TV, FullColumns, TE>(epi, c01, q0 + w, column + w, mask);
            GemmStore.Put<TS, TV, TC, TE>(epi, c02, q0 + (w * 2), column + (w * 2), mask);
            float* q1 = c + (ldc * 1);
            GemmStore.Put<TS, TV, FullColumns, TE>(epi, c10, q1, column, mask);
            GemmStore.Put<TS, TV, FullColumns, TE>(epi, c11, q1 + w, column + w, mask);
            GemmStore.Put<TS, TV, TC, TE>(epi, c12, q1 + (w * 2), column + (w * 2), mask);
            float* q2 = c + (ldc * 2);
            GemmStore.Put<TS, TV, FullColumns, TE>(epi, c20, q2, column, mask);
            GemmStore.Put<TS, TV, FullColumns, TE>(epi, c21, q2 + w, column + w, mask);
            GemmStore.Put<TS, TV, TC, TE>(epi, c22, q2 + (w * 2), column + (w * 2), mask);
            float* q3 = c + (ldc * 3);
            GemmStore.Put<TS, TV, FullColumns, TE>(epi, c30, q3, column, mask);
            GemmStore.Put<TS, TV, FullColumns, TE>(epi, c31, q3 + w, column + w, mask);
            GemmStore.Put<TS, TV, TC, TE>(epi, c32, q3 + (w * 2), column + (w * 2), mask);
            float* q4 = c + (ldc * 4);
            GemmStore.Put<TS, TV, FullColumns, TE>(epi, c40, q4, column, mask);
            GemmStore.Put<TS, TV, FullColumns, TE>(epi, c41, q4 + w, column + w, mask);
            GemmStore.Put<TS, TV, TC, TE>(epi, c42, q4 + (w * 2), column + (w * 2), mask);
            float* q5 = c + (ldc * 5);
            GemmStore.Put<TS, TV, FullColumns, TE>(epi, c50, q5, column, mask);
            GemmStore.Put<TS, TV, FullColumns, TE>(epi, c51, q5 + w, column + w, mask);
            GemmStore.Put<TS, TV, TC, TE>(epi, c52, q5 + (w * 2), column + (w * 2), mask);

            a += aStep;
            b += bAcross;
            c += cStep;
            column += across;
        }
    }

    /// <summary>6 row(s) × 2 vector(s), for <paramref name="blocks"/> (≥ 1) blocks of 6 row(s): block i reads A from
    /// <c>a + i·6·rsA</c> and writes C from <c>c + i·6·ldc</c>, so a column of tiles costs one call; with
    /// <paramref name="across"/> ≠ 0 (whole vectors, TC = FullColumns), block i reads B from <c>b + i·bAcross</c> and writes
    /// C from <c>c + i·across</c>, so a row of tiles costs one call.</summary>
    [MethodImpl(KernelCompilation.Hot)]
    public static void K6x2<TS, TV, TC, TE>(int blocks, int k, float* a, nint rsA, nint csA, float* b, nint ldb, float* c, nint ldc, nint column, int tail, TE epi, nint across, nint bAcross)
        where TS : ISimd<TV>
        where TV : struct
        where TC : IColumnAccess
        where TE : IGemmEpilogue
    {
        TV mask = TS.CreateMask(tail);
        nint w = TS.Count;
        nint r1 = rsA;
        nint r2 = rsA * 2;
        nint r3 = rsA * 3;
        nint r4 = rsA * 4;
        nint r5 = rsA * 5;
        nint aBytes = csA * sizeof(float);
        nint bBytes = ldb * sizeof(float);
        nint aStep = across == 0 ? rsA * 6 : 0;
        nint cStep = across == 0 ? ldc * 6 : across;
        for (int block = 0; block < blocks; block++)
        {
            float* ap = a;
            float* bp = b;
            TV c00 = TE.SeedsFromC ? TS.Load(ref *(c), 0) : default;
            TV c01 = TE.SeedsFromC ? TC.Load<TS, TV>(c + w, mask) : default;
            TV c10 = TE.SeedsFromC ? TS.Load(ref *(c + (ldc * 1)), 0) : default;
            TV c11 = TE.SeedsFromC ? TC.Load<TS, TV>(c + (ldc * 1) + w, mask) : default;
            TV c20 = TE.SeedsFromC ? TS.Load(ref *(c + (ldc * 2)), 0) : default;
            TV c21 = TE.SeedsFromC ? TC.Load<TS, TV>(c + (ldc * 2) + w, mask) : default;
            TV c30 = TE.SeedsFromC ? TS.Load(ref *(c + (ldc * 3)), 0) : default;
            TV c31 = TE.SeedsFromC ? TC.Load<TS, TV>(c + (ldc * 3) + w, mask) : default;
            TV c40 = TE.SeedsFromC ? TS.Load(ref *(c + (ldc * 4)), 0) : default;
            TV c41 = TE.SeedsFromC ? TC.Load<TS, TV>(c + (ldc * 4) + w, mask) : default;
            TV c50 = TE.SeedsFromC ? TS.Load(ref *(c + (ldc * 5)), 0) : default;
            TV c51 = TE.SeedsFromC ? TC.Load<TS, TV>(c + (ldc * 5) + w, mask) : default;
            int whole = TC.WholeRows(k, ldb, tail, TS.Count);
            for (int p = 0; p < k; p++)
            {
                TV b0 = TS.Load(ref *(bp), 0);
                TV b1 = TC.OverReads && p >= whole ? TS.LoadMasked(bp + w, mask) : TC.LoadOperand<TS, TV>(bp + w, mask);
                TV x0 = TS.BroadcastFrom(ap);
                TS.MultiplyAddTo(ref c00, x0, b0);
                TS.MultiplyAddTo(ref c01, x0, b1);
                TV x1 = TS.BroadcastFrom(ap + r1);
                TS.MultiplyAddTo(ref c10, x1, b0);
                TS.MultiplyAddTo(ref c11, x1, b1);
                TV x2 = TS.BroadcastFrom(ap + r2);
                TS.MultiplyAddTo(ref c20, x2, b0);
                TS.MultiplyAddTo(ref c21, x2, b1);
                TV x3 = TS.BroadcastFrom(ap + r3);
                TS.MultiplyAddTo(ref c30, x3, b0);
                TS.MultiplyAddTo(ref c31, x3, b1);
                TV x4 = TS.BroadcastFrom(ap + r4);
                TS.MultiplyAddTo(ref c40, x4, b0);
                TS.MultiplyAddTo(ref c41, x4, b1);
                TV x5 = TS.BroadcastFrom(ap + r5);
                TS.MultiplyAddTo(ref c50, x5, b0);
                TS.MultiplyAddTo(ref c51, x5, b1);
                ap = (float*)((byte*)ap + aBytes);
                bp = (float*)((byte*)bp + bBytes);
            }

            float* q0 = c;
            GemmStore.Put<TS, TV, FullColumns, TE>(epi, c00, q0, column, mask);
            GemmStore.Put<TS, TV, TC, TE>(epi, c01, q0 + w, column + w, mask);
            float* q1 = c + (ldc * 1);
            GemmStore.Put<TS, TV, FullColumns, TE>(epi, c10, q1, column, mask);
            GemmStore.Put<TS, TV, TC, TE>(epi, c11, q1 + w, column + w, mask);
            float* q2 = c + (ldc * 2);
            GemmStore.Put<TS, TV, FullColumns, TE>(epi, c20, q2, column, mask);
            GemmStore.Put<TS, TV, TC, TE>(epi, c21, q2 + w, column + w, mask);
            float* q3 = c + (ldc * 3);
            GemmStore.Put<TS, TV, FullColumns, TE>(epi, c30, q3, column, mask);
            GemmStore.Put<TS, TV, TC, TE>(epi, c31, q3 + w, column + w, mask);
            float* q4 = c + (ldc * 4);
            GemmStore.Put<TS, TV, FullColumns, TE>(epi, c40, q4, column, mask);
            GemmStore.Put<TS, TV, TC, TE>(epi, c41, q4 + w, column + w, mask);
            float* q5 = c + (ldc * 5);
            GemmStore.Put<TS, TV, FullColumns, TE>(epi, c50, q5, column, mask);
            GemmStore.Put<TS, TV, TC, TE>(epi, c51, q5 + w, column + w, mask);

            a += aStep;
            b += bAcross;
            c += cStep;
            column += across;
        }
    }

    /// <summary>6 row(s) × 1 vector(s), for <paramref name="blocks"/> (≥ 1) blocks of 6 row(s): block i reads A from
    /// <c>a + i·6·rsA</c> and writes C from <c>c + i·6·ldc</c>, so a column of tiles costs one call; with
    /// <paramref name="across"/> ≠ 0 (whole vectors, TC = FullColumns), block i reads B from <c>b + i·bAcross</c> and writes
    /// C from <c>c + i·across</c>, so a row of tiles costs one call.</summary>
    [MethodImpl(KernelCompilation.Hot)]
    public static void K6x1<TS, TV, TC, TE>(int blocks, int k, float* a, nint rsA, nint csA, float* b, nint ldb, float* c, nint ldc, nint column, int tail, TE epi, nint across, nint bAcross)
        where TS : ISimd<TV>
        where TV : struct
        where TC : IColumnAccess
        where TE : IGemmEpilogue
    {
        TV mask = TS.CreateMask(tail);
        nint r1 = rsA;
        nint r2 = rsA * 2;
        nint r3 = rsA * 3;
        nint r4 = rsA * 4;
        nint r5 = rsA * 5;
        nint aBytes = csA * sizeof(float);
        nint bBytes = ldb * sizeof(float);
        nint aStep = across == 0 ? rsA * 6 : 0;
        nint cStep = across == 0 ? ldc * 6 : across;
        for (int block = 0; block < blocks; block++)
        {
            float* ap = a;
            float* bp = b;
            TV c00 = TE.SeedsFromC ? TC.Load<TS, TV>(c, mask) : default;
            TV c10 = TE.SeedsFromC ? TC.Load<TS, TV>(c + (ldc * 1), mask) : default;
            TV c20 = TE.SeedsFromC ? TC.Load<TS, TV>(c + (ldc * 2), mask) : default;
            TV c30 = TE.SeedsFromC ? TC.Load<TS, TV>(c + (ldc * 3), mask) : default;
            TV c40 = TE.SeedsFromC ? TC.Load<TS, TV>(c + (ldc * 4), mask) : default;
            TV c50 = TE.SeedsFromC ? TC.Load<TS, TV>(c + (ldc * 5), mask) : default;
            int whole = TC.WholeRows(k, ldb, tail, TS.Count);
            int p = 0;
            for (; p < whole; p++)
            {
                TV b0 = TC.LoadOperand<TS, TV>(bp, mask);
                TS.MultiplyAddBroadcastTo(ref c00, ap, b0);
                TS.MultiplyAddBroadcastTo(ref c10, ap + r1, b0);
                TS.MultiplyAddBroadcastTo(ref c20, ap + r2, b0);
                TS.MultiplyAddBroadcastTo(ref c30, ap + r3, b0);
                TS.MultiplyAddBroadcastTo(ref c40, ap + r4, b0);
                TS.MultiplyAddBroadcastTo(ref c50, ap + r5, b0);
                ap = (float*)((byte*)ap + aBytes);
                bp = (float*)((byte*)bp + bBytes);
            }
            if (TC.OverReads)
            {
                for (; p < k; p++)
                {
                    TV b0 = TS.LoadMasked(bp, mask);
                    TS.MultiplyAddBroadcastTo(ref c00, ap, b0);
                    TS.MultiplyAddBroadcastTo(ref c10, ap + r1, b0);
                    TS.MultiplyAddBroadcastTo(ref c20, ap + r2, b0);
                    TS.MultiplyAddBroadcastTo(ref c30, ap + r3, b0);
                    TS.MultiplyAddBroadcastTo(ref c40, ap + r4, b0);
                    TS.MultiplyAddBroadcastTo(ref c50, ap + r5, b0);
                    ap = (float*)((byte*)ap + aBytes);
                    bp = (float*)((byte*)bp + bBytes);
                }
            }

            float* q0 = c;
            GemmStore.Put<TS, TV, TC, TE>(epi, c00, q0, column, mask);
            float* q1 = c + (ldc * 1);
            GemmStore.Put<TS, TV, TC, TE>(epi, c10, q1, column, mask);
            float* q2 = c + (ldc * 2);
            GemmStore.Put<TS, TV, TC, TE>(epi, c20, q2, column, mask);
            float* q3 = c + (ldc * 3);
            GemmStore.Put<TS, TV, TC, TE>(epi, c30, q3, column, mask);
            float* q4 = c + (ldc * 4);
            GemmStore.Put<TS, TV, TC, TE>(epi, c40, q4, column, mask);
            float* q5 = c + (ldc * 5);
            GemmStore.Put<TS, TV, TC, TE>(epi, c50, q5, column, mask);

            a += aStep;
            b += bAcross;
            c += cStep;
            column += across;
        }
    }

    /// <summary>5 row(s) × 3 vector(s), one block (a row tail; <paramref name="blocks"/> must be 1, and
    /// <paramref name="across"/> and <paramref name="bAcross"/> are unused).</summary>
    [MethodImpl(KernelCompilation.Hot)]
    public static void K5x3<TS, TV, TC, TE>(int blocks, int k, float* a, nint rsA, nint csA, float* b, nint ldb, float* c, nint ldc, nint column, int tail, TE epi, nint across, nint bAcross)
        where TS : ISimd<TV>
        where TV : struct
        where TC : IColumnAccess
        where TE : IGemmEpilogue
    {
        TV mask = TS.CreateMask(tail);
        nint w = TS.Count;
        nint r1 = rsA;
        nint r2 = rsA * 2;
        nint r3 = rsA * 3;
        nint r4 = rsA * 4;
        nint aBytes = csA * sizeof(float);
        nint bBytes = ldb * sizeof(float);
        if (blocks != 1)
        {
            throw new GemmKernelMissingException(5, 3, blocks);
        }

        float* ap = a;
        float* bp = b;
        TV c00 = TE.SeedsFromC ? TS.Load(ref *(c), 0) : default;
        TV c01 = TE.SeedsFromC ? TS.Load(ref *(c + w), 0) : default;
        TV c02 = TE.SeedsFromC ? TC.Load<TS, TV>(c + (w * 2), mask) : default;
        TV c10 = TE.SeedsFromC ? TS.Load(ref *(c + (ldc * 1)), 0) : default;
        TV c11 = TE.SeedsFromC ? TS.Load(ref *(c + (ldc * 1) + w), 0) : default;
        TV c12 = TE.SeedsFromC ? TC.Load<TS, TV>(c + (ldc * 1) + (w * 2), mask) : default;
        TV c20 = TE.SeedsFromC ? TS.Load(ref *(c + (ldc * 2)), 0) : default;
        TV c21 = TE.SeedsFromC ? TS.Load(ref *(c + (ldc * 2) + w), 0) : default;
        TV c22 = TE.SeedsFromC ? TC.Load<TS, TV>(c + (ldc * 2) + (w * 2), mask) : default;
        TV c30 = TE.SeedsFromC ? TS.Load(ref *(c + (ldc * 3)), 0) : default;
        TV c31 = TE.SeedsFromC ? TS.Load(ref *(c + (ldc * 3) + w), 0) : default;
        TV c32 = TE.SeedsFromC ? TC.Load<TS, TV>(c + (ldc * 3) + (w * 2), mask) : default;
        TV c40 = TE.SeedsFromC ? TS.Load(ref *(c + (ldc * 4)), 0) : default;
        TV c41 = TE.SeedsFromC ? TS.Load(ref *(c + (ldc * 4) + w), 0) : default;
        TV c42 = TE.SeedsFromC ? TC.Load<TS, TV>(c + (ldc * 4) + (w * 2), mask) : default;
        int whole = TC.WholeRows(k, ldb, tail, TS.Count);
        for (int p = 0; p < k; p++)
        {
            TV b0 = TS.Load(ref *(bp), 0);
            TV b1 = TS.Load(ref *(bp + w), 0);
            TV b2 = TC.OverReads && p >= whole ? TS.LoadMasked(bp + (w * 2), mask) : TC.LoadOperand<TS, TV>(bp + (w * 2), mask);
            TV x0 = TS.BroadcastFrom(ap);
            TS.MultiplyAddTo(ref c00, x0, b0);
            TS.MultiplyAddTo(ref c01, x0, b1);
            TS.MultiplyAddTo(ref c02, x0, b2);
            TV x1 = TS.BroadcastFrom(ap + r1);
            TS.MultiplyAddTo(ref c10, x1, b0);
            TS.MultiplyAddTo(ref c11, x1, b1);
            TS.MultiplyAddTo(ref c12, x1, b2);
            TV x2 = TS.BroadcastFrom(ap + r2);
            TS.MultiplyAddTo(ref c20, x2, b0);
            TS.MultiplyAddTo(ref c21, x2, b1);
            TS.MultiplyAddTo(ref c22, x2, b2);
            TV x3 = TS.BroadcastFrom(ap + r3);
            TS.MultiplyAddTo(ref c30, x3, b0);
            TS.MultiplyAddTo(ref c31, x3, b1);
            TS.MultiplyAddTo(ref c32, x3, b2);
            TV x4 = TS.BroadcastFrom(ap + r4);
            TS.MultiplyAddTo(ref c40, x4, b0);
            TS.MultiplyAddTo(ref c41, x4, b1);
            TS.MultiplyAddTo(ref c42, x4, b2);
            ap = (float*)((byte*)ap + aBytes);
            bp = (float*)((byte*)bp + bBytes);
        }

        float* q0 = c;
        GemmStore.Put<TS, TV, FullColumns, TE>(epi, c00, q0, column, mask);
        GemmStore.Put<TS, TV, FullColumns, TE>(epi, c01, q0 + w, column + w, mask);
        GemmStore.Put<TS, TV, TC, TE>(epi, c02, q0 + (w * 2), column + (w * 2), mask);
        float* q1 = c + (ldc * 1);
        GemmStore.Put<TS, TV, FullColumns, TE>(epi, c10, q1, column, mask);
        GemmStore.Put<TS, TV, FullColumns, TE>(epi, c11, q1 + w, column + w, mask);
        GemmStore.Put<TS, TV, TC, TE>(epi, c12, q1 + (w * 2), column + (w * 2), mask);
        float* q2 = c + (ldc * 2);
        GemmStore.Put<TS, TV, FullColumns, TE>(epi, c20, q2, column, mask);
        GemmStore.Put<TS, TV, FullColumns, TE>(epi, c21, q2 + w, column + w, mask);
        GemmStore.Put<TS, TV, TC, TE>(epi, c22, q2 + (w * 2), column + (w * 2), mask);
        float* q3 = c + (ldc * 3);
        GemmStore.Put<TS, TV, FullColumns, TE>(epi, c30, q3, column, mask);
        GemmStore.Put<TS, TV, FullColumns, TE>(epi, c31, q3 + w, column + w, mask);
        GemmStore.Put<TS, TV, TC, TE>(epi, c32, q3 + (w * 2), column + (w * 2), mask);
        float* q4 = c + (ldc * 4);
        GemmStore.Put<TS, TV, FullColumns, TE>(epi, c40, q4, column, mask);
        GemmStore.Put<TS, TV, FullColumns, TE>(epi, c41, q4 + w, column + w, mask);
        GemmStore.Put<TS, TV, TC, TE>(epi, c42, q4 + (w * 2), column + (w * 2), mask);
    }

    /// <summary>5 row(s) × 2 vector(s), one block (a row tail; <paramref name="blocks"/> must be 1, and
    /// <paramref name="across"/> and <paramref name="bAcross"/> are unused).</summary>
    [MethodImpl(KernelCompilation.Hot)]
    public static void K5x2<TS, TV, TC, TE>(int blocks, int k, float* a, nint rsA, nint csA, float* b, nint ldb, float* c, nint ldc, nint column, int tail, TE epi, nint across, nint bAcross)
        where TS : ISimd<TV>
        where TV : struct
        where TC : IColumnAccess
        where TE : IGemmEpilogue
    {
        TV mask = TS.CreateMask(tail);
        nint w = TS.Count;
        nint r1 = rsA;
        nint r2 = rsA * 2;
        nint r3 = rsA * 3;
        nint r4 = rsA * 4;
        nint aBytes = csA * sizeof(float);
        nint bBytes = ldb * sizeof(float);
        if (blocks != 1)
        {
            throw new GemmKernelMissingException(5, 2, blocks);
        }

        float* ap = a;
        float* bp = b;
        TV c00 = TE.SeedsFromC ? TS.Load(ref *(c), 0) : default;
        TV c01 = TE.SeedsFromC ? TC.Load<TS, TV>(c + w, mask) : default;
        TV c10 = TE.SeedsFromC ? TS.Load(ref *(c + (ldc * 1)), 0) : default;
        TV c11 = TE.SeedsFromC ? TC.Load<TS, TV>(c + (ldc * 1) + w, mask) : default;
        TV c20 = TE.SeedsFromC ? TS.Load(ref *(c + (ldc * 2)), 0) : default;
        TV c21 = TE.SeedsFromC ? TC.Load<TS, TV>(c + (ldc * 2) + w, mask) : default;
        TV c30 = TE.SeedsFromC ? TS.Load(ref *(c + (ldc * 3)), 0) : default;
        TV c31 = TE.SeedsFromC ? TC.Load<TS, TV>(c + (ldc * 3) + w, mask) : default;
        TV c40 = TE.SeedsFromC ? TS.Load(ref *(c + (ldc * 4)), 0) : default;
        TV c41 = TE.SeedsFromC ? TC.Load<TS, TV>(c + (ldc * 4) + w, mask) : default;
        int whole = TC.WholeRows(k, ldb, tail, TS.Count);
        for (int p = 0; p < k; p++)
        {
            TV b0 = TS.Load(ref *(bp), 0);
            TV b1 = TC.OverReads && p >= whole ? TS.LoadMasked(bp + w, mask) : TC.LoadOperand<TS, TV>(bp + w, mask);
            TV x0 = TS.BroadcastFrom(ap);
            TS.MultiplyAddTo(ref c00, x0, b0);
            TS.MultiplyAddTo(ref c01, x0, b1);
            TV x1 = TS.BroadcastFrom(ap + r1);
            TS.MultiplyAddTo(ref c10, x1, b0);
            TS.MultiplyAddTo(ref c11, x1, b1);
            TV x2 = TS.BroadcastFrom(ap + r2);
            TS.MultiplyAddTo(ref c20, x2, b0);
            TS.MultiplyAddTo(ref c21, x2, b1);
            TV x3 = TS.BroadcastFrom(ap + r3);
            TS.MultiplyAddTo(ref c30, x3, b0);
            TS.MultiplyAddTo(ref c31, x3, b1);
            TV x4 = TS.BroadcastFrom(ap + r4);
            TS.MultiplyAddTo(ref c40, x4, b0);
            TS.MultiplyAddTo(ref c41, x4, b1);
            ap = (float*)((byte*)ap + aBytes);
            bp = (float*)((byte*)bp + bBytes);
        }

        float* q0 = c;
        GemmStore.Put<TS, TV, FullColumns, TE>(epi, c00, q0, column, mask);
        GemmStore.Put<TS, TV, TC, TE>(epi, c01, q0 + w, column + w, mask);
        float* q1 = c + (ldc * 1);
        GemmStore.Put<TS, TV, FullColumns, TE>(epi, c10, q1, column, mask);
        GemmStore.Put<TS, TV, TC, TE>(epi, c11, q1 + w, column + w, mask);
        float* q2 = c + (ldc * 2);
        GemmStore.Put<TS, TV, FullColumns, TE>(epi, c20, q2, column, mask);
        GemmStore.Put<TS, TV, TC, TE>(epi, c21, q2 + w, column + w, mask);
        float* q3 = c + (ldc * 3);
        GemmStore.Put<TS, TV, FullColumns, TE>(epi, c30, q3, column, mask);
        GemmStore.Put<TS, TV, TC, TE>(epi, c31, q3 + w, column + w, mask);
        float* q4 = c + (ldc * 4);
        GemmStore.Put<TS, TV, FullColumns, TE>(epi, c40, q4, column, mask);
        GemmStore.Put<TS, TV, TC, TE>(epi, c41, q4 + w, column + w, mask);
    }

    /// <summary>5 row(s) × 1 vector(s), one block (a row tail; <paramref name="blocks"/> must be 1, and
    /// <paramref name="across"/> and <paramref name="bAcross"/> are unused).</summary>
    [MethodImpl(KernelCompilation.Hot)]
    public static void K5x1<TS, TV, TC, TE>(int blocks, int k, float* a, nint rsA, nint csA, float* b, nint ldb, float* c, nint ldc, nint column, int tail, TE epi, nint across, nint bAcross)
        where TS : ISimd<TV>
        where TV : struct
        where TC : IColumnAccess
        where TE : IGemmEpilogue
    {
        TV mask = TS.CreateMask(tail);
        nint r1 = rsA;
        nint r2 = rsA * 2;
        nint r3 = rsA * 3;
        nint r4 = rsA * 4;
        nint aBytes = csA * sizeof(float);
        nint bBytes = ldb * sizeof(float);
        if (blocks != 1)
        {
            throw new GemmKernelMissingException(5, 1, blocks);
        }

        float* ap = a;
        float* bp = b;
        TV c00 = TE.SeedsFromC ? TC.Load<TS, TV>(c, mask) : default;
        TV c10 = TE.SeedsFromC ? TC.Load<TS, TV>(c + (ldc * 1), mask) : default;
        TV c20 = TE.SeedsFromC ? TC.Load<TS, TV>(c + (ldc * 2), mask) : default;
        TV c30 = TE.SeedsFromC ? TC.Load<TS, TV>(c + (ldc * 3), mask) : default;
        TV c40 = TE.SeedsFromC ? TC.Load<TS, TV>(c + (ldc * 4), mask) : default;
        int whole = TC.WholeRows(k, ldb, tail, TS.Count);
        int p = 0;
        for (; p < whole; p++)
        {
            TV b0 = TC.LoadOperand<TS, TV>(bp, mask);
            TS.MultiplyAddBroadcastTo(ref c00, ap, b0);
            TS.MultiplyAddBroadcastTo(ref c10, ap + r1, b0);
            TS.MultiplyAddBroadcastTo(ref c20, ap + r2, b0);
            TS.MultiplyAddBroadcastTo(ref c30, ap + r3, b0);
            TS.MultiplyAddBroadcastTo(ref c40, ap + r4, b0);
            ap = (float*)((byte*)ap + aBytes);
            bp = (float*)((byte*)bp + bBytes);
        }
        if (TC.OverReads)
        {
            for (; p < k; p++)
            {
                TV b0 = TS.LoadMasked(bp, mask);
                TS.MultiplyAddBroadcastTo(ref c00, ap, b0);
                TS.MultiplyAddBroadcastTo(ref c10, ap + r1, b0);
                TS.MultiplyAddBroadcastTo(ref c20, ap + r2, b0);
                TS.MultiplyAddBroadcastTo(ref c30, ap + r3, b0);
                TS.MultiplyAddBroadcastTo(ref c40, ap + r4, b0);
                ap = (float*)((byte*)ap + aBytes);
                bp = (float*)((byte*)bp + bBytes);
            }
        }

        float* q0 = c;
        GemmStore.Put<TS, TV, TC, TE>(epi, c00, q0, column, mask);
        float* q1 = c + (ldc * 1);
        GemmStore.Put<TS, TV, TC, TE>(epi, c10, q1, column, mask);
        float* q2 = c + (ldc * 2);
        GemmStore.Put<TS, TV, TC, TE>(epi, c20, q2, column, mask);
        float* q3 = c + (ldc * 3);
        GemmStore.Put<TS, TV, TC, TE>(epi, c30, q3, column, mask);
        float* q4 = c + (ldc * 4);
        GemmStore.Put<TS, TV, TC, TE>(epi, c40, q4, column, mask);
    }

    /// <summary>4 row(s) × 3 vector(s), for <paramref name="blocks"/> (≥ 1) blocks of 4 row(s): block i reads A from
    /// <c>a + i·4·rsA</c> and writes C from <c>c + i·4·ldc</c>, so a column of tiles costs one call; with
    /// <paramref name="across"/> ≠ 0 (whole vectors, TC = FullColumns), block i reads B from <c>b + i·bAcross</c> and writes
    /// C from <c>c + i·across</c>, so a row of tiles costs one call.</summary>
    [MethodImpl(KernelCompilation.Hot)]
    public static void K4x3<TS, TV, TC, TE>(int blocks, int k, float* a, nint rsA, nint csA, float* b, nint ldb, float* c, nint ldc, nint column, int tail, TE epi, nint across, nint bAcross)
        where TS : ISimd<TV>
        where TV : struct
        where TC : IColumnAccess
        where TE : IGemmEpilogue
    {
        TV mask = TS.CreateMask(tail);
        nint w = TS.Count;
        nint r1 = rsA;
        nint r2 = rsA * 2;
        nint r3 = rsA * 3;
        nint aBytes = csA * sizeof(float);
        nint bBytes = ldb * sizeof(float);
        nint aStep = across == 0 ? rsA * 4 : 0;
        nint cStep = across == 0 ? ldc * 4 : across;
        for (int block = 0; block < blocks; block++)
        {
            float* ap = a;
            float* bp = b;
            TV c00 = TE.SeedsFromC ? TS.Load(ref *(c), 0) : default;
            TV c01 = TE.SeedsFromC ? TS.Load(ref *(c + w), 0) : default;
            TV c02 = TE.SeedsFromC ? TC.Load<TS, TV>(c + (w * 2), mask) : default;
            TV c10 = TE.SeedsFromC ? TS.Load(ref *(c + (ldc * 1)), 0) : default;
            TV c11 = TE.SeedsFromC ? TS.Load(ref *(c + (ldc * 1) + w), 0) : default;
            TV c12 = TE.SeedsFromC ? TC.Load<TS, TV>(c + (ldc * 1) + (w * 2), mask) : default;
            TV c20 = TE.SeedsFromC ? TS.Load(ref *(c + (ldc * 2)), 0) : default;
            TV c21 = TE.SeedsFromC ? TS.Load(ref *(c + (ldc * 2) + w), 0) : default;
            TV c22 = TE.SeedsFromC ? TC.Load<TS, TV>(c + (ldc * 2) + (w * 2), mask) : default;
            TV c30 = TE.SeedsFromC ? TS.Load(ref *(c + (ldc * 3)), 0) : default;
            TV c31 = TE.SeedsFromC ? TS.Load(ref *(c + (ldc * 3) + w), 0) : default;
            TV c32 = TE.SeedsFromC ? TC.Load<TS, TV>(c + (ldc * 3) + (w * 2), mask) : default;
            int whole = TC.WholeRows(k, ldb, tail, TS.Count);
            for (int p = 0; p < k; p++)
            {
                TV b0 = TS.Load(ref *(bp), 0);
                TV b1 = TS.Load(ref *(bp + w), 0);
                TV b2 = TC.OverReads && p >= whole ? TS.LoadMasked(bp + (w * 2), mask) : TC.LoadOperand<TS, TV>(bp + (w * 2), mask);
                TV x0 = TS.BroadcastFrom(ap);
                TS.MultiplyAddTo(ref c00, x0, b0);
                TS.MultiplyAddTo(ref c01, x0, b1);
                TS.MultiplyAddTo(ref c02, x0, b2);
                TV x1 = TS.BroadcastFrom(ap + r1);
                TS.MultiplyAddTo(ref c10, x1, b0);
                TS.MultiplyAddTo(ref c11, x1, b1);
                TS.MultiplyAddTo(ref c12, x1, b2);
                TV x2 = TS.BroadcastFrom(ap + r2);
                TS.MultiplyAddTo(ref c20, x2, b0);
                TS.MultiplyAddTo(ref c21, x2, b1);
                TS.MultiplyAddTo(ref c22, x2, b2);
                TV x3 = TS.BroadcastFrom(ap + r3);
                TS.MultiplyAddTo(ref c30, x3, b0);
                TS.MultiplyAddTo(ref c31, x3, b1);
                TS.MultiplyAddTo(ref c32, x3, b2);
                ap = (float*)((byte*)ap + aBytes);
                bp = (float*)((byte*)bp + bBytes);
            }

            float* q0 = c;
            GemmStore.Put<TS, TV, FullColumns, TE>(epi, c00, q0, column, mask);
            GemmStore.Put<TS, TV, FullColumns, TE>(epi, c01, q0 + w, column + w, mask);
            GemmStore.Put<TS, TV, TC, TE>(epi, c02, q0 + (w * 2), column + (w * 2), mask);
            float* q1 = c + (ldc * 1);
            GemmStore.Put<TS, TV, FullColumns, TE>(epi, c10, q1, column, mask);
            GemmStore.Put<TS, TV, FullColumns, TE>(epi, c11, q1 + w, column + w, mask);
            GemmStore.Put<TS, TV, TC, TE>(epi, c12, q1 + (w * 2), column + (w * 2), mask);
            float* q2 = c + (ldc * 2);
            GemmStore.Put<TS, TV, FullColumns, TE>(epi, c20, q2, column, mask);
            GemmStore.Put<TS, TV, FullColumns, TE>(epi, c21, q2 + w, column + w, mask);
            GemmStore.Put<TS, TV, TC, TE>(epi, c22, q2 + (w * 2), column + (w * 2), mask);
            float* q3 = c + (ldc * 3);
            GemmStore.Put<TS, TV, FullColumns, TE>(epi, c30, q3, column, mask);
            GemmStore.Put<TS, TV, FullColumns, TE>(epi, c31, q3 + w, column + w, mask);
            GemmStore.Put<TS, TV, TC, TE>(epi, c32, q3 + (w * 2), column + (w * 2), mask);

            a += aStep;
            b += bAcross;
            c += cStep;
            column += across;
        }
    }

    /// <summary>4 row(s) × 2 vector(s), for <paramref name="blocks"/> (≥ 1) blocks of 4 row(s): block i reads A from
    /// <c>a + i·4·rsA</c> and writes C from <c>c + i·4·ldc</c>, so a column of tiles costs one call; with
    /// <paramref name="across"/> ≠ 0 (whole vectors, TC = FullColumns), block i reads B from <c>b + i·bAcross</c> and writes
    /// C from <c>c + i·across</c>, so a row of tiles costs one call.</summary>
    [MethodImpl(KernelCompilation.Hot)]
    public static void K4x2<TS, TV, TC, TE>(int blocks, int k, float* a, nint rsA, nint csA, float* b, nint ldb, float* c, nint ldc, nint column, int tail, TE epi, nint across, nint bAcross)
        where TS : ISimd<TV>
        where TV : struct
        where TC : IColumnAccess
        where TE : IGemmEpilogue
    {
        TV mask = TS.CreateMask(tail);
        nint w = TS.Count;
        nint r1 = rsA;
        nint r2 = rsA * 2;
        nint r3 = rsA * 3;
        nint aBytes = csA * sizeof(float);
        nint bBytes = ldb * sizeof(float);
        nint aStep = across == 0 ? rsA * 4 : 0;
        nint cStep = across == 0 ? ldc * 4 : across;
        for (int block = 0; block < blocks; block++)
        {
            float* ap = a;
            float* bp = b;
            TV c00 = TE.SeedsFromC ? TS.Load(ref *(c), 0) : default;
            TV c01 = TE.SeedsFromC ? TC.Load<TS, TV>(c + w, mask) : default;
            TV c10 = TE.SeedsFromC ? TS.Load(ref *(c + (ldc * 1)), 0) : default;
            TV c11 = TE.SeedsFromC ? TC.Load<TS, TV>(c + (ldc * 1) + w, mask) : default;
            TV c20 = TE.SeedsFromC ? TS.Load(ref *(c + (ldc * 2)), 0) : default;
            TV c21 = TE.SeedsFromC ? TC.Load<TS, TV>(c + (ldc * 2) + w, mask) : default;
            TV c30 = TE.SeedsFromC ? TS.Load(ref *(c + (ldc * 3)), 0) : default;
            TV c31 = TE.SeedsFromC ? TC.Load<TS, TV>(c + (ldc * 3) + w, mask) : default;
            int whole = TC.WholeRows(k, ldb, tail, TS.Count);
            for (int p = 0; p < k; p++)
            {
                TV b0 = TS.Load(ref *(bp), 0);
                TV b1 = TC.OverReads && p >= whole ? TS.LoadMasked(bp + w, mask) : TC.LoadOperand<TS, TV>(bp + w, mask);
                TV x0 = TS.BroadcastFrom(ap);
                TS.MultiplyAddTo(ref c00, x0, b0);
                TS.MultiplyAddTo(ref c01, x0, b1);
                TV x1 = TS.BroadcastFrom(ap + r1);
                TS.MultiplyAddTo(ref c10, x1, b0);
                TS.MultiplyAddTo(ref c11, x1, b1);
                TV x2 = TS.BroadcastFrom(ap + r2);
                TS.MultiplyAddTo(ref c20, x2, b0);
                TS.MultiplyAddTo(ref c21, x2, b1);
                TV x3 = TS.BroadcastFrom(ap + r3);
                TS.MultiplyAddTo(ref c30, x3, b0);
                TS.MultiplyAddTo(ref c31, x3, b1);
                ap = (float*)((byte*)ap + aBytes);
                bp = (float*)((byte*)bp + bBytes);
            }

            float* q0 = c;
            GemmStore.Put<TS, TV, FullColumns, TE>(epi, c00, q0, column, mask);
            GemmStore.Put<TS, TV, TC, TE>(epi, c01, q0 + w, column + w, mask);
            float* q1 = c + (ldc * 1);
            GemmStore.Put<TS, TV, FullColumns, TE>(epi, c10, q1, column, mask);
            GemmStore.Put<TS, TV, TC, TE>(epi, c11, q1 + w, column + w, mask);
            float* q2 = c + (ldc * 2);
            GemmStore.Put<TS, TV, FullColumns, TE>(epi, c20, q2, column, mask);
            GemmStore.Put<TS, TV, TC, TE>(epi, c21, q2 + w, column + w, mask);
            float* q3 = c + (ldc * 3);
            GemmStore.Put<TS, TV, FullColumns, TE>(epi, c30, q3, column, mask);
            GemmStore.Put<TS, TV, TC, TE>(epi, c31, q3 + w, column + w, mask);

            a += aStep;
            b += bAcross;
            c += cStep;
            column += across;
        }
    }

    /// <summary>4 row(s) × 1 vector(s), for <paramref name="blocks"/> (≥ 1) blocks of 4 row(s): block i reads A from
    /// <c>a + i·4·rsA</c> and writes C from <c>c + i·4·ldc</c>, so a column of tiles costs one call; with
    /// <paramref name="across"/> ≠ 0 (whole vectors, TC = FullColumns), block i reads B from <c>b + i·bAcross</c> and writes
    /// C from <c>c + i·across</c>, so a row of tiles costs one call.</summary>
    [MethodImpl(KernelCompilation.Hot)]
    public static void K4x1<TS, TV, TC, TE>(int blocks, int k, float* a, nint rsA, nint csA, float* b, nint ldb, float* c, nint ldc, nint column, int tail, TE epi, nint across, nint bAcross)
        where TS : ISimd<TV>
        where TV : struct
        where TC : IColumnAccess
        where TE : IGemmEpilogue
    {
        TV mask = TS.CreateMask(tail);
        nint r1 = rsA;
        nint r2 = rsA * 2;
        nint r3 = rsA * 3;
        nint aBytes = csA * sizeof(float);
        nint bBytes = ldb * sizeof(float);
        nint aStep = across == 0 ? rsA * 4 : 0;
        nint cStep = across == 0 ? ldc * 4 : across;
        for (int block = 0; block < blocks; block++)
        {
            float* ap = a;
            float* bp = b;
            TV c00 = TE.SeedsFromC ? TC.Load<TS, TV>(c, mask) : default;
            TV c10 = TE.SeedsFromC ? TC.Load<TS, TV>(c + (ldc * 1), mask) : default;
            TV c20 = TE.SeedsFromC ? TC.Load<TS, TV>(c + (ldc * 2), mask) : default;
            TV c30 = TE.SeedsFromC ? TC.Load<TS, TV>(c + (ldc * 3), mask) : default;
            int whole = TC.WholeRows(k, ldb, tail, TS.Count);
            int p = 0;
            for (; p < whole; p++)
            {
                TV b0 = TC.LoadOperand<TS, TV>(bp, mask);
                TS.MultiplyAddBroadcastTo(ref c00, ap, b0);
                TS.MultiplyAddBroadcastTo(ref c10, ap + r1, b0);
                TS.MultiplyAddBroadcastTo(ref c20, ap + r2, b0);
                TS.MultiplyAddBroadcastTo(ref c30, ap + r3, b0);
                ap = (float*)((byte*)ap + aBytes);
                bp = (float*)((byte*)bp + bBytes);
            }
            if (TC.OverReads)
            {
                for (; p < k; p++)
                {
                    TV b0 = TS.LoadMasked(bp, mask);
                    TS.MultiplyAddBroadcastTo(ref c00, ap, b0);
                    TS.MultiplyAddBroadcastTo(ref c10, ap + r1, b0);
                    TS.MultiplyAddBroadcastTo(ref c20, ap + r2, b0);
                    TS.MultiplyAddBroadcastTo(ref c30, ap + r3, b0);
                    ap = (float*)((byte*)ap + aBytes);
                    bp = (float*)((byte*)bp + bBytes);
                }
            }

            float* q0 = c;
            GemmStore.Put<TS, TV, TC, TE>(epi, c00, q0, column, mask);
            float* q1 = c + (ldc * 1);
            GemmStore.Put<TS, TV, TC, TE>(epi, c10, q1, column, mask);
            float* q2 = c + (ldc * 2);
            GemmStore.Put<TS, TV, TC, TE>(epi, c20, q2, column, mask);
            float* q3 = c + (ldc * 3);
            GemmStore.Put<TS, TV, TC, TE>(epi, c30, q3, column, mask);

            a += aStep;
            b += bAcross;
            c += cStep;
            column += across;
        }
    }

    /// <summary>3 row(s) × 3 vector(s), one block (a row tail; <paramref name="blocks"/> must be 1, and
    /// <paramref name="across"/> and <paramref name="bAcross"/> are unused).</summary>
    [MethodImpl(KernelCompilation.Hot)]
    public static void K3x3<TS, TV, TC, TE>(int blocks, int k, float* a, nint rsA, nint csA, float* b, nint ldb, float* c, nint ldc, nint column, int tail, TE epi, nint across, nint bAcross)
        where TS : ISimd<TV>
        where TV : struct
        where TC : IColumnAccess
        where TE : IGemmEpilogue
    {
        TV mask = TS.CreateMask(tail);
        nint w = TS.Count;
        nint r1 = rsA;
        nint r2 = rsA * 2;
        nint aBytes = csA * sizeof(float);
        nint bBytes = ldb * sizeof(float);
        if (blocks != 1)
        {
            throw new GemmKernelMissingException(3, 3, blocks);
        }

        float* ap = a;
        float* bp = b;
        TV c00 = TE.SeedsFromC ? TS.Load(ref *(c), 0) : default;
        TV c01 = TE.SeedsFromC ? TS.Load(ref *(c + w), 0) : default;
        TV c02 = TE.SeedsFromC ? TC.Load<TS, TV>(c + (w * 2), mask) : default;
        TV c10 = TE.SeedsFromC ? TS.Load(ref *(c + (ldc * 1)), 0) : default;
        TV c11 = TE.SeedsFromC ? TS.Load(ref *(c + (ldc * 1) + w), 0) : default;
        TV c12 = TE.SeedsFromC ? TC.Load<TS, TV>(c + (ldc * 1) + (w * 2), mask) : default;
        TV c20 = TE.SeedsFromC ? TS.Load(ref *(c + (ldc * 2)), 0) : default;
        TV c21 = TE.SeedsFromC ? TS.Load(ref *(c + (ldc * 2) + w), 0) : default;
        TV c22 = TE.SeedsFromC ? TC.Load<TS, TV>(c + (ldc * 2) + (w * 2), mask) : default;
        int whole = TC.WholeRows(k, ldb, tail, TS.Count);
        for (int p = 0; p < k; p++)
        {
            TV b0 = TS.Load(ref *(bp), 0);
            TV b1 = TS.Load(ref *(bp + w), 0);
            TV b2 = TC.OverReads && p >= whole ? TS.LoadMasked(bp + (w * 2), mask) : TC.LoadOperand<TS, TV>(bp + (w * 2), mask);
            TV x0 = TS.BroadcastFrom(ap);
            TS.MultiplyAddTo(ref c00, x0, b0);
            TS.MultiplyAddTo(ref c01, x0, b1);
            TS.MultiplyAddTo(ref c02, x0, b2);
            TV x1 = TS.BroadcastFrom(ap + r1);
            TS.MultiplyAddTo(ref c10, x1, b0);
            TS.MultiplyAddTo(ref c11, x1, b1);
            TS.MultiplyAddTo(ref c12, x1, b2);
            TV x2 = TS.BroadcastFrom(ap + r2);
            TS.MultiplyAddTo(ref c20, x2, b0);
            TS.MultiplyAddTo(ref c21, x2, b1);
            TS.MultiplyAddTo(ref c22, x2, b2);
            ap = (float*)((byte*)ap + aBytes);
            bp = (float*)((byte*)bp + bBytes);
        }

        float* q0 = c;
        GemmStore.Put<TS, TV, FullColumns, TE>(epi, c00, q0, column, mask);
        GemmStore.Put<TS, TV, FullColumns, TE>(epi, c01, q0 + w, column + w, mask);
        GemmStore.Put<TS, TV, TC, TE>(epi, c02, q0 + (w * 2), column + (w * 2), mask);
        float* q1 = c + (ldc * 1);
        GemmStore.Put<TS, TV, FullColumns, TE>(epi, c10, q1, column, mask);
        GemmStore.Put<TS, TV, FullColumns, TE>(epi, c11, q1 + w, column + w, mask);
        GemmStore.Put<TS, TV, TC, TE>(epi, c12, q1 + (w * 2), column + (w * 2), mask);
        float* q2 = c + (ldc * 2);
        GemmStore.Put<TS, TV, FullColumns, TE>(epi, c20, q2, column, mask);
        GemmStore.Put<TS, TV, FullColumns, TE>(epi, c21, q2 + w, column + w, mask);
        GemmStore.Put<TS, TV, TC, TE>(epi, c22, q2 + (w * 2), column + (w * 2), mask);
    }

    /// <summary>3 row(s) × 2 vector(s), one block (a row tail; <paramref name="blocks"/> must be 1, and
    /// <paramref name="across"/> and <paramref name="bAcross"/> are unused).</summary>
    [MethodImpl(KernelCompilation.Hot)]
    public static void K3x2<TS, TV, TC, TE>(int blocks, int k, float* a, nint rsA, nint csA, float* b, nint ldb, float* c, nint ldc, nint column, int tail, TE epi, nint across, nint bAcross)
        where TS : ISimd<TV>
        where TV : struct
        where TC : IColumnAccess
        where TE : IGemmEpilogue
    {
        TV mask = TS.CreateMask(tail);
        nint w = TS.Count;
        nint r1 = rsA;
        nint r2 = rsA * 2;
        nint aBytes = csA * sizeof(float);
        nint bBytes = ldb * sizeof(float);
        if (blocks != 1)
        {
            throw new GemmKernelMissingException(3, 2, blocks);
        }

        float* ap = a;
        float* bp = b;
        TV c00 = TE.SeedsFromC ? TS.Load(ref *(c), 0) : default;
        TV c01 = TE.SeedsFromC ? TC.Load<TS, TV>(c + w, mask) : default;
        TV c10 = TE.SeedsFromC ? TS.Load(ref *(c + (ldc * 1)), 0) : default;
        TV c11 = TE.SeedsFromC ? TC.Load<TS, TV>(c + (ldc * 1) + w, mask) : default;
        TV c20 = TE.SeedsFromC ? TS.Load(ref *(c + (ldc * 2)), 0) : default;
        TV c21 = TE.SeedsFromC ? TC.Load<TS, TV>(c + (ldc * 2) + w, mask) : default;
        int whole = TC.WholeRows(k, ldb, tail, TS.Count);
        for (int p = 0; p < k; p++)
        {
            TV b0 = TS.Load(ref *(bp), 0);
            TV b1 = TC.OverReads && p >= whole ? TS.LoadMasked(bp + w, mask) : TC.LoadOperand<TS, TV>(bp + w, mask);
            TV x0 = TS.BroadcastFrom(ap);
            TS.MultiplyAddTo(ref c00, x0, b0);
            TS.MultiplyAddTo(ref c01, x0, b1);
            TV x1 = TS.BroadcastFrom(ap + r1);
            TS.MultiplyAddTo(ref c10, x1, b0);
            TS.MultiplyAddTo(ref c11, x1, b1);
            TV x2 = TS.BroadcastFrom(ap + r2);
            TS.MultiplyAddTo(ref c20, x2, b0);
            TS.MultiplyAddTo(ref c21, x2, b1);
            ap = (float*)((byte*)ap + aBytes);
            bp = (float*)((byte*)bp + bBytes);
        }

        float* q0 = c;
        GemmStore.Put<TS, TV, FullColumns, TE>(epi, c00, q0, column, mask);
        GemmStore.Put<TS, TV, TC, TE>(epi, c01, q0 + w, column + w, mask);
        float* q1 = c + (ldc * 1);
        GemmStore.Put<TS, TV, FullColumns, TE>(epi, c10, q1, column, mask);
        GemmStore.Put<TS, TV, TC, TE>(epi, c11, q1 + w, column + w, mask);
        float* q2 = c + (ldc * 2);
        GemmStore.Put<TS, TV, FullColumns, TE>(epi, c20, q2, column, mask);
        GemmStore.Put<TS, TV, TC, TE>(epi, c21, q2 + w, column + w, mask);
    }

    /// <summary>3 row(s) × 1 vector(s), one block (a row tail; <paramref name="blocks"/> must be 1, and
    /// <paramref name="across"/> and <paramref name="bAcross"/> are unused).</summary>
    [MethodImpl(KernelCompilation.Hot)]
    public static void K3x1<TS, TV, TC, TE>(int blocks, int k, float* a, nint rsA, nint csA, float* b, nint ldb, float* c, nint ldc, nint column, int tail, TE epi, nint across, nint bAcross)
        where TS : ISimd<TV>
        where TV : struct
        where TC : IColumnAccess
        where TE : IGemmEpilogue
    {
        TV mask = TS.CreateMask(tail);
        nint r1 = rsA;
        nint r2 = rsA * 2;
        nint aBytes = csA * sizeof(float);
        nint bBytes = ldb * sizeof(float);
        if (blocks != 1)
        {
            throw new GemmKernelMissingException(3, 1, blocks);
        }

        float* ap = a;
        float* bp = b;
        TV c00 = TE.SeedsFromC ? TC.Load<TS, TV>(c, mask) : default;
        TV c10 = TE.SeedsFromC ? TC.Load<TS, TV>(c + (ldc * 1), mask) : default;
        TV c20 = TE.SeedsFromC ? TC.Load<TS, TV>(c + (ldc * 2), mask) : default;
        int whole = TC.WholeRows(k, ldb, tail, TS.Count);
        int p = 0;
        for (; p < whole; p++)
        {
            TV b0 = TC.LoadOperand<TS, TV>(bp, mask);
            TS.MultiplyAddBroadcastTo(ref c00, ap, b0);
            TS.MultiplyAddBroadcastTo(ref c10, ap + r1, b0);
            TS.MultiplyAddBroadcastTo(ref c20, ap + r2, b0);
            ap = (float*)((byte*)ap + aBytes);
            bp = (float*)((byte*)bp + bBytes);
        }
        if (TC.OverReads)
        {
            for (; p < k; p++)
            {
                TV b0 = TS.LoadMasked(bp, mask);
                TS.MultiplyAddBroadcastTo(ref c00, ap, b0);
                TS.MultiplyAddBroadcastTo(ref c10, ap + r1, b0);
                TS.MultiplyAddBroadcastTo(ref c20, ap + r2, b0);
                ap = (float*)((byte*)ap + aBytes);
                bp = (float*)((byte*)bp + bBytes);
            }
        }

        float* q0 = c;
        GemmStore.Put<TS, TV, TC, TE>(epi, c00, q0, column, mask);
        float* q1 = c + (ldc * 1);
        GemmStore.Put<TS, TV, TC, TE>(epi, c10, q1, column, mask);
        float* q2 = c + (ldc * 2);
        GemmStore.Put<TS, TV, TC, TE>(epi, c20, q2, column, mask);
    }

    /// <summary>2 row(s) × 3 vector(s), one block (a row tail; <paramref name="blocks"/> must be 1, and
    /// <paramref name="across"/> and <paramref name="bAcross"/> are unused).</summary>
    [MethodImpl(KernelCompilation.Hot)]
    public static void K2x3<TS, TV, TC, TE>(int blocks, int k, float* a, nint rsA, nint csA, float* b, nint ldb, float* c, nint ldc, nint column, int tail, TE epi, nint across, nint bAcross)
        where TS : ISimd<TV>
        where TV : struct
        where TC : IColumnAccess
        where TE : IGemmEpilogue
    {
        TV mask = TS.CreateMask(tail);
        nint w = TS.Count;
        nint r1 = rsA;
        nint aBytes = csA * sizeof(float);
        nint bBytes = ldb * sizeof(float);
        if (blocks != 1)
        {
            throw new GemmKernelMissingException(2, 3, blocks);
        }

        float* ap = a;
        float* bp = b;
        TV c00 = TE.SeedsFromC ? TS.Load(ref *(c), 0) : default;
        TV c01 = TE.SeedsFromC ? TS.Load(ref *(c + w), 0) : default;
        TV c02 = TE.SeedsFromC ? TC.Load<TS, TV>(c + (w * 2), mask) : default;
        TV c10 = TE.SeedsFromC ? TS.Load(ref *(c + (ldc * 1)), 0) : default;
        TV c11 = TE.SeedsFromC ? TS.Load(ref *(c + (ldc * 1) + w), 0) : default;
        TV c12 = TE.SeedsFromC ? TC.Load<TS, TV>(c + (ldc * 1) + (w * 2), mask) : default;
        int whole = TC.WholeRows(k, ldb, tail, TS.Count);
        for (int p = 0; p < k; p++)
        {
            TV b0 = TS.Load(ref *(bp), 0);
            TV b1 = TS.Load(ref *(bp + w), 0);
            TV b2 = TC.OverReads && p >= whole ? TS.LoadMasked(bp + (w * 2), mask) : TC.LoadOperand<TS, TV>(bp + (w * 2), mask);
            TV x0 = TS.BroadcastFrom(ap);
            TS.MultiplyAddTo(ref c00, x0, b0);
            TS.MultiplyAddTo(ref c01, x0, b1);
            TS.MultiplyAddTo(ref c02, x0, b2);
            TV x1 = TS.BroadcastFrom(ap + r1);
            TS.MultiplyAddTo(ref c10, x1, b0);
            TS.MultiplyAddTo(ref c11, x1, b1);
            TS.MultiplyAddTo(ref c12, x1, b2);
            ap = (float*)((byte*)ap + aBytes);
            bp = (float*)((byte*)bp + bBytes);
        }

        float* q0 = c;
        GemmStore.Put<TS, TV, FullColumns, TE>(epi, c00, q0, column, mask);
        GemmStore.Put<TS, TV, FullColumns, TE>(epi, c01, q0 + w, column + w, mask);
        GemmStore.Put<TS, TV, TC, TE>(epi, c02, q0 + (w * 2), column + (w * 2), mask);
        float* q1 = c + (ldc * 1);
        GemmStore.Put<TS, TV, FullColumns, TE>(epi, c10, q1, column, mask);
        GemmStore.Put<TS, TV, FullColumns, TE>(epi, c11, q1 + w, column + w, mask);
        GemmStore.Put<TS, TV, TC, TE>(epi, c12, q1 + (w * 2), column + (w * 2), mask);
    }

    /// <summary>2 row(s) × 2 vector(s), one block (a row tail; <paramref name="blocks"/> must be 1, and
    /// <paramref name="across"/> and <paramref name="bAcross"/> are unused).</summary>
    [MethodImpl(KernelCompilation.Hot)]
    public static void K2x2<TS, TV, TC, TE>(int blocks, int k, float* a, nint rsA, nint csA, float* b, nint ldb, float* c, nint ldc, nint column, int tail, TE epi, nint across, nint bAcross)
        where TS : ISimd<TV>
        where TV : struct
        where TC : IColumnAccess
        where TE : IGemmEpilogue
    {
        TV mask = TS.CreateMask(tail);
        nint w = TS.Count;
        nint r1 = rsA;
        nint aBytes = csA * sizeof(float);
        nint bBytes = ldb * sizeof(float);
        if (blocks != 1)
        {
            throw new GemmKernelMissingException(2, 2, blocks);
        }

        float* ap = a;
        float* bp = b;
        TV c00 = TE.SeedsFromC ? TS.Load(ref *(c), 0) : default;
        TV c01 = TE.SeedsFromC ? TC.Load<TS, TV>(c + w, mask) : default;
        TV c10 = TE.SeedsFromC ? TS.Load(ref *(c + (ldc * 1)), 0) : default;
        TV c11 = TE.SeedsFromC ? TC.Load<TS, TV>(c + (ldc * 1) + w, mask) : default;
        int whole = TC.WholeRows(k, ldb, tail, TS.Count);
        for (int p = 0; p < k; p++)
        {
            TV b0 = TS.Load(ref *(bp), 0);
            TV b1 = TC.OverReads && p >= whole ? TS.LoadMasked(bp + w, mask) : TC.LoadOperand<TS, TV>(bp + w, mask);
            TV x0 = TS.BroadcastFrom(ap);
            TS.MultiplyAddTo(ref c00, x0, b0);
            TS.MultiplyAddTo(ref c01, x0, b1);
            TV x1 = TS.BroadcastFrom(ap + r1);
            TS.MultiplyAddTo(ref c10, x1, b0);
            TS.MultiplyAddTo(ref c11, x1, b1);
            ap = (float*)((byte*)ap + aBytes);
            bp = (float*)((byte*)bp + bBytes);
        }

        float* q0 = c;
        GemmStore.Put<TS, TV, FullColumns, TE>(epi, c00, q0, column, mask);
        GemmStore.Put<TS, TV, TC, TE>(epi, c01, q0 + w, column + w, mask);
        float* q1 = c + (ldc * 1);
        GemmStore.Put<TS, TV, FullColumns, TE>(epi, c10, q1, column, mask);
        GemmStore.Put<TS, TV, TC, TE>(epi, c11, q1 + w, column + w, mask);
    }

    /// <summary>2 row(s) × 1 vector(s), one block (a row tail; <paramref name="blocks"/> must be 1, and
    /// <paramref name="across"/> and <paramref name="bAcross"/> are unused).</summary>
    [MethodImpl(KernelCompilation.Hot)]
    public static void K2x1<TS, TV, TC, TE>(int blocks, int k, float* a, nint rsA, nint csA, float* b, nint ldb, float* c, nint ldc, nint column, int tail, TE epi, nint across, nint bAcross)
        where TS : ISimd<TV>
        where TV : struct
        where TC : IColumnAccess
        where TE : IGemmEpilogue
    {
        TV mask = TS.CreateMask(tail);
        nint r1 = rsA;
        nint aBytes = csA * sizeof(float);
        nint bBytes = ldb * sizeof(float);
        if (blocks != 1)
        {
            throw new GemmKernelMissingException(2, 1, blocks);
        }

        float* ap = a;
        float* bp = b;
        TV c00 = TE.SeedsFromC ? TC.Load<TS, TV>(c, mask) : default;
        TV c10 = TE.SeedsFromC ? TC.Load<TS, TV>(c + (ldc * 1), mask) : default;
        int whole = TC.WholeRows(k, ldb, tail, TS.Count);
        int p = 0;
        for (; p < whole; p++)
        {
            TV b0 = TC.LoadOperand<TS, TV>(bp, mask);
            TS.MultiplyAddBroadcastTo(ref c00, ap, b0);
            TS.MultiplyAddBroadcastTo(ref c10, ap + r1, b0);
            ap = (float*)((byte*)ap + aBytes);
            bp = (float*)((byte*)bp + bBytes);
        }
        if (TC.OverReads)
        {
            for (; p < k; p++)
            {
                TV b0 = TS.LoadMasked(bp, mask);
                TS.MultiplyAddBroadcastTo(ref c00, ap, b0);
                TS.MultiplyAddBroadcastTo(ref c10, ap + r1, b0);
                ap = (float*)((byte*)ap + aBytes);
                bp = (float*)((byte*)bp + bBytes);
            }
        }

        float* q0 = c;
        GemmStore.Put<TS, TV, TC, TE>(epi, c00, q0, column, mask);
        float* q1 = c + (ldc * 1);
        GemmStore.Put<TS, TV, TC, TE>(epi, c10, q1, column, mask);
    }

    /// <summary>1 row(s) × 3 vector(s), one block (a row tail; <paramref name="blocks"/> must be 1, and
    /// <paramref name="across"/> and <paramref name="bAcross"/> are unused).</summary>
    [MethodImpl(KernelCompilation.Hot)]
    public static void K1x3<TS, TV, TC, TE>(int blocks, int k, float* a, nint rsA, nint csA, float* b, nint ldb, float* c, nint ldc, nint column, int tail, TE epi, nint across, nint bAcross)
        where TS : ISimd<TV>
        where TV : struct
        where TC : IColumnAccess
        where TE : IGemmEpilogue
    {
        TV mask = TS.CreateMask(tail);
        nint w = TS.Count;
        nint aBytes = csA * sizeof(float);
        nint bBytes = ldb * sizeof(float);
        if (blocks != 1)
        {
            throw new GemmKernelMissingException(1, 3, blocks);
        }

        float* ap = a;
        float* bp = b;
        TV c00 = TE.SeedsFromC ? TS.Load(ref *(c), 0) : default;
        TV c01 = TE.SeedsFromC ? TS.Load(ref *(c + w), 0) : default;
        TV c02 = TE.SeedsFromC ? TC.Load<TS, TV>(c + (w * 2), mask) : default;
        int whole = TC.WholeRows(k, ldb, tail, TS.Count);
        for (int p = 0; p < k; p++)
        {
            TV b0 = TS.Load(ref *(bp), 0);
            TV b1 = TS.Load(ref *(bp + w), 0);
            TV b2 = TC.OverReads && p >= whole ? TS.LoadMasked(bp + (w * 2), mask) : TC.LoadOperand<TS, TV>(bp + (w * 2), mask);
            TV x0 = TS.BroadcastFrom(ap);
            TS.MultiplyAddTo(ref c00, x0, b0);
            TS.MultiplyAddTo(ref c01, x0, b1);
            TS.MultiplyAddTo(ref c02, x0, b2);
            ap = (float*)((byte*)ap + aBytes);
            bp = (float*)((byte*)bp + bBytes);
        }

        float* q0 = c;
        GemmStore.Put<TS, TV, FullColumns, TE>(epi, c00, q0, column, mask);
        GemmStore.Put<TS, TV, FullColumns, TE>(epi, c01, q0 + w, column + w, mask);
        GemmStore.Put<TS, TV, TC, TE>(epi, c02, q0 + (w * 2), column + (w * 2), mask);
    }

    /// <summary>1 row(s) × 2 vector(s), one block (a row tail; <paramref name="blocks"/> must be 1, and
    /// <paramref name="across"/> and <paramref name="bAcross"/> are unused).</summary>
    [MethodImpl(KernelCompilation.Hot)]
    public static void K1x2<TS, TV, TC, TE>(int blocks, int k, float* a, nint rsA, nint csA, float* b, nint ldb, float* c, nint ldc, nint column, int tail, TE epi, nint across, nint bAcross)
        where TS : ISimd<TV>
        where TV : struct
        where TC : IColumnAccess
        where TE : IGemmEpilogue
    {
        TV mask = TS.CreateMask(tail);
        nint w = TS.Count;
        nint aBytes = csA * sizeof(float);
        nint bBytes = ldb * sizeof(float);
        if (blocks != 1)
        {
            throw new GemmKernelMissingException(1, 2, blocks);
        }

        float* ap = a;
        float* bp = b;
        TV c00 = TE.SeedsFromC ? TS.Load(ref *(c), 0) : default;
        TV c01 = TE.SeedsFromC ? TC.Load<TS, TV>(c + w, mask) : default;
        int whole = TC.WholeRows(k, ldb, tail, TS.Count);
        for (int p = 0; p < k; p++)
        {
            TV b0 = TS.Load(ref *(bp), 0);
            TV b1 = TC.OverReads && p >= whole ? TS.LoadMasked(bp + w, mask) : TC.LoadOperand<TS, TV>(bp + w, mask);
            TV x0 = TS.BroadcastFrom(ap);
            TS.MultiplyAddTo(ref c00, x0, b0);
            TS.MultiplyAddTo(ref c01, x0, b1);
            ap = (float*)((byte*)ap + aBytes);
            bp = (float*)((byte*)bp + bBytes);
        }

        float* q0 = c;
        GemmStore.Put<TS, TV, FullColumns, TE>(epi, c00, q0, column, mask);
        GemmStore.Put<TS, TV, TC, TE>(epi, c01, q0 + w, column + w, mask);
    }

    /// <summary>1 row(s) × 1 vector(s), one block (a row tail; <paramref name="blocks"/> must be 1, and
    /// <paramref name="across"/> and <paramref name="bAcross"/> are unused).</summary>
    [MethodImpl(KernelCompilation.Hot)]
    public static void K1x1<TS, TV, TC, TE>(int blocks, int k, float* a, nint rsA, nint csA, float* b, nint ldb, float* c, nint ldc, nint column, int tail, TE epi, nint across, nint bAcross)
        where TS : ISimd<TV>
        where TV : struct
        where TC : IColumnAccess
        where TE : IGemmEpilogue
    {
        TV mask = TS.CreateMask(tail);
        nint aBytes = csA * sizeof(float);
        nint bBytes = ldb * sizeof(float);
        if (blocks != 1)
        {
            throw new GemmKernelMissingException(1, 1, blocks);
        }

        float* ap = a;
        float* bp = b;
        TV c00 = TE.SeedsFromC ? TC.Load<TS, TV>(c, mask) : default;
        int whole = TC.WholeRows(k, ldb, tail, TS.Count);
        int p = 0;
        for (; p < whole; p++)
        {
            TV b0 = TC.LoadOperand<TS, TV>(bp, mask);
            TS.MultiplyAddBroadcastTo(ref c00, ap, b0);
            ap = (float*)((byte*)ap + aBytes);
            bp = (float*)((byte*)bp + bBytes);
        }
        if (TC.OverReads)
        {
            for (; p < k; p++)
            {
                TV b0 = TS.LoadMasked(bp, mask);
                TS.MultiplyAddBroadcastTo(ref c00, ap, b0);
                ap = (float*)((byte*)ap + aBytes);
                bp = (float*)((byte*)bp + bBytes);
            }
        }

        float* q0 = c;
        GemmStore.Put<TS, TV, TC, TE>(epi, c00, q0, column, mask);
    }

    /// <summary>1 row(s) × 4 vector(s), one block (a row tail; <paramref name="blocks"/> must be 1, and
    /// <paramref name="across"/> and <paramref name="bAcross"/> are unused).</summary>
    [MethodImpl(KernelCompilation.Hot)]
    public static void K1x4<TS, TV, TC, TE>(int blocks, int k, float* a, nint rsA, nint csA, float* b, nint ldb, float* c, nint ldc, nint column, int tail, TE epi, nint across, nint bAcross)
        where TS : ISimd<TV>
        where TV : struct
        where TC : IColumnAccess
        where TE : IGemmEpilogue
    {
        TV mask = TS.CreateMask(tail);
        nint w = TS.Count;
        nint aBytes = csA * sizeof(float);
        nint bBytes = ldb * sizeof(float);
        if (blocks != 1)
        {
            throw new GemmKernelMissingException(1, 4, blocks);
        }

        float* ap = a;
        float* bp = b;
        TV c00 = TE.SeedsFromC ? TS.Load(ref *(c), 0) : default;
        TV c01 = TE.SeedsFromC ? TS.Load(ref *(c + w), 0) : default;
        TV c02 = TE.SeedsFromC ? TS.Load(ref *(c + (w * 2)), 0) : default;
        TV c03 = TE.SeedsFromC ? TC.Load<TS, TV>(c + (w * 3), mask) : default;
        int whole = TC.WholeRows(k, ldb, tail, TS.Count);
        for (int p = 0; p < k; p++)
        {
            TV b0 = TS.Load(ref *(bp), 0);
            TV b1 = TS.Load(ref *(bp + w), 0);
            TV b2 = TS.Load(ref *(bp + (w * 2)), 0);
            TV b3 = TC.OverReads && p >= whole ? TS.LoadMasked(bp + (w * 3), mask) : TC.LoadOperand<TS, TV>(bp + (w * 3), mask);
            TV x0 = TS.BroadcastFrom(ap);
            TS.MultiplyAddTo(ref c00, x0, b0);
            TS.MultiplyAddTo(ref c01, x0, b1);
            TS.MultiplyAddTo(ref c02, x0, b2);
            TS.MultiplyAddTo(ref c03, x0, b3);
            ap = (float*)((byte*)ap + aBytes);
            bp = (float*)((byte*)bp + bBytes);
        }

        float* q0 = c;
        GemmStore.Put<TS, TV, FullColumns, TE>(epi, c00, q0, column, mask);
        GemmStore.Put<TS, TV, FullColumns, TE>(epi, c01, q0 + w, column + w, mask);
        GemmStore.Put<TS, TV, FullColumns, TE>(epi, c02, q0 + (w * 2), column + (w * 2), mask);
        GemmStore.Put<TS, TV, TC, TE>(epi, c03, q0 + (w * 3), column + (w * 3), mask);
    }

    /// <summary>1 row(s) × 5 vector(s), one block (a row tail; <paramref name="blocks"/> must be 1, and
    /// <paramref name="across"/> and <paramref name="bAcross"/> are unused).</summary>
    [MethodImpl(KernelCompilation.Hot)]
    public static void K1x5<TS, TV, TC, TE>(int blocks, int k, float* a, nint rsA, nint csA, float* b, nint ldb, float* c, nint ldc, nint column, int tail, TE epi, nint across, nint bAcross)
        where TS : ISimd<TV>
        where TV : struct
        where TC : IColumnAccess
        where TE : IGemmEpilogue
    {
        TV mask = TS.CreateMask(tail);
        nint w = TS.Count;
        nint aBytes = csA * sizeof(float);
        nint bBytes = ldb * sizeof(float);
        if (blocks != 1)
        {
            throw new GemmKernelMissingException(1, 5, blocks);
        }

        float* ap = a;
        float* bp = b;
        TV c00 = TE.SeedsFromC ? TS.Load(ref *(c), 0) : default;
        TV c01 = TE.SeedsFromC ? TS.Load(ref *(c + w), 0) : default;
        TV c02 = TE.SeedsFromC ? TS.Load(ref *(c + (w * 2)), 0) : default;
        TV c03 = TE.SeedsFromC ? TS.Load(ref *(c + (w * 3)), 0) : default;
        TV c04 = TE.SeedsFromC ? TC.Load<TS, TV>(c + (w * 4), mask) : default;
        int whole = TC.WholeRows(k, ldb, tail, TS.Count);
        for (int p = 0; p < k; p++)
        {
            TV b0 = TS.Load(ref *(bp), 0);
            TV b1 = TS.Load(ref *(bp + w), 0);
            TV b2 = TS.Load(ref *(bp + (w * 2)), 0);
            TV b3 = TS.Load(ref *(bp + (w * 3)), 0);
            TV b4 = TC.OverReads && p >= whole ? TS.LoadMasked(bp + (w * 4), mask) : TC.LoadOperand<TS, TV>(bp + (w * 4), mask);
            TV x0 = TS.BroadcastFrom(ap);
            TS.MultiplyAddTo(ref c00, x0, b0);
            TS.MultiplyAddTo(ref c01, x0, b1);
            TS.MultiplyAddTo(ref c02, x0, b2);
            TS.MultiplyAddTo(ref c03, x0, b3);
            TS.MultiplyAddTo(ref c04, x0, b4);
            ap = (float*)((byte*)ap + aBytes);
            bp = (float*)((byte*)bp + bBytes);
        }

        float* q0 = c;
        GemmStore.Put<TS, TV, FullColumns, TE>(epi, c00, q0, column, mask);
        GemmStore.Put<TS, TV, FullColumns, TE>(epi, c01, q0 + w, column + w, mask);
        GemmStore.Put<TS, TV, FullColumns, TE>(epi, c02, q0 + (w * 2), column + (w * 2), mask);
        GemmStore.Put<TS, TV, FullColumns, TE>(epi, c03, q0 + (w * 3), column + (w * 3), mask);
        GemmStore.Put<TS, TV, TC, TE>(epi, c04, q0 + (w * 4), column + (w * 4), mask);
    }

    /// <summary>1 row(s) × 6 vector(s), one block (a row tail; <paramref name="blocks"/> must be 1, and
    /// <paramref name="across"/> and <paramref name="bAcross"/> are unused).</summary>
    [MethodImpl(KernelCompilation.Hot)]
    public static void K1x6<TS, TV, TC, TE>(int blocks, int k, float* a, nint rsA, nint csA, float* b, nint ldb, float* c, nint ldc, nint column, int tail, TE epi, nint across, nint bAcross)
        where TS : ISimd<TV>
        where TV : struct
        where TC : IColumnAccess
        where TE : IGemmEpilogue
    {
        TV mask = TS.CreateMask(tail);
        nint w = TS.Count;
        nint aBytes = csA * sizeof(float);
        nint bBytes = ldb * sizeof(float);
        if (blocks != 1)
        {
            throw new GemmKernelMissingException(1, 6, blocks);
        }

        float* ap = a;
        float* bp = b;
        TV c00 = TE.SeedsFromC ? TS.Load(ref *(c), 0) : default;
        TV c01 = TE.SeedsFromC ? TS.Load(ref *(c + w), 0) : default;
        TV c02 = TE.SeedsFromC ? TS.Load(ref *(c + (w * 2)), 0) : default;
        TV c03 = TE.SeedsFromC ? TS.Load(ref *(c + (w * 3)), 0) : default;
        TV c04 = TE.SeedsFromC ? TS.Load(ref *(c + (w * 4)), 0) : default;
        TV c05 = TE.SeedsFromC ? TC.Load<TS, TV>(c + (w * 5), mask) : default;
        int whole = TC.WholeRows(k, ldb, tail, TS.Count);
        for (int p = 0; p < k; p++)
        {
            TV b0 = TS.Load(ref *(bp), 0);
            TV b1 = TS.Load(ref *(bp + w), 0);
            TV b2 = TS.Load(ref *(bp + (w * 2)), 0);
            TV b3 = TS.Load(ref *(bp + (w * 3)), 0);
            TV b4 = TS.Load(ref *(bp + (w * 4)), 0);
            TV b5 = TC.OverReads && p >= whole ? TS.LoadMasked(bp + (w * 5), mask) : TC.LoadOperand<TS, TV>(bp + (w * 5), mask);
            TV x0 = TS.BroadcastFrom(ap);
            TS.MultiplyAddTo(ref c00, x0, b0);
            TS.MultiplyAddTo(ref c01, x0, b1);
            TS.MultiplyAddTo(ref c02, x0, b2);
            TS.MultiplyAddTo(ref c03, x0, b3);
            TS.MultiplyAddTo(ref c04, x0, b4);
            TS.MultiplyAddTo(ref c05, x0, b5);
            ap = (float*)((byte*)ap + aBytes);
            bp = (float*)((byte*)bp + bBytes);
        }

        float* q0 = c;
        GemmStore.Put<TS, TV, FullColumns, TE>(epi, c00, q0, column, mask);
        GemmStore.Put<TS, TV, FullColumns, TE>(epi, c01, q0 + w, column + w, mask);
        GemmStore.Put<TS, TV, FullColumns, TE>(epi, c02, q0 + (w * 2), column + (w * 2), mask);
        GemmStore.Put<TS, TV, FullColumns, TE>(epi, c03, q0 + (w * 3), column + (w * 3), mask);
        GemmStore.Put<TS, TV, FullColumns, TE>(epi, c04, q0 + (w * 4), column + (w * 4), mask);
        GemmStore.Put<TS, TV, TC, TE>(epi, c05, q0 + (w * 5), column + (w * 5), mask);
    }

    /// <summary>1 row(s) × 7 vector(s), one block (a row tail; <paramref name="blocks"/> must be 1, and
    /// <paramref name="across"/> and <paramref name="bAcross"/> are unused).</summary>
    [MethodImpl(KernelCompilation.Hot)]
    public static void K1x7<TS, TV, TC, TE>(int blocks, int k, float* a, nint rsA, nint csA, float* b, nint ldb, float* c, nint ldc, nint column, int tail, TE epi, nint across, nint bAcross)
        where TS : ISimd<TV>
        where TV : struct
        where TC : IColumnAccess
        where TE : IGemmEpilogue
    {
        TV mask = TS.CreateMask(tail);
        nint w = TS.Count;
        nint aBytes = csA * sizeof(float);
        nint bBytes = ldb * sizeof(float);
        if (blocks != 1)
        {
            throw new GemmKernelMissingException(1, 7, blocks);
        }

        float* ap = a;
        float* bp = b;
        TV c00 = TE.SeedsFromC ? TS.Load(ref *(c), 0) : default;
        TV c01 = TE.SeedsFromC ? TS.Load(ref *(c + w), 0) : default;
        TV c02 = TE.SeedsFromC ? TS.Load(ref *(c + (w * 2)), 0) : default;
        TV c03 = TE.SeedsFromC ? TS.Load(ref *(c + (w * 3)), 0) : default;
        TV c04 = TE.SeedsFromC ? TS.Load(ref *(c + (w * 4)), 0) : default;
        TV c05 = TE.SeedsFromC ? TS.Load(ref *(c + (w * 5)), 0) : default;
        TV c06 = TE.SeedsFromC ? TC.Load<TS, TV>(c + (w * 6), mask) : default;
        int whole = TC.WholeRows(k, ldb, tail, TS.Count);
        for (int p = 0; p < k; p++)
        {
            TV b0 = TS.Load(ref *(bp), 0);
            TV b1 = TS.Load(ref *(bp + w), 0);
            TV b2 = TS.Load(ref *(bp + (w * 2)), 0);
            TV b3 = TS.Load(ref *(bp + (w * 3)), 0);
            TV b4 = TS.Load(ref *(bp + (w * 4)), 0);
            TV b5 = TS.Load(ref *(bp + (w * 5)), 0);
            TV b6 = TC.OverReads && p >= whole ? TS.LoadMasked(bp + (w * 6), mask) : TC.LoadOperand<TS, TV>(bp + (w * 6), mask);
            TV x0 = TS.BroadcastFrom(ap);
            TS.MultiplyAddTo(ref c00, x0, b0);
            TS.MultiplyAddTo(ref c01, x0, b1);
            TS.MultiplyAddTo(ref c02, x0, b2);
            TS.MultiplyAddTo(ref c03, x0, b3);
            TS.MultiplyAddTo(ref c04, x0, b4);
            TS.MultiplyAddTo(ref c05, x0, b5);
            TS.MultiplyAddTo(ref c06, x0, b6);
            ap = (float*)((byte*)ap + aBytes);
            bp = (float*)((byte*)bp + bBytes);
        }

        float* q0 = c;
        GemmStore.Put<TS, TV, FullColumns, TE>(epi, c00, q0, column, mask);
        GemmStore.Put<TS, TV, FullColumns, TE>(epi, c01, q0 + w, column + w, mask);
        GemmStore.Put<TS, TV, FullColumns, TE>(epi, c02, q0 + (w * 2), column + (w * 2), mask);
        GemmStore.Put<TS, TV, FullColumns, TE>(epi, c03, q0 + (w * 3), column + (w * 3), mask);
        GemmStore.Put<TS, TV, FullColumns, TE>(epi, c04, q0 + (w * 4), column + (w * 4), mask);
        GemmStore.Put<TS, TV, FullColumns, TE>(epi, c05, q0 + (w * 5), column + (w * 5), mask);
        GemmStore.Put<TS, TV, TC, TE>(epi, c06, q0 + (w * 6), column + (w * 6), mask);
    }

    /// <summary>1 row(s) × 8 vector(s), one block (a row tail; <paramref name="blocks"/> must be 1, and
    /// <paramref name="across"/> and <paramref name="bAcross"/> are unused).</summary>
    [MethodImpl(KernelCompilation.Hot)]
    public static void K1x8<TS, TV, TC, TE>(int blocks, int k, float* a, nint rsA, nint csA, float* b, nint ldb, float* c, nint ldc, nint column, int tail, TE epi, nint across, nint bAcross)
        where TS : ISimd<TV>
        where TV : struct
        where TC : IColumnAccess
        where TE : IGemmEpilogue
    {
        TV mask = TS.CreateMask(tail);
        nint w = TS.Count;
        nint aBytes = csA * sizeof(float);
        nint bBytes = ldb * sizeof(float);
        if (blocks != 1)
        {
            throw new GemmKernelMissingException(1, 8, blocks);
        }

        float* ap = a;
        float* bp = b;
        TV c00 = TE.SeedsFromC ? TS.Load(ref *(c), 0) : default;
        TV c01 = TE.SeedsFromC ? TS.Load(ref *(c + w), 0) : default;
        TV c02 = TE.SeedsFromC ? TS.Load(ref *(c + (w * 2)), 0) : default;
        TV c03 = TE.SeedsFromC ? TS.Load(ref *(c + (w * 3)), 0) : default;
        TV c04 = TE.SeedsFromC ? TS.Load(ref *(c + (w * 4)), 0) : default;
        TV c05 = TE.SeedsFromC ? TS.Load(ref *(c + (w * 5)), 0) : default;
        TV c06 = TE.SeedsFromC ? TS.Load(ref *(c + (w * 6)), 0) : default;
        TV c07 = TE.SeedsFromC ? TC.Load<TS, TV>(c + (w * 7), mask) : default;
        int whole = TC.WholeRows(k, ldb, tail, TS.Count);
        for (int p = 0; p < k; p++)
        {
            TV b0 = TS.Load(ref *(bp), 0);
            TV b1 = TS.Load(ref *(bp + w), 0);
            TV b2 = TS.Load(ref *(bp + (w * 2)), 0);
            TV b3 = TS.Load(ref *(bp + (w * 3)), 0);
            TV b4 = TS.Load(ref *(bp + (w * 4)), 0);
            TV b5 = TS.Load(ref *(bp + (w * 5)), 0);
            TV b6 = TS.Load(ref *(bp + (w * 6)), 0);
            TV b7 = TC.OverReads && p >= whole ? TS.LoadMasked(bp + (w * 7), mask) : TC.LoadOperand<TS, TV>(bp + (w * 7), mask);
            TV x0 = TS.BroadcastFrom(ap);
            TS.MultiplyAddTo(ref c00, x0, b0);
            TS.MultiplyAddTo(ref c01, x0, b1);
            TS.MultiplyAddTo(ref c02, x0, b2);
            TS.MultiplyAddTo(ref c03, x0, b3);
            TS.MultiplyAddTo(ref c04, x0, b4);
            TS.MultiplyAddTo(ref c05, x0, b5);
            TS.MultiplyAddTo(ref c06, x0, b6);
            TS.MultiplyAddTo(ref c07, x0, b7);
            ap = (float*)((byte*)ap + aBytes);
            bp = (float*)((byte*)bp + bBytes);
        }

        float* q0 = c;
        GemmStore.Put<TS, TV, FullColumns, TE>(epi, c00, q0, column, mask);
        GemmStore.Put<TS, TV, FullColumns, TE>(epi, c01, q0 + w, column + w, mask);
        GemmStore.Put<TS, TV, FullColumns, TE>(epi, c02, q0 + (w * 2), column + (w * 2), mask);
        GemmStore.Put<TS, TV, FullColumns, TE>(epi, c03, q0 + (w * 3), column + (w * 3), mask);
        GemmStore.Put<TS, TV, FullColumns, TE>(epi, c04, q0 + (w * 4), column + (w * 4), mask);
        GemmStore.Put<TS, TV, FullColumns, TE>(epi, c05, q0 + (w * 5), column + (w * 5), mask);
        GemmStore.Put<TS, TV, FullColumns, TE>(epi, c06, q0 + (w * 6), column + (w * 6), mask);
        GemmStore.Put<TS, TV, TC, TE>(epi, c07, q0 + (w * 7), column + (w * 7), mask);
    }

    /// <summary>2 row(s) × 4 vector(s), one block (a row tail; <paramref name="blocks"/> must be 1, and
    /// <paramref name="across"/> and <paramref name="bAcross"/> are unused).</summary>
    [MethodImpl(KernelCompilation.Hot)]
    public static void K2x4<TS, TV, TC, TE>(int blocks, int k, float* a, nint rsA, nint csA, float* b, nint ldb, float* c, nint ldc, nint column, int tail, TE epi, nint across, nint bAcross)
        where TS : ISimd<TV>
        where TV : struct
        where TC : IColumnAccess
        where TE : IGemmEpilogue
    {
        TV mask = TS.CreateMask(tail);
        nint w = TS.Count;
        nint r1 = rsA;
        nint aBytes = csA * sizeof(float);
        nint bBytes = ldb * sizeof(float);
        if (blocks != 1)
        {
            throw new GemmKernelMissingException(2, 4, blocks);
        }

        float* ap = a;
        float* bp = b;
        TV c00 = TE.SeedsFromC ? TS.Load(ref *(c), 0) : default;
        TV c01 = TE.SeedsFromC ? TS.Load(ref *(c + w), 0) : default;
        TV c02 = TE.SeedsFromC ? TS.Load(ref *(c + (w * 2)), 0) : default;
        TV c03 = TE.SeedsFromC ? TC.Load<TS, TV>(c + (w * 3), mask) : default;
        TV c10 = TE.SeedsFromC ? TS.Load(ref *(c + (ldc * 1)), 0) : default;
        TV c11 = TE.SeedsFromC ? TS.Load(ref *(c + (ldc * 1) + w), 0) : default;
        TV c12 = TE.SeedsFromC ? TS.Load(ref *(c + (ldc * 1) + (w * 2)), 0) : default;
        TV c13 = TE.SeedsFromC ? TC.Load<TS, TV>(c + (ldc * 1) + (w * 3), mask) : default;
        int whole = TC.WholeRows(k, ldb, tail, TS.Count);
        for (int p = 0; p < k; p++)
        {
            TV b0 = TS.Load(ref *(bp), 0);
            TV b1 = TS.Load(ref *(bp + w), 0);
            TV b2 = TS.Load(ref *(bp + (w * 2)), 0);
            TV b3 = TC.OverReads && p >= whole ? TS.LoadMasked(bp + (w * 3), mask) : TC.LoadOperand<TS, TV>(bp + (w * 3), mask);
            TV x0 = TS.BroadcastFrom(ap);
            TS.MultiplyAddTo(ref c00, x0, b0);
            TS.MultiplyAddTo(ref c01, x0, b1);
            TS.MultiplyAddTo(ref c02, x0, b2);
            TS.MultiplyAddTo(ref c03, x0, b3);
            TV x1 = TS.BroadcastFrom(ap + r1);
            TS.MultiplyAddTo(ref c10, x1, b0);
            TS.MultiplyAddTo(ref c11, x1, b1);
            TS.MultiplyAddTo(ref c12, x1, b2);
            TS.MultiplyAddTo(ref c13, x1, b3);
            ap = (float*)((byte*)ap + aBytes);
            bp = (float*)((byte*)bp + bBytes);
        }

        float* q0 = c;
        GemmStore.Put<TS, TV, FullColumns, TE>(epi, c00, q0, column, mask);
        GemmStore.Put<TS, TV, FullColumns, TE>(epi, c01, q0 + w, column + w, mask);
        GemmStore.Put<TS, TV, FullColumns, TE>(epi, c02, q0 + (w * 2), column + (w * 2), mask);
        GemmStore.Put<TS, TV, TC, TE>(epi, c03, q0 + (w * 3), column + (w * 3), mask);
        float* q1 = c + (ldc * 1);
        GemmStore.Put<TS, TV, FullColumns, TE>(epi, c10, q1, column, mask);
        GemmStore.Put<TS, TV, FullColumns, TE>(epi, c11, q1 + w, column + w, mask);
        GemmStore.Put<TS, TV, FullColumns, TE>(epi, c12, q1 + (w * 2), column + (w * 2), mask);
        GemmStore.Put<TS, TV, TC, TE>(epi, c13, q1 + (w * 3), column + (w * 3), mask);
    }
}
