package io.prefectcamel.kamelets;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/** The catalog's rules, those of apache/camel-kamelets, applied to every {@code kamelet-catalog/*.kamelet.yaml}. */
class KameletCatalogTest {

    static final Path CATALOG = Path.of("kamelet-catalog");
    static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{\\??([A-Za-z0-9_.-]+)}}");
    static final Set<String> BUILT_IN = Set.of("routeId", "templateId");
    static final Set<String> SECRET_WORDS = Set.of("key", "secret", "token", "password");
    /** The support jar with the shared Prefect call (retry policy, Retry-After), built and installed by this project. */
    static final String CALL_SUPPORT_JAR = "mvn:io.prefectcamel:prefect-camel-call:0.1.0-SNAPSHOT";

    record Kamelet(Path file, String text, Map<String, Object> doc) {
        String name() {
            return (String) map(doc, "metadata").get("name");
        }

        Map<String, Object> spec() {
            return map(doc, "spec");
        }

        Map<String, Object> definition() {
            return map(spec(), "definition");
        }

        Map<String, Object> properties() {
            return map(definition(), "properties");
        }

        String type() {
            return (String) map(map(doc, "metadata"), "labels").get("camel.apache.org/kamelet.type");
        }

        String template() {
            try {
                return YAML.writeValueAsString(spec().get("template"));
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }

        @SuppressWarnings("unchecked")
        List<String> dependencies() {
            return (List<String>) spec().getOrDefault("dependencies", List.of());
        }

        Set<String> localBeans() {
            Set<String> names = new HashSet<>();
            Object beans = map(spec(), "template").get("beans");
            if (beans instanceof List<?> list) {
                list.forEach(b -> names.add((String) ((Map<?, ?>) b).get("name")));
            }
            return names;
        }
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Map<String, Object> parent, String key) {
        Object value = parent.get(key);
        assertThat(value).as(key).isInstanceOf(Map.class);
        return (Map<String, Object>) value;
    }

    @SuppressWarnings("unchecked")
    static List<Kamelet> catalog() throws IOException {
        List<Kamelet> out = new ArrayList<>();
        try (Stream<Path> files = Files.list(CATALOG)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".kamelet.yaml")).sorted().toList()) {
                String text = Files.readString(f);
                out.add(new Kamelet(f, text, YAML.readValue(text, LinkedHashMap.class)));
            }
        }
        return out;
    }

    @Test
    void theCatalogHoldsTheKameletsOfTheEventsApi() throws IOException {
        assertThat(catalog()).extracting(Kamelet::name).contains(
                "prefect-api-action", "prefect-events-source", "prefect-events-sink", "prefect-read-events-action",
                "prefect-count-events-action", "prefect-flow-run-events-action", "prefect-list-tags-action",
                "prefect-delete-tag-action", "prefect-operation-action");
    }

    @TestFactory
    Stream<DynamicTest> everyKameletFollowsTheCatalogRules() throws IOException {
        List<Kamelet> catalog = catalog();
        Map<String, Kamelet> byName = new LinkedHashMap<>();
        catalog.forEach(k -> byName.put(k.name(), k));
        return catalog.stream().map(k -> DynamicTest.dynamicTest(k.file().getFileName().toString(), () -> check(k, byName)));
    }

    private void check(Kamelet k, Map<String, Kamelet> catalog) throws IOException {
        String name = k.name();
        assertThat(k.file().getFileName().toString()).as("file name").isEqualTo(name + ".kamelet.yaml");
        assertThat(k.doc().get("apiVersion")).isEqualTo("camel.apache.org/v1");
        assertThat(k.doc().get("kind")).isEqualTo("Kamelet");
        assertThat(new ArrayList<>(k.doc().keySet())).containsExactly("apiVersion", "kind", "metadata", "spec");
        assertThat(new ArrayList<>(map(k.doc(), "metadata").keySet())).containsExactly("name", "annotations", "labels");

        // type: label, name suffix, title suffix
        String type = k.type();
        assertThat(type).as("kamelet.type label").isIn("source", "sink", "action");
        assertThat(name).matches("[a-z0-9]+(-[a-z0-9]+)*").endsWith("-" + type);
        String title = (String) k.definition().get("title");
        assertThat(title).endsWith(" " + Character.toUpperCase(type.charAt(0)) + type.substring(1));

        // annotations, with an icon that is an SVG data URI
        Map<String, Object> annotations = map(map(k.doc(), "metadata"), "annotations");
        assertThat(annotations).containsKeys("camel.apache.org/kamelet.support.level", "camel.apache.org/catalog.version",
                "camel.apache.org/provider", "camel.apache.org/kamelet.group", "camel.apache.org/kamelet.icon");
        String icon = (String) annotations.get("camel.apache.org/kamelet.icon");
        assertThat(icon).startsWith("data:image/svg+xml;base64,");
        String svg = new String(Base64.getDecoder().decode(icon.substring(icon.indexOf(',') + 1)), StandardCharsets.UTF_8);
        assertThat(svg).startsWith("<svg").contains("xmlns=\"http://www.w3.org/2000/svg\"").contains("</svg>");

        // spec keys in the catalog's order
        List<String> order = List.of("definition", "dataTypes", "dependencies", "template");
        List<String> keys = new ArrayList<>(k.spec().keySet());
        assertThat(order).containsAll(keys);
        assertThat(keys).isSortedAccordingTo((a, b) -> order.indexOf(a) - order.indexOf(b));
        assertThat(keys).contains("definition", "dependencies", "template");

        // definition: properties camelCase, each with title, description and type; secrets hidden
        assertThat(k.definition()).containsKeys("title", "description", "type", "properties");
        assertThat(k.definition().get("type")).isEqualTo("object");
        Set<String> declared = k.properties().keySet();
        for (String property : declared) {
            Map<String, Object> p = map(k.properties(), property);
            assertThat(property).as("property name").matches("[a-z][a-zA-Z0-9]*");
            assertThat(p).as(property).containsKeys("title", "description", "type");
            assertThat(p.get("type")).as(property).isIn("string", "integer", "number", "boolean", "object", "array");
            if (SECRET_WORDS.stream().anyMatch(w -> property.toLowerCase().endsWith(w))) {
                assertThat(p.get("format")).as(property + " format").isEqualTo("password");
                assertThat(String.valueOf(p.get("x-descriptors"))).as(property + " x-descriptors").contains("urn:camel:group:credentials");
            }
        }
        @SuppressWarnings("unchecked")
        List<String> required = (List<String>) k.definition().getOrDefault("required", List.of());
        assertThat(declared).as("required properties are declared").containsAll(required);

        // declared = used
        String template = k.template();
        Set<String> used = new TreeSet<>();
        Matcher m = PLACEHOLDER.matcher(template);
        while (m.find()) {
            used.add(m.group(1));
        }
        for (Object p : k.properties().values()) {
            Object def = ((Map<?, ?>) p).get("default");
            if (def instanceof String s) {
                Matcher d = PLACEHOLDER.matcher(s);
                while (d.find()) {
                    used.add(d.group(1));
                }
            }
        }
        used.removeAll(BUILT_IN);
        used.removeAll(k.localBeans());
        assertThat(used).as("properties the template uses").containsExactlyInAnyOrderElementsOf(new TreeSet<>(declared));

        // the Kamelets it calls exist, and their dependencies are listed too
        Set<String> needed = new TreeSet<>(dependenciesOf(template));
        Matcher calls = Pattern.compile("kamelet:([a-z0-9-]+)").matcher(template);
        while (calls.find()) {
            String called = calls.group(1);
            if (!called.equals("source") && !called.equals("sink")) {
                assertThat(catalog).as("kamelet:" + called).containsKey(called);
                needed.addAll(catalog.get(called).dependencies());
            }
        }
        assertThat(k.dependencies()).as("dependencies").containsAll(needed);

        // no Kamelet sleeps: waits are the shared call's asynchronous redelivery
        assertThat(template).as("no delay step").doesNotContain("delay:");

        // a source hands its events on; sinks and actions are called
        if (type.equals("source")) {
            assertThat(template).contains("kamelet:sink").doesNotContain("uri: \"kamelet:source\"");
        } else {
            assertThat(map(map(k.spec(), "template"), "from").get("uri")).isEqualTo("kamelet:source");
        }
        // sinks strip dispatch headers
        if (type.equals("sink")) {
            assertThat(template).contains("CamelHttp*").contains("Authorization");
        }
        // the key goes to Prefect only as a bearer token set by the shared call
        if (!name.equals("prefect-api-action") && declared.contains("apiKey")) {
            assertThat(template).containsAnyOf("kamelet:prefect-api-action", "kamelet:prefect-operation-action")
                    .doesNotContain("Bearer");
        }
    }

    /** The catalog dependencies a template needs, by what it uses. */
    static Set<String> dependenciesOf(String template) {
        Set<String> deps = new TreeSet<>(Set.of("camel:kamelet"));
        Map<String, String> uses = Map.of(
                "timer:", "camel:timer",
                "jq:", "camel:jq",
                "jsonpath", "camel:jsonpath",
                "circuitBreaker", "camel:resilience4j",
                "library: \"Jackson\"", "camel:jackson",
                "{{apiUrl}}", "camel:http",
                "io.prefectcamel.call", CALL_SUPPORT_JAR);
        uses.forEach((marker, dep) -> {
            if (template.contains(marker)) {
                deps.add(dep);
            }
        });
        return deps;
    }
}
