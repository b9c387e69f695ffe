using System.Globalization;
using System.Text;
using GanCore.Data;
using GanCore.Tensors;

namespace GanCore.Tests.Data;

/// <summary>CsvReader: numbers in, a Matrix out; every kind of bad input names its line (and column).</summary>
public sealed class CsvReaderTests
{
    private static float[,] Values(CsvTable t) => t.Values.ToArray();

    [Fact]
    public void Reads_a_table_with_a_header_detected_automatically()
    {
        CsvTable t = CsvReader.Parse("x, y ,label\n1.5,-2e-3,0\n3,4.25,1\n");
        t.ColumnNames.Should().Equal("x", "y", "label");
        Values(t).Should().BeEquivalentTo(new float[,] { { 1.5f, -2e-3f, 0f }, { 3f, 4.25f, 1f } });
        t.LineOf(0).Should().Be(2);
        t.LineOf(1).Should().Be(3);
        t.Source.Should().Be("CSV text");
    }

    [Fact]
    public void Reads_a_table_without_a_header_detected_automatically()
    {
        CsvTable t = CsvReader.Parse("1,2\n3,4");
        t.ColumnNames.Should().BeNull();
        Values(t).Should().BeEquivalentTo(new float[,] { { 1f, 2f }, { 3f, 4f } });
    }

    [Fact]
    public void A_numeric_header_is_read_as_data_unless_the_header_is_declared_present()
    {
        CsvReader.Parse("1,2\n3,4").Rows.Should().Be(2);
        CsvTable t = CsvReader.Parse("1,2\n3,4", new CsvOptions { Header = CsvHeader.Present });
        t.Rows.Should().Be(1);
        t.ColumnNames.Should().Equal("1", "2");
    }

    [Fact]
    public void With_the_header_declared_absent_a_text_first_line_is_an_error_naming_line_and_column()
    {
        CsvFormatException e = Assert.Throws<CsvFormatException>(() => CsvReader.Parse("a,b\n1,2", new CsvOptions { Header = CsvHeader.Absent }));
        e.Line.Should().Be(1);
        e.Column.Should().Be(1);
        e.Message.Should().Contain("line 1, column 1").And.Contain("'a' is not a number").And.Contain("Absent");
    }

    [Fact]
    public void Blank_lines_are_skipped_and_line_numbers_stay_physical()
    {
        CsvTable t = CsvReader.Parse("\n\na,b\r\n\r\n1,2\r\n   \r\n3,4\r\n\r\n");
        t.Rows.Should().Be(2);
        t.LineOf(0).Should().Be(5);
        t.LineOf(1).Should().Be(7);
        CsvFormatException e = Assert.Throws<CsvFormatException>(() => CsvReader.Parse("\n\na,b\n\n1,2\n\n3,x\n"));
        e.Line.Should().Be(7);
        e.Column.Should().Be(2);
    }

    [Theory]
    [InlineData(';')]
    [InlineData('\t')]
    [InlineData('|')]
    public void Other_delimiters(char delimiter)
    {
        string text = string.Join('\n', new[] { "a b", "1.25", "-3" }.Select((_, i) => i == 0 ? $"p{delimiter}q" : $"{i}{delimiter} {i * 0.5} "));
        CsvTable t = CsvReader.Parse(text, new CsvOptions { Delimiter = delimiter });
        t.ColumnNames.Should().Equal("p", "q");
        Values(t).Should().BeEquivalentTo(new float[,] { { 1f, 0.5f }, { 2f, 1f } });
    }

    [Fact]
    public void A_semicolon_file_read_with_the_comma_default_gives_a_clear_error()
    {
        CsvFormatException e = Assert.Throws<CsvFormatException>(() => CsvReader.Parse("1;2\n3;4", new CsvOptions { Header = CsvHeader.Absent }));
        e.Message.Should().Contain("'1;2' is not a number").And.Contain("is the delimiter ';' rather than ','?");
        Assert.Throws<CsvFormatException>(() => CsvReader.Parse("a\tb\n1\t2")).Message.Should().Contain("is the delimiter '\\t'");
        Assert.Throws<CsvFormatException>(() => CsvReader.Parse("1,2\n3,x")).Message.Should().NotContain("delimiter", "a table with several columns needs no hint");
    }

