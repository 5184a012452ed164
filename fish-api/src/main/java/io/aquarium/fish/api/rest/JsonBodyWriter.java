package io.aquarium.fish.api.rest;

import io.aquarium.fish.api.rest.wire.WireJson;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.ext.MessageBodyWriter;
import jakarta.ws.rs.ext.Provider;

import java.io.IOException;
import java.io.OutputStream;
import java.lang.annotation.Annotation;
import java.lang.reflect.Type;

/** Writes every JSON response through {@link WireJson}: one place for the wire's key order and shapes. */
@Provider
@Produces(MediaType.APPLICATION_JSON)
public final class JsonBodyWriter implements MessageBodyWriter<Object> {
    private final WireJson wire;

    public JsonBodyWriter(WireJson wire) {
        this.wire = wire;
    }

    @Override
    public boolean isWriteable(Class<?> type, Type genericType, Annotation[] annotations, MediaType mediaType) {
        return type != String.class && type != byte[].class && MediaType.APPLICATION_JSON_TYPE.isCompatible(mediaType);
    }

    @Override
    public void writeTo(Object value, Class<?> type, Type genericType, Annotation[] annotations, MediaType mediaType,
                        MultivaluedMap<String, Object> headers, OutputStream out) throws IOException {
        wire.json().writeValue(out, value);
    }
}
