using System.Buffers.Binary;
using System.Diagnostics;
using GanCore.Adversarial;
using GanCore.Checkpoints;
using GanCore.Layers;
using GanCore.Models;
using GanCore.Optimizers;
using GanCore.Randomness;
using GanCore.Tests.Adversarial;
using GanCore.Tests.Checkpoints;
using Xunit.Abstractions;
using Xunit.Sdk;

namespace GanCore.Tests.Hardening;

/// <summary>
/// Fuzzes the checkpoint loaders: tens of thousands of mutated files, deterministic by seed. Every load either
/// succeeds (with CRC-verified sections and finite weights) or throws <see cref="CheckpointException"/> — no other
/// exception type, no hang, and no allocation beyond <see cref="AllocationBound"/>.
/// </summary>
/// <remarks>
/// The default run makes about 25,000 files in a few seconds. Set <c>GANCORE_FUZZ_ITERATIONS</c> (random mutations
/// per kind and target; default 3,000) for a longer run, e.g. 200000.
/// </remarks>
public sealed class CheckpointFuzzTests(ITestOutputHelper output)
{
    private const int DefaultIterations = 3_000;

    /// <summary>
    /// Bytes a load may allocate beyond <c>64 · file length</c>. A successful load holds the weights (≈ the file's
    /// float bytes), one gradient buffer per weight, the optimizer moments (already in the file) and forward buffers;
    /// 64 bytes per file byte covers that with room. The constant covers what does not scale with the file: the
    /// section dictionary, layer and optimizer objects, the GAN's batch buffers for a batch of 64 (≈ 6 KB), and a
    /// thrown exception with its formatted message and captured stack trace (measured at well under 64 KB).
    /// </summary>
    private const long AllocationConstant = 256 * 1024;

    private static long AllocationBound(int fileLength) => (64L * fileLength) + AllocationConstant;

    private static int Iterations =>
        int.TryParse(Environment.GetEnvironmentVariable("GANCORE_FUZZ_ITERATIONS"), out int n) && n > 0 ? n : DefaultIterations;

    [Fact]
    public async Task Mutated_checkpoints_load_or_throw_CheckpointException_without_large_allocations()
    {
        int iterations = Iterations;

        // Generous overall timeout against hangs (the default run takes seconds); scales with the requested iterations.
        TimeSpan timeout = TimeSpan.FromSeconds(120 + (iterations / 100));
        Dictionary<(string Target, string Kind), Tally> tallies = await Task.Run(() => Fuzz(iterations)).WaitAsync(timeout);

        int total = tallies.Values.Sum(t => t.Loaded + t.Rejected);
        output.WriteLine($"{total} mutated files ({iterations} random mutations per random kind and target)");
        output.WriteLine($"{"target",-6} {"mutation kind",-28} {"loaded",8} {"CheckpointException",20} {"max alloc/len",14}");
        foreach (((string target, string kind), Tally t) in tallies.OrderBy(p => p.Key.Target, StringComparer.Ordinal).ThenBy(p => p.Key.Kind, StringComparer.Ordinal))
        {
            output.WriteLine($"{target,-6} {kind,-28} {t.Loaded,8} {t.Rejected,20} {t.MaxAllocationPerByte,14:F1}");
        }

        total.Should().BeGreaterThanOrEqualTo(20_000);

        // Every byte of a file is covered by a header check or a section's CRC-32: a change that does not recompute
        // the CRC must never load. (Reordered sections, or changes with a recomputed CRC, may.)
        string[] neverLoad = ["bit flips (stale CRC)", "inflated field (stale CRC)", "truncation (every offset)", "random bytes", "random bytes after a header", "zero-length", "header only"];
        tallies.Where(p => neverLoad.Contains(p.Key.Kind)).Should().OnlyContain(p => p.Value.Loaded == 0);
        tallies.Values.Sum(t => t.Loaded).Should().BeGreaterThan(0, "some mutations (reordered sections, finite weight flips with fixed CRCs) are still valid files");
    }

