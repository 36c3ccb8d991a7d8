using System.Text.RegularExpressions;
using ClaimsTracker.Claims;

namespace ClaimsTracker.Tests;

/// <summary>The table in docs/architecture.md, read against the source: each area uses only those below it, and no other area's tables.</summary>
public partial class AreaDependencyTests
{
    private static readonly Dictionary<string, string[]> MayUse = new()
    {
        ["Dashboard"] = ["Demo", "Audit", "Subscriptions", "Sources", "Claims", "Parties", "Infrastructure"],
        ["Demo"] = ["Claims", "Parties", "Infrastructure"],
        ["Audit"] = ["Sources", "Claims", "Parties", "Infrastructure"],
        ["Subscriptions"] = ["Claims", "Infrastructure"],
        ["Sources"] = ["Claims", "Infrastructure"],
        ["Claims"] = ["Parties", "Infrastructure"],
        ["Parties"] = ["Infrastructure"],
        ["Infrastructure"] = [],
    };

    private static readonly string Source = Path.Combine(RepositoryRoot(), "src", "ClaimsTracker");

    /// <summary>Each area's type names, so <c>Audit.SummaryAsOf</c> counts as a use and <c>context.Parties.Select</c> does not.</summary>
    private static readonly Dictionary<string, HashSet<string>> TypesOf = typeof(ClaimSummary).Assembly.GetTypes()
        .Where(t => t.Namespace?.Split('.') is ["ClaimsTracker", _, ..])
        .GroupBy(t => t.Namespace!.Split('.')[1])
        .ToDictionary(g => g.Key, g => g.Select(t => t.Name.Split('`')[0]).ToHashSet());

    [Fact]
    public void every_area_uses_only_the_areas_below_it_in_the_table()
    {
        var breaches = Files().SelectMany(f => Uses(f.Text).Where(used => used != f.Area && !MayUse[f.Area].Contains(used))
            .Select(used => $"{f.Path} uses {used}")).Distinct().ToList();

        breaches.ShouldBeEmpty();
    }

    [Fact]
    public void no_area_names_another_areas_document_table()
    {
        var owner = TypesOf.SelectMany(a => a.Value.Select(t => (Table: $"mt_doc_{t.ToLowerInvariant()}", Area: a.Key)))
            .GroupBy(x => x.Table).ToDictionary(g => g.Key, g => g.First().Area);

        var breaches = Files().SelectMany(f => DocumentTable().Matches(f.Text).Select(m => m.Groups["table"].Value)
            .Where(t => owner.TryGetValue(t, out var area) && area != f.Area)
            .Select(t => $"{f.Path} names {t}, a table of {owner[t]}")).Distinct().ToList();

        breaches.ShouldBeEmpty();
    }

    [Fact]
    public void the_check_sees_a_use_by_using_and_by_qualified_name_but_not_a_property_of_the_same_name()
    {
        Uses("using ClaimsTracker.Audit;").ShouldBe(["Audit"]);
        Uses("@using ClaimsTracker.Dashboard.Components").ShouldBe(["Dashboard"]);
        Uses("var x = await Audit.ClaimHistoryEndpoint.Get(a);").ShouldBe(["Audit"]);
        Uses("var p = context.Parties.Select(p => p); var q = Parties.Select(p => p);").ShouldBeEmpty();
    }

    private static IEnumerable<string> Uses(string text) =>
        Using().Matches(text).Select(m => m.Groups["area"].Value)
            .Concat(Qualified().Matches(text).Where(m => TypesOf.TryGetValue(m.Groups["area"].Value, out var types) && types.Contains(m.Groups["type"].Value))
                .Select(m => m.Groups["area"].Value))
            .Where(MayUse.ContainsKey).Distinct();

    private static IEnumerable<(string Area, string Path, string Text)> Files() =>
        MayUse.Keys.SelectMany(area => Directory.EnumerateFiles(Path.Combine(Source, area), "*.*", SearchOption.AllDirectories)
            .Where(p => p.EndsWith(".cs", StringComparison.Ordinal) || p.EndsWith(".razor", StringComparison.Ordinal))
            .Where(p => !p.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .Select(p => (area, Path.GetRelativePath(Source, p), File.ReadAllText(p))));

    private static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "ClaimsTracker.sln")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new InvalidOperationException("ClaimsTracker.sln not found above the test's folder");
    }

    [GeneratedRegex(@"^\s*@?using\s+(static\s+)?ClaimsTracker\.(?<area>\w+)", RegexOptions.Multiline)]
    private static partial Regex Using();

    [GeneratedRegex(@"(?<![\w.])(ClaimsTracker\.)?(?<area>[A-Z]\w*)\.(?<type>[A-Z]\w*)")]
    private static partial Regex Qualified();

    [GeneratedRegex(@"(?<table>mt_doc_[a-z0-9_]+?)(_idx\w*)?\b")]
    private static partial Regex DocumentTable();
}
