namespace GanCore.Kernels;

/// <summary>The element-wise activation functions that the kernels, and the fused dense epilogue, apply.</summary>
public enum Activation
{
    /// <summary>f(x) = x.</summary>
    Identity = 0,

    /// <summary>f(x) = max(0, x).</summary>
    ReLU = 1,

    /// <summary>f(x) = x for x &gt; 0, otherwise slope·x (slope ≥ 0).</summary>
    LeakyReLU = 2,

    /// <summary>f(x) = 1 / (1 + e^(−x)).</summary>
    Sigmoid = 3,

    /// <summary>f(x) = tanh(x).</summary>
    Tanh = 4,
}
