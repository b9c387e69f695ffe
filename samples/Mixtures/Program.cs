namespace Mixtures;

/// <summary>Entry point of the 2-D Gaussian mixture sample.</summary>
internal static class Program
{
    private static int Main(string[] args) => Cli.Run(args);
}
