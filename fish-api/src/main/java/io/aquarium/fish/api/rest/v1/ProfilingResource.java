package io.aquarium.fish.api.rest.v1;

import io.aquarium.fish.api.rest.FishPrincipal;
import io.aquarium.fish.core.error.FishException;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.SecurityContext;

import javax.management.JMException;
import javax.management.ObjectName;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;

/** The JVM's equivalents of the original's Go pprof pages (admin only): thread dump and heap histogram. */
@Path("api/v1/node/this/profiling")
@Produces(MediaType.TEXT_PLAIN)
public final class ProfilingResource {
    private static final String INDEX = "Profiling handlers:\nthreads - dump of every thread's stack\n"
            + "heap - class histogram of the heap\n";

    @GET
    public String index(@Context SecurityContext sc) {
        requireAdmin(sc);
        return INDEX;
    }

    @GET
    @Path("{handler}")
    public String handler(@Context SecurityContext sc, @PathParam("handler") String handler) {
        requireAdmin(sc);
        return switch (handler) {
            case "", "index" -> INDEX;
            case "threads", "goroutine" -> threadDump();
            case "heap" -> heapHistogram();
            default -> throw FishException.notFound("Unknown profiling handler: " + handler);
        };
    }

    private static void requireAdmin(SecurityContext sc) {
        if (!FishPrincipal.of(sc).isAdmin()) {
            throw FishException.forbidden("Only 'admin' user can read profiling data");
        }
    }

    private static String threadDump() {
        StringBuilder out = new StringBuilder();
        for (ThreadInfo info : ManagementFactory.getThreadMXBean().dumpAllThreads(true, true)) {
            out.append('"').append(info.getThreadName()).append("\" ").append(info.getThreadState()).append('\n');
            for (StackTraceElement frame : info.getStackTrace()) {
                out.append("    at ").append(frame).append('\n');
            }
            out.append('\n');
        }
        return out.toString();
    }

    private static String heapHistogram() {
        try {
            Object result = ManagementFactory.getPlatformMBeanServer().invoke(
                    new ObjectName("com.sun.management:type=DiagnosticCommand"), "gcClassHistogram",
                    new Object[] {new String[0]}, new String[] {String[].class.getName()});
            return String.valueOf(result);
        } catch (JMException e) {
            throw new FishException(FishException.Kind.UNAVAILABLE, "Heap histogram is not available on this JVM");
        }
    }
}
