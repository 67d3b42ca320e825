package io.meshwork.router.routing;

import io.meshwork.core.envelope.InvalidEventException;
import io.meshwork.core.envelope.MeshHeaderCodec;
import io.meshwork.core.envelope.MeshHeaders;
import io.meshwork.core.envelope.Routing;
import io.meshwork.topology.NextHops;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends one event towards a set of destination regions: one copy per next hop (never one per
 * destination), each carrying the destinations reached through that hop, the routing path and
 * the hop budget. Also writes dead letters. Shared by the local and the transit router.
 */
final class Forwarder {

    private static final Logger LOG = LoggerFactory.getLogger(Forwarder.class);

    private final String region;
    private final RoutingTable routes;
    private final RouterMetrics metrics;
    private final String linkChildPrefix;
    private final String deadLetterChild;

    /**
     * @param linkChildPrefix children are named {@code <prefix><neighbour>}, one sink per link
     * @param deadLetterChild the child writing to {@code mesh.dlq}
     */
    Forwarder(String region, RoutingTable routes, RouterMetrics metrics, String linkChildPrefix, String deadLetterChild) {
        this.region = region;
        this.routes = routes;
        this.metrics = metrics;
        this.linkChildPrefix = linkChildPrefix;
        this.deadLetterChild = deadLetterChild;
    }

    static String linkChild(String prefix, String neighbour) {
        return prefix + neighbour;
    }

    void forward(ProcessorContext<String, byte[]> context, Record<String, byte[]> record, Routing routing,
                 Collection<String> destinations, String eventId) {
        Map<String, Set<String>> byHop = new TreeMap<>();
        NextHops current = routes.current();
        for (String destination : destinations) {
            Optional<String> hop = current.towards(destination);
            if (hop.isPresent() && routing.hasVisited(hop.get())) {
                // While links flap, regions' routes briefly disagree and the best hop may lead back
                // where the event came from; the link's loop guard would drop it there. Spool it
                // towards the destination instead, to drain when that link carries traffic again.
                Optional<String> spool = routes.spoolTowards(destination).filter(h -> !routing.hasVisited(h));
                if (spool.isPresent()) {
                    LOG.debug("region {}: next hop {} for event {} to {} is on its path {}; spooled towards {}", region, hop.get(),
                            eventId, destination, routing.path(), spool.get());
                    metrics.unroutable(destination);
                    hop = spool;
                }
            }
            if (hop.isEmpty()) {
                // No path is up: spool on the link the event would take, to drain when it heals.
                hop = routes.spoolTowards(destination);
                metrics.unroutable(destination);
                LOG.debug("region {}: no path to {} for event {}; spooled towards {}", region, destination, eventId, hop);
            }
            hop.ifPresent(h -> byHop.computeIfAbsent(h, x -> new TreeSet<>()).add(destination));
        }
        long handedOnAt = System.currentTimeMillis();
        byHop.forEach((hop, reached) -> {
            Headers headers = copy(record.headers());
            MeshHeaderCodec.writeRouting(headers, routing);
            MeshHeaderCodec.stampStage(headers, handedOnAt);
            headers.remove(MeshHeaders.ARRIVED_FROM);
            MeshHeaderCodec.writeDestinations(headers, reached);
            Record<String, byte[]> copy = record.withHeaders(headers);
            context.forward(copy, linkChild(linkChildPrefix, hop));
            metrics.linkEvent(hop, size(copy));
        });
    }

    void deadLetter(ProcessorContext<String, byte[]> context, Record<String, byte[]> record, InvalidEventException reason,
                    String source) {
        Headers headers = copy(record.headers());
        MeshHeaderCodec.writeDeadLetter(headers, reason);
        context.forward(record.withHeaders(headers), deadLetterChild);
        metrics.deadLetter(reason.field());
        LOG.warn("region {}: record from {} is not a valid mesh event ({}: {}); sent to mesh.dlq",
                region, source, reason.field(), reason.getMessage());
    }

    static Headers copy(Headers headers) {
        RecordHeaders copy = new RecordHeaders();
        for (Header header : headers) {
            copy.add(header.key(), header.value());
        }
        return copy;
    }

    private static long size(Record<String, byte[]> record) {
        long size = record.value() == null ? 0 : record.value().length;
        size += record.key() == null ? 0 : record.key().getBytes(StandardCharsets.UTF_8).length;
        for (Header header : record.headers()) {
            size += header.key().length() + (header.value() == null ? 0 : header.value().length);
        }
        return size;
    }
}
