using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using GanCore.Tensors;

namespace GanCore.Tests.Tensors;

public class MatrixTests
{
    private const float Gap = -777f;

    private static unsafe long AddressOf(Span<float> span) => (long)Unsafe.AsPointer(ref MemoryMarshal.GetReference(span));

    /// <summary>A 3×4 matrix with stride 6 whose gap cells hold <see cref="Gap"/> and whose element (i, j) is 10i + j.</summary>
    private static Matrix Strided()
    {
        var m = new Matrix(3, 4, 6);
        m.Span.Fill(Gap);
        for (int i = 0; i < 3; i++)
        {
            for (int j = 0; j < 4; j++)
            {
                m[i, j] = (10 * i) + j;
            }
        }

        return m;
    }

    private static void AssertGapsUntouched(Matrix m)
    {
        Span<float> span = m.Span;
        for (int k = 0; k < span.Length; k++)
        {
            if (k % m.Stride >= m.Columns)
            {
                span[k].Should().Be(Gap, "gap cell {0} (row {1}, column {2}) must be untouched", k, k / m.Stride, k % m.Stride);
            }
        }
    }

    [Fact]
    public void First_element_is_64_byte_aligned_for_many_shapes()
    {
        int checkedCount = 0;
        for (int rows = 0; rows <= 9; rows++)
        {
            for (int columns = 0; columns <= 40; columns += 3)
            {
                foreach (int extra in new[] { 0, 1, 5, 16 })
                {
                    var m = new Matrix(rows, columns, columns + extra);
                    long address = AddressOf(m.Span);
                    (address % Matrix.Alignment).Should().Be(0, "{0}×{1} stride {2} starts at 0x{3:X}", rows, columns, columns + extra, address);
                    m.Span.Length.Should().Be(rows == 0 || columns == 0 ? 0 : ((rows - 1) * (columns + extra)) + columns);
                    m.Span.ToArray().Where(v => v != 0f).Should().BeEmpty("new storage is zero-filled");
                    checkedCount++;
                }
            }
        }

        // The alignment survives garbage collections (the storage is pinned, never moved).
        var kept = new Matrix(5, 7);
        long before = AddressOf(kept.Span);
        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
        AddressOf(kept.Span).Should().Be(before);
        checkedCount.Should().Be(10 * 14 * 4);
    }

    [Fact]
    public void Shape_properties()
    {
        var m = new Matrix(3, 4, 6);
        m.Rows.Should().Be(3);
        m.Columns.Should().Be(4);
        m.Stride.Should().Be(6);
        m.Capacity.Should().Be(3);
        m.Length.Should().Be(16);
        m.IsContiguous.Should().BeFalse();
        new Matrix(3, 4).IsContiguous.Should().BeTrue();
        new Matrix(1, 4, 9).IsContiguous.Should().BeTrue("one row has no gaps");
        new Matrix(0, 4).Length.Should().Be(0);
        new Matrix(4, 0).Length.Should().Be(0);
        m.ToString().Should().Contain("3×4").And.Contain("stride 6");
    }

    [Fact]
    public void Constructor_rejects_negative_dimensions_small_strides_and_huge_sizes()
    {
        FluentActions.Invoking(() => new Matrix(-1, 2)).Should().Throw<ArgumentOutOfRangeException>().WithParameterName("rows");
        FluentActions.Invoking(() => new Matrix(2, -1)).Should().Throw<ArgumentOutOfRangeException>().WithParameterName("columns");
        FluentActions.Invoking(() => new Matrix(2, 5, 4)).Should().Throw<ArgumentOutOfRangeException>().WithParameterName("stride");
        FluentActions.Invoking(() => new Matrix(2, 0, -1)).Should().Throw<ArgumentOutOfRangeException>().WithParameterName("stride");
        FluentActions.Invoking(() => new Matrix(int.MaxValue, 2)).Should().Throw<ArgumentOutOfRangeException>();
        FluentActions.Invoking(() => new Matrix(70_000, 70_000)).Should().Throw<ArgumentOutOfRangeException>();
    }

