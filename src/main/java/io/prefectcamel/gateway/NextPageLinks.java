package io.prefectcamel.gateway;

import java.io.IOException;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import org.apache.camel.Exchange;
import org.apache.camel.Message;

/**
 * Rewrites the {@code next_page} link of an EventPage from Prefect's URL to the facade's own
 * {@code .../events/filter/next} URL, so a caller can follow it without talking to Prefect.
 *
 * <p>The page passes through as the bytes Prefect sent: a streaming parser finds the top-level {@code next_page}
 * string (skipping the events without building them) and only that value is replaced. A body that is not an
 * EventPage with a link (not JSON, no {@code next_page}, {@code null}) goes back unchanged.
 */
public final class NextPageLinks {

    private static final JsonFactory JSON = new JsonFactory();

    public void rewrite(Exchange exchange) throws Exception {
        Message msg = exchange.getMessage();
        if (msg.getHeader(Exchange.HTTP_RESPONSE_CODE, 0, Integer.class) != 200) {
            return;
        }
        byte[] body = msg.getBody(byte[].class);
        if (body == null || body.length == 0) {
            return;
        }
        Link found = nextPage(body);
        if (found == null) {
            return;
        }
        String token;
        try {
            token = pageToken(found.url());
        } catch (IllegalArgumentException | IllegalStateException notALink) {
            return; // not a link this facade can follow: Prefect's answer goes back unchanged
        }
        String upstreamPath = exchange.getProperty(Gateway.PATH, String.class);
        String scope = upstreamPath.substring(0, upstreamPath.indexOf("/events/filter"));
        String base = exchange.getProperty(Gateway.FACADE_BASE, "", String.class);
        // the new link is plain ASCII (the token is percent-encoded) and needs no JSON escaping
        byte[] link = ('"' + base + "/v1" + scope + "/events/filter/next?page-token="
                + URLEncoder.encode(token, StandardCharsets.UTF_8) + '"').getBytes(StandardCharsets.UTF_8);
        int start = found.start();
        int end = found.end();
        byte[] out = new byte[body.length - (end - start) + link.length];
        System.arraycopy(body, 0, out, 0, start);
        System.arraycopy(link, 0, out, start, link.length);
        System.arraycopy(body, end, out, start + link.length, body.length - end);
        msg.setBody(out);
    }

    /** A top-level next_page string: its text, and its bytes from the opening to past the closing quote. */
    public record Link(String url, int start, int end) {
    }

    /**
     * The top-level {@code next_page} string of a JSON object, or null when the body is not one JSON object or has
     * no such string.
     */
    public static Link nextPage(byte[] body) {
        Link last = lastMember(body);
        return last != null ? last : parse(body);
    }

    /**
     * Prefect writes {@code next_page} as the page's last member: {@code ...,"next_page":"<url>"}} at the very end.
     * Read backwards from the end, that needs no parse of the events. In a JSON document the final brace closes the
     * top-level object, so a string member right before it is a top-level member. Anything else (another order,
     * {@code null}, escapes in the link) is left to the parser.
     */
    private static Link lastMember(byte[] b) {
        int i = skipSpaceBack(b, b.length - 1);
        if (i < 0 || b[i] != '}') {
            return null;
        }
        int end = skipSpaceBack(b, i - 1);
        if (end < 0 || b[end] != '"' || escaped(b, end)) {
            return null;
        }
        int start = end - 1;
        while (start >= 0 && (b[start] != '"' || escaped(b, start))) {
            if (b[start] == '\\') {
                return null; // an escape inside the link: the parser decodes it
            }
            start--;
        }
        if (start < 0) {
            return null;
        }
        int colon = skipSpaceBack(b, start - 1);
        if (colon < 0 || b[colon] != ':') {
            return null;
        }
        int keyEnd = skipSpaceBack(b, colon - 1);
        int keyStart = keyEnd - KEY.length + 1;
        if (keyStart < 1 || !java.util.Arrays.equals(b, keyStart, keyEnd + 1, KEY, 0, KEY.length)) {
            return null;
        }
        int before = skipSpaceBack(b, keyStart - 1);
        if (before < 0 || (b[before] != ',' && b[before] != '{') || b[skipSpaceForward(b, 0)] != '{') {
            return null;
        }
        return new Link(new String(b, start + 1, end - start - 1, StandardCharsets.UTF_8), start, end + 1);
    }

