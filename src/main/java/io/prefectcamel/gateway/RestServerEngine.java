package io.prefectcamel.gateway;

import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpEngine;

/**
 * platform-http's Vert.x engine, told which port the REST server listens on.
 *
 * <p>Camel 4.17's engine works the port out by looking for the only Vert.x HTTP server of the context. With the
 * management server on a port of its own there are two, and it falls back to 8080: with any other
 * {@code camel.server.port} (a system property, {@code --prop}, a test) the REST routes then look for a router on
 * 8080 and the service does not start. Bound as {@code platform-http-engine} (routes/rest-api.camel.yaml), the name
 * platform-http looks its engine up by.
 */
public class RestServerEngine extends VertxPlatformHttpEngine {

    private int serverPort;

    /** camel.server.port; 0 or less leaves it to Camel (a random port). */
    public void setServerPort(int serverPort) {
        this.serverPort = serverPort;
    }

    public int getConfiguredServerPort() {
        return serverPort;
    }

    @Override
    public int getServerPort() {
        return serverPort > 0 ? serverPort : super.getServerPort();
    }
}