    [Fact]
    public void Indexer_and_Row_address_row_major_storage_with_the_stride()
    {
        Matrix m = Strided();
        m[2, 3].Should().Be(23f);
        m.Row(1).ToArray().Should().Equal(10f, 11f, 12f, 13f);
        m.Span[(2 * 6) + 1].Should().Be(21f);
        m.Row(2)[0] = 99f;
        m[2, 0].Should().Be(99f, "Row returns a span over the storage, not a copy");
        m.ToArray().Should().BeEquivalentTo(new float[,] { { 0, 1, 2, 3 }, { 10, 11, 12, 13 }, { 99, 21, 22, 23 } });
    }

    [Theory]
    [InlineData(-1, 0)]
    [InlineData(0, -1)]
    [InlineData(3, 0)]
    [InlineData(0, 4)]
    [InlineData(int.MinValue, int.MaxValue)]
    public void Indexer_rejects_indices_outside_the_matrix(int row, int column)
    {
        Matrix m = Strided();
        FluentActions.Invoking(() => m[row, column]).Should().Throw<ArgumentOutOfRangeException>();
        FluentActions.Invoking(() => m[row, column] = 1f).Should().Throw<ArgumentOutOfRangeException>();
        AssertGapsUntouched(m);
    }

    [Fact]
    public void Row_rejects_rows_outside_the_matrix()
    {
        Matrix m = Strided();
        FluentActions.Invoking(() => m.Row(-1)).Should().Throw<ArgumentOutOfRangeException>().WithParameterName("row");
        FluentActions.Invoking(() => m.Row(3)).Should().Throw<ArgumentOutOfRangeException>().WithParameterName("row");
        FluentActions.Invoking(() => new Matrix(0, 5).Row(0)).Should().Throw<ArgumentOutOfRangeException>();
    }

    [Fact]
    public void Slices_and_views_share_storage_with_the_parent()
    {
        Matrix m = Strided();
        Matrix block = m.Slice(1, 1, 2, 2);
        block.Rows.Should().Be(2);
        block.Columns.Should().Be(2);
        block.Stride.Should().Be(6);
        block[0, 0].Should().Be(11f);
        block[1, 1].Should().Be(22f);
        block[1, 0] = -5f;
        m[2, 1].Should().Be(-5f);
        m[1, 2] = 42f;
        block[0, 1].Should().Be(42f);
        AddressOf(block.Span).Should().Be(AddressOf(m.Span) + (sizeof(float) * 7));

        // A slice of a slice keeps addressing the same storage.
        Matrix inner = block.Slice(1, 1, 1, 1);
        inner[0, 0] = 7f;
        m[2, 2].Should().Be(7f);

        Matrix top = m.View(2);
        top.Rows.Should().Be(2);
        top.Columns.Should().Be(4);
        top[1, 3] = 1000f;
        m[1, 3].Should().Be(1000f);
        m.View(0).Span.Length.Should().Be(0);
    }

    [Theory]
    [InlineData(-1, 0, 1, 1)]
    [InlineData(0, -1, 1, 1)]
    [InlineData(0, 0, -1, 1)]
    [InlineData(0, 0, 1, -1)]
    [InlineData(2, 0, 2, 1)]
    [InlineData(0, 3, 1, 2)]
    [InlineData(4, 0, 0, 1)]
    [InlineData(0, 5, 1, 0)]
    [InlineData(int.MaxValue, 0, 1, 1)]
    [InlineData(0, int.MaxValue, 1, 1)]
    public void Slice_rejects_blocks_outside_the_matrix(int row, int column, int rows, int columns)
    {
        Matrix m = Strided();
        FluentActions.Invoking(() => m.Slice(row, column, rows, columns)).Should().Throw<ArgumentOutOfRangeException>();
    }

    [Fact]
    public void View_rejects_more_rows_than_the_matrix_has()
    {
        Matrix m = Strided();
        FluentActions.Invoking(() => m.View(4)).Should().Throw<ArgumentOutOfRangeException>();
        FluentActions.Invoking(() => m.View(-1)).Should().Throw<ArgumentOutOfRangeException>();
    }

