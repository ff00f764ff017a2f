package io.prefectcamel.mcp;

import java.util.List;

import io.modelcontextprotocol.server.McpServerFeatures;

/**
 * Extra tools for the MCP server, looked up in the Camel registry only when {@code mcp.test-fixtures=true}.
 * The conformance suite's {@code test_*} fixture tools come in this way, from the test classpath; the
 * product registers none.
 */
public interface McpToolContributor {

    List<McpServerFeatures.AsyncToolSpecification> tools();
}
