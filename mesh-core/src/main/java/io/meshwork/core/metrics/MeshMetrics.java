package io.meshwork.core.metrics;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

/**
 * The process's Prometheus registry. Every part of the mesh running in this JVM (edges, routers,
 * control plane) records into it with {@code region}/{@code from}/{@code to} tags, and every
 * {@code /metrics} endpoint of the process serves it.
 */
public final class MeshMetrics {

    private static final PrometheusMeterRegistry REGISTRY = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);

    private MeshMetrics() {
    }

    public static PrometheusMeterRegistry registry() {
        return REGISTRY;
    }

    /** The Prometheus text exposition of every metric. */
    public static String scrape() {
        return REGISTRY.scrape();
    }

    /** Content type of {@link #scrape()}. */
    public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";
}
