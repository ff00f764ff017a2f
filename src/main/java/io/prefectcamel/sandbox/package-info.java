/**
 * An embedded, in-memory stand-in for Prefect Cloud's events API and administration API.
 *
 * <p>{@link io.prefectcamel.sandbox.PrefectSandbox} serves Prefect Cloud's own paths under
 * {@code /api/accounts/{account_id}} and {@code /api/accounts/{account_id}/workspaces/{workspace_id}}
 * (and {@code /api/me/}, {@code /api/users/}, {@code /api/workspace_scopes}) with the JDK's HTTP server;
 * {@link io.prefectcamel.sandbox.EventStore} holds the events, {@link io.prefectcamel.sandbox.AdminStore}
 * the administration data.
 *
 * <h2>The administration API</h2>
 * <ul>
 *   <li>The operations are those of the facade's OpenAPI document with toolset {@code admin} (57), read
 *       from it at start ({@code AdminSpec}): Prefect's method and path, the request schema and the
 *       answer's status and schema. A generic create / read / update / delete / filter over one table per
 *       resource kind serves most of them ({@code AdminApi}); request bodies are checked against the
 *       schemas with pydantic's error types ({@code SchemaCheck}: required, types, uuid / email /
 *       date-time, lengths, bounds, enums, extra fields), answers hold exactly the fields of their
 *       schema (so a key never shows where Prefect's schema leaves it out).</li>
 *   <li>Written out: a bot's key and a user API key shown once (then only {@code masked_key}); key
 *       rotation, the old key revoked or kept {@code old_key_expires_in_seconds}; invitations (revoking
 *       twice is fine); access upserts for users, bots and teams; team members; {@code me/*} with
 *       scopes from the caller's roles (its own access and its teams'); actor access; workspace scopes
 *       from Prefect's scope names; rate-limit status. 409 for a taken workspace handle, team name,
 *       role name, user or account handle. The creator of a workspace gets Owner access to it.</li>
 *   <li>Seeded on every start ({@link io.prefectcamel.sandbox.AdminSeed}): the demo account, its demo
 *       and analytics workspaces, account roles, Prefect's built-in workspace roles (Viewer, Runner,
 *       Developer, Owner, Worker), three users, two bots, two teams, access, invitations, keys, a session.</li>
 *   <li>Keys: besides the sandbox's own key, a key the sandbox issued to a bot or user is accepted (the
 *       caller is then that bot or user); a deleted bot's key, a rotated-out or expired one gets 401,
 *       even when the sandbox has no key of its own.</li>
 *   <li>Events and administration agree: in an account the admin store holds, events go only to its
 *       workspaces (404 otherwise, and for a deleted workspace or account).</li>
 * </ul>
 *
 * <h2>Modelled on Prefect (Cloud's OpenAPI document and the open-source server's code)</h2>
 * <ul>
 *   <li>{@code POST .../events}: pydantic's validation of {@code Event} (required fields, UUIDs,
 *       datetimes, event name at most 1024 characters, a non-empty {@code prefect.resource.id},
 *       a role on every related resource, at most 500 labels per resource and 100 related
 *       resources), FastAPI's 422 shape, {@code json_invalid}, 204, idempotent by event id.</li>
 *   <li>{@code POST .../events/filter} and {@code GET .../events/filter/next}: every
 *       {@code EventFilter} field with the server's matching rules (label wildcards {@code *} and
 *       negation {@code !}, related filters that must hold on one related resource, text search
 *       with OR terms, {@code -}/{@code !} exclusions, {@code +} required terms and quoted phrases),
 *       default window from the start of today less 180 days clamped to Cloud's 14 days,
 *       newest first, {@code next_page} as an absolute URL, 403 for a bad token.</li>
 *   <li>{@code POST .../events/count-by/{countable}}: buckets aligned on 2024-04-01, zero-filled,
 *       at most 1000 (else 422 with Prefect's message), groups sorted by count then label.</li>
 *   <li>{@code GET .../flow_runs/{id}/events} with {@code if-none-match} (304), and
 *       {@code GET/DELETE .../tags}.</li>
 *   <li>Bearer auth (401), 404/405, 411 without Content-Length, 413 over 5 MiB, optional 429s
 *       with {@code Retry-After} and added latency.</li>
 * </ul>
 *
 * <h2>Where the sandbox differs on purpose</h2>
 * <ul>
 *   <li>Paging uses a keyset cursor and a snapshot (events stored after the first page are not
 *       seen by that query, and {@code until} is pinned), so a query returns every event exactly
 *       once; Prefect pages by offset. A page with {@code limit} 0 has no {@code next_page}.</li>
 *   <li>Cloud's {@code EventFilter.limit} and {@code offset} are validated but not applied.</li>
 *   <li>Events to an account the admin store does not hold (any other account id) are accepted, with
 *       any workspace id, as before the sandbox had an administration API.</li>
 *   <li>Administration: no permission checks by role (every valid key may do everything), no
 *       invitation acceptance, filters honour {@code limit}, {@code offset}, {@code any_} and
 *       {@code like_} on the fields a record shows and a few flags; other criteria are ignored.</li>
 * </ul>
 */
package io.prefectcamel.sandbox;
