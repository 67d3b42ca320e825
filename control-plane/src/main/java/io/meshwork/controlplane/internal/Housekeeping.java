package io.meshwork.controlplane.internal;

import io.meshwork.controlplane.internal.db.ControlPlaneDatabase;
import io.meshwork.controlplane.internal.directory.BrokerDirectory;
import io.meshwork.controlplane.internal.rules.RuleInterest;
import io.meshwork.controlplane.internal.rules.RoutingRules;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The control plane's periodic work: marks silent nodes OFFLINE, renews the routing rules'
 * interest, and keeps the coming months' trace partitions created. One thread; a failed round
 * (the database away) is logged and the next one tries again.
 */
public final class Housekeeping implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Housekeeping.class);

    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "control-plane-housekeeping");
        thread.setDaemon(true);
        return thread;
    });
    private final ControlPlaneDatabase database;
    private final BrokerDirectory directory;
    private final RoutingRules rules;
    private final RuleInterest interest;
    private final Duration nodeTimeout;

    public Housekeeping(ControlPlaneDatabase database, BrokerDirectory directory, RoutingRules rules, RuleInterest interest,
                        Duration nodeTimeout) {
        this.database = database;
        this.directory = directory;
        this.rules = rules;
        this.interest = interest;
        this.nodeTimeout = nodeTimeout;
    }

    public void start() {
        long expiryEvery = Math.max(100, nodeTimeout.toMillis() / 5);
        timer.scheduleWithFixedDelay(guarded("node expiry", () -> directory.expire(nodeTimeout)), expiryEvery, expiryEvery,
                TimeUnit.MILLISECONDS);
        long renewEvery = RuleInterest.LEASE_TTL.toMillis() / 4;
        timer.scheduleWithFixedDelay(guarded("rule interest", this::syncRules), 0, renewEvery, TimeUnit.MILLISECONDS);
        timer.scheduleWithFixedDelay(guarded("trace partitions", database::ensurePartitions), 1, 1, TimeUnit.HOURS);
    }

    /** Writes the ACTIVE rules' interest now (after a change) and renews their leases. */
    public void syncRules() {
        interest.sync(rules.active());
    }

    private static Runnable guarded(String what, Runnable task) {
        return () -> {
            try {
                task.run();
            } catch (RuntimeException e) {
                LOG.warn("control plane {} failed this round: {}", what, e.toString());
            }
        };
    }

    @Override
    public void close() {
        timer.shutdownNow();
        try {
            timer.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
