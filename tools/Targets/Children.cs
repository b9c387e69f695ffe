using System.Diagnostics;
using System.Globalization;

namespace Targets;

/// <summary>What a child process printed, how it ended and how long it took from start to exit.</summary>
internal sealed record ChildResult(int ExitCode, string Stdout, string Stderr, TimeSpan Elapsed, bool TimedOut);

/// <summary>Starts the measurement programs, one at a time.</summary>
internal static class ChildProcess
{
    /// <summary>Runs <c>dotnet <paramref name="assembly"/> args</c> with the dotnet host that runs this program.</summary>
    public static ChildResult RunDotnet(string assembly, IEnumerable<string> args, TimeSpan timeout) =>
        Run(DotnetHost(), [assembly, .. args], timeout);

    public static ChildResult Run(string file, IEnumerable<string> args, TimeSpan timeout)
    {
        var info = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string a in args)
        {
            info.ArgumentList.Add(a);
        }

        var clock = Stopwatch.StartNew();
        using Process p = Process.Start(info) ?? throw new InvalidOperationException($"Could not start {file}.");

        // Both pipes are drained at once: a child that fills one while this waits on the other would never exit.
        Task<string> stdout = p.StandardOutput.ReadToEndAsync();
        Task<string> stderr = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(timeout))
        {
            p.Kill(entireProcessTree: true);
            p.WaitForExit();
            return new ChildResult(-1, stdout.Result, stderr.Result, clock.Elapsed, TimedOut: true);
        }

        TimeSpan elapsed = clock.Elapsed;
        p.WaitForExit();
        return new ChildResult(p.ExitCode, stdout.Result, stderr.Result, elapsed, TimedOut: false);
    }

    /// <summary>The dotnet host: this process's own when it runs as <c>dotnet Targets.dll</c>, else the one on PATH.</summary>
    private static string DotnetHost()
    {
        string? self = Environment.ProcessPath;
        return self is not null && Path.GetFileNameWithoutExtension(self) == "dotnet" ? self : "dotnet";
    }
}

/// <summary>One <c>StepWarmup --child</c> line: <c>first=35.3 steady=19.4 steadyMedian=18.4 … pairedStep=18.4 floor=9.52 step1=7077 …</c>.</summary>
internal sealed record WarmupSample(double First, double SteadyMedian, double PairedStep, double Floor, double Step1Microseconds)
{
    /// <summary>Mean wall time of steps 1–500 over the median steady step (StepWarmup's own wall ratio).</summary>
    public double WallRatio => First / SteadyMedian;

    /// <summary>The steady step over the arithmetic floor, both medians of pairs timed back to back.</summary>
    public double FloorRatio => PairedStep / Floor;

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
        return new WarmupSample(Field("first"), Field("steadyMedian"), Field("pairedStep"), Field("floor"), Field("step1"));
    }
}

/// <summary>
/// One result row of <c>gemm-ratios</c>: <c>| AB 64x5x128 | 1 | 0.86 | 1.29 | 94.8 | 63.5 | 1.49 | 1.57 | 395 |</c>
/// (shape, threads, GanCore and OpenBLAS µs best, their GFLOP/s, ratio best, ratio median, settle ms).
/// </summary>
internal sealed record GemmRow(string Shape, int Threads, double GanCoreMicroseconds, double RatioBest, double RatioMedian, int Size)
{
    public static GemmRow? TryParse(string line)
    {
        string[] cells = line.Split('|', StringSplitOptions.TrimEntries);
        if (cells.Length < 10 || !int.TryParse(cells[2], NumberStyles.Integer, CultureInfo.InvariantCulture, out int threads))
        {
            return null;
        }

        double Number(int i) => double.TryParse(cells[i], NumberStyles.Float, CultureInfo.InvariantCulture, out double v)
            ? v
            : throw new FormatException($"gemm-ratios row '{line}': column {i} is not a number.");
        return new GemmRow(cells[1], threads, Number(3), Number(7), Number(8), SquareSize(cells[1]));
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

/// <summary>
/// One result row of TorchSharpComparison: <c>| 256, 512 | 251 | 250 | 63.6% | 1790 | 1777 | 7.13× | 7.11× |</c>
/// (h and batch, GanCore µs median and best, share of the FMA peak, TorchSharp µs median and best, GanCore's lead on
/// medians and on bests).
/// </summary>
internal sealed record TorchRow(int Hidden, double PeakShare, double LeadMedian, double LeadBest)
{
    public static TorchRow? TryParse(string line)
    {
        string[] cells = line.Split('|', StringSplitOptions.TrimEntries);
        if (cells.Length < 10 || cells[1].Split(',', StringSplitOptions.TrimEntries) is not [string h, _]
            || !int.TryParse(h, NumberStyles.Integer, CultureInfo.InvariantCulture, out int hidden))
        {
            return null;
        }

        double Number(int i, string unit) => double.TryParse(cells[i].TrimEnd(unit.ToCharArray()), NumberStyles.Float, CultureInfo.InvariantCulture, out double v)
            ? v
            : throw new FormatException($"TorchSharpComparison row '{line}': column {i} is not a number.");
        return new TorchRow(hidden, Number(4, "%"), Number(7, "×"), Number(8, "×"));
    }
}

/// <summary>The host in one line: CPU model, family and model, logical cores, date, load.</summary>
internal static class HostInfo
{
    public static string Describe()
    {
        string model = "unknown CPU";
        string family = "?";
        string number = "?";
        try
        {
            foreach (string line in File.ReadLines("/proc/cpuinfo").TakeWhile(l => l.Length > 0))
            {
                string value = line[(line.IndexOf(':', StringComparison.Ordinal) + 1)..].Trim();
                if (line.StartsWith("model name", StringComparison.Ordinal))
                {
                    model = value;
                }
                else if (line.StartsWith("cpu family", StringComparison.Ordinal))
                {
                    family = value;
                }
                else if (line.StartsWith("model", StringComparison.Ordinal) && line.Split(':')[0].Trim() == "model")
                {
                    number = value;
                }
            }
        }
        catch (IOException)
        {
            // Not Linux: the model stays unknown, the rest of the line still says when and where.
        }

        string load = File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "unknown";
        return $"{model} (family {family} model {number}), {Environment.ProcessorCount} logical cores, {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC, load {load}";
    }
}
