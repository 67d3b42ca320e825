package io.meshwork.edge.internal.schema;

import io.meshwork.core.topic.TopicName;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The edge's copy of the registry's schema bindings. A thread of its own re-reads the registry
 * every half TTL, so that a publish only ever looks at memory: no registry call on a protocol's
 * thread, and none on Kafka's. A copy older than the TTL (the registry has not answered for that
 * long) is not trusted: lookups then answer {@link Lookup#unknown()}.
 */
public final class SchemaCatalog implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(SchemaCatalog.class);

    private final BindingSource registry;
    private final long ttlNanos;
    private final String region;
    private final LongSupplier clock;
    private final AtomicReference<Snapshot> snapshot = new AtomicReference<>();
    private final ScheduledExecutorService refresher;
    private volatile boolean unreachableReported;

    /** What the catalog knows about one topic. */
    public record Lookup(Optional<SchemaBinding> binding, boolean known) {

        private static final Lookup UNKNOWN = new Lookup(Optional.empty(), false);
        private static final Lookup UNBOUND = new Lookup(Optional.empty(), true);

        public Lookup {
            Objects.requireNonNull(binding, "binding");
        }

        /** No fresh copy of the bindings: whether a schema applies cannot be told. */
        public static Lookup unknown() {
            return UNKNOWN;
        }
    }

    private record Snapshot(List<SchemaBinding> bindings, long readAtNanos) {
    }

    SchemaCatalog(BindingSource registry, Duration ttl, String region, LongSupplier clock) {
        this.registry = Objects.requireNonNull(registry, "registry");
        this.ttlNanos = ttl.toNanos();
        this.region = Objects.requireNonNull(region, "region");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.refresher = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "edge-schemas-" + region);
            thread.setDaemon(true);
            return thread;
        });
    }

    /**
     * Reads the registry once (so that an edge started beside a healthy registry checks its first
     * publish), then every half {@code ttl} in the background. An unreachable registry does not stop
     * the edge from starting: the policy for it applies until a read succeeds.
     */
    public static SchemaCatalog start(ApicurioRegistry registry, Duration ttl, String region) {
        SchemaCatalog catalog = new SchemaCatalog(registry, ttl, region, System::nanoTime);
        catalog.refresh();
        long period = Math.max(1, ttl.toMillis() / 2);
        catalog.refresher.scheduleWithFixedDelay(catalog::refresh, period, period, TimeUnit.MILLISECONDS);
        return catalog;
    }

    /** The binding of {@code topic}, if any; {@link Lookup#unknown()} when the copy is missing or older than the TTL. */
    public Lookup lookup(TopicName topic) {
        Snapshot current = snapshot.get();
        if (current == null || clock.getAsLong() - current.readAtNanos() > ttlNanos) {
            return Lookup.UNKNOWN;
        }
        for (SchemaBinding binding : current.bindings()) {
            if (binding.binds(topic)) {
                return new Lookup(Optional.of(binding), true);
            }
        }
        return Lookup.UNBOUND;
    }

    /** Re-reads the registry; on failure keeps the previous copy, which ages out after the TTL. */
    void refresh() {
        Snapshot current = snapshot.get();
        try {
            List<SchemaBinding> bindings = new ArrayList<>(registry.read(current == null ? List.of() : current.bindings()));
            bindings.sort(SchemaBinding.MOST_SPECIFIC_FIRST);
            snapshot.set(new Snapshot(List.copyOf(bindings), clock.getAsLong()));
            if (unreachableReported || current == null) {
                LOG.info("region {}: schema registry {} read: {} binding(s)", region, registry.describe(), bindings.size());
                unreachableReported = false;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            // Reported once per outage: the refresh retries every half TTL.
            if (!unreachableReported) {
                unreachableReported = true;
                LOG.warn("region {}: schema registry {} cannot be read ({}); its bindings are trusted for the cache TTL, "
                        + "then edge.schemas.unreachable applies", region, registry.describe(), e.toString());
            }
        }
    }

    @Override
    public void close() {
        refresher.shutdownNow();
    }
}
