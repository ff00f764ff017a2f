package io.prefectcamel.gateway;

import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static io.prefectcamel.gateway.Fixtures.FACADE_ACCOUNT;
import static io.prefectcamel.gateway.Fixtures.FACADE_WORKSPACE;
import static io.prefectcamel.gateway.Fixtures.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import com.fasterxml.jackson.databind.JsonNode;
import io.prefectcamel.testing.FacadeClient;
import io.prefectcamel.testing.FacadeUnderTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * What the REST server answers at its edge, before any operation runs: a body over camel.server.max-body-size,
 * and paths or methods the facade does not have. All of it RFC 9457 problems, none of it reaching Prefect; the
 * real routes around them (the OpenAPI document, health, metrics) are still served.
 */
class EdgeAnswersTest {

    @RegisterExtension
    static final FacadeUnderTest facade = FacadeUnderTest.withTestDefaults();

    private static final int MAX_BODY = 6291456;
    private final FacadeClient client = facade.client();

    @BeforeEach
    void prefectWouldAnswerAnything() {
        facade.prefect().stubFor(any(anyUrl()).willReturn(okJson("{}")));
    }

    private static byte[] body(int size) {
        byte[] bytes = new byte[size];
        Arrays.fill(bytes, (byte) ' ');
        bytes[0] = '[';
        bytes[size - 1] = ']';
        return bytes;
    }

    private static void assertTooLarge(JsonNode problem) {
        assertThat(problem.path("title").asText()).isEqualTo("Body too large");
        assertThat(problem.path("detail").asText()).contains(Integer.toString(MAX_BODY), "6 MiB", "nothing was sent to Prefect");
    }

    @Test
    void aBodyOverTheServerLimitWithContentLengthIsA413Problem() {
        HttpResponse<String> answer = client.sendBytes("POST", FACADE_WORKSPACE + "/events",
                HttpRequest.BodyPublishers.ofByteArray(body(MAX_BODY + 1)));

        assertTooLarge(assertProblem(answer, 413, null));
        assertThat(answer.headers().firstValue("X-Request-Id")).isPresent();
        assertThat(facade.prefect().requests()).as("requests that reached Prefect").isEmpty();
    }

    @Test
    void aChunkedBodyOverTheServerLimitIsA413Problem() throws Exception {
        RawAnswer answer = chunkedPost(FACADE_ACCOUNT + "/events", 7 * 1024 * 1024);

        assertThat(answer.status).as(answer.head).isEqualTo(413);
        assertThat(answer.head.toLowerCase()).contains("content-type: application/problem+json");
        assertTooLarge(Fixtures.readJson(answer.body));
        assertThat(facade.prefect().requests()).as("requests that reached Prefect").isEmpty();
    }

    @Test
    void aBodyBetweenPrefectsLimitAndTheServersIsStillTheFacadesOwn413() {
        HttpResponse<String> answer = client.sendBytes("POST", FACADE_WORKSPACE + "/events",
                HttpRequest.BodyPublishers.ofByteArray(body(5 * 1024 * 1024 + 100_000)));

        JsonNode problem = assertProblem(answer, 413, "body");
        assertThat(problem.path("detail").asText()).contains("5 MiB");
        assertThat(facade.prefect().requests()).as("requests that reached Prefect").isEmpty();
    }

    @Test
    void anUnknownPathIsAJson404Problem() {
        for (String path : new String[] {"/nope", "/v1/nope", FACADE_WORKSPACE + "/flow-runs", FACADE_ACCOUNT + "/events/filter/later"}) {
            HttpResponse<String> answer = client.get(path);

            JsonNode problem = assertProblem(answer, 404, null);
            assertThat(problem.path("instance").asText()).isEqualTo(path);
            assertThat(answer.body()).doesNotContain("<html");
        }
        assertThat(client.post("/v1/api/nothing/here", "{}").statusCode()).isEqualTo(404);
        assertThat(facade.prefect().requests()).as("requests that reached Prefect").isEmpty();
    }

