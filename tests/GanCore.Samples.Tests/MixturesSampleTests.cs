using System.Globalization;
using System.Text.Json;
using GanCore.Randomness;
using GanCore.Tensors;
using Mixtures;
using SkiaSharp;

namespace GanCore.Samples.Tests;

public class MixtureDatasetTests
{
    [Fact]
    public void Ring_has_8_modes_evenly_spaced_on_the_circle_of_radius_2_with_sigma_0_02()
    {
        MixtureDataset ring = MixtureDataset.Ring();
        ring.ModeCount.Should().Be(8);
        ring.Sigma.Should().Be(0.02);
        double chord = 2 * 2 * Math.Sin(Math.PI / 8); // neighbouring centres, 45° apart on radius 2
        for (int k = 0; k < 8; k++)
        {
            Math.Sqrt((ring.CentreX[k] * ring.CentreX[k]) + (ring.CentreY[k] * ring.CentreY[k])).Should().BeApproximately(2, 1e-12);
            int next = (k + 1) % 8;
            Math.Sqrt(Math.Pow(ring.CentreX[next] - ring.CentreX[k], 2) + Math.Pow(ring.CentreY[next] - ring.CentreY[k], 2)).Should().BeApproximately(chord, 1e-12);
        }

        ring.CentreX[0].Should().Be(2);
        ring.CentreY[0].Should().Be(0);
    }

    [Fact]
    public void Grid_has_25_modes_at_every_pair_of_minus_4_to_4_in_steps_of_2_with_sigma_0_05()
    {
        MixtureDataset grid = MixtureDataset.Grid();
        grid.ModeCount.Should().Be(25);
        grid.Sigma.Should().Be(0.05);
        var expected = new HashSet<(double, double)>();
        foreach (double x in new double[] { -4, -2, 0, 2, 4 })
        {
            foreach (double y in new double[] { -4, -2, 0, 2, 4 })
            {
                expected.Add((x, y));
            }
        }

        Enumerable.Range(0, 25).Select(k => (grid.CentreX[k], grid.CentreY[k])).Should().BeEquivalentTo(expected);
    }

    [Theory]
    [InlineData("ring")]
    [InlineData("grid")]
    public void Draws_pick_modes_uniformly_and_spread_sigma_around_them(string name)
    {
        MixtureDataset data = MixtureDataset.ForName(name);
        const int n = 50_000;
        Matrix x = data.Sample(n, new RandomSource(11));
        var counts = new int[data.ModeCount];
        var sumSquares = new double[data.ModeCount];
        for (int i = 0; i < n; i++)
        {
            int nearest = Enumerable.Range(0, data.ModeCount).MinBy(k => Math.Pow(x[i, 0] - data.CentreX[k], 2) + Math.Pow(x[i, 1] - data.CentreY[k], 2));
            counts[nearest]++;
            sumSquares[nearest] += Math.Pow(x[i, 0] - data.CentreX[nearest], 2) + Math.Pow(x[i, 1] - data.CentreY[nearest], 2);
        }

        double p = 1.0 / data.ModeCount;
        double sd = Math.Sqrt(n * p * (1 - p));
        foreach (int c in counts)
        {
            c.Should().BeInRange((int)((n * p) - (5 * sd)), (int)((n * p) + (5 * sd)), "each mode has weight 1/K");
        }

        // Per mode, the mean squared distance to the centre estimates 2σ² (two coordinates); ≥ 2,000 draws per mode
        // put its relative standard error at ≤ 1/√2000 ≈ 2.2%, so 10% is more than four of them.
        for (int k = 0; k < data.ModeCount; k++)
        {
            Math.Sqrt(sumSquares[k] / counts[k] / 2).Should().BeApproximately(data.Sigma, 0.1 * data.Sigma);
        }
    }

    [Fact]
    public void An_unknown_dataset_names_the_option()
    {
        FluentActions.Invoking(() => MixtureDataset.ForName("moons")).Should().Throw<ArgumentException>().WithMessage("*--dataset*moons*ring or grid*");
    }
}

public class ModeCoverageTests
{
    private static readonly MixtureDataset Ring = MixtureDataset.Ring();

    /// <summary>counts[k] points at centre k, offset by (dx, dy).</summary>
    private static Matrix AtCentres(MixtureDataset data, int[] counts, double dx = 0, double dy = 0, int extraFar = 0)
    {
        var m = new Matrix(counts.Sum() + extraFar, 2);
        int row = 0;
        for (int k = 0; k < counts.Length; k++)
        {
            for (int i = 0; i < counts[k]; i++, row++)
            {
                m[row, 0] = (float)(data.CentreX[k] + dx);
                m[row, 1] = (float)(data.CentreY[k] + dy);
            }
        }

        for (; row < m.Rows; row++)
        {
            m[row, 0] = 0; // the ring's centre, 2 away from every mode
            m[row, 1] = 0;
        }

        return m;
    }

    [Fact]
    public void Equal_counts_at_every_centre_cover_every_mode_with_zero_reverse_kl()
    {
        ModeCoverage c = ModeCoverage.Compute(AtCentres(Ring, [300, 300, 300, 300, 300, 300, 300, 300]), Ring);
        c.Samples.Should().Be(2400);
        c.ModesCovered.Should().Be(8);
        c.HighQualityShare.Should().Be(1);
        c.ReverseKl.Should().Be(0);
        c.Counts.Should().Equal(300, 300, 300, 300, 300, 300, 300, 300);
    }

    [Fact]
    public void Everything_in_one_mode_gives_reverse_kl_log_k()
    {
        ModeCoverage c = ModeCoverage.Compute(AtCentres(Ring, [0, 0, 2500, 0, 0, 0, 0, 0]), Ring);
        c.ModesCovered.Should().Be(1);
        c.ReverseKl!.Value.Should().BeApproximately(Math.Log(8), 1e-12);

        MixtureDataset grid = MixtureDataset.Grid();
        var counts = new int[25];
        counts[7] = 100;
        ModeCoverage.Compute(AtCentres(grid, counts), grid).ReverseKl!.Value.Should().BeApproximately(Math.Log(25), 1e-12);
    }

    [Fact]
    public void Low_quality_points_lower_the_share_but_not_the_histogram()
    {
        // 1,000 points split evenly over 2 of 8 modes, 1,000 at the ring's centre: share 1/2; q = (½, ½) on two
        // modes, so KL = 2 · ½ log(½ · 8) = log 4 and the far points do not enter it.
        ModeCoverage c = ModeCoverage.Compute(AtCentres(Ring, [500, 0, 0, 0, 500, 0, 0, 0], extraFar: 1000), Ring);
        c.HighQualityShare.Should().Be(0.5);
        c.ModesCovered.Should().Be(2);
        c.ReverseKl!.Value.Should().BeApproximately(Math.Log(4), 1e-12);
    }

    [Fact]
    public void A_hand_computed_histogram_gives_its_kl()
    {
        // counts (3, 1, 0, 0) over K = 4: q = (¾, ¼, 0, 0): KL = ¾ log 3 + ¼ log 1 = ¾ log 3.
        ModeCoverage.ReverseKlAgainstUniform([3, 1, 0, 0]).Should().BeApproximately(0.75 * Math.Log(3), 1e-15);
        ModeCoverage.ReverseKlAgainstUniform([0, 0, 0]).Should().BeNull();
    }

    [Fact]
    public void A_mode_needs_20_points_to_count_as_covered()
    {
        ModeCoverage c = ModeCoverage.Compute(AtCentres(Ring, [19, 20, 21, 0, 0, 0, 0, 0]), Ring);
        c.ModesCovered.Should().Be(2);
        c.Counts.Should().Equal(19, 20, 21, 0, 0, 0, 0, 0);
    }

    [Fact]
    public void High_quality_means_within_3_sigma_of_the_nearest_centre()
    {
        // σ = 0.02 on the ring: 3σ = 0.06. Offsets of 0.059 are in, 0.061 out.
        int[] counts = [10, 10, 10, 10, 10, 10, 10, 10];
        ModeCoverage.Compute(AtCentres(Ring, counts, dx: 0.059), Ring).HighQualityShare.Should().Be(1);
        ModeCoverage.Compute(AtCentres(Ring, counts, dx: 0.061), Ring).HighQualityShare.Should().Be(0);
        ModeCoverage.Compute(AtCentres(Ring, counts, dx: 0.03, dy: -0.05), Ring).HighQualityShare.Should().Be(1); // √(0.0034) ≈ 0.0583
    }

