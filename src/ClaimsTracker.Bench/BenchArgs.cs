namespace ClaimsTracker.Bench;

/// <summary>The command line ops/bench and ops/cluster-bench pass; a value is required only when its measure runs.</summary>
internal sealed class BenchArgs(string[] args)
{
    public bool Quick => Has("--quick");

    public string? Only => Optional("--only");

    public string? Against => Optional("--against");

    public string Codegen => (Has("--pregenerated") ? "pre-generated code (TypeLoadMode.Static)" : "runtime code generation (TypeLoadMode.Dynamic)")
        + (Has("--ready-to-run") ? ", published with ReadyToRun" : "");

    public bool Has(string flag) => args.Contains(flag);

    public string? Optional(string name) => args.SkipWhile(a => a != name).Skip(1).FirstOrDefault();

    public string Required(string name) => Optional(name) ?? throw new ArgumentException($"missing {name}");
}
