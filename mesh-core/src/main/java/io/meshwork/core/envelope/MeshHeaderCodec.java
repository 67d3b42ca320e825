package io.meshwork.core.envelope;

import io.meshwork.core.trace.TraceMode;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.StringJoiner;
import java.util.TreeMap;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

/**
 * Reads and writes the mesh's own Kafka headers ({@link MeshHeaders}): the one place that knows
 * their text formats. Every module goes through it, so a header means the same thing to the edge,
 * the router, the link and the control channel.
 *
 * <p>Rules shared by every header: the last header of a name wins; values are UTF-8 text; a
 * header whose value is {@code null} is present but empty. Readers of bookkeeping a hop merely
 * uses (link offset, RTT, sequence, hop time) treat a malformed value as absent, since an event
 * must not be lost over it; the routing headers, which decide where an event may go, are strict
 * and name the header at fault ({@link InvalidEventException}).
 *
 * <p>Writers replace every earlier header of the name.
 */
public final class MeshHeaderCodec {

    private MeshHeaderCodec() {
    }

    // ---- routing: mesh_origin, mesh_path, mesh_hops

    /**
     * The routing carried by {@code headers}, or empty when none of the three routing headers is
     * there (an event a plain Kafka producer wrote: it was published in the region it is read in).
     *
     * @throws InvalidEventException naming the routing header that is missing (while the others
     *                               are present) or malformed
     */
    public static Optional<Routing> routing(Headers headers) {
        String origin = text(headers, MeshHeaders.ORIGIN);
        String path = text(headers, MeshHeaders.PATH);
        String hops = text(headers, MeshHeaders.HOPS);
        if (origin == null && path == null && hops == null) {
            return Optional.empty();
        }
        return Optional.of(routing(origin, path, hops));
    }

    /**
     * Routing from the three header values as text, whatever carried them (a Kafka record, a
     * Connect record).
     *
     * @throws InvalidEventException naming the header that is missing ({@code null}) or malformed
     */
    public static Routing routing(String origin, String path, String hops) {
        if (origin == null || path == null || hops == null) {
            String missing = origin == null ? MeshHeaders.ORIGIN : path == null ? MeshHeaders.PATH : MeshHeaders.HOPS;
            throw new InvalidEventException(missing, "routing header '" + missing + "' is missing while the others are present");
        }
        int budget = hopBudget(hops);
        try {
            return new Routing(origin, path(path), budget);
        } catch (IllegalArgumentException e) {
            String field = origin.isBlank() ? MeshHeaders.ORIGIN : budget > Routing.MAX_HOP_BUDGET || budget < 0
                    ? MeshHeaders.HOPS : MeshHeaders.PATH;
            throw new InvalidEventException(field, "invalid routing header '" + field + "': " + e.getMessage());
        }
    }

    /** The broker ids of a {@code mesh_path} value, origin first: split on commas, nothing trimmed. */
    public static List<String> path(String path) {
        return Arrays.asList(path.split(",", -1));
    }

    /**
     * A {@code mesh_hops} value: a decimal integer, surrounding blanks allowed.
     *
     * @throws InvalidEventException naming {@code mesh_hops} when it is not a number
     */
    public static int hopBudget(String hops) {
        try {
            return Integer.parseInt(hops.trim());
        } catch (NumberFormatException e) {
            throw new InvalidEventException(MeshHeaders.HOPS, "header '" + MeshHeaders.HOPS + "' is not a number: '" + hops + "'");
        }
    }

    /** The {@code mesh_path} value of {@code path}. */
    public static String pathText(List<String> path) {
        return String.join(",", path);
    }

    /** Replaces the routing headers of {@code headers} with {@code routing}. */
    public static void writeRouting(Headers headers, Routing routing) {
        put(headers, MeshHeaders.ORIGIN, routing.originRegion());
        put(headers, MeshHeaders.PATH, pathText(routing.path()));
        put(headers, MeshHeaders.HOPS, Integer.toString(routing.hopBudget()));
    }

    // ---- link records: mesh_dest, mesh_seq

    /** The regions a link record is destined for ({@code mesh_dest}), in header order; empty when none. */
    public static Set<String> destinations(Headers headers) {
        String text = text(headers, MeshHeaders.DESTINATIONS);
        Set<String> destinations = new LinkedHashSet<>();
        if (text != null) {
            for (String region : text.split(",")) {
                String trimmed = region.trim();
                if (!trimmed.isEmpty()) {
                    destinations.add(trimmed);
                }
            }
        }
        return destinations;
    }

    /** Replaces {@code mesh_dest} with {@code regions}. */
    public static void writeDestinations(Headers headers, Collection<String> regions) {
        put(headers, MeshHeaders.DESTINATIONS, String.join(",", regions));
    }

    /**
     * The event's number towards {@code destination} ({@code mesh_seq}, {@code <region>=<n>,...}),
     * if the record carries a positive one.
     */
    public static OptionalLong sequence(Headers headers, String destination) {
        String text = text(headers, MeshHeaders.SEQUENCE);
        if (text == null) {
            return OptionalLong.empty();
        }
        for (String entry : text.split(",")) {
            int equals = entry.indexOf('=');
            if (equals > 0 && entry.regionMatches(0, destination, 0, equals) && equals == destination.length()) {
                OptionalLong number = parseLong(entry.substring(equals + 1));
                return number.isPresent() && number.getAsLong() > 0 ? number : OptionalLong.empty();
            }
        }
        return OptionalLong.empty();
    }

    /** Replaces {@code mesh_seq} with {@code numbers} (destination → number), sorted by destination. */
    public static void writeSequence(Headers headers, Map<String, Long> numbers) {
        StringJoiner text = new StringJoiner(",");
        new TreeMap<>(numbers).forEach((destination, number) -> text.add(destination + "=" + number));
        put(headers, MeshHeaders.SEQUENCE, text.toString());
    }

