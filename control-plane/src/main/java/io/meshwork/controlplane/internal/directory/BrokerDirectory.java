package io.meshwork.controlplane.internal.directory;

import static io.meshwork.controlplane.db.Tables.BROKER_NODES;

import io.meshwork.controlplane.db.tables.records.BrokerNodesRecord;
import io.meshwork.core.directory.NodeHeartbeat;
import io.meshwork.core.directory.NodeRole;
import io.meshwork.core.directory.NodeStatus;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.impl.DSL;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The broker directory ({@code broker_nodes}): every edge and router registers and stays alive
 * through its heartbeats; a node silent for longer than the timeout is marked OFFLINE. Clients
 * are handed the least-loaded ACTIVE edge of a region (the seed's allocation query, on
 * {@code idx_brokers_region_status}).
 */
public final class BrokerDirectory {

    private static final Logger LOG = LoggerFactory.getLogger(BrokerDirectory.class);

    private final DSLContext dsl;
    private final Map<String, UUID> ids = new ConcurrentHashMap<>();

    public BrokerDirectory(DSLContext dsl) {
        this.dsl = dsl;
    }

    /**
     * Records a heartbeat: registers the node or refreshes it. An operator's DRAINING stays until
     * the operator lifts it; a heartbeat from the future counts as sent now.
     */
    public void heartbeat(NodeHeartbeat beat) {
        OffsetDateTime sent = OffsetDateTime.ofInstant(Instant.ofEpochMilli(beat.sentAtMs()), ZoneOffset.UTC);
        var status = DSL.when(BROKER_NODES.BROKER_STATUS.eq(NodeStatus.DRAINING.name())
                        .and(DSL.inline(beat.status().name()).eq(NodeStatus.ACTIVE.name())), NodeStatus.DRAINING.name())
                .otherwise(beat.status().name());
        UUID id = dsl.insertInto(BROKER_NODES)
                .set(BROKER_NODES.BROKER_NAME, beat.name())
                .set(BROKER_NODES.IP_ADDRESS, beat.ipAddress())
                .set(BROKER_NODES.DATACENTER_REGION, beat.region())
                .set(BROKER_NODES.BROKER_STATUS, beat.status().name())
                .set(BROKER_NODES.ACTIVE_CONNECTIONS_COUNT, beat.connections())
                .set(BROKER_NODES.CPU_UTILIZATION, cpu(beat.cpuPercent()))
                .set(BROKER_NODES.LAST_HEARTBEAT_AT, DSL.least(DSL.val(sent), DSL.currentOffsetDateTime()))
                .set(BROKER_NODES.NODE_ROLE, beat.role().name())
                .set(BROKER_NODES.ENDPOINT, beat.endpoint())
                .onConflict(BROKER_NODES.BROKER_NAME).doUpdate()
                .set(BROKER_NODES.IP_ADDRESS, beat.ipAddress())
                .set(BROKER_NODES.DATACENTER_REGION, beat.region())
                .set(BROKER_NODES.BROKER_STATUS, status)
                .set(BROKER_NODES.ACTIVE_CONNECTIONS_COUNT, beat.connections())
                .set(BROKER_NODES.CPU_UTILIZATION, cpu(beat.cpuPercent()))
                // Heartbeats replayed after a control plane restart must not make a node look younger.
                .set(BROKER_NODES.LAST_HEARTBEAT_AT, DSL.greatest(BROKER_NODES.LAST_HEARTBEAT_AT,
                        DSL.least(DSL.val(sent), DSL.currentOffsetDateTime())))
                .set(BROKER_NODES.NODE_ROLE, beat.role().name())
                .set(BROKER_NODES.ENDPOINT, beat.endpoint())
                .returning(BROKER_NODES.BROKER_ID)
                .fetchOne(BROKER_NODES.BROKER_ID);
        if (id != null && ids.put(beat.name(), id) == null) {
            LOG.info("region {}: {} {} registered in the broker directory ({})", beat.region(), beat.role(), beat.name(), beat.status());
        }
    }