    [Fact]
    public void The_public_file_loaders_reject_damaged_files_with_CheckpointException_too()
    {
        string folder = GanTestKit.TempDirectory("fuzz-files");
        try
        {
            var random = new RandomSource(99);
            foreach (Target target in Targets())
            {
                var bad = new List<byte[]> { Array.Empty<byte>(), target.File[..CheckpointFile.HeaderLength], target.File[..^1], target.File[..(target.File.Length / 2)] };
                for (int i = 0; i < 20; i++)
                {
                    byte[] flipped = FlipBits(target.File, random).File;
                    bad.Add(flipped);
                }

                string path = Path.Combine(folder, $"{target.Name}.gck");
                foreach (byte[] file in bad)
                {
                    File.WriteAllBytes(path, file);
                    Action load = target.Name switch
                    {
                        "gan" => () => Gan.LoadCheckpoint(path, new GaussianNoise(5), GanTestKit.QuadraticSampler()),
                        "cgan" => () => Gan.LoadCheckpoint(path, new GaussianNoise(5), GanTestKit.ConditionalQuadraticSampler(), null),
                        "r1gan" => () => Gan.LoadCheckpoint(path, new GaussianNoise(5), GanTestKit.QuadraticSampler()),
                        _ => () => ModelCheckpoint.Load(path),
                    };
                    load.Should().Throw<CheckpointException>().Which.Message.Should().StartWith(path);
                }

                File.WriteAllBytes(path, target.File);
                object loaded = target.Name switch
                {
                    "gan" => Gan.LoadCheckpoint(path, new GaussianNoise(5), GanTestKit.QuadraticSampler()),
                    "cgan" => Gan.LoadCheckpoint(path, new GaussianNoise(5), GanTestKit.ConditionalQuadraticSampler(), null),
                    "r1gan" => Gan.LoadCheckpoint(path, new GaussianNoise(5), GanTestKit.QuadraticSampler()),
                    _ => ModelCheckpoint.Load(path),
                };
                loaded.Should().NotBeNull();
            }

            Directory.GetFiles(folder).Select(Path.GetFileName).Should().BeEquivalentTo("model.gck", "sgd.gck", "v2.gck", "sn.gck", "gan.gck", "cgan.gck", "r1gan.gck");
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private static Dictionary<(string, string), Tally> Fuzz(int iterations)
    {
        var tallies = new Dictionary<(string, string), Tally>();
        var random = new RandomSource(20261124);
        foreach (Target target in Targets())
        {
            void Run(string kind, byte[] file)
            {
                if (!tallies.TryGetValue((target.Name, kind), out Tally? tally))
                {
                    tally = new Tally();
                    tallies.Add((target.Name, kind), tally);
                }

                LoadOne(target, kind, file, tally);
            }

            byte[] original = target.File;
            Run("original", original);
            Run("zero-length", []);
            Run("header only", original[..CheckpointFile.HeaderLength]);

            for (int length = 0; length < original.Length; length++)
            {
                Run("truncation (every offset)", original[..length]);
            }

            foreach (Field field in FieldMap(original))
            {
                foreach (ulong value in InflatedValues(field, original))
                {
                    byte[] stale = Write(original, field, value);
                    Run("inflated field (stale CRC)", stale);
                    if (field.Section is not null)
                    {
                        Run("inflated field (CRC fixed)", FixCrc(stale, field.Section));
                    }
                }
            }

            List<(string Name, byte[] Payload)> sections = SectionsOf(original);
            for (int i = 0; i < iterations / 10; i++)
            {
                Run("swapped sections", SwapSections(sections, random));
            }

            for (int i = 0; i < iterations; i++)
            {
                (byte[] flipped, SectionSpan? section) = FlipBits(original, random);
                Run("bit flips (stale CRC)", flipped);
                if (section is not null)
                {
                    Run("bit flips (CRC fixed)", FixCrc(flipped, section));
                }
            }

            for (int i = 0; i < iterations / 3; i++)
            {
                var noise = new byte[random.NextInt32(original.Length * 2)];
                FillRandom(noise, random);
                Run("random bytes", noise);
                byte[] withHeader = (byte[])noise.Clone();
                if (withHeader.Length >= CheckpointFile.HeaderLength)
                {
                    original.AsSpan(0, CheckpointFile.HeaderLength).CopyTo(withHeader);
                }

                Run("random bytes after a header", withHeader);
            }
        }

        return tallies;
    }

    private static void LoadOne(Target target, string kind, byte[] file, Tally tally)
    {
        long before = GC.GetAllocatedBytesForCurrentThread();
        Exception? caught = null;
        object? loaded = null;
        try
        {
            loaded = target.Load(file);
        }
#pragma warning disable CA1031 // the point is to see every exception type
        catch (Exception e)
#pragma warning restore CA1031
        {
            caught = e;
        }

        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        if (caught is not null && caught is not CheckpointException)
        {
            throw new XunitException($"{target.Name}, {kind}: a {file.Length}-byte file threw {caught.GetType().Name} instead of CheckpointException: {caught}");
        }

        if (allocated > AllocationBound(file.Length))
        {
            throw new XunitException($"{target.Name}, {kind}: loading a {file.Length}-byte file allocated {allocated} bytes (bound {AllocationBound(file.Length)}); outcome {caught?.Message ?? "loaded"}");
        }

        if (loaded is not null)
        {
            IEnumerable<Sequential> models = loaded switch
            {
                ModelCheckpoint m => [m.Model],
                Gan g => [g.Generator, g.Discriminator],
                _ => throw new UnreachableException(),
            };
            foreach (BatchNorm bn in models.SelectMany(m => m.Layers).OfType<BatchNorm>())
            {
                if (!bn.RunningMean.ToArray().All(float.IsFinite) || !bn.RunningVariance.ToArray().All(v => float.IsFinite(v) && v >= 0f))
                {
                    throw new XunitException($"{target.Name}, {kind}: a loaded BatchNorm holds a non-finite mean or a negative or non-finite variance");
                }
            }

            foreach (SpectralNormDense sn in models.SelectMany(m => m.Layers).OfType<SpectralNormDense>())
            {
                double norm = Math.Sqrt(sn.U.ToArray().Sum(e => (double)e * e));
                if (!(Math.Abs(norm - 1) <= 1e-3))
                {
                    throw new XunitException($"{target.Name}, {kind}: a loaded SpectralNormDense holds a u of norm {norm}");
                }
            }

            foreach (Parameter p in models.SelectMany(m => m.Parameters))
            {
                foreach (float v in p.Value.Span)
                {
                    if (!float.IsFinite(v))
                    {
                        throw new XunitException($"{target.Name}, {kind}: a loaded model holds {v} in {p.Name}");
                    }
                }
            }

            tally.Loaded++;
        }
        else
        {
            tally.Rejected++;
        }

        tally.MaxAllocationPerByte = Math.Max(tally.MaxAllocationPerByte, allocated / (double)Math.Max(1, file.Length));
    }

    private static IEnumerable<Target> Targets()
    {
        (Sequential model, Optimizer optimizer, RandomSource random) = CheckpointTestData.Trained(adam: true);
        byte[] modelFile = ModelCheckpoint.Serialize(model, optimizer, random);
        yield return new Target("model", modelFile, file => ModelCheckpoint.Deserialize(file, "fuzz.gck"));

        (Sequential sgdModel, Optimizer sgd, RandomSource sgdRandom) = CheckpointTestData.Trained(adam: false, seed: 2);
        byte[] sgdFile = ModelCheckpoint.Serialize(sgdModel, sgd, sgdRandom);
        yield return new Target("sgd", sgdFile, file => ModelCheckpoint.Deserialize(file, "fuzz.gck"));

        // Format version 2: every new layer kind, BatchNorm running statistics and a Dropout generator in model/state.
        (Sequential v2Model, Optimizer v2Optimizer, RandomSource v2Random) = CheckpointTestData.TrainedVersion2();
        byte[] v2File = ModelCheckpoint.Serialize(v2Model, v2Optimizer, v2Random);
        yield return new Target("v2", v2File, file => ModelCheckpoint.Deserialize(file, "fuzz.gck"));

        // Format version 3: SpectralNormDense layers (architecture with a power-iteration count, u in model/state).
        (Sequential snModel, Optimizer snOptimizer, RandomSource snRandom) = SpectralNormCheckpointTests.Trained();
        byte[] snFile = ModelCheckpoint.Serialize(snModel, snOptimizer, snRandom);
        yield return new Target("sn", snFile, file => ModelCheckpoint.Deserialize(file, "fuzz.gck"));

        Gan gan = GanTestKit.SeedGan(3, new GanOptions { BatchSize = 16 }, hidden: 6);
        gan.Train(3);
        string folder = GanTestKit.TempDirectory("fuzz");
        try
        {
            string path = Path.Combine(folder, "gan.gck");
            gan.SaveCheckpoint(path);
            byte[] ganFile = File.ReadAllBytes(path);
            var noise = new GaussianNoise(5);
            IRealDataSampler sampler = GanTestKit.QuadraticSampler();
            yield return new Target("gan", ganFile, file => Gan.Deserialize(file, "fuzz.gck", noise, sampler));

            Gan cgan = GanTestKit.ConditionalSeedGan(4, new GanOptions { BatchSize = 16 }, hidden: 6);
            cgan.Train(3);
            string cpath = Path.Combine(folder, "cgan.gck");
            cgan.SaveCheckpoint(cpath);
            byte[] cganFile = File.ReadAllBytes(cpath);
            IConditionalRealDataSampler conditionalSampler = GanTestKit.ConditionalQuadraticSampler();
            yield return new Target("cgan", cganFile, file => Gan.Deserialize(file, "fuzz.gck", noise, conditionalSampler));

            // R1 on (lazy, alternating) and the WGAN-GP penalty: the optional gan/r1 and gan/gp sections, and a D whose
            // layer kinds the penalties check on load.
            Gan r1gan = GanTestKit.SeedGan(5, new GanOptions { BatchSize = 16, Schedule = GanSchedule.Alternating, DiscriminatorSteps = 2, R1Gamma = 2f, R1Interval = 3, GradientPenaltyWeight = 1f, GradientPenaltyTarget = 0.5f }, hidden: 6);
            r1gan.Train(3);
            string r1path = Path.Combine(folder, "r1gan.gck");
            r1gan.SaveCheckpoint(r1path);
            byte[] r1File = File.ReadAllBytes(r1path);
            yield return new Target("r1gan", r1File, file => Gan.Deserialize(file, "fuzz.gck", noise, sampler));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary>Every length and count field of a checkpoint, at its real offset in the file.</summary>
    private static List<Field> FieldMap(byte[] file)
    {
        var fields = new List<Field> { new("section count", 12, 4, null) };
        foreach (SectionSpan s in Spans(file))
        {
            fields.Add(new($"{s.Name} name length", s.NameLengthOffset, 2, null));
            fields.Add(new($"{s.Name} payload length", s.PayloadOffset - 8, 8, null));
            ReadOnlySpan<byte> payload = file.AsSpan(s.PayloadOffset, s.PayloadLength);
            int p = s.PayloadOffset;
            Field At(string what, int offset, int size) => new($"{s.Name} {what}", p + offset, size, s);
            if (s.Name.EndsWith("/architecture", StringComparison.Ordinal))
            {
                fields.Add(At("layer count", 0, 4));
                int layers = BinaryPrimitives.ReadInt32LittleEndian(payload);
                int o = 4;
                for (int i = 0; i < layers; i++)
                {
                    byte kind = payload[o];
                    fields.Add(At($"layer {i} kind", o, 1));
                    o++;
                    if (kind == 1)
                    {
                        fields.Add(At($"layer {i} input width", o, 4));
                        fields.Add(At($"layer {i} output width", o + 4, 4));
                        o += 8;
                    }
                    else if (kind == 11)
                    {
                        fields.Add(At($"layer {i} input width", o, 4));
                        fields.Add(At($"layer {i} output width", o + 4, 4));
                        fields.Add(At($"layer {i} power iterations", o + 8, 4));
                        o += 12;
                    }
                    else if (kind is 3 or 8)
                    {
                        o += 4; // LeakyReLU slope, Dropout rate
                    }
                    else if (kind is 9 or 10)
                    {
                        fields.Add(At($"layer {i} features", o, 4));
                        o += kind == 9 ? 12 : 8; // features, (momentum,) epsilon
                    }
                }
            }
            else if (s.Name.EndsWith("/parameters", StringComparison.Ordinal))
            {
                fields.Add(At("parameter count", 0, 4));
                int count = BinaryPrimitives.ReadInt32LittleEndian(payload);
                int o = 4;
                for (int i = 0; i < count; i++)
                {
                    int rows = BinaryPrimitives.ReadInt32LittleEndian(payload[o..]);
                    int columns = BinaryPrimitives.ReadInt32LittleEndian(payload[(o + 4)..]);
                    fields.Add(At($"parameter {i} rows", o, 4));
                    fields.Add(At($"parameter {i} columns", o + 4, 4));
                    o += 8 + (rows * columns * 4);
                }
            }
            else if (s.Name.EndsWith("/optimizer", StringComparison.Ordinal))
            {
                fields.Add(At("optimizer kind", 0, 1));
                int stepAt = payload[0] == (byte)OptimizerKind.Adam ? 22 : 14;
                fields.Add(At("step count", stepAt, 8));
                fields.Add(At("buffer count", stepAt + 8, 4));
                int count = BinaryPrimitives.ReadInt32LittleEndian(payload[(stepAt + 8)..]);
                int o = stepAt + 12;
                for (int i = 0; i < count; i++)
                {
                    fields.Add(At($"buffer {i} length", o, 4));
                    o += 4 + (BinaryPrimitives.ReadInt32LittleEndian(payload[o..]) * 4);
                }
            }
            else if (s.Name.EndsWith("/state", StringComparison.Ordinal) && s.Name != "gan/state")
            {
                fields.Add(At("stateful layer count", 0, 4));
                fields.Add(At("first stateful layer index", 4, 4));
            }
            else if (s.Name == "gan/state")
            {
                fields.Add(At("objective", 0, 1));
                fields.Add(At("schedule", 1, 1));
                fields.Add(At("discriminator steps", 2, 4));
                fields.Add(At("batch size", 6, 4));
                fields.Add(At("step count", 14, 8));
            }
            else if (s.Name == "gan/conditions")
            {
                fields.Add(At("condition width", 0, 4));
            }
            else if (s.Name == "gan/r1")
            {
                fields.Add(At("R1 gamma", 0, 4));
                fields.Add(At("R1 interval", 4, 4));
            }
            else if (s.Name == "gan/gp")
            {
                fields.Add(At("gradient-penalty weight", 0, 4));
                fields.Add(At("gradient-penalty target", 4, 4));
            }
        }

        return fields;
    }

    private static IEnumerable<ulong> InflatedValues(Field field, byte[] file)
    {
        ReadOnlySpan<byte> at = file.AsSpan(field.Offset, field.Size);
        ulong original = field.Size switch
        {
            1 => at[0],
            2 => BinaryPrimitives.ReadUInt16LittleEndian(at),
            4 => BinaryPrimitives.ReadUInt32LittleEndian(at),
            _ => BinaryPrimitives.ReadUInt64LittleEndian(at),
        };
        var values = new List<ulong> { 0, 1, original + 1, original - 1, original * 2, 0xFF };
        if (field.Size >= 2)
        {
            values.AddRange([ushort.MaxValue, 0x8000, 64, 65]);
        }

        if (field.Size >= 4)
        {
            values.AddRange([int.MaxValue, 0x8000_0000, uint.MaxValue, 1 << 20, (1 << 20) + 1, 4096, 4097, 0x4000_0000]);
        }

        if (field.Size == 8)
        {
            values.AddRange([ulong.MaxValue, long.MaxValue, 1UL << 63, 1UL << 32, original + (1UL << 32)]);
        }

        return values.Distinct().Where(v => Write(file, new Field("probe", field.Offset, field.Size, null), v).AsSpan().SequenceEqual(file) is false);
    }

    private static byte[] Write(byte[] file, Field field, ulong value)
    {
        byte[] copy = (byte[])file.Clone();
        Span<byte> at = copy.AsSpan(field.Offset, field.Size);
        switch (field.Size)
        {
            case 1:
                at[0] = (byte)value;
                break;
            case 2:
                BinaryPrimitives.WriteUInt16LittleEndian(at, (ushort)value);
                break;
            case 4:
                BinaryPrimitives.WriteUInt32LittleEndian(at, (uint)value);
                break;
            default:
                BinaryPrimitives.WriteUInt64LittleEndian(at, value);
                break;
        }

        return copy;
    }

    /// <summary>Recomputes one section's CRC in place, so the mutation reaches the payload decoder.</summary>
    private static byte[] FixCrc(byte[] file, SectionSpan s)
    {
        ReadOnlySpan<byte> name = file.AsSpan(s.NameLengthOffset + 2, s.PayloadOffset - 8 - s.NameLengthOffset - 2);
        uint crc = Crc32.Compute(file.AsSpan(s.PayloadOffset, s.PayloadLength), Crc32.Compute(name));
        BinaryPrimitives.WriteUInt32LittleEndian(file.AsSpan(s.PayloadOffset + s.PayloadLength), crc);
        return file;
    }

    private static (byte[] File, SectionSpan? Section) FlipBits(byte[] file, RandomSource random)
    {
        byte[] copy = (byte[])file.Clone();
        int flips = 1 + random.NextInt32(4);
        int first = random.NextInt32(copy.Length);
        for (int f = 0; f < flips; f++)
        {
            // Flips cluster near the first one (within 16 bytes), so most land in a single section.
            int at = Math.Clamp(first + random.NextInt32(33) - 16, 0, copy.Length - 1);
            copy[at] ^= (byte)(1 << random.NextInt32(8));
        }

        if (copy.AsSpan().SequenceEqual(file))
        {
            // Two flips of the same bit cancel out; flip one more so every mutation really changes the file.
            copy[first] ^= 1;
        }

        SectionSpan? section = Spans(file).FirstOrDefault(s => first >= s.PayloadOffset && first < s.PayloadOffset + s.PayloadLength);
        return (copy, section);
    }

    private static byte[] SwapSections(List<(string Name, byte[] Payload)> sections, RandomSource random)
    {
        var list = new List<(string Name, byte[] Payload)>(sections);
        int a = random.NextInt32(list.Count);
        int b = random.NextInt32(list.Count);
        switch (random.NextInt32(5))
        {
            case 0: // reorder: a valid file
                (list[a], list[b]) = (list[b], list[a]);
                break;
            case 1: // exchange payloads under the original names
                (byte[] pa, byte[] pb) = (list[a].Payload, list[b].Payload);
                list[a] = (list[a].Name, pb);
                list[b] = (list[b].Name, pa);
                break;
            case 2: // duplicate one section
                list.Insert(b, list[a]);
                break;
            case 3: // drop one section
                list.RemoveAt(a);
                break;
            default: // swap the whole generator and discriminator (or rename a section to another's name)
                list = list.Select(s => (Rename(s.Name), s.Payload)).ToList();
                break;
        }

        return CheckpointFile.Build(list);
    }

    private static string Rename(string name) =>
        name.StartsWith("generator/", StringComparison.Ordinal) ? "discriminator/" + name["generator/".Length..] :
        name.StartsWith("discriminator/", StringComparison.Ordinal) ? "generator/" + name["discriminator/".Length..] :
        name == ModelCheckpoint.ArchitectureSection ? ModelCheckpoint.ParametersSection :
        name == ModelCheckpoint.ParametersSection ? ModelCheckpoint.ArchitectureSection : name;

    private static List<(string Name, byte[] Payload)> SectionsOf(byte[] file) =>
        CheckpointFile.Parse(file, "original").Values.OrderBy(s => s.PayloadOffset).Select(s => (s.Name, s.Payload.ToArray())).ToList();

    private static List<SectionSpan> Spans(byte[] file)
    {
        var spans = new List<SectionSpan>();
        foreach (CheckpointFile.Section s in CheckpointFile.Parse(file, "original").Values.OrderBy(s => s.PayloadOffset))
        {
            int payloadOffset = (int)s.PayloadOffset;
            spans.Add(new SectionSpan(s.Name, payloadOffset - 8 - s.Name.Length - 2, payloadOffset, s.Payload.Length));
        }

        return spans;
    }

    private static void FillRandom(Span<byte> bytes, RandomSource random)
    {
        for (int i = 0; i < bytes.Length; i++)
        {
            bytes[i] = (byte)random.NextUInt64();
        }
    }

    private sealed record Target(string Name, byte[] File, Func<byte[], object> Load);

    private sealed record SectionSpan(string Name, int NameLengthOffset, int PayloadOffset, int PayloadLength);

    private sealed record Field(string Name, int Offset, int Size, SectionSpan? Section);

    private sealed class Tally
    {
        public int Loaded { get; set; }

        public int Rejected { get; set; }

        public double MaxAllocationPerByte { get; set; }
    }
}
