package io.meshwork.core.auth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.meshwork.core.topic.TopicPattern;
import java.io.IOException;
import java.time.Instant;
import java.util.UUID;

/**
 * The records of {@code mesh.acls}: key = the entry's id, value = a JSON object
 * {@code {"id","principal","action","effect","filter","createdAt"}} (action {@code publish|subscribe},
 * effect {@code allow|deny}, filter an MQTT topic filter, createdAt ISO-8601), or no value (a
 * tombstone) once the entry is deleted.
 */
public final class AclRecords {

    private static final ObjectMapper JSON = new ObjectMapper();

    private AclRecords() {
    }

    public static byte[] encode(AclEntry entry) {
        ObjectNode node = JSON.createObjectNode()
                .put("id", entry.id().toString())
                .put("principal", entry.principal())
                .put("action", entry.action().tag())
                .put("effect", entry.effect().tag())
                .put("filter", entry.filter().value())
                .put("createdAt", entry.createdAt().toString());
        try {
            return JSON.writeValueAsBytes(node);
        } catch (IOException e) {
            throw new IllegalStateException("cannot encode ACL entry " + entry.id(), e);
        }
    }

    /**
     * The entry a record's value holds.
     *
     * @throws IllegalArgumentException naming what is wrong when the value is not an ACL entry
     */
    public static AclEntry decode(byte[] value) {
        try {
            JsonNode node = JSON.readTree(value);
            return new AclEntry(UUID.fromString(text(node, "id")), text(node, "principal"), AclEntry.Action.parse(text(node, "action")),
                    AclEntry.Effect.parse(text(node, "effect")), TopicPattern.parse(text(node, "filter")),
                    Instant.parse(text(node, "createdAt")));
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("not an ACL entry: " + e.getMessage(), e);
        }
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node == null ? null : node.get(field);
        if (value == null || !value.isTextual()) {
            throw new IllegalArgumentException("field " + field + " is missing or not a string");
        }
        return value.asText();
    }
}
