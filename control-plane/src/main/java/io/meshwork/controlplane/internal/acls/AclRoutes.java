package io.meshwork.controlplane.internal.acls;

import static io.meshwork.controlplane.internal.JsonAnswers.json;

import io.javalin.http.Context;
import io.meshwork.controlplane.internal.ApiProblem;
import io.meshwork.controlplane.internal.JsonRequests;
import io.meshwork.core.auth.AclEntry;
import java.util.Map;
import java.util.UUID;

/**
 * The ACL API: {@code POST /v1/acls}, {@code GET /v1/acls[?principal=]}, {@code GET|DELETE /v1/acls/{id}}.
 * Entries are not edited in place (delete one and create another), so an edge never holds a half
 * changed entry. Bad input is a 400 naming the field, a duplicate entry a 409, an unknown id a 404.
 */
public final class AclRoutes {

    private final AclEntries entries;
    private final AclDistribution distribution;

    public AclRoutes(AclEntries entries, AclDistribution distribution) {
        this.entries = entries;
        this.distribution = distribution;
    }

    public void create(Context ctx) {
        JsonRequests.handle(ctx, () -> {
            AclRequest request = AclRequest.from(JsonRequests.body(ctx));
            json(ctx, 201, AclEntries.view(distribution.create(() -> entries.create(request))));
        });
    }

    public void list(Context ctx) {
        String principal = ctx.queryParam("principal");
        json(ctx, 200, Map.of("acls", entries.list(principal).stream().map(AclEntries::view).toList()));
    }

    public void get(Context ctx) {
        JsonRequests.handle(ctx, () -> json(ctx, 200, AclEntries.view(existing(ctx))));
    }

    public void delete(Context ctx) {
        JsonRequests.handle(ctx, () -> {
            AclEntry entry = existing(ctx);
            if (!distribution.delete(entry.id(), () -> entries.delete(entry.id()))) {
                throw notFound(entry.id().toString());
            }
            ctx.status(204);
        });
    }

    private AclEntry existing(Context ctx) {
        UUID id = JsonRequests.pathId(ctx, "INVALID_ACL_ID", "an ACL entry");
        return entries.find(id).orElseThrow(() -> notFound(id.toString()));
    }

    private static ApiProblem notFound(String id) {
        return new ApiProblem(404, "UNKNOWN_ACL", "id", "no ACL entry with id " + id);
    }
}
