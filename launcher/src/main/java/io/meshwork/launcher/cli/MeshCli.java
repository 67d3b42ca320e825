package io.meshwork.launcher.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code mesh} command. */
@Command(name = "mesh",
        mixinStandardHelpOptions = true,
        version = "meshwork 0.1.0-SNAPSHOT",
        description = "Meshwork: an event mesh over regional Kafka clusters.",
        subcommands = {UpCommand.class, ChaosCommand.class, EdgeCommand.class, RouterCommand.class, LinksCommand.class,
                ControlPlaneCommand.class, ConfigCommand.class, TraceCommand.class, OpsCommand.class, TopicsCommand.class,
                KafkaServerCommand.class, TokenCommand.class})
public final class MeshCli {

    /** Exit code for bad configuration or a port clash. */
    public static final int CONFIG_ERROR = 2;

    /** Exit code when the cluster's topics differ from the region's topic contract, or the cluster cannot be reached. */
    public static final int TOPICS_ERROR = 3;

    /** The CLI's logging configuration (a classpath resource; HiveMQ's jar ships its own logback.xml). */
    static final String LOGGING_CONFIGURATION = "meshwork-cli-logback.xml";

    public static void main(String[] args) {
        if (System.getProperty("logback.configurationFile") == null) {
            System.setProperty("logback.configurationFile", LOGGING_CONFIGURATION);
        }
        System.exit(new CommandLine(new MeshCli()).execute(args));
    }
}
