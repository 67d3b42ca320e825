package io.meshwork.edge.mqtt.interop;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An MQTT interoperability suite modelled on the Eclipse Paho interoperability tests
 * ({@code client_test.py}: 10 MQTT 3.1.1 cases, {@code client_test5.py}: 27 MQTT 5 cases),
 * run against any broker: {@code new InteropSuite(target, Timing.DEFAULT).runAll()}.
 * Every case gets its own topics and client ids under a fresh run id, so runs never see each
 * other's sessions or retained messages, and the cases of one run can run at the same time.
 */
public final class InteropSuite {

    private static final Logger LOG = LoggerFactory.getLogger(InteropSuite.class);

    /** One case: its protocol version, its name (Paho's test name), and how to run it. */
    public record Case(String version, String name, Supplier<CaseResult> body) {
        public Case {
            Objects.requireNonNull(version, "version");
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(body, "body");
        }
    }

    /**
     * Cases run at once by {@link #runAll()}: with eight, a run takes about as long as its
     * longest case (subscribe_options, some 30 s of quiet periods) rather than the sum of all
     * (some 3 minutes), while a loaded two-core machine still has the CPU for the few dozen
     * connections.
     */
    public static final int DEFAULT_PARALLELISM = 8;

    private final InteropTarget target;
    private final List<Case> cases = new ArrayList<>();

    public InteropSuite(InteropTarget target, Timing timing) {
        this.target = Objects.requireNonNull(target, "target");
        String runId = UUID.randomUUID().toString().substring(0, 6);
        Mqtt311Cases v3 = new Mqtt311Cases(target, timing, runId);
        add(Mqtt311Cases.VERSION, "basic", v3::basic);
        add(Mqtt311Cases.VERSION, "retained_message", v3::retainedMessages);
        add(Mqtt311Cases.VERSION, "offline_message_queueing", v3::offlineMessageQueueing);
        add(Mqtt311Cases.VERSION, "will_message", v3::willMessage);
        add(Mqtt311Cases.VERSION, "overlapping_subscriptions", v3::overlappingSubscriptions);
        add(Mqtt311Cases.VERSION, "keepalive", v3::keepalive);
        add(Mqtt311Cases.VERSION, "redelivery_on_reconnect", v3::redeliveryOnReconnect);
        add(Mqtt311Cases.VERSION, "zero_length_clientid", v3::zeroLengthClientId);
        add(Mqtt311Cases.VERSION, "subscribe_failure", v3::subscribeFailure);
        add(Mqtt311Cases.VERSION, "dollar_topics", v3::dollarTopics);
        Mqtt5SessionCases s5 = new Mqtt5SessionCases(target, timing, runId);
        Mqtt5MessageCases m5 = new Mqtt5MessageCases(target, timing, runId);
        Mqtt5LimitCases l5 = new Mqtt5LimitCases(target, timing, runId);
        add(Mqtt5Group.VERSION, "basic", s5::basic);
        add(Mqtt5Group.VERSION, "retained_message", s5::retainedMessages);
        add(Mqtt5Group.VERSION, "will_message", s5::willMessage);
        add(Mqtt5Group.VERSION, "zero_length_clientid", s5::zeroLengthClientId);
        add(Mqtt5Group.VERSION, "offline_message_queueing", s5::offlineMessageQueueing);
        add(Mqtt5Group.VERSION, "overlapping_subscriptions", s5::overlappingSubscriptions);
        add(Mqtt5Group.VERSION, "keepalive", s5::keepalive);
        add(Mqtt5Group.VERSION, "redelivery_on_reconnect", s5::redeliveryOnReconnect);
        add(Mqtt5Group.VERSION, "subscribe_failure", s5::subscribeFailure);
        add(Mqtt5Group.VERSION, "dollar_topics", s5::dollarTopics);
        add(Mqtt5Group.VERSION, "unsubscribe", s5::unsubscribe);
        add(Mqtt5Group.VERSION, "session_expiry", s5::sessionExpiry);
        add(Mqtt5Group.VERSION, "user_properties", m5::userProperties);
        add(Mqtt5Group.VERSION, "payload_format", m5::payloadFormat);
        add(Mqtt5Group.VERSION, "publication_expiry", m5::publicationExpiry);
        add(Mqtt5Group.VERSION, "subscribe_options", m5::subscribeOptions);
        add(Mqtt5Group.VERSION, "assigned_clientid", m5::assignedClientId);
        add(Mqtt5Group.VERSION, "subscribe_identifiers", m5::subscriptionIdentifiers);
        add(Mqtt5Group.VERSION, "request_response", m5::requestResponse);
        add(Mqtt5Group.VERSION, "client_topic_alias", l5::clientTopicAlias);
        add(Mqtt5Group.VERSION, "server_topic_alias", l5::serverTopicAlias);
        add(Mqtt5Group.VERSION, "maximum_packet_size", l5::maximumPacketSize);
        add(Mqtt5Group.VERSION, "server_keep_alive", l5::serverKeepAlive);
        add(Mqtt5Group.VERSION, "flow_control1", l5::flowControlToClient);
        add(Mqtt5Group.VERSION, "flow_control2", l5::flowControlToServer);
        add(Mqtt5Group.VERSION, "will_delay", l5::willDelay);
        add(Mqtt5Group.VERSION, "shared_subscriptions", l5::sharedSubscriptions);
    }

    private void add(String version, String name, Supplier<CaseResult> body) {
        cases.add(new Case(version, name, body));
    }

    public List<Case> cases() {
        return List.copyOf(cases);
    }

    /** Runs every case, {@link #DEFAULT_PARALLELISM} at a time, and returns their results in the suite's order. */
    public List<CaseResult> runAll() {
        return runAll(DEFAULT_PARALLELISM);
    }

    /**
     * Runs every case, up to {@code parallelism} at once, and returns their results in the
     * suite's order. Cases share nothing but the broker (each has its own topics, client ids and
     * shared-subscription names), so they may overlap; most of a case's time is waiting (for the
     * quiet period after a marker, a keep alive, an expiry), which is why overlapping them pays
     * even on two cores.
     */
    public List<CaseResult> runAll(int parallelism) {
        if (parallelism < 1) {
            throw new IllegalArgumentException("parallelism must be at least 1, was " + parallelism);
        }
        AtomicInteger threads = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(parallelism, task -> {
            Thread thread = new Thread(task, "interop-" + threads.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        try {
            List<Future<CaseResult>> running = new ArrayList<>();
            for (Case c : cases) {
                running.add(pool.submit(() -> runOne(c)));
            }
            List<CaseResult> results = new ArrayList<>();
            for (Future<CaseResult> result : running) {
                results.add(result.get());
            }
            return results;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running the MQTT interop suite on " + target.name(), e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("the MQTT interop suite on " + target.name() + " broke: " + e.getCause(), e.getCause());
        } finally {
            pool.shutdownNow();
        }
    }

    private CaseResult runOne(Case c) {
        long started = System.nanoTime();
        CaseResult result = c.body().get();
        if (!result.name().equals(c.name()) || !result.version().equals(c.version())) {
            throw new IllegalStateException("case " + c.version() + " " + c.name() + " reported itself as "
                    + result.version() + " " + result.name());
        }
        LOG.info("MQTT interop {} MQTT {} {}: {} in {} ms{}", target.name(), c.version(), c.name(),
                result.passed() ? "passed" : "FAILED", (System.nanoTime() - started) / 1_000_000,
                result.reason().isEmpty() ? "" : " (" + result.reason() + ")");
        return result;
    }
}
