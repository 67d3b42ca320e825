package io.meshwork.router.internal;

import io.meshwork.core.kafka.MeshKafkaTopics;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The partition counts the router's state needs, so that every task sees every record its state
 * is about, whichever instance runs it:
 *
 * <ul>
 *   <li>every link topic ({@code mesh.link.<n>}) and every arrival topic
 *       ({@code <n>.mesh.link.<region>}) alike: a key lands on the same partition number on every
 *       path, so all copies of an event meet in one arrival task (dedup ledger, arrival order);</li>
 *   <li>{@code mesh.events} as many as the link topics: each link partition's events are then
 *       numbered ({@code mesh_seq}) by one task only, the one of the same {@code mesh.events}
 *       partition (both hash the key with murmur2);</li>
 *   <li>{@code mesh.interest} and each {@code <n>.mesh.routes} one: the region's interest is one
 *       task's aggregate (edges' leases and entries of a pattern together), and one task judges
 *       the links and sends the region's link state.</li>
 * </ul>
 */
public final class CoPartitioning {

    private CoPartitioning() {
    }

    /** The topics whose partition counts {@link #linkPartitions} checks. */
    public static List<String> topics(String region, List<String> neighbours) {
        List<String> topics = new ArrayList<>();
        topics.add(MeshKafkaTopics.EVENTS);
        topics.add(MeshKafkaTopics.INTEREST);
        for (String neighbour : neighbours) {
            topics.add(MeshKafkaTopics.link(neighbour));
            topics.add(MeshKafkaTopics.arrivals(neighbour, region));
            topics.add(MeshKafkaTopics.remoteRoutes(neighbour));
        }
        return topics;
    }

    /**
     * Checks the partition counts found on the cluster.
     *
     * @param partitions topic → partition count, for every topic of {@link #topics}
     * @return the partition count shared by every link topic
     * @throws IllegalStateException naming the topics and counts at fault
     */
    public static int linkPartitions(String region, List<String> neighbours, Map<String, Integer> partitions) {
        Map<String, Integer> links = new TreeMap<>();
        for (String neighbour : neighbours) {
            links.put(MeshKafkaTopics.link(neighbour), count(region, partitions, MeshKafkaTopics.link(neighbour)));
            links.put(MeshKafkaTopics.arrivals(neighbour, region), count(region, partitions, MeshKafkaTopics.arrivals(neighbour, region)));
            requireOne(region, partitions, MeshKafkaTopics.remoteRoutes(neighbour));
        }
        requireOne(region, partitions, MeshKafkaTopics.INTEREST);
        if (links.isEmpty()) {
            return 1;
        }
        if (links.values().stream().distinct().count() != 1) {
            throw new IllegalStateException("region " + region + ": link and arrival topics must all have the same number of partitions, found "
                    + links);
        }
        int linkPartitions = links.values().iterator().next();
        int events = count(region, partitions, MeshKafkaTopics.EVENTS);
        if (events != linkPartitions) {
            throw new IllegalStateException("region " + region + ": " + MeshKafkaTopics.EVENTS + " has " + events
                    + " partitions but the link topics have " + linkPartitions + "; they must match, so that one router task numbers each link partition's events");
        }
        return linkPartitions;
    }

    private static int count(String region, Map<String, Integer> partitions, String topic) {
        Integer count = partitions.get(topic);
        if (count == null) {
            throw new IllegalStateException("region " + region + ": topic " + topic + " is missing");
        }
        return count;
    }

    private static void requireOne(String region, Map<String, Integer> partitions, String topic) {
        int count = count(region, partitions, topic);
        if (count != 1) {
            throw new IllegalStateException("region " + region + ": topic " + topic + " has " + count
                    + " partitions; it must have exactly 1, so that one router task holds all of it");
        }
    }
}
