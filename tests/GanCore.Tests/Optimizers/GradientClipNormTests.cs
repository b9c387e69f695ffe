using GanCore.Checkpoints;
using GanCore.Layers;
using GanCore.Models;
using GanCore.Optimizers;
using GanCore.Randomness;
using GanCore.Tests.Adversarial;

namespace GanCore.Tests.Optimizers;

/// <summary>
/// <see cref="Optimizer.GradientClipNorm"/>: bad values, the global norm it measures (also where Σ g² leaves float's
/// range), the scaling when the norm is over the limit and no change under it, non-finite gradients, checkpoints and
/// allocation.
/// </summary>
public class GradientClipNormTests
{
    [Theory]
    [InlineData(0f)]
    [InlineData(-1f)]
    [InlineData(float.NaN)]
    [InlineData(float.PositiveInfinity)]
    public void A_limit_that_is_not_a_finite_positive_number_is_rejected_naming_the_property(float c)
    {
        var adam = new Adam([new Parameter("w", 2, 2)]) { GradientClipNorm = 3f };
        FluentActions.Invoking(() => adam.GradientClipNorm = c).Should().Throw<ArgumentOutOfRangeException>()
            .WithParameterName("GradientClipNorm").WithMessage($"*finite number > 0*Actual value was {c}.");
        adam.GradientClipNorm.Should().Be(3f, "a rejected value leaves the setting as it was");
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Under_the_limit_the_step_is_bitwise_the_unclipped_one_and_the_norm_is_reported(bool adam)
    {
        (Parameter[] clipped, Parameter[] plain) = (TwoParameters(), TwoParameters());
        Optimizer a = Create(adam, clipped);
        Optimizer b = Create(adam, plain);
        a.GradientClipNorm = 1e6f;
        a.LastGradientNorm.Should().Be(float.NaN, "no step has measured it yet");
        for (int t = 0; t < 3; t++)
        {
            FillGradients(clipped, 10 + t, 1f);
            FillGradients(plain, 10 + t, 1f);
            double expected = Norm(clipped);
            a.Step();
            b.Step();
            a.LastGradientNorm.Should().BeApproximately((float)expected, (float)(expected * 1e-6));
            b.LastGradientNorm.Should().Be(float.NaN, "an optimizer without a limit does not measure the norm");
            for (int p = 0; p < 2; p++)
            {
                clipped[p].Value.Span.ToArray().Should().Equal(plain[p].Value.Span.ToArray(), "step {0}", t + 1);
            }
        }
    }

    [Fact]
    public void Over_the_limit_sgd_moves_the_weights_by_exactly_lr_times_the_limit_along_the_gradient()
    {
        // Plain SGD: Δw = −lr·g·c/‖g‖, so the whole update has length lr·c and the direction of g. The gradient
        // buffers hold the clipped gradient after the step. Two parameters with lengths 37 and 5 cover every tail.
        Parameter[] parameters = TwoParameters();
        var sgd = new Sgd(parameters, 0.1f) { GradientClipNorm = 0.5f };
        FillGradients(parameters, 3, 4f);
        float[][] before = parameters.Select(p => p.Value.Span.ToArray()).ToArray();
        float[][] gradient = parameters.Select(p => p.Gradient.Span.ToArray()).ToArray();
        double norm = Norm(parameters);
        norm.Should().BeGreaterThan(0.5 * 10, "the test's gradient is well over the limit");

        sgd.Step();

        sgd.LastGradientNorm.Should().BeApproximately((float)norm, (float)(norm * 1e-6));
        Norm(parameters).Should().BeApproximately(0.5, 1e-6, "the gradients are left scaled to length c");
        double moved = 0;
        for (int p = 0; p < 2; p++)
        {
            for (int i = 0; i < before[p].Length; i++)
            {
                double step = parameters[p].Value.Span[i] - before[p][i];
                step.Should().BeApproximately(-0.1 * gradient[p][i] * 0.5 / norm, 3e-7, "to the rounding of a weight up to ~4");
                moved += step * step;
            }
        }

        Math.Sqrt(moved).Should().BeApproximately(0.1 * 0.5, 1e-6);
    }

    [Fact]
    public void Over_the_limit_adam_sees_the_scaled_gradients()
    {
        // Adam divides m by √v, so one step hardly depends on the gradient's scale; over steps whose gradients differ
        // in length the moments do. Three steps (long, short, long) against Adam fed gradients scaled by hand.
        (Parameter[] clipped, Parameter[] byHand, Parameter[] unclipped) = (TwoParameters(), TwoParameters(), TwoParameters());
        var a = new Adam(clipped, 0.01f) { GradientClipNorm = 1f };
        var b = new Adam(byHand, 0.01f);
        var c = new Adam(unclipped, 0.01f);
        float[] scales = [20f, 0.02f, 5f];
        for (int t = 0; t < scales.Length; t++)
        {
            FillGradients(clipped, 20 + t, scales[t]);
            FillGradients(byHand, 20 + t, scales[t]);
            FillGradients(unclipped, 20 + t, scales[t]);
            double norm = Norm(byHand);
            if (norm > 1)
            {
                foreach (Parameter p in byHand)
                {
                    Span<float> g = p.Gradient.Span;
                    for (int i = 0; i < g.Length; i++)
                    {
                        g[i] = (float)(g[i] / norm);
                    }
                }
            }

            a.Step();
            b.Step();
            c.Step();
        }

        for (int p = 0; p < 2; p++)
        {
            float[] got = clipped[p].Value.Span.ToArray();
            float[] expected = byHand[p].Value.Span.ToArray();
            for (int i = 0; i < got.Length; i++)
            {
                got[i].Should().BeApproximately(expected[i], 2e-6f, "parameter {0}[{1}]", p, i);
            }
        }

        double apart = clipped.Zip(unclipped).Sum(q => q.First.Value.Span.ToArray().Zip(q.Second.Value.Span.ToArray()).Sum(v => Math.Abs(v.First - v.Second)));
        apart.Should().BeGreaterThan(1e-3, "clipping the long steps changes Adam's path");
    }

    [Theory]
    [InlineData(1e20f, 1f)]     // (1e20)² overflows float: the sum is taken again in double
    [InlineData(9e37f, 1f)]     // ‖g‖ ≈ 6e38 is past float's largest value: reported as ∞, still clipped
    [InlineData(1e37f, 1e-3f)]  // c/‖g‖ ≈ 1.5e-41 is below float's smallest normal: scaled in two steps
    [InlineData(1e-25f, 1e-30f)] // (1e-25)² is below float's smallest subnormal, and so is the limit: summed in double
    public void Exploding_and_vanishing_gradients_are_measured_and_clipped(float scale, float limit)
    {
        Parameter[] parameters = TwoParameters();
        var sgd = new Sgd(parameters, 0.1f) { GradientClipNorm = limit };
        FillGradients(parameters, 5, scale);
        parameters.All(p => p.Gradient.Span.ToArray().All(float.IsFinite)).Should().BeTrue("the test's gradients are finite");
        double norm = Norm(parameters);
        sgd.Step();
        if (norm > float.MaxValue)
        {
            sgd.LastGradientNorm.Should().Be(float.PositiveInfinity);
        }
        else
        {
            sgd.LastGradientNorm.Should().BeApproximately((float)norm, (float)(norm * 1e-6));
        }

        Norm(parameters).Should().BeApproximately(limit, limit * 1e-5, "every gradient was scaled to the limit");
        parameters.All(p => p.Value.Span.ToArray().All(float.IsFinite)).Should().BeTrue();
    }

    [Fact]
    public void A_nan_gradient_is_not_clipped_and_reaches_the_weights()
    {
        Parameter[] parameters = TwoParameters();
        var sgd = new Sgd(parameters, 0.1f) { GradientClipNorm = 1f };
        FillGradients(parameters, 6, 10f);
        parameters[1].Gradient.Span[2] = float.NaN;
        float[] other = parameters[0].Gradient.Span.ToArray();
        sgd.Step();
        sgd.LastGradientNorm.Should().Be(float.NaN);
        parameters[0].Gradient.Span.ToArray().Should().Equal(other, "a non-finite norm scales nothing");
        float.IsNaN(parameters[1].Value.Span[2]).Should().BeTrue("the NaN goes into the weights, where a divergence check sees it");
    }

    [Fact]
    public void Turning_it_off_stops_the_measuring_and_checkpoints_do_not_keep_it()
    {
        var random = new RandomSource(4);
        var model = new Sequential(new Dense(3, 4, random));
        var adam = new Adam(model.Parameters, 1e-3f) { GradientClipNorm = 1f };
        FillGradients(model.Parameters.ToArray(), 7, 1f);
        adam.Step();
        adam.LastGradientNorm.Should().BePositive();
        adam.GradientClipNorm = null;
        adam.Step();
        adam.LastGradientNorm.Should().Be(float.NaN);

        adam.GradientClipNorm = 1f;
        string folder = GanTestKit.TempDirectory("clipnorm");
        try
        {
            string path = Path.Combine(folder, "model.ckpt");
            ModelCheckpoint.Save(path, model, adam);
            ModelCheckpoint.Load(path).Optimizer!.GradientClipNorm.Should().BeNull("the limit is a run setting, like the schedule: set it again after loading");
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void A_clipped_step_allocates_nothing(bool adam)
    {
        Parameter[] parameters = TwoParameters();
        Optimizer optimizer = Create(adam, parameters);
        optimizer.GradientClipNorm = 0.1f;
        FillGradients(parameters, 8, 1f);
        optimizer.Step();
        FillGradients(parameters, 8, 1f);
        long before = GC.GetAllocatedBytesForCurrentThread();
        optimizer.Step();
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        allocated.Should().Be(0);
        optimizer.LastGradientNorm.Should().BeGreaterThan(0.1f, "the step did clip");
    }

    private static Parameter[] TwoParameters()
    {
        var w = new Parameter("w", 37, 1);
        var b = new Parameter("b", 1, 5);
        new RandomSource(1).FillGaussian(w.Value.Span);
        new RandomSource(2).FillGaussian(b.Value.Span);
        return [w, b];
    }

    private static Optimizer Create(bool adam, Parameter[] parameters) =>
        adam ? new Adam(parameters, 0.01f) : new Sgd(parameters, 0.05f, momentum: 0.9f);

    private static void FillGradients(Parameter[] parameters, int seed, float scale)
    {
        var random = new RandomSource((ulong)seed);
        foreach (Parameter p in parameters)
        {
            random.FillGaussian(p.Gradient.Span);
            Span<float> g = p.Gradient.Span;
            for (int i = 0; i < g.Length; i++)
            {
                g[i] *= scale;
            }
        }
    }

    /// <summary>‖g‖ over every gradient, in double.</summary>
    private static double Norm(Parameter[] parameters) =>
        Math.Sqrt(parameters.Sum(p => p.Gradient.Span.ToArray().Sum(v => (double)v * v)));
}
