using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using GanCore.Kernels;

namespace GanCore.Tests.Kernels;

/// <summary><c>VectorSinCos</c> is the runtime's vectorized float SinCos written in this assembly (so the Box–Muller block
/// is precompiled): at every width this process accelerates, each lane of both results must have the runtime's bits
/// (NaN for NaN), on the legs with FMA and on those without it, and at 256 bits on AVX without AVX2. The runtime picks
/// its path for the whole vector (all lanes within π/4, all below 2⁻⁷, any at 5·10⁶ or beyond), so the inputs come in
/// groups that take each path and groups that mix lanes of every size.</summary>
public sealed class VectorSinCosTests
{
    [Fact]
    public void Every_width_gives_the_bits_of_the_runtime_SinCos_on_every_path()
    {
        float[] values = Inputs();
        int compared = 0;
        if (Vector512.IsHardwareAccelerated)
        {
            compared += CompareBoth(
                values,
                16,
                16,
                (v, i) => Both(VectorSinCos.Of(Vector512.Create(v.AsSpan(i, 16)))),
                (v, i) => Both(Vector512.SinCos(Vector512.Create(v.AsSpan(i, 16)))));
        }

        // On AVX without AVX2 both split a 256-bit vector into halves; under DOTNET_PreferredVectorBitWidth=128 on an AVX2
        // CPU only the runtime does (VectorSinCos's summary), so that leg compares 128 bits alone.
        if (Vector256.IsHardwareAccelerated || (Avx.IsSupported && !Avx2.IsSupported))
        {
            compared += CompareBoth(
                values,
                8,
                Avx2.IsSupported ? 8 : 4,
                (v, i) => Both(VectorSinCos.Of(Vector256.Create(v.AsSpan(i, 8)))),
                (v, i) => Both(Vector256.SinCos(Vector256.Create(v.AsSpan(i, 8)))));
        }

        compared += CompareBoth(
            values,
            4,
            4,
            (v, i) => Both(VectorSinCos.Of(Vector128.Create(v.AsSpan(i, 4)))),
            (v, i) => Both(Vector128.SinCos(Vector128.Create(v.AsSpan(i, 4)))));

        compared.Should().BeGreaterThanOrEqualTo(2 * values.Length, "the 128-bit width runs on every leg");
    }

    [Fact]
    public void Is_within_two_ulps_of_the_double_functions_and_gives_x_and_one_for_tiny_lanes()
    {
        var rng = new Random(13);
        for (int i = 0; i < 20_000; i++)
        {
            // A vector of lanes of mixed sizes, |x| up to 10⁴, so every group takes the reduced path.
            var lanes = new float[4];
            for (int l = 0; l < 4; l++)
            {
                lanes[l] = (float)((rng.NextDouble() - 0.5) * Math.Pow(10, (rng.NextDouble() * 6) - 2) * 2);
            }

            (Vector128<float> sin, Vector128<float> cos) = VectorSinCos.Of(Vector128.Create(lanes));
            for (int l = 0; l < 4; l++)
            {
                Close(sin.GetElement(l), Math.Sin(lanes[l]), "sin", lanes[l]);
                Close(cos.GetElement(l), Math.Cos(lanes[l]), "cos", lanes[l]);
            }
        }

        (Vector128<float> s, Vector128<float> c) = VectorSinCos.Of(Vector128.Create(1e-9f, -1e-9f, 0f, -0f));
        RuntimeMathBits.Lanes(s).Should().Equal(1e-9f, -1e-9f, 0f, -0f);
        BitConverter.SingleToUInt32Bits(s.GetElement(3)).Should().Be(0x8000_0000u, "sin(−0) is −0");
        RuntimeMathBits.Lanes(c).Should().Equal(1f, 1f, 1f, 1f);

        static void Close(float value, double exact, string name, float x)
        {
            float rounded = (float)exact;
            float ulp = MathF.BitIncrement(MathF.Abs(rounded)) - MathF.Abs(rounded);
            Math.Abs(value - exact).Should().BeLessThanOrEqualTo(2 * ulp, "{0}({1:R})", name, x);
        }
    }

