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
