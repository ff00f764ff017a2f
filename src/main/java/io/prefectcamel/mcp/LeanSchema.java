package io.prefectcamel.mcp;

import java.io.IOException;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.networknt.schema.regex.JDKRegularExpressionFactory;

/**
 * A quick first check of a tool's arguments and result against its schemas, for the keywords the tools' schemas use
 * (derived from Prefect's OpenAPI document: type, properties, required, additionalProperties, items, prefixItems,
 * anyOf, enum, const, minLength, maxLength, pattern, minimum, maximum, minItems, maxItems, uniqueItems, and
 * annotations). It answers only "surely valid": a value it cannot vouch for (a keyword
 * it does not know, a number where JSON Schema's equality differs from Jackson's, a value that fails) goes to the
 * full JSON Schema 2020-12 validator, which decides and explains. {@code format} is an annotation here, as it is for
 * that validator in 2020-12 by default; a {@code pattern} is that validator's own regular expression (searched, not
 * anchored), and bounds compare as it compares them (the number's text as a BigDecimal).
 * <p>
 * On an EventPage of 15 events the full validator was about 15% of a {@code tools/call}'s CPU: it builds a path and
 * an error list for every value. This walk does neither.
 * <p>
 * The same check also reads JSON text as a stream ({@link #surelyValid(JsonParser, TopMembers)}), with the same
 * answers as on the text's tree and without building one: a string's characters are decoded only where a keyword
 * needs them (enum, const, lengths, pattern); a value under {@code anyOf} with containers in it, or an array with
 * {@code uniqueItems}, is read as a tree for the check above.
 */
final class LeanSchema {

    /** Keywords that never change whether a value is valid (format: an annotation, as said above). */
    private static final Set<String> ANNOTATIONS = Set.of("title", "description", "default", "deprecated", "examples",
            "$comment", "readOnly", "writeOnly", "format", "$schema", "$id", "contentMediaType", "contentEncoding");

    private static final int ANY = 0x7f;
    private static final int OBJECT = 1;
    private static final int ARRAY = 2;
    private static final int STRING = 4;
    private static final int INTEGER = 8;
    private static final int NUMBER = 16;
    private static final int BOOLEAN = 32;
    private static final int NULL = 64;

    private final boolean never;
    private final int types;
    private final Map<String, LeanSchema> properties;
    private final String[] required;
    /** null: any other property is allowed; {@link #NEVER}: none is. */
    private final LeanSchema additional;
    private final LeanSchema items;
    private final LeanSchema[] anyOf;
    private final Set<JsonNode> enumValues;
    private final JsonNode constant;
    private final int minLength;
    private final int maxLength;
    private final boolean uniqueItems;
    /** minimum, maximum, minItems, maxItems, pattern and prefixItems, or {@link Bounds#NONE}. */
    private final Bounds bounds;
    /** For the streaming check: each property and required name, with its schema and its bit among the required. */
    private final Map<String, Member> members;
    private final long requiredBits;

    /** The keywords of a schema that bound a number, an array's length and positions, or a string's text. */
    private record Bounds(BigDecimal minimum, BigDecimal maximum, int minItems, int maxItems, Predicate<String> pattern,
            LeanSchema[] prefixItems) {
        static final Bounds NONE = new Bounds(null, null, 0, Integer.MAX_VALUE, null, null);

        boolean numberValid(String text) {
            if (minimum == null && maximum == null) {
                return true;
            }
            BigDecimal v;
            try {
                v = new BigDecimal(text); // NaN and Infinity are no JSON numbers: the full check decides
            } catch (NumberFormatException e) {
                return false;
            }
            return (minimum == null || v.compareTo(minimum) >= 0) && (maximum == null || v.compareTo(maximum) <= 0);
        }

        boolean sizeValid(int size) {
            return size >= minItems && size <= maxItems;
        }

        /** The schema of an array's element at {@code index}: its prefixItems entry, else {@code items}. */
        LeanSchema element(int index, LeanSchema items) {
            return prefixItems != null && index < prefixItems.length ? prefixItems[index] : items;
        }
    }

