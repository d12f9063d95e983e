namespace NasSav.BrowserTests.Support;

/// <summary>
/// A temporary folder of UI files for Gateway:StaticUiPath (it must hold index.html), removed on dispose. Pages
/// should declare <c>&lt;link rel="icon" href="data:,"&gt;</c>: a missing favicon is a console error otherwise.
/// </summary>
public sealed class StaticUiFolder : IDisposable
{
    public StaticUiFolder(params (string Name, string Content)[] files)
    {
        foreach (var (name, content) in files)
        {
            var path = System.IO.Path.Combine(Path, name);
            Directory.CreateDirectory(System.IO.Path.GetDirectoryName(path)!);
            File.WriteAllText(path, content);
        }
    }

    public string Path { get; } = Directory.CreateTempSubdirectory("nassav-ui-").FullName;

    public void Dispose()
    {
        try { Directory.Delete(Path, recursive: true); } catch (IOException) { }
    }
}