    [Fact]
    public void Non_finite_points_are_never_of_high_quality_and_an_empty_histogram_has_no_kl()
    {
        Matrix m = Matrix.FromArray(new float[,] { { float.NaN, 0 }, { 2, float.PositiveInfinity }, { 2, 0 } });
        ModeCoverage c = ModeCoverage.Compute(m, Ring);
        c.HighQualityShare.Should().BeApproximately(1.0 / 3, 1e-15);
        c.Counts[0].Should().Be(1);

        ModeCoverage none = ModeCoverage.Compute(Matrix.FromArray(new float[,] { { 0, 0 }, { 10, 10 } }), Ring);
        none.HighQualityShare.Should().Be(0);
        none.ModesCovered.Should().Be(0);
        none.ReverseKl.Should().BeNull();
    }

    [Fact]
    public void Real_draws_score_what_the_gaussian_predicts()
    {
        // P(‖N(0, σ²I₂)‖ ≤ 3σ) = 1 − e^{−4.5} ≈ 0.98889; 2,500 draws: standard error ≈ 0.0021.
        MixtureDataset grid = MixtureDataset.Grid();
        ModeCoverage c = ModeCoverage.Compute(grid.Sample(2500, new RandomSource(3)), grid);
        c.HighQualityShare.Should().BeApproximately(1 - Math.Exp(-4.5), 0.01);
        c.ModesCovered.Should().Be(25);
        c.ReverseKl!.Value.Should().BeLessThan(0.03, "multinomial noise of 2,500 draws over 25 modes gives KL ≈ (K − 1)/(2N) ≈ 0.005");
    }
}

/// <summary>The CLI writes to the console and reads its error stream here, so it runs alone.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class MixturesCliGroup : ICollectionFixture<MixturesRunFixture>
{
    public const string Name = "Mixtures CLI";
}

/// <summary>One short training run on the grid, shared by the tests that inspect its files.</summary>
public sealed class MixturesRunFixture : IDisposable
{
    public MixturesRunFixture()
    {
        Root = Path.Combine(Path.GetTempPath(), $"gancore-mixtures-{Guid.NewGuid():N}");
        Output = Path.Combine(Root, "run");
        ExitCode = Cli.Run(["--dataset", "grid", "--steps", "60", "--seed", "3", "--quiet", "--out", Output]);
    }

    public string Root { get; }

    public string Output { get; }

    public int ExitCode { get; }

    public void Dispose() => Directory.Delete(Root, recursive: true);
}

[Collection(MixturesCliGroup.Name)]
public sealed class MixturesCliTests(MixturesRunFixture run)
{
    private string Scratch(string name) => Path.Combine(run.Root, $"{name}-{Guid.NewGuid():N}");

    [Fact]
    public void Training_returns_0_and_writes_every_file()
    {
        run.ExitCode.Should().Be(Cli.ExitOk);
        foreach (string file in new[] { "samples.csv", "metrics.csv", "report.json", "samples.png", "training.png", "generator.ckpt" })
        {
            new FileInfo(Path.Combine(run.Output, file)).Length.Should().BePositive(file);
        }
    }

    [Fact]
    public void Samples_csv_has_the_header_and_2500_finite_points()
    {
        string[] lines = File.ReadAllLines(Path.Combine(run.Output, "samples.csv"));
        lines[0].Should().Be("x,y");
        lines.Should().HaveCount(2501);
        foreach (string line in lines.Skip(1))
        {
            string[] parts = line.Split(',');
            parts.Should().HaveCount(2);
            parts.Select(p => double.Parse(p, NumberStyles.Float, CultureInfo.InvariantCulture)).Should().OnlyContain(v => double.IsFinite(v));
        }
    }

    [Fact]
    public void Report_json_holds_coverage_fd_and_precision_recall_consistent_with_samples_csv()
    {
        using JsonDocument report = JsonDocument.Parse(File.ReadAllText(Path.Combine(run.Output, "report.json")));
        JsonElement root = report.RootElement;
        root.GetProperty("settings").GetProperty("dataset").GetString().Should().Be("grid");
        root.GetProperty("stepsCompleted").GetInt64().Should().Be(60);
        root.GetProperty("samples").GetInt32().Should().Be(2500);
        root.GetProperty("dataset").GetProperty("modes").GetInt32().Should().Be(25);
        root.GetProperty("modeCounts").GetArrayLength().Should().Be(25);
        root.GetProperty("frechetDistance").GetDouble().Should().BeGreaterThanOrEqualTo(0);
        root.GetProperty("precision").GetDouble().Should().BeInRange(0, 1);
        root.GetProperty("recall").GetDouble().Should().BeInRange(0, 1);
        root.GetProperty("precisionRecallK").GetInt32().Should().Be(3);
        root.GetProperty("trainingSeconds").GetDouble().Should().BePositive();

        // The coverage numbers are those of the points in samples.csv.
        string[] lines = File.ReadAllLines(Path.Combine(run.Output, "samples.csv"));
        var points = new Matrix(2500, 2);
        for (int i = 0; i < 2500; i++)
        {
            string[] parts = lines[i + 1].Split(',');
            points[i, 0] = float.Parse(parts[0], CultureInfo.InvariantCulture);
            points[i, 1] = float.Parse(parts[1], CultureInfo.InvariantCulture);
        }

        ModeCoverage c = ModeCoverage.Compute(points, MixtureDataset.Grid());
        root.GetProperty("modesCovered").GetInt32().Should().Be(c.ModesCovered);
        root.GetProperty("highQualityShare").GetDouble().Should().Be(c.HighQualityShare);
        root.GetProperty("modeCounts").EnumerateArray().Select(e => e.GetInt32()).Should().Equal(c.Counts);
        if (c.ReverseKl is double kl)
        {
            root.GetProperty("reverseKl").GetDouble().Should().BeApproximately(kl, 1e-12);
        }
        else
        {
            root.GetProperty("reverseKl").ValueKind.Should().Be(JsonValueKind.Null);
        }

        // A perfect generator's scores at this sample size: near 0 FD, precision and recall near 1.
        JsonElement baseline = root.GetProperty("realBaseline");
        baseline.GetProperty("frechetDistance").GetDouble().Should().BeLessThan(0.05);
        baseline.GetProperty("precision").GetDouble().Should().BeGreaterThan(0.9);
        baseline.GetProperty("recall").GetDouble().Should().BeGreaterThan(0.9);
    }

    [Theory]
    [InlineData("samples.png", 800, 800)]
    [InlineData("training.png", 900, 600)]
    public void Plots_are_decodable_PNGs_with_a_rendered_title(string file, int width, int height)
    {
        using SKBitmap bitmap = SKBitmap.Decode(Path.Combine(run.Output, file));
        bitmap.Should().NotBeNull();
        bitmap.Width.Should().Be(width);
        bitmap.Height.Should().Be(height);
        int dark = 0;
        for (int y = 0; y < 45; y++)
        {
            for (int x = 0; x < bitmap.Width; x++)
            {
                SKColor c = bitmap.GetPixel(x, y);
                dark += (0.299 * c.Red) + (0.587 * c.Green) + (0.114 * c.Blue) < 100 ? 1 : 0;
            }
        }

        dark.Should().BeGreaterThan(300, "the title must be rendered (fonts present)");
    }

    [Fact]
    public void The_same_seed_gives_the_same_samples_and_no_plots_means_no_png()
    {
        string a = Scratch("a");
        string b = Scratch("b");
        Cli.Run(["--steps", "20", "--seed", "9", "--quiet", "--no-plots", "--out", a]).Should().Be(Cli.ExitOk);
        string c = Scratch("c");
        Cli.Run(["--steps", "20", "--seed", "9", "--quiet", "--no-plots", "--out", b]).Should().Be(Cli.ExitOk);
        Cli.Run(["--steps", "20", "--seed", "9", "--schedule", "simultaneous", "--noise-dim", "3", "--quiet", "--no-plots", "--out", c]).Should().Be(Cli.ExitOk);
        File.ReadAllText(Path.Combine(a, "samples.csv")).Should().Be(File.ReadAllText(Path.Combine(b, "samples.csv")));
        File.ReadAllText(Path.Combine(c, "samples.csv")).Should().NotBe(File.ReadAllText(Path.Combine(a, "samples.csv")));
        using (JsonDocument report = JsonDocument.Parse(File.ReadAllText(Path.Combine(c, "report.json"))))
        {
            report.RootElement.GetProperty("settings").GetProperty("schedule").GetString().Should().Be("Simultaneous");
            report.RootElement.GetProperty("settings").GetProperty("noiseDimension").GetInt32().Should().Be(3);
        }

        File.Exists(Path.Combine(a, "samples.png")).Should().BeFalse();
        File.Exists(Path.Combine(a, "training.png")).Should().BeFalse();
    }