    [Fact]
    public void Numbers_are_read_in_the_invariant_culture_whatever_the_current_culture()
    {
        CultureInfo saved = CultureInfo.CurrentCulture;
        try
        {
            // A German-style culture built by hand (the tests run in globalization-invariant mode, without "de-DE").
            var german = (CultureInfo)CultureInfo.InvariantCulture.Clone();
            german.NumberFormat.NumberDecimalSeparator = ",";
            german.NumberFormat.NumberGroupSeparator = ".";
            CultureInfo.CurrentCulture = german;
            float.Parse("0,5", CultureInfo.CurrentCulture).Should().Be(0.5f, "the culture really reads a decimal comma");
            Values(CsvReader.Parse("0.5;1e3", new CsvOptions { Delimiter = ';' })).Should().BeEquivalentTo(new float[,] { { 0.5f, 1000f } });
            CsvFormatException e = Assert.Throws<CsvFormatException>(() => CsvReader.Parse("x;y\n0,5;1", new CsvOptions { Delimiter = ';' }));
            e.Message.Should().Contain("line 2, column 1").And.Contain("'0,5'");
        }
        finally
        {
            CultureInfo.CurrentCulture = saved;
        }
    }

    [Fact]
    public void Quoted_cells_are_unquoted()
    {
        CsvTable t = CsvReader.Parse("\"sepal, length\",\"say \"\"hi\"\"\"\n\"1.5\", \" 2 \" \n");
        t.ColumnNames.Should().Equal("sepal, length", "say \"hi\"");
        Values(t).Should().BeEquivalentTo(new float[,] { { 1.5f, 2f } });
    }

    [Theory]
    [InlineData("a,b\n1,\"2\n", 2, 2, "not closed")]
    [InlineData("a,b\n1,\"2\"x\n", 2, 2, "after the closing quote")]
    [InlineData("a,b\n1,\"2\"\"\"\n", 2, 2, "is not a number")]
    public void Bad_quoting_is_an_error_naming_line_and_column(string text, int line, int column, string problem)
    {
        CsvFormatException e = Assert.Throws<CsvFormatException>(() => CsvReader.Parse(text));
        (e.Line, e.Column).Should().Be((line, column));
        e.Message.Should().Contain(problem);
    }

    [Theory]
    [InlineData("a,b,c\n1,2,3\n4,five,6\n", 3, 2, "'five' is not a number")]
    [InlineData("1,2,3\n4,,6\n", 2, 2, "the cell is empty")]
    [InlineData("1,2,3\n4,5,\n", 2, 3, "the cell is empty")]
    [InlineData("1,2,3\n4,NaN,6\n", 2, 2, "not a finite float32")]
    [InlineData("1,2,3\n4,5,Infinity\n", 2, 3, "not a finite float32")]
    [InlineData("1,2,3\n4,5,1e39\n", 2, 3, "not a finite float32")]
    [InlineData("1,2,3\n4,1 000,6\n", 2, 2, "'1 000' is not a number")]
    [InlineData("1,2,3\n4,0x10,6\n", 2, 2, "'0x10' is not a number")]
    public void A_cell_that_is_not_a_number_is_an_error_naming_line_and_column(string text, int line, int column, string problem)
    {
        CsvFormatException e = Assert.Throws<CsvFormatException>(() => CsvReader.Parse(text));
        e.Line.Should().Be(line);
        e.Column.Should().Be(column);
        e.Message.Should().Contain($"line {line}, column {column}").And.Contain(problem);
    }

