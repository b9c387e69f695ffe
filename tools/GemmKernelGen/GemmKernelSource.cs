using System.Text;

namespace GanCore.Tools;

/// <summary>
/// The generator of the GEMM micro-kernels (src/GanCore/Kernels/GemmMicroKernels.cs). Each kernel K{R}x{NV} keeps an
/// R × NV-vector block of C in named locals for the whole K loop; C# has no way to say "an array that lives in
/// registers", so every body is written out in full, and this program writes them. The test project compiles this file
/// too and checks that the checked-in kernels equal its output.
/// </summary>
internal static class GemmKernelSource
{
    /// <summary>Where the output goes, relative to the repository root.</summary>
    public const string RelativePath = "src/GanCore/Kernels/GemmMicroKernels.cs";

    /// <summary>The kernels: (rows, vectors). 16 × 1 (512-bit vectors, whose 32 registers hold its 16 accumulators) and
    /// 12 × 1 (narrower vectors, 16 registers) for C one vector wide, and 11, 10 and 9 × 1 for the last rows of such a C,
    /// which would otherwise run as 8 rows and a block of 1–3 waiting on the FMA latency; every R from 8 down to 1 with 3, 2 or 1
    /// vectors, so a row tail of any length is one kernel (one pass over B) instead of a run of 4- and 1-row kernels;
    /// 1 row × 4..8 vectors for a product that is a single row (cᵀ = bᵀ·A), where up to eight independent FMA
    /// chains hide the FMA latency that three would expose; and 2 rows × 4 vectors (eight chains) for a product of two
    /// rows, such as the weight gradient of a layer with two inputs.</summary>
    public static IReadOnlyList<(int Rows, int Vectors)> Shapes { get; } =
        [(16, 1), (12, 1), (11, 1), (10, 1), (9, 1), .. Enumerable.Range(1, 8).Reverse().SelectMany(r => new[] { (r, 3), (r, 2), (r, 1) }), .. Enumerable.Range(4, 5).Select(v => (1, v)), (2, 4)];

    /// <summary>Row-block kernels (<see cref="RowBlockRows"/>) with more rows than this address A through two pointers,
    /// the second at row ⌈R/2⌉, so the K loop keeps ⌈R/2⌉ − 1 row offsets live instead of R − 1: with the pointers to A and
    /// B, the strides and the loop counter, every general register the loop needs stays in a register even while the
    /// row-block loop around it keeps its own (an 8-row kernel with seven offsets had the JIT reload B's stride from the
    /// stack on every K step). Up to six rows, five offsets fit, and one pointer saves an increment per K step: the 6 × 2
    /// kernel of 256-bit hosts took 1–8% fewer samples against OpenBLAS's Haswell kernel on the same products. Row-tail
    /// kernels, which have no block loop, keep one pointer up to 8 rows: the second pointer's extra increment measured
    /// 4–7% slower on the 5-row products of the seed GAN. The 9–11-row tails take two, as the 12-row blocks do.</summary>
    private const int OnePointerRows = 6;

    /// <summary>Kernels with more rows than this (the 16-row blocks of a C one vector wide at 512 bits) address A through
    /// three pointers, at rows 0, ⌈R/3⌉ and 2⌈R/3⌉, so the K loop keeps ⌈R/3⌉ − 1 row offsets live: with two, the 16-row
    /// kernel would need seven offsets beside its four pointers, the strides and the counter, more general registers
    /// than x64 has.</summary>
    private const int ThreePointerRows = 12;

    /// <summary>The row counts of the kernels that walk several row blocks per call: the direct loops' full blocks are
    /// MR = 8 rows at 512 bits, 6 at 256, 4 at 128, and 16 (512 bits) or 12 when C is one vector wide
    /// (GemmEngine.OneVectorRows).</summary>
    private static readonly int[] RowBlockRows = [16, 12, 8, 6, 4];