    [Theory]
    [InlineData("wasserstein", "Wasserstein", "0.01", 5)]
    [InlineData("hinge", "Hinge", null, 1)]
    [InlineData("original", "Minimax", null, 1)]
    [InlineData("leastsquares", "LeastSquares", null, 2)]
    public void The_objective_clip_and_d_steps_options_reach_the_run_and_the_report(string objective, string kind, string? clip, int dSteps)
    {
        string folder = Scratch(objective);
        string[] args = ["--objective", objective, "--d-steps", dSteps.ToString(CultureInfo.InvariantCulture), "--steps", "20", "--seed", "4", "--quiet", "--no-plots", "--out", folder];
        Cli.Run(clip is null ? args : [.. args, "--clip", clip]).Should().Be(Cli.ExitOk);
        using JsonDocument report = JsonDocument.Parse(File.ReadAllText(Path.Combine(folder, "report.json")));
        JsonElement settings = report.RootElement.GetProperty("settings");
        settings.GetProperty("objective").GetString().Should().Be(kind);
        settings.GetProperty("discriminatorSteps").GetInt32().Should().Be(dSteps);
        if (clip is null)
        {
            settings.GetProperty("clip").ValueKind.Should().Be(JsonValueKind.Null);
        }
        else
        {
            settings.GetProperty("clip").GetSingle().Should().Be(float.Parse(clip, CultureInfo.InvariantCulture));
        }

        report.RootElement.GetProperty("stepsCompleted").GetInt64().Should().Be(20);
    }

    [Fact]
    public void The_default_objective_stays_the_preset_s_non_saturating_loss_without_clipping()
    {
        string folder = Scratch("default");
        Cli.Run(["--steps", "1", "--quiet", "--no-plots", "--out", folder]).Should().Be(Cli.ExitOk);
        using JsonDocument report = JsonDocument.Parse(File.ReadAllText(Path.Combine(folder, "report.json")));
        report.RootElement.GetProperty("settings").GetProperty("objective").GetString().Should().Be("NonSaturating");
        report.RootElement.GetProperty("settings").GetProperty("clip").ValueKind.Should().Be(JsonValueKind.Null);
        report.RootElement.GetProperty("settings").GetProperty("discriminatorSteps").GetInt32().Should().Be(1);
        report.RootElement.GetProperty("settings").GetProperty("clipNorm").ValueKind.Should().Be(JsonValueKind.Null);
        report.RootElement.GetProperty("gradientNorms").ValueKind.Should().Be(JsonValueKind.Null);
        File.ReadAllLines(Path.Combine(folder, "metrics.csv"))[0].Should().Be("step,d_loss,g_loss,d_real,d_fake", "the columns of 0.1.0 without --clip-norm");
    }

    [Fact]
    public void Clip_norm_reaches_both_optimizers_and_logs_the_norms_it_saw()
    {
        string folder = Scratch("clip-norm");
        Cli.Run(["--steps", "40", "--seed", "5", "--clip-norm", "2", "--quiet", "--out", folder]).Should().Be(Cli.ExitOk);
        using JsonDocument report = JsonDocument.Parse(File.ReadAllText(Path.Combine(folder, "report.json")));
        report.RootElement.GetProperty("settings").GetProperty("clipNorm").GetSingle().Should().Be(2f);
        report.RootElement.EnumerateObject().Last().Name.Should().Be("gradientNorms", "new report fields go last");

        // metrics.csv: every 10th step's norms before clipping, for D and for G.
        string[] lines = File.ReadAllLines(Path.Combine(folder, "metrics.csv"));
        lines[0].Should().Be("step,d_loss,g_loss,d_real,d_fake,d_grad_norm,g_grad_norm");
        lines.Should().HaveCount(5);
        double[][] norms = lines.Skip(1).Select(l => l.Split(',')[5..].Select(v => double.Parse(v, CultureInfo.InvariantCulture)).ToArray()).ToArray();
        norms.SelectMany(n => n).Should().OnlyContain(v => v > 0 && double.IsFinite(v));
        norms.Select(n => n[0]).Should().NotEqual(norms.Select(n => n[1]), "D's and G's are separate norms");

        // report.json: the summary over all 40 steps brackets the logged ones.
        foreach ((string name, int column) in new[] { ("discriminator", 0), ("generator", 1) })
        {
            JsonElement g = report.RootElement.GetProperty("gradientNorms").GetProperty(name);
            double max = g.GetProperty("max").GetDouble();
            g.GetProperty("median").GetDouble().Should().BePositive().And.BeLessThanOrEqualTo(max, name);
            norms.Select(n => n[column]).Max().Should().BeLessThanOrEqualTo(max * (1 + 1e-6), name);
            g.GetProperty("clippedShare").GetDouble().Should().BeInRange(0, 1, name);
        }

        using SKBitmap bitmap = SKBitmap.Decode(Path.Combine(folder, "gradient-norms.png"));
        bitmap.Width.Should().Be(900);
        bitmap.Height.Should().Be(600);
    }

    [Fact]
    public void The_gradient_penalty_reaches_D_and_logs_its_value_in_the_metrics_and_the_report()
    {
        string plain = Scratch("wgan");
        string penalized = Scratch("wgan-gp");
        string again = Scratch("wgan-gp-again");
        string stronger = Scratch("wgan-gp-stronger");
        string centered = Scratch("wgan-gp-zero");
        string[] args = ["--steps", "30", "--seed", "4", "--objective", "wasserstein", "--d-steps", "2", "--quiet", "--no-plots"];
        Cli.Run([.. args, "--out", plain]).Should().Be(Cli.ExitOk);
        Cli.Run([.. args, "--gp", "0.1", "--out", penalized]).Should().Be(Cli.ExitOk);
        Cli.Run([.. args, "--gp", "0.1", "--out", again]).Should().Be(Cli.ExitOk);
        Cli.Run([.. args, "--gp", "1", "--out", stronger]).Should().Be(Cli.ExitOk);
        Cli.Run([.. args, "--gp", "0.1", "--gp-target", "0", "--out", centered]).Should().Be(Cli.ExitOk);
        string samples = File.ReadAllText(Path.Combine(penalized, "samples.csv"));
        samples.Should().NotBe(File.ReadAllText(Path.Combine(plain, "samples.csv")));
        File.ReadAllText(Path.Combine(stronger, "samples.csv")).Should().NotBe(samples, "λ reaches D (both runs draw the same ε)");
        File.ReadAllText(Path.Combine(again, "samples.csv")).Should().Be(samples, "the same seed draws the same interpolates");
        File.ReadAllText(Path.Combine(centered, "samples.csv")).Should().NotBe(samples, "the target reaches the penalty");

        string[] lines = File.ReadAllLines(Path.Combine(penalized, "metrics.csv"));
        lines[0].Should().Be("step,d_loss,g_loss,d_real,d_fake,gradient_penalty");
        lines.Skip(1).Select(l => double.Parse(l.Split(',')[5], CultureInfo.InvariantCulture)).Should().HaveCount(3).And.OnlyContain(v => v > 0 && double.IsFinite(v));
        File.ReadAllLines(Path.Combine(plain, "metrics.csv"))[0].Should().Be("step,d_loss,g_loss,d_real,d_fake");

        using JsonDocument report = JsonDocument.Parse(File.ReadAllText(Path.Combine(penalized, "report.json")));
        report.RootElement.GetProperty("settings").GetProperty("gradientPenaltyWeight").GetSingle().Should().Be(0.1f);
        report.RootElement.GetProperty("settings").GetProperty("gradientPenaltyTarget").GetSingle().Should().Be(1f);
        report.RootElement.GetProperty("final").GetProperty("gradientPenalty").GetDouble().Should().BePositive();
        report.RootElement.GetProperty("final").EnumerateObject().Last().Name.Should().Be("gradientPenalty", "new report fields go last");
        using JsonDocument zero = JsonDocument.Parse(File.ReadAllText(Path.Combine(centered, "report.json")));
        zero.RootElement.GetProperty("settings").GetProperty("gradientPenaltyTarget").GetSingle().Should().Be(0f);
        using JsonDocument off = JsonDocument.Parse(File.ReadAllText(Path.Combine(plain, "report.json")));
        off.RootElement.GetProperty("settings").GetProperty("gradientPenaltyWeight").GetSingle().Should().Be(0f);
        off.RootElement.GetProperty("final").GetProperty("gradientPenalty").ValueKind.Should().Be(JsonValueKind.Null);
    }

    [Fact]
    public void A_clip_norm_above_every_gradient_changes_nothing_and_a_tight_one_clips_every_step()
    {
        string plain = Scratch("plain");
        string loose = Scratch("loose");
        string tight = Scratch("tight");
        string[] args = ["--steps", "30", "--seed", "8", "--quiet", "--no-plots"];
        Cli.Run([.. args, "--out", plain]).Should().Be(Cli.ExitOk);
        Cli.Run([.. args, "--clip-norm", "1e30", "--out", loose]).Should().Be(Cli.ExitOk);
        Cli.Run([.. args, "--clip-norm", "1e-3", "--out", tight]).Should().Be(Cli.ExitOk);
        string samples = File.ReadAllText(Path.Combine(plain, "samples.csv"));
        File.ReadAllText(Path.Combine(loose, "samples.csv")).Should().Be(samples, "a limit no gradient reaches scales nothing");
        File.ReadAllText(Path.Combine(tight, "samples.csv")).Should().NotBe(samples);
        using JsonDocument looseReport = JsonDocument.Parse(File.ReadAllText(Path.Combine(loose, "report.json")));
        using JsonDocument tightReport = JsonDocument.Parse(File.ReadAllText(Path.Combine(tight, "report.json")));
        foreach (string name in new[] { "discriminator", "generator" })
        {
            looseReport.RootElement.GetProperty("gradientNorms").GetProperty(name).GetProperty("clippedShare").GetDouble().Should().Be(0, name);
            tightReport.RootElement.GetProperty("gradientNorms").GetProperty(name).GetProperty("clippedShare").GetDouble().Should().Be(1, name);
        }
    }

