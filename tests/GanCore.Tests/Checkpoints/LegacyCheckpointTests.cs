using System.Globalization;
using GanCore.Adversarial;
using GanCore.Checkpoints;
using GanCore.Kernels;
using GanCore.Models;
using GanCore.Optimizers;
using GanCore.Randomness;
using GanCore.Tensors;
using GanCore.Tests.Kernels;

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
        float[] saved = Floats(expected[prefix + ".output"]);
        if (KernelDispatch.Width == VectorWidth.Bits512)
        {
            // The fixtures were written on a host that ran 512-bit vectors: at that width, the same bits.
            model.Forward(Matrix.FromRows(3, model.InputSize, input)).Span.ToArray().Should().Equal(saved, "a loaded model computes what the saving one did");
        }

        // At any width, the same values to a few roundings. A forward pass adds its products in an order that depends on
        // the vector width (a dot product's partial sums are 16, 8, 4 or 1 lanes wide, a LayerNorm's statistics too), so
        // an SSE4.2-only or Arm host computes the last bit or two differently from the 512-bit host that wrote the
        // output; the stored values themselves are compared bit for bit above. A changed or misread parameter moves the
        // output by orders of magnitude more than this bound.
        foreach (VectorWidth width in KernelWidths.Available)
        {
            using KernelDispatch.WidthScope scope = KernelDispatch.Cap(width);
            float[] got = model.Forward(Matrix.FromRows(3, model.InputSize, input)).Span.ToArray();
            got.Should().HaveCount(saved.Length);
            for (int i = 0; i < got.Length; i++)
            {
                double bound = OutputRoundings * GemmTolerance.Epsilon * Math.Max(1.0, Math.Abs(saved[i]));
                Math.Abs((double)got[i] - saved[i]).Should().BeLessThanOrEqualTo(bound, $"{prefix} output {i} at {width} computes what the saving model did, to a few roundings");
            }
        }
    }

    /// <summary>Float32 roundings (ε·max(1, |output|)) allowed between the saved output and one computed at another
    /// vector width: 16, where these small models differ by at most 2 at every width (measured with the width capped on
    /// a 512-bit host, and on the same host with AVX2 or AVX-512 turned off).</summary>
    private const double OutputRoundings = 16;

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
