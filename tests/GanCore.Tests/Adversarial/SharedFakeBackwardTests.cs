using GanCore.Adversarial;
using GanCore.Layers;
using GanCore.Models;
using GanCore.Optimizers;
using GanCore.Randomness;
using GanCore.Tensors;

namespace GanCore.Tests.Adversarial;

/// <summary>
/// Under minimax and Wasserstein, G's output gradient on the fake batch is exactly −(D's fake gradient), so the
/// simultaneous step takes G's gradient through D from D's own backward pass on the fake batch, negated, instead of a
/// second pass. These tests check that this is bitwise what the second pass gives: for the layers a D is built from, and
/// for a whole step against the two-pass route replayed by hand.
/// </summary>
public class SharedFakeBackwardTests
{
    public static TheoryData<string> Discriminators => ["relu", "leaky-batchnorm", "tanh-spectral"];

    private static Sequential Discriminator(string kind, RandomSource random) => kind switch
    {
        "relu" => new Sequential(new Dense(15, 32, random), new ReLU(), new Dense(32, 1, random)),
        "leaky-batchnorm" => new Sequential(new Dense(15, 24, random), new BatchNorm(24), new LeakyReLU(0.2f), new Dense(24, 8, random), new ReLU(), new Dense(8, 1, random)),
        _ => new Sequential(new SpectralNormDense(15, 20, random), new Tanh(), new Dense(20, 1, random)),
    };

    [Theory]
    [MemberData(nameof(Discriminators))]
    public void Negated_input_gradient_of_the_accumulating_pass_equals_the_pass_with_the_negated_gradient(string kind)
    {
        var random = new RandomSource(5);
        Sequential d = Discriminator(kind, random);
        var x = new Matrix(37, 15);
        random.FillGaussian(x.Span);
        Matrix logits = d.Forward(x);

        var gradient = new Matrix(logits.Rows, 1);
        random.FillGaussian(gradient.Span, 0f, 0.05f);
        var negated = new Matrix(logits.Rows, 1);
        for (int i = 0; i < gradient.Rows; i++)
        {
            negated[i, 0] = -gradient[i, 0];
        }

        float[] viaSkip = d.Backward(negated, ParameterGradients.Skip).Span.ToArray();
        float[] viaAccumulate = d.Backward(gradient, ParameterGradients.Accumulate).Span.ToArray();

        viaSkip.Should().NotContain(0f, "the comparison should cover nonzero values");
        float[] negatedAccumulate = viaAccumulate.Select(v => -v).ToArray();
        negatedAccumulate.AsSpan().SequenceEqual(viaSkip).Should().BeTrue($"−(input gradient for g) must be bitwise the input gradient for −g ({kind})");
    }

    [Theory]
    [InlineData(GanObjective.Minimax, 1)]
    [InlineData(GanObjective.Wasserstein, 1)]
    [InlineData(GanObjective.Minimax, 2)]
    [InlineData(GanObjective.NonSaturating, 1)]
    public void Simultaneous_step_gives_the_gradients_of_the_two_pass_route_bit_for_bit(GanObjective objective, int packing)
    {
        const int batch = 16;
        const int hidden = 24;
        Gan gan = Build(objective, packing, batch, hidden, new RandomSource(9));
        gan.Train(5);

        // Replay the next step's gradients through copies of the networks, the way the step computed them before it
        // shared D's fake pass: D's parameter pass on the fake batch, then a separate pass with G's gradient that skips
        // D's parameters. The random stream is copied, so the copies see the step's own real batch and noise.
        Gan copy = Build(objective, packing, batch, hidden, new RandomSource(1));
        Sequential g = copy.Generator;
        Sequential d = copy.Discriminator;
        g.CopyParametersFrom(gan.Generator);
        d.CopyParametersFrom(gan.Discriminator);
        var stream = new RandomSource(gan.Random.GetState());
        var real = new Matrix(batch, 15);
        gan.RealData.Fill(real, stream);
        var noise = new Matrix(batch, gan.Noise.Dimension);
        gan.Noise.Fill(noise, stream);

        g.ZeroGradients();
        d.ZeroGradients();
        Matrix fake = g.Forward(noise);
        AdversarialObjective terms = AdversarialObjective.For(objective);
        int rows = batch / packing;
        Matrix realLogits = d.Forward(Pack(real, packing));
        var realGradient = new Matrix(rows, 1);
        terms.DiscriminatorRealTerm(realLogits.Span, 1f, realGradient.Span, out _);
        d.BackwardParameters(realGradient);
        Matrix fakeLogits = d.Forward(Pack(fake, packing));
        var fakeGradient = new Matrix(rows, 1);
        var generatorGradient = new Matrix(rows, 1);
        terms.FakeTerms(fakeLogits.Span, fakeGradient.Span, generatorGradient.Span, out _, out _, out _);
        d.BackwardParameters(fakeGradient);
        g.BackwardParameters(Unpack(d.Backward(generatorGradient, ParameterGradients.Skip), packing));
        var dExpected = ModelSnapshot.Of(d);
        var gExpected = ModelSnapshot.Of(g);

        gan.Step();

        ModelSnapshot.BitwiseEqual(ModelSnapshot.Of(gan.Discriminator).Gradients, dExpected.Gradients).Should().BeTrue("D's gradients must be the two-pass route's");
        ModelSnapshot.BitwiseEqual(ModelSnapshot.Of(gan.Generator).Gradients, gExpected.Gradients).Should().BeTrue("G's gradients must be the two-pass route's");
        gExpected.Gradients.SelectMany(v => v).Should().Contain(v => v != 0f, "G must have received a gradient");
    }

    private static Gan Build(GanObjective objective, int packing, int batch, int hidden, RandomSource random)
    {
        var g = new Sequential(new Dense(5, hidden, random), new ReLU(), new Dense(hidden, 15, random));
        var d = new Sequential(new Dense(15 * packing, hidden, random), new ReLU(), new Dense(hidden, 1, random));
        return new Gan(
            g,
            d,
            new Adam(g.Parameters, 1e-3f),
            new Adam(d.Parameters, 1e-3f),
            new GaussianNoise(5),
            GanTestKit.QuadraticSampler(),
            random,
            new GanOptions { Objective = objective, BatchSize = batch, PackingDegree = packing });
    }

    /// <summary>Rows i·m … i·m + m − 1 side by side in row i (packing m examples per D input).</summary>
    private static Matrix Pack(Matrix x, int m)
    {
        if (m == 1)
        {
            return x;
        }

        var packed = new Matrix(x.Rows / m, x.Columns * m);
        for (int i = 0; i < x.Rows; i++)
        {
            x.Row(i).CopyTo(packed.Row(i / m).Slice((i % m) * x.Columns, x.Columns));
        }

        return packed;
    }

    private static Matrix Unpack(Matrix packed, int m)
    {
        if (m == 1)
        {
            return packed;
        }

        int width = packed.Columns / m;
        var x = new Matrix(packed.Rows * m, width);
        for (int i = 0; i < x.Rows; i++)
        {
            packed.Row(i / m).Slice((i % m) * width, width).CopyTo(x.Row(i));
        }

        return x;
    }
}
