using System.Threading.Channels;

namespace ClaimsTracker.Claims;

public sealed partial class ClaimCommits
{
    private Lane Route(Pending pending)
    {
        lock (_claimLanes)
        {
            var lane = pending.Write.ClaimId is { } id && _claimLanes.TryGetValue(id, out var taken)
                ? taken.Lane
                : LeastBusy();
            if (pending.Write.ClaimId is { } claimId)
            {
                _claimLanes[claimId] = (lane, _claimLanes.GetValueOrDefault(claimId).Pending + 1);
            }

            lane.Waiting++;
            pending.Lane = lane;
            return lane;
        }
    }

    private Lane LeastBusy()
    {
        var least = _lanes[0];
        foreach (var lane in _lanes)
        {
            least = lane.Waiting < least.Waiting ? lane : least;
        }

        return least;
    }

    private void Done(Pending pending)
    {
        lock (_claimLanes)
        {
            pending.Lane!.Waiting--;
            if (pending.Write.ClaimId is { } id && _claimLanes.TryGetValue(id, out var taken))
            {
                if (taken.Pending <= 1)
                {
                    _claimLanes.Remove(id);
                }
                else
                {
                    _claimLanes[id] = (taken.Lane, taken.Pending - 1);
                }
            }
        }
    }

    private sealed class Lane
    {
        public Channel<Pending> Queue { get; } = Channel.CreateUnbounded<Pending>(new UnboundedChannelOptions { SingleReader = true });
        public int Waiting { get; set; }
        public Task Committing { get; set; } = Task.CompletedTask;
    }
}