    /// <summary>The kernels with a second form, K{R}x{NV}Parked, for the epilogues that <c>ParksAccumulators</c>: the
    /// accumulators parked on the stack after the K loop and stored through one Put per column of vectors in a loop over
    /// the rows. These three, with 16–24 accumulators, are the ones crossgen2's listing (`--verbose`, x86-64-v4) named
    /// among the kernels the inliner's budget left out with such epilogues (the JIT's optimized code for them called
    /// the epilogue with vectors passed by value). A second method, not a branch in one: the IL of a branch the JIT drops
    /// only after inlining still counts against the budget (both stores in one kernel left out even the kernels whose
    /// epilogue does not park). crossgen2 does not fold Call's branch for the generic epilogues, so it compiles the
    /// parked form for those that do not park too (about 0.3 MB of the x86-64-v4 image, never run).</summary>
    private static readonly (int Rows, int Vectors)[] ParkedShapes = [(16, 1), (8, 3), (7, 3)];

    private static bool Parks(int rows, int vectors) => ParkedShapes.Contains((rows, vectors));

    /// <summary>The whole file.</summary>
    public static string Generate()
    {
        var s = new StringBuilder();
        s.Append("""
            // <generated>
            // Written by tools/GemmKernelGen from tools/GemmKernelGen/GemmKernelSource.cs. Do not edit by hand: change the
            // generator and run `dotnet run --project tools/GemmKernelGen` (GemmKernelGenerationTests checks this file is current).
            // </generated>
            // The register-blocked GEMM micro-kernels: R rows × NV vectors of C held in registers over the whole K loop.
            using System.Runtime.CompilerServices;

            namespace GanCore.Kernels;

            /// <summary>
            /// Micro-kernels C[0..R, 0..NV·W) = epilogue(Σ_p A[r, p]·B[p, ·]) of W = TS.Count lanes, for the (R, NV) pairs
            """);
        s.Append(' ').Append(string.Join(", ", Shapes.Select(x => $"{x.Rows}×{x.Vectors}"))).Append('.').Append('\n');
        s.Append("""
            /// A element (r, p) is at <c>a[r·rsA + p·csA]</c>, so one kernel serves A (rsA = lda, csA = 1), Aᵀ (rsA = 1, csA = lda)
            /// and a packed A sliver (rsA = 1, csA = MR). B row p starts at <c>b + p·ldb</c> with contiguous columns. The last
            /// vector of every row goes through the TC column access so a masked column tail never reads or writes past the
            /// matrix. Every element is one FMA chain over p in order, whichever kernel computes it, so the result does not
            /// depend on how the output was tiled.
            /// </summary>
            internal static unsafe class GemmMicroKernels
            {

            """);
        Dispatcher(s);
        foreach ((int rows, int vectors) in Shapes)
        {
            s.Append('\n');
            Kernel(s, rows, vectors, parked: false);
            if (Parks(rows, vectors))
            {
                s.Append('\n');
                Kernel(s, rows, vectors, parked: true);
            }
        }

        s.Append("}\n");
        return s.ToString();
    }

    /// <summary>The one switch from (rows, vectors) to a kernel; a pair without a kernel throws.</summary>
    private static void Dispatcher(StringBuilder s)
    {
        void Line(int indent, string text) => s.Append(' ', indent * 4).Append(text).Append('\n');
        const string Arguments = "blocks, k, a, rsA, csA, b, ldb, c, ldc, column, tail, epi, across, bAcross";
        Line(1, "/// <summary>Runs K{rows}x{nv} on <paramref name=\"blocks\"/> (≥ 1) blocks of rows, one under the other, or with");
        Line(1, "/// <paramref name=\"across\"/> ≠ 0 on blocks side by side, <paramref name=\"across\"/> columns of C and");
        Line(1, "/// <paramref name=\"bAcross\"/> floats of B apart (full columns only); a pair without a kernel throws");
        Line(1, "/// <see cref=\"GemmKernelMissingException\"/>.</summary>");
        Line(1, "[MethodImpl(MethodImplOptions.AggressiveInlining)]");
        Line(1, "public static void Call<TS, TV, TC, TE>(int rows, int nv, int blocks, int k, float* a, nint rsA, nint csA, float* b, nint ldb, float* c, nint ldc, nint column, int tail, TE epi, nint across = 0, nint bAcross = 0)");
        Line(2, "where TS : ISimd<TV>");
        Line(2, "where TV : struct");
        Line(2, "where TC : IColumnAccess");
        Line(2, "where TE : IGemmEpilogue");
        Line(1, "{");
        Line(2, "switch ((rows * 16) + nv)");
        Line(2, "{");
        foreach ((int rows, int vectors) in Shapes)
        {
            Line(3, $"case ({rows} * 16) + {vectors}:");
            if (Parks(rows, vectors))
            {
                Line(4, "if (epi.ParksAccumulators)");
                Line(4, "{");
                Line(5, $"K{rows}x{vectors}Parked<TS, TV, TC, TE>({Arguments});");
                Line(4, "}");
                Line(4, "else");
                Line(4, "{");
                Line(5, $"K{rows}x{vectors}<TS, TV, TC, TE>({Arguments});");
                Line(4, "}");
                s.Append('\n');
            }
            else
            {
                Line(4, $"K{rows}x{vectors}<TS, TV, TC, TE>({Arguments});");
            }

            Line(4, "break;");
        }

        Line(3, "default:");
        Line(4, "throw new GemmKernelMissingException(rows, nv);");
        Line(2, "}");
        Line(1, "}");
    }

