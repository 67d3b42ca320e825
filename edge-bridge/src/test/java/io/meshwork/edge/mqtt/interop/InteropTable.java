package io.meshwork.edge.mqtt.interop;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Results of the suite on several targets side by side: one row per case, one column per target, then the reasons. */
public final class InteropTable {

    private final Map<String, List<CaseResult>> columns = new LinkedHashMap<>();

    public InteropTable add(String column, List<CaseResult> results) {
        columns.put(column, List.copyOf(results));
        return this;
    }

    /** How many cases of {@code version} passed in {@code column}. */
    public long passed(String column, String version) {
        List<CaseResult> results = columns.get(column);
        if (results == null) {
            throw new IllegalArgumentException("no column named '" + column + "'; columns: " + columns.keySet());
        }
        return results.stream().filter(r -> r.version().equals(version) && r.passed()).count();
    }

    /** The names of the cases of {@code version} that passed in {@code column}. */
    public Set<String> passedCases(String column, String version) {
        Set<String> names = new LinkedHashSet<>();
        columns.get(column).stream().filter(r -> r.version().equals(version) && r.passed()).forEach(r -> names.add(r.name()));
        return names;
    }

    public long total(String column, String version) {
        return columns.get(column).stream().filter(r -> r.version().equals(version)).count();
    }

    /** The table in Markdown: cases, totals per version, and each failure's reason. */
    public String markdown() {
        StringBuilder text = new StringBuilder("| MQTT | case |");
        columns.keySet().forEach(c -> text.append(' ').append(c).append(" |"));
        text.append("\n| --- | --- |");
        columns.keySet().forEach(c -> text.append(" --- |"));
        text.append('\n');
        Set<String> keys = new LinkedHashSet<>();
        columns.values().forEach(list -> list.forEach(r -> keys.add(r.version() + "\u0000" + r.name())));
        for (String key : keys) {
            String[] parts = key.split("\u0000");
            text.append("| ").append(parts[0]).append(" | ").append(parts[1]).append(" |");
            for (List<CaseResult> results : columns.values()) {
                text.append(' ').append(results.stream().filter(r -> r.version().equals(parts[0]) && r.name().equals(parts[1]))
                        .findFirst().map(r -> r.passed() ? "pass" : "FAIL").orElse("-")).append(" |");
            }
            text.append('\n');
        }
        Set<String> versions = new LinkedHashSet<>();
        keys.forEach(k -> versions.add(k.split("\u0000")[0]));
        for (String version : versions) {
            text.append("| ").append(version).append(" | **passed** |");
            for (String column : columns.keySet()) {
                text.append(" **").append(passed(column, version)).append(" / ").append(total(column, version)).append("** |");
            }
            text.append('\n');
        }
        List<String> reasons = new ArrayList<>();
        columns.forEach((column, results) -> results.stream().filter(r -> !r.passed() || !r.reason().isEmpty())
                .forEach(r -> reasons.add("- " + column + ", MQTT " + r.version() + " " + r.name() + (r.passed() ? " (note): " : ": ")
                        + r.reason())));
        if (!reasons.isEmpty()) {
            text.append("\nReasons and notes:\n\n").append(String.join("\n", reasons)).append('\n');
        }
        return text.toString();
    }

    public void write(Path file) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        Files.writeString(file, markdown(), StandardCharsets.UTF_8);
    }
}
