using System.Globalization;
using System.Text.Json;
using GanCore.Adversarial;
using GanCore.Checkpoints;
using GanCore.Kernels;
using GanCore.Tensors;
using QuadraticGan;
using Xunit.Abstractions;

namespace GanCore.Samples.Tests;

/// <summary>One 300-step run of the sample CLI with --conditional, shared by the tests that inspect its files.</summary>
public sealed class ConditionalRunFixture : IDisposable
{
    private readonly int _threads = Gemm.MaxDegreeOfParallelism;

    public ConditionalRunFixture()
    {
        Root = Path.Combine(Path.GetTempPath(), $"gancore-ccli-{Guid.NewGuid():N}");
        Output = Path.Combine(Root, "run");
        ExitCode = Cli.Run(["--conditional", "--steps", "300", "--samples", "200", "--quiet", "--out", Output]);
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
public sealed class ConditionalCliTests(ConditionalRunFixture run, TrainedRunFixture plain, ITestOutputHelper output) : IClassFixture<ConditionalRunFixture>
{
    private static readonly string[] AllFiles =
        ["curves.csv", "metrics.csv", "report.json", "gan.png", "training.png", "a-histogram.png", "generator.ckpt", "discriminator.ckpt", "gan.ckpt"];

    private string Scratch(string name) => Path.Combine(run.Root, $"{name}-{Guid.NewGuid():N}");

    private static string[][] ReadCsv(string path) => File.ReadAllLines(path).Select(l => l.Split(',')).ToArray();

    private static double Number(string s) => double.Parse(s, NumberStyles.Float, CultureInfo.InvariantCulture);

    [Fact]
    public void Conditional_training_writes_every_file_and_the_curves_carry_a_label_column()
    {
        run.ExitCode.Should().Be(Cli.ExitOk);
        foreach (string file in AllFiles)
        {
            new FileInfo(Path.Combine(run.Output, file)).Length.Should().BePositive(file);
        }

        string[][] rows = ReadCsv(Path.Combine(run.Output, "curves.csv"));
        rows.Should().HaveCount(200);
        rows.Should().OnlyContain(r => r.Length == 16 && r.Take(15).All(v => double.IsFinite(Number(v))));
        rows.Take(100).Should().OnlyContain(r => r[15] == "0");
        rows.Skip(100).Should().OnlyContain(r => r[15] == "1");
        ReadCsv(Path.Combine(run.Output, "metrics.csv"))[0].Should().Equal("step", "d_loss", "g_loss", "d_real", "d_fake", "d_score");
    }

    [Fact]
    public void The_report_has_sane_per_class_fields_and_keeps_the_unconditional_ones()
    {
        using JsonDocument report = JsonDocument.Parse(File.ReadAllText(Path.Combine(run.Output, "report.json")));
        JsonElement root = report.RootElement;
        root.GetProperty("settings").GetProperty("conditional").GetBoolean().Should().BeTrue();
        root.GetProperty("settings").GetProperty("steps").GetInt32().Should().Be(300);
        root.GetProperty("fit").GetProperty("curveCount").GetInt32().Should().Be(200);
        root.GetProperty("final").GetProperty("dAccuracy").GetDouble().Should().BeInRange(0.2, 0.8);
        JsonElement[] classes = [.. root.GetProperty("classes").EnumerateArray()];
        classes.Should().HaveCount(2);
        for (int label = 0; label < 2; label++)
        {
            JsonElement c = classes[label];
            c.GetProperty("label").GetInt32().Should().Be(label);
            c.GetProperty("count").GetInt32().Should().Be(100);
            c.GetProperty("aLow").GetDouble().Should().Be(label == 0 ? 1.0 : 1.5);
            c.GetProperty("aHigh").GetDouble().Should().Be(label == 0 ? 1.5 : 2.0);
            c.GetProperty("rightSideShare").GetDouble().Should().BeInRange(0, 1);
            c.GetProperty("inBandShare").GetDouble().Should().BeInRange(0, 1);
            c.GetProperty("ksA").GetDouble().Should().BeInRange(0, 1);
            c.GetProperty("stdA").GetDouble().Should().BePositive();
            c.GetProperty("referenceStdA").GetDouble().Should().BeApproximately(0.5 / Math.Sqrt(12), 1e-12);
            JsonElement d = c.GetProperty("distances");
            d.GetProperty("realCurves").GetInt32().Should().Be(100, "as many real curves of the label as generated ones");
            d.GetProperty("neighbors").GetInt32().Should().Be(3);
            d.GetProperty("frechetDistance").GetDouble().Should().BeGreaterThan(0).And.BeLessThan(100);
            d.GetProperty("precision").GetDouble().Should().BeInRange(0, 1);
            d.GetProperty("recall").GetDouble().Should().BeInRange(0, 1);
        }
    }

    [Fact]
    public void The_per_label_distances_compare_with_real_curves_of_that_label()
    {
        // Label-0 curves against fresh label-0 curves: FD near 0, precision and recall near 1. The same curves scored
        // as label 1: the means differ by 0.5·(x² + 1) at every point (a shifted by 0.5, same spread), so
        // FD ≈ Σ_j 0.25·(x_j² + 1)², and hardly any curve lies in the other label's k-NN manifold.
        var random = new Randomness.RandomSource(8);
        var lower = new Matrix(500, QuadraticFamily.PointCount);
        for (int i = 0; i < lower.Rows; i++)
        {
            QuadraticFamily.Evaluate(random.NextUniform(1.0, 1.5), lower.Row(i));
        }

        SampleDistances same = SampleDistances.ForLabel(lower, 0, 4);
        same.RealCurves.Should().Be(500);
        same.FrechetDistance.Should().BeLessThan(0.01);
        same.Precision.Should().BeGreaterThan(0.9);
        same.Recall.Should().BeGreaterThan(0.9);

        double shift = QuadraticFamily.X.ToArray().Sum(x => 0.25 * Math.Pow((x * x) + 1, 2));
        SampleDistances other = SampleDistances.ForLabel(lower, 1, 4);
        other.FrechetDistance.Should().BeApproximately(shift, 0.05 * shift);
        other.Precision.Should().BeLessThan(0.05);
        other.Recall.Should().BeLessThan(0.05);

        // The label's stream is its own: the same seed and label give the same reference curves.
        SampleDistances.ForLabel(lower, 0, 4).Should().Be(same);
        ConditionalQuadratic.Compute(lower, ConditionalQuadratic.Labels(500, only: 0), distanceSeed: 4)[0].Distances.Should().Be(same);
        ConditionalQuadratic.Compute(lower, ConditionalQuadratic.Labels(500, only: 0))[0].Distances.Should().BeNull();
    }

    [Fact]
    public void One_hot_label_encoding_trains_a_two_column_condition_and_generate_follows_it()
    {
        string dir = Scratch("one-hot");
        Cli.Run(["--conditional", "--label-encoding", "one-hot", "--lr-final", "0.5", "--lr-decay", "cosine", "--steps", "40", "--samples", "20", "--quiet", "--no-plots", "--out", dir]).Should().Be(Cli.ExitOk);
        using (JsonDocument report = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, "report.json"))))
        {
            JsonElement settings = report.RootElement.GetProperty("settings");
            settings.GetProperty("labelEncoding").GetString().Should().Be("OneHot");
            settings.GetProperty("learningRateDecay").GetString().Should().Be("Cosine");
        }

