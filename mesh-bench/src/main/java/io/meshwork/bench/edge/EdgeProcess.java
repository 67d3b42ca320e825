package io.meshwork.bench.edge;

import io.meshwork.edge.EdgeBridge;
import io.meshwork.edge.EdgeConfig;
import io.meshwork.edge.EdgeDelivery;

/**
 * One region's edge alone in a JVM (HTTP + WebSocket and MQTT on free ports), so that the memory
 * its connections cost, or the CPU it spends, can be read off the process without the clients'
 * share. Prints {@code EDGE READY http=<port> mqtt=<port, -1 for none>} and runs until its standard input
 * closes (the benchmark closes it, or dies).
 *
 * <p>Arguments: region, bootstrap servers and, optionally, the delivery mode: {@code direct} or
 * {@code routed:<slot>}; with a delivery mode the edge serves HTTP + WebSocket only (no MQTT).
 */
public final class EdgeProcess {

    private EdgeProcess() {
    }

    public static void main(String[] args) throws Exception {
        if (System.getProperty("logback.configurationFile") == null) {
            System.setProperty("logback.configurationFile", "meshwork-cli-logback.xml");
        }
        EdgeConfig config = EdgeConfig.defaults(args[0], args[1]).withHttp("127.0.0.1", 0);
        config = args.length > 2 ? config.withDelivery(delivery(args[2])) : config.withMqtt(0);
        EdgeBridge edge = EdgeBridge.start(config);
        System.out.println("EDGE READY http=" + edge.httpPort() + " mqtt=" + edge.port("MQTT").orElse(-1));
        System.out.flush();
        while (System.in.read() != -1) {
            // Nothing is sent on stdin: end-of-file is the signal to stop.
        }
        edge.close();
        System.exit(0);
    }

    private static EdgeDelivery delivery(String spec) {
        if (spec.equals("direct")) {
            return EdgeDelivery.DIRECT;
        }
        if (spec.startsWith("routed:")) {
            return EdgeDelivery.routed(Integer.parseInt(spec.substring("routed:".length())));
        }
        throw new IllegalArgumentException("delivery must be direct or routed:<slot>, was '" + spec + "'");
    }
}
