package io.meshwork.launcher.cli;

import io.meshwork.core.kafka.SpoolRetention;
import java.time.Duration;
import picocli.CommandLine.Option;

/** {@code --spool-bytes} and {@code --spool-retention}: what each link's spool keeps while its link is down. */
final class SpoolOption {

    @Option(names = "--spool-bytes", paramLabel = "BYTES", defaultValue = "53687091200",
            description = "Most bytes each link's spool keeps while the link is down (default: ${DEFAULT-VALUE}, the seed's 50 GB).")
    long spoolBytes;

    @Option(names = "--spool-retention", paramLabel = "DURATION", defaultValue = "P7D",
            description = "Longest an event waits in a link's spool, ISO-8601 (default: ${DEFAULT-VALUE}).")
    Duration spoolRetention;

    /** @throws IllegalArgumentException naming the setting that is out of range */
    SpoolRetention spool() {
        return new SpoolRetention(spoolBytes, spoolRetention);
    }
}
