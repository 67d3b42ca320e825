package io.meshwork.connectors.mesh;

import io.meshwork.core.selector.InvalidSelectorException;
import io.meshwork.core.selector.Selector;
import io.meshwork.core.topic.InvalidTopicException;
import io.meshwork.core.topic.TopicPattern;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigException;

/** The settings of {@link MeshSourceConnector}. */
public final class MeshSourceConfig extends MeshRegionConfig {

    /** The topic pattern subscribed to. */
    public static final String TOPIC_PATTERN = "mesh.topic.pattern";
    private static final String TOPIC_PATTERN_DOC = "The mesh topics to drain, in MQTT syntax: / separates levels, + matches one "
            + "level, # (last level only) the rest, e.g. orders/+/created.";

    /** The optional selector. */
    public static final String SELECTOR = "mesh.selector";
    private static final String SELECTOR_DOC = "Optional SQL-92-like selector over headers and JSON payload fields, as for any "
            + "subscription, e.g. amountCents > 10000 AND currency = 'USD'. Empty: every event of the pattern.";

    /** The Connect topic written to. */
    public static final String TARGET_TOPIC = "topic";
    private static final String TARGET_TOPIC_DOC = "The Kafka topic (of the Connect worker's cluster) the matching events are "
            + "written to, in the CloudEvents Kafka binding (binary mode). Use value.converter="
            + "org.apache.kafka.connect.converters.ByteArrayConverter to keep payloads as they are.";

    /** How long the interest outlives a stopped connector. */
    public static final String LEASE_TTL_MS = "mesh.interest.lease.ms";
    private static final String LEASE_TTL_MS_DOC = "Lease of the connector's interest in its region, renewed every quarter of it. "
            + "A stopped, restarted or deleted connector's interest lasts until its lease runs out, so a restart loses no event "
            + "routed from other regions in between.";

    /** Where a connector without stored offsets starts. */
    public static final String START = "mesh.start";
    private static final String START_DOC = "Where a connector without stored offsets starts reading mesh.events: latest (events "
            + "from its start on) or earliest (everything the region still retains).";

    /** The definitions, with docs, defaults and validators. */
    public static final ConfigDef CONFIG_DEF = regionDef()
            .define(TOPIC_PATTERN, Type.STRING, ConfigDef.NO_DEFAULT_VALUE, MeshSourceConfig::checkPattern, Importance.HIGH,
                    TOPIC_PATTERN_DOC)
            .define(SELECTOR, Type.STRING, "", MeshSourceConfig::checkSelector, Importance.MEDIUM, SELECTOR_DOC)
            .define(TARGET_TOPIC, Type.STRING, ConfigDef.NO_DEFAULT_VALUE, new ConfigDef.NonEmptyStringWithoutControlChars(),
                    Importance.HIGH, TARGET_TOPIC_DOC)
            .define(LEASE_TTL_MS, Type.LONG, 30_000L, ConfigDef.Range.between(400L, 3_600_000L), Importance.LOW, LEASE_TTL_MS_DOC)
            .define(START, Type.STRING, "latest", ConfigDef.CaseInsensitiveValidString.in("latest", "earliest"), Importance.LOW,
                    START_DOC);

    /** @throws ConfigException naming the key at fault */
    public MeshSourceConfig(Map<String, String> props) {
        super(CONFIG_DEF, props);
    }

    /** The pattern, validated. */
    public TopicPattern pattern() {
        return TopicPattern.parse(getString(TOPIC_PATTERN));
    }

    /** The selector expression as registered in interest: stripped, empty for none. */
    public String selectorExpression() {
        return getString(SELECTOR).strip();
    }

    /** The compiled selector. */
    public Selector selector() {
        return Selector.parse(selectorExpression());
    }

    /** The Connect topic the events go to. */
    public String targetTopic() {
        return getString(TARGET_TOPIC);
    }

    /** The lease of the connector's interest. */
    public Duration leaseTtl() {
        return Duration.ofMillis(getLong(LEASE_TTL_MS));
    }

    /** Whether a connector without stored offsets starts at the beginning of mesh.events. */
    public boolean startsAtEarliest() {
        return getString(START).toLowerCase(Locale.ROOT).equals("earliest");
    }

    private static void checkPattern(String name, Object value) {
        try {
            TopicPattern.parse(value == null ? null : value.toString());
        } catch (InvalidTopicException e) {
            throw new ConfigException(name, value, "not a valid topic pattern: " + e.getMessage());
        }
    }

    private static void checkSelector(String name, Object value) {
        try {
            Selector.parse(value == null ? "" : value.toString());
        } catch (InvalidSelectorException e) {
            throw new ConfigException(name, value, "not a valid selector: " + e.getMessage());
        }
    }
}
