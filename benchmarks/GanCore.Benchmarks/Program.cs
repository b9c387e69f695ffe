using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;

namespace GanCore.Benchmarks;

/// <summary>Runs the benchmarks named by the command line (BenchmarkDotNet switcher: --filter, --job, ...);
/// <c>gemm-ratios</c> runs the quick interleaved GanCore/OpenBLAS comparison instead (<see cref="GemmRatioRunner"/>);
/// <c>step-breakdown</c> times the phases of one steady-state GAN step (<see cref="StepBreakdownRunner"/>).</summary>
public static class Program
{
    /// <summary>Entry point: 0 on success, 2 when a command's arguments are invalid (the message names the problem).</summary>
    public static int Main(string[] args)
    {
        try
        {
            if (args is ["gemm-ratios", ..])
            {
                if (!PrintedHelp(args, GemmRatioRunner.Usage))
                {
                    GemmRatioRunner.Run(args[1..]);
                }

                return 0;
            }

            if (args is ["step-breakdown", ..])
            {
                if (!PrintedHelp(args, StepBreakdownRunner.Usage))
                {
                    StepBreakdownRunner.Run(args[1..]);
                }

                return 0;
            }
        }
        catch (ArgumentException e)
        {
            // A bad option value: its message says which and shows the usage; a stack trace would only bury it.
            Console.Error.WriteLine(e.Message);
            return 2;
        }

        // Every job, the command line's included, runs without dynamic PGO, as the samples and the package's apps with
        // the precompiled image do (the project's TieredPGO=false reaches this process and in-process jobs; a job's own
        // process needs the variable): with it, a hot precompiled kernel first runs an instrumented build with counters
        // in its loops.
        IConfig config = DefaultConfig.Instance.AddJob(Job.Default.WithEnvironmentVariable("DOTNET_TieredPGO", "0").AsMutator());
        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args, config);
        return 0;
    }

    /// <summary>Prints a command's usage, instead of running a measurement, when its arguments ask for help.</summary>
    private static bool PrintedHelp(string[] args, string usage)
    {
        if (!args.Skip(1).Any(a => a is "-h" or "--help" or "-?"))
        {
            return false;
        }

        Console.WriteLine(usage);
        return true;
    }
}
