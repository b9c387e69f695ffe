namespace GanCore.Data;

/// <summary>Whether the first line of a CSV file names the columns.</summary>
public enum CsvHeader
{
    /// <summary>Decide from the data: the first non-blank line is a header when at least one of its non-empty cells is not a
    /// number. A header made only of numbers (e.g. <c>1,2,3</c>) is then read as data: say
    /// <see cref="Present"/> for such files.</summary>
    Auto,

    /// <summary>The first non-blank line is a header, whatever it holds.</summary>
    Present,

    /// <summary>There is no header: every non-blank line is data.</summary>
    Absent,
}
