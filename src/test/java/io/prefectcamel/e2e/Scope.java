package io.prefectcamel.e2e;

import java.util.UUID;

/** An account and workspace of the sandbox, with the facade's and Prefect's paths to it. */
public record Scope(String account, String workspace) {

    /** A new account and workspace: nothing else of the run lives there. */
    public static Scope fresh() {
        return new Scope(UUID.randomUUID().toString(), UUID.randomUUID().toString());
    }

    /** Another workspace of the same account. */
    public Scope otherWorkspace() {
        return new Scope(account, UUID.randomUUID().toString());
    }

    /** Prefect's path of the workspace, e.g. {@code /api/accounts/A/workspaces/W}. */
    public String prefect() {
        return "/api/accounts/" + account + "/workspaces/" + workspace;
    }

    /** The facade's path of the workspace, e.g. {@code /v1/api/accounts/A/workspaces/W}. */
    public String facade() {
        return "/v1" + prefect();
    }
}
