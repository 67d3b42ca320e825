package io.meshwork.launcher.processes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/** Kafka clusters whose brokers are separate processes ({@code mesh kafka-server}), driven by real clients. */
@Tag("integration")
@Timeout(240)
class KafkaProcessClusterTest {

    private static final ScramUser ALICE = new ScramUser("alice", "alice-secret");
    /** Logs in, but no ACL grants it anything. */
    private static final ScramUser BOB = new ScramUser("bob", "bob-secret");
    /** May create, describe and read every topic, but not write. */
    private static final ScramUser CAROL = new ScramUser("carol", "carol-secret");

    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    Path dir;

    /** Where the shared cluster lives: a class's directory, deleted after the cluster stops. */
    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    static Path securedDir;

    /** One SCRAM cluster with an authoriser (alice its super user), shared by the tests of logins and ACLs. */
    private static KafkaProcessCluster secured;

    private static synchronized KafkaProcessCluster secured() {
        if (secured == null) {
            secured = KafkaProcessCluster.startWithAcls("eu-west-1", ALICE, List.of(BOB, CAROL), securedDir);
        }
        return secured;
    }

    @AfterAll
    static synchronized void stopSecuredCluster() {
        if (secured != null) {
            secured.close();
            secured = null;
        }
    }

    @Test
    void threeBrokerClusterKeepsEveryAcknowledgedRecordWhenTheLeaderIsKilled() throws Exception {
        try (KafkaProcessCluster cluster = KafkaProcessCluster.start("us-east-1", 3, Optional.empty(), dir)) {
            cluster.admin().createTopics(List.of(new NewTopic("orders", 1, (short) 3)
                    .configs(Map.of("min.insync.replicas", "2")))).all().get(30, TimeUnit.SECONDS);
            try (KafkaProducer<String, String> producer = producer(cluster.clientConfig())) {
                for (int i = 0; i < 50; i++) {
                    producer.send(new ProducerRecord<>("orders", "order-" + i)).get(30, TimeUnit.SECONDS);
                }
                int leader = cluster.admin().describeTopics(List.of("orders")).allTopicNames().get(10, TimeUnit.SECONDS)
                        .get("orders").partitions().get(0).leader().id();

                cluster.kill(leader);

                for (int i = 50; i < 100; i++) {
                    producer.send(new ProducerRecord<>("orders", "order-" + i)).get(60, TimeUnit.SECONDS);
                }
                assertThat(cluster.process(leader).isAlive()).isFalse();
                assertThat(cluster.admin().describeTopics(List.of("orders")).allTopicNames().get(10, TimeUnit.SECONDS)
                        .get("orders").partitions().get(0).leader().id()).isNotEqualTo(leader);
            }
            List<String> expected = new ArrayList<>();
            for (int i = 0; i < 100; i++) {
                expected.add("order-" + i);
            }
            assertThat(readAll(cluster.clientConfig(), "orders", 100)).containsExactlyElementsOf(expected);
        }
    }

    @Test
    void scramClusterRefusesClientsWithoutTheUsersPasswordAndServesTheUser() throws Exception {
        KafkaProcessCluster cluster = secured();
        Map<String, Object> anonymous = Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers());
        assertThatThrownBy(() -> describe(anonymous))
                .isInstanceOf(ExecutionException.class)
                .hasCauseInstanceOf(org.apache.kafka.common.errors.TimeoutException.class);

        Map<String, Object> wrongPassword = new HashMap<>(cluster.clientConfig());
        wrongPassword.putAll(new ScramUser("alice", "not-her-secret").clientConfig());
        assertThatThrownBy(() -> describe(wrongPassword))
                .isInstanceOf(ExecutionException.class)
                .hasCauseInstanceOf(SaslAuthenticationException.class);

        assertThat(describe(cluster.clientConfig())).isEqualTo(1);
        cluster.admin().createTopics(List.of(new NewTopic("payments", 1, (short) 1))).all().get(30, TimeUnit.SECONDS);
        try (KafkaProducer<String, String> producer = producer(cluster.clientConfig())) {
            producer.send(new ProducerRecord<>("payments", "paid")).get(30, TimeUnit.SECONDS);
        }
        assertThat(readAll(cluster.clientConfig(), "payments", 1)).containsExactly("paid");

