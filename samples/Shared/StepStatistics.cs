using System.Diagnostics;
using GanCore.Adversarial;

namespace GanCore.Samples;

/// <summary>Summaries of a training run that every GAN sample reports: the median step time and windowed means.</summary>
internal static class StepStatistics
{
    /// <summary>The median step time in microseconds, leaving out the first 100 steps (JIT and warm-up).</summary>
    /// <param name="ticks">Each step's duration in <see cref="Stopwatch"/> ticks, in order.</param>
    /// <returns>The median, or NaN when there is no step.</returns>
    public static double MedianMicroseconds(ReadOnlySpan<long> ticks)
    {
        ReadOnlySpan<long> steady = ticks.Length > 100 ? ticks[100..] : ticks;
        if (steady.IsEmpty)
        {
            return double.NaN;
        }

        long[] sorted = steady.ToArray();
        Array.Sort(sorted);
        double median = sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2.0;
        return median * 1e6 / Stopwatch.Frequency;
    }

    /// <summary>The mean of one metric over a window of steps, or NaN for an empty window.</summary>
    public static double Mean(ReadOnlySpan<GanStepMetrics> values, Func<GanStepMetrics, float> pick)
    {
        if (values.IsEmpty)
        {
            return double.NaN;
        }

        double sum = 0;
        foreach (GanStepMetrics m in values)
        {
            sum += pick(m);
        }

        return sum / values.Length;
    }
}
