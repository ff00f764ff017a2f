#!/usr/bin/env python3
"""Derives the facade's OpenAPI document from Prefect Cloud's events description.

Input : ../shared/upstream/prefect-cloud-events-api-openapi.api-evangelist.yml (the `Events` tag of
        Prefect Cloud's OpenAPI 0.8.4, operations and schemas identical to the full document).
Output: src/main/resources/openapi/prefect-camel-openapi.yaml

Schemas are taken as Prefect publishes them; paths move under /v1/api with kebab-case path
parameters, operations get readable ids, and each operation records the Prefect call it maps to
(x-prefect-operation) and how it appears as an MCP tool (x-mcp). Run it from the project root:

    python3 scripts/derive-facade-openapi.py [path/to/upstream.yml]
"""
import copy
import sys

import yaml

UPSTREAM = sys.argv[1] if len(sys.argv) > 1 else "../shared/upstream/prefect-cloud-events-api-openapi.api-evangelist.yml"
OUT = "src/main/resources/openapi/prefect-camel-openapi.yaml"
UUID_PATTERN = "^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$"

ACCOUNT = "/api/accounts/{account_id}"
WORKSPACE = ACCOUNT + "/workspaces/{workspace_id}"

# operationId, facade path, method, upstream path, tag, MCP tool, hints (readOnly, destructive, idempotent), summary, description
OPERATIONS = [
    ("createAccountEvents", "POST", ACCOUNT + "/events", "account-events", "create-account-events", (False, False, False),
     "Create account events",
     "Records a batch of events for an account. The body is a JSON array of events; each needs an `id` (UUID), "
     "`occurred` (date-time), `event` (its name, at most 1024 characters) and a `resource` whose "
     "`prefect.resource.id` is set. Prefect answers 204 with no body. A create is retried only when Prefect "
     "answers 429, so an event reaches Prefect once or the call fails."),
    ("countAccountEvents", "POST", ACCOUNT + "/events/count-by/{countable}", "account-events", "count-account-events", (True, False, True),
     "Count account events",
     "Counts the account's events matching `filter`, grouped by `countable`: `day`, `time` (buckets of "
     "`time_interval` `time_unit`s), `event` (event name), `resource`, `workspace` or `actor`. A read, even "
     "though it is a POST."),
    ("readAccountEvents", "POST", ACCOUNT + "/events/filter", "account-events", "read-account-events", (True, False, True),
     "Read account events",
     "Returns the first page (`limit` 0..200, default 50) of the account's events that match `filter`, the "
     "total count, and `next_page`: a link to this facade's `.../events/filter/next` that returns the next "
     "page, or null on the last page. Without a time window Prefect reads the last hour; one query covers "
     "at most 14 days."),
    ("readAccountEventsPage", "GET", ACCOUNT + "/events/filter/next", "account-events", "read-account-events-page", (True, False, True),
     "Read the next page of account events",
     "Returns the page that a previous query's `next_page` link points at. `page-token` is opaque: pass it "
     "as received."),
    ("createWorkspaceEvents", "POST", WORKSPACE + "/events", "workspace-events", "create-workspace-events", (False, False, False),
     "Create workspace events",
     "Records a batch of events for one workspace. The body is a JSON array of events; each needs an `id` "
     "(UUID), `occurred` (date-time), `event` (its name, at most 1024 characters) and a `resource` whose "
     "`prefect.resource.id` is set. Prefect answers 204 with no body. A create is retried only when Prefect "
     "answers 429."),
    ("countWorkspaceEvents", "POST", WORKSPACE + "/events/count-by/{countable}", "workspace-events", "count-workspace-events", (True, False, True),
     "Count workspace events",
     "Counts the workspace's events matching `filter`, grouped by `countable`: `day`, `time` (buckets of "
     "`time_interval` `time_unit`s), `event` (event name), `resource`, `workspace` or `actor`. A read, even "
     "though it is a POST."),
    ("readWorkspaceEvents", "POST", WORKSPACE + "/events/filter", "workspace-events", "read-workspace-events", (True, False, True),
     "Read workspace events",
     "Returns the first page (`limit` 0..200, default 50) of the workspace's events that match `filter`, "
     "the total count, and `next_page`: a link to this facade's `.../events/filter/next` that returns the "
     "next page, or null on the last page. Without a time window Prefect reads the last hour; one query "
     "covers at most 14 days."),
    ("readWorkspaceEventsPage", "GET", WORKSPACE + "/events/filter/next", "workspace-events", "read-workspace-events-page", (True, False, True),
     "Read the next page of workspace events",
     "Returns the page that a previous query's `next_page` link points at. `page-token` is opaque: pass it "
     "as received."),
    ("getFlowRunEvents", "GET", WORKSPACE + "/flow_runs/{flow_run_id}/events", "flow-runs", "get-events-flow-run", (True, False, True),
     "Get events for a flow run",
     "Returns the events of one flow run (and of its task runs unless `with_task_runs` is false), "
     "`limit` at a time from `offset`. With `If-None-Match` set to the current event count, Prefect answers "
     "304 Not Modified and no body."),
    ("listTags", "GET", WORKSPACE + "/tags", "tags", "list-tags", (True, False, True),
     "List tags",
     "Pages through the tags seen in the workspace (`page` from 1, `limit` per page), optionally narrowed "
     "by `search` and ordered by `sort`."),
    ("deleteWorkspaceTag", "DELETE", WORKSPACE + "/tags", "tags", "delete-workspace-tag", (False, True, True),
     "Delete a workspace tag",
     "Removes `tag` from the workspace's tag index. Prefect answers 204 with no body."),
]
ALIASES = {"createAccountEvents": ["create-account-events-2"]}

