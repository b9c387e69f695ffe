using System.Buffers.Binary;

namespace GanCore.Onnx;

/// <summary>
/// Builders for the few ONNX messages the exporter writes. Field numbers and enum values are those of
/// onnx/onnx.proto (the ONNX IR specification).
/// </summary>
internal static class OnnxProto
{
    /// <summary>TensorProto.DataType.FLOAT.</summary>
    public const int DataTypeFloat = 1;

    /// <summary>AttributeProto.AttributeType.FLOAT.</summary>
    private const int AttributeTypeFloat = 1;

    /// <summary>AttributeProto.AttributeType.INT.</summary>
    private const int AttributeTypeInt = 2;

    /// <summary>
    /// ModelProto: ir_version = 1, producer_name = 2, producer_version = 3, domain = 4, model_version = 5,
    /// doc_string = 6, graph = 7, opset_import = 8.
    /// </summary>
    public static ProtoWriter Model(long irVersion, string producerName, string producerVersion, string docString, ProtoWriter graph, IEnumerable<ProtoWriter> opsetImports)
    {
        var m = new ProtoWriter()
            .Int64(1, irVersion)
            .String(2, producerName)
            .String(3, producerVersion);
        if (docString.Length > 0)
        {
            m.String(6, docString);
        }

        m.Message(7, graph);
        foreach (ProtoWriter opset in opsetImports)
        {
            m.Message(8, opset);
        }

        return m;
    }

    /// <summary>OperatorSetIdProto: domain = 1, version = 2.</summary>
    public static ProtoWriter OperatorSetId(string domain, long version) =>
        new ProtoWriter().String(1, domain).Int64(2, version);

    /// <summary>
    /// GraphProto: node = 1, name = 2, initializer = 5, doc_string = 10, input = 11, output = 12.
    /// </summary>
    public static ProtoWriter Graph(string name, IEnumerable<ProtoWriter> nodes, IEnumerable<ProtoWriter> initializers, IEnumerable<ProtoWriter> inputs, IEnumerable<ProtoWriter> outputs)
    {
        var g = new ProtoWriter();
        foreach (ProtoWriter node in nodes)
        {
            g.Message(1, node);
        }

        g.String(2, name);
        foreach (ProtoWriter tensor in initializers)
        {
            g.Message(5, tensor);
        }

        foreach (ProtoWriter input in inputs)
        {
            g.Message(11, input);
        }

        foreach (ProtoWriter output in outputs)
        {
            g.Message(12, output);
        }

        return g;
    }

    /// <summary>
    /// NodeProto: input = 1 (repeated), output = 2 (repeated), name = 3, op_type = 4, attribute = 5, domain = 7
    /// (left empty: the default ONNX operator set).
    /// </summary>
    public static ProtoWriter Node(string opType, string name, IEnumerable<string> inputs, string output, params ProtoWriter[] attributes)
    {
        var n = new ProtoWriter();
        foreach (string input in inputs)
        {
            n.String(1, input);
        }

        n.String(2, output).String(3, name).String(4, opType);
        foreach (ProtoWriter attribute in attributes)
        {
            n.Message(5, attribute);
        }

        return n;
    }

    /// <summary>AttributeProto with a float: name = 1, f = 2, type = 20.</summary>
    public static ProtoWriter FloatAttribute(string name, float value) =>
        new ProtoWriter().String(1, name).Float(2, value).Int32(20, AttributeTypeFloat);

    /// <summary>AttributeProto with an int: name = 1, i = 3, type = 20.</summary>
    public static ProtoWriter IntAttribute(string name, long value) =>
        new ProtoWriter().String(1, name).Int64(3, value).Int32(20, AttributeTypeInt);

    /// <summary>
    /// A float32 TensorProto: dims = 1 (packed int64), data_type = 2, name = 8, raw_data = 9 (the values as
    /// little-endian IEEE 754 floats, row-major).
    /// </summary>
    public static ProtoWriter FloatTensor(string name, ReadOnlySpan<long> dims, ReadOnlySpan<float> values)
    {
        var raw = new byte[checked(values.Length * sizeof(float))];
        for (int i = 0; i < values.Length; i++)
        {
            BinaryPrimitives.WriteSingleLittleEndian(raw.AsSpan(i * sizeof(float)), values[i]);
        }

        return new ProtoWriter()
            .PackedInt64(1, dims)
            .Int32(2, DataTypeFloat)
            .String(8, name)
            .Bytes(9, raw);
    }

    /// <summary>
    /// A ValueInfoProto (name = 1, type = 2) for a float32 matrix whose first dimension is symbolic.
    /// TypeProto: tensor_type = 1. TypeProto.Tensor: elem_type = 1, shape = 2. TensorShapeProto: dim = 1.
    /// TensorShapeProto.Dimension: dim_value = 1, dim_param = 2.
    /// </summary>
    public static ProtoWriter FloatMatrixValueInfo(string name, string rowsParameter, long columns)
    {
        var shape = new ProtoWriter()
            .Message(1, new ProtoWriter().String(2, rowsParameter))
            .Message(1, new ProtoWriter().Int64(1, columns));
        var tensorType = new ProtoWriter().Int32(1, DataTypeFloat).Message(2, shape);
        var type = new ProtoWriter().Message(1, tensorType);
        return new ProtoWriter().String(1, name).Message(2, type);
    }
}
