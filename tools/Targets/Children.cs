using System.ComponentModel;
using System.Diagnostics;
using System.Globalization;

namespace Targets;

/// <summary>What a child process printed, how it ended and how long it took from start to exit.</summary>
internal sealed record ChildResult(int ExitCode, string Stdout, string Stderr, TimeSpan Elapsed, bool TimedOut, bool PipesHeld = false);

/// <summary>Starts the measurement programs, one at a time.</summary>
internal static class ChildProcess
{
    /// <summary>How long the output pipes may stay open after the child has exited (a process it started and left
    /// running, such as an MSBuild node, would hold them).</summary>
    private static readonly TimeSpan PipeGrace = TimeSpan.FromSeconds(30);

    /// <summary>Runs <c>dotnet <paramref name="assembly"/> args</c> with the dotnet host that runs this program.</summary>
    public static ChildResult RunDotnet(string assembly, IEnumerable<string> args, TimeSpan timeout) =>
        Run(DotnetHost(), [assembly, .. args], timeout);

    /// <summary>Runs <paramref name="file"/> with <paramref name="args"/> and the extra <paramref name="environment"/>
    /// variables. A program that cannot be started comes back as exit code -1 with the reason as its stderr.</summary>
    public static ChildResult Run(string file, IEnumerable<string> args, TimeSpan timeout, IReadOnlyDictionary<string, string>? environment = null)
    {
        var info = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string a in args)
        {
            info.ArgumentList.Add(a);
        }

        foreach ((string key, string value) in environment ?? new Dictionary<string, string>())
        {
            info.Environment[key] = value;
        }

        var clock = Stopwatch.StartNew();
        Process? started;
        try
        {
            started = Process.Start(info);
        }
        catch (Win32Exception e)
        {
            return new ChildResult(-1, string.Empty, $"could not start {file}: {e.Message}", TimeSpan.Zero, TimedOut: false);
        }

        using Process p = started ?? throw new InvalidOperationException($"Could not start {file}.");

        // Both pipes are drained at once: a child that fills one while this waits on the other would never exit.
        Task<string> stdout = p.StandardOutput.ReadToEndAsync();
        Task<string> stderr = p.StandardError.ReadToEndAsync();
        bool exited = p.WaitForExit(timeout);
        TimeSpan elapsed = clock.Elapsed;
        if (!exited)
        {
            p.Kill(entireProcessTree: true);
        }

        if (!Task.WaitAll([stdout, stderr], PipeGrace))
        {
            string held = $"its output stayed open {PipeGrace.TotalSeconds:F0} s after it ended (a process it started still holds it)";
            return new ChildResult(exited ? p.ExitCode : -1, string.Empty, held, elapsed, TimedOut: !exited, PipesHeld: true);
        }

        return new ChildResult(exited ? p.ExitCode : -1, stdout.Result, stderr.Result, elapsed, TimedOut: !exited);
    }

    /// <summary>The dotnet host: this process's own when it runs as <c>dotnet Targets.dll</c>, else the one on PATH.</summary>
    private static string DotnetHost()
    {
        string? self = Environment.ProcessPath;
        return self is not null && Path.GetFileNameWithoutExtension(self) == "dotnet" ? self : "dotnet";
    }
}

/// <summary>One <c>StepWarmup --child</c> line: <c>first=35.3 steady=19.4 steadyMedian=18.4 … pairedStep=18.4 floor=9.52 step1=7077 …</c>.</summary>
/// <remarks><see cref="Cpu"/> is the logical CPU most of the child's timed steps ran on, -1 where the child could not tell
/// (or, before the forty-first session, did not print it); <see cref="CpuShare"/> the share of its steps that did.
/// <see cref="RestMedian"/> is the median of steps 2–500 (NaN before the forty-second session's StepWarmup printed it).</remarks>
internal sealed record WarmupSample(double First, double SteadyMedian, double PairedStep, double Floor, double Step1Microseconds, int Cpu, double CpuShare, double RestMedian = double.NaN, int MethodsStep1 = -1)
{
    /// <summary>Mean wall time of steps 1–500 over the median steady step (StepWarmup's own wall ratio).</summary>
    public double WallRatio => First / SteadyMedian;