PARAM_NAMES = {"account_id": "account-id", "workspace_id": "workspace-id", "flow_run_id": "flow-run-id"}
PARAM_DOCS = {
    "account-id": "The Prefect account's id (a UUID).",
    "workspace-id": "The Prefect workspace's id (a UUID).",
    "flow-run-id": "The flow run's id (a UUID).",
    "countable": "What to group the counts by.",
    "page-token": "The opaque token from a previous page's `next_page` link.",
    "If-None-Match": "The event count the caller already has; when it is still current Prefect answers 304.",
}


def facade_path(upstream_path):
    path = "/v1" + upstream_path.replace("/flow_runs/", "/flow-runs/")
    for old, new in PARAM_NAMES.items():
        path = path.replace("{" + old + "}", "{" + new + "}")
    return path


def add_tuple_items(node):
    """Prefect's (resource id, role) tuples use prefixItems alone; linters want `items` beside them. When every
    prefixItem is a string, `items: {type: string}` says the same thing."""
    if isinstance(node, dict):
        prefix = node.get("prefixItems")
        if prefix and "items" not in node and all(p == {"type": "string"} for p in prefix):
            node["items"] = {"type": "string"}
        for v in node.values():
            add_tuple_items(v)
    elif isinstance(node, list):
        for v in node:
            add_tuple_items(v)


