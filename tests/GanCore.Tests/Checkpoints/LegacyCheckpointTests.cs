using System.Globalization;
using GanCore.Adversarial;
using GanCore.Checkpoints;
using GanCore.Models;
using GanCore.Optimizers;
using GanCore.Randomness;
using GanCore.Tensors;

namespace GanCore.Tests.Checkpoints;

/// <summary>
/// Checkpoints written by GanCore 0.1.0 (format version 1) keep loading, forever: every stored value is compared
/// bit for bit with the sidecar written next to the file when it was made (see Fixtures/README.md).
/// </summary>
public class LegacyCheckpointTests
{
    private static string Fixture(string name) => Path.Combine(AppContext.BaseDirectory, "Checkpoints", "Fixtures", name);

    private static Dictionary<string, string[]> Expected(string name) =>
        File.ReadAllLines(Fixture(name + ".expected.txt"))
            .Where(l => l.Length > 0)
            .ToDictionary(l => l.Split(' ')[0], l => l.Split(' ').Skip(1).ToArray());

    private static float[] Floats(string[] hex) => hex.Select(h => BitConverter.UInt32BitsToSingle(uint.Parse(h, NumberStyles.HexNumber, CultureInfo.InvariantCulture))).ToArray();

    private static void CheckModel(Dictionary<string, string[]> expected, string prefix, Sequential model, Optimizer? optimizer)
    {
        model.Describe().Should().Be(string.Join(' ', expected[prefix + ".describe"]));
        for (int i = 0; i < model.Parameters.Count; i++)
        {
            model.Parameters[i].Value.Span.ToArray().Should().Equal(Floats(expected[$"{prefix}.param.{i}"]), $"{prefix} parameter {i} is stored bit for bit");
        }

        expected.Keys.Count(k => k.StartsWith(prefix + ".param.", StringComparison.Ordinal)).Should().Be(model.Parameters.Count);
        if (expected.TryGetValue(prefix + ".optimizer", out string[]? o))
        {
            optimizer.Should().NotBeNull();
            optimizer!.Name.Should().Be(string.Join(' ', o[..^1]));
            optimizer.StepCount.Should().Be(long.Parse(o[^1], CultureInfo.InvariantCulture));
            for (int i = 0; i < optimizer.StateBuffers.Count; i++)
            {
                optimizer.StateBuffers[i].Should().Equal(Floats(expected[$"{prefix}.state.{i}"]), $"{prefix} optimizer buffer {i}");
            }
        }
        else
        {
            optimizer.Should().BeNull();
        }

        float[] input = Floats(expected[prefix + ".input"]);
        Matrix output = model.Forward(Matrix.FromRows(3, model.InputSize, input));
        output.Span.ToArray().Should().Equal(Floats(expected[prefix + ".output"]), "a loaded model computes what the saving one did");
    }

    private static RandomSourceState RandomState(string[] r) => new(
        ulong.Parse(r[0], NumberStyles.HexNumber, CultureInfo.InvariantCulture),
        ulong.Parse(r[1], NumberStyles.HexNumber, CultureInfo.InvariantCulture),
        ulong.Parse(r[2], NumberStyles.HexNumber, CultureInfo.InvariantCulture),
        ulong.Parse(r[3], NumberStyles.HexNumber, CultureInfo.InvariantCulture),
        r[4] == "1",
        BitConverter.UInt64BitsToDouble(ulong.Parse(r[5], NumberStyles.HexNumber, CultureInfo.InvariantCulture)));

    [Theory]
    [InlineData("model-adam-0.1.0")]
    [InlineData("model-sgd-0.1.0")]
    [InlineData("model-every-layer-0.1.0")]
    public void A_model_checkpoint_written_by_0_1_0_loads_with_every_value(string name)
    {
        byte[] bytes = File.ReadAllBytes(Fixture(name + ".gcc"));
        BitConverter.ToUInt16(bytes, 8).Should().Be(1, "the fixture is a version-1 file");

        ModelCheckpoint checkpoint = ModelCheckpoint.Load(Fixture(name + ".gcc"));

        Dictionary<string, string[]> expected = Expected(name);
        CheckModel(expected, "model", checkpoint.Model, checkpoint.Optimizer);
        if (expected.TryGetValue("random", out string[]? r))
        {
            checkpoint.RandomState.Should().Be(RandomState(r));
        }
        else
        {
            checkpoint.RandomState.Should().BeNull();
        }
    }

    [Fact]
    public void A_GAN_checkpoint_written_by_0_1_0_loads_with_every_value()
    {
        var sampler = new DelegateSampler(4, static (m, r) => r.FillUniform(m.Span, 1f, 2f));
        Gan gan = Gan.LoadCheckpoint(Fixture("gan-0.1.0.gcc"), new GaussianNoise(3), sampler);

        Dictionary<string, string[]> expected = Expected("gan-0.1.0");
        gan.StepCount.Should().Be(long.Parse(expected["gan.steps"][0], CultureInfo.InvariantCulture));
        string[] options = expected["gan.options"];
        gan.Options.Objective.ToString().Should().Be(options[0]);
        gan.Options.Schedule.ToString().Should().Be(options[1]);
        gan.Options.DiscriminatorSteps.ToString(CultureInfo.InvariantCulture).Should().Be(options[2]);
        gan.Options.BatchSize.ToString(CultureInfo.InvariantCulture).Should().Be(options[3]);
        gan.Options.RealLabel.Should().Be(Floats([options[4]])[0]);
        gan.Random.GetState().Should().Be(RandomState(expected["random"]));
        CheckModel(expected, "generator", gan.Generator, gan.GeneratorOptimizer);
        CheckModel(expected, "discriminator", gan.Discriminator, gan.DiscriminatorOptimizer);
    }

    [Fact]
    public void A_version_1_file_cannot_hold_a_version_2_layer_kind()
    {
        byte[] bytes = File.ReadAllBytes(Fixture("model-every-layer-0.1.0.gcc"));

        // Turn the ReLU (kind 2, the byte after the first Dense's two widths) into Softmax (kind 7).
        byte[] changed = CheckpointTestData.WithPayload(bytes, ModelCheckpoint.ArchitectureSection, p =>
        {
            p[4 + 1 + 8].Should().Be(2);
            p[4 + 1 + 8] = 7;
            return p;
        });
        changed[8] = 1; // Build writes the current version; put version 1 back

        Action act = () => ModelCheckpoint.Deserialize(changed, "old.gcc");
        act.Should().Throw<CheckpointException>().WithMessage("*layer 1 has kind 7, which version 1 files do not have*");
    }
}
