using BenchmarkDotNet.Running;

namespace GanCore.Benchmarks;

/// <summary>Runs the benchmarks named by the command line (BenchmarkDotNet switcher: --filter, --job, ...);
/// <c>gemm-ratios</c> runs the quick interleaved GanCore/OpenBLAS comparison instead (<see cref="GemmRatioRunner"/>);
/// <c>step-breakdown</c> times the phases of one steady-state GAN step (<see cref="StepBreakdownRunner"/>).</summary>
public static class Program
{
    /// <summary>Entry point.</summary>
    public static void Main(string[] args)
    {
        if (args is ["gemm-ratios", ..])
        {
            GemmRatioRunner.Run(args[1..]);
            return;
        }

        if (args is ["step-breakdown", ..])
        {
            StepBreakdownRunner.Run(args[1..]);
            return;
        }

        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
    }
}
