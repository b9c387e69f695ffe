using System.Text.RegularExpressions;

namespace GanCore.Tests.Docs;

/// <summary>
/// The rules docs/architecture.md states, checked on the source tree: calls flow one way (each folder of the library
/// uses only folders on lower levels), the namespace is the folder, no source file outside Kernels/ is longer than
/// <see cref="MaxLines"/> lines, and the architecture's table lists every source folder. Each rule is a pure function
/// with a self-test that feeds it a made-up violation.
/// </summary>
public partial class ArchitectureTests
{
    /// <summary>The longest a source file outside src/GanCore/Kernels/ may be.</summary>
    internal const int MaxLines = 400;

    /// <summary>
    /// The level of each folder of src/GanCore. A folder may use folders of lower levels only: not its own level, not
    /// higher. docs/architecture.md draws the same picture.
    /// </summary>
    internal static readonly IReadOnlyDictionary<string, int> Levels = new Dictionary<string, int>(StringComparer.Ordinal)
    {
        ["Tensors"] = 0,
        ["Kernels"] = 1,
        ["Randomness"] = 2,
        ["Initialization"] = 3,
        ["Data"] = 3,
        ["Losses"] = 4,
        ["Layers"] = 4,
        ["Optimizers"] = 5,
        ["Models"] = 6,
        ["Checkpoints"] = 7,
        ["Adversarial"] = 8,
        ["Theory"] = 8,
        ["Diagnostics"] = 8,
    };

    [Fact]
    public void Every_library_folder_uses_only_lower_levels()
    {
        LayeringViolations(LibrarySources()).Should().BeEmpty();
    }

    [Fact]
    public void Layering_violations_are_reported_with_file_line_and_namespace()
    {
        (string, string)[] files =
        [
            ("src/GanCore/Kernels/Bad.cs", "using GanCore.Tensors;\nusing GanCore.Layers;\nnamespace GanCore.Kernels;\n"),
            ("src/GanCore/Layers/Bad.cs", "namespace GanCore.Layers;\n// Adversarial.Gan in a comment is fine\nclass X { Adversarial.Gan? g; string s = \"Models.Sequential\"; }\n"),
            ("src/GanCore/Losses/Bad.cs", "namespace GanCore.Losses;\nclass Y { GanCore.Layers.Dense? d; }\n"),
            ("src/GanCore/Optimizers/Fine.cs", "using GanCore.Layers;\nusing GanCore.Kernels;\nnamespace GanCore.Optimizers;\n"),
            ("src/GanCore/Newcomer/New.cs", "namespace GanCore.Newcomer;\n"),
        ];

        LayeringViolations(files).Should().Equal(
            "src/GanCore/Kernels/Bad.cs:2: Kernels (level 1) uses Layers (level 4)",
            "src/GanCore/Layers/Bad.cs:3: Layers (level 4) uses Adversarial (level 8)",
            "src/GanCore/Losses/Bad.cs:2: Losses (level 4) uses Layers (level 4)",
            "src/GanCore/Newcomer/New.cs: the folder Newcomer has no level: add it to ArchitectureTests.Levels and docs/architecture.md");
    }

    [Fact]
    public void The_library_references_no_other_project()
    {
        string project = File.ReadAllText(Path.Combine(RepositoryIndex.Current.Root, "src/GanCore/GanCore.csproj"));
        project.Should().NotContain("<ProjectReference", "samples, tests and the ONNX exporter build on the library, never the reverse");
    }

    [Fact]
    public void No_source_file_outside_Kernels_is_longer_than_the_limit()
    {
        RepositoryIndex index = RepositoryIndex.Current;
        IEnumerable<(string, int)> sizes = index.CodeFiles
            .Where(f => f.StartsWith("src/", StringComparison.Ordinal) && f.EndsWith(".cs", StringComparison.Ordinal))
            .Select(f => (f, LineCount(index.TextOf(f))));

        FilesOverLimit(sizes).Should().BeEmpty();
    }

