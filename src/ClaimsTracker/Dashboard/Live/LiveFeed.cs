using System.Threading.Channels;

namespace ClaimsTracker.Dashboard;

/// <summary>A change the open pages may want to show: a claim's projection moved, or the daemon's progress did.</summary>
public sealed record LiveChange(string Topic, string Data);

/// <summary>
/// Fans one stream of changes out to every open page. Writers never wait for readers: a page that reads too slowly
/// loses its oldest notices, which only ever ask it to refresh what it shows.
/// </summary>
public sealed class LiveFeed
{
    private readonly Lock _gate = new();
    private readonly List<Channel<LiveChange>> _readers = [];

    public void Publish(LiveChange change)
    {
        lock (_gate)
        {
            foreach (var reader in _readers)
            {
                reader.Writer.TryWrite(change);
            }
        }
    }

    public Subscription Subscribe()
    {
        var channel = Channel.CreateBounded<LiveChange>(new BoundedChannelOptions(256)
        {
            FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true,
        });
        lock (_gate)
        {
            _readers.Add(channel);
        }

        return new Subscription(this, channel);
    }

    public sealed class Subscription(LiveFeed feed, Channel<LiveChange> channel) : IDisposable
    {
        public ChannelReader<LiveChange> Changes => channel.Reader;

        public void Dispose()
        {
            lock (feed._gate)
            {
                feed._readers.Remove(channel);
            }

            channel.Writer.TryComplete();
        }
    }
}
