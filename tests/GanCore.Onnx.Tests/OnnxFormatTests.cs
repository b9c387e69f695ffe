using GanCore.Models;
using Microsoft.ML.OnnxRuntime;

namespace GanCore.Onnx.Tests;

/// <summary>What the file says about itself: versions, producer, graph interface, nodes and initializers.</summary>
public sealed class OnnxFormatTests
{
    // ONNX field numbers (onnx.proto), repeated here so the test reads the bytes independently of the exporter.
    private const int ModelIrVersion = 1, ModelProducerName = 2, ModelGraph = 7, ModelOpsetImport = 8;
    private const int OpsetDomain = 1, OpsetVersion = 2;
    private const int GraphNode = 1, GraphName = 2, GraphInitializer = 5, GraphInput = 11, GraphOutput = 12;
    private const int NodeInput = 1, NodeOutput = 2, NodeOpType = 4, NodeAttribute = 5;
    private const int AttributeName = 1, AttributeFloat = 2, AttributeInt = 3, AttributeType = 20;
    private const int TensorDims = 1, TensorDataType = 2, TensorName = 8, TensorRawData = 9;

    [Fact]
    public void Model_sets_ir_version_8_opset_17_and_producer_GanCore()
    {
        List<ProtoField> model = ProtoReader.Parse(TestModels.ToOnnx(TestModels.SeedGenerator()));

        model.Single(ModelIrVersion).Varint.Should().Be(8);
        model.Single(ModelProducerName).AsString.Should().Be("GanCore");
        List<ProtoField> opset = model.Single(ModelOpsetImport).AsMessage;
        opset.All(OpsetDomain).Select(f => f.AsString).Should().AllBe(string.Empty, "the default ai.onnx domain is the empty string");
        opset.Single(OpsetVersion).Varint.Should().Be(17);
        OnnxExporter.IrVersion.Should().Be(8);
        OnnxExporter.OpsetVersion.Should().Be(17);
    }

    [Fact]
    public void Graph_has_one_node_per_layer_with_the_documented_operators_and_chained_names()
    {
        List<ProtoField> graph = ProtoReader.Parse(TestModels.ToOnnx(TestModels.EveryActivation())).Single(ModelGraph).AsMessage;
        List<List<ProtoField>> nodes = graph.All(GraphNode).Select(f => f.AsMessage).ToList();

        nodes.Select(n => n.Single(NodeOpType).AsString).Should().Equal(
            "Gemm", "Relu", "Gemm", "LeakyRelu", "Gemm", "Sigmoid", "Gemm", "Tanh", "Gemm", "Identity");
        nodes[0].All(NodeInput).Select(f => f.AsString).Should().Equal("input", "layer0.weight", "layer0.bias");
        nodes[^1].Single(NodeOutput).AsString.Should().Be("output");
        for (int i = 1; i < nodes.Count; i++)
        {
            nodes[i].All(NodeInput).First().AsString.Should().Be(nodes[i - 1].Single(NodeOutput).AsString, $"node {i} consumes node {i - 1}'s output");
        }

        nodes.Where(n => n.Single(NodeOpType).AsString == "Gemm").SelectMany(n => n.All(NodeAttribute))
            .Should().BeEmpty("W is stored in×out, so Gemm's defaults (alpha = beta = 1, transA = transB = 0) apply");
        List<ProtoField> alpha = nodes[3].Single(NodeAttribute).AsMessage;
        alpha.Single(AttributeName).AsString.Should().Be("alpha");
        alpha.Single(AttributeType).Varint.Should().Be(1, "AttributeProto.FLOAT");
        alpha.Single(AttributeFloat).AsFloat.Should().Be(0.2f);
    }

