using System.Globalization;
using System.Text.Json;
using GanCore.Kernels;
using QuadraticGan;
using SkiaSharp;

namespace GanCore.Samples.Tests;

/// <summary>
/// The CLI sets the process-wide <see cref="Gemm.MaxDegreeOfParallelism"/> (--threads, default 1), so its tests run
/// alone, not alongside kernel tests that may depend on that setting; the fixture restores it afterwards.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class CliTestGroup : ICollectionFixture<TrainedRunFixture>
{
    public const string Name = "QuadraticGan CLI";
}

/// <summary>One 300-step training run of the sample CLI, shared by the tests that inspect its files.</summary>
public sealed class TrainedRunFixture : IDisposable
{
    private readonly int _threads = Gemm.MaxDegreeOfParallelism;

    public TrainedRunFixture()
    {
        Root = Path.Combine(Path.GetTempPath(), $"gancore-cli-{Guid.NewGuid():N}");
        Output = Path.Combine(Root, "run");
        ExitCode = Cli.Run(["--steps", "300", "--samples", "200", "--quiet", "--out", Output]);
    }

    public string Root { get; }

    public string Output { get; }

    public int ExitCode { get; }

    public void Dispose()
    {
        Gemm.MaxDegreeOfParallelism = _threads;
        Directory.Delete(Root, recursive: true);
    }
}

[Collection(CliTestGroup.Name)]
public sealed class CliTests(TrainedRunFixture run)
{
    private static readonly string[] AllFiles =
        ["curves.csv", "metrics.csv", "report.json", "gan.png", "training.png", "a-histogram.png", "generator.ckpt", "discriminator.ckpt", "gan.ckpt"];

    private string Scratch(string name) => Path.Combine(run.Root, $"{name}-{Guid.NewGuid():N}");

    /// <summary>report.json's <c>settings</c> in <paramref name="folder"/>.</summary>
    private static JsonElement Settings(string folder) =>
        JsonDocument.Parse(File.ReadAllText(Path.Combine(folder, "report.json"))).RootElement.GetProperty("settings").Clone();

    private static string[][] ReadCsv(string path) => File.ReadAllLines(path).Select(l => l.Split(',')).ToArray();

    private static double Number(string s) => double.Parse(s, NumberStyles.Float, CultureInfo.InvariantCulture);

    [Fact]
    public void A_run_of_zero_steps_says_its_step_measures_are_not_available_instead_of_printing_NaN()
    {
        // --steps 0 evaluates the untrained generator: the curve measures are real, the step averages have no steps.
        (int code, string line) = ConsoleCapture.Output(() => Cli.Run(["--steps", "0", "--samples", "20", "--quiet", "--no-plots", "--out", Scratch("zero-steps")]));

        code.Should().Be(Cli.ExitOk);
        line.Should().Contain("done: 0 steps; D accuracy (mean D(x)) n/a (no steps), D score n/a (no steps) (−log 4 = −1.386)")
            .And.Contain("; n/a (no steps) µs/step")
            .And.NotContain("NaN");
    }

    [Fact]
    public void Training_returns_0_and_writes_every_file()
    {
        run.ExitCode.Should().Be(Cli.ExitOk);
        foreach (string file in AllFiles)
        {
            new FileInfo(Path.Combine(run.Output, file)).Length.Should().BePositive(file);
        }
    }

    [Theory]
    [InlineData("gan.png")]
    [InlineData("training.png")]
    [InlineData("a-histogram.png")]
    public void Plots_are_decodable_PNGs_of_the_expected_size_with_text_in_the_title_band(string file)
    {
        string path = Path.Combine(run.Output, file);
        new FileInfo(path).Length.Should().BeGreaterThan(10_000);
        byte[] header = File.ReadAllBytes(path).AsSpan(0, 8).ToArray();
        header.Should().Equal([0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A]);

        using SKBitmap bitmap = SKBitmap.Decode(path);
        bitmap.Should().NotBeNull();
        bitmap.Width.Should().Be(900);
        bitmap.Height.Should().Be(600);

        // The two-line title sits in the top ~50 px, above the data frame (which starts near y = 60). Without fonts
        // ScottPlot draws no text and still writes the file, so that band would hold no dark pixel at all.
        DarkPixels(bitmap, 0, 50).Should().BeGreaterThan(500, "the title must be rendered (fonts present)");

        // The check can fail: a blank band of the same image (the right margin, beyond the frame) has none.
        DarkPixels(bitmap, 100, 500, fromX: bitmap.Width - 12).Should().Be(0);
    }

