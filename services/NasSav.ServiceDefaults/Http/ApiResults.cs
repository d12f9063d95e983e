using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace NasSav.ServiceDefaults.Http;

/// <summary>
/// Every answer goes out as the envelope with the HTTP status equal to its code (unlike the peer,
/// which sent 403 as HTTP 200).
/// </summary>
public static class ApiResults
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        PropertyNamingPolicy = null,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static IResult Ok(object? data, string message = "success") => Envelope(200, message, data);

    public static IResult Paged(object data, Pagination pagination) =>
        Results.Json(new ApiEnvelope(200, "success", data, pagination), Json, statusCode: 200);

    public static IResult Envelope(int code, string message, object? data = null) =>
        Results.Json(new ApiEnvelope(code, message, data), Json, statusCode: code);

    public static IResult Error(int code, string message, object? data = null) => Envelope(code, message, data);

    /// <summary>For middleware that has no endpoint result pipeline (gateway, exception handler).</summary>
    public static async Task WriteAsync(HttpContext context, int code, string message, object? data = null)
    {
        if (context.Response.HasStarted) return;
        context.Response.StatusCode = code;
        context.Response.ContentType = "application/json; charset=utf-8";
        await JsonSerializer.SerializeAsync(context.Response.Body, new ApiEnvelope(code, message, data), Json, context.RequestAborted);
    }
}
