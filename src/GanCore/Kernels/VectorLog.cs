using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace GanCore.Kernels;

/// <summary>
/// The natural logarithm of doubles, eight at a time with AVX-512, bit for bit what <see cref="Math.Log(double)"/> gives
/// one at a time through glibc's <c>log</c>: the polar method's −2·ln s / s for a block of Gaussian pairs
/// (<see cref="PolarFactors"/>) took one call per pair.
/// </summary>
/// <remarks>
/// <para>glibc's <c>log</c> (2.28 and later, Szabolcs Nagy's optimized routines) has two paths. For x within
/// [1 − 2⁻⁴, 1 + 0x1.09p−4) it evaluates log(1 + r), r = x − 1, as r + B₀r² + r³·(a degree-9 polynomial), with r² split
/// into a high and a low part (Dekker's 2²⁷ split) so the leading terms carry extra precision. Elsewhere it writes
/// x = 2^k·z with z in [0.69, 1.38), takes 1/c and log c from a 128-entry table picked by z's top seven mantissa bits,
/// and adds k·ln 2 (in two parts) + log c + r + A₀r² + r³·(a cubic), r = z/c − 1, with the high and low parts of the
/// sum kept apart until the end. This kernel runs both paths on all eight lanes and keeps each lane's own, with the
/// same constants and the same fused multiply-adds the library's build for FMA-capable x86-64 CPUs has (read from its
/// machine code; the 2²⁷ split and the w = rhi²·B₀ terms are fused there too). Lanes equal to 1 give +0, as
/// <c>log</c> does.</para>
/// <para>As with the objectives' <c>expf</c> and <c>logf</c> (docs/kernels.md, "The C library's exp and log, eight at a
/// time"), nothing is assumed: <see cref="IsExact"/>
/// compares the kernel with <see cref="Math.Log(double)"/> once per process on 512 fixed doubles from both paths, and
/// the kernel is used only if every bit agrees. A group with a lane outside the normal positive range (0, subnormal,
/// negative, ∞, NaN) takes the scalar function whole.</para>
/// </remarks>
internal static unsafe class VectorLog
{
    private const double Ln2Hi = 0.6931471805598903; // bits 0x3FE62E42FEFA3800
    private const double Ln2Lo = 5.497923018708371E-14; // bits 0x3D2EF35793C76730
    private const double A0 = -0.5000000000000001; // bits 0xBFE0000000000001
    private const double A1 = 0.33333333331825593; // bits 0x3FD555555551305B
    private const double A2 = -0.2499999999622955; // bits 0xBFCFFFFFFFEB4590
    private const double A3 = 0.20000304511814496; // bits 0x3FC999B324F10111
    private const double A4 = -0.16667054827627667; // bits 0xBFC55575E506C89F
    private const double B0 = -0.5;
    private const double B1 = 0.3333333333333352; // bits 0x3FD5555555555577
    private const double B2 = -0.24999999999998432; // bits 0xBFCFFFFFFFFFFDCB
    private const double B3 = 0.19999999999320328; // bits 0x3FC999999995DD0C
    private const double B4 = -0.16666666669929706; // bits 0xBFC55555556745A7
    private const double B5 = 0.14285715076560868; // bits 0x3FC24924A344DE30
    private const double B6 = -0.12499997863982555; // bits 0xBFBFFFFFA4423D65
    private const double B7 = 0.11110712032936046; // bits 0x3FBC7184282AD6CA
    private const double B8 = -0.10000486757818193; // bits 0xBFB999EB43B068FF
    private const double B9 = 0.09181994006195467; // bits 0x3FB78182F7AFD085
    private const double B10 = -0.08328363062289341; // bits 0xBFB5521375D145CD

