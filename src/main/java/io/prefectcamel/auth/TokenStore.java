package io.prefectcamel.auth;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

/**
 * The callers' tokens, as a JSON file that holds for each token its name, scopes, restrictions and expiry and a
 * salted SHA-256 hash of it, never the token. A token is {@code pcat_<id>_<secret>}: a recognisable prefix, the id
 * of its entry (12 hex digits) and 256 random bits; the hash of a secret that long needs no slow key derivation.
 */
public final class TokenStore {

    public static final String PREFIX = "pcat_";
    /** A token's form, as {@link #wellFormed} tests it (kept for the test that holds the two equal). */
    static final Pattern TOKEN = Pattern.compile("pcat_[0-9a-f]{12}_[A-Za-z0-9_-]{43}");
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
    private static final SecureRandom RANDOM = new SecureRandom();
    static final ObjectMapper JSON = new ObjectMapper()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(SerializationFeature.INDENT_OUTPUT);

    /** One token's entry: everything but the token. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Entry(String name, String id, String salt, String hash, List<String> scopes, List<String> accounts,
            List<String> workspaces, String created, String expires,
            @JsonProperty("rate_per_second") Double ratePerSecond,
            @JsonProperty("max_concurrent") Integer maxConcurrent) {

        public boolean expiredAt(Instant now) {
            Instant at = expiry();
            return at != null && !now.isBefore(at);
        }

        /** When the token expires; null for never; an expiry that cannot be read is long past (the token refused). */
        Instant expiry() {
            try {
                return expires == null ? null : Instant.parse(expires);
            } catch (java.time.format.DateTimeParseException broken) {
                return Instant.EPOCH;
            }
        }

