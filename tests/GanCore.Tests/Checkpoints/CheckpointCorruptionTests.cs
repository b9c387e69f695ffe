using System.Buffers.Binary;
using GanCore.Checkpoints;
using GanCore.Models;
using GanCore.Randomness;

namespace GanCore.Tests.Checkpoints;

/// <summary>
/// Every damaged file is rejected with a <see cref="CheckpointException"/> that names the problem — never another
/// exception type, never a huge allocation, never a hang.
/// </summary>
public sealed class CheckpointCorruptionTests : IDisposable
{
    private const string Architecture = "model/architecture";
    private const string Parameters = "model/parameters";
    private const string OptimizerSection = "model/optimizer";
    private readonly string _folder = Directory.CreateTempSubdirectory("gancore-corrupt-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    /// <summary>Loads from memory and returns the exception, checking its type, the allocation and the time taken.</summary>
    private static CheckpointException Reject(byte[] file)
    {
        long before = GC.GetAllocatedBytesForCurrentThread();
        var watch = System.Diagnostics.Stopwatch.StartNew();
        Exception? caught = null;
        try
        {
            ModelCheckpoint.Deserialize(file, "bad.gck");
        }
#pragma warning disable CA1031 // the point is to see every exception type
        catch (Exception e)
#pragma warning restore CA1031
        {
            caught = e;
        }

        watch.Stop();
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        caught.Should().NotBeNull("a damaged file must not load");
        caught.Should().BeOfType<CheckpointException>("got {0}", caught);
        caught!.Message.Should().StartWith("bad.gck");
        allocated.Should().BeLessThan(1 << 20, "a corrupted length must never cause a large allocation");
        watch.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(2));
        return (CheckpointException)caught;
    }

    [Fact]
    public void Every_truncation_is_rejected()
    {
        byte[] file = CheckpointTestData.Bytes();
        for (int length = 0; length < file.Length; length++)
        {
            Reject(file[..length]);
        }

        ModelCheckpoint.Deserialize(file, "ok").Model.Should().NotBeNull();
    }

    [Fact]
    public void Truncations_say_so()
    {
        byte[] file = CheckpointTestData.Bytes();
        Reject(file[..5]).Message.Should().Contain("shorter than the 16-byte header");
        Reject(file[..16]).Message.Should().Contain("truncated");
        Reject(file[..40]).Message.Should().Contain("truncated");
        Reject(file[..^1]).Message.Should().Contain("truncated");
    }

    [Fact]
    public void Every_single_bit_flip_is_rejected()
    {
        byte[] file = CheckpointTestData.Bytes(adam: false);
        for (int i = 0; i < file.Length; i++)
        {
            for (int bit = 0; bit < 8; bit++)
            {
                byte[] copy = (byte[])file.Clone();
                copy[i] ^= (byte)(1 << bit);
                CheckpointException e = Reject(copy);
                e.Offset.Should().BeGreaterThanOrEqualTo(0, "byte {0} bit {1}: {2}", i, bit, e.Message);
            }
        }
    }

    [Fact]
    public void A_flipped_payload_bit_is_a_CRC_mismatch_naming_the_section()
    {
        byte[] file = CheckpointTestData.Bytes();
        CheckpointFile.Section parameters = CheckpointFile.Parse(file, "t")[Parameters];
        file[parameters.PayloadOffset + 20] ^= 0x10;

        CheckpointException e = Reject(file);

        e.Message.Should().Contain("CRC-32 mismatch");
        e.Section.Should().Be(Parameters);
    }

    [Fact]
    public void Wrong_magic_is_rejected()
    {
        byte[] file = CheckpointTestData.Bytes();
        file[0] = (byte)'P';
        CheckpointException e = Reject(file);
        e.Message.Should().Contain("magic");
        e.Offset.Should().Be(0);

        Reject("PK\x03\x04 this is a zip file, not a checkpoint"u8.ToArray()).Message.Should().Contain("magic");
    }

