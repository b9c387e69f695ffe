using GanCore.Kernels;
using GanCore.Layers;
using GanCore.Models;
using GanCore.Tensors;

namespace GanCore.Onnx;

/// <summary>
/// Writes a trained <see cref="Sequential"/> model as an ONNX inference graph that ONNX Runtime (or any ONNX
/// consumer supporting opset 17) can run.
/// </summary>
/// <remarks>
/// <para><b>Mapping.</b> Each <see cref="Dense"/> layer becomes one <c>Gemm</c> node, Y = X·W + b, with W as an
/// [in, out] initializer (GanCore already stores W in×out, so transB = 0, the default) and b as an [out]
/// initializer broadcast over the rows. A <see cref="SpectralNormDense"/> layer becomes the same plain <c>Gemm</c>
/// with the normalized weights W/σ(W) baked into the initializer (σ from the layer's current u, as in inference mode,
/// which does not advance the power iteration). <see cref="ReLU"/>, <see cref="LeakyReLU"/> (alpha = its slope),
/// <see cref="Sigmoid"/>, <see cref="Tanh"/> and <see cref="Identity"/> become <c>Relu</c>, <c>LeakyRelu</c>,
/// <c>Sigmoid</c>, <c>Tanh</c> and <c>Identity</c>. <see cref="Softmax"/> becomes <c>Softmax</c> (axis −1);
/// <see cref="LayerNorm"/> becomes <c>LayerNormalization</c> (axis −1, its ε, γ and β as initializers; the operator is
/// new in opset 17). All data is float32.</para>
/// <para><b>Inference mode.</b> The graph computes what <see cref="Sequential.Forward"/> computes with
/// <see cref="Sequential.IsTraining"/> = false, whatever mode the model is in when exported: <see cref="Dropout"/>
/// becomes <c>Identity</c>, and <see cref="BatchNorm"/> becomes <c>BatchNormalization</c> (inference form, opset 15)
/// with γ, β and the running mean and variance as initializers and its ε; the momentum is not needed.</para>
/// <para><b>Graph interface.</b> One input and one output (names from <see cref="OnnxExportOptions"/>), both of shape
/// [batch, width] with the first dimension symbolic (dim_param "batch"), so any batch size runs.</para>
/// <para><b>Versions.</b> <see cref="IrVersion"/> 8 with opset_import (domain "", version <see cref="OpsetVersion"/> 17),
/// producer_name "GanCore". The bytes depend only on the model's layers and values and the options, so exporting
/// the same model twice gives identical files.</para>
/// <para>Only the inference function is exported: no gradients, optimizer state, RNG state or GAN objective.
/// A GAN's generator and discriminator are exported separately; the discriminator's graph ends in its last Dense
/// layer and outputs logits (apply a sigmoid for D(x)).</para>
/// </remarks>
public static class OnnxExporter
{
    /// <summary>The ONNX IR version written to ModelProto.ir_version (8: ONNX 1.12 released opset 17 with IR version 8).</summary>
    public const long IrVersion = 8;

    /// <summary>The version of the default ONNX operator set ("" / ai.onnx) the graph imports.</summary>
    public const long OpsetVersion = 17;

    /// <summary>The value written to ModelProto.producer_name.</summary>
    public const string ProducerName = "GanCore";