    /// <summary>1/c for the 128 intervals of z.</summary>
    private static readonly ulong[] InverseC =
    [
        0x3FF734F0C3E0DE9F, 0x3FF713786A2CE91F, 0x3FF6F26008FAB5A0, 0x3FF6D1A61F138C7D,
        0x3FF6B1490BC5B4D1, 0x3FF69147332F0CBA, 0x3FF6719F18224223, 0x3FF6524F99A51ED9,
        0x3FF63356AA8F24C4, 0x3FF614B36B9DDC14, 0x3FF5F66452C65C4C, 0x3FF5D867B5912C4F,
        0x3FF5BABCCB5B90DE, 0x3FF59D61F2D91A78, 0x3FF5805612465687, 0x3FF56397CEE76BD3,
        0x3FF54725E2A77F93, 0x3FF52AFF42064583, 0x3FF50F22DBB2BDDF, 0x3FF4F38F4734DED7,
        0x3FF4D843CFDE2840, 0x3FF4BD3EC078A3C8, 0x3FF4A27FC3E0258A, 0x3FF4880524D48434,
        0x3FF46DCE1B192D0B, 0x3FF453D9D3391854, 0x3FF43A2744B4845A, 0x3FF420B54115F8FB,
        0x3FF40782DA3EF4B1, 0x3FF3EE8F5D57FE8F, 0x3FF3D5D9A00B4CE9, 0x3FF3BD60C010C12B,
        0x3FF3A5242B75DAB8, 0x3FF38D22CD9FD002, 0x3FF3755BC5847A1C, 0x3FF35DCE49AD36E2,
        0x3FF34679984DD440, 0x3FF32F5CCEFFCB24, 0x3FF3187775A10D49, 0x3FF301C8373E3990,
        0x3FF2EB4EBB95F841, 0x3FF2D50A0219A9D1, 0x3FF2BEF9A8B7FD2A, 0x3FF2A91C7A0C1BAB,
        0x3FF293726014B530, 0x3FF27DFA5757A1F5, 0x3FF268B39B1D3BBF, 0x3FF2539D838FF5BD,
        0x3FF23EB7AAC9083B, 0x3FF22A012BA940B6, 0x3FF2157996CC4132, 0x3FF201201DD2FC9B,
        0x3FF1ECF4494D480B, 0x3FF1D8F5528F6569, 0x3FF1C52311577E7C, 0x3FF1B17C74CB26E9,
        0x3FF19E010C2C1AB6, 0x3FF18AB07BB670BD, 0x3FF1778A25EFBCB6, 0x3FF1648D354C31DA,
        0x3FF151B990275FDD, 0x3FF13F0EA432D24C, 0x3FF12C8B7210F9DA, 0x3FF11A3028ECB531,
        0x3FF107FBDA8434AF, 0x3FF0F5EE0F4E6BB3, 0x3FF0E4065D2A9FCE, 0x3FF0D244632CA521,
        0x3FF0C0A77CE2981A, 0x3FF0AF2F83C636D1, 0x3FF09DDB98A01339, 0x3FF08CABAF52E7DF,
        0x3FF07B9F2F4E28FB, 0x3FF06AB58C358F19, 0x3FF059EEA5ECF92C, 0x3FF04949CDD12C90,
        0x3FF038C6C6F0ADA9, 0x3FF02865137932A9, 0x3FF0182427EA7348, 0x3FF008040614B195,
        0x3FEFE01FF726FA1A, 0x3FEFA11CC261EA74, 0x3FEF6310B081992E, 0x3FEF25F63CEEADCD,
        0x3FEEE9C8039113E7, 0x3FEEAE8078CBB1AB, 0x3FEE741AA29D0C9B, 0x3FEE3A91830A99B5,
        0x3FEE01E009609A56, 0x3FEDCA01E577BB98, 0x3FED92F20B7C9103, 0x3FED5CAC66FB5CCE,
        0x3FED272CAA5EDE9D, 0x3FECF26E3E6B2CCD, 0x3FECBE6DA2A77902, 0x3FEC8B266D37086D,
        0x3FEC5894BD5D5804, 0x3FEC26B533BB9F8C, 0x3FEBF583EEECE73F, 0x3FEBC4FD75DB96C1,
        0x3FEB951E0C864A28, 0x3FEB65E2C5EF3E2C, 0x3FEB374867C9888B, 0x3FEB094B211D304A,
        0x3FEADBE885F2EF7E, 0x3FEAAF1D31603DA2, 0x3FEA82E63FD358A7, 0x3FEA5740EF09738B,
        0x3FEA2C2A90AB4B27, 0x3FEA01A01393F2D1, 0x3FE9D79F24DB3C1B, 0x3FE9AE2505C7B190,
        0x3FE9852EF297CE2F, 0x3FE95CBAEEA44B75, 0x3FE934C69DE74838, 0x3FE90D4F2F6752E6,
        0x3FE8E6528EFFD79D, 0x3FE8BFCE9FCC007C, 0x3FE899C0DABEC30E, 0x3FE87427AA2317FB,
        0x3FE84F00ACB39A08, 0x3FE82A49E8653E55, 0x3FE8060195F40260, 0x3FE7E22563E0A329,
        0x3FE7BEB377DCB5AD, 0x3FE79BAA679725C2, 0x3FE77907F2170657, 0x3FE756CADBD6130C
    ];

