// Calls prefect-camel's MCP tools through the official TypeScript MCP SDK client (the client most MCP hosts use),
// over streamable HTTP. Run by io.prefectcamel.mcp.TypeScriptClientTest; usable by hand against a running service:
//
//   node call-all-tools.mjs list <url>                  prints the tool list (every page of tools/list)
//   node call-all-tools.mjs call <url> <fixture.json>   calls the tools the fixture names, checks every listed tool
//
// Output: one JSON object per line on stdout ("type" says which). Diagnostics go to stderr.
//
// The fixture: {"calls": [{"tool": "...", "label": "...", "arguments": {...}, "expect": "success"}, ...]}, called in
// order. "expect" is one of
//   success         the arguments are valid under the tool's inputSchema (checked here with the SDK's Ajv validator)
//                   and the call returns a result with isError not true; a tool with an outputSchema returns
//                   structuredContent, which the SDK client validates against that schema (formats included)
//   tool-error      the call returns a result with isError true (bad arguments are not a protocol error)
//   protocol-error  the call fails with a JSON-RPC error; "code" (optional) is the expected error code
//
// A scenario fixture ({"scenario": true, "calls": [...]}) is a sequence of steps instead: a call may "save" its
// structuredContent under a name, and a later call's argument strings may name a saved value as ${name.path.to.it}
// (the whole string: the value itself; inside a longer string: its text). Not every listed tool need be called then.
//
// Exit status: 0 when every call met its expectation and (but for a scenario) every listed tool had a successful
// call, 1 when not, 2 on a usage error or when the client could not connect or list the tools.
import { readFileSync } from 'node:fs';
import { isDeepStrictEqual } from 'node:util';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { McpError } from '@modelcontextprotocol/sdk/types.js';
import { AjvJsonSchemaValidator } from '@modelcontextprotocol/sdk/validation/ajv';

const CALL_TIMEOUT_MS = 30_000;
// the SDK's own validator (Ajv with formats), as the client uses it for outputSchema: here for the arguments
const inputValidator = new AjvJsonSchemaValidator();

function emit(line) {
  process.stdout.write(JSON.stringify(line) + '\n');
}

function usage() {
  process.stderr.write('usage: node call-all-tools.mjs list <url> | call <url> <fixture.json>\n');
  process.exit(2);
}

async function connect(url) {
  const client = new Client({ name: 'prefect-camel-ts-client-test', version: '1.0.0' });
  const transport = new StreamableHTTPClientTransport(new URL(url));
  await client.connect(transport);
  emit({
    type: 'connected',
    server: client.getServerVersion(),
    protocolVersion: transport.protocolVersion ?? null,
    sessionId: transport.sessionId ?? null,
    capabilities: client.getServerCapabilities() ?? null,
  });
  return { client, transport };
}

/** Every page of tools/list; the SDK client caches each tool's output-schema validator as it reads them. */
async function listAll(client) {
  const tools = [];
  let cursor;
  let pages = 0;
  do {
    const page = await client.listTools(cursor === undefined ? undefined : { cursor });
    pages++;
    tools.push(...page.tools);
    cursor = page.nextCursor;
  } while (cursor !== undefined && cursor !== null);
  return { tools, pages };
}

function textBlocks(result) {
  return (result.content ?? []).filter((c) => c.type === 'text').map((c) => c.text);
}

/** The value at a dotted path (numbers index lists) of what earlier calls saved. */
function lookup(saved, ref) {
  let value = saved;
  for (const part of ref.split('.')) {
    value = value === undefined || value === null ? undefined : value[/^\d+$/.test(part) ? Number(part) : part];
  }
  if (value === undefined) {
    throw new Error(`\${${ref}} names nothing saved`);
  }
  return value;
}

/** The arguments with every ${name.path} replaced by what an earlier call saved. */
function resolve(node, saved) {
  if (typeof node === 'string') {
    const whole = /^\$\{([^}]+)\}$/.exec(node);
    if (whole) {
      return lookup(saved, whole[1]);
    }
    return node.replace(/\$\{([^}]+)\}/g, (_, ref) => String(lookup(saved, ref)));
  }
  if (Array.isArray(node)) {
    return node.map((v) => resolve(v, saved));
  }
  if (node !== null && typeof node === 'object') {
    return Object.fromEntries(Object.entries(node).map(([k, v]) => [k, resolve(v, saved)]));
  }
  return node;
}

