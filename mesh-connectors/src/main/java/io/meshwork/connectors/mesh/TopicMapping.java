package io.meshwork.connectors.mesh;

import io.meshwork.core.topic.InvalidTopicException;
import io.meshwork.core.topic.TopicName;
import java.util.Map;
import java.util.Objects;
import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.errors.DataException;
import org.apache.kafka.connect.sink.SinkRecord;

/**
 * How the sink connector names the mesh topic of a record: a value taken from the record
 * ({@link TopicSource}) put into a template at {@value #PLACEHOLDER}.
 *
 * @param source   where the value comes from
 * @param field    the value's field (dots walk nested fields) when {@code source} is {@link TopicSource#FIELD}
 * @param template the topic, with {@value #PLACEHOLDER} where the value goes; without it every record gets this topic
 */
public record TopicMapping(TopicSource source, String field, String template) {

    /** Where the mapped value goes in the template. */
    public static final String PLACEHOLDER = "{}";

    public TopicMapping {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(template, "template");
        if (source == TopicSource.FIELD && (field == null || field.isBlank())) {
            throw new IllegalArgumentException("a field is required when the topic comes from a field");
        }
        checkTemplate(template);
    }

    /**
     * Checks that a template gives a valid topic once its placeholder is filled.
     *
     * @throws InvalidTopicException naming the problem
     */
    static void checkTemplate(String template) {
        TopicName.of(template.replace(PLACEHOLDER, "x"));
    }

    /**
     * The mesh topic of {@code record}.
     *
     * @throws DataException naming what is missing or wrong: Connect routes it to the dead letter
     *         queue under {@code errors.tolerance=all}
     */
    public TopicName topicOf(SinkRecord record) {
        String value = switch (source) {
            case TOPIC -> record.topic();
            case KEY -> keyText(record.key());
            case FIELD -> fieldText(record.value());
        };
        String topic = template.replace(PLACEHOLDER, value);
        try {
            return TopicName.of(topic);
        } catch (InvalidTopicException e) {
            throw new DataException("record " + where(record) + ": mesh topic '" + topic + "' (from the record's "
                    + describeSource() + ") is not a valid topic: " + e.getMessage(), e);
        }
    }

    private static String keyText(Object key) {
        if (key == null) {
            throw new DataException("the record has no key, and mesh.topic.source=key takes the mesh topic from it");
        }
        String text = RecordKeys.text(key);
        if (text == null) {
            throw new DataException("the record's key is a " + key.getClass().getSimpleName()
                    + ", not text, and mesh.topic.source=key takes the mesh topic from it");
        }
        return text;
    }

    private String fieldText(Object value) {
        Object current = value;
        for (String name : field.split("\\.", -1)) {
            current = child(current, name);
            if (current == null) {
                throw new DataException("the record's value has no field '" + field + "' (mesh.topic.field) to take the mesh topic from");
            }
        }
        if (current instanceof Struct || current instanceof Map || current instanceof Iterable) {
            throw new DataException("field '" + field + "' (mesh.topic.field) of the record's value is not text");
        }
        return current.toString();
    }

    private static Object child(Object parent, String name) {
        if (parent instanceof Struct struct) {
            Field found = struct.schema().field(name);
            return found == null ? null : struct.get(found);
        }
        if (parent instanceof Map<?, ?> map) {
            return map.get(name);
        }
        return null;
    }

    private String describeSource() {
        return source == TopicSource.FIELD ? "field '" + field + "'" : source.configValue();
    }

    private static String where(SinkRecord record) {
        return record.topic() + "-" + record.kafkaPartition() + "@" + record.kafkaOffset();
    }
}
