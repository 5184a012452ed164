package io.aquarium.fish.api.rest.health;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.aquarium.fish.core.health.Readiness;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Probes for load balancers and orchestrators, without credentials (only {@code /api/} needs them):
 * {@code /health/live} answers while the process serves, {@code /health/ready} says whether the node
 * can do its work ({@link Readiness}): 200 when every check is up, else 503. Never cached.
 */
@Path("health")
@Produces(MediaType.APPLICATION_JSON)
public final class HealthResource {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String LIVE = "{\"status\":\"UP\"}";

    private final Supplier<Readiness.Snapshot> snapshot;

    public HealthResource(Supplier<Readiness.Snapshot> snapshot) {
        this.snapshot = snapshot;
    }

    @GET
    @Path("live")
    public Response live() {
        return json(200, LIVE);
    }

    @GET
    @Path("ready")
    public Response ready() {
        Readiness.Report report = Readiness.decide(snapshot.get());
        return json(report.up() ? 200 : 503, body(report));
    }

    /** {@code {"status":"UP","checks":{"store":"UP",...}}}: status first, the checks in their order. */
    static String body(Readiness.Report report) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", report.status());
        body.put("checks", report.checks());
        try {
            return JSON.writeValueAsString(body);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Response json(int status, String body) {
        return Response.status(status).type(MediaType.APPLICATION_JSON_TYPE).header("Cache-Control", "no-store")
                .entity(body).build();
    }
}
