using System.Buffers.Binary;
using GanCore.Adversarial;
using GanCore.Checkpoints;
using GanCore.Layers;
using GanCore.Losses;
using GanCore.Models;
using GanCore.Optimizers;
using GanCore.Randomness;
using GanCore.Tensors;
using GanCore.Tests.Adversarial;

namespace GanCore.Tests.Checkpoints;

/// <summary>
/// Format version 2: the SpectralNormDense layer kind (11), its parameters, and its power-iteration vector u in the
/// <c>…/state</c> section. Round trips are bitwise, resumed training equals uninterrupted training, and every bad
/// value is a <see cref="CheckpointException"/> naming it.
/// </summary>
public sealed class SpectralNormCheckpointTests : IDisposable
{
    private readonly string _directory = GanTestKit.TempDirectory("snorm-ckpt");

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    /// <summary>Dense, SpectralNormDense (2 power iterations), BatchNorm, SpectralNormDense: stateful layers interleaved.</summary>
    internal static Sequential Model(RandomSource random) => new(
        new Dense(3, 5, random), new Tanh(),
        new SpectralNormDense(5, 6, random, powerIterations: 2), new BatchNorm(6), new LeakyReLU(0.2f),
        new SpectralNormDense(6, 2, random));

    internal static (Matrix Inputs, Matrix Targets) Data()
    {
        var data = new RandomSource(12);
        var x = new Matrix(12, 3);
        data.FillUniform(x.Span, -2f, 2f);
        var y = new Matrix(12, 2);
        data.FillUniform(y.Span, -1f, 1f);
        return (x, y);
    }

    internal static (Sequential Model, Optimizer Optimizer, RandomSource Random) Trained(int epochs = 3) =>
        CheckpointTestData.TrainedWithAdam(Model, seed: 11, Data(), epochs);

    private static float[][] Us(Sequential model) => model.Layers.OfType<SpectralNormDense>().Select(s => s.U.ToArray()).ToArray();

    [Fact]
    public void A_model_round_trips_bit_for_bit_with_u_in_a_version_2_file()
    {
        (Sequential model, Optimizer optimizer, RandomSource random) = Trained();
        string path = Path.Combine(_directory, "sn.gck");
        ModelCheckpoint.Save(path, model, optimizer, random);
        byte[] bytes = File.ReadAllBytes(path);
        BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(8)).Should().Be(2);

        ModelCheckpoint loaded = ModelCheckpoint.Load(path);
        loaded.Model.Describe().Should().Be(model.Describe());
        loaded.Model.Describe().Should().Contain("SpectralNormDense(5→6, 2 power iterations)");
        CheckpointTestData.Bits(loaded.Model).Should().BeEquivalentTo(CheckpointTestData.Bits(model), o => o.WithStrictOrdering());
        Us(loaded.Model).Should().BeEquivalentTo(Us(model), o => o.WithStrictOrdering());
        Us(model).Should().OnlyContain(u => u.Any(e => e != 0f) && !u.Skip(1).All(e => e == 0f), "trained u vectors are not the loader's placeholder e₀");

