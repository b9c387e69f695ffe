using GanCore.Adversarial;
using GanCore.Initialization;
using GanCore.Layers;
using GanCore.Losses;
using GanCore.Models;
using GanCore.Optimizers;
using GanCore.Randomness;
using GanCore.Tensors;
using GanCore.Tests.Adversarial;
using GanCore.Tests.Testing;
using MathNet.Numerics.LinearAlgebra;
using Xunit.Abstractions;

namespace GanCore.Tests.Layers;

/// <summary>
/// SpectralNormDense: the backward pass through W/σ(W) against finite differences (u held fixed, as in the paper),
/// the mutation that drops the correction term, σ against MathNet's SVD, the power-iteration bookkeeping, zero
/// allocation per training step, and bad input.
/// </summary>
public class SpectralNormDenseTests(ITestOutputHelper output)
{
    /// <summary>A small network with two normalized layers and a smooth activation between them.</summary>
    private static Sequential Network(RandomSource random) => new(
        new SpectralNormDense(4, 6, random, biasInitializer: Initializer.Constant(0.1f)),
        new Tanh(),
        new SpectralNormDense(6, 3, random, powerIterations: 2));

    [Fact]
    public void Training_mode_gradients_match_finite_differences_with_u_held_fixed()
    {
        var random = new RandomSource(151);
        Sequential model = Network(random);
        Matrix x = GradientChecker.Uniform(5, 4, random, -2f, 2f);
        Matrix projection = GradientChecker.Uniform(5, 3, random);

        // One training pass (u advances), backward for the analytic gradients...
        GradientVariable[] variables = GradientChecker.ModelVariables(model, x, projection);

        // ...then the same function of W with that u held fixed: inference mode does not touch u.
        model.IsTraining = false;
        GradientCheckResult result = GradientChecker.AssertMatches(() => GradientChecker.Project(model.Forward(x), projection), variables);
        result.Checked.Should().Be((5 * 4) + (4 * 6) + 6 + (6 * 3) + 3);
    }

    [Fact]
    public void Inference_mode_gradients_match_finite_differences()
    {
        var random = new RandomSource(152);
        Sequential model = Network(random);
        model.Forward(GradientChecker.Uniform(3, 4, random)); // a few training passes so u is not the initial draw
        model.Forward(GradientChecker.Uniform(3, 4, random));
        model.IsTraining = false;
        Matrix x = GradientChecker.Uniform(7, 4, random, -2f, 2f);
        Matrix projection = GradientChecker.Uniform(7, 3, random);

        GradientCheckResult result = GradientChecker.CheckModel(model, x, projection);
        result.Passed.Should().BeTrue(result.Describe());
    }

    [Fact]
    public void Mutation_dropping_the_correction_term_or_flipping_its_sign_fails_the_same_check()
    {
        var random = new RandomSource(153);
        var layer = new SpectralNormDense(5, 4, random);
        var model = new Sequential(layer);
        Matrix x = GradientChecker.Uniform(6, 5, random, -2f, 2f);
        Matrix projection = GradientChecker.Uniform(6, 4, random);
        model.ZeroGradients();
        model.Forward(x);
        model.Backward(projection);
        float sigma = layer.Sigma;         // the state of this pass: the check's forward passes overwrite σ and v
        float[] u = layer.U.ToArray();
        float[] v = layer.V.ToArray();
        model.IsTraining = false;
        double Objective() => GradientChecker.Project(model.Forward(x), projection);

        // The correct gradient passes.
        GradientChecker.AssertMatches(Objective, new GradientVariable("weights", layer.Weights.Value, layer.Weights.Gradient));

        // G = Xᵀ·dY (dY = the projection for a one-layer model), recomputed here in double.
        double[,] g = new double[5, 4];
        for (int r = 0; r < 6; r++)
        {
            for (int i = 0; i < 5; i++)
            {
                for (int j = 0; j < 4; j++)
                {
                    g[i, j] += (double)x[r, i] * projection[r, j];
                }
            }
        }

        double c = 0;
        for (int i = 0; i < 5; i++)
        {
            for (int j = 0; j < 4; j++)
            {
                c += g[i, j] * layer.Weights.Value[i, j] / sigma;
            }
        }

        c.Should().NotBe(0, "the correction must be non-trivial for the mutation to mean something");
        var dropped = new Matrix(5, 4);
        var flipped = new Matrix(5, 4);
        var reference = new Matrix(5, 4);
        for (int i = 0; i < 5; i++)
        {
            for (int j = 0; j < 4; j++)
            {
                dropped[i, j] = (float)(g[i, j] / sigma);                                  // forgets that σ depends on W
                flipped[i, j] = (float)((g[i, j] + (c * v[i] * u[j])) / sigma);            // the correction added, not subtracted
                reference[i, j] = (float)((g[i, j] - (c * v[i] * u[j])) / sigma);          // the formula, in double
            }
        }

        GradientChecker.AssertMatches(Objective, new GradientVariable("weights (formula in double)", layer.Weights.Value, reference));
        GradientCheckResult noCorrection = GradientChecker.Check(Objective, new GradientVariable("weights without correction", layer.Weights.Value, dropped));
        GradientCheckResult wrongSign = GradientChecker.Check(Objective, new GradientVariable("weights with the correction's sign flipped", layer.Weights.Value, flipped));
        output.WriteLine($"without the correction: {noCorrection.Describe()}");
        output.WriteLine($"with its sign flipped: {wrongSign.Describe()}");
        noCorrection.Passed.Should().BeFalse();
        wrongSign.Passed.Should().BeFalse();
        noCorrection.Mismatches.Count.Should().BeGreaterThan(10, "most of the 20 derivatives change: " + noCorrection.Describe());
        wrongSign.Mismatches.Count.Should().BeGreaterThan(10, "most of the 20 derivatives change: " + wrongSign.Describe());
    }