    // ---- arrivals: mesh_arrived_from, mesh_link_offset

    /** The neighbour an arrival came from ({@code mesh_arrived_from}), empty for an event published here. */
    public static Optional<String> arrivedFrom(Headers headers) {
        return Optional.ofNullable(text(headers, MeshHeaders.ARRIVED_FROM));
    }

    /** Whether the record is an arrival from another region (it carries {@code mesh_arrived_from}). */
    public static boolean isArrival(Headers headers) {
        return headers.lastHeader(MeshHeaders.ARRIVED_FROM) != null;
    }

    /** Marks the record as arrived from {@code neighbour}, and no longer a link record (drops {@code mesh_dest}). */
    public static void writeArrivedFrom(Headers headers, String neighbour) {
        headers.remove(MeshHeaders.DESTINATIONS);
        put(headers, MeshHeaders.ARRIVED_FROM, neighbour);
    }

    /** The record's offset in the sender's spool ({@code mesh_link_offset}), if stamped and a number. */
    public static OptionalLong linkOffset(Headers headers) {
        return parseLong(text(headers, MeshHeaders.LINK_OFFSET));
    }

    /** The {@code mesh_link_offset} value for {@code offset}. */
    public static byte[] linkOffsetValue(long offset) {
        return utf8(Long.toString(offset));
    }

    // ---- control records: mesh_link_rtt_ms, mesh_learned_from

    /** The link RTT a control channel stamped ({@code mesh_link_rtt_ms}), if a number. */
    public static OptionalLong linkRttMs(Headers headers) {
        return parseLong(text(headers, MeshHeaders.LINK_RTT));
    }

    /** Replaces {@code mesh_link_rtt_ms} with {@code rttMs}. */
    public static void writeLinkRttMs(Headers headers, long rttMs) {
        put(headers, MeshHeaders.LINK_RTT, Long.toString(rttMs));
    }

    /** The neighbour a flooded control record was learned from ({@code mesh_learned_from}). */
    public static Optional<String> learnedFrom(Headers headers) {
        return Optional.ofNullable(text(headers, MeshHeaders.LEARNED_FROM));
    }

    /** Replaces {@code mesh_learned_from} with {@code neighbour}. */
    public static void writeLearnedFrom(Headers headers, String neighbour) {
        put(headers, MeshHeaders.LEARNED_FROM, neighbour);
    }

    // ---- tracing: mesh_trace, mesh_hop_at

    /** The trace mode the origin decided ({@code mesh_trace}); unknown values count as sampled, so they are not lost. */
    public static TraceMode traceMode(Headers headers) {
        String text = text(headers, MeshHeaders.TRACE);
        return text == null ? TraceMode.NONE : TraceMode.fromHeaderValue(text);
    }

    /** Writes {@code mode} as {@code mesh_trace} (removes the header for {@link TraceMode#NONE}). */
    public static void writeTraceMode(Headers headers, TraceMode mode) {
        headers.remove(MeshHeaders.TRACE);
        if (mode.traced()) {
            headers.add(MeshHeaders.TRACE, utf8(mode.headerValue()));
        }
    }

    /** The time of the previous traced hop ({@code mesh_hop_at}), or {@code fallbackMs} when none (or no number) is there. */
    public static long previousHopAt(Headers headers, long fallbackMs) {
        return parseLong(text(headers, MeshHeaders.HOP_AT)).orElse(fallbackMs);
    }

    /** Stamps {@code atMs} as the time of the latest traced hop ({@code mesh_hop_at}). */
    public static void stampHop(Headers headers, long atMs) {
        put(headers, MeshHeaders.HOP_AT, Long.toString(atMs));
    }

    // ---- stage timing: mesh_stage_at

    /** When the last router handed the event on ({@code mesh_stage_at}), if stamped and a number. */
    public static OptionalLong stageAt(Headers headers) {
        return parseLong(text(headers, MeshHeaders.STAGE_AT));
    }

    /** Stamps {@code atMs} as the time the event was handed on ({@code mesh_stage_at}). */
    public static void stampStage(Headers headers, long atMs) {
        put(headers, MeshHeaders.STAGE_AT, Long.toString(atMs));
    }

    // ---- mesh.dlq: mesh_dlq_reason, mesh_dlq_field

    /** Adds why the record is not a valid mesh event, and the header at fault. */
    public static void writeDeadLetter(Headers headers, InvalidEventException reason) {
        writeDeadLetter(headers, reason.field(), reason.getMessage());
    }

    /** Adds why the record cannot be used ({@code mesh_dlq_reason}) and the field at fault ({@code mesh_dlq_field}). */
    public static void writeDeadLetter(Headers headers, String field, String reason) {
        put(headers, MeshHeaders.DLQ_REASON, reason);
        put(headers, MeshHeaders.DLQ_FIELD, field);
    }

    // ---- text

    /** The last header named {@code key} as UTF-8 text; {@code ""} for a null value, {@code null} when absent. */
    public static String text(Headers headers, String key) {
        Header header = headers.lastHeader(key);
        if (header == null) {
            return null;
        }
        return header.value() == null ? "" : new String(header.value(), StandardCharsets.UTF_8);
    }

    private static void put(Headers headers, String key, String value) {
        headers.remove(key);
        headers.add(key, utf8(value));
    }

    private static OptionalLong parseLong(String text) {
        if (text == null) {
            return OptionalLong.empty();
        }
        try {
            return OptionalLong.of(Long.parseLong(text.trim()));
        } catch (NumberFormatException e) {
            return OptionalLong.empty();
        }
    }

    private static byte[] utf8(String value) {
        return value.getBytes(StandardCharsets.UTF_8);
    }
}
