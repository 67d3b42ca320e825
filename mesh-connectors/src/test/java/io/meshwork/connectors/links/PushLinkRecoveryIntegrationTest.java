package io.meshwork.connectors.links;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import io.meshwork.connectors.CapturedLog;
import io.meshwork.core.kafka.KafkaClients;
import io.meshwork.core.kafka.MeshKafkaTopics;
import io.meshwork.core.metrics.MeshMetrics;
import io.meshwork.core.tls.LocalCertificates;
import io.meshwork.embedded.kafka.EmbeddedKafkaCluster;
import io.meshwork.embedded.kafka.ExtraListener;
import io.meshwork.embedded.kafka.KafkaClusterSpec;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.kafka.clients.admin.NewPartitions;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclBindingFilter;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The push link recovering from what used to stop it silently, on one pair of clusters: us-east-1
 * (its spools, read by the link over an SSL listener with a client certificate, under Kafka's ACL
 * authorizer) and a second cluster holding the arrival topics. Each test is its own link (targets
 * eu-west-1 and ap-southeast-1), so they share the clusters but no topic.
 */
@Tag("integration")
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class PushLinkRecoveryIntegrationTest {

    private static final String US = "us-east-1";
    private static final String SSL_LISTENER = "LINKS_SSL";
    /** The link's principal in us-east-1: the subject of its client certificate. */
    private static final String LINK_PRINCIPAL = "User:CN=links-us-east-1";

    @TempDir
    static Path dir;
    private static EmbeddedKafkaCluster us;
    private static EmbeddedKafkaCluster far;
    private static KafkaClients usAsTheLink;

    @BeforeAll
    static void clusters() throws Exception {
        LocalCertificates certificates = LocalCertificates.ensure(dir.resolve("certs"));
        Path linkKeys = certificates.issueClient("links-us-east-1", dir.resolve("links-us-east-1.p12"));
        KafkaClusterSpec spec = KafkaClusterSpec.named(US).withExtraListener(ExtraListener.ssl(SSL_LISTENER))
                .withBrokerProperty("authorizer.class.name", "org.apache.kafka.metadata.authorizer.StandardAuthorizer")
                // Only an ACL written by a test denies anything; the broker itself and the test's plaintext clients are ANONYMOUS.
                .withBrokerProperty("allow.everyone.if.no.acl.found", "true")
                .withBrokerProperty("super.users", "User:ANONYMOUS");
        for (Map.Entry<String, String> property : certificates.kafkaSslListener(SSL_LISTENER).entrySet()) {
            spec = spec.withBrokerProperty(property.getKey(), property.getValue());
        }
        us = EmbeddedKafkaCluster.start(spec);
        far = EmbeddedKafkaCluster.start(KafkaClusterSpec.named("far"));
        Map<String, String> ssl = new HashMap<>();
        ssl.put("bootstrap.servers", "127.0.0.1:" + us.listenerPort(SSL_LISTENER));
        ssl.put("security.protocol", "SSL");
        ssl.put("ssl.truststore.type", "PKCS12");
        ssl.put("ssl.truststore.location", certificates.caTrustStore().toString());
        ssl.put("ssl.truststore.password", certificates.password());
        ssl.put("ssl.keystore.type", "PKCS12");
        ssl.put("ssl.keystore.location", linkKeys.toString());
        ssl.put("ssl.keystore.password", certificates.password());
        ssl.put("ssl.key.password", certificates.password());
        usAsTheLink = KafkaClients.of(ssl);
    }

    @AfterAll
    static void stop() {
        if (far != null) {
            far.close();
        }
        if (us != null) {
            us.close();
        }
    }

    @Test
    void pushesPartitionsAddedToTheSpoolWhileItRunsEachEventOnceInOrderGrowingTheArrivalTopic() throws Exception {
        String target = "eu-west-1";
        String spoolTopic = MeshKafkaTopics.link(target);
        String arrivals = MeshKafkaTopics.arrivals(US, target);
        us.createTopic(spoolTopic, 3, Map.of());
        far.createTopic(arrivals, 3, Map.of());
        List<ConsumerRecord<byte[], byte[]>> arrived = new CopyOnWriteArrayList<>();
        try (Spool spool = new Spool(spoolTopic); var reader = new ArrivalReader(far, arrivals, arrived);
             PushLink link = PushLink.start(US, target, usAsTheLink, KafkaClients.of(far.bootstrapServers()))) {
            List<String> before = spool.events("before", 3, 6);
            awaitArrived(arrived, before);

            // As an operator would, with kafka-topics.sh --alter --partitions 5.
            us.admin().createPartitions(Map.of(spoolTopic, NewPartitions.increaseTo(5))).all().get(10, TimeUnit.SECONDS);
            spool.awaitPartitions(5);
            List<String> after = spool.events("after", 5, 20);

            awaitArrived(arrived, after);
            assertThat(far.admin().describeTopics(List.of(arrivals)).allTopicNames().get(10, TimeUnit.SECONDS).get(arrivals)
                    .partitions()).as("the arrival topic grown as the spool").hasSize(5);
            assertEachOnceInSpoolOrder(arrived, spool, concat(before, after));
            assertThat(link.rewinds()).as("growing is not a failure").isZero();
            assertThat(link.restarts()).isZero();
        }
    }

    /**
     * The link's principal loses READ on its spool (an operator's ACL mistake): every fetch fails
     * with an authorization error, which used to end the link for good. It restarts with a growing
     * backoff, one WARN each, and once READ is back, what was spooled meanwhile crosses, once.
     */
    @Test
    void restartsAfterAnUnexpectedFailureAndDeliversWhatFollowedOnceEach() throws Exception {
        String target = "ap-southeast-1";
        String spoolTopic = MeshKafkaTopics.link(target);
        String arrivals = MeshKafkaTopics.arrivals(US, target);
        us.createTopic(spoolTopic, 3, Map.of());
        far.createTopic(arrivals, 3, Map.of());
        AclBinding denyRead = new AclBinding(new ResourcePattern(ResourceType.TOPIC, spoolTopic, PatternType.LITERAL),
                new AccessControlEntry(LINK_PRINCIPAL, "*", AclOperation.READ, AclPermissionType.DENY));
        List<ConsumerRecord<byte[], byte[]>> arrived = new CopyOnWriteArrayList<>();
        try (Spool spool = new Spool(spoolTopic); var reader = new ArrivalReader(far, arrivals, arrived);
             CapturedLog log = CapturedLog.of(PushLink.class);
             PushLink link = PushLink.start(US, target, usAsTheLink, KafkaClients.of(far.bootstrapServers()))) {
            List<String> before = spool.events("before", 3, 6);
            awaitArrived(arrived, before);

            us.admin().createAcls(List.of(denyRead)).all().get(10, TimeUnit.SECONDS);
            await("the link failing to read its spool").atMost(Duration.ofSeconds(30)).until(() -> link.restarts() >= 1);
            List<String> denied = spool.events("denied", 3, 6);
            await("a second restart while it still may not").atMost(Duration.ofSeconds(30)).until(() -> link.restarts() >= 2);
            us.admin().deleteAcls(List.of(new AclBindingFilter(denyRead.pattern().toFilter(), denyRead.entry().toFilter())))
                    .all().get(10, TimeUnit.SECONDS);
            List<String> after = spool.events("after", 3, 6);

            awaitArrived(arrived, concat(denied, after));
            assertEachOnceInSpoolOrder(arrived, spool, concat(before, denied, after));

            List<ILoggingEvent> restarts = log.events().stream().filter(e -> e.getLevel() == Level.WARN
                    && e.getFormattedMessage().contains("stopped by an unexpected")).toList();
            System.out.println("push link restarts logged: " + restarts.stream().map(ILoggingEvent::getFormattedMessage).toList());
            assertThat(restarts).as("one line per restart").hasSize(link.restarts());
            assertThat(restarts.get(0).getFormattedMessage()).startsWith("link us-east-1->ap-southeast-1: stopped by an unexpected "
                    + "TopicAuthorizationException").contains("restart 1 in 1000 ms, resuming mesh.link.ap-southeast-1 from what ap-southeast-1 acknowledged");
            assertThat(restarts.get(1).getFormattedMessage()).contains("restart 2 in 2000 ms");
            assertThat(restarts.stream().filter(e -> e.getThrowableProxy() != null)).as("the stack trace once at most").hasSize(1);
            assertThat(log.events()).noneMatch(e -> e.getLevel() == Level.ERROR);
            assertThat(MeshMetrics.scrape()).containsPattern("mesh_link_restarts_total\\{link=\"us-east-1->ap-southeast-1\"[^}]*} "
                    + link.restarts() + "\\.0");
        }
    }

    /**
     * The link's principal may write the target's arrival topic but not grow it (no {@code ALTER}; us-east-1
     * plays the target here, reached with the link's certificate): the partitions the target has go
     * on, the new one waits in the spool with one WARN naming the command, and once an operator
     * grows the topic its events cross.
     */
    @Test
    void aNewPartitionTheTargetMayNotGrowWaitsInTheSpoolNamingTheCommandWhileTheOthersGoOn() throws Exception {
        String target = "sa-east-1";
        String spoolTopic = MeshKafkaTopics.link(target);
        String arrivals = MeshKafkaTopics.arrivals(US, target);
        us.createTopic(spoolTopic, 3, Map.of());
        us.createTopic(arrivals, 3, Map.of());
        // Write (and so describe) only: with an ACL on the topic, what no ACL allows is refused.
        us.admin().createAcls(List.of(new AclBinding(new ResourcePattern(ResourceType.TOPIC, arrivals, PatternType.LITERAL),
                new AccessControlEntry(LINK_PRINCIPAL, "*", AclOperation.WRITE, AclPermissionType.ALLOW)))).all().get(10, TimeUnit.SECONDS);
        List<ConsumerRecord<byte[], byte[]>> arrived = new CopyOnWriteArrayList<>();
        try (Spool spool = new Spool(spoolTopic); var reader = new ArrivalReader(us, arrivals, arrived);
             CapturedLog log = CapturedLog.of(PushLink.class);
             PushLink link = PushLink.start(US, target, usAsTheLink, usAsTheLink)) {
            us.admin().createPartitions(Map.of(spoolTopic, NewPartitions.increaseTo(4))).all().get(10, TimeUnit.SECONDS);
            spool.awaitPartitions(4);
            List<String> first = spool.events("first", 4, 8);

            await("the WARN naming the command").atMost(Duration.ofSeconds(30)).until(() -> log.events().stream()
                    .anyMatch(e -> e.getLevel() == Level.WARN && e.getFormattedMessage().contains("cannot grow")));
            List<String> inTheOthers = first.stream().filter(id -> spool.partitionOf(id) < 3).toList();
            awaitArrived(arrived, inTheOthers);
            assertThat(arrived.stream().map(PushLinkRecoveryIntegrationTest::id)).as("nothing of the partition the target lacks")
                    .containsExactlyInAnyOrderElementsOf(inTheOthers);
            List<String> warnings = log.events().stream().filter(e -> e.getLevel() == Level.WARN)
                    .map(ILoggingEvent::getFormattedMessage).toList();
            assertThat(warnings).hasSize(1);
            assertThat(warnings.get(0)).startsWith("link us-east-1->sa-east-1: cannot grow us-east-1.mesh.link.sa-east-1 in sa-east-1 "
                    + "to the spool's 4 partitions (TopicAuthorizationException").contains("the new partitions' events wait in the spool")
                    .contains("kafka-topics.sh --alter --topic us-east-1.mesh.link.sa-east-1 --partitions 4");

            us.admin().createPartitions(Map.of(arrivals, NewPartitions.increaseTo(4))).all().get(10, TimeUnit.SECONDS);
            List<String> then = spool.events("then", 4, 4);
            awaitArrived(arrived, concat(first, then));
            assertEachOnceInSpoolOrder(arrived, spool, concat(first, then));
            assertThat(link.rewinds()).isZero();
        }
    }

    /** Every event arrived exactly once, in the partition it had in the spool, and each partition in the spool's order. */
    private static void assertEachOnceInSpoolOrder(List<ConsumerRecord<byte[], byte[]>> arrived, Spool spool, List<String> written) {
        List<String> ids = arrived.stream().map(PushLinkRecoveryIntegrationTest::id).toList();
        assertThat(ids).as("each event once").doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(written);
        for (ConsumerRecord<byte[], byte[]> record : arrived) {
            assertThat(record.partition()).as("partition of %s", id(record)).isEqualTo(spool.partitionOf(id(record)));
        }
        Map<Integer, List<String>> byPartition = arrived.stream().collect(Collectors.groupingBy(ConsumerRecord::partition,
                Collectors.mapping(PushLinkRecoveryIntegrationTest::id, Collectors.toList())));
        byPartition.forEach((partition, inArrival) -> assertThat(inArrival).as("partition %d in the spool's order", partition)
                .isEqualTo(written.stream().filter(id -> spool.partitionOf(id) == partition).toList()));
    }

    private static void awaitArrived(List<ConsumerRecord<byte[], byte[]>> arrived, List<String> ids) {
        await("arrival of " + ids.size() + " events").atMost(Duration.ofSeconds(40))
                .until(() -> arrived.stream().map(PushLinkRecoveryIntegrationTest::id).collect(Collectors.toSet()).containsAll(ids));
    }

    @SafeVarargs
    private static List<String> concat(List<String>... lists) {
        List<String> all = new ArrayList<>();
        for (List<String> list : lists) {
            all.addAll(list);
        }
        return all;
    }

    private static String id(ConsumerRecord<byte[], byte[]> record) {
        Header header = record.headers().lastHeader("ce_id");
        return new String(header.value(), StandardCharsets.UTF_8);
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /** One spool of us-east-1, written in transactions as the router writes it. */
    private static final class Spool implements AutoCloseable {
        private final String topic;
        private final KafkaProducer<byte[], byte[]> producer;
        private final Map<String, Integer> partitions = new java.util.concurrent.ConcurrentHashMap<>();

        Spool(String topic) {
            this.topic = topic;
            producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, us.bootstrapServers(),
                    ProducerConfig.TRANSACTIONAL_ID_CONFIG, "test-router-" + topic,
                    ProducerConfig.METADATA_MAX_AGE_CONFIG, 500), new ByteArraySerializer(), new ByteArraySerializer());
            producer.initTransactions();
        }

        void awaitPartitions(int count) {
            await("the spool's producer seeing " + count + " partitions").atMost(Duration.ofSeconds(10))
                    .until(() -> producer.partitionsFor(topic).size() == count);
        }

        /** Writes {@code count} events named {@code <prefix>-<n>} round-robin over {@code spread} partitions, in one transaction. */
        List<String> events(String prefix, int spread, int count) {
            List<String> ids = new ArrayList<>();
            producer.beginTransaction();
            for (int n = 0; n < count; n++) {
                String id = prefix + "-" + n;
                int partition = n % spread;
                ProducerRecord<byte[], byte[]> record = new ProducerRecord<>(topic, partition, utf8("key-" + partition), utf8("{}"));
                record.headers().add("ce_id", utf8(id));
                record.headers().add("mesh_origin", utf8(US));
                record.headers().add("mesh_path", utf8(US));
                record.headers().add("mesh_hops", utf8("16"));
                producer.send(record);
                partitions.put(id, partition);
                ids.add(id);
            }
            producer.commitTransaction();
            return ids;
        }

        int partitionOf(String id) {
            return partitions.get(id);
        }

        @Override
        public void close() {
            producer.close();
        }
    }

    /** Reads every partition of an arrival topic, also those added later, on a thread of its own. */
    private static final class ArrivalReader implements AutoCloseable {
        private final KafkaConsumer<byte[], byte[]> consumer;
        private final Thread thread;
        private volatile boolean running = true;

        ArrivalReader(EmbeddedKafkaCluster cluster, String topic, List<ConsumerRecord<byte[], byte[]>> arrived) {
            consumer = new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers(),
                    ConsumerConfig.METADATA_MAX_AGE_CONFIG, 500), new ByteArrayDeserializer(), new ByteArrayDeserializer());
            thread = new Thread(() -> {
                List<TopicPartition> assigned = List.of();
                while (running) {
                    List<TopicPartition> partitions = IntStream.range(0, consumer.partitionsFor(topic).size())
                            .mapToObj(p -> new TopicPartition(topic, p)).toList();
                    if (!partitions.equals(assigned)) {
                        consumer.assign(partitions);
                        List<TopicPartition> fresh = new ArrayList<>(partitions);
                        fresh.removeAll(assigned);
                        consumer.seekToBeginning(fresh);
                        assigned = partitions;
                    }
                    consumer.poll(Duration.ofMillis(100)).forEach(arrived::add);
                }
                consumer.close();
            }, "arrival-reader-" + topic);
            thread.start();
        }

        @Override
        public void close() throws InterruptedException {
            running = false;
            thread.join(5_000);
        }
    }
}
