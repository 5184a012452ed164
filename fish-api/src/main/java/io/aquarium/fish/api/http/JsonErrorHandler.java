package io.aquarium.fish.api.http;

import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Errors Jetty answers itself (a malformed request line, oversized headers, a bad URI) keep the
 * API's {@code {"message": ...}} shape instead of an HTML page.
 */
final class JsonErrorHandler extends ErrorHandler {
    private static final HttpField JSON = new HttpField(HttpHeader.CONTENT_TYPE, "application/json");

    @Override
    protected void generateResponse(Request request, Response response, int code, String message, Throwable cause,
                                    Callback callback) {
        response.getHeaders().put(JSON);
        response.write(true, ByteBuffer.wrap(body(code)), callback);
    }

    @Override
    public ByteBuffer badMessageError(int status, String reason, HttpFields.Mutable fields) {
        fields.put(JSON);
        return ByteBuffer.wrap(body(status));
    }

    /** Only the standard reason: Jetty's own message may echo request bytes back. */
    private static byte[] body(int code) {
        String reason = HttpStatus.getMessage(code);
        return ("{\"message\":\"" + reason.replace("\"", "'") + "\"}").getBytes(StandardCharsets.UTF_8);
    }
}