def main():
    with open(UPSTREAM) as f:
        up = yaml.safe_load(f)
    schemas = copy.deepcopy(up["components"]["schemas"])
    renames = {}
    for name in list(schemas):
        if name.startswith("Body_"):
            short = ("ReadEventsBody" if "_filter_post" in name else "CountEventsBody")
            renames[name] = short
    for old, new in renames.items():
        body = schemas.pop(old)
        body["title"] = new
        schemas[new] = body

    def fix_refs(node):
        if isinstance(node, dict):
            ref = node.get("$ref")
            if ref and ref.startswith("#/components/schemas/"):
                name = ref.rsplit("/", 1)[1]
                node["$ref"] = "#/components/schemas/" + renames.get(name, name)
            for v in node.values():
                fix_refs(v)
        elif isinstance(node, list):
            for v in node:
                fix_refs(v)

    schemas["Problem"] = {
        "type": "object",
        "title": "Problem",
        "description": "An error made by this facade (RFC 9457 problem details).",
        "properties": {
            "type": {"type": "string", "description": "A URI reference that identifies the problem type."},
            "title": {"type": "string", "description": "A short summary of the problem type."},
            "status": {"type": "integer", "description": "The HTTP status code."},
            "detail": {"type": "string", "description": "What went wrong in this occurrence, and how to fix it."},
            "instance": {"type": "string", "description": "The request path."},
            "parameter": {"type": "string", "description": "The request parameter at fault, when there is one."},
        },
        "required": ["type", "title", "status", "detail"],
    }

    paths = {}
    for (op_id, method, up_path, tag, tool, hints, summary, description) in OPERATIONS:
        up_op = up["paths"][up_path][method.lower()]
        params = []
        for p in up_op.get("parameters", []):
            p = copy.deepcopy(p)
            p["name"] = PARAM_NAMES.get(p["name"], p["name"])
            if p["in"] == "header" and p["name"].lower() == "if-none-match":
                p["name"] = "If-None-Match"
                p["schema"] = {"type": "string", "title": "If-None-Match", "maxLength": 64}
            schema = p.get("schema", {})
            if p["in"] == "path" and p["name"].endswith("-id"):
                p["schema"] = {"type": "string", "format": "uuid", "pattern": UUID_PATTERN, "title": schema.get("title", p["name"])}
            if p["name"] == "page-token":
                p["schema"] = {"type": "string", "minLength": 1, "maxLength": 4096, "title": "Page-Token"}
            if p["name"] in ("search", "tag"):
                p["schema"]["maxLength"] = 1024
            if p["name"] == "limit" and p["in"] == "query":
                p["schema"].update({"minimum": 1, "maximum": 200})
            p.setdefault("description", PARAM_DOCS.get(p["name"], p.get("schema", {}).get("description", p["name"])))
            params.append(p)
        params.sort(key=lambda p: ({"path": 0, "query": 1, "header": 2}[p["in"]]))
        path_order = ["account-id", "workspace-id", "flow-run-id", "countable"]
        params.sort(key=lambda p: path_order.index(p["name"]) if p["name"] in path_order else 99)

        responses = {}
        for code, resp in up_op["responses"].items():
            if code == "422":
                resp = copy.deepcopy(resp)
                resp["description"] = "Prefect rejected the request (its validation error, passed through unchanged)"
            responses[code] = copy.deepcopy(resp)
        if "200" in responses:
            responses["200"]["description"] = "Prefect's answer, passed through"
            if not responses["200"]["content"]["application/json"]["schema"]:
                responses["200"]["content"]["application/json"]["schema"] = {
                    "type": "array", "items": {"$ref": "#/components/schemas/ReceivedEvent"}, "title": "Flow run events"}
        if "204" in responses:
            responses["204"]["description"] = "Done; no body"
        if op_id == "getFlowRunEvents":
            responses["304"] = {"description": "Not modified: the flow run still has the event count given in If-None-Match"}
        for code in ("400", "413", "415", "429", "502", "503", "504"):
            if code in ("413", "415") and "requestBody" not in up_op:
                continue
            responses[code] = {"$ref": "#/components/responses/" + {
                "400": "BadRequest", "413": "TooLarge", "415": "NotJson", "429": "TooManyRequests",
                "502": "BadGateway", "503": "Unavailable", "504": "GatewayTimeout"}[code]}
        responses = dict(sorted(responses.items()))

        op = {
            "tags": [tag],
            "summary": summary,
            "description": description,
            "operationId": op_id,
        }
        if params:
            op["parameters"] = params
        if "requestBody" in up_op:
            body = copy.deepcopy(up_op["requestBody"])
            body["required"] = body.get("required", op_id.startswith("create"))
            if op_id.startswith("create"):
                body["content"]["application/json"]["schema"]["minItems"] = 1
                body["description"] = "The events to record, at most 5 MiB of JSON."
            else:
                body["description"] = "Paging and filter criteria; an empty body reads with Prefect's defaults."
            op["requestBody"] = body
        op["responses"] = responses
        op["x-prefect-operation"] = {"method": method, "path": up_path}
        op["x-mcp"] = {
            "tool": tool,
            "aliases": ALIASES.get(op_id, []),
            "title": summary[0].upper() + summary[1:],
            "toolset": "events",
            "readOnlyHint": hints[0],
            "destructiveHint": hints[1],
            "idempotentHint": hints[2],
            "openWorldHint": True,
        }
        paths.setdefault(facade_path(up_path), {})[method.lower()] = op

    for scope, read_op in (("account", "readAccountEvents"), ("workspace", "readWorkspaceEvents")):
        read_path = facade_path((ACCOUNT if scope == "account" else WORKSPACE) + "/events/filter")
        read = paths[read_path]["post"]
        export = {
            "tags": [scope + "-events"],
            "summary": "Export %s events as NDJSON" % scope,
            "description": (
                "Takes the same body as `%s`, follows every `next_page` link and streams each matching event as one "
                "line of JSON (`application/x-ndjson`) from the first page on, with bounded memory. The last line "
                "is not an event but says how the export ended: `{\"export_status\": \"complete\", \"events\": N}`, "
                "`\"max_events_reached\"` when `max_events` stopped it, or `\"incomplete\"` with an `error` when "
                "Prefect failed mid-way. Errors before the first event (bad input, Prefect's 4xx) answer as for `%s`."
                % (read_op, read_op)),
            "operationId": "export%sEvents" % scope.capitalize(),
            "parameters": copy.deepcopy(read["parameters"]) + [{
                "name": "max_events", "in": "query", "required": False,
                "description": "Stop after this many events.",
                "schema": {"type": "integer", "minimum": 1}}],
            "requestBody": copy.deepcopy(read["requestBody"]),
            "responses": {k: copy.deepcopy(v) for k, v in read["responses"].items() if k != "200"},
            "x-prefect-operation": {"method": "POST", "path": read["x-prefect-operation"]["path"],
                                    "follows": read["x-prefect-operation"]["path"] + "/next"},
        }
        export["responses"]["200"] = {
            "description": "The matching events, one JSON object per line, then a status line",
            "content": {"application/x-ndjson": {"schema": {"type": "string"}}}}
        export["responses"] = dict(sorted(export["responses"].items()))
        paths[read_path.replace("/events/filter", "/events/export")] = {"post": export}

    fix_refs(paths)
    fix_refs(schemas)
    add_tuple_items(schemas)

    problem = {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}}
    retry_after = {"Retry-After": {"description": "Seconds to wait before trying again.", "schema": {"type": "integer"}}}
    doc = {
        "openapi": "3.1.0",
        "info": {
            "title": "prefect-camel",
            "version": "1.0.0",
            "summary": "A versioned REST facade over Prefect Cloud's events API.",
            "description": (
                "Each operation forwards to the Prefect Cloud operation of the same name (see x-prefect-operation) "
                "with the service's own Prefect API key; callers never send or see that key. Prefect's status, "
                "body and content type pass through; errors made by the facade itself (bad input, Prefect "
                "unreachable, too slow, or rate limited beyond the retry budget) are RFC 9457 problem documents.\n\n"
                "Derived by scripts/derive-facade-openapi.py from Prefect Cloud's OpenAPI 0.8.4 (`Events` tag)."),
            "license": {"name": "Apache-2.0", "identifier": "Apache-2.0"},
            "contact": {"name": "prefect-camel"},
        },
        "servers": [{"url": "http://localhost:8080", "description": "A local prefect-camel service"}],
        "tags": [
            {"name": "account-events", "description": "Events across an account"},
            {"name": "workspace-events", "description": "Events within one workspace"},
            {"name": "flow-runs", "description": "Events of one flow run"},
            {"name": "tags", "description": "The workspace's tag index"},
        ],
        "paths": paths,
        "components": {
            "schemas": dict(sorted(schemas.items())),
            "responses": {
                "BadRequest": {"description": "The request is invalid; the problem names the parameter at fault. Nothing was sent to Prefect.", "content": problem},
                "NotJson": {"description": "The body was sent with a Content-Type other than JSON. Nothing was sent to Prefect.", "content": problem},
                "TooLarge": {"description": "The body is over 5 MiB. Nothing was sent to Prefect.", "content": problem},
                "TooManyRequests": {"description": "Prefect's rate limit held beyond the retry budget.", "headers": retry_after,
                                    "content": {"application/json": {"schema": {"type": "object"}}, "application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}}},
                "BadGateway": {"description": "Prefect could not be reached or answered with a server error.", "content": problem},
                "Unavailable": {"description": "The circuit breaker is open after repeated upstream failures.", "headers": retry_after, "content": problem},
                "GatewayTimeout": {"description": "Prefect did not answer in time.", "content": problem},
            },
        },
    }
    with open(OUT, "w") as f:
        f.write("# Generated by scripts/derive-facade-openapi.py; edit the script, not this file.\n")
        yaml.safe_dump(doc, f, sort_keys=False, width=110, allow_unicode=True)
    print("wrote", OUT, sum(len(v) for v in paths.values()), "operations")


if __name__ == "__main__":
    main()
