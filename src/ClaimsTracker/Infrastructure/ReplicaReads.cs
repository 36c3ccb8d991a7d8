using JasperFx.CodeGeneration;
using JasperFx.CodeGeneration.Frames;
using JasperFx.CodeGeneration.Model;
using Marten;
using Npgsql;
using Wolverine;

namespace ClaimsTracker.Infrastructure;

/// <summary>HTTP reads through a standby; everything else, the daemon above all, stays on the primary so no event is stepped over.</summary>
public sealed class ReplicaReads(NpgsqlDataSource standby)
{
    public async Task<NpgsqlConnection> OpenAsync(CancellationToken ct)
    {
        var connection = standby.CreateConnection();
        await connection.OpenAsync(ct);
        return connection;
    }

    public static void Configure(WolverineOptions opts) => opts.CodeGeneration.Sources.Insert(0, new QuerySessionSource());

    private sealed class QuerySessionSource : IVariableSource
    {
        public bool Matches(Type type) => type == typeof(IQuerySession);

        public Variable Create(Type type) => new OpenQuerySessionFrame().Session;
    }

    private sealed class OpenQuerySessionFrame : AsyncFrame
    {
        private Variable? _store;
        private Variable? _reads;
        private Variable? _documentSession;

        public OpenQuerySessionFrame() => Session = new Variable(typeof(IQuerySession), "querySession", this);

        public Variable Session { get; }

        public override IEnumerable<Variable> FindVariables(IMethodVariables chain)
        {
            // which kind of chain this is shows only in the generated method's arguments, at GenerateCode
            _store = chain.FindVariable(typeof(IDocumentStore));
            yield return _store;
            _reads = chain.FindVariable(typeof(ReplicaReads));
            yield return _reads;
            _documentSession = chain.FindVariable(typeof(IDocumentSession));
            yield return _documentSession;
        }

        public override void GenerateCode(GeneratedMethod method, ISourceWriter writer)
        {
            var http = method.Arguments.FirstOrDefault(a => a.VariableType == typeof(HttpContext));
            if (http is not null)
            {
                writer.Write($"await using var replicaConnection = await {_reads!.Usage}.{nameof(OpenAsync)}({http.Usage}.RequestAborted);");
                writer.Write($"using var {Session.Usage} = {_store!.Usage}.{nameof(IDocumentStore.QuerySession)}(Marten.Services.SessionOptions.ForConnection(replicaConnection));");
            }
            else
            {
                writer.Write($"var {Session.Usage} = (Marten.IQuerySession){_documentSession!.Usage};");
            }

            Next?.GenerateCode(method, writer);
        }
    }
}
