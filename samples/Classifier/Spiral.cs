using GanCore.Data;
using GanCore.Randomness;
using GanCore.Tensors;

namespace Classifier;

/// <summary>
/// The K-arm spiral of the CS231n notes: for class k and point i of n, radius r = i/(n − 1) and angle
/// t = 4·(k + i/(n − 1)) + noise·N(0, 1), at (r·sin t, r·cos t). No straight line separates two arms.
/// </summary>
internal static class Spiral
{
    public static LabeledData Generate(int pointsPerClass, int classes, float noise, RandomSource random)
    {
        var features = new Matrix(pointsPerClass * classes, 2);
        var labels = new Matrix(pointsPerClass * classes, 1);
        for (int k = 0; k < classes; k++)
        {
            for (int i = 0; i < pointsPerClass; i++)
            {
                int row = (k * pointsPerClass) + i;
                double along = pointsPerClass == 1 ? 0 : (double)i / (pointsPerClass - 1);
                double t = (4.0 * (k + along)) + (noise * random.NextGaussian());
                features[row, 0] = (float)(along * Math.Sin(t));
                features[row, 1] = (float)(along * Math.Cos(t));
                labels[row, 0] = k;
            }
        }

        return new LabeledData(features, labels, ["x", "y"]);
    }
}
