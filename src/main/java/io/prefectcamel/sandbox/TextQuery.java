package io.prefectcamel.sandbox;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Prefect's text search syntax: space-separated terms are ORed, {@code -term} or {@code !term}
 * excludes, {@code +term} is required, {@code "quoted phrases"} match as a whole (with {@code \"}
 * escapes); matching is a case-insensitive substring search.
 */
final class TextQuery {

    final List<String> include = new ArrayList<>();
    final List<String> exclude = new ArrayList<>();
    final List<String> required = new ArrayList<>();

    static TextQuery parse(String query) {
        TextQuery q = new TextQuery();
        int i = 0;
        int n = query.length();
        while (i < n) {
            char c = query.charAt(i);
            if (Character.isWhitespace(c)) {
                i++;
                continue;
            }
            char prefix = 0;
            if (c == '-' || c == '!' || c == '+') {
                if (i + 1 < n && !Character.isWhitespace(query.charAt(i + 1))) {
                    prefix = c;
                    i++;
                } else {
                    i++;
                    continue;
                }
            }
            String term;
            if (i < n && query.charAt(i) == '"') {
                i++;
                StringBuilder phrase = new StringBuilder();
                while (i < n) {
                    char d = query.charAt(i);
                    if (d == '\\' && i + 1 < n && (query.charAt(i + 1) == '"' || query.charAt(i + 1) == '\\')) {
                        phrase.append(query.charAt(i + 1));
                        i += 2;
                    } else if (d == '"') {
                        break;
                    } else {
                        phrase.append(d);
                        i++;
                    }
                }
                if (i < n) {
                    i++;
                }
                term = phrase.toString();
                if (term.isBlank()) {
                    continue;
                }
            } else {
                int start = i;
                while (i < n && !Character.isWhitespace(query.charAt(i)) && query.charAt(i) != '"') {
                    i++;
                }
                term = query.substring(start, i);
                if (term.isEmpty()) {
                    continue;
                }
            }
            term = term.toLowerCase(Locale.ROOT);
            if (prefix == '-' || prefix == '!') {
                q.exclude.add(term);
            } else if (prefix == '+') {
                q.required.add(term);
            } else {
                q.include.add(term);
            }
        }
        return q;
    }

    boolean isEmpty() {
        return include.isEmpty() && exclude.isEmpty() && required.isEmpty();
    }

    /** Does the (already lower-cased) searchable text satisfy the query? */
    boolean matches(String lowerText) {
        if (!include.isEmpty()) {
            boolean any = false;
            for (String term : include) {
                if (lowerText.contains(term)) {
                    any = true;
                    break;
                }
            }
            if (!any) {
                return false;
            }
        }
        for (String term : exclude) {
            if (lowerText.contains(term)) {
                return false;
            }
        }
        for (String term : required) {
            if (!lowerText.contains(term)) {
                return false;
            }
        }
        return true;
    }
}
