using System.Diagnostics;
using System.Globalization;
using GanCore.Adversarial;
using GanCore.Kernels;
using GanCore.Layers;
using GanCore.Models;
using GanCore.Optimizers;
using GanCore.Randomness;
using GanCore.Tensors;

namespace GanCore.Benchmarks;

/// <summary>
/// <c>step-breakdown [--warm N] [--reps N] [--hidden H] [--batch B] [--threads T] [--fixed-threads] [--box-muller] [--calls] [--checksum]</c>:
/// where the time of one steady-state seed GAN step goes. Builds the seed GAN of <see cref="GanStepBenchmarks"/> (or
/// the same nets <c>--hidden</c> wide at batch <c>--batch</c>, on <c>--threads</c> threads), trains it <c>--warm</c> steps (default 3,000), then runs the simultaneous step's
/// phases one by one through the same calls <c>Gan.SimultaneousStep</c> makes for the seed (minimax, no R1: one
/// backward pass through D on the fake batch, each forward pass's last backward pass over its hidden activations), timing each with a Stopwatch, <c>--reps</c>
/// times (default 4,000), interleaved with a whole <see cref="Gan.Step"/> and the arithmetic floor so every figure is
/// taken at the same moment of a shared host. Prints the median of each in µs, and the step / floor ratio.
/// </summary>
internal static class StepBreakdownRunner
{
    /// <summary>The command line, printed by <c>step-breakdown --help</c>.</summary>
    public const string Usage = "step-breakdown [--warm N] [--reps N] [--hidden H] [--batch B] [--threads T] [--fixed-threads] [--box-muller] [--calls] [--checksum]: the phases of one steady-state seed GAN step (or the same nets H wide at batch B, on T threads) next to a whole step and the arithmetic floor (median µs). With T > 1 the steps choose their own thread count up to T by timing (Gemm.AdaptiveParallelism), and the phases run on the count they last chose; --fixed-threads runs both on T.";

    public static void Run(string[] args)
    {
        for (int i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--warm" or "--reps" or "--hidden" or "--batch" or "--threads" when i + 1 < args.Length:
                    i++;
                    break;
                case "--box-muller" or "--calls" or "--checksum" or "--fixed-threads":
                    break;
                default:
                    throw new ArgumentException($"Unknown option or missing value at '{args[i]}'. {Usage}", nameof(args));
            }
        }

        int warm = IntOption(args, "--warm", 3_000);
        int reps = IntOption(args, "--reps", 4_000);
        int hidden = IntOption(args, "--hidden", 128);
        int batchSize = IntOption(args, "--batch", 64);
        int threads = IntOption(args, "--threads", 1);
        if (warm < 0 || reps < 1 || hidden < 1 || batchSize < 1 || threads < 1)
        {
            throw new ArgumentException($"--warm must be ≥ 0 and --reps, --hidden, --batch and --threads ≥ 1 (got {warm}, {reps}, {hidden}, {batchSize}, {threads}). {Usage}", nameof(args));
        }

        bool seed = hidden == 128 && batchSize == 64;
        if (Array.IndexOf(args, "--calls") >= 0 && !seed)
        {
            throw new ArgumentException($"--calls times the seed GAN's kernel calls only: drop --hidden and --batch (got {hidden} and {batchSize}).", nameof(args));
        }

        GaussianSampling sampling = Array.IndexOf(args, "--box-muller") >= 0 ? GaussianSampling.BoxMuller : GaussianSampling.Polar;
        Gan gan = GanStepBenchmarks.BuildSeedGan(sampling, hidden, batchSize);
        Gemm.MaxDegreeOfParallelism = threads; // after the build, which sets one thread
        Gemm.AdaptiveParallelism = Array.IndexOf(args, "--fixed-threads") < 0;
        bool adaptive = Gemm.AdaptiveParallelism && threads > 1;
        long flops = StepArithmeticFloor.FlopsFor(hidden, batchSize);
        gan.Train(warm);