    [Theory]
    [InlineData(0)]
    [InlineData(3)]
    [InlineData(ushort.MaxValue)]
    public void Another_version_is_rejected(int version)
    {
        byte[] file = CheckpointTestData.Bytes();
        BinaryPrimitives.WriteUInt16LittleEndian(file.AsSpan(8), (ushort)version);
        CheckpointException e = Reject(file);
        e.Message.Should().Contain($"version {version} is not supported");
        e.Offset.Should().Be(8);
    }

    [Fact]
    public void A_non_zero_reserved_header_field_is_rejected()
    {
        byte[] file = CheckpointTestData.Bytes();
        BinaryPrimitives.WriteUInt16LittleEndian(file.AsSpan(10), 1);
        CheckpointException e = Reject(file);
        e.Message.Should().Contain("reserved");
        e.Offset.Should().Be(10);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(100)]
    public void Trailing_bytes_are_rejected(int extra)
    {
        byte[] file = [.. CheckpointTestData.Bytes(), .. new byte[extra]];
        Reject(file).Message.Should().Contain($"{extra} unexpected bytes follow the last");
    }

    [Theory]
    [InlineData(int.MaxValue)]
    [InlineData((ulong)int.MaxValue + 1)]
    [InlineData(uint.MaxValue)]
    [InlineData(long.MaxValue)]
    [InlineData(ulong.MaxValue)]
    [InlineData(1000)]
    public void An_inflated_section_length_is_rejected_without_allocating(ulong length)
    {
        byte[] file = CheckpointTestData.Bytes();
        BinaryPrimitives.WriteUInt64LittleEndian(file.AsSpan(CheckpointTestData.FirstPayloadLengthOffset(file)), length);
        CheckpointException e = Reject(file);
        e.Message.Should().Contain($"payload length {length}");
        e.Section.Should().Be(Architecture);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(65)]
    [InlineData(ushort.MaxValue)]
    public void A_bad_section_name_length_is_rejected(int length)
    {
        byte[] file = CheckpointTestData.Bytes();
        BinaryPrimitives.WriteUInt16LittleEndian(file.AsSpan(CheckpointFile.HeaderLength), (ushort)length);
        Reject(file).Message.Should().Contain($"name length of {length}");
    }

    [Theory]
    [InlineData(uint.MaxValue)]
    [InlineData(257u)]
    [InlineData(5u)]
    [InlineData(0u)]
    public void A_wrong_section_count_is_rejected(uint count)
    {
        byte[] file = CheckpointTestData.Bytes();
        BinaryPrimitives.WriteUInt32LittleEndian(file.AsSpan(12), count);
        Reject(file);
    }

    [Fact]
    public void A_missing_section_is_named()
    {
        byte[] file = CheckpointTestData.WithSections(CheckpointTestData.Bytes(), s => s.Where(x => x.Name != Parameters));
        CheckpointException e = Reject(file);
        e.Section.Should().Be(Parameters);
        e.Message.Should().Contain("required section 'model/parameters' is missing");
    }

    [Fact]
    public void A_repeated_section_is_rejected()
    {
        byte[] file = CheckpointTestData.WithSections(CheckpointTestData.Bytes(), s => s.Append(s[0]));
        Reject(file).Message.Should().Contain("appears twice");
    }

    [Fact]
    public void A_section_name_that_is_not_printable_ASCII_is_rejected()
    {
        byte[] file = CheckpointTestData.WithSections(CheckpointTestData.Bytes(), s => s.Append(("bad\u0001name", [])));
        Reject(file).Message.Should().Contain("not printable ASCII");
    }