    [Fact]
    public void The_title_band_is_blank_when_the_title_is_invisible()
    {
        // The control for the test above: the same size and layout with a two-line title drawn in white (the same
        // space reserved, no visible glyphs) leaves the band empty, so the dark pixels found there are the title's.
        string path = Scratch("untitled.png");
        var plot = new ScottPlot.Plot();
        plot.Add.Scatter(new double[] { 0, 1, 2 }, new double[] { 0, 1, 4 });
        plot.Title("Generated curves\nsubtitle");
        plot.Axes.Title.Label.ForeColor = ScottPlot.Colors.White;
        plot.XLabel("x");
        plot.YLabel("y");
        plot.SavePng(path, 900, 600);
        using SKBitmap bitmap = SKBitmap.Decode(path);
        DarkPixels(bitmap, 0, 50).Should().Be(0);
    }

    private static int DarkPixels(SKBitmap bitmap, int fromY, int toY, int fromX = 0)
    {
        int count = 0;
        for (int y = fromY; y < toY; y++)
        {
            for (int x = fromX; x < bitmap.Width; x++)
            {
                SKColor c = bitmap.GetPixel(x, y);
                if ((0.299 * c.Red) + (0.587 * c.Green) + (0.114 * c.Blue) < 100)
                {
                    count++;
                }
            }
        }

        return count;
    }

    [Fact]
    public void Report_json_has_the_timings_and_the_fit()
    {
        using JsonDocument report = JsonDocument.Parse(File.ReadAllText(Path.Combine(run.Output, "report.json")));
        JsonElement root = report.RootElement;
        root.GetProperty("trainingSeconds").GetDouble().Should().BePositive();
        root.GetProperty("microsecondsPerStep").GetDouble().Should().BePositive();
        root.GetProperty("firstStepMilliseconds").GetDouble().Should().BePositive().And.BeLessThan(root.GetProperty("trainingSeconds").GetDouble() * 1e3);
        root.GetProperty("totalSeconds").GetDouble().Should().BeGreaterThanOrEqualTo(root.GetProperty("trainingSeconds").GetDouble());
        root.GetProperty("fit").GetProperty("inBandShare").GetDouble().Should().BeInRange(0, 1);
        root.GetProperty("fit").GetProperty("curveCount").GetInt32().Should().Be(200);
        root.GetProperty("stepsCompleted").GetInt64().Should().Be(300);
        root.GetProperty("cancelled").GetBoolean().Should().BeFalse();

        // mean D(x) under its own name, and under the name earlier reports used (scripts read it).
        JsonElement final = root.GetProperty("final");
        double meanRealScore = final.GetProperty("meanRealScore").GetDouble();
        meanRealScore.Should().BeInRange(0.3, 0.7);
        final.GetProperty("dAccuracy").GetDouble().Should().Be(meanRealScore);
        root.GetProperty("settings").GetProperty("preset").GetString().Should().Be("original");
    }

    [Fact]
    public void Report_json_keeps_its_fields_names_and_order()
    {
        // Scripts read report.json: the serializers are generated at build time (ReportJson.cs), and must write the
        // fields the reflection-based serializer wrote before them, under the same names, in the same order.
        using JsonDocument report = JsonDocument.Parse(File.ReadAllText(Path.Combine(run.Output, "report.json")));
        JsonElement root = report.RootElement;
        static string[] Names(JsonElement e) => [.. e.EnumerateObject().Select(p => p.Name)];
        Names(root).Should().Equal("settings", "stepsCompleted", "cancelled", "final", "fit", "distances", "trainingSeconds", "microsecondsPerStep", "firstStepMilliseconds", "totalSeconds");
        Names(root.GetProperty("settings")).Should().Equal(
            "preset", "steps", "seed", "batch", "learningRateG", "learningRateD", "beta1", "learningRateFinalFraction", "learningRateDecay", "objective",
            "schedule", "discriminatorSteps", "realLabel", "noise", "noiseDimension", "hidden", "samples", "resume", "threads", "exportOnnx", "conditional", "labelEncoding", "beta2",
            "optimizer", "momentum", "nesterov", "clipNorm");
        Names(root.GetProperty("final")).Should().Equal("averagedOverLastSteps", "meanRealScore", "dAccuracy", "dScore", "dLoss", "gLoss", "minusLog4");
        Names(root.GetProperty("fit")).Should().Equal(
            "curveCount", "pointCount", "nonFiniteCount", "fittedCount", "inBandShare", "medianResidualRms", "meanOffsetError", "meanA", "stdA", "ksA", "ksAPValue");
        Names(root.GetProperty("distances")).Should().Equal("realCurves", "frechetDistance", "precision", "recall", "neighbors");

        // Floats as floats (0.0001, not the double 0.00009999999747378752), enums as names, an absent resume as null.
        JsonElement settings = root.GetProperty("settings");
        settings.GetProperty("learningRateG").GetRawText().Should().Be("0.0001");
        settings.GetProperty("learningRateDecay").GetString().Should().Be("Linear");
        settings.GetProperty("noise").GetString().Should().Be("Gaussian");
        settings.GetProperty("resume").ValueKind.Should().Be(JsonValueKind.Null);
        settings.GetProperty("labelEncoding").ValueKind.Should().Be(JsonValueKind.Null);
        settings.GetProperty("optimizer").GetString().Should().Be("adam");
        settings.GetProperty("momentum").ValueKind.Should().Be(JsonValueKind.Null, "Adam has β1 instead");
        settings.GetProperty("nesterov").GetBoolean().Should().BeFalse();
        settings.GetProperty("clipNorm").ValueKind.Should().Be(JsonValueKind.Null, "off by default");
        root.GetProperty("final").GetProperty("minusLog4").GetDouble().Should().Be(-Math.Log(4));
    }