    [Fact]
    public void Initializers_are_float32_with_W_in_by_out_and_b_of_length_out_in_row_major_order()
    {
        Sequential model = TestModels.SeedGenerator();
        List<ProtoField> graph = ProtoReader.Parse(TestModels.ToOnnx(model)).Single(ModelGraph).AsMessage;
        var tensors = graph.All(GraphInitializer).Select(f => f.AsMessage).ToDictionary(t => t.Single(TensorName).AsString);

        tensors.Keys.Should().BeEquivalentTo("layer0.weight", "layer0.bias", "layer2.weight", "layer2.bias");
        tensors.Values.Should().AllSatisfy(t => t.Single(TensorDataType).Varint.Should().Be(1, "TensorProto.FLOAT"));
        ProtoReader.PackedVarints(tensors["layer0.weight"].Single(TensorDims).Bytes).Should().Equal(5, 128);
        ProtoReader.PackedVarints(tensors["layer0.bias"].Single(TensorDims).Bytes).Should().Equal(128);
        ProtoReader.PackedVarints(tensors["layer2.weight"].Single(TensorDims).Bytes).Should().Equal(128, 15);

        var dense = (GanCore.Layers.Dense)model.Layers[2];
        float[] raw = ToFloats(tensors["layer2.weight"].Single(TensorRawData).Bytes);
        raw.Should().HaveCount(128 * 15);
        raw[(3 * 15) + 7].Should().Be(dense.Weights.Value[3, 7], "element (i, j) of W is at i·out + j");
        ToFloats(tensors["layer2.bias"].Single(TensorRawData).Bytes).Should().Equal(dense.Bias.Value.Span.ToArray());
    }

    [Fact]
    public void Session_reports_the_documented_input_and_output_names_shapes_and_metadata()
    {
        Sequential generator = TestModels.SeedGenerator();
        using var session = new InferenceSession(TestModels.ToOnnx(generator, new OnnxExportOptions { GraphName = "generator" }));

        session.InputMetadata.Keys.Should().Equal("input");
        session.OutputMetadata.Keys.Should().Equal("output");
        NodeMetadata input = session.InputMetadata["input"];
        input.ElementType.Should().Be<float>();
        input.Dimensions.Should().Equal(-1, 5);
        input.SymbolicDimensions[0].Should().Be("batch");
        NodeMetadata output = session.OutputMetadata["output"];
        output.ElementType.Should().Be<float>();
        output.Dimensions.Should().Equal(-1, 15);
        output.SymbolicDimensions[0].Should().Be("batch");

        session.ModelMetadata.ProducerName.Should().Be("GanCore");
        session.ModelMetadata.GraphName.Should().Be("generator");
        session.ModelMetadata.Description.Should().Contain("Dense(5→128) → ReLU → Dense(128→15)");
    }

    [Fact]
    public void Discriminator_exports_alone_and_outputs_one_logit_per_row()
    {
        using var session = new InferenceSession(TestModels.ToOnnx(TestModels.SeedDiscriminator()));

        session.InputMetadata["input"].Dimensions.Should().Equal(-1, 15);
        session.OutputMetadata["output"].Dimensions.Should().Equal(-1, 1);
        List<ProtoField> graph = ProtoReader.Parse(TestModels.ToOnnx(TestModels.SeedDiscriminator())).Single(ModelGraph).AsMessage;
        graph.All(GraphNode).Last().AsMessage.Single(NodeOpType).AsString.Should().Be("Gemm", "D ends in Dense: logits, no sigmoid");
    }

    [Fact]
    public void Graph_name_batch_dimension_name_and_io_names_come_from_the_options()
    {
        var options = new OnnxExportOptions { InputName = "x", OutputName = "logit", GraphName = "discriminator", BatchDimensionName = "n" };
        List<ProtoField> graph = ProtoReader.Parse(TestModels.ToOnnx(TestModels.SeedDiscriminator(), options)).Single(ModelGraph).AsMessage;

        graph.Single(GraphName).AsString.Should().Be("discriminator");
        graph.Single(GraphInput).AsMessage.Single(1).AsString.Should().Be("x");
        graph.Single(GraphOutput).AsMessage.Single(1).AsString.Should().Be("logit");
        using var session = new InferenceSession(TestModels.ToOnnx(TestModels.SeedDiscriminator(), options));
        session.InputMetadata["x"].SymbolicDimensions[0].Should().Be("n");
    }

