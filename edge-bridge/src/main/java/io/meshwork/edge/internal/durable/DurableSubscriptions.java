package io.meshwork.edge.internal.durable;

import io.meshwork.core.envelope.KafkaEventCodec;
import io.meshwork.core.kafka.KafkaClients;
import io.meshwork.core.metrics.MeshMetrics;
import io.meshwork.core.topic.TopicPattern;
import io.meshwork.edge.DurableSettings;
import io.meshwork.core.interest.InterestSink;
import io.meshwork.edge.internal.ingress.PublishThrottle;
import io.meshwork.edge.internal.stream.SessionTransport;
import io.meshwork.edge.internal.stream.SubscriptionRequests;
import io.micrometer.core.instrument.Gauge;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The durable subscriptions ({@code delivery_policy: durable}) of one edge's WebSocket and gRPC
 * streams: each is a {@link DurableReader} of {@code mesh.events} from its own position, and holds
 * the edge's interest in its pattern like any subscription, so that events of other regions are
 * routed here. It is not in the {@code SubscriptionRegistry}: the edge's shared delivery must not
 * hand it events too.
 *
 * <p>Metrics (per region and edge, not per subscription, to keep cardinality flat; the edge tag
 * keeps several edges of a region in one JVM, the embedded mesh, apart):
 * {@code mesh_edge_durable_subscriptions}, {@code mesh_edge_durable_backpressured} and
 * {@code mesh_edge_durable_lag_max} (records behind, of the most lagging durable subscription).
 */
