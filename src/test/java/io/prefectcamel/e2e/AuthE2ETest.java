package io.prefectcamel.e2e;

import static io.prefectcamel.e2e.Events.event;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.util.List;

import io.prefectcamel.testing.FacadeClient;
import io.prefectcamel.testing.FacadeUnderTest;
import io.prefectcamel.testing.ServiceUnderTest;
import io.prefectcamel.testing.TestKey;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The sandbox takes only the key it was built with. The service calls it with its own key, and never with the
 * caller's Authorization header.
 */
class AuthE2ETest {

    @RegisterExtension
    static final SandboxUnderTest e2e = SandboxUnderTest.withTestDefaults();

    private final FacadeClient client = e2e.client();

    private long stored(Scope scope) {
        return e2e.sandbox().store().events().stream().filter(e -> scope.workspace().equals(e.workspace())).count();
    }

    @Test
    void theSandboxRefusesAnyOtherKey() {
        Scope scope = Scope.fresh();
        String path = scope.prefect() + "/events/filter";

        assertThat(e2e.direct("POST", path, "{}", "").statusCode()).as("no Authorization").isEqualTo(401);
        assertThat(e2e.direct("POST", path, "{}", "Bearer other").statusCode()).as("another key").isEqualTo(401);
        assertThat(e2e.direct("POST", path, "{}", "Bearer " + TestKey.VALUE + "x").statusCode()).as("a longer key").isEqualTo(401);
        assertThat(e2e.direct("POST", path, "{}", null).statusCode()).as("its key").isEqualTo(200);
    }

    @Test
    void theServiceCallsWithItsKey() {
        Scope scope = Scope.fresh();

        HttpResponse<String> created = client.post(scope.facade() + "/events", Events.body(List.of(event("acme.auth.ok", "acme.auth.1"))));

        assertThat(created.statusCode()).as(created.body()).isEqualTo(204);
        assertThat(stored(scope)).isOne();
        assertThat(e2e.reader().readAll(scope, null, null).total()).isOne();
    }

    @Test
    void aCallersOwnAuthorizationIsNotForwarded() {
        Scope scope = Scope.fresh();
        String[] callers = {"Authorization", "Bearer other"};

        HttpResponse<String> created = client.post(scope.facade() + "/events",
                Events.body(List.of(event("acme.auth.caller", "acme.auth.2"))), callers);
        HttpResponse<String> read = client.post(scope.facade() + "/events/filter", "{}", callers);
        HttpResponse<String> tags = client.get(scope.facade() + "/tags", callers);

        assertThat(created.statusCode()).as(created.body()).isEqualTo(204);
        assertThat(read.statusCode()).as(read.body()).isEqualTo(200);
        assertThat(Events.parse(read.body()).path("total").asLong()).isOne();
        assertThat(tags.statusCode()).as(tags.body()).isEqualTo(200);
        assertThat(stored(scope)).isOne();
    }

    /**
     * A service given another key is refused by the sandbox, even when its caller sends the sandbox's own key: the
     * caller's header never travels upstream, so it cannot stand in for the service's.
     */
    @Test
    void aServiceWithAnotherKeyIsRefusedWhateverTheCallerSends() {
        Scope scope = Scope.fresh();
        try (ServiceUnderTest wrongKey = ServiceUnderTest.builder()
                .prefect(e2e.sandbox().baseUrl(), "pnu_not_the_sandbox_key")
                .properties(FacadeUnderTest.TEST_DEFAULTS)
                .start()) {
            FacadeClient other = new FacadeClient(wrongKey.baseUrl());

            HttpResponse<String> created = other.post(scope.facade() + "/events",
                    Events.body(List.of(event("acme.auth.refused", "acme.auth.3"))), "Authorization", "Bearer " + TestKey.VALUE);
            HttpResponse<String> read = other.post(scope.facade() + "/events/filter", "{}", "Authorization", "Bearer " + TestKey.VALUE);

            HttpResponse<String> prefect = e2e.direct("POST", scope.prefect() + "/events/filter", "{}", "Bearer pnu_not_the_sandbox_key");
            assertThat(created.statusCode()).as(created.body()).isEqualTo(401);
            assertThat(read.statusCode()).as(read.body()).isEqualTo(401);
            assertThat(read.body()).as("Prefect's answer, unchanged").isEqualTo(prefect.body());
            assertThat(stored(scope)).isZero();
        }
    }
}
