package io.prefectcamel.auth;

import java.io.IOException;
import java.net.URI;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.text.ParseException;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.KeySourceException;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSelector;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.proc.DefaultJOSEObjectTypeVerifier;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.proc.ConfigurableJWTProcessor;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import com.nimbusds.jwt.proc.ExpiredJWTException;
import io.prefectcamel.call.PrefectIds;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checks callers' JWTs with Nimbus JOSE+JWT: RS256 or ES256, signed by a key of the configured JWKS (a URL, fetched
 * and cached by Nimbus, refetched for an unknown {@code kid}; or a file, reread when it changes), issued by the
 * configured issuer for the configured audience, not expired. Scopes come from the space-separated {@code scope}
 * claim, restrictions from the optional {@code prefect_accounts} and {@code prefect_workspaces} claims.
 */
final class JwtVerifier {

    private static final Logger LOG = LoggerFactory.getLogger(JwtVerifier.class);

    private final ConfigurableJWTProcessor<SecurityContext> processor;
    private final String issuer;

    JwtVerifier(String jwks, String issuer, String audience) throws IOException {
        this.issuer = issuer;
        JWKSource<SecurityContext> source;
        if (jwks.startsWith("http://") || jwks.startsWith("https://")) {
            URL url = URI.create(jwks).toURL();
            source = JWKSourceBuilder.<SecurityContext>create(url).build();
        } else {
            source = new FileJwkSource(Path.of(jwks.startsWith("file:") ? URI.create(jwks).getPath() : jwks));
        }
        processor = new DefaultJWTProcessor<>();
        processor.setJWSTypeVerifier(new DefaultJOSEObjectTypeVerifier<>(JOSEObjectType.JWT,
                new JOSEObjectType("at+jwt"), null));
        processor.setJWSKeySelector(new JWSVerificationKeySelector<>(Set.of(JWSAlgorithm.RS256, JWSAlgorithm.ES256),
                source));
        processor.setJWTClaimsSetVerifier(new DefaultJWTClaimsVerifier<>(Set.of(audience),
                new JWTClaimsSet.Builder().issuer(issuer).build(), Set.of("exp", "iss", "aud"), null));
    }

    /** The caller a JWT stands for; an exception with a reason that never repeats the token when refused. */
    Caller verify(String jwt, AuthSettings settings) throws Refused {
        JWTClaimsSet claims;
        try {
            claims = processor.process(jwt, null);
        } catch (ExpiredJWTException e) {
            throw new Refused("expired JWT");
        } catch (ParseException e) {
            throw new Refused("malformed JWT");
        } catch (Exception e) {
            LOG.debug("JWT refused: {}", e.getMessage());
            throw new Refused("JWT not accepted (signature, key, issuer or audience)");
        }
        try {
            String subject = claims.getSubject() != null ? claims.getSubject()
                    : claims.getStringClaim("client_id") != null ? claims.getStringClaim("client_id")
                    : claims.getStringClaim("azp");
            if (subject == null || subject.isBlank()) {
                throw new Refused("JWT without sub, client_id or azp");
            }
            String scope = claims.getStringClaim("scope");
            Set<String> scopes = new LinkedHashSet<>();
            if (scope != null) {
                for (String s : scope.trim().split("\\s+")) {
                    if (!s.isEmpty()) {
                        scopes.add(s);
                    }
                }
            }
            return new Caller("jwt:" + issuer + "|" + subject, subject, Set.copyOf(scopes),
                    uuids(claims, "prefect_accounts"), uuids(claims, "prefect_workspaces"),
                    settings.defaultRatePerSecond(), settings.defaultMaxConcurrent());
        } catch (ParseException e) {
            throw new Refused("JWT claims of the wrong type (scope is a string, prefect_accounts and"
                    + " prefect_workspaces arrays of UUIDs)");
        }
    }

    private static Set<String> uuids(JWTClaimsSet claims, String name) throws ParseException, Refused {
        if (claims.getClaim(name) == null) {
            return Set.of();
        }
        List<String> values = claims.getStringListClaim(name);
        Set<String> out = new LinkedHashSet<>();
        for (String v : values) {
            if (v == null || !PrefectIds.isUuid(v)) {
                throw new Refused("JWT claim " + name + " must be an array of UUIDs");
            }
            out.add(v.toLowerCase());
        }
        if (out.isEmpty()) {
            // an empty restriction list allows nothing, rather than everything
            out.add("none");
        }
        return Set.copyOf(out);
    }

    /** A refused credential, with a reason fit for the caller and the log. */
    static final class Refused extends Exception {
        Refused(String reason) {
            super(reason, null, false, false);
        }
    }

    /** A JWKS file, reread (at most once a second) when it changes; the last good set stays when it cannot be read. */
    private static final class FileJwkSource implements JWKSource<SecurityContext> {
        private final Path file;
        private volatile JWKSet set = new JWKSet();
        private volatile FileTime seen;
        private volatile long checked;

        FileJwkSource(Path file) throws IOException {
            this.file = file;
            try {
                this.set = JWKSet.load(file.toFile());
                this.seen = Files.getLastModifiedTime(file);
            } catch (ParseException e) {
                throw new IOException("facade.auth.jwt.jwks: " + file + " is not a JWK set");
            }
            this.checked = System.currentTimeMillis();
        }

        @Override
        public List<JWK> get(JWKSelector selector, SecurityContext context) throws KeySourceException {
            long now = System.currentTimeMillis();
            if (now - checked > 1000) {
                checked = now;
                try {
                    FileTime t = Files.getLastModifiedTime(file);
                    if (!t.equals(seen)) {
                        set = JWKSet.load(file.toFile());
                        seen = t;
                    }
                } catch (IOException | ParseException e) {
                    LOG.warn("Cannot reread the JWKS file {} ({}): keeping the keys read before", file,
                            e.getClass().getSimpleName());
                }
            }
            return selector.select(set);
        }
    }
}
