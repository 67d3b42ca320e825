package io.meshwork.bench.harness;

import java.util.List;
import java.util.Locale;

/** The one results table every benchmark prints: figure, value, baseline, ratio, target, met. */
public final class ResultTable {

    private ResultTable() {
    }

    /** One row of the results table. */
    public record Row(String figure, String value, String baseline, String ratio, String target, String met) {
    }

    /** Prints {@code rows} as a Markdown table under {@code title}. */
    public static void print(String title, List<Row> rows) {
        System.out.println();
        System.out.println(title);
        System.out.println("| figure | value | baseline | ratio | target | met |");
        System.out.println("| --- | --- | --- | --- | --- | --- |");
        for (Row row : rows) {
            System.out.printf("| %s | %s | %s | %s | %s | %s |%n", row.figure(), row.value(), row.baseline(), row.ratio(), row.target(), row.met());
        }
        System.out.flush();
    }

    public static String met(boolean met) {
        return met ? "met" : "MISSED";
    }

    /** Milliseconds with a precision that suits the magnitude. */
    public static String ms(double millis) {
        if (Double.isNaN(millis)) {
            return "n/a";
        }
        return Math.abs(millis) >= 100 ? String.format(Locale.ROOT, "%.0f ms", millis) : String.format(Locale.ROOT, "%.2f ms", millis);
    }

    public static String ratio(double value, double baseline) {
        if (Double.isNaN(value) || Double.isNaN(baseline) || baseline == 0) {
            return "-";
        }
        return String.format(Locale.ROOT, "%.2fx", value / baseline);
    }

    public static String bytes(double bytes) {
        if (bytes >= 10 * 1024 * 1024) {
            return String.format(Locale.ROOT, "%.1f MiB", bytes / (1024 * 1024));
        }
        return bytes >= 10 * 1024 ? String.format(Locale.ROOT, "%.1f KiB", bytes / 1024) : String.format(Locale.ROOT, "%.0f B", bytes);
    }
}