        // A mesh service given the wrong password stops at start, with one line naming the key.
        Map<String, Object> keys = new HashMap<>(ServiceConfigFile.prefixed("kafka.", wrongPassword));
        keys.put("mesh.region", "eu-west-1");
        Path file = ServiceConfigFile.write(dir.resolve("wrong-password-edge.yaml"), keys);
        MeshServiceProcess edge = MeshServiceProcess.start("wrong-password-edge", dir, List.of("edge", "--config", file.toString()));
        assertThat(edge.awaitExit(Duration.ofSeconds(60))).isEqualTo(2);
        assertThat(Files.readString(edge.stderr()).strip()).startsWith("mesh edge: " + file + ": kafka.sasl.jaas.config: ")
                .doesNotContain("not-her-secret").doesNotContain("\n");
    }

    @Test
    void servicesStopAtStartNamingThePrincipalThatLacksAclsOnTheMeshTopics() throws Exception {
        KafkaProcessCluster cluster = secured();
        cluster.admin().createAcls(List.of(allowOnEveryTopic(CAROL, AclOperation.CREATE),
                allowOnEveryTopic(CAROL, AclOperation.DESCRIBE_CONFIGS), allowOnEveryTopic(CAROL, AclOperation.READ)))
                .all().get(30, TimeUnit.SECONDS);
        // bob has no ACL at all, carol may create, describe and read but not write; bob's second
        // edge only verifies the topics (mesh.topics.create=false), to which they look missing.
        List<Refused> runs = List.of(new Refused(BOB, "edge", true), new Refused(BOB, "router", true),
                new Refused(BOB, "edge", false), new Refused(CAROL, "edge", true), new Refused(CAROL, "router", true));
        Map<Refused, MeshServiceProcess> started = new java.util.LinkedHashMap<>();
        for (Refused run : runs) {
            Map<String, Object> keys = new HashMap<>(ServiceConfigFile.prefixed("kafka.", cluster.clientConfig()));
            keys.putAll(ServiceConfigFile.prefixed("kafka.", run.user().clientConfig()));
            keys.put("mesh.region", "eu-west-1");
            keys.put("mesh.topics.create", run.createTopics());
            keys.put(run.service() + ".replication.factor", 1);
            if (run.service().equals("router")) {
                keys.put("router.state.dir", dir.resolve(run.name() + "-state"));
            }
            ServiceConfigFile.write(run.file(dir), keys);
            started.put(run, MeshServiceProcess.start(run.name(), dir, List.of(run.service(), "--config", run.file(dir).toString())));
        }
        for (Map.Entry<Refused, MeshServiceProcess> process : started.entrySet()) {
            Refused run = process.getKey();
            assertThat(process.getValue().awaitExit(Duration.ofSeconds(90))).as(run.name()).isEqualTo(2);
            String stderr = Files.readString(process.getValue().stderr()).strip();
            System.out.println(run.name() + " stopped with: " + stderr);
            assertThat(stderr).as(run.name())
                    .startsWith("mesh " + run.service() + ": " + run.file(dir) + ": kafka.sasl.jaas.config: principal User:"
                            + run.user().name() + " is not authorised")
                    .doesNotContain("-secret").doesNotContain("\n").doesNotContain("Exception");
            if (run.user().equals(BOB)) {
                // Without any ACL bob does not even see the topics: creating or describing them is what gets refused.
                assertThat(stderr).as(run.name()).containsPattern("topics? \\[?mesh\\.");
            } else {
                assertThat(stderr).as(run.name()).contains("to WRITE on topics mesh.events, ");
            }
        }
    }

    /** A service started as {@code user}, which must stop at start. */
    private record Refused(ScramUser user, String service, boolean createTopics) {

        String name() {
            return user.name() + "-" + service + (createTopics ? "" : "-verify-only");
        }

        Path file(Path dir) {
            return dir.resolve(name() + ".yaml");
        }
    }

    private static AclBinding allowOnEveryTopic(ScramUser user, AclOperation operation) {
        return new AclBinding(new ResourcePattern(ResourceType.TOPIC, ResourcePattern.WILDCARD_RESOURCE, PatternType.LITERAL),
                new AccessControlEntry("User:" + user.name(), "*", operation, AclPermissionType.ALLOW));
    }

    /** How many brokers the cluster reports to a client with this config; fails within a few seconds. */
    private static int describe(Map<String, Object> config) throws Exception {
        Map<String, Object> quick = new HashMap<>(config);
        quick.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 2000);
        quick.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 4000);
        try (Admin admin = Admin.create(quick)) {
            return admin.describeCluster().nodes().get(10, TimeUnit.SECONDS).size();
        }
    }

    private static KafkaProducer<String, String> producer(Map<String, Object> clientConfig) {
        Map<String, Object> config = new HashMap<>(clientConfig);
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        return new KafkaProducer<>(config, new StringSerializer(), new StringSerializer());
    }

    /** The first {@code count} values of the topic's single partition, read from the beginning. */
    private static List<String> readAll(Map<String, Object> clientConfig, String topic, int count) {
        Map<String, Object> config = new HashMap<>(clientConfig);
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        List<String> values = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(config, new StringDeserializer(), new StringDeserializer())) {
            TopicPartition partition = new TopicPartition(topic, 0);
            consumer.assign(List.of(partition));
            consumer.seekToBeginning(List.of(partition));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (values.size() < count && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(record -> values.add(record.value()));
            }
        }
        return values;
    }
}
