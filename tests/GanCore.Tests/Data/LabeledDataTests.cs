using GanCore.Data;
using GanCore.Randomness;
using GanCore.Tensors;

namespace GanCore.Tests.Data;

/// <summary>Splitting a label column off a table, and stratified train/validation splits.</summary>
public sealed class LabeledDataTests
{
    [Fact]
    public void SplitLabels_takes_the_label_column_out_and_keeps_the_others_in_order()
    {
        CsvTable t = CsvReader.Parse("a,label,b\n1,2,3\n4,0,6\n7,2,9\n");
        LabeledData d = t.SplitLabels(1);
        d.Features.ToArray().Should().BeEquivalentTo(new float[,] { { 1, 3 }, { 4, 6 }, { 7, 9 } });
        d.Labels.ToArray().Should().BeEquivalentTo(new float[,] { { 2 }, { 0 }, { 2 } });
        d.FeatureNames.Should().Equal("a", "b");
        d.ClassCount.Should().Be(3);
        d.ClassSizes.Should().Equal(1, 0, 2);
        d.Count.Should().Be(3);

        LabeledData last = t.SplitLabels(-1);
        last.Labels.ToArray().Should().BeEquivalentTo(new float[,] { { 3 }, { 6 }, { 9 } });
        last.FeatureNames.Should().Equal("a", "label");
        t.SplitLabels(0).Features.ToArray().Should().BeEquivalentTo(new float[,] { { 2, 3 }, { 0, 6 }, { 2, 9 } });
    }

    [Theory]
    [InlineData("x,y\n1,0\n2,1.5\n", 3, "1.5")]
    [InlineData("x,y\n1,0\n2,-1\n", 3, "-1")]
    [InlineData("x,y\n1,0\n2,1e6\n", 3, "1000000")]
    public void A_label_that_is_not_a_class_id_is_an_error_naming_line_column_and_value(string text, int line, string value)
    {
        CsvFormatException e = Assert.Throws<CsvFormatException>(() => CsvReader.Parse(text).SplitLabels(1));
        e.Line.Should().Be(line);
        e.Column.Should().Be(2);
        e.Message.Should().Contain($"line {line}, column 2").And.Contain($"('y') is {value}").And.Contain("integer class ids");
    }

    [Fact]
    public void SplitLabels_rejects_a_column_outside_the_table_and_a_single_column_table()
    {
        CsvTable t = CsvReader.Parse("1,2\n");
        Assert.Throws<ArgumentOutOfRangeException>(() => t.SplitLabels(2)).ParamName.Should().Be("labelColumn");
        Assert.Throws<ArgumentOutOfRangeException>(() => t.SplitLabels(-2)).ParamName.Should().Be("labelColumn");
        Assert.Throws<ArgumentException>(() => CsvReader.Parse("1\n2\n").SplitLabels(0)).Message.Should().Contain("single column");
    }

    [Fact]
    public void The_constructor_checks_shapes_values_and_labels()
    {
        Assert.Throws<ArgumentNullException>(() => new LabeledData(null!, new Matrix(1, 1))).ParamName.Should().Be("features");
        Assert.Throws<ArgumentNullException>(() => new LabeledData(new Matrix(1, 1), null!)).ParamName.Should().Be("labels");
        Assert.Throws<ArgumentException>(() => new LabeledData(new Matrix(0, 2), new Matrix(0, 1))).ParamName.Should().Be("features");
        Assert.Throws<ArgumentException>(() => new LabeledData(new Matrix(3, 2), new Matrix(2, 1))).ParamName.Should().Be("labels");
        Assert.Throws<ArgumentException>(() => new LabeledData(new Matrix(3, 2), new Matrix(3, 2))).ParamName.Should().Be("labels");
        Assert.Throws<ArgumentException>(() => new LabeledData(new Matrix(3, 2), new Matrix(3, 1), ["a"])).ParamName.Should().Be("featureNames");
        var features = new Matrix(3, 2);
        features[1, 1] = float.PositiveInfinity;
        Assert.Throws<ArgumentException>(() => new LabeledData(features, new Matrix(3, 1))).Message.Should().Contain("features[1, 1] is Infinity");
        var labels = new Matrix(3, 1);
        labels[2, 0] = 0.5f;
        ArgumentException e = Assert.Throws<ArgumentException>(() => new LabeledData(new Matrix(3, 2), labels));
        e.ParamName.Should().Be("labels");
        e.Message.Should().Contain("labels[2, 0] is 0.5");
        labels[2, 0] = float.NaN;
        Assert.Throws<ArgumentException>(() => new LabeledData(new Matrix(3, 2), labels)).Message.Should().Contain("labels[2, 0] is NaN");
    }

    [Fact]
    public void Split_is_stratified_disjoint_complete_and_reproducible()
    {
        LabeledData d = Classes(sizes: [100, 50, 10]);
        (LabeledData train, LabeledData validation) = d.Split(0.2, new RandomSource(3));
        validation.ClassSizes.Should().Equal(20, 10, 2);
        train.ClassSizes.Should().Equal(80, 40, 8);

        // Feature 0 holds the original row index: the two parts are disjoint, cover everything, keep the order.
        float[] trainIds = Column0(train);
        float[] validationIds = Column0(validation);
        trainIds.Concat(validationIds).Order().Should().Equal(Enumerable.Range(0, d.Count).Select(i => (float)i));
        trainIds.Should().BeInAscendingOrder();
        validationIds.Should().BeInAscendingOrder();
        for (int i = 0; i < train.Count; i++)
        {
            train.Labels[i, 0].Should().Be(d.Labels[(int)trainIds[i], 0]);
        }

        Column0(d.Split(0.2, new RandomSource(3)).Validation).Should().Equal(validationIds);
        Column0(d.Split(0.2, new RandomSource(4)).Validation).Should().NotEqual(validationIds);
    }

    [Fact]
    public void Split_rejects_fractions_that_leave_a_part_empty()
    {
        LabeledData d = Classes(sizes: [2, 1]);
        Assert.Throws<ArgumentOutOfRangeException>(() => d.Split(0, new RandomSource(1))).ParamName.Should().Be("validationFraction");
        Assert.Throws<ArgumentOutOfRangeException>(() => d.Split(1, new RandomSource(1))).ParamName.Should().Be("validationFraction");
        Assert.Throws<ArgumentOutOfRangeException>(() => d.Split(double.NaN, new RandomSource(1))).ParamName.Should().Be("validationFraction");
        Assert.Throws<ArgumentOutOfRangeException>(() => d.Split(0.1, new RandomSource(1))).Message.Should().Contain("no validation");
        Assert.Throws<ArgumentOutOfRangeException>(() => d.Split(0.9, new RandomSource(1))).Message.Should().Contain("no training");
        Assert.Throws<ArgumentNullException>(() => d.Split(0.5, null!)).ParamName.Should().Be("random");
    }

    private static LabeledData Classes(int[] sizes)
    {
        int n = sizes.Sum();
        var features = new Matrix(n, 2);
        var labels = new Matrix(n, 1);
        var order = Enumerable.Range(0, sizes.Length).SelectMany(c => Enumerable.Repeat(c, sizes[c])).ToArray();
        new RandomSource(9).Shuffle(order.AsSpan()); // classes interleaved
        for (int i = 0; i < n; i++)
        {
            features[i, 0] = i;
            labels[i, 0] = order[i];
        }

        return new LabeledData(features, labels);
    }

    private static float[] Column0(LabeledData d) => Enumerable.Range(0, d.Count).Select(i => d.Features[i, 0]).ToArray();
}
