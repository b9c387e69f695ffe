using System.Globalization;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using GanCore.Kernels;

namespace StepWarmup;

/// <summary>
/// <c>StepWarmup --math-check</c> (once <c>--exp-check</c>): GanCore's own vector functions, as this build's image compiled
/// them, against the runtime's, bit for bit, at 128 bits and at 256 and 512 where the CPU runs them — the exponential
/// (<c>VectorExp</c>) over every 4099th float bit pattern and every float within 3,000 of the saturation thresholds and of
/// ±87; the logarithm (<c>VectorLogSingle</c>) and sine and cosine (<c>VectorSinCos</c>) over every 16411th bit pattern,
/// the Box–Muller block's u₁ and 2πu₂ for every 257th of their values, and every float within 1,000 of the thresholds
/// where they change path. The test suite checks the same on x86-64 at every leg; CI runs this on the Arm64 image under
/// qemu, where the tests do not run and the AdvSimd paths are the ones taken.
/// </summary>
internal static class MathCheck
{
    public static int Run()
    {
        var differences = new Differences();
        int compared = 0;
        float[] exp = ExpInputs();
        float[] log = LogInputs();
        float[] trig = SinCosInputs();
        compared += Check(exp, 4, (v, i) => Pair(VectorExp.Of(Load128(v, i)), Vector128.Exp(Load128(v, i))), "exp", differences);
        compared += Check(log, 4, (v, i) => Pair(VectorLogSingle.Of(Load128(v, i)), Vector128.Log(Load128(v, i))), "log", differences);
        compared += CheckSinCos(trig, 4, v => Split(VectorSinCos.Of(Vector128.Create(v))), v => Split(Vector128.SinCos(Vector128.Create(v))), differences);
        if (Vector256.IsHardwareAccelerated)
        {
            compared += Check(exp, 8, (v, i) => Pair(VectorExp.Of(Vector256.Create(v.AsSpan(i, 8))), Vector256.Exp(Vector256.Create(v.AsSpan(i, 8)))), "exp", differences);
            compared += Check(log, 8, (v, i) => Pair(VectorLogSingle.Of(Vector256.Create(v.AsSpan(i, 8))), Vector256.Log(Vector256.Create(v.AsSpan(i, 8)))), "log", differences);
            compared += CheckSinCos(trig, 8, v => Split(VectorSinCos.Of(Vector256.Create(v))), v => Split(Vector256.SinCos(Vector256.Create(v))), differences);
        }

        if (Vector512.IsHardwareAccelerated)
        {
            compared += Check(exp, 16, (v, i) => Pair(VectorExp.Of(Vector512.Create(v.AsSpan(i, 16))), Vector512.Exp(Vector512.Create(v.AsSpan(i, 16)))), "exp", differences);
            compared += Check(log, 16, (v, i) => Pair(VectorLogSingle.Of(Vector512.Create(v.AsSpan(i, 16))), Vector512.Log(Vector512.Create(v.AsSpan(i, 16)))), "log", differences);
            compared += CheckSinCos(trig, 16, v => Split(VectorSinCos.Of(Vector512.Create(v))), v => Split(Vector512.SinCos(Vector512.Create(v))), differences);
        }

        string widths = $"128 bits{(Vector256.IsHardwareAccelerated ? ", 256" : "")}{(Vector512.IsHardwareAccelerated ? ", 512" : "")}";
        if (differences.Count > 0)
        {
            Console.WriteLine($"FAIL: GanCore's vector functions differ from the runtime's in {differences.Count} of {compared} lanes ({widths}), e.g. {string.Join("; ", differences.Examples)}.");
            return 1;
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"math check: GanCore's exp, log, sin and cos have the runtime's bits in all {compared} lanes ({exp.Length}, {log.Length} and {trig.Length} floats at {widths})."));
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

    private static Vector128<float> Load128(float[] v, int i) => Vector128.Create(v.AsSpan(i, 4));

    private static (float[] Ours, float[] Runtime) Pair<TV>(TV ours, TV runtime)
        where TV : struct => (Lanes(ours), Lanes(runtime));

    private static (float[] Sin, float[] Cos) Split<TV>((TV Sin, TV Cos) r)
        where TV : struct => (Lanes(r.Sin), Lanes(r.Cos));

    private static float[] Lanes<TV>(TV v)
        where TV : struct
    {
        float[] lanes = new float[System.Runtime.CompilerServices.Unsafe.SizeOf<TV>() / sizeof(float)];
        MemoryMarshal.Write(MemoryMarshal.AsBytes(lanes.AsSpan()), in v);
        return lanes;
    }

