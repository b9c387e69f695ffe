namespace GanCore.Onnx;

/// <summary>Names used in an exported ONNX graph. Every name must be non-empty and not only white space.</summary>
public sealed class OnnxExportOptions
{
    /// <summary>The name of the graph input, a float32 tensor of shape [batch, model.InputSize]. Defaults to "input".</summary>
    public string InputName { get; init; } = "input";

    /// <summary>The name of the graph output, a float32 tensor of shape [batch, model.OutputSize]. Defaults to "output".</summary>
    public string OutputName { get; init; } = "output";

    /// <summary>The graph's name (GraphProto.name; ONNX Runtime reports it as ModelMetadata.GraphName). Defaults to "gancore_sequential".</summary>
    public string GraphName { get; init; } = "gancore_sequential";

    /// <summary>The symbolic name (dim_param) of the dynamic first dimension of the input and output. Defaults to "batch".</summary>
    public string BatchDimensionName { get; init; } = "batch";
}