    [Fact]
    public void For_every_angle_a_Box_Muller_block_draws_the_short_path_gives_the_reduced_paths_floats()
    {
        // FillGaussianVectorized promises the same values at every width, yet the runtime's method (and so this one) picks
        // its path per vector: a 128-bit group whose four 2πu₂ all lie within π/4 (one in 4,096) takes the short path,
        // the same lanes in a 512-bit group the reduced one. For every u₂ = k/2²⁴ with 2πu₂ ≤ π/4 both give the same
        // floats. Only the float-only path for groups entirely below 2⁻⁷ differs, in 9 of the 20,861 k there: all four
        // lanes below 2⁻⁷ is a chance of 2·10⁻¹² a group, and then one of those k a further 4·10⁻⁴ a lane.
        int checkedAngles = 0;
        var tinyDifferences = new List<int>();
        for (int k = 0; 2f * MathF.PI * (k * (1f / (1 << 24))) <= MathF.PI / 4; k++)
        {
            float x = 2f * MathF.PI * (k * (1f / (1 << 24)));
            (Vector128<float> sinReduced, Vector128<float> cosReduced) = VectorSinCos.Of(Vector128.Create(x, 3f, 3f, 3f));
            (Vector128<float> sinShort, Vector128<float> cosShort) = VectorSinCos.Of(Vector128.Create(x, 0.5f, 0.5f, 0.5f));
            BitConverter.SingleToUInt32Bits(sinShort.GetElement(0)).Should().Be(BitConverter.SingleToUInt32Bits(sinReduced.GetElement(0)), "sin at k = {0}", k);
            BitConverter.SingleToUInt32Bits(cosShort.GetElement(0)).Should().Be(BitConverter.SingleToUInt32Bits(cosReduced.GetElement(0)), "cos at k = {0}", k);
            (Vector128<float> sinAlone, Vector128<float> cosAlone) = VectorSinCos.Of(Vector128.Create(x));
            if (sinAlone.GetElement(0) != sinReduced.GetElement(0) || cosAlone.GetElement(0) != cosReduced.GetElement(0))
            {
                tinyDifferences.Add(k);
            }

            checkedAngles++;
        }

        checkedAngles.Should().Be((1 << 21) + 1, "2πk/2²⁴ ≤ π/4 for k ≤ 2²¹");
        tinyDifferences.Where(k => 2f * MathF.PI * (k * (1f / (1 << 24))) >= 1f / 128).Should().BeEmpty("only the float-only path below 2⁻⁷ may differ");
        tinyDifferences.Count.Should().BeLessThan(20, "the float-only path is as accurate as the reduced one but for rounding");
    }

    private static (float[] Sin, float[] Cos) Both((Vector512<float> Sin, Vector512<float> Cos) r) => (RuntimeMathBits.Lanes(r.Sin), RuntimeMathBits.Lanes(r.Cos));

    private static (float[] Sin, float[] Cos) Both((Vector256<float> Sin, Vector256<float> Cos) r) => (RuntimeMathBits.Lanes(r.Sin), RuntimeMathBits.Lanes(r.Cos));

    private static (float[] Sin, float[] Cos) Both((Vector128<float> Sin, Vector128<float> Cos) r) => (RuntimeMathBits.Lanes(r.Sin), RuntimeMathBits.Lanes(r.Cos));