    /// <summary>log c for the 128 intervals of z.</summary>
    private static readonly ulong[] LogC =
    [
        0xBFD7CC7F79E69000, 0xBFD76FEEC20D0000, 0xBFD713E31351E000, 0xBFD6B85B38287800,
        0xBFD65D5590807800, 0xBFD602D076180000, 0xBFD5A8CA86909000, 0xBFD54F4356035000,
        0xBFD4F637C36B4000, 0xBFD49DA7FDA85000, 0xBFD445923989A800, 0xBFD3EDF439B0B800,
        0xBFD396CE448F7000, 0xBFD3401E17BDA000, 0xBFD2E9E2EF468000, 0xBFD2941B3830E000,
        0xBFD23EC58CDA8800, 0xBFD1E9E129279000, 0xBFD1956D2B48F800, 0xBFD141679AB9F800,
        0xBFD0EDD094EF9800, 0xBFD09AA518DB1000, 0xBFD047E65263B800, 0xBFCFEB224586F000,
        0xBFCF474A7517B000, 0xBFCEA4443D103000, 0xBFCE020D44E9B000, 0xBFCD60A22977F000,
        0xBFCCC00104959000, 0xBFCC202956891000, 0xBFCB81178D811000, 0xBFCAE2C9CCD3D000,
        0xBFCA45402E129000, 0xBFC9A877681DF000, 0xBFC90C6D69483000, 0xBFC87120A645C000,
        0xBFC7D68FB4143000, 0xBFC73CB83C627000, 0xBFC6A39A9B376000, 0xBFC60B3154B7A000,
        0xBFC5737D76243000, 0xBFC4DC7B8FC23000, 0xBFC4462C51D20000, 0xBFC3B08ABC830000,
        0xBFC31B996B490000, 0xBFC2875490A44000, 0xBFC1F3B9F879A000, 0xBFC160C8252CA000,
        0xBFC0CE7F57F72000, 0xBFC03CDC49FEA000, 0xBFBF57BDBC4B8000, 0xBFBE370896404000,
        0xBFBD17983EF94000, 0xBFBBF9674ED8A000, 0xBFBADC79202F6000, 0xBFB9C0C3E7288000,
        0xBFB8A646B372C000, 0xBFB78D01B3AC0000, 0xBFB674F145380000, 0xBFB55E0E6D878000,
        0xBFB4485CDEA1E000, 0xBFB333D94D6AA000, 0xBFB22079F8C56000, 0xBFB10E4698622000,
        0xBFAFFA6C6AD20000, 0xBFADDA8D4A774000, 0xBFABBCECE4850000, 0xBFA9A1894012C000,
        0xBFA788583302C000, 0xBFA5715E67D68000, 0xBFA35C8A49658000, 0xBFA149E364154000,
        0xBF9E72C082EB8000, 0xBF9A55F152528000, 0xBF963D62CF818000, 0xBF9228FB8CAA0000,
        0xBF8C317B20F90000, 0xBF8419355DAA0000, 0xBF781203C2EC0000, 0xBF60040979240000,
        0x3F6FEFF384900000, 0x3F87DC41353D0000, 0x3F93CEA3C4C28000, 0x3F9B9FC114890000,
        0x3FA1B0D8CE110000, 0x3FA58A5BD001C000, 0x3FA95C8340D88000, 0x3FAD276AEF578000,
        0x3FB07598E598C000, 0x3FB253F5E30D2000, 0x3FB42EDD8B380000, 0x3FB606598757C000,
        0x3FB7DA76356A0000, 0x3FB9AB434E1C6000, 0x3FBB78C7BB0D6000, 0x3FBD431332E72000,
        0x3FBF0A3171DE6000, 0x3FC067152B914000, 0x3FC147858292B000, 0x3FC2266ECDCA3000,
        0x3FC303D7A6C55000, 0x3FC3DFC33C331000, 0x3FC4BA366B7A8000, 0x3FC5933928D1F000,
        0x3FC66ACD2418F000, 0x3FC740F8EC669000, 0x3FC815C0F51AF000, 0x3FC8E92954F68000,
        0x3FC9BB3602F84000, 0x3FCA8BED1C2C0000, 0x3FCB5B515C01D000, 0x3FCC2967CCBCC000,
        0x3FCCF635D5486000, 0x3FCDC1BD3446C000, 0x3FCE8C01B8CFE000, 0x3FCF5509C0179000,
        0x3FD00E6C121FB800, 0x3FD071B80E93D000, 0x3FD0D46B9E867000, 0x3FD13687334BD000,
        0x3FD1980D67234800, 0x3FD1F8FFE0CC8000, 0x3FD2595FD7636800, 0x3FD2B9300914A800,
        0x3FD3187210436000, 0x3FD377266DEC1800, 0x3FD3D54FFBAF3000, 0x3FD432EEE32FE000
    ];