    private static void Kernel(StringBuilder s, int rows, int vectors, bool parked)
    {
        string name = parked ? $"K{rows}x{vectors}Parked" : $"K{rows}x{vectors}";
        void Line(int indent, string text) => s.Append(' ', indent * 4).Append(text).Append('\n');
        string Offset(int v) => v switch { 0 => string.Empty, 1 => " + w", _ => $" + (w * {v})" };
        bool two = (RowBlockRows.Contains(rows) || rows > 8) && rows > OnePointerRows;
        int pointers = rows > ThreePointerRows ? 3 : two ? 2 : 1;
        int group = (rows + pointers - 1) / pointers;
        int offsets = group - 1;

        if (RowBlockRows.Contains(rows))
        {
            Line(1, $"/// <summary>{rows} row(s) × {vectors} vector(s), for <paramref name=\"blocks\"/> (≥ 1) blocks of {rows} row(s): block i reads A from");
            Line(1, $"/// <c>a + i·{rows}·rsA</c> and writes C from <c>c + i·{rows}·ldc</c>, so a column of tiles costs one call; with");
            Line(1, "/// <paramref name=\"across\"/> ≠ 0 (whole vectors, TC = FullColumns), block i reads B from <c>b + i·bAcross</c> and writes");
            Line(1, "/// C from <c>c + i·across</c>, so a row of tiles costs one call.</summary>");
        }
        else
        {
            Line(1, $"/// <summary>{rows} row(s) × {vectors} vector(s), one block (a row tail; <paramref name=\"blocks\"/> must be 1, and");
            Line(1, "/// <paramref name=\"across\"/> and <paramref name=\"bAcross\"/> are unused).</summary>");
        }

        if (parked)
        {
            Line(1, $"/// <remarks>K{rows}x{vectors} for an epilogue that <see cref=\"IGemmEpilogue.ParksAccumulators\"/>: after the K loop the");
            Line(1, "/// accumulators are parked on the stack and stored through one store per column of vectors in a loop over the rows.</remarks>");
        }

        Line(1, "[MethodImpl(KernelCompilation.Hot)]");
        if (parked)
        {
            Line(1, "[SkipLocalsInit]");
        }

        Line(1, $"public static void {name}<TS, TV, TC, TE>(int blocks, int k, float* a, nint rsA, nint csA, float* b, nint ldb, float* c, nint ldc, nint column, int tail, TE epi, nint across, nint bAcross)");
        Line(2, "where TS : ISimd<TV>");
        Line(2, "where TV : struct");
        Line(2, "where TC : IColumnAccess");
        Line(2, "where TE : IGemmEpilogue");
        Line(1, "{");
        Line(2, "TV mask = TS.CreateMask(tail);");
        if (vectors > 1 || parked)
        {
            Line(2, "nint w = TS.Count;");
        }

        if (parked)
        {
            Line(2, $"float* parked = stackalloc float[{rows * vectors} * 16]; // {rows * vectors} vectors of up to 16 lanes, for every block");
        }

        for (int r = 1; r <= offsets; r++)
        {
            Line(2, r == 1 ? "nint r1 = rsA;" : $"nint r{r} = rsA * {r};");
        }

        // The K loop steps its pointers by byte strides computed once: a float* += stride would scale the stride by 4
        // again on every k (one more instruction in a loop of a few dozen).
        Line(2, "nint aBytes = csA * sizeof(float);");
        Line(2, "nint bBytes = ldb * sizeof(float);");

        // Only the kernels the direct loops hand whole columns of row blocks (RowBlockRows) carry the block loop; a
        // row-tail kernel always gets one block, and leaving the loop out keeps its JIT time where it was.
        bool looped = RowBlockRows.Contains(rows);
        int d = looped ? 1 : 0;
        if (looped)
        {
            Line(2, rows == 1 ? "nint aStep = across == 0 ? rsA : 0;" : $"nint aStep = across == 0 ? rsA * {rows} : 0;");
            Line(2, rows == 1 ? "nint cStep = across == 0 ? ldc : across;" : $"nint cStep = across == 0 ? ldc * {rows} : across;");
            Line(2, "for (int block = 0; block < blocks; block++)");
            Line(2, "{");
        }
        else
        {
            Line(2, "if (blocks != 1)");
            Line(2, "{");
            Line(3, $"throw new GemmKernelMissingException({rows}, {vectors}, blocks);");
            Line(2, "}");
            s.Append('\n');
        }

        Line(2 + d, "float* ap = a;");
        Line(2 + d, "float* bp = b;");
        for (int g = 1; g < pointers; g++)
        {
            Line(2 + d, $"float* a{g * group} = a + (rsA * {g * group}); // rows {g * group}.. reuse the offsets of rows 0.. (fewer live registers)");
        }

        // An epilogue that seeds from C (a chain continued across calls, GemmStream's K chunks) starts each
        // accumulator from C's value; every other epilogue starts from zero. TE.SeedsFromC is a constant per
        // instantiation, so the JIT keeps only one of the two.
        for (int r = 0; r < rows; r++)
        {
            string row = r == 0 ? "c" : $"c + (ldc * {r})";
            for (int v = 0; v < vectors; v++)
            {
                string address = v == 0 ? row : $"{row}{Offset(v)}";
                string load = v < vectors - 1 ? $"TS.Load(ref *({address}), 0)" : $"TC.Load<TS, TV>({address}, mask)";
                Line(2 + d, $"TV c{r}{v} = TE.SeedsFromC ? {load} : default;");
            }
        }

        // The k loop. Where TC over-reads (OverReadColumns), the rows from `whole` on, whose last vector of B would run
        // past B's end, load it masked. A kernel one vector wide takes them in a second loop after the first; a wider one
        // tests p in its one loop instead. A second copy of a wide body doubled its inlined temporaries, and in the
        // kernels with 21 or 24 accumulators (K7x3, K8x3) the JIT then kept 16 of them in memory, a load and a store
        // around every FMA: A·B 8×128×44 took 1.85 µs against 0.92 masked. The test in the loop gives 0.89, as fast as
        // 8×128×48; in a one-vector kernel, whose only vector of B is the over-read one, it cost (4×128×15 0.21 µs against
        // 0.18 masked and with two loops; Zen 4, benchmarks/RESULTS.md, fifty-eighth session). TC.OverReads is a constant
        // per instantiation, so every other access compiles to the plain loop.
        Line(2 + d, "int whole = TC.WholeRows(k, ldb, tail, TS.Count);");
        if (vectors == 1)
        {
            Line(2 + d, "int p = 0;");
            KLoop(2 + d, "; p < whole", LastLoad.Operand);
            Line(2 + d, "if (TC.OverReads)");
            Line(2 + d, "{");
            KLoop(3 + d, "; p < k", LastLoad.Masked);
            Line(2 + d, "}");
        }
        else
        {
            KLoop(2 + d, "int p = 0; p < k", LastLoad.MaskedFromWhole);
        }

        s.Append('\n');
        if (parked)
        {
            for (int r = 0; r < rows; r++)
            {
                for (int v = 0; v < vectors; v++)
                {
                    int slot = (r * vectors) + v;
                    string at = slot == 0 ? "parked" : slot == 1 ? "parked + w" : $"parked + (w * {slot})";
                    Line(2 + d, $"TS.Store(c{r}{v}, ref *({at}), 0);");
                }
            }

            Line(2 + d, $"for (int r = 0; r < {rows}; r++)");
            Line(2 + d, "{");
            Line(3 + d, "float* qr = c + (ldc * r);");
            Line(3 + d, vectors == 1 ? "float* pr = parked + (w * r);" : $"float* pr = parked + (w * {vectors} * r);");
            for (int v = 0; v < vectors; v++)
            {
                string access = v < vectors - 1 ? "FullColumns" : "TC";
                string column = v == 0 ? "column" : $"column{Offset(v)}";
                string slot = v == 0 ? "pr" : $"pr{Offset(v)}";
                Line(3 + d, $"GemmStore.Put<TS, TV, {access}, TE>(epi, TS.Load(ref *({slot}), 0), qr{Offset(v)}, {column}, mask);");
            }

            Line(2 + d, "}");
        }

        for (int r = 0; r < (parked ? 0 : rows); r++)
        {
            Line(2 + d, r == 0 ? "float* q0 = c;" : $"float* q{r} = c + (ldc * {r});");
            for (int v = 0; v < vectors; v++)
            {
                string access = v < vectors - 1 ? "FullColumns" : "TC";
                string column = v == 0 ? "column" : $"column{Offset(v)}";
                Line(2 + d, $"GemmStore.Put<TS, TV, {access}, TE>(epi, c{r}{v}, q{r}{Offset(v)}, {column}, mask);");
            }
        }

        if (looped)
        {
            s.Append('\n');
            Line(3, "a += aStep;");
            Line(3, "b += bAcross;");
            Line(3, "c += cStep;");
            Line(3, "column += across;");
            Line(2, "}");
        }
        Line(1, "}");

        void KLoop(int indent, string condition, LastLoad lastLoad)
        {
            Line(indent, $"for ({condition}; p++)");
            Line(indent, "{");
            for (int v = 0; v < vectors; v++)
            {
                string address = v == 0 ? "bp" : $"bp{Offset(v)}";
                string operand = $"TC.LoadOperand<TS, TV>({address}, mask)";
                string masked = $"TS.LoadMasked({address}, mask)";
                string last = lastLoad switch
                {
                    LastLoad.Operand => operand,
                    LastLoad.Masked => masked,
                    _ => $"TC.OverReads && p >= whole ? {masked} : {operand}",
                };
                Line(indent + 1, v < vectors - 1 ? $"TV b{v} = TS.Load(ref *({address}), 0);" : $"TV b{v} = {last};");
            }

            for (int r = 0; r < rows; r++)
            {
                int local = r % group;
                string pointer = r < group ? "ap" : $"a{r / group * group}";
                // A's address, not its value: a broadcast load, the only form AVX without AVX2 has, which AVX-512 folds
                // into the FMA's memory operand.
                string element = local == 0 ? pointer : $"{pointer} + r{local}";
                if (vectors == 1)
                {
                    // One FMA per broadcast: the broadcast folds into the FMA's memory operand (MultiplyAddBroadcastTo).
                    Line(indent + 1, $"TS.MultiplyAddBroadcastTo(ref c{r}0, {element}, b0);");
                    continue;
                }

                Line(indent + 1, $"TV x{r} = TS.BroadcastFrom({element});");
                for (int v = 0; v < vectors; v++)
                {
                    Line(indent + 1, $"TS.MultiplyAddTo(ref c{r}{v}, x{r}, b{v});");
                }
            }

            Line(indent + 1, "ap = (float*)((byte*)ap + aBytes);");
            for (int g = 1; g < pointers; g++)
            {
                Line(indent + 1, $"a{g * group} = (float*)((byte*)a{g * group} + aBytes);");
            }

            Line(indent + 1, "bp = (float*)((byte*)bp + bBytes);");
            Line(indent, "}");
        }
    }

    /// <summary>How a k loop loads the last vector of each row of B.</summary>
    private enum LastLoad
    {
        /// <summary>Through the column access (TC.LoadOperand): whole, masked or padded as TC says.</summary>
        Operand,

        /// <summary>Masked: the over-reading access's last rows.</summary>
        Masked,

        /// <summary>Through the column access up to row <c>whole</c>, masked from there when TC over-reads.</summary>
        MaskedFromWhole,
    }
}
