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

    /// <summary>Prints "error: message" on standard error and returns <paramref name="code"/>.</summary>
    public static int Fail(int code, string message)
    {
        Console.Error.WriteLine($"error: {message}");
        return code;
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
