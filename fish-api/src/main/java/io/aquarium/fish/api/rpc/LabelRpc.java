package io.aquarium.fish.api.rpc;

import aquarium.v2.LabelOuterClass.LabelServiceCreateRequest;
import aquarium.v2.LabelOuterClass.LabelServiceCreateResponse;
import aquarium.v2.LabelOuterClass.LabelServiceListRequest;
import aquarium.v2.LabelOuterClass.LabelServiceListResponse;
import aquarium.v2.LabelServiceGrpc;
import io.aquarium.fish.core.error.FishException;
import io.aquarium.fish.core.filter.Filter;
import io.aquarium.fish.core.model.Label;
import io.aquarium.fish.core.model.User;
import io.aquarium.fish.core.service.LabelService;
import io.grpc.stub.StreamObserver;

import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BinaryOperator;

/**
 * v2 {@code LabelService} over the node's {@link LabelService}: List (what the plugin reads after every
 * connect; the service leaves out labels the caller may not see) and Create (the
 * {@code aquariumCreateLabel} step's temporary labels, and the plugin's test harness). Each method
 * is one function of the caller, used by the unary call and by the Connect tunnel.
 */
final class LabelRpc extends LabelServiceGrpc.LabelServiceImplBase {
    /** v2's {@code version} filter value for "the highest version of each name". */
    static final String LAST = "last";

    private final LabelService labels;

    LabelRpc(LabelService labels) {
        this.labels = labels;
    }

    /**
     * v2's filters: {@code name} exact; {@code version} an integer, {@code "last"} (the highest version
     * of each name) or unset/{@code "all"} (every version). Creation order, as REST v1 lists.
     */
    LabelServiceListResponse list(User caller, LabelServiceListRequest request) {
        Filter filter = request.hasName() ? Filter.eq("name", request.getName()) : Filter.ALL;
        String version = request.hasVersion() ? request.getVersion() : "";
        boolean last = LAST.equals(version);
        if (!version.isEmpty() && !last && !"all".equals(version)) {
            try {
                filter = filter.and(Filter.eq("version", Integer.parseInt(version)));
            } catch (NumberFormatException e) {
                throw FishException.badRequest("version must be an integer, \"last\" or \"all\": " + version);
            }
        }
        List<Label> found = labels.list(caller, filter);
        if (last) {
            found = highestVersions(found);
        }
        LabelServiceListResponse.Builder response = LabelServiceListResponse.newBuilder().setStatus(true)
                .setMessage("Labels listed");
        found.forEach(label -> response.addData(LabelMessages.of(label)));
        return response.build();
    }

    /**
     * Version 0 is v2's temporary label: any user may create one that expires and that only they see;
     * the rules (who may create what, the {@code remove_at} window) are {@link LabelService}'s.
     */
    LabelServiceCreateResponse create(User caller, LabelServiceCreateRequest request) {
        Label created = labels.create(caller, LabelMessages.newLabel(request.getLabel()));
        return LabelServiceCreateResponse.newBuilder().setStatus(true).setMessage("Label created: " + created.uid())
                .setData(LabelMessages.of(created)).build();
    }

    @Override
    public void list(LabelServiceListRequest request, StreamObserver<LabelServiceListResponse> response) {
        Unary.answer(response, () -> list(RpcCaller.current(), request));
    }

    @Override
    public void create(LabelServiceCreateRequest request, StreamObserver<LabelServiceCreateResponse> response) {
        Unary.answer(response, () -> create(RpcCaller.current(), request));
    }

    /** The highest version of each name, in the order the names first appear. */
    private static List<Label> highestVersions(List<Label> labels) {
        BinaryOperator<Label> higher = BinaryOperator.maxBy(Comparator.comparingInt(Label::version));
        Map<String, Label> byName = new LinkedHashMap<>();
        labels.forEach(label -> byName.merge(label.name(), label, higher));
        return List.copyOf(byName.values());
    }
}
