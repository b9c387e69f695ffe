using GanCore.Adversarial;
using GanCore.Diagnostics;
using GanCore.Layers;
using GanCore.Models;
using GanCore.Optimizers;
using GanCore.Randomness;
using GanCore.Tensors;
using GanCore.Tests.Testing;

namespace GanCore.Tests.Adversarial;

/// <summary>MatrixSampler: rows come from the table, passes without replacement are permutations, draws reproduce from
/// the seed, and a GAN resumed from a checkpoint continues exactly.</summary>
public sealed class MatrixSamplerTests
{
    // Row i holds (i, 10·i, −i): a drawn row identifies itself and proves it was copied whole.
    private static Matrix Table(int rows, int columns = 3)
    {
        var m = new Matrix(rows, columns);
        for (int i = 0; i < rows; i++)
        {
            for (int j = 0; j < columns; j++)
            {
                m[i, j] = j switch { 0 => i, 1 => 10 * i, _ => -i };
            }
        }

        return m;
    }

    private static int[] Draw(MatrixSampler sampler, RandomSource random, int batch, int batches)
    {
        var destination = new Matrix(batch, sampler.Dimension);
        var ids = new List<int>();
        for (int b = 0; b < batches; b++)
        {
            sampler.Fill(destination, random);
            for (int i = 0; i < batch; i++)
            {
                int id = (int)destination[i, 0];
                destination[i, 1].Should().Be(10 * id);
                destination[i, 2].Should().Be(-id);
                ids.Add(id);
            }
        }

        return [.. ids];
    }

    [Theory]
    [InlineData(1, 1)]
    [InlineData(10, 3)]
    [InlineData(10, 10)]
    [InlineData(7, 16)]
    public void Without_replacement_every_epoch_is_a_permutation_of_all_rows(int rows, int batch)
    {
        var sampler = new MatrixSampler(Table(rows), SamplingMode.WithoutReplacement);
        int epochs = 5;
        int total = rows * epochs;
        int batches = (total + batch - 1) / batch;
        int[] ids = Draw(sampler, new RandomSource(3), batch, batches);
        for (int e = 0; e < epochs; e++)
        {
            ids.Skip(e * rows).Take(rows).Order().Should().Equal(Enumerable.Range(0, rows), $"epoch {e + 1} visits every row once");
        }

        sampler.Epoch.Should().Be((batches * batch + rows - 1) / rows);
        sampler.Position.Should().Be(((batches * batch) - 1) % rows + 1);
    }

    [Fact]
    public void Without_replacement_epochs_are_shuffled_differently()
    {
        var sampler = new MatrixSampler(Table(50), SamplingMode.WithoutReplacement);
        int[] ids = Draw(sampler, new RandomSource(5), 50, 2);
        ids.Take(50).Should().NotEqual(Enumerable.Range(0, 50), "the order is shuffled");
        ids.Take(50).Should().NotEqual(ids.Skip(50), "each epoch draws a new order");
    }

    [Fact]
    public void With_replacement_draws_are_uniform_and_independent_of_the_sampler_state()
    {
        const int rows = 8;
        var sampler = new MatrixSampler(Table(rows), SamplingMode.WithReplacement);
        int[] ids = Draw(sampler, new RandomSource(7), 100, 80);
        int[] counts = new int[rows];
        foreach (int id in ids)
        {
            counts[id]++;
        }

        // 8000 draws over 8 rows: each count is Binomial(8000, 1/8), mean 1000, sd ≈ 29.6; allow 5 sd.
        counts.Should().OnlyContain(c => Math.Abs(c - 1000) < 150);

        // With replacement a batch may repeat a row; the draws equal NextInt32(rows) from the same generator.
        var reference = new RandomSource(7);
        ids.Take(200).Should().Equal(Enumerable.Range(0, 200).Select(_ => reference.NextInt32(rows)));
        sampler.Epoch.Should().Be(0);
        sampler.Position.Should().Be(0);
        sampler.GetState().Should().Be(default(MatrixSamplerState));
    }

    [Theory]
    [InlineData(SamplingMode.WithReplacement)]
    [InlineData(SamplingMode.WithoutReplacement)]
    public void Same_seed_gives_the_same_batches(SamplingMode mode)
    {
        int[] a = Draw(new MatrixSampler(Table(13), mode), new RandomSource(11), 5, 20);
        int[] b = Draw(new MatrixSampler(Table(13), mode), new RandomSource(11), 5, 20);
        int[] c = Draw(new MatrixSampler(Table(13), mode), new RandomSource(12), 5, 20);
        a.Should().Equal(b);
        a.Should().NotEqual(c);
    }

