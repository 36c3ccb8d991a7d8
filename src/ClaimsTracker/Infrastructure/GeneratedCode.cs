using JasperFx.CodeGeneration;
using Wolverine;

namespace ClaimsTracker.Infrastructure;

/// <summary>
/// Where Wolverine's handler and endpoint code comes from. A plain build generates it with Roslyn when the host
/// starts (about a second of start-up and the compiler's memory). ops/bench and ops/compose build with
/// <c>-p:ClaimsPregenerated=true</c> after <c>ops/pregenerate</c> has written the code (<c>codegen write</c>, into
/// the gitignored Internal/Generated): that build compiles it in and loads it statically, never running Roslyn.
/// The generated files are never committed, so they can never be stale: each such build writes them afresh.
/// </summary>
public static class GeneratedCode
{
#if CLAIMS_PREGENERATED
    public const TypeLoadMode Mode = TypeLoadMode.Static;
#else
    public const TypeLoadMode Mode = TypeLoadMode.Dynamic;
#endif

    public static IServiceCollection AddGeneratedCode(this IServiceCollection services) =>
        services.ConfigureWolverine(opts => opts.CodeGeneration.TypeLoadMode = Mode);
}