    /// <summary>0 until <see cref="IsExact"/> has run the check, then 1 (exact) or −1. A plain field, not a
    /// <see cref="Lazy{T}"/>: the kernels read it on every call, also as precompiled code. Two threads may both run the
    /// check once; they get the same answer.</summary>
    private static int s_exact;

    /// <summary>Whether the eight-lane kernel runs here and gives this platform's bits (checked once per process).</summary>
    public static bool IsExact
    {
        get
        {
            int exact = Volatile.Read(ref s_exact);
            if (exact == 0)
            {
                exact = RunCheck() ? 1 : -1;
                Volatile.Write(ref s_exact, exact);
            }

            return exact > 0;
        }
    }

    /// <summary>q[i] ← −2·ln(q[i]) / q[i] for i &lt; <paramref name="n"/>: the polar method's factor for s = q[i], bit for bit
    /// the scalar <c>-2.0 * Math.Log(q) / q</c>.</summary>
    [MethodImpl(KernelCompilation.Hot)]
    public static void PolarFactors(double* q, int n)
    {
        int i = 0;
        if (IsExact)
        {
            fixed (ulong* inverseC = InverseC, logC = LogC)
            {
                for (; i + 8 <= n; i += 8)
                {
                    if (!Eight(q + i, q + i, (double*)inverseC, (double*)logC, polar: true))
                    {
                        for (int j = i; j < i + 8; j++)
                        {
                            q[j] = -2.0 * Math.Log(q[j]) / q[j];
                        }
                    }
                }
            }
        }

        for (; i < n; i++)
        {
            q[i] = -2.0 * Math.Log(q[i]) / q[i];
        }
    }

    /// <summary>y[i] = ln x[i], bit for bit <see cref="Math.Log(double)"/> (the tests' and the check's entry); the kernel
    /// only when <paramref name="vector"/> and the host has AVX-512 F and DQ.</summary>
    internal static void Log(ReadOnlySpan<double> x, Span<double> y, bool vector)
    {
        int i = 0;
        if (vector && Avx512F.IsSupported && Avx512DQ.IsSupported)
        {
            fixed (double* px = x, py = y)
            fixed (ulong* inverseC = InverseC, logC = LogC)
            {
                for (; i + 8 <= x.Length; i += 8)
                {
                    if (!Eight(px + i, py + i, (double*)inverseC, (double*)logC, polar: false))
                    {
                        for (int j = i; j < i + 8; j++)
                        {
                            py[j] = Math.Log(px[j]);
                        }
                    }
                }
            }
        }

        for (; i < x.Length; i++)
        {
            y[i] = Math.Log(x[i]);
        }
    }

