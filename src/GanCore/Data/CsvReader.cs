using System.Globalization;
using System.Text;

namespace GanCore.Data;

/// <summary>
/// Reads a numeric CSV table into a <see cref="CsvTable"/> (a <see cref="Tensors.Matrix"/> plus the column names):
/// every cell a number in the invariant culture (<c>1.5</c>, <c>-2e-3</c>; never <c>1,5</c>), one row per non-blank
/// line, a header row optional (<see cref="CsvOptions.Header"/>).
/// </summary>
/// <remarks>
/// <para>Cells may be surrounded by spaces and may be quoted (<c>"1.5"</c>, <c>"petal ""width"""</c>); a quoted cell
/// cannot span lines. Blank lines are skipped. Lines and columns in messages count from 1, as in a text editor or a
/// spreadsheet.</para>
/// <para>Errors are <see cref="CsvFormatException"/>s naming the line and column: a cell that is not a finite float32
/// number (including an empty cell, <c>NaN</c> and values beyond ±3.4e38), a row whose cell count differs from the first
/// row's (naming the line), a quote left open, a file with no data rows.</para>
/// </remarks>
public static class CsvReader
{
    private static readonly char[] CommonDelimiters = [',', ';', '\t', '|'];

    /// <summary>Reads the CSV file at <paramref name="path"/> (UTF-8, or the encoding its byte-order mark names).</summary>
    /// <param name="path">The file to read.</param>
    /// <param name="options">The delimiter and header setting; defaults (comma, auto-detected header) when null.</param>
    /// <returns>The table; error messages and <see cref="CsvTable.Source"/> name the file by <paramref name="path"/>.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="path"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="path"/> is empty, or the options are invalid.</exception>
    /// <exception cref="CsvFormatException">The file is not a numeric table (the message names the line and column).</exception>
    /// <exception cref="IOException">The file cannot be read (<see cref="FileNotFoundException"/> when it does not exist).</exception>
    /// <exception cref="UnauthorizedAccessException">The file may not be read.</exception>
    public static CsvTable ReadFile(string path, CsvOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        options ??= new CsvOptions();
        options.Validate();
        using var reader = new StreamReader(path, Encoding.UTF8, detectEncodingFromByteOrderMarks: true);
        return ReadCore(reader, options, path);
    }

    /// <summary>Reads CSV text from <paramref name="reader"/> until its end.</summary>
    /// <param name="reader">The text to read.</param>
    /// <param name="options">The delimiter and header setting; defaults (comma, auto-detected header) when null.</param>
    /// <param name="source">A name for the text in error messages and <see cref="CsvTable.Source"/>.</param>
    /// <returns>The table.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="reader"/> or <paramref name="source"/> is null.</exception>
    /// <exception cref="ArgumentException">The options are invalid.</exception>
    /// <exception cref="CsvFormatException">The text is not a numeric table (the message names the line and column).</exception>
    public static CsvTable Read(TextReader reader, CsvOptions? options = null, string source = "CSV text")
    {
        ArgumentNullException.ThrowIfNull(reader);
        ArgumentNullException.ThrowIfNull(source);
        options ??= new CsvOptions();
        options.Validate();
        return ReadCore(reader, options, source);
    }

    /// <summary>Reads CSV from a string (convenient for small tables and tests).</summary>
    /// <param name="text">The CSV text.</param>
    /// <param name="options">The delimiter and header setting; defaults (comma, auto-detected header) when null.</param>
    /// <returns>The table.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="text"/> is null.</exception>
    /// <exception cref="ArgumentException">The options are invalid.</exception>
    /// <exception cref="CsvFormatException">The text is not a numeric table (the message names the line and column).</exception>
    public static CsvTable Parse(string text, CsvOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(text);
        using var reader = new StringReader(text);
        return Read(reader, options);
    }

