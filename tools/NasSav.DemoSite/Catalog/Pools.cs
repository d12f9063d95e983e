namespace NasSav.DemoSite.Catalog;

/// <summary>The fixed word lists the fake data is drawn from (all names are invented).</summary>
public static class Pools
{
    // Japanese and Chinese title parts share indexes, so the two titles of an AVID say the same thing.
    public static readonly string[] PlacesJa = ["海辺の町", "雨の駅", "古い喫茶店", "山あいの温泉宿", "放課後の図書室", "夜の遊園地", "港の倉庫", "春の公園"];
    public static readonly string[] PlacesZh = ["海边小镇", "雨中车站", "老咖啡馆", "山间温泉旅馆", "放学后的图书室", "夜晚的游乐园", "港口仓库", "春天的公园"];
    public static readonly string[] SubjectsJa = ["幼なじみ", "新しい同僚", "隣の住人", "旅先の案内人", "写真部の先輩", "料理教室の先生", "夜勤の看護師", "週末の家庭教師"];
    public static readonly string[] SubjectsZh = ["青梅竹马", "新同事", "隔壁邻居", "旅途中的向导", "摄影部的学姐", "料理教室的老师", "夜班护士", "周末家教"];
    public static readonly string[] EndingsJa = ["と過ごした三日間", "との秘密の約束", "が忘れられない夏", "と迎えた最後の夜", "との再会", "に恋をした日"];
    public static readonly string[] EndingsZh = ["共度的三天", "秘密的约定", "难忘的夏天", "最后的夜晚", "重逢", "心动的那天"];

    public static readonly string[] Studios = ["デモプロダクション", "サンプル映像", "テストスタジオ", "架空企画"];
    public static readonly string[] Labels = ["DEMOレーベル", "サンプルLabel", "テスト・ピクチャーズ", "架空シネマ"];
    /// <summary>null = the page has no 系列 line.</summary>
    public static readonly string?[] Series = ["出会いの季節", "旅する恋人たち", "放課後日誌", null, null];
    /// <summary>null = the page has no 導演 line.</summary>
    public static readonly string?[] Directors = ["山田太郎", "佐藤花子", "鈴木一郎", null];

    public static readonly string[] Genres = ["劇情", "戀愛", "校園", "制服", "溫泉", "旅行", "運動", "料理", "短篇", "OL", "姐姐", "學生"];
    /// <summary>Technical genres of reference §4.5 the scraper must drop.</summary>
    public static readonly string[] TechnicalGenres = ["高畫質", "單體作品", "DMM獨家", "4K", "フルハイビジョン(FHD)"];

    /// <summary>Ten actors; full-width parentheses as on JavBus; the last one has only the placeholder avatar.</summary>
    public static readonly DemoActor[] Actors =
    [
        new("dm01", "星野ひかり（星野光）", false),
        new("dm02", "月島ゆら", false),
        new("dm03", "花咲まい（花咲舞）", false),
        new("dm04", "白石なぎさ", false),
        new("dm05", "水瀬あおい（水瀬葵）", false),
        new("dm06", "藤宮さくら", false),
        new("dm07", "小野寺りん（小野寺凛）", false),
        new("dm08", "桐谷しずく", false),
        new("dm09", "朝比奈みお（朝比奈澪）", false),
        new("dm10", "如月ななみ（新人）", true),
    ];
}
