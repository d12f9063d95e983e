using Microsoft.Extensions.DependencyInjection;
using NasSav.LeaseHolder;
using NasSav.Coordination.Locking;

// Usage: NasSav.LeaseHolder NAME HOLDER KEY=VALUE... (configuration keys, e.g. Redis:Endpoint=127.0.0.1:6379)
// Prints "ACQUIRED <epoch>" once the lease is held, then blocks (renewing) until killed, or until its
// standard input closes: a test run that dies without killing it does not leave it behind.
if (args.Length < 2)
{
    Console.Error.WriteLine("usage: NasSav.LeaseHolder NAME HOLDER [Section:Key=value ...]");
    return 2;
}
var settings = args.Skip(2).Select(a => a.Split('=', 2)).ToDictionary(p => p[0], p => (string?)p[1]);
await using var services = await CoordinationServices.BuildAsync(settings);
var locks = services.GetRequiredService<ILeaseLock>();
await using var lease = await locks.AcquireAsync(args[0], args[1], CancellationToken.None);
Console.WriteLine($"ACQUIRED {lease.Epoch}");
var parentGone = Task.Run(() => Console.In.ReadToEnd());
await Task.WhenAny(parentGone, Task.Delay(Timeout.Infinite, lease.Lost));
Console.WriteLine(lease.Lost.IsCancellationRequested ? "LOST" : "STDIN CLOSED");
return 1;
