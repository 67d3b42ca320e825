package io.meshwork.launcher.cli;

import io.meshwork.core.kafka.TopicApplier;
import io.meshwork.core.kafka.TopicContract;
import io.meshwork.core.kafka.TopicContractException;
import io.meshwork.topology.Topology;
import io.meshwork.topology.TopologyException;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code mesh topics apply}: creates the topics of a region's {@link TopicContract} that are
 * missing on its cluster and checks the others ({@code --verify}: checks only). Exits
 * {@link MeshCli#TOPICS_ERROR} with one line naming each topic and what differs.
 */
@Command(name = "apply", mixinStandardHelpOptions = true,
        description = "Create a region's missing contract topics and check the existing ones (--verify: check only).")
final class TopicsApplyCommand implements Callable<Integer> {

    @Mixin
    TopologyOption topology;

    @Option(names = "--region", required = true, description = "The region whose topics to apply, e.g. us-east-1.")
    String region;

    @Option(names = "--kafka", required = true, paramLabel = "HOST:PORT", description = "The region's Kafka bootstrap servers.")
    String bootstrapServers;

    @Option(names = "--replication", defaultValue = "3",
            description = "Replication factor; 3 or more also sets min.insync.replicas to a majority (default: ${DEFAULT-VALUE}).")
    short replication;

    @Mixin
    SpoolOption spoolOption;

    @Option(names = "--verify", description = "Create nothing: only check that every contract topic exists as the contract says.")
    boolean verify;

    @Option(names = {"-v", "--verbose"}, description = "Show Kafka's and the libraries' own logging.")
    boolean verbose;

    @Override
    public Integer call() {
        Logging.configure(verbose);
        TopicContract contract;
        try {
            Topology loaded = topology.load();
            contract = new TopicContract(region, loaded.neighbours(region), replication, spoolOption.spool());
        } catch (TopologyException | IllegalArgumentException e) {
            System.err.println("mesh topics apply: " + e.getMessage());
            return MeshCli.CONFIG_ERROR;
        }
        TopicApplier.Mode mode = verify ? TopicApplier.Mode.VERIFY_ONLY : TopicApplier.Mode.CREATE_MISSING;
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
            TopicApplier.Outcome outcome = new TopicApplier(admin, region).apply(contract.topics(), mode);
            System.out.printf("TOPICS OK region=%s created=%s checked=%s%n", region, outcome.created(), outcome.checked());
            return 0;
        } catch (TopicContractException | IllegalStateException e) {
            System.err.println("mesh topics apply: " + e.getMessage());
            return MeshCli.TOPICS_ERROR;
        }
    }
}