    [Fact]
    public void Files_over_the_limit_are_reported_and_Kernels_is_exempt()
    {
        (string, int)[] sizes =
        [
            ("src/GanCore/Layers/Big.cs", MaxLines + 1),
            ("src/GanCore/Layers/Exact.cs", MaxLines),
            ("src/GanCore/Kernels/Huge.cs", 5000),
            ("src/GanCore.Onnx/Big.cs", 900),
        ];

        FilesOverLimit(sizes).Should().Equal(
            $"src/GanCore/Layers/Big.cs has {MaxLines + 1} lines (limit {MaxLines})",
            $"src/GanCore.Onnx/Big.cs has 900 lines (limit {MaxLines})");
    }

    [Fact]
    public void Every_public_type_has_its_own_file()
    {
        RepositoryIndex index = RepositoryIndex.Current;
        FilesWithSeveralPublicTypes(index.CodeFiles.Where(f => f.StartsWith("src/", StringComparison.Ordinal) && f.EndsWith(".cs", StringComparison.Ordinal))
            .Select(f => (f, index.TextOf(f)))).Should().BeEmpty();
    }

    [Fact]
    public void A_file_with_two_public_types_is_reported()
    {
        (string, string)[] files =
        [
            ("src/GanCore/Layers/One.cs", "namespace GanCore.Layers;\n\npublic sealed class One\n{\n    public enum Nested { A }\n}\n\ninternal sealed class Helper\n{\n}\n"),
            ("src/GanCore/Layers/Two.cs", "namespace GanCore.Layers;\n\npublic sealed class Two\n{\n}\n\npublic readonly record struct TwoState(int Value);\n"),
        ];

        FilesWithSeveralPublicTypes(files).Should().Equal("src/GanCore/Layers/Two.cs declares 2 public types (Two, TwoState): give each its own file");
    }

    [Fact]
    public void The_namespace_is_the_folder_in_every_source_file()
    {
        RepositoryIndex index = RepositoryIndex.Current;
        NamespaceMismatches(index.CodeFiles.Where(f => f.StartsWith("src/", StringComparison.Ordinal) && f.EndsWith(".cs", StringComparison.Ordinal))
            .Select(f => (f, index.TextOf(f)))).Should().BeEmpty();
    }

    [Fact]
    public void A_namespace_that_is_not_the_folder_is_reported()
    {
        (string, string)[] files =
        [
            ("src/GanCore/Adversarial/Gan.cs", "namespace GanCore.Adversarial;"),
            ("src/GanCore/Adversarial/Wrong.cs", "namespace GanCore.Gan;"),
            ("src/GanCore.Onnx/OnnxExporter.cs", "namespace GanCore.Onnx;"),
        ];

        NamespaceMismatches(files).Should().Equal("src/GanCore/Adversarial/Wrong.cs: namespace GanCore.Gan, expected GanCore.Adversarial");
    }

    [Fact]
    public void The_architecture_table_lists_every_source_folder()
    {
        RepositoryIndex index = RepositoryIndex.Current;
        string architecture = File.ReadAllText(Path.Combine(index.Root, "docs/architecture.md"));
        var listed = TableRow().Matches(architecture).Select(m => m.Groups["folder"].Value).ToHashSet(StringComparer.Ordinal);
        var actual = index.CodeFiles
            .Where(f => f.StartsWith("src/", StringComparison.Ordinal) && f.EndsWith(".cs", StringComparison.Ordinal))
            .Select(f => f[..(f.LastIndexOf('/') + 1)])
            .ToHashSet(StringComparer.Ordinal);

        listed.Should().BeEquivalentTo(actual, "docs/architecture.md's size table (regenerate it with docs/line-counts.sh) names every folder of src/");
    }

