using GanCore.Tensors;

namespace GanCore.Layers;

/// <summary>A trainable tensor and the gradient buffer that backward passes add into.</summary>
public sealed class Parameter
{
    internal Parameter(string name, int rows, int columns)
    {
        Name = name;
        Value = new Matrix(rows, columns);
        Gradient = new Matrix(rows, columns);
    }

    /// <summary>A name that is unique within its layer, e.g. "weights" or "bias".</summary>
    public string Name { get; }

    /// <summary>The current values (contiguous).</summary>
    public Matrix Value { get; }

    /// <summary>dL/d<see cref="Value"/>, summed over every backward pass since the last <see cref="ZeroGradient"/>.</summary>
    public Matrix Gradient { get; }

    /// <summary>The number of scalar values.</summary>
    public int Count => Value.Rows * Value.Columns;

    /// <summary>Sets the gradient to zero.</summary>
    public void ZeroGradient() => Gradient.Clear();

    /// <inheritdoc/>
    public override string ToString() => $"{Name} {Value.Rows}×{Value.Columns}";
}
