package io.meshwork.bench.edge;

import io.meshwork.edge.EdgeBridge;
import io.meshwork.edge.EdgeConfig;

/**
 * One region's edge alone in a JVM (HTTP + WebSocket and MQTT on free ports), so that the memory
 * its connections cost can be read off the process without the clients' share. Prints
 * {@code EDGE READY http=<port> mqtt=<port>} and runs until its standard input closes (the
 * benchmark closes it, or dies).
 */
public final class EdgeProcess {

    private EdgeProcess() {
    }

    public static void main(String[] args) throws Exception {
        if (System.getProperty("logback.configurationFile") == null) {
            System.setProperty("logback.configurationFile", "meshwork-cli-logback.xml");
        }
        EdgeBridge edge = EdgeBridge.start(EdgeConfig.defaults(args[0], args[1]).withHttp("127.0.0.1", 0).withMqtt(0));
        System.out.println("EDGE READY http=" + edge.httpPort() + " mqtt=" + edge.port("MQTT").orElse(-1));
        System.out.flush();
        while (System.in.read() != -1) {
            // Nothing is sent on stdin: end-of-file is the signal to stop.
        }
        edge.close();
        System.exit(0);
    }
}
