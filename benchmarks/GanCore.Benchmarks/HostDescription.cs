using System.Runtime.Intrinsics.X86;

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

    /// <summary>Whether CPUID names the vendor "GenuineIntel". Intel's MKL, inside libtorch, honours
    /// <c>MKL_ENABLE_INSTRUCTIONS</c> only on Intel CPUs (its documentation says so) and chooses its own kernels on any
    /// other (benchmarks/RESULTS.md, fifty-third session).</summary>
    public static bool IntelCpu()
    {
        if (!X86Base.IsSupported)
        {
            return false;
        }

        (_, int ebx, int ecx, int edx) = X86Base.CpuId(0, 0);
        return ebx == 0x756E6547 && edx == 0x49656E69 && ecx == 0x6C65746E; // "Genu" "ineI" "ntel"
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