    /** A named member's schema (null: any value) and its bit in {@link #requiredBits} (0 when it is optional). */
    private record Member(LeanSchema schema, long bit) {
    }

    /** Told of each member of the top-level object as the streaming check reaches its value (its first token). */
    interface TopMembers {
        void member(String name, JsonParser p, JsonToken value) throws IOException;
    }

    private static final LeanSchema NEVER = new LeanSchema(true, 0, Map.of(), new String[0], null, null, null, null,
            null, 0, Integer.MAX_VALUE, false, Bounds.NONE);
    private static final LeanSchema ALWAYS = new LeanSchema(false, ANY, Map.of(), new String[0], null, null, null,
            null, null, 0, Integer.MAX_VALUE, false, Bounds.NONE);

    private LeanSchema(boolean never, int types, Map<String, LeanSchema> properties, String[] required,
            LeanSchema additional, LeanSchema items, LeanSchema[] anyOf, Set<JsonNode> enumValues, JsonNode constant,
            int minLength, int maxLength, boolean uniqueItems, Bounds bounds) {
        this.never = never;
        this.types = types;
        this.properties = properties;
        this.required = required;
        this.additional = additional;
        this.items = items;
        this.anyOf = anyOf;
        this.enumValues = enumValues;
        this.constant = constant;
        this.minLength = minLength;
        this.maxLength = maxLength;
        this.uniqueItems = uniqueItems;
        this.bounds = bounds;
        Map<String, Member> named = new HashMap<>();
        properties.forEach((name, schema) -> named.put(name, new Member(schema, 0)));
        long bits = 0;
        for (String name : required) {
            Member m = named.get(name);
            long bit = m != null && m.bit() != 0 ? m.bit() : 1L << Long.bitCount(bits);
            named.put(name, new Member(m != null ? m.schema() : additional, bit));
            bits |= bit;
        }
        this.members = Map.copyOf(named);
        this.requiredBits = bits;
    }

    private static LeanSchema parse(JsonNode schema) {
        int t = ANY;
        Map<String, LeanSchema> props = new HashMap<>();
        List<String> req = new ArrayList<>();
        LeanSchema extra = null;
        LeanSchema each = null;
        LeanSchema[] any = null;
        Set<JsonNode> values = null;
        JsonNode constant = null;
        int min = 0;
        int max = Integer.MAX_VALUE;
        boolean unique = false;
        BigDecimal minimum = null;
        BigDecimal maximum = null;
        int minItems = 0;
        int maxItems = Integer.MAX_VALUE;
        Predicate<String> pattern = null;
        LeanSchema[] prefix = null;
        for (Iterator<Map.Entry<String, JsonNode>> it = schema.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> e = it.next();
            JsonNode v = e.getValue();
            switch (e.getKey()) {
                case "type" -> t = types(v);
                case "properties" -> {
                    require(v.isObject());
                    for (Iterator<Map.Entry<String, JsonNode>> p = v.fields(); p.hasNext();) {
                        Map.Entry<String, JsonNode> prop = p.next();
                        props.put(prop.getKey(), of(prop.getValue()));
                    }
                }
                case "required" -> {
                    require(v.isArray());
                    for (JsonNode name : v) {
                        require(name.isTextual());
                        req.add(name.asText());
                    }
                    require(req.stream().distinct().count() < 64); // one bit each in the streaming check
                }
                case "additionalProperties" -> extra = of(v);
                case "items" -> each = of(v);
                case "prefixItems" -> {
                    require(v.isArray() && !v.isEmpty());
                    prefix = new LeanSchema[v.size()];
                    for (int i = 0; i < v.size(); i++) {
                        prefix[i] = of(v.get(i));
                    }
                }
                case "minimum" -> minimum = bound(v);
                case "maximum" -> maximum = bound(v);
                case "minItems" -> minItems = count(v);
                case "maxItems" -> maxItems = count(v);
                case "pattern" -> {
                    require(v.isTextual());
                    pattern = pattern(v.textValue());
                }
                case "anyOf" -> {
                    require(v.isArray() && !v.isEmpty());
                    any = new LeanSchema[v.size()];
                    for (int i = 0; i < v.size(); i++) {
                        any[i] = of(v.get(i));
                    }
                }
                case "enum" -> {
                    require(v.isArray());
                    values = new HashSet<>();
                    for (JsonNode value : v) {
                        require(!value.isNumber() && !value.isContainerNode()); // equality as JSON Schema has it
                        values.add(value);
                    }
                }
                case "const" -> {
                    require(!v.isNumber() && !v.isContainerNode());
                    constant = v;
                }
                case "minLength" -> min = count(v);
                case "maxLength" -> max = count(v);
                case "uniqueItems" -> {
                    require(v.isBoolean());
                    unique = v.booleanValue();
                }
                default -> require(ANNOTATIONS.contains(e.getKey()));
            }
        }
        Bounds bounds = minimum == null && maximum == null && minItems == 0 && maxItems == Integer.MAX_VALUE
                && pattern == null && prefix == null ? Bounds.NONE
                        : new Bounds(minimum, maximum, minItems, maxItems, pattern, prefix);
        return new LeanSchema(false, t, Map.copyOf(props), req.toArray(new String[0]), extra, each, any, values,
                constant, min, max, unique, bounds);
    }

