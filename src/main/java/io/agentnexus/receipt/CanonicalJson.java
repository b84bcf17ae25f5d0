package io.agentnexus.receipt;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.agentnexus.platform.text.Sha256;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import org.erdtman.jcs.JsonCanonicalizer;

/**
 * SHA-256 of a JSON document's RFC 8785 form (JSON Canonicalization Scheme): object members sorted by
 * their names' UTF-16 code units, no whitespace, numbers as ECMAScript prints them, minimal string escapes.
 * The same document hashes the same whatever its key order or spacing, so a client can check a receipt's
 * hash against the input it sent.
 */
@ApplicationScoped
class CanonicalJson {

    private final ObjectMapper json;

    CanonicalJson(ObjectMapper json) {
        this.json = json;
    }

    /** 0x + 64 hex digits; null for no document. */
    String sha256(Map<String, Object> document) {
        if (document == null) {
            return null;
        }
        try {
            return "0x" + Sha256.hex(new JsonCanonicalizer(json.writeValueAsString(document)).getEncodedString());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a stored JSON document cannot be written again", e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
