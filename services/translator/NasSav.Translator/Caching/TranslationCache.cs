namespace NasSav.Translator.Caching;

/// <summary>What identifies a translation: an unchanged retranslation is answered from the cache.</summary>
public readonly record struct TranslationKey(string Text, string Engine, string Model, string PromptVersion);

/// <summary>In-process LRU of cleaned translations.</summary>
public sealed class TranslationCache(int capacity)
{
    private readonly Dictionary<TranslationKey, LinkedListNode<(TranslationKey Key, string Value)>> _map = new();
    private readonly LinkedList<(TranslationKey Key, string Value)> _order = new();
    private readonly Lock _lock = new();

    public int Count { get { lock (_lock) return _map.Count; } }

    public bool TryGet(TranslationKey key, out string value)
    {
        lock (_lock)
        {
            if (_map.TryGetValue(key, out var node))
            {
                _order.Remove(node);
                _order.AddFirst(node);
                value = node.Value.Value;
                return true;
            }
        }
        value = "";
        return false;
    }

    public void Set(TranslationKey key, string value)
    {
        if (capacity <= 0) return;
        lock (_lock)
        {
            if (_map.TryGetValue(key, out var existing)) _order.Remove(existing);
            var node = _order.AddFirst((key, value));
            _map[key] = node;
            while (_map.Count > capacity)
            {
                var last = _order.Last!;
                _order.RemoveLast();
                _map.Remove(last.Value.Key);
            }
        }
    }
}