    /** The schema for the quick check, or null when it has a keyword this check does not know. */
    static LeanSchema compile(JsonNode schema) {
        try {
            return of(schema);
        } catch (Unsupported e) {
            return null;
        }
    }

    private static LeanSchema of(JsonNode schema) {
        if (schema.isBoolean()) {
            return schema.booleanValue() ? ALWAYS : NEVER;
        }
        require(schema.isObject());
        return parse(schema);
    }

    /** True only when the value is valid; false when it is not or this check cannot tell. */
    boolean surelyValid(JsonNode value) {
        if (never) {
            return false;
        }
        if ((types & typeOf(value)) == 0) {
            return false;
        }
        if ((enumValues != null && !enumValues.contains(value)) || (constant != null && !constant.equals(value))) {
            return false;
        }
        if (anyOf != null) {
            boolean one = false;
            for (LeanSchema s : anyOf) {
                if (s.surelyValid(value)) {
                    one = true;
                    break;
                }
            }
            if (!one) {
                return false;
            }
        }
        if (value.isTextual()) {
            return textValid(value.textValue());
        }
        if (value.isNumber()) {
            return bounds.numberValid(value.asText());
        }
        if (value.isObject()) {
            return objectValid(value);
        }
        if (value.isArray()) {
            return arrayValid(value);
        }
        return true;
    }

    private boolean objectValid(JsonNode value) {
        for (String name : required) {
            if (!value.has(name)) {
                return false;
            }
        }
        if (properties.isEmpty() && additional == null) {
            return true;
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = value.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> e = it.next();
            LeanSchema s = properties.get(e.getKey());
            if (s == null) {
                s = additional;
            }
            if (s != null && !s.surelyValid(e.getValue())) {
                return false;
            }
        }
        return true;
    }

    /** minLength, maxLength and pattern. */
    private boolean textValid(String text) {
        // JSON Schema counts code points; held to both counts, whichever the full validator uses
        if ((minLength > 0 || maxLength < Integer.MAX_VALUE)
                && (text.codePointCount(0, text.length()) < minLength || text.length() > maxLength)) {
            return false;
        }
        return bounds.pattern() == null || bounds.pattern().test(text);
    }

