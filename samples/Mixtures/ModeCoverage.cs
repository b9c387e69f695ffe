using GanCore.Tensors;

namespace Mixtures;

/// <summary>
/// How well a set of generated points covers the modes of a <see cref="MixtureDataset"/> (the measures of the
/// unrolled-GAN, VEEGAN and PacGAN papers; docs/mixtures.md defines them).
/// </summary>
/// <param name="Samples">N, the number of generated points judged.</param>
/// <param name="Counts">For each mode, how many high-quality points have it as their nearest mode.</param>
/// <param name="ModesCovered">The modes with at least <see cref="MinimumPerMode"/> high-quality points.</param>
/// <param name="HighQualityShare">The share of the N points within 3σ of their nearest mode centre.</param>
/// <param name="ReverseKl">
/// KL(q ‖ u) in nats, where q is the histogram of the high-quality points over the K modes (normalized to sum 1)
/// and u the uniform distribution 1/K: Σ_{k: q_k &gt; 0} q_k log(q_k·K). 0 when the modes are hit equally, log K when
/// every point is in one mode; empty modes add 0 (q log q → 0). Null when no point is of high quality (q is undefined).
/// </param>
internal sealed record ModeCoverage(int Samples, int[] Counts, int ModesCovered, double HighQualityShare, double? ReverseKl)
{
    /// <summary>A mode counts as covered with at least this many high-quality points (of 2,500, as in the papers).</summary>
    public const int MinimumPerMode = 20;

    /// <summary>A point is of high quality within this many σ of its nearest mode centre.</summary>
    public const double RadiusInSigmas = 3.0;

    /// <summary>Judges the rows (x, y) of <paramref name="points"/>; a row with NaN or infinity is never of high quality.</summary>
    public static ModeCoverage Compute(Matrix points, MixtureDataset data)
    {
        ArgumentNullException.ThrowIfNull(points);
        ArgumentNullException.ThrowIfNull(data);
        if (points.Columns != 2)
        {
            throw new ArgumentException($"points is {points.Rows}×{points.Columns}; mode coverage needs 2-D points (N×2).", nameof(points));
        }

        double radius = RadiusInSigmas * data.Sigma;
        double radiusSquared = radius * radius;
        var counts = new int[data.ModeCount];
        int highQuality = 0;
        for (int i = 0; i < points.Rows; i++)
        {
            double x = points[i, 0];
            double y = points[i, 1];
            int nearest = -1;
            double best = double.PositiveInfinity;
            for (int k = 0; k < data.ModeCount; k++)
            {
                double dx = x - data.CentreX[k];
                double dy = y - data.CentreY[k];
                double d2 = (dx * dx) + (dy * dy);
                if (d2 < best)
                {
                    best = d2;
                    nearest = k;
                }
            }

            // NaN distances never compare below best, so a non-finite point has no nearest mode.
            if (nearest >= 0 && best <= radiusSquared)
            {
                counts[nearest]++;
                highQuality++;
            }
        }

        int covered = counts.Count(c => c >= MinimumPerMode);
        double share = points.Rows == 0 ? 0 : (double)highQuality / points.Rows;
        return new ModeCoverage(points.Rows, counts, covered, share, ReverseKlAgainstUniform(counts));
    }

    /// <summary>KL(q ‖ u) = Σ_{q_k &gt; 0} q_k log(q_k·K) of the normalized histogram; null for an empty histogram.</summary>
    public static double? ReverseKlAgainstUniform(ReadOnlySpan<int> counts)
    {
        long total = 0;
        foreach (int c in counts)
        {
            total += c;
        }

        if (total == 0)
        {
            return null;
        }

        double kl = 0;
        foreach (int c in counts)
        {
            if (c > 0)
            {
                double q = (double)c / total;
                kl += q * Math.Log(q * counts.Length);
            }
        }

        return kl;
    }
}