    /// <summary>Writes <paramref name="model"/> to an .onnx file, atomically: a temporary file in the same folder is
    /// written, flushed and then renamed over <paramref name="path"/>, so a failure leaves any old file intact.</summary>
    /// <param name="model">The model to export; every layer must be Dense, SpectralNormDense, ReLU, LeakyReLU, Sigmoid, Tanh, Identity, Softmax, Dropout, BatchNorm or LayerNorm. The graph is the model in inference mode, whatever <see cref="Sequential.IsTraining"/> says.</param>
    /// <param name="path">The file to create or replace; its folder must exist.</param>
    /// <param name="options">Names for the input, output, graph and batch dimension; defaults when null.</param>
    /// <exception cref="ArgumentNullException"><paramref name="model"/> or <paramref name="path"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="path"/> is empty, white space or an existing folder; or a
    /// name in <paramref name="options"/> is empty, white space, or clashes with another name in the graph.</exception>
    /// <exception cref="NotSupportedException">The model contains a layer the exporter cannot map; the message names it.</exception>
    /// <exception cref="InvalidOperationException">A <see cref="SpectralNormDense"/> layer has σ(W) = 0 (all-zero weights), so W/σ is undefined.</exception>
    /// <exception cref="DirectoryNotFoundException">The folder of <paramref name="path"/> does not exist.</exception>
    /// <exception cref="UnauthorizedAccessException">The folder or file is not writable.</exception>
    /// <exception cref="IOException">The file cannot be written.</exception>
    public static void Export(Sequential model, string path, OnnxExportOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        string full = Path.GetFullPath(path);
        if (Directory.Exists(full))
        {
            throw new ArgumentException($"Cannot export to '{path}': it is an existing folder, not a file.", nameof(path));
        }

        string directory = Path.GetDirectoryName(full) ?? ".";
        if (!Directory.Exists(directory))
        {
            throw new DirectoryNotFoundException($"Cannot export to '{path}' (parameter 'path'): the folder '{directory}' does not exist.");
        }

        // Build everything first: an unsupported layer or a bad name must not leave a file behind.
        ProtoWriter bytes = Build(model, options ?? new OnnxExportOptions());
        string temporary = Path.Combine(directory, $".{Path.GetFileName(full)}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp");
        try
        {
            using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            {
                stream.Write(bytes.WrittenSpan);
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

    /// <summary>Writes <paramref name="model"/> as an ONNX ModelProto to <paramref name="stream"/>, from its current
    /// position. The stream is neither flushed nor closed.</summary>
    /// <param name="model">The model to export; every layer must be Dense, SpectralNormDense, ReLU, LeakyReLU, Sigmoid, Tanh, Identity, Softmax, Dropout, BatchNorm or LayerNorm. The graph is the model in inference mode, whatever <see cref="Sequential.IsTraining"/> says.</param>
    /// <param name="stream">A writable stream.</param>
    /// <param name="options">Names for the input, output, graph and batch dimension; defaults when null.</param>
    /// <exception cref="ArgumentNullException"><paramref name="model"/> or <paramref name="stream"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="stream"/> is not writable; or a name in
    /// <paramref name="options"/> is empty, white space, or clashes with another name in the graph.</exception>
    /// <exception cref="NotSupportedException">The model contains a layer the exporter cannot map; the message names it.
    /// Nothing is written in that case.</exception>
    /// <exception cref="InvalidOperationException">A <see cref="SpectralNormDense"/> layer has σ(W) = 0; nothing is written.</exception>
    public static void Export(Sequential model, Stream stream, OnnxExportOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(stream);
        if (!stream.CanWrite)
        {
            throw new ArgumentException("The stream is not writable.", nameof(stream));
        }

        ProtoWriter bytes = Build(model, options ?? new OnnxExportOptions());
        stream.Write(bytes.WrittenSpan);
    }

    /// <summary>The exception for a layer the exporter cannot map; <paramref name="index"/> is its position in the model.</summary>
    internal static NotSupportedException Unsupported(int index, string layerName, string layerType, string reason) =>
        new($"Layer {index} ({layerName}, type {layerType}) cannot be exported to ONNX: {reason}. Supported layers: Dense, SpectralNormDense, ReLU, LeakyReLU, Sigmoid, Tanh, Identity, Softmax, Dropout, BatchNorm, LayerNorm.");

    /// <summary>The ONNX operator for an activation, with its attributes (LeakyRelu: alpha = slope).</summary>
    internal static (string OpType, ProtoWriter[] Attributes) MapActivation(int index, string layerName, Activation activation, float slope) => activation switch
    {
        Activation.Identity => ("Identity", []),
        Activation.ReLU => ("Relu", []),
        Activation.LeakyReLU => ("LeakyRelu", [OnnxProto.FloatAttribute("alpha", slope)]),
        Activation.Sigmoid => ("Sigmoid", []),
        Activation.Tanh => ("Tanh", []),
        _ => throw Unsupported(index, layerName, nameof(ActivationLayer), $"activation '{activation}' has no ONNX mapping"),
    };

    /// <summary>Serializes the whole ModelProto.</summary>
    /// <remarks>With <paramref name="conditionWidth"/> &gt; 0 (a conditional generator) the graph takes two inputs,
    /// options.InputName of width InputSize − conditionWidth and <paramref name="conditionName"/> of width
    /// conditionWidth, joined by a Concat node (axis 1) in front of the first layer.</remarks>
    internal static ProtoWriter Build(Sequential model, OnnxExportOptions options, int conditionWidth = 0, string? conditionName = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(options);
        CheckName(options, options.InputName, nameof(OnnxExportOptions.InputName));
        CheckName(options, options.OutputName, nameof(OnnxExportOptions.OutputName));
        CheckName(options, options.GraphName, nameof(OnnxExportOptions.GraphName));
        CheckName(options, options.BatchDimensionName, nameof(OnnxExportOptions.BatchDimensionName));
        if (options.InputName == options.OutputName)
        {
            throw new ArgumentException($"options.InputName and options.OutputName are both '{options.InputName}'; they must differ.", nameof(options));
        }

        IReadOnlyList<Layer> layers = model.Layers;
        var nodes = new List<ProtoWriter>(layers.Count);
        var initializers = new List<ProtoWriter>();
        var internalNames = new HashSet<string>(StringComparer.Ordinal);
        string current = options.InputName;
        if (conditionWidth > 0)
        {
            current = "condition.concat.output";
            internalNames.Add(current);
            nodes.Add(OnnxProto.Node("Concat", "condition.Concat", [options.InputName, conditionName!], current, OnnxProto.IntAttribute("axis", 1)));
        }

        for (int i = 0; i < layers.Count; i++)
        {
            Layer layer = layers[i];
            string output = i == layers.Count - 1 ? options.OutputName : $"layer{i}.output";
            if (i < layers.Count - 1)
            {
                internalNames.Add(output);
            }

            switch (layer)
            {
                case Dense dense:
                    {
                        string weights = $"layer{i}.weight";
                        string bias = $"layer{i}.bias";
                        internalNames.Add(weights);
                        internalNames.Add(bias);
                        initializers.Add(OnnxProto.FloatTensor(weights, [dense.InputSize, dense.OutputSize], Contiguous(dense.Weights.Value)));
                        initializers.Add(OnnxProto.FloatTensor(bias, [dense.OutputSize], Contiguous(dense.Bias.Value)));
                        nodes.Add(OnnxProto.Node("Gemm", $"layer{i}.Gemm", [current, weights, bias], output));
                        break;
                    }

                case SpectralNormDense spectral:
                    {
                        // Y = X·(W/σ) + b: the inference-mode weights, normalized once here, in a plain Gemm.
                        string weights = $"layer{i}.weight";
                        string bias = $"layer{i}.bias";
                        internalNames.Add(weights);
                        internalNames.Add(bias);
                        initializers.Add(OnnxProto.FloatTensor(weights, [spectral.InputSize, spectral.OutputSize], Contiguous(spectral.NormalizedWeights())));
                        initializers.Add(OnnxProto.FloatTensor(bias, [spectral.OutputSize], Contiguous(spectral.Bias.Value)));
                        nodes.Add(OnnxProto.Node("Gemm", $"layer{i}.Gemm", [current, weights, bias], output));
                        break;
                    }

                case Softmax:
                    nodes.Add(OnnxProto.Node("Softmax", $"layer{i}.Softmax", [current], output, OnnxProto.IntAttribute("axis", -1)));
                    break;

                case Dropout:
                    // Inference: inverted dropout is the identity (the 1/(1 − rate) scaling happens in training only).
                    nodes.Add(OnnxProto.Node("Identity", $"layer{i}.Dropout", [current], output));
                    break;

                case BatchNorm batchNorm:
                    {
                        // Inference form with the running statistics: y = γ·(x − mean)/√(var + ε) + β over dimension 1
                        // of an [N, C] input, exactly GanCore's inference mode. Momentum plays no part at inference.
                        string scale = $"layer{i}.gamma";
                        string shift = $"layer{i}.beta";
                        string mean = $"layer{i}.running_mean";
                        string variance = $"layer{i}.running_var";
                        internalNames.UnionWith([scale, shift, mean, variance]);
                        initializers.Add(OnnxProto.FloatTensor(scale, [batchNorm.Features], Contiguous(batchNorm.Gamma.Value)));
                        initializers.Add(OnnxProto.FloatTensor(shift, [batchNorm.Features], Contiguous(batchNorm.Beta.Value)));
                        initializers.Add(OnnxProto.FloatTensor(mean, [batchNorm.Features], batchNorm.RunningMean));
                        initializers.Add(OnnxProto.FloatTensor(variance, [batchNorm.Features], batchNorm.RunningVariance));
                        nodes.Add(OnnxProto.Node("BatchNormalization", $"layer{i}.BatchNormalization", [current, scale, shift, mean, variance], output, OnnxProto.FloatAttribute("epsilon", batchNorm.Epsilon)));
                        break;
                    }

                case LayerNorm layerNorm:
                    {
                        // LayerNormalization (opset 17) over the last axis: each row by its own mean and biased variance.
                        string scale = $"layer{i}.gamma";
                        string shift = $"layer{i}.beta";
                        internalNames.UnionWith([scale, shift]);
                        initializers.Add(OnnxProto.FloatTensor(scale, [layerNorm.Features], Contiguous(layerNorm.Gamma.Value)));
                        initializers.Add(OnnxProto.FloatTensor(shift, [layerNorm.Features], Contiguous(layerNorm.Beta.Value)));
                        nodes.Add(OnnxProto.Node("LayerNormalization", $"layer{i}.LayerNormalization", [current, scale, shift], output, OnnxProto.IntAttribute("axis", -1), OnnxProto.FloatAttribute("epsilon", layerNorm.Epsilon)));
                        break;
                    }

                case ReLU or LeakyReLU or Sigmoid or Tanh or Identity:
                    {
                        var activation = (ActivationLayer)layer;
                        (string opType, ProtoWriter[] attributes) = MapActivation(i, layer.Name, activation.Activation, activation.Slope);
                        nodes.Add(OnnxProto.Node(opType, $"layer{i}.{opType}", [current], output, attributes));
                        break;
                    }

                default:
                    throw Unsupported(i, layer.Name, layer.GetType().FullName ?? layer.GetType().Name, "the exporter has no mapping for this layer type");
            }

            current = output;
        }

        foreach (string name in conditionWidth > 0 ? (string[])[options.InputName, options.OutputName, conditionName!] : [options.InputName, options.OutputName])
        {
            if (internalNames.Contains(name))
            {
                throw new ArgumentException($"The name '{name}' in options clashes with a name the exporter gives an internal tensor; choose another.", nameof(options));
            }
        }

        ProtoWriter graph = OnnxProto.Graph(
            options.GraphName,
            nodes,
            initializers,
            conditionWidth > 0
                ? [OnnxProto.FloatMatrixValueInfo(options.InputName, options.BatchDimensionName, model.InputSize - conditionWidth), OnnxProto.FloatMatrixValueInfo(conditionName!, options.BatchDimensionName, conditionWidth)]
                : [OnnxProto.FloatMatrixValueInfo(options.InputName, options.BatchDimensionName, model.InputSize)],
            [OnnxProto.FloatMatrixValueInfo(options.OutputName, options.BatchDimensionName, model.OutputSize)]);
        string version = typeof(OnnxExporter).Assembly.GetName().Version?.ToString(3) ?? "0.0.0";
        return OnnxProto.Model(
            IrVersion,
            ProducerName,
            version,
            $"GanCore Sequential({model.Describe()})",
            graph,
            [OnnxProto.OperatorSetId(string.Empty, OpsetVersion)]);
    }

    private static void CheckName(OnnxExportOptions options, string name, string property)
    {
        if (string.IsNullOrWhiteSpace(name))
        {
            throw new ArgumentException($"options.{property} must be a non-empty name (got {(name is null ? "null" : $"'{name}'")}).", nameof(options));
        }
    }

    /// <summary>The matrix's elements in row-major order without row padding.</summary>
    private static float[] Contiguous(Matrix matrix)
    {
        var values = new float[matrix.Rows * matrix.Columns];
        for (int r = 0; r < matrix.Rows; r++)
        {
            matrix.Row(r).CopyTo(values.AsSpan(r * matrix.Columns, matrix.Columns));
        }

        return values;
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
}