    [Fact]
    public void Preset_seed_is_an_alias_of_original()
    {
        string original = Scratch("original");
        string seed = Scratch("seed");
        Cli.Run(["--preset", "original", "--steps", "30", "--samples", "20", "--quiet", "--no-plots", "--out", original]).Should().Be(Cli.ExitOk);
        Cli.Run(["--preset", "seed", "--steps", "30", "--samples", "20", "--quiet", "--no-plots", "--out", seed]).Should().Be(Cli.ExitOk);

        File.ReadAllText(Path.Combine(seed, "curves.csv")).Should().Be(File.ReadAllText(Path.Combine(original, "curves.csv")));
        using JsonDocument report = JsonDocument.Parse(File.ReadAllText(Path.Combine(seed, "report.json")));
        report.RootElement.GetProperty("settings").GetProperty("objective").GetString().Should().Be("Minimax");
        report.RootElement.GetProperty("settings").GetProperty("steps").GetInt32().Should().Be(30);
    }

    [Fact]
    public void Beta2_reaches_both_optimizers_and_the_report()
    {
        string plain = Scratch("beta2-default");
        string spelled = Scratch("beta2-spelled");
        string changed = Scratch("beta2-changed");
        Cli.Run(["--steps", "30", "--samples", "20", "--quiet", "--no-plots", "--out", plain]).Should().Be(Cli.ExitOk);
        Cli.Run(["--steps", "30", "--samples", "20", "--beta2", "0.999", "--quiet", "--no-plots", "--out", spelled]).Should().Be(Cli.ExitOk);
        Cli.Run(["--steps", "30", "--samples", "20", "--beta2", "0.9", "--quiet", "--no-plots", "--out", changed]).Should().Be(Cli.ExitOk);

        string curves = File.ReadAllText(Path.Combine(plain, "curves.csv"));
        File.ReadAllText(Path.Combine(spelled, "curves.csv")).Should().Be(curves, "0.999 is the default");
        File.ReadAllText(Path.Combine(changed, "curves.csv")).Should().NotBe(curves);
        using JsonDocument report = JsonDocument.Parse(File.ReadAllText(Path.Combine(changed, "report.json")));
        report.RootElement.GetProperty("settings").GetProperty("beta2").GetSingle().Should().Be(0.9f);
        GanCore.Adversarial.Gan gan = GanCore.Adversarial.Gan.LoadCheckpoint(Path.Combine(changed, "gan.ckpt"), Experiment.CreateNoise(TrainSettings.OriginalPreset), Experiment.CreateSampler());
        ((GanCore.Optimizers.Adam)gan.GeneratorOptimizer).Beta2.Should().Be(0.9f);
        ((GanCore.Optimizers.Adam)gan.DiscriminatorOptimizer).Beta2.Should().Be(0.9f);
    }