        // The last row times FillGaussianVectorized, which the polar step never calls: run it for 1.5 s first. Without
        // this its first thousands of repetitions run tier-0 and PGO-instrumented code (each tier-up waits out the
        // call-counting delay, and the vector SinCos it calls tiers up only after it), and the median of 3,000 read
        // 7–13 µs instead of the 1.3–1.7 µs of optimized code; half a second of warm-up still read 5–7 µs.
        var warmRandom = new RandomSource(2);
        var warmNoise = new float[gan.Options.BatchSize * gan.Noise.Dimension];
        for (long start = Stopwatch.GetTimestamp(); Stopwatch.GetElapsedTime(start).TotalMilliseconds < 1500;)
        {
            warmRandom.FillGaussianVectorized(warmNoise);
        }
        if (Array.IndexOf(args, "--checksum") >= 0)
        {
            // A fingerprint of every parameter after --warm steps, to compare two builds bit for bit.
            ulong hash = 14695981039346656037UL;
            foreach (Parameter p in gan.Generator.Parameters.Concat(gan.Discriminator.Parameters))
            {
                foreach (float v in p.Value.Span)
                {
                    hash = (hash ^ BitConverter.SingleToUInt32Bits(v)) * 1099511628211UL;
                }
            }

            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"parameters after {warm} steps: {hash:X16}"));
            return;
        }

        // Then (after the checksum, taken after exactly --warm steps) on until the JIT has been idle for half a second, at
        // most 5 s: the runtime promotes nothing to tier 1 until 100 ms have passed without a method called for the first
        // time, and then recompiles the step's ~230 methods on a background thread. A fixed number of steps could end
        // before that; the phases below then timed precompiled and tier-0 code in some processes and tier-1 code in
        // others (Gan.Step 26 or 21 µs on Zen 5, benchmarks/RESULTS.md, twenty-first session).
        double settled = GemmRatioRunner.Settle(() => gan.Step(), null, 500);

        Sequential g = gan.Generator;
        Sequential d = gan.Discriminator;
        int batch = gan.Options.BatchSize;
        var noise = new Matrix(batch, gan.Noise.Dimension);
        var real = new Matrix(batch, gan.RealData.Dimension);
        var gradientReal = new Matrix(batch, 1);
        var gradientFake = new Matrix(batch, 1);
        var gradientGenerator = new Matrix(batch, 1);
        AdversarialObjective objective = gan.Objective;

        string[] names =
        [
            $"noise (GaussianNoise.Fill {batch}×5)", $"real batch (sampler {batch}×15)", "zero gradients (G, D)", "G forward", "D forward, real",
            "objective, real term", "D backward, parameters (real)", "D forward, fake", "objective, fake terms",
            "D backward, parameters and input (fake)", "G's gradient = −(D's input gradient)", "G backward, parameters",
            "Adam, D", "Adam, G", "finiteness checks (D, G)", "(not in the step) the same noise by FillGaussianVectorized",
        ];
        var phases = new long[names.Length][];
        for (int p = 0; p < phases.Length; p++)
        {
            phases[p] = new long[reps];
        }

        var steps = new long[reps];
        var floors = new long[reps];
        var sums = new long[reps];
        float sink = 0;
        for (int r = 0; r < reps; r++)
        {
            long t0 = Stopwatch.GetTimestamp();
            gan.Step();
            long t1 = Stopwatch.GetTimestamp();
            sink += StepArithmeticFloor.Run(flops);
            long t2 = Stopwatch.GetTimestamp();
            steps[r] = t1 - t0;
            floors[r] = t2 - t1;

            // The phases run on the thread count the step's tuner last chose, as they would inside a step: at a fixed
            // count they would leave the data on the other core (or not) for the next step, which a tuned step on one
            // thread then read at up to 1.9× its time in a host state where the hand-off is costly.
            Gemm.StepThreads = adaptive ? gan.ThreadTuner.ChosenThreads : 0;
            int p = 0;
            long last = Stopwatch.GetTimestamp();
            void Lap()
            {
                long now = Stopwatch.GetTimestamp();
                phases[p++][r] = now - last;
                last = now;
            }

            gan.Noise.Fill(noise, gan.Random);
            Lap();
            gan.RealData.Fill(real, gan.Random);
            Lap();
            g.ZeroGradients();
            d.ZeroGradients();
            Lap();
            Matrix fake = g.Forward(noise);
            Lap();
            Matrix realLogits = d.Forward(real);
            Lap();
            objective.DiscriminatorRealTerm(realLogits.Span[..batch], gan.Options.RealLabel, gradientReal.Span, out _);
            Lap();
            // The sequence Gan.Step runs for the seed (minimax, simultaneous, no R1): each forward pass's last backward
            // pass may overwrite its hidden activations, and one pass through D on the fake batch gives D's gradient and,
            // negated, G's gradient through D (docs/architecture.md, "The layer contract").
            d.BackwardLast(gradientReal, ParameterGradients.Accumulate, needInputGradient: false);
            Lap();
            Matrix fakeLogits = d.Forward(fake);
            Lap();
            objective.FakeTerms(fakeLogits.Span[..batch], gradientFake.Span, gradientGenerator.Span, out _, out _, out _);
            Lap();
            Matrix gradientFakeInput = d.BackwardLast(gradientFake, ParameterGradients.Accumulate, needInputGradient: true)!;
            Lap();
            Elementwise.Scale(-1f, gradientFakeInput.Span);
            Lap();
            g.BackwardLast(gradientFakeInput, ParameterGradients.Accumulate, needInputGradient: false);
            Lap();
            gan.DiscriminatorOptimizer.Step();
            Lap();
            gan.GeneratorOptimizer.Step();
            Lap();
            sink += Check(d, gan.DiscriminatorOptimizer) + Check(g, gan.GeneratorOptimizer);
            Lap();
            sums[r] = last - t2;
            gan.Random.FillGaussianVectorized(noise.Span);
            Lap();
            Gemm.StepThreads = 0;
        }

        GC.KeepAlive(sink);
        double Median(long[] ticks)
        {
            long[] sorted = (long[])ticks.Clone();
            Array.Sort(sorted);
            return sorted[sorted.Length / 2] * 1e6 / Stopwatch.Frequency;
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"CPU: {HostDescription.CpuModel()}; {Environment.ProcessorCount} logical cores; {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC; load {HostDescription.LoadAverage(oneMinute: true)}; width {KernelDispatch.Width}"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{(seed ? "seed GAN" : $"the seed GAN's nets {hidden} wide at batch {batchSize}")} ({sampling} noise) on {threads} thread(s) after {warm:N0} steps and {settled:N0} ms more until the JIT was idle for 500 ms{(settled >= 5000 ? " (cut off at 5 s: it never was)" : string.Empty)}, {reps:N0} repetitions, medians"));
        Console.WriteLine();
        Console.WriteLine("| phase | µs |");
        Console.WriteLine("|---|---:|");
        for (int p = 0; p < names.Length; p++)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {names[p]} | {Median(phases[p]):F2} |"));
        }

        double step = Median(steps);
        double floor = Median(floors);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| sum of the phases (median of sums) | {Median(sums):F2} |"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| **Gan.Step** | **{step:F2}** |"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| arithmetic floor ({flops:N0} flops as register FMAs, one thread) | {floor:F2} |"));
        Console.WriteLine();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"step / floor = {step / floor:F2}"));
        if (threads > 1)
        {
            Console.WriteLine(ThreadChoice(gan));
        }
        if (Array.IndexOf(args, "--calls") >= 0)
        {
            Calls(reps);
        }
    }

    /// <summary>The kernel calls a seed step makes, one by one on operands of their shapes: µs per call (median) and how
    /// many times a step makes it.</summary>
    private static void Calls(int reps)
    {
        var random = new Randomness.RandomSource(7);
        Matrix M(int rows, int columns)
        {
            var x = new Matrix(rows, columns);
            random.FillGaussian(x.Span);
            return x;
        }

        Matrix z = M(64, 5), h = M(64, 128), x = M(64, 15), y1 = M(64, 1), w5 = M(5, 128), w128x15 = M(128, 15), w15 = M(15, 128), w128x1 = M(128, 1);
        float[] bias128 = new float[128], bias15 = new float[15], bias1 = new float[1];
        Matrix out128 = M(64, 128), out15 = M(64, 15), out1 = M(64, 1), dw128x1 = M(128, 1), dw15 = M(15, 128), dw128x15 = M(128, 15), dw5 = M(5, 128), dx = M(64, 128);
        Matrix hd = M(64, 128), hg = M(64, 128); // hidden activations a step overwrites with their gradient (BackwardLast)
        float[] db128 = new float[128], db15 = new float[15], db1 = new float[1];
        (string Name, int PerStep, Action Call)[] calls =
        [
            ("A·B+b, ReLU 64×5×128 (G layer 1)", 1, () => Gemm.MultiplyBiasActivation(z, w5, bias128, out128, Activation.ReLU)),
            ("A·B+b 64×128×15 (G layer 2)", 1, () => Gemm.MultiplyBiasActivation(h, w128x15, bias15, out15, Activation.Identity)),
            ("A·B+b, ReLU 64×15×128 (D layer 1)", 2, () => Gemm.MultiplyBiasActivation(x, w15, bias128, out128, Activation.ReLU)),
            ("A·B+b 64×128×1 (D layer 2)", 2, () => Gemm.MultiplyBiasActivation(h, w128x1, bias1, out1, Activation.Identity)),
            ("Aᵀ·B += 128×64×1 (D dW2)", 2, () => Gemm.MultiplyTransposedA(h, y1, dw128x1, accumulate: true)),
            ("column sums 64×1 (D db2)", 2, () => Elementwise.ColumnSums(y1.Span, 64, 1, 1, db1, accumulate: true)),
            ("A·Bᵀ 64×1×128 (D dH; unfused, 0.1.0)", 0, () => Gemm.MultiplyTransposedB(y1, w128x1, out128)),
            ("ReLU backward 64×128 (unfused, 0.1.0)", 0, () => Elementwise.ActivationBackward(Activation.ReLU, out128.Span, h.Span, dx.Span)),
            ("f'(Y) ⊙ A·Bᵀ 64×1×128 (D dH with ReLU', fused, own output)", 0, () => Gemm.MultiplyTransposedBActivationGradient(y1, w128x1, dx, h, Activation.ReLU, 0f)),
            ("f'(Y) ⊙ A·Bᵀ 64×1×128 (D dH with ReLU', fused, over Y)", 2, () => Gemm.MultiplyTransposedBActivationGradient(y1, w128x1, hd, hd, Activation.ReLU, 0f)),
            ("Aᵀ·B += 15×64×128 (D dW1)", 2, () => Gemm.MultiplyTransposedA(x, dx, dw15, accumulate: true)),
            ("column sums 64×128 (db1)", 3, () => Elementwise.ColumnSums(dx.Span, 64, 128, 128, db128, accumulate: true)),
            ("A·Bᵀ 64×128×15 (D dX)", 1, () => Gemm.MultiplyTransposedB(dx, w15, out15)),
            ("negation 64×15 (G's gradient from D's dX)", 1, () => Elementwise.Scale(-1f, out15.Span)),
            ("Aᵀ·B += 128×64×15 (G dW2)", 1, () => Gemm.MultiplyTransposedA(h, x, dw128x15, accumulate: true)),
            ("column sums 64×15 (G db2)", 1, () => Elementwise.ColumnSums(x.Span, 64, 15, 15, db15, accumulate: true)),
            ("A·Bᵀ 64×15×128 (G dH; unfused, 0.1.0)", 0, () => Gemm.MultiplyTransposedB(x, w128x15, out128)),
            ("f'(Y) ⊙ A·Bᵀ 64×15×128 (G dH with ReLU', fused, own output)", 0, () => Gemm.MultiplyTransposedBActivationGradient(x, w128x15, dx, h, Activation.ReLU, 0f)),
            ("f'(Y) ⊙ A·Bᵀ 64×15×128 (G dH with ReLU', fused, over Y)", 1, () => Gemm.MultiplyTransposedBActivationGradient(x, w128x15, hg, hg, Activation.ReLU, 0f)),
            ("Aᵀ·B += 5×64×128 (G dW1)", 1, () => Gemm.MultiplyTransposedA(z, dx, dw5, accumulate: true)),
        ];
        Console.WriteLine();
        Console.WriteLine("| call | µs (median) | per step | µs per step |");
        Console.WriteLine("|---|---:|---:|---:|");
        double total = 0;
        var ticks = new long[reps];
        foreach ((string name, int perStep, Action call) in calls)
        {
            for (int r = 0; r < 200; r++)
            {
                call();
            }

            for (int r = 0; r < reps; r++)
            {
                long t0 = Stopwatch.GetTimestamp();
                call();
                ticks[r] = Stopwatch.GetTimestamp() - t0;
            }

            Array.Sort(ticks);
            double us = ticks[reps / 2] * 1e6 / Stopwatch.Frequency;
            total += us * perStep;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {name} | {us:F3} | {perStep} | {us * perStep:F2} |"));
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| total | | | {total:F2} |"));
    }

    /// <summary>The same test Gan runs after an update: nothing when the optimizer saw every value it wrote finite, else
    /// one all-finite pass per parameter.</summary>
    private static float Check(Sequential model, Optimizer optimizer)
    {
        float total = 0;
        if (optimizer.ValuesVerifiedFinite)
        {
            return total;
        }

        foreach (Parameter p in model.Parameters)
        {
            ReadOnlySpan<float> values = p.Value.Span;
            total += Elementwise.AllFinite(values) ? 0f : 1f; // as Gan's CheckParameters does
        }

        return total;
    }

    private static int IntOption(string[] args, string name, int fallback)
    {
        int at = Array.IndexOf(args, name);
        if (at < 0 || at + 1 >= args.Length)
        {
            return fallback;
        }

        return int.TryParse(args[at + 1], NumberStyles.Integer, CultureInfo.InvariantCulture, out int value)
            ? value
            : throw new ArgumentException($"{name} '{args[at + 1]}' is not a whole number. {Usage}", nameof(args));
    }

    /// <summary>What the steps ran on: the count their tuner chose and the last trial's fastest step at each count, or
    /// that the count was fixed.</summary>
    private static string ThreadChoice(Gan gan)
    {
        if (!Gemm.AdaptiveParallelism)
        {
            return string.Create(CultureInfo.InvariantCulture, $"Gan.Step ran every product on up to {Gemm.MaxDegreeOfParallelism} threads (--fixed-threads).");
        }

        StepThreadTuner tuner = gan.ThreadTuner;
        ReadOnlySpan<long> fastest = tuner.FastestTicks;
        var trial = new List<string>();
        for (int i = 0; i < tuner.Counts.Count; i++)
        {
            trial.Add(fastest[i] == long.MaxValue ? $"{tuner.Counts[i]}: not timed" : string.Create(CultureInfo.InvariantCulture, $"{tuner.Counts[i]}: {fastest[i] * 1e6 / Stopwatch.Frequency:F1} µs"));
        }

        return string.Create(CultureInfo.InvariantCulture, $"Gan.Step chose {tuner.ChosenThreads} thread(s) by timing its steps (the last trial's fastest step by thread count, {string.Join(", ", trial)}); --fixed-threads runs every step on {Gemm.MaxDegreeOfParallelism}.");
    }
}
