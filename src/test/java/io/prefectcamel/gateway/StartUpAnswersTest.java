package io.prefectcamel.gateway;

import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static io.prefectcamel.gateway.Fixtures.FACADE_WORKSPACE;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import io.prefectcamel.testing.FakePrefect;
import io.prefectcamel.testing.FreePort;
import io.prefectcamel.testing.KeyLeakCheck;
import io.prefectcamel.testing.ServiceUnderTest;
import io.prefectcamel.testing.TestKey;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpServer;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpServerConfiguration;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.service.ServiceSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * From the moment the REST port opens until the routes serve, a caller gets a 503 problem with Retry-After, never
 * Vert.x's HTML 404; then the operations answer.
 */
@ExtendWith(KeyLeakCheck.class)
class StartUpAnswersTest {

    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2)).build();

    private record Seen(int status, String contentType, String retryAfter, String body) {
        @Override
        public String toString() {
            return status + " " + contentType + " " + body.substring(0, Math.min(80, body.length()));
        }
    }

    /** One request; null while nothing listens on the port. */
    private static Seen poll(HttpRequest request) throws InterruptedException {
        try {
            HttpResponse<String> r = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
            return new Seen(r.statusCode(), r.headers().firstValue("Content-Type").orElse(""),
                    r.headers().firstValue("Retry-After").orElse(null), r.body());
        } catch (ConnectException refused) {
            return null;
        } catch (IOException e) {
            return new Seen(-1, "", null, e.toString());
        }
    }

    /** Polls every 20 ms from before the port opens until {@code wanted} answers in a row were 200, or the time is up. */
    private static List<Seen> pollUntilServed(HttpRequest request, CompletableFuture<?> starting, int wanted) throws Exception {
        List<Seen> seen = new ArrayList<>();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        int ok = 0;
        while (ok < wanted && System.nanoTime() < deadline) {
            Seen s = poll(request);
            if (s != null) {
                seen.add(s);
                ok = s.status() == 200 ? ok + 1 : 0;
            } else if (starting.isCompletedExceptionally()) {
                starting.join();
            }
            Thread.sleep(20);
        }
        return seen;
    }

    private static void assertOnly503ProblemsThen200s(List<Seen> seen) {
        int first200 = 0;
        while (first200 < seen.size() && seen.get(first200).status() != 200) {
            first200++;
        }
        System.out.printf("start-up poll: %d answers of 503 before the first 200; then %d of 200%n", first200,
                seen.size() - first200);
        assertThat(first200).as("a 200 came: " + seen).isLessThan(seen.size());
        for (Seen s : seen.subList(0, first200)) {
            assertThat(s.status()).as("before the first 200: " + seen).isEqualTo(503);
            assertThat(s.contentType()).isEqualTo(Problems.CONTENT_TYPE);
            assertThat(s.retryAfter()).isEqualTo("1");
            assertThat(Fixtures.readJson(s.body()).path("status").asInt()).isEqualTo(503);
        }
        assertThat(seen.subList(first200, seen.size())).as("after the first 200").allMatch(s -> s.status() == 200);
        assertThat(seen).as("no HTML ever").noneMatch(s -> s.contentType().contains("html") || s.body().contains("<html"));
    }

    @Test
    void theServiceAnswers503ProblemsUntilItsRoutesServeThenTheOperations() throws Exception {
        FakePrefect prefect = FakePrefect.start();
        prefect.stubFor(any(anyUrl()).willReturn(okJson("[]")));
        int port = FreePort.next();
        HttpRequest tags = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + FACADE_WORKSPACE + "/tags"))
                .timeout(Duration.ofSeconds(10)).build();
        CompletableFuture<ServiceUnderTest> starting = CompletableFuture.supplyAsync(() -> ServiceUnderTest.builder()
                .prefect(prefect.url(), TestKey.VALUE)
                .property("camel.server.port", Integer.toString(port))
                .start());
        try {
            List<Seen> seen = pollUntilServed(tags, starting, 3);

            assertOnly503ProblemsThen200s(seen);
            assertThat(prefect.requests()).as("requests that reached Prefect").hasSize(3);
        } finally {
            starting.thenAccept(ServiceUnderTest::stop).exceptionally(e -> null).get(90, TimeUnit.SECONDS);
            prefect.stop();
        }
    }

    /** A service that holds the context's start-up (and with it every route) until it is let go. */
    static final class Gate extends ServiceSupport {
        final CountDownLatch open = new CountDownLatch(1);

        @Override
        protected void doStart() throws Exception {
            open.await(60, TimeUnit.SECONDS);
        }
    }

    @Test
    void whileTheRoutesAreHeldBackEveryAnswerIsA503ProblemWithRetryAfter() throws Exception {
        int port = FreePort.next();
        DefaultCamelContext context = new DefaultCamelContext();
        EdgeAnswers edge = new EdgeAnswers();
        edge.setCamelContext(context);
        VertxPlatformHttpServerConfiguration conf = new VertxPlatformHttpServerConfiguration();
        conf.setBindHost("127.0.0.1");
        conf.setBindPort(port);
        context.addService(new VertxPlatformHttpServer(conf));
        Gate gate = new Gate();
        context.addService(gate);
        context.addRoutes(RouteBuilder.loadRoutesBuilder(
                rb -> rb.from("platform-http:/v1/ping").routeId("ping").setBody(rb.constant("pong"))));
        CompletableFuture<Void> starting = CompletableFuture.runAsync(context::start);
        try {
            HttpRequest ping = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v1/ping"))
                    .timeout(Duration.ofSeconds(10)).build();
            Seen s = null;
            for (int i = 0; i < 500 && s == null; i++) {
                s = poll(ping);
                Thread.sleep(10);
            }
            assertThat(s).as("the port opened").isNotNull();
            for (int i = 0; i < 5; i++) {
                assertThat(s.status()).as(s.toString()).isEqualTo(503);
                assertThat(s.retryAfter()).isEqualTo("1");
                assertThat(s.contentType()).isEqualTo(Problems.CONTENT_TYPE);
                s = poll(ping);
            }

            gate.open.countDown();
            starting.get(30, TimeUnit.SECONDS);
            Seen served = poll(ping);
            assertThat(served.status()).isEqualTo(200);
            assertThat(served.body()).isEqualTo("pong");
        } finally {
            gate.open.countDown();
            context.stop();
        }
    }
}
