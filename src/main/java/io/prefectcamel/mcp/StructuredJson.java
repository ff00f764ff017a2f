package io.prefectcamel.mcp;

import java.io.IOException;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.JsonSerializable;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.jsontype.TypeSerializer;

/**
 * A tool result's structured content that is written as its JSON text: the same JSON the result carries as text (a
 * page from Prefect with its link spliced in), so the page is not serialised again from the tree. The tree is what
 * the output schema is checked against ({@link ToolSchemaValidator}) and what the text was made to equal.
 */
record StructuredJson(JsonNode tree, String json) implements JsonSerializable {

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
    public String toString() {
        return json;
    }
}
