package io.prefectcamel.auth;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpServer;

/** What the auth tests share: a token store in a temporary file, signed JWTs and a JWKS served on loopback. */
final class AuthFixtures {

    static final String ACCOUNT = "0b8e2d6c-3f1a-4c55-9a8e-1f2d3c4b5a69";
    static final String WORKSPACE = "5f0c1a2b-7d3e-4f60-8a91-b2c3d4e5f607";
    static final String OTHER_WORKSPACE = "7e1d2c3b-4a59-4687-9b0a-c1d2e3f40516";
    static final String FACADE_WORKSPACE = "/v1/api/accounts/" + ACCOUNT + "/workspaces/" + WORKSPACE;
    static final String PREFECT_WORKSPACE = "/api/accounts/" + ACCOUNT + "/workspaces/" + WORKSPACE;
    static final String EMPTY_PAGE = "{\"events\": [], \"total\": 0, \"next_page\": null}";

    static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    private AuthFixtures() {
    }

    static Path tempStore() {
        try {
            Path dir = Files.createTempDirectory("prefect-camel-tokens");
            dir.toFile().deleteOnExit();
            return dir.resolve("tokens.json");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Adds a token to the store file (as `tokens create` does) and answers it. */
    static String createToken(Path store, String name, List<String> scopes, List<String> accounts,
            List<String> workspaces, Instant expires, Double rate) {
        return createToken(store, name, scopes, accounts, workspaces, expires, rate, null);
    }

    static synchronized String createToken(Path store, String name, List<String> scopes, List<String> accounts,
            List<String> workspaces, Instant expires, Double rate, Integer concurrency) {
        try {
            TokenStore.Created c = TokenStore.read(store).create(name, scopes, accounts, workspaces, expires, rate,
                    concurrency);
            c.store().write(store);
            return c.token();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String createToken(Path store, String name, String... scopes) {
        return createToken(store, name, List.of(scopes), List.of(), List.of(), null, null);
    }

    static synchronized void revoke(Path store, String name) {
        try {
            TokenStore.read(store).revoke(name).orElseThrow().write(store);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static HttpResponse<String> send(String method, String url, String body, String... headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        try {
            return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static String[] bearer(String token) {
        return new String[] {"Authorization", "Bearer " + token};
    }

    /** Waits (5 s at most) until the condition holds; answers how long it took. */
    static Duration await(java.util.function.BooleanSupplier condition) {
        long start = System.nanoTime();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - start > Duration.ofSeconds(5).toNanos()) {
                throw new AssertionError("not within 5 seconds");
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        return Duration.ofNanos(System.nanoTime() - start);
    }

    /** An identity provider: RSA and EC keys, their public JWKS served over HTTP on loopback, and signed JWTs. */
    static final class Issuer implements AutoCloseable {
        static final String ISSUER = "https://idp.example.test/";
        static final String AUDIENCE = "prefect-camel";

        final RSAKey rsa;
        final ECKey ec;
        final RSAKey unpublished;
        final AtomicInteger fetches = new AtomicInteger();
        private final HttpServer server;

        Issuer() {
            try {
                rsa = new RSAKeyGenerator(2048).keyID("rsa-1").generate();
                ec = new ECKeyGenerator(Curve.P_256).keyID("ec-1").generate();
                unpublished = new RSAKeyGenerator(2048).keyID("rsa-unpublished").generate();
                byte[] jwks = new JWKSet(List.<JWK>of(rsa.toPublicJWK(), ec.toPublicJWK())).toString()
                        .getBytes(StandardCharsets.UTF_8);
                server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
                server.createContext("/jwks.json", exchange -> {
                    fetches.incrementAndGet();
                    exchange.getResponseHeaders().add("Content-Type", "application/json");
                    exchange.sendResponseHeaders(200, jwks.length);
                    exchange.getResponseBody().write(jwks);
                    exchange.close();
                });
                server.start();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }

        String jwksUrl() {
            return "http://127.0.0.1:" + server.getAddress().getPort() + "/jwks.json";
        }

        JWTClaimsSet.Builder claims(String subject, String scope) {
            return new JWTClaimsSet.Builder().issuer(ISSUER).audience(AUDIENCE).subject(subject)
                    .claim("scope", scope).issueTime(new Date())
                    .expirationTime(Date.from(Instant.now().plusSeconds(600)));
        }

        String rs256(JWTClaimsSet claims) {
            try {
                return sign(new RSASSASigner(rsa), JWSAlgorithm.RS256, rsa.getKeyID(), claims);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }

        String es256(JWTClaimsSet claims) {
            try {
                return sign(new ECDSASigner(ec), JWSAlgorithm.ES256, ec.getKeyID(), claims);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }

        String unpublishedKey(JWTClaimsSet claims) {
            try {
                return sign(new RSASSASigner(unpublished), JWSAlgorithm.RS256, unpublished.getKeyID(), claims);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }

        private static String sign(com.nimbusds.jose.JWSSigner signer, JWSAlgorithm alg, String kid, JWTClaimsSet claims) {
            try {
                SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(alg).keyID(kid).type(JOSEObjectType.JWT).build(), claims);
                jwt.sign(signer);
                return jwt.serialize();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }

        Map<String, String> settings() {
            return Map.of("facade.auth.mode", "jwt", "facade.auth.jwt.jwks", jwksUrl(), "facade.auth.jwt.issuer", ISSUER,
                    "facade.auth.jwt.audience", AUDIENCE, "facade.auth.jwt.authorization-servers",
                    "https://idp.example.test");
        }

        @Override
        public void close() {
            server.stop(0);
        }
    }
}