        Models.Sequential g = ModelCheckpoint.LoadModel(Path.Combine(dir, "generator.ckpt"));
        g.InputSize.Should().Be(5 + 2, "the noise plus the one-hot pair");

        // generate --label-encoding one-hot feeds [z, (0, 1)] for label 1: the curves equal G on that input.
        string generated = Scratch("one-hot-generate");
        Cli.Run(["generate", "--checkpoint", Path.Combine(dir, "generator.ckpt"), "--label-encoding", "one-hot", "--label", "1", "--samples", "4", "--seed", "3", "--out", generated]).Should().Be(Cli.ExitOk);
        var z = new Matrix(4, 5);
        new GaussianNoise(5).Fill(z, new Randomness.RandomSource(3));
        var input = new Matrix(4, 7);
        for (int i = 0; i < 4; i++)
        {
            z.Row(i).CopyTo(input.Row(i));
            input[i, 6] = 1f;
        }

        Matrix expected = g.Forward(input);
        string[][] rows = ReadCsv(Path.Combine(generated, "curves.csv"));
        for (int i = 0; i < 4; i++)
        {
            rows[i][15].Should().Be("1");
            rows[i].Take(15).Select(v => float.Parse(v, CultureInfo.InvariantCulture)).Should().Equal(expected.Row(i).ToArray());
        }