    private boolean arrayValid(JsonNode value) {
        if (!bounds.sizeValid(value.size())) {
            return false;
        }
        if (items != null || bounds.prefixItems() != null) {
            for (int i = 0; i < value.size(); i++) {
                LeanSchema s = bounds.element(i, items);
                if (s != null && !s.surelyValid(value.get(i))) {
                    return false;
                }
            }
        }
        if (uniqueItems && value.size() > 1) {
            Set<JsonNode> seen = new HashSet<>();
            for (JsonNode element : value) {
                // numbers and containers of numbers compare as JSON Schema says (1 == 1.0), not as Jackson does
                if (hasNumber(element) || !seen.add(element)) {
                    return false;
                }
            }
        }
        return true;
    }

    private static boolean hasNumber(JsonNode node) {
        if (node.isNumber()) {
            return true;
        }
        if (node.isContainerNode()) {
            for (JsonNode child : node) {
                if (hasNumber(child)) {
                    return true;
                }
            }
        }
        return false;
    }

    /**
     * The same check on JSON text, from a parser before its first token: true only when the text is one JSON value,
     * with nothing after it, that is surely valid. {@code top} (or null) is told of each member of a top-level
     * object; where a top-level value would have to be read as a tree, this answers false (cannot tell) instead.
     * Text that is not JSON throws the parser's exception.
     */
    boolean surelyValid(JsonParser p, TopMembers top) throws IOException {
        JsonToken t = p.nextToken();
        return t != null && valid(p, t, top) && p.nextToken() == null;
    }

    /** The value whose first token {@code t} is, read to its last token (when true: on false, anywhere in it). */
    private boolean valid(JsonParser p, JsonToken t, TopMembers top) throws IOException {
        if (never || (types & typeOf(t)) == 0) {
            return false;
        }
        if (t == JsonToken.START_OBJECT || t == JsonToken.START_ARRAY) {
            if (enumValues != null || constant != null) {
                return false; // neither holds a container (see parse)
            }
            if (anyOf != null || (uniqueItems && t == JsonToken.START_ARRAY)) {
                if (top != null) {
                    return false;
                }
                JsonNode tree = p.readValueAsTree();
                return tree != null && surelyValid(tree);
            }
            return t == JsonToken.START_OBJECT ? objectValid(p, top) : arrayValid(p);
        }
        if (enumValues != null || constant != null) {
            JsonNode v = scalar(p, t);
            if (v == null || (enumValues != null && !enumValues.contains(v))
                    || (constant != null && !constant.equals(v))) {
                return false;
            }
        }
        if (anyOf != null) {
            boolean one = false;
            for (LeanSchema s : anyOf) {
                if (s.valid(p, t, null)) { // a scalar is one token: no alternative reads past it
                    one = true;
                    break;
                }
            }
            if (!one) {
                return false;
            }
        }
        if (t == JsonToken.VALUE_STRING && (minLength > 0 || maxLength < Integer.MAX_VALUE || bounds.pattern() != null)) {
            return textValid(p.getText());
        }
        if (t == JsonToken.VALUE_NUMBER_INT || t == JsonToken.VALUE_NUMBER_FLOAT) {
            return bounds.numberValid(p.getText());
        }
        return true;
    }

