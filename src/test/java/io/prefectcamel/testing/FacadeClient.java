package io.prefectcamel.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * A small HTTP client for the facade, over {@link HttpClient}. Every answer is checked for the test's Prefect key
 * (headers and body): a caller must never see it.
 */
public final class FacadeClient {

    private static final HttpClient CLIENT = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();

    private final String baseUrl;

    public FacadeClient(String baseUrl) {
        this.baseUrl = baseUrl;
    }

    public HttpResponse<String> get(String path, String... headers) {
        return send("GET", path, (String) null, headers);
    }

    public HttpResponse<String> post(String path, String body, String... headers) {
        return send("POST", path, body, headers);
    }

    public HttpResponse<String> delete(String path, String... headers) {
        return send("DELETE", path, (String) null, headers);
    }

    /**
     * Sends a request; {@code target} is a path (resolved against the service) or an absolute URL, and
     * {@code headers} name/value pairs. A body is sent as {@code application/json} unless a Content-Type is given.
     */
    public HttpResponse<String> send(String method, String target, String body, String... headers) {
        return sendBytes(method, target, body == null ? null : HttpRequest.BodyPublishers.ofString(body), headers);
    }

    public HttpResponse<String> sendBytes(String method, String target, HttpRequest.BodyPublisher body, String... headers) {
        if (headers.length % 2 != 0) {
            throw new IllegalArgumentException("headers are name/value pairs");
        }
        URI uri = URI.create(target.startsWith("http") ? target : baseUrl + target);
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : body);
        boolean contentType = false;
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
            contentType |= headers[i].equalsIgnoreCase("Content-Type");
        }
        if (body != null && !contentType) {
            request.header("Content-Type", "application/json");
        }
        HttpResponse<String> response;
        try {
            response = CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(method + " " + uri + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        assertNoKey(response);
        return response;
    }

    /**
     * Sends one HTTP/1.1 request over a plain socket with the given {@code Host} header (which {@link HttpClient}
     * will not send) and returns {status, body}. The body is sent as {@code application/json}.
     */
    public String[] sendWithHost(String method, String path, String body, String host) {
        URI base = URI.create(baseUrl);
        byte[] content = body == null ? new byte[0] : body.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        try (java.net.Socket socket = new java.net.Socket(base.getHost(), base.getPort())) {
            socket.setSoTimeout(30_000);
            String head = method + " " + path + " HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n"
                    + "Accept: application/json\r\n"
                    + (body == null ? "" : "Content-Type: application/json\r\n")
                    + "Content-Length: " + content.length + "\r\n\r\n";
            socket.getOutputStream().write(head.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            socket.getOutputStream().write(content);
            socket.getOutputStream().flush();
            String answer = new String(socket.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            int split = answer.indexOf("\r\n\r\n");
            String headers = answer.substring(0, split);
            String rest = answer.substring(split + 4);
            if (headers.toLowerCase(java.util.Locale.ROOT).contains("transfer-encoding: chunked")) {
                StringBuilder decoded = new StringBuilder();
                while (true) {
                    int eol = rest.indexOf("\r\n");
                    int size = Integer.parseInt(rest.substring(0, eol).split(";")[0].trim(), 16);
                    if (size == 0) {
                        break;
                    }
                    decoded.append(rest, eol + 2, eol + 2 + size);
                    rest = rest.substring(eol + 2 + size + 2);
                }
                rest = decoded.toString();
            }
            if (TestKey.isIn(answer)) {
                throw new AssertionError("The answer holds the Prefect key");
            }
            return new String[] {headers.split(" ")[1], rest};
        } catch (IOException e) {
            throw new UncheckedIOException(method + " " + path + " failed", e);
        }
    }

    /** Fails when the answer's headers or body hold the test's Prefect key. */
    public static void assertNoKey(HttpResponse<String> response) {
        for (Map.Entry<String, List<String>> header : response.headers().map().entrySet()) {
            if (TestKey.isIn(header.getKey()) || TestKey.isIn(String.join(",", header.getValue()))) {
                throw new AssertionError("The answer's header " + header.getKey() + " holds the Prefect key");
            }
        }
        if (TestKey.isIn(response.body())) {
            throw new AssertionError("The answer's body holds the Prefect key");
        }
    }
}
