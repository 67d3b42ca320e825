package io.meshwork.edge.internal.schema;

import io.meshwork.core.topic.TopicName;
import io.meshwork.core.topic.TopicPattern;
import java.net.URI;
import java.util.Comparator;
import java.util.Objects;

/**
 * A schema bound to the mesh topics a pattern matches: one artifact version of the registry.
 *
 * @param pattern    the artifact's {@value ApicurioRegistry#TOPIC_LABEL} label
 * @param artifactId the artifact in the edge's registry group
 * @param globalId   the registry's id of the version read; a new one means the schema changed
 * @param url        where the version's content is served: the events' {@code dataschema}
 * @param schema     the compiled schema
 */
public record SchemaBinding(TopicPattern pattern, String artifactId, long globalId, URI url, PayloadSchema schema) {

    /**
     * Which binding wins when several patterns match a topic: the more specific one (an exact topic
     * before any wildcard, then more levels before fewer, then fewer wildcard levels), then the
     * artifact id, so that every edge picks the same one.
     */
    public static final Comparator<SchemaBinding> MOST_SPECIFIC_FIRST = Comparator
            .comparing((SchemaBinding binding) -> binding.pattern().isWildcard())
            .thenComparing(binding -> binding.pattern().value().endsWith("#"))
            .thenComparing(binding -> -binding.pattern().levels().size())
            .thenComparing(binding -> binding.pattern().levels().stream().filter(level -> level.equals("+")).count())
            .thenComparing(SchemaBinding::artifactId);

    public SchemaBinding {
        Objects.requireNonNull(pattern, "pattern");
        Objects.requireNonNull(artifactId, "artifactId");
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(schema, "schema");
    }

    /** Whether this binding's pattern matches {@code topic}. */
    public boolean binds(TopicName topic) {
        return pattern.matches(topic);
    }
}
