using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace GanCore.Samples;

/// <summary>What every sample CLI does the same way: one-line errors, and an output folder checked before any work.</summary>
internal static class SampleConsole
{
    /// <summary>Exit code: the run finished.</summary>
    public const int ExitOk = 0;

    /// <summary>Exit code: an option, a file or the data was bad; the message names it.</summary>
    public const int ExitBadInput = 2;

    /// <summary>Exit code: training diverged (a loss or weight became NaN or infinite).</summary>
    public const int ExitDiverged = 3;

    /// <summary>Exit code: cancelled with Ctrl+C.</summary>
    public const int ExitCancelled = 130;

    /// <summary>How every sample writes report.json: indented, camelCase, NaN and ±∞ written as named literals.</summary>
    public static JsonSerializerOptions ReportJson { get; } = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    /// <summary>Throws an <see cref="ArgumentException"/> with <paramref name="message"/> when a setting check fails (the CLIs turn it into exit code 2).</summary>
    public static void Require(bool condition, string message)
    {
        if (!condition)
        {
            throw new ArgumentException(message);
        }
    }

    /// <summary>
    /// A measure averaged over a run's steps, in <paramref name="format"/>, or "n/a (no steps)" for the NaN an empty
    /// window averages to: a run of <c>--steps 0</c> (the untrained generator, evaluated) or a resume that had no step
    /// left. Training never reports NaN otherwise: a non-finite loss or weight stops it with exit code 3.
    /// </summary>
    public static string OverSteps(double value, string format) =>
        double.IsNaN(value) ? "n/a (no steps)" : value.ToString(format, CultureInfo.InvariantCulture);

    /// <summary>
    /// The end of a run that diverged: <paramref name="keep"/> writes what was logged before the failure (metrics,
    /// figures) and names each file in the list it is given, the file name first ("metrics.csv (30 rows)"); then the
    /// divergence's message, the folder and those files go to standard error and the exit code is
    /// <see cref="ExitDiverged"/>. A failure to write is named there too, and the exit code stays the same. The
    /// sample's files <paramref name="earlier"/> found in the folder at the run's start that are still as they were (a
    /// report or samples this run did not replace) are named as an earlier run's, so that they are not taken for this
    /// run's; a file <paramref name="keep"/> names is never among them, whatever its write time says.
    /// </summary>
    public static int FailDiverged(ArithmeticException divergence, string directory, EarlierOutputs earlier, Action<List<string>> keep)
    {
        var kept = new List<string>();
        try
        {
            keep(kept);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or AggregateException or ArgumentException or InvalidOperationException)
        {
            kept.Add($"nothing more ({e.GetType().Name}: {e.Message})");
        }

        string message = $"{divergence.Message} Logged before it, in {Path.GetFullPath(directory)}: {string.Join(", ", kept)}.";
        bool Kept(string name) => kept.Exists(k => k == name || k.StartsWith(name + " ", StringComparison.Ordinal));
        List<string> older = earlier.NotWrittenBy(Kept);
        if (older.Count > 0)
        {
            message += $" Also there, from an earlier run: {string.Join(", ", older)}.";
        }

        return Fail(ExitDiverged, message);
    }

    /// <summary>
    /// The end of a run that finished: names on standard error (also under --quiet, as the errors are) the sample's
    /// files <paramref name="earlier"/> found in the folder at the run's start that this run did not write (figures
    /// under --no-plots, an ONNX graph without --export-onnx, an optional log), so that they are not taken for this
    /// run's. Prints nothing when there are none; standard output keeps its one summary line.
    /// </summary>
    /// <param name="earlier">The sample's files found in the folder at the run's start.</param>
    /// <param name="written">The files this run wrote: never named, whatever their write times say (a second guard,
    /// for file systems whose timestamps are too coarse to tell a rewrite from the earlier write).</param>
    public static void NoteEarlierRunFiles(EarlierOutputs earlier, IReadOnlyCollection<string> written)
    {
        List<string> older = earlier.NotWrittenBy(written.Contains);
        if (older.Count > 0)
        {
            Console.Error.WriteLine($"note: also in {Path.GetFullPath(earlier.Directory)}, from an earlier run and not written by this one: {string.Join(", ", older)}.");
        }
    }

    /// <summary>
    /// " Also there, from an earlier run: a, b." (the words of <see cref="FailDiverged"/>) for the files
    /// <paramref name="earlier"/> found still unchanged and not in <paramref name="written"/>; empty when there are none.
    /// </summary>
    public static string EarlierRunSentence(EarlierOutputs earlier, IReadOnlyCollection<string> written)
    {
        List<string> older = earlier.NotWrittenBy(written.Contains);
        return older.Count == 0 ? string.Empty : $" Also there, from an earlier run: {string.Join(", ", older)}.";
    }

    /// <summary>
    /// The sample's output files found in its folder when a run started, each with its last-write time. After the run,
    /// a file still there with the same time is an earlier run's that this run did not replace. (Comparing write times
    /// with the run's start instead would need the file system's clock to agree with the process's to the millisecond:
    /// Linux stamps files from a coarse clock that can lag a few milliseconds, so a file written just after the start
    /// could look older than it.) On a file system whose timestamps are coarse (whole seconds on ext3, HFS+ and some
    /// network shares, 2 s on FAT), a file rewritten within one tick of its earlier write would look unchanged, so the
    /// callers also leave out the files the run wrote.
    /// </summary>
    public sealed class EarlierOutputs
    {
        private readonly List<(string Name, DateTime WrittenUtc)> _found;

