package io.meshwork.embedded.wan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketException;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 20, unit = TimeUnit.SECONDS)
class WanLinkTest {

    private static final Duration RTT = Duration.ofMillis(100);

    private EchoServer echo;
    private WanLink link;

    @BeforeEach
    void setUp() throws IOException {
        echo = new EchoServer();
        link = WanLink.open("us-east-1", "eu-west-1", RTT);
        link.forwardTo(echo.address());
    }

    @AfterEach
    void tearDown() throws IOException {
        link.close();
        echo.close();
    }

    @Test
    void bytesArriveIntactAndInOrder() throws Exception {
        byte[] payload = new byte[1024 * 1024 + 17];
        new Random(42).nextBytes(payload);

        try (Socket socket = connect()) {
            // Write from another thread: the echo comes back while we are still sending.
            CompletableFuture<Void> sent = CompletableFuture.runAsync(() -> {
                try {
                    socket.getOutputStream().write(payload);
                    socket.shutdownOutput();
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            });
            byte[] echoed = socket.getInputStream().readAllBytes(); // ends with the echo server's EOF
            sent.get(5, TimeUnit.SECONDS);

            assertThat(echoed).isEqualTo(payload);
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> link.bytesForwarded() == 2L * payload.length);
        await().atMost(Duration.ofSeconds(5)).until(() -> link.openConnections() == 0);
    }

    @Test
    void aRoundTripCostsOneRtt() throws IOException {
        try (Socket socket = connect()) {
            for (int i = 0; i < 3; i++) {
                long start = System.nanoTime();
                socket.getOutputStream().write(i);
                int answer = socket.getInputStream().read();
                Duration elapsed = Duration.ofNanos(System.nanoTime() - start);

                assertThat(answer).isEqualTo(i);
                assertThat(elapsed).isGreaterThanOrEqualTo(RTT).isLessThan(RTT.plusSeconds(1));
            }
        }
    }

    @Test
    void cutResetsOpenConnectionsAndRefusesNewOnes() throws IOException {
        try (Socket socket = connect()) {
            assertEchoes(socket);

            link.cut();

            assertThat(link.isUp()).isFalse();
            assertThatThrownBy(() -> socket.getInputStream().read())
                    .isInstanceOf(SocketException.class).hasMessageContaining("reset");
            assertThatThrownBy(this::connect).isInstanceOf(ConnectException.class);
            assertThat(link.openConnections()).isZero();
        }
    }

    @Test
    void healAcceptsAgainOnTheSamePort() throws IOException {
        int port = link.port();
        link.cut();
        link.heal();

        assertThat(link.isUp()).isTrue();
        assertThat(link.port()).isEqualTo(port);
        try (Socket socket = connect()) {
            assertEchoes(socket);
        }
    }

    @Test
    void connectionsBeforeForwardToAreDropped() throws IOException {
        try (WanLink unconfigured = WanLink.open("eu-west-1", "us-east-1", RTT);
             Socket socket = new Socket(InetAddress.getLoopbackAddress(), unconfigured.port())) {
            socket.setSoTimeout(5_000);
            InputStream in = socket.getInputStream();

            assertThat(readOrReset(in)).isEqualTo(-1);
            assertThat(unconfigured.bytesForwarded()).isZero();
        }
    }

    @Test
    void closeIsIdempotentAndRefusesConnections() {
        link.close();
        link.close();

        assertThat(link.isUp()).isFalse();
        assertThatThrownBy(this::connect).isInstanceOf(ConnectException.class);
        link.heal(); // a closed link stays closed
        assertThat(link.isUp()).isFalse();
    }

    @Test
    void rejectsNegativeRtt() {
        assertThatThrownBy(() -> WanLink.open("a", "b", Duration.ofMillis(-1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("a->b");
    }

    private Socket connect() throws IOException {
        Socket socket = new Socket(InetAddress.getLoopbackAddress(), link.port());
        socket.setSoTimeout(5_000);
        socket.setTcpNoDelay(true);
        return socket;
    }

    private static void assertEchoes(Socket socket) throws IOException {
        socket.getOutputStream().write(7);
        assertThat(socket.getInputStream().read()).isEqualTo(7);
    }

    /** -1 for an orderly EOF or a reset: either way the proxy dropped us. */
    private static int readOrReset(InputStream in) throws IOException {
        try {
            return in.read();
        } catch (SocketException e) {
            return -1;
        }
    }
}
