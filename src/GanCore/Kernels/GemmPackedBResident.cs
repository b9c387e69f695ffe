using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics.X86;

namespace GanCore.Kernels;

/// <summary>The packed route with the B sliver kept in L1 (docs/kernels.md, Paths, 4).</summary>
internal static unsafe partial class GemmEngine
{
    /// <summary>The packed route for kernels of fewer than 8 rows (narrower than 512-bit vectors): for each NC×KC panel
    /// of op(B), pack it; for each MC×KC block of op(A), pack it; then each B sliver (kept in L1) meets every A sliver
    /// (streamed from L2). See <see cref="GemmBlocking.KeepsASliverInL1"/>.</summary>
    [MethodImpl(KernelCompilation.Hot)]
    private static void PackedBResident<TS, TV, TOnly, TFirst, TMiddle, TLast>(GemmOperands o, GemmBlocking blocking, int mr, int nvMax, TOnly only, TFirst first, TMiddle middle, TLast last)
        where TS : ISimd<TV>
        where TV : struct
        where TOnly : struct, IGemmEpilogue
        where TFirst : struct, IGemmEpilogue
        where TMiddle : struct, IGemmEpilogue
        where TLast : struct, IGemmEpilogue
    {
        int nr = nvMax * TS.Count;
        int kcBlock = blocking.KC, mcBlock = blocking.MC, ncBlock = blocking.NC;
        int kcMax = Math.Min(kcBlock, o.K);
        float* packB = Scratch(ref t_packB, PackLength(kcMax, ncBlock, o.N, nr));
        float* packA = Scratch(ref t_packA, PackLength(kcMax, mcBlock, o.M, mr));
        for (int jc = 0; jc < o.N; jc += ncBlock)
        {
            int nc = Math.Min(ncBlock, o.N - jc);
            for (int pc = 0; pc < o.K; pc += kcBlock)
            {
                int kc = Math.Min(kcBlock, o.K - pc);
                PackB<TS, TV>(o.B + (pc * o.RsB) + (jc * o.CsB), o.RsB, o.CsB, kc, nc, nr, packB);
                bool isFirst = pc == 0;
                bool isLast = pc + kc == o.K;
                for (int ic = 0; ic < o.M; ic += mcBlock)
                {
                    int mc = Math.Min(mcBlock, o.M - ic);
                    PackA(o.A + (ic * o.RsA) + (pc * o.CsA), o.RsA, o.CsA, mc, kc, mr, packA);
                    float* c = o.C + (ic * o.Ldc) + jc;
                    nint column = o.Column0 + jc;
                    Block<TS, TV, TOnly, TFirst, TMiddle, TLast>(aResident: false, isFirst, isLast, mc, nc, kc, packA, packB, c, o.Ldc, column, mr, nvMax, only, first, middle, last);
                }
            }
        }
    }

    /// <summary>One packed A block against one packed B panel: each B sliver (kept in L1) meets every A sliver, walking
    /// down a column of C's tiles.</summary>
    [MethodImpl(KernelCompilation.Hot)]
    private static void MacroBResident<TS, TV, TE>(int mc, int nc, int kc, float* packA, float* packB, float* c, nint ldc, nint column, int mr, int nvMax, TE epi)
        where TS : ISimd<TV>
        where TV : struct
        where TE : struct, IGemmEpilogue
    {
        int nr = nvMax * TS.Count;
        for (int jr = 0; jr < nc; jr += nr)
        {
            int cols = Math.Min(nr, nc - jr);
            float* bSliver = packB + (jr * kc);
            for (int ir = 0; ir < mc; ir += mr)
            {
                int rows = Math.Min(mr, mc - ir);
                if (ir + mr < mc)
                {
                    // C's next tile comes from L3 when C is larger than L2: ask for it while this tile's kc-step loop
                    // runs, so its load (accumulate, epilogue) and store do not wait on memory. Into L2, not L1: with a
                    // power-of-two row stride the tile's eight rows fall into the same L1 sets, and pulling a second
                    // tile into those sets early evicts the B sliver the kernel is reading (measured: prefetcht0 0.76–0.80×
                    // OpenBLAS at 1024³, prefetcht1 1.01–1.03× in the same runs).
                    PrefetchTile(c + ((ir + mr) * ldc) + jr, ldc, Math.Min(mr, mc - ir - mr), cols);
                }

                PackedTile<TS, TV, TE>(rows, cols, kc, packA + (ir * kc), bSliver, c + (ir * ldc) + jr, ldc, column + jr, mr, nvMax, epi);
            }
        }
    }

    /// <summary>Prefetches a rows × cols tile of C into L2 (one request per 64-byte line, plus the last element).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void PrefetchTile(float* c, nint ldc, int rows, int cols)
    {
        if (!Sse.IsSupported)
        {
            return;
        }

        for (int r = 0; r < rows; r++)
        {
            float* row = c + (r * ldc);
            for (int j = 0; j < cols; j += 16)
            {
                Sse.Prefetch1(row + j);
            }

            Sse.Prefetch1(row + cols - 1);
        }
    }
}