    /// <summary>ln of the eight doubles at <paramref name="px"/>, both of glibc's paths on every lane, stored to
    /// <paramref name="py"/> (which may be <paramref name="px"/>) as ln x or, with <paramref name="polar"/>, −2·ln x / x.
    /// Returns false, having stored nothing, when a lane is 0, subnormal, negative, ∞ or NaN. Pointers in and out, no
    /// vector across the call: precompiled code must not pass a vector to a method it does not inline (docs/kernels.md,
    /// "Warm-up"), and this one is too large to inline. The table entries are gathered four at a time, the halves of
    /// the index vector taken and the results put together with <c>Avx512F</c>'s extract and insert: with
    /// <c>GetLower</c>, <c>GetUpper</c> and <c>Vector512.Create</c> on them the method stayed out of the ReadyToRun image
    /// and a fresh process compiled it in its first step (2.8–8.8 ms).</summary>
    [MethodImpl(MethodImplOptions.NoInlining | KernelCompilation.Hot)]
    private static bool Eight(double* px, double* py, double* inverseC, double* logC, bool polar)
    {
        Vector512<double> x = Avx512F.LoadVector512(px);

        // The bits as 32-bit words (LaneWords: no 64-bit integer vector for a fresh process to load). Every constant the
        // bits are compared with, subtracted or masked by below has a low word of 0, so each 64-bit step is a step on
        // the high words alone; they are taken out where a step needs nothing else.
        Vector512<int> words = x.AsInt32();
        Vector256<int> high = Avx512F.ExtractVector256(Avx512F.PermuteVar16x32(words, LaneWords.HighWordsFirst()), 0);

        // Normal and positive: the top 16 bits (sign, exponent, 4 mantissa bits) minus 0x10 below 0x7FE0, unsigned (a
        // signed comparison after flipping both sign bits).
        Vector256<int> signBit = Vector256.Create(int.MinValue);
        Vector256<int> top = Avx2.ShiftRightLogical(high, 16);
        Vector256<int> outside = Avx2.CompareGreaterThan(Avx2.Xor(Avx2.Subtract(top, Vector256.Create(0x10)), signBit), Vector256.Create(0x7FDF ^ int.MinValue));
        if (!Avx.TestZ(outside, outside))
        {
            return false;
        }

        // Near 1 (x − (1 − 2⁻⁴) below 0x1.09p−4 + 2⁻⁴ in the bits): log(1 + r) with r = x − 1.
        Vector512<double> r = Avx512F.Subtract(x, Vector512.Create(1.0));
        Vector512<double> r2 = Avx512F.Multiply(r, r);
        Vector512<double> r3 = Avx512F.Multiply(r, r2);
        Vector512<double> q2 = Avx512F.FusedMultiplyAdd(r, Vector512.Create(B2), Vector512.Create(B1));
        Vector512<double> q5 = Avx512F.FusedMultiplyAdd(r, Vector512.Create(B5), Vector512.Create(B4));
        Vector512<double> q8 = Avx512F.FusedMultiplyAdd(r, Vector512.Create(B8), Vector512.Create(B7));
        q2 = Avx512F.FusedMultiplyAdd(r2, Vector512.Create(B3), q2);
        q5 = Avx512F.FusedMultiplyAdd(r2, Vector512.Create(B6), q5);
        Vector512<double> t = Avx512F.FusedMultiplyAdd(r2, Vector512.Create(B9), q8);
        t = Avx512F.FusedMultiplyAdd(r3, Vector512.Create(B10), t);
        t = Avx512F.FusedMultiplyAdd(t, r3, q5);
        Vector512<double> poly = Avx512F.FusedMultiplyAdd(t, r3, q2);
        Vector512<double> split = Vector512.Create(134217728.0); // 2^27
        Vector512<double> rhi = Avx512F.FusedMultiplyAddNegated(split, r, Avx512F.FusedMultiplyAdd(r, split, r));
        Vector512<double> rhi2 = Avx512F.Multiply(rhi, rhi);
        Vector512<double> b0 = Vector512.Create(B0);
        Vector512<double> hi = Avx512F.FusedMultiplyAdd(rhi2, b0, r);
        Vector512<double> lo = Avx512F.FusedMultiplyAdd(rhi2, b0, Avx512F.Subtract(r, hi));
        lo = Avx512F.FusedMultiplyAdd(Avx512F.Multiply(b0, Avx512F.Subtract(r, rhi)), Avx512F.Add(r, rhi), lo);
        Vector512<double> nearOne = Avx512F.Add(hi, Avx512F.FusedMultiplyAdd(poly, r3, lo));

        // Elsewhere: x = 2^k·z, 1/c and log c for z's top seven mantissa bits.
        // tmp = bits − 0x3FE6000000000000: the slot is its bits 45–51 and k its top 12 bits, signed (in the high word,
        // bits 13–19 and 20–31); z's bits are x's with tmp's top 12 bits taken off the high word.
        Vector256<int> tmp = Avx2.Subtract(high, Vector256.Create(0x3FE60000));
        Vector256<int> slot = Avx2.And(Avx2.ShiftRightLogical(tmp, 13), Vector256.Create(127));
        Vector512<double> kd = Avx512F.ConvertToVector512Double(Avx2.ShiftRightArithmetic(tmp, 20));
        Vector512<int> tmpWords = Avx512F.Subtract(words, LaneWords.High512(0x3FE60000));
        Vector512<double> z = Avx512F.Subtract(words, Avx512F.And(tmpWords, LaneWords.High512(unchecked((int)0xFFF00000)))).AsDouble();
        Vector128<int> slotLow = Avx2.ExtractVector128(slot, 0);
        Vector128<int> slotHigh = Avx2.ExtractVector128(slot, 1);
        Vector512<double> invc = Avx512F.InsertVector256(Avx512F.InsertVector256(Vector512<double>.Zero, Avx2.GatherVector256(inverseC, slotLow, 8), 0), Avx2.GatherVector256(inverseC, slotHigh, 8), 1);
        Vector512<double> logc = Avx512F.InsertVector256(Avx512F.InsertVector256(Vector512<double>.Zero, Avx2.GatherVector256(logC, slotLow, 8), 0), Avx2.GatherVector256(logC, slotHigh, 8), 1);
        Vector512<double> w = Avx512F.FusedMultiplyAdd(kd, Vector512.Create(Ln2Hi), logc);
        Vector512<double> rm = Avx512F.FusedMultiplyAdd(z, invc, Vector512.Create(-1.0));
        Vector512<double> p1 = Avx512F.FusedMultiplyAdd(rm, Vector512.Create(A2), Vector512.Create(A1));
        Vector512<double> him = Avx512F.Add(rm, w);
        Vector512<double> rm2 = Avx512F.Multiply(rm, rm);
        Vector512<double> lom = Avx512F.Add(Avx512F.Subtract(w, him), rm);
        lom = Avx512F.FusedMultiplyAdd(kd, Vector512.Create(Ln2Lo), lom);
        Vector512<double> rm3 = Avx512F.Multiply(rm, rm2);
        Vector512<double> p2 = Avx512F.FusedMultiplyAdd(rm, Vector512.Create(A4), Vector512.Create(A3));
        lom = Avx512F.FusedMultiplyAdd(rm2, Vector512.Create(A0), lom);
        Vector512<double> p = Avx512F.FusedMultiplyAdd(p2, rm2, p1);
        Vector512<double> elsewhere = Avx512F.Add(Avx512F.FusedMultiplyAdd(rm3, p, lom), him);

        // The band near 1: bits − 0x3FEE000000000000 at most 0x000308FFFFFFFFFF, unsigned, that is, the high word's
        // difference at most 0x308FF (whatever the low word); the answer, in each lane's high word, copied to its low word.
        Vector512<int> nearWords = Avx512F.CompareLessThanOrEqual(Avx512F.Xor(Avx512F.Subtract(words, LaneWords.High512(0x3FEE0000)), Vector512.Create(int.MinValue)), Vector512.Create(0x308FF ^ int.MinValue));
        Vector512<double> near = Avx512F.Shuffle(nearWords, LaneWords.HighToBoth).AsDouble();
        Vector512<double> log = Vector512.ConditionalSelect(near, nearOne, elsewhere);

        // log 1 = +0: both words equal those of 1.0.
        Vector512<int> oneWords = Avx512F.CompareEqual(words, Vector512.Create(1.0).AsInt32());
        Vector512<double> isOne = Avx512F.And(oneWords, Avx512F.Shuffle(oneWords, LaneWords.SwapWords)).AsDouble();
        log = Vector512.ConditionalSelect(isOne, Vector512<double>.Zero, log);
        Avx512F.Store(py, polar ? Avx512F.Divide(Avx512F.Multiply(Vector512.Create(-2.0), log), x) : log);
        return true;
    }

