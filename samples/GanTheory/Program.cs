namespace GanTheory;

/// <summary>Entry point of the GAN theory sample.</summary>
internal static class Program
{
    private static int Main(string[] args) => Cli.Run(args);
}