    [Fact]
    public void Empty_slices_at_the_far_edge_are_valid_and_empty()
    {
        // A 0-row block starting just past the last row is inside the matrix; with a stride much larger than
        // the row its start lies beyond the storage, and its (empty) Span must still work.
        var m = new Matrix(2, 2, 100);
        Matrix none = m.Slice(2, 1, 0, 1);
        none.Rows.Should().Be(0);
        none.Span.Length.Should().Be(0);
        none.Length.Should().Be(0);
        none.ToArray().Length.Should().Be(0);
        none.Fill(5f);
        m.Span.ToArray().Should().OnlyContain(v => v == 0f);

        Matrix noColumns = m.Slice(0, 2, 2, 0);
        noColumns.Row(1).Length.Should().Be(0);
        noColumns.Span.Length.Should().Be(0);
    }

    [Fact]
    public void Fill_and_Clear_leave_the_gaps_between_rows_alone()
    {
        Matrix m = Strided();
        m.Fill(3f);
        m.ToArray().Cast<float>().Should().OnlyContain(v => v == 3f);
        AssertGapsUntouched(m);
        m.Clear();
        m.ToArray().Cast<float>().Should().OnlyContain(v => v == 0f);
        AssertGapsUntouched(m);
    }

    [Fact]
    public void Fill_of_a_slice_touches_only_the_block()
    {
        var m = new Matrix(4, 5);
        m.Slice(1, 2, 2, 2).Fill(1f);
        m.ToArray().Should().BeEquivalentTo(new float[,]
        {
            { 0, 0, 0, 0, 0 },
            { 0, 0, 1, 1, 0 },
            { 0, 0, 1, 1, 0 },
            { 0, 0, 0, 0, 0 },
        });

        // A full-width slice is contiguous and takes the fast path; it must still stop at its last row.
        m.Slice(2, 0, 1, 5).Fill(2f);
        m.Row(3).ToArray().Should().OnlyContain(v => v == 0f);
        m.Row(1).ToArray().Should().Equal(0f, 0f, 1f, 1f, 0f);
    }

    [Fact]
    public void CopyTo_between_strided_and_contiguous_matrices_copies_only_elements()
    {
        Matrix source = Strided();
        var dense = new Matrix(3, 4);
        source.CopyTo(dense);
        dense.ToArray().Should().BeEquivalentTo(source.ToArray());
        dense.Span.ToArray().Should().Equal(0, 1, 2, 3, 10, 11, 12, 13, 20, 21, 22, 23);

        var target = new Matrix(3, 4, 5);
        target.Span.Fill(Gap);
        dense.Scale(-1f).CopyTo(target);
        target.ToArray().Should().BeEquivalentTo(new float[,] { { 0, -1, -2, -3 }, { -10, -11, -12, -13 }, { -20, -21, -22, -23 } });
        for (int i = 0; i < 2; i++)
        {
            target.Span[(i * 5) + 4].Should().Be(Gap, "the gap after row {0} is untouched", i);
        }

        // Slice to slice inside one parent.
        Matrix m = Strided();
        m.Slice(0, 0, 1, 2).CopyTo(m.Slice(2, 2, 1, 2));
        m.Row(2).ToArray().Should().Equal(20f, 21f, 0f, 1f);
        AssertGapsUntouched(m);
    }

    [Fact]
    public void CopyTo_between_overlapping_views_behaves_as_if_the_source_were_copied_first()
    {
        foreach (int stride in new[] { 3, 5 }) // contiguous views and strided ones
        {
            // Shift rows 0..2 down by one, then back up, inside one 4×3 matrix.
            Matrix down = Build(stride);
            down.Slice(0, 0, 3, 3).CopyTo(down.Slice(1, 0, 3, 3));
            down.ToArray().Should().BeEquivalentTo(new float[,] { { 0, 1, 2 }, { 0, 1, 2 }, { 10, 11, 12 }, { 20, 21, 22 } }, "stride {0}, down", stride);

            Matrix up = Build(stride);
            up.Slice(1, 0, 3, 3).CopyTo(up.Slice(0, 0, 3, 3));
            up.ToArray().Should().BeEquivalentTo(new float[,] { { 10, 11, 12 }, { 20, 21, 22 }, { 30, 31, 32 }, { 30, 31, 32 } }, "stride {0}, up", stride);

            // Diagonal shift: one row down and one column right.
            Matrix diagonal = Build(stride);
            diagonal.Slice(0, 0, 3, 2).CopyTo(diagonal.Slice(1, 1, 3, 2));
            diagonal.ToArray().Should().BeEquivalentTo(new float[,] { { 0, 1, 2 }, { 10, 0, 1 }, { 20, 10, 11 }, { 30, 20, 21 } }, "stride {0}, diagonal", stride);
        }

        static Matrix Build(int stride)
        {
            var m = new Matrix(4, 3, stride);
            for (int i = 0; i < 4; i++)
            {
                for (int j = 0; j < 3; j++)
                {
                    m[i, j] = (10 * i) + j;
                }
            }

            return m;
        }
    }

