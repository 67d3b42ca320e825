package io.meshwork.core.topic;

import java.util.List;

/**
 * A subscription filter in MQTT syntax (MQTT 3.1.1 and 5, section 4.7), e.g.
 * {@code orders/+/billing} or {@code orders/ap/#}.
 *
 * <p>Levels are separated by {@code /}; {@code +} matches exactly one level (an empty one
 * too); {@code #} matches the parent level and any number of levels below it, and may only be
 * the whole last level. A pattern obeys the limits of {@link TopicName} ({@value
 * TopicName#MAX_LENGTH} characters, {@value TopicName#MAX_LEVELS} levels, no U+0000). Matching
 * is case-sensitive. A pattern whose first level is a wildcard never matches a system topic
 * (first level starting with {@code $}): {@code #} and {@code +/x} do not match
 * {@code $SYS/x}, {@code $SYS/#} does.
 *
 * <p>To match one topic against many patterns use {@link TopicIndex}.
 *
 * @param value the pattern as text
 * @throws InvalidTopicException if {@code value} is null or not a valid pattern
 */
public record TopicPattern(String value) {

    /** Validates the pattern. */
    public TopicPattern {
        TopicSyntax.checkPattern(value);
    }

    /**
     * Validates and wraps a pattern.
     *
     * @param value the pattern as text
     * @return the pattern
     * @throws InvalidTopicException if {@code value} is null or not a valid pattern
     */
    public static TopicPattern parse(String value) {
        return new TopicPattern(value);
    }

    /**
     * Whether {@code topic} matches this pattern, with MQTT semantics: {@code sport/#} matches
     * {@code sport}, {@code sport/} and {@code sport/x/y}; {@code a/+/b} matches {@code a//b};
     * {@code +/+} matches {@code /} but {@code +} does not; wildcards in the first level never
     * match a system topic.
     *
     * @param topic the topic to test
     * @return true if the pattern matches the topic
     */
    public boolean matches(TopicName topic) {
        String[] pattern = levelArray();
        if (topic.isSystemTopic() && isWildcardLevel(pattern[0])) {
            return false;
        }
        String[] levels = TopicSyntax.split(topic.value());
        for (int i = 0; i < pattern.length; i++) {
            if (pattern[i].equals(TopicSyntax.MULTI_LEVEL)) {
                return true;
            }
            if (i == levels.length
                    || !pattern[i].equals(TopicSyntax.SINGLE_LEVEL) && !pattern[i].equals(levels[i])) {
                return false;
            }
        }
        return pattern.length == levels.length;
    }

    /**
     * The levels of this pattern, wildcards and empty levels included.
     *
     * @return the levels, at least one, as an unmodifiable list
     */
    public List<String> levels() {
        return List.of(levelArray());
    }

    /**
     * Whether this pattern contains a wildcard level; if not it matches exactly one topic.
     *
     * @return true if some level is {@code +} or {@code #}
     */
    public boolean isWildcard() {
        // Validation guarantees that '+' and '#' only ever occur as whole levels.
        return value.indexOf('+') >= 0 || value.indexOf('#') >= 0;
    }

    /**
     * The pattern as text.
     *
     * @return {@link #value()}
     */
    @Override
    public String toString() {
        return value;
    }

    String[] levelArray() {
        return TopicSyntax.split(value);
    }

    private static boolean isWildcardLevel(String level) {
        return level.equals(TopicSyntax.SINGLE_LEVEL) || level.equals(TopicSyntax.MULTI_LEVEL);
    }
}
