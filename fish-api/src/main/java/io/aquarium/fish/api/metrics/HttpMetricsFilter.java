package io.aquarium.fish.api.metrics;

import io.aquarium.fish.meta.MetaResource;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.annotation.Priority;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.container.ContainerResponseFilter;
import jakarta.ws.rs.container.PreMatching;
import org.glassfish.jersey.server.ExtendedUriInfo;
import org.glassfish.jersey.uri.UriTemplate;

import java.util.List;
import java.util.regex.Pattern;

/**
 * {@code http_server_requests_seconds{method,status,uri}} for every REST request, {@code uri} being
 * the matched JAX-RS route template ({@code /api/v1/application/{application_uid}/state}), never the
 * raw path: a path holds UIDs and whatever a client sends. Requests that matched no route (unknown,
 * or refused before matching) count as {@code NOT_FOUND} or {@code UNMATCHED}. Requests routed to the
 * Meta API also count in {@code fish_meta_requests_total{result}}.
 */
@PreMatching
@Priority(1)
public final class HttpMetricsFilter implements ContainerRequestFilter, ContainerResponseFilter {
    private static final String STARTED = HttpMetricsFilter.class.getName() + ".started";
    private static final Pattern REGEX_PARAM = Pattern.compile("\\{\\s*(\\w[\\w.-]*)\\s*:[^}]*}");

    private final MeterRegistry registry;

    public HttpMetricsFilter(MeterRegistry registry) {
        this.registry = registry;
    }

    @Override
    public void filter(ContainerRequestContext request) {
        request.setProperty(STARTED, System.nanoTime());
    }

    @Override
    public void filter(ContainerRequestContext request, ContainerResponseContext response) {
        Object started = request.getProperty(STARTED);
        if (!(started instanceof Long start)) {
            return;
        }
        int status = response.getStatus();
        List<UriTemplate> templates = request.getUriInfo() instanceof ExtendedUriInfo info
                ? info.getMatchedTemplates() : List.of();
        Timer.builder("http.server.requests").description("REST requests by method, status and route template")
                .tag("method", request.getMethod()).tag("status", Integer.toString(status))
                .tag("uri", route(templates, status))
                .register(registry).record(System.nanoTime() - start, java.util.concurrent.TimeUnit.NANOSECONDS);
        if (!request.getUriInfo().getMatchedResources().isEmpty()
                && request.getUriInfo().getMatchedResources().get(0) instanceof MetaResource) {
            Counter.builder("fish.meta.requests").description("Meta API requests by result")
                    .tag("result", metaResult(status)).register(registry).increment();
        }
    }

    /** The route template of the matched resource method: Jersey lists the templates innermost first. */
    static String route(List<UriTemplate> templates, int status) {
        if (templates.isEmpty()) {
            return status == 404 ? "NOT_FOUND" : "UNMATCHED";
        }
        StringBuilder out = new StringBuilder();
        for (int i = templates.size() - 1; i >= 0; i--) {
            String t = templates.get(i).getTemplate();
            int from = 0;
            int to = t.length();
            while (from < to && t.charAt(from) == '/') {
                from++;
            }
            while (to > from && t.charAt(to - 1) == '/') {
                to--;
            }
            if (from < to) {
                out.append('/').append(t, from, to);
            }
        }
        return out.length() == 0 ? "/" : REGEX_PARAM.matcher(out).replaceAll("{$1}");
    }

    static String metaResult(int status) {
        if (status >= 200 && status < 300) {
            return "ok";
        }
        return switch (status) {
            case 401 -> "unauthorized";
            case 404 -> "not_found";
            default -> status >= 500 ? "error" : "bad_request";
        };
    }
}
