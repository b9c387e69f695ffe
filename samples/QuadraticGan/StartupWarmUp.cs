using GanCore.Adversarial;
using GanCore.Kernels;
using GanCore.Layers;
using GanCore.Models;
using GanCore.Optimizers;
using GanCore.Randomness;
using GanCore.Tensors;
using Spectre.Console;

namespace QuadraticGan;

/// <summary>
/// One-time costs paid on the idle core while the main thread starts up and trains. A 2-core machine has a second core
/// with nothing to do during a run; this uses it for:
/// <list type="number">
/// <item>the training step's kernels (about 140 methods, 100–300 ms of JIT on an Intel Xeon): first the backward pass's
/// products and the Adam update, on throw-away matrices of the original configuration's shapes, then two steps of a
/// throw-away GAN. The main thread, meanwhile parsing the command line, building its networks and starting step 1,
/// compiles the forward kernels, so the two threads compile different methods at once. (In step order, as before, the
/// two threads only took turns: step 1 took as long as without any warm-up. Compiled code is shared by all threads;
/// a method one thread reaches while the other is compiling it is waited for, never compiled twice.) Another
/// configuration shares most of these kernels. Under <c>--optimizer sgd</c> or <c>rmsprop</c> the optimizer's kernel,
/// and under <c>--clip-norm</c> the clipping's norm and scaling, are not among them and compile on the main thread, so
/// such a run's first step is not comparable with the default's.</item>
/// <item>ScottPlot's first-figure start-up (<see cref="Plots.WarmUp"/>: typefaces, text shaping, the PNG encoder);</item>
/// <item>Spectre.Console's first table (the final summary; about 45 ms on the main thread at the end of a run, AMD Zen 5),
/// rendered off-screen, unless the run is quiet.</item>
/// </list>
/// The throw-away GAN has its own networks and random generator, so the run's results do not depend on it.
/// </summary>
internal static class StartupWarmUp
{
    private static readonly Lock Gate = new();
    private static bool s_started;
    private static Task? s_plots;

    /// <summary>
    /// Starts the warm-up thread once per process (later calls do nothing); <paramref name="plots"/>: also ScottPlot's;
    /// <paramref name="table"/>: also Spectre.Console's.
    /// </summary>
    public static void Start(bool plots = true, bool table = true)
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
            var thread = new Thread(() => Run(plotsDone, table)) { IsBackground = true, Name = "QuadraticGan warm-up" };
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

    /// <summary>
    /// The products of a step's backward pass and the optimizer update, called in the reverse of the order a step first
    /// needs them, on throw-away matrices of the step's shapes (G: z → hidden → 15; D: 15 → hidden → 1; the batch).
    /// </summary>
    private static void WarmUpBackwardFirst(TrainSettings s)
    {
        int batch = s.Batch;
        int hidden = s.Hidden;
        int points = QuadraticFamily.PointCount;
        var d = new Sequential(new Dense(points, hidden, new RandomSource(1)), new ReLU(), new Dense(hidden, 1, new RandomSource(2)));
        new Adam(d.Parameters).Step();
        var z = new Matrix(batch, s.NoiseDimension);
        var h = new Matrix(batch, hidden);
        var x = new Matrix(batch, points);
        var logit = new Matrix(batch, 1);
        Gemm.MultiplyTransposedA(z, h, new Matrix(s.NoiseDimension, hidden), accumulate: true); // G: dW1 += zᵀ·dH
        Gemm.MultiplyTransposedA(h, x, new Matrix(hidden, points), accumulate: true);          // G: dW2 += Hᵀ·dY
        Gemm.MultiplyTransposedB(h, new Matrix(points, hidden), x);                            // D: dX = dH·W1ᵀ
        Gemm.MultiplyTransposedA(x, h, new Matrix(points, hidden), accumulate: true);          // D: dW1 += Xᵀ·dH
        Gemm.MultiplyTransposedA(h, logit, new Matrix(hidden, 1), accumulate: true);           // D: dW2 += Hᵀ·dlogit
        d.Forward(x);
        d.Backward(logit);
    }

    private static void Run(TaskCompletionSource? plots, bool table)
    {
        try
        {
            // The main thread meets the kernels in step order (forward, backward, update) and compiles each one it reaches
            // first itself; a warm-up in the same order only leapfrogged with it (step 1 took as long as with no warm-up).
            // So the backward and update kernels come first here, and the two threads compile different kernels at once.
            WarmUpBackwardFirst(TrainSettings.OriginalPreset);
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

        if (table)
        {
            try
            {
                var offScreen = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(TextWriter.Null) });
                offScreen.Write(Cli.SummaryTable([("steps", "5000", "5000"), ("D score, −D loss (last 500)", "−1.3746", "−log 4 = −1.3863")]));
            }
            catch (Exception e) when (e is InvalidOperationException or ArgumentException or IOException)
            {
                // Only a warm-up: the run prints its own summary.
            }
        }
    }
}