        Caller caller() {
            return new Caller("token:" + id, name, Set.copyOf(scopes), Set.copyOf(nonNull(accounts)),
                    Set.copyOf(nonNull(workspaces)), ratePerSecond == null ? 0 : ratePerSecond,
                    maxConcurrent == null ? 0 : maxConcurrent);
        }
    }

    /** The file's shape. */
    record FileForm(int version, List<Entry> tokens) {
    }

    /** What {@link #verify} found. */
    public sealed interface Verdict {
        record Valid(Entry entry, Caller caller) implements Verdict {
        }

        record Refused(String reason) implements Verdict {
        }
    }

    /** What verifying a token of each entry needs, decoded once: not on every call. */
    private final Map<String, Known> known;

    /** An entry's salt and hash as bytes, its expiry as an instant, its caller; null bytes: an entry that is broken. */
    private record Known(Entry entry, byte[] salt, byte[] hash, Instant expires, Caller caller) {

        static Known of(Entry e) {
            byte[] salt;
            byte[] hash;
            try {
                salt = Base64.getDecoder().decode(e.salt());
                hash = Base64.getDecoder().decode(e.hash());
            } catch (IllegalArgumentException broken) {
                salt = null;
                hash = null;
            }
            return new Known(e, salt, hash, e.expiry(), e.caller());
        }
    }

    private TokenStore(List<Entry> entries) {
        Map<String, Known> k = new LinkedHashMap<>();
        entries.forEach(e -> k.put(e.id(), Known.of(e)));
        this.known = Map.copyOf(k);
        // keep the file's order for listing
        this.ordered = List.copyOf(entries);
    }

    private final List<Entry> ordered;

    public static TokenStore empty() {
        return new TokenStore(List.of());
    }

    /** Reads a store; a missing file is an empty store. Fails on a file that is not a token store. */
    public static TokenStore read(Path file) throws IOException {
        if (!Files.exists(file)) {
            return empty();
        }
        return parse(Files.readAllBytes(file));
    }

    static TokenStore parse(byte[] content) throws IOException {
        FileForm form = JSON.readValue(content, FileForm.class);
        List<Entry> entries = form.tokens() == null ? List.of() : form.tokens();
        for (Entry e : entries) {
            if (e.id() == null || e.salt() == null || e.hash() == null || e.name() == null || e.scopes() == null) {
                throw new IOException("A token entry lacks its name, id, salt, hash or scopes");
            }
        }
        return new TokenStore(entries);
    }

    /** Writes the store atomically (a temporary file moved over it), readable by its owner only. */
    public void write(Path file) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, ".tokens", ".tmp");
        try {
            try {
                Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
            } catch (UnsupportedOperationException e) {
                // not a POSIX file system
            }
            Files.write(tmp, JSON.writeValueAsBytes(new FileForm(1, ordered)));
            try {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    public List<Entry> entries() {
        return ordered;
    }

    public Optional<Entry> byName(String name) {
        return ordered.stream().filter(e -> e.name().equals(name)).findFirst();
    }

    /** A new token: the store with its entry added, and the token itself (shown once, never stored). */
    public record Created(TokenStore store, Entry entry, String token) {
    }

    public Created create(String name, List<String> scopes, List<String> accounts, List<String> workspaces,
            Instant expires, Double ratePerSecond, Integer maxConcurrent) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("A token name is 1 to 64 letters, digits, '.', '_' or '-'");
        }
        if (byName(name).isPresent()) {
            throw new IllegalArgumentException("A token named " + name + " exists: revoke it first");
        }
        if (scopes == null || scopes.isEmpty()) {
            throw new IllegalArgumentException("A token needs at least one scope");
        }
        for (String s : scopes) {
            if (!Scopes.ALL.contains(s)) {
                throw new IllegalArgumentException("Unknown scope " + s + "; scopes are " + String.join(", ", Scopes.ALL));
            }
        }
        String id;
        do {
            byte[] idBytes = new byte[6];
            RANDOM.nextBytes(idBytes);
            id = HexFormat.of().formatHex(idBytes);
        } while (known.containsKey(id));
        byte[] secret = new byte[32];
        RANDOM.nextBytes(secret);
        String token = PREFIX + id + "_" + Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
        byte[] salt = new byte[16];
        RANDOM.nextBytes(salt);
        Entry entry = new Entry(name, id, Base64.getEncoder().encodeToString(salt),
                Base64.getEncoder().encodeToString(hash(salt, token)), List.copyOf(scopes), List.copyOf(accounts),
                List.copyOf(workspaces), Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString(),
                expires == null ? null : expires.toString(),
                ratePerSecond, maxConcurrent);
        List<Entry> next = new ArrayList<>(ordered);
        next.add(entry);
        return new Created(new TokenStore(next), entry, token);
    }

    /** The store without the named token, or empty when there is no such token. */
    public Optional<TokenStore> revoke(String name) {
        if (byName(name).isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new TokenStore(ordered.stream().filter(e -> !e.name().equals(name)).toList()));
    }

    /**
     * Whether a text has a token's form, {@code pcat_} + 12 lowercase hex digits + {@code _} + 43 base64url
     * characters: the same test as {@link #TOKEN}, without a regex on every call.
     */
    static boolean wellFormed(String token) {
        if (token == null || token.length() != PREFIX.length() + 12 + 1 + 43 || !token.startsWith(PREFIX)) {
            return false;
        }
        int id = PREFIX.length();
        for (int i = 0; i < 12; i++) {
            char c = token.charAt(id + i);
            if (!(c >= '0' && c <= '9' || c >= 'a' && c <= 'f')) {
                return false;
            }
        }
        if (token.charAt(id + 12) != '_') {
            return false;
        }
        for (int i = id + 13; i < token.length(); i++) {
            char c = token.charAt(i);
            if (!(c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '_' || c == '-')) {
                return false;
            }
        }
        return true;
    }

    /** Checks a presented token against the store; the reason of a refusal never repeats the token. */
    public Verdict verify(String token, Instant now) {
        if (!wellFormed(token)) {
            return new Verdict.Refused("not a token of this service");
        }
        Known e = known.get(token.substring(PREFIX.length(), PREFIX.length() + 12));
        if (e == null || e.hash() == null) {
            return new Verdict.Refused("unknown or revoked token");
        }
        if (!MessageDigest.isEqual(e.hash(), hash(e.salt(), token))) {
            return new Verdict.Refused("unknown or revoked token");
        }
        if (e.expires() != null && !now.isBefore(e.expires())) {
            return new Verdict.Refused("expired token");
        }
        return new Verdict.Valid(e.entry(), e.caller());
    }

    static byte[] hash(byte[] salt, String token) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(salt);
            return sha.digest(token.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static <T> List<T> nonNull(List<T> l) {
        return l == null ? List.of() : l;
    }
}