    [Fact]
    public void The_weight_gradient_has_no_component_along_W()
    {
        // W/σ(W) does not change when W is scaled, so Σ (∂L/∂W)⊙W = (c·σ − c·σ)/σ = 0 (docs/spectral-normalization.md).
        var random = new RandomSource(162);
        var layer = new SpectralNormDense(9, 5, random);
        Matrix x = GradientChecker.Uniform(8, 9, random, -2f, 2f);
        Matrix projection = GradientChecker.Uniform(8, 5, random);
        layer.Forward(x);
        layer.Backward(projection);
        double radial = 0;
        double gradientNorm = 0;
        double weightNorm = 0;
        for (int i = 0; i < 9; i++)
        {
            for (int j = 0; j < 5; j++)
            {
                radial += (double)layer.Weights.Gradient[i, j] * layer.Weights.Value[i, j];
                gradientNorm += (double)layer.Weights.Gradient[i, j] * layer.Weights.Gradient[i, j];
                weightNorm += (double)layer.Weights.Value[i, j] * layer.Weights.Value[i, j];
            }
        }

        double cosine = radial / Math.Sqrt(gradientNorm * weightNorm);
        Math.Abs(cosine).Should().BeLessThan(1e-5, "the gradient is orthogonal to W (cosine {0})", cosine);
    }

    [Theory]
    [InlineData(12, 7, 1)]
    [InlineData(7, 12, 1)]
    [InlineData(30, 20, 3)]
    [InlineData(1, 9, 1)]
    [InlineData(9, 1, 1)]
    public void Sigma_converges_to_the_largest_singular_value(int inputs, int outputs, int powerIterations)
    {
        var random = new RandomSource((ulong)(1000 + (inputs * 31) + outputs));
        var layer = new SpectralNormDense(inputs, outputs, random, Initializer.GlorotNormal, powerIterations: powerIterations);
        double[,] w = Doubles(layer.Weights.Value);
        MathNet.Numerics.LinearAlgebra.Factorization.Svd<double> svd = Matrix<double>.Build.DenseOfArray(w).Svd(computeVectors: true);
        double top = svd.S[0];
        var x = new Matrix(1, inputs);

        // σ̂ = ‖W·u‖ never exceeds σ₁ and never falls from one power step to the next.
        float previous = 0f;
        for (int step = 0; step < 300; step++)
        {
            layer.Forward(x);
            layer.Sigma.Should().BeLessThanOrEqualTo((float)(top * (1 + 1e-5)));
            layer.Sigma.Should().BeGreaterThanOrEqualTo(previous * (1 - 1e-5f));
            previous = layer.Sigma;
        }

        layer.Sigma.Should().BeApproximately((float)top, (float)(2e-5 * top));

        // u is the top right singular vector of W (stored in×out), up to sign; W/σ has spectral norm 1.
        double alignment = 0;
        for (int j = 0; j < outputs; j++)
        {
            alignment += layer.U[j] * svd.VT[0, j];
        }

        Math.Abs(alignment).Should().BeApproximately(1.0, 1e-4);
        Matrix<double>.Build.DenseOfArray(Doubles(layer.NormalizedWeights())).Svd(computeVectors: false).S[0].Should().BeApproximately(1.0, 2e-5);
    }

