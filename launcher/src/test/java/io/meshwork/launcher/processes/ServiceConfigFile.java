package io.meshwork.launcher.processes;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;

/**
 * A service's YAML configuration for {@code mesh <service> --config FILE}, written with flat
 * dotted keys (the loader reads {@code edge.http.port: 1} and nested maps alike). Values are
 * single-quoted, so a JAAS line with its quotes and semicolon stays one string.
 */
final class ServiceConfigFile {

    private ServiceConfigFile() {
    }

    /** Writes {@code keys} to {@code file} and returns it. */
    static Path write(Path file, Map<String, ?> keys) {
        StringBuilder yaml = new StringBuilder("# written by ProcessMesh; keys: ./mesh config explain <service>\n");
        new TreeMap<>(keys).forEach((key, value) ->
                yaml.append(key).append(": '").append(String.valueOf(value).replace("'", "''")).append("'\n"));
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, yaml);
        } catch (IOException e) {
            throw new UncheckedIOException("could not write " + file, e);
        }
        return file;
    }

    /** {@code settings} (a cluster's client settings) as the keys of the family {@code prefix}, e.g. {@code kafka.}. */
    static Map<String, Object> prefixed(String prefix, Map<String, Object> settings) {
        Map<String, Object> keys = new TreeMap<>();
        settings.forEach((key, value) -> keys.put(prefix + key, value));
        return keys;
    }
}
