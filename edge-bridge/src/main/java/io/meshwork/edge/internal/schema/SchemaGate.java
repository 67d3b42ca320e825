package io.meshwork.edge.internal.schema;

import io.cloudevents.CloudEvent;
import io.cloudevents.core.builder.CloudEventBuilder;
import io.meshwork.core.metrics.MeshMetrics;
import io.meshwork.core.topic.TopicName;
import io.meshwork.edge.SchemaSettings;
import io.meshwork.edge.internal.ClientError;
import io.meshwork.edge.internal.Refusal;
import io.micrometer.core.instrument.Counter;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * Checks each published payload against the schema bound to its topic, before it is appended:
 * a valid one gets the schema's registry URL as its {@code dataschema}; an invalid one is refused
 * with {@link ClientError#SCHEMA_VIOLATION} naming the JSON pointer at fault. While the bindings
 * are unknown (registry unreachable for longer than the TTL) the configured policy applies:
 * accept with the extension attribute {@value #UNCHECKED_ATTRIBUTE}, or refuse with
 * {@link ClientError#SCHEMA_UNAVAILABLE}.
 *
 * <p>Metric: {@code mesh.edge.schema.checks{region,result}}, result one of {@code valid},
 * {@code invalid}, {@code unchecked} (accepted unchecked), {@code unavailable} (refused unchecked).
 */
public final class SchemaGate implements AutoCloseable {

    /** The CloudEvents extension attribute marking an event accepted without its schema check. */
    public static final String UNCHECKED_ATTRIBUTE = "schemaunchecked";
    /** Its value: the registry could not be read. */
    public static final String UNCHECKED_REASON = "registry-unreachable";

    /** Checks nothing. */
    public static final SchemaGate OFF = new SchemaGate(null, SchemaSettings.Unreachable.ACCEPT, "none");

    private final SchemaCatalog catalog;
    private final SchemaSettings.Unreachable unreachable;
    private final Counter valid;
    private final Counter invalid;
    private final Counter unchecked;
    private final Counter unavailable;

    SchemaGate(SchemaCatalog catalog, SchemaSettings.Unreachable unreachable, String region) {
        this.catalog = catalog;
        this.unreachable = Objects.requireNonNull(unreachable, "unreachable");
        // OFF counts nothing: an edge without schemas shows no schema metrics.
        this.valid = catalog == null ? null : counter(region, "valid");
        this.invalid = catalog == null ? null : counter(region, "invalid");
        this.unchecked = catalog == null ? null : counter(region, "unchecked");
        this.unavailable = catalog == null ? null : counter(region, "unavailable");
    }

    /** The gate {@code settings} ask for in {@code region}: {@link #OFF} when no registry is configured. */
    public static SchemaGate start(SchemaSettings settings, String region) {
        if (!settings.enabled()) {
            return OFF;
        }
        Duration timeout = settings.cacheTtl().compareTo(Duration.ofSeconds(5)) < 0 ? settings.cacheTtl() : Duration.ofSeconds(5);
        ApicurioRegistry registry = new ApicurioRegistry(settings.registryUrl(), settings.group(), region, timeout);
        return new SchemaGate(SchemaCatalog.start(registry, settings.cacheTtl(), region), settings.unreachable(), region);
    }

    /**
     * Checks {@code event}, published on {@code topic}.
     *
     * @return the event to append: with {@code dataschema} set when a schema applied, marked when none could be checked
     * @throws Refusal SCHEMA_VIOLATION naming the JSON pointer, or SCHEMA_UNAVAILABLE
     */
    public CloudEvent check(CloudEvent event, TopicName topic) {
        if (catalog == null) {
            return event;
        }
        SchemaCatalog.Lookup lookup = catalog.lookup(topic);
        if (!lookup.known()) {
            if (unreachable == SchemaSettings.Unreachable.REFUSE) {
                unavailable.increment();
                throw new Refusal(ClientError.SCHEMA_UNAVAILABLE, Violation.WHOLE_PAYLOAD,
                        "the schema registry cannot be read, so the payload cannot be checked; retry later");
            }
            unchecked.increment();
            return CloudEventBuilder.v1(event).withExtension(UNCHECKED_ATTRIBUTE, UNCHECKED_REASON).build();
        }
        if (lookup.binding().isEmpty()) {
            return event;
        }
        SchemaBinding binding = lookup.binding().get();
        byte[] payload = event.getData() == null ? new byte[0] : event.getData().toBytes();
        Optional<Violation> violation = binding.schema().check(payload, event.getDataContentType());
        if (violation.isPresent()) {
            invalid.increment();
            throw new Refusal(ClientError.SCHEMA_VIOLATION, violation.get().field(),
                    violation.get().message() + " (schema " + binding.url() + ")");
        }
        valid.increment();
        return CloudEventBuilder.v1(event).withDataSchema(binding.url()).build();
    }

    private static Counter counter(String region, String result) {
        return Counter.builder("mesh.edge.schema.checks")
                .description("Payloads the edge checked against registry schemas, by result")
                .tags("region", region, "result", result).register(MeshMetrics.registry());
    }

    @Override
    public void close() {
        if (catalog != null) {
            catalog.close();
        }
    }
}
