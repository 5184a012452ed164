package io.aquarium.fish.api.metrics;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Response;

/**
 * {@code GET /metrics}: every meter in the Prometheus text format, on the API port. Public by default
 * like {@code /health/*}; {@code metrics_auth: true} makes it need Basic credentials of any user.
 */
@Path("metrics")
public final class MetricsResource {
    static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private final FishMeters meters;

    public MetricsResource(FishMeters meters) {
        this.meters = meters;
    }

    @GET
    public Response scrape() {
        return Response.ok(meters.scrape(), CONTENT_TYPE).header("Cache-Control", "no-store").build();
    }
}
