using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace GanCore.Tensors;

/// <summary>
/// A row-major float32 matrix: <see cref="Rows"/> × <see cref="Columns"/> elements, where row <c>i</c>
/// starts <c>i·<see cref="Stride"/></c> elements after the first. The storage of a newly allocated matrix is
/// pinned and its first element is 64-byte aligned. A matrix holds no math of its own; the kernels in
/// <see cref="GanCore.Kernels"/> do the math.
/// </summary>
/// <remarks>
/// Views (<see cref="Slice"/>, <see cref="View(int)"/>) share storage with their parent without copying.
/// A matrix is not thread-safe: use an instance from one thread at a time.
/// </remarks>
public sealed class Matrix
{
    /// <summary>The alignment, in bytes, of the first element of newly allocated storage.</summary>
    public const int Alignment = 64;

    private readonly float[] _storage;
    private readonly int _offset;

    /// <summary>Allocates a zero-filled <paramref name="rows"/> × <paramref name="columns"/> matrix with a row stride equal to the column count.</summary>
    /// <param name="rows">The number of rows (≥ 0).</param>
    /// <param name="columns">The number of columns (≥ 0).</param>
    /// <exception cref="ArgumentOutOfRangeException">A dimension is negative, or the element count exceeds what an array can hold.</exception>
    public Matrix(int rows, int columns)
        : this(rows, columns, columns)
    {
    }

    /// <summary>Allocates a zero-filled matrix with an explicit row stride (leading dimension).</summary>
    /// <param name="rows">The number of rows (≥ 0).</param>
    /// <param name="columns">The number of columns (≥ 0).</param>
    /// <param name="stride">The distance in elements between the starts of two rows (≥ <paramref name="columns"/>).</param>
    /// <exception cref="ArgumentOutOfRangeException">A dimension is negative, the stride is smaller than the row, or the matrix is too large.</exception>
    public Matrix(int rows, int columns, int stride)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(rows);
        ArgumentOutOfRangeException.ThrowIfNegative(columns);
        if (stride < columns)
        {
            throw new ArgumentOutOfRangeException(nameof(stride), stride, $"The row stride {stride} is smaller than the row length {columns}.");
        }

        long length = RequiredLength(rows, columns, stride);
        const int pad = Alignment / sizeof(float);
        if (length + pad > Array.MaxLength)
        {
            throw new ArgumentOutOfRangeException(nameof(rows), $"A {rows}×{columns} matrix with stride {stride} needs {length} elements, more than an array can hold.");
        }

