using GanCore.Adversarial;
using GanCore.Kernels;
using GanCore.Layers;
using GanCore.Losses;
using GanCore.Models;
using GanCore.Optimizers;
using GanCore.Randomness;
using GanCore.Tensors;
using GanCore.Tests.Adversarial;
using GanCore.Tests.Kernels;
using GanCore.Tests.Testing;
using Xunit.Abstractions;

namespace GanCore.Tests.Hardening;

/// <summary>Independent GAN instances share no hidden state: training two at once on two threads equals training them one after the other.</summary>
public sealed class ConcurrencyTests
{
    private static (float[] G, float[] D, long Steps) Train(ulong seed, int steps)
    {
        Gan gan = GanTestKit.SeedGan(seed, new GanOptions { BatchSize = 32 }, hidden: 48);
        gan.Train(steps);
        return (GanTestKit.AllValues(gan.Generator), GanTestKit.AllValues(gan.Discriminator), gan.StepCount);
    }

    [Fact]
    public void Two_GANs_on_two_threads_equal_the_same_two_run_one_after_the_other()
    {
        const int Steps = 300;
        var sequential = new[] { Train(11, Steps), Train(12, Steps) };

        var results = new (float[] G, float[] D, long Steps)[2];
        using var start = new Barrier(2);
        Thread[] threads = [.. Enumerable.Range(0, 2).Select(i => new Thread(() =>
        {
            start.SignalAndWait();
            results[i] = Train(11 + (ulong)i, Steps);
        }))];
        foreach (Thread t in threads)
        {
            t.Start();
        }

        foreach (Thread t in threads)
        {
            t.Join();
        }

        for (int i = 0; i < 2; i++)
        {
            results[i].Steps.Should().Be(Steps);
            results[i].G.AsSpan().SequenceEqual(sequential[i].G).Should().BeTrue($"GAN {i}'s generator must be bitwise identical");
            results[i].D.AsSpan().SequenceEqual(sequential[i].D).Should().BeTrue($"GAN {i}'s discriminator must be bitwise identical");
        }

        sequential[0].G.AsSpan().SequenceEqual(sequential[1].G).Should().BeFalse("different seeds must give different runs, or the test proves nothing");
    }
}

/// <summary><see cref="Gemm.MaxDegreeOfParallelism"/> is process-wide, so this runs alone (and restores it).</summary>
[Collection(GemmGlobalStateGroup.Name)]
public sealed class ThreadCountDeterminismTests
{
    /// <summary>Runs <paramref name="run"/> with <see cref="Gemm.MaxDegreeOfParallelism"/> = <paramref name="threads"/>,
    /// <see cref="Gemm.AdaptiveParallelism"/> = <paramref name="adaptive"/> and the parallel threshold forced to 64³, so
    /// that the products from that size up split on any host with two or more CPUs, whatever its L1d (the engine never
    /// takes more workers than Environment.ProcessorCount, so a one-CPU host compares one thread with itself); then
    /// restores both settings.</summary>
    private static T WithThreads<T>(int threads, bool adaptive, Func<T> run)
    {
        int saved = Gemm.MaxDegreeOfParallelism;
        bool savedAdaptive = Gemm.AdaptiveParallelism;
        using GemmEngine.BlockingScope scope = GemmEngine.ForceBlocking(GemmEngine.BlockingFor(KernelDispatch.Width) with { ParallelThreshold = 64L * 64 * 64 });
        try
        {
            Gemm.MaxDegreeOfParallelism = threads;
            Gemm.AdaptiveParallelism = adaptive;
            return run();
        }
        finally
        {
            Gemm.MaxDegreeOfParallelism = saved;
            Gemm.AdaptiveParallelism = savedAdaptive;
        }
    }

    /// <summary>16 → 256 → 256 → 4 with ReLU: at batch 200 its 200×256×256 products split at two threads.</summary>
    private static Sequential WideModel(RandomSource random) =>
        new(new Dense(16, 256, random), new ReLU(), new Dense(256, 256, random), new ReLU(), new Dense(256, 4, random));

    [Fact]
    public void Training_with_one_or_more_Gemm_threads_is_bitwise_identical()
    {
        // Hidden 2048 and batch 512: G's output layer (512×15×2048) and D's input layer split across threads; every step
        // at the count given (not adaptive), so each multi-thread run splits every product from 64³ up.
        static (float[] G, float[] D) Run(int threads) => WithThreads(threads, adaptive: false, () =>
        {
            Gan gan = GanTestKit.SeedGan(5, new GanOptions { BatchSize = 512 }, hidden: 2048);
            gan.Train(3);
            return (GanTestKit.AllValues(gan.Generator), GanTestKit.AllValues(gan.Discriminator));
        });

        (float[] g1, float[] d1) = Run(1);
        foreach (int threads in ThreadCounts.Split)
        {
            (float[] g2, float[] d2) = Run(threads);
            g1.AsSpan().SequenceEqual(g2).Should().BeTrue("G on {0} threads", threads);
            d1.AsSpan().SequenceEqual(d2).Should().BeTrue("D on {0} threads", threads);
        }
    }

