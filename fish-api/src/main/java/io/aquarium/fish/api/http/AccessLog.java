package io.aquarium.fish.api.http;

import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.RequestLog;
import org.eclipse.jetty.server.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.TimeUnit;

/**
 * {@code access_log: true}: one line per HTTP request on the logger {@code fish.access}, once the
 * response is complete: remote address (the socket's), user, method, path (without the query),
 * protocol, status, body bytes written and duration. The line's time is the log line's own. Never a
 * header value, a query or a body: the user is the Basic-auth name only once it was authenticated
 * (set by the authentication in {@link #USER_ATTRIBUTE}), else {@code -}. In the JSON log format the
 * same values are fields of their own ({@code remote}, {@code user}, {@code method}, {@code path},
 * {@code status}, {@code bytes}, {@code duration_ms}).
 */
public final class AccessLog implements RequestLog {
    /** The logger the lines go to. */
    public static final String LOGGER = "fish.access";
    /** Request attribute: the name of the user the request authenticated as. */
    public static final String USER_ATTRIBUTE = "io.aquarium.fish.user";

    private static final Logger LOG = LoggerFactory.getLogger(LOGGER);

    @Override
    public void log(Request request, Response response) {
        if (!LOG.isInfoEnabled()) {
            return;
        }
        String remote = Request.getRemoteAddr(request);
        Object user = request.getAttribute(USER_ATTRIBUTE);
        String userName = user instanceof String s && !s.isEmpty() ? s : "-";
        String method = request.getMethod();
        String path = request.getHttpURI().getPath();
        String protocol = request.getConnectionMetaData().getProtocol();
        int status = response.getStatus();
        long bytes = Response.getContentBytesWritten(response);
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - request.getBeginNanoTime());
        LOG.atInfo()
                .addKeyValue("remote", remote)
                .addKeyValue("user", userName)
                .addKeyValue("method", method)
                .addKeyValue("path", path)
                .addKeyValue("status", status)
                .addKeyValue("bytes", bytes)
                .addKeyValue("duration_ms", millis)
                .log("{} {} \"{} {} {}\" {} {} {}ms", remote, userName, method, path, protocol, status, bytes, millis);
    }
}
