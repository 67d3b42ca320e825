package io.meshwork.router.internal;

import io.meshwork.core.kafka.MeshKafkaTopics;
import io.meshwork.router.RouterConfig;
import io.meshwork.router.delivery.RoutedFanOut;
import io.meshwork.router.interest.RegionInterestProcessor;
import io.meshwork.router.interest.RemoteInterest;
import io.meshwork.router.interest.RouteFloodProcessor;
import io.meshwork.router.interest.RouteTableProcessor;
import io.meshwork.router.routing.ArrivalProgress;
import io.meshwork.router.routing.ArrivalRouter;
import io.meshwork.router.routing.LinkPartitioner;
import io.meshwork.router.routing.LocalEventRouter;
import io.meshwork.router.routing.RouterMetrics;
import io.meshwork.router.routing.RoutingTable;
import io.meshwork.router.traces.HopTracer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.state.Stores;

/**
 * The router's Kafka Streams topology. Four parts, all reading only the local cluster:
 *
 * <ol>
 *   <li>{@code mesh.interest} → region interest → adverts on {@code mesh.routes};</li>
 *   <li>{@code <neighbour>.mesh.routes} → flooding of newer adverts into {@code mesh.routes};</li>
 *   <li>{@code mesh.routes} → global store + {@link RemoteInterest} index (every region's interest);</li>
 *   <li>{@code mesh.events} and {@code <neighbour>.mesh.link.<region>} → routing to
 *       {@code mesh.link.<next hop>}, local delivery and {@code mesh.dlq}.</li>
 * </ol>
 */
public final class RouterTopology {

    static final String EDGE_INTEREST_STORE = "edge-interest";
    static final String ADVERTISED_STORE = "advertised-interest";
    static final String FLOODED_STORE = "flooded-adverts";
    static final String ROUTE_TABLE_STORE = "route-table";

    private RouterTopology() {
    }

    /**
     * @param progress       this instance's mirror of the arrival progress of every partition,
     *                       reported in the link state this router sends (fed by
     *                       {@link io.meshwork.router.routing.ArrivalProgressFeed}, not by the topology)
     * @param linkPartitions partitions of every link topic (they must all have the same number,
     *                       so that a key lands on the same partition number on every path)
     */
    public static Topology build(RouterConfig config, RemoteInterest interest, RoutingTable routes, ArrivalProgress progress,
                                 int linkPartitions) {
        return build(config, interest, routes, progress, linkPartitions, null);
    }

