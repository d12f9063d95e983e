using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using NasSav.ServiceDefaults.Configuration;
using NasSav.ServiceDefaults.Http;
using NasSav.Translator.Engines;

namespace NasSav.Translator.Subtitles;

/// <summary>POST /nassav/api/translate/srt, see docs/translator.md.</summary>
public static class SrtEndpoints
{
    public const string Route = ApiPipeline.ApiPrefix + "/translate/srt";
    public const string SubripContentType = "application/x-subrip; charset=utf-8";

    /// <summary>Options always (the endpoint answers 503 when disabled); the translator only when Translator:Enabled.</summary>
    public static IServiceCollection AddSrtTranslation(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddValidatedOptions<SrtOptions>(configuration, SrtOptions.Section, SrtOptions.Validate);
        if (configuration.GetValue($"{TranslatorOptions.Section}:Enabled", false)) services.TryAddSingleton<SrtTranslator>();
        return services;
    }

    public static IEndpointRouteBuilder MapSrtTranslation(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapPost(Route, HandleAsync);
        return endpoints;
    }

    private static async Task<IResult> HandleAsync(HttpContext context, IOptions<SrtOptions> options, CancellationToken ct)
    {
        var max = options.Value.MaxFileBytes;
        var (bytes, error) = await ReadFileAsync(context.Request, max, ct);
        if (error is not null) return error;

        string text;
        try
        {
            text = Decode(bytes!);
        }
        catch (DecoderFallbackException)
        {
            return ApiResults.Error(400, "SRT 格式错误: 文件不是有效的 UTF-8 文本");
        }

        SrtDocument document;
        try
        {
            document = SrtDocument.Parse(text);
        }
        catch (SrtFormatException ex)
        {
            return ApiResults.Error(400, $"SRT 格式错误: {ex.Message}", new { line = ex.Line });
        }

        var translator = context.RequestServices.GetService<SrtTranslator>();
        if (translator is null) return ApiResults.Error(503, "翻译服务未启用 (Translator:Enabled=false)");

        SrtDocument translated;
        try
        {
            translated = await translator.TranslateAsync(document, ct);
        }
        catch (TranslatorUnavailableException ex)
        {
            return ApiResults.Error(503, $"翻译服务不可用: {ex.Message}");
        }
        catch (TranslationFailedException ex)
        {
            return ApiResults.Error(503, $"翻译失败: {ex.Message}");
        }

        var srt = translated.ToString();
        if (string.Equals(context.Request.Query["format"], "json", StringComparison.OrdinalIgnoreCase))
        {
            var cues = translated.Cues.Select(c => new
            {
                index = c.Index,
                start = SrtDocument.FormatTime(c.Start),
                end = SrtDocument.FormatTime(c.End),
                text = c.Text,
            }).ToList();
            return ApiResults.Ok(new { cues, translated_srt = srt });
        }
        return Results.Text(srt, SubripContentType, new UTF8Encoding(false));
    }

    private static async Task<(byte[]? Bytes, IResult? Error)> ReadFileAsync(HttpRequest request, long max, CancellationToken ct)
    {
        var tooLarge = ApiResults.Error(413, $"SRT 文件过大: 最大 {max / 1024} KiB");
        if (request.HasFormContentType)
        {
            IFormCollection form;
            try
            {
                form = await request.ReadFormAsync(new FormOptions { MultipartBodyLengthLimit = max, BufferBodyLengthLimit = max + 64 * 1024 }, ct);
            }
            catch (InvalidDataException ex) when (ex.Message.Contains("limit", StringComparison.OrdinalIgnoreCase))
            {
                return (null, tooLarge);
            }
            catch (InvalidDataException ex)
            {
                return (null, ApiResults.Error(400, $"请求体不是有效的表单: {ex.Message}"));
            }
            var file = form.Files.GetFile("file");
            if (file is null) return (null, ApiResults.Error(400, "缺少文件字段 file (multipart/form-data)"));
            if (file.Length > max) return (null, tooLarge);
            using var buffer = new MemoryStream();
            await using (var stream = file.OpenReadStream()) await stream.CopyToAsync(buffer, ct);
            return (buffer.ToArray(), null);
        }

        var mediaType = request.ContentType is { } ct0 ? ct0.Split(';')[0].Trim().ToLowerInvariant() : "";
        if (mediaType is not ("" or "application/x-subrip" or "application/octet-stream") && !mediaType.StartsWith("text/", StringComparison.Ordinal))
            return (null, ApiResults.Error(415, $"不支持的内容类型 '{mediaType}': 请发送 text/plain、application/x-subrip 或 multipart/form-data 的 file 字段"));
        if (request.ContentLength > max) return (null, tooLarge);
        using var body = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, ct)) > 0)
        {
            body.Write(chunk, 0, read);
            if (body.Length > max) return (null, tooLarge);
        }
        if (body.Length == 0) return (null, ApiResults.Error(400, "SRT 格式错误: 请求体为空"));
        return (body.ToArray(), null);
    }

    /// <summary>UTF-8 (BOM kept as U+FEFF so it is written back) or UTF-16 with its BOM; invalid UTF-8 throws.</summary>
    private static string Decode(byte[] bytes)
    {
        if (bytes is [0xFF, 0xFE, ..]) return "\uFEFF" + Encoding.Unicode.GetString(bytes, 2, bytes.Length - 2);
        if (bytes is [0xFE, 0xFF, ..]) return "\uFEFF" + Encoding.BigEndianUnicode.GetString(bytes, 2, bytes.Length - 2);
        return new UTF8Encoding(false, true).GetString(bytes);
    }
}