    [Fact]
    public void Resume_under_a_learning_rate_decay_matches_an_uninterrupted_run()
    {
        // Stop a 120-step decaying run after step 60, save, load and finish it: the same bits as 120 steps in one go.
        TrainSettings settings = TrainSettings.TunedPreset with { Steps = 120, Hidden = 16, Batch = 16 };
        using var stop = new CancellationTokenSource();
        GanCore.Adversarial.Gan interrupted = Experiment.Build(settings);
        Experiment.Train(interrupted, settings, m => { if (m.Step == 60) { stop.Cancel(); } }, null, stop.Token).Cancelled.Should().BeTrue();
        interrupted.GeneratorOptimizer.CurrentLearningRate.Should().BeLessThan(settings.LearningRateG, "the decay is running");
        string path = Scratch("decay.ckpt");
        interrupted.SaveCheckpoint(path);
        GanCore.Adversarial.Gan resumed = GanCore.Adversarial.Gan.LoadCheckpoint(path, Experiment.CreateNoise(settings), Experiment.CreateSampler());
        Experiment.Train(resumed, settings, null, null, CancellationToken.None);

        GanCore.Adversarial.Gan straight = Experiment.Build(settings);
        Experiment.Train(straight, settings, null, null, CancellationToken.None);

        resumed.StepCount.Should().Be(120);
        float[] Weights(GanCore.Adversarial.Gan gan) => gan.Generator.Parameters.SelectMany(p => p.Value.Span.ToArray()).ToArray();
        Weights(resumed).Should().Equal(Weights(straight));
        resumed.GeneratorOptimizer.CurrentLearningRate.Should().Be(straight.GeneratorOptimizer.CurrentLearningRate);
    }

    [Fact]
    public void Metrics_csv_has_a_header_and_a_row_every_10_steps()
    {
        string[][] rows = ReadCsv(Path.Combine(run.Output, "metrics.csv"));
        rows[0].Should().Equal("step", "d_loss", "g_loss", "d_real", "d_fake", "d_score");
        rows.Skip(1).Select(r => int.Parse(r[0], CultureInfo.InvariantCulture)).Should().Equal(Enumerable.Range(1, 30).Select(i => i * 10));
        foreach (string[] r in rows.Skip(1))
        {
            r.Should().HaveCount(6);
            r.Skip(1).Select(Number).Should().OnlyContain(v => double.IsFinite(v));
            Number(r[5]).Should().Be(-Number(r[1]), "the D score is −D loss");
        }
    }

    [Fact]
    public void Curves_csv_has_one_line_of_15_numbers_per_sample()
    {
        string[][] rows = ReadCsv(Path.Combine(run.Output, "curves.csv"));
        rows.Should().HaveCount(200);
        rows.Should().OnlyContain(r => r.Length == 15 && r.All(v => double.IsFinite(Number(v))));
    }

    [Fact]
    public void The_optimizer_options_reach_both_networks_the_report_and_a_resumed_run()
    {
        string sgd = Scratch("sgd");
        Cli.Run(["--steps", "30", "--samples", "20", "--optimizer", "sgd", "--momentum", "0.5", "--nesterov", "--lr-g", "0.002", "--quiet", "--no-plots", "--out", sgd]).Should().Be(Cli.ExitOk);
        GanCore.Adversarial.Gan gan = GanCore.Adversarial.Gan.LoadCheckpoint(Path.Combine(sgd, "gan.ckpt"), Experiment.CreateNoise(TrainSettings.OriginalPreset), Experiment.CreateSampler());
        foreach ((GanCore.Optimizers.Optimizer optimizer, float rate) in new[] { (gan.GeneratorOptimizer, 0.002f), (gan.DiscriminatorOptimizer, 1e-4f) })
        {
            var s = optimizer.Should().BeOfType<GanCore.Optimizers.Sgd>().Subject;
            (s.Momentum, s.Nesterov, s.LearningRate).Should().Be((0.5f, true, rate));
        }

        JsonElement settings = Settings(sgd);
        settings.GetProperty("optimizer").GetString().Should().Be("sgd");
        settings.GetProperty("momentum").GetSingle().Should().Be(0.5f);
        settings.GetProperty("nesterov").GetBoolean().Should().BeTrue();
        settings.GetProperty("beta1").ValueKind.Should().Be(JsonValueKind.Null, "SGD has no β1");
        settings.GetProperty("beta2").ValueKind.Should().Be(JsonValueKind.Null, "SGD has no β2");

        // Resumed, the checkpoint's optimizer runs whatever the command line says (options that would not fit a new
        // run's optimizer are not refused either: they are not used), and the report says so.
        string resumed = Scratch("sgd-resumed");
        Cli.Run(["--steps", "40", "--samples", "20", "--resume", Path.Combine(sgd, "gan.ckpt"), "--momentum", "0.2", "--quiet", "--no-plots", "--out", resumed]).Should().Be(Cli.ExitOk);
        settings = Settings(resumed);
        settings.GetProperty("optimizer").GetString().Should().Be("sgd");
        settings.GetProperty("momentum").GetSingle().Should().Be(0.5f);
        settings.GetProperty("nesterov").GetBoolean().Should().BeTrue();
        string adamResumed = Scratch("adam-resumed");
        Cli.Run(["--steps", "310", "--samples", "20", "--resume", Path.Combine(run.Output, "gan.ckpt"), "--optimizer", "sgd", "--beta1", "0.5", "--quiet", "--no-plots", "--out", adamResumed]).Should().Be(Cli.ExitOk);
        settings = Settings(adamResumed);
        settings.GetProperty("optimizer").GetString().Should().Be("adam");
        settings.GetProperty("beta1").GetSingle().Should().Be(0.9f, "the checkpoint's");

        // RMSprop without --momentum has none; the report says 0, not null.
        string rmsprop = Scratch("rmsprop");
        Cli.Run(["--steps", "30", "--samples", "20", "--optimizer", "rmsprop", "--quiet", "--no-plots", "--out", rmsprop]).Should().Be(Cli.ExitOk);
        gan = GanCore.Adversarial.Gan.LoadCheckpoint(Path.Combine(rmsprop, "gan.ckpt"), Experiment.CreateNoise(TrainSettings.OriginalPreset), Experiment.CreateSampler());
        gan.DiscriminatorOptimizer.Should().BeOfType<GanCore.Optimizers.RmsProp>().Which.Momentum.Should().Be(0f);
        Settings(rmsprop).GetProperty("momentum").GetSingle().Should().Be(0f);
    }

