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
        return MedianOfSorted<long>(sorted) * 1e6 / Stopwatch.Frequency;
    }

    /// <summary>The median of values already in ascending order: the middle one, or the mean of the two middle ones.</summary>
    public static double MedianOfSorted<T>(ReadOnlySpan<T> sorted)
        where T : System.Numerics.INumberBase<T>
    {
        int mid = sorted.Length / 2;
        return sorted.Length % 2 == 1 ? double.CreateChecked(sorted[mid]) : (double.CreateChecked(sorted[mid - 1]) + double.CreateChecked(sorted[mid])) / 2;
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