    /// <summary>The cap the adaptive tests give their tuners: every CPU of the process (so CI's leg-8-cpus trials 1, 2, 4
    /// and 8 threads), and at least two.</summary>
    private static int TunedCap => Math.Max(2, Environment.ProcessorCount);

    [Fact]
    public void Training_that_chooses_its_thread_count_by_timing_is_bitwise_that_of_one_thread()
    {
        // 40 steps: trials of one thread and more (retried while the JIT compiles), then the count chosen. Hidden 256 at
        // batch 512: G's and D's wide products split at two threads.
        static (float[] G, float[] D, long Splits) Run(int threads, bool adaptive) => WithThreads(threads, adaptive, () =>
        {
            Gan gan = GanTestKit.SeedGan(9, new GanOptions { BatchSize = 512 }, hidden: 256);
            long before = GemmWorkers.Products;
            gan.Train(40);
            return (GanTestKit.AllValues(gan.Generator), GanTestKit.AllValues(gan.Discriminator), GemmWorkers.Products - before);
        });

        (float[] g1, float[] d1, long none) = Run(1, adaptive: false);
        (float[] g2, float[] d2, long splits) = Run(TunedCap, adaptive: true);
        none.Should().Be(0);
        if (Environment.ProcessorCount > 1)
        {
            splits.Should().BeGreaterThan(0, "the trial's multi-thread steps split their wide products");
        }

        g1.AsSpan().SequenceEqual(g2).Should().BeTrue();
        d1.AsSpan().SequenceEqual(d2).Should().BeTrue();
    }

    [Fact]
    public void Fit_that_chooses_its_thread_count_by_timing_is_bitwise_that_of_one_thread()
    {
        // 1,050 rows in batches of 200: five full batches a trial may time and a short sixth it must not, for 5 epochs
        // (25 timed steps, a trial of one and two threads and more); 200×256×256 splits at two threads.
        static (float[] Weights, long Splits) Run(int threads, bool adaptive) => WithThreads(threads, adaptive, () =>
        {
            var random = new RandomSource(77);
            Sequential model = WideModel(random);
            var x = new Matrix(1_050, 16);
            var y = new Matrix(1_050, 4);
            random.FillGaussian(x.Span);
            random.FillGaussian(y.Span);
            long before = GemmWorkers.Products;
            model.Fit(x, y, new MeanSquaredError(), new Adam(model.Parameters, learningRate: 1e-3f), new FitOptions { Epochs = 5, BatchSize = 200, Random = random });
            Gemm.StepThreads.Should().Be(0, "Fit lifts its steps' thread count when it returns");
            return (GanTestKit.AllValues(model), GemmWorkers.Products - before);
        });

        (float[] one, long none) = Run(1, adaptive: false);
        (float[] tuned, long splits) = Run(TunedCap, adaptive: true);
        none.Should().Be(0);
        if (Environment.ProcessorCount > 1)
        {
            splits.Should().BeGreaterThan(0, "the trial's multi-thread steps split the 200×256×256 products");
        }

        one.AsSpan().SequenceEqual(tuned).Should().BeTrue();
    }

    [Fact]
    public void A_custom_loop_bracketed_by_a_public_tuner_is_bitwise_that_of_one_thread()
    {
        // 30 steps of forward, loss, backward and Adam at batch 200, each between Begin and End: a trial of one and two
        // threads (retried while the JIT compiles) and more; 200×256×256 splits at two threads.
        static (float[] Weights, long Splits, int Chosen) Run(int threads, bool adaptive) => WithThreads(threads, adaptive, () =>
        {
            var random = new RandomSource(78);
            Sequential model = WideModel(random);
            var x = new Matrix(200, 16);
            var y = new Matrix(200, 4);
            var gradient = new Matrix(200, 4);
            var loss = new MeanSquaredError();
            var adam = new Adam(model.Parameters, learningRate: 1e-3f);
            var tuner = new StepThreadTuner();
            long before = GemmWorkers.Products;
            for (int step = 0; step < 30; step++)
            {
                random.FillGaussian(x.Span);
                random.FillGaussian(y.Span);
                tuner.Begin();
                try
                {
                    model.ZeroGradients();
                    loss.Compute(model.Forward(x), y, gradient);
                    model.BackwardParameters(gradient);
                    adam.Step();
                }
                finally
                {
                    tuner.End();
                }
            }

            Gemm.StepThreads.Should().Be(0);
            return (GanTestKit.AllValues(model), GemmWorkers.Products - before, tuner.ChosenThreads);
        });

        (float[] one, long none, int chosenAlone) = Run(1, adaptive: false);
        (float[] tuned, long splits, int chosen) = Run(TunedCap, adaptive: true);
        none.Should().Be(0);
        chosenAlone.Should().Be(1, "with the setting off nothing is chosen");
        if (Environment.ProcessorCount > 1)
        {
            splits.Should().BeGreaterThan(0, "the trial's multi-thread steps split the 200×256×256 products");
            chosen.Should().BeInRange(1, TunedCap);
        }

        one.AsSpan().SequenceEqual(tuned).Should().BeTrue();
    }

