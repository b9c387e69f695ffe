namespace GanCore.Tests.Docs;

/// <summary>
/// Every file, folder, link and symbol that README.md and docs/*.md name exists, so the docs cannot rot. The
/// convention is in <see cref="DocsNameChecker"/> and at the top of docs/architecture.md.
/// </summary>
public class DocsNameTests
{
    public static TheoryData<string> Documents() => new(DocumentPaths());

    /// <summary>README.md and every docs/*.md, repo-relative.</summary>
    internal static List<string> DocumentPaths()
    {
        string root = RepositoryIndex.FindRoot();
        return ["README.md", .. Directory.EnumerateFiles(Path.Combine(root, "docs"), "*.md").Select(f => Path.GetRelativePath(root, f).Replace('\\', '/')).Order(StringComparer.Ordinal)];
    }

    [Theory]
    [MemberData(nameof(Documents))]
    public void Every_name_in_the_document_exists(string document)
    {
        RepositoryIndex index = RepositoryIndex.Current;
        string text = File.ReadAllText(Path.Combine(index.Root, document));

        List<DocsProblem> problems = DocsNameChecker.Check(document, text, index);

        problems.Select(p => p.ToString()).Should().BeEmpty("every name a document gives must exist in the repository");
    }

    [Fact]
    public void The_documents_include_the_reading_path_and_the_architecture()
    {
        DocumentPaths().Should().Contain(["docs/reading-order.md", "docs/architecture.md", "README.md"]);
    }

    [Fact]
    public void Made_up_names_are_reported_with_their_line()
    {
        // The made-up names are assembled at run time: written out whole, they would occur in this file, which the index reads.
        string type = "NoSuch" + "Type";
        string word = "NoSuch" + "WordAnywhere";
        string markdown = """
            # A page
            `src/GanCore/Layers/Dense.cs`, `Dense.BackwardCore`, `Layers/`, `GemmReference.cs`, [theory](theory.md)
            `src/GanCore/Layers/Nope.cs` and `tests/GanCore.Tests/NoSuchFolder/`
            `Dense.NoSuchMember` and `{T}.Member` and `{W}`
            `NoSuchFile.cs`, `NoSuchFolder/`, [gone](missing.md), `KolmogorovSmirnov.Nope*`
            ```
            `Inside.AFence` is code, not a name
            ```
            `GanCore.Theory.Game.NoSuchMember`, `new Dense(inputs, outputs, rng)`, `ISimd<TV>`, `--preset`, `OPENBLAS_CORETYPE`
            """.Replace("{T}", type, StringComparison.Ordinal).Replace("{W}", word, StringComparison.Ordinal);

        List<DocsProblem> problems = DocsNameChecker.Check("docs/page.md", markdown, RepositoryIndex.Current);

        problems.Select(p => (p.Line, p.Name)).Should().Equal(
            (3, "src/GanCore/Layers/Nope.cs"),
            (3, "tests/GanCore.Tests/NoSuchFolder/"),
            (4, "Dense.NoSuchMember"),
            (4, type + ".Member"),
            (4, word),
            (5, "missing.md"),
            (5, "NoSuchFile.cs"),
            (5, "NoSuchFolder/"),
            (5, "KolmogorovSmirnov.Nope*"),
            (9, "GanCore.Theory.Game.NoSuchMember"));
        problems[2].ToString().Should().Be(
            "docs/page.md:4: `Dense.NoSuchMember`: Dense has no member NoSuchMember (searched src/GanCore/Layers/Dense.cs and the GanCore assembly)");
        problems[5].ToString().Should().Be("docs/page.md:5: `missing.md`: the link target docs/missing.md does not exist");
    }

    [Theory]
    [InlineData("Dense.Forward")] // inherited from Layer: found by reflection
    [InlineData("Gan.LoadCheckpoint")] // declared in another part of the partial class
    [InlineData("GanObjective.Minimax")]
    [InlineData("ArgumentOutOfRangeException")] // a .NET type the code uses
    [InlineData("TS.MultiplyAdd")] // a type parameter's member, as the kernels write it
    [InlineData("KernelDispatch.Width")]
    [InlineData("Gan.Step()")]
    [InlineData("src/GanCore/Adversarial/")]
    public void Real_names_resolve(string name)
    {
        DocsNameChecker.CheckSpan(name, RepositoryIndex.Current).Should().BeNull();
    }
}
