package io.prefectcamel.kamelets;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.prefectcamel.sandbox.AdminSeed;
import io.prefectcamel.sandbox.PrefectSandbox;
import org.apache.camel.Exchange;
import org.junit.jupiter.api.Test;

/** The administration flow of the catalog README, as written there, against the sandbox. */
class AdminFlowOnSandboxTest {

    private static final String KEY = "pnu_admin_flow_test";

    @Test
    void aNewServiceAccountGetsTheDeveloperRoleInTheWorkspace() throws Exception {
        try (PrefectSandbox sandbox = PrefectSandbox.builder().host("127.0.0.1").port(0).apiKey(KEY).build().start()) {
            String routes = """
                    - route:
                        from:
                          uri: direct:provision
                          steps:
                            - setBody:
                                simple: '{"name": "${header.botName}"}'
                            - to: "kamelet:prefect-operation-action?operation=createBot&apiKey={{prefect.key}}&accountId={{prefect.account}}"
                            - setHeader:
                                name: botId
                                jsonpath: "$.id"
                            - setBody:
                                simple: '{"bot_id": "${header.botId}", "workspace_role_id": "{{prefect.developer-role}}"}'
                            - to: "kamelet:prefect-operation-action?operation=upsertWorkspaceBotAccess&apiKey={{prefect.key}}&accountId={{prefect.account}}&workspaceId={{prefect.workspace}}"
                    """;
            java.util.Properties p = new java.util.Properties();
            p.setProperty("prefect.key", KEY);
            p.setProperty("prefect.account", PrefectSandbox.DEMO_ACCOUNT_ID);
            p.setProperty("prefect.workspace", PrefectSandbox.DEMO_WORKSPACE_ID);
            p.setProperty("prefect.developer-role", AdminSeed.ROLE_DEVELOPER_ID);
            p.setProperty("camel.kamelet.prefect-operation-action.apiUrl", sandbox.baseUrl());
            try (KameletHarness h = new KameletHarness(routes, Map.of(), p)) {
                Exchange out = h.request("direct:provision", null, Map.of("botName", "nightly-etl"));
                assertThat(out.getException()).isNull();
                assertThat(out.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE, Integer.class)).isEqualTo(200);
                // the upsert's answer: the new bot's access with the Developer role
                assertThat(out.getMessage().getBody(String.class)).contains(AdminSeed.ROLE_DEVELOPER_ID).contains("bot_id");
            }
            HttpResponse<String> access = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(sandbox.baseUrl()
                            + "/api/accounts/" + PrefectSandbox.DEMO_ACCOUNT_ID + "/workspaces/" + PrefectSandbox.DEMO_WORKSPACE_ID
                            + "/access/")).header("Authorization", "Bearer " + KEY).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            JsonNode actors = new ObjectMapper().readTree(access.body());
            assertThat(actors.findValuesAsText("name")).as("who has access to the workspace").contains("nightly-etl");
        }
    }
}
