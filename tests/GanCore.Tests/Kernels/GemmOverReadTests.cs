using System.Runtime.Intrinsics;
using GanCore.Kernels;
using GanCore.Randomness;
using GanCore.Tests.Testing;
using GanCore.Tools;

namespace GanCore.Tests.Kernels;

/// <summary>
/// <see cref="OverReadColumns"/>: the micro-kernels load the last, partial vector of op(B)'s rows whole, in place,
/// except for the rows whose whole vector would run past B's end. Every kernel, at every tail of every hardware vector
/// width, with B placed flush against an inaccessible page, must write the bits the masked kernel writes.
/// </summary>
public class GemmOverReadTests
{
    [Theory]
    [InlineData(128, 15, 15, 16, 127)] // the seed GAN's G output: 1 lane past, the last row masked
    [InlineData(128, 16, 15, 16, 127)] // a gap before the next row: still the last row
    [InlineData(5, 1, 15, 16, 4)] // ldb = lanes − tail: the boundary, no division
    [InlineData(10, 2, 2, 16, 3)] // 14 lanes past, rows 2 floats apart: the last ⌈14 / 2⌉ = 7 rows masked
    [InlineData(10, 3, 2, 16, 5)] // ⌈14 / 3⌉ = 5
    [InlineData(3, 2, 2, 16, 0)] // fewer rows than must be masked: none whole
    [InlineData(1, 15, 15, 16, 0)] // one row: it is the last
    [InlineData(7, 5, 5, 8, 6)] // 256 bits: 3 lanes past, ldb 5
    [InlineData(7, 0, 5, 8, 0)] // a zero stride (every row the same floats): no row may be read past its tail
    public void WholeRows_counts_the_rows_whose_whole_vector_stays_inside_B(int k, int ldb, int tail, int lanes, int expected)
    {
        OverReadColumns.WholeRows(k, ldb, tail, lanes).Should().Be(expected);
        if (ldb > 0 && expected > 0)
        {
            // The last whole row's vector ends inside B, the next row's would not.
            long end = ((long)(k - 1) * ldb) + tail;
            long lastWholeEnd = ((long)(expected - 1) * ldb) + lanes;
            lastWholeEnd.Should().BeLessThanOrEqualTo(end);
            if (expected < k)
            {
                long firstMaskedEnd = ((long)expected * ldb) + lanes;
                firstMaskedEnd.Should().BeGreaterThan(end);
            }
        }
    }

    [Fact]
    public void Only_the_over_reading_access_has_a_second_loop()
    {
        OverReadColumns.OverReads.Should().BeTrue();
        FullColumns.OverReads.Should().BeFalse();
        MaskedColumns.OverReads.Should().BeFalse();
        PaddedColumns.OverReads.Should().BeFalse();
        FullColumns.WholeRows(9, 1, 1, 16).Should().Be(9);
        MaskedColumns.WholeRows(9, 1, 1, 16).Should().Be(9);
        PaddedColumns.WholeRows(9, 1, 1, 16).Should().Be(9);
    }

    [GuardedMemoryFact]
    public void Every_kernel_over_reads_only_inside_B_and_writes_the_masked_kernels_bits()
    {
        // 128 bits always (in software where the hardware has no vectors: the policy is the same code), the wider
        // widths where the hardware runs them.
        int checkedCalls = AllKernels<Simd128, Vec128>();
        int expected = Calls(4);
        if (KernelDispatch.Runs256)
        {
            checkedCalls += AllKernels<Simd256, Vec256>();
            expected += Calls(8);
        }

        if (KernelDispatch.Runs512)
        {
            checkedCalls += AllKernels<Simd512, Vec512>();
            expected += Calls(16);
        }

        // Every kernel × (lanes − 1) tails × 2 strides × 3 depths × 2 epilogues at each width.
        checkedCalls.Should().Be(expected);

        static int Calls(int lanes) => GemmKernelSource.Shapes.Count * (lanes - 1) * 2 * 3 * 2;
    }

    private static int AllKernels<TS, TV>()
        where TS : ISimd<TV>
        where TV : struct
    {
        int lanes = TS.Count;
        int calls = 0;
        foreach ((int rows, int vectors) in GemmKernelSource.Shapes)
        {
            for (int tail = 1; tail < lanes; tail++)
            {
                int width = ((vectors - 1) * lanes) + tail;
                foreach (int gap in new[] { 0, 2 })
                {
                    foreach (int k in new[] { 1, 3, 17 })
                    {
                        int ldb = width + gap;
                        Verify<TS, TV>(rows, vectors, k, ldb, tail, width, seed: (rows * 1000) + (vectors * 100) + (tail * 7) + k + gap, accumulate: false);
                        Verify<TS, TV>(rows, vectors, k, ldb, tail, width, seed: (rows * 1000) + (vectors * 100) + (tail * 7) + k + gap + 1, accumulate: true);
                        calls += 2;
                    }
                }
            }
        }

        return calls;
    }

    private static unsafe void Verify<TS, TV>(int rows, int vectors, int k, int ldb, int tail, int width, int seed, bool accumulate)
        where TS : ISimd<TV>
        where TV : struct
    {
        var rng = new RandomSource((ulong)seed);
        float[] a = Values(rng, rows * k);
        int bLength = ((k - 1) * ldb) + width;
        float[] b = Values(rng, bLength);
        int ldc = width + 1;
        float[] start = Values(rng, rows * ldc);
        float[] expected = (float[])start.Clone();
        float[] actual = (float[])start.Clone();
        using var guarded = new GuardedMemory(bLength, GuardedMemory.Placement.AtEnd);
        b.CopyTo(guarded.Span);
        fixed (float* pa = a, pb = b, pe = expected, pc = actual)
        {
            if (accumulate)
            {
                GemmMicroKernels.Call<TS, TV, MaskedColumns, AccumulateEpilogue>(rows, vectors, 1, k, pa, k, 1, pb, ldb, pe, ldc, 0, tail, default);
                GemmMicroKernels.Call<TS, TV, OverReadColumns, AccumulateEpilogue>(rows, vectors, 1, k, pa, k, 1, guarded.Start, ldb, pc, ldc, 0, tail, default);
            }
            else
            {
                GemmMicroKernels.Call<TS, TV, MaskedColumns, OverwriteEpilogue>(rows, vectors, 1, k, pa, k, 1, pb, ldb, pe, ldc, 0, tail, default);
                GemmMicroKernels.Call<TS, TV, OverReadColumns, OverwriteEpilogue>(rows, vectors, 1, k, pa, k, 1, guarded.Start, ldb, pc, ldc, 0, tail, default);
            }
        }

        for (int i = 0; i < actual.Length; i++)
        {
            if (BitConverter.SingleToInt32Bits(actual[i]) != BitConverter.SingleToInt32Bits(expected[i]))
            {
                Assert.Fail($"K{rows}x{vectors} at {TS.Count} lanes, tail {tail}, K {k}, ldb {ldb}, accumulate {accumulate}: element {i} (row {i / ldc}, column {i % ldc}) is {actual[i]:R}, the masked kernel wrote {expected[i]:R}");
            }
        }
    }

    private static float[] Values(RandomSource rng, int n)
    {
        var values = new float[n];
        for (int i = 0; i < n; i++)
        {
            values[i] = (float)((rng.NextDouble() * 2) - 1);
        }

        return values;
    }
}
