namespace GanCore.Samples.Tests;

/// <summary>
/// Runs a sample CLI with one of the console's streams captured and restored after, so a test can read what it wrote.
/// The console is one per process: a test that captures a stream another test running beside it also captures may
/// restore the other's writer, so such tests belong to a collection that runs alone or capture a stream nothing else
/// replaces (standard error, which only these tests do).
/// </summary>
internal static class ConsoleCapture
{
    /// <summary>The exit code <paramref name="run"/> returned and what it wrote to standard error.</summary>
    public static (int Exit, string Text) Error(Func<int> run) => Capture(run, Console.Error, Console.SetError);

    /// <summary>The exit code <paramref name="run"/> returned and what it wrote to standard output.</summary>
    public static (int Exit, string Text) Output(Func<int> run) => Capture(run, Console.Out, Console.SetOut);

    private static (int Exit, string Text) Capture(Func<int> run, TextWriter saved, Action<TextWriter> set)
    {
        using var captured = new StringWriter();
        set(captured);
        try
        {
            int exit = run();
            return (exit, captured.ToString());
        }
        finally
        {
            set(saved);
        }
    }
}