    [Fact]
    public void The_rmsprop_optimizer_trains_both_networks_and_reaches_the_report()
    {
        MixtureSettings s = MixtureSettings.OriginalPreset with { Optimizer = "rmsprop", Clip = 0.01f, LearningRate = 5e-5f };
        GanCore.Adversarial.Gan gan = Experiment.Build(s, MixtureDataset.ForName("ring"));
        var g = gan.GeneratorOptimizer.Should().BeOfType<GanCore.Optimizers.RmsProp>().Subject;
        var d = gan.DiscriminatorOptimizer.Should().BeOfType<GanCore.Optimizers.RmsProp>().Subject;
        (g.LearningRate, g.Alpha, g.Momentum, g.Centered, g.WeightClip).Should().Be((5e-5f, 0.99f, 0f, false, (float?)null));
        (d.LearningRate, d.WeightClip).Should().Be((5e-5f, 0.01f));

        string adam = Scratch("adam");
        string rms = Scratch("rmsprop");
        string rmsAgain = Scratch("rmsprop-again");
        string[] args = ["--steps", "20", "--seed", "6", "--quiet", "--no-plots"];
        Cli.Run([.. args, "--out", adam]).Should().Be(Cli.ExitOk);
        Cli.Run([.. args, "--optimizer", "rmsprop", "--out", rms]).Should().Be(Cli.ExitOk);
        Cli.Run([.. args, "--optimizer", "rmsprop", "--out", rmsAgain]).Should().Be(Cli.ExitOk);
        string samples = File.ReadAllText(Path.Combine(rms, "samples.csv"));
        samples.Should().NotBe(File.ReadAllText(Path.Combine(adam, "samples.csv")));
        File.ReadAllText(Path.Combine(rmsAgain, "samples.csv")).Should().Be(samples, "the same seed and optimizer");
        using JsonDocument report = JsonDocument.Parse(File.ReadAllText(Path.Combine(rms, "report.json")));
        report.RootElement.GetProperty("settings").GetProperty("optimizer").GetString().Should().Be("rmsprop");
        report.RootElement.GetProperty("settings").GetProperty("beta1").ValueKind.Should().Be(JsonValueKind.Null, "Adam's β1 is not used");
        report.RootElement.GetProperty("settings").GetProperty("beta2").ValueKind.Should().Be(JsonValueKind.Null);
        using JsonDocument adamReport = JsonDocument.Parse(File.ReadAllText(Path.Combine(adam, "report.json")));
        adamReport.RootElement.GetProperty("settings").GetProperty("optimizer").GetString().Should().Be("adam");
    }

    [Theory]
    [InlineData("--beta1", "0.9")]
    [InlineData("--beta1", "0.5")] // the preset's own value: given is given
    [InlineData("--beta2", "0.99")]
    public void Adam_s_betas_with_rmsprop_exit_with_2_naming_both(string option, string value)
    {
        (int exit, string error) = ConsoleCapture.Error(() => Cli.Run(["--optimizer", "rmsprop", option, value, "--quiet", "--no-plots", "--out", Scratch("betas")]));
        exit.Should().Be(Cli.ExitBadInput);
        error.Should().Contain("--beta1 and --beta2").And.Contain("--optimizer rmsprop");
    }

    [Fact]
    public void A_gradient_norm_summary_is_the_median_the_largest_and_the_share_above_the_limit()
    {
        GradientNormSummary even = GradientNormSummary.Of([1f, 5f, 2f, 3f], 2.5f);
        even.Median.Should().Be(2.5);
        even.Max.Should().Be(5);
        even.ClippedShare.Should().Be(0.5);
        GradientNormSummary odd = GradientNormSummary.Of([4f, float.PositiveInfinity, 1f], 4f);
        odd.Median.Should().Be(4, "a norm equal to the limit is not clipped");
        odd.Max.Should().Be(double.PositiveInfinity);
        odd.ClippedShare.Should().BeApproximately(1.0 / 3, 1e-15);
        GradientNormSummary none = GradientNormSummary.Of([], 1f);
        double.IsNaN(none.Median).Should().BeTrue();
        double.IsNaN(none.ClippedShare).Should().BeTrue();
        GradientNormSummary withNaN = GradientNormSummary.Of([float.NaN, 3f, 1f], 2f);
        (withNaN.Median, withNaN.Max, withNaN.ClippedShare).Should().Be((2.0, 3.0, 0.5), "a NaN is left out, not sorted first");
    }

    [Theory]
    [InlineData("alternating", 2)]
    [InlineData("simultaneous", 1)]
    public void Each_metrics_row_holds_the_norms_the_optimizers_measured_in_that_step(string schedule, int dSteps)
    {
        // For D the last of the step's updates: with two D updates a step, the one the optimizer measured last.
        MixtureSettings s = MixtureSettings.OriginalPreset with
        {
            Steps = 30,
            Seed = 11,
            ClipNorm = 2f,
            DiscriminatorSteps = dSteps,
            Schedule = schedule == "simultaneous" ? GanCore.Adversarial.GanSchedule.Simultaneous : GanCore.Adversarial.GanSchedule.Alternating,
        };
        GanCore.Adversarial.Gan gan = Experiment.Build(s, MixtureDataset.ForName("grid"));
        var seen = new List<(float D, float G)>();
        TrainingRun run = Experiment.Train(gan, s, m => { if (m.Step % 10 == 0) { seen.Add((gan.DiscriminatorOptimizer.LastGradientNorm, gan.GeneratorOptimizer.LastGradientNorm)); } }, null, CancellationToken.None);
        run.Metrics.Select(r => (r.DiscriminatorGradientNorm, r.GeneratorGradientNorm)).Should().Equal(seen);
        seen.Should().OnlyContain(n => n.D > 0 && n.G > 0 && n.D != n.G);
        run.DiscriminatorGradientNorm!.Max.Should().BeGreaterThanOrEqualTo(seen.Max(n => n.D));
        run.GeneratorGradientNorm!.Max.Should().BeGreaterThanOrEqualTo(seen.Max(n => n.G));
    }

    [Theory]
    [InlineData("--dataset", "moons", "--dataset")]
    [InlineData("--preset", "fancy", "--preset")]
    [InlineData("--steps", "-1", "--steps")]
    [InlineData("--steps", "many", "--steps")]
    [InlineData("--seed", "-3", "--seed")]
    [InlineData("--schedule", "sometimes", "--schedule")]
    [InlineData("--noise-dim", "0", "--noise-dim")]
    [InlineData("--objective", "wgan", "--objective")]
    [InlineData("--objective", "Hinge", "--objective")]
    [InlineData("--clip", "0", "--clip")]
    [InlineData("--clip", "-0.01", "--clip")]
    [InlineData("--clip", "Infinity", "--clip")]
    [InlineData("--clip", "NaN", "--clip")]
    [InlineData("--clip", "tight", "--clip")]
    [InlineData("--clip-norm", "0", "--clip-norm")]
    [InlineData("--clip-norm", "-1", "--clip-norm")]
    [InlineData("--clip-norm", "NaN", "--clip-norm")]
    [InlineData("--clip-norm", "Infinity", "--clip-norm")]
    [InlineData("--clip-norm", "loose", "--clip-norm")]
    [InlineData("--optimizer", "sgd", "--optimizer")]
    [InlineData("--optimizer", "RMSprop", "--optimizer")]
    [InlineData("--d-steps", "0", "--d-steps")]
    [InlineData("--hidden", "0", "--hidden")]
    [InlineData("--activation", "tanh", "--activation")]
    [InlineData("--batch", "0", "--batch")]
    [InlineData("--lr", "0", "--lr")]
    [InlineData("--lr", "-0.001", "--lr")]
    [InlineData("--lr", "NaN", "--lr")]
    [InlineData("--beta1", "1", "--beta1")]
    [InlineData("--beta1", "NaN", "--beta1")]
    [InlineData("--beta2", "-0.5", "--beta2")]
    [InlineData("--beta2", "1", "--beta2")]
    [InlineData("--beta2", "NaN", "--beta2")]
    [InlineData("--lr-decay", "step", "--lr-decay")]
    [InlineData("--lr-final", "0", "--lr-final")]
    [InlineData("--lr-final", "1.5", "--lr-final")]
    [InlineData("--real-label", "0.5", "--real-label")]
    [InlineData("--real-label", "1.1", "--real-label")]
    [InlineData("--r1", "-1", "--r1")]
    [InlineData("--r1", "NaN", "--r1")]
    [InlineData("--r1", "Infinity", "--r1")]
    [InlineData("--r1-every", "0", "--r1-every")]
    [InlineData("--gp", "-1", "--gp")]
    [InlineData("--gp", "NaN", "--gp")]
    [InlineData("--gp", "Infinity", "--gp")]
    [InlineData("--gp", "strong", "--gp")]
    [InlineData("--gp-target", "-0.5", "--gp-target")] // checked before its pairing with --gp
    [InlineData("--gp-target", "NaN", "--gp-target")]
    [InlineData("--gp-target", "1", "--gp-target")] // without --gp
    [InlineData("--ema", "1", "--ema")]
    [InlineData("--ema", "-0.1", "--ema")]
    [InlineData("--ema", "NaN", "--ema")]
    [InlineData("--ema-start", "0", "--ema-start")]
    [InlineData("--pack", "0", "--pack")]
    [InlineData("--pack", "3", "--pack")]
    [InlineData("--diagnostics-every", "-1", "--diagnostics-every")]
    [InlineData("--spectral-norm", "maybe", "maybe")] // names no layers
    [InlineData("--spectral-norm", "output", "--spectral-norm")]
    [InlineData("--bogus", "1", "--bogus")]
    public void Bad_options_exit_with_2_naming_the_option(string option, string value, string named)
    {
        (int exit, string error) = ConsoleCapture.Error(() => Cli.Run([option, value, "--quiet", "--no-plots", "--out", Scratch("bad")]));

        exit.Should().Be(Cli.ExitBadInput);
        error.Should().StartWith("error: ").And.Contain(named);
    }

