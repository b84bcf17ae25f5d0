package io.agentnexus.platform.error;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.deser.DeserializationProblemHandler;
import com.fasterxml.jackson.databind.deser.ValueInstantiator;
import io.quarkus.jackson.ObjectMapperCustomizer;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * While a request body is read, a value of the wrong type (a string for a number, an unknown enum
 * constant, an array for an object) is noted with its field and read as null instead of stopping the
 * reader, so that the 400 can list it together with every other invalid field. Outside a body read
 * (cache, agent output) the mapper stays strict.
 */
final class WrongTypedFields extends DeserializationProblemHandler {

    private static final ThreadLocal<List<Problem.FieldError>> NOTED = new ThreadLocal<>();

    /** Runs a body read, returning what it read and the wrong-typed fields it passed over. */
    static <T> Read<T> noting(BodyRead<T> read) throws IOException {
        List<Problem.FieldError> noted = new ArrayList<>();
        NOTED.set(noted);
        try {
            return new Read<>(read.read(), List.copyOf(noted));
        } finally {
            NOTED.remove();
        }
    }

    interface BodyRead<T> {
        T read() throws IOException;
    }

    record Read<T>(T value, List<Problem.FieldError> wrongTyped) {
    }

    /** Installs the handler on the application's ObjectMapper. */
    @Singleton
    static class Installer implements ObjectMapperCustomizer {
        @Override
        public void customize(ObjectMapper mapper) {
            mapper.addHandler(new WrongTypedFields());
        }
    }

    @Override
    public Object handleWeirdStringValue(DeserializationContext ctxt, Class<?> targetType, String value,
            String failureMsg) {
        return note(ctxt.getParser(), ctxt.constructType(targetType));
    }

    @Override
    public Object handleWeirdNumberValue(DeserializationContext ctxt, Class<?> targetType, Number value,
            String failureMsg) {
        return note(ctxt.getParser(), ctxt.constructType(targetType));
    }

    @Override
    public Object handleUnexpectedToken(DeserializationContext ctxt, JavaType targetType, JsonToken token,
            JsonParser parser, String failureMsg) throws IOException {
        Object replacement = note(parser, targetType);
        if (replacement == null) {
            parser.skipChildren(); // the wrong-typed object or array is passed over whole
        }
        return replacement;
    }

    @Override
    public Object handleMissingInstantiator(DeserializationContext ctxt, Class<?> instClass,
            ValueInstantiator valueInsta, JsonParser parser, String msg) throws IOException {
        Object replacement = note(parser, ctxt.constructType(instClass));
        if (replacement == null) {
            parser.skipChildren();
        }
        return replacement;
    }

    /** Null in place of the value when a body is being read (and the target can hold null), else not handled. */
    private static Object note(JsonParser parser, JavaType target) {
        List<Problem.FieldError> noted = NOTED.get();
        String field = JsonFieldPath.of(parser);
        if (noted == null || target.isPrimitive() || field.isEmpty()) {
            return NOT_HANDLED; // not a body read, or the body itself is of the wrong type: the usual 400
        }
        noted.add(new Problem.FieldError(field, "has the wrong type: expected "
                + ProblemMappers.typeName(target.getRawClass())));
        return null;
    }
}
