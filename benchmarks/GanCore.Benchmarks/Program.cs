using BenchmarkDotNet.Running;

namespace GanCore.Benchmarks;

/// <summary>Runs the benchmarks named by the command line (BenchmarkDotNet switcher: --filter, --job, ...).</summary>
public static class Program
{
    /// <summary>Entry point.</summary>
    public static void Main(string[] args) => BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
}
