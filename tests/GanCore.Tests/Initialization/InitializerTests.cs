using GanCore.Initialization;
using GanCore.Layers;
using GanCore.Randomness;

namespace GanCore.Tests.Initialization;

/// <summary>Initializers draw from the documented distributions, from the library's generator, reproducibly.</summary>
public class InitializerTests
{
    private const int FanIn = 40;
    private const int FanOut = 60;
    private const int Count = 20_000;

    private static float[] Draw(Initializer initializer, ulong seed = 1)
    {
        var values = new float[Count];
        initializer.Fill(values, FanIn, FanOut, new RandomSource(seed));
        return values;
    }

    private static (double Mean, double Variance) Moments(float[] values)
    {
        double mean = values.Average(v => (double)v);
        double variance = values.Sum(v => (v - mean) * (v - mean)) / (values.Length - 1);
        return (mean, variance);
    }

    [Theory]
    [InlineData("GlorotUniform")]
    [InlineData("HeUniform")]
    public void Uniform_initializers_stay_within_their_limit_and_have_variance_limit_squared_over_3(string name)
    {
        Initializer initializer = name == "GlorotUniform" ? Initializer.GlorotUniform : Initializer.HeUniform;
        double limit = name == "GlorotUniform" ? Math.Sqrt(6.0 / (FanIn + FanOut)) : Math.Sqrt(6.0 / FanIn);
        float[] values = Draw(initializer);

        values.Should().OnlyContain(v => Math.Abs(v) <= limit);
        values.Max().Should().BeGreaterThan((float)(0.99 * limit));
        values.Min().Should().BeLessThan((float)(-0.99 * limit));
        (double mean, double variance) = Moments(values);
        mean.Should().BeApproximately(0, 4 * limit / Math.Sqrt(3 * Count));
        variance.Should().BeApproximately(limit * limit / 3, 0.05 * limit * limit / 3);
        initializer.Name.Should().Be(name);
    }

    [Theory]
    [InlineData("GlorotNormal")]
    [InlineData("HeNormal")]
    public void Normal_initializers_have_the_documented_deviation(string name)
    {
        Initializer initializer = name == "GlorotNormal" ? Initializer.GlorotNormal : Initializer.HeNormal;
        double sigma = name == "GlorotNormal" ? Math.Sqrt(2.0 / (FanIn + FanOut)) : Math.Sqrt(2.0 / FanIn);
        float[] values = Draw(initializer);

        (double mean, double variance) = Moments(values);
        mean.Should().BeApproximately(0, 4 * sigma / Math.Sqrt(Count));
        Math.Sqrt(variance).Should().BeApproximately(sigma, 0.03 * sigma);
        values.Count(v => Math.Abs(v) > 2 * sigma).Should().BeInRange((int)(0.035 * Count), (int)(0.056 * Count), "about 4.6% of a normal lies beyond 2σ (not truncated)");
    }

    [Fact]
    public void The_same_seed_gives_the_same_values_and_another_seed_does_not()
    {
        Draw(Initializer.GlorotUniform, 5).Should().Equal(Draw(Initializer.GlorotUniform, 5));
        Draw(Initializer.HeNormal, 5).Should().Equal(Draw(Initializer.HeNormal, 5));
        Draw(Initializer.GlorotUniform, 5).Should().NotEqual(Draw(Initializer.GlorotUniform, 6));
    }

    [Fact]
    public void Zeros_and_constants_fill_and_draw_nothing()
    {
        var random = new RandomSource(9);
        RandomSourceState state = random.GetState();
        var values = new float[7];
        Initializer.Constant(2.5f).Fill(values, 1, 1, random);
        values.Should().OnlyContain(v => v == 2.5f);
        Initializer.Zeros.Fill(values, 1, 1, random);
        values.Should().OnlyContain(v => v == 0f);
        random.GetState().Should().Be(state);
        Initializer.Zeros.Name.Should().Be("Zeros");
        Initializer.Constant(2.5f).Name.Should().Be("Constant(2.5)");
    }

    [Theory]
    [InlineData(float.NaN)]
    [InlineData(float.NegativeInfinity)]
    public void A_non_finite_constant_is_rejected(float value)
    {
        Action act = () => Initializer.Constant(value);
        act.Should().Throw<ArgumentOutOfRangeException>().WithParameterName(nameof(value));
    }

    [Theory]
    [InlineData(0, 1, "fanIn")]
    [InlineData(1, 0, "fanOut")]
    public void Fans_below_one_and_a_null_generator_are_rejected(int fanIn, int fanOut, string name)
    {
        Action act = () => Initializer.GlorotUniform.Fill(new float[2], fanIn, fanOut, new RandomSource(1));
        act.Should().Throw<ArgumentOutOfRangeException>().WithParameterName(name);
        Action noRandom = () => Initializer.HeUniform.Fill(new float[2], 1, 1, null!);
        noRandom.Should().Throw<ArgumentNullException>();
    }

    [Fact]
    public void Dense_defaults_to_Glorot_uniform_weights_and_zero_biases_from_its_generator()
    {
        var dense = new Dense(FanIn, FanOut, new RandomSource(3));
        var expected = new float[FanIn * FanOut];
        Initializer.GlorotUniform.Fill(expected, FanIn, FanOut, new RandomSource(3));

        dense.Weights.Value.Span.ToArray().Should().Equal(expected);
        dense.Bias.Value.Span.ToArray().Should().OnlyContain(v => v == 0f);
        dense.Parameters.Should().Equal(dense.Weights, dense.Bias);
        dense.Weights.Value.Rows.Should().Be(FanIn, "W is stored in×out");
    }

    [Fact]
    public void Dense_takes_custom_initializers()
    {
        var dense = new Dense(3, 2, new RandomSource(3), Initializer.HeNormal, Initializer.Constant(0.1f));
        dense.Bias.Value.Span.ToArray().Should().Equal(0.1f, 0.1f);
        dense.Weights.Value.Span.ToArray().Should().Contain(v => v != 0f);
    }
}
