package io.prefectcamel.gateway;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import org.apache.camel.Exchange;
import org.apache.camel.Message;

/**
 * Serves the facade's OpenAPI document as JSON and as YAML. Both are written from the document read with its
 * aliases resolved ({@link PlainYaml}), so neither holds an anchor, an alias or a merge key, whatever the source file
 * uses: a YAML source without any of them is served as it is (comments and all), one with them is written anew.
 */
public final class OpenApiDocument {

    private final String json;
    private final String yaml;

    public OpenApiDocument() throws IOException {
        this(classpathDocument());
    }

    /** The document served from the given source text (YAML or JSON); fails on a recursive alias or a duplicate key. */
    public OpenApiDocument(String source) {
        JsonNode document = PlainYaml.read(source);
        if (!document.isObject() || !document.has("openapi")) {
            throw new IllegalArgumentException("Not an OpenAPI document: no 'openapi' field at the top");
        }
        try {
            json = new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsString(document);
            yaml = PlainYaml.usesAnchors(source) ? new ObjectMapper(YAMLFactory.builder()
                    .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
                    .disable(YAMLGenerator.Feature.SPLIT_LINES)
                    .enable(YAMLGenerator.Feature.LITERAL_BLOCK_STYLE)
                    .build()).writeValueAsString(document) : source;
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String classpathDocument() throws IOException {
        try (InputStream in = OpenApiDocument.class.getClassLoader().getResourceAsStream(FacadeSpec.LOCATION)) {
            if (in == null) {
                throw new IOException("The facade's OpenAPI document is not on the classpath: " + FacadeSpec.LOCATION);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /** The JSON form, as served. */
    public String jsonText() {
        return json;
    }

    /** The YAML form, as served. */
    public String yamlText() {
        return yaml;
    }

    public void json(Exchange exchange) {
        answer(exchange.getMessage(), json, "application/json");
    }

    public void yaml(Exchange exchange) {
        answer(exchange.getMessage(), yaml, "application/yaml");
    }

    private static void answer(Message msg, String body, String type) {
        msg.removeHeaders("*");
        msg.setHeader(Exchange.CONTENT_TYPE, type);
        msg.setHeader(Exchange.HTTP_RESPONSE_CODE, 200);
        msg.setBody(body);
    }
}
