using GanCore.Models;

namespace GanCore.Onnx;

/// <summary>
/// Writes a conditional generator — a <see cref="Sequential"/> whose input is the concatenation [z, c] of noise and a
/// condition vector, as a conditional <c>Gan</c> trains it — as an ONNX graph with two inputs, z and c, joined by a
/// <c>Concat</c> node (axis 1) inside the graph. Everything else is as in <see cref="OnnxExporter"/>.
/// </summary>
public static class ConditionalOnnxExporter
{
    /// <summary>The default name of the condition input.</summary>
    public const string DefaultConditionName = "condition";

    /// <summary>Writes <paramref name="generator"/> as a two-input ONNX graph to a file, atomically (as <see cref="OnnxExporter.Export(Sequential, string, OnnxExportOptions?)"/>).</summary>
    /// <param name="generator">The generator; its input width is the noise width plus <paramref name="conditionWidth"/>.</param>
    /// <param name="conditionWidth">The width of c (≥ 1, less than the generator's input width).</param>
    /// <param name="path">The file to create or replace; its folder must exist.</param>
    /// <param name="options">Names for the noise input (<see cref="OnnxExportOptions.InputName"/>), the output, the graph and the batch dimension; defaults when null.</param>
    /// <param name="conditionName">The name of the condition input; must differ from the other names.</param>
    /// <exception cref="ArgumentNullException"><paramref name="generator"/> or <paramref name="path"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="conditionWidth"/> is below 1 or leaves no noise column (the message names the widths).</exception>
    /// <exception cref="ArgumentException">A name is empty or clashes with another; or <paramref name="path"/> is empty or a folder.</exception>
    /// <exception cref="NotSupportedException">The generator contains a layer the exporter cannot map.</exception>
    /// <exception cref="DirectoryNotFoundException">The folder of <paramref name="path"/> does not exist.</exception>
    /// <exception cref="IOException">The file cannot be written.</exception>
    public static void Export(Sequential generator, int conditionWidth, string path, OnnxExportOptions? options = null, string conditionName = DefaultConditionName)
    {
        ArgumentNullException.ThrowIfNull(generator);
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        byte[] bytes = Build(generator, conditionWidth, options, conditionName);
        string full = Path.GetFullPath(path);
        if (Directory.Exists(full))
        {
            throw new ArgumentException($"Cannot export to '{path}': it is an existing folder, not a file.", nameof(path));
        }

        string directory = Path.GetDirectoryName(full) ?? ".";
        if (!Directory.Exists(directory))
        {
            throw new DirectoryNotFoundException($"Cannot export to '{path}' (parameter 'path'): the folder '{directory}' does not exist.");
        }

        string temporary = Path.Combine(directory, $".{Path.GetFileName(full)}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp");
        try
        {
            using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            {
                stream.Write(bytes);
                stream.Flush(flushToDisk: true);
            }

            File.Move(temporary, full, overwrite: true);
        }
        catch
        {
            File.Delete(temporary);
            throw;
        }
    }

    /// <summary>Writes <paramref name="generator"/> as a two-input ONNX ModelProto to <paramref name="stream"/> (neither flushed nor closed).</summary>
    /// <param name="generator">The generator; its input width is the noise width plus <paramref name="conditionWidth"/>.</param>
    /// <param name="conditionWidth">The width of c (≥ 1, less than the generator's input width).</param>
    /// <param name="stream">A writable stream.</param>
    /// <param name="options">Names for the noise input, the output, the graph and the batch dimension; defaults when null.</param>
    /// <param name="conditionName">The name of the condition input; must differ from the other names.</param>
    /// <exception cref="ArgumentNullException"><paramref name="generator"/> or <paramref name="stream"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="conditionWidth"/> is below 1 or leaves no noise column.</exception>
    /// <exception cref="ArgumentException">The stream is not writable, or a name is empty or clashes with another.</exception>
    /// <exception cref="NotSupportedException">The generator contains a layer the exporter cannot map; nothing is written.</exception>
    public static void Export(Sequential generator, int conditionWidth, Stream stream, OnnxExportOptions? options = null, string conditionName = DefaultConditionName)
    {
        ArgumentNullException.ThrowIfNull(generator);
        ArgumentNullException.ThrowIfNull(stream);
        if (!stream.CanWrite)
        {
            throw new ArgumentException("The stream is not writable.", nameof(stream));
        }

        stream.Write(Build(generator, conditionWidth, options, conditionName));
    }

    private static byte[] Build(Sequential generator, int conditionWidth, OnnxExportOptions? options, string conditionName)
    {
        if (conditionWidth < 1 || conditionWidth >= generator.InputSize)
        {
            throw new ArgumentOutOfRangeException(nameof(conditionWidth), conditionWidth, $"The condition width must be at least 1 and leave at least one noise column of the generator's input width {generator.InputSize}.");
        }

        options ??= new OnnxExportOptions();
        if (string.IsNullOrWhiteSpace(conditionName))
        {
            throw new ArgumentException("The condition input needs a non-empty name.", nameof(conditionName));
        }

        if (conditionName == options.InputName || conditionName == options.OutputName)
        {
            throw new ArgumentException($"The condition input name '{conditionName}' clashes with the noise input or the output name; choose another.", nameof(conditionName));
        }

        return OnnxExporter.Build(generator, options, conditionWidth, conditionName).WrittenSpan.ToArray();
    }
}
