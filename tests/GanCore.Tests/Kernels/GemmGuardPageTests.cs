using GanCore.Kernels;
using GanCore.Tests.Testing;

namespace GanCore.Tests.Kernels;

/// <summary>
/// Every GEMM route reads A and B and writes C only inside the spans it is given. Each operand is cut to the elements
/// its shape reaches and placed against an inaccessible page (<see cref="GuardedMemory"/>), once ending at the page and
/// once starting after one, so a vector load, a transpose or a store one element outside the span faults. The shapes
/// take every route (dot, direct, padded B, column tiles, the transposed product, streaming, packed with row tails and
/// column tails) at every vector width this process runs, with rows as short as one element and strides with gaps.
/// </summary>
public class GemmGuardPageTests
{
    private static readonly (bool TransposeA, bool TransposeB)[] Forms = [(false, false), (true, false), (false, true), (true, true)];

    [GuardedMemoryFact]
    public void No_route_touches_memory_outside_its_operands()
    {
        // M, N, K: one element, a vector's tail (3, 7, 9, 15), past one vector (17, 20), past a micro-tile's rows (13),
        // and the routes' thresholds: N = 1 (dot), 8–24 (column tiles), ≤ 16 (streaming, padded B), Aᵀ·B with
        // 2 ≤ N < 8 and M ≥ 64 (the transposed product at 512 bits, M ≥ 32 at 256), and a C past 16 KB at least
        // two strips wide, in each half too when two threads split it (the direct loops in row order over a packed B,
        // under the tiny blocking). A·Bᵀ with M ≤ 8 and N ≥ 8 transposes B in registers (GemmFewRows): 7×9×15,
        // 2×33×40, 4×16×9 and 8×12×8 cover a last partial block of columns, the K tail and two passes of four rows (with
        // AVX-512, 1×15×40 and 2×25×19 a last pair of tiles with 15 and 9 columns, whose second tile reads its last row
        // again instead of the rows past B's end; 7×37×1, 16×20×1 and 70×3×1 the outer products of K = 1, pairs of rows
        // and an odd last one, a masked last vector, a C narrower than one); at 512
        // bits 6×20×37 takes whole 16×16 tiles with a K tail and a last block of four columns, and 3×8×16 one tile along K
        // with eight columns (B's other eight rows the last one again). 25×20×9, 26×17×20 and 27×24×33: as Aᵀ·B, the column
        // tiles' last 9–11 rows through the 9-, 10- and 11-row kernels and a 256-bit vector for the last columns.
        // 13×10×9 and 37×11×20: as A·Bᵀ at 256 bits, A transposed (two vectors of rows, four columns at a time with a
        // last two or three; passes of 16 + 16 + 5 rows; K tails in the copy).
        // 14×15×40 and 27×9×33: C one vector wide past its row tiles: below 512 bits 12-row tiles, whose last 12 + r rows
        // run as 8 and 4 + r; at 512 bits 16-row tiles, 14 rows as 7 + 7 and 27 as 16 + 11.
        // 64×3×17 and 70×4×37: Aᵀ·B into 3 and 4 dense columns (S → C by GemmEngine.Interleave, whole vectors); 2×70×19:
        // a two-row product four vectors wide and a tail (K2x4).
        (int M, int N, int K)[] shapes =
        [
            (1, 1, 1), (1, 7, 3), (3, 1, 9), (5, 3, 1), (7, 9, 15), (13, 17, 5), (16, 20, 33), (17, 15, 64),
            (20, 24, 7), (33, 2, 40), (2, 33, 40), (40, 1, 70), (9, 50, 17), (48, 16, 16), (70, 13, 100),
            (70, 5, 30), (65, 7, 9), (100, 100, 7), (4, 16, 9), (8, 12, 8), (14, 15, 40), (27, 9, 33),
            (64, 3, 17), (70, 4, 37), (2, 70, 19), (6, 20, 37), (3, 8, 16), (25, 20, 9), (26, 17, 20), (27, 24, 33),
            (1, 15, 40), (2, 25, 19), (7, 37, 1), (16, 20, 1), (70, 3, 1), (13, 10, 9), (37, 11, 20),
        ];
        GemmPath[] paths = [GemmPath.Auto, GemmPath.Direct, GemmPath.Packed, GemmPath.Stream, GemmPath.Dot];
        VectorWidth[] widths = GemmWidths.All().ToArray();
        int count = 0;
        foreach ((int m, int n, int k) in shapes)
        {
            foreach ((bool ta, bool tb) in Forms)
            {
                foreach (bool padded in new[] { false, true })
                {
                    int h = (m * 131) + (n * 17) + k + (ta ? 1 : 0) + (tb ? 2 : 0) + (padded ? 4 : 0);
                    int pad = padded ? 1 + (h % 3) : 0;
                    var test = new GemmCase(ta, tb, m, n, k, accumulate: (h & 1) == 1, padA: pad, padB: pad, padC: pad, seed: h);
                    foreach (VectorWidth width in widths)
                    {
                        foreach (GemmPath path in paths)
                        {
                            // The tiny blocking crosses every KC, MC and NC boundary and streams in small blocks; the
                            // host's takes the unpacked routes up to L2's size.
                            foreach (GemmBlocking? blocking in new GemmBlocking?[] { GemmSkinnyTests.Tiny, null })
                            {
                                test.VerifyGuarded(width, path, blocking, GuardedMemory.Placement.AtEnd);
                                test.VerifyGuarded(width, path, blocking, GuardedMemory.Placement.AtStart);
                                count++;
                            }
                        }
                    }
                }
            }
        }

        count.Should().Be(shapes.Length * Forms.Length * 2 * widths.Length * paths.Length * 2);
    }

