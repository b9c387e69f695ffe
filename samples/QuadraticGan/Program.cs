namespace QuadraticGan;

/// <summary>Entry point of the quadratic GAN sample.</summary>
internal static class Program
{
    private static int Main(string[] args)
    {
        // Compile the training step's kernels and start ScottPlot and Spectre.Console on the idle core while this thread parses and builds.
        if (args.Length == 0 || !(args[0] == "generate" || args.Any(a => a is "-h" or "--help" or "-?" or "--version")))
        {
            StartupWarmUp.Start(plots: !args.Contains("--no-plots"), table: !args.Contains("--quiet"));
        }

        return Cli.Run(args);
    }
}
