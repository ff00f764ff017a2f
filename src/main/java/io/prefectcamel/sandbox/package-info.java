/**
 * An embedded, in-memory stand-in for Prefect Cloud's events API.
 *
 * <p>{@link io.prefectcamel.sandbox.PrefectSandbox} serves Prefect Cloud's own paths under
 * {@code /api/accounts/{account_id}} and {@code /api/accounts/{account_id}/workspaces/{workspace_id}}
 * with the JDK's HTTP server; {@link io.prefectcamel.sandbox.EventStore} holds the events.
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
 *   <li>Any account and workspace id is accepted; there are no workspace names, members or plans.</li>
 * </ul>
 */
package io.prefectcamel.sandbox;
