using System.Runtime.InteropServices;

namespace GanCore.Tests.Testing;

/// <summary>
/// Floats placed flush against an inaccessible page, so a kernel that reads or writes one element past the end of its
/// span (or, with <see cref="Placement.AtStart"/>, one before its start) faults at once instead of touching whatever
/// the managed heap holds there. A managed array cannot show such a bug: a vector load past its end reads the next
/// object and passes. The fault ends the test process, which the runner reports as a crash naming the running test.
/// Linux only (<c>mmap</c> and <c>mprotect</c> from libc); <see cref="IsSupported"/> is false elsewhere.
/// <para>
/// The mappings are reused: a disposed instance's region (its data pages between the two guard pages) goes back to a
/// small pool, and the next instance with the same number of data pages takes it with those pages zeroed, as a fresh
/// mapping has them. The guard tests make tens of thousands of these; unmapping each (a TLB flush, costly in a virtual
/// machine) and faulting its pages in again took about half of their time.
/// </para>
/// </summary>
internal sealed unsafe class GuardedMemory : IDisposable
{
    private const int ProtNone = 0;
    private const int ProtRead = 1;
    private const int ProtWrite = 2;
    private const int MapPrivate = 0x02;
    private const int MapAnonymous = 0x20;

    /// <summary>Regions kept per number of data pages, and the most bytes kept in all: enough for every operand of a
    /// product (three) under a few test threads, little next to the operands themselves.</summary>
    private const int PooledPerSize = 8;
    private const long PooledBytesMax = 64L << 20;

    private static readonly Dictionary<long, Stack<nint>> Pool = [];
    private static readonly Lock PoolGate = new();
    private static long s_pooledBytes;

    private readonly byte* _region;
    private readonly nuint _regionBytes;
    private readonly float* _start;
    private readonly long _dataPages;
    private bool _disposed;

    /// <summary>Maps room for <paramref name="length"/> floats between two inaccessible pages and places them against
    /// one of the two.</summary>
    public GuardedMemory(int length, Placement placement)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        if (!IsSupported)
        {
            throw new PlatformNotSupportedException("GuardedMemory maps pages with Linux's mmap and mprotect.");
        }

