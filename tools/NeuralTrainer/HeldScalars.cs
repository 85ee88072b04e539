using System.Reflection;
using TorchSharp;
using static TorchSharp.torch;

namespace FemHost.NeuralTrainer;

/// <summary>
/// The tensor operations of the trainer that take a number, with every <see cref="Scalar"/> they pass to libtorch
/// held by a live reference for the whole native call.
/// <para>
/// Why: TorchSharp 0.107 gives libtorch a Scalar's raw handle and keeps no reference to the managed object during
/// the call (no <c>GC.KeepAlive</c>). A Scalar that TorchSharp makes implicitly from a number — <c>a + b</c> (alpha
/// 1), <c>t.square()</c> (exponent 2), <c>1 - t</c>, <c>w * t</c>, <c>softplus</c>'s β and threshold, every
/// constant of <c>optim.Adam.step</c> — is unreachable while native code reads it. A collection started by
/// another thread in that window lets the finaliser free it, and libtorch reads freed memory: "Unknown scalar
/// type" or "Expected false to be true … c10::Scalar::toDouble". ConcurrentCollectionTests reproduces this within
/// seconds with a collecting thread beside a training. The scalars below are static (rooted for the life of the
/// process), and the results are bitwise those of the TorchSharp operators they replace (same libtorch kernels,
/// same scalar types and values).
/// </para>
/// </summary>
internal static class HeldScalars
{
    /// <summary>The integer 1, as TorchSharp passes it for the alpha of <c>add</c>.</summary>
    public static readonly Scalar One = 1.ToScalar();

    private static readonly Scalar Two = 2.ToScalar();
    private static readonly Scalar SoftplusBeta = 1.0.ToScalar();
    private static readonly Scalar SoftplusThreshold = 20.0.ToScalar();

    // Tensor.softplus(double, double) converts its arguments and calls this private overload; it is the only way
    // to reach libtorch's softplus kernel (the one whose backward is stable for large inputs) with held scalars.
    private static readonly Func<Tensor, Scalar, Scalar, Tensor> SoftplusWithScalars =
        typeof(Tensor).GetMethod("softplus1", BindingFlags.Instance | BindingFlags.NonPublic, [typeof(Scalar), typeof(Scalar)])
            ?.CreateDelegate<Func<Tensor, Scalar, Scalar, Tensor>>()
        ?? throw new InvalidOperationException("TorchSharp's Tensor.softplus1(Scalar, Scalar) is missing: HeldScalars is written for TorchSharp 0.107; "
            + "check that the TorchSharp version still passes scalars without keeping them alive and update this class");

    /// <summary>a + b, as <c>a + b</c>.</summary>
    public static Tensor Plus(Tensor a, Tensor b) => a.add(b, One);

    /// <summary>t², as <c>t.square()</c>.</summary>
    public static Tensor Squared(Tensor t) => t.pow(Two);

    /// <summary>1 − t, as <c>1 - t</c>.</summary>
    public static Tensor OneMinus(Tensor t) => t.negative().add(One, One);

    /// <summary>softplus(t) = ln(1 + eᵗ) (β = 1, linear above 20), as <c>nn.functional.softplus(t)</c>.</summary>
    public static Tensor Softplus(Tensor t) => SoftplusWithScalars(t, SoftplusBeta, SoftplusThreshold);
}
