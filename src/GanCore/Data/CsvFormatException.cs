namespace GanCore.Data;

/// <summary>
/// A CSV file is not a numeric table: a cell is not a number, a row has the wrong number of cells, a quote is not
/// closed, or there is no data at all. The message names the source, the line and (where there is one) the column;
/// <see cref="Line"/> and <see cref="Column"/> hold the same numbers.
/// </summary>
public sealed class CsvFormatException : FormatException
{
    /// <summary>Creates an exception with a default message.</summary>
    public CsvFormatException()
        : this("The CSV data is invalid.")
    {
    }

    /// <summary>Creates an exception with a message.</summary>
    /// <param name="message">What is wrong.</param>
    public CsvFormatException(string message)
        : base(message)
    {
    }

    /// <summary>Creates an exception with a message and an inner exception.</summary>
    /// <param name="message">What is wrong.</param>
    /// <param name="innerException">The cause.</param>
    public CsvFormatException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    internal CsvFormatException(string source, int line, int? column, string problem)
        : base(line > 0
            ? $"{source}, line {line}{(column is { } c ? $", column {c}" : string.Empty)}: {problem}"
            : $"{source}: {problem}")
    {
        DataSource = source;
        Line = line;
        Column = column;
    }

    /// <summary>The file name (or the name given for a reader) the data came from; null when not recorded.</summary>
    public string? DataSource { get; }

    /// <summary>The 1-based line of the problem, or 0 when it concerns the whole file (e.g. an empty file).</summary>
    public int Line { get; }

    /// <summary>The 1-based column (cell) of the problem, or null when it concerns a whole line.</summary>
    public int? Column { get; }
}
