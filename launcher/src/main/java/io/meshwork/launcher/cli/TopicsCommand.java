package io.meshwork.launcher.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code mesh topics}: the topic contract of a region on an existing cluster. */
@Command(name = "topics", mixinStandardHelpOptions = true, subcommands = TopicsApplyCommand.class,
        description = "Create or verify a region's contract topics on an existing Kafka cluster.")
final class TopicsCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return MeshCli.CONFIG_ERROR;
    }
}
