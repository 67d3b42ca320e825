package io.meshwork.launcher.cli;

import io.meshwork.core.config.ConfigSchema;
import io.meshwork.core.config.MeshConfig;
import io.meshwork.core.config.MeshKeys;
import io.meshwork.core.kafka.KafkaClients;
import io.meshwork.core.kafka.TopicApplier;
import io.meshwork.core.kafka.TopicContract;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code mesh topics apply}: creates the topics of a region's {@link TopicContract} that are
 * missing on its cluster and checks the others ({@code --verify}: checks only). Reads the same
 * configuration as the region's services ({@code mesh.region}, {@code mesh.topology},
 * {@code mesh.spool.*}, {@code kafka.*}), so a router's or edge's file works as it is. Exits
 * {@link MeshCli#TOPICS_ERROR} with one line naming each topic and what differs.
 */
@Command(name = "apply", mixinStandardHelpOptions = true,
        description = "Create a region's missing contract topics and check the existing ones (--verify: check only).")
final class TopicsApplyCommand implements Callable<Integer> {

    /** Replication factor of the topics it creates. */
    static final String REPLICATION_FACTOR = "topics.replication.factor";

    @Mixin
    ConfigOptions options;

    @Mixin
    RegionOptions region;

    @Option(names = "--replication", description = "Replication factor; 3 or more also sets min.insync.replicas to a majority "
            + "(key topics.replication.factor, default 3).")
    Short replication;

    @Option(names = "--spool-bytes", paramLabel = "BYTES", description = "Most bytes each link's spool keeps (key mesh.spool.bytes).")
    Long spoolBytes;

    @Option(names = "--spool-retention", paramLabel = "DURATION", description = "Longest an event waits in a spool (key mesh.spool.retention).")
    String spoolRetention;

    @Option(names = "--verify", description = "Create nothing: only check that every contract topic exists as the contract says.")
    boolean verify;

    @Option(names = {"-v", "--verbose"}, description = "Show Kafka's and the libraries' own logging.")
    boolean verbose;

    /** Every key {@code mesh topics apply} reads: the common keys, {@code kafka.*} and the replication factor. */
    static ConfigSchema schema() {
        ConfigDef keys = MeshKeys.common().define(REPLICATION_FACTOR, Type.SHORT, TopicContract.PRODUCTION_REPLICATION,
                ConfigDef.Range.between(1, Short.MAX_VALUE), Importance.HIGH,
                "Replication factor of the topics it creates; 3 or more also sets min.insync.replicas to a majority.");
        return new ConfigSchema("topics apply", keys, List.of(MeshKeys.KAFKA));
    }

    @Override
    public Integer call() throws Exception {
        Logging.configure(verbose);
        ServiceStart.Outcome<TopicApplier.Outcome> applied = ServiceStart.checked("mesh topics apply", () -> {
            ConfigOptions.Loaded loaded = options.load(schema(), loader -> region.aliases(loader)
                    .flag(REPLICATION_FACTOR, replication, "--replication")
                    .flag(MeshKeys.SPOOL_BYTES, spoolBytes, "--spool-bytes")
                    .flag(MeshKeys.SPOOL_RETENTION, spoolRetention, "--spool-retention"), (first, topo) -> Map.of());
            MeshConfig config = loaded.config();
            String name = config.string(MeshKeys.REGION);
            KafkaClients kafka = config.kafka();
            TopicContract contract = new TopicContract(name, loaded.topology().neighbours(name), (Short) config.value(REPLICATION_FACTOR),
                    MeshKeys.spool(config));
            StartupChecks.cluster(config, kafka, KafkaClients.PREFIX);
            TopicApplier.Mode mode = verify ? TopicApplier.Mode.VERIFY_ONLY : TopicApplier.Mode.CREATE_MISSING;
            try (Admin admin = kafka.admin("topics " + name)) {
                TopicApplier.Outcome outcome = new TopicApplier(admin, name).apply(contract.topics(), mode);
                System.out.printf("TOPICS OK region=%s created=%s checked=%s%n", name, outcome.created(), outcome.checked());
                return outcome;
            }
        });
        return applied.exitCode();
    }
}
