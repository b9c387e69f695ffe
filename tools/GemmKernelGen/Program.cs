// Writes src/GanCore/Kernels/GemmMicroKernels.cs from GemmKernelSource. Run from the repository root:
//   dotnet run --project tools/GemmKernelGen            (rewrite the file)
//   dotnet run --project tools/GemmKernelGen -- --check (exit 1 when the file is out of date)
using GanCore.Tools;

string root = Directory.GetCurrentDirectory();
while (!File.Exists(Path.Combine(root, "GanCore.sln")))
{
    root = Path.GetDirectoryName(root) ?? throw new InvalidOperationException("Run this from inside the GanCore repository.");
}

string path = Path.Combine(root, GemmKernelSource.RelativePath);
string text = GemmKernelSource.Generate();
bool check = args.Contains("--check");
string current = File.Exists(path) ? File.ReadAllText(path) : string.Empty;
if (current == text)
{
    Console.WriteLine($"{GemmKernelSource.RelativePath} is up to date ({GemmKernelSource.Shapes.Count} kernels).");
    return 0;
}

if (check)
{
    Console.Error.WriteLine($"{GemmKernelSource.RelativePath} is out of date: run `dotnet run --project tools/GemmKernelGen`.");
    return 1;
}

File.WriteAllText(path, text);
Console.WriteLine($"Wrote {GemmKernelSource.RelativePath} ({GemmKernelSource.Shapes.Count} kernels).");
return 0;
