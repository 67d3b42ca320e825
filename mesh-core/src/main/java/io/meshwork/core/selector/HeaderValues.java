package io.meshwork.core.selector;

/**
 * Gives header strings a type, so {@code headers.amountCents > 10000} compares numbers.
 *
 * <p>Headers travel as strings (CloudEvents attributes, Kafka headers, MQTT user properties);
 * JMS selectors compare numbers only with numbers and strings only with strings. The number
 * grammar is JSON's, so values such as {@code 007}, {@code +1}, {@code 0x1F}, {@code NaN} or
 * {@code 1_000} stay strings: leading zeros in particular mark identifiers (zip codes, account
 * numbers) that must keep comparing equal to a string literal.
 */
final class HeaderValues {

    private HeaderValues() {
    }

    /**
     * The typed value of a header.
     *
     * @param value the header's string value, or null if absent
     * @return {@code Long} for an integral JSON number that fits a long, {@code Double} for any
     *     other JSON number, {@code Boolean} for exactly {@code true}/{@code false}, else the
     *     string itself; null for null
     */
    static Object typed(String value) {
        if (value == null) {
            return null;
        }
        if (value.equals("true")) {
            return Boolean.TRUE;
        }
        if (value.equals("false")) {
            return Boolean.FALSE;
        }
        return switch (numberKind(value)) {
            case INTEGRAL -> integral(value);
            case DECIMAL -> Double.parseDouble(value);
            case NONE -> value;
        };
    }

    private static Object integral(String value) {
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException tooLarge) {
            return Double.parseDouble(value);
        }
    }

    private enum NumberKind { INTEGRAL, DECIMAL, NONE }

    // -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?  without a regex: this runs per evaluation.
    private static NumberKind numberKind(String s) {
        int n = s.length();
        int i = 0;
        if (i < n && s.charAt(i) == '-') {
            i++;
        }
        if (i >= n || !isDigit(s.charAt(i))) {
            return NumberKind.NONE;
        }
        if (s.charAt(i) == '0') {
            i++;
        } else {
            i = digits(s, i);
        }
        NumberKind kind = NumberKind.INTEGRAL;
        if (i < n && s.charAt(i) == '.') {
            int start = i + 1;
            i = digits(s, start);
            if (i == start) {
                return NumberKind.NONE;
            }
            kind = NumberKind.DECIMAL;
        }
        if (i < n && (s.charAt(i) == 'e' || s.charAt(i) == 'E')) {
            i++;
            if (i < n && (s.charAt(i) == '+' || s.charAt(i) == '-')) {
                i++;
            }
            int start = i;
            i = digits(s, start);
            if (i == start) {
                return NumberKind.NONE;
            }
            kind = NumberKind.DECIMAL;
        }
        return i == n ? kind : NumberKind.NONE;
    }

    private static int digits(String s, int from) {
        int i = from;
        while (i < s.length() && isDigit(s.charAt(i))) {
            i++;
        }
        return i;
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }
}
