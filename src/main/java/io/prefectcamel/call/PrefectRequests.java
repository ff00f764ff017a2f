package io.prefectcamel.call;

import java.util.Locale;
import java.util.regex.Pattern;

/** What a Kamelet's message asks to call: the method and the URL, which never leaves the configured API. */
public final class PrefectRequests {

    private static final Pattern SCHEME_AND_HOST = Pattern.compile("^[a-zA-Z][a-zA-Z0-9+.-]*://[^/?#]*");

    private PrefectRequests() {
    }

    /** The method given (upper-cased), else POST when there is a body and GET when there is none. */
    public static String method(String given, String body) {
        if (given != null && !given.isBlank()) {
            return given.trim().toUpperCase(Locale.ROOT);
        }
        return body != null && !body.isEmpty() ? "POST" : "GET";
    }

    /**
     * The URL to call: {@code apiUrl} followed by the path (and query) of {@code path}. An absolute URL, such as an
     * EventPage's {@code next_page} link, is reduced to its path first, so the key only ever goes to {@code apiUrl}.
     */
    public static String url(String apiUrl, String path) {
        String base = apiUrl == null ? "" : apiUrl.replaceAll("/+$", "");
        String p = path == null ? "" : SCHEME_AND_HOST.matcher(path.trim()).replaceFirst("");
        if (!p.isEmpty() && !p.startsWith("/") && !p.startsWith("?")) {
            p = "/" + p;
        }
        return base + p;
    }
}
