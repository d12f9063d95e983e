using Microsoft.AspNetCore.Http;
using NasSav.ServiceDefaults.Http;

namespace NasSav.Catalog.Http;

/// <summary>
/// Answers for work owned by services that do not exist yet: a clear 503, never a fake success. Each
/// endpoint validates its input first, so clients already get the final 4xx answers.
/// </summary>
public static class Unavailable
{
    public const string ScraperMessage = "scraper 服务尚未实现";
    public const string TranslatorMessage = "translator 服务尚未实现";

    public static IResult Because(string what, string reason, object? data = null) =>
        ApiResults.Error(503, $"{what}暂不可用: {reason}", data);
}
