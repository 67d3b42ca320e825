package io.meshwork.router.routing;

import io.meshwork.core.envelope.MeshHeaders;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.OptionalLong;
import java.util.StringJoiner;
import java.util.TreeMap;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

/**
 * The {@link MeshHeaders#SEQUENCE} header: for each destination of a link record, the event's
 * number in the origin's stream towards that destination on this link partition
 * ({@code <region>=<n>,...}, numbered from 1 without gaps). Every link topic has the same
 * partitions and the key picks the partition ({@link LinkPartitioner}), so all copies of a
 * stream, whatever path they take, arrive on the same partition number and reach the same
 * router task, which can deliver them in order and knows exactly which number is missing.
 */
final class LinkSequence {

    private LinkSequence() {
    }

    /** The event's number towards {@code destination}, if the record carries one. */
    static OptionalLong of(Headers headers, String destination) {
        Header header = headers.lastHeader(MeshHeaders.SEQUENCE);
        if (header == null || header.value() == null) {
            return OptionalLong.empty();
        }
        for (String entry : new String(header.value(), StandardCharsets.UTF_8).split(",")) {
            int equals = entry.indexOf('=');
            if (equals > 0 && entry.substring(0, equals).equals(destination)) {
                try {
                    long number = Long.parseLong(entry.substring(equals + 1));
                    return number > 0 ? OptionalLong.of(number) : OptionalLong.empty();
                } catch (NumberFormatException e) {
                    return OptionalLong.empty(); // not written by a router: no order to restore
                }
            }
        }
        return OptionalLong.empty();
    }

    /** Replaces the header with {@code numbers} (destination → number). */
    static void write(Headers headers, Map<String, Long> numbers) {
        headers.remove(MeshHeaders.SEQUENCE);
        StringJoiner text = new StringJoiner(",");
        new TreeMap<>(numbers).forEach((destination, number) -> text.add(destination + "=" + number));
        headers.add(MeshHeaders.SEQUENCE, text.toString().getBytes(StandardCharsets.UTF_8));
    }
}