    [Fact]
    public void Clip_norm_clips_both_networks_and_is_reported_also_when_resumed()
    {
        // Clipped to 1e-3, every step's gradient is rescaled by its own factor, which changes Adam's steps: the curves
        // differ from an unclipped run's.
        string clipped = Scratch("clip");
        Cli.Run(["--steps", "30", "--samples", "20", "--clip-norm", "0.001", "--quiet", "--no-plots", "--out", clipped]).Should().Be(Cli.ExitOk);
        string plain = Scratch("no-clip");
        Cli.Run(["--steps", "30", "--samples", "20", "--quiet", "--no-plots", "--out", plain]).Should().Be(Cli.ExitOk);
        File.ReadAllText(Path.Combine(clipped, "curves.csv")).Should().NotBe(File.ReadAllText(Path.Combine(plain, "curves.csv")));
        Settings(clipped).GetProperty("clipNorm").GetSingle().Should().Be(0.001f);

        // Through Experiment.Train, as the CLI trains: both optimizers clip, and they measured norms above the limit.
        TrainSettings s = TrainSettings.OriginalPreset with { Steps = 5, ClipNorm = 0.001f };
        GanCore.Adversarial.Gan gan = Experiment.Build(s);
        Experiment.Train(gan, s, null, null, CancellationToken.None);
        foreach (GanCore.Optimizers.Optimizer optimizer in new[] { gan.GeneratorOptimizer, gan.DiscriminatorOptimizer })
        {
            optimizer.GradientClipNorm.Should().Be(0.001f);
            optimizer.LastGradientNorm.Should().BeGreaterThan(0.001f, "the seed networks' gradients are far longer than 1e-3");
        }

        // Not stored in gan.ckpt: a resumed run clips as its own command line says, and reports that; Train sets it on a
        // loaded GAN as on a new one.
        string resumed = Scratch("clip-resumed");
        Cli.Run(["--steps", "40", "--samples", "20", "--resume", Path.Combine(plain, "gan.ckpt"), "--clip-norm", "2", "--quiet", "--no-plots", "--out", resumed]).Should().Be(Cli.ExitOk);
        Settings(resumed).GetProperty("clipNorm").GetSingle().Should().Be(2f);
        GanCore.Adversarial.Gan loaded = GanCore.Adversarial.Gan.LoadCheckpoint(Path.Combine(plain, "gan.ckpt"), Experiment.CreateNoise(s), Experiment.CreateSampler());
        loaded.GeneratorOptimizer.GradientClipNorm.Should().BeNull("the checkpoint does not carry it");
        Experiment.Train(loaded, s with { Steps = 35 }, null, null, CancellationToken.None);
        foreach (GanCore.Optimizers.Optimizer optimizer in new[] { loaded.GeneratorOptimizer, loaded.DiscriminatorOptimizer })
        {
            optimizer.GradientClipNorm.Should().Be(0.001f);
            optimizer.LastGradientNorm.Should().BeGreaterThan(0.001f);
        }
    }