    [Fact]
    public void Label_smoothing_with_an_objective_without_labels_exits_with_2_naming_both()
    {
        (int exit, string error) = ConsoleCapture.Error(() => Cli.Run(["--objective", "hinge", "--real-label", "0.9", "--quiet", "--no-plots", "--out", Scratch("bad")]));

        exit.Should().Be(Cli.ExitBadInput);
        error.Should().StartWith("error: ").And.Contain("--real-label").And.Contain("hinge");
    }

    [Fact]
    public void A_short_tuned_run_writes_every_file_and_reports_the_tuned_recipe()
    {
        string folder = Scratch("tuned");
        Cli.Run(["--preset", "tuned", "--dataset", "grid", "--steps", "30", "--seed", "2", "--quiet", "--out", folder]).Should().Be(Cli.ExitOk);
        foreach (string file in new[] { "samples.csv", "metrics.csv", "report.json", "samples.png", "training.png", "generator.ckpt" })
        {
            new FileInfo(Path.Combine(folder, file)).Length.Should().BePositive(file);
        }

        File.ReadAllLines(Path.Combine(folder, "samples.csv")).Should().HaveCount(2501);
        using JsonDocument report = JsonDocument.Parse(File.ReadAllText(Path.Combine(folder, "report.json")));
        JsonElement settings = report.RootElement.GetProperty("settings");
        settings.GetProperty("preset").GetString().Should().Be("tuned");
        settings.GetProperty("objective").GetString().Should().Be("Hinge");
        settings.GetProperty("spectralNormLayers").GetString().Should().Be("hidden");
        settings.GetProperty("spectralNorm").GetBoolean().Should().BeTrue();
        settings.GetProperty("r1Gamma").GetSingle().Should().Be(0f);
        settings.GetProperty("ema").GetSingle().Should().Be(0.999f);
        settings.GetProperty("steps").GetInt32().Should().Be(30);
        report.RootElement.GetProperty("stepsCompleted").GetInt64().Should().Be(30);
    }

    [Fact]
    public void The_tuned_preset_is_the_original_recipe_plus_hinge_hidden_layer_normalization_ema_and_20000_steps()
    {
        MixtureSettings tuned = MixtureSettings.ForPreset("tuned");
        tuned.Should().Be(MixtureSettings.OriginalPreset with
        {
            Preset = "tuned",
            Steps = 20_000,
            Objective = GanCore.Adversarial.GanObjective.Hinge,
            SpectralNormLayers = SpectralNormLayers.Hidden,
            Ema = 0.999f,
        });
    }

    [Fact]
    public void The_tuned_r1_preset_is_the_tuned_preset_of_before_2026_12_07()
    {
        MixtureSettings.ForPreset("tuned-r1").Should().Be(MixtureSettings.OriginalPreset with
        {
            Preset = "tuned-r1",
            Steps = 20_000,
            Objective = GanCore.Adversarial.GanObjective.Hinge,
            R1Gamma = 1f,
            Ema = 0.999f,
        });
        MixtureSettings.ForPreset("tuned-r1", "ring").Should().Be(MixtureSettings.TunedR1Preset with { Objective = GanCore.Adversarial.GanObjective.NonSaturating });
        MixtureSettings.ForPreset("tuned-r1", "grid").Should().Be(MixtureSettings.TunedR1Preset);

        string folder = Scratch("tuned-r1");
        Cli.Run(["--preset", "tuned-r1", "--dataset", "grid", "--steps", "5", "--quiet", "--no-plots", "--out", folder]).Should().Be(Cli.ExitOk);
        using JsonDocument report = JsonDocument.Parse(File.ReadAllText(Path.Combine(folder, "report.json")));
        JsonElement settings = report.RootElement.GetProperty("settings");
        settings.GetProperty("preset").GetString().Should().Be("tuned-r1");
        settings.GetProperty("objective").GetString().Should().Be("Hinge");
        settings.GetProperty("spectralNormLayers").GetString().Should().Be("none");
        settings.GetProperty("r1Gamma").GetSingle().Should().Be(1f);
        settings.GetProperty("ema").GetSingle().Should().Be(0.999f);
        settings.GetProperty("steps").GetInt32().Should().Be(5);
    }

    [Fact]
    public void The_tuned_preset_keeps_the_non_saturating_loss_on_the_ring_and_takes_hinge_on_the_grid()
    {
        MixtureSettings.ForPreset("tuned", "ring").Should().Be(MixtureSettings.TunedPreset with { Objective = GanCore.Adversarial.GanObjective.NonSaturating });
        MixtureSettings.ForPreset("tuned", "grid").Should().Be(MixtureSettings.TunedPreset);
        MixtureSettings.ForPreset("original", "ring").Should().Be(MixtureSettings.OriginalPreset);

        string folder = Scratch("tuned-ring");
        Cli.Run(["--preset", "tuned", "--steps", "5", "--quiet", "--no-plots", "--out", folder]).Should().Be(Cli.ExitOk);
        using JsonDocument report = JsonDocument.Parse(File.ReadAllText(Path.Combine(folder, "report.json")));
        JsonElement settings = report.RootElement.GetProperty("settings");
        settings.GetProperty("dataset").GetString().Should().Be("ring");
        settings.GetProperty("objective").GetString().Should().Be("NonSaturating");
        settings.GetProperty("spectralNormLayers").GetString().Should().Be("hidden");
    }

    [Fact]
    public void An_option_overrides_the_tuned_preset_for_an_ablation()
    {
        string folder = Scratch("ablation");
        Cli.Run(["--preset", "tuned", "--ema", "0", "--spectral-norm", "none", "--objective", "nonsaturating", "--steps", "5", "--quiet", "--no-plots", "--out", folder]).Should().Be(Cli.ExitOk);
        using JsonDocument report = JsonDocument.Parse(File.ReadAllText(Path.Combine(folder, "report.json")));
        JsonElement settings = report.RootElement.GetProperty("settings");
        settings.GetProperty("preset").GetString().Should().Be("tuned");
        settings.GetProperty("objective").GetString().Should().Be("NonSaturating");
        settings.GetProperty("spectralNormLayers").GetString().Should().Be("none");
        settings.GetProperty("spectralNorm").GetBoolean().Should().BeFalse();
        settings.GetProperty("ema").GetSingle().Should().Be(0);
    }

    [Theory]
    [InlineData("all")]
    [InlineData("hidden")]
    public void R1_combines_with_spectral_normalization(string layers)
    {
        string normalized = Scratch("sn-only-" + layers);
        string both = Scratch("sn-r1-" + layers);
        Cli.Run(["--steps", "20", "--seed", "4", "--spectral-norm", layers, "--quiet", "--no-plots", "--out", normalized]).Should().Be(Cli.ExitOk);
        Cli.Run(["--steps", "20", "--seed", "4", "--r1", "1", "--spectral-norm", layers, "--quiet", "--no-plots", "--out", both]).Should().Be(Cli.ExitOk);
        File.ReadAllText(Path.Combine(both, "samples.csv")).Should().NotBe(File.ReadAllText(Path.Combine(normalized, "samples.csv")), "the penalty reaches D");
        using JsonDocument report = JsonDocument.Parse(File.ReadAllText(Path.Combine(both, "report.json")));
        JsonElement settings = report.RootElement.GetProperty("settings");
        settings.GetProperty("r1Gamma").GetSingle().Should().Be(1f);
        settings.GetProperty("spectralNormLayers").GetString().Should().Be(layers);
    }