    /// <summary>Every use of a folder at the same or a higher level, as "file:line: Folder (level) uses Other (level)".</summary>
    internal static List<string> LayeringViolations(IEnumerable<(string Path, string Text)> files)
    {
        var found = new List<string>();
        string folders = string.Join('|', Levels.Keys);
        var usingPattern = new Regex(@"^\s*(?:global\s+)?using\s+(?:static\s+)?GanCore\.(?<folder>" + folders + @")\b", RegexOptions.Multiline);
        var qualifiedPattern = new Regex(@"(?<![\w.])(?:GanCore\.)?(?<folder>" + folders + @")\.[A-Z]");
        foreach ((string path, string text) in files)
        {
            string folder = path.Split('/')[2];
            if (!Levels.TryGetValue(folder, out int level))
            {
                found.Add($"{path}: the folder {folder} has no level: add it to ArchitectureTests.Levels and docs/architecture.md");
                continue;
            }

            string[] lines = StripCommentsAndStrings(text).Split('\n');
            for (int i = 0; i < lines.Length; i++)
            {
                IEnumerable<Match> uses = usingPattern.Matches(lines[i]).Concat(qualifiedPattern.Matches(lines[i]));
                foreach (string used in uses.Select(m => m.Groups["folder"].Value).Distinct())
                {
                    if (used != folder && Levels[used] >= level)
                    {
                        found.Add($"{path}:{i + 1}: {folder} (level {level}) uses {used} (level {Levels[used]})");
                    }
                }
            }
        }

        return found;
    }

    /// <summary>Files under src/ other than src/GanCore/Kernels/ with more than <see cref="MaxLines"/> lines.</summary>
    internal static List<string> FilesOverLimit(IEnumerable<(string Path, int Lines)> sizes) =>
        sizes.Where(s => !s.Path.StartsWith("src/GanCore/Kernels/", StringComparison.Ordinal) && s.Lines > MaxLines)
            .Select(s => $"{s.Path} has {s.Lines} lines (limit {MaxLines})")
            .ToList();

    /// <summary>Source files whose namespace is not the project name plus the folders below it.</summary>
    internal static List<string> NamespaceMismatches(IEnumerable<(string Path, string Text)> files)
    {
        var found = new List<string>();
        foreach ((string path, string text) in files)
        {
            string[] parts = path.Split('/');
            string expected = string.Join('.', parts[1..^1]);
            Match m = Regex.Match(text, @"^\s*namespace\s+(?<ns>[\w.]+)", RegexOptions.Multiline);
            if (!m.Success || m.Groups["ns"].Value != expected)
            {
                found.Add($"{path}: namespace {(m.Success ? m.Groups["ns"].Value : "(none)")}, expected {expected}");
            }
        }

        return found;
    }

    internal static int LineCount(string text) => text.Length == 0 ? 0 : text.TrimEnd('\n').Split('\n').Length;

    /// <summary>Files that declare more than one top-level public type (nested types do not count).</summary>
    internal static List<string> FilesWithSeveralPublicTypes(IEnumerable<(string Path, string Text)> files)
    {
        var found = new List<string>();
        foreach ((string path, string text) in files)
        {
            string[] names = [.. TopLevelPublicType().Matches(text).Select(m => m.Groups["name"].Value)];
            if (names.Length > 1)
            {
                found.Add($"{path} declares {names.Length} public types ({string.Join(", ", names)}): give each its own file");
            }
        }

        return found;
    }

    private static IEnumerable<(string, string)> LibrarySources()
    {
        RepositoryIndex index = RepositoryIndex.Current;
        return index.CodeFiles
            .Where(f => f.StartsWith("src/GanCore/", StringComparison.Ordinal) && f.EndsWith(".cs", StringComparison.Ordinal) && f.Count(c => c == '/') >= 3)
            .Select(f => (f, index.TextOf(f)));
    }

    /// <summary>The code with comments and string literals blanked, line structure kept.</summary>
    private static string StripCommentsAndStrings(string text) =>
        CommentOrString().Replace(text, m => new string(m.Value.Select(c => c == '\n' ? '\n' : ' ').ToArray()));

    [GeneratedRegex(@"//[^\n]*|/\*.*?\*/|@""(?:[^""]|"""")*""|""(?:[^""\\\n]|\\.)*""|'(?:[^'\\\n]|\\.)'", RegexOptions.Singleline)]
    private static partial Regex CommentOrString();

    [GeneratedRegex(@"^\|\s*`(?<folder>src/[^`]+/)`", RegexOptions.Multiline)]
    private static partial Regex TableRow();

    [GeneratedRegex(@"^public\s+(?:(?:sealed|static|abstract|readonly|partial|unsafe|ref)\s+)*(?:class|struct|record\s+struct|record|enum|interface|delegate\s+[\w<>\[\],?]+)\s+(?<name>[A-Za-z_]\w*)", RegexOptions.Multiline)]
    private static partial Regex TopLevelPublicType();
}
