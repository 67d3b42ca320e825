package io.meshwork.edge.internal.egress;

/**
 * Told by an {@link EgressQueue} of what its subscriptions lose, to count it and log it once per
 * episode. Called under the queue's monitor: implementations only count and log.
 */
public interface EgressListener {

    /**
     * Events of {@code lane} were dropped under its policy.
     *
     * @param episodeStarted whether these are the first losses since the lane last caught up
     */
    void dropped(EgressLane lane, int events, boolean episodeStarted);

    /** {@code lane}'s queue emptied after it had lost {@code droppedInEpisode} events. */
    void caughtUp(EgressLane lane, long droppedInEpisode);

    /**
     * A subscription resumed after a failover missed {@code events} while it had no edge; its first
     * delivery tells them in {@code dropped_before}.
     *
     * @param exact whether counted exactly, or an upper bound past {@code edge.failover.gap.count.max}
     */
    default void failoverGap(EgressLane lane, long events, boolean exact) {
    }

    /** Listens to nothing. */
    EgressListener NONE = new EgressListener() {
        @Override
        public void dropped(EgressLane lane, int events, boolean episodeStarted) {
        }

        @Override
        public void caughtUp(EgressLane lane, long droppedInEpisode) {
        }
    };
}
