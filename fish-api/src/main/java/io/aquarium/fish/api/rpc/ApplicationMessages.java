package io.aquarium.fish.api.rpc;

import aquarium.v2.ApplicationOuterClass;
import aquarium.v2.ApplicationOuterClass.ApplicationState.Status;
import io.aquarium.fish.core.error.FishException;
import io.aquarium.fish.core.model.Application;
import io.aquarium.fish.core.model.ApplicationState;
import io.aquarium.fish.core.model.ApplicationStatus;
import io.aquarium.fish.core.model.ApplicationTask;

/** Our applications, their states and tasks as v2 messages. */
final class ApplicationMessages {
    private ApplicationMessages() {
    }

    static ApplicationOuterClass.Application of(Application app) {
        return ApplicationOuterClass.Application.newBuilder()
                .setUid(app.uid().toString())
                .setCreatedAt(ProtoTime.of(app.createdAt()))
                .setOwnerName(app.ownerName())
                .setLabelUid(app.labelUid().toString())
                .setMetadata(StructJson.toStruct(app.metadata()))
                .build();
    }

    static ApplicationOuterClass.ApplicationState of(ApplicationState state) {
        return ApplicationOuterClass.ApplicationState.newBuilder()
                .setUid(state.uid().toString())
                .setCreatedAt(ProtoTime.of(state.createdAt()))
                .setApplicationUid(state.applicationUid().toString())
                .setStatus(status(state.status()))
                .setDescription(state.description())
                .build();
    }

    /** The task; {@code result} stays unset until the task ran, which is how the plugin tells "not done yet". */
    static ApplicationOuterClass.ApplicationTask of(ApplicationTask task) {
        ApplicationOuterClass.ApplicationTask.Builder out = ApplicationOuterClass.ApplicationTask.newBuilder()
                .setUid(task.uid().toString())
                .setCreatedAt(ProtoTime.of(task.createdAt()))
                .setUpdatedAt(ProtoTime.of(task.updatedAt()))
                .setApplicationUid(task.applicationUid().toString())
                .setTask(task.task())
                .setWhen(status(task.when()))
                .setOptions(StructJson.toStruct(task.options()));
        if (task.isDone()) {
            out.setResult(StructJson.toStruct(task.result()));
        }
        return out.build();
    }

    /**
     * v2 has no RECALLED (the original dropped it in v0.9; a recalled application is simply over):
     * it is reported as DEALLOCATED, so the plugin terminates the agent as it would there.
     */
    static Status status(ApplicationStatus status) {
        return switch (status) {
            case NEW -> Status.NEW;
            case ELECTED -> Status.ELECTED;
            case ALLOCATED -> Status.ALLOCATED;
            case DEALLOCATE -> Status.DEALLOCATE;
            case RECALLED, DEALLOCATED -> Status.DEALLOCATED;
            case ERROR -> Status.ERROR;
        };
    }

    /** A task's {@code when}: unset means the service's default (ALLOCATED). */
    static ApplicationStatus when(Status status) {
        return switch (status) {
            case UNSPECIFIED -> null;
            case NEW -> ApplicationStatus.NEW;
            case ELECTED -> ApplicationStatus.ELECTED;
            case ALLOCATED -> ApplicationStatus.ALLOCATED;
            case DEALLOCATE -> ApplicationStatus.DEALLOCATE;
            case DEALLOCATED -> ApplicationStatus.DEALLOCATED;
            case ERROR -> ApplicationStatus.ERROR;
            case UNRECOGNIZED -> throw FishException.badRequest("ApplicationTask: unknown when status");
        };
    }
}
