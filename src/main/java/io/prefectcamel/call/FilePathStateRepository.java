package io.prefectcamel.call;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.camel.spi.StateRepository;
import org.apache.camel.support.processor.state.FileStateRepository;
import org.apache.camel.support.service.ServiceHelper;
import org.apache.camel.support.service.ServiceSupport;

/**
 * A {@link StateRepository} in a file, given by its path, so that a Kamelet's bean definition can set it from a
 * property ({@code filePath: "{{stateFile}}"}). The file is Camel's {@link FileStateRepository}; every instance
 * that names the same file shares one of them, since two of them on one file would overwrite each other's keys
 * (each rewrites the file from what it holds when it stops) when two sources of an integration keep their state
 * there. The shared one stops (and is read from the file again when next needed) when the last of them stops.
 */
public class FilePathStateRepository extends ServiceSupport implements StateRepository<String, String> {

    private static final Map<String, Shared> FILES = new ConcurrentHashMap<>();

    private String filePath;
    private volatile String canonical;
    private volatile FileStateRepository file;

    private static final class Shared {
        final FileStateRepository repository;
        int users;

        Shared(FileStateRepository repository) {
            this.repository = repository;
        }
    }

    public String getFilePath() {
        return filePath;
    }

    public void setFilePath(String filePath) {
        this.filePath = filePath;
    }

    @Override
    protected void doStart() throws Exception {
        File store = new File(filePath);
        String key;
        try {
            key = store.getCanonicalPath();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Shared shared = FILES.compute(key, (k, s) -> {
            Shared in = s != null ? s : new Shared(FileStateRepository.fileStateRepository(store));
            in.users++;
            return in;
        });
        ServiceHelper.startService(shared.repository);
        canonical = key;
        file = shared.repository;
    }

    @Override
    protected void doStop() throws Exception {
        FILES.computeIfPresent(canonical, (k, s) -> {
            if (--s.users > 0) {
                return s;
            }
            ServiceHelper.stopService(s.repository);
            return null;
        });
    }

    @Override
    public void setState(String key, String value) {
        file.setState(key, value);
    }

    @Override
    public String getState(String key) {
        return file.getState(key);
    }
}
