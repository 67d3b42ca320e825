package io.meshwork.edge.internal.group;

import io.meshwork.core.envelope.KafkaEventCodec;
import io.meshwork.core.metrics.MeshMetrics;
import io.meshwork.edge.internal.egress.EgressLane;
import io.meshwork.edge.internal.stream.Backlog;
import io.meshwork.edge.internal.stream.OutboundEvent;
import io.meshwork.edge.internal.stream.Subscriber;
import io.meshwork.schema.v1.EventEnvelope;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Tags;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One consumer group on this edge ({@link GroupKey}), held in the subscription registry as a
 * single subscriber: each matching event goes to one member ({@link MemberChoice}), chosen by the
 * event's {@code partitionkey} (sticky while the member keeps up, so events of a key stay in
 * order) or, without one, by its id (spread over the members, no order between members).
 *
 * <p>A member that leaves with frames still unsent at the edge (its connection closed or was
 * dropped) takes them with it: they are counted as dropped and told to the group on its next
 * delivery, in {@code dropped_before}.
 *
 * <p>Members change on client threads (under the registry's lock) while the delivery thread
 * delivers; the member list is copy-on-write, so a delivery sees one consistent list.
 */
public final class ConsumerGroup implements Subscriber {

    private static final Logger LOG = LoggerFactory.getLogger(ConsumerGroup.class);
    /** A member as the choice sees it, with its queue lane for the group and its own delivery count. */
    private record Member(Subscriber subscriber, EgressLane lane, Backlog backlog, Counter delivered) implements MemberChoice.Candidate {
        @Override
        public String id() {
            return subscriber.id();
        }

        @Override
        public int pending() {
            return backlog == null ? 0 : backlog.pending();
        }
    }

    private final GroupKey key;
    private final String region;
    private final int lagFrames;
    private final List<Member> members = new CopyOnWriteArrayList<>();
    private final AtomicLong droppedUntold = new AtomicLong();
    private final Tags tags;
    private final Counter rerouted;
    private final Counter dropped;
    private final Counter joined;
    private final Counter left;

    /**
     * @param lagFrames a member with this many frames unsent gets no new events while another has fewer
     */
    ConsumerGroup(GroupKey key, String region, int lagFrames) {
        this.key = Objects.requireNonNull(key, "key");
        this.region = Objects.requireNonNull(region, "region");
        if (lagFrames < 1) {
            throw new IllegalArgumentException("lagFrames must be positive, not " + lagFrames);
        }
        this.lagFrames = lagFrames;
        this.tags = Tags.of("region", region, "group", key.name(), "pattern", key.pattern().value(), "selector", key.expression());
        this.rerouted = Counter.builder("mesh.edge.group.rerouted").tags(tags)
                .description("Events of a consumer group given to another member because the key's member lagged")
                .register(MeshMetrics.registry());
        this.dropped = Counter.builder("mesh.edge.group.dropped").tags(tags)
                .description("Events lost with a consumer group member that left with them unsent; told in dropped_before")
                .register(MeshMetrics.registry());
        // Counters, not a gauge of the members: edges of one region in one JVM (the embedded mesh)
        // share these meters, and joined - left is then still the region's member count.
        this.joined = Counter.builder("mesh.edge.group.joined").tags(tags)
                .description("Members that joined a consumer group").register(MeshMetrics.registry());
        this.left = Counter.builder("mesh.edge.group.left").tags(tags)
                .description("Members that left a consumer group").register(MeshMetrics.registry());
    }

    public GroupKey key() {
        return key;
    }

    @Override
    public String id() {
        return key.toString();
    }

    /** Adds a member, whose group events go to {@code lane} of its connection; false when it is one already. */
    boolean join(Subscriber subscriber, EgressLane lane) {
        if (members.stream().anyMatch(m -> m.subscriber().equals(subscriber))) {
            return false;
        }
        Counter delivered = Counter.builder("mesh.edge.group.delivered").tags(tags.and("member", subscriber.id()))
                .description("Events of a consumer group handed to one member").register(MeshMetrics.registry());
        members.add(new Member(subscriber, lane, subscriber instanceof Backlog backlog ? backlog : null, delivered));
        joined.increment();
        LOG.info("region {}: {} joined {}; {} member(s)", region, subscriber, key, members.size());
        return true;
    }

    /**
     * Removes a member; false when it was none.
     *
     * @param lost whether its connection is gone, so frames still unsent at the edge will never be
     *             written (an unsubscribe on a live connection still writes them)
     */
    boolean leave(Subscriber subscriber, boolean lost) {
        Member member = members.stream().filter(m -> m.subscriber().equals(subscriber)).findFirst().orElse(null);
        if (member == null || !members.remove(member)) {
            return false;
        }
        MeshMetrics.registry().remove(member.delivered());
        left.increment();
        int unsent = lost ? member.pending() : 0;
        if (unsent > 0) {
            droppedUntold.addAndGet(unsent);
            dropped.increment(unsent);
        }
        LOG.info("region {}: {} left {} ({}); {} member(s) remain{}", region, subscriber, key,
                lost ? "connection ended" : "unsubscribed", members.size(),
                unsent > 0 ? ", " + unsent + " unsent frame(s) counted as dropped" : "");
        return true;
    }

    /** Whether the group has no member left. */
    boolean isEmpty() {
        return members.isEmpty();
    }

    /**
     * The group has no members and is no longer in the registry. Its meters stay: another edge of
     * the region in this JVM may share them, and the same group may come back.
     */
    void closed() {
        if (droppedUntold.get() > 0) {
            LOG.info("region {}: {} ended with {} dropped event(s) no member was told of", region, key, droppedUntold.get());
        }
    }

    /** Hands the event to one member; called on the delivery thread only, never blocks. */
    @Override
    public void deliver(OutboundEvent event) {
        handOver(event);
    }

    /**
     * Hands the event to one member, as {@link #deliver}; false when the group has no member left
     * to take it (the last one left after the event was matched), so a {@link GroupFeed} leaves it
     * uncommitted for the edge that takes the partition over.
     */
    boolean handOver(OutboundEvent event) {
        List<Member> now = List.copyOf(members);
        if (now.isEmpty()) {
            return false;
        }
        EventEnvelope envelope = event.envelope();
        String routingKey = envelope.getHeadersOrDefault(KafkaEventCodec.PARTITION_KEY, envelope.getEventId());
        MemberChoice.Choice<Member> choice = MemberChoice.choose(now, routingKey, lagFrames);
        if (choice.rerouted()) {
            rerouted.increment();
        }
        long untold = droppedUntold.getAndSet(0);
        OutboundEvent outbound = untold == 0 ? event : new OutboundEvent(envelope.toBuilder()
                .setDroppedBefore(envelope.getDroppedBefore() + untold).build());
        choice.member().delivered().increment();
        choice.member().subscriber().deliver(outbound, choice.member().lane());
        return true;
    }

    @Override
    public String toString() {
        return key.toString();
    }
}
