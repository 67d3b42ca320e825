package io.meshwork.topology;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One region of the mesh: a Kafka cluster with its router and edge.
 *
 * @param name  the region's name, e.g. {@code us-east-1}; matches {@link #NAME_PATTERN}
 * @param ports where the region's services listen
 */
public record Region(String name, RegionPorts ports) {

    /**
     * What a region name must look like. Names end up in Kafka topic names, metric labels and
     * URLs, so they are kept to lower-case DNS-label characters.
     */
    public static final Pattern NAME_PATTERN = Pattern.compile("[a-z][a-z0-9-]{0,62}");

    /**
     * @throws IllegalArgumentException if the name does not match {@link #NAME_PATTERN}
     * @throws NullPointerException     if an argument is null
     */
    public Region {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(ports, "ports");
        if (!isValidName(name)) {
            throw new IllegalArgumentException(
                    "invalid region name '" + name + "' (must match " + NAME_PATTERN.pattern() + ")");
        }
    }

    /**
     * Tells whether {@code name} may be used as a region name.
     *
     * @param name the candidate, not null
     * @return true if it matches {@link #NAME_PATTERN}
     */
    public static boolean isValidName(String name) {
        return NAME_PATTERN.matcher(name).matches();
    }
}
