using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using NasSav.Catalog.Data;
using NasSav.Catalog.Http;
using NasSav.ServiceDefaults.Http;

namespace NasSav.Catalog.Settings;

/// <summary>GET/PUT /setting, stored in user_settings (one row per key; absent rows mean the default).</summary>
public static class SettingEndpoints
{
    public static IEndpointRouteBuilder MapSettingEndpoints(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet($"{ApiPipeline.ApiPrefix}/setting", async (CatalogDbContext db, CancellationToken ct) =>
            ApiResults.Ok(await ReadAllAsync(db, ct)));
        endpoints.MapPut($"{ApiPipeline.ApiPrefix}/setting", Update);
        return endpoints;
    }

    private static async Task<IResult> Update(HttpRequest request, CatalogDbContext db, CancellationToken ct)
    {
        var body = await JsonBody.ReadObjectAsync(request, ct);
        if (!body.Ok) return body.Error!;

        // Partial update; unknown keys are ignored (as the peer's serializer).
        var errors = new Dictionary<string, string[]>();
        var changes = new Dictionary<string, string>();
        foreach (var setting in UserSettings.All)
        {
            if (!body.Value.TryGetProperty(setting.Key, out var element)) continue;
            if (element.ValueKind == JsonValueKind.Null) errors[setting.Key] = ["该字段不能为 null。"];
            // JSON booleans are not the strings the UI sends and compares ('true'/'false').
            else if (element.ValueKind != JsonValueKind.String) errors[setting.Key] = ["不是有效的字符串。"];
            else if (!setting.Allowed.Contains(element.GetString())) errors[setting.Key] = [setting.InvalidMessage];
            else changes[setting.Key] = element.GetString()!;
        }
        if (errors.Count > 0) return ApiResults.Error(400, "参数验证失败", errors);

        if (changes.Count > 0)
        {
            var rows = await db.UserSettings.Where(s => changes.Keys.Contains(s.Key)).ToDictionaryAsync(s => s.Key, ct);
            foreach (var (key, value) in changes)
            {
                if (rows.TryGetValue(key, out var row)) row.Value = value;
                else db.UserSettings.Add(new UserSetting { Key = key, Value = value });
            }
            await db.SaveChangesAsync(ct);
        }
        return ApiResults.Ok(await ReadAllAsync(db, ct), "设置已更新");
    }

    private static async Task<Dictionary<string, string>> ReadAllAsync(CatalogDbContext db, CancellationToken ct)
    {
        var stored = await db.UserSettings.AsNoTracking().ToDictionaryAsync(s => s.Key, s => s.Value, ct);
        // A stored value that is no longer allowed (edited by hand) reads as the default.
        return UserSettings.All.ToDictionary(s => s.Key,
            s => stored.TryGetValue(s.Key, out var v) && s.Allowed.Contains(v) ? v : s.Default);
    }
}
