package io.prefectcamel.mcp;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.dialect.Dialects;
import io.modelcontextprotocol.json.schema.JsonSchemaValidator;
import io.modelcontextprotocol.json.schema.jackson2.DefaultJsonSchemaValidator;

/**
 * The JSON Schema checks of tool arguments and of every structured result (JSON Schema 2020-12, as the SDK's own
 * validator), at a fraction of its cost per call:
 * <ul>
 * <li>a tool's schema is compiled once and found again by the schema's identity (the SDK's validator hashes the
 * whole schema on every call, hundreds of nested maps for an EventPage);</li>
 * <li>a result that is already a JSON tree (FacadeToolInvoker hands the SDK one) is checked as it is, not copied
 * into a new tree first;</li>
 * <li>a valid result is not written out as text once more: the SDK uses that text only for a result without
 * content, and every structured result here carries its JSON as text content already;</li>
 * <li>a value goes first through a quick walk for the keywords the tools' schemas use ({@link LeanSchema}), which
 * can only vouch for it; what it cannot vouch for, the full validator decides and explains.</li>
 * </ul>
 * On the EventPage result of {@code read-workspace-events} these three were about 12% of a tool call's CPU.
 */
final class ToolSchemaValidator implements JsonSchemaValidator {

    /** More distinct schemas than this means they are not the tools' own: the cache starts over. */
    private static final int MAX_SCHEMAS = 4096;

    private final ObjectMapper mapper;
    /** The SDK's own, for the one check of each tool's schema against the 2020-12 meta-schema at registration. */
    private final DefaultJsonSchemaValidator metaSchema;
    private final SchemaRegistry registry = SchemaRegistry.withDefaultDialect(Dialects.getDraft202012());
    private final Map<Identity, Compiled> schemas = new ConcurrentHashMap<>();

    /** A tool's schema for the full check and, where its keywords allow, for the quick one before it (or null). */
    private record Compiled(Schema full, LeanSchema lean) {
    }

    ToolSchemaValidator(ObjectMapper mapper) {
        this.mapper = mapper;
        this.metaSchema = new DefaultJsonSchemaValidator(mapper);
    }

    /** Whether a tool's schema is a valid JSON Schema (the server asks once per tool, when it is registered). */
    @Override
    public ValidationResponse validateSchema(Map<String, Object> schema) {
        return metaSchema.validateSchema(schema);
    }

    /** A schema's map, compared by identity: tools keep theirs for as long as the server runs. */
    private record Identity(Map<String, Object> schema) {
        @Override
        public boolean equals(Object o) {
            return o instanceof Identity other && other.schema == schema;
        }

        @Override
        public int hashCode() {
            return System.identityHashCode(schema);
        }
    }

    @Override
    public ValidationResponse validate(Map<String, Object> schema, Object structuredContent) {
        if (schema == null) {
            throw new IllegalArgumentException("Schema must not be null");
        }
        if (structuredContent == null) {
            throw new IllegalArgumentException("Structured content must not be null");
        }
        if (structuredContent instanceof StructuredJson json && json.vouchedFor(schema)) {
            return ValidationResponse.asValid(null); // its text was checked against this schema (vouches)
        }
        try {
            JsonNode content = structuredContent instanceof StructuredJson json ? json.tree()
                    : structuredContent instanceof JsonNode node ? node
                    : structuredContent instanceof String text ? mapper.readTree(text)
                    : mapper.valueToTree(structuredContent);
            Compiled c = compiled(schema);
            if (c.lean() != null && c.lean().surelyValid(content)) {
                return ValidationResponse.asValid(null);
            }
            List<Error> errors = c.full().validate(content);
            return errors.isEmpty() ? ValidationResponse.asValid(null)
                    : ValidationResponse.asInvalid("Validation failed: JSON schema validation errors: " + errors);
        } catch (Exception e) {
            return ValidationResponse.asInvalid("Unexpected validation error: " + e.getMessage());
        }
    }

    /**
     * Whether JSON text is surely valid for a tool's schema, by the quick check read as a stream (no tree is built);
     * false when the text is not JSON or the check cannot tell. {@code top} is told of the top-level members.
     */
    boolean vouches(Map<String, Object> schema, byte[] json, LeanSchema.TopMembers top) {
        LeanSchema lean = compiled(schema).lean();
        if (lean == null) {
            return false;
        }
        try (JsonParser p = mapper.createParser(json)) {
            return lean.surelyValid(p, top);
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    private Compiled compiled(Map<String, Object> schema) {
        Identity key = new Identity(schema);
        Compiled c = schemas.get(key);
        if (c == null) {
            if (schemas.size() >= MAX_SCHEMAS) {
                schemas.clear();
            }
            JsonNode tree = mapper.valueToTree(schema);
            c = new Compiled(registry.getSchema(tree), LeanSchema.compile(tree));
            schemas.putIfAbsent(key, c);
        }
        return c;
    }

    int cachedSchemas() {
        return schemas.size();
    }
}