public final class DurableSubscriptions implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(DurableSubscriptions.class);

    /** One durable subscription of one stream; the same (pattern, selector) twice on a stream is one. */
    private record Key(SessionTransport transport, String pattern, String expression) {
    }

    private final DurableReader.Context context;
    private final DurableStarts starts;
    private final InterestSink interest;
    private final Map<Key, DurableReader> readers = new ConcurrentHashMap<>();
    private final String region;
    private final FailoverGaps gaps;

    /**
     * @param throttle         where a backpressured subscription's topics are throttled (when the settings say so)
     */
    public DurableSubscriptions(KafkaClients kafka, String region, String edgeId, KafkaEventCodec codec, InterestSink interest,
                                DurableSettings settings, PublishThrottle throttle) {
        this(kafka, region, edgeId, codec, interest, settings, throttle, null);
    }

    /**
     * @param gaps counts what non-durable subscriptions resumed with a token missed (closed with
     *             these subscriptions); {@code null}: such resumes are refused
     */
    public DurableSubscriptions(KafkaClients kafka, String region, String edgeId, KafkaEventCodec codec, InterestSink interest,
                                DurableSettings settings, PublishThrottle throttle, FailoverGaps gaps) {
        this.gaps = gaps;
        this.region = region;
        this.interest = interest;
        this.starts = new DurableStarts(kafka, region);
        this.context = new DurableReader.Context(kafka, region, codec, new ResumeTokens(region, settings.tokenSecret()),
                new Backpressure(region, edgeId, settings, throttle), settings.window(), settings.backpressureLag(), settings.recoverLag());
        Gauge.builder("mesh.edge.durable.subscriptions", readers, Map::size)
                .description("Durable subscriptions this edge serves")
                .tags("region", region, "edge", edgeId).register(MeshMetrics.registry());
        Gauge.builder("mesh.edge.durable.backpressured", context.backpressure(), Backpressure::flaggedCount)
                .description("Durable subscriptions lagging past edge.durable.backpressure.lag")
                .tags("region", region, "edge", edgeId).register(MeshMetrics.registry());
        Gauge.builder("mesh.edge.durable.lag.max", readers, r -> r.values().stream().mapToLong(DurableReader::lag).max().orElse(0))
                .description("Records of mesh.events the most lagging durable subscription has not read")
                .tags("region", region, "edge", edgeId).register(MeshMetrics.registry());
    }

    /**
     * Opens a durable subscription for {@code transport}, from its resume token or at the end of
     * the log; {@code confirm} runs before its first event, with the resume token of the position
     * the subscription starts at. A (pattern, selector) the stream already holds durably is only
     * confirmed again, with the token it was asked for (empty without one).
     *
     * @throws io.meshwork.edge.internal.Refusal {@code INVALID_RESUME_TOKEN} naming {@code resume_token}
     *         (malformed, another version, tampered, too old), {@code BROKER_UNAVAILABLE} when
     *         Kafka does not answer
     */
    public void subscribe(SessionTransport transport, SubscriptionRequests.Valid valid, Consumer<String> confirm) {
        String expression = valid.selector().expression().strip();
        Key key = new Key(transport, valid.pattern().value(), expression);
        String token = valid.request().getResumeToken();
        if (readers.containsKey(key)) {
            confirm.accept(token);
            return;
        }
        Optional<ResumePosition> from = token.isEmpty() ? Optional.empty() : Optional.of(context.tokens().decode(token));
        String id = transport.id() + " " + valid.pattern().value() + (expression.isEmpty() ? "" : " [" + expression + "]");
        long[] next = starts.start(from);
        DurableReader reader = DurableReader.open(context, transport, valid.request(), valid.pattern(), valid.selector(), id,
                starts.partitions(), next, failed -> forget(key, failed));
        if (readers.putIfAbsent(key, reader) != null) {
            reader.close(); // the same request twice at once: the first one serves it
            confirm.accept(token);
            return;
        }
        interest.acquire(key.pattern(), expression);
        reader.start(confirm);
        LOG.debug("region {}: durable subscription {} opened {}", region, id, from.isEmpty() ? "at the end" : "from its token");
    }

    /** Closes the durable subscription of {@code transport} to (pattern, selector); false when it held none. */
    public boolean unsubscribe(SessionTransport transport, TopicPattern pattern, String selectorExpression) {
        Key key = new Key(transport, pattern.value(), selectorExpression == null ? "" : selectorExpression.strip());
        DurableReader reader = readers.remove(key);
        if (reader == null) {
            return false;
        }
        end(key, reader);
        interest.release(key.pattern(), key.expression());
        return true;
    }

    /**
     * Closes every durable subscription of a stream that ended. Their interest departs rather than
     * being released: the client may resume with its token on another edge within the grace period.
     */
    public void removeAll(SessionTransport transport) {
        List<Key> held = readers.keySet().stream().filter(key -> key.transport() == transport).toList();
        for (Key key : held) {
            DurableReader reader = readers.remove(key);
            if (reader != null) {
                end(key, reader);
                interest.depart(key.pattern(), key.expression());
            }
        }
    }

    /** What counts a non-durable subscription's failover gap on this edge, if it does. */
    public Optional<FailoverGaps> failoverGaps() {
        return gaps == null || !gaps.isReady() ? Optional.empty() : Optional.of(gaps);
    }

    /** Whether {@code transport} holds a durable subscription. */
    public boolean holdsAny(SessionTransport transport) {
        return readers.keySet().stream().anyMatch(key -> key.transport() == transport);
    }

    private void end(Key key, DurableReader reader) {
        reader.close();
        LOG.debug("region {}: durable subscription {} closed", region, reader.id());
    }

    /** A reader that stopped on its own (it already told its client): drop it without joining its thread. */
    private void forget(Key key, DurableReader reader) {
        if (readers.remove(key, reader)) {
            interest.release(key.pattern(), key.expression());
        }
    }

    @Override
    public void close() {
        List.copyOf(readers.keySet()).forEach(key -> {
            DurableReader reader = readers.remove(key);
            if (reader != null) {
                end(key, reader);
            }
        });
        context.backpressure().close();
        starts.close();
        if (gaps != null) {
            gaps.close();
        }
    }
}