    [Fact]
    public void CopyTo_rejects_other_shapes_and_null()
    {
        Matrix m = Strided();
        FluentActions.Invoking(() => m.CopyTo(new Matrix(4, 3))).Should().Throw<ArgumentException>().WithParameterName("destination");
        FluentActions.Invoking(() => m.CopyTo(new Matrix(3, 5))).Should().Throw<ArgumentException>().WithParameterName("destination");
        FluentActions.Invoking(() => m.CopyTo(null!)).Should().Throw<ArgumentNullException>();
    }

    [Fact]
    public void FromRows_FromArray_and_ToArray_round_trip()
    {
        Matrix m = Matrix.FromRows(2, 3, [1, 2, 3, 4, 5, 6]);
        m[1, 0].Should().Be(4f);
        m.IsContiguous.Should().BeTrue();
        m.ToArray().Should().BeEquivalentTo(new float[,] { { 1, 2, 3 }, { 4, 5, 6 } });
        Matrix n = Matrix.FromArray(new float[,] { { 1, 2, 3 }, { 4, 5, 6 } });
        n.Span.ToArray().Should().Equal(m.Span.ToArray());
        Matrix.FromRows(0, 3, []).Rows.Should().Be(0);
        Matrix.FromArray(new float[0, 4]).Columns.Should().Be(4);
    }

    [Fact]
    public void FromRows_rejects_a_wrong_value_count_and_negative_dimensions()
    {
        FluentActions.Invoking(() => Matrix.FromRows(2, 3, new float[5])).Should().Throw<ArgumentException>().WithParameterName("values");
        FluentActions.Invoking(() => Matrix.FromRows(2, 3, new float[7])).Should().Throw<ArgumentException>().WithParameterName("values");
        FluentActions.Invoking(() => Matrix.FromRows(0, 3, new float[1])).Should().Throw<ArgumentException>().WithParameterName("values");
        FluentActions.Invoking(() => Matrix.FromRows(-2, -3, new float[6])).Should().Throw<ArgumentOutOfRangeException>();
        FluentActions.Invoking(() => Matrix.FromArray(null!)).Should().Throw<ArgumentNullException>();
    }

    [Fact]
    public void Ensure_reuses_a_buffer_within_its_capacity_and_keeps_the_contents()
    {
        Matrix? buffer = null;
        Matrix first = Matrix.Ensure(ref buffer, 8, 3);
        first.Capacity.Should().Be(8);
        first[7, 2] = 5f;
        Matrix smaller = Matrix.Ensure(ref buffer, 4, 3);
        smaller.Should().BeSameAs(first);
        smaller.Rows.Should().Be(4);
        FluentActions.Invoking(() => smaller[4, 0]).Should().Throw<ArgumentOutOfRangeException>("the logical row count is 4");
        Matrix.Ensure(ref buffer, 8, 3)[7, 2].Should().Be(5f, "contents are kept while the buffer is reused");
        Matrix larger = Matrix.Ensure(ref buffer, 9, 3);
        larger.Should().NotBeSameAs(first);
        larger.Capacity.Should().Be(9);
        Matrix.Ensure(ref buffer, 2, 4).Columns.Should().Be(4);
        FluentActions.Invoking(() => buffer!.SetRows(buffer.Capacity + 1)).Should().Throw<ArgumentOutOfRangeException>();
        FluentActions.Invoking(() => buffer!.SetRows(-1)).Should().Throw<ArgumentOutOfRangeException>();
    }
}

internal static class MatrixTestExtensions
{
    /// <summary>Multiplies every element by <paramref name="factor"/> and returns the matrix (test helper, not library math).</summary>
    public static Matrix Scale(this Matrix m, float factor)
    {
        for (int i = 0; i < m.Rows; i++)
        {
            Span<float> row = m.Row(i);
            for (int j = 0; j < row.Length; j++)
            {
                row[j] *= factor;
            }
        }

        return m;
    }
}
