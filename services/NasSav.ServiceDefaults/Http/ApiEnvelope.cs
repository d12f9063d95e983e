using System.Text.Json.Serialization;

namespace NasSav.ServiceDefaults.Http;

/// <summary>The NASSAV response envelope: <c>{code, message, data[, pagination]}</c>.</summary>
public sealed record ApiEnvelope(
    [property: JsonPropertyName("code")] int Code,
    [property: JsonPropertyName("message")] string Message,
    [property: JsonPropertyName("data")] object? Data,
    [property: JsonPropertyName("pagination"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] Pagination? Pagination = null);

public sealed record Pagination(
    [property: JsonPropertyName("total")] int Total,
    [property: JsonPropertyName("page")] int Page,
    [property: JsonPropertyName("page_size")] int PageSize,
    [property: JsonPropertyName("pages")] int Pages);
