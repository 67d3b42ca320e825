package io.meshwork.edge.internal.group;

import java.util.List;

/**
 * Picks the member of a consumer group that gets an event: rendezvous (highest random weight)
 * hashing of the event's routing key over the members that keep up, so that
 * <ul>
 *   <li>a key stays with one member while that member keeps up (order per key), and only the keys
 *       of a member that leaves or lags move, each to its next member in the key's own order;</li>
 *   <li>a member with {@code lagFrames} or more frames unsent gets nothing new while another
 *       member has fewer;</li>
 *   <li>when every member lags, the least loaded one gets the event, and its own slow-consumer
 *       answer applies.</li>
 * </ul>
 * Linear in the members: groups are small, and no state is kept between events.
 */
final class MemberChoice {

    /** What the choice needs to know of a member. */
    interface Candidate {
        /** Stable for the member's life, distinct within the group. */
        String id();

        /** Frames handed to the member and not yet written. */
        int pending();
    }

    /**
     * @param member   the chosen member
     * @param rerouted whether the key's first choice lagged, so another member got the event
     */
    record Choice<M>(M member, boolean rerouted) {
    }

    private MemberChoice() {
    }

    /** The member for an event with {@code key}; {@code members} is not empty. */
    static <M extends Candidate> Choice<M> choose(List<M> members, String key, int lagFrames) {
        long keyHash = mix(key.hashCode());
        M first = null;
        long firstScore = Long.MIN_VALUE;
        M healthy = null;
        long healthyScore = Long.MIN_VALUE;
        M leastLoaded = null;
        int leastPending = Integer.MAX_VALUE;
        for (M member : members) {
            long score = mix(keyHash ^ member.id().hashCode());
            int pending = member.pending();
            if (score > firstScore) {
                first = member;
                firstScore = score;
            }
            if (pending < lagFrames && score > healthyScore) {
                healthy = member;
                healthyScore = score;
            }
            if (pending < leastPending) {
                leastLoaded = member;
                leastPending = pending;
            }
        }
        M chosen = healthy != null ? healthy : leastLoaded;
        return new Choice<>(chosen, chosen != first);
    }

    // SplitMix64's finalizer: spreads String.hashCode's weak low bits over the whole score.
    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }
}