    [Fact]
    public void The_examples_are_copied_at_construction()
    {
        Matrix table = Table(3);
        var sampler = new MatrixSampler(table, SamplingMode.WithReplacement);
        table.Fill(99f);
        Draw(sampler, new RandomSource(1), 4, 3).Should().OnlyContain(id => id >= 0 && id < 3);
    }

    [Fact]
    public void GetState_and_SetState_resume_a_pass_without_replacement_exactly()
    {
        var random = new RandomSource(21);
        var sampler = new MatrixSampler(Table(11), SamplingMode.WithoutReplacement);
        Draw(sampler, random, 4, 7); // 28 rows: into the third epoch
        MatrixSamplerState state = sampler.GetState();
        RandomSourceState randomState = random.GetState();
        state.Epoch.Should().Be(3);
        state.Position.Should().Be(6);
        int[] expected = Draw(sampler, random, 4, 9);

        var restored = new MatrixSampler(Table(11), SamplingMode.WithoutReplacement);
        restored.SetState(state);
        restored.Epoch.Should().Be(3);
        restored.Position.Should().Be(6);
        Draw(restored, new RandomSource(randomState), 4, 9).Should().Equal(expected);

        // Without the sampler state, the resumed run starts a new epoch: a valid pass, but different batches.
        Draw(new MatrixSampler(Table(11), SamplingMode.WithoutReplacement), new RandomSource(randomState), 4, 9).Should().NotEqual(expected);

        // The default state means "no epoch yet".
        restored.SetState(default);
        restored.Epoch.Should().Be(0);
        restored.Position.Should().Be(0);
    }

    [Fact]
    public void SetState_rejects_states_that_do_not_fit()
    {
        var without = new MatrixSampler(Table(5), SamplingMode.WithoutReplacement);
        var with = new MatrixSampler(Table(5), SamplingMode.WithReplacement);
        var key = new RandomSourceState(1, 2, 3, 4, false, 0);
        ((Action)(() => without.SetState(new MatrixSamplerState(1, 6, key)))).Should().Throw<ArgumentException>().Which.ParamName.Should().Be("state");
        ((Action)(() => without.SetState(new MatrixSamplerState(1, -1, key)))).Should().Throw<ArgumentException>().Which.ParamName.Should().Be("state");
        ((Action)(() => without.SetState(new MatrixSamplerState(-1, 0, key)))).Should().Throw<ArgumentException>().Which.ParamName.Should().Be("state");
        ((Action)(() => without.SetState(new MatrixSamplerState(0, 3, key)))).Should().Throw<ArgumentException>().Which.ParamName.Should().Be("state");
        ((Action)(() => without.SetState(new MatrixSamplerState(1, 0, default)))).Should().Throw<ArgumentException>().Which.Message.Should().Contain("all-zero");
        ((Action)(() => with.SetState(new MatrixSamplerState(1, 0, key)))).Should().Throw<ArgumentException>().Which.ParamName.Should().Be("state");
        without.SetState(new MatrixSamplerState(2, 5, key));
        without.Position.Should().Be(5);
    }

