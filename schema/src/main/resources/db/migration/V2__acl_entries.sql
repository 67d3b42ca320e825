-- Topic permissions kept by the control plane (issue 16): per principal (a token's sub or a client
-- certificate's name), allow or deny publishing to / subscribing within an MQTT topic filter.
-- Edges add them to the token's claims; deny wins. Distributed to every region's mesh.acls.
CREATE TABLE acl_entries (
    acl_id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    principal VARCHAR(256) NOT NULL,
    acl_action VARCHAR(16) NOT NULL, -- publish, subscribe
    acl_effect VARCHAR(8) NOT NULL, -- allow, deny
    topic_filter VARCHAR(256) NOT NULL,
    created_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),
    CONSTRAINT ck_acl_action CHECK (acl_action IN ('publish', 'subscribe')),
    CONSTRAINT ck_acl_effect CHECK (acl_effect IN ('allow', 'deny')),
    CONSTRAINT ck_acl_principal CHECK (length(btrim(principal)) > 0),
    CONSTRAINT uk_acl_entry UNIQUE (principal, acl_action, acl_effect, topic_filter)
);