    [Fact]
    public void A_Gan_step_inside_a_custom_bracket_runs_at_the_brackets_count_and_keeps_its_bits()
    {
        // The caller's tuner times whole Gan.Steps (with its own work around them); the Gan's own tuner stays out of it.
        static (float[] G, float[] D, long Splits, int GanCounts) Run(int threads, bool adaptive) => WithThreads(threads, adaptive, () =>
        {
            Gan gan = GanTestKit.SeedGan(10, new GanOptions { BatchSize = 512 }, hidden: 256);
            var tuner = new StepThreadTuner();
            long before = GemmWorkers.Products;
            for (int step = 0; step < 30; step++)
            {
                int count = tuner.Begin();
                try
                {
                    gan.Step();
                    Gemm.StepThreads.Should().Be(adaptive && Environment.ProcessorCount > 1 ? count : 0, "the Gan's step ended inside the bracket and left its count");
                }
                finally
                {
                    tuner.End();
                }
            }

            return (GanTestKit.AllValues(gan.Generator), GanTestKit.AllValues(gan.Discriminator), GemmWorkers.Products - before, gan.ThreadTuner.Counts.Count);
        });

        (float[] g1, float[] d1, _, _) = Run(1, adaptive: false);
        (float[] g2, float[] d2, long splits, int ganCounts) = Run(TunedCap, adaptive: true);
        if (Environment.ProcessorCount > 1)
        {
            splits.Should().BeGreaterThan(0);
            ganCounts.Should().Be(0, "the Gan's own tuner never ran a trial inside the caller's bracket");
        }

        g1.AsSpan().SequenceEqual(g2).Should().BeTrue();
        d1.AsSpan().SequenceEqual(d2).Should().BeTrue();
    }

    [Fact]
    public void Fit_keeps_its_tuner_across_calls_at_one_batch_size()
    {
        var random = new RandomSource(79);
        var model = new Sequential(new Dense(4, 8, random), new ReLU(), new Dense(8, 1, random));
        var x = new Matrix(64, 4);
        var y = new Matrix(64, 1);
        random.FillGaussian(x.Span);
        var adam = new Adam(model.Parameters, learningRate: 1e-3f);
        void Fit(int batch) => model.Fit(x, y, new MeanSquaredError(), adam, new FitOptions { Epochs = 1, BatchSize = batch, Random = random });

        Fit(16);
        StepThreadTuner? first = model.FitThreadTuner;
        first.Should().NotBeNull();
        Fit(16);
        model.FitThreadTuner.Should().BeSameAs(first, "a second call at the same batch size continues the first call's trials");
        Fit(32);
        model.FitThreadTuner.Should().NotBeSameAs(first, "another batch size times other steps");
    }
}

/// <summary>
/// One GAN training step at every vector width the hardware offers agrees with the scalar path.
/// </summary>
/// <remarks>
/// Tolerance: the widths sum the same products in a different order and with or without FMA, so gradients differ by
/// a few float32 rounding errors per term: for sums of at most 128 products that is ≲ 128·2⁻²⁴ ≈ 8e-6 relative to
/// the sum of |terms|. We allow 1e-4 of the largest |gradient| of each parameter. Adam's first step moves every
/// weight by lr·g/(|g| + ε) ≈ ±lr, so weights agree to within 1e-6·|w| + 2e-7 except where a gradient is so close
/// to 0 that rounding flips its sign; there the bound is 2·lr. We check the gradients closely and the weights with 2·lr.
/// </remarks>
public sealed class WidthAgreementTests(ITestOutputHelper output)
{
    private const float LearningRate = 1e-4f;