    private static int Check(float[] values, int lanes, Func<float[], int, (float[] Ours, float[] Runtime)> run, string name, Differences differences)
    {
        int compared = 0;
        for (int i = 0; i + lanes <= values.Length; i += lanes)
        {
            (float[] ours, float[] runtime) = run(values, i);
            compared += Compare(values.AsSpan(i, lanes), ours, runtime, name, differences);
        }

        return compared;
    }

    /// <summary>A group with a lane at 5·10⁶ or beyond, ∞ or NaN is compared with <see cref="MathF.SinCos"/> lane by lane:
    /// the runtime's optimized code returns that there, its tier-0 code other bits (see the test suite's
    /// <c>VectorSinCosTests</c>).</summary>
    private static int CheckSinCos(float[] values, int lanes, Func<float[], (float[] Sin, float[] Cos)> ours, Func<float[], (float[] Sin, float[] Cos)> runtime, Differences differences)
    {
        int compared = 0;
        for (int i = 0; i + lanes <= values.Length; i += lanes)
        {
            float[] group = values[i..(i + lanes)];
            (float[] sin, float[] cos) = ours(group);
            (float[] sinReference, float[] cosReference) = runtime(group);
            if (group.Any(x => !(MathF.Abs(x) < 5_000_000f)))
            {
                for (int l = 0; l < lanes; l++)
                {
                    (sinReference[l], cosReference[l]) = MathF.SinCos(group[l]);
                }
            }

            compared += Compare(group, sin, sinReference, "sin", differences);
            compared += Compare(group, cos, cosReference, "cos", differences);
        }

        return compared;
    }

    private static int Compare(ReadOnlySpan<float> input, float[] ours, float[] reference, string name, Differences differences)
    {
        for (int l = 0; l < input.Length; l++)
        {
            bool same = float.IsNaN(reference[l]) ? float.IsNaN(ours[l]) : BitConverter.SingleToUInt32Bits(ours[l]) == BitConverter.SingleToUInt32Bits(reference[l]);
            if (!same)
            {
                differences.Add(string.Create(CultureInfo.InvariantCulture, $"{name}({input[l]:R}) at {input.Length * 32} bits: {ours[l]:R} against {reference[l]:R}"));
            }
        }

        return input.Length;
    }

    private static float[] ExpInputs()
    {
        var all = new List<float> { 0f, -0f, float.Epsilon, float.PositiveInfinity, float.NegativeInfinity, float.NaN, float.MaxValue, float.MinValue };
        AddBitPatterns(all, 4099);
        foreach (float center in new[] { 88.72284f, -103.97208f, 87f, -87f })
        {
            AddAround(all, BitConverter.SingleToUInt32Bits(center), 3000);
        }

        return Padded(all);
    }

    private static float[] LogInputs()
    {
        var all = new List<float> { 0f, -0f, float.Epsilon, float.PositiveInfinity, float.NegativeInfinity, float.NaN, float.MaxValue, 1f };
        AddBitPatterns(all, 16411);
        foreach (uint center in new uint[] { 0x3F80_0000, 0x3F2A_AAAB, 0x0080_0000 })
        {
            AddAround(all, center, 1000);
        }

        for (long k = 1; k <= 1L << 32; k += 257L << 8)
        {
            all.Add(k * (1f / 4294967296f)); // u₁
        }

        return Padded(all);
    }

    private static float[] SinCosInputs()
    {
        var all = new List<float> { 0f, -0f, float.Epsilon, float.PositiveInfinity, float.NegativeInfinity, float.NaN, float.MaxValue, float.MinValue };
        AddBitPatterns(all, 16411);
        foreach (uint center in new uint[] { 0x3F49_0FDB, 0x3C00_0000, 0x3900_0000, 0x4A98_9680, 0xBF49_0FDB, 0xBC00_0000 })
        {
            AddAround(all, center, 1000);
        }

        for (int k = 0; k < 1 << 24; k += 257)
        {
            all.Add(2f * MathF.PI * (k * (1f / (1 << 24)))); // 2πu₂
        }

        return Padded(all);
    }

    private static void AddBitPatterns(List<float> all, int step)
    {
        for (long bits = 0; bits <= uint.MaxValue; bits += step)
        {
            all.Add(BitConverter.UInt32BitsToSingle((uint)bits));
        }
    }

    private static void AddAround(List<float> all, uint center, int count)
    {
        for (int k = -count; k <= count; k++)
        {
            all.Add(BitConverter.UInt32BitsToSingle((uint)(center + k)));
        }
    }

    private static float[] Padded(List<float> all)
    {
        while (all.Count % 16 != 0)
        {
            all.Add(1f);
        }

        return [.. all];
    }
}
