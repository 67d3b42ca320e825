package io.meshwork.edge.internal.mqtt;

import io.meshwork.core.tls.ClientAuth;
import io.meshwork.core.tls.TlsSettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * The HiveMQ listener element of the edge's MQTT port: plain TCP, or TLS over the edge's key and
 * trust stores ({@code edge.tls.*}). HiveMQ CE reads the stores itself and checks them for changes
 * every 10 s (its {@code SslContextStore}), so a replaced certificate reaches new MQTT connections
 * within about 10 s, without a restart.
 */
final class MqttTlsListener {

    private MqttTlsListener() {
    }

    static String xml(String host, int port, TlsSettings tls) {
        if (!tls.enabled()) {
            return """
                        <tcp-listener>
                          <port>%d</port>
                          <bind-address>%s</bind-address>
                        </tcp-listener>""".formatted(port, HiveMqFolders.escape(host));
        }
        String truststore = tls.truststore() == null ? "" : """
                            <truststore>
                              <path>%s</path>
                              <password>%s</password>
                            </truststore>""".formatted(path(tls.truststore()),
                HiveMqFolders.escape(tls.truststorePassword() == null ? "" : tls.truststorePassword()));
        return """
                    <tls-tcp-listener>
                      <port>%d</port>
                      <bind-address>%s</bind-address>
                      <tls>
                        <keystore>
                          <path>%s</path>
                          <password>%s</password>
                          <private-key-password>%s</private-key-password>
                        </keystore>
                %s
                        <client-authentication-mode>%s</client-authentication-mode>
                      </tls>
                    </tls-tcp-listener>""".formatted(port, HiveMqFolders.escape(host), path(tls.keystore()),
                HiveMqFolders.escape(tls.keystorePassword()), HiveMqFolders.escape(tls.keystorePassword()), truststore,
                mode(tls.clientAuth()));
    }

    private static String mode(ClientAuth clientAuth) {
        return switch (clientAuth) {
            case NONE -> "NONE";
            case REQUESTED -> "OPTIONAL";
            case REQUIRED -> "REQUIRED";
        };
    }

    private static String path(Path file) {
        return HiveMqFolders.escape(file.toAbsolutePath().toString());
    }

    static void ownerOnly(Path file) {
        try {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException | IOException e) {
            // Not POSIX: the temp folder's own permissions apply.
        }
    }
}
