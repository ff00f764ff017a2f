package io.prefectcamel.kamelets;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.StringReader;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Properties;
import java.util.function.BooleanSupplier;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.fabric8.kubernetes.api.model.Secret;
import io.prefectcamel.sandbox.PrefectSandbox;
import org.apache.camel.main.Main;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The Pipe examples loaded as they are by Camel Main (the YAML DSL reads {@code kind: Pipe}), with the properties
 * the mounted Secret would give them, against a fake Prefect. Only the Kamelets' API URL is redirected, through
 * Camel's {@code camel.kamelet.<name>.<property>} defaults, which the Pipes do not set.
 */
class PipesInCamelMainTest {

    FakePrefectEvents prefect;
    Main main;

    @BeforeEach
    void fake() {
        prefect = new FakePrefectEvents();
    }

    @AfterEach
    void close() throws Exception {
        if (main != null) {
            main.stop();
        }
        prefect.close();
    }

    private void run(String pipe, Properties extra) throws Exception {
        // what the Secret's prefect.properties holds (the template's keys, the fake's values) ...
        Secret secret = new ObjectMapper(new YAMLFactory())
                .readValue(Path.of("kamelet-catalog/camel-k/prefect-credentials.secret.yaml").toFile(), Secret.class);
        Properties p = new Properties();
        p.load(new StringReader(secret.getStringData().get("prefect.properties")
                .replace("REPLACE_WITH_YOUR_PREFECT_API_KEY", FakePrefectEvents.API_KEY)
                .replace("REPLACE_WITH_YOUR_ACCOUNT_ID", FakePrefectEvents.ACCOUNT)
                .replace("REPLACE_WITH_YOUR_WORKSPACE_ID", FakePrefectEvents.WORKSPACE)));
        // ... and the fake's URL
        p.setProperty("camel.kamelet.prefect-events-source.apiUrl", prefect.baseUrl());
        p.setProperty("camel.kamelet.prefect-events-source.startTime", Instant.now().minus(1, ChronoUnit.HOURS).toString());
        p.setProperty("camel.kamelet.prefect-events-source.stateFile",
                java.nio.file.Files.createTempDirectory("pipe-state").resolve("source.state").toString());
        p.setProperty("camel.kamelet.prefect-events-sink.apiUrl", prefect.baseUrl());
        p.putAll(extra);
        main = new Main();
        // only the Pipe and its properties, not the service's application.properties
        main.setDefaultPropertyPlaceholderLocation("false");
        main.setInitialProperties(p);
        main.configure().withRoutesIncludePattern("file:kamelet-catalog/pipes/" + pipe);
        main.start();
    }

    @Test
    void eventsToLogPollsPrefectWithTheKeyOfTheSecret() throws Exception {
        prefect.addEvents(30, Instant.now().minus(10, ChronoUnit.MINUTES), 3, "prefect.flow-run.Completed");
        prefect.addEvents(30, Instant.now().minus(10, ChronoUnit.MINUTES), 3, "prefect.task-run.Completed");
        run("prefect-events-to-log.pipe.yaml", new Properties());

        await(() -> prefect.pagesServed() >= 1);
        assertThat(main.getCamelContext().getRoutes()).hasSizeGreaterThanOrEqualTo(1);
    }

    @Test
    void eventsToHttpLoadsAndPolls() throws Exception {
        run("prefect-events-to-http.pipe.yaml", new Properties());
        await(() -> prefect.pagesServed() >= 1);
    }

