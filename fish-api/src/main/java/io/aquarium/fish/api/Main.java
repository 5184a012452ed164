package io.aquarium.fish.api;

/** Entry point of the node (placeholder until the runtime lands). */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        System.err.println("not yet implemented");
        System.exit(2);
    }
}
