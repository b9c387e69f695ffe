using GanCore.Kernels;
using GanCore.Tests.Testing;

namespace GanCore.Tests.Kernels;

/// <summary>The packing routines write whole-vector stores whose spare lanes spill into the next k's slot (A slivers of
/// 6 rows), four k at a time, and 8×8 or 4×4 transposed tiles (op(B) = Bᵀ, and 4-row A slivers). A spill past the sliver's end would land in the pack
/// buffer's alignment slack, where no product test can see it, so these call PackA and PackB directly on buffers
/// guarded by sentinels: every packed value in its place, and not one float past the packed length written; and the
/// source read only inside itself.</summary>
public sealed class GemmPackingTests
{
    private const int Guard = 24;

    [Fact]
    public unsafe void PackA_writes_every_sliver_in_place_and_nothing_past_the_packed_length()
    {
        int cases = 0;
        foreach (int mr in new[] { 4, 6, 8 })
        {
            foreach (bool transposed in new[] { false, true })
            {
                // 8 and 14: a whole 8-float load that ends exactly at the k-row's end (MR = 6: the second piece).
                foreach (int mc in new[] { 1, mr - 1, mr, mr + 1, 8, 14, 2 * mr, (2 * mr) + 3, 19 }.Distinct())
                {
                    foreach (int kc in new[] { 1, 3, 7, 8, 9, 15, 16, 17, 31, 40 })
                    {
                        // op(A) is mc × kc; row-major A has rows kc + 3 apart, Aᵀ (rsA = 1) has its k-rows mc + 2 apart.
                        nint rsA = transposed ? 1 : kc + 3;
                        nint csA = transposed ? mc + 2 : 1;
                        float[] a = Source(mc, kc, rsA, csA);

                        int length = GemmEngine.PackLength(kc, mc, mc, mr);
                        float[] buffer = Pack(a, length, (source, destination) => GemmEngine.PackA(source, rsA, csA, mc, kc, mr, destination));
                        ExpectPacked(buffer, mc, kc, mr, length, $"PackA, MR {mr}, {(transposed ? "Aᵀ" : "A")}, mc {mc}, kc {kc}");
                        cases++;
                    }
                }
            }
        }

        cases.Should().Be((8 + 9 + 7) * 2 * 10); // distinct mc values at MR = 4, 6, 8
    }

    [Fact]
    public void PackB_writes_every_strip_in_place_and_nothing_past_the_packed_length_at_every_width()
    {
        SimdWidthsUnderTest.RunAll(default(PackBCheck));
    }

    private unsafe delegate void PackCall(float* source, float* destination);

    private static float Value(int x, int k) => (x * 1000) + k + 1;

    /// <summary>Runs <paramref name="pack"/> from <paramref name="source"/> into a buffer of <paramref name="length"/>
    /// floats with Guard sentinels on both sides, and returns the buffer (guards included). Where pages can be guarded,
    /// it runs again from copies of the source placed against an inaccessible page at its end and at its start
    /// (<see cref="GuardedMemory"/>), so a read one float outside the source faults, and must pack the same floats.</summary>
    private static unsafe float[] Pack(float[] source, int length, PackCall pack)
    {
        float[] buffer = PackFrom(source, length, pack);
        if (GuardedMemory.IsSupported)
        {
            foreach (GuardedMemory.Placement placement in new[] { GuardedMemory.Placement.AtEnd, GuardedMemory.Placement.AtStart })
            {
                using var guarded = GuardedMemory.CopyOf(source, placement);
                float[] again = Sentinels(length + (2 * Guard));
                fixed (float* d = again)
                {
                    pack(guarded.Start, d + Guard);
                }

                again.Should().Equal(buffer, "the source guarded {0} packs the same floats", placement);
            }
        }

        return buffer;
    }

