package io.prefectcamel.mcp;

import java.nio.charset.StandardCharsets;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import io.modelcontextprotocol.spec.McpSchema;

/**
 * Writes the JSON-RPC response of a tool call whose result holds a page as structured content ({@link StructuredJson})
 * and the same JSON as its first text content: the page's UTF-8 bytes go out as they are for the structured content
 * and escaped byte by byte for the text, instead of through Jackson's per-character string writer (about 17% of a
 * {@code tools/call}'s CPU on a 13 KB EventPage). The bytes are the same as Jackson's (the same escapes: {@code \"},
 * {@code \\}, {@code \n \r \t \b \f}, {@code \}{@code u00XX} for other control characters, nothing else).
 * Any other result or response shape returns null: the caller writes it the usual way.
 */
final class ToolResultWriter {

    /** Eight bytes of an array as one long, in the order they stand. */
    private static final java.lang.invoke.VarHandle LONGS = java.lang.invoke.MethodHandles
            .byteArrayViewVarHandle(long[].class, java.nio.ByteOrder.LITTLE_ENDIAN);
    private static final long LOW7 = 0x7F7F7F7F7F7F7F7FL;
    private static final long HIGH = 0x8080808080808080L;
    private static final long QUOTES = 0x2222222222222222L;
    private static final long BACKSLASHES = 0x5C5C5C5C5C5C5C5CL;
    /** Added to a byte's low seven bits, carries into its high bit exactly when they are 0x20 or more. */
    private static final long BELOW_SPACE = 0x6060606060606060L;
    private static final byte[] HEX = "0123456789ABCDEF".getBytes(StandardCharsets.US_ASCII);
    /** For each ASCII byte: 0 when it stands as it is, else the letter after the backslash ('u' for \\u00XX). */
    private static final byte[] ESCAPE = new byte[128];
    /** For each byte (as unsigned): 1 for a quote or backslash (escaped by a backslash before it), 2 for a control. */
    private static final byte[] KIND = new byte[256];

    static {
        for (int c = 0; c < 0x20; c++) {
            KIND[c] = 2;
        }
        KIND['"'] = 1;
        KIND['\\'] = 1;
        for (int c = 0; c < 0x20; c++) {
            ESCAPE[c] = 'u';
        }
        ESCAPE['"'] = '"';
        ESCAPE['\\'] = '\\';
        ESCAPE['\n'] = 'n';
        ESCAPE['\r'] = 'r';
        ESCAPE['\t'] = 't';
        ESCAPE['\b'] = 'b';
        ESCAPE['\f'] = 'f';
    }

    private static final String FIRST_TEXT = "{\"type\":\"text\",\"text\":\"";
    private static final String NEXT_TEXT = ",{\"type\":\"text\",\"text\":\"";
    private static final String STRUCTURED = ",\"structuredContent\":";

    private ToolResultWriter() {
    }

    /** The response's bytes, or null when it is not a structured tool result of this shape. */
    static byte[] write(McpSchema.JSONRPCMessage message) {
        if (!(message instanceof McpSchema.JSONRPCResponse response) || response.error() != null
                || !(response.result() instanceof McpSchema.CallToolResult result)
                || !(result.structuredContent() instanceof StructuredJson page)
                || result.meta() != null || result.isError() == null || result.content() == null
                || result.content().isEmpty()) {
            return null;
        }
        String id = id(response.id());
        if (id == null) {
            return null;
        }
        for (McpSchema.Content c : result.content()) {
            if (!(c instanceof McpSchema.TextContent t) || t.annotations() != null || t.meta() != null
                    || t.text() == null) {
                return null;
            }
        }
        if (((McpSchema.TextContent) result.content().get(0)).text() != page.json()) {
            return null; // the first text is not the page itself
        }
        byte[] json = page.utf8();
        byte[][] texts = new byte[result.content().size()][];
        for (int i = 1; i < texts.length; i++) {
            texts[i] = JsonStringEncoder.getInstance().quoteAsUTF8(((McpSchema.TextContent) result.content().get(i)).text());
        }
        // the exact size when the page has no control characters (the usual case): nothing is copied at the end
        int escapes = Out.escapes(json);
        String head = "{\"jsonrpc\":\"2.0\",\"id\":" + id + ",\"result\":{\"content\":[";
        String isError = result.isError() ? "true" : "false";
        int size = head.length() + FIRST_TEXT.length() + json.length + (escapes >= 0 ? escapes : json.length / 6) + 2
                + "],\"isError\":".length() + isError.length() + STRUCTURED.length() + json.length + 2;
        for (int i = 1; i < texts.length; i++) {
            size += NEXT_TEXT.length() + texts[i].length + 2;
        }
        Out out = new Out(size);
        out.ascii(head);
        for (int i = 0; i < texts.length; i++) {
            out.ascii(i == 0 ? FIRST_TEXT : NEXT_TEXT);
            if (i == 0) {
                out.escaped(json, escapes);
            } else {
                out.bytes(texts[i]);
            }
            out.ascii("\"}");
        }
        out.ascii("],\"isError\":").ascii(isError).ascii(STRUCTURED).bytes(json).ascii("}}");
        return out.done();
    }

