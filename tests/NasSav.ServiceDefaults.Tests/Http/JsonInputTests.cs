using System.Text;
using System.Text.Json;
using NasSav.ServiceDefaults.Http;

namespace NasSav.ServiceDefaults.Tests.Http;

public sealed class JsonInputTests
{
    private static (bool Ok, JsonElement Value, string? Error) Parse(string json) => Parse(Encoding.UTF8.GetBytes(json));

    private static (bool Ok, JsonElement Value, string? Error) Parse(byte[] utf8)
    {
        var ok = JsonInput.TryParseObject(utf8, out var value, out var error);
        return (ok, value, error);
    }

    [Theory]
    [InlineData("""{"avid":"\ud800"}""", "字段 avid 不是有效的文本")]
    [InlineData("""{"avids":["ABC-1","\udc00"]}""", "字段 avids[1] 不是有效的文本")]
    [InlineData("""{"actions":[{"action":"add","avid":"x"},{"avid":"\ud800\ud800"}]}""", "字段 actions[1].avid 不是有效的文本")]
    [InlineData("""{"\ud800":1}""", "无法解码的字段名")]
    [InlineData("""{"cookie":"a\u0000b"}""", "字段 cookie 含有 NUL 字符")]
    [InlineData("""{"a\u0000":1}""", "NUL 字符的字段名")]
    [InlineData("""{"avid":"A","avid":"B"}""", "字段 avid 重复出现")]
    [InlineData("""{"actions":[{"avid":"A","avid":"B"}]}""", "字段 actions[0].avid 重复出现")]
    [InlineData("""{nope: 1}""", "第 1 行第 2 个字节附近有语法错误")]
    [InlineData("{\n  \"avid\": \"A\",\n}", "第 3 行第 1 个字节附近有语法错误")]
    [InlineData("[1]", "请求体必须是 JSON 对象")]
    public void Refuses_with_a_plain_message_naming_the_problem_and_the_field(string json, string expected)
    {
        var (ok, _, error) = Parse(json);
        Assert.False(ok);
        Assert.Contains(expected, error);
        Assert.DoesNotContain("LineNumber", error);
        Assert.DoesNotContain("Expected", error);
    }

    [Fact]
    public void Nesting_deeper_than_the_limit_is_named_as_such()
    {
        var ok = JsonInput.MaxDepth;
        Assert.True(Parse(string.Concat(Enumerable.Repeat("{\"a\":", ok - 1)) + "[1]" + new string('}', ok - 1)).Ok);
        var (deep, _, error) = Parse(string.Concat(Enumerable.Repeat("{\"a\":", ok)) + "[1]" + new string('}', ok));
        Assert.False(deep);
        Assert.Equal($"请求体嵌套过深 (最多 {JsonInput.MaxDepth} 层)", error);
        Assert.Equal($"请求体嵌套过深 (最多 {JsonInput.MaxDepth} 层)", Parse(new string('[', 5000) + new string(']', 5000)).Error);
    }

    [Fact]
    public void A_utf8_byte_order_mark_is_accepted()
    {
        var (ok, value, error) = Parse([0xEF, 0xBB, 0xBF, .. Encoding.UTF8.GetBytes("""{"avid":"ABC-123"}""")]);
        Assert.True(ok, error);
        Assert.Equal("ABC-123", value.GetProperty("avid").GetString());
    }

    [Fact]
    public void Invalid_utf8_inside_a_string_is_refused_and_named()
    {
        var (ok, _, error) = Parse([.. Encoding.UTF8.GetBytes("{\"source\":\""), 0xC3, 0x28, .. Encoding.UTF8.GetBytes("\"}")]);
        Assert.False(ok);
        Assert.Contains("字段 source", error);
    }

    [Fact]
    public void Whatever_passes_can_be_read_with_GetString_everywhere()
    {
        var (ok, value, _) = Parse("""{"a":["\ud83d\ude00","x\\y"],"b":{"c":"\u00e9"},"d":1e999,"e":null}""");
        Assert.True(ok);
        Assert.Equal("\U0001F600", value.GetProperty("a")[0].GetString());
        Assert.Equal("é", value.GetProperty("b").GetProperty("c").GetString());
        Assert.Equal(JsonValueKind.Number, value.GetProperty("d").ValueKind);
    }

    [Fact]
    public void Any_value_is_accepted_by_TryParse()
    {
        Assert.True(JsonInput.TryParse("[1,2]"u8, out var array, out _));
        Assert.Equal(JsonValueKind.Array, array.ValueKind);
        Assert.False(JsonInput.TryParse("\"\\ud800\""u8, out _, out var error));
        Assert.Contains("请求体不是有效的文本", error);
    }
}