    private static unsafe float[] PackFrom(float[] source, int length, PackCall pack)
    {
        float[] buffer = Sentinels(length + (2 * Guard));
        fixed (float* s = source)
        fixed (float* d = buffer)
        {
            pack(s, d + Guard);
        }

        return buffer;
    }

    /// <summary>An operand holding Value(x, k) for x in [0, <paramref name="count"/>) (rows of op(A), columns of op(B))
    /// and k in [0, <paramref name="kc"/>), at x·<paramref name="xStride"/> + k·<paramref name="kStride"/>.</summary>
    private static float[] Source(int count, int kc, nint xStride, nint kStride)
    {
        var source = new float[((count - 1) * xStride) + ((kc - 1) * kStride) + 1];
        for (int x = 0; x < count; x++)
        {
            for (int k = 0; k < kc; k++)
            {
                source[(x * xStride) + (k * kStride)] = Value(x, k);
            }
        }

        return source;
    }

    /// <summary>Slivers of <paramref name="unit"/> (MR rows or NR columns), each kc × unit, k-major: Value(x, k) at
    /// x0·kc + k·unit + (x − x0) for every x of <paramref name="count"/>; and the guards intact.</summary>
    private static void ExpectPacked(float[] buffer, int count, int kc, int unit, int length, string what)
    {
        for (int x0 = 0; x0 < count; x0 += unit)
        {
            for (int k = 0; k < kc; k++)
            {
                for (int x = x0; x < Math.Min(x0 + unit, count); x++)
                {
                    buffer[Guard + (x0 * kc) + (k * unit) + (x - x0)].Should().Be(Value(x, k), "{0}: row or column {1}, k {2}", what, x, k);
                }
            }
        }

        ExpectGuards(buffer, length, what);
    }

    private static float[] Sentinels(int length)
    {
        var buffer = new float[length];
        for (int i = 0; i < length; i++)
        {
            buffer[i] = BitConverter.Int32BitsToSingle(0x7FC00200 + (i % 4096));
        }

        return buffer;
    }

    /// <summary>The Guard floats before the packed region and everything after it still hold their sentinels.</summary>
    private static void ExpectGuards(float[] buffer, int length, string what)
    {
        for (int i = 0; i < buffer.Length; i++)
        {
            if (i < Guard || i >= Guard + length)
            {
                BitConverter.SingleToInt32Bits(buffer[i]).Should().Be(0x7FC00200 + (i % 4096), "{0}: float {1} of the buffer lies outside the packed length {2}", what, i - Guard, length);
            }
        }
    }

    private readonly struct PackBCheck : ISimdCheck
    {
        public unsafe void Run<TS, TV>(int seed)
            where TS : ISimd<TV>
            where TV : struct
        {
            int nr = GemmEngine.TileFor(TS.Count).Nv * TS.Count;
            foreach (bool transposed in new[] { false, true })
            {
                foreach (int nc in new[] { 1, 3, 7, 8, 9, nr - 1, nr, nr + 5, 2 * nr, (2 * nr) + 9 })
                {
                    foreach (int kc in new[] { 1, 2, 7, 8, 9, 15, 16, 17, 31 })
                    {
                        // op(B) is kc × nc; B row-major (rsB = nc + 1, csB = 1), or B stored nc × kc as Bᵀ (rsB = 1, csB = kc + 2).
                        nint rsB = transposed ? 1 : nc + 1;
                        nint csB = transposed ? kc + 2 : 1;
                        float[] b = Source(nc, kc, csB, rsB);

                        int length = GemmEngine.PackLength(kc, nc, nc, nr);
                        float[] buffer = Pack(b, length, (source, destination) => GemmEngine.PackB<TS, TV>(source, rsB, csB, kc, nc, nr, destination));
                        ExpectPacked(buffer, nc, kc, nr, length, $"PackB<{typeof(TS).Name}>, NR {nr}, {(transposed ? "Bᵀ" : "B")}, nc {nc}, kc {kc}");
                    }
                }
            }
        }
    }
}
