using NasSav.Cli;

// nassav retranslate [--status failed] [--avid X]... [--dry-run] [--force] [--url URL] [--api-key K]; see README.
return await new NassavCli(url => new HttpClient { BaseAddress = url, Timeout = TimeSpan.FromMinutes(5) }, Console.Out, Console.Error)
    .RunAsync(args);