    [Fact]
    public void The_r1_ema_and_packing_options_reach_the_run_and_the_report()
    {
        string baseline = Scratch("base");
        string folder = Scratch("tools");
        Cli.Run(["--steps", "20", "--seed", "6", "--quiet", "--no-plots", "--out", baseline]).Should().Be(Cli.ExitOk);
        Cli.Run(["--steps", "20", "--seed", "6", "--r1", "0.5", "--r1-every", "4", "--ema", "0.99", "--ema-start", "5", "--pack", "4", "--quiet", "--no-plots", "--out", folder]).Should().Be(Cli.ExitOk);
        File.ReadAllText(Path.Combine(folder, "samples.csv")).Should().NotBe(File.ReadAllText(Path.Combine(baseline, "samples.csv")));
        using JsonDocument report = JsonDocument.Parse(File.ReadAllText(Path.Combine(folder, "report.json")));
        JsonElement settings = report.RootElement.GetProperty("settings");
        settings.GetProperty("r1Gamma").GetSingle().Should().Be(0.5f);
        settings.GetProperty("r1Every").GetInt32().Should().Be(4);
        settings.GetProperty("ema").GetSingle().Should().Be(0.99f);
        settings.GetProperty("emaStart").GetInt64().Should().Be(5);
        settings.GetProperty("pack").GetInt32().Should().Be(4);
        settings.GetProperty("spectralNorm").GetBoolean().Should().BeFalse();
        report.RootElement.GetProperty("stepsCompleted").GetInt64().Should().Be(20);

        using JsonDocument plain = JsonDocument.Parse(File.ReadAllText(Path.Combine(baseline, "report.json")));
        JsonElement off = plain.RootElement.GetProperty("settings");
        off.GetProperty("r1Gamma").GetSingle().Should().Be(0);
        off.GetProperty("ema").GetSingle().Should().Be(0);
        off.GetProperty("pack").GetInt32().Should().Be(1);
    }

    [Fact]
    public void Under_ema_generator_ckpt_holds_the_average_that_drew_the_samples()
    {
        // The average does not change training, so without it the same seed trains the same G: only the saved
        // (averaged) generator can make the two checkpoints differ.
        string raw = Scratch("raw");
        string averaged = Scratch("ema");
        Cli.Run(["--steps", "30", "--seed", "3", "--quiet", "--no-plots", "--out", raw]).Should().Be(Cli.ExitOk);
        Cli.Run(["--steps", "30", "--seed", "3", "--ema", "0.9", "--quiet", "--no-plots", "--out", averaged]).Should().Be(Cli.ExitOk);
        GanCore.Models.Sequential a = GanCore.Checkpoints.ModelCheckpoint.LoadModel(Path.Combine(raw, "generator.ckpt"));
        GanCore.Models.Sequential b = GanCore.Checkpoints.ModelCheckpoint.LoadModel(Path.Combine(averaged, "generator.ckpt"));
        a.Parameters.Count.Should().Be(b.Parameters.Count);
        bool differ = false;
        for (int i = 0; i < a.Parameters.Count; i++)
        {
            differ |= !a.Parameters[i].Value.Span.SequenceEqual(b.Parameters[i].Value.Span);
        }

        differ.Should().BeTrue("the averaged weights lag behind G's own");
    }

    [Fact]
    public void Spectral_normalization_reaches_the_run_and_the_report()
    {
        string baseline = Scratch("base");
        Cli.Run(["--steps", "20", "--seed", "8", "--quiet", "--no-plots", "--out", baseline]).Should().Be(Cli.ExitOk);
        string plain = File.ReadAllText(Path.Combine(baseline, "samples.csv"));
        using (JsonDocument report = JsonDocument.Parse(File.ReadAllText(Path.Combine(baseline, "report.json"))))
        {
            report.RootElement.GetProperty("settings").GetProperty("spectralNorm").GetBoolean().Should().BeFalse();
            report.RootElement.GetProperty("settings").GetProperty("spectralNormLayers").GetString().Should().Be("none");
        }

        // Bare (followed by another option, so it takes no value, or last, as sweep.sh passes it), and spelled as the
        // flag's true: all three layers; upper case, as the flag's bool parser took it.
        var samples = new Dictionary<string, string>();
        foreach ((string name, string[] option, string layers) in new[]
        {
            ("bare", new[] { "--spectral-norm" }, "all"),
            ("true", new[] { "--spectral-norm", "true" }, "all"),
            ("all", new[] { "--spectral-norm", "all" }, "all"),
            ("TRUE", new[] { "--spectral-norm", "TRUE" }, "all"),
            ("hidden", new[] { "--spectral-norm", "hidden" }, "hidden"),
            ("=hidden", new[] { "--spectral-norm=hidden" }, "hidden"),
        })
        {
            string folder = Scratch("sn-" + name.TrimStart('='));
            Cli.Run(["--steps", "20", "--seed", "8", "--quiet", "--no-plots", "--out", folder, .. option]).Should().Be(Cli.ExitOk);
            samples[name] = File.ReadAllText(Path.Combine(folder, "samples.csv"));
            using JsonDocument report = JsonDocument.Parse(File.ReadAllText(Path.Combine(folder, "report.json")));
            JsonElement settings = report.RootElement.GetProperty("settings");
            settings.GetProperty("spectralNorm").GetBoolean().Should().BeTrue(name);
            settings.GetProperty("spectralNormLayers").GetString().Should().Be(layers, name);
        }

        samples["bare"].Should().NotBe(plain);
        samples["true"].Should().Be(samples["bare"]);
        samples["all"].Should().Be(samples["bare"]);
        samples["TRUE"].Should().Be(samples["bare"]);
        string first = Scratch("sn-first");
        Cli.Run(["--spectral-norm", "--steps", "20", "--seed", "8", "--quiet", "--no-plots", "--out", first]).Should().Be(Cli.ExitOk);
        File.ReadAllText(Path.Combine(first, "samples.csv")).Should().Be(samples["bare"], "a bare --spectral-norm before another option takes no value");
        samples["=hidden"].Should().Be(samples["hidden"]);
        samples["hidden"].Should().NotBe(samples["bare"], "the output layer stays a plain Dense").And.NotBe(plain);

        foreach (string off in new[] { "false", "none" })
        {
            string folder = Scratch("sn-" + off);
            Cli.Run(["--steps", "20", "--seed", "8", "--spectral-norm", off, "--quiet", "--no-plots", "--out", folder]).Should().Be(Cli.ExitOk);
            File.ReadAllText(Path.Combine(folder, "samples.csv")).Should().Be(plain, off);
        }
    }

    [Theory]
    [InlineData("None", new[] { "Dense", "ReLU", "Dense", "ReLU", "Dense" })]
    [InlineData("All", new[] { "SpectralNormDense", "ReLU", "SpectralNormDense", "ReLU", "SpectralNormDense" })]
    [InlineData("Hidden", new[] { "SpectralNormDense", "ReLU", "SpectralNormDense", "ReLU", "Dense" })]
    public void The_spectral_norm_setting_picks_the_normalized_layers_of_D(string layers, string[] kinds)
    {
        GanCore.Adversarial.Gan gan = Experiment.Build(MixtureSettings.OriginalPreset with { SpectralNormLayers = Enum.Parse<SpectralNormLayers>(layers) }, MixtureDataset.ForName("grid"));

        gan.Discriminator.Layers.Select(l => l.GetType().Name).Should().Equal(kinds);
    }

    [Fact]
    public void Each_adam_beta_on_its_own_changes_the_run()
    {
        string baseline = Scratch("betas-base");
        Cli.Run(["--steps", "20", "--seed", "6", "--quiet", "--no-plots", "--out", baseline]).Should().Be(Cli.ExitOk);
        string samples = File.ReadAllText(Path.Combine(baseline, "samples.csv"));
        foreach (string[] option in new[] { new[] { "--beta1", "0.9" }, new[] { "--beta2", "0.9" } })
        {
            string folder = Scratch("betas" + option[0]);
            Cli.Run(["--steps", "20", "--seed", "6", option[0], option[1], "--quiet", "--no-plots", "--out", folder]).Should().Be(Cli.ExitOk);
            File.ReadAllText(Path.Combine(folder, "samples.csv")).Should().NotBe(samples, $"{option[0]} {option[1]} reaches the optimizers");
        }
    }

