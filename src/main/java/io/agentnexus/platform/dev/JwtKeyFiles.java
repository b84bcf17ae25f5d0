package io.agentnexus.platform.dev;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.util.Base64;
import java.util.Map;

/**
 * An RSA key pair for signing and verifying JWTs outside production, generated once into a folder.
 * Production mounts its own keys (SMALLRYE_JWT_SIGN_KEY_LOCATION, MP_JWT_VERIFY_PUBLICKEY_LOCATION).
 */
public final class JwtKeyFiles {

    private JwtKeyFiles() {
    }

    /** Creates the pair in {@code dir} unless it is there, and returns the config that uses it. */
    public static Map<String, String> ensure(Path dir) {
        Path privateKey = dir.resolve("jwt-private.pem").toAbsolutePath();
        Path publicKey = dir.resolve("jwt-public.pem").toAbsolutePath();
        try {
            if (!Files.exists(privateKey) || !Files.exists(publicKey)) {
                Files.createDirectories(dir);
                KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
                generator.initialize(2048);
                KeyPair pair = generator.generateKeyPair();
                Files.writeString(publicKey, pem("PUBLIC KEY", pair.getPublic().getEncoded()));
                Files.writeString(privateKey, pem("PRIVATE KEY", pair.getPrivate().getEncoded()));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not write JWT keys to " + dir, e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("RSA is not available", e);
        }
        try {
            // Inline contents, not locations: they replace the throw-away pair Quarkus would otherwise
            // generate per start in dev and test, so tokens survive a restart.
            return Map.of(
                    "smallrye.jwt.sign.key", Files.readString(privateKey),
                    "mp.jwt.verify.publickey", Files.readString(publicKey));
        } catch (IOException e) {
            throw new UncheckedIOException("could not read JWT keys from " + dir, e);
        }
    }

    private static String pem(String type, byte[] der) {
        String body = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der);
        return "-----BEGIN " + type + "-----\n" + body + "\n-----END " + type + "-----\n";
    }
}
