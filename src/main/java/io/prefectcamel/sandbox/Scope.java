package io.prefectcamel.sandbox;

/**
 * Where a request reads or writes: an account, and a workspace within it (null for the
 * account-level endpoints, which see every event of the account).
 */
record Scope(String account, String workspace) {

    boolean contains(StoredEvent e) {
        return account.equals(e.account) && (workspace == null || workspace.equals(e.workspace));
    }

    String key() {
        return workspace == null ? account : account + "/" + workspace;
    }

    String path() {
        return "/api/accounts/" + account + (workspace == null ? "" : "/workspaces/" + workspace);
    }
}