        int page = Environment.SystemPageSize;
        long dataBytes = (long)length * sizeof(float);
        long dataPages = Math.Max(1, (dataBytes + page - 1) / page);
        _regionBytes = (nuint)((dataPages + 2) * page);
        _dataPages = dataPages;
        byte* pooled = Take(dataPages, page, _regionBytes);
        _region = pooled != null ? pooled : Map(dataPages, page, _regionBytes);
        byte* usable = _region + page;
        _start = placement == Placement.AtStart ? (float*)usable : (float*)(usable + (dataPages * page) - dataBytes);
        Length = length;
    }

    /// <summary>Releases the pages of an instance nobody disposed (to the pool, or unmapped).</summary>
    ~GuardedMemory() => Release();

    /// <summary>Where the floats go: against the leading or the trailing inaccessible page.</summary>
    public enum Placement
    {
        /// <summary>The first float follows the leading guard page: a read before the start faults.</summary>
        AtStart,

        /// <summary>The last float precedes the trailing guard page: a read past the end faults.</summary>
        AtEnd,
    }

    /// <summary>Whether this process can map guarded pages (Linux).</summary>
    public static bool IsSupported => OperatingSystem.IsLinux();

    /// <summary>The first float.</summary>
    /// <exception cref="ObjectDisposedException">The pages were unmapped.</exception>
    public float* Start
    {
        get
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            return _start;
        }
    }

    /// <summary>The number of floats.</summary>
    public int Length { get; }

    /// <summary>The floats.</summary>
    public Span<float> Span => new(Start, Length);

    /// <summary>A guarded copy of <paramref name="values"/>.</summary>
    public static GuardedMemory CopyOf(ReadOnlySpan<float> values, Placement placement)
    {
        var memory = new GuardedMemory(values.Length, placement);
        values.CopyTo(memory.Span);
        return memory;
    }

    /// <summary>Whether this process may read the float at <paramref name="address"/>, asked of the kernel rather than
    /// tried: <c>write</c> from an inaccessible address into a pipe fails with EFAULT instead of faulting.</summary>
    public static bool IsReadable(float* address)
    {
        int* fds = stackalloc int[2];
        if (Pipe(fds) != 0)
        {
            throw new InvalidOperationException($"pipe failed (errno {Marshal.GetLastPInvokeError()}).");
        }

        try
        {
            nint written = Write(fds[1], address, sizeof(float));
            return written == sizeof(float);
        }
        finally
        {
            _ = Close(fds[0]);
            _ = Close(fds[1]);
        }
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        Release();
        GC.SuppressFinalize(this);
    }

    /// <summary>A new region: <paramref name="dataPages"/> read-write pages between two inaccessible ones.</summary>
    private static byte* Map(long dataPages, int page, nuint regionBytes)
    {
        void* region = Mmap(null, regionBytes, ProtNone, MapPrivate | MapAnonymous, -1, 0);
        if (region == (void*)-1)
        {
            throw new InvalidOperationException($"mmap of {regionBytes} bytes failed (errno {Marshal.GetLastPInvokeError()}).");
        }

        if (Mprotect((byte*)region + page, (nuint)(dataPages * page), ProtRead | ProtWrite) != 0)
        {
            int errno = Marshal.GetLastPInvokeError();
            _ = Munmap(region, regionBytes);
            throw new InvalidOperationException($"mprotect of {dataPages} pages failed (errno {errno}).");
        }

        return (byte*)region;
    }

    /// <summary>A pooled region with <paramref name="dataPages"/> data pages (<paramref name="regionBytes"/> with its two
    /// guard pages), zeroed, or null when there is none.</summary>
    private static byte* Take(long dataPages, int page, nuint regionBytes)
    {
        byte* region;
        lock (PoolGate)
        {
            if (!Pool.TryGetValue(dataPages, out Stack<nint>? regions) || regions.Count == 0)
            {
                return null;
            }

            region = (byte*)regions.Pop();
            s_pooledBytes -= (long)regionBytes;
        }

        NativeMemory.Clear(region + page, (nuint)(dataPages * page));
        return region;
    }

    private void Release()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        lock (PoolGate)
        {
            if (!Pool.TryGetValue(_dataPages, out Stack<nint>? regions))
            {
                regions = new Stack<nint>();
                Pool[_dataPages] = regions;
            }

            if (regions.Count < PooledPerSize && s_pooledBytes + (long)_regionBytes <= PooledBytesMax)
            {
                regions.Push((nint)_region);
                s_pooledBytes += (long)_regionBytes;
                return;
            }
        }

        _ = Munmap(_region, _regionBytes);
    }

    [DllImport("libc", EntryPoint = "mmap", SetLastError = true)]
    private static extern void* Mmap(void* address, nuint length, int protection, int flags, int fd, nint offset);

    [DllImport("libc", EntryPoint = "mprotect", SetLastError = true)]
    private static extern int Mprotect(void* address, nuint length, int protection);

    [DllImport("libc", EntryPoint = "munmap", SetLastError = true)]
    private static extern int Munmap(void* address, nuint length);

    [DllImport("libc", EntryPoint = "pipe", SetLastError = true)]
    private static extern int Pipe(int* fds);

    [DllImport("libc", EntryPoint = "write", SetLastError = true)]
    private static extern nint Write(int fd, void* buffer, nuint count);

    [DllImport("libc", EntryPoint = "close", SetLastError = true)]
    private static extern int Close(int fd);
}

/// <summary>A fact that needs <see cref="GuardedMemory"/>: reported as skipped, not passed, where pages cannot be guarded.</summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false)]
public sealed class GuardedMemoryFactAttribute : FactAttribute
{
    /// <summary>Skips the fact off Linux.</summary>
    public GuardedMemoryFactAttribute()
    {
        if (!GuardedMemory.IsSupported)
        {
            Skip = "needs Linux's mmap and mprotect to place operands against an inaccessible page";
        }
    }
}
