package io.meshwork.edge.internal.group;

import io.meshwork.core.envelope.KafkaEventCodec;
import io.meshwork.core.kafka.KafkaClients;
import io.meshwork.edge.internal.egress.EgressLane;
import io.meshwork.edge.internal.stream.Subscriber;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * The consumer groups of one edge and which connection is a member of which. The subscription
 * registry holds each group as one subscriber (so a group is one interest, however many members
 * it has) and asks here who joins and leaves.
 *
 * <p>Not thread-safe: used under the subscription registry's lock.
 */
public final class ConsumerGroups {

    /** Frames unsent from which a member counts as lagging, unless configured otherwise. */
    public static final int DEFAULT_LAG_FRAMES = 64;

    /**
     * What a join did.
     *
     * @param added whether the subscriber was not a member already
     * @param first whether it is the group's first member: the group must be added to the registry
     */
    public record Joined(ConsumerGroup group, boolean added, boolean first) {
    }

    private final String region;
    private final int lagFrames;
    private final Function<ConsumerGroup, GroupFeed> feeds;
    private final Map<GroupKey, ConsumerGroup> groups = new HashMap<>();
    private final Map<GroupKey, GroupFeed> fed = new HashMap<>();
    private final Map<Subscriber, Set<GroupKey>> memberships = new HashMap<>();

    /** @param lagFrames a member with this many frames unsent gets no new events while another has fewer */
    public ConsumerGroups(String region, int lagFrames) {
        this(region, lagFrames, null);
    }

    private ConsumerGroups(String region, int lagFrames, Function<ConsumerGroup, GroupFeed> feeds) {
        if (lagFrames < 1) {
            throw new IllegalArgumentException("lagFrames must be positive, not " + lagFrames);
        }
        this.region = region;
        this.lagFrames = lagFrames;
        this.feeds = feeds;
    }

    /**
     * Groups shared with the other edges of the region: each group with members here reads its
     * share of {@code mesh.events} through a Kafka consumer group of its own ({@link GroupFeed}),
     * instead of being handed every event by the edge's delivery.
     *
     * @param edgeId the edge's name in the feeds' logs and Kafka client ids
     */
    public static ConsumerGroups sharedByRegion(String region, String edgeId, int lagFrames, KafkaClients kafka,
                                                KafkaEventCodec codec) {
        return new ConsumerGroups(region, lagFrames, group -> new GroupFeed(kafka, region, edgeId, codec, group));
    }

    /** Whether each group reads its own events from Kafka, so the edge's delivery must not hand it any. */
    public boolean fedFromKafka() {
        return feeds != null;
    }

    /**
     * Completes once the edge delivers the group's events to a member that joined it: at once for
     * groups of this edge alone, once the group's feed holds its share otherwise.
     */
    public CompletableFuture<Void> whenDelivering(GroupKey key) {
        GroupFeed feed = fed.get(key);
        return feed == null ? CompletableFuture.completedFuture(null) : feed.ready();
    }

    /**
     * Makes {@code member} a member of the group {@code key}, creating the group with its first member.
     *
     * @param lane the member's queue lane for this membership, {@code null} for a subscriber without lanes
     */
    public Joined join(GroupKey key, Subscriber member, EgressLane lane) {
        ConsumerGroup group = groups.get(key);
        boolean first = group == null;
        if (first) {
            group = new ConsumerGroup(key, region, lagFrames);
            groups.put(key, group);
            if (feeds != null) {
                GroupFeed feed = feeds.apply(group);
                fed.put(key, feed);
                feed.start();
            }
        }
        boolean added = group.join(member, lane);
        if (added) {
            memberships.computeIfAbsent(member, m -> new HashSet<>()).add(key);
        }
        return new Joined(group, added, first);
    }

    /**
     * Ends {@code member}'s membership of the group {@code key} on its request (its connection stays).
     *
     * @return whether it was a member
     */
    public boolean leave(GroupKey key, Subscriber member) {
        ConsumerGroup group = groups.get(key);
        if (group == null || !group.leave(member, false)) {
            return false;
        }
        Set<GroupKey> keys = memberships.get(member);
        keys.remove(key);
        if (keys.isEmpty()) {
            memberships.remove(member);
        }
        return true;
    }

    /** Ends every membership of a connection that went away. */
    public void leaveAll(Subscriber member) {
        Set<GroupKey> keys = memberships.remove(member);
        if (keys != null) {
            keys.forEach(key -> groups.get(key).leave(member, true));
        }
    }

    /**
     * The group {@code key} if it has no members left, taken out of this edge's groups: remove it
     * from the registry.
     */
    public Optional<ConsumerGroup> removeIfEmpty(GroupKey key) {
        ConsumerGroup group = groups.get(key);
        if (group == null || !group.isEmpty()) {
            return Optional.empty();
        }
        groups.remove(key);
        GroupFeed feed = fed.remove(key);
        if (feed != null) {
            feed.close(); // leaves the Kafka group within a poll, without holding the registry's lock meanwhile
        }
        group.closed();
        return Optional.of(group);
    }

    /** The keys of the groups {@code member} belongs to. */
    public List<GroupKey> membershipsOf(Subscriber member) {
        return new ArrayList<>(memberships.getOrDefault(member, Set.of()));
    }

    /** Whether {@code member} belongs to at least one group. */
    public boolean isMember(Subscriber member) {
        return memberships.containsKey(member);
    }

    /**
     * Stops every group's feed (the edge stops): each commits what it handed over and leaves its
     * Kafka group on its own thread, within a poll; does not wait.
     */
    public void closeFeeds() {
        fed.values().forEach(GroupFeed::close);
        fed.clear();
    }

    /** Number of groups with at least one member on this edge. */
    public int groupCount() {
        return groups.size();
    }
}