    private boolean objectValid(JsonParser p, TopMembers top) throws IOException {
        if (top == null && requiredBits == 0 && members.isEmpty() && additional == null) {
            p.skipChildren();
            return true;
        }
        long seen = 0;
        JsonToken t;
        while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            Member m = members.get(name);
            LeanSchema s = additional;
            if (m != null) {
                s = m.schema();
                seen |= m.bit();
            }
            JsonToken v = p.nextToken();
            if (top != null) {
                top.member(name, p, v);
            }
            if (s == null) {
                p.skipChildren();
            } else if (!s.valid(p, v, null)) {
                return false;
            }
        }
        return t == JsonToken.END_OBJECT && seen == requiredBits;
    }

    private boolean arrayValid(JsonParser p) throws IOException {
        JsonToken t;
        int n = 0;
        while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
            if (t == null) {
                return false;
            }
            LeanSchema s = bounds.element(n++, items);
            if (s == null) {
                p.skipChildren();
            } else if (!s.valid(p, t, null)) {
                return false;
            }
        }
        return bounds.sizeValid(n);
    }

    /** A scalar token as a tree node, for enum and const (a number: null, neither holds one). */
    private static JsonNode scalar(JsonParser p, JsonToken t) throws IOException {
        return switch (t) {
            case VALUE_STRING -> TextNode.valueOf(p.getText());
            case VALUE_TRUE -> BooleanNode.TRUE;
            case VALUE_FALSE -> BooleanNode.FALSE;
            case VALUE_NULL -> NullNode.getInstance();
            default -> null;
        };
    }

    private static int typeOf(JsonToken t) {
        return switch (t) {
            case START_OBJECT -> OBJECT;
            case START_ARRAY -> ARRAY;
            case VALUE_STRING -> STRING;
            case VALUE_NUMBER_INT -> INTEGER | NUMBER;
            case VALUE_NUMBER_FLOAT -> NUMBER;
            case VALUE_TRUE, VALUE_FALSE -> BOOLEAN;
            case VALUE_NULL -> NULL;
            default -> 0;
        };
    }

    private static int typeOf(JsonNode value) {
        return switch (value.getNodeType()) {
            case OBJECT -> OBJECT;
            case ARRAY -> ARRAY;
            case STRING -> STRING;
            // an integer is a number too; a number with a fraction of zero (1.0) the full check decides
            case NUMBER -> value.isIntegralNumber() ? INTEGER | NUMBER : NUMBER;
            case BOOLEAN -> BOOLEAN;
            case NULL -> NULL;
            default -> 0; // binary, POJO, missing: not JSON this check knows
        };
    }

    private static int types(JsonNode type) {
        if (type.isTextual()) {
            return type(type.asText());
        }
        require(type.isArray() && !type.isEmpty());
        int t = 0;
        for (JsonNode name : type) {
            require(name.isTextual());
            t |= type(name.asText());
        }
        return t;
    }

    private static int type(String name) {
        return switch (name) {
            case "object" -> OBJECT;
            case "array" -> ARRAY;
            case "string" -> STRING;
            case "integer" -> INTEGER;
            case "number" -> INTEGER | NUMBER;
            case "boolean" -> BOOLEAN;
            case "null" -> NULL;
            default -> throw new Unsupported();
        };
    }

    private static int count(JsonNode v) {
        require(v.canConvertToExactIntegral() && v.canConvertToInt() && v.intValue() >= 0);
        return v.intValue();
    }

    /** The ids' pattern in the catalog (account_id, workspace_id): checked by {@link #isUuid}, without a regex. */
    static final String UUID_PATTERN =
            "^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$";

    /** A pattern as the full validator matches it: its own regular expression, searched in the text. */
    private static Predicate<String> pattern(String regex) {
        if (UUID_PATTERN.equals(regex)) {
            return LeanSchema::isUuid;
        }
        try {
            return JDKRegularExpressionFactory.getInstance().getRegularExpression(regex)::matches;
        } catch (RuntimeException bad) {
            throw new Unsupported(); // a pattern Java cannot read: the full validator says what it makes of it
        }
    }

    /** Whether the whole text is a UUID in hex digits of either case, as {@link #UUID_PATTERN} has it. */
    static boolean isUuid(String s) {
        if (s.length() != 36) {
            return false;
        }
        for (int i = 0; i < 36; i++) {
            char c = s.charAt(i);
            boolean ok = i == 8 || i == 13 || i == 18 || i == 23 ? c == '-'
                    : c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F';
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    private static BigDecimal bound(JsonNode v) {
        require(v.isNumber());
        try {
            return new BigDecimal(v.asText()); // as the full validator reads a bound
        } catch (NumberFormatException e) {
            throw new Unsupported();
        }
    }

    private static void require(boolean known) {
        if (!known) {
            throw new Unsupported();
        }
    }

    /** A schema this check does not know: the full validator takes every value of it. */
    private static final class Unsupported extends RuntimeException {
        Unsupported() {
            super(null, null, false, false);
        }
    }
}
