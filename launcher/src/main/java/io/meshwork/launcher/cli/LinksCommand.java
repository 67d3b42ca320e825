package io.meshwork.launcher.cli;

import io.meshwork.connectors.links.LinkConfigs;
import io.meshwork.connectors.links.LinkSettings;
import io.meshwork.connectors.links.RegionMirror;
import io.meshwork.topology.Topology;
import io.meshwork.topology.TopologyException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code mesh links}: the MirrorMaker 2 links into one region, rendered from the topology. Prints
 * the properties for {@code connect-mirror-maker.sh} ({@code --render}) or runs them in this process.
 */
@Command(name = "links", mixinStandardHelpOptions = true,
        description = "Render (--render) or run the MirrorMaker 2 links that pull a region's traffic from its neighbours.")
final class LinksCommand implements Callable<Integer> {

    @Mixin
    TopologyOption topology;

    @Option(names = "--region", required = true, description = "The region the links lead into.")
    String region;

    @Option(names = "--kafka", required = true, paramLabel = "HOST:PORT", description = "The region's Kafka bootstrap servers.")
    String bootstrapServers;

    @Option(names = "--neighbour", required = true, paramLabel = "REGION=HOST:PORT",
            description = "How this region reaches each neighbour's Kafka cluster; one per neighbour in the topology.")
    Map<String, String> neighbours = new LinkedHashMap<>();

    @Option(names = "--production", description = "Replication factor 3 and 4 tasks per link instead of the embedded defaults.")
    boolean production;

    @Option(names = "--render", description = "Print the MirrorMaker 2 properties instead of running them.")
    boolean render;

    @Option(names = {"-v", "--verbose"}, description = "Show Kafka's and the libraries' own logging.")
    boolean verbose;

    @Override
    public Integer call() throws Exception {
        Logging.configure(verbose);
        Map<String, String> properties;
        List<String> linked;
        try {
            Topology loaded = topology.load();
            linked = loaded.neighbours(region);
            if (!neighbours.keySet().equals(Set.copyOf(linked))) {
                System.err.println("mesh links: --neighbour must name exactly the neighbours of " + region + " in the topology: " + linked
                        + " (given: " + neighbours.keySet() + ")");
                return MeshCli.CONFIG_ERROR;
            }
            properties = LinkConfigs.mirrorMakerFor(region, bootstrapServers, neighbours,
                    production ? LinkSettings.production() : LinkSettings.embedded());
        } catch (TopologyException | IllegalArgumentException e) {
            System.err.println("mesh links: " + e.getMessage());
            return MeshCli.CONFIG_ERROR;
        }
        if (render) {
            System.out.print(LinkConfigs.render(properties));
            return 0;
        }
        RegionMirror mirror = RegionMirror.start(region, linked, properties, Duration.ofMinutes(5));
        System.out.printf("LINKS READY into=%s from=%s%n", region, linked);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            mirror.close();
            stopped.countDown();
        }, "links-shutdown"));
        stopped.await();
        return 0;
    }
}