    private static CsvTable ReadCore(TextReader reader, CsvOptions options, string source)
    {
        var cells = new List<Cell>();
        var values = new List<float>();
        var lines = new List<int>();
        string[]? header = null;
        int width = -1;
        int widthLine = 0;
        int lineNumber = 0;
        while (reader.ReadLine() is { } line)
        {
            lineNumber++;
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }

            Split(line, options.Delimiter, cells, source, lineNumber);
            if (width < 0)
            {
                width = cells.Count;
                widthLine = lineNumber;
                bool isHeader = options.Header switch
                {
                    CsvHeader.Present => true,
                    CsvHeader.Absent => false,
                    _ => cells.Exists(c => c.Length > 0 && !TryAnyNumber(c.Text(line))),
                };
                if (isHeader)
                {
                    header = cells.ConvertAll(c => c.Text(line)).ToArray();
                    continue;
                }
            }
            else if (cells.Count != width)
            {
                throw new CsvFormatException(
                    source,
                    lineNumber,
                    null,
                    $"the row has {cells.Count} cells but the table has {width} (as line {widthLine}{(header is null ? string.Empty : ", the header,")} has); every row needs the same number of cells.");
            }

            for (int j = 0; j < cells.Count; j++)
            {
                Cell c = cells[j];
                if (!TryNumber(line, c, out float value))
                {
                    string text = c.Text(line);
                    string problem = text.Length == 0
                        ? "the cell is empty; every cell must hold a number."
                        : TryAnyNumber(text)
                            ? $"'{Shorten(text)}' is not a finite float32 number (NaN, infinity and values beyond ±3.4e38 are not allowed)."
                            : $"'{Shorten(text)}' is not a number (numbers are read in the invariant culture: 1.5, -2e-3).";
                    if (width == 1 && Array.Find(CommonDelimiters, d => d != options.Delimiter && text.Contains(d, StringComparison.Ordinal)) is var other and not '\0')
                    {
                        problem += $" The table has a single column: is the delimiter '{(other == '\t' ? "\\t" : other.ToString())}' rather than '{options.Delimiter}'?";
                    }

                    if (header is null && lines.Count == 0 && options.Header == CsvHeader.Absent)
                    {
                        problem += " The header setting is Absent; use Auto or Present if the first line names the columns.";
                    }

                    throw new CsvFormatException(source, lineNumber, j + 1, problem);
                }

                values.Add(value);
            }

            lines.Add(lineNumber);
        }

        if (width < 0)
        {
            throw new CsvFormatException(source, 0, null, "the data is empty: no header and no data rows.");
        }

        if (lines.Count == 0)
        {
            throw new CsvFormatException(source, 0, null, $"the data has a header (line {widthLine}) but no data rows.");
        }

        var matrix = Tensors.Matrix.FromRows(lines.Count, width, System.Runtime.InteropServices.CollectionsMarshal.AsSpan(values));
        return new CsvTable(matrix, header, [.. lines], source);
    }

    private static bool TryNumber(string line, Cell cell, out float value)
    {
        value = 0f;
        ReadOnlySpan<char> span = line.AsSpan(cell.Start, cell.Length);
        return span.Length > 0
            && (!cell.HasEscapedQuotes)
            && float.TryParse(span, NumberStyles.Float, CultureInfo.InvariantCulture, out value)
            && float.IsFinite(value);
    }

    private static bool TryAnyNumber(string text) => double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out _);

    private static string Shorten(string text) => text.Length <= 40 ? text : string.Concat(text.AsSpan(0, 37), "...");

    // Splits one line into cells: surrounding spaces (and tabs, unless the tab is the delimiter) are trimmed; a cell
    // that starts with a double quote runs to the matching quote, with "" standing for one quote inside it.
    private static void Split(string line, char delimiter, List<Cell> cells, string source, int lineNumber)
    {
        cells.Clear();
        int pos = 0;
        while (true)
        {
            while (pos < line.Length && IsBlank(line[pos], delimiter))
            {
                pos++;
            }

            int column = cells.Count + 1;
            if (pos < line.Length && line[pos] == '"')
            {
                int start = pos + 1;
                int i = start;
                bool escaped = false;
                while (true)
                {
                    if (i >= line.Length)
                    {
                        throw new CsvFormatException(source, lineNumber, column, "a quoted cell is not closed on its line (quoted cells cannot span lines).");
                    }

                    if (line[i] == '"')
                    {
                        if (i + 1 < line.Length && line[i + 1] == '"')
                        {
                            escaped = true;
                            i += 2;
                            continue;
                        }

                        break;
                    }

                    i++;
                }

                // The value inside the quotes, trimmed like an unquoted cell so that " 1.5 " reads as a number.
                int s = start;
                int e = i;
                while (s < e && IsBlank(line[s], delimiter))
                {
                    s++;
                }

                while (e > s && IsBlank(line[e - 1], delimiter))
                {
                    e--;
                }

                cells.Add(new Cell(s, e - s, escaped));
                pos = i + 1;
                while (pos < line.Length && IsBlank(line[pos], delimiter))
                {
                    pos++;
                }

                if (pos < line.Length && line[pos] != delimiter)
                {
                    throw new CsvFormatException(source, lineNumber, column, $"unexpected text after the closing quote; expected the delimiter '{delimiter}' or the end of the line.");
                }
            }
            else
            {
                int start = pos;
                while (pos < line.Length && line[pos] != delimiter)
                {
                    pos++;
                }

                int end = pos;
                while (end > start && IsBlank(line[end - 1], delimiter))
                {
                    end--;
                }

                cells.Add(new Cell(start, end - start, false));
            }

            if (pos >= line.Length)
            {
                return;
            }

            pos++; // past the delimiter; a delimiter at the very end leaves one more (empty) cell
        }
    }

    private static bool IsBlank(char c, char delimiter) => c != delimiter && (c == ' ' || c == '\t');

    private readonly record struct Cell(int Start, int Length, bool HasEscapedQuotes)
    {
        public string Text(string line)
        {
            string text = line.Substring(Start, Length);
            return HasEscapedQuotes ? text.Replace("\"\"", "\"", StringComparison.Ordinal) : text;
        }
    }
}