    [Fact]
    public void Training_passes_take_power_iterations_steps_and_inference_passes_none()
    {
        var random = new RandomSource(154);
        var layer = new SpectralNormDense(6, 5, random, powerIterations: 3);
        Matrix x = GradientChecker.Uniform(4, 6, random);
        double[,] w = Doubles(layer.Weights.Value);
        double[] u = layer.U.ToArray().Select(f => (double)f).ToArray();
        Math.Sqrt(u.Sum(e => e * e)).Should().BeApproximately(1.0, 1e-6, "the initial u is a unit vector");

        float[] initial = layer.U.ToArray();
        layer.IsTraining = false;
        layer.Forward(x);
        layer.U.ToArray().Should().Equal(initial, "inference mode leaves u alone");
        layer.Sigma.Should().BeApproximately((float)Norm(MultiplyWU(w, u)), 1e-5f);

        layer.IsTraining = true;
        for (int k = 0; k < 3; k++)
        {
            double[] v = Normalize(MultiplyWU(w, u));
            u = Normalize(MultiplyWTV(w, v));
        }

        float[] trainingOutput = layer.Forward(x).Span.ToArray();
        for (int j = 0; j < u.Length; j++)
        {
            layer.U[j].Should().BeApproximately((float)u[j], 1e-5f);
        }

        double sigma = Norm(MultiplyWU(w, u));
        layer.Sigma.Should().BeApproximately((float)sigma, 1e-5f);
        double[] expectedV = Normalize(MultiplyWU(w, u));
        for (int i = 0; i < expectedV.Length; i++)
        {
            layer.V[i].Should().BeApproximately((float)expectedV[i], 1e-5f);
        }

        // Y = X·W/σ + b, in double.
        for (int r = 0; r < x.Rows; r++)
        {
            for (int j = 0; j < 5; j++)
            {
                double y = layer.Bias.Value[0, j];
                for (int i = 0; i < 6; i++)
                {
                    y += x[r, i] * w[i, j] / sigma;
                }

                trainingOutput[(r * 5) + j].Should().BeApproximately((float)y, 1e-5f);
            }
        }

        // The pass is a function of W and the u it leaves behind: inference right after it gives the same output.
        layer.IsTraining = false;
        layer.Forward(x).Span.ToArray().Should().Equal(trainingOutput);
    }

    [Fact]
    public void Backward_never_changes_what_forward_kept_and_skip_leaves_gradients_untouched()
    {
        var random = new RandomSource(155);
        var layer = new SpectralNormDense(5, 3, random, biasInitializer: Initializer.Constant(0.25f));
        Matrix x = GradientChecker.Uniform(6, 5, random, -2f, 2f);
        Matrix g1 = GradientChecker.Uniform(6, 3, random);
        Matrix g2 = GradientChecker.Uniform(6, 3, random);

        layer.Forward(x);
        float[] sigmaAndU = [layer.Sigma, .. layer.U.ToArray()];
        Zero(layer);
        float[] dx1 = layer.Backward(g1).Span.ToArray();
        float[][] p1 = layer.Parameters.Select(p => p.Gradient.Span.ToArray()).ToArray();
        layer.Backward(g2, ParameterGradients.Skip);
        layer.Parameters.Select(p => p.Gradient.Span.ToArray()).Should().BeEquivalentTo(p1, o => o.WithStrictOrdering(), "Skip leaves the gradients bitwise untouched");
        Zero(layer);
        layer.Backward(g2);
        Zero(layer);
        layer.Backward(g1).Span.ToArray().Should().Equal(dx1);
        layer.Parameters.Select(p => p.Gradient.Span.ToArray()).Should().BeEquivalentTo(p1, o => o.WithStrictOrdering());

        // Gradients accumulate.
        layer.Backward(g1);
        layer.Weights.Gradient.Span.ToArray().Should().Equal(p1[0].Select(v => v + v));
        float[] after = [layer.Sigma, .. layer.U.ToArray()];
        after.Should().Equal(sigmaAndU, "backward passes leave σ and u alone");
    }

