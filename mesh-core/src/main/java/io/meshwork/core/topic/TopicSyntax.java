package io.meshwork.core.topic;

/**
 * The syntax shared by topic names and patterns: validation and splitting into levels.
 * One pass, left to right, so the first problem in the input is the one reported.
 */
final class TopicSyntax {

    static final char SEPARATOR = '/';
    static final String SINGLE_LEVEL = "+";
    static final String MULTI_LEVEL = "#";

    private TopicSyntax() {
    }

    static void checkName(String value) {
        check(value, "topic", false);
    }

    static void checkPattern(String value) {
        check(value, "topic pattern", true);
    }

    /** Splits on every separator, keeping empty levels: {@code "/"} has two empty levels. */
    static String[] split(String value) {
        return value.split(String.valueOf(SEPARATOR), -1);
    }

    private static void check(String value, String subject, boolean pattern) {
        if (value == null) {
            throw new InvalidTopicException(subject, null, subject + " must not be null", -1);
        }
        if (value.isEmpty()) {
            throw new InvalidTopicException(subject, value, subject + " must not be empty", -1);
        }
        checkLength(value, subject);
        int levels = 1;
        int levelStart = 0;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            String problem = null;
            if (c == SEPARATOR) {
                levelStart = i + 1;
                if (++levels > TopicName.MAX_LEVELS) {
                    problem = subject + " has more than " + TopicName.MAX_LEVELS + " levels";
                }
            } else if (c == '\0') {
                problem = subject + " must not contain U+0000";
            } else if (c == '+' || c == '#') {
                problem = pattern
                        ? wildcardProblem(value, i, levelStart)
                        : subject + " must not contain wildcards '+' or '#'";
            } else if (Character.isHighSurrogate(c)
                    && i + 1 < value.length() && Character.isLowSurrogate(value.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                // Not encodable as UTF-8, so it could never reach Kafka headers, MQTT or PostgreSQL.
                problem = subject + " must not contain an unpaired surrogate";
            }
            if (problem != null) {
                throw new InvalidTopicException(subject, value, problem, i);
            }
        }
    }

    // Lengths are counted in code points, as PostgreSQL counts VARCHAR(256).
    private static void checkLength(String value, String subject) {
        if (value.length() > TopicName.MAX_LENGTH
                && value.codePointCount(0, value.length()) > TopicName.MAX_LENGTH) {
            throw new InvalidTopicException(subject, value,
                    subject + " is longer than " + TopicName.MAX_LENGTH + " characters",
                    value.offsetByCodePoints(0, TopicName.MAX_LENGTH));
        }
    }

    private static String wildcardProblem(String value, int i, int levelStart) {
        char c = value.charAt(i);
        boolean lastChar = i + 1 == value.length();
        boolean wholeLevel = i == levelStart && (lastChar || value.charAt(i + 1) == SEPARATOR);
        if (!wholeLevel) {
            return "'" + c + "' must occupy a whole level";
        }
        if (c == '#' && !lastChar) {
            return "'#' must be the last level";
        }
        return null;
    }
}
