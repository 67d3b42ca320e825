package io.meshwork.controlplane.internal.dashboard;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * Traffic per link direction for the dashboard, from the routers' own meters in this process's
 * registry ({@code mesh.link.events}, {@code mesh.link.bytes}, {@code mesh.link.spool.records},
 * {@code mesh.link.spool.seconds}, all tagged {@code from}/{@code to}): rates are the difference
 * of the counters between two {@link #sample}s. Where the routers run in other processes (a
 * real deployment) the registry holds none of them and the view is empty: Prometheus scraping
 * each router is the place for those figures (docs/grafana/meshwork.json).
 */
public final class LinkTraffic {

    /** One direction's figures; rates are per second, spool figures -1 while the neighbour has not reported. */
    public record Direction(double eventsPerSecond, double bytesPerSecond, long spoolRecords, long spoolSeconds) {
    }

    private record Totals(double events, double bytes, long atNanos) {
    }

    private final MeterRegistry registry;
    private final Map<String, Totals> previous = new HashMap<>();
    private Map<String, Direction> latest = Map.of();

    public LinkTraffic(MeterRegistry registry) {
        this.registry = registry;
    }

    /** Reads the meters now, at {@code nowNanos}, and computes the rates since the previous sample. */
    public synchronized void sample(long nowNanos) {
        Map<String, double[]> counters = new TreeMap<>();
        Map<String, long[]> spools = new TreeMap<>();
        for (Meter meter : registry.getMeters()) {
            String from = meter.getId().getTag("from");
            String to = meter.getId().getTag("to");
            if (from == null || to == null) {
                continue;
            }
            String direction = from + ">" + to;
            switch (meter.getId().getName()) {
                case "mesh.link.events" -> counters.computeIfAbsent(direction, d -> new double[2])[0] = ((Counter) meter).count();
                case "mesh.link.bytes" -> counters.computeIfAbsent(direction, d -> new double[2])[1] = ((Counter) meter).count();
                case "mesh.link.spool.records" -> spool(spools, direction)[0] = (long) ((Gauge) meter).value();
                case "mesh.link.spool.seconds" -> spool(spools, direction)[1] = (long) ((Gauge) meter).value();
                default -> {
                    // not a link meter
                }
            }
        }
        Map<String, Direction> view = new TreeMap<>();
        counters.keySet().forEach(direction -> spool(spools, direction));
        spools.forEach((direction, spool) -> {
            double[] totals = counters.getOrDefault(direction, new double[2]);
            Totals before = previous.get(direction);
            double seconds = before == null ? 0 : (nowNanos - before.atNanos()) / 1e9;
            double events = seconds > 0 ? Math.max(0, totals[0] - before.events()) / seconds : 0;
            double bytes = seconds > 0 ? Math.max(0, totals[1] - before.bytes()) / seconds : 0;
            previous.put(direction, new Totals(totals[0], totals[1], nowNanos));
            view.put(direction, new Direction(events, bytes, spool[0], spool[1]));
        });
        latest = view;
    }

    private static long[] spool(Map<String, long[]> spools, String direction) {
        return spools.computeIfAbsent(direction, d -> new long[] {-1, -1});
    }

    /** The figures of the last sample, keyed {@code "<from>><to>"}. */
    public synchronized Map<String, Direction> latest() {
        return latest;
    }

    /** The last sample as JSON-ready maps: {@code [{from, to, eventsPerSecond, bytesPerSecond, spoolRecords, spoolSeconds}]}. */
    public synchronized java.util.List<Map<String, Object>> view() {
        return latest.entrySet().stream().map(entry -> {
            String[] ends = entry.getKey().split(">", 2);
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("from", ends[0]);
            row.put("to", ends[1]);
            row.put("eventsPerSecond", Math.round(entry.getValue().eventsPerSecond() * 10) / 10.0);
            row.put("bytesPerSecond", Math.round(entry.getValue().bytesPerSecond()));
            row.put("spoolRecords", entry.getValue().spoolRecords());
            row.put("spoolSeconds", entry.getValue().spoolSeconds());
            return row;
        }).toList();
    }
}
