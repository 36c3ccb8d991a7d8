using System.Collections.Concurrent;
using System.Diagnostics;
using ClaimsTracker.Infrastructure;
using JasperFx.Events;
using Marten.Events;

namespace ClaimsTracker.Claims;

public sealed partial class ClaimCommits
{
    private sealed class Pending
    {
        private static readonly ConcurrentDictionary<Type, Func<object, IEvent>> Wrappers = new();

        public Pending(ClaimWrite write, WriteRequest request)
        {
            (Write, Request, RecordId) = (write, request, request.RecordId);
            Fingerprint = RecordId is null ? "" : WriteRequest.Fingerprint(write.Command);
        }

        public ClaimWrite Write { get; }
        public WriteRequest Request { get; }
        public string Fingerprint { get; }
        public string? RecordId { get; }
        public long Arrived { get; } = Stopwatch.GetTimestamp();
        public ActivityContext Trace { get; } = Activity.Current?.Context ?? default;
        public Lane? Lane { get; set; }
        public TaskCompletionSource<WriteOutcome> Outcome { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        /// <summary>The event with this write's own metadata: writes sharing a session each keep their actor and ids.</summary>
        public IEvent Stamp(object data)
        {
            var e = Wrappers.GetOrAdd(data.GetType(), Wrapper)(data);
            e.UserName = Request.Actor.Name;
            e.CorrelationId = Request.CorrelationId;
            e.CausationId = Request.CausationId;
            foreach (var (name, value) in Request.EventHeaders())
            {
                e.SetHeader(name, value);
            }

            return e;
        }

        private static Func<object, IEvent> Wrapper(Type type)
        {
            var wrapper = typeof(Event<>).MakeGenericType(type);
            return data => (IEvent)Activator.CreateInstance(wrapper, data)!;
        }

    }
}
