using GanCore.Adversarial;
using GanCore.Kernels;
using GanCore.Layers;
using GanCore.Losses;
using GanCore.Models;
using GanCore.Optimizers;
using GanCore.Randomness;
using GanCore.Tensors;
using QuadraticGan;

namespace StepWarmup;

/// <summary>
/// The work of <c>StepWarmup --sweep</c>: work beyond the seed GAN's step 1 that reaches GanCore's other routes, so that a
/// method step 1 never calls is held to the same rules on vector types (the sixty-ninth session found three, each
/// loading 256- or 512-bit vector types on CPUs without them: the packing of Aᵀ on Arm64, the packing of Bᵀ without AVX,
/// the dot route's column copy without AVX-512). <see cref="Run"/> runs GanCore's public products over a grid of shapes,
/// each in its three transpositions, accumulated and with a fused bias and the piecewise-linear activations, on two
/// threads; two MLPs trained a few steps with each optimizer and the normalization, dropout and output layers; and GANs
/// of other widths, objectives and options (the last with Box–Muller noise), a few steps each.
/// <see cref="RunExponentials"/> runs the sigmoid and tanh activations apart, under a stricter rule (see there). What
/// either computes is thrown away.
/// </summary>
internal static class WidthSweep
{
    /// <summary>Sizes of M, N and K in every combination: 1 to 5 (the K = 1 outer products, the few-row and two-to-four
    /// column routes), around one and two vectors of each width, and a few past the direct loops' reach.</summary>
    private static readonly int[] Sizes = [1, 2, 3, 4, 5, 8, 9, 15, 16, 17, 31, 64, 129];

    /// <summary>Shapes past the grid: the packed routes, parallel splits, and the skinny products of wide GAN layers.</summary>
    private static readonly (int M, int N, int K)[] LargeShapes = [(300, 300, 300), (64, 2048, 15), (1024, 15, 64), (512, 128, 512), (1024, 1, 256), (512, 1024, 512)];

    /// <summary>The activations of <see cref="Run"/>: those that need no exponential.</summary>
    private static readonly Activation[] PiecewiseLinear = [Activation.Identity, Activation.ReLU, Activation.LeakyReLU];

    /// <summary>Runs the products, MLPs and GANs (about a second on a Zen 5 core, under ten seconds under qemu).</summary>
    public static void Run() => OnTwoThreads(() =>
    {
        Products(PiecewiseLinear);
        Mlp();
        Gans();
    });

    /// <summary>
    /// The sigmoid and tanh activations: fused into the products over the grid's K = 17 slice, and in an MLP. Until the
    /// seventieth session they called the framework's <c>Vector512.Exp</c> (and its narrower widths), which loaded types
    /// of its own on Arm64 (<c>Vector256&lt;double&gt;</c>, the <c>Vector64</c> class) and, a vector passed by value
    /// across the version bubble, kept every kernel calling it out of the images (206 compiled by the JIT at their first
    /// call on an AVX-512 host). GanCore's own exponential (<c>VectorExp</c>) and the activation applied after the
    /// product (<c>Elementwise.MapRows</c>) brought it all into the images, so <c>--sweep</c> holds this work to the
    /// vector-type rules and to one more: no method of it may be a first compilation.
    /// </summary>
    public static void RunExponentials() => OnTwoThreads(() =>
    {
        var random = new Random(11);
        foreach (int m in Sizes)
        {
            foreach (int n in Sizes)
            {
                Product(random, m, n, 17, [Activation.Sigmoid, Activation.Tanh]);
            }
        }

        var layers = new RandomSource(13);
        Matrix inputs = Filled(new Random(12), 256, 8), targets = Filled(new Random(14), 256, 3);
        var model = new Sequential(new Dense(8, 512, layers), new Tanh(), new Dense(512, 512, layers), new Sigmoid(), new Dense(512, 3, layers));
        model.Fit(inputs, targets, new MeanSquaredError(), new Adam(model.Parameters), new FitOptions { Epochs = 2, BatchSize = 256, Random = new RandomSource(15) });
    });

    private static void OnTwoThreads(Action work)
    {
        int threads = Gemm.MaxDegreeOfParallelism;
        Gemm.MaxDegreeOfParallelism = 2;
        try
        {
            work();
        }
        finally
        {
            Gemm.MaxDegreeOfParallelism = threads;
        }
    }

    private static void Products(Activation[] activations)
    {
        var random = new Random(1);
        foreach (int m in Sizes)
        {
            foreach (int n in Sizes)
            {
                foreach (int k in Sizes)
                {
                    Product(random, m, n, k, k == 17 ? activations : [Activation.ReLU]);
                }
            }
        }

        foreach ((int m, int n, int k) in LargeShapes)
        {
            Product(random, m, n, k, [Activation.ReLU, Activation.LeakyReLU]);
        }
    }

