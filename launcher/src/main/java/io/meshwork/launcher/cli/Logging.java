package io.meshwork.launcher.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import java.util.HashMap;
import java.util.Map;
import org.slf4j.LoggerFactory;

/** The CLI's log levels: the mesh's own warnings only, or everything at INFO with {@code --verbose}. */
final class Logging {

    private Logging() {
    }

    static void configure(boolean verbose) {
        Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        root.setLevel(verbose ? Level.INFO : Level.WARN);
        ((Logger) LoggerFactory.getLogger("io.meshwork")).setLevel(verbose ? Level.DEBUG : Level.WARN);
    }

    /**
     * Runs {@code check} with the Kafka clients' own logging off (unless it was asked for): a
     * start-up check that fails is reported as one line naming the key, and the client's retries
     * and stack traces for the same failure would bury it.
     */
    static void quietKafka(Runnable check) {
        Logger kafka = (Logger) LoggerFactory.getLogger("org.apache.kafka");
        if (!kafka.getEffectiveLevel().isGreaterOrEqual(Level.WARN)) {
            check.run(); // --verbose: the user asked to see what the clients say
            return;
        }
        // Loggers below org.apache.kafka with a level of their own (a logback file may set some) too.
        Map<Logger, Level> before = new HashMap<>();
        for (Logger logger : kafka.getLoggerContext().getLoggerList()) {
            if (logger.getName().startsWith("org.apache.kafka") && (logger == kafka || logger.getLevel() != null)) {
                before.put(logger, logger.getLevel());
                logger.setLevel(Level.OFF);
            }
        }
        try {
            check.run();
        } finally {
            before.forEach(Logger::setLevel);
        }
    }
}
