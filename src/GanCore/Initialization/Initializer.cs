using GanCore.Randomness;

namespace GanCore.Initialization;

/// <summary>
/// Fills a parameter with its initial values, drawing from a seeded <see cref="RandomSource"/> so that a
/// network built with the same seed is identical every time.
/// </summary>
public abstract class Initializer
{
    private protected Initializer()
    {
    }

    /// <summary>U(−l, l) with l = √(6 / (fanIn + fanOut)) (Glorot and Bengio, 2010). TensorFlow's dense default.</summary>
    public static Initializer GlorotUniform { get; } = new Uniform("GlorotUniform", (fanIn, fanOut) => Math.Sqrt(6.0 / (fanIn + fanOut)));

    /// <summary>N(0, σ²) with σ = √(2 / (fanIn + fanOut)) (not truncated).</summary>
    public static Initializer GlorotNormal { get; } = new Normal("GlorotNormal", (fanIn, fanOut) => Math.Sqrt(2.0 / (fanIn + fanOut)));

    /// <summary>U(−l, l) with l = √(6 / fanIn) (He et al., 2015), for ReLU networks.</summary>
    public static Initializer HeUniform { get; } = new Uniform("HeUniform", (fanIn, _) => Math.Sqrt(6.0 / fanIn));

    /// <summary>N(0, σ²) with σ = √(2 / fanIn) (not truncated), for ReLU networks.</summary>
    public static Initializer HeNormal { get; } = new Normal("HeNormal", (fanIn, _) => Math.Sqrt(2.0 / fanIn));

    /// <summary>All zeros (the usual bias initializer). Draws nothing from the generator.</summary>
    public static Initializer Zeros { get; } = new ConstantInitializer(0f);

    /// <summary>A short name, e.g. "GlorotUniform".</summary>
    public abstract string Name { get; }

    /// <summary>Every value set to <paramref name="value"/>. Draws nothing from the generator.</summary>
    /// <param name="value">A finite value.</param>
    /// <exception cref="ArgumentOutOfRangeException">The value is NaN or infinite.</exception>
    public static Initializer Constant(float value)
    {
        if (!float.IsFinite(value))
        {
            throw new ArgumentOutOfRangeException(nameof(value), value, "The constant must be finite.");
        }

        return new ConstantInitializer(value);
    }

    /// <summary>Fills <paramref name="values"/>.</summary>
    /// <param name="values">The parameter's values.</param>
    /// <param name="fanIn">The layer's input width (≥ 1).</param>
    /// <param name="fanOut">The layer's output width (≥ 1).</param>
    /// <param name="random">The generator to draw from.</param>
    /// <exception cref="ArgumentOutOfRangeException">A fan is less than 1.</exception>
    /// <exception cref="ArgumentNullException"><paramref name="random"/> is null.</exception>
    public void Fill(Span<float> values, int fanIn, int fanOut, RandomSource random)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(fanIn, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(fanOut, 1);
        ArgumentNullException.ThrowIfNull(random);
        FillCore(values, fanIn, fanOut, random);
    }

    /// <inheritdoc/>
    public override string ToString() => Name;

    private protected abstract void FillCore(Span<float> values, int fanIn, int fanOut, RandomSource random);

    private sealed class Uniform(string name, Func<int, int, double> limit) : Initializer
    {
        public override string Name => name;

        private protected override void FillCore(Span<float> values, int fanIn, int fanOut, RandomSource random)
        {
            float l = (float)limit(fanIn, fanOut);
            random.FillUniform(values, -l, l);
        }
    }

    private sealed class Normal(string name, Func<int, int, double> deviation) : Initializer
    {
        public override string Name => name;

        private protected override void FillCore(Span<float> values, int fanIn, int fanOut, RandomSource random) =>
            random.FillGaussian(values, 0f, (float)deviation(fanIn, fanOut));
    }

    private sealed class ConstantInitializer(float value) : Initializer
    {
        public override string Name => value == 0f ? "Zeros" : $"Constant({value})";

        private protected override void FillCore(Span<float> values, int fanIn, int fanOut, RandomSource random) => values.Fill(value);
    }
}
