using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace NasSav.Translator.Tests.Subtitles;

/// <summary>
/// A minimal Ollama over real HTTP on 127.0.0.1:0: GET /api/tags lists model "test", POST /api/chat answers
/// <see cref="Answer"/> for the user message. The default answer translates the numbered lines of the SRT
/// prompt as JSON {"translation": "1. 译:…"} (each &lt;br&gt;-separated part prefixed with 译:).
/// </summary>
public sealed partial class FakeOllama : IAsyncDisposable
{
    private WebApplication? _app;

    public string Url { get; private set; } = "";
    public ConcurrentQueue<string> Prompts { get; } = new();
    public Func<string, string> Answer { get; set; } = DefaultAnswer;
    public bool Down { get; set; }

    public static async Task<FakeOllama> StartAsync()
    {
        var fake = new FakeOllama();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel().UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        app.MapGet("/api/tags", () => fake.Down
            ? Results.StatusCode(500)
            : Results.Text("""{"models":[{"name":"test:latest"}]}""", "application/json"));
        app.MapPost("/api/chat", async (HttpRequest request) =>
        {
            if (fake.Down) return Results.StatusCode(500);
            var body = JsonNode.Parse(await new StreamReader(request.Body).ReadToEndAsync())!;
            var prompt = body["messages"]![0]!["content"]!.GetValue<string>();
            fake.Prompts.Enqueue(prompt);
            var answer = new JsonObject
            {
                ["model"] = "test",
                ["message"] = new JsonObject { ["role"] = "assistant", ["content"] = fake.Answer(prompt) },
                ["done"] = true,
            };
            return Results.Text(answer.ToJsonString(), "application/json");
        });
        await app.StartAsync();
        fake._app = app;
        fake.Url = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return fake;
    }

    /// <summary>The numbered lines of a prompt: number → text.</summary>
    public static List<(int Number, string Text)> NumberedLines(string prompt) =>
        [.. prompt.Split('\n').Select(l => LineRegex().Match(l)).Where(m => m.Success)
            .Select(m => (int.Parse(m.Groups[1].Value), m.Groups[2].Value))];

    public static string Translate(string text) => string.Join("<br>", text.Split("<br>").Select(p => "译:" + p));

    public static string DefaultAnswer(string prompt) =>
        new JsonObject { ["translation"] = string.Join("\n", NumberedLines(prompt).Select(l => $"{l.Number}. {Translate(l.Text)}")) }.ToJsonString();

    public async ValueTask DisposeAsync()
    {
        if (_app is not null) await _app.DisposeAsync();
    }

    [GeneratedRegex(@"^(\d+)\. (.*)$")]
    private static partial Regex LineRegex();
}
