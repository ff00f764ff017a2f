package io.prefectcamel.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Request bodies checked against Prefect's schemas as pydantic reports them, and answers shaped by schemas. */
class SchemaCheckTest {

    private final AdminSpec spec = AdminSpec.get();
    private final SchemaCheck check = new SchemaCheck(spec);

    private List<String> errors(String schema, String body) throws IOException {
        Problems problems = new Problems();
        check.check(spec.schema(schema), Json.MAPPER.readTree(body), Problems.loc("body"), problems);
        List<String> out = new ArrayList<>();
        for (JsonNode e : problems.errors()) {
            out.add(e.path("type").asText() + " " + e.path("loc"));
        }
        return out;
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource(delimiter = '|', value = {
        "WorkspaceCreate | {\"name\":\"a\",\"handle\":\"a\"}                      | ",
        "WorkspaceCreate | {\"name\":\"a\",\"handle\":\"a\",\"description\":null} | ",
        "WorkspaceCreate | {\"name\":\"a\"}                                       | missing [\"body\",\"handle\"]",
        "WorkspaceCreate | {\"name\":1,\"handle\":\"a\"}                          | string_type [\"body\",\"name\"]",
        "WorkspaceCreate | {\"name\":\"a\",\"handle\":\"a\",\"x\":1}              | extra_forbidden [\"body\",\"x\"]",
        "WorkspaceCreate | []                                                     | model_attributes_type [\"body\"]",
        "BotCreate       | {\"name\":\"b\",\"account_role_id\":\"nope\"}          | uuid_parsing [\"body\",\"account_role_id\"]",
        "BotCreate       | {\"name\":\"b\",\"api_key_expiration\":\"soon\"}       | datetime_from_date_parsing [\"body\",\"api_key_expiration\"]",
        "BotCreate       | {\"name\":\"b\",\"api_key_expiration\":\"2030-01-01T00:00:00+00:00\"} | ",
        "InvitationCreate | {\"email\":\"x\",\"account_role_id\":\"0c5f2a8e-7b1d-4c3e-9a6f-1b2c3d4e5f62\"} | value_error [\"body\",\"email\"]",
        "BotRotateAPIKey | {\"old_key_expires_in_seconds\":172801}              | less_than_equal [\"body\",\"old_key_expires_in_seconds\"]",
        "BotRotateAPIKey | {\"old_key_expires_in_seconds\":-1}                  | greater_than_equal [\"body\",\"old_key_expires_in_seconds\"]",
        "BotRotateAPIKey | {\"old_key_expires_in_seconds\":1.5}                 | int_from_float [\"body\",\"old_key_expires_in_seconds\"]",
        "UpsertTeamMembersBody | {\"members\":[{\"member_id\":\"0c5f2a8e-7b1d-4c3e-9a6f-1b2c3d4e5f62\",\"member_type\":\"bot\"}]} | enum [\"body\",\"members\",0,\"member_type\"]",
        "UpsertTeamMembersBody | {\"members\":{}}                                | list_type [\"body\",\"members\"]",
        "ReadTeamsBody   | {\"limit\":201}                                       | less_than_equal [\"body\",\"limit\"]",
        "ReadTeamsBody   | {\"teams\":{\"name\":{\"any_\":[\"a\"],\"none_\":1}}}   | extra_forbidden [\"body\",\"teams\",\"name\",\"none_\"]",
    })
    void bodiesAreCheckedAsPydanticWould(String schema, String body, String expected) throws IOException {
        List<String> errors = errors(schema.trim(), body.trim());
        if (expected == null) {
            assertThat(errors).isEmpty();
        } else {
            assertThat(errors).containsExactly(expected.trim());
        }
    }

    @Test
    void tooLongStringsAreRefused() throws IOException {
        assertThat(errors("WorkspaceRoleCreate", "{\"name\":\"r\",\"description\":\"" + "x".repeat(141) + "\"}"))
                .containsExactly("string_too_long [\"body\",\"description\"]");
    }

    @Test
    void answersHoldExactlyTheSchemasFieldsWithDefaults() throws IOException {
        JsonNode bot = Json.MAPPER.readTree("{\"id\":\"i\",\"name\":\"b\",\"secret\":\"s\","
                + "\"api_key\":{\"id\":\"k\",\"name\":\"b\",\"key\":\"pnb_secret\",\"masked_key\":\"pnb_...cret\",\"digest\":\"d\"}}");
        JsonNode read = check.render(spec.schema("BotReadResponse"), bot);
        assertThat(read.has("secret")).isFalse();
        assertThat(read.path("api_key").has("key")).isFalse();
        assertThat(read.path("api_key").has("digest")).isFalse();
        assertThat(read.path("api_key").path("masked_key").asText()).isEqualTo("pnb_...cret");
        JsonNode created = check.render(spec.schema("BotCreateResponse"), bot);
        assertThat(created.path("api_key").path("key").asText()).isEqualTo("pnb_secret");
        assertThat(created.path("api_key").has("masked_key")).isFalse();

        JsonNode workspace = check.render(spec.schema("Workspace"), Json.MAPPER.readTree("{\"id\":\"w\",\"name\":\"n\"}"));
        assertThat(workspace.path("is_public").asBoolean(true)).as("the schema's default").isFalse();
        assertThat(workspace.path("default_workspace_role_id").isNull()).as("nullable, absent").isTrue();
    }
}
