package io.prefectcamel.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

/** The export's pipe (for callers not on Vert.x): a reader always reaches an end, whatever the writer did. */
class ExportPipeTest {

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static String readAll(EventExport.Pipe pipe) throws Exception {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return new String(pipe.readAllBytes(), StandardCharsets.UTF_8);
            } catch (java.io.IOException e) {
                throw new IllegalStateException(e);
            }
        }).get(5, TimeUnit.SECONDS);
    }

    @Test
    void aWriterThatGivesUpStillLeavesTheReaderAnEnd() throws Exception {
        EventExport.Pipe pipe = new EventExport.Pipe(2, 100);
        assertThat(pipe.write(bytes("a\n"))).isTrue();
        assertThat(pipe.write(bytes("b\n"))).isTrue();
        assertThat(pipe.write(bytes("c\n"))).as("no room within the timeout").isFalse();
        assertThat(pipe.stalled()).isTrue();
        pipe.finish(bytes("{\"export_status\":\"incomplete\"}\n"));

        assertThat(readAll(pipe)).isEqualTo("a\nb\n{\"export_status\":\"incomplete\"}\n");
    }

    @Test
    void anEndWithoutALastLineEndsTheStream() throws Exception {
        EventExport.Pipe pipe = new EventExport.Pipe(2, 100);
        pipe.write(bytes("a\n"));
        pipe.finish(null);
        pipe.finish(bytes("ignored\n"));

        assertThat(readAll(pipe)).isEqualTo("a\n");
        assertThat(pipe.write(bytes("late\n"))).isFalse();
    }
}
