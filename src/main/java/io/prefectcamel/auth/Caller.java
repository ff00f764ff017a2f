package io.prefectcamel.auth;

import java.util.Set;

/**
 * Who is calling, once their credential has been checked: a token of the token store, a JWT's subject, or (with
 * {@code facade.auth.mode=none}) nobody in particular. Never holds the credential itself.
 *
 * @param id           stable identity of the credential (an MCP session belongs to it), e.g. {@code token:3f9c...}
 * @param name         what the audit log calls it: the token's name or the JWT's subject
 * @param scopes       granted scopes, e.g. {@code events:read}
 * @param accounts     accounts the credential is restricted to (empty: any)
 * @param workspaces   workspaces the credential is restricted to (empty: any)
 * @param ratePerSecond calls per second it may make (0: the default)
 * @param maxConcurrent calls it may have running at once (0: the default)
 */
public record Caller(String id, String name, Set<String> scopes, Set<String> accounts, Set<String> workspaces,
        double ratePerSecond, int maxConcurrent) {

    /** Every scope: what a caller may do when callers are not authenticated. */
    public static final Caller ANONYMOUS = new Caller("anonymous", "anonymous",
            Set.of("events:read", "events:write", "admin:read", "admin:write"), Set.of(), Set.of(), 0, 0);

    public boolean anonymous() {
        return this == ANONYMOUS;
    }

    public boolean has(String scope) {
        return scope != null && scopes.contains(scope);
    }
}