    private int webhookPipe(Properties extra) throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Properties server = new Properties();
        server.setProperty("camel.server.enabled", "true");
        server.setProperty("camel.server.port", String.valueOf(port));
        server.putAll(extra);
        run("webhook-to-prefect-events.pipe.yaml", server);
        return port;
    }

    private static HttpResponse<String> postEvents(int port) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/prefect/events"))
                .header("Content-Type", "application/json")
                .header("Authorization", "Bearer someone-elses-token")
                .POST(HttpRequest.BodyPublishers.ofString("[{\"event\":\"shop.order.placed\",\"resource\":{\"prefect.resource.id\":\"shop.order.1\"}},"
                        + "{\"id\":\"00000000-0000-4000-8000-000000000002\",\"event\":\"shop.order.placed\",\"resource\":{\"prefect.resource.id\":\"shop.order.2\"}}]"))
                .build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void webhookToEventsAnswersOnlyOncePrefectHoldsThePostedEvents() throws Exception {
        int port = webhookPipe(new Properties());
        prefect.delayCreates(1500);

        long t0 = System.nanoTime();
        HttpResponse<String> answer = postEvents(port);
        long took = (System.nanoTime() - t0) / 1_000_000;

        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        assertThat(took).as("the answer waited for Prefect's").isGreaterThanOrEqualTo(1500);
        // no waiting here: the events were in Prefect when the answer came
        assertThat(prefect.created()).hasSize(1);
        assertThat(prefect.created().get(0)).hasSize(2).allSatisfy(e -> {
            assertThat(e.path("id").asText()).isNotBlank();
            assertThat(e.path("occurred").asText()).isNotBlank();
        });
        com.fasterxml.jackson.databind.JsonNode created = new ObjectMapper().readTree(answer.body());
        assertThat(created.get(1).path("id").asText()).isEqualTo("00000000-0000-4000-8000-000000000002");
        assertThat(created.get(0).path("id").asText()).as("the id the event was given").isEqualTo(prefect.created().get(0).get(0).path("id").asText());
    }

    @Test
    void webhookToEventsAnswersAnErrorWhenPrefectDoesNotTakeTheEvents() throws Exception {
        Properties fewAttempts = new Properties();
        fewAttempts.setProperty("camel.kamelet.prefect-events-sink.maxAttempts", "2");
        int port = webhookPipe(fewAttempts);
        prefect.failCreates(Integer.MAX_VALUE, 503);

        HttpResponse<String> answer = postEvents(port);

        assertThat(answer.statusCode()).as(answer.body()).isGreaterThanOrEqualTo(500);
        assertThat(answer.body()).doesNotContain(FakePrefectEvents.API_KEY);
        assertThat(prefect.createAttempts()).hasSize(2);
        assertThat(prefect.created()).isEmpty();
    }

    @Test
    void webhookToBotProvisionsAServiceAccountOnTheSandbox() throws Exception {
        try (PrefectSandbox sandbox = PrefectSandbox.builder().host("127.0.0.1").port(0).apiKey(FakePrefectEvents.API_KEY)
                .build().start()) {
            int port;
            try (ServerSocket s = new ServerSocket(0)) {
                port = s.getLocalPort();
            }
            Properties extra = new Properties();
            extra.setProperty("camel.server.enabled", "true");
            extra.setProperty("camel.server.port", String.valueOf(port));
            extra.setProperty("camel.kamelet.prefect-operation-action.apiUrl", sandbox.baseUrl());
            extra.setProperty("camel.kamelet.prefect-operation-action.accountId", PrefectSandbox.DEMO_ACCOUNT_ID);
            run("webhook-to-prefect-bot.pipe.yaml", extra);

            HttpResponse<String> answer = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                            URI.create("http://localhost:" + port + "/prefect/bots"))
                    .header("Content-Type", "application/json")
                    .header("Authorization", "Bearer someone-elses-token")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"name\": \"nightly-etl\"}"))
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertThat(answer.statusCode()).as(answer.body()).isEqualTo(201);
            com.fasterxml.jackson.databind.JsonNode bot = new ObjectMapper().readTree(answer.body());
            assertThat(bot.path("name").asText()).isEqualTo("nightly-etl");
            assertThat(bot.path("api_key").path("key").asText()).as("the new bot's key, shown once").isNotBlank();

            // the bot exists in the sandbox's account
            HttpResponse<String> bots = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                            URI.create(sandbox.baseUrl() + "/api/accounts/" + PrefectSandbox.DEMO_ACCOUNT_ID + "/bots/filter"))
                    .header("Authorization", "Bearer " + FakePrefectEvents.API_KEY)
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(bots.body()).contains("nightly-etl").doesNotContain(bot.path("api_key").path("key").asText());
        }
    }

    private static void await(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out");
            }
            Thread.sleep(50);
        }
    }
}