        private EarlierOutputs(string directory, List<(string Name, DateTime WrittenUtc)> found)
        {
            Directory = directory;
            _found = found;
        }

        /// <summary>The output folder.</summary>
        public string Directory { get; }

        /// <summary>Those of <paramref name="outputs"/> that are files in <paramref name="directory"/> now, with their write times.</summary>
        public static EarlierOutputs Find(string directory, IEnumerable<string> outputs)
        {
            var found = new List<(string Name, DateTime WrittenUtc)>();
            foreach (string name in outputs)
            {
                if (WriteTime(Path.Combine(directory, name)) is { } written)
                {
                    found.Add((name, written));
                }
            }

            return new EarlierOutputs(directory, found);
        }

        /// <summary>
        /// The files found at the start that are still there, unchanged, and that <paramref name="wroteIt"/> does not
        /// claim for this run, in the order of the sample's list: an earlier run's.
        /// </summary>
        public List<string> NotWrittenBy(Func<string, bool> wroteIt) =>
            [.. _found.Where(f => !wroteIt(f.Name) && WriteTime(Path.Combine(Directory, f.Name)) == f.WrittenUtc).Select(f => f.Name)];

        /// <summary>The last-write time of the file at <paramref name="path"/>; null when it is not there or cannot be read.</summary>
        private static DateTime? WriteTime(string path)
        {
            try
            {
                var file = new FileInfo(path);
                return file.Exists ? file.LastWriteTimeUtc : null;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                return null;
            }
        }
    }

    /// <summary>"name (N rows)", or "name (1 row)": a logged file as <see cref="FailDiverged"/> lists it.</summary>
    public static string WithRows(string fileName, int rows) =>
        string.Create(CultureInfo.InvariantCulture, $"{fileName} ({rows} {(rows == 1 ? "row" : "rows")})");

    /// <summary>Prints "error: message" on standard error and returns <paramref name="code"/>.</summary>
    public static int Fail(int code, string message)
    {
        Console.Error.WriteLine($"error: {message}");
        return code;
    }

    /// <summary>
    /// What is wrong with a parsed command line, as one line ending in "(see --help)"; null when nothing is. Two cases
    /// get a message of their own: a value that is not of its option's type, which System.CommandLine reports with the
    /// .NET type's name ("as expected type 'System.Nullable`1[System.Int32]'"), and a comma in a number, which it reads
    /// as a thousands separator ("--lr 1,5" would be 15). Both say what the option takes: "--steps takes a whole number
    /// up to 2147483647 (got 'abc')". Any other error keeps System.CommandLine's message.
    /// </summary>
    public static string? CommandLineProblem(ParseResult result)
    {
        IEnumerable<SymbolResult> options = result.Errors.Count == 0 ? result.CommandResult.Children
            : OptionOf(result.Errors[0].SymbolResult) is OptionResult errored ? [errored] : [];
        foreach (SymbolResult place in options)
        {
            if (place is OptionResult { Option: Option option } optionResult)
            {
                Type type = Nullable.GetUnderlyingType(option.ValueType) ?? option.ValueType;
                foreach (Token token in optionResult.Tokens)
                {
                    if (WhatItTakes(type, token.Value) is string takes)
                    {
                        return $"{option.Name} takes {takes} (got '{token.Value}') (see --help)";
                    }
                }
            }
        }

        return result.Errors.Count > 0 ? result.Errors[0].Message + " (see --help)" : null;
    }

    /// <summary>The option an error's symbol belongs to (the symbol itself, or the option above its argument), or null.</summary>
    private static OptionResult? OptionOf(SymbolResult? symbol)
    {
        while (symbol is not null and not OptionResult)
        {
            symbol = symbol.Parent;
        }

        return symbol as OptionResult;
    }

    /// <summary>What an option of <paramref name="type"/> takes, when <paramref name="value"/> is not one (a comma in a
    /// number included); null when it is, or when the type is not one of the sample options' number types.</summary>
    private static string? WhatItTakes(Type type, string value)
    {
        CultureInfo invariant = CultureInfo.InvariantCulture;
        return type == typeof(int) ? (int.TryParse(value, NumberStyles.Integer, invariant, out _) ? null : $"a whole number up to {int.MaxValue}")
            : type == typeof(long) ? (long.TryParse(value, NumberStyles.Integer, invariant, out _) ? null : $"a whole number up to {long.MaxValue}")
            : type == typeof(ulong) ? (ulong.TryParse(value, NumberStyles.Integer, invariant, out _) ? null : $"a whole number from 0 to {ulong.MaxValue}")
            : type == typeof(float) || type == typeof(double) ? (double.TryParse(value, NumberStyles.Float, invariant, out _) ? null : "a number with a decimal point, such as 0.5 or 1e-4")
            : null;
    }

    /// <summary>Creates the folder and proves it is writable; returns a one-line problem, or null when all is well.</summary>
    public static string? PrepareOutput(string directory)
    {
        try
        {
            Directory.CreateDirectory(directory);
            string probe = Path.Combine(directory, $".write-test-{Environment.ProcessId}");
            File.WriteAllText(probe, string.Empty);
            File.Delete(probe);
            return null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or NotSupportedException or ArgumentException)
        {
            return $"cannot write to the output folder '{directory}': {e.Message}";
        }
    }
}
