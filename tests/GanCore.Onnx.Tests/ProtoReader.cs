using System.Buffers.Binary;
using System.Text;

namespace GanCore.Onnx.Tests;

/// <summary>One decoded protobuf field: its number, wire type and raw value (varint, fixed32 bits, or bytes).</summary>
internal sealed record ProtoField(int Number, int WireType, ulong Varint, byte[] Bytes)
{
    public string AsString => Encoding.UTF8.GetString(Bytes);

    public float AsFloat => BitConverter.Int32BitsToSingle((int)(uint)Varint);

    public List<ProtoField> AsMessage => ProtoReader.Parse(Bytes);
}

/// <summary>
/// A tiny, independent protobuf decoder used only to check what the exporter wrote (it knows nothing about ONNX).
/// </summary>
internal static class ProtoReader
{
    public static List<ProtoField> Parse(ReadOnlySpan<byte> data)
    {
        var fields = new List<ProtoField>();
        int position = 0;
        while (position < data.Length)
        {
            ulong key = ReadVarint(data, ref position);
            int number = (int)(key >> 3);
            int wire = (int)(key & 7);
            switch (wire)
            {
                case 0:
                    fields.Add(new ProtoField(number, wire, ReadVarint(data, ref position), []));
                    break;
                case 2:
                    int length = checked((int)ReadVarint(data, ref position));
                    fields.Add(new ProtoField(number, wire, 0, data.Slice(position, length).ToArray()));
                    position += length;
                    break;
                case 5:
                    fields.Add(new ProtoField(number, wire, BinaryPrimitives.ReadUInt32LittleEndian(data[position..]), []));
                    position += 4;
                    break;
                default:
                    throw new InvalidDataException($"unexpected wire type {wire} for field {number} at byte {position}");
            }
        }

        return fields;
    }

    public static ProtoField Single(this List<ProtoField> message, int number) => message.Where(f => f.Number == number).Should().ContainSingle().Subject;

    public static IEnumerable<ProtoField> All(this List<ProtoField> message, int number) => message.Where(f => f.Number == number);

    public static long[] PackedVarints(byte[] bytes)
    {
        var values = new List<long>();
        int position = 0;
        while (position < bytes.Length)
        {
            values.Add(unchecked((long)ReadVarint(bytes, ref position)));
        }

        return [.. values];
    }

    private static ulong ReadVarint(ReadOnlySpan<byte> data, ref int position)
    {
        ulong value = 0;
        for (int shift = 0; shift < 64; shift += 7)
        {
            byte b = data[position++];
            value |= (ulong)(b & 0x7F) << shift;
            if (b < 0x80)
            {
                return value;
            }
        }

        throw new InvalidDataException("varint longer than 10 bytes");
    }
}