    /** @param fanOut copies events to edges in routed delivery mode; {@code null}: none */
    public static Topology build(RouterConfig config, RemoteInterest interest, RoutingTable routes, ArrivalProgress progress,
                                 int linkPartitions, RoutedFanOut fanOut) {
        String region = config.region();
        RouterMetrics metrics = new RouterMetrics(region);
        StringDeserializer keys = new StringDeserializer();
        ByteArrayDeserializer values = new ByteArrayDeserializer();
        StringSerializer keyOut = new StringSerializer();
        ByteArraySerializer valueOut = new ByteArraySerializer();
        Topology topology = new Topology();

        topology.addSource("edge-interest", keys, values, MeshKafkaTopics.INTEREST);
        topology.addProcessor("region-interest", () -> new RegionInterestProcessor(region, EDGE_INTEREST_STORE,
                ADVERTISED_STORE, config.leaseCheckInterval()), "edge-interest");
        topology.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(EDGE_INTEREST_STORE),
                Serdes.String(), Serdes.ByteArray()), "region-interest");
        topology.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(ADVERTISED_STORE),
                Serdes.String(), Serdes.ByteArray()), "region-interest");
        topology.addSink(RegionInterestProcessor.ADVERTS, MeshKafkaTopics.ROUTES, keyOut, valueOut, "region-interest");
        topology.addSink(RegionInterestProcessor.CLEANUP, MeshKafkaTopics.INTEREST, keyOut, valueOut, "region-interest");

        if (!config.neighbours().isEmpty()) {
            String[] neighbourRoutes = config.neighbours().stream().map(MeshKafkaTopics::remoteRoutes).toArray(String[]::new);
            topology.addSource("neighbour-routes", keys, values, neighbourRoutes);
            topology.addProcessor("flood-routes", () -> new RouteFloodProcessor(region, FLOODED_STORE, config.neighbours(),
                    config.heartbeatInterval(), config.linkTimeout(), progress, routes), "neighbour-routes");
            topology.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(FLOODED_STORE),
                    Serdes.String(), Serdes.Long()), "flood-routes");
            topology.addSink(RouteFloodProcessor.ROUTES, MeshKafkaTopics.ROUTES, keyOut, valueOut, "flood-routes");
            topology.addSink(RouteFloodProcessor.DEAD_LETTERS, MeshKafkaTopics.DLQ, keyOut, valueOut, "flood-routes");
        }

        topology.addGlobalStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(ROUTE_TABLE_STORE),
                        Serdes.String(), Serdes.ByteArray()).withLoggingDisabled(),
                "route-table-source", keys, values, MeshKafkaTopics.ROUTES, "route-table",
                () -> new RouteTableProcessor(region, ROUTE_TABLE_STORE, interest, routes));

        topology.addSource("local-events", keys, values, MeshKafkaTopics.EVENTS);
        if (fanOut != null) {
            fanOut.addTo(topology, "local-events"); // first child: it must see the headers before route-local rewrites them
        }
        topology.addProcessor("route-local", () -> new LocalEventRouter(region, interest, routes, metrics, linkPartitions), "local-events");
        // Cached: every forwarded event reads and bumps its counters; the cache serves those reads
        // and sends each counter's last value to the changelog once per commit, not once per event.
        topology.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(LocalEventRouter.SEQUENCE_STORE),
                Serdes.String(), Serdes.Long()).withCachingEnabled(), "route-local");
        topology.addSink(LocalEventRouter.DEAD_LETTERS, MeshKafkaTopics.DLQ, keyOut, valueOut, "route-local");
        for (String neighbour : config.neighbours()) {
            topology.addSink(LocalEventRouter.linkChild(neighbour), MeshKafkaTopics.link(neighbour), keyOut, valueOut,
                    new LinkPartitioner(), "route-local");
        }

        if (!config.neighbours().isEmpty()) {
            String[] arrivals = config.neighbours().stream().map(n -> MeshKafkaTopics.arrivals(n, region)).toArray(String[]::new);
            topology.addSource("arrivals", keys, values, arrivals);
            topology.addProcessor("route-arrivals", () -> new ArrivalRouter(region, routes, metrics, config.dedupWindow(), config.orderHold()),
                    "arrivals");
            // Cached: its changelog (which every instance follows) gets each partition's offset once per commit.
            topology.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(ArrivalProgress.STORE),
                    Serdes.String(), Serdes.Long()).withCachingEnabled(), "route-arrivals");
            topology.addStateStore(Stores.windowStoreBuilder(Stores.persistentWindowStore(ArrivalRouter.DEDUP_STORE,
                    config.dedupWindow(), config.dedupWindow(), false), Serdes.String(), Serdes.Long()), "route-arrivals");
            topology.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(ArrivalRouter.ORDER_DELIVERED_STORE),
                    Serdes.String(), Serdes.Long()), "route-arrivals");
            topology.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(ArrivalRouter.ORDER_HELD_STORE),
                    Serdes.String(), Serdes.ByteArray()), "route-arrivals");
            topology.addSink(ArrivalRouter.LOCAL_DELIVERY, MeshKafkaTopics.EVENTS, keyOut, valueOut, "route-arrivals");
            topology.addSink(ArrivalRouter.DEAD_LETTERS, MeshKafkaTopics.DLQ, keyOut, valueOut, "route-arrivals");
            for (String neighbour : config.neighbours()) {
                topology.addSink(ArrivalRouter.linkChild(neighbour), MeshKafkaTopics.link(neighbour), keyOut, valueOut,
                        new LinkPartitioner(), "route-arrivals");
            }
        }
        // Trace hops of sampled events, in the same transaction as the forwards they describe; one
        // sink per processor, so local routing and arrivals stay separate sub-topologies.
        topology.addSink(HopTracer.LOCAL_SINK, MeshKafkaTopics.TRACES, keyOut, valueOut, "route-local");
        if (!config.neighbours().isEmpty()) {
            topology.addSink(HopTracer.ARRIVALS_SINK, MeshKafkaTopics.TRACES, keyOut, valueOut, "route-arrivals");
        }
        return topology;
    }
}
