using GanCore.Tensors;

namespace GanCore.Data;

/// <summary>A numeric table read by <see cref="CsvReader"/>: the values, the column names when the file had a header,
/// and the line each row came from (for error messages about the data).</summary>
public sealed class CsvTable
{
    private readonly int[] _lines;
    private readonly string[]? _columnNames;

    internal CsvTable(Matrix values, string[]? columnNames, int[] lines, string source)
    {
        Values = values;
        _columnNames = columnNames;
        _lines = lines;
        Source = source;
    }

    /// <summary>The values: one row per data line, one column per cell.</summary>
    public Matrix Values { get; }

    /// <summary>The header's cells (trimmed, unquoted), or null when the file had no header.</summary>
    public IReadOnlyList<string>? ColumnNames => _columnNames;

    /// <summary>The file name or the name given to <see cref="CsvReader.Read"/>.</summary>
    public string Source { get; }

    /// <summary>The number of data rows.</summary>
    public int Rows => Values.Rows;

    /// <summary>The number of columns.</summary>
    public int Columns => Values.Columns;

    /// <summary>The 1-based line of the source that row <paramref name="row"/> came from.</summary>
    /// <param name="row">A 0-based row index.</param>
    /// <returns>The line number.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="row"/> is not a row of the table.</exception>
    public int LineOf(int row)
    {
        if ((uint)row >= (uint)_lines.Length)
        {
            throw new ArgumentOutOfRangeException(nameof(row), row, $"Row {row} is outside a table with {_lines.Length} rows.");
        }

        return _lines[row];
    }

    /// <summary>The 0-based index of the column named <paramref name="name"/> in the header (ordinal comparison).</summary>
    /// <param name="name">A column name.</param>
    /// <returns>The index of the first column with that name.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="name"/> is null.</exception>
    /// <exception cref="ArgumentException">The table has no header, or no column has that name (the message lists the names).</exception>
    public int ColumnIndex(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (_columnNames is null)
        {
            throw new ArgumentException($"{Source} has no header row, so its columns have no names; refer to them by index 0..{Columns - 1}.", nameof(name));
        }

        int index = Array.IndexOf(_columnNames, name);
        if (index < 0)
        {
            throw new ArgumentException($"{Source} has no column named '{name}'; its columns are {string.Join(", ", _columnNames.Select(n => $"'{n}'"))}.", nameof(name));
        }

        return index;
    }

    /// <summary>
    /// Splits off a column of integer class ids as labels, for classification: the other columns, in order, become the
    /// features. A label that is not an integer in 0..2^24 is an error naming its line and column.
    /// </summary>
    /// <param name="labelColumn">The 0-based index of the label column; −1 means the last column.</param>
    /// <returns>Features (Rows × (Columns − 1)) and labels (Rows × 1), with the class count the largest label + 1.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="labelColumn"/> is not a column of the table (nor −1).</exception>
    /// <exception cref="ArgumentException">The table has a single column, so there would be no features.</exception>
    /// <exception cref="CsvFormatException">A label is not a non-negative integer (the message names the line, the column and the value).</exception>
    public LabeledData SplitLabels(int labelColumn)
    {
        if (labelColumn == -1)
        {
            labelColumn = Columns - 1;
        }

        if ((uint)labelColumn >= (uint)Columns)
        {
            throw new ArgumentOutOfRangeException(nameof(labelColumn), labelColumn, $"The label column {labelColumn} is outside the {Columns} columns (0..{Columns - 1}, or −1 for the last) of {Source}.");
        }

        if (Columns < 2)
        {
            throw new ArgumentException($"{Source} has a single column; splitting off the labels would leave no features.", nameof(labelColumn));
        }

        var features = new Matrix(Rows, Columns - 1);
        var labels = new Matrix(Rows, 1);
        for (int i = 0; i < Rows; i++)
        {
            ReadOnlySpan<float> row = Values.Row(i);
            float label = row[labelColumn];
            if (!LabeledData.IsClassId(label))
            {
                string name = _columnNames is null ? string.Empty : $" ('{_columnNames[labelColumn]}')";
                throw new CsvFormatException(Source, _lines[i], labelColumn + 1, $"the label{name} is {label.ToString(System.Globalization.CultureInfo.InvariantCulture)}; labels must be integer class ids 0, 1, 2, ... (at most {LabeledData.MaxClassId}).");
            }

            labels[i, 0] = label;
            row[..labelColumn].CopyTo(features.Row(i));
            row[(labelColumn + 1)..].CopyTo(features.Row(i)[labelColumn..]);
        }

        string[]? featureNames = _columnNames?.Where((_, j) => j != labelColumn).ToArray();
        return new LabeledData(features, labels, featureNames);
    }
}
