package io.prefectcamel.mcp;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.JsonSerializable;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.jsontype.TypeSerializer;

/**
 * A tool result's structured content that is written as its JSON text: the same JSON the result carries as text (a
 * page from Prefect with its link spliced in), so the page is not serialised again.
 * <p>
 * Either it was made from a tree (the tree is what the output schema is checked against, {@link ToolSchemaValidator})
 * or its text was already checked against the tool's output schema by the quick streaming check, which built no tree
 * ({@link #vouched}); then a tree is read from the text only if something asks for one.
 */
final class StructuredJson implements JsonSerializable {

    /** Reads the text back as FacadeToolInvoker reads Prefect's answer: one value, decimals exactly as written. */
    private static final ObjectReader READER = new ObjectMapper().reader()
            .with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS, DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

    private final String json;
    private volatile JsonNode tree;
    private volatile byte[] utf8;
    /** The output schema the text was found valid for (by identity), or null. */
    private final Map<String, Object> vouchedFor;

    StructuredJson(JsonNode tree, String json) {
        this(tree, json, null, null);
    }

    private StructuredJson(JsonNode tree, String json, byte[] utf8, Map<String, Object> vouchedFor) {
        this.tree = tree;
        this.json = json;
        this.utf8 = utf8;
        this.vouchedFor = vouchedFor;
    }

    /** JSON text (and its UTF-8 bytes) that the quick check found valid for this output schema. */
    static StructuredJson vouched(String json, byte[] utf8, Map<String, Object> schema) {
        return new StructuredJson(null, json, utf8, schema);
    }

    String json() {
        return json;
    }

    byte[] utf8() {
        byte[] b = utf8;
        if (b == null) {
            b = json.getBytes(StandardCharsets.UTF_8);
            utf8 = b;
        }
        return b;
    }

    /** The value as a tree: the one it was made from, or read from its text. */
    JsonNode tree() {
        JsonNode t = tree;
        if (t == null) {
            try {
                t = READER.readTree(json);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            tree = t;
        }
        return t;
    }

    /** Whether the quick check found this text valid for exactly this schema (the tool's own map). */
    boolean vouchedFor(Map<String, Object> schema) {
        return vouchedFor != null && vouchedFor == schema;
    }

    @Override
    public void serialize(JsonGenerator gen, SerializerProvider serializers) throws IOException {
        gen.writeRawValue(json);
    }

    @Override
    public void serializeWithType(JsonGenerator gen, SerializerProvider serializers, TypeSerializer typeSer)
            throws IOException {
        gen.writeRawValue(json);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof StructuredJson other && other.json.equals(json);
    }

    @Override
    public int hashCode() {
        return json.hashCode();
    }

    @Override
    public String toString() {
        return json;
    }
}
