using System.Collections.Concurrent;

namespace NasSav.Gateway.WebSockets;

/// <summary>The clients connected to this gateway instance; a broadcast enqueues to each and returns at once.</summary>
public sealed class FeedHub
{
    private readonly ConcurrentDictionary<Guid, FeedConnection> _connections = new();

    public int Count => _connections.Count;

    public void Add(FeedConnection connection) => _connections[connection.Id] = connection;

    public void Remove(FeedConnection connection) => _connections.TryRemove(connection.Id, out _);

    public void Broadcast(OutgoingFrame frame)
    {
        foreach (var connection in _connections.Values) connection.Enqueue(frame);
    }

    public IEnumerable<FeedConnection> Connections => _connections.Values;
}
