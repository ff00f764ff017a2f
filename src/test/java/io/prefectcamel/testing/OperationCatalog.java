package io.prefectcamel.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

/**
 * The operation catalog (src/main/catalog/operations.yaml) as the tests see it: the lists that tests iterate over
 * come from here, so a new catalog entry is tested without editing a list.
 */
public final class OperationCatalog {

    public static final Path FILE = Path.of("src/main/catalog/operations.yaml");

    /** One catalog entry. */
    public record Entry(JsonNode node) {
        public String id() {
            return node.path("id").asText();
        }

        public String route() {
            return node.path("route").asText("call");
        }

        public boolean export() {
            return route().equals("export");
        }

        /** The facade's operation search (GET /v1/operations): no Prefect operation. */
        public boolean search() {
            return route().equals("search");
        }

        public String prefectMethod() {
            return node.path("prefect").path("method").asText(null);
        }

        public String prefectPath() {
            return node.path("prefect").path("path").asText(null);
        }

        public String prefectOperationId() {
            return node.path("prefect").path("operationId").asText(null);
        }

        public String toolset() {
            return node.path("toolset").asText(null);
        }

        public String tool() {
            return node.path("tool").asText(null);
        }

        public List<String> aliases() {
            List<String> out = new ArrayList<>();
            node.path("aliases").forEach(a -> out.add(a.asText()));
            return out;
        }

        public boolean hint(String name) {
            for (JsonNode h : node.path("hints")) {
                if (h.asText().equals(name)) {
                    return true;
                }
            }
            return false;
        }

        public boolean readOnly() {
            return hint("read-only");
        }

        public boolean idempotent() {
            return hint("idempotent");
        }

        public boolean destructive() {
            return hint("destructive");
        }

        /** The facade path: /v1 + Prefect's path, trailing slash removed, `_` -> `-`. */
        public String facadePath() {
            return export() || search() ? node.path("path").asText() : "/v1" + prefectPath().replaceAll("/+$", "").replace('_', '-');
        }

        @Override
        public String toString() {
            return id();
        }
    }

    private static volatile List<Entry> entries;

    private OperationCatalog() {
    }

    public static List<Entry> entries() {
        if (entries == null) {
            try {
                List<Entry> list = new ArrayList<>();
                new ObjectMapper(new YAMLFactory()).readTree(FILE.toFile()).path("operations")
                        .forEach(n -> list.add(new Entry(n)));
                entries = List.copyOf(list);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return entries;
    }

    /** The entries that call a Prefect operation (not the facade's own exports and search). */
    public static Stream<Entry> prefectOperations() {
        return entries().stream().filter(e -> !e.export() && !e.search());
    }

    /** Every MCP tool name of the given toolsets (aliases included), optionally only the read-only ones. */
    public static List<String> toolNames(List<String> toolsets, boolean readOnlyOnly) {
        List<String> names = new ArrayList<>();
        prefectOperations().filter(e -> e.tool() != null && toolsets.contains(e.toolset()))
                .filter(e -> !readOnlyOnly || e.readOnly())
                .forEach(e -> {
                    names.add(e.tool());
                    names.addAll(e.aliases());
                });
        return names;
    }

    /** The MCP tools offered by default (mcp.toolsets=events). */
    public static List<String> defaultToolNames() {
        return toolNames(List.of("events"), false);
    }

    /** The discovery tool tools/list offers beside the operations' own tools (mcp.tool-mode=all, the default). */
    public static final String SEARCH_TOOL = "search-operations";

    /** What tools/list answers by default: the default tools and {@link #SEARCH_TOOL}. */
    public static List<String> defaultListedToolNames() {
        List<String> names = new ArrayList<>(defaultToolNames());
        names.add(SEARCH_TOOL);
        return names;
    }
}
