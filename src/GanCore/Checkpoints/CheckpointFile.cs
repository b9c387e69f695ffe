using System.Buffers;
using System.Buffers.Binary;
using System.Text;

namespace GanCore.Checkpoints;

/// <summary>
/// The sectioned container every GanCore checkpoint uses (see docs/checkpoint-format.md):
/// a 16-byte header (magic "GANCKPT\x1A", u16 version, u16 reserved, u32 section count), then per section a
/// u16 name length, the ASCII name, a u64 payload length, the payload and a CRC-32 of name and payload.
/// All integers and floats are little-endian.
/// </summary>
internal static class CheckpointFile
{
    /// <summary>The version this library writes (2 since the normalization and dropout layers).</summary>
    public const ushort Version = 2;

    /// <summary>The oldest version this library reads (1, written by GanCore 0.1.0).</summary>
    public const ushort MinimumVersion = 1;
    public const int HeaderLength = 16;
    public const int MaxSections = 256;
    public const int MaxNameLength = 64;
    public static ReadOnlySpan<byte> Magic => "GANCKPT\x1A"u8;

    /// <summary>Serializes sections into one byte array.</summary>
    public static byte[] Build(IReadOnlyList<(string Name, byte[] Payload)> sections)
    {
        using var stream = new MemoryStream();
        Span<byte> header = stackalloc byte[HeaderLength];
        Magic.CopyTo(header);
        BinaryPrimitives.WriteUInt16LittleEndian(header[8..], Version);
        BinaryPrimitives.WriteUInt16LittleEndian(header[10..], 0);
        BinaryPrimitives.WriteUInt32LittleEndian(header[12..], (uint)sections.Count);
        stream.Write(header);
        Span<byte> scratch = stackalloc byte[8];
        foreach ((string name, byte[] payload) in sections)
        {
            byte[] nameBytes = Encoding.ASCII.GetBytes(name);
            BinaryPrimitives.WriteUInt16LittleEndian(scratch, (ushort)nameBytes.Length);
            stream.Write(scratch[..2]);
            stream.Write(nameBytes);
            BinaryPrimitives.WriteUInt64LittleEndian(scratch, (ulong)payload.Length);
            stream.Write(scratch);
            stream.Write(payload);
            BinaryPrimitives.WriteUInt32LittleEndian(scratch, Crc32.Compute(payload, Crc32.Compute(nameBytes)));
            stream.Write(scratch[..4]);
        }

        return stream.ToArray();
    }

    /// <summary>
    /// Writes <paramref name="contents"/> to <paramref name="path"/> atomically: into a temporary file in the same
    /// folder, flushed to disk, then renamed over the target. A failure leaves any old file intact and removes the
    /// temporary file.
    /// </summary>
    public static void WriteAtomic(string path, Action<Stream> contents)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        string full = Path.GetFullPath(path);
        string directory = Path.GetDirectoryName(full) ?? ".";
        if (!Directory.Exists(directory))
        {
            throw new DirectoryNotFoundException($"Cannot save '{path}': the folder '{directory}' does not exist.");
        }