    [GuardedMemoryFact]
    public unsafe void The_guard_pages_are_really_inaccessible()
    {
        // Without this, a guard that failed to protect its pages would let every test above pass unnoticed.
        foreach (int length in new[] { 1, 3, 1024, 1025 })
        {
            using (var end = new GuardedMemory(length, GuardedMemory.Placement.AtEnd))
            {
                GuardedMemory.IsReadable(end.Start).Should().BeTrue();
                GuardedMemory.IsReadable(end.Start + length - 1).Should().BeTrue();
                GuardedMemory.IsReadable(end.Start + length).Should().BeFalse("the float after the last lies in the trailing guard page");
            }

            using (var start = new GuardedMemory(length, GuardedMemory.Placement.AtStart))
            {
                GuardedMemory.IsReadable(start.Start + length - 1).Should().BeTrue();
                GuardedMemory.IsReadable(start.Start - 1).Should().BeFalse("the float before the first lies in the leading guard page");
            }
        }

        // A disposed instance hands out no pointer: it throws (its pooled pages may already be another instance's).
        var disposed = new GuardedMemory(4, GuardedMemory.Placement.AtEnd);
        disposed.Dispose();
        FluentActions.Invoking(() => disposed.Span.Length).Should().Throw<ObjectDisposedException>();
    }

    [GuardedMemoryFact]
    public unsafe void A_reused_region_is_zeroed_and_still_guarded()
    {
        // Disposed regions go back to a pool and are handed out again (GuardedMemory's remarks): one taken from there
        // must look like a fresh mapping, its floats zero and both guard pages still inaccessible. 2,500 floats fill three
        // pages; another test thread may take the same region first, so a few tries, and at least one must reuse it.
        const int length = 2500;
        int reused = 0;
        for (int attempt = 0; attempt < 10; attempt++)
        {
            float* before;
            using (var first = new GuardedMemory(length, GuardedMemory.Placement.AtEnd))
            {
                first.Span.Fill(7.5f);
                before = first.Start;
            }

            using var again = new GuardedMemory(length, GuardedMemory.Placement.AtEnd);
            if (again.Start != before)
            {
                continue;
            }

            reused++;
            again.Span.ToArray().Should().OnlyContain(v => v == 0f, "a reused region is zeroed, as a fresh mapping is");
            GuardedMemory.IsReadable(again.Start + length - 1).Should().BeTrue();
            GuardedMemory.IsReadable(again.Start + length).Should().BeFalse("the trailing guard page stays inaccessible");
            float* pageStart = (float*)((nint)again.Start & ~(nint)(Environment.SystemPageSize - 1));
            GuardedMemory.IsReadable(pageStart - 1).Should().BeFalse("the leading guard page stays inaccessible");
        }

        reused.Should().BePositive("a disposed region of the same size is handed out again");
        using var atStart = new GuardedMemory(length, GuardedMemory.Placement.AtStart);
        GuardedMemory.IsReadable(atStart.Start - 1).Should().BeFalse("the float before the first lies in the leading guard page");
    }
}
