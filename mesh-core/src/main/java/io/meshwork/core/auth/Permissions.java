package io.meshwork.core.auth;

import io.meshwork.core.topic.TopicName;
import io.meshwork.core.topic.TopicPattern;
import java.util.List;
import java.util.Objects;

/**
 * What a principal may publish and subscribe to: allow and deny lists of MQTT topic filters.
 * Deny by default (an empty allow list allows nothing), and a deny filter wins over every allow
 * filter.
 *
 * <p>A subscription pattern is allowed only if every topic it can match is allowed: some allow
 * filter covers the whole pattern and no deny filter can match any topic the pattern matches
 * ({@link TopicFilters}). A pattern that would match allowed and forbidden topics alike is
 * refused rather than delivered in part, so that a client never believes it sees a whole topic
 * tree while some of it is silently withheld.
 */
public record Permissions(List<TopicPattern> publishAllow, List<TopicPattern> publishDeny,
                          List<TopicPattern> subscribeAllow, List<TopicPattern> subscribeDeny) {

    /** Nothing allowed. */
    public static final Permissions NONE = new Permissions(List.of(), List.of(), List.of(), List.of());

    public Permissions {
        publishAllow = List.copyOf(Objects.requireNonNull(publishAllow, "publishAllow"));
        publishDeny = List.copyOf(Objects.requireNonNull(publishDeny, "publishDeny"));
        subscribeAllow = List.copyOf(Objects.requireNonNull(subscribeAllow, "subscribeAllow"));
        subscribeDeny = List.copyOf(Objects.requireNonNull(subscribeDeny, "subscribeDeny"));
    }

    /**
     * Both sets of filters together: what either allows is allowed unless either denies it (deny
     * still wins). How a token's claims and the control plane's ACL entries combine.
     */
    public Permissions union(Permissions other) {
        return new Permissions(concat(publishAllow, other.publishAllow), concat(publishDeny, other.publishDeny),
                concat(subscribeAllow, other.subscribeAllow), concat(subscribeDeny, other.subscribeDeny));
    }

    private static List<TopicPattern> concat(List<TopicPattern> a, List<TopicPattern> b) {
        return b.isEmpty() ? a : a.isEmpty() ? b : java.util.stream.Stream.concat(a.stream(), b.stream()).toList();
    }

    /** Whether publishing on {@code topic} is allowed. */
    public boolean mayPublish(TopicName topic) {
        return publishDeny.stream().noneMatch(deny -> deny.matches(topic))
                && publishAllow.stream().anyMatch(allow -> allow.matches(topic));
    }

    /** Whether subscribing to {@code pattern} is allowed: every topic it can match is allowed. */
    public boolean maySubscribe(TopicPattern pattern) {
        return subscribeDeny.stream().noneMatch(deny -> TopicFilters.mayOverlap(deny, pattern))
                && subscribeAllow.stream().anyMatch(allow -> TopicFilters.covers(allow, pattern));
    }
}
