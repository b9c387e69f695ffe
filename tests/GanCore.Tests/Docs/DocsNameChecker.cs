using System.Text.RegularExpressions;

namespace GanCore.Tests.Docs;

/// <summary>One name a document gives that the repository does not have.</summary>
/// <param name="Document">The document, repo-relative.</param>
/// <param name="Line">The 1-based line.</param>
/// <param name="Name">The name as the document writes it.</param>
/// <param name="Reason">What was looked for and not found.</param>
internal sealed record DocsProblem(string Document, int Line, string Name, string Reason)
{
    public override string ToString() => $"{Document}:{Line}: `{Name}`: {Reason}";
}

/// <summary>
/// Checks the names a Markdown document gives against the repository. The convention (also at the top of
/// docs/architecture.md) — outside fenced code blocks:
/// <list type="number">
/// <item>A link or image target that is not a URL or a bare #anchor must exist, relative to the document.</item>
/// <item>A code span that starts with <c>src/</c>, <c>tests/</c>, <c>samples/</c>, <c>benchmarks/</c>, <c>docs/</c> or
/// <c>.ci/</c> is a path from the repository root and must exist (file or folder). A code span without a space that
/// does not start with a dot and ends in <c>.cs</c>, <c>.csproj</c>, <c>.md</c> or <c>.sh</c>, or is one capitalised folder name and a slash
/// (<c>Layers/</c>), must be the tail of such a path.</item>
/// <item>A code span that, after dropping a leading <c>new </c>, one trailing argument list <c>(…)</c> and a trailing
/// <c>*</c>, is a dotted name starting with a capital letter (<c>Dense</c>, <c>Dense.BackwardCore</c>,
/// <c>GanCore.Theory.Game.Value</c>, <c>ISimd&lt;TV&gt;</c>) is a symbol. A leading namespace is dropped. If the first
/// name is a type declared in the repository, every following name must be a member of the type before it: the name
/// occurs as a word in a file that declares that type (a loose but cheap test), or reflection over the GanCore
/// assembly finds it (inherited members count). Any other symbol (a .NET type the code uses, a type parameter's member, a test method) must occur verbatim in the code.
/// A trailing <c>*</c> means "a member whose name starts with this".</item>
/// <item>Everything else is prose: lowercase names (parameters, variables), ALL-CAPS words (environment variables,
/// acronyms), CLI options, formulas and spans with spaces.</item>
/// </list>
/// </summary>
internal static partial class DocsNameChecker
{
    private static readonly string[] RootFolders = ["src/", "tests/", "samples/", "benchmarks/", "docs/", ".ci/"];
    private static readonly string[] FileTails = [".cs", ".csproj", ".md", ".sh"];

    /// <summary>Every name in <paramref name="markdown"/> that does not exist in <paramref name="index"/>'s repository.</summary>
    /// <param name="document">The document's repo-relative path (links are relative to its folder).</param>
    /// <param name="markdown">The document's text.</param>
    /// <param name="index">The repository.</param>
    public static List<DocsProblem> Check(string document, string markdown, RepositoryIndex index)
    {
        var problems = new List<DocsProblem>();
        string documentFolder = Path.GetDirectoryName(document)?.Replace('\\', '/') ?? string.Empty;
        string[] lines = markdown.Split('\n');
        bool fenced = false;
        for (int i = 0; i < lines.Length; i++)
        {
            string line = lines[i].TrimEnd('\r');
            if (line.TrimStart().StartsWith("```", StringComparison.Ordinal))
            {
                fenced = !fenced;
                continue;
            }

            if (fenced)
            {
                continue;
            }

            foreach (Match link in MarkdownLink().Matches(line))
            {
                string target = link.Groups["target"].Value;
                string? reason = CheckLink(documentFolder, target, index);
                if (reason is not null)
                {
                    problems.Add(new DocsProblem(document, i + 1, target, reason));
                }
            }

            foreach (Match span in CodeSpan().Matches(line))
            {
                string text = span.Groups["code"].Value;
                string? reason = CheckSpan(text, index);
                if (reason is not null)
                {
                    problems.Add(new DocsProblem(document, i + 1, text, reason));
                }
            }
        }

        return problems;
    }

