using System.Runtime.Intrinsics;
using GanCore.Kernels;

namespace GanCore.Tests.Kernels;

/// <summary><see cref="Tile4"/>, the 4×4 transpose of the 128-bit packing routines, on its own: SSE on x64, the
/// lane-by-lane fallback in the scalar CI leg (no hardware intrinsics). Its AdvSimd branch runs only on Arm64.</summary>
public sealed class Tile4Tests
{
    [Fact]
    public void Transpose_turns_rows_into_columns()
    {
        Tile4 t = Tile4.Transpose(
            Vector128.Create(0f, 1, 2, 3),
            Vector128.Create(10f, 11, 12, 13),
            Vector128.Create(20f, 21, 22, 23),
            Vector128.Create(30f, 31, 32, 33));

        t.C0.Should().Be(Vector128.Create(0f, 10, 20, 30));
        t.C1.Should().Be(Vector128.Create(1f, 11, 21, 31));
        t.C2.Should().Be(Vector128.Create(2f, 12, 22, 32));
        t.C3.Should().Be(Vector128.Create(3f, 13, 23, 33));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    public unsafe void LoadTransposed_reads_only_its_rows_and_StoreColumns_writes_each_column_at_its_stride(int rows)
    {
        // Rows 6 floats apart; the rows past `rows` hold values that must not appear (they load as zeros).
        float[] source = Enumerable.Range(0, 4 * 6).Select(i => 100f + i).ToArray();
        float[] destination = new float[(3 * 9) + 4 + 2];
        Array.Fill(destination, -1f);
        fixed (float* s = source)
        fixed (float* d = destination)
        {
            Tile4.LoadTransposed(s + 1, 6, rows).StoreColumns(d + 1, 9);
        }

        for (int c = 0; c < 4; c++)
        {
            for (int r = 0; r < 4; r++)
            {
                float expected = r < rows ? source[(r * 6) + 1 + c] : 0f;
                destination[1 + (c * 9) + r].Should().Be(expected, $"column {c}, row {r} of {rows}");
            }
        }

        destination[0].Should().Be(-1f, "nothing is written before the first column");
        destination[1 + 4].Should().Be(-1f, "a column is four floats");
        destination[^1].Should().Be(-1f, "nothing is written past the last column");
    }
}
