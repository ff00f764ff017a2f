package io.prefectcamel.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

/**
 * The files derived from the operation catalog (the facade's OpenAPI document, routes/operations.camel.yaml, the
 * README's operation tables) are what scripts/derive.py makes of the catalog and Prefect's document today.
 */
class DerivedFilesTest {

    @Test
    void derivedFilesAreUpToDateWithTheCatalog() throws Exception {
        assumeTrue(Files.isRegularFile(Path.of("../shared/upstream/prefect-cloud-openapi.json")),
                "Prefect's OpenAPI document is not beside the project");
        File log = File.createTempFile("derive", ".log");
        log.deleteOnExit();
        Process p = new ProcessBuilder("python3", "scripts/derive.py", "--check").redirectErrorStream(true)
                .redirectOutput(log).start();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("derive.py finished").isTrue();
        String out = Files.readString(log.toPath(), StandardCharsets.UTF_8);
        assertThat(p.exitValue()).as("python3 scripts/derive.py --check: " + out).isZero();
        assertThat(out).contains("up to date");
    }
}
