using System.Buffers;
using System.Buffers.Binary;
using System.Text;

namespace GanCore.Onnx;

/// <summary>
/// A minimal protocol-buffers wire-format writer: just what the ONNX messages below need.
/// </summary>
/// <remarks>
/// A field is a key, varint((field_number &lt;&lt; 3) | wire_type), followed by its value:
/// wire type 0 (varint) for int32/int64/enum, 2 (length-delimited: varint length, then the bytes) for strings,
/// bytes, packed repeated scalars and nested messages, and 5 (fixed32, little-endian) for a float.
/// A nested message is written into its own <see cref="ProtoWriter"/> first, so its length is known before the
/// parent writes it. Fields are written in the order the caller asks; the builders use field-number order.
/// </remarks>
internal sealed class ProtoWriter
{
    private const int WireVarint = 0;
    private const int WireLengthDelimited = 2;
    private const int WireFixed32 = 5;

    private readonly ArrayBufferWriter<byte> _buffer = new();

    /// <summary>The bytes written so far.</summary>
    public ReadOnlySpan<byte> WrittenSpan => _buffer.WrittenSpan;

    /// <summary>An int64 field (wire type 0). Negative values take ten bytes, as protobuf specifies.</summary>
    public ProtoWriter Int64(int field, long value)
    {
        Key(field, WireVarint);
        Varint(unchecked((ulong)value));
        return this;
    }

    /// <summary>An int32 or enum field (wire type 0); negative values are sign-extended to 64 bits.</summary>
    public ProtoWriter Int32(int field, int value) => Int64(field, value);

    /// <summary>A float field (wire type 5, IEEE 754 little-endian).</summary>
    public ProtoWriter Float(int field, float value)
    {
        Key(field, WireFixed32);
        Span<byte> bytes = _buffer.GetSpan(4);
        BinaryPrimitives.WriteSingleLittleEndian(bytes, value);
        _buffer.Advance(4);
        return this;
    }

    /// <summary>A string field (wire type 2, UTF-8).</summary>
    public ProtoWriter String(int field, string value) => Bytes(field, Encoding.UTF8.GetBytes(value));

    /// <summary>A bytes field (wire type 2).</summary>
    public ProtoWriter Bytes(int field, ReadOnlySpan<byte> value)
    {
        Key(field, WireLengthDelimited);
        Varint((ulong)value.Length);
        _buffer.Write(value);
        return this;
    }

    /// <summary>A nested message field (wire type 2).</summary>
    public ProtoWriter Message(int field, ProtoWriter message) => Bytes(field, message.WrittenSpan);

    /// <summary>A packed repeated int64 field: one length-delimited record holding every varint.</summary>
    public ProtoWriter PackedInt64(int field, ReadOnlySpan<long> values)
    {
        var packed = new ProtoWriter();
        foreach (long v in values)
        {
            packed.Varint(unchecked((ulong)v));
        }

        return Bytes(field, packed.WrittenSpan);
    }

    private void Key(int field, int wireType) => Varint(((ulong)(uint)field << 3) | (uint)wireType);

    private void Varint(ulong value)
    {
        Span<byte> bytes = _buffer.GetSpan(10);
        int n = 0;
        while (value >= 0x80)
        {
            bytes[n++] = (byte)(value | 0x80);
            value >>= 7;
        }

        bytes[n++] = (byte)value;
        _buffer.Advance(n);
    }
}
