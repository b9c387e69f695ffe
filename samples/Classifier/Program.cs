namespace Classifier;

/// <summary>Entry point of the classifier sample.</summary>
internal static class Program
{
    private static int Main(string[] args) => Cli.Run(args);
}
