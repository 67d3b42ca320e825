package io.meshwork.core.config;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Durations as users write them in configuration: {@code 10ms}, {@code 5s}, {@code 15m}, {@code 2h}, {@code 7d}, or ISO-8601 ({@code PT10S}). */
public final class Durations {

    /** What {@link #parse} accepts, for error messages and {@code config explain}. */
    public static final String FORMAT = "a duration such as 10ms, 5s, 15m, 2h, 7d or ISO-8601 PT10S";

    private static final Pattern SHORT = Pattern.compile("(\\d+)\\s*(ms|s|m|h|d)");

    private Durations() {
    }

    /**
     * @throws IllegalArgumentException saying what is accepted when {@code text} is neither form
     */
    public static Duration parse(String text) {
        String value = text == null ? "" : text.trim();
        Matcher shorthand = SHORT.matcher(value);
        if (shorthand.matches()) {
            long amount = Long.parseLong(shorthand.group(1));
            return switch (shorthand.group(2)) {
                case "ms" -> Duration.ofMillis(amount);
                case "s" -> Duration.ofSeconds(amount);
                case "m" -> Duration.ofMinutes(amount);
                case "h" -> Duration.ofHours(amount);
                default -> Duration.ofDays(amount);
            };
        }
        try {
            return Duration.parse(value);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("not " + FORMAT);
        }
    }

    /** The shortest exact shorthand for {@code duration} ({@code 500ms}, {@code 15m}), for defaults shown to users. */
    public static String format(Duration duration) {
        long millis = duration.toMillis();
        if (millis == 0 || millis % 1000 != 0) {
            return millis + "ms";
        }
        long seconds = millis / 1000;
        if (seconds % 86_400 == 0) {
            return seconds / 86_400 + "d";
        }
        if (seconds % 3600 == 0) {
            return seconds / 3600 + "h";
        }
        return seconds % 60 == 0 ? seconds / 60 + "m" : seconds + "s";
    }
}
