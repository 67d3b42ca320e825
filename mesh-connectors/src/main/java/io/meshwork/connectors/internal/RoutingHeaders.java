package io.meshwork.connectors.internal;

import io.meshwork.core.envelope.InvalidEventException;
import io.meshwork.core.envelope.MeshHeaderCodec;
import io.meshwork.core.envelope.MeshHeaders;
import io.meshwork.core.envelope.Routing;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.apache.kafka.connect.header.Header;
import org.apache.kafka.connect.header.Headers;

/**
 * The mesh routing headers ({@code mesh_origin}, {@code mesh_path}, {@code mesh_hops}) on Connect
 * records: Connect's header values turned into text, then read and written by
 * {@link MeshHeaderCodec}, the same rules as on plain Kafka records (the last header of a name
 * wins, the path splits on commas without trimming, the hop budget is a trimmed decimal).
 *
 * <p>MirrorMaker's header converter is {@code ByteArrayConverter}, so values normally arrive as
 * {@code byte[]}; other converters produce {@code String}s (or numbers for {@code mesh_hops}), and
 * all of those are read. Values are always written back as UTF-8 {@code byte[]}, which is what
 * {@code ByteArrayConverter} can serialise. Nothing here throws on malformed headers: unusable
 * values read as absent.
 */
public final class RoutingHeaders {

    /** The CloudEvents id in the Kafka binary binding; only used to name records in logs. */
    private static final String CE_ID = "ce_id";

    private RoutingHeaders() {
    }

    /**
     * @param headers a record's headers
     * @return the complete, valid routing of the record, or empty when a routing header is
     *         missing or any of them is malformed (see {@link Routing}'s rules)
     */
    public static Optional<Routing> routing(Headers headers) {
        Optional<String> origin = text(headers, MeshHeaders.ORIGIN);
        Optional<String> path = text(headers, MeshHeaders.PATH);
        OptionalInt hops = hopBudget(headers);
        if (origin.isEmpty() || path.isEmpty() || hops.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(MeshHeaderCodec.routing(origin.get(), path.get(), Integer.toString(hops.getAsInt())));
        } catch (InvalidEventException malformed) {
            return Optional.empty();
        }
    }

    /**
     * @param headers a record's headers
     * @return the broker ids on {@code mesh_path}, origin first; empty when the header is absent
     */
    public static List<String> path(Headers headers) {
        return text(headers, MeshHeaders.PATH).map(MeshHeaderCodec::path).orElse(List.of());
    }

    /**
     * @param headers a record's headers
     * @return the hop budget on {@code mesh_hops}; empty when absent or not a decimal integer
     */
    public static OptionalInt hopBudget(Headers headers) {
        Optional<String> hops = text(headers, MeshHeaders.HOPS);
        if (hops.isEmpty()) {
            return OptionalInt.empty();
        }
        try {
            return OptionalInt.of(MeshHeaderCodec.hopBudget(hops.get()));
        } catch (InvalidEventException notANumber) {
            return OptionalInt.empty();
        }
    }

    /**
     * @param headers a record's headers
     * @return the CloudEvents id for log lines, or {@code "(no ce_id)"}
     */
    public static String eventIdForLog(Headers headers) {
        return text(headers, CE_ID).orElse("(no ce_id)");
    }

    /**
     * A copy of {@code headers} carrying {@code routing}'s path and hop budget; every other header
     * (origin and destination included) is kept as it was. The input is left untouched because
     * Connect may still hold the original record.
     *
     * @param headers the record's headers
     * @param routing the routing to write
     * @return the updated copy
     */
    public static Headers withPathAndHops(Headers headers, Routing routing) {
        Headers updated = headers.duplicate();
        replace(updated, MeshHeaders.PATH, MeshHeaderCodec.pathText(routing.path()));
        replace(updated, MeshHeaders.HOPS, Integer.toString(routing.hopBudget()));
        return updated;
    }

    private static void replace(Headers headers, String key, String value) {
        headers.remove(key).addBytes(key, value.getBytes(StandardCharsets.UTF_8));
    }

    private static Optional<String> text(Headers headers, String key) {
        Header header = headers.lastWithName(key);
        if (header == null) {
            return Optional.empty();
        }
        Object value = header.value();
        if (value == null) {
            // A null header value is present-but-empty on the Kafka side too (KafkaEventCodec).
            return Optional.of("");
        }
        if (value instanceof byte[] bytes) {
            return Optional.of(new String(bytes, StandardCharsets.UTF_8));
        }
        if (value instanceof ByteBuffer buffer) {
            return Optional.of(StandardCharsets.UTF_8.decode(buffer.duplicate()).toString());
        }
        if (value instanceof CharSequence || value instanceof Integer || value instanceof Long
                || value instanceof Short || value instanceof Byte) {
            return Optional.of(value.toString());
        }
        return Optional.empty();
    }
}
