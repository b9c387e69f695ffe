using System.Text.Json;
using GanCore.Adversarial;
using GanCore.Samples;

namespace QuadraticGan;

/// <summary>
/// One-time costs paid on the idle core while the main thread starts up and trains. A 2-core machine has a second core
/// with nothing to do during a run; this uses it for:
/// <list type="number">
/// <item>the training step's kernels: a throw-away GAN of the original configuration takes two steps, so the JIT compiles
/// every kernel the step needs (about 140 methods, 80–100 ms of CPU) while the main thread is still parsing the command line
/// and building its networks. Compiled code is shared by all threads; a method the main thread reaches while it is being
/// compiled here is waited for, never compiled twice. Another configuration shares most of these kernels.</item>
/// <item>ScottPlot's first-figure start-up (<see cref="Plots.WarmUp"/>: typefaces, text shaping, the PNG encoder);</item>
/// <item>System.Text.Json's reflection start-up for report.json (the options' converters and member accessors).</item>
/// </list>
/// The throw-away GAN has its own networks and random generator, so the run's results do not depend on it.
/// </summary>
internal static class StartupWarmUp
{
    private static readonly Lock Gate = new();
    private static bool s_started;
    private static Task? s_plots;

    /// <summary>Starts the warm-up thread once per process (later calls do nothing); <paramref name="plots"/>: also ScottPlot's.</summary>
    public static void Start(bool plots = true)
    {
        lock (Gate)
        {
            if (s_started)
            {
                return;
            }

            s_started = true;
            TaskCompletionSource? plotsDone = plots ? new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously) : null;
            s_plots = plotsDone?.Task;
            var thread = new Thread(() => Run(plotsDone)) { IsBackground = true, Name = "QuadraticGan warm-up" };
            thread.Start();
        }
    }

    /// <summary>Completes when ScottPlot's start-up has been paid; starts it now if the warm-up thread does not do it.</summary>
    public static Task PlotsReady
    {
        get
        {
            Start();
            lock (Gate)
            {
                return s_plots ??= Task.Run(Plots.WarmUp, CancellationToken.None);
            }
        }
    }

    private static void Run(TaskCompletionSource? plots)
    {
        try
        {
            Gan gan = Experiment.Build(TrainSettings.OriginalPreset);
            gan.Step();
            gan.Step();
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or GanDivergenceException)
        {
            // Only a warm-up: the real run reports its own errors.
        }

        if (plots is not null)
        {
            try
            {
                Plots.WarmUp();
                plots.SetResult();
            }
            catch (Exception e)
            {
                plots.SetException(e);
            }
        }

        try
        {
            _ = JsonSerializer.SerializeToNode(new { name = "warm-up", count = 1, steps = 1L, share = 0.5, rate = 1e-4f, flag = true, missing = (string?)null, inner = new { value = double.NaN } }, SampleConsole.ReportJson);
        }
        catch (Exception e) when (e is NotSupportedException or InvalidOperationException or JsonException)
        {
            // Only a warm-up: report.json is written, and its errors reported, by the run itself.
        }
    }
}
