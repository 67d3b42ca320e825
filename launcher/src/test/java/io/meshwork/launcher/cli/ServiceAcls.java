package io.meshwork.launcher.cli;

import io.meshwork.core.kafka.MeshKafkaTopics;
import io.meshwork.core.kafka.TopicContract;
import io.meshwork.core.kafka.TopicSpec;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;

/**
 * The Kafka ACLs each mesh service's principal needs in one region's cluster, exactly as the
 * README's "Kafka ACLs a real deployment needs" lists them, so that a test running the services
 * under an authoriser with these grants and no others proves the list complete.
 */
final class ServiceAcls {

    private final String region;
    private final List<String> neighbours;

    /** The grants in {@code region}'s cluster, whose neighbours are {@code neighbours}. */
    ServiceAcls(String region, List<String> neighbours) {
        this.region = region;
        this.neighbours = List.copyOf(neighbours);
    }

    /**
     * What every service that creates or checks the region's topics (edge, router, links) needs:
     * on each contract topic, READ and WRITE (which imply DESCRIBE), CREATE (unless
     * {@code mesh.topics.create=false}) and DESCRIBE_CONFIGS: the contract check compares the
     * configs of every topic that exists, so every service but the one that creates them needs it
     * (the README's list lacked it).
     */
    List<AclBinding> contractTopics(String principal) {
        List<AclBinding> acls = new ArrayList<>();
        for (TopicSpec topic : TopicContract.embedded(region, neighbours).topics()) {
            for (AclOperation operation : List.of(AclOperation.READ, AclOperation.WRITE, AclOperation.CREATE,
                    AclOperation.DESCRIBE_CONFIGS)) {
                acls.add(allow(principal, ResourceType.TOPIC, topic.name(), PatternType.LITERAL, operation));
            }
        }
        return acls;
    }

    /** The edge: the contract topics, nothing else (it reads by assignment, in no consumer group). */
    List<AclBinding> edge(String principal) {
        return contractTopics(principal);
    }

    /**
     * The router: the contract topics; its Kafka Streams group; its transactional ids
     * (exactly-once); its state stores' changelogs (created by Kafka Streams).
     */
    List<AclBinding> router(String principal) {
        String applicationId = "meshwork-router-" + region;
        List<AclBinding> acls = new ArrayList<>(contractTopics(principal));
        acls.add(allow(principal, ResourceType.GROUP, applicationId, PatternType.LITERAL, AclOperation.READ));
        for (AclOperation operation : List.of(AclOperation.WRITE, AclOperation.DESCRIBE)) {
            acls.add(allow(principal, ResourceType.TRANSACTIONAL_ID, applicationId, PatternType.PREFIXED, operation));
        }
        for (AclOperation operation : List.of(AclOperation.CREATE, AclOperation.READ, AclOperation.WRITE, AclOperation.DESCRIBE_CONFIGS)) {
            acls.add(allow(principal, ResourceType.TOPIC, applicationId + "-", PatternType.PREFIXED, operation));
        }
        return acls;
    }

    /**
     * The links run by this region: the contract topics, and the push links' progress groups
     * ({@code meshwork-link-<region>-to-<neighbour>}) over the spools they read.
     */
    List<AclBinding> links(String principal) {
        List<AclBinding> acls = new ArrayList<>(contractTopics(principal));
        for (String neighbour : neighbours) {
            acls.add(allow(principal, ResourceType.GROUP, "meshwork-link-" + region + "-to-" + neighbour, PatternType.LITERAL,
                    AclOperation.READ));
        }
        return acls;
    }

    /**
     * The links of {@code neighbour}, in this region's cluster: its push link writes the arrivals
     * {@code <neighbour>.mesh.link.<region>}; its control channel reads {@code mesh.routes},
     * {@code mesh.beats} and {@code mesh.retained} in group {@code meshwork-control-<neighbour>}.
     */
    List<AclBinding> neighbourLinks(String principal, String neighbour) {
        List<AclBinding> acls = new ArrayList<>();
        acls.add(allow(principal, ResourceType.TOPIC, MeshKafkaTopics.arrivals(neighbour, region), PatternType.LITERAL,
                AclOperation.WRITE));
        acls.add(allow(principal, ResourceType.GROUP, "meshwork-control-" + neighbour, PatternType.LITERAL, AclOperation.READ));
        for (String topic : List.of(MeshKafkaTopics.ROUTES, MeshKafkaTopics.BEATS, MeshKafkaTopics.RETAINED)) {
            acls.add(allow(principal, ResourceType.TOPIC, topic, PatternType.LITERAL, AclOperation.READ));
        }
        return acls;
    }

    /**
     * The control plane: its feed's group {@code meshwork-control-plane}; READ on the heartbeats,
     * traces, interest and routes; WRITE on {@code mesh.interest} (routing rules are interest);
     * READ and WRITE on {@code mesh.acls} (it writes its ACL entries there and follows what the
     * topic holds, to repair it).
     */
    List<AclBinding> controlPlane(String principal) {
        List<AclBinding> acls = new ArrayList<>();
        acls.add(allow(principal, ResourceType.GROUP, "meshwork-control-plane", PatternType.LITERAL, AclOperation.READ));
        for (String topic : List.of(MeshKafkaTopics.HEARTBEATS, MeshKafkaTopics.TRACES, MeshKafkaTopics.INTEREST, MeshKafkaTopics.ROUTES)) {
            acls.add(allow(principal, ResourceType.TOPIC, topic, PatternType.LITERAL, AclOperation.READ));
        }
        acls.add(allow(principal, ResourceType.TOPIC, MeshKafkaTopics.INTEREST, PatternType.LITERAL, AclOperation.WRITE));
        for (AclOperation operation : List.of(AclOperation.READ, AclOperation.WRITE)) {
            acls.add(allow(principal, ResourceType.TOPIC, MeshKafkaTopics.ACLS, PatternType.LITERAL, operation));
        }
        return acls;
    }

    /** {@code acls} without the one grant of {@code operation} on topic {@code topic}. */
    static List<AclBinding> without(List<AclBinding> acls, String topic, AclOperation operation) {
        List<AclBinding> fewer = acls.stream().filter(acl -> !(acl.pattern().resourceType() == ResourceType.TOPIC
                && acl.pattern().name().equals(topic) && acl.entry().operation() == operation)).toList();
        if (fewer.size() != acls.size() - 1) {
            throw new IllegalArgumentException("expected exactly one grant of " + operation + " on " + topic + " in " + acls);
        }
        return fewer;
    }

    private static AclBinding allow(String principal, ResourceType type, String name, PatternType pattern, AclOperation operation) {
        return new AclBinding(new ResourcePattern(type, name, pattern),
                new AccessControlEntry("User:" + principal, "*", operation, AclPermissionType.ALLOW));
    }
}