        _storage = GC.AllocateArray<float>((int)length + pad, pinned: true);
        _offset = AlignedOffset(_storage);
        Rows = rows;
        Columns = columns;
        Stride = stride;
        Capacity = rows;
    }

    private Matrix(float[] storage, int offset, int rows, int columns, int stride, int capacity)
    {
        _storage = storage;
        _offset = offset;
        Rows = rows;
        Columns = columns;
        Stride = stride;
        Capacity = capacity;
    }

    /// <summary>The number of rows.</summary>
    public int Rows { get; private set; }

    /// <summary>The number of columns.</summary>
    public int Columns { get; }

    /// <summary>The distance, in elements, between the first elements of two consecutive rows.</summary>
    public int Stride { get; }

    /// <summary>The largest row count this matrix's storage can hold (see <see cref="View(int)"/>).</summary>
    public int Capacity { get; }

    /// <summary>True when the rows follow each other with no gap (<see cref="Stride"/> equals <see cref="Columns"/>, or there is at most one row).</summary>
    public bool IsContiguous => Stride == Columns || Rows <= 1;

    /// <summary>The number of elements covered from the first element to the last: <c>(Rows-1)·Stride + Columns</c>, or 0 when empty.</summary>
    public int Length
    {
        // Inlined by request: the step's large methods reach the JIT's inlining budget and then left this call in place
        // at about a hundred call sites a step (0.7% of a seed step's samples).
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => (int)RequiredLength(Rows, Columns, Stride);
    }

    /// <summary>The elements from the first to the last, including the gaps between rows when the stride exceeds the row length.</summary>
    public Span<float> Span
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => new(_storage, _offset, Length);
    }

    /// <summary>Gets or sets the element at row <paramref name="row"/> and column <paramref name="column"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">An index is outside the matrix.</exception>
    public float this[int row, int column]
    {
        get
        {
            CheckIndex(row, column);
            return _storage[_offset + (row * Stride) + column];
        }

        set
        {
            CheckIndex(row, column);
            _storage[_offset + (row * Stride) + column] = value;
        }
    }

    /// <summary>Returns row <paramref name="row"/> as a span of <see cref="Columns"/> elements.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="row"/> is outside the matrix.</exception>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Span<float> Row(int row)
    {
        if ((uint)row >= (uint)Rows)
        {
            ThrowRowOutside(row);
        }

        return new Span<float>(_storage, _offset + (row * Stride), Columns);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    [DoesNotReturn]
    private void ThrowRowOutside(int row) =>
        throw new ArgumentOutOfRangeException(nameof(row), row, $"Row {row} is outside a matrix with {Rows} rows.");

    /// <summary>A view of a rectangular block that shares this matrix's storage (no copy).</summary>
    /// <param name="row">The first row of the block.</param>
    /// <param name="column">The first column of the block.</param>
    /// <param name="rows">The number of rows in the block.</param>
    /// <param name="columns">The number of columns in the block.</param>
    /// <exception cref="ArgumentOutOfRangeException">The block does not lie inside this matrix.</exception>
    public Matrix Slice(int row, int column, int rows, int columns)
    {
        if (row < 0 || rows < 0 || (long)row + rows > Rows)
        {
            throw new ArgumentOutOfRangeException(nameof(rows), $"Rows {row}..{(long)row + rows} are outside a matrix with {Rows} rows.");
        }

        if (column < 0 || columns < 0 || (long)column + columns > Columns)
        {
            throw new ArgumentOutOfRangeException(nameof(columns), $"Columns {column}..{(long)column + columns} are outside a matrix with {Columns} columns.");
        }

        // An empty block may start just past the last row, which with a wide stride lies beyond the storage;
        // it addresses no element, so anchor it at this matrix's first element to keep its (empty) Span valid.
        int offset = rows == 0 || columns == 0 ? _offset : _offset + (row * Stride) + column;
        return new Matrix(_storage, offset, rows, columns, Stride, rows);
    }

    /// <summary>A view of the first <paramref name="rows"/> rows (all columns) sharing this storage.</summary>
    /// <param name="rows">The number of rows, at most <see cref="Rows"/>.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="rows"/> is negative or larger than <see cref="Rows"/>.</exception>
    public Matrix View(int rows) => Slice(0, 0, rows, Columns);

    /// <summary>Sets every element (not the gaps between rows) to <paramref name="value"/>.</summary>
    /// <param name="value">The value to store.</param>
    public void Fill(float value)
    {
        if (IsContiguous)
        {
            Span.Fill(value);
            return;
        }

        for (int i = 0; i < Rows; i++)
        {
            Row(i).Fill(value);
        }
    }

    /// <summary>Sets every element to zero.</summary>
    public void Clear() => Fill(0f);

    /// <summary>Copies this matrix into <paramref name="destination"/>, which must have the same shape. The two may be
    /// overlapping views of one storage; the result is as if the source were copied out first.</summary>
    /// <param name="destination">The matrix to overwrite.</param>
    /// <exception cref="ArgumentException">The shapes differ.</exception>
    public void CopyTo(Matrix destination)
    {
        ArgumentNullException.ThrowIfNull(destination);
        if (destination.Rows != Rows || destination.Columns != Columns)
        {
            throw new ArgumentException($"Cannot copy a {Rows}×{Columns} matrix into a {destination.Rows}×{destination.Columns} one.", nameof(destination));
        }

        if (IsContiguous && destination.IsContiguous)
        {
            Span.CopyTo(destination.Span);
            return;
        }

        // Views of one storage may overlap (e.g. shifting rows down by one). Span.CopyTo handles the overlap within
        // a row; across rows, copy from the far end when the destination starts after the source, so that no
        // source row is overwritten before it is read.
        if (ReferenceEquals(_storage, destination._storage) && destination._offset > _offset)
        {
            for (int i = Rows - 1; i >= 0; i--)
            {
                Row(i).CopyTo(destination.Row(i));
            }

            return;
        }

        for (int i = 0; i < Rows; i++)
        {
            Row(i).CopyTo(destination.Row(i));
        }
    }

    /// <summary>Creates a matrix from a rectangular array, copying its elements.</summary>
    /// <param name="values">The elements, indexed [row, column].</param>
    /// <returns>A new contiguous matrix.</returns>
    public static Matrix FromArray(float[,] values)
    {
        ArgumentNullException.ThrowIfNull(values);
        var m = new Matrix(values.GetLength(0), values.GetLength(1));
        for (int i = 0; i < m.Rows; i++)
        {
            for (int j = 0; j < m.Columns; j++)
            {
                m._storage[m._offset + (i * m.Stride) + j] = values[i, j];
            }
        }

        return m;
    }

    /// <summary>Creates a <paramref name="rows"/> × <paramref name="columns"/> matrix from row-major values, copying them.</summary>
    /// <param name="rows">The number of rows.</param>
    /// <param name="columns">The number of columns.</param>
    /// <param name="values">Exactly <c>rows·columns</c> values, row after row.</param>
    /// <returns>A new contiguous matrix.</returns>
    /// <exception cref="ArgumentException">The value count is not <c>rows·columns</c>.</exception>
    public static Matrix FromRows(int rows, int columns, ReadOnlySpan<float> values)
    {
        var m = new Matrix(rows, columns);
        if (values.Length != m.Length)
        {
            throw new ArgumentException($"A {rows}×{columns} matrix needs {m.Length} values, not {values.Length}.", nameof(values));
        }

        values.CopyTo(m.Span);
        return m;
    }

    /// <summary>Copies the elements into a new rectangular array.</summary>
    /// <returns>The elements, indexed [row, column].</returns>
    public float[,] ToArray()
    {
        var result = new float[Rows, Columns];
        for (int i = 0; i < Rows; i++)
        {
            for (int j = 0; j < Columns; j++)
            {
                result[i, j] = _storage[_offset + (i * Stride) + j];
            }
        }

        return result;
    }

    /// <inheritdoc/>
    public override string ToString() => $"Matrix {Rows}×{Columns} (stride {Stride})";

    /// <summary>
    /// Changes the logical row count of a buffer within its <see cref="Capacity"/>, so that one allocation
    /// serves every batch size up to the largest seen. Used by layers; the contents are kept.
    /// </summary>
    internal void SetRows(int rows)
    {
        if ((uint)rows > (uint)Capacity)
        {
            throw new ArgumentOutOfRangeException(nameof(rows), rows, $"Row count {rows} exceeds the capacity {Capacity}.");
        }

        Rows = rows;
    }

    /// <summary>Returns a buffer with <paramref name="rows"/> rows and <paramref name="columns"/> columns: <paramref name="buffer"/> itself when it has room, otherwise a new one.</summary>
    internal static Matrix Ensure(ref Matrix? buffer, int rows, int columns)
    {
        if (buffer is null || buffer.Capacity < rows || buffer.Columns != columns)
        {
            buffer = new Matrix(Math.Max(rows, buffer?.Columns == columns ? buffer.Capacity : 0), columns);
        }

        buffer.SetRows(rows);
        return buffer;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static long RequiredLength(int rows, int columns, int stride) =>
        rows == 0 || columns == 0 ? 0 : ((long)(rows - 1) * stride) + columns;

    private static unsafe int AlignedOffset(float[] array)
    {
        nint address = (nint)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(array));
        int misalignment = (int)(address & (Alignment - 1));
        return misalignment == 0 ? 0 : (Alignment - misalignment) / sizeof(float);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void CheckIndex(int row, int column)
    {
        if ((uint)row >= (uint)Rows || (uint)column >= (uint)Columns)
        {
            string parameter = (uint)row >= (uint)Rows ? nameof(row) : nameof(column);
            throw new ArgumentOutOfRangeException(parameter, $"Index ({row}, {column}) is outside a {Rows}×{Columns} matrix.");
        }
    }
}
