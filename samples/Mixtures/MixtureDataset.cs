using GanCore.Adversarial;
using GanCore.Randomness;
using GanCore.Tensors;

namespace Mixtures;

/// <summary>
/// A mixture of K isotropic 2-D Gaussians with equal weights and one standard deviation σ: the standard test of
/// whether a GAN covers a multimodal distribution. A draw picks a mode uniformly, then adds σ·N(0, I).
/// </summary>
internal sealed class MixtureDataset
{
    private MixtureDataset(string name, double[] centreX, double[] centreY, double sigma)
    {
        Name = name;
        CentreX = centreX;
        CentreY = centreY;
        Sigma = sigma;
    }

    /// <summary>"ring" or "grid".</summary>
    public string Name { get; }

    /// <summary>The x coordinates of the mode centres.</summary>
    public double[] CentreX { get; }

    /// <summary>The y coordinates of the mode centres.</summary>
    public double[] CentreY { get; }

    /// <summary>The standard deviation of every mode, per coordinate.</summary>
    public double Sigma { get; }

    /// <summary>K, the number of modes.</summary>
    public int ModeCount => CentreX.Length;

    /// <summary>
    /// 8 Gaussians at angles 2πk/8 on the circle of radius 2, σ = 0.02 (the unrolled-GAN paper's ring, Metz et al. 2017).
    /// </summary>
    public static MixtureDataset Ring()
    {
        const int modes = 8;
        const double radius = 2.0;
        var x = new double[modes];
        var y = new double[modes];
        for (int k = 0; k < modes; k++)
        {
            double angle = 2 * Math.PI * k / modes;
            x[k] = radius * Math.Cos(angle);
            y[k] = radius * Math.Sin(angle);
        }

        return new MixtureDataset("ring", x, y, 0.02);
    }

    /// <summary>25 Gaussians at {−4, −2, 0, 2, 4}², σ = 0.05 (the grid of VEEGAN and PacGAN).</summary>
    public static MixtureDataset Grid()
    {
        var x = new double[25];
        var y = new double[25];
        for (int i = 0; i < 5; i++)
        {
            for (int j = 0; j < 5; j++)
            {
                x[(i * 5) + j] = -4 + (2 * i);
                y[(i * 5) + j] = -4 + (2 * j);
            }
        }

        return new MixtureDataset("grid", x, y, 0.05);
    }

    /// <summary>The dataset called <paramref name="name"/>.</summary>
    /// <exception cref="ArgumentException">The name is neither ring nor grid.</exception>
    public static MixtureDataset ForName(string name) => name switch
    {
        "ring" => Ring(),
        "grid" => Grid(),
        _ => throw new ArgumentException($"Unknown --dataset '{name}'; expected ring or grid."),
    };

    /// <summary>Fills every row of <paramref name="destination"/> (two columns) with a fresh draw.</summary>
    public void Fill(Matrix destination, RandomSource random)
    {
        for (int i = 0; i < destination.Rows; i++)
        {
            int k = random.NextInt32(ModeCount);
            Span<float> row = destination.Row(i);
            row[0] = (float)(CentreX[k] + (Sigma * random.NextGaussian()));
            row[1] = (float)(CentreY[k] + (Sigma * random.NextGaussian()));
        }
    }

    /// <summary><paramref name="count"/> fresh draws.</summary>
    public Matrix Sample(int count, RandomSource random)
    {
        var m = new Matrix(count, 2);
        Fill(m, random);
        return m;
    }

    /// <summary>The real-data sampler the GAN trains on.</summary>
    public IRealDataSampler Sampler() => new DelegateSampler(2, Fill);
}
