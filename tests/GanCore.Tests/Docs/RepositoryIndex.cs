using System.Reflection;
using System.Text.RegularExpressions;

namespace GanCore.Tests.Docs;

/// <summary>
/// The source tree as text, for the docs and architecture tests: every C# file under src/, samples/, tests/ and
/// benchmarks/ (bin/ and obj/ excluded), the types each declares, the namespaces, the project names, and every
/// identifier that occurs anywhere in the code. Built once per test run from the checked-out repository.
/// </summary>
internal sealed partial class RepositoryIndex
{
    private static readonly Lazy<RepositoryIndex> s_current = new(() => Build(FindRoot()));

    private readonly Dictionary<string, List<string>> _typeFiles = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _text = new(StringComparer.Ordinal);
    private readonly HashSet<string> _words = new(StringComparer.Ordinal);
    private readonly HashSet<string> _namespaces = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Type> _assemblyTypes = new(StringComparer.Ordinal);

    private RepositoryIndex(string root) => Root = root;

    /// <summary>The index of the repository the tests run from.</summary>
    public static RepositoryIndex Current => s_current.Value;

    /// <summary>The repository root (the folder holding GanCore.sln).</summary>
    public string Root { get; }

    /// <summary>Every indexed code file, as a repo-relative path with '/' separators.</summary>
    public IEnumerable<string> CodeFiles => _text.Keys;

    /// <summary>The text of an indexed code file.</summary>
    public string TextOf(string relativePath) => _text[relativePath];

    /// <summary>Builds the index of the repository at <paramref name="root"/>.</summary>
    public static RepositoryIndex Build(string root)
    {
        var index = new RepositoryIndex(root);
        foreach (string top in new[] { "src", "samples", "tests", "benchmarks" })
        {
            string dir = Path.Combine(root, top);
            if (!Directory.Exists(dir))
            {
                continue;
            }

            foreach (string file in Directory.EnumerateFiles(dir, "*.*", SearchOption.AllDirectories))
            {
                string relative = Path.GetRelativePath(root, file).Replace('\\', '/');
                if (IsBuildOutput(relative))
                {
                    continue;
                }

                if (file.EndsWith(".cs", StringComparison.Ordinal))
                {
                    index.Add(relative, File.ReadAllText(file));
                }
                else if (file.EndsWith(".csproj", StringComparison.Ordinal))
                {
                    index._namespaces.Add(Path.GetFileNameWithoutExtension(file));
                    index._text[relative] = File.ReadAllText(file);
                    index.AddWords(index._text[relative]);
                }
            }
        }

        foreach (Type type in typeof(GanCore.Tensors.Matrix).Assembly.GetTypes())
        {
            string name = type.Name.Split('`')[0];
            index._assemblyTypes.TryAdd(name, type);
        }

        return index;
    }

    /// <summary>True for paths inside bin/, obj/ or other build output.</summary>
    public static bool IsBuildOutput(string relativePath) =>
        relativePath.Contains("/bin/", StringComparison.Ordinal) || relativePath.Contains("/obj/", StringComparison.Ordinal)
        || relativePath.Contains("BenchmarkDotNet.Artifacts", StringComparison.Ordinal) || relativePath.Contains("TestResults/", StringComparison.Ordinal);

    /// <summary>True when <paramref name="name"/> is a namespace declared in the code, or a project name.</summary>
    public bool IsNamespace(string name) => _namespaces.Contains(name);

    /// <summary>True when some code file declares a class, struct, interface, enum or record named <paramref name="name"/>.</summary>
    public bool IsType(string name) => _typeFiles.ContainsKey(name);

    /// <summary>The files that declare type <paramref name="name"/> (several for a partial class).</summary>
    public IReadOnlyList<string> FilesDeclaring(string name) => _typeFiles.TryGetValue(name, out List<string>? files) ? files : [];

    /// <summary>True when <paramref name="identifier"/> occurs as a whole word in some code file.</summary>
    public bool IsWordInCode(string identifier) => _words.Contains(identifier);

    /// <summary>True when <paramref name="identifier"/> starts some word in the code (for names ending in '*').</summary>
    public bool IsWordPrefixInCode(string identifier) => _words.Any(w => w.StartsWith(identifier, StringComparison.Ordinal));

    /// <summary>True when <paramref name="text"/> occurs verbatim, bounded by non-identifier characters, in some code file.</summary>
    public bool OccursInCode(string text)
    {
        var pattern = new Regex(@"(?<![\w])" + Regex.Escape(text) + @"(?![\w])", RegexOptions.CultureInvariant);
        return _text.Values.Any(t => pattern.IsMatch(t));
    }

    /// <summary>
    /// True when type <paramref name="typeName"/> has a member <paramref name="member"/>: the name occurs as a word in
    /// a file that declares the type, or reflection over the GanCore assembly finds it (inherited members included).
    /// </summary>
    public bool TypeHasMember(string typeName, string member, bool prefix)
    {
        foreach (string file in FilesDeclaring(typeName))
        {
            string pattern = @"(?<![\w])" + Regex.Escape(member) + (prefix ? string.Empty : @"(?![\w])");
            if (Regex.IsMatch(_text[file], pattern, RegexOptions.CultureInvariant))
            {
                return true;
            }
        }

        if (_assemblyTypes.TryGetValue(typeName, out Type? type))
        {
            const BindingFlags all = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.FlattenHierarchy;
            for (Type? t = type; t is not null; t = t.BaseType)
            {
                if (t.GetMembers(all).Any(m => prefix ? m.Name.StartsWith(member, StringComparison.Ordinal) : m.Name == member))
                {
                    return true;
                }
            }
        }

        return false;
    }

    /// <summary>Walks up from the test binaries to the folder that holds GanCore.sln.</summary>
    public static string FindRoot()
    {
        for (DirectoryInfo? dir = new(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "GanCore.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"No GanCore.sln above {AppContext.BaseDirectory}: the docs tests must run inside the repository.");
    }

    private void Add(string relative, string text)
    {
        _text[relative] = text;
        AddWords(text);
        foreach (Match m in TypeDeclaration().Matches(text))
        {
            string name = m.Groups["name"].Value;
            if (!_typeFiles.TryGetValue(name, out List<string>? files))
            {
                _typeFiles[name] = files = [];
            }

            if (!files.Contains(relative))
            {
                files.Add(relative);
            }
        }

        foreach (Match m in NamespaceDeclaration().Matches(text))
        {
            string ns = m.Groups["ns"].Value;
            for (int dot = ns.Length; dot > 0; dot = ns.LastIndexOf('.', dot - 1))
            {
                _namespaces.Add(ns[..dot]);
            }
        }
    }

    private void AddWords(string text)
    {
        foreach (Match m in Identifier().Matches(text))
        {
            _words.Add(m.Value);
        }
    }

    [GeneratedRegex(@"\b(?:class|struct|interface|enum|record)(?:\s+(?:class|struct))?\s+(?<name>[A-Za-z_]\w*)")]
    private static partial Regex TypeDeclaration();

    [GeneratedRegex(@"^\s*namespace\s+(?<ns>[\w.]+)", RegexOptions.Multiline)]
    private static partial Regex NamespaceDeclaration();

    [GeneratedRegex(@"[A-Za-z_]\w*")]
    private static partial Regex Identifier();
}