    /** A JSON-RPC id as JSON: a number or a string; null for anything else. */
    private static String id(Object id) {
        if (id instanceof Integer || id instanceof Long || id instanceof Short || id instanceof Byte) {
            return id.toString();
        }
        if (id instanceof String s && s.chars().allMatch(c -> c < 0x7f)) {
            return "\"" + new String(JsonStringEncoder.getInstance().quoteAsString(s)) + "\"";
        }
        return null;
    }

    /** A byte array sized for the whole answer up front (no synchronised stream, no copies as it grows). */
    private static final class Out {
        private byte[] buf;
        private int len;

        Out(int capacity) {
            buf = new byte[capacity];
        }

        private void room(int n) {
            if (len + n > buf.length) {
                buf = java.util.Arrays.copyOf(buf, Math.max(buf.length * 2, len + n));
            }
        }

        Out ascii(String s) {
            room(s.length());
            for (int i = 0; i < s.length(); i++) {
                buf[len++] = (byte) s.charAt(i);
            }
            return this;
        }

        Out bytes(byte[] b) {
            room(b.length);
            System.arraycopy(b, 0, buf, len, b.length);
            len += b.length;
            return this;
        }

        /** How many quotes and backslashes the text has, or -1 when it has a control character. */
        static int escapes(byte[] utf8) {
            int escapes = 0;
            long controls = 0;
            int i = 0;
            for (int end = utf8.length - 7; i < end; i += 8) {
                long w = (long) LONGS.get(utf8, i);
                controls |= controls(w);
                escapes += Long.bitCount(quotesAndBackslashes(w));
            }
            int kinds = controls != 0 ? 2 : 0;
            for (; i < utf8.length; i++) {
                int k = KIND[utf8[i] & 0xFF];
                escapes += k & 1;
                kinds |= k;
            }
            return (kinds & 2) != 0 ? -1 : escapes;
        }

        /** The high bit of each byte of {@code x} that is zero, and no other bit. */
        private static long zeros(long x) {
            long t = (x & LOW7) + LOW7;
            return ~(t | x | LOW7);
        }

        /** The high bit of each byte of {@code w} that is a quote or a backslash. */
        private static long quotesAndBackslashes(long w) {
            return zeros(w ^ QUOTES) | zeros(w ^ BACKSLASHES);
        }

        /** The high bit of each byte of {@code w} below 0x20 (a control character). */
        private static long controls(long w) {
            return ~(((w & LOW7) + BELOW_SPACE) | w) & HIGH;
        }

        /**
         * JSON text (valid UTF-8) as the content of a JSON string, given its {@link #escapes}. A first pass counts the quotes and backslashes and
         * looks for control characters; without those (JSON without line breaks between its tokens), the second pass
         * writes into room sized exactly, with no branch per byte: a backslash, then the byte over it or after it.
         */
        Out escaped(byte[] utf8, int escapes) {
            if (escapes < 0) {
                return escapedWithControls(utf8);
            }
            room(utf8.length + escapes);
            byte[] o = buf;
            int n = len;
            int i = 0;
            // eight bytes at a time: a word without a quote or backslash (about half of a page's) is copied whole
            for (int end = utf8.length - 7; i < end; i += 8) {
                long w = (long) LONGS.get(utf8, i);
                if (quotesAndBackslashes(w) == 0) {
                    LONGS.set(o, n, w);
                    n += 8;
                } else {
                    for (int j = i; j < i + 8; j++) {
                        byte b = utf8[j];
                        int e = KIND[b & 0xFF];
                        o[n] = '\\';
                        o[n + e] = b;
                        n += 1 + e;
                    }
                }
            }
            for (; i < utf8.length; i++) {
                byte b = utf8[i];
                int e = KIND[b & 0xFF];
                o[n] = '\\';
                o[n + e] = b;
                n += 1 + e;
            }
            len = n;
            return this;
        }

        /** As {@link #escaped}, for text with control characters (each as Jackson writes it). */
        private Out escapedWithControls(byte[] utf8) {
            room(utf8.length);
            byte[] o = buf;
            int n = len;
            for (int i = 0; i < utf8.length; i++) {
                byte b = utf8[i];
                byte e = b < 0 ? 0 : ESCAPE[b];
                if (e == 0) {
                    if (n == o.length) {
                        len = n;
                        room(utf8.length - i + 6);
                        o = buf;
                    }
                    o[n++] = b;
                } else {
                    if (n + 6 > o.length) {
                        len = n;
                        room(utf8.length - i + 6);
                        o = buf;
                    }
                    o[n++] = '\\';
                    if (e != 'u') {
                        o[n++] = e;
                    } else {
                        o[n++] = 'u';
                        o[n++] = '0';
                        o[n++] = '0';
                        o[n++] = HEX[b >> 4];
                        o[n++] = HEX[b & 0xF];
                    }
                }
            }
            len = n;
            return this;
        }

        byte[] done() {
            return len == buf.length ? buf : java.util.Arrays.copyOf(buf, len);
        }
    }
}
