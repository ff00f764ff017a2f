package io.prefectcamel.auth;

import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static io.prefectcamel.auth.AuthFixtures.ACCOUNT;
import static io.prefectcamel.auth.AuthFixtures.EMPTY_PAGE;
import static io.prefectcamel.auth.AuthFixtures.FACADE_WORKSPACE;
import static io.prefectcamel.auth.AuthFixtures.WORKSPACE;
import static io.prefectcamel.auth.AuthFixtures.send;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import io.prefectcamel.testing.FacadeUnderTest;
import io.prefectcamel.testing.FakePrefect;
import io.prefectcamel.testing.KeyLeakCheck;
import io.prefectcamel.testing.ServiceUnderTest;
import io.prefectcamel.testing.TestKey;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.Property;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * JWTs checked against a JWKS file that changes while the service runs (a new key counts within seconds), and the
 * audit log: one line per call naming the credential, never its value.
 */
@ExtendWith(KeyLeakCheck.class)
class JwksFileAndAuditTest {

    /** Collects the audit logger's lines. */
    static final class Lines extends AbstractAppender {
        final List<String> lines = new CopyOnWriteArrayList<>();

        Lines() {
            super("audit-lines", null, null, true, Property.EMPTY_ARRAY);
        }

        @Override
        public void append(LogEvent event) {
            lines.add(event.getMessage().getFormattedMessage());
        }
    }

    @Test
    void aKeyAddedToTheJwksFileCountsAndEveryCallIsAudited() throws Exception {
        Lines audit = new Lines();
        audit.start();
        org.apache.logging.log4j.core.Logger logger = ((LoggerContext) LogManager.getContext(false))
                .getLogger("io.prefectcamel.audit");
        logger.addAppender(audit);
        Path jwks = Files.createTempFile("jwks", ".json");
        try (AuthFixtures.Issuer idp = new AuthFixtures.Issuer(); FakePrefect prefect = FakePrefect.start()) {
            Files.writeString(jwks, new JWKSet(List.<JWK>of(idp.rsa.toPublicJWK())).toString());
            prefect.stubFor(any(anyUrl()).willReturn(okJson(EMPTY_PAGE)));
            try (ServiceUnderTest service = ServiceUnderTest.builder().prefect(prefect.url(), TestKey.VALUE)
                    .properties(FacadeUnderTest.TEST_DEFAULTS)
                    .properties(idp.settings())
                    .property("facade.auth.jwt.jwks", jwks.toString())
                    .start()) {
                String url = service.baseUrl() + FACADE_WORKSPACE + "/events/filter";
                String rsa = idp.rs256(idp.claims("auditor", "events:read").build());
                String ec = idp.es256(idp.claims("newcomer", "events:read").build());

                assertThat(send("POST", url, "{}", "Content-Type", "application/json", "Authorization", "Bearer " + rsa)
                        .statusCode()).isEqualTo(200);
                assertThat(send("POST", url, "{}", "Content-Type", "application/json", "Authorization", "Bearer " + ec)
                        .statusCode()).as("a key the file does not hold yet").isEqualTo(401);

                Files.writeString(jwks, new JWKSet(List.<JWK>of(idp.rsa.toPublicJWK(), idp.ec.toPublicJWK())).toString());
                Files.setLastModifiedTime(jwks, java.nio.file.attribute.FileTime.fromMillis(System.currentTimeMillis() + 2000));
                AuthFixtures.await(() -> send("POST", url, "{}", "Content-Type", "application/json",
                        "Authorization", "Bearer " + ec).statusCode() == 200);

                send("POST", service.baseUrl() + FACADE_WORKSPACE + "/events", "[]", "Content-Type", "application/json",
                        "Authorization", "Bearer " + rsa);

                assertThat(audit.lines).contains("caller=auditor operation=readWorkspaceEvents account=" + ACCOUNT
                        + " workspace=" + WORKSPACE + " status=200 ms=" + msOf(audit.lines, "caller=auditor operation=readWorkspaceEvents"));
                assertThat(audit.lines).anySatisfy(l -> assertThat(l).startsWith("caller=newcomer operation=readWorkspaceEvents")
                        .contains("status=200"));
                assertThat(audit.lines).anySatisfy(l -> assertThat(l).startsWith("caller=auditor operation=createWorkspaceEvents")
                        .contains("status=403"));
                assertThat(audit.lines).noneMatch(l -> l.contains(rsa) || l.contains(ec) || l.contains(rsa.substring(0, 30)));
            }
        } finally {
            logger.removeAppender(audit);
            Files.deleteIfExists(jwks);
        }
    }

    private static String msOf(List<String> lines, String prefix) {
        return lines.stream().filter(l -> l.startsWith(prefix)).findFirst().map(l -> l.substring(l.lastIndexOf("ms=") + 3))
                .orElse("?");
    }
}