    /// <summary>The steady step over the arithmetic floor, both medians of pairs timed back to back.</summary>
    public double FloorRatio => PairedStep / Floor;

    /// <exception cref="FormatException">The output has no such line, or the line lacks a field.</exception>
    public static WarmupSample Parse(string output)
    {
        string line = output.Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            .LastOrDefault(l => l.StartsWith("first=", StringComparison.Ordinal))
            ?? throw new FormatException($"StepWarmup --child printed no 'first=' line: '{output.Trim()}'.");
        var fields = new Dictionary<string, double>();
        foreach (string pair in line.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            string[] kv = pair.Split('=', 2);
            if (kv.Length == 2 && double.TryParse(kv[1], NumberStyles.Float, CultureInfo.InvariantCulture, out double value))
            {
                fields[kv[0]] = value;
            }
        }

        double Field(string name) => fields.TryGetValue(name, out double v) ? v : throw new FormatException($"StepWarmup --child printed no '{name}=' field: '{line}'.");
        int cpu = fields.TryGetValue("cpu", out double c) ? (int)c : -1;
        double share = fields.TryGetValue("cpuShare", out double f) ? f : 0;
        double rest = fields.TryGetValue("restMedian", out double r) ? r : double.NaN;
        int methods = fields.TryGetValue("methodsStep1", out double m) ? (int)m : -1;
        return new WarmupSample(Field("first"), Field("steadyMedian"), Field("pairedStep"), Field("floor"), Field("step1"), cpu, share, rest, methods);
    }
}

/// <summary>
/// The rows of a Markdown table a tool printed, each cell found by its column's name in the header: a column the tool
/// moves is still read right, one it renames or drops is an error rather than a wrong number, and a row with more or
/// fewer cells than the header is an error too.
/// </summary>
internal sealed class PrintedTable
{
    private readonly string _tool;
    private readonly Dictionary<string, int> _columns;
    private readonly List<string[]> _rows;

    private PrintedTable(string tool, Dictionary<string, int> columns, List<string[]> rows)
    {
        _tool = tool;
        _columns = columns;
        _rows = rows;
    }

    public IReadOnlyList<string[]> Rows => _rows;

    /// <summary>The table whose header's first cell is <paramref name="firstColumn"/>: the header, its separator line,
    /// then every following line that starts with '|'.</summary>
    /// <exception cref="FormatException">There is no such header, or no row under it.</exception>
    public static PrintedTable Find(string tool, IReadOnlyList<string> lines, string firstColumn)
    {
        int header = -1;
        for (int i = 0; i < lines.Count && header < 0; i++)
        {
            if (Cells(lines[i]) is [string first, ..] && first == firstColumn)
            {
                header = i;
            }
        }

        if (header < 0)
        {
            throw new FormatException($"{tool} printed no table with a '{firstColumn}' column.");
        }

        string[] names = Cells(lines[header]);
        var columns = names.Select((name, i) => (name, i)).ToDictionary(c => c.name, c => c.i);
        var rows = lines.Skip(header + 2).TakeWhile(l => l.StartsWith('|')).Select(Cells).ToList();
        if (rows.FirstOrDefault(r => r.Length != names.Length) is { } ragged)
        {
            throw new FormatException($"{tool} printed a row of {ragged.Length} cells under a header of {names.Length}: '{string.Join(" | ", ragged)}'.");
        }

        if (rows.Count == 0)
        {
            throw new FormatException($"{tool} printed the header of its table and no row.");
        }

        return new PrintedTable(tool, columns, rows);
    }

    /// <summary>The cell of <paramref name="row"/> in the column named <paramref name="column"/>.</summary>
    public string Cell(string[] row, string column) => _columns.TryGetValue(column, out int i)
        ? row[i]
        : throw new FormatException($"{_tool} printed no '{column}' column (columns: {string.Join(", ", _columns.Keys)}).");

