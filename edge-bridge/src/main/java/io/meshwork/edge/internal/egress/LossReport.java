package io.meshwork.edge.internal.egress;

import io.meshwork.edge.internal.delivery.DeliveryPolicy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells of one connection's losses: counts every dropped event in {@link EgressMetrics} and logs
 * each drop episode once at INFO, when it starts and when the subscription catches up, naming
 * region, connection and topic pattern (never once per event: a lagging subscriber may lose
 * thousands a second).
 */
public final class LossReport implements EgressListener {

    private static final Logger LOG = LoggerFactory.getLogger(LossReport.class);

    private final String region;
    private final Object connection;
    private final EgressMetrics metrics;

    /** @param connection named in logs by its {@code toString()}, e.g. {@code WebSocket 1a2b} */
    public LossReport(String region, Object connection, EgressMetrics metrics) {
        this.region = region;
        this.connection = connection;
        this.metrics = metrics;
    }

    @Override
    public void dropped(EgressLane lane, int events, boolean episodeStarted) {
        metrics.dropped(lane.policy(), events, episodeStarted);
        if (episodeStarted) {
            LOG.info("region {}: {} falls behind on {}: {}; its next delivery tells dropped_before",
                    region, connection, lane.pattern(), lane.policy() == DeliveryPolicy.CONFLATE
                            ? "conflating, only the latest queued event per topic is kept" : "its queue is full, the oldest events are dropped");
        }
    }

    @Override
    public void caughtUp(EgressLane lane, long droppedInEpisode) {
        LOG.info("region {}: {} caught up on {} after losing {} events ({})", region, connection, lane.pattern(),
                droppedInEpisode, lane.policy().wireName());
    }

    @Override
    public void failoverGap(EgressLane lane, long events, boolean exact) {
        metrics.failoverGap(lane.policy(), events, exact);
        LOG.info("region {}: {} resumed {} after a failover and missed {} {} events while it had no edge; its first "
                + "delivery tells dropped_before", region, connection, lane.pattern(), exact ? "exactly" : "at most", events);
    }
}