    /// <summary>Why the code span names nothing that exists, or null when it does (or is prose).</summary>
    internal static string? CheckSpan(string text, RepositoryIndex index)
    {
        if (RootFolders.Any(r => text.StartsWith(r, StringComparison.Ordinal)))
        {
            string path = Path.Combine(index.Root, text.TrimEnd('/'));
            return File.Exists(path) || Directory.Exists(path) ? null : $"no file or folder {text} in the repository";
        }

        if (!text.Contains(' ', StringComparison.Ordinal) && !text.StartsWith('.') && FileTails.Any(t => text.EndsWith(t, StringComparison.Ordinal)))
        {
            return PathTailExists(index.Root, text, directory: false) ? null : $"no file whose path ends in /{text}";
        }

        if (FolderTail().IsMatch(text))
        {
            return PathTailExists(index.Root, text.TrimEnd('/'), directory: true) ? null : $"no folder named {text}";
        }

        return CheckSymbol(text, index);
    }

    private static string? CheckSymbol(string text, RepositoryIndex index)
    {
        string name = text;
        if (name.StartsWith("new ", StringComparison.Ordinal))
        {
            name = name[4..];
        }

        int paren = name.IndexOf('(', StringComparison.Ordinal);
        if (paren > 0 && name.EndsWith(')'))
        {
            name = name[..paren];
        }

        bool prefix = name.EndsWith('*');
        name = name.TrimEnd('*');
        if (!SymbolShape().IsMatch(name) || !name.Any(char.IsLower))
        {
            return null;
        }

        name = GenericArguments().Replace(name, string.Empty);
        string[] parts = name.Split('.');
        int start = 0;
        for (int n = parts.Length; n > 0; n--)
        {
            if (index.IsNamespace(string.Join('.', parts[..n])))
            {
                start = n;
                break;
            }
        }

        if (start == parts.Length)
        {
            return null; // a namespace or project name
        }

        string first = parts[start];
        if (index.IsType(first))
        {
            string owner = first;
            for (int p = start + 1; p < parts.Length; p++)
            {
                bool last = p == parts.Length - 1;
                if (!index.TypeHasMember(owner, parts[p], prefix && last))
                {
                    string files = string.Join(", ", index.FilesDeclaring(owner));
                    return $"{owner} has no member {parts[p]}{(prefix && last ? "*" : string.Empty)} (searched {files} and the GanCore assembly)";
                }

                if (index.IsType(parts[p]))
                {
                    owner = parts[p];
                }
            }

            return null;
        }

        string rest = string.Join('.', parts[start..]);
        if (parts.Length - start == 1)
        {
            bool found = prefix ? index.IsWordPrefixInCode(rest) : index.IsWordInCode(rest);
            return found ? null : $"no type named {rest} is declared, and the word {rest} occurs nowhere in the code";
        }

        return index.OccursInCode(rest) ? null : $"{first} is not a type declared in the repository, and {rest} occurs nowhere in the code";
    }

    private static string? CheckLink(string documentFolder, string target, RepositoryIndex index)
    {
        if (target.Contains("://", StringComparison.Ordinal) || target.StartsWith('#') || target.StartsWith("mailto:", StringComparison.Ordinal))
        {
            return null;
        }

        string path = target.Split('#')[0];
        string full = Path.GetFullPath(Path.Combine(index.Root, documentFolder, path));
        return File.Exists(full) || Directory.Exists(full) ? null : $"the link target {Path.GetRelativePath(index.Root, full).Replace('\\', '/')} does not exist";
    }

    private static bool PathTailExists(string root, string tail, bool directory)
    {
        string suffix = "/" + tail;
        IEnumerable<string> entries = directory
            ? Directory.EnumerateDirectories(root, "*", SearchOption.AllDirectories)
            : Directory.EnumerateFiles(root, "*" + Path.GetExtension(tail), SearchOption.AllDirectories);
        return entries
            .Select(e => "/" + Path.GetRelativePath(root, e).Replace('\\', '/'))
            .Any(e => !RepositoryIndex.IsBuildOutput(e) && !e.StartsWith("/.git/", StringComparison.Ordinal) && e.EndsWith(suffix, StringComparison.Ordinal));
    }

    [GeneratedRegex(@"!?\[[^\]]*\]\((?<target>[^)\s]+)\)")]
    private static partial Regex MarkdownLink();

    [GeneratedRegex(@"(?<!`)`(?<code>[^`]+)`(?!`)")]
    private static partial Regex CodeSpan();

    [GeneratedRegex(@"^[A-Z][A-Za-z0-9]*/$")]
    private static partial Regex FolderTail();

    [GeneratedRegex(@"^[A-Z]\w*(<[^<>]*>)?(\.[A-Za-z_]\w*(<[^<>]*>)?)*$")]
    private static partial Regex SymbolShape();

    [GeneratedRegex(@"<[^<>]*>")]
    private static partial Regex GenericArguments();
}
