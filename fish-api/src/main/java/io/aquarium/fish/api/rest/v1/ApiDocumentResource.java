package io.aquarium.fish.api.rest.v1;

import com.fasterxml.jackson.databind.JsonNode;
import io.aquarium.fish.api.rest.wire.WireJson;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Response;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/** Our own OpenAPI document for REST v1, public so API tools can load it: YAML at /api/, JSON beside it. */
@Path("api")
public final class ApiDocumentResource {
    static final String DOCUMENT = "/openapi/aquarium-fish-v1.yaml";

    private final byte[] yaml;
    private final byte[] json;

    public ApiDocumentResource(WireJson wire) {
        try (InputStream in = ApiDocumentResource.class.getResourceAsStream(DOCUMENT)) {
            if (in == null) {
                throw new IllegalStateException("missing " + DOCUMENT + " in the build");
            }
            this.yaml = in.readAllBytes();
            JsonNode tree = wire.yaml().readTree(yaml);
            this.json = wire.json().writeValueAsBytes(tree);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @GET
    @Produces("application/yaml")
    public Response yaml() {
        return Response.ok(yaml, "application/yaml").build();
    }

    @GET
    @Path("openapi.yaml")
    @Produces("application/yaml")
    public Response yamlFile() {
        return yaml();
    }

    @GET
    @Path("openapi.json")
    @Produces("application/json")
    public Response jsonFile() {
        return Response.ok(json, "application/json").build();
    }
}