        (Matrix x, _) = Data();
        model.IsTraining = false;
        loaded.Model.IsTraining = false;
        loaded.Model.Forward(x).Span.ToArray().Should().Equal(model.Forward(x).Span.ToArray());
        ModelCheckpoint.Serialize(loaded.Model, loaded.Optimizer, new RandomSource(loaded.RandomState!.Value)).Should().Equal(bytes, "saving what was loaded gives the same file");
    }

    [Fact]
    public void Resumed_training_equals_uninterrupted_training_bit_for_bit()
    {
        (Sequential straight, _, _) = Trained(epochs: 4);
        (Sequential model, Optimizer optimizer, RandomSource random) = Trained(epochs: 2);
        ModelCheckpoint loaded = ModelCheckpoint.Deserialize(ModelCheckpoint.Serialize(model, optimizer, random), "m.gck");
        var resumedRandom = new RandomSource(loaded.RandomState!.Value);
        (Matrix x, Matrix y) = Data();
        loaded.Model.Fit(x, y, new MeanSquaredError(), loaded.Optimizer!, new FitOptions { Epochs = 2, BatchSize = 4, Random = resumedRandom });

        CheckpointTestData.Bits(loaded.Model).Should().BeEquivalentTo(CheckpointTestData.Bits(straight), o => o.WithStrictOrdering());
        Us(loaded.Model).Should().BeEquivalentTo(Us(straight), o => o.WithStrictOrdering());

        // The comparison can fail: without u the resumed run differs.
        ModelCheckpoint again = ModelCheckpoint.Deserialize(ModelCheckpoint.Serialize(model, optimizer, random), "m.gck");
        foreach (SpectralNormDense sn in again.Model.Layers.OfType<SpectralNormDense>())
        {
            sn.UStorage.Clear();
            sn.UStorage[0] = 1f;
        }

        again.Model.Fit(x, y, new MeanSquaredError(), again.Optimizer!, new FitOptions { Epochs = 2, BatchSize = 4, Random = new RandomSource(again.RandomState!.Value) });
        CheckpointTestData.Bits(again.Model).Should().NotBeEquivalentTo(CheckpointTestData.Bits(straight), o => o.WithStrictOrdering());
    }

    [Fact]
    public void A_GAN_with_a_spectrally_normalized_discriminator_resumes_bit_for_bit()
    {
        Gan Build()
        {
            var random = new RandomSource(21);
            var g = new Sequential(new Dense(5, 16, random), new ReLU(), new Dense(16, GanTestKit.CurvePoints, random));
            var d = new Sequential(new SpectralNormDense(GanTestKit.CurvePoints, 16, random), new LeakyReLU(0.2f), new SpectralNormDense(16, 1, random));
            return new Gan(g, d, new Adam(g.Parameters, 1e-3f, beta1: 0.5f), new Adam(d.Parameters, 1e-3f, beta1: 0.5f), new GaussianNoise(5), GanTestKit.QuadraticSampler(), random, new GanOptions { BatchSize = 16, Objective = GanObjective.Hinge });
        }

        Gan straight = Build();
        straight.Train(40);
        Gan first = Build();
        first.Train(20);
        string path = Path.Combine(_directory, "gan.gck");
        first.SaveCheckpoint(path);
        Gan resumed = Gan.LoadCheckpoint(path, new GaussianNoise(5), GanTestKit.QuadraticSampler());
        resumed.Discriminator.Layers.OfType<SpectralNormDense>().Should().HaveCount(2);
        resumed.Train(20);

        CheckpointTestData.Bits(resumed.Discriminator).Should().BeEquivalentTo(CheckpointTestData.Bits(straight.Discriminator), o => o.WithStrictOrdering());
        CheckpointTestData.Bits(resumed.Generator).Should().BeEquivalentTo(CheckpointTestData.Bits(straight.Generator), o => o.WithStrictOrdering());
        Us(resumed.Discriminator).Should().BeEquivalentTo(Us(straight.Discriminator), o => o.WithStrictOrdering());
    }

    [Fact]
    public void A_version_1_file_cannot_hold_a_spectral_norm_layer()
    {
        var random = new RandomSource(3);
        byte[] file = ModelCheckpoint.Serialize(new Sequential(new Dense(2, 3, random), new SpectralNormDense(3, 1, random)), null, null);
        file[8] = 1; // Build writes the current version; claim version 1 (0.1.0)
        Action act = () => ModelCheckpoint.Deserialize(file, "m.gck");
        act.Should().Throw<CheckpointException>().WithMessage("*layer 1 has kind 11, which version 1 files do not have*");
    }

    [Theory]
    [InlineData(0, "*layer 2's power-iteration count is 0; it must be in [1, 100]*")]
    [InlineData(101, "*layer 2's power-iteration count is 101; it must be in [1, 100]*")]
    [InlineData(-1, "*layer 2's power-iteration count is -1*")]
    public void A_bad_power_iteration_count_is_named(int count, string message)
    {
        (Sequential model, _, _) = Trained(epochs: 1);

        // Architecture: i32 count; Dense (1 + 8); Tanh (1); SpectralNormDense (1 + in + out + iterations).
        int at = 4 + 9 + 1 + 1 + 8;
        byte[] file = CheckpointTestData.WithPayload(ModelCheckpoint.Serialize(model, null, null), ModelCheckpoint.ArchitectureSection, p => CheckpointTestData.PutInt32(p, at, count));
        Action act = () => ModelCheckpoint.Deserialize(file, "m.gck");
        act.Should().Throw<CheckpointException>().WithMessage(message).Which.Offset.Should().BeGreaterThan(0);
    }

    [Theory]
    [InlineData("scaled", "*layer 2's power-iteration vector u has norm 2; it must be a unit vector*")]
    [InlineData("zero", "*layer 2's power-iteration vector u has norm 0; it must be a unit vector*")]
    [InlineData("nan", "*layer 2's power-iteration vector u[0] is NaN*")]
    [InlineData("index", "*stateful layer 0's index is 3; it must be in [2, 2]*")]
    public void A_bad_u_is_named(string damage, string message)
    {
        (Sequential model, _, _) = Trained(epochs: 1);

        // State: i32 count; i32 index 2, f32 u[6]; i32 index 3, BatchNorm 2×6 floats; i32 index 5, f32 u[2].
        byte[] file = CheckpointTestData.WithPayload(ModelCheckpoint.Serialize(model, null, null), ModelCheckpoint.StateSection, p =>
        {
            for (int i = 0; i < 6; i++)
            {
                float u = BinaryPrimitives.ReadSingleLittleEndian(p.AsSpan(8 + (4 * i)));
                float changed = damage switch { "scaled" => 2f * u, "zero" => 0f, "nan" when i == 0 => float.NaN, _ => u };
                CheckpointTestData.PutSingle(p, 8 + (4 * i), changed);
            }

            return damage == "index" ? CheckpointTestData.PutInt32(p, 4, 3) : p;
        });

        Action act = () => ModelCheckpoint.Deserialize(file, "m.gck");
        act.Should().Throw<CheckpointException>().WithMessage(message).Which.Section.Should().Be(ModelCheckpoint.StateSection);
    }

    [Fact]
    public void A_missing_or_short_state_section_is_rejected_before_reading()
    {
        (Sequential model, _, _) = Trained(epochs: 1);
        byte[] saved = ModelCheckpoint.Serialize(model, null, null);
        byte[] missing = CheckpointTestData.WithSections(saved, s => s.Where(x => x.Name != ModelCheckpoint.StateSection));
        FluentActions.Invoking(() => ModelCheckpoint.Deserialize(missing, "m.gck")).Should().Throw<CheckpointException>()
            .WithMessage("*'model/state' is missing*3 layer(s) with running statistics, a generator state or a power-iteration vector*");

        // 4 + (4 + 6·4) + (4 + 12·4) + (4 + 2·4) = 96 bytes.
        byte[] shortened = CheckpointTestData.WithPayload(saved, ModelCheckpoint.StateSection, p => p[..^4]);
        FluentActions.Invoking(() => ModelCheckpoint.Deserialize(shortened, "m.gck")).Should().Throw<CheckpointException>()
            .WithMessage("*implies 96 bytes of layer state but the section holds 92*");

        // A parameter section sized for Dense-without-state is still checked against the SpectralNormDense widths.
        byte[] wrongParameters = CheckpointTestData.WithPayload(saved, ModelCheckpoint.ParametersSection, p => p[..^4]);
        FluentActions.Invoking(() => ModelCheckpoint.Deserialize(wrongParameters, "m.gck")).Should().Throw<CheckpointException>()
            .WithMessage("*bytes of parameters but the section holds*");
    }
}