    [Theory]
    [InlineData("--clip-norm 0", "--clip-norm must be a finite number > 0 (got 0)")]
    [InlineData("--clip-norm NaN", "--clip-norm must be a finite number > 0 (got NaN)")]
    [InlineData("--optimizer nadam", "Unknown --optimizer 'nadam'; expected adam, sgd or rmsprop")]
    [InlineData("--momentum 0.9", "--momentum applies to --optimizer sgd or rmsprop; adam has β1 (--beta1) instead")]
    [InlineData("--optimizer sgd --momentum 1", "--momentum must be in [0, 1) (got 1)")]
    [InlineData("--optimizer sgd --nesterov", "--nesterov needs --momentum > 0")]
    [InlineData("--optimizer rmsprop --momentum 0.9 --nesterov", "--nesterov applies to --optimizer sgd (got rmsprop)")]
    [InlineData("--optimizer sgd --beta1 0.5", "--beta1 and --beta2 set Adam's moments; --optimizer sgd has none")]
    [InlineData("--optimizer rmsprop --beta2 0.9", "--beta1 and --beta2 set Adam's moments; --optimizer rmsprop has none")]
    public void Bad_optimizer_options_exit_with_2_naming_the_option(string options, string message)
    {
        string output = Scratch("bad-optimizer");
        (int exit, string error) = ConsoleCapture.Error(() => Cli.Run([.. options.Split(' '), "--steps", "1", "--quiet", "--no-plots", "--out", output]));
        exit.Should().Be(Cli.ExitBadInput);
        error.Should().StartWith("error: ").And.Contain(message);
        Directory.Exists(output).Should().BeFalse("the options are checked before any work");
    }

    [Theory]
    [InlineData("--steps", "-1")]
    [InlineData("--objective", "wasserstein")]
    [InlineData("--schedule", "sometimes")]
    [InlineData("--batch", "0")]
    [InlineData("--real-label", "0.4")]
    [InlineData("--lr-g", "-1")]
    [InlineData("--bogus-option", "1")]
    public void Bad_options_exit_with_2(string option, string value) =>
        Cli.Run([option, value, "--steps", option == "--steps" ? value : "1", "--quiet", "--no-plots", "--out", Scratch("bad")]).Should().Be(Cli.ExitBadInput);

    [Fact]
    public void An_output_folder_under_a_regular_file_exits_with_2()
    {
        string file = Scratch("regular-file");
        File.WriteAllText(file, "not a folder");
        Cli.Run(["--steps", "1", "--quiet", "--no-plots", "--out", Path.Combine(file, "out")]).Should().Be(Cli.ExitBadInput);
    }

    [Fact]
    public void Generate_from_the_trained_generator_writes_the_curves()
    {
        string output = Scratch("generate");
        Cli.Run(["generate", "--checkpoint", Path.Combine(run.Output, "generator.ckpt"), "--samples", "37", "--out", output]).Should().Be(Cli.ExitOk);
        string[][] rows = ReadCsv(Path.Combine(output, "curves.csv"));
        rows.Should().HaveCount(37);
        rows.Should().OnlyContain(r => r.Length == 15 && r.All(v => double.IsFinite(Number(v))));
    }

    [Theory]
    [InlineData("missing")]
    [InlineData("truncated")]
    [InlineData("corrupted")]
    [InlineData("empty")]
    [InlineData("discriminator")]
    public void Generate_from_a_bad_checkpoint_exits_with_2(string kind)
    {
        string path = Scratch("bad.ckpt");
        byte[] good = File.ReadAllBytes(Path.Combine(run.Output, "generator.ckpt"));
        switch (kind)
        {
            case "truncated":
                File.WriteAllBytes(path, good.AsSpan(0, good.Length / 2).ToArray());
                break;
            case "corrupted":
                byte[] bad = (byte[])good.Clone();
                bad[bad.Length / 2] ^= 0x5A;
                File.WriteAllBytes(path, bad);
                break;
            case "empty":
                File.WriteAllBytes(path, []);
                break;
            case "discriminator":
                // A well-formed model checkpoint, but not a curve generator (output width 1).
                path = Path.Combine(run.Output, "discriminator.ckpt");
                break;
        }

        string output = Scratch("generate-bad");
        Cli.Run(["generate", "--checkpoint", path, "--samples", "5", "--out", output]).Should().Be(Cli.ExitBadInput);
        File.Exists(Path.Combine(output, "curves.csv")).Should().BeFalse();
    }