    [Theory]
    [InlineData("a,b,c\n1,2,3\n4,5\n", 3, 2, 3)]
    [InlineData("1,2\n3,4\n5,6,7\n", 3, 3, 2)]
    [InlineData("a,b\n1,2,\n", 2, 3, 2)]
    public void A_ragged_row_is_an_error_naming_the_line(string text, int line, int cells, int width)
    {
        CsvFormatException e = Assert.Throws<CsvFormatException>(() => CsvReader.Parse(text));
        e.Line.Should().Be(line);
        e.Column.Should().BeNull();
        e.Message.Should().Contain($"line {line}:").And.Contain($"{cells} cells but the table has {width}");
    }

    [Theory]
    [InlineData("")]
    [InlineData("\n\n   \n")]
    public void An_empty_file_is_a_clear_error(string text)
    {
        CsvFormatException e = Assert.Throws<CsvFormatException>(() => CsvReader.Parse(text));
        e.Line.Should().Be(0);
        e.Message.Should().Contain("empty");
    }

    [Fact]
    public void A_header_without_data_is_a_clear_error()
    {
        CsvFormatException e = Assert.Throws<CsvFormatException>(() => CsvReader.Parse("x,y\n\n"));
        e.Message.Should().Contain("header (line 1) but no data rows");
    }

    [Fact]
    public void ReadFile_names_the_file_and_handles_a_byte_order_mark()
    {
        string path = Path.Combine(Path.GetTempPath(), $"gancore-csv-{Guid.NewGuid():N}.csv");
        try
        {
            File.WriteAllText(path, "x,y\n1,2\n3,oops\n", new UTF8Encoding(encoderShouldEmitUTF8Identifier: true));
            CsvFormatException e = Assert.Throws<CsvFormatException>(() => CsvReader.ReadFile(path));
            e.Message.Should().StartWith($"{path}, line 3, column 2:");
            e.DataSource.Should().Be(path);
            File.WriteAllText(path, "x,y\n1,2\n", new UTF8Encoding(encoderShouldEmitUTF8Identifier: true));
            CsvTable t = CsvReader.ReadFile(path);
            t.ColumnNames.Should().Equal("x", "y"); // the BOM is not part of the first name
            t.Source.Should().Be(path);
        }
        finally
        {
            File.Delete(path);
        }

        ((Action)(() => CsvReader.ReadFile(path))).Should().Throw<FileNotFoundException>();
    }

    [Fact]
    public void A_larger_table_round_trips_exactly()
    {
        var random = new GanCore.Randomness.RandomSource(4);
        var expected = new Matrix(500, 7);
        var text = new StringBuilder("a,b,c,d,e,f,g\n");
        for (int i = 0; i < expected.Rows; i++)
        {
            random.FillGaussian(expected.Row(i), 0f, 1000f);
            text.AppendLine(string.Join(',', expected.Row(i).ToArray().Select(v => v.ToString("R", CultureInfo.InvariantCulture))));
        }

        CsvReader.Parse(text.ToString()).Values.ToArray().Should().BeEquivalentTo(expected.ToArray(), o => o.WithStrictOrdering());
    }

    [Theory]
    [InlineData('"')]
    [InlineData('\n')]
    [InlineData('.')]
    [InlineData('-')]
    [InlineData('5')]
    [InlineData('e')]
    [InlineData(' ')]
    public void A_delimiter_that_can_be_part_of_a_number_is_rejected(char delimiter)
    {
        Assert.Throws<ArgumentException>(() => CsvReader.Parse("1", new CsvOptions { Delimiter = delimiter })).ParamName.Should().Be("options");
    }

    [Fact]
    public void Column_names_and_indices()
    {
        CsvTable t = CsvReader.Parse("x,y,label\n1,2,0\n");
        t.ColumnIndex("label").Should().Be(2);
        Assert.Throws<ArgumentException>(() => t.ColumnIndex("z")).Message.Should().Contain("'x', 'y', 'label'");
        Assert.Throws<ArgumentException>(() => CsvReader.Parse("1,2\n").ColumnIndex("x")).Message.Should().Contain("no header");
        Assert.Throws<ArgumentOutOfRangeException>(() => t.LineOf(1)).ParamName.Should().Be("row");
    }
}