    /// <summary>The number in a cell, without a trailing unit such as % or ×; NaN stays NaN.</summary>
    public double Number(string[] row, string column, string unit = "")
    {
        string text = Cell(row, column);
        string bare = unit.Length > 0 && text.EndsWith(unit, StringComparison.Ordinal) ? text[..^unit.Length] : text;
        return double.TryParse(bare, NumberStyles.Float, CultureInfo.InvariantCulture, out double v)
            ? v
            : throw new FormatException($"{_tool}: '{text}' in column '{column}' of row '{string.Join(" | ", row)}' is not a number.");
    }

    private static string[] Cells(string line)
    {
        string t = line.Trim();
        return t.Length >= 2 && t[0] == '|' && t[^1] == '|' ? t[1..^1].Split('|').Select(c => c.Trim()).ToArray() : [];
    }
}

/// <summary>One result row of <c>gemm-ratios</c>.</summary>
internal sealed record GemmRow(string Shape, int Threads, double GanCoreMicroseconds, double RatioBest, double RatioMedian, int Size)
{
    /// <summary>The rows of gemm-ratios' table in <paramref name="lines"/>.</summary>
    /// <exception cref="FormatException">No table, a missing column or a cell that is not a number.</exception>
    public static List<GemmRow> Read(IReadOnlyList<string> lines)
    {
        PrintedTable t = PrintedTable.Find("gemm-ratios", lines, "shape");
        return t.Rows.Select(r => new GemmRow(
            t.Cell(r, "shape"),
            (int)t.Number(r, "threads"),
            t.Number(r, "GanCore µs (best)"),
            t.Number(r, "ratio best"),
            t.Number(r, "ratio median"),
            SquareSize(t.Cell(r, "shape")))).ToList();
    }

    /// <summary>n for a shape "AB nxnxn", else 0.</summary>
    private static int SquareSize(string shape)
    {
        string[] parts = shape.Split(' ', 2);
        if (parts.Length != 2)
        {
            return 0;
        }

        int[] mnk = parts[1].Split('x').Select(s => int.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out int v) ? v : -1).ToArray();
        return mnk.Length == 3 && mnk[0] > 0 && mnk[0] == mnk[1] && mnk[1] == mnk[2] ? mnk[0] : 0;
    }
}

/// <summary>One result row of TorchSharpComparison.</summary>
internal sealed record TorchRow(int Hidden, double PeakShare, double LeadMedian, double LeadBest)
{
    /// <summary>The rows of TorchSharpComparison's table in <paramref name="lines"/>.</summary>
    /// <exception cref="FormatException">No table, a missing column or a cell that is not a number.</exception>
    public static List<TorchRow> Read(IReadOnlyList<string> lines)
    {
        PrintedTable t = PrintedTable.Find("TorchSharpComparison", lines, "h, batch");
        return t.Rows.Select(r =>
        {
            string size = t.Cell(r, "h, batch");
            int hidden = int.TryParse(size.Split(',')[0], NumberStyles.Integer, CultureInfo.InvariantCulture, out int h)
                ? h
                : throw new FormatException($"TorchSharpComparison: '{size}' is not 'h, batch'.");
            return new TorchRow(hidden, t.Number(r, "share of FMA peak (median)", "%"), t.Number(r, "GanCore's lead (medians)", "×"), t.Number(r, "lead (bests)", "×"));
        }).ToList();
    }
}