    [Fact]
    public void Resuming_from_a_corrupted_checkpoint_exits_with_2()
    {
        string path = Scratch("gan.ckpt");
        byte[] bytes = File.ReadAllBytes(Path.Combine(run.Output, "gan.ckpt"));
        bytes[bytes.Length / 2] ^= 0x01;
        File.WriteAllBytes(path, bytes);
        Cli.Run(["--steps", "400", "--quiet", "--no-plots", "--resume", path, "--out", Scratch("resume-bad")]).Should().Be(Cli.ExitBadInput);
    }

    [Fact]
    public void A_huge_learning_rate_exits_with_3_and_keeps_the_metrics_logged_before_it()
    {
        // An earlier run's curves.csv and metrics.csv are in the folder, and a file of the user's: the diverged run
        // replaces metrics.csv and names curves.csv as the earlier run's; files that are not the sample's are left out.
        string output = Scratch("diverge");
        Directory.CreateDirectory(output);
        foreach (string name in new[] { "curves.csv", "metrics.csv", "notes.txt" })
        {
            File.WriteAllText(Path.Combine(output, name), "earlier");
            File.SetLastWriteTimeUtc(Path.Combine(output, name), DateTime.UtcNow.AddHours(-1));
        }

        (int exit, string error) = ConsoleCapture.Error(() => Cli.Run(["--steps", "50", "--lr-d", "1e30", "--lr-g", "1e30", "--quiet", "--no-plots", "--out", output]));
        exit.Should().Be(Cli.ExitDiverged);
        error.Should().Contain("diverged at step").And.Contain(": metrics.csv (0 rows). Also there, from an earlier run: curves.csv.");
        File.ReadAllLines(Path.Combine(output, "metrics.csv"))[0].Should().Be("step,d_loss,g_loss,d_real,d_fake,d_score");
    }

    [Fact]
    public void Training_that_diverges_returns_the_metrics_up_to_the_step_before()
    {
        // A NaN put into D after step 30 makes step 31 fail its finiteness check: the rows of steps 10, 20 and 30 stay.
        // With --checkpoint-every 20 the checkpoint of step 20 is written, and the ending names it. An earlier run's
        // report.json is in the folder when the run starts (and the CLI takes stock of the folder then).
        string output = Scratch("diverge-plot");
        Directory.CreateDirectory(output);
        File.WriteAllText(Path.Combine(output, "report.json"), "{}");
        var earlier = Cli.FindEarlierOutputs(output);
        TrainSettings settings = TrainSettings.OriginalPreset with { Steps = 100, CheckpointEvery = 20, OutputDirectory = output };
        GanCore.Adversarial.Gan gan = Experiment.Build(settings);
        string checkpoint = Path.Combine(output, "gan.ckpt");
        RunResult result = Experiment.Train(gan, settings, m => { if (m.Step == 30) { gan.Discriminator.Parameters[0].Value.Span[0] = float.NaN; } }, g => g.SaveCheckpoint(checkpoint), CancellationToken.None);
        result.Divergence.Should().NotBeNull();
        result.Divergence!.Message.Should().Contain("step 31");
        result.Metrics.Select(r => r.Step).Should().Equal(10, 20, 30);
        result.LastStep.Should().Be(30);
        result.Cancelled.Should().BeFalse();

        // The CLI's ending writes those rows and their figure, and names the earlier run's file it did not replace.
        (int exit, string error) = ConsoleCapture.Error(() => Cli.EndDiverged(result.Divergence, result, settings, "test", Task.CompletedTask, earlier));
        exit.Should().Be(Cli.ExitDiverged);
        error.Should().Contain("diverged at step 31")
            .And.Contain(": gan.ckpt (written at step 20 by --checkpoint-every), metrics.csv (3 rows), training.png. Also there, from an earlier run: report.json.");
        GanCore.Adversarial.Gan.LoadCheckpoint(checkpoint, Experiment.CreateNoise(settings), Experiment.CreateSampler()).StepCount.Should().Be(20);
        File.ReadAllLines(Path.Combine(output, "metrics.csv")).Skip(1).Select(l => l.Split(',')[0]).Should().Equal("10", "20", "30");
        new FileInfo(Path.Combine(output, "training.png")).Length.Should().BePositive();
        File.Exists(Path.Combine(output, "curves.csv")).Should().BeFalse("a diverged generator's curves would be NaN");
    }

