package io.aquarium.fish.core.metadata;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The table of names metadata may and may not set. */
class ProtectedVariablesTest {
    @ParameterizedTest
    @ValueSource(strings = {
            // issue 10's list
            "PERL5OPT", "PERL5LIB", "PERLLIB", "PERL5DB", "JAVA_TOOL_OPTIONS", "_JAVA_OPTIONS", "JDK_JAVA_OPTIONS",
            "NODE_OPTIONS", "NODE_PATH", "GCONV_PATH", "LOCPATH", "GLIBC_TUNABLES", "PYTHONPATH", "PYTHONSTARTUP",
            "PYTHONHOME", "GIT_SSH_COMMAND", "GIT_CONFIG_GLOBAL", "GIT_EXEC_PATH", "LD_PRELOAD", "LD_LIBRARY_PATH",
            "LD_AUDIT", "DYLD_INSERT_LIBRARIES", "RUBYOPT", "RUBYLIB", "BASH_ENV", "ENV", "IFS", "PATH", "HOME",
            "SHELL",
            // the shell and the session
            "USER", "LOGNAME", "PWD", "CDPATH", "SHELLOPTS", "BASHOPTS", "PS4", "PROMPT_COMMAND", "GLOBIGNORE",
            "BASH_FUNC_ls%%", "BASH_FUNC_ls__", "BASH_XTRACEFD", "ZDOTDIR",
            // the C library
            "MALLOC_CHECK_", "NLSPATH", "HOSTALIASES",
            // runtimes and tools
            "MAVEN_OPTS", "JAVA_OPTS", "GRADLE_OPTS", "DOTNET_STARTUP_HOOKS", "COMPlus_EnableDiagnostics",
            "CORECLR_PROFILER_PATH", "CLASSPATH", "JAVA_HOME", "GOFLAGS", "RUSTC_WRAPPER", "GEM_PATH",
            "npm_config_node_options", "NPM_CONFIG_SCRIPT_SHELL", "LUA_INIT", "PHPRC",
            // the node's own
            "FISH_META_TOKEN"})
    void blocked(String name) {
        assertTrue(ProtectedVariables.isProtected(name), name);
    }

    @ParameterizedTest
    @ValueSource(strings = {"JENKINS_URL", "JENKINS_AGENT_SECRET", "JENKINS_AGENT_NAME", "JENKINS_AGENT_WORKSPACE",
            "MARKER", "ok", "path", "home", "env", "user", "node_name", "python_version", "LANG", "LC_ALL", "TZ",
            "TERM", "CI", "BUILD_ID", "FISH_test1", "FISH_META", "JAVA_VERSION", "GOOGLE_APPLICATION_CREDENTIALS",
            "OPTIONS", "MY_OPTIONS_FILE", "_", "_9lives", "PATHS", "HOMEPAGE"})
    void allowed(String name) {
        assertFalse(ProtectedVariables.isProtected(name), name);
    }

    @Test
    void blockedNamesAreReportedOncePerApplicationWithoutValues() {
        Logger logger = (Logger) LoggerFactory.getLogger(BlockedVariables.class);
        ListAppender<ILoggingEvent> logs = new ListAppender<>();
        logs.start();
        logger.addAppender(logs);
        try {
            UUID app = UUID.randomUUID();
            BlockedVariables.report(app, List.of());
            assertEquals(0, logs.list.size(), "nothing blocked, nothing said");
            BlockedVariables.report(app, List.of("PERL5OPT", "LD_PRELOAD"));
            BlockedVariables.report(app, List.of("PERL5OPT", "LD_PRELOAD"));
            BlockedVariables.report(app, List.of("PATH"));
            assertEquals(1, logs.list.size());
            ILoggingEvent event = logs.list.get(0);
            assertEquals(Level.WARN, event.getLevel());
            assertTrue(event.getFormattedMessage().contains(app.toString()), event.getFormattedMessage());
            assertTrue(event.getFormattedMessage().endsWith("LD_PRELOAD, PERL5OPT"), event.getFormattedMessage());
            BlockedVariables.report(UUID.randomUUID(), List.of("PATH"));
            assertEquals(2, logs.list.size(), "another application is reported on its own");
        } finally {
            logger.detachAppender(logs);
        }
    }
}
