package io.prefectcamel.search;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.util.List;
import java.util.function.Predicate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.prefectcamel.testing.OperationCatalog;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The operation index on its own: what it holds, listing, limits, filters and input it must not choke on. */
class OperationIndexTest {

    static OperationIndex index;

    @BeforeAll
    static void build() throws Exception {
        index = OperationIndex.of(SearchIntentsTest.document());
    }

    private static List<String> ids(String query, int limit, Predicate<OperationEntry> allowed) {
        return index.search(query, limit, allowed).stream().map(h -> h.operation().operationId()).toList();
    }

    @Test
    void holdsEveryPrefectOperationOfTheCatalogWithPrefectsOwnMethodAndPath() throws Exception {
        assertThat(index.entries()).extracting(OperationEntry::operationId).containsExactlyElementsOf(
                OperationCatalog.prefectOperations().map(OperationCatalog.Entry::id).toList());
        JsonNode prefect = new ObjectMapper().readTree(new File("../shared/upstream/prefect-cloud-openapi.json"));
        for (OperationEntry e : index.entries()) {
            assertThat(prefect.path("paths").path(e.prefectPath()).has(e.prefectMethod().toLowerCase()))
                    .as(e.prefectMethod() + " " + e.prefectPath() + " is Prefect's, as written in its document").isTrue();
            assertThat(e.path()).startsWith("/v1/api/");
        }
        assertThat(index.find("create-bot")).hasValueSatisfying(e -> {
            assertThat(e.prefectPath()).isEqualTo("/api/accounts/{account_id}/bots/");
            assertThat(e.path()).isEqualTo("/v1/api/accounts/{account-id}/bots");
        });
        assertThat(index.find("create-account-events-2")).hasValueSatisfying(e ->
                assertThat(e.operationId()).isEqualTo("createAccountEvents"));
        assertThat(index.find("no-such-tool")).isEmpty();
    }

    @Test
    void aBlankQueryListsWhatIsAllowedInCatalogOrder() {
        assertThat(index.search(null, 100, e -> true)).hasSize(index.entries().size())
                .allSatisfy(h -> assertThat(h.score()).isNull());
        assertThat(ids("   ", 3, e -> true)).containsExactlyElementsOf(
                index.entries().subList(0, 3).stream().map(OperationEntry::operationId).toList());
        assertThat(ids("", 100, e -> e.toolset().equals("events"))).hasSize(11);
    }

    @Test
    void resultsAreBestFirstLimitedAndFiltered() {
        List<OperationIndex.Hit> hits = index.search("delete", 50, e -> true);
        assertThat(hits.size()).isBetween(10, 50);
        assertThat(hits).extracting(OperationIndex.Hit::score).isSortedAccordingTo((a, b) -> Float.compare(b, a));
        assertThat(ids("delete", 2, e -> true)).hasSize(2);
        Predicate<OperationEntry> readOnly = OperationEntry::readOnly;
        assertThat(index.search("delete a bot", 50, readOnly)).isNotEmpty()
                .allSatisfy(h -> assertThat(h.operation().readOnly()).isTrue());
        assertThat(ids("create a service account", 5, e -> e.toolset().equals("events"))).doesNotContain("createBot");
    }

    @Test
    void synonymsStemmingAndLevels() {
        assertThat(ids("create a service account", 1, e -> true)).containsExactly("createBot");
        assertThat(ids("Service Accounts", 3, e -> true)).contains("readBots");
        assertThat(ids("who am I", 1, e -> true)).containsExactly("readMyProfile");
        assertThat(ids("members of the account", 1, e -> true)).containsExactly("readAccountMemberships");
        assertThat(ids("what permissions exist", 3, e -> true)).contains("getWorkspaceScopes");
        assertThat(ids("send events", 1, e -> true)).containsExactly("createWorkspaceEvents");
        assertThat(ids("send events to the account", 1, e -> true)).containsExactly("createAccountEvents");
        assertThat(ids("count account events", 1, e -> true)).containsExactly("countAccountEvents");
        assertThat(ids("count events", 1, e -> true)).containsExactly("countWorkspaceEvents");
    }

    @Test
    void textIsWordsNotQuerySyntax() {
        for (String odd : List.of("who am I?", "+bot -team", "AND OR NOT", "\"unterminated", "a:b* ~c /re/ [x TO y]",
                "\\", "){}[]^", "bot~2", "*", "?", "&&||!", "\u00e9v\u00e9nements \u2603", "x".repeat(500))) {
            assertThat(index.search(odd, 5, e -> true)).as(odd).isNotNull();
        }
        assertThat(ids("the of a", 5, e -> true)).as("stop words alone match nothing").isEmpty();
        assertThat(ids("ROTATE the KEY", 1, e -> true)).containsExactly("rotateApiKey");
    }
}