        // A one-hot checkpoint does not resume as a scalar-label run, and unknown names are bad input.
        Cli.Run(["--conditional", "--steps", "50", "--quiet", "--no-plots", "--resume", Path.Combine(dir, "gan.ckpt"), "--out", Scratch("one-hot-resume")]).Should().Be(Cli.ExitBadInput);
        Cli.Run(["--conditional", "--label-encoding", "binary", "--out", Scratch("bad-encoding")]).Should().Be(Cli.ExitBadInput);
        Cli.Run(["--lr-decay", "step", "--out", Scratch("bad-decay")]).Should().Be(Cli.ExitBadInput);
        Cli.Run(["generate", "--checkpoint", Path.Combine(dir, "generator.ckpt"), "--label-encoding", "binary", "--out", Scratch("bad-generate")]).Should().Be(Cli.ExitBadInput);
    }

    [Fact]
    public void Both_reports_give_the_Frechet_distance_and_precision_recall_against_fresh_real_curves()
    {
        foreach (string dir in new[] { run.Output, plain.Output })
        {
            using JsonDocument report = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, "report.json")));
            JsonElement d = report.RootElement.GetProperty("distances");
            d.GetProperty("realCurves").GetInt32().Should().Be(200);
            d.GetProperty("neighbors").GetInt32().Should().Be(3);
            double fd = d.GetProperty("frechetDistance").GetDouble();
            fd.Should().BeGreaterThan(0).And.BeLessThan(100);
            d.GetProperty("precision").GetDouble().Should().BeInRange(0, 1);
            d.GetProperty("recall").GetDouble().Should().BeInRange(0, 1);
            report.RootElement.GetProperty("fit").GetProperty("curveCount").GetInt32().Should().Be(200, "the old fields stay");
        }
    }

    [Fact]
    public void The_distances_are_small_for_real_curves_and_large_for_a_shifted_set()
    {
        // Real against real (another stream): FD near 0, precision and recall near 1; shifted by 1: FD ≈ 15 (1 per point).
        var random = new Randomness.RandomSource(3);
        Matrix real = ConditionalQuadratic.Real(500, random).Curves;
        SampleDistances same = SampleDistances.Compute(real, TrainSettings.OriginalPreset with { Seed = 4, Conditional = true });
        same.FrechetDistance.Should().BeLessThan(0.01);
        same.Precision.Should().BeGreaterThan(0.9);
        same.Recall.Should().BeGreaterThan(0.9);

        var shifted = new Matrix(500, 15);
        real.CopyTo(shifted);
        for (int i = 0; i < 500; i++)
        {
            foreach (ref float v in shifted.Row(i))
            {
                v += 1f;
            }
        }

        SampleDistances far = SampleDistances.Compute(shifted, TrainSettings.OriginalPreset with { Seed = 4 });
        far.FrechetDistance.Should().BeApproximately(15, 0.5);
        far.Precision.Should().Be(0);
        far.Recall.Should().Be(0);
    }

    [Fact]
    public void Export_onnx_of_a_conditional_run_writes_a_two_input_graph()
    {
        string dir = Scratch("onnx");
        Cli.Run(["--conditional", "--steps", "20", "--samples", "10", "--quiet", "--no-plots", "--export-onnx", "--out", dir]).Should().Be(Cli.ExitOk);
        string text = System.Text.Encoding.Latin1.GetString(File.ReadAllBytes(Path.Combine(dir, "generator.onnx")));
        text.Should().Contain("condition.Concat").And.Contain("condition");
    }

    [Fact]
    public void The_conditional_original_preset_defaults_to_10000_steps_and_the_tuned_one_keeps_its_own()
    {
        string original = Scratch("default-steps");
        Cli.Run(["--conditional", "--samples", "20", "--quiet", "--no-plots", "--out", original]).Should().Be(Cli.ExitOk);
        using JsonDocument report = JsonDocument.Parse(File.ReadAllText(Path.Combine(original, "report.json")));
        report.RootElement.GetProperty("settings").GetProperty("steps").GetInt32().Should().Be(10000);
        report.RootElement.GetProperty("stepsCompleted").GetInt64().Should().Be(10000);
        report.RootElement.GetProperty("settings").GetProperty("objective").GetString().Should().Be("Minimax");
    }

    [Fact]
    public void Generate_on_a_conditional_checkpoint_writes_labelled_curves_on_the_right_side()
    {
        string both = Scratch("generate-both");
        Cli.Run(["generate", "--checkpoint", Path.Combine(run.Output, "generator.ckpt"), "--conditional", "--samples", "40", "--out", both]).Should().Be(Cli.ExitOk);
        string[][] rows = ReadCsv(Path.Combine(both, "curves.csv"));
        rows.Should().HaveCount(40);
        rows.Select(r => r[15]).Should().Equal(Enumerable.Repeat("0", 20).Concat(Enumerable.Repeat("1", 20)));

        string upper = Scratch("generate-upper");
        Cli.Run(["generate", "--checkpoint", Path.Combine(run.Output, "generator.ckpt"), "--label", "1", "--samples", "30", "--out", upper]).Should().Be(Cli.ExitOk);
        ReadCsv(Path.Combine(upper, "curves.csv")).Should().OnlyContain(r => r.Length == 16 && r[15] == "1" && r.Take(15).All(v => double.IsFinite(Number(v))));

        Cli.Run(["generate", "--checkpoint", Path.Combine(run.Output, "generator.ckpt"), "--label", "2", "--out", Scratch("bad-label")]).Should().Be(Cli.ExitBadInput);
    }

    [Fact]
    public void Generate_from_the_checkpoint_matches_the_library_on_z_and_the_label()
    {
        // The CLI's generate concatenates [z, label]; the same noise through Gan.Generate's concatenation gives the same curves.
        string dir = Scratch("generate-match");
        Cli.Run(["generate", "--checkpoint", Path.Combine(run.Output, "generator.ckpt"), "--label", "0", "--samples", "5", "--seed", "9", "--out", dir]).Should().Be(Cli.ExitOk);
        Models.Sequential g = ModelCheckpoint.LoadModel(Path.Combine(run.Output, "generator.ckpt"));
        var z = new Matrix(5, 5);
        new GaussianNoise(5).Fill(z, new Randomness.RandomSource(9));
        var input = new Matrix(5, 6);
        for (int i = 0; i < 5; i++)
        {
            z.Row(i).CopyTo(input.Row(i));
        }

        Matrix expected = g.Forward(input);
        string[][] rows = ReadCsv(Path.Combine(dir, "curves.csv"));
        for (int i = 0; i < 5; i++)
        {
            rows[i].Take(15).Select(v => float.Parse(v, CultureInfo.InvariantCulture)).Should().Equal(expected.Row(i).ToArray());
        }
    }

    [Fact]
    public void Resume_of_a_conditional_run_continues_it()
    {
        string dir = Scratch("resume");
        Cli.Run(["--conditional", "--steps", "320", "--samples", "20", "--quiet", "--no-plots", "--resume", Path.Combine(run.Output, "gan.ckpt"), "--out", dir]).Should().Be(Cli.ExitOk);
        using JsonDocument report = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, "report.json")));
        report.RootElement.GetProperty("stepsCompleted").GetInt64().Should().Be(320);
        report.RootElement.GetProperty("settings").GetProperty("noiseDimension").GetInt32().Should().Be(5);

        // The conditional checkpoint refuses an unconditional resume with a clear error (exit 2).
        Cli.Run(["--steps", "320", "--quiet", "--no-plots", "--resume", Path.Combine(run.Output, "gan.ckpt"), "--out", Scratch("resume-bad")]).Should().Be(Cli.ExitBadInput);
    }

    [Fact]
    public void A_short_tuned_conditional_run_separates_the_classes()
    {
        // Seed 1 of this setup (the conditional tuned preset, 3000 steps with the decay over 3000) reaches, labels 0/1:
        // right side 0.954/0.968, in-band 0.988/0.954, KS(a) 0.088/0.098 against the label's half of U(1, 2), and a
        // gap of 0.546 between the labels' mean a (the preset before the alternating/cosine change: 0.948–1.000,
        // 0.952–1.000, 0.078–0.213 on seeds 1–3). The thresholds leave margin for other float rounding; an untrained
        // generator fails them (its two labels give nearly the same curves).
        TrainSettings settings = TrainSettings.ConditionalTunedPreset with { Conditional = true, Steps = 3000, Seed = 1 };
        Gan gan = Experiment.Build(settings);
        List<string> before = Check(ConditionalQuadratic.Compute(gan.Generate(1000, ConditionalQuadratic.Labels(1000), new Randomness.RandomSource(5)), ConditionalQuadratic.Labels(1000)));
        Experiment.Train(gan, settings, null, null, CancellationToken.None);
        IReadOnlyList<ClassFitReport> after = ConditionalQuadratic.Compute(gan.Generate(1000, ConditionalQuadratic.Labels(1000), new Randomness.RandomSource(5)), ConditionalQuadratic.Labels(1000));
        foreach (ClassFitReport c in after)
        {
            output.WriteLine(c.ToString());
        }

        Check(after).Should().BeEmpty();
        before.Should().NotBeEmpty("an untrained generator must fail the same thresholds");
    }

    private static List<string> Check(IReadOnlyList<ClassFitReport> classes)
    {
        var failures = new List<string>();
        foreach (ClassFitReport c in classes)
        {
            if (!(c.RightSideShare >= 0.9))
            {
                failures.Add($"label {c.Label}: right side {c.RightSideShare} < 0.9");
            }

            if (!(c.InBandShare >= 0.9))
            {
                failures.Add($"label {c.Label}: in-band {c.InBandShare} < 0.9");
            }

            if (!(c.KsA <= 0.3))
            {
                failures.Add($"label {c.Label}: KS(a) {c.KsA} > 0.3");
            }
        }

        double gap = classes[1].MeanA - classes[0].MeanA;
        if (!(gap >= 0.35))
        {
            failures.Add($"mean a gap {gap} < 0.35 (ideal 0.5)");
        }

        return failures;
    }
}
