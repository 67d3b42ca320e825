package io.meshwork.launcher.cli;

import io.meshwork.connectors.links.LinkConfigs;
import io.meshwork.connectors.links.LinkSettings;
import io.meshwork.connectors.links.LinksConfig;
import io.meshwork.connectors.links.LinksKeys;
import io.meshwork.connectors.links.RegionLinks;
import io.meshwork.core.config.ConfigLoader;
import io.meshwork.core.config.Durations;
import io.meshwork.core.config.MeshConfig;
import io.meshwork.core.config.MeshKeys;
import io.meshwork.core.kafka.KafkaClients;
import io.meshwork.core.kafka.TopicContract;
import java.util.List;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import io.meshwork.connectors.links.LinkMode;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code mesh links}: the links of one region, from the topology. Runs them in this process: the
 * control channels from every neighbour, and either push links from this region's spools into
 * every neighbour ({@code links.mode: push}, the default) or a MirrorMaker 2 pulling the
 * neighbours' spools into this region ({@code links.mode: mirrormaker}). {@code --render} prints
 * the MirrorMaker 2 properties for {@code connect-mirror-maker.sh} instead, for operators who run
 * their own. Its keys: {@code mesh config explain links}.
 */
@Command(name = "links", mixinStandardHelpOptions = true,
        description = "Run a region's links (push links to its neighbours by default, or MirrorMaker 2 pulling from them), "
                + "or print the MirrorMaker 2 properties (--render).")
final class LinksCommand implements Callable<Integer> {

    @Mixin
    ConfigOptions options;

    @Mixin
    RegionOptions region;

    @Option(names = "--neighbour", paramLabel = "REGION=HOST:PORT",
            description = "How this region reaches a neighbour's Kafka cluster (key links.neighbours.<region>.kafka.bootstrap.servers).")
    Map<String, String> neighbours = new LinkedHashMap<>();

    @Option(names = "--production", description = "Replication factor 3, 4 tasks per link and a 1 min refresh "
            + "(keys links.replication.factor, links.tasks.max, links.refresh.topics.interval).")
    boolean production;

    @Option(names = "--render", description = "Print the MirrorMaker 2 properties (for connect-mirror-maker.sh) instead of running links.")
    boolean render;

    @Option(names = "--mode", paramLabel = "push|mirrormaker", description = "What carries the data (key links.mode).")
    String mode;

    @Option(names = {"-v", "--verbose"}, description = "Show Kafka's and the libraries' own logging.")
    boolean verbose;

    @Override
    public Integer call() throws Exception {
        Logging.configure(verbose);
        ServiceStart.Outcome<Checked> checked = ServiceStart.checked("mesh links", () -> {
            ConfigOptions.Loaded loaded = options.load(LinksKeys.schema(), this::aliases, (first, topo) -> Map.of());
            MeshConfig config = loaded.config();
            LinksConfig links = LinksKeys.build(config, loaded.topology().neighbours(config.string(MeshKeys.REGION)));
            if (!render) {
                StartupChecks.cluster(config, links.kafka(), KafkaClients.PREFIX);
                links.neighbours().forEach((neighbour, kafka) ->
                        StartupChecks.settings(config, kafka, LinksKeys.NEIGHBOURS.key(neighbour, "")));
                StartupChecks.contractTopics(config, links.kafka(), "links " + links.region(), new TopicContract(links.region(),
                        List.copyOf(links.neighbours().keySet()), config.integer(LinksKeys.REPLICATION_FACTOR).shortValue(),
                        MeshKeys.spool(config)));
            }
            return new Checked(config, links);
        });
        if (checked.stopped()) {
            return checked.exitCode();
        }
        LinksConfig links = checked.value().links();
        if (render) {
            System.out.print(LinkConfigs.render(links.mirrorMakerProperties()));
            return 0;
        }
        ServiceStart.Outcome<RegionLinks> started = ServiceStart.started("mesh links", checked.value().config(),
                () -> links.start(Duration.ofMinutes(5)));
        if (started.stopped()) {
            return started.exitCode();
        }
        RegionLinks running = started.value();
        System.out.printf("LINKS READY region=%s neighbours=%s mode=%s%n", links.region(), links.neighbours().keySet(), links.mode());
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            running.close();
            stopped.countDown();
        }, "links-shutdown"));
        stopped.await();
        return 0;
    }

    private void aliases(ConfigLoader loader) {
        region.aliases(loader).flag(LinksKeys.MODE, mode, "--mode");
        neighbours.forEach((neighbour, bootstrap) ->
                loader.flag(LinksKeys.NEIGHBOURS.key(neighbour, "bootstrap.servers"), bootstrap, "--neighbour"));
        if (production) {
            LinkSettings settings = LinkSettings.production();
            loader.flag(LinksKeys.REPLICATION_FACTOR, settings.replicationFactor(), "--production")
                    .flag(LinksKeys.TASKS_MAX, settings.tasksMax(), "--production")
                    .flag(LinksKeys.REFRESH_TOPICS_INTERVAL, Durations.format(settings.refreshTopicsInterval()), "--production");
        }
    }

    /** The links' configuration, checked against their clusters (unless only rendered). */
    private record Checked(MeshConfig config, LinksConfig links) {
    }

    /** Reads {@code --links} of {@code mesh up}, naming the accepted values when it is wrong. */
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
