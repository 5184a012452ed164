/*
 * Licensed to the Apache Software Foundation (ASF) under one or more
 * contributor license agreements. This file replaces the class of the same name in
 * org.apache.ignite:ignite-calcite:2.17.0 (Apache License 2.0) and behaves the same, minus a
 * class-path scan; see the class comment.
 */
package org.apache.ignite.internal.processors.query.calcite.metadata;

import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.metadata.JaninoRelMetadataProvider;
import org.apache.calcite.rel.metadata.RelMetadataProvider;
import org.apache.calcite.rel.metadata.RelMetadataQuery;
import org.apache.ignite.internal.processors.query.calcite.prepare.MappingQueryContext;

/**
 * Ignite's metadata query, without the class-path scan of its static initialiser.
 *
 * <p>Why this copy exists: Ignite 2.17's original runs {@code new Reflections(forPackages(
 * "...calcite.rel"))} on first use (the first SQL query a node plans) to list every
 * {@code IgniteRel} class, only to hand that list to {@code JaninoRelMetadataProvider.register},
 * which is an empty method since Calcite 1.28 (Ignite 2.17 ships 1.37). Inside the node's single
 * shaded jar, "the URL holding that package" is the whole 70 MB jar: Reflections parsed all ~40,000
 * classes, 3–13 s of CPU counted inside the first query's planning, so on a busy machine the
 * Volcano planner hit its time limit, the query was cancelled and the node gave up at start.
 *
 * <p>Everything else is the original's logic. The shaded jar excludes Ignite's class (fish-api's
 * pom), and the build drops the {@code org.reflections} dependency, so if the original were ever
 * loaded instead of this one it would fail loudly rather than slowly. {@code RelMetadataQueryExTest}
 * checks that this class is the one loaded and pins the Ignite and Calcite versions it was written
 * for: re-check it when upgrading either.
 */
public class RelMetadataQueryEx extends RelMetadataQuery {
    private static final IgniteMetadata.FragmentMappingMetadata.Handler SOURCE_DISTRIBUTION_INITIAL_HANDLER =
            initialHandler(IgniteMetadata.FragmentMappingMetadata.Handler.class);

    private IgniteMetadata.FragmentMappingMetadata.Handler sourceDistributionHandler;

    /** A metadata query over Ignite's metadata provider. */
    public static RelMetadataQueryEx create() {
        return create(IgniteMetadata.METADATA_PROVIDER);
    }

    /** A metadata query over {@code metadataProvider}. */
    @SuppressWarnings("deprecation") // THREAD_PROVIDERS is how Calcite hands the provider to the constructor
    public static RelMetadataQueryEx create(RelMetadataProvider metadataProvider) {
        THREAD_PROVIDERS.set(JaninoRelMetadataProvider.of(metadataProvider));
        try {
            return new RelMetadataQueryEx();
        } finally {
            THREAD_PROVIDERS.remove();
        }
    }

    private RelMetadataQueryEx() {
        sourceDistributionHandler = SOURCE_DISTRIBUTION_INITIAL_HANDLER;
    }

    /** Where the fragment rooted at {@code rel} runs. */
    public FragmentMapping fragmentMapping(RelNode rel, MappingQueryContext ctx) {
        for (;;) {
            try {
                return sourceDistributionHandler.fragmentMapping(rel, this, ctx);
            } catch (JaninoRelMetadataProvider.NoHandler e) {
                sourceDistributionHandler = revise(e.relClass, IgniteMetadata.FragmentMappingMetadata.DEF);
            }
        }
    }
}
