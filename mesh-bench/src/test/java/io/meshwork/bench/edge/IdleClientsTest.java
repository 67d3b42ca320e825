package io.meshwork.bench.edge;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class IdleClientsTest {

    @Test
    void connectIsMqtt311CleanSessionWithoutKeepAlive() {
        assertThat(IdleClients.connect("c1")).containsExactly(0x10, 14, 0, 4, 'M', 'Q', 'T', 'T', 4, 0x02, 0, 0, 0, 2, 'c', '1');
    }

    @Test
    void subscribeHasPacketIdOneAndQosZero() {
        assertThat(IdleClients.subscribe("a/#")).containsExactly(0x82, 8, 0, 1, 0, 3, 'a', '/', '#', 0);
    }
}