    private static final byte[] KEY = "\"next_page\"".getBytes(StandardCharsets.US_ASCII);

    private static int skipSpaceBack(byte[] b, int i) {
        while (i >= 0 && (b[i] == ' ' || b[i] == '\n' || b[i] == '\r' || b[i] == '\t')) {
            i--;
        }
        return i;
    }

    private static int skipSpaceForward(byte[] b, int i) {
        while (i < b.length - 1 && (b[i] == ' ' || b[i] == '\n' || b[i] == '\r' || b[i] == '\t')) {
            i++;
        }
        return i;
    }

    /** A quote preceded by an odd number of backslashes is part of a string, not its end. */
    private static boolean escaped(byte[] b, int quote) {
        int n = 0;
        for (int i = quote - 1; i >= 0 && b[i] == '\\'; i--) {
            n++;
        }
        return n % 2 == 1;
    }

    private static Link parse(byte[] body) {
        try (JsonParser p = JSON.createParser(body)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return null;
            }
            Link link = null;
            JsonToken t;
            while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
                boolean named = "next_page".equals(p.currentName());
                JsonToken value = p.nextToken();
                if (named && value == JsonToken.VALUE_STRING) {
                    int start = (int) p.currentTokenLocation().getByteOffset();
                    String url = p.getText(); // reads the whole string: the location is now past its closing quote
                    int end = (int) p.currentLocation().getByteOffset();
                    if (start < 0 || end > body.length || body[start] != '"' || body[end - 1] != '"') {
                        return null;
                    }
                    link = new Link(url, start, end);
                } else {
                    p.skipChildren();
                }
            }
            // the whole body must be one JSON object, as before
            if (t != JsonToken.END_OBJECT || p.nextToken() != null) {
                return null;
            }
            return link;
        } catch (IOException notJson) {
            return null;
        }
    }

    /** The page token of a next_page URL (Prefect's or the facade's), which must have one. */
    public static String pageToken(String nextPage) {
        String token = findPageToken(nextPage);
        if (token == null) {
            throw new IllegalStateException("next_page has no page-token");
        }
        return token;
    }

    /**
     * The page token of a next_page URL: its {@code page-token} (or {@code page_token}) query value; null when it has
     * none or the text is not a URL.
     */
    public static String findPageToken(String nextPage) {
        String query = nextPage == null ? null : rawQuery(nextPage);
        if (query != null) {
            for (String pair : query.split("&")) {
                int eq = pair.indexOf('=');
                String key = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
                if (key.equals("page-token") || key.equals("page_token")) {
                    return URLDecoder.decode(eq < 0 ? "" : pair.substring(eq + 1), StandardCharsets.UTF_8);
                }
            }
        }
        return null;
    }

    /**
     * The raw query of a URL, null without one or when the text is not a URL. A link of the characters URLs are made
     * of (an absolute http(s) URL or a path) is read here; anything else by java.net.URI's parser, which is several
     * times slower on a long page token.
     */
    static String rawQuery(String url) {
        boolean plain = url.startsWith("https://") || url.startsWith("http://")
                || (url.startsWith("/") && !url.startsWith("//"));
        int query = -1;
        int end = url.length();
        for (int i = 0; plain && i < url.length(); i++) {
            char c = url.charAt(i);
            if (c == '%' && i + 2 < url.length() && hex(url.charAt(i + 1)) && hex(url.charAt(i + 2))) {
                i += 2;
            } else if (c == '?' && query < 0 && end == url.length()) {
                query = i + 1;
            } else if (c == '#' && end == url.length()) {
                end = i; // the fragment: read on, its characters must be a URL's too
            } else if (!urlChar(c)) { // a second '#' too
                plain = false;
            }
        }
        if (plain) {
            return query < 0 ? null : url.substring(query, end);
        }
        try {
            return URI.create(url).getRawQuery();
        } catch (IllegalArgumentException notAUrl) {
            return null;
        }
    }

    private static boolean hex(char c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    }

    /** RFC 3986's unreserved and reserved characters but for '[', ']' and '#', which the caller looks at itself. */
    private static boolean urlChar(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                || "-._~:/?@!$&'()*+,;=".indexOf(c) >= 0;
    }
}