/// <summary>
/// A narrower host simulated on this one with the runtime's switches (<c>DOTNET_EnableAVX512=0</c>: an AVX2 host;
/// <c>DOTNET_EnableAVX2=0</c>: AVX without AVX2, a Sandy or Ivy Bridge; <c>DOTNET_EnableAVX=0</c>: SSE only), which every
/// child inherits. Two things do not follow the switches: a GanCore image precompiled for this machine's level (the
/// runtime refuses it and the JIT starts from tier 0), and libtorch, which picks its kernels from the CPU itself. So the
/// measured build has to be made as one on the simulated host would be (<see cref="BuildProperty"/>),
/// TorchSharpComparison is built the same way, and libtorch is held to the same instructions by its own variables
/// (<see cref="LibTorchEnvironment"/>; benchmarks/RESULTS.md, twenty-sixth session). MKL, libtorch's GEMM, honours
/// <c>MKL_ENABLE_INSTRUCTIONS</c> only on an Intel CPU; on any other it runs the kernels it picks for the CPU, and the one
/// cap it honours there is <c>MKL_CBWR=COMPATIBLE</c>, its SSE2 branch, which holds it for the host without AVX
/// (fifty-third session). For the AVX and AVX2 hosts on such a CPU nothing holds it (<see cref="BaselineCaveat"/>).
/// </summary>
/// <param name="Switch">The switch that was set, as NAME=0.</param>
/// <param name="BuildProperty">The MSBuild property a build on the simulated host gets, as NAME=VALUE: its
/// GanCoreInstructionSet (x86-64-v3, x86-64-v2-avx or x86-64-v2).</param>
/// <param name="LibTorchEnvironment">ATen's, MKL's and oneDNN's caps for the same instruction sets.</param>
/// <param name="BaselineCaveat">Null when libtorch is held to the simulated host's instructions; otherwise why it may
/// not be, which can only make it faster than on such a host and GanCore's lead over it smaller.</param>
internal sealed record SimulatedHost(string Switch, string BuildProperty, IReadOnlyDictionary<string, string> LibTorchEnvironment, string? BaselineCaveat = null)
{
    /// <summary>What the note says when MKL cannot be held on a CPU that is not Intel's.</summary>
    public const string UnheldMkl = "MKL, libtorch's GEMM, honours MKL_ENABLE_INSTRUCTIONS only on Intel CPUs, so on this one it runs the kernels it picks for the CPU, which may be wider than the simulated host's: a lead over it is a lower bound";

    /// <summary>The simulated host the switches in <paramref name="read"/> (an environment lookup) describe, or null
    /// when none is switched off. The narrowest switch wins. <paramref name="intelCpu"/> says whether the CPU is
    /// Intel's, on which MKL honours <c>MKL_ENABLE_INSTRUCTIONS</c>; on any other the host without AVX holds MKL with
    /// <c>MKL_CBWR=COMPATIBLE</c> (SSE2) instead, and the other two get <see cref="UnheldMkl"/> as their caveat.</summary>
    public static SimulatedHost? From(Func<string, string?> read, bool intelCpu)
    {
        if (read("DOTNET_EnableAVX") == "0")
        {
            var caps = new Dictionary<string, string>
            {
                ["ATEN_CPU_CAPABILITY"] = "default",
                ["MKL_ENABLE_INSTRUCTIONS"] = "SSE4_2",
                ["DNNL_MAX_CPU_ISA"] = "SSE41",
            };
            if (!intelCpu)
            {
                caps["MKL_CBWR"] = "COMPATIBLE";
            }

            return new SimulatedHost("DOTNET_EnableAVX=0", "GanCoreInstructionSet=x86-64-v2", caps);
        }

        string? caveat = intelCpu ? null : UnheldMkl;
        if (read("DOTNET_EnableAVX2") == "0")
        {
            return new SimulatedHost("DOTNET_EnableAVX2=0", "GanCoreInstructionSet=x86-64-v2-avx", new Dictionary<string, string>
            {
                ["ATEN_CPU_CAPABILITY"] = "default",
                ["MKL_ENABLE_INSTRUCTIONS"] = "AVX",
                ["DNNL_MAX_CPU_ISA"] = "AVX",
            }, caveat);
        }

        return read("DOTNET_EnableAVX512") == "0"
            ? new SimulatedHost("DOTNET_EnableAVX512=0", "GanCoreInstructionSet=x86-64-v3", new Dictionary<string, string>
            {
                ["ATEN_CPU_CAPABILITY"] = "avx2",
                ["MKL_ENABLE_INSTRUCTIONS"] = "AVX2",
                ["DNNL_MAX_CPU_ISA"] = "AVX2",
            }, caveat)
            : null;
    }
}
