package dev.tokenstarter.token.internal.endpoint;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;

import dev.tokenstarter.token.Secrets;
import dev.tokenstarter.token.endpoint.CredentialSource;

/**
 * A credential kept in a file that something else rewrites, such as a Kubernetes projected service account
 * token: read again for every request (these files are small), with surrounding whitespace removed. Neither
 * the modification time nor the size tells reliably that it changed: a rewrite of the same size that keeps the
 * time ({@code cp -p}, {@code rsync -t}, file systems with 1-2 s timestamps) or a {@code ..data} symlink swap
 * to a file of the same time and size would be missed.
 */
public final class FileCredentialSource implements CredentialSource {

    private final Path file;

    public FileCredentialSource(Path file) {
        this.file = Objects.requireNonNull(file, "file");
    }

    @Override
    public String get() {
        String value;
        try {
            value = Files.readString(file, StandardCharsets.UTF_8).strip();
        }
        catch (IOException ex) {
            // a token pasted where its location belongs is not quoted (nor is the exception, which names the path)
            throw new IllegalStateException("the file " + Secrets.location(file.toString()) + " cannot be read ("
                    + ex.getClass().getSimpleName() + ")");
        }
        if (value.isEmpty()) {
            throw new IllegalStateException("the file " + Secrets.location(file.toString()) + " is empty");
        }
        return value;
    }

    @Override
    public String toString() {
        return "FileCredentialSource[" + Secrets.location(file.toString()) + "]";
    }
}