    [Fact]
    public void New_layers_map_to_Softmax_Identity_BatchNormalization_and_LayerNormalization_with_their_attributes()
    {
        Sequential model = TestModels.EveryNewLayer();
        List<ProtoField> graph = ProtoReader.Parse(TestModels.ToOnnx(model)).Single(ModelGraph).AsMessage;
        List<List<ProtoField>> nodes = graph.All(GraphNode).Select(f => f.AsMessage).ToList();

        nodes.Select(n => n.Single(NodeOpType).AsString).Should().Equal(
            "Gemm", "BatchNormalization", "Relu", "Identity", "Gemm", "LayerNormalization", "Tanh", "Gemm", "Softmax");
        for (int i = 1; i < nodes.Count; i++)
        {
            nodes[i].All(NodeInput).First().AsString.Should().Be(nodes[i - 1].Single(NodeOutput).AsString, $"node {i} consumes node {i - 1}'s output");
        }

        nodes[1].All(NodeInput).Select(f => f.AsString).Should().Equal("layer0.output", "layer1.gamma", "layer1.beta", "layer1.running_mean", "layer1.running_var");
        Attributes(nodes[1]).Keys.Should().Equal("epsilon");
        Attributes(nodes[1])["epsilon"].Single(AttributeFloat).AsFloat.Should().Be(1e-5f);
        Attributes(nodes[1])["epsilon"].Single(AttributeType).Varint.Should().Be(1, "AttributeProto.FLOAT");
        nodes[3].All(NodeAttribute).Should().BeEmpty("Dropout is the identity in inference");
        nodes[5].All(NodeInput).Select(f => f.AsString).Should().Equal("layer4.output", "layer5.gamma", "layer5.beta");
        nodes[5].All(NodeOutput).Should().ContainSingle("the optional Mean and InvStdDev outputs are not requested");
        Attributes(nodes[5])["axis"].Single(AttributeInt).Varint.Should().Be(unchecked((ulong)-1L));
        Attributes(nodes[5])["axis"].Single(AttributeType).Varint.Should().Be(2, "AttributeProto.INT");
        Attributes(nodes[5])["epsilon"].Single(AttributeFloat).AsFloat.Should().Be(1e-5f);
        Attributes(nodes[8])["axis"].Single(AttributeInt).Varint.Should().Be(unchecked((ulong)-1L));
        nodes[8].Single(NodeOutput).AsString.Should().Be("output");

        var tensors = graph.All(GraphInitializer).Select(f => f.AsMessage).ToDictionary(t => t.Single(TensorName).AsString);
        var batchNorm = (GanCore.Layers.BatchNorm)model.Layers[1];
        batchNorm.RunningMean.ToArray().Should().Contain(v => MathF.Abs(v) > 0.1f, "the test model has trained running statistics");
        ToFloats(tensors["layer1.running_mean"].Single(TensorRawData).Bytes).Should().Equal(batchNorm.RunningMean.ToArray());
        ToFloats(tensors["layer1.running_var"].Single(TensorRawData).Bytes).Should().Equal(batchNorm.RunningVariance.ToArray());
        ToFloats(tensors["layer1.gamma"].Single(TensorRawData).Bytes).Should().Equal(batchNorm.Gamma.Value.Span.ToArray());
        ToFloats(tensors["layer1.beta"].Single(TensorRawData).Bytes).Should().Equal(batchNorm.Beta.Value.Span.ToArray());
        ProtoReader.PackedVarints(tensors["layer1.running_var"].Single(TensorDims).Bytes).Should().Equal(16);
        var layerNorm = (GanCore.Layers.LayerNorm)model.Layers[5];
        ToFloats(tensors["layer5.gamma"].Single(TensorRawData).Bytes).Should().Equal(layerNorm.Gamma.Value.Span.ToArray());
        ProtoReader.PackedVarints(tensors["layer5.beta"].Single(TensorDims).Bytes).Should().Equal(12);
    }

    [Fact]
    public void Export_is_deterministic()
    {
        TestModels.ToOnnx(TestModels.EveryActivation()).Should().Equal(TestModels.ToOnnx(TestModels.EveryActivation()));
    }

    private static Dictionary<string, List<ProtoField>> Attributes(List<ProtoField> node) =>
        node.All(NodeAttribute).Select(f => f.AsMessage).ToDictionary(a => a.Single(AttributeName).AsString);

    private static float[] ToFloats(byte[] bytes)
    {
        var values = new float[bytes.Length / 4];
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = BitConverter.ToSingle(bytes, i * 4);
        }

        return values;
    }
}