    [Fact]
    public void A_GAN_on_a_sampler_with_replacement_resumes_from_its_checkpoint_bit_for_bit()
    {
        string directory = Path.Combine(Path.GetTempPath(), $"gancore-sampler-{Guid.NewGuid():N}");
        Directory.CreateDirectory(directory);
        try
        {
            Matrix data = QuadraticData(200);
            Gan straight = SmallGan(data, SamplingMode.WithReplacement);
            straight.Train(30);
            Gan first = SmallGan(data, SamplingMode.WithReplacement);
            first.Train(12);
            string path = Path.Combine(directory, "gan.ckpt");
            first.SaveCheckpoint(path);

            // A fresh sampler over the same table is all the resumed GAN needs.
            Gan resumed = Gan.LoadCheckpoint(path, new GaussianNoise(3), new MatrixSampler(data, SamplingMode.WithReplacement));
            resumed.Train(18);
            GanTestKit.AllValues(resumed.Generator).Should().Equal(GanTestKit.AllValues(straight.Generator));
            GanTestKit.AllValues(resumed.Discriminator).Should().Equal(GanTestKit.AllValues(straight.Discriminator));
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public void A_GAN_on_a_sampler_without_replacement_resumes_exactly_with_the_sampler_state()
    {
        string directory = Path.Combine(Path.GetTempPath(), $"gancore-sampler-{Guid.NewGuid():N}");
        Directory.CreateDirectory(directory);
        try
        {
            Matrix data = QuadraticData(50); // batch 16: epochs end mid-batch
            Gan straight = SmallGan(data, SamplingMode.WithoutReplacement);
            straight.Train(30);
            Gan first = SmallGan(data, SamplingMode.WithoutReplacement);
            first.Train(12);
            string path = Path.Combine(directory, "gan.ckpt");
            first.SaveCheckpoint(path);
            MatrixSamplerState state = ((MatrixSampler)first.RealData).GetState();

            var sampler = new MatrixSampler(data, SamplingMode.WithoutReplacement);
            sampler.SetState(state);
            Gan resumed = Gan.LoadCheckpoint(path, new GaussianNoise(3), sampler);
            resumed.Train(18);
            GanTestKit.AllValues(resumed.Generator).Should().Equal(GanTestKit.AllValues(straight.Generator));
            GanTestKit.AllValues(resumed.Discriminator).Should().Equal(GanTestKit.AllValues(straight.Discriminator));
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public void A_steady_state_Fill_allocates_nothing_across_epoch_boundaries()
    {
        var random = new RandomSource(2);
        var sampler = new MatrixSampler(Table(10), SamplingMode.WithoutReplacement);
        var batch = new Matrix(7, 3);
        // 7 rows a call over 10 rows: an epoch boundary inside most windows' calls.
        AllocationProbe.QuietestWindow(() => sampler.Fill(batch, random), warmUp: 1, calls: 50).Should().Be(0);
    }

    [Theory]
    [InlineData(SamplingMode.WithReplacement)]
    [InlineData(SamplingMode.WithoutReplacement)]
    public void A_steady_state_GAN_step_on_a_matrix_sampler_allocates_nothing(SamplingMode mode)
    {
        Gan gan = SmallGan(QuadraticData(40), mode); // batch 16 over 40 rows: epochs end inside batches
        AllocationProbe.QuietestWindow(() => gan.Step(), warmUp: 20, calls: 20).Should().Be(0);
    }

    [Fact]
    public void Bad_arguments_are_rejected_with_the_parameter_named()
    {
        ((Action)(() => _ = new MatrixSampler(null!, SamplingMode.WithReplacement))).Should().Throw<ArgumentNullException>().Which.ParamName.Should().Be("examples");
        ((Action)(() => _ = new MatrixSampler(new Matrix(0, 3), SamplingMode.WithReplacement))).Should().Throw<ArgumentException>().Which.ParamName.Should().Be("examples");
        ((Action)(() => _ = new MatrixSampler(new Matrix(3, 0), SamplingMode.WithReplacement))).Should().Throw<ArgumentException>().Which.ParamName.Should().Be("examples");
        ((Action)(() => _ = new MatrixSampler(Table(3), (SamplingMode)7))).Should().Throw<ArgumentOutOfRangeException>().Which.ParamName.Should().Be("mode");
        Matrix withNaN = Table(4);
        withNaN[2, 1] = float.NaN;
        ((Action)(() => _ = new MatrixSampler(withNaN, SamplingMode.WithReplacement))).Should().Throw<ArgumentException>()
            .Which.Message.Should().Contain("examples[2, 1] is NaN");
        var sampler = new MatrixSampler(Table(4), SamplingMode.WithoutReplacement);
        ((Action)(() => sampler.Fill(new Matrix(2, 4), new RandomSource(1)))).Should().Throw<ArgumentException>().Which.ParamName.Should().Be("destination");
        ((Action)(() => sampler.Fill(null!, new RandomSource(1)))).Should().Throw<ArgumentNullException>().Which.ParamName.Should().Be("destination");
        ((Action)(() => sampler.Fill(new Matrix(2, 3), null!))).Should().Throw<ArgumentNullException>().Which.ParamName.Should().Be("random");
    }

    private static Matrix QuadraticData(int rows)
    {
        var data = new Matrix(rows, GanTestKit.CurvePoints);
        GanTestKit.FillCurves(data, new RandomSource(99));
        return data;
    }

    private static Gan SmallGan(Matrix data, SamplingMode mode)
    {
        var random = new RandomSource(17);
        var g = new Sequential(new Dense(3, 16, random), new ReLU(), new Dense(16, GanTestKit.CurvePoints, random));
        var d = new Sequential(new Dense(GanTestKit.CurvePoints, 16, random), new ReLU(), new Dense(16, 1, random));
        return new Gan(g, d, new Adam(g.Parameters, 1e-3f), new Adam(d.Parameters, 1e-3f), new GaussianNoise(3), new MatrixSampler(data, mode), random, new GanOptions { BatchSize = 16 });
    }
}
