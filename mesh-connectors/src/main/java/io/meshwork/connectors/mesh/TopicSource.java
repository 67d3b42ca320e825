package io.meshwork.connectors.mesh;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** Where the sink connector takes a record's mesh topic from. */
public enum TopicSource {
    /** The record's Connect (Kafka) topic. */
    TOPIC,
    /** The record's key, as text. */
    KEY,
    /** A field of the record's value (a Struct or a Map, e.g. schemaless JSON); dots walk nested fields. */
    FIELD;

    /** The setting's value for this source. */
    public String configValue() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Every accepted setting value, for ConfigDef. */
    static String[] configValues() {
        return Arrays.stream(values()).map(TopicSource::configValue).toArray(String[]::new);
    }

    static TopicSource fromConfig(String value) {
        return valueOf(value.toUpperCase(Locale.ROOT));
    }

    @Override
    public String toString() {
        return Arrays.stream(values()).map(TopicSource::configValue).collect(Collectors.joining("|"));
    }
}
