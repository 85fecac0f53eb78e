package dev.tokenstarter.token.internal.shared;

import org.jspecify.annotations.Nullable;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

import tools.jackson.databind.json.JsonMapper;

import dev.tokenstarter.token.AccessToken;

/**
 * How a token looks in Redis: JSON with the access token, its type, refresh token, scopes and refresh hint
 * (relative to the expiry; the entry's own time to live carries the expiry itself), AES-GCM
 * encrypted (random 96-bit nonce, the client name as associated data) when a key is given; and the token's
 * fingerprint, which lets Redis compare tokens without holding them in the clear (an HMAC under the key, or
 * SHA-256 without one).
 */
final class SharedTokenCodec {

    private static final JsonMapper json = JsonMapper.builder().build();

    private static final int NONCE_BYTES = 12;

    private static final int TAG_BITS = 128;

    private final @Nullable SecretKeySpec key;

    private final byte[] associatedData;

    private final SecureRandom random = new SecureRandom();

    /**
     * @param client the client name, bound to every encrypted value as associated data
     * @param base64Key a 256-bit AES key in base64, or {@code null} for plain text
     */
    SharedTokenCodec(String client, @Nullable String base64Key) {
        this.associatedData = client.getBytes(StandardCharsets.UTF_8);
        if (base64Key != null && !base64Key.isBlank()) {
            byte[] bytes = Base64.getDecoder().decode(base64Key.trim());
            if (bytes.length != 32) {
                throw new IllegalArgumentException("shared.encryption-key must be 256 bits in base64");
            }
            this.key = new SecretKeySpec(bytes, "AES");
        }
        else {
            this.key = null;
        }
    }

    boolean encrypts() {
        return key != null;
    }

    /** The fingerprint Redis compares tokens by. */
    String fingerprint(String tokenValue) {
        try {
            byte[] digest;
            if (key != null) {
                Mac mac = Mac.getInstance("HmacSHA256");
                mac.init(new SecretKeySpec(key.getEncoded(), "HmacSHA256"));
                digest = mac.doFinal(tokenValue.getBytes(StandardCharsets.UTF_8));
            }
            else {
                digest = MessageDigest.getInstance("SHA-256").digest(tokenValue.getBytes(StandardCharsets.UTF_8));
            }
            return HexFormat.of().formatHex(digest, 0, 16);
        }
        catch (GeneralSecurityException ex) {
            throw new IllegalStateException("No HmacSHA256/SHA-256 in this JVM", ex);
        }
    }

    String encode(AccessToken token) {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("value", token.value());
        fields.put("type", token.tokenType());
        if (token.refreshToken() != null) {
            fields.put("refreshToken", token.refreshToken());
        }
        fields.put("scopes", new ArrayList<>(token.scopes()));
        if (token.refreshHint() != null) {
            // relative to the expiry: instants of the fetching instance's clock mean nothing to another's
            fields.put("refreshHintBeforeExpiry", Duration.between(token.refreshHint(), token.expiresAt()).toMillis());
        }
        byte[] plain = json.writeValueAsBytes(fields);
        if (key == null) {
            return new String(plain, StandardCharsets.UTF_8);
        }
        try {
            byte[] nonce = new byte[NONCE_BYTES];
            random.nextBytes(nonce);
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, nonce));
            cipher.updateAAD(associatedData);
            byte[] sealed = cipher.doFinal(plain);
            return "v1:" + Base64.getEncoder().encodeToString(ByteBuffer.allocate(nonce.length + sealed.length)
                .put(nonce).put(sealed).array());
        }
        catch (GeneralSecurityException ex) {
            throw new IllegalStateException("AES-GCM encryption failed", ex);
        }
    }

    /**
     * The stored token, its instants on the reader's clock.
     * @param stored the encoded token
     * @param expiresAt when it expires by the reader's clock: its now plus the entry's remaining lifetime
     * @param lifetime its whole lifetime, which puts its issue time before {@code expiresAt}
     * @throws UnreadableTokenException if the value cannot be decrypted (another key, another client,
     * tampered with) or parsed; the message never quotes it
     */
    AccessToken decode(String stored, Instant expiresAt, Duration lifetime) {
        byte[] plain;
        if (key == null) {
            if (stored.startsWith("v1:")) {
                throw new UnreadableTokenException("the stored token is encrypted, but shared.encryption-key is not set");
            }
            plain = stored.getBytes(StandardCharsets.UTF_8);
        }
        else {
            if (!stored.startsWith("v1:")) {
                throw new UnreadableTokenException("the stored token is not encrypted, but shared.encryption-key is set");
            }
            try {
                byte[] sealed = Base64.getDecoder().decode(stored.substring(3));
                Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
                cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, sealed, 0, NONCE_BYTES));
                cipher.updateAAD(associatedData);
                plain = cipher.doFinal(sealed, NONCE_BYTES, sealed.length - NONCE_BYTES);
            }
            catch (GeneralSecurityException | IllegalArgumentException ex) {
                throw new UnreadableTokenException("the stored token cannot be decrypted with shared.encryption-key "
                        + "(another key, or not this client's token)");
            }
        }
        try {
            @SuppressWarnings("unchecked")
            Map<String, Object> fields = json.readValue(plain, Map.class);
            @SuppressWarnings("unchecked")
            List<String> scopes = (List<String>) fields.getOrDefault("scopes", List.of());
            Object hintBeforeExpiry = fields.get("refreshHintBeforeExpiry");
            return new AccessToken(required(fields, "value"), required(fields, "type"), expiresAt.minus(lifetime),
                    expiresAt, (String) fields.get("refreshToken"), Set.copyOf(scopes), (hintBeforeExpiry != null)
                            ? expiresAt.minusMillis(((Number) hintBeforeExpiry).longValue()) : null);
        }
        catch (RuntimeException ex) {
            throw new UnreadableTokenException("the stored token is not in the expected format");
        }
    }

    private static String required(Map<String, Object> fields, String name) {
        if (fields.get(name) instanceof String value) {
            return value;
        }
        throw new UnreadableTokenException("the stored token is not in the expected format");
    }

    /** A stored token that cannot be read; the message says why without quoting it. */
    static final class UnreadableTokenException extends RuntimeException {

        UnreadableTokenException(String message) {
            super(message, null, false, false);
        }
    }
}
