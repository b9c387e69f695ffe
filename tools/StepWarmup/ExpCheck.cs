using System.Globalization;
using System.Runtime.Intrinsics;
using GanCore.Kernels;

namespace StepWarmup;

/// <summary>
/// <c>StepWarmup --exp-check</c>: GanCore's exponential (<c>VectorExp</c>), as this build's image compiled it, against the
/// runtime's <c>Vector128.Exp</c> (and <c>Vector256.Exp</c> and <c>Vector512.Exp</c> where the CPU runs them), bit for
/// bit, over every 4099th float bit pattern and every float within 3,000 of the saturation thresholds and of ±87. The
/// test suite checks the same on x86-64 at every leg; CI runs this on the Arm64 image under qemu, where the tests do not
/// run and the AdvSimd path is the one taken.
/// </summary>
internal static class ExpCheck
{
    public static int Run()
    {
        float[] values = Inputs();
        int compared = 0;
        var differences = new Differences();
        for (int i = 0; i + 4 <= values.Length; i += 4)
        {
            Vector128<float> x = Vector128.Create(values.AsSpan(i, 4));
            compared += Compare(x, VectorExp.Of(x), Vector128.Exp(x), 128, differences);
        }

        if (Vector256.IsHardwareAccelerated)
        {
            for (int i = 0; i + 8 <= values.Length; i += 8)
            {
                Vector256<float> x = Vector256.Create(values.AsSpan(i, 8));
                compared += Compare(x, VectorExp.Of(x), Vector256.Exp(x), 256, differences);
            }
        }

        if (Vector512.IsHardwareAccelerated)
        {
            for (int i = 0; i + 16 <= values.Length; i += 16)
            {
                Vector512<float> x = Vector512.Create(values.AsSpan(i, 16));
                compared += Compare(x, VectorExp.Of(x), Vector512.Exp(x), 512, differences);
            }
        }

        if (differences.Count > 0)
        {
            Console.WriteLine($"FAIL: GanCore's exponential differs from the runtime's in {differences.Count} of {compared} lanes, e.g. {string.Join("; ", differences.Examples)}.");
            return 1;
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"exp check: GanCore's exponential has the runtime's bits in all {compared} lanes ({values.Length} floats at 128 bits{(Vector256.IsHardwareAccelerated ? ", 256" : "")}{(Vector512.IsHardwareAccelerated ? ", 512" : "")})."));
        return 0;
    }

    /// <summary>How many lanes differed, and the first five.</summary>
    private sealed class Differences
    {
        public int Count { get; private set; }

        public List<string> Examples { get; } = [];

        public void Add(string example)
        {
            Count++;
            if (Examples.Count < 5)
            {
                Examples.Add(example);
            }
        }
    }

    private static int Compare<TV>(TV x, TV ours, TV runtime, int bits, Differences differences)
        where TV : struct
    {
        int lanes = bits / 32;
        Span<float> input = stackalloc float[lanes];
        Span<float> a = stackalloc float[lanes];
        Span<float> b = stackalloc float[lanes];
        System.Runtime.InteropServices.MemoryMarshal.Write(System.Runtime.InteropServices.MemoryMarshal.AsBytes(input), in x);
        System.Runtime.InteropServices.MemoryMarshal.Write(System.Runtime.InteropServices.MemoryMarshal.AsBytes(a), in ours);
        System.Runtime.InteropServices.MemoryMarshal.Write(System.Runtime.InteropServices.MemoryMarshal.AsBytes(b), in runtime);
        for (int l = 0; l < lanes; l++)
        {
            bool same = float.IsNaN(b[l]) ? float.IsNaN(a[l]) : BitConverter.SingleToUInt32Bits(a[l]) == BitConverter.SingleToUInt32Bits(b[l]);
            if (!same)
            {
                differences.Add(string.Create(CultureInfo.InvariantCulture, $"exp({input[l]:R}) at {bits} bits: {a[l]:R} against {b[l]:R}"));
            }
        }

        return lanes;
    }

    private static float[] Inputs()
    {
        var all = new List<float> { 0f, -0f, float.Epsilon, float.PositiveInfinity, float.NegativeInfinity, float.NaN, float.MaxValue, float.MinValue };
        for (long bits = 0; bits <= uint.MaxValue; bits += 4099)
        {
            all.Add(BitConverter.UInt32BitsToSingle((uint)bits));
        }

        foreach (float center in new[] { 88.72284f, -103.97208f, 87f, -87f })
        {
            uint c = BitConverter.SingleToUInt32Bits(center);
            for (int k = -3000; k <= 3000; k++)
            {
                all.Add(BitConverter.UInt32BitsToSingle((uint)(c + k)));
            }
        }

        while (all.Count % 16 != 0)
        {
            all.Add(1f);
        }

        return [.. all];
    }
}
