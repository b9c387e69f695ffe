using GanCore.Layers;
using GanCore.Optimizers;

namespace GanCore.Tests.Optimizers;

/// <summary>
/// Optimizer steps against values computed here by hand, in double, from the update formulas
/// (PyTorch's SGD and Adam/AdamW), independently of the kernels' scalar reference.
/// </summary>
public class OptimizerStepTests
{
    internal static readonly float[] Start = [0.5f, -1.25f, 2f, 0f, -0.03f];

    /// <summary>Gradients of successive steps: they change sign and size so that momentum and moments matter.</summary>
    internal static readonly float[][] Gradients =
    [
        [0.1f, -0.2f, 0.3f, 1f, -2f],
        [-0.05f, 0.4f, 0.3f, -1f, 0.5f],
        [0.2f, 0.0f, -0.6f, 0.25f, 1.5f],
        [0.01f, -0.3f, 0.1f, 0f, -0.7f],
    ];

    private static Parameter NewParameter()
    {
        var p = new Parameter("p", 1, Start.Length);
        Start.CopyTo(p.Value.Span);
        return p;
    }

    private static void AssertClose(ReadOnlySpan<float> actual, double[] expected, int step)
    {
        for (int i = 0; i < expected.Length; i++)
        {
            ((double)actual[i]).Should().BeApproximately(expected[i], 2e-6 + (2e-6 * Math.Abs(expected[i])), "element {0} after step {1}", i, step);
        }
    }

    [Fact]
    public void Plain_SGD_subtracts_lr_times_the_gradient()
    {
        Parameter p = NewParameter();
        var sgd = new Sgd([p], learningRate: 0.1f);
        double[] theta = Start.Select(v => (double)v).ToArray();
        for (int t = 0; t < Gradients.Length; t++)
        {
            Gradients[t].CopyTo(p.Gradient.Span);
            sgd.Step();
            for (int i = 0; i < theta.Length; i++)
            {
                theta[i] -= 0.1 * Gradients[t][i];
            }

            AssertClose(p.Value.Span, theta, t + 1);
        }

        sgd.StepCount.Should().Be(Gradients.Length);

        // One literal value: 0.5 − 0.1·(0.1 − 0.05 + 0.2 + 0.01) = 0.474.
        ((double)p.Value[0, 0]).Should().BeApproximately(0.474, 1e-6);
    }

    [Theory]
    [InlineData(0.9f, false, 0f)]
    [InlineData(0.9f, true, 0f)]
    [InlineData(0.5f, false, 0.01f)]
    [InlineData(0.5f, true, 0.1f)]
    [InlineData(0f, false, 0.1f)]
    public void SGD_with_momentum_Nesterov_and_weight_decay_follows_PyTorch(float momentum, bool nesterov, float decay)
    {
        Parameter p = NewParameter();
        var sgd = new Sgd([p], learningRate: 0.05f, momentum: momentum, nesterov: nesterov, weightDecay: decay);
        double lr = 0.05, mu = momentum, wd = decay;
        double[] theta = Start.Select(v => (double)v).ToArray();
        double[] buffer = new double[theta.Length];
        for (int t = 0; t < Gradients.Length; t++)
        {
            Gradients[t].CopyTo(p.Gradient.Span);
            sgd.Step();
            for (int i = 0; i < theta.Length; i++)
            {
                double g = Gradients[t][i] + (wd * theta[i]);     // weight decay joins the gradient
                buffer[i] = t == 0 ? g : (mu * buffer[i]) + g;   // PyTorch: b₁ = g₁, then b ← μb + g (μ·0 + g is the same)
                double d = mu == 0 ? g : nesterov ? g + (mu * buffer[i]) : buffer[i];
                theta[i] -= lr * d;
            }

            AssertClose(p.Value.Span, theta, t + 1);
        }
    }

    [Fact]
    public void SGD_momentum_first_two_steps_by_hand()
    {
        var p = new Parameter("p", 1, 1);
        p.Value[0, 0] = 1f;
        var sgd = new Sgd([p], learningRate: 0.1f, momentum: 0.9f);
        p.Gradient[0, 0] = 1f;
        sgd.Step(); // b = 1, θ = 1 − 0.1 = 0.9
        ((double)p.Value[0, 0]).Should().BeApproximately(0.9, 1e-7);
        sgd.Step(); // b = 0.9 + 1 = 1.9, θ = 0.9 − 0.19 = 0.71
        ((double)p.Value[0, 0]).Should().BeApproximately(0.71, 1e-6);

        var q = new Parameter("q", 1, 1);
        q.Value[0, 0] = 1f;
        var nesterov = new Sgd([q], learningRate: 0.1f, momentum: 0.9f, nesterov: true);
        q.Gradient[0, 0] = 1f;
        nesterov.Step(); // b = 1, d = 1 + 0.9 = 1.9, θ = 0.81
        ((double)q.Value[0, 0]).Should().BeApproximately(0.81, 1e-6);
        nesterov.Step(); // b = 1.9, d = 1 + 1.71 = 2.71, θ = 0.81 − 0.271 = 0.539
        ((double)q.Value[0, 0]).Should().BeApproximately(0.539, 1e-6);
    }

