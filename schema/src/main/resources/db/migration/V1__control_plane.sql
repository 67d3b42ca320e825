-- The control plane's tables, as the seed designs them (broker_nodes, event_routing_rules,
-- message_trace_logs), plus the columns the mesh needs beside them. Added columns are named
-- in comments; nothing of the seed's is renamed or retyped.

CREATE TABLE broker_nodes (
    broker_id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    broker_name VARCHAR(128) NOT NULL UNIQUE,
    ip_address VARCHAR(45) NOT NULL,
    datacenter_region VARCHAR(64) NOT NULL,
    broker_status VARCHAR(32) NOT NULL DEFAULT 'ACTIVE', -- ACTIVE, DRAINING, OFFLINE
    active_connections_count INT NOT NULL DEFAULT 0,
    cpu_utilization DECIMAL(5, 2) NOT NULL DEFAULT 0.00,
    last_heartbeat_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),
    created_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),
    -- added: EDGE or ROUTER (only edges are handed to clients), and where clients reach the node
    node_role VARCHAR(16) NOT NULL DEFAULT 'EDGE',
    endpoint VARCHAR(256),
    CONSTRAINT ck_broker_status CHECK (broker_status IN ('ACTIVE', 'DRAINING', 'OFFLINE')),
    CONSTRAINT ck_node_role CHECK (node_role IN ('EDGE', 'ROUTER', 'CONTROL_PLANE')),
    CONSTRAINT ck_cpu_utilization CHECK (cpu_utilization BETWEEN 0 AND 100),
    CONSTRAINT ck_connections CHECK (active_connections_count >= 0)
);

CREATE INDEX idx_brokers_region_status ON broker_nodes (datacenter_region, broker_status);

CREATE TABLE event_routing_rules (
    rule_id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    source_topic_pattern VARCHAR(256) NOT NULL,
    destination_broker_id UUID NOT NULL REFERENCES broker_nodes(broker_id) ON DELETE CASCADE,
    filter_expression TEXT, -- Optional SQL-like payload selector filter
    rule_status VARCHAR(32) NOT NULL DEFAULT 'ACTIVE', -- ACTIVE, SUSPENDED
    created_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),
    updated_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),
    CONSTRAINT uk_topic_broker UNIQUE (source_topic_pattern, destination_broker_id),
    CONSTRAINT ck_rule_status CHECK (rule_status IN ('ACTIVE', 'SUSPENDED'))
);

CREATE INDEX idx_routing_rules_topic ON event_routing_rules (source_topic_pattern);

-- Partitioned by month on created_at (the seed's "index-partitioning the table monthly").
-- PostgreSQL requires the partition key in the primary key, hence (trace_id, created_at).
-- created_at is the time of the hop (stamped by the node that saw it), not of the insert.
CREATE TABLE message_trace_logs (
    trace_id BIGSERIAL,
    message_id VARCHAR(128) NOT NULL,
    origin_broker_id UUID NOT NULL REFERENCES broker_nodes(broker_id),
    topic VARCHAR(256) NOT NULL,
    payload_size_bytes INT NOT NULL,
    hop_count INT NOT NULL DEFAULT 1,
    routing_path VARCHAR(256)[] NOT NULL, -- Array of broker names traversed
    processing_latency_ms INT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),
    -- added: who saw this hop, what it was, where the event came from
    hop_broker_id UUID NOT NULL REFERENCES broker_nodes(broker_id),
    hop_region VARCHAR(64) NOT NULL,
    hop_kind VARCHAR(16) NOT NULL, -- PUBLISH, FORWARD, ARRIVAL, DELIVERY
    origin_region VARCHAR(64) NOT NULL,
    from_region VARCHAR(64), -- ARRIVAL: the neighbour the event came from (the link's far end)
    trace_only BOOLEAN NOT NULL DEFAULT FALSE,
    CONSTRAINT pk_message_trace_logs PRIMARY KEY (trace_id, created_at),
    CONSTRAINT ck_hop_kind CHECK (hop_kind IN ('PUBLISH', 'FORWARD', 'ARRIVAL', 'DELIVERY'))
) PARTITION BY RANGE (created_at);

CREATE INDEX idx_trace_lookup ON message_trace_logs (message_id);
CREATE INDEX idx_trace_created ON message_trace_logs (created_at DESC);
-- added: the ops queries that look at one kind of hop in a time window (latency per link,
-- events per origin region)
CREATE INDEX idx_trace_kind_created ON message_trace_logs (hop_kind, created_at);
-- added: a hop delivered twice (the control plane's Kafka reader is at-least-once) is stored once
CREATE UNIQUE INDEX uk_trace_hop ON message_trace_logs (message_id, hop_region, hop_kind, created_at);

-- Rows outside every monthly partition land here instead of failing the insert.
CREATE TABLE message_trace_logs_default PARTITION OF message_trace_logs DEFAULT;

-- Creates the monthly partitions from the month of `from_time` through `months_ahead` months
-- later, where missing; returns how many it created. The control plane calls it at start and
-- daily, so the partitions always exist ahead of time.
CREATE FUNCTION ensure_trace_partitions(from_time TIMESTAMPTZ, months_ahead INT) RETURNS INT
LANGUAGE plpgsql AS $$
DECLARE
    month_start DATE := date_trunc('month', from_time AT TIME ZONE 'UTC')::DATE;
    created INT := 0;
    name TEXT;
BEGIN
    FOR i IN 0..months_ahead LOOP
        name := format('message_trace_logs_y%sm%s', to_char(month_start, 'YYYY'), to_char(month_start, 'MM'));
        IF to_regclass(name) IS NULL THEN
            EXECUTE format('CREATE TABLE %I PARTITION OF message_trace_logs FOR VALUES FROM (%L) TO (%L)',
                           name, month_start::TIMESTAMP AT TIME ZONE 'UTC',
                           (month_start + INTERVAL '1 month')::TIMESTAMP AT TIME ZONE 'UTC');
            created := created + 1;
        END IF;
        month_start := (month_start + INTERVAL '1 month')::DATE;
    END LOOP;
    RETURN created;
END;
$$;

SELECT ensure_trace_partitions(NOW(), 3);
