namespace GanCore.Benchmarks;

/// <summary>
/// The host as every measurement names it: the CPU model with its family and model numbers, and the load average.
/// Linked into tools/StepWarmup, tools/Targets and benchmarks/TorchSharpComparison, so all of them print the same thing.
/// </summary>
internal static class HostDescription
{
    /// <summary>"model name, family F model M" from /proc/cpuinfo, or "unknown" where it cannot be read.</summary>
    public static string CpuModel()
    {
        try
        {
            string[] lines = File.ReadAllLines("/proc/cpuinfo");
            string Field(string name) => lines.FirstOrDefault(l => l.StartsWith(name, StringComparison.Ordinal))?.Split(':', 2)[1].Trim() ?? "?";
            return $"{Field("model name")}, family {Field("cpu family")} model {Field("model\t")}";
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return "unknown";
        }
    }

    /// <summary>The 1-, 5- and 15-minute load averages from /proc/loadavg (only the first with
    /// <paramref name="oneMinute"/>), or "?" where they cannot be read.</summary>
    public static string LoadAverage(bool oneMinute = false)
    {
        try
        {
            string[] fields = File.ReadAllText("/proc/loadavg").Split(' ');
            return string.Join(' ', fields.Take(oneMinute ? 1 : 3));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return "?";
        }
    }
}
