package io.meshwork.core.envelope;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Where an event comes from and which brokers it has entered.
 *
 * <p>Every broker appends its own id when an event enters it (published at one of its edges, or
 * arrived over a link), so the path always starts with the origin broker and a broker finding
 * itself already on the path knows the event has looped.
 *
 * @param originRegion region the event was published in
 * @param path         broker ids entered so far, origin first; never empty
 * @param hopBudget    hops the event may still take (0 = may not leave this broker)
 */
public record Routing(String originRegion, List<String> path, int hopBudget) {

    /** Largest hop budget accepted from the wire; anything above is a corrupt header. */
    public static final int MAX_HOP_BUDGET = 255;

    public Routing {
        Objects.requireNonNull(originRegion, "originRegion");
        if (originRegion.isBlank()) {
            throw new IllegalArgumentException("origin region must not be blank");
        }
        path = List.copyOf(path);
        if (path.isEmpty()) {
            throw new IllegalArgumentException("routing path must hold at least the origin broker");
        }
        for (String broker : path) {
            if (broker.isBlank() || broker.contains(",")) {
                throw new IllegalArgumentException("invalid broker id on routing path: '" + broker + "'");
            }
        }
        if (hopBudget < 0 || hopBudget > MAX_HOP_BUDGET) {
            throw new IllegalArgumentException("hop budget must be within 0.." + MAX_HOP_BUDGET + ", was " + hopBudget);
        }
    }

    /** Routing of an event just published at an edge of {@code brokerId} in {@code region}. */
    public static Routing publishedAt(String region, String brokerId) {
        return new Routing(region, List.of(brokerId), MeshHeaders.DEFAULT_HOP_BUDGET);
    }

    /** Whether {@code brokerId} has already handled this event. */
    public boolean hasVisited(String brokerId) {
        return path.contains(brokerId);
    }

    /** This routing after the event entered {@code brokerId} over a link, spending one hop. */
    public Routing enter(String brokerId) {
        if (hopBudget == 0) {
            throw new IllegalStateException("hop budget spent; the event may not enter " + brokerId);
        }
        List<String> extended = new ArrayList<>(path);
        extended.add(brokerId);
        return new Routing(originRegion, extended, hopBudget - 1);
    }
}