    /// <summary>C = A·B (and C += A·B), Aᵀ·B and A·Bᵀ for one shape, and the fused bias with each of
    /// <paramref name="activations"/>.</summary>
    private static void Product(Random random, int m, int n, int k, Activation[] activations)
    {
        Matrix a = Filled(random, m, k), b = Filled(random, k, n), at = Filled(random, k, m), bt = Filled(random, n, k);
        var c = new Matrix(m, n);
        Gemm.Multiply(a, b, c);
        Gemm.Multiply(a, b, c, accumulate: true);
        Gemm.MultiplyTransposedA(at, b, c);
        Gemm.MultiplyTransposedB(a, bt, c);
        float[] bias = new float[n];
        foreach (Activation activation in activations)
        {
            Gemm.MultiplyBiasActivation(a, b, bias, c, activation, activation == Activation.LeakyReLU ? 0.2f : 0f);
        }
    }

    /// <summary>An MLP with a wide hidden layer, trained two epochs with each optimizer, and a classifier with the
    /// normalization, dropout, spectral-norm and softmax layers (piecewise-linear activations: the others are
    /// <see cref="RunExponentials"/>'s).</summary>
    private static void Mlp()
    {
        var random = new RandomSource(3);
        Matrix inputs = Filled(new Random(2), 256, 8), targets = Filled(new Random(4), 256, 3);
        var options = new FitOptions { Epochs = 2, BatchSize = 64, Random = new RandomSource(5) };
        var regression = new Sequential(new Dense(8, 300, random), new ReLU(), new Dense(300, 300, random), new LeakyReLU(0.2f), new Dense(300, 3, random));
        regression.Fit(inputs, targets, new MeanSquaredError(), new Adam(regression.Parameters, weightDecay: 0.01f, decoupledWeightDecay: true), options);
        regression.Fit(inputs, targets, new MeanSquaredError(), new Sgd(regression.Parameters, momentum: 0.9f, nesterov: true), options);

        var labels = new Matrix(256, 3);
        for (int i = 0; i < labels.Rows; i++)
        {
            labels[i, i % 3] = 1f;
        }

        var classifier = new Sequential(
            new Dense(8, 64, random), new BatchNorm(64), new ReLU(), new Dropout(0.1f, random),
            new SpectralNormDense(64, 32, random), new LayerNorm(32), new LeakyReLU(0.1f), new Dense(32, 3, random));
        classifier.Fit(inputs, labels, new SoftmaxCrossEntropy(), new Adam(classifier.Parameters), options);
    }

    /// <summary>The quadratic GAN at other widths, batches, objectives and schedules (as the sample builds them), and one
    /// with R1, a generator EMA and packing; three steps each.</summary>
    private static void Gans()
    {
        TrainSettings seed = TrainSettings.OriginalPreset;
        TrainSettings[] variants =
        [
            TrainSettings.TunedPreset,
            TrainSettings.ConditionalTunedPreset,
            seed with { Hidden = 2048, Batch = 256 },
            seed with { Hidden = 512, Batch = 512, Objective = GanObjective.NonSaturating, Noise = NoiseKind.Uniform },
            seed with { Objective = GanObjective.LeastSquares, Schedule = GanSchedule.Alternating, DiscriminatorSteps = 2 },
            seed with { Objective = GanObjective.Wasserstein },
            seed with { Objective = GanObjective.Hinge, Conditional = true, LabelEncoding = LabelEncoding.OneHot },
        ];
        foreach (TrainSettings s in variants)
        {
            Gan gan = Experiment.Build(s);
            for (int i = 0; i < 3; i++)
            {
                gan.Step();
            }
        }

        var random = new RandomSource(7);
        var generator = new Sequential(new Dense(5, 128, random), new ReLU(), new Dense(128, 2, random));
        var discriminator = new Sequential(new Dense(4, 128, random), new LeakyReLU(0.2f), new Dense(128, 1, random));
        var options = new GanOptions { Objective = GanObjective.NonSaturating, R1Gamma = 1f, GeneratorEmaDecay = 0.999f, PackingDegree = 2, BatchSize = 64 };
        var mixture = new Gan(
            generator,
            discriminator,
            new Adam(generator.Parameters),
            new Adam(discriminator.Parameters),
            new GaussianNoise(5, 1f, GaussianSampling.BoxMuller), // the vectorized Box–Muller block and its log, sin and cos
            new DelegateSampler(2, static (batch, rng) =>
            {
                for (int i = 0; i < batch.Rows; i++)
                {
                    batch[i, 0] = (float)rng.NextUniform(-1, 1);
                    batch[i, 1] = (float)rng.NextUniform(-1, 1);
                }
            }),
            random,
            options);
        for (int i = 0; i < 3; i++)
        {
            mixture.Step();
        }
    }

    private static Matrix Filled(Random random, int rows, int columns)
    {
        var m = new Matrix(rows, columns);
        Span<float> s = m.Span;
        for (int i = 0; i < s.Length; i++)
        {
            s[i] = (float)random.NextDouble() - 0.5f;
        }

        return m;
    }
}
