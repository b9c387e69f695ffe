namespace GanCore.Data;

/// <summary>Settings of <see cref="CsvReader"/>.</summary>
public sealed class CsvOptions
{
    /// <summary>The cell separator. Default ','. Any character but a double quote, a line break, a space or a
    /// character that can be part of a number.</summary>
    public char Delimiter { get; init; } = ',';

    /// <summary>Whether the first line is a header. Default <see cref="CsvHeader.Auto"/>.</summary>
    public CsvHeader Header { get; init; } = CsvHeader.Auto;

    internal void Validate()
    {
        char d = Delimiter;
        if (d is '"' or '\r' or '\n' or ' ' or '.' or '+' or '-' or 'e' or 'E' || char.IsDigit(d))
        {
            throw new ArgumentException($"The delimiter '{(d is '\r' or '\n' ? d == '\r' ? "\\r" : "\\n" : d.ToString())}' (U+{(int)d:X4}) cannot separate numeric cells: use a comma, a semicolon, a tab or another character that cannot appear in a number.", "options");
        }

        if (Header is not (CsvHeader.Auto or CsvHeader.Present or CsvHeader.Absent))
        {
            throw new ArgumentException($"The header setting {(int)Header} is not a defined CsvHeader value.", "options");
        }
    }
}