    [Fact]
    public void NormalizedWeights_are_what_an_inference_pass_multiplies_by_and_leave_the_state_alone()
    {
        var random = new RandomSource(156);
        var layer = new SpectralNormDense(4, 3, random, biasInitializer: Initializer.Constant(0.5f));
        Matrix x = GradientChecker.Uniform(5, 4, random);
        layer.Forward(x);
        float[] u = layer.U.ToArray();
        float[] v = layer.V.ToArray();
        Matrix wBar = layer.NormalizedWeights();
        layer.U.ToArray().Should().Equal(u);
        layer.V.ToArray().Should().Equal(v);

        layer.IsTraining = false;
        Matrix y = layer.Forward(x);
        for (int r = 0; r < 5; r++)
        {
            for (int j = 0; j < 3; j++)
            {
                double expected = 0.5;
                for (int i = 0; i < 4; i++)
                {
                    expected += (double)x[r, i] * wBar[i, j];
                }

                y[r, j].Should().BeApproximately((float)expected, 1e-5f);
            }
        }
    }

    [Fact]
    public void A_steady_state_training_step_allocates_zero_bytes()
    {
        var random = new RandomSource(157);
        var model = new Sequential(new SpectralNormDense(15, 64, random), new LeakyReLU(0.2f), new SpectralNormDense(64, 1, random));
        var adam = new Adam(model.Parameters, 1e-3f);
        var bce = new BinaryCrossEntropyWithLogits();
        Matrix x = GradientChecker.Uniform(64, 15, random);
        var targets = new Matrix(64, 1);
        targets.Fill(1f);
        var gradient = new Matrix(64, 1);

        void Step()
        {
            model.ZeroGradients();
            bce.Compute(model.Forward(x), targets, gradient);
            model.Backward(gradient, ParameterGradients.Skip);
            model.Forward(x);
            model.BackwardParameters(gradient);
            adam.Step();
        }

        AllocationProbe.QuietestWindow(Step, warmUp: 60, calls: 30).Should().Be(0, "a steady-state step reuses every buffer, u and v included");
    }

    [Fact]
    public void A_GAN_with_a_spectrally_normalized_discriminator_trains_and_keeps_sigma_near_the_top_singular_value()
    {
        var random = new RandomSource(158);
        var g = new Sequential(new Dense(5, 32, random), new ReLU(), new Dense(32, GanTestKit.CurvePoints, random));
        var sn1 = new SpectralNormDense(GanTestKit.CurvePoints, 32, random);
        var sn2 = new SpectralNormDense(32, 1, random);
        var d = new Sequential(sn1, new LeakyReLU(0.2f), sn2);
        var gan = new Gan(g, d, new Adam(g.Parameters, 1e-3f, beta1: 0.5f), new Adam(d.Parameters, 1e-3f, beta1: 0.5f), new GaussianNoise(5), GanTestKit.QuadraticSampler(), random, new GanOptions { BatchSize = 32, Objective = GanObjective.Hinge });
        GanTrainingResult result = gan.Train(300);
        result.Should().NotBeNull();

        // Inference mode leaves u alone. (Each training pass computed σ before the optimizer moved W, so recompute it.)
        float[] u = sn1.U.ToArray();
        d.IsTraining = false;
        d.Forward(gan.Generate(8));
        sn1.U.ToArray().Should().Equal(u);

        // Every normalized layer stays finite and its σ tracks the largest singular value of its (moving) W.
        foreach (SpectralNormDense layer in new[] { sn1, sn2 })
        {
            float.IsFinite(layer.Sigma).Should().BeTrue();
            double top = Matrix<double>.Build.DenseOfArray(Doubles(layer.Weights.Value)).Svd(computeVectors: false).S[0];
            layer.Sigma.Should().BeInRange((float)(0.9 * top), (float)(top * (1 + 1e-5)), $"{layer.Name}: one power step per pass keeps up with Adam's small moves");
        }
    }

    [Fact]
    public void Copying_capturing_and_restoring_a_model_include_u()
    {
        var random = new RandomSource(160);
        Sequential source = Network(random);
        Sequential target = Network(new RandomSource(161));
        Matrix x = GradientChecker.Uniform(5, 4, random);
        for (int i = 0; i < 3; i++)
        {
            source.Forward(x); // u moves away from its initial draw
        }

        target.CopyParametersFrom(source);
        source.IsTraining = false;
        target.IsTraining = false;
        target.Forward(x).Span.ToArray().Should().Equal(source.Forward(x).Span.ToArray(), "the copy has the same W, b and u");

        // CaptureState/RestoreState (Fit's best-weight restore) put u back too.
        var state = new float[source.StateLength()];
        source.CaptureState(state);
        float[] output = source.Forward(x).Span.ToArray();
        source.IsTraining = true;
        source.Forward(x);
        source.IsTraining = false;
        source.Forward(x).Span.ToArray().Should().NotEqual(output, "a training pass moved u");
        source.RestoreState(state);
        source.Forward(x).Span.ToArray().Should().Equal(output);
    }

