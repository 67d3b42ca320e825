package io.meshwork.core.kafka;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes a cluster hold a list of {@link TopicSpec}s, or only checks that it does: the one place
 * where the mesh creates and verifies its topics.
 *
 * <pre>{@code
 * new TopicApplier(admin, "us-east-1").apply(TopicContract.embedded("us-east-1", neighbours).topics(), Mode.CREATE_MISSING);
 * }</pre>
 *
 * A topic created meanwhile by another service is checked like any existing one, so services of a
 * region may start in any order.
 */
public final class TopicApplier {

    /** What {@link #apply} may do to the cluster. */
    public enum Mode {
        /** Create the topics that are missing; check those that exist. */
        CREATE_MISSING,
        /**
         * Create nothing; a missing topic is an error. For {@code mesh topics apply --verify} and for
         * services run with topic creation off, which then fail at start naming the missing topic.
         */
        VERIFY_ONLY
    }

    /**
     * What {@link #apply} did.
     *
     * @param created the topics it created
     * @param checked the topics that existed and match the contract
     */
    public record Outcome(List<String> created, List<String> checked) {
        public Outcome {
            created = List.copyOf(created);
            checked = List.copyOf(checked);
        }
    }

    private static final Logger LOG = LoggerFactory.getLogger(TopicApplier.class);
    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final Duration UNKNOWN_TOPIC_GRACE = Duration.ofSeconds(5);

    private final Admin admin;
    private final String cluster;

    /**
     * @param admin   connected to the cluster; not closed here
     * @param cluster how messages name the cluster, usually its region
     */
    public TopicApplier(Admin admin, String cluster) {
        this.admin = Objects.requireNonNull(admin, "admin");
        this.cluster = Objects.requireNonNull(cluster, "cluster");
    }

    /**
     * @throws TopicContractException naming every topic that is missing ({@link Mode#VERIFY_ONLY}) or differs
     * @throws IllegalStateException  when the cluster does not answer or refuses the request, in one line
     */
    public Outcome apply(List<TopicSpec> specs, Mode mode) {
        Map<String, TopicSpec> wanted = new LinkedHashMap<>();
        for (TopicSpec spec : specs) {
            if (wanted.put(spec.name(), spec) != null) {
                throw new IllegalArgumentException("topic " + spec.name() + " is listed twice");
            }
        }
        Set<String> existing = await(admin.listTopics().names(), "list topics");
        List<TopicContractException.Problem> problems = new ArrayList<>();
        List<String> toCheck = new ArrayList<>();
        List<TopicSpec> missing = new ArrayList<>();
        for (TopicSpec spec : wanted.values()) {
            if (existing.contains(spec.name())) {
                toCheck.add(spec.name());
            } else if (mode == Mode.VERIFY_ONLY) {
                problems.add(new TopicContractException.Problem(spec.name(), "missing"));
            } else {
                missing.add(spec);
            }
        }
        List<String> created = create(missing, toCheck);
        problems.addAll(check(toCheck.stream().map(wanted::get).toList()));
        if (!problems.isEmpty()) {
            // Keep the contract's order, whatever order the checks found them in.
            List<String> order = List.copyOf(wanted.keySet());
            problems.sort((a, b) -> Integer.compare(order.indexOf(a.topic()), order.indexOf(b.topic())));
            throw new TopicContractException(cluster, problems);
        }
        return new Outcome(created, toCheck);
    }

    /** Creates {@code missing}; one that another client created meanwhile moves to {@code toCheck}. */
    private List<String> create(List<TopicSpec> missing, List<String> toCheck) {
        if (missing.isEmpty()) {
            return List.of();
        }
        Map<String, KafkaFuture<Void>> results = admin.createTopics(missing.stream().map(TopicSpec::newTopic).toList()).values();
        List<String> created = new ArrayList<>();
        for (TopicSpec spec : missing) {
            try {
                results.get(spec.name()).get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
                created.add(spec.name());
                LOG.debug("{}: created topic {} ({} partitions, replication {}, {})", cluster, spec.name(), spec.partitions(),
                        spec.replicationFactor(), spec.configs());
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof TopicExistsException)) {
                    throw new IllegalStateException(cluster + ": cannot create topic " + spec.name() + ": " + e.getCause().getMessage(), e.getCause());
                }
                toCheck.add(spec.name());
            } catch (TimeoutException e) {
                throw new IllegalStateException(cluster + ": cannot create topic " + spec.name() + ": no answer within " + TIMEOUT.toSeconds() + " s", e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(cluster + ": interrupted while creating topic " + spec.name(), e);
            }
        }
        if (!created.isEmpty()) {
            LOG.info("{}: created topics {}", cluster, created);
        }
        return created;
    }

    private List<TopicContractException.Problem> check(List<TopicSpec> specs) {
        if (specs.isEmpty()) {
            return List.of();
        }
        List<String> names = specs.stream().map(TopicSpec::name).toList();
        Map<String, TopicDescription> descriptions = awaitKnown(() -> admin.describeTopics(names).allTopicNames(), "describe topics " + names);
        Collection<ConfigResource> resources = names.stream().map(name -> new ConfigResource(ConfigResource.Type.TOPIC, name)).toList();
        Map<ConfigResource, Config> configs = awaitKnown(() -> admin.describeConfigs(resources).all(), "describe the configs of topics " + names);
        List<TopicContractException.Problem> problems = new ArrayList<>();
        for (TopicSpec spec : specs) {
            TopicDescription description = descriptions.get(spec.name());
            int replicas = description.partitions().stream().mapToInt(p -> p.replicas().size()).min().orElse(0);
            Map<String, String> actual = new LinkedHashMap<>();
            for (ConfigEntry entry : configs.get(new ConfigResource(ConfigResource.Type.TOPIC, spec.name())).entries()) {
                actual.put(entry.name(), entry.value());
            }
            for (String difference : TopicDifferences.between(spec, description.partitions().size(), replicas, actual)) {
                problems.add(new TopicContractException.Problem(spec.name(), difference));
            }
        }
        return problems;
    }

    /**
     * As {@link #await}, asking again while the broker does not know a topic yet: one that another
     * service created a moment ago may not have reached every broker's metadata.
     */
    private <T> T awaitKnown(Supplier<KafkaFuture<T>> request, String what) {
        long deadline = System.nanoTime() + UNKNOWN_TOPIC_GRACE.toNanos();
        while (true) {
            try {
                return await(request.get(), what);
            } catch (IllegalStateException e) {
                if (!(e.getCause() instanceof UnknownTopicOrPartitionException) || System.nanoTime() - deadline > 0) {
                    throw e;
                }
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(100));
            }
        }
    }

    private <T> T await(KafkaFuture<T> future, String what) {
        try {
            return future.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw new IllegalStateException(cluster + ": cannot " + what + ": " + e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException(cluster + ": cannot " + what + ": the cluster did not answer within " + TIMEOUT.toSeconds() + " s", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(cluster + ": interrupted while trying to " + what, e);
        }
    }
}
