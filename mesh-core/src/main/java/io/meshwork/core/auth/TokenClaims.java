package io.meshwork.core.auth;

import com.nimbusds.jwt.JWTClaimsSet;
import io.meshwork.core.auth.TokenRejected.Reason;
import io.meshwork.core.topic.InvalidTopicException;
import io.meshwork.core.topic.TopicPattern;
import java.text.ParseException;
import java.util.HashSet;
import java.util.List;

/**
 * The claims a mesh token carries beside the registered ones ({@code sub} is the principal,
 * {@code iss}, {@code aud}, {@code exp}, {@code nbf}), and how they become a {@link MeshPrincipal}.
 * Each is a JSON array of strings; a missing one is empty.
 */
public final class TokenClaims {

    /** Topic filters the principal may publish to. */
    public static final String PUBLISH = "mesh_pub";
    /** Topic filters the principal may never publish to, whatever {@value #PUBLISH} says. */
    public static final String PUBLISH_DENY = "mesh_pub_deny";
    /** Topic filters whose every topic the principal may subscribe to. */
    public static final String SUBSCRIBE = "mesh_sub";
    /** Topic filters no subscription of the principal may reach, whatever {@value #SUBSCRIBE} says. */
    public static final String SUBSCRIBE_DENY = "mesh_sub_deny";
    /** Roles, e.g. {@value MeshPrincipal#ADMIN_ROLE}. */
    public static final String ROLES = "mesh_roles";

    private TokenClaims() {
    }

    /**
     * The principal a verified token names.
     *
     * @throws TokenRejected {@link Reason#INVALID_CLAIMS} naming the claim that is missing or misshapen
     */
    public static MeshPrincipal principal(JWTClaimsSet claims) throws TokenRejected {
        String subject = claims.getSubject();
        if (subject == null || subject.isBlank()) {
            throw new TokenRejected(Reason.INVALID_CLAIMS, "the token has no sub (principal) claim");
        }
        if (claims.getExpirationTime() == null) {
            throw new TokenRejected(Reason.INVALID_CLAIMS, "the token has no exp claim; the mesh accepts only tokens that expire");
        }
        Permissions permissions = new Permissions(filters(claims, PUBLISH), filters(claims, PUBLISH_DENY),
                filters(claims, SUBSCRIBE), filters(claims, SUBSCRIBE_DENY));
        return new MeshPrincipal(subject, new HashSet<>(strings(claims, ROLES)), permissions,
                claims.getExpirationTime().toInstant());
    }

    private static List<TopicPattern> filters(JWTClaimsSet claims, String name) throws TokenRejected {
        List<String> values = strings(claims, name);
        try {
            return values.stream().map(TopicPattern::parse).toList();
        } catch (InvalidTopicException e) {
            throw new TokenRejected(Reason.INVALID_CLAIMS, "claim " + name + " holds an invalid topic filter: " + e.getMessage());
        }
    }

    private static List<String> strings(JWTClaimsSet claims, String name) throws TokenRejected {
        try {
            List<String> values = claims.getStringListClaim(name);
            if (values == null) {
                return List.of();
            }
            if (values.contains(null)) {
                throw new TokenRejected(Reason.INVALID_CLAIMS, "claim " + name + " holds a null");
            }
            return values;
        } catch (ParseException e) {
            throw new TokenRejected(Reason.INVALID_CLAIMS, "claim " + name + " must be an array of strings");
        }
    }
}
