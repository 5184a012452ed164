package io.aquarium.fish.api.logging;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.OutputStreamAppender;
import ch.qos.logback.core.encoder.Encoder;
import io.aquarium.fish.core.config.FishConfig;
import org.slf4j.ILoggerFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Iterator;

/**
 * Switches the stdout appender of the packed {@code logback.xml} (named {@code STDOUT}) between its
 * readable line pattern ({@code text}) and {@link JsonLineEncoder} ({@code json}), in place: the
 * appender is not stopped, so no line is lost, and each line is encoded whole by one encoder or the
 * other, so none is mangled. {@link io.aquarium.fish.api.Main} switches before it logs anything.
 */
public final class LogFormat {
    static final String APPENDER = "STDOUT";

    private LogFormat() {
    }

    /**
     * Applies {@code format} ({@code text} or {@code json}); {@code node} (may be null) is the name JSON
     * lines carry. Returns false when there is no logback STDOUT appender to switch (nothing changes).
     */
    public static synchronized boolean apply(String format, String node) {
        OutputStreamAppender<ILoggingEvent> appender = stdoutAppender();
        if (appender == null) {
            return false;
        }
        Encoder<ILoggingEvent> current = appender.getEncoder();
        if (FishConfig.LOG_FORMAT_JSON.equals(format)) {
            if (current instanceof JsonLineEncoder json) {
                json.setNode(node);
                return true;
            }
            JsonLineEncoder json = new JsonLineEncoder();
            json.setContext(appender.getContext());
            json.setNode(node);
            json.start();
            Original.remember(current);
            appender.setEncoder(json);
        } else if (current instanceof JsonLineEncoder && Original.encoder != null) {
            appender.setEncoder(Original.encoder);
        }
        return true;
    }

    /** The text encoder of logback.xml, kept to switch back (tests run several nodes in one JVM). */
    private static final class Original {
        static Encoder<ILoggingEvent> encoder;

        static void remember(Encoder<ILoggingEvent> e) {
            if (!(e instanceof JsonLineEncoder)) {
                encoder = e;
            }
        }
    }

    @SuppressWarnings("unchecked")
    private static OutputStreamAppender<ILoggingEvent> stdoutAppender() {
        ILoggerFactory factory = LoggerFactory.getILoggerFactory();
        if (!(factory instanceof LoggerContext context)) {
            return null;
        }
        ch.qos.logback.classic.Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        Appender<ILoggingEvent> appender = root.getAppender(APPENDER);
        if (appender == null) {
            for (Iterator<Appender<ILoggingEvent>> it = root.iteratorForAppenders(); it.hasNext(); ) {
                Appender<ILoggingEvent> a = it.next();
                if (a instanceof OutputStreamAppender<?>) {
                    appender = a;
                    break;
                }
            }
        }
        return appender instanceof OutputStreamAppender<?> out ? (OutputStreamAppender<ILoggingEvent>) out : null;
    }
}
