package io.meshwork.connectors.mesh;

import io.meshwork.core.topic.InvalidTopicException;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Map;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigException;

/** The settings of {@link MeshSinkConnector}. */
public final class MeshSinkConfig extends MeshRegionConfig {

    /** Where a record's mesh topic comes from. */
    public static final String TOPIC_SOURCE = "mesh.topic.source";
    private static final String TOPIC_SOURCE_DOC = "Where each record's mesh topic comes from: topic (the Connect topic's name), "
            + "key (the record key as text) or field (the value field named by mesh.topic.field).";

    /** The value field that names the mesh topic. */
    public static final String TOPIC_FIELD = "mesh.topic.field";
    private static final String TOPIC_FIELD_DOC = "With mesh.topic.source=field: the field of the record's value (a Struct, or a Map "
            + "such as schemaless JSON) that holds the mesh topic; dots walk nested fields (customer.region).";

    /** The template the mapped value goes into. */
    public static final String TOPIC_TEMPLATE = "mesh.topic.template";
    private static final String TOPIC_TEMPLATE_DOC = "The mesh topic, with {} where the mapped value goes, e.g. orders/{}/created. "
            + "Without {} every record is published on this one topic.";

    /** CloudEvents type of the published events. */
    public static final String CE_TYPE = "mesh.ce.type";
    private static final String CE_TYPE_DOC = "The CloudEvents type (ce_type) of every published event.";

    /** CloudEvents source of the published events. */
    public static final String CE_SOURCE = "mesh.ce.source";
    private static final String CE_SOURCE_DOC = "The CloudEvents source (ce_source, a URI-reference) of every published event.";

    /** Content type override. */
    public static final String CE_DATA_CONTENT_TYPE = "mesh.ce.datacontenttype";
    private static final String CE_DATA_CONTENT_TYPE_DOC = "The payload's content type (content-type header). Empty: inferred from "
            + "the converted value: application/octet-stream for bytes, text/plain for strings, application/json otherwise.";

    /** Largest payload published. */
    public static final String MAX_PAYLOAD_BYTES = "mesh.max.payload.bytes";
    private static final String MAX_PAYLOAD_BYTES_DOC = "Largest payload (converted value) published, in bytes, as the edges' "
            + "edge.max.payload.bytes; a larger record is unmappable (dead letter queue under errors.tolerance=all) rather than "
            + "a write the region's brokers refuse again on every redelivery.";

    /** The definitions, with docs, defaults and validators. */
    public static final ConfigDef CONFIG_DEF = regionDef()
            .define(TOPIC_SOURCE, Type.STRING, TopicSource.TOPIC.configValue(),
                    ConfigDef.CaseInsensitiveValidString.in(TopicSource.configValues()), Importance.HIGH, TOPIC_SOURCE_DOC)
            .define(TOPIC_FIELD, Type.STRING, "", Importance.MEDIUM, TOPIC_FIELD_DOC)
            .define(TOPIC_TEMPLATE, Type.STRING, TopicMapping.PLACEHOLDER, MeshSinkConfig::checkTemplate, Importance.MEDIUM,
                    TOPIC_TEMPLATE_DOC)
            .define(CE_TYPE, Type.STRING, "io.meshwork.connect.record", new ConfigDef.NonEmptyStringWithoutControlChars(),
                    Importance.MEDIUM, CE_TYPE_DOC)
            .define(CE_SOURCE, Type.STRING, "/meshwork/connect", MeshSinkConfig::checkUri, Importance.MEDIUM, CE_SOURCE_DOC)
            .define(CE_DATA_CONTENT_TYPE, Type.STRING, "", Importance.LOW, CE_DATA_CONTENT_TYPE_DOC)
            .define(MAX_PAYLOAD_BYTES, Type.INT, 1024 * 1024, ConfigDef.Range.between(1, 3 * 1024 * 1024), Importance.LOW,
                    MAX_PAYLOAD_BYTES_DOC);

    /**
     * @throws ConfigException naming the key at fault, including {@value #TOPIC_FIELD} when the
     *         topic comes from a field and none is named
     */
    public MeshSinkConfig(Map<String, String> props) {
        super(CONFIG_DEF, props);
        if (topicSource() == TopicSource.FIELD && getString(TOPIC_FIELD).isBlank()) {
            throw new ConfigException(TOPIC_FIELD, getString(TOPIC_FIELD), "required when " + TOPIC_SOURCE + "=field");
        }
    }

    /** Where each record's mesh topic comes from. */
    public TopicSource topicSource() {
        return TopicSource.fromConfig(getString(TOPIC_SOURCE));
    }

    /** The record-to-topic mapping these settings describe. */
    public TopicMapping topicMapping() {
        return new TopicMapping(topicSource(), getString(TOPIC_FIELD), getString(TOPIC_TEMPLATE));
    }

    /** The record-to-event mapping these settings describe. */
    SinkEvents events() {
        String contentType = getString(CE_DATA_CONTENT_TYPE);
        return new SinkEvents(topicMapping(), getString(CE_TYPE), getString(CE_SOURCE), contentType.isBlank() ? null : contentType,
                getInt(MAX_PAYLOAD_BYTES), region(), brokerId());
    }

    private static void checkTemplate(String name, Object value) {
        try {
            TopicMapping.checkTemplate(String.valueOf(value));
        } catch (InvalidTopicException e) {
            throw new ConfigException(name, value, "does not give a valid mesh topic: " + e.getMessage());
        }
    }

    private static void checkUri(String name, Object value) {
        if (value == null || value.toString().isEmpty()) {
            throw new ConfigException(name, value, "must be a non-empty URI-reference");
        }
        try {
            new URI(value.toString());
        } catch (URISyntaxException e) {
            throw new ConfigException(name, value, "not a URI-reference: " + e.getReason());
        }
    }
}