    [Theory]
    [InlineData(0f, false)]
    [InlineData(0.01f, false)]
    [InlineData(0.1f, true)]
    public void Adam_with_bias_correction_follows_the_paper(float decay, bool decoupled)
    {
        Parameter p = NewParameter();
        const double lr = 0.01, b1 = 0.8, b2 = 0.95, eps = 1e-6;
        var adam = new Adam([p], (float)lr, (float)b1, (float)b2, (float)eps, decay, decoupled);
        double[] theta = Start.Select(v => (double)v).ToArray();
        double[] m = new double[theta.Length];
        double[] v = new double[theta.Length];
        for (int t = 1; t <= Gradients.Length; t++)
        {
            Gradients[t - 1].CopyTo(p.Gradient.Span);
            adam.Step();
            for (int i = 0; i < theta.Length; i++)
            {
                double g = Gradients[t - 1][i] + (decoupled ? 0 : decay * theta[i]);
                m[i] = (b1 * m[i]) + ((1 - b1) * g);
                v[i] = (b2 * v[i]) + ((1 - b2) * g * g);
                double mHat = m[i] / (1 - Math.Pow(b1, t));
                double vHat = v[i] / (1 - Math.Pow(b2, t));
                if (decoupled)
                {
                    theta[i] *= 1 - (lr * decay);
                }

                theta[i] -= lr * mHat / (Math.Sqrt(vHat) + eps);
            }

            AssertClose(p.Value.Span, theta, t);
        }

        adam.StepCount.Should().Be(Gradients.Length);
    }

    [Fact]
    public void Adam_first_step_moves_every_parameter_by_about_lr_against_its_gradient()
    {
        Parameter p = NewParameter();
        var adam = new Adam([p], learningRate: 0.001f);
        Gradients[0].CopyTo(p.Gradient.Span);
        adam.Step();
        for (int i = 0; i < Start.Length; i++)
        {
            // m̂ = g and v̂ = g² after bias correction, so the step is lr·g/(|g| + ε).
            double g = Gradients[0][i];
            double expected = Start[i] - (0.001 * g / (Math.Abs(g) + 1e-8));
            ((double)p.Value[0, i]).Should().BeApproximately(expected, 1e-7);
        }
    }

    [Fact]
    public void AdamW_with_zero_gradient_only_shrinks_the_weights()
    {
        Parameter p = NewParameter();
        var adamW = new Adam([p], learningRate: 0.1f, weightDecay: 0.5f, decoupledWeightDecay: true);
        adamW.Step();
        adamW.Step();
        for (int i = 0; i < Start.Length; i++)
        {
            ((double)p.Value[0, i]).Should().BeApproximately(Start[i] * 0.95 * 0.95, 1e-6);
        }

        adamW.Name.Should().StartWith("AdamW");
    }

    [Fact]
    public void Step_reads_the_gradient_but_does_not_clear_it()
    {
        Parameter p = NewParameter();
        Gradients[0].CopyTo(p.Gradient.Span);
        new Sgd([p], 0.1f, momentum: 0.9f).Step();
        p.Gradient.Span.ToArray().Should().Equal(Gradients[0]);
    }

    [Fact]
    public void Learning_rate_can_change_between_steps()
    {
        Parameter p = NewParameter();
        var sgd = new Sgd([p], 0.1f);
        p.Gradient.Fill(1f);
        sgd.Step();
        sgd.LearningRate = 0.01f;
        sgd.Step();
        ((double)p.Value[0, 0]).Should().BeApproximately(0.5 - 0.1 - 0.01, 1e-6);
    }

    [Fact]
    public void Many_parameters_of_odd_sizes_are_each_updated()
    {
        // Sizes that exercise every vector tail of the fused kernels.
        Parameter[] ps = Enumerable.Range(1, 40).Select(n => new Parameter($"p{n}", 1, n)).ToArray();
        foreach (Parameter q in ps)
        {
            for (int i = 0; i < q.Count; i++)
            {
                q.Value[0, i] = i * 0.1f;
                q.Gradient[0, i] = (i % 3) - 1;
            }
        }

        new Adam(ps, learningRate: 0.5f).Step();

        foreach (Parameter q in ps)
        {
            for (int i = 0; i < q.Count; i++)
            {
                double g = (i % 3) - 1;
                double expected = (i * 0.1f) - (g == 0 ? 0 : 0.5 * Math.Sign(g) * Math.Abs(g) / (Math.Abs(g) + 1e-8));
                ((double)q.Value[0, i]).Should().BeApproximately(expected, 1e-6, "{0}[{1}]", q.Name, i);
            }
        }
    }
}