    /** Marks every node silent for longer than {@code timeout} OFFLINE; returns their names. */
    public List<String> expire(Duration timeout) {
        List<String> expired = dsl.update(BROKER_NODES)
                .set(BROKER_NODES.BROKER_STATUS, NodeStatus.OFFLINE.name())
                .where(BROKER_NODES.BROKER_STATUS.ne(NodeStatus.OFFLINE.name()))
                .and(DSL.condition("{0} < now() - ({1} * interval '1 millisecond')", BROKER_NODES.LAST_HEARTBEAT_AT,
                        DSL.val(timeout.toMillis())))
                .returning(BROKER_NODES.BROKER_NAME, BROKER_NODES.DATACENTER_REGION)
                .fetch()
                .map(r -> {
                    LOG.info("region {}: {} missed its heartbeats for {} ms; marked OFFLINE", r.get(BROKER_NODES.DATACENTER_REGION),
                            r.get(BROKER_NODES.BROKER_NAME), timeout.toMillis());
                    return r.get(BROKER_NODES.BROKER_NAME);
                });
        return expired;
    }

    /** Nodes, optionally of one region and/or status, by region and name. */
    public List<BrokerNodesRecord> list(String region, NodeStatus status) {
        Condition where = DSL.trueCondition();
        if (region != null) {
            where = where.and(BROKER_NODES.DATACENTER_REGION.eq(region));
        }
        if (status != null) {
            where = where.and(BROKER_NODES.BROKER_STATUS.eq(status.name()));
        }
        return dsl.selectFrom(BROKER_NODES).where(where)
                .orderBy(BROKER_NODES.DATACENTER_REGION, BROKER_NODES.NODE_ROLE, BROKER_NODES.BROKER_NAME).fetch();
    }

    /** The seed's allocation query: the least-loaded ACTIVE edge of {@code region}. */
    public Optional<BrokerNodesRecord> leastLoadedEdge(String region) {
        return allocationQuery(region).fetchOptional();
    }

    /** The allocation query itself (for EXPLAIN). */
    public org.jooq.SelectLimitPercentStep<BrokerNodesRecord> allocationQuery(String region) {
        return dsl.selectFrom(BROKER_NODES)
                .where(BROKER_NODES.DATACENTER_REGION.eq(region))
                .and(BROKER_NODES.BROKER_STATUS.eq(NodeStatus.ACTIVE.name()))
                .and(BROKER_NODES.NODE_ROLE.eq(NodeRole.EDGE.name()))
                .orderBy(BROKER_NODES.ACTIVE_CONNECTIONS_COUNT, BROKER_NODES.CPU_UTILIZATION, BROKER_NODES.LAST_HEARTBEAT_AT.desc())
                .limit(1);
    }

    public Optional<BrokerNodesRecord> byId(UUID id) {
        return dsl.selectFrom(BROKER_NODES).where(BROKER_NODES.BROKER_ID.eq(id)).fetchOptional();
    }

    /** Sets a node's status by hand (e.g. DRAINING before maintenance); false when there is no such node. */
    public boolean setStatus(UUID id, NodeStatus status) {
        return dsl.update(BROKER_NODES).set(BROKER_NODES.BROKER_STATUS, status.name()).where(BROKER_NODES.BROKER_ID.eq(id)).execute() == 1;
    }

    /**
     * The id of the node called {@code name}; a node known only from trace hops (its first heartbeat
     * not read yet) is registered OFFLINE until its heartbeat arrives.
     */
    public UUID idOf(String name, String region, NodeRole role) {
        UUID known = ids.get(name);
        if (known != null) {
            return known;
        }
        dsl.insertInto(BROKER_NODES)
                .set(BROKER_NODES.BROKER_NAME, name)
                .set(BROKER_NODES.IP_ADDRESS, "unknown")
                .set(BROKER_NODES.DATACENTER_REGION, region)
                .set(BROKER_NODES.BROKER_STATUS, NodeStatus.OFFLINE.name())
                .set(BROKER_NODES.NODE_ROLE, role.name())
                .set(BROKER_NODES.LAST_HEARTBEAT_AT, DSL.field("now() - interval '1 day'", OffsetDateTime.class))
                .onConflict(BROKER_NODES.BROKER_NAME).doNothing()
                .execute();
        UUID id = dsl.select(BROKER_NODES.BROKER_ID).from(BROKER_NODES).where(BROKER_NODES.BROKER_NAME.eq(name))
                .fetchOne(BROKER_NODES.BROKER_ID);
        ids.put(name, id);
        return id;
    }

    private static BigDecimal cpu(double percent) {
        return BigDecimal.valueOf(percent).setScale(2, RoundingMode.HALF_UP);
    }
}
