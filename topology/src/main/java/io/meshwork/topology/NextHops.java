package io.meshwork.topology;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.PriorityQueue;
import java.util.Set;

/**
 * The next hop from one region towards every region it can reach, by shortest path (Dijkstra)
 * over link RTTs. Ties are broken by region name so that every router computes the same table.
 *
 * @param source the region the table belongs to
 * @param next   destination region → neighbour of {@code source} to send through
 * @param cost   destination region → total RTT of the chosen path
 */
public record NextHops(String source, Map<String, String> next, Map<String, Duration> cost) {

    public NextHops {
        Objects.requireNonNull(source, "source");
        next = Map.copyOf(next);
        cost = Map.copyOf(cost);
    }

    /** Shortest paths from {@code source} over {@code links} (links that are down are left out by the caller). */
    public static NextHops compute(String source, Collection<Link> links) {
        Map<String, List<Link>> adjacent = new HashMap<>();
        for (Link link : links) {
            adjacent.computeIfAbsent(link.a(), r -> new ArrayList<>()).add(link);
            adjacent.computeIfAbsent(link.b(), r -> new ArrayList<>()).add(link);
        }
        Map<String, Long> distance = new HashMap<>();
        Map<String, String> firstHop = new HashMap<>();
        Set<String> settled = new HashSet<>();
        PriorityQueue<Candidate> queue = new PriorityQueue<>(
                Comparator.comparingLong(Candidate::distanceNanos).thenComparing(Candidate::region));
        distance.put(source, 0L);
        queue.add(new Candidate(source, 0L, null));
        while (!queue.isEmpty()) {
            Candidate current = queue.poll();
            if (!settled.add(current.region())) {
                continue;
            }
            if (current.firstHop() != null) {
                firstHop.put(current.region(), current.firstHop());
            }
            for (Link link : adjacent.getOrDefault(current.region(), List.of())) {
                String neighbour = link.other(current.region());
                long candidate = current.distanceNanos() + link.rtt().toNanos();
                Long known = distance.get(neighbour);
                if (!settled.contains(neighbour) && (known == null || candidate < known)) {
                    distance.put(neighbour, candidate);
                    queue.add(new Candidate(neighbour, candidate, current.firstHop() == null ? neighbour : current.firstHop()));
                }
            }
        }
        Map<String, Duration> cost = new HashMap<>();
        firstHop.keySet().forEach(region -> cost.put(region, Duration.ofNanos(distance.get(region))));
        return new NextHops(source, firstHop, cost);
    }

    /** The neighbour to send through to reach {@code destination}; empty when unreachable (or the source itself). */
    public Optional<String> towards(String destination) {
        return Optional.ofNullable(next.get(destination));
    }

    private record Candidate(String region, long distanceNanos, String firstHop) {
    }
}
