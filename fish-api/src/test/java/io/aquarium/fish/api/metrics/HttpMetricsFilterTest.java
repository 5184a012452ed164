package io.aquarium.fish.api.metrics;

import org.glassfish.jersey.uri.UriTemplate;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class HttpMetricsFilterTest {
    @Test
    void routeJoinsTheMatchedTemplatesOuterFirstWithoutRegexes() {
        // Jersey lists the innermost (method) template first.
        assertEquals("/api/v1/application/{uid}/state", HttpMetricsFilter.route(
                List.of(new UriTemplate("{uid}/state"), new UriTemplate("api/v1/application")), 200));
        assertEquals("/meta/v1/data/{key_path}", HttpMetricsFilter.route(
                List.of(new UriTemplate("{key_path: .+}"), new UriTemplate("/meta/v1/data/")), 200));
        assertEquals("/metrics", HttpMetricsFilter.route(List.of(new UriTemplate("metrics")), 200));
        assertEquals("NOT_FOUND", HttpMetricsFilter.route(List.of(), 404));
        assertEquals("UNMATCHED", HttpMetricsFilter.route(List.of(), 401));
    }

    @Test
    void metaResults() {
        assertEquals("ok", HttpMetricsFilter.metaResult(200));
        assertEquals("unauthorized", HttpMetricsFilter.metaResult(401));
        assertEquals("not_found", HttpMetricsFilter.metaResult(404));
        assertEquals("bad_request", HttpMetricsFilter.metaResult(400));
        assertEquals("error", HttpMetricsFilter.metaResult(503));
    }
}