    [Fact]
    public void An_architecture_that_does_not_match_the_parameters_is_rejected()
    {
        // The architecture of one model with the parameters of another.
        byte[] small = ModelCheckpoint.Serialize(new Sequential(new GanCore.Layers.Dense(2, 3, new RandomSource(1))), null, null);
        byte[] large = ModelCheckpoint.Serialize(new Sequential(new GanCore.Layers.Dense(2, 4, new RandomSource(1))), null, null);
        byte[] otherParameters = CheckpointFile.Parse(large, "l")[Parameters].Payload.ToArray();
        byte[] file = CheckpointTestData.WithPayload(small, Parameters, _ => otherParameters);

        CheckpointException e = Reject(file);

        e.Section.Should().Be(Parameters);
        e.Message.Should().MatchRegex("the architecture implies [0-9]+ bytes of parameters but the section holds [0-9]+");
    }

    [Theory]
    [InlineData(0, 0, "the layer count is 0")]
    [InlineData(0, -1, "the layer count is -1")]
    [InlineData(0, int.MaxValue, "the layer count is 2147483647")]
    [InlineData(5, int.MaxValue, "layer 0's input width is 2147483647")]
    [InlineData(5, 0, "layer 0's input width is 0")]
    [InlineData(9, int.MaxValue, "layer 0's output width is 2147483647")]
    [InlineData(9, 1 << 20, "the architecture implies")]
    public void A_corrupted_architecture_field_is_rejected(int offset, int value, string message)
    {
        // Architecture payload: i32 layer count; per layer u8 kind; Dense: i32 in, i32 out.
        byte[] file = CheckpointTestData.WithPayload(CheckpointTestData.Bytes(), Architecture, p => CheckpointTestData.PutInt32(p, offset, value));
        CheckpointException e = Reject(file);
        e.Message.Should().Contain(message);
    }

    [Fact]
    public void Dense_widths_that_do_not_chain_are_rejected()
    {
        // Dense(2→3) → Dense(3→2) rewritten as Dense(2→3) → Dense(1→4): the same parameter bytes, but 3 ≠ 1.
        var random = new RandomSource(1);
        byte[] original = ModelCheckpoint.Serialize(new Sequential(new GanCore.Layers.Dense(2, 3, random), new GanCore.Layers.Dense(3, 2, random)), null, null);
        byte[] file = CheckpointTestData.WithPayload(original, Architecture, p => CheckpointTestData.PutInt32(CheckpointTestData.PutInt32(p, 14, 1), 18, 4));

        CheckpointException e = Reject(file);

        e.Message.Should().Contain("describes an invalid model").And.Contain("expects input width 1, but the layers before it produce width 3");
        e.InnerException.Should().BeAssignableTo<ArgumentException>();
    }

    [Theory]
    [InlineData(0)]
    [InlineData(12)]
    [InlineData(200)]
    public void An_unknown_layer_kind_is_rejected(byte kind)
    {
        byte[] file = CheckpointTestData.WithPayload(CheckpointTestData.Bytes(), Architecture, p =>
        {
            p[4] = kind;
            return p;
        });
        Reject(file).Message.Should().Contain($"layer 0 has unknown kind {kind}");
    }

    [Theory]
    [InlineData(float.NaN)]
    [InlineData(1f)]
    [InlineData(-0.5f)]
    public void A_bad_LeakyReLU_slope_is_rejected(float slope)
    {
        var model = new Sequential(new GanCore.Layers.Dense(2, 2, new RandomSource(1)), new GanCore.Layers.LeakyReLU(0.1f));
        byte[] file = CheckpointTestData.WithPayload(ModelCheckpoint.Serialize(model, null, null), Architecture, p => CheckpointTestData.PutSingle(p, 14, slope));
        Reject(file).Message.Should().Contain("LeakyReLU slope");
    }

    [Theory]
    [InlineData(0, int.MaxValue, "the parameter count is 2147483647")]
    [InlineData(4, int.MaxValue, "parameter 0's row count is 2147483647")]
    [InlineData(8, -1, "parameter 0's column count is -1")]
    public void A_corrupted_parameter_field_is_rejected(int offset, int value, string message)
    {
        byte[] file = CheckpointTestData.WithPayload(CheckpointTestData.Bytes(), Parameters, p => CheckpointTestData.PutInt32(p, offset, value));
        Reject(file).Message.Should().Contain(message);
    }