    [Fact]
    public void Spelling_out_the_original_recipe_changes_no_sample()
    {
        string plain = Scratch("plain");
        string spelled = Scratch("spelled");
        Cli.Run(["--steps", "20", "--seed", "7", "--quiet", "--no-plots", "--out", plain]).Should().Be(Cli.ExitOk);
        Cli.Run(["--preset", "original", "--steps", "20", "--seed", "7", "--hidden", "128", "--activation", "relu", "--batch", "256", "--lr", "0.001", "--beta1", "0.5", "--beta2", "0.999", "--lr-decay", "constant", "--real-label", "1", "--noise-dim", "2", "--r1", "0", "--r1-every", "1", "--spectral-norm", "false", "--ema", "0", "--pack", "1", "--quiet", "--no-plots", "--out", spelled]).Should().Be(Cli.ExitOk);
        File.ReadAllText(Path.Combine(spelled, "samples.csv")).Should().Be(File.ReadAllText(Path.Combine(plain, "samples.csv")));
    }

    [Fact]
    public void The_network_optimizer_and_label_options_reach_the_run_and_the_report()
    {
        string baseline = Scratch("base");
        string folder = Scratch("net");
        Cli.Run(["--steps", "20", "--seed", "5", "--quiet", "--no-plots", "--out", baseline]).Should().Be(Cli.ExitOk);
        Cli.Run(["--steps", "20", "--seed", "5", "--hidden", "16", "--activation", "leakyrelu", "--batch", "32", "--lr", "0.0005", "--lr-decay", "cosine", "--lr-final", "0.1", "--beta1", "0.8", "--beta2", "0.9", "--real-label", "0.9", "--quiet", "--no-plots", "--out", folder]).Should().Be(Cli.ExitOk);
        File.ReadAllText(Path.Combine(folder, "samples.csv")).Should().NotBe(File.ReadAllText(Path.Combine(baseline, "samples.csv")));
        using JsonDocument report = JsonDocument.Parse(File.ReadAllText(Path.Combine(folder, "report.json")));
        JsonElement settings = report.RootElement.GetProperty("settings");
        settings.GetProperty("hidden").GetInt32().Should().Be(16);
        settings.GetProperty("activation").GetString().Should().Be("leakyrelu");
        settings.GetProperty("batch").GetInt32().Should().Be(32);
        settings.GetProperty("learningRate").GetSingle().Should().Be(0.0005f);
        settings.GetProperty("learningRateDecay").GetString().Should().Be("cosine");
        settings.GetProperty("learningRateFinal").GetSingle().Should().Be(0.1f);
        settings.GetProperty("beta1").GetSingle().Should().Be(0.8f);
        settings.GetProperty("beta2").GetSingle().Should().Be(0.9f);
        settings.EnumerateObject().TakeLast(7).Select(p => p.Name).Should().Equal(["beta2", "spectralNormLayers", "diagnosticsEvery", "clipNorm", "optimizer", "gradientPenaltyWeight", "gradientPenaltyTarget"], "the newest fields go last, after the ones scripts already read");
        settings.GetProperty("realLabel").GetSingle().Should().Be(0.9f);

        using JsonDocument plain = JsonDocument.Parse(File.ReadAllText(Path.Combine(baseline, "report.json")));
        plain.RootElement.GetProperty("settings").GetProperty("learningRateDecay").GetString().Should().Be("constant");
        plain.RootElement.GetProperty("settings").GetProperty("learningRateFinal").ValueKind.Should().Be(JsonValueKind.Null);
    }

    [Fact]
    public void An_output_folder_under_a_regular_file_exits_with_2()
    {
        string file = Scratch("regular-file");
        File.WriteAllText(file, "not a folder");
        Cli.Run(["--steps", "1", "--quiet", "--no-plots", "--out", Path.Combine(file, "out")]).Should().Be(Cli.ExitBadInput);
    }
}

/// <summary>
/// <c>--diagnostics-every</c>: the probe of D (<see cref="DiscriminatorProbe"/>) writes what it measured and changes
/// nothing about training; its slope is D's input gradient, checked against finite differences; and a D whose every
/// layer is spectrally normalized, with u converged, is no steeper than 1 anywhere the probe looks.
/// </summary>
[Collection(MixturesCliGroup.Name)]
public sealed class MixturesDiagnosticsTests(MixturesRunFixture run)
{
    private string Scratch(string name) => Path.Combine(run.Root, $"{name}-{Guid.NewGuid():N}");

    [Fact]
    public void The_probe_writes_its_csv_and_plot_and_leaves_the_run_byte_identical()
    {
        string probed = Scratch("probed");
        string plain = Scratch("plain");
        string[] args = ["--dataset", "grid", "--preset", "tuned", "--steps", "250", "--seed", "4", "--pack", "2", "--quiet"];
        Cli.Run([.. args, "--diagnostics-every", "100", "--out", probed]).Should().Be(Cli.ExitOk);
        Cli.Run([.. args, "--no-plots", "--out", plain]).Should().Be(Cli.ExitOk);
        foreach (string file in new[] { "samples.csv", "metrics.csv", "generator.ckpt" })
        {
            File.ReadAllBytes(Path.Combine(probed, file)).Should().Equal(File.ReadAllBytes(Path.Combine(plain, file)), file);
        }

        string[] lines = File.ReadAllLines(Path.Combine(probed, "discriminator.csv"));
        lines[0].Should().Be("step,sigma_1,sigma_2,sigma_3,d_real,d_fake,slope_real,slope_fake");
        lines.Skip(1).Select(l => l.Split(',')[0]).Should().Equal("0", "100", "200", "250");
        foreach (string line in lines.Skip(1))
        {
            double[] v = line.Split(',').Select(x => double.Parse(x, NumberStyles.Float, CultureInfo.InvariantCulture)).ToArray();
            v.Should().HaveCount(8).And.OnlyContain(x => double.IsFinite(x));
            v[1..4].Should().OnlyContain(x => x > 0, "a weight matrix's largest singular value");
            v[6..8].Should().OnlyContain(x => x >= 0, "a mean of norms");
        }

        using JsonDocument report = JsonDocument.Parse(File.ReadAllText(Path.Combine(probed, "report.json")));
        report.RootElement.GetProperty("settings").GetProperty("diagnosticsEvery").GetInt32().Should().Be(100);
        using SKBitmap bitmap = SKBitmap.Decode(Path.Combine(probed, "discriminator.png"));
        bitmap.Should().NotBeNull();
        bitmap.Width.Should().Be(900);
        bitmap.Height.Should().Be(1500);
        File.Exists(Path.Combine(plain, "discriminator.csv")).Should().BeFalse("the probe is off by default");
    }

    [Theory]
    [InlineData("none")]
    [InlineData("all")]
    public void The_slope_is_the_norm_of_the_input_gradient_by_finite_differences(string spectralNorm)
    {
        var s = MixtureSettings.ForPreset("tuned", "grid") with { Seed = 5, SpectralNormLayers = spectralNorm == "all" ? SpectralNormLayers.All : SpectralNormLayers.None, Activation = "leakyrelu" };
        GanCore.Adversarial.Gan gan = Experiment.Build(s, MixtureDataset.ForName("grid"));
        GanCore.Models.Sequential d = gan.Discriminator;
        d.IsTraining = false;
        var random = new RandomSource(8);
        var x = new Matrix(5, 2);
        random.FillGaussian(x.Span);
        Map(x, v => 2f * v);
        (double score, double slope) = DiscriminatorProbe.ScoreAndSlope(d, x);

        double expectedScore = 0;
        double expectedSlope = 0;
        const double h = 1e-2;
        for (int i = 0; i < x.Rows; i++)
        {
            var row = new Matrix(1, 2);
            x.Row(i).CopyTo(row.Span);
            expectedScore += d.Forward(row)[0, 0];
            double squares = 0;
            for (int j = 0; j < 2; j++)
            {
                float keep = row[0, j];
                row[0, j] = (float)(keep + h);
                double up = d.Forward(row)[0, 0];
                row[0, j] = (float)(keep - h);
                double down = d.Forward(row)[0, 0];
                row[0, j] = keep;
                squares += Math.Pow((up - down) / (2 * h), 2);
            }

            expectedSlope += Math.Sqrt(squares);
        }

        score.Should().BeApproximately(expectedScore / x.Rows, 1e-5);
        slope.Should().BeApproximately(expectedSlope / x.Rows, 2e-3 * Math.Max(1, expectedSlope / x.Rows), "piecewise-linear D: central differences are exact away from a kink");
    }

    [Fact]
    public void One_normalized_layer_has_slope_exactly_1_everywhere()
    {
        // D(x) = x·W̄ + b with W̄ = W/‖W‖ (a 2×1 W: its one singular value is its length, which one power step finds
        // exactly): ∇ₓD = W̄ at every point, of length 1.
        var d = new GanCore.Models.Sequential(new GanCore.Layers.SpectralNormDense(2, 1, new RandomSource(10)));
        var x = new Matrix(7, 2);
        new RandomSource(11).FillGaussian(x.Span);
        d.Forward(x);
        d.IsTraining = false;
        DiscriminatorProbe.ScoreAndSlope(d, x).Slope.Should().BeApproximately(1.0, 1e-6);
    }

