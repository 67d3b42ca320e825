package io.meshwork.core.kafka;

import io.meshwork.core.config.InvalidSettingException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.DescribeTopicsOptions;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.config.SaslConfigs;
import org.apache.kafka.common.config.SslConfigs;
import org.apache.kafka.common.errors.AuthorizationException;

/**
 * Checks at start that a service's principal may use its topics, by asking the cluster which
 * operations the principal is authorised to perform on each (DescribeTopics with authorised
 * operations: no side effects, no test records). A principal that logs in but lacks ACLs then
 * stops the service with one line naming the key that chose the principal, instead of failing at
 * its first write, or worse, consuming nothing forever.
 */
public final class TopicAccess {

    /** What a mesh service does with its region's contract topics: it reads and writes them. */
    public static final Set<AclOperation> READ_WRITE = Set.copyOf(EnumSet.of(AclOperation.READ, AclOperation.WRITE));

    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final Pattern JAAS_USER = Pattern.compile("username\\s*=\\s*\"([^\"]*)\"");

    private final KafkaClients clients;
    private final String keyPrefix;

    /**
     * @param clients   the service's client settings (they choose the principal)
     * @param keyPrefix how the user writes these settings, e.g. {@code kafka.}: errors name {@code <prefix><key>}
     */
    public TopicAccess(KafkaClients clients, String keyPrefix) {
        this.clients = Objects.requireNonNull(clients, "clients");
        this.keyPrefix = Objects.requireNonNull(keyPrefix, "keyPrefix");
    }

    /**
     * @throws InvalidSettingException naming the principal's key when the cluster refuses any of
     *                                 {@code needed} on any of {@code topics}, listing each topic and what it lacks
     */
    public void verify(Admin admin, Collection<String> topics, Set<AclOperation> needed) {
        Map<String, TopicDescription> descriptions;
        try {
            descriptions = admin.describeTopics(topics, new DescribeTopicsOptions().includeAuthorizedOperations(true))
                    .allTopicNames().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            Optional<InvalidSettingException> refused = refused(e, "cannot describe topics " + topics + ": " + e.getCause().getMessage());
            if (refused.isPresent()) {
                throw refused.get();
            }
            throw new IllegalStateException("cannot describe topics " + topics + " at " + clients.bootstrapServers() + ": "
                    + e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException("cannot describe topics " + topics + ": " + clients.bootstrapServers()
                    + " did not answer within " + TIMEOUT.toSeconds() + " s", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while describing topics " + topics, e);
        }
        // Grouped by what is lacking, so that one missing ACL reads as one clause, not one per topic.
        Map<Set<AclOperation>, List<String>> lacking = new LinkedHashMap<>();
        for (String topic : topics) {
            Set<AclOperation> granted = descriptions.get(topic).authorizedOperations();
            // Null: the broker did not say (no authoriser answers for it), so nothing is refused.
            if (granted != null) {
                Set<AclOperation> missing = EnumSet.noneOf(AclOperation.class);
                missing.addAll(needed);
                missing.removeAll(granted);
                if (!missing.isEmpty()) {
                    lacking.computeIfAbsent(missing, m -> new ArrayList<>()).add(topic);
                }
            }
        }
        if (!lacking.isEmpty()) {
            List<String> clauses = new ArrayList<>();
            lacking.forEach((ops, names) -> clauses.add(ops.stream().map(AclOperation::name).collect(Collectors.joining(" or "))
                    + " on topic" + (names.size() == 1 ? " " : "s ") + String.join(", ", names)));
            throw new InvalidSettingException(principalKey(), principal() + " is not authorised by the cluster at "
                    + clients.bootstrapServers() + " to " + String.join("; nor to ", clauses)
                    + " (a mesh service needs READ and WRITE on its region's topics)");
        }
    }

    /**
     * The error naming the principal's key, if {@code error} (or one of its causes) is the
     * cluster refusing the principal something: for the other start-up steps (creating and
     * describing topics) that meet the refusal first.
     *
     * @param what what failed, e.g. {@code cannot create topic mesh.events: Authorization failed.}
     */
    public Optional<InvalidSettingException> refused(Throwable error, String what) {
        for (Throwable cause = error; cause != null; cause = cause.getCause()) {
            if (cause instanceof AuthorizationException) {
                return Optional.of(new InvalidSettingException(principalKey(), principal() + " is not authorised by the cluster at "
                        + clients.bootstrapServers() + ": " + what));
            }
        }
        return Optional.empty();
    }

    /** The key that chose the principal: the SASL login, else the TLS key store, else the protocol (anonymous). */
    String principalKey() {
        Map<String, String> settings = clients.settings();
        if (settings.containsKey(SaslConfigs.SASL_JAAS_CONFIG)) {
            return keyPrefix + SaslConfigs.SASL_JAAS_CONFIG;
        }
        if (settings.containsKey(SslConfigs.SSL_KEYSTORE_LOCATION_CONFIG)) {
            return keyPrefix + SslConfigs.SSL_KEYSTORE_LOCATION_CONFIG;
        }
        return keyPrefix + CommonClientConfigs.SECURITY_PROTOCOL_CONFIG;
    }

    /** {@code principal User:bob} when the SASL login names the user, else which key chose it. */
    String principal() {
        String jaas = clients.settings().get(SaslConfigs.SASL_JAAS_CONFIG);
        if (jaas != null) {
            Matcher user = JAAS_USER.matcher(jaas);
            if (user.find()) {
                return "principal User:" + user.group(1);
            }
        }
        return "the principal of " + principalKey();
    }

    @Override
    public String toString() {
        return "TopicAccess[" + clients.bootstrapServers() + "]";
    }
}
