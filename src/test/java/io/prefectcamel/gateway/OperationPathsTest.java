package io.prefectcamel.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.apache.camel.support.RestConsumerContextPathMatcher;
import org.junit.jupiter.api.Test;

/**
 * The REST facade's routing by path and method: every operation of the OpenAPI document is found at its own path,
 * with its path parameters, and for every path the same operation as Camel's REST matching would choose.
 */
class OperationPathsTest {

    private static final FacadeSpec SPEC = FacadeSpec.get();
    private static final OperationPaths PATHS = OperationPaths.get();

    /** A request path for an operation: each {parameter} replaced by a value that names it. */
    private static String concrete(String template) {
        return template.replaceAll("\\{([^}]+)}", "v-$1");
    }

    @Test
    void everyOperationIsFoundAtItsPathWithItsParameters() {
        assertThat(SPEC.operations()).hasSizeGreaterThan(60);
        for (FacadeSpec.Operation op : SPEC.operations().values()) {
            OperationPaths.Match m = PATHS.match(op.method(), concrete(op.path()));
            assertThat(m).as(op.method() + " " + op.path()).isNotNull();
            assertThat(m.operationId()).as(op.path()).isEqualTo(op.id());
            assertThat(m.route()).isEqualTo("direct:" + op.id());
            for (Map.Entry<String, String> p : m.parameters().entrySet()) {
                assertThat(p.getValue()).isEqualTo("v-" + p.getKey());
            }
            long pathParameters = op.parameters().stream().filter(p -> "path".equals(p.in())).count();
            assertThat(m.parameters()).as(op.id()).hasSize((int) pathParameters);
        }
    }

    @Test
    void choosesWhatCamelsRestMatchingChooses() {
        List<RestConsumerContextPathMatcher.ConsumerPath<String>> camel = new ArrayList<>();
        for (FacadeSpec.Operation op : SPEC.operations().values()) {
            camel.add(new RestConsumerContextPathMatcher.ConsumerPath<>() {
                public String getRestrictMethod() { return op.method(); }
                public String getConsumerPath() { return op.path(); }
                public String getConsumer() { return op.id(); }
                public boolean isMatchOnUriPrefix() { return false; }
            });
        }
        List<String> requests = new ArrayList<>();
        for (FacadeSpec.Operation op : SPEC.operations().values()) {
            requests.add(concrete(op.path()));
            // a literal segment where another operation has a parameter: "next", "filter", "count-by", ...
            String[] segments = OperationPaths.split(op.path());
            StringBuilder literalEverywhere = new StringBuilder();
            for (String s : segments) {
                literalEverywhere.append('/').append(s.startsWith("{") ? "filter" : s);
            }
            requests.add(literalEverywhere.toString());
        }
        int compared = 0;
        for (String path : requests) {
            for (String method : List.of("GET", "POST", "PUT", "PATCH", "DELETE")) {
                RestConsumerContextPathMatcher.ConsumerPath<String> c =
                        RestConsumerContextPathMatcher.matchBestPath(method, path, camel);
                OperationPaths.Match m = PATHS.match(method, path);
                assertThat(m == null ? null : m.operationId()).as(method + " " + path)
                        .isEqualTo(c == null ? null : c.getConsumer());
                compared++;
            }
        }
        assertThat(compared).isGreaterThan(600);
    }

    @Test
    void aLiteralSegmentWinsOverAParameter() {
        String base = "/v1/api/accounts/a/workspaces/w/events/filter";
        assertThat(PATHS.match("POST", base).operationId()).isEqualTo("readWorkspaceEvents");
        assertThat(PATHS.match("GET", base + "/next").operationId()).isEqualTo("readWorkspaceEventsPage");
    }

    @Test
    void slashesAtTheEndsDoNotCountAndAnEmptySegmentIsAnEmptyValue() {
        assertThat(PATHS.match("POST", "/v1/api/accounts/a/workspaces/w/events/filter/").operationId())
                .isEqualTo("readWorkspaceEvents");
        OperationPaths.Match empty = PATHS.match("POST", "/v1/api/accounts//workspaces/w/events/filter");
        assertThat(empty.parameters()).containsEntry("account-id", "");
        assertThat(OperationPaths.split("//a//b/")).containsExactly("a", "", "b");
        assertThat(OperationPaths.split("/")).isEmpty();
    }

    @Test
    void unknownPathsAndMethodsAreNotMatched() {
        assertThat(PATHS.match("GET", "/v1/api/nothing")).isNull();
        assertThat(PATHS.match("GET", "/v1/api/accounts/a/workspaces/w/events/filter")).isNull();
        assertThat(PATHS.methodsAt("/v1/api/accounts/a/workspaces/w/events/filter")).containsExactly("POST");
        assertThat(PATHS.methodsAt("/v1/api/nothing")).isEmpty();
        assertThat(PATHS.match("GET", "/v1/api/accounts/a/workspaces/w/events/filter/next/more")).isNull();
        assertThat(PATHS.methodsAt("/v1/operations")).containsExactly("GET");
        assertThat(PATHS.hasPath("/v1/operations")).isTrue();
        assertThat(PATHS.hasPath("/v1/api/accounts/a/workspaces/w/events/filter")).isTrue();
        assertThat(PATHS.hasPath("/mcp")).isFalse();
        assertThat(PATHS.hasPath("/v1/openapi.json")).isFalse();
    }
}
