package io.aquarium.fish.api.rpc;

import aquarium.v2.ApplicationOuterClass.ApplicationServiceCreateRequest;
import aquarium.v2.ApplicationOuterClass.ApplicationServiceCreateResponse;
import aquarium.v2.ApplicationOuterClass.ApplicationServiceCreateTaskRequest;
import aquarium.v2.ApplicationOuterClass.ApplicationServiceCreateTaskResponse;
import aquarium.v2.ApplicationOuterClass.ApplicationServiceDeallocateRequest;
import aquarium.v2.ApplicationOuterClass.ApplicationServiceDeallocateResponse;
import aquarium.v2.ApplicationOuterClass.ApplicationServiceGetStateRequest;
import aquarium.v2.ApplicationOuterClass.ApplicationServiceGetStateResponse;
import aquarium.v2.ApplicationOuterClass.ApplicationServiceGetTaskRequest;
import aquarium.v2.ApplicationOuterClass.ApplicationServiceGetTaskResponse;
import aquarium.v2.ApplicationOuterClass.ApplicationTask;
import aquarium.v2.ApplicationServiceGrpc;
import io.aquarium.fish.core.error.FishException;
import io.aquarium.fish.core.model.Application;
import io.aquarium.fish.core.model.ApplicationState;
import io.aquarium.fish.core.model.User;
import io.aquarium.fish.core.service.ApplicationService;
import io.grpc.stub.StreamObserver;

import java.util.UUID;

/**
 * v2 {@code ApplicationService} over the node's {@link ApplicationService}: the calls the plugin makes to
 * launch, check and terminate an agent and to run tasks. Ownership and the life-cycle rules stay in the
 * service (a non-owner gets {@code permission_denied}); this class only translates messages and the few
 * places where v2 answers differently (see {@link #deallocate}).
 */
final class ApplicationRpc extends ApplicationServiceGrpc.ApplicationServiceImplBase {
    private final ApplicationService applications;

    ApplicationRpc(ApplicationService applications) {
        this.applications = applications;
    }

    ApplicationServiceCreateResponse create(User caller, ApplicationServiceCreateRequest request) {
        UUID label = RpcUids.parse(request.getApplication().getLabelUid(), "Application: label_uid");
        Application app = applications.create(caller, label,
                StructJson.toJson(request.getApplication().getMetadata(), "Application: metadata"));
        return ApplicationServiceCreateResponse.newBuilder().setStatus(true)
                .setMessage("Application created: " + app.uid()).setData(ApplicationMessages.of(app)).build();
    }

    ApplicationServiceGetStateResponse getState(User caller, ApplicationServiceGetStateRequest request) {
        ApplicationState state = applications.state(caller,
                RpcUids.parse(request.getApplicationUid(), "application_uid"));
        return ApplicationServiceGetStateResponse.newBuilder().setStatus(true).setMessage("Application state")
                .setData(ApplicationMessages.of(state)).build();
    }

    /**
     * Asks for deallocation. The original answers success for an application that is already over, and
     * the plugin sends Deallocate once without retrying, so an inactive application is a success here too
     * (REST v1 keeps its 400). The state is re-read when the service refuses, in case it ended meanwhile.
     */
    ApplicationServiceDeallocateResponse deallocate(User caller, ApplicationServiceDeallocateRequest request) {
        UUID uid = RpcUids.parse(request.getApplicationUid(), "application_uid");
        ApplicationState state = applications.state(caller, uid);
        if (state.status().isActive()) {
            try {
                state = applications.deallocate(caller, uid);
            } catch (FishException e) {
                state = applications.state(caller, uid);
                if (e.kind() != FishException.Kind.BAD_REQUEST || state.status().isActive()) {
                    throw e;
                }
            }
        }
        return ApplicationServiceDeallocateResponse.newBuilder().setStatus(true)
                .setMessage("Application " + uid + ": " + ApplicationMessages.status(state.status())).build();
    }

    ApplicationServiceCreateTaskResponse createTask(User caller, ApplicationServiceCreateTaskRequest request) {
        ApplicationTask task = request.getTask();
        io.aquarium.fish.core.model.ApplicationTask created = applications.createTask(caller,
                RpcUids.parse(task.getApplicationUid(), "ApplicationTask: application_uid"), task.getTask(),
                ApplicationMessages.when(task.getWhen()),
                StructJson.toJson(task.getOptions(), "ApplicationTask: options"));
        return ApplicationServiceCreateTaskResponse.newBuilder().setStatus(true)
                .setMessage("Application task created: " + created.uid()).setData(ApplicationMessages.of(created))
                .build();
    }

    ApplicationServiceGetTaskResponse getTask(User caller, ApplicationServiceGetTaskRequest request) {
        io.aquarium.fish.core.model.ApplicationTask task = applications.task(caller,
                RpcUids.parse(request.getApplicationTaskUid(), "application_task_uid"));
        return ApplicationServiceGetTaskResponse.newBuilder().setStatus(true).setMessage("Application task")
                .setData(ApplicationMessages.of(task)).build();
    }

    @Override
    public void create(ApplicationServiceCreateRequest request,
                       StreamObserver<ApplicationServiceCreateResponse> response) {
        Unary.answer(response, () -> create(RpcCaller.current(), request));
    }

    @Override
    public void getState(ApplicationServiceGetStateRequest request,
                         StreamObserver<ApplicationServiceGetStateResponse> response) {
        Unary.answer(response, () -> getState(RpcCaller.current(), request));
    }

    @Override
    public void deallocate(ApplicationServiceDeallocateRequest request,
                           StreamObserver<ApplicationServiceDeallocateResponse> response) {
        Unary.answer(response, () -> deallocate(RpcCaller.current(), request));
    }

    @Override
    public void createTask(ApplicationServiceCreateTaskRequest request,
                           StreamObserver<ApplicationServiceCreateTaskResponse> response) {
        Unary.answer(response, () -> createTask(RpcCaller.current(), request));
    }

    @Override
    public void getTask(ApplicationServiceGetTaskRequest request,
                        StreamObserver<ApplicationServiceGetTaskResponse> response) {
        Unary.answer(response, () -> getTask(RpcCaller.current(), request));
    }
}
