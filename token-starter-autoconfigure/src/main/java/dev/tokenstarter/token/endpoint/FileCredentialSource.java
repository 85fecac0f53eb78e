package dev.tokenstarter.token.endpoint;

import org.jspecify.annotations.Nullable;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.Objects;

/**
 * A credential kept in a file that something else rewrites, such as a Kubernetes projected service account
 * token: read again whenever its modification time or size has changed since the last read (a stat per
 * request), with surrounding whitespace removed.
 */
public final class FileCredentialSource implements CredentialSource {

    private final Path file;

    private volatile @Nullable Snapshot last;

    public FileCredentialSource(Path file) {
        this.file = Objects.requireNonNull(file, "file");
    }

    @Override
    public String get() {
        try {
            BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
            Snapshot snapshot = last;
            if (snapshot != null && snapshot.modified().equals(attributes.lastModifiedTime())
                    && snapshot.size() == attributes.size()) {
                return snapshot.value();
            }
            String value = Files.readString(file, StandardCharsets.UTF_8).strip();
            if (value.isEmpty()) {
                throw new IllegalStateException("the file " + file + " is empty");
            }
            last = new Snapshot(value, attributes.lastModifiedTime(), attributes.size());
            return value;
        }
        catch (IOException ex) {
            throw new IllegalStateException("the file " + file + " cannot be read (" + ex.getClass().getSimpleName() + ")");
        }
    }

    @Override
    public String toString() {
        return "FileCredentialSource[" + file + "]";
    }

    private record Snapshot(String value, FileTime modified, long size) {

        @Override
        public String toString() {
            return "Snapshot[" + modified + "]";
        }
    }
}
