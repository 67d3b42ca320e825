package io.meshwork.controlplane;

import java.util.Objects;
import java.util.function.BooleanSupplier;

/**
 * One part of the mesh whose health {@code GET /v1/health} reports.
 *
 * @param name e.g. {@code kafka/us-east-1}, {@code edge/eu-west-1}
 * @param up   asked on every health request; must answer quickly
 */
public record HealthCheck(String name, BooleanSupplier up) {

    public HealthCheck {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(up, "up");
        if (name.isBlank()) {
            throw new IllegalArgumentException("health check name must not be blank");
        }
    }
}
