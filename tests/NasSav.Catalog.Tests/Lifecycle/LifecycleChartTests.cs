using System.Text;
using MassTransit;
using MassTransit.SagaStateMachine;
using NasSav.Catalog.Lifecycle;
using NasSav.Testing;

namespace NasSav.Catalog.Tests.Lifecycle;

/// <summary>
/// docs/lifecycle.md's chart table is the machine's graph (MassTransit's own export): every event with the states it
/// leaves and the states it leads to. A transition added, removed or renamed on one side only fails here.
/// </summary>
public sealed class The_lifecycle_chart
{
    private const string Begin = "<!-- chart:begin -->";
    private const string End = "<!-- chart:end -->";

    [Fact]
    public void Is_the_one_documented_in_docs_lifecycle_md()
    {
        var rendered = Render(new ResourceLifecycleStateMachine());
        var doc = File.ReadAllText(Path.Combine(RepoPaths.Root, "docs", "lifecycle.md"));
        var start = doc.IndexOf(Begin, StringComparison.Ordinal);
        var end = doc.IndexOf(End, StringComparison.Ordinal);
        Assert.True(start >= 0 && end > start, $"docs/lifecycle.md has no {Begin} … {End} block");
        var documented = doc[(start + Begin.Length)..end].Trim().ReplaceLineEndings("\n");
        Assert.True(documented == rendered, $"docs/lifecycle.md's chart differs from the machine's graph; the graph is:\n{rendered}");
    }

    /// <summary>One table row per event, in the machine's declaration order: the states it leaves → the states it enters.</summary>
    private static string Render(ResourceLifecycleStateMachine machine)
    {
        var graph = machine.GetGraph();
        var order = machine.Events.Select((e, i) => (e.Name, i)).ToDictionary(x => x.Name, x => x.i);
        var stateOrder = machine.States.Select((s, i) => (s.Name, i)).ToDictionary(x => x.Name, x => x.i);
        var events = graph.Vertices.Where(v => v.VertexType == typeof(Event)).OrderBy(v => order.GetValueOrDefault(v.Title, int.MaxValue)).ThenBy(v => v.Title);
        var text = new StringBuilder("| event | from | to |\n|---|---|---|");
        foreach (var e in events)
        {
            var from = graph.Edges.Where(x => x.To.Equals(e)).Select(x => x.From.Title);
            var to = graph.Edges.Where(x => x.From.Equals(e)).Select(x => x.To.Title);
            text.Append($"\n| {e.Title} | {States(from, stateOrder)} | {States(to, stateOrder)} |");
        }
        return text.ToString();
    }

    private static string States(IEnumerable<string> names, Dictionary<string, int> order) =>
        string.Join(", ", names.Distinct().OrderBy(n => order.GetValueOrDefault(n, int.MaxValue)).ThenBy(n => n, StringComparer.Ordinal));
}