    /// <summary>The kernel against <see cref="Math.Log(double)"/> on 512 doubles: a third in (0, 1) as the polar method
    /// draws them, a third in the band near 1, a third with exponents −512…511.</summary>
    [SkipLocalsInit]
    private static bool RunCheck()
    {
        if (!Avx512F.IsSupported || !Avx512DQ.IsSupported)
        {
            return false;
        }

        // 512 doubles on the stack: the check runs inside a process's first training step, where every fresh page of
        // memory costs a fault (see LogisticKernel's check).
        const int count = 512;
        Span<double> x = stackalloc double[count];
        ulong state = 0x9E3779B97F4A7C15ul;
        for (int i = 0; i < count; i++)
        {
            state = (state * 6364136223846793005ul) + 1442695040888963407ul;
            double u = (state >> 11) * (1.0 / (1ul << 53));
            x[i] = (i % 3) switch
            {
                0 => u == 0 ? 0.5 : u,
                1 => 0.9375 + (u * 0.127),
                _ => Math.ScaleB(1.0 + u, (int)(state & 1023) - 512),
            };
        }

        x[0] = 1.0;
        Span<double> y = stackalloc double[count];
        Log(x, y, vector: true);
        for (int i = 0; i < count; i++)
        {
            if (BitConverter.DoubleToInt64Bits(y[i]) != BitConverter.DoubleToInt64Bits(Math.Log(x[i])))
            {
                return false;
            }
        }

        return true;
    }
}
