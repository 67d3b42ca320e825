package io.meshwork.controlplane.internal;

import io.javalin.http.Context;
import io.javalin.http.Handler;
import io.javalin.http.HandlerType;
import io.meshwork.core.auth.AuthSettings;
import io.meshwork.core.auth.MeshPrincipal;
import io.meshwork.core.auth.TokenRejected;
import io.meshwork.core.auth.TokenVerifier;
import io.meshwork.core.metrics.MeshMetrics;
import io.micrometer.core.instrument.Counter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * With auth on, the control plane's changing requests (link cut/heal, region drills, routing rules,
 * ACL entries, broker status), and every read of rules and ACL entries, need a bearer token whose
 * {@code mesh_roles} holds {@value MeshPrincipal#ADMIN_ROLE}:
 * 401 with the JSON error body without a valid token, 403 without the role. Reads (health,
 * topology, traces, ops, metrics, the broker directory) stay open, as monitoring needs them.
 * Refusals are counted as {@code mesh.controlplane.auth.refused{reason}}; a token is never logged.
 */
public final class AdminGuard implements Handler {

    private static final Logger LOG = LoggerFactory.getLogger(AdminGuard.class);

    private final TokenVerifier verifier;

    /** @param settings must have auth enabled */
    public AdminGuard(AuthSettings settings) {
        this.verifier = new TokenVerifier(settings);
    }

    @Override
    public void handle(Context ctx) {
        boolean adminReads = ctx.path().startsWith("/v1/rules") || ctx.path().startsWith("/v1/acls"); // who may do what is not public
        if (ctx.method() == HandlerType.GET && !adminReads || ctx.method() == HandlerType.OPTIONS) {
            return; // the broker directory is read by every service
        }
        String token = TokenVerifier.bearerToken(ctx.header("Authorization"));
        MeshPrincipal principal;
        try {
            principal = verifier.verify(token);
        } catch (TokenRejected rejected) {
            refuse(ctx, 401, "UNAUTHENTICATED", rejected.reason().tag(), rejected.getMessage());
            LOG.info("control plane: {} {} refused ({}): {}", ctx.method(), ctx.path(), rejected.reason().tag(), rejected.getMessage());
            return;
        }
        if (!principal.hasRole(MeshPrincipal.ADMIN_ROLE)) {
            LOG.info("control plane: {} {} refused: principal {} lacks the {} role", ctx.method(), ctx.path(), principal.name(),
                    MeshPrincipal.ADMIN_ROLE);
            refuse(ctx, 403, "NOT_AUTHORIZED", "not_admin", "principal " + principal.name() + " lacks the "
                    + MeshPrincipal.ADMIN_ROLE + " role this request needs");
        }
    }

    private static void refuse(Context ctx, int status, String code, String reason, String message) {
        Counter.builder("mesh.controlplane.auth.refused").description("Admin API requests refused for their token or role")
                .tag("reason", reason).register(MeshMetrics.registry()).increment();
        if (status == 401) {
            ctx.header("WWW-Authenticate", "Bearer");
        }
        JsonAnswers.error(ctx, status, code, "authorization", message);
        ctx.skipRemainingHandlers();
    }
}