    /// <summary>Compares sines and cosines group by group. Lanes that choose their path together (a group, or its 128-bit
    /// halves where the CPU has AVX but not AVX2) with one at 5·10⁶ or beyond, ∞ or NaN are compared with
    /// <see cref="MathF.SinCos"/> lane by lane, which is what the runtime's optimized code returns for it: its
    /// tier-0 code (the first calls of a process, before the JIT optimizes it) gives other bits there, so the runtime's
    /// own answer is not a fixed reference on that path.</summary>
    private static int CompareBoth(
        float[] values,
        int lanes,
        int lanesChoosingTogether,
        Func<float[], int, (float[] Sin, float[] Cos)> ours,
        Func<float[], int, (float[] Sin, float[] Cos)> runtime)
    {
        var results = new Dictionary<int, ((float[] Sin, float[] Cos) Ours, (float[] Sin, float[] Cos) Reference)>();
        (float[] Sin, float[] Cos) Reference(float[] v, int i)
        {
            (float[] Sin, float[] Cos) reference = runtime(v, i);
            for (int part = 0; part < lanes; part += lanesChoosingTogether)
            {
                bool laneByLane = false;
                for (int l = part; l < part + lanesChoosingTogether; l++)
                {
                    laneByLane |= !(MathF.Abs(v[i + l]) < 5_000_000f); // NaN too
                }

                for (int l = part; laneByLane && l < part + lanesChoosingTogether; l++)
                {
                    (reference.Sin[l], reference.Cos[l]) = MathF.SinCos(v[i + l]);
                }
            }

            return reference;
        }

        int compared = RuntimeMathBits.Compare("sin", values, lanes, (v, i) =>
        {
            results[i] = (ours(v, i), Reference(v, i));
            return (results[i].Ours.Sin, results[i].Reference.Sin);
        });
        return compared + RuntimeMathBits.Compare("cos", values, lanes, (_, i) => (results[i].Ours.Cos, results[i].Reference.Cos));
    }

    /// <summary>Every 2039th bit pattern over all 2³² (neighbours of one size: groups of every path, the huge, infinite
    /// and NaN ones lane by lane); every float within 5,000 of π/4, 2⁻⁷, 2⁻¹³ and 5·10⁶, both signs (groups that
    /// straddle each threshold); 200 floats around each of n·π/2 for 1,000 n up to 10⁶ (where the reduction cancels
    /// most); the Box–Muller block's 2π·u₂ for every 29th of the 2²⁴ u₂; and 100,000 lanes of random sign and size
    /// (2⁻⁴⁰ to 2²⁴), so most groups mix paths lane by lane.</summary>
    private static float[] Inputs()
    {
        var all = new List<float> { 0f, -0f, float.Epsilon, float.PositiveInfinity, float.NegativeInfinity, float.NaN, float.MaxValue, float.MinValue };
        for (long bits = 0; bits <= uint.MaxValue; bits += 2039)
        {
            all.Add(BitConverter.UInt32BitsToSingle((uint)bits));
        }

        foreach (uint center in new uint[] { 0x3F49_0FDB, 0x3C00_0000, 0x3900_0000, 0x4A98_9680 })
        {
            for (int k = -5_000; k <= 5_000; k++)
            {
                all.Add(BitConverter.UInt32BitsToSingle((uint)(center + k)));
                all.Add(-BitConverter.UInt32BitsToSingle((uint)(center + k)));
            }
        }

        for (int n = 1; n <= 1_000_000; n += 1000)
        {
            uint c = BitConverter.SingleToUInt32Bits((float)(n * Math.PI / 2));
            for (int k = -100; k < 100; k++)
            {
                all.Add(BitConverter.UInt32BitsToSingle((uint)(c + k)));
            }
        }

        for (int k = 0; k < 1 << 24; k += 29)
        {
            all.Add(2f * MathF.PI * (k * (1f / (1 << 24))));
        }

        var rng = new Random(14);
        for (int i = 0; i < 100_000; i++)
        {
            all.Add((rng.Next(2) == 0 ? 1 : -1) * MathF.ScaleB(1f + rng.NextSingle(), rng.Next(-40, 24)));
        }

        while (all.Count % 16 != 0)
        {
            all.Add(1f);
        }

        return [.. all];
    }
}