    [Theory]
    [InlineData(float.NaN)]
    [InlineData(float.PositiveInfinity)]
    public void A_non_finite_weight_is_rejected(float value)
    {
        byte[] file = CheckpointTestData.WithPayload(CheckpointTestData.Bytes(), Parameters, p => CheckpointTestData.PutSingle(p, 16, value));
        Reject(file).Message.Should().Contain("stored values must be finite");
    }

    [Theory]
    [InlineData(30, int.MaxValue, "the state buffer count is 2147483647")]
    [InlineData(34, int.MaxValue, "state buffer 0's length is 2147483647")]
    [InlineData(34, -5, "state buffer 0's length is -5")]
    public void A_corrupted_Adam_state_is_rejected(int offset, int value, string message)
    {
        // Adam payload: u8 kind, f32 lr, f32 β1, f32 β2, f32 ε, f32 λ, u8 decoupled, i64 steps, i32 buffer count, (i32 length, floats)...
        byte[] file = CheckpointTestData.WithPayload(CheckpointTestData.Bytes(), OptimizerSection, p => CheckpointTestData.PutInt32(p, offset, value));
        Reject(file).Message.Should().Contain(message);
    }

    [Fact]
    public void A_negative_step_count_is_rejected()
    {
        byte[] file = CheckpointTestData.WithPayload(CheckpointTestData.Bytes(), OptimizerSection, p => CheckpointTestData.PutInt64(p, 22, -1));
        Reject(file).Message.Should().Contain("the step count is -1");
    }

    [Theory]
    [InlineData(1, float.NaN, "learning rate")]
    [InlineData(1, -1f, "learning rate")]
    [InlineData(5, 1f, "beta1")]
    [InlineData(13, 0f, "epsilon")]
    public void Invalid_Adam_settings_are_rejected(int offset, float value, string message)
    {
        byte[] file = CheckpointTestData.WithPayload(CheckpointTestData.Bytes(), OptimizerSection, p => CheckpointTestData.PutSingle(p, offset, value));
        Reject(file).Message.Should().Contain("invalid optimizer settings").And.Contain(message);
    }

    [Fact]
    public void Nesterov_without_momentum_in_a_file_is_rejected()
    {
        // SGD payload: u8 kind, f32 lr, f32 momentum, u8 nesterov, f32 λ, i64 steps, ...
        byte[] file = CheckpointTestData.WithPayload(CheckpointTestData.Bytes(adam: false), OptimizerSection, p => CheckpointTestData.PutSingle(p, 5, 0f));
        Reject(file).Message.Should().Contain("Nesterov");
    }

    [Fact]
    public void An_unknown_optimizer_kind_is_rejected()
    {
        byte[] file = CheckpointTestData.WithPayload(CheckpointTestData.Bytes(), OptimizerSection, p =>
        {
            p[0] = 9;
            return p;
        });
        Reject(file).Message.Should().Contain("unknown optimizer kind 9");
    }

    [Fact]
    public void An_all_zero_generator_state_is_rejected()
    {
        byte[] file = CheckpointTestData.WithPayload(CheckpointTestData.Bytes(), "random", p => new byte[p.Length]);
        Reject(file).Message.Should().Contain("generator state is invalid");
    }

    [Fact]
    public void Extra_bytes_inside_a_section_are_rejected()
    {
        byte[] file = CheckpointTestData.WithPayload(CheckpointTestData.Bytes(), "random", p => [.. p, 0]);
        Reject(file).Message.Should().Contain("1 unexpected bytes remain at the end of the section");
    }

    [Fact]
    public void A_damaged_file_on_disk_is_rejected_by_Load_with_its_path()
    {
        string path = Path.Combine(_folder, "damaged.gck");
        byte[] file = CheckpointTestData.Bytes();
        File.WriteAllBytes(path, file[..(file.Length / 2)]);

        Action act = () => ModelCheckpoint.Load(path);

        act.Should().Throw<CheckpointException>().WithMessage($"{path}: *truncated*");
    }
}
