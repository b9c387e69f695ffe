namespace QuadraticGan;

/// <summary>Entry point of the quadratic GAN sample.</summary>
internal static class Program
{
    private static int Main(string[] args) => Cli.Run(args);
}