    private static (float[][] Gradients, float[] Weights, double Loss) OneStep(VectorWidth width)
    {
        using KernelDispatch.WidthScope scope = KernelDispatch.Cap(width);
        Gan gan = GanTestKit.SeedGan(21, new GanOptions { BatchSize = 64 }, learningRate: LearningRate);
        GanStepMetrics metrics = gan.Step();
        IEnumerable<Parameter> parameters = gan.Generator.Parameters.Concat(gan.Discriminator.Parameters);
        return (
            parameters.Select(p => p.Gradient.Span.ToArray()).ToArray(),
            GanTestKit.AllValues(gan.Generator).Concat(GanTestKit.AllValues(gan.Discriminator)).ToArray(),
            metrics.DiscriminatorLoss);
    }

    [Fact]
    public void One_training_step_at_every_width_agrees_with_the_scalar_path()
    {
        (float[][] scalarGradients, float[] scalarWeights, double scalarLoss) = OneStep(VectorWidth.Scalar);
        VectorWidth[] widths = [.. Enum.GetValues<VectorWidth>().Where(w => w != VectorWidth.Scalar && w <= KernelDispatch.HardwareWidth)];
        output.WriteLine($"hardware width {KernelDispatch.HardwareWidth}; comparing {string.Join(", ", widths)} against scalar");
        foreach (VectorWidth width in widths)
        {
            (float[][] gradients, float[] weights, double loss) = OneStep(width);
            double worstGradient = 0;
            for (int p = 0; p < gradients.Length; p++)
            {
                float scale = scalarGradients[p].Max(Math.Abs);
                for (int i = 0; i < gradients[p].Length; i++)
                {
                    double relative = Math.Abs(gradients[p][i] - scalarGradients[p][i]) / Math.Max(scale, 1e-30f);
                    worstGradient = Math.Max(worstGradient, relative);
                }
            }

            double worstWeight = weights.Zip(scalarWeights, (a, b) => (double)Math.Abs(a - b)).Max();
            output.WriteLine($"{width}: worst gradient error {worstGradient:E2} of the parameter's largest |gradient|; worst weight difference {worstWeight:E2}; D loss {loss} vs {scalarLoss}");
            worstGradient.Should().BeLessThan(1e-4, $"gradients at {width}");
            worstWeight.Should().BeLessThanOrEqualTo(2 * LearningRate * 1.001, $"weights at {width}");
            Math.Abs(loss - scalarLoss).Should().BeLessThan(1e-5 * Math.Abs(scalarLoss), $"D loss at {width}");
        }
    }
}

/// <summary>The 1,000,000-step run of the seed GAN: opt-in with GANCORE_LONG_RUN=1 (about a minute); reported as skipped otherwise.</summary>
public sealed class LongRunTests(ITestOutputHelper output)
{
    [OptInFact("GANCORE_LONG_RUN")]
    public void Long_run_opt_in_GANCORE_LONG_RUN_1_million_steps_keep_the_heap_flat_and_weights_finite()
    {
        const int Steps = 1_000_000;
        const int Every = 100_000;
        Gan gan = GanTestKit.SeedGan(1);
        gan.Train(1_000); // warm up: buffers sized, JIT done
        long baseline = GC.GetTotalMemory(forceFullCollection: true);
        long allocatedBefore = GC.GetAllocatedBytesForCurrentThread();
        var watch = System.Diagnostics.Stopwatch.StartNew();
        long worst = 0;
        output.WriteLine($"baseline heap {baseline:N0} bytes");
        for (int done = 0; done < Steps; done += Every)
        {
            gan.Train(Every);
            long heap = GC.GetTotalMemory(forceFullCollection: true);
            GCMemoryInfo info = GC.GetGCMemoryInfo();
            worst = Math.Max(worst, heap - baseline);
            output.WriteLine($"step {gan.StepCount,9:N0}: heap {heap,12:N0} bytes (Δ {heap - baseline,8:N0}), GC heap size {info.HeapSizeBytes,12:N0}, {watch.Elapsed.TotalSeconds,6:F1} s");
        }

        long allocated = GC.GetAllocatedBytesForCurrentThread() - allocatedBefore;
        output.WriteLine($"{Steps:N0} steps in {watch.Elapsed.TotalSeconds:F1} s ({watch.Elapsed.TotalMicroseconds / Steps:F1} µs/step); allocated on this thread {allocated:N0} bytes; worst heap growth {worst:N0} bytes");
        worst.Should().BeLessThan(1 << 20, "a steady-state step allocates nothing, so the heap must not grow");
        GanTestKit.AllValues(gan.Generator).Concat(GanTestKit.AllValues(gan.Discriminator)).Should().OnlyContain(v => float.IsFinite(v));
    }
}
