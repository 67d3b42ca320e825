package io.meshwork.launcher.cli;

import io.meshwork.connectors.links.LinkConfigs;
import io.meshwork.connectors.links.LinkMode;
import io.meshwork.connectors.links.LinkSettings;
import io.meshwork.connectors.links.RegionLinks;
import io.meshwork.connectors.links.RegionMirror;
import io.meshwork.connectors.links.RegionPushLinks;
import io.meshwork.core.kafka.SpoolRetention;
import io.meshwork.core.kafka.TopicApplier;
import io.meshwork.core.kafka.TopicContract;
import io.meshwork.core.kafka.TopicContractException;
import io.meshwork.topology.Topology;
import io.meshwork.topology.TopologyException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.TypeConversionException;

/**
 * {@code mesh links}: the links of one region, from the topology. Runs them in this process: the
 * control channels from every neighbour, and either push links from this region's spools into
 * every neighbour ({@code --mode push}, the default) or a MirrorMaker 2 pulling the neighbours'
 * spools into this region ({@code --mode mirrormaker}). {@code --render} prints the MirrorMaker 2
 * properties for {@code connect-mirror-maker.sh} instead, for operators who run their own.
 */
@Command(name = "links", mixinStandardHelpOptions = true,
        description = "Run a region's links (push links to its neighbours by default, or MirrorMaker 2 pulling from them), "
                + "or print the MirrorMaker 2 properties (--render).")
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

    @Option(names = "--render", description = "Print the MirrorMaker 2 properties (for connect-mirror-maker.sh) instead of running links.")
    boolean render;

    @Option(names = "--mode", paramLabel = "push|mirrormaker", converter = LinkModeConverter.class,
            description = "What carries the data: push links run by this region into its neighbours (default), "
                    + "or MirrorMaker 2 pulling from them into this region.")
    LinkMode mode = LinkMode.PUSH;

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
        LinkSettings settings = production ? LinkSettings.production() : LinkSettings.embedded();
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
            TopicContract contract = new TopicContract(region, linked, (short) settings.replicationFactor(), SpoolRetention.SEED);
            new TopicApplier(admin, region).apply(contract.topics(), TopicApplier.Mode.CREATE_MISSING);
        } catch (TopicContractException | IllegalStateException e) {
            System.err.println("mesh links: " + e.getMessage());
            return MeshCli.TOPICS_ERROR;
        }
        RegionLinks links = mode == LinkMode.PUSH
                ? RegionPushLinks.start(region, bootstrapServers, neighbours, settings)
                : RegionMirror.start(region, linked, properties, Duration.ofMinutes(5));
        System.out.printf("LINKS READY region=%s neighbours=%s mode=%s%n", region, linked, mode);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            links.close();
            stopped.countDown();
        }, "links-shutdown"));
        stopped.await();
        return 0;
    }

    /** Reads {@code --mode}, naming the accepted values when it is wrong. */
    static final class LinkModeConverter implements ITypeConverter<LinkMode> {
        @Override
        public LinkMode convert(String value) {
            try {
                return LinkMode.parse(value);
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException(e.getMessage());
            }
        }
    }
}