async function callOne(client, tool, spec) {
  const started = Date.now();
  const line = {
    type: 'call',
    tool: spec.tool,
    label: spec.label ?? spec.expect,
    expect: spec.expect,
    listed: tool !== undefined,
    hasOutputSchema: Boolean(tool?.outputSchema),
  };
  if (tool?.inputSchema) {
    try {
      const check = inputValidator.getValidator(tool.inputSchema)(spec.arguments ?? {});
      line.argumentsValid = check.valid;
      if (!check.valid) {
        line.argumentsError = check.errorMessage;
      }
    } catch (e) {
      line.argumentsValid = false;
      line.argumentsError = `inputSchema does not compile: ${e?.message ?? e}`;
    }
  }
  try {
    const result = await client.callTool({ name: spec.tool, arguments: spec.arguments ?? {} }, undefined, {
      timeout: CALL_TIMEOUT_MS,
    });
    const texts = textBlocks(result);
    line.outcome = 'result';
    line.isError = result.isError === true;
    line.structured = result.structuredContent !== undefined && result.structuredContent !== null;
    if (line.structured) {
      // the spec asks for the same JSON as text too (for clients that do not read structuredContent)
      let parsed;
      try {
        parsed = JSON.parse(texts[0] ?? '');
      } catch {
        parsed = undefined;
      }
      line.textMatchesStructured = isDeepStrictEqual(parsed, result.structuredContent);
    }
    line.text = texts.join('\n').slice(0, 600);
    if (spec.save) {
      line.structuredContent = result.structuredContent ?? null;
    }
  } catch (e) {
    if (e instanceof McpError) {
      line.outcome = 'protocol-error';
      line.code = e.code;
      if (e.data !== undefined) {
        line.data = e.data;
      }
    } else {
      line.outcome = 'client-error';
    }
    line.message = String(e?.message ?? e).slice(0, 600);
  }
  line.ms = Date.now() - started;
  line.passed = meets(line, spec);
  return line;
}

function meets(line, spec) {
  switch (spec.expect) {
    case 'success':
      return (
        line.argumentsValid === true &&
        line.outcome === 'result' &&
        !line.isError &&
        (!line.hasOutputSchema || line.structured) &&
        (!line.structured || line.textMatchesStructured)
      );
    case 'tool-error':
      return line.outcome === 'result' && line.isError && !line.structured;
    case 'protocol-error':
      return line.outcome === 'protocol-error' && (spec.code === undefined || line.code === spec.code);
    default:
      return false;
  }
}

async function main() {
  const [mode, url, fixtureFile] = process.argv.slice(2);
  if (!url || (mode !== 'list' && mode !== 'call') || (mode === 'call' && !fixtureFile)) {
    usage();
  }
  const fixture = mode === 'call' ? JSON.parse(readFileSync(fixtureFile, 'utf8')) : null;

  let session;
  let listed;
  try {
    session = await connect(url);
    listed = await listAll(session.client);
  } catch (e) {
    emit({ type: 'fatal', stage: session ? 'tools/list' : 'connect', message: String(e?.message ?? e), code: e?.code });
    return 2;
  }
  const { client, transport } = session;
  const byName = new Map(listed.tools.map((t) => [t.name, t]));
  emit({ type: 'tools', pages: listed.pages, tools: listed.tools });

  let failures = 0;
  if (mode === 'call') {
    const succeeded = new Set();
    const saved = {};
    for (const given of fixture.calls) {
      let spec = given;
      try {
        spec = { ...given, arguments: resolve(given.arguments ?? {}, saved) };
      } catch (e) {
        emit({ type: 'call', tool: given.tool, label: given.label, outcome: 'fixture-error', message: String(e.message), passed: false });
        failures++;
        continue;
      }
      const line = await callOne(client, byName.get(spec.tool), spec);
      emit(line);
      if (!line.passed) {
        failures++;
      } else if (spec.expect === 'success') {
        succeeded.add(spec.tool);
        if (spec.save) {
          saved[spec.save] = line.structuredContent;
        }
      }
    }
    const notCalled = fixture.scenario ? [] : listed.tools.map((t) => t.name).filter((n) => !succeeded.has(n));
    failures += notCalled.length;
    emit({ type: 'summary', listed: listed.tools.length, succeeded: [...succeeded], notCalled, failures });
  }

  try {
    await transport.terminateSession();
    await client.close();
  } catch (e) {
    emit({ type: 'close-error', message: String(e?.message ?? e) });
    failures++;
  }
  return failures === 0 ? 0 : 1;
}

// stdout is a pipe when the test runs this: exit only once everything written has been flushed to it
function exit(status) {
  process.stdout.write('', () => process.exit(status));
}

main().then(exit, (e) => {
  emit({ type: 'fatal', stage: 'script', message: String(e?.stack ?? e) });
  exit(2);
});
