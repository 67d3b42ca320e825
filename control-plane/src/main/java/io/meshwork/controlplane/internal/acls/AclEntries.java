package io.meshwork.controlplane.internal.acls;

import static io.meshwork.controlplane.db.Tables.ACL_ENTRIES;

import io.meshwork.controlplane.db.tables.records.AclEntriesRecord;
import io.meshwork.controlplane.internal.ApiProblem;
import io.meshwork.core.auth.AclEntry;
import io.meshwork.core.topic.TopicPattern;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.jooq.DSLContext;
import org.jooq.exception.IntegrityConstraintViolationException;
import org.jooq.impl.DSL;

/** The ACL entries the control plane keeps ({@code acl_entries}), the source of truth that {@link AclDistribution} copies. */
public final class AclEntries {

    private final DSLContext dsl;

    public AclEntries(DSLContext dsl) {
        this.dsl = dsl;
    }

    /** @throws ApiProblem 409 when the same (principal, action, effect, filter) exists */
    public AclEntry create(AclRequest request) {
        try {
            return entry(dsl.insertInto(ACL_ENTRIES)
                    .set(ACL_ENTRIES.PRINCIPAL, request.principal())
                    .set(ACL_ENTRIES.ACL_ACTION, request.action().tag())
                    .set(ACL_ENTRIES.ACL_EFFECT, request.effect().tag())
                    .set(ACL_ENTRIES.TOPIC_FILTER, request.filter().value())
                    .returning().fetchOne());
        } catch (IntegrityConstraintViolationException e) {
            if (e.getMessage() != null && e.getMessage().contains("uk_acl_entry")) {
                throw new ApiProblem(409, "DUPLICATE_ACL", AclRequest.FILTER, "principal " + request.principal() + " already has "
                        + request.effect().tag() + " " + request.action().tag() + " '" + request.filter().value() + "'");
            }
            throw e;
        }
    }

    public Optional<AclEntry> find(UUID id) {
        return dsl.selectFrom(ACL_ENTRIES).where(ACL_ENTRIES.ACL_ID.eq(id)).fetchOptional().map(AclEntries::entry);
    }

    /** Every entry, or those of one principal, oldest first. */
    public List<AclEntry> list(String principal) {
        return dsl.selectFrom(ACL_ENTRIES)
                .where(principal == null ? DSL.trueCondition() : ACL_ENTRIES.PRINCIPAL.eq(principal))
                .orderBy(ACL_ENTRIES.CREATED_AT, ACL_ENTRIES.ACL_ID).fetch(AclEntries::entry);
    }

    public boolean delete(UUID id) {
        return dsl.deleteFrom(ACL_ENTRIES).where(ACL_ENTRIES.ACL_ID.eq(id)).execute() == 1;
    }

    /** The JSON view of an entry. */
    public static Map<String, Object> view(AclEntry entry) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("aclId", entry.id().toString());
        view.put(AclRequest.PRINCIPAL, entry.principal());
        view.put(AclRequest.ACTION, entry.action().tag());
        view.put(AclRequest.EFFECT, entry.effect().tag());
        view.put(AclRequest.FILTER, entry.filter().value());
        view.put("createdAt", entry.createdAt().toString());
        return view;
    }

    private static AclEntry entry(AclEntriesRecord row) {
        return new AclEntry(row.getAclId(), row.getPrincipal(), AclEntry.Action.parse(row.getAclAction()),
                AclEntry.Effect.parse(row.getAclEffect()), TopicPattern.parse(row.getTopicFilter()), row.getCreatedAt().toInstant());
    }
}
