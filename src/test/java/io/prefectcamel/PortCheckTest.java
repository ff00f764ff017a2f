package io.prefectcamel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.Properties;

import io.prefectcamel.testing.FreePort;
import org.apache.camel.main.Main;
import org.junit.jupiter.api.Test;

/** The service refuses to start, saying which port, when one it serves on is taken. */
class PortCheckTest {

    private static Main service(int restPort, int mcpPort) {
        Main main = Application.newMain();
        main.addMainListener(new PortCheck());
        Properties p = new Properties();
        p.put("camel.server.host", "127.0.0.1");
        p.put("camel.server.port", Integer.toString(restPort));
        p.put("camel.management.port", Integer.toString(restPort));
        p.put("mcp.port", Integer.toString(mcpPort));
        p.put("prefect.api-url", "http://127.0.0.1:1");
        p.put("prefect.api-key", "port-check-test");
        p.put("camel.main.shutdown-timeout", "5");
        main.setOverrideProperties(p);
        return main;
    }

    @Test
    void aTakenRestPortStopsTheStartWithItsName() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            Main main = service(taken.getLocalPort(), 0);
            try {
                assertThatThrownBy(main::run)
                        .hasMessageContaining("127.0.0.1:" + taken.getLocalPort() + " (camel.server.port)")
                        .hasMessageContaining("already in use");
            } finally {
                main.shutdown();
            }
        }
    }

    @Test
    void aTakenMcpPortStopsTheStartToo() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            Main main = service(FreePort.next(), taken.getLocalPort());
            try {
                assertThatThrownBy(main::run).hasMessageContaining(":" + taken.getLocalPort() + " (mcp.port)");
            } finally {
                main.shutdown();
            }
        }
    }

    @Test
    void freePortsStart() throws Exception {
        Main main = service(FreePort.next(), 0);
        Thread runner = new Thread(() -> {
            try {
                main.run();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }, "port-check-test");
        runner.start();
        try {
            long deadline = System.nanoTime() + 60_000_000_000L;
            while ((main.getCamelContext() == null || !main.getCamelContext().isStarted()) && runner.isAlive()
                    && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            assertThat(main.getCamelContext()).isNotNull();
            assertThat(main.getCamelContext().isStarted()).isTrue();
        } finally {
            main.completed();
            runner.join(30_000);
        }
        assertThat(runner.isAlive()).isFalse();
    }
}