    [Fact]
    public void A_cancelled_run_exits_with_130_and_still_writes_the_report()
    {
        string output = Scratch("cancelled");
        Cli.Run(["--steps", "100", "--samples", "50", "--quiet", "--out", output], new CancellationToken(canceled: true)).Should().Be(Cli.ExitCancelled);

        using JsonDocument report = JsonDocument.Parse(File.ReadAllText(Path.Combine(output, "report.json")));
        report.RootElement.GetProperty("cancelled").GetBoolean().Should().BeTrue();
        report.RootElement.GetProperty("stepsCompleted").GetInt64().Should().Be(0);
        File.Exists(Path.Combine(output, "gan.ckpt")).Should().BeTrue();
    }

    [Fact]
    public void Resume_continues_to_the_requested_total_and_matches_an_uninterrupted_run()
    {
        string resumed = Scratch("resumed");
        Cli.Run(["--steps", "400", "--samples", "200", "--quiet", "--no-plots", "--resume", Path.Combine(run.Output, "gan.ckpt"), "--out", resumed]).Should().Be(Cli.ExitOk);

        using (JsonDocument report = JsonDocument.Parse(File.ReadAllText(Path.Combine(resumed, "report.json"))))
        {
            report.RootElement.GetProperty("stepsCompleted").GetInt64().Should().Be(400);
        }

        string[][] metrics = ReadCsv(Path.Combine(resumed, "metrics.csv"));
        metrics.Skip(1).Select(r => int.Parse(r[0], CultureInfo.InvariantCulture)).Should().Equal(Enumerable.Range(31, 10).Select(i => i * 10));

        // 300 steps + resume to 400 gives the same bits as 400 steps in one go.
        string straight = Scratch("straight");
        Cli.Run(["--steps", "400", "--samples", "200", "--quiet", "--no-plots", "--out", straight]).Should().Be(Cli.ExitOk);
        File.ReadAllText(Path.Combine(resumed, "curves.csv")).Should().Be(File.ReadAllText(Path.Combine(straight, "curves.csv")));
        File.ReadAllLines(Path.Combine(resumed, "metrics.csv")).Skip(1)
            .Should().Equal(File.ReadAllLines(Path.Combine(straight, "metrics.csv")).Skip(31));
    }

    [Fact]
    public void Resume_reports_the_settings_the_checkpoint_runs_with_not_the_command_lines()
    {
        // The fixture's run is the seed preset: minimax, batch 64, lr 1e-4. Ask for something else on resume.
        string resumed = Scratch("resumed-settings");
        Cli.Run(["--steps", "310", "--samples", "20", "--quiet", "--no-plots", "--objective", "least-squares", "--batch", "8", "--lr-g", "0.5", "--beta2", "0.5", "--resume", Path.Combine(run.Output, "gan.ckpt"), "--out", resumed])
            .Should().Be(Cli.ExitOk);

        using JsonDocument report = JsonDocument.Parse(File.ReadAllText(Path.Combine(resumed, "report.json")));
        JsonElement settings = report.RootElement.GetProperty("settings");
        settings.GetProperty("objective").GetString().Should().Be("Minimax");
        settings.GetProperty("batch").GetInt32().Should().Be(64);
        settings.GetProperty("learningRateG").GetSingle().Should().Be(1e-4f);
        settings.GetProperty("beta2").GetSingle().Should().Be(0.999f);
        report.RootElement.GetProperty("stepsCompleted").GetInt64().Should().Be(310);
    }

    [Fact]
    public void A_finished_run_names_the_files_an_earlier_run_left_that_it_did_not_write()
    {
        // An earlier run with --export-onnx and plots; this one has neither: its summary is followed by a note.
        string output = Scratch("earlier");
        Directory.CreateDirectory(output);
        foreach (string file in new[] { "generator.onnx", "gan.png" })
        {
            File.WriteAllText(Path.Combine(output, file), "an earlier run's");
        }

        (int exit, string text) = ConsoleCapture.Error(() => Cli.Run(["--steps", "20", "--samples", "20", "--no-plots", "--quiet", "--out", output]));
        exit.Should().Be(Cli.ExitOk);
        text.Should().Contain("from an earlier run and not written by this one: generator.onnx, gan.png.");
        (_, text) = ConsoleCapture.Error(() => Cli.Run(["--steps", "20", "--samples", "20", "--export-onnx", "--quiet", "--out", output]));
        text.Should().NotContain("note:", "this run wrote both");
    }
}