        string temporary = Path.Combine(directory, $".{Path.GetFileName(full)}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp");
        try
        {
            using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            {
                contents(stream);
                stream.Flush(flushToDisk: true);
            }

            File.Move(temporary, full, overwrite: true);
        }
        catch
        {
            TryDelete(temporary);
            throw;
        }
    }

    /// <summary>Reads and verifies every section of a checkpoint file held in memory.</summary>
    public static Dictionary<string, Section> Parse(byte[] file, string source)
    {
        if (file.Length < HeaderLength)
        {
            throw new CheckpointException(source, file.Length, null, $"the file is {file.Length} bytes, shorter than the {HeaderLength}-byte header; it is truncated or not a GanCore checkpoint");
        }

        if (!file.AsSpan(0, 8).SequenceEqual(Magic))
        {
            throw new CheckpointException(source, 0, null, "the file does not start with the GanCore checkpoint magic \"GANCKPT\\x1A\"");
        }

        ushort version = BinaryPrimitives.ReadUInt16LittleEndian(file.AsSpan(8));
        if (version is < MinimumVersion or > Version)
        {
            throw new CheckpointException(source, 8, null, $"format version {version} is not supported (this GanCore reads versions {MinimumVersion} to {Version})");
        }

        // The header is not covered by any CRC, so every field of it is checked: a flipped bit must not go unnoticed.
        ushort reserved = BinaryPrimitives.ReadUInt16LittleEndian(file.AsSpan(10));
        if (reserved != 0)
        {
            throw new CheckpointException(source, 10, null, $"the reserved header field is {reserved}; version {version} files must have 0 there");
        }

        uint count = BinaryPrimitives.ReadUInt32LittleEndian(file.AsSpan(12));
        if (count > MaxSections)
        {
            throw new CheckpointException(source, 12, null, $"the header claims {count} sections; at most {MaxSections} are allowed");
        }

        var sections = new Dictionary<string, Section>(StringComparer.Ordinal);
        long offset = HeaderLength;
        for (int s = 0; s < count; s++)
        {
            long sectionStart = offset;
            if (file.Length - offset < 2)
            {
                throw new CheckpointException(source, offset, null, $"the file ends inside the framing of section {s + 1} of {count}; it is truncated");
            }

            int nameLength = BinaryPrimitives.ReadUInt16LittleEndian(file.AsSpan((int)offset));
            offset += 2;
            if (nameLength is 0 or > MaxNameLength)
            {
                throw new CheckpointException(source, offset - 2, null, $"section {s + 1} has a name length of {nameLength}; it must be 1..{MaxNameLength}");
            }

            if (file.Length - offset < nameLength + 8)
            {
                throw new CheckpointException(source, offset, null, $"the file ends inside the header of section {s + 1} of {count}; it is truncated");
            }

            ReadOnlySpan<byte> nameBytes = file.AsSpan((int)offset, nameLength);
            foreach (byte b in nameBytes)
            {
                if (b is < 0x20 or > 0x7E)
                {
                    throw new CheckpointException(source, offset, null, $"section {s + 1} has a name that is not printable ASCII");
                }
            }

            string name = Encoding.ASCII.GetString(nameBytes);
            offset += nameLength;
            ulong payloadLength = BinaryPrimitives.ReadUInt64LittleEndian(file.AsSpan((int)offset));
            offset += 8;
            long remaining = file.Length - offset;
            if (payloadLength > (ulong)Math.Max(0, remaining - 4))
            {
                throw new CheckpointException(source, offset - 8, name, $"the payload length {payloadLength} exceeds the {Math.Max(0, remaining - 4)} bytes left before the checksum; the file is truncated or the length is corrupted");
            }

            int length = (int)payloadLength;
            var payload = new ReadOnlyMemory<byte>(file, (int)offset, length);
            offset += length;
            uint stored = BinaryPrimitives.ReadUInt32LittleEndian(file.AsSpan((int)offset));
            uint actual = Crc32.Compute(payload.Span, Crc32.Compute(nameBytes));
            if (stored != actual)
            {
                throw new CheckpointException(source, offset, name, $"CRC-32 mismatch: stored 0x{stored:X8}, computed 0x{actual:X8}; the section is corrupted");
            }

            offset += 4;
            if (!sections.TryAdd(name, new Section(name, payload, sectionStart + 2 + nameLength + 8, source) { Version = version }))
            {
                throw new CheckpointException(source, sectionStart, name, "the section appears twice");
            }
        }

        if (offset != file.Length)
        {
            throw new CheckpointException(source, offset, null, $"{file.Length - offset} unexpected bytes follow the last of {count} sections");
        }

        return sections;
    }

    /// <summary>Reads a whole file, refusing files too large to be a checkpoint this library wrote.</summary>
    public static byte[] ReadFile(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read);
        if (stream.Length > Array.MaxLength)
        {
            throw new CheckpointException(path, 0, null, $"the file is {stream.Length} bytes, larger than any checkpoint this library can read");
        }

        var bytes = new byte[stream.Length];
        stream.ReadExactly(bytes);
        return bytes;
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    /// <summary>One verified section.</summary>
    internal sealed record Section(string Name, ReadOnlyMemory<byte> Payload, long PayloadOffset, string Source)
    {
        /// <summary>The format version of the file the section came from.</summary>
        public ushort Version { get; init; } = CheckpointFile.Version;

        public PayloadReader Reader() => new(this);
    }
}

