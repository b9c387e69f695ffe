namespace GanCore.Samples;

/// <summary>What every sample CLI does the same way: one-line errors, and an output folder checked before any work.</summary>
internal static class SampleConsole
{
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
