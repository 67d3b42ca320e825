package io.meshwork.core.config;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A family of keys passed on unvalidated: Kafka client settings such as {@code kafka.*}, or
 * {@code links.neighbours.<region>.kafka.*} with one name in the middle. Kafka validates them
 * when the client is built.
 *
 * @param prefix the keys' common start, with at most one {@code <name>} placeholder, e.g.
 *               {@code kafka.} or {@code links.neighbours.<region>.kafka.}
 * @param doc    what the keys are for, for {@code config explain}
 */
public record PassThrough(String prefix, String doc) {

    private static final Pattern PLACEHOLDER = Pattern.compile("<([a-z-]+)>");

    public PassThrough {
        if (prefix == null || !prefix.endsWith(".")) {
            throw new IllegalArgumentException("a pass-through prefix must end with '.': " + prefix);
        }
        if (doc == null || doc.isBlank()) {
            throw new IllegalArgumentException("pass-through " + prefix + " needs a doc");
        }
    }

    /** A key of this family: the name in the placeholder ("" without one) and the rest after the prefix. */
    public record Match(String name, String rest) {
    }

    /** {@code key} split against this family, if it belongs to it. */
    public Optional<Match> match(String key) {
        Matcher matcher = keyPattern().matcher(key);
        if (!matcher.matches()) {
            return Optional.empty();
        }
        return Optional.of(hasName() ? new Match(matcher.group(1), matcher.group(2)) : new Match("", matcher.group(1)));
    }

    /** The key of this family for {@code name} (ignored without a placeholder) and {@code rest}. */
    public String key(String name, String rest) {
        return PLACEHOLDER.matcher(prefix).replaceFirst(Matcher.quoteReplacement(name)) + rest;
    }

    /**
     * The key an environment variable (without {@code MESH_}, as in {@code KAFKA_SASL_JAAS_CONFIG})
     * stands for in this family: names get {@code -} back for {@code _} ({@code US_EAST_1} is
     * {@code us-east-1}), the rest gets {@code .}.
     */
    public Optional<String> fromEnvironment(String variable) {
        Matcher matcher = environmentPattern().matcher(variable);
        if (!matcher.matches()) {
            return Optional.empty();
        }
        if (!hasName()) {
            return Optional.of(key("", dotted(matcher.group(1))));
        }
        return Optional.of(key(matcher.group(1).toLowerCase(java.util.Locale.ROOT).replace('_', '-'), dotted(matcher.group(2))));
    }

    private static String dotted(String rest) {
        return rest.toLowerCase(java.util.Locale.ROOT).replace('_', '.');
    }

    private boolean hasName() {
        return PLACEHOLDER.matcher(prefix).find();
    }

    private Pattern keyPattern() {
        return Pattern.compile(patternOf(prefix, Pattern::quote, "([a-z0-9][a-z0-9-]*)") + "(.+)");
    }

    private Pattern environmentPattern() {
        return Pattern.compile(patternOf(prefix, part -> Pattern.quote(ConfigSchema.environmentName(part)), "([A-Z0-9_]+?)")
                + "([A-Z0-9_]+)");
    }

    private static String patternOf(String prefix, java.util.function.UnaryOperator<String> literal, String name) {
        Matcher placeholder = PLACEHOLDER.matcher(prefix);
        if (!placeholder.find()) {
            return literal.apply(prefix);
        }
        return literal.apply(prefix.substring(0, placeholder.start())) + name + literal.apply(prefix.substring(placeholder.end()));
    }
}
