using System.Globalization;
using System.Text;
using GanCore.Adversarial;
using GanCore.Layers;
using GanCore.Models;
using GanCore.Randomness;
using GanCore.Tensors;
using MathNet.Numerics.LinearAlgebra;

namespace Mixtures;

/// <summary>One row of discriminator.csv: what the probe measured after a step.</summary>
/// <param name="Step">Generator updates done when measured (0: before training).</param>
/// <param name="LargestSingularValues">σ_max of each of D's weight matrices, input layer first: W itself for a plain
/// Dense layer, the unnormalized W the optimizer updates for a SpectralNormDense layer (whose W/σ has σ_max 1).</param>
/// <param name="RealScore">D's mean output on the probe's real points.</param>
/// <param name="FakeScore">D's mean output on the probe's generated points.</param>
/// <param name="RealSlope">The mean of ‖∇ₓD(x)‖ over the real points.</param>
/// <param name="FakeSlope">The mean of ‖∇ₓD(x)‖ over the generated points.</param>
internal sealed record ProbeRow(long Step, double[] LargestSingularValues, double RealScore, double FakeScore, double RealSlope, double FakeSlope);

/// <summary>
/// Looks at the discriminator during training (<c>--diagnostics-every</c>): the scale of each weight matrix and how
/// steep D is where the real and the generated points lie. With spectral normalization a layer computes with W/σ(W),
/// so its output does not depend on W's scale, but Adam's steps have a fixed size in W: as σ(W) grows, each step moves
/// W/σ(W) less. The slope ‖∇ₓD‖ is what the generator's gradient is made of; every layer normalized bounds it by 1
/// (for ReLU and LeakyReLU, once each layer's power iteration has converged: an estimate of σ below the true one
/// leaves W/σ longer than 1), and a plain output layer does not.
/// </summary>
/// <remarks>The probe draws its points from a random stream of its own, runs D in inference mode (a normalized layer's u
/// is not advanced) and touches no parameter or gradient, so a run with it trains exactly as one without it.</remarks>
internal sealed class DiscriminatorProbe
{
    /// <summary>Rows of D's input per measurement, real and generated alike (each row holds as many points as PacGAN packs).</summary>
    public const int Rows = 256;

    /// <summary>Seeds the probe's own stream from the run's seed, apart from the training stream and the evaluation's.</summary>
    private const ulong SeedOffset = 0xD1B54A32D192ED03;

    private readonly Gan _gan;
    private readonly MixtureDataset _data;
    private readonly int _pack;
    private readonly RandomSource _random;
    private readonly Layer[] _weightLayers;
    private readonly string[] _layerNames;
    private readonly Matrix _real;
    private readonly Matrix _noise;
    private readonly Matrix _fake;

    public DiscriminatorProbe(Gan gan, MixtureDataset data, MixtureSettings s)
    {
        _gan = gan;
        _data = data;
        _pack = s.Pack;
        _random = new RandomSource(s.Seed ^ SeedOffset);
        _weightLayers = gan.Discriminator.Layers.Where(l => l is Dense or SpectralNormDense).ToArray();
        _layerNames = _weightLayers.Select(l => l.Name).ToArray();
        _real = new Matrix(Rows, 2 * _pack);
        _noise = new Matrix(Rows * _pack, gan.Generator.InputSize);
        _fake = new Matrix(Rows, 2 * _pack);
    }

    /// <summary>Names of D's weight layers in order, for the CSV header and the plot's legend.</summary>
    public IReadOnlyList<string> LayerNames => _layerNames;

    /// <summary>Measures D now, after <paramref name="step"/> generator updates.</summary>
    public ProbeRow Measure(long step)
    {
        double[] sigmas = _weightLayers.Select(l => LargestSingularValue(l is Dense d ? d.Weights.Value : ((SpectralNormDense)l).Weights.Value)).ToArray();

        // Real points, PacGAN's m of them to a row: m consecutive rows of a (Rows·m)×2 draw are one row of D's input.
        _data.Sample(Rows * _pack, _random).Span.CopyTo(_real.Span);
        Sequential generator = _gan.Generator;
        bool generatorWasTraining = generator.IsTraining;
        generator.IsTraining = false;
        try
        {
            _gan.Noise.Fill(_noise, _random);
            generator.Forward(_noise).Span.CopyTo(_fake.Span);
        }
        finally
        {
            generator.IsTraining = generatorWasTraining;
        }

        Sequential discriminator = _gan.Discriminator;
        bool discriminatorWasTraining = discriminator.IsTraining;
        discriminator.IsTraining = false;
        try
        {
            (double realScore, double realSlope) = ScoreAndSlope(discriminator, _real);
            (double fakeScore, double fakeSlope) = ScoreAndSlope(discriminator, _fake);
            return new ProbeRow(step, sigmas, realScore, fakeScore, realSlope, fakeSlope);
        }
        finally
        {
            discriminator.IsTraining = discriminatorWasTraining;
        }
    }

    /// <summary>Writes the rows as CSV: step, sigma_1 … sigma_L, d_real, d_fake, slope_real, slope_fake.</summary>
    public static void Write(string path, IReadOnlyList<ProbeRow> rows, int layers)
    {
        var sb = new StringBuilder("step");
        for (int l = 1; l <= layers; l++)
        {
            sb.Append(CultureInfo.InvariantCulture, $",sigma_{l}");
        }

        sb.Append(",d_real,d_fake,slope_real,slope_fake\n");
        foreach (ProbeRow r in rows)
        {
            sb.Append(r.Step.ToString(CultureInfo.InvariantCulture));
            foreach (double sigma in r.LargestSingularValues)
            {
                sb.Append(CultureInfo.InvariantCulture, $",{sigma:R}");
            }

            sb.Append(CultureInfo.InvariantCulture, $",{r.RealScore:R},{r.FakeScore:R},{r.RealSlope:R},{r.FakeSlope:R}\n");
        }

        File.WriteAllText(path, sb.ToString());
    }

    /// <summary>D's mean output over the rows of <paramref name="x"/>, and the mean Euclidean norm of ∇ₓD per row
    /// (one backward pass with dL/dD = 1 for every row, no parameter gradient touched).</summary>
    internal static (double Score, double Slope) ScoreAndSlope(Sequential discriminator, Matrix x)
    {
        Matrix output = discriminator.Forward(x);
        var ones = new Matrix(x.Rows, 1);
        ones.Span.Fill(1f);
        double score = 0;
        for (int i = 0; i < output.Rows; i++)
        {
            score += output[i, 0];
        }

        Matrix gradient = discriminator.Backward(ones, ParameterGradients.Skip);
        double slope = 0;
        for (int i = 0; i < gradient.Rows; i++)
        {
            double squares = 0;
            foreach (float g in gradient.Row(i))
            {
                squares += (double)g * g;
            }

            slope += Math.Sqrt(squares);
        }

        return (score / output.Rows, slope / gradient.Rows);
    }

    /// <summary>The largest singular value of <paramref name="w"/> (MathNet's SVD in double precision).</summary>
    private static double LargestSingularValue(Matrix w) =>
        Matrix<double>.Build.Dense(w.Rows, w.Columns, (i, j) => w[i, j]).L2Norm();
}
