using System.Runtime.Intrinsics;
using GanCore.Kernels;

namespace GanCore.Tests.Kernels;

/// <summary>Every kernel's last, partial vector goes through <c>ISimd.LoadMasked</c> and <c>StoreMasked</c>. Without
/// AVX-512 the 256- and 128-bit stores count the mask's lanes and write them as plain stores of four, two and one floats
/// (AVX's <c>vmaskmovps</c> store is microcoded on AMD), so every count must write exactly its lanes: the right values,
/// in the right places, and not one float past them.</summary>
public sealed class SimdMaskedStoreTests
{
    [Fact]
    public void StoreMasked_writes_exactly_the_lanes_of_a_CreateMask_mask_at_every_width_and_count()
    {
        SimdWidthsUnderTest.RunAll(default(MaskedStoreCheck));
    }

    [Fact]
    public unsafe void The_plain_store_forms_write_exactly_the_first_count_lanes_for_every_count()
    {
        // The forms StoreMasked takes on a CPU without AVX-512; called directly, so the lanes are checked on every host
        // (the CI leg with AVX-512 off runs them through StoreMasked as well; the scalar leg checks the float-by-float form).
        for (int count = 0; count <= 8; count++)
        {
            float[] buffer = Sentinels(16);
            fixed (float* d = buffer)
            {
                Simd256.StorePrefix(d + 4, Vector256.Create(1f, 2f, 3f, 4f, 5f, 6f, 7f, 8f), count);
            }

            ExpectWritten(buffer, 4, count, "Simd256.StorePrefix");
        }

        for (int count = 0; count <= 4; count++)
        {
            float[] buffer = Sentinels(12);
            fixed (float* d = buffer)
            {
                Simd128.StorePrefix(d + 4, Vector128.Create(1f, 2f, 3f, 4f), count);
            }

            ExpectWritten(buffer, 4, count, "Simd128.StorePrefix");
        }
    }

    /// <summary>A buffer of NaNs with distinct payloads, none of which a store of 1..8 can produce.</summary>
    private static float[] Sentinels(int length)
    {
        var buffer = new float[length];
        for (int i = 0; i < length; i++)
        {
            buffer[i] = BitConverter.Int32BitsToSingle(0x7FC00100 + i);
        }

        return buffer;
    }

    /// <summary>buffer[offset + l] = l + 1 for l in [0, count); every other float still its sentinel, bit for bit.</summary>
    private static void ExpectWritten(float[] buffer, int offset, int count, string what)
    {
        for (int i = 0; i < buffer.Length; i++)
        {
            int lane = i - offset;
            int expected = lane >= 0 && lane < count
                ? BitConverter.SingleToInt32Bits(lane + 1f)
                : 0x7FC00100 + i;
            BitConverter.SingleToInt32Bits(buffer[i]).Should().Be(expected, "{0}, count {1}, float {2}", what, count, i);
        }
    }

    private readonly struct MaskedStoreCheck : ISimdCheck
    {
        public unsafe void Run<TS, TV>(int seed)
            where TS : ISimd<TV>
            where TV : struct
        {
            int w = TS.Count;
            float[] source = new float[w];
            for (int l = 0; l < w; l++)
            {
                source[l] = l + 1f;
            }

            for (int count = 1; count <= w; count++)
            {
                TV mask = TS.CreateMask(count);
                float[] buffer = Sentinels(w + 8);
                fixed (float* s = source)
                fixed (float* d = buffer)
                {
                    // The load reads only the masked lanes (its others are 0), and the store writes them 3 floats in.
                    TV loaded = TS.LoadMasked(s, mask);
                    TS.StoreMasked(d + 3, loaded, mask);
                }

                ExpectWritten(buffer, 3, count, $"{typeof(TS).Name}.StoreMasked");

                // The lanes past the mask were loaded as 0: a whole store shows them.
                float[] whole = new float[w];
                fixed (float* s = source)
                {
                    TV loaded = TS.LoadMasked(s, mask);
                    TS.Store(loaded, ref whole[0], 0);
                }

                for (int l = 0; l < w; l++)
                {
                    whole[l].Should().Be(l < count ? l + 1f : 0f, "{0}.LoadMasked, count {1}, lane {2}", typeof(TS).Name, count, l);
                }
            }
        }
    }
}
