using GanCore.Kernels;

namespace GanCore.Tests.Kernels;

/// <summary>GanCore's own float overlap check against the framework's <see cref="MemoryExtensions.Overlaps{T}(ReadOnlySpan{T}, ReadOnlySpan{T}, out int)"/>.</summary>
public class SpanOverlapTests
{
    [Fact]
    public void Every_pair_of_slices_of_one_array_gets_the_framework_answer_and_offset()
    {
        var storage = new float[40];
        int pairs = 0;
        int overlapping = 0;
        for (int startA = 0; startA < 20; startA++)
        {
            for (int lengthA = 0; lengthA <= 12; lengthA++)
            {
                for (int startB = 0; startB < 20; startB++)
                {
                    for (int lengthB = 0; lengthB <= 12; lengthB++)
                    {
                        ReadOnlySpan<float> a = storage.AsSpan(startA, lengthA);
                        ReadOnlySpan<float> b = storage.AsSpan(startB, lengthB);
                        bool expected = a.Overlaps(b, out int expectedOffset);
                        bool actual = SpanOverlap.Any(a, b, out int offset);
                        actual.Should().Be(expected, "a = [{0}, +{1}), b = [{2}, +{3})", startA, lengthA, startB, lengthB);
                        SpanOverlap.Any(a, b).Should().Be(expected);
                        if (expected)
                        {
                            offset.Should().Be(expectedOffset, "a = [{0}, +{1}), b = [{2}, +{3})", startA, lengthA, startB, lengthB);
                            overlapping++;
                        }
                        else
                        {
                            offset.Should().Be(0);
                        }

                        pairs++;
                    }
                }
            }
        }

        pairs.Should().Be(20 * 13 * 20 * 13);
        overlapping.Should().BeGreaterThan(pairs / 4, "the cases must include many overlaps, at negative and positive offsets");
    }

    [Fact]
    public void Spans_of_different_arrays_never_overlap()
    {
        var first = new float[16];
        var second = new float[16];
        SpanOverlap.Any(first, second).Should().BeFalse();
        SpanOverlap.Any(second, first).Should().BeFalse();
        SpanOverlap.Any(first, first).Should().BeTrue();
        SpanOverlap.Any(first.AsSpan(3, 1), first.AsSpan(3, 1), out int offset).Should().BeTrue();
        offset.Should().Be(0);
    }
}
