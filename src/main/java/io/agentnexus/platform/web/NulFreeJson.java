package io.agentnexus.platform.web;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.agentnexus.platform.error.ApiException;
import io.agentnexus.platform.error.JsonFieldPath;
import io.agentnexus.platform.error.Problem;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response.Status;
import jakarta.ws.rs.ext.Provider;
import jakarta.ws.rs.ext.ReaderInterceptor;
import jakarta.ws.rs.ext.ReaderInterceptorContext;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Refuses a JSON body with the NUL character (U+0000) in any string or field name, raw or as the
 * \u0000 escape: PostgreSQL cannot store it in text or jsonb, so it must be a 400 here, not a 500
 * at the database. One check for every body, before any field is bound.
 */
@Provider
public class NulFreeJson implements ReaderInterceptor {

    private final ObjectMapper json;

    NulFreeJson(ObjectMapper json) {
        this.json = json;
    }

    @Override
    public Object aroundReadFrom(ReaderInterceptorContext context) throws IOException {
        if (!isJson(context.getMediaType())) {
            return context.proceed();
        }
        byte[] body = context.getInputStream().readAllBytes(); // bounded by quarkus.http.limits.max-body-size
        Optional<String> field = nulAt(body);
        if (field.isPresent()) {
            throw new ApiException(Status.BAD_REQUEST, "validation", "the request has invalid fields",
                    List.of(new Problem.FieldError(field.get(), "must not contain the NUL character (U+0000)")),
                    Map.of());
        }
        context.setInputStream(new ByteArrayInputStream(body));
        return context.proceed();
    }

    /** The path of the first string or field name holding U+0000; empty if none (or if it is not JSON). */
    private Optional<String> nulAt(byte[] body) throws IOException {
        try (JsonParser parser = json.getFactory().createParser(body)) {
            for (JsonToken token = parser.nextToken(); token != null; token = parser.nextToken()) {
                if ((token == JsonToken.VALUE_STRING || token == JsonToken.FIELD_NAME)
                        && parser.getText().indexOf('\0') >= 0) {
                    return Optional.of(JsonFieldPath.of(parser));
                }
            }
        } catch (JsonProcessingException e) {
            // not JSON: the body reader answers that with its own 400
        }
        return Optional.empty();
    }

    /** application/json and every +json type (problem+json, merge-patch+json, ...). */
    public static boolean isJson(MediaType type) {
        return type != null && (type.getSubtype().equals("json") || type.getSubtype().endsWith("+json"));
    }
}
