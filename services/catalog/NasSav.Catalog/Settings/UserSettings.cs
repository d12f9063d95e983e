namespace NasSav.Catalog.Settings;

/// <summary>The display settings (the peer's user_settings.ini [display]): names, defaults and allowed values.</summary>
public static class UserSettings
{
    public const string EnableAvatar = "enable_avatar";
    public const string DisplayTitle = "display_title";

    public sealed record Definition(string Key, string Default, string[] Allowed, string InvalidMessage);

    /// <summary>In answer order. Values are strings: the UI compares enable_avatar to the string 'true'.</summary>
    public static readonly IReadOnlyList<Definition> All =
    [
        new(EnableAvatar, "true", ["true", "false"], "enable_avatar 必须是 'true' 或 'false'"),
        new(DisplayTitle, "source_title", ["original_title", "source_title", "translated_title"],
            "display_title 必须是 original_title, source_title, translated_title 之一"),
    ];
}
