package io.meshwork.router.interest;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Whether each link of this region carries traffic, judged by the neighbour's heartbeats that
 * arrive straight over it: DOWN once none came for the link timeout, UP again only after a
 * steady run of them (at least one timeout's worth), so a flapping link does not flap the
 * routes with it. Links start UP, with one extra timeout of grace: a router that just started
 * (or whose links start after it) has not had time to hear anyone.
 */
final class LinkLiveness {

    private final Duration timeout;
    private final Map<String, Long> lastHeard = new HashMap<>();
    private final Map<String, Long> heardSince = new HashMap<>();
    private final Map<String, Boolean> up = new TreeMap<>();
    private final Map<String, Long> rttMs = new TreeMap<>();

    LinkLiveness(List<String> neighbours, Duration timeout, long nowMs) {
        this.timeout = timeout;
        for (String neighbour : neighbours) {
            lastHeard.put(neighbour, nowMs + timeout.toMillis());
            heardSince.put(neighbour, nowMs - timeout.toMillis());
            up.put(neighbour, true);
        }
    }

    /**
     * A heartbeat of {@code neighbour} arrived over its link.
     *
     * @param measuredRttMs the link's round-trip time as the control channel measured it, or
     *                      a negative number when it has no measurement yet
     */
    void heard(String neighbour, long nowMs, long measuredRttMs) {
        if (!lastHeard.containsKey(neighbour)) {
            return;
        }
        if (measuredRttMs >= 0) {
            rttMs.put(neighbour, measuredRttMs);
        }
        if (nowMs - lastHeard.get(neighbour) > timeout.toMillis()) {
            heardSince.put(neighbour, nowMs); // a new run of heartbeats starts
        }
        lastHeard.put(neighbour, nowMs);
    }

    /**
     * Re-evaluates every link at {@code nowMs}.
     *
     * @return the links whose state changed, with their new state
     */
    Map<String, Boolean> evaluate(long nowMs) {
        Map<String, Boolean> changed = new TreeMap<>();
        up.forEach((neighbour, wasUp) -> {
            boolean silent = nowMs - lastHeard.get(neighbour) > timeout.toMillis();
            boolean steady = nowMs - heardSince.get(neighbour) >= timeout.toMillis();
            boolean isUp = wasUp ? !silent : !silent && steady;
            if (isUp != wasUp) {
                changed.put(neighbour, isUp);
            }
        });
        up.putAll(changed);
        return changed;
    }

    /** Every link and whether it is up. */
    Map<String, Boolean> states() {
        return Map.copyOf(up);
    }

    /** The measured round-trip time of each link that has one. */
    Map<String, Long> rtts() {
        return Map.copyOf(rttMs);
    }

    /** Milliseconds since {@code neighbour} was last heard. */
    long silenceMs(String neighbour, long nowMs) {
        return Math.max(0, nowMs - lastHeard.getOrDefault(neighbour, nowMs));
    }
}
