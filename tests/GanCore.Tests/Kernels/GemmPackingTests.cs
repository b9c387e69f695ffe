using GanCore.Kernels;

namespace GanCore.Tests.Kernels;

/// <summary>The packing routines write whole-vector stores whose spare lanes spill into the next k's slot (A slivers of
/// fewer than 8 rows) and 8×8 transposed tiles (op(B) = Bᵀ). A spill past the sliver's end would land in the pack
/// buffer's alignment slack, where no product test can see it, so these call PackA and PackB directly on buffers
/// guarded by sentinels: every packed value in its place, and not one float past the packed length written.</summary>
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
                foreach (int mc in new[] { 1, mr - 1, mr, mr + 1, (2 * mr) + 3, 19 })
                {
                    foreach (int kc in new[] { 1, 3, 7, 8, 9, 15, 16, 17, 31, 40 })
                    {
                        // op(A) is mc × kc; row-major A has rows kc + 3 apart, Aᵀ (rsA = 1) has its k-rows mc + 2 apart.
                        nint rsA = transposed ? 1 : kc + 3;
                        nint csA = transposed ? mc + 2 : 1;
                        float[] a = new float[(transposed ? (kc * (mc + 2)) : (mc * (kc + 3))) + 1];
                        for (int i = 0; i < mc; i++)
                        {
                            for (int p = 0; p < kc; p++)
                            {
                                a[(i * rsA) + (p * csA)] = Value(i, p);
                            }
                        }

                        int length = GemmEngine.PackLength(kc, mc, mc, mr);
                        float[] buffer = Sentinels(length + (2 * Guard));
                        fixed (float* pa = a)
                        fixed (float* pb = buffer)
                        {
                            GemmEngine.PackA(pa, rsA, csA, mc, kc, mr, pb + Guard);
                        }

                        string what = $"PackA, MR {mr}, {(transposed ? "Aᵀ" : "A")}, mc {mc}, kc {kc}";
                        for (int i0 = 0; i0 < mc; i0 += mr)
                        {
                            for (int p = 0; p < kc; p++)
                            {
                                for (int r = 0; r < Math.Min(mr, mc - i0); r++)
                                {
                                    buffer[Guard + (i0 * kc) + (p * mr) + r].Should().Be(Value(i0 + r, p), "{0}: row {1}, k {2}", what, i0 + r, p);
                                }
                            }
                        }

                        ExpectGuards(buffer, length, what);
                        cases++;
                    }
                }
            }
        }

        cases.Should().Be(3 * 2 * 6 * 10);
    }

    [Fact]
    public void PackB_writes_every_strip_in_place_and_nothing_past_the_packed_length_at_every_width()
    {
        SimdWidthsUnderTest.RunAll(default(PackBCheck));
    }

    private static float Value(int row, int k) => (row * 1000) + k + 1;

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
                foreach (int nc in new[] { 1, 3, 7, 8, 9, nr - 1, nr, nr + 5, (2 * nr) + 9 })
                {
                    foreach (int kc in new[] { 1, 2, 7, 8, 9, 15, 16, 17, 31 })
                    {
                        // op(B) is kc × nc; B row-major (rsB = nc + 1, csB = 1), or B stored nc × kc as Bᵀ (rsB = 1, csB = kc + 2).
                        nint rsB = transposed ? 1 : nc + 1;
                        nint csB = transposed ? kc + 2 : 1;
                        float[] b = new float[(transposed ? (nc * (kc + 2)) : (kc * (nc + 1))) + 1];
                        for (int p = 0; p < kc; p++)
                        {
                            for (int j = 0; j < nc; j++)
                            {
                                b[(p * rsB) + (j * csB)] = Value(j, p);
                            }
                        }

                        int length = GemmEngine.PackLength(kc, nc, nc, nr);
                        float[] buffer = Sentinels(length + (2 * Guard));
                        fixed (float* pb = b)
                        fixed (float* pd = buffer)
                        {
                            GemmEngine.PackB<TS, TV>(pb, rsB, csB, kc, nc, nr, pd + Guard);
                        }

                        string what = $"PackB<{typeof(TS).Name}>, NR {nr}, {(transposed ? "Bᵀ" : "B")}, nc {nc}, kc {kc}";
                        for (int j0 = 0; j0 < nc; j0 += nr)
                        {
                            for (int p = 0; p < kc; p++)
                            {
                                for (int c = 0; c < Math.Min(nr, nc - j0); c++)
                                {
                                    buffer[Guard + (j0 * kc) + (p * nr) + c].Should().Be(Value(j0 + c, p), "{0}: column {1}, k {2}", what, j0 + c, p);
                                }
                            }
                        }

                        ExpectGuards(buffer, length, what);
                    }
                }
            }
        }
    }
}