    [Theory]
    [InlineData(200, 60, new long[] { 0, 50, 60 })]
    [InlineData(100, -1, new long[] { 0, 50, 100 })]
    [InlineData(30, -1, new long[] { 0, 30 })]
    [InlineData(0, -1, new long[] { 0 })]
    public void The_probe_measures_at_0_every_n_steps_and_at_the_last_step_even_when_cancelled(int steps, int cancelAt, long[] expected)
    {
        MixtureSettings s = MixtureSettings.ForPreset("original", "grid") with { Steps = steps, DiagnosticsEvery = 50, Seed = 12 };
        MixtureDataset data = MixtureDataset.ForName("grid");
        GanCore.Adversarial.Gan gan = Experiment.Build(s, data);
        using var stop = new CancellationTokenSource();
        TrainingRun result = Experiment.Train(gan, s, m => { if (m.Step == cancelAt) { stop.Cancel(); } }, new DiscriminatorProbe(gan, data, s), stop.Token);
        result.Probes.Select(r => r.Step).Should().Equal(expected);
        result.Cancelled.Should().Be(cancelAt >= 0);
    }

    [Fact]
    public void Training_that_diverges_keeps_the_metrics_and_probes_up_to_the_step_before()
    {
        // A NaN put into D after step 30 makes step 31 fail its finiteness check.
        MixtureSettings s = MixtureSettings.ForPreset("original", "grid") with { Steps = 100, DiagnosticsEvery = 10, Seed = 13 };
        MixtureDataset data = MixtureDataset.ForName("grid");
        GanCore.Adversarial.Gan gan = Experiment.Build(s, data);
        var probe = new DiscriminatorProbe(gan, data, s);
        TrainingRun result = Experiment.Train(gan, s, m => { if (m.Step == 30) { gan.Discriminator.Parameters[0].Value.Span[0] = float.NaN; } }, probe, CancellationToken.None);
        result.Divergence.Should().NotBeNull();
        result.Divergence!.Message.Should().Contain("step 31");
        result.Metrics.Select(r => r.Step).Should().Equal(10, 20, 30);
        result.Probes.Select(r => r.Step).Should().Equal(0, 10, 20, 30);
        result.LastStep.Should().Be(30);

        // The CLI's ending writes those rows and both figures; with no earlier files, none are named.
        string output = Scratch("diverge-plot");
        Directory.CreateDirectory(output);
        (int exit, string error) = ConsoleCapture.Error(() => Cli.EndDiverged(result.Divergence, result, s with { OutputDirectory = output }, "test", probe.LayerNames, Cli.FindEarlierOutputs(output)));
        exit.Should().Be(Cli.ExitDiverged);
        error.Should().Contain("metrics.csv (3 rows), discriminator.csv (4 rows), training.png, discriminator.png.").And.NotContain("earlier run");
        File.ReadAllLines(Path.Combine(output, "discriminator.csv")).Skip(1).Select(l => l.Split(',')[0]).Should().Equal("0", "10", "20", "30");
        new FileInfo(Path.Combine(output, "training.png")).Length.Should().BePositive();
        new FileInfo(Path.Combine(output, "discriminator.png")).Length.Should().BePositive();
    }

    [Fact]
    public void A_diverged_run_under_clip_norm_keeps_the_norms_and_their_figure()
    {
        MixtureSettings s = MixtureSettings.ForPreset("original", "ring") with { Steps = 100, Seed = 14, ClipNorm = 1f };
        MixtureDataset data = MixtureDataset.ForName("ring");
        GanCore.Adversarial.Gan gan = Experiment.Build(s, data);
        TrainingRun result = Experiment.Train(gan, s, m => { if (m.Step == 20) { gan.Generator.Parameters[0].Value.Span[0] = float.NaN; } }, null, CancellationToken.None);
        result.Divergence.Should().NotBeNull();
        result.Metrics.Select(r => r.Step).Should().Equal(10, 20);

        string output = Scratch("diverge-clip");
        Directory.CreateDirectory(output);
        (int exit, string error) = ConsoleCapture.Error(() => Cli.EndDiverged(result.Divergence!, result, s with { OutputDirectory = output }, "test", null, Cli.FindEarlierOutputs(output)));
        exit.Should().Be(Cli.ExitDiverged);
        error.Should().Contain("metrics.csv (2 rows), training.png, gradient-norms.png.");
        string[] lines = File.ReadAllLines(Path.Combine(output, "metrics.csv"));
        lines[0].Should().EndWith(",d_grad_norm,g_grad_norm");
        lines.Skip(1).Select(l => double.Parse(l.Split(',')[6], CultureInfo.InvariantCulture)).Should().OnlyContain(v => v > 0 && double.IsFinite(v));
        new FileInfo(Path.Combine(output, "gradient-norms.png")).Length.Should().BePositive();
    }

    [Fact]
    public void A_diverging_run_exits_3_and_writes_what_it_logged()
    {
        string output = Scratch("diverge");
        (int exit, string error) = ConsoleCapture.Error(() => Cli.Run(["--steps", "50", "--lr", "1e30", "--diagnostics-every", "10", "--quiet", "--out", output]));
        exit.Should().Be(Cli.ExitDiverged);
        error.Should().Contain("diverged at step").And.Contain("metrics.csv (0 rows), discriminator.csv (1 row).")
            .And.NotContain("earlier run", "the folder was new");
        File.ReadAllLines(Path.Combine(output, "metrics.csv"))[0].Should().Be("step,d_loss,g_loss,d_real,d_fake");
        File.ReadAllLines(Path.Combine(output, "discriminator.csv")).Skip(1).Select(l => l.Split(',')[0]).Should().Equal("0");
        File.Exists(Path.Combine(output, "samples.csv")).Should().BeFalse("a diverged generator's samples would be NaN");
    }

    [Fact]
    public void A_fully_normalized_d_with_converged_u_is_no_steeper_than_1()
    {
        // Every layer W/σ(W) with σ the true largest singular value, and LeakyReLU no steeper than 1: D is 1-Lipschitz,
        // so ‖∇ₓD‖ ≤ 1 at every point. Training-mode passes advance u until σ is the largest singular value.
        var s = MixtureSettings.ForPreset("tuned", "grid") with { Seed = 6, SpectralNormLayers = SpectralNormLayers.All, Activation = "leakyrelu" };
        GanCore.Adversarial.Gan gan = Experiment.Build(s, MixtureDataset.ForName("grid"));
        GanCore.Models.Sequential d = gan.Discriminator;
        var x = new Matrix(DiscriminatorProbe.Rows, 2);
        new RandomSource(9).FillGaussian(x.Span);
        Map(x, v => 3f * v);
        for (int k = 0; k < 300; k++)
        {
            d.Forward(x);
        }

        d.IsTraining = false;
        double largest = 0;
        for (int i = 0; i < x.Rows; i++)
        {
            var row = new Matrix(1, 2);
            x.Row(i).CopyTo(row.Span);
            largest = Math.Max(largest, DiscriminatorProbe.ScoreAndSlope(d, row).Slope);
        }

        largest.Should().BeLessThanOrEqualTo(1.0 + 1e-4).And.BeGreaterThan(0.01, "D is not flat");
        foreach (GanCore.Layers.SpectralNormDense layer in d.Layers.OfType<GanCore.Layers.SpectralNormDense>())
        {
            double sigma = MathNet.Numerics.LinearAlgebra.Matrix<double>.Build.Dense(layer.InputSize, layer.OutputSize, (i, j) => layer.Weights.Value[i, j]).L2Norm();
            layer.Sigma.Should().BeApproximately((float)sigma, (float)(1e-4 * sigma), "u has converged to the top singular vector");
        }
    }

    private static void Map(Matrix m, Func<float, float> f)
    {
        Span<float> span = m.Span;
        for (int i = 0; i < span.Length; i++)
        {
            span[i] = f(span[i]);
        }
    }

    [Fact]
    public void A_finished_run_names_the_files_an_earlier_run_left_that_it_did_not_write()
    {
        // An earlier run under --clip-norm drew gradient-norms.png; this one does not clip, so it names that figure.
        string output = Scratch("earlier");
        Directory.CreateDirectory(output);
        File.WriteAllText(Path.Combine(output, "gradient-norms.png"), "an earlier run's");

        (int exit, string text) = ConsoleCapture.Error(() => Cli.Run(["--steps", "20", "--no-plots", "--quiet", "--out", output]));
        exit.Should().Be(Cli.ExitOk);
        text.Should().Contain("from an earlier run and not written by this one: gradient-norms.png.");
    }
}
