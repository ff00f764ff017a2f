package io.prefectcamel.gateway;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import org.yaml.snakeyaml.LoaderOptions;

/**
 * Reads a YAML (or JSON) document into a plain JSON tree: every alias replaced by a copy of what its anchor names,
 * merge keys ({@code <<: *base}) applied, nothing left that says an anchor was there. Jackson's tree reader alone keeps
 * an alias as the string {@code "id001"}, which is not what the document says.
 * <p>
 * It reads with Jackson's YAML parser, so scalars get the types the REST DSL's OpenAPI parser gives them.
 */
final class PlainYaml {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final String MERGE = "<<";
    private static final int MAX_ALIASES = 10_000;

    private PlainYaml() {
    }

    /** The document as a tree without aliases; fails on a recursive or unknown alias or a key given twice. */
    static JsonNode read(String text) {
        try (YAMLParser parser = parser(text)) {
            if (parser.nextToken() == null) {
                throw new IllegalArgumentException("The document is empty");
            }
            return new Reader(parser).value();
        } catch (IOException e) {
            throw new UncheckedIOException("The document is not YAML: " + e.getMessage(), e);
        }
    }

    /** Whether the text uses anchors, aliases or merge keys (which a reader of the served document should not see). */
    static boolean usesAnchors(String text) {
        try (YAMLParser parser = parser(text)) {
            for (JsonToken t = parser.nextToken(); t != null; t = parser.nextToken()) {
                if (parser.getCurrentAnchor() != null || parser.isCurrentAlias()
                        || t == JsonToken.FIELD_NAME && MERGE.equals(parser.currentName())) {
                    return true;
                }
            }
            return false;
        } catch (IOException e) {
            throw new UncheckedIOException("The document is not YAML: " + e.getMessage(), e);
        }
    }

    private static YAMLParser parser(String text) throws IOException {
        LoaderOptions options = new LoaderOptions();
        options.setCodePointLimit(64 * 1024 * 1024);
        return (YAMLParser) YAMLFactory.builder().loaderOptions(options).build().createParser(text);
    }

    private static final class Reader {

        private final YAMLParser parser;
        private final Map<String, JsonNode> anchors = new HashMap<>();
        private final Set<String> open = new HashSet<>();
        private int aliases;

        Reader(YAMLParser parser) {
            this.parser = parser;
        }

        /** The value at the current token, which it consumes. */
        JsonNode value() throws IOException {
            JsonToken t = parser.currentToken();
            if (t == JsonToken.VALUE_STRING && parser.isCurrentAlias()) {
                return alias(parser.getText());
            }
            String anchor = parser.getCurrentAnchor();
            if (anchor != null) {
                open.add(anchor);
            }
            JsonNode node = switch (t) {
                case START_OBJECT -> mapping();
                case START_ARRAY -> sequence();
                case VALUE_STRING -> NODES.textNode(parser.getText());
                case VALUE_NUMBER_INT -> switch (parser.getNumberType()) {
                    case INT -> NODES.numberNode(parser.getIntValue());
                    case LONG -> NODES.numberNode(parser.getLongValue());
                    default -> NODES.numberNode(parser.getBigIntegerValue());
                };
                case VALUE_NUMBER_FLOAT -> NODES.numberNode(parser.getDoubleValue());
                case VALUE_TRUE -> NODES.booleanNode(true);
                case VALUE_FALSE -> NODES.booleanNode(false);
                case VALUE_NULL -> NODES.nullNode();
                case VALUE_EMBEDDED_OBJECT -> NODES.binaryNode(parser.getBinaryValue());
                default -> throw new IllegalArgumentException("Unexpected " + t + " at " + parser.currentLocation());
            };
            if (anchor != null) {
                open.remove(anchor);
                anchors.put(anchor, node);
            }
            return node;
        }

        private JsonNode alias(String name) {
            if (open.contains(name)) {
                throw new IllegalArgumentException("Recursive alias *" + name + " at " + parser.currentLocation());
            }
            JsonNode target = anchors.get(name);
            if (target == null) {
                throw new IllegalArgumentException("Alias *" + name + " names no anchor, at " + parser.currentLocation());
            }
            if (++aliases > MAX_ALIASES) {
                throw new IllegalArgumentException("More than " + MAX_ALIASES + " aliases");
            }
            return target.deepCopy();
        }

        private ArrayNode sequence() throws IOException {
            ArrayNode array = NODES.arrayNode();
            while (parser.nextToken() != JsonToken.END_ARRAY) {
                array.add(value());
            }
            return array;
        }

        private ObjectNode mapping() throws IOException {
            List<ObjectNode> merged = new ArrayList<>();
            ObjectNode explicit = NODES.objectNode();
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String name = parser.currentName();
                parser.nextToken();
                JsonNode v = value();
                if (MERGE.equals(name)) {
                    for (JsonNode source : v.isArray() ? v : List.of(v)) {
                        if (!(source instanceof ObjectNode map)) {
                            throw new IllegalArgumentException("A merge key (<<) takes mappings, near " + parser.currentLocation());
                        }
                        merged.add(map);
                    }
                } else if (explicit.has(name)) {
                    throw new IllegalArgumentException("The key '" + name + "' is given twice, near " + parser.currentLocation());
                } else {
                    explicit.set(name, v);
                }
            }
            if (merged.isEmpty()) {
                return explicit;
            }
            // explicit keys win over merged ones; of the merged mappings, the first that has a key gives it
            ObjectNode out = NODES.objectNode();
            for (ObjectNode map : merged) {
                map.fields().forEachRemaining(f -> {
                    if (!out.has(f.getKey())) {
                        out.set(f.getKey(), f.getValue());
                    }
                });
            }
            out.setAll(explicit);
            return out;
        }
    }
}
