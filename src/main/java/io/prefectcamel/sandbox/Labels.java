package io.prefectcamel.sandbox;

import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Arrays;
import java.util.Iterator;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * An immutable, insertion-ordered map of resource labels (string to string), stored as one flat
 * array so that a million stored events stay small.
 */
public final class Labels extends AbstractMap<String, String> {

    static final String RESOURCE_ID = "prefect.resource.id";
    static final String RESOURCE_ROLE = "prefect.resource.role";
    static final String RESOURCE_NAME = "prefect.resource.name";

    private static final String[] NONE = new String[0];
    static final Labels EMPTY = new Labels(NONE);

    private final String[] kv;
    private int hash;

    private Labels(String[] kv) {
        this.kv = kv;
    }

    /** A copy of the given map (keys and values must be non-null strings). */
    public static Labels of(Map<String, String> map) {
        if (map instanceof Labels labels) {
            return labels;
        }
        String[] kv = new String[map.size() * 2];
        int i = 0;
        for (Map.Entry<String, String> e : map.entrySet()) {
            kv[i++] = java.util.Objects.requireNonNull(e.getKey(), "label name");
            kv[i++] = java.util.Objects.requireNonNull(e.getValue(), "label value");
        }
        return new Labels(kv);
    }

    /** Labels from alternating names and values. */
    public static Labels of(String... namesAndValues) {
        if (namesAndValues.length % 2 != 0) {
            throw new IllegalArgumentException("names and values must come in pairs");
        }
        for (String s : namesAndValues) {
            java.util.Objects.requireNonNull(s);
        }
        return new Labels(namesAndValues.clone());
    }

    static Labels ofArray(String[] kv) {
        return new Labels(kv);
    }

    /** The value of {@code prefect.resource.id}, or null. */
    public String resourceId() {
        return get(RESOURCE_ID);
    }

    /** The value of {@code prefect.resource.role}, or null. */
    public String role() {
        return get(RESOURCE_ROLE);
    }

    Labels withCanonicalNames(UnaryOperator<String> canon) {
        String[] copy = null;
        for (int i = 0; i < kv.length; i += 2) {
            String c = canon.apply(kv[i]);
            if (c != kv[i]) {
                if (copy == null) {
                    copy = kv.clone();
                }
                copy[i] = c;
            }
        }
        return copy == null ? this : new Labels(copy);
    }

    @Override
    public String get(Object key) {
        String[] a = kv;
        for (int i = 0; i < a.length; i += 2) {
            if (a[i].equals(key)) {
                return a[i + 1];
            }
        }
        return null;
    }

    @Override
    public boolean containsKey(Object key) {
        String[] a = kv;
        for (int i = 0; i < a.length; i += 2) {
            if (a[i].equals(key)) {
                return true;
            }
        }
        return false;
    }

    @Override
    public int size() {
        return kv.length / 2;
    }

    /** Order-sensitive key for de-duplicating identical label sets. */
    java.util.List<String> flat() {
        return java.util.Collections.unmodifiableList(Arrays.asList(kv));
    }

    String nameAt(int i) {
        return kv[2 * i];
    }

    String valueAt(int i) {
        return kv[2 * i + 1];
    }

    @Override
    public Set<Entry<String, String>> entrySet() {
        return new AbstractSet<>() {
            @Override
            public Iterator<Entry<String, String>> iterator() {
                return new Iterator<>() {
                    private int i;

                    @Override
                    public boolean hasNext() {
                        return i < kv.length;
                    }

                    @Override
                    public Entry<String, String> next() {
                        if (i >= kv.length) {
                            throw new NoSuchElementException();
                        }
                        Entry<String, String> e = new SimpleImmutableEntry<>(kv[i], kv[i + 1]);
                        i += 2;
                        return e;
                    }
                };
            }

            @Override
            public int size() {
                return kv.length / 2;
            }
        };
    }

    @Override
    public boolean equals(Object o) {
        if (o instanceof Labels other) {
            return Arrays.equals(kv, other.kv) || super.equals(o);
        }
        return super.equals(o);
    }

    @Override
    public int hashCode() {
        int h = hash;
        if (h == 0) {
            h = super.hashCode();
            hash = h;
        }
        return h;
    }
}