    [Fact]
    public void Bad_arguments_are_rejected_with_typed_errors_naming_them()
    {
        var random = new RandomSource(159);
        FluentActions.Invoking(() => new SpectralNormDense(0, 3, random)).Should().Throw<ArgumentOutOfRangeException>().WithParameterName("inputs");
        FluentActions.Invoking(() => new SpectralNormDense(3, 0, random)).Should().Throw<ArgumentOutOfRangeException>().WithParameterName("outputs");
        FluentActions.Invoking(() => new SpectralNormDense(3, 2, random, powerIterations: 0)).Should().Throw<ArgumentOutOfRangeException>().WithParameterName("powerIterations");
        FluentActions.Invoking(() => new SpectralNormDense(3, 2, random, powerIterations: SpectralNormDense.MaxPowerIterations + 1)).Should().Throw<ArgumentOutOfRangeException>().WithParameterName("powerIterations");
        FluentActions.Invoking(() => new SpectralNormDense(3, 2, null!)).Should().Throw<ArgumentNullException>().WithParameterName("random");
        FluentActions.Invoking(() => new SpectralNormDense(3, 2, random, Initializer.Zeros)).Should().Throw<ArgumentException>().WithParameterName("weightInitializer")
            .WithMessage("SpectralNormDense(3→2): the weight initializer Zeros gave weights with Frobenius norm 0*");
        new SpectralNormDense(3, 2, random, powerIterations: SpectralNormDense.MaxPowerIterations).PowerIterations.Should().Be(SpectralNormDense.MaxPowerIterations);

        var layer = new SpectralNormDense(5, 3, random);
        FluentActions.Invoking(() => layer.Forward(new Matrix(4, 6))).Should().Throw<ArgumentException>().WithParameterName("input")
            .WithMessage("SpectralNormDense(5→3): expected input of shape (batch, 5) but got (4, 6).*");
        FluentActions.Invoking(() => layer.Forward(new Matrix(0, 5))).Should().Throw<ArgumentException>().WithMessage("SpectralNormDense(5→3): the input batch has 0 rows*");
        FluentActions.Invoking(() => layer.Backward(new Matrix(2, 3))).Should().Throw<InvalidOperationException>().WithMessage("SpectralNormDense(5→3): Backward was called before any Forward.");
        layer.Forward(new Matrix(2, 5));
        FluentActions.Invoking(() => layer.Backward(new Matrix(2, 4))).Should().Throw<ArgumentException>().WithParameterName("gradientOutput");
        new SpectralNormDense(2, 2, random, powerIterations: 4).Name.Should().Be("SpectralNormDense(2→2, 4 power iterations)");

        // Weights set to zero afterwards: σ = 0, reported instead of dividing by it.
        layer.Weights.Value.Clear();
        FluentActions.Invoking(() => layer.Forward(new Matrix(2, 5))).Should().Throw<InvalidOperationException>().WithMessage("SpectralNormDense(5→3): σ(W) = ‖W·u‖ is 0*");
        FluentActions.Invoking(() => layer.NormalizedWeights()).Should().Throw<InvalidOperationException>().WithMessage("SpectralNormDense(5→3): σ(W)*");
    }

    private static void Zero(Layer layer)
    {
        foreach (Parameter p in layer.Parameters)
        {
            p.ZeroGradient();
        }
    }

    private static double[,] Doubles(Matrix m)
    {
        var result = new double[m.Rows, m.Columns];
        for (int i = 0; i < m.Rows; i++)
        {
            for (int j = 0; j < m.Columns; j++)
            {
                result[i, j] = m[i, j];
            }
        }

        return result;
    }

    private static double[] MultiplyWU(double[,] w, double[] u)
    {
        var result = new double[w.GetLength(0)];
        for (int i = 0; i < result.Length; i++)
        {
            for (int j = 0; j < u.Length; j++)
            {
                result[i] += w[i, j] * u[j];
            }
        }

        return result;
    }

    private static double[] MultiplyWTV(double[,] w, double[] v)
    {
        var result = new double[w.GetLength(1)];
        for (int i = 0; i < v.Length; i++)
        {
            for (int j = 0; j < result.Length; j++)
            {
                result[j] += w[i, j] * v[i];
            }
        }

        return result;
    }

    private static double Norm(double[] x) => Math.Sqrt(x.Sum(e => e * e));

    private static double[] Normalize(double[] x)
    {
        double n = Norm(x);
        return x.Select(e => e / n).ToArray();
    }
}