/// <summary>Reads little-endian values from a section, checking every length against the bytes left.</summary>
internal sealed class PayloadReader(CheckpointFile.Section section)
{
    private int _position;

    public int Remaining => section.Payload.Length - _position;

    public string Source => section.Source;

    public string SectionName => section.Name;

    public long Offset => section.PayloadOffset + _position;

    public CheckpointException Error(string problem) => new(section.Source, Offset, section.Name, problem);

    public byte ReadByte() => Take(1)[0];

    public int ReadInt32() => BinaryPrimitives.ReadInt32LittleEndian(Take(4));

    public long ReadInt64() => BinaryPrimitives.ReadInt64LittleEndian(Take(8));

    public ulong ReadUInt64() => BinaryPrimitives.ReadUInt64LittleEndian(Take(8));

    public float ReadSingle() => BinaryPrimitives.ReadSingleLittleEndian(Take(4));

    public double ReadDouble() => BinaryPrimitives.ReadDoubleLittleEndian(Take(8));

    /// <summary>Reads an int that must lie in [min, max]; <paramref name="what"/> names it in the error.</summary>
    public int ReadInt32(int min, int max, string what)
    {
        long at = Offset;
        int value = ReadInt32();
        if (value < min || value > max)
        {
            throw new CheckpointException(section.Source, at, section.Name, $"{what} is {value}; it must be in [{min}, {max}]");
        }

        return value;
    }

    /// <summary>Reads <paramref name="destination"/>.Length floats, rejecting NaN and infinity.</summary>
    public void ReadFiniteSingles(Span<float> destination, string what)
    {
        long bytes = (long)destination.Length * 4;
        if (bytes > Remaining)
        {
            throw Error($"{what} needs {bytes} bytes but only {Remaining} remain in the section");
        }

        for (int i = 0; i < destination.Length; i++)
        {
            long at = Offset;
            float v = ReadSingle();
            if (!float.IsFinite(v))
            {
                throw new CheckpointException(section.Source, at, section.Name, $"{what}[{i}] is {v}; stored values must be finite");
            }

            destination[i] = v;
        }
    }

    public void ExpectEnd()
    {
        if (Remaining != 0)
        {
            throw Error($"{Remaining} unexpected bytes remain at the end of the section");
        }
    }

    private ReadOnlySpan<byte> Take(int count)
    {
        if (Remaining < count)
        {
            throw Error($"the section ends early: {count} more bytes were needed, {Remaining} remain");
        }

        ReadOnlySpan<byte> span = section.Payload.Span.Slice(_position, count);
        _position += count;
        return span;
    }
}

/// <summary>Builds a section payload in little-endian order.</summary>
internal sealed class PayloadWriter
{
    private readonly ArrayBufferWriter<byte> _buffer = new();

    public void Write(byte value) => _buffer.Write([value]);

    public void Write(int value)
    {
        BinaryPrimitives.WriteInt32LittleEndian(_buffer.GetSpan(4), value);
        _buffer.Advance(4);
    }

    public void Write(long value)
    {
        BinaryPrimitives.WriteInt64LittleEndian(_buffer.GetSpan(8), value);
        _buffer.Advance(8);
    }

    public void Write(ulong value)
    {
        BinaryPrimitives.WriteUInt64LittleEndian(_buffer.GetSpan(8), value);
        _buffer.Advance(8);
    }

    public void Write(float value)
    {
        BinaryPrimitives.WriteSingleLittleEndian(_buffer.GetSpan(4), value);
        _buffer.Advance(4);
    }

    public void Write(double value)
    {
        BinaryPrimitives.WriteDoubleLittleEndian(_buffer.GetSpan(8), value);
        _buffer.Advance(8);
    }

    public void Write(ReadOnlySpan<float> values)
    {
        foreach (float v in values)
        {
            Write(v);
        }
    }

    public byte[] ToArray() => _buffer.WrittenSpan.ToArray();
}
