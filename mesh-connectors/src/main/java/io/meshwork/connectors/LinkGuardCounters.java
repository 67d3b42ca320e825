package io.meshwork.connectors;

import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * What the link guards of one broker have seen since the JVM started: looped events, events
 * whose hop budget was spent, events that entered the broker, and events that crossed a link
 * without usable routing headers.
 *
 * <p>Connect creates a fresh SMT/predicate instance per task (and per restart), so the counts
 * live in a static registry keyed by broker id: every instance guarding the same broker adds to
 * the same counters, and tests or a metrics binder read them with {@link #forBroker(String)}.
 * Counters are thread-safe and never reset; readers compare deltas.
 */
public final class LinkGuardCounters {

    /** Key used by guards configured without a broker id ({@code HopBudgetSpent} allows that). */
    public static final String UNSPECIFIED_BROKER = "unspecified";

    private static final ConcurrentMap<String, LinkGuardCounters> BY_BROKER = new ConcurrentHashMap<>();

    private final String brokerId;
    private final LongAdder loopsDetected = new LongAdder();
    private final LongAdder hopLimitHits = new LongAdder();
    private final LongAdder entered = new LongAdder();
    private final LongAdder unrouted = new LongAdder();

    private LinkGuardCounters(String brokerId) {
        this.brokerId = brokerId;
    }

    /**
     * The counters of {@code brokerId}, created on first use.
     *
     * @param brokerId the broker (region) the guards protect; null means {@link #UNSPECIFIED_BROKER}
     * @return the live counters, shared by every guard of that broker
     */
    public static LinkGuardCounters forBroker(String brokerId) {
        return BY_BROKER.computeIfAbsent(Objects.requireNonNullElse(brokerId, UNSPECIFIED_BROKER), LinkGuardCounters::new);
    }

    /** @return the counters of every broker seen so far in this JVM */
    public static Collection<LinkGuardCounters> all() {
        return List.copyOf(BY_BROKER.values());
    }

    /** @return the broker these counters belong to */
    public String brokerId() {
        return brokerId;
    }

    /** @return events found to have entered this broker before (routing loops) */
    public long loopsDetected() {
        return loopsDetected.sum();
    }

    /** @return events that arrived with a spent hop budget */
    public long hopLimitHits() {
        return hopLimitHits.sum();
    }

    /** @return events stamped as having entered this broker over a link */
    public long entered() {
        return entered.sum();
    }

    /** @return events passed on unchanged because their routing headers were missing or unusable */
    public long unrouted() {
        return unrouted.sum();
    }

    /** Called by the loop guard for each looped event. */
    public void countLoop() {
        loopsDetected.increment();
    }

    /** Called by the hop-limit guard for each event whose budget is spent. */
    public void countHopLimitHit() {
        hopLimitHits.increment();
    }

    /** Called by {@code EnterBroker} for each event it stamps. */
    public void countEntered() {
        entered.increment();
    }

    /** Called by {@code EnterBroker} for each event it passes on unchanged. */
    public void countUnrouted() {
        unrouted.increment();
    }

    @Override
    public String toString() {
        return "LinkGuardCounters[" + brokerId + ": loops=" + loopsDetected() + ", hopLimitHits=" + hopLimitHits()
                + ", entered=" + entered() + ", unrouted=" + unrouted() + "]";
    }
}