    @Test
    void aMethodTheFacadeDoesNotHaveIsAJson405ProblemWithAllow() {
        HttpResponse<String> wrongVerb = client.send("PUT", FACADE_WORKSPACE + "/tags", "{}");
        assertProblem(wrongVerb, 405, null);
        assertThat(wrongVerb.headers().firstValue("Allow")).hasValueSatisfying(a -> assertThat(a).contains("GET", "DELETE"));

        HttpResponse<String> postToDocument = client.send("POST", "/v1/openapi.json", "a=b", "Content-Type",
                "application/x-www-form-urlencoded");
        assertProblem(postToDocument, 405, null);
        assertThat(postToDocument.headers().firstValue("Allow")).hasValue("GET");
        assertThat(facade.prefect().requests()).as("requests that reached Prefect").isEmpty();
    }

    @Test
    void theRealRoutesAroundThemAreStillServed() {
        assertThat(client.get("/v1/openapi.json").statusCode()).isEqualTo(200);
        assertThat(client.get("/v1/openapi.yaml").statusCode()).isEqualTo(200);
        HttpResponse<String> health = client.get("/observe/health");
        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(health.body()).contains("UP");
        assertThat(client.get("/observe/metrics").body()).contains("# TYPE");
        HttpResponse<String> tags = client.get(FACADE_WORKSPACE + "/tags");
        assertThat(tags.statusCode()).as(tags.body()).isEqualTo(200);
        assertThat(facade.prefect().requests()).hasSize(1);
    }

    @Test
    void optionsIsLeftToPlatformHttp() {
        HttpResponse<String> answer = client.send("OPTIONS", FACADE_WORKSPACE + "/tags", null);

        assertThat(answer.headers().firstValue("Content-Type").orElse("")).doesNotContain("problem");
    }

    private record RawAnswer(int status, String head, String body) {
    }

    /** A chunked upload on a raw socket (no Content-Length), then the answer. */
    private static RawAnswer chunkedPost(String path, int size) throws IOException {
        URI base = URI.create(facade.baseUrl());
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(base.getHost(), base.getPort()), 5000);
            socket.setSoTimeout(30_000);
            OutputStream out = socket.getOutputStream();
            out.write(("POST " + path + " HTTP/1.1\r\nHost: " + base.getHost() + ":" + base.getPort()
                    + "\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            byte[] chunk = new byte[64 * 1024];
            Arrays.fill(chunk, (byte) ' ');
            try {
                for (int sent = 0; sent < size; sent += chunk.length) {
                    out.write((Integer.toHexString(chunk.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
                    out.write(chunk);
                    out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
                }
                out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                out.flush();
            } catch (IOException closedWhileSending) {
                // the server may answer and close before the upload ends; its answer is still to be read
            }
            return read(socket.getInputStream());
        }
    }

    private static RawAnswer read(InputStream in) throws IOException {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        while (true) {
            String text = all.toString(StandardCharsets.UTF_8);
            int end = text.indexOf("\r\n\r\n");
            if (end >= 0) {
                String head = text.substring(0, end);
                if (head.startsWith("HTTP/1.1 100")) {
                    byte[] rest = Arrays.copyOfRange(all.toByteArray(), end + 4, all.size());
                    all.reset();
                    all.write(rest);
                    continue;
                }
                int length = contentLength(head);
                if (length >= 0 && all.size() >= end + 4 + length) {
                    String body = new String(all.toByteArray(), end + 4, length, StandardCharsets.UTF_8);
                    return new RawAnswer(Integer.parseInt(head.substring(9, 12)), head, body);
                }
            }
            int n = in.read(buffer);
            if (n < 0) {
                throw new IOException("the connection ended before a whole answer: " + all.toString(StandardCharsets.UTF_8));
            }
            all.write(buffer, 0, n);
        }
    }

    private static int contentLength(String head) {
        for (String line : head.split("\r\n")) {
            if (line.toLowerCase().startsWith("content-length:")) {
                return Integer.parseInt(line.substring(15).trim());
            }
        }
        return -1;
    }
}
