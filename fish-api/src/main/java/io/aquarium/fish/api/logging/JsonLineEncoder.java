package io.aquarium.fish.api.logging;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.encoder.EncoderBase;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import org.slf4j.event.KeyValuePair;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One log event as one line of JSON: {@code timestamp} (RFC 3339, UTC, milliseconds), {@code level},
 * {@code logger}, {@code thread}, {@code message}, then {@code node} when known, the MDC entries (such
 * as {@code application_uid}), SLF4J key-values and, for an exception, {@code exception} (its stack
 * trace as one string). Keys that would overwrite the fixed ones are dropped.
 */
public final class JsonLineEncoder extends EncoderBase<ILoggingEvent> {
    private static final JsonFactory JSON = new JsonFactory();
    private static final DateTimeFormatter TIMESTAMP =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSXXX").withZone(ZoneOffset.UTC);
    private static final Set<String> FIXED = Set.of("timestamp", "level", "logger", "thread", "message", "node",
            "exception");
    private static final byte[] NOTHING = new byte[0];

    private volatile String node;

    /** The node name every line carries from now on (null: none). */
    public void setNode(String node) {
        this.node = node;
    }

    @Override
    public byte[] headerBytes() {
        return NOTHING;
    }

    @Override
    public byte[] footerBytes() {
        return NOTHING;
    }

    @Override
    public byte[] encode(ILoggingEvent event) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("timestamp", TIMESTAMP.format(Instant.ofEpochMilli(event.getTimeStamp())));
            g.writeStringField("level", event.getLevel().toString());
            g.writeStringField("logger", event.getLoggerName());
            g.writeStringField("thread", event.getThreadName());
            g.writeStringField("message", event.getFormattedMessage());
            String nodeName = node;
            if (nodeName != null) {
                g.writeStringField("node", nodeName);
            }
            Map<String, String> mdc = event.getMDCPropertyMap();
            if (mdc != null) {
                for (Map.Entry<String, String> e : mdc.entrySet()) {
                    if (e.getKey() != null && !FIXED.contains(e.getKey())) {
                        g.writeStringField(e.getKey(), e.getValue());
                    }
                }
            }
            List<KeyValuePair> kvs = event.getKeyValuePairs();
            if (kvs != null) {
                for (KeyValuePair kv : kvs) {
                    if (kv.key == null || FIXED.contains(kv.key) || (mdc != null && mdc.containsKey(kv.key))) {
                        continue;
                    }
                    g.writeFieldName(kv.key);
                    if (kv.value == null) {
                        g.writeNull();
                    } else if (kv.value instanceof Number || kv.value instanceof Boolean) {
                        g.writeObject(kv.value);
                    } else {
                        g.writeString(kv.value.toString());
                    }
                }
            }
            IThrowableProxy thrown = event.getThrowableProxy();
            if (thrown != null) {
                g.writeStringField("exception", ThrowableProxyUtil.asString(thrown));
            }
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        out.write('\n');
        return out.toByteArray();
    }
}
