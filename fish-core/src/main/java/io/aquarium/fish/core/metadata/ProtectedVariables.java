package io.aquarium.fish.core.metadata;

import java.util.List;
import java.util.Set;

/**
 * The variables metadata may not set. Metadata comes from users (an application's owner, not only
 * the label's), and a variable that changes how a program is found, loaded or interpreted would run
 * the user's code before, or instead of, the command the label's owner chose ({@code PERL5OPT=-Mevil},
 * {@code LD_PRELOAD}, {@code JAVA_TOOL_OPTIONS=-javaagent:...}, {@code BASH_ENV}, {@code GIT_SSH_COMMAND}).
 * The rule is a deny rule by name pattern, case-sensitive, on the final variable name (after
 * sanitising and any Meta API {@code prefix}); a name is protected when it
 * <ul>
 *   <li>is one of {@link #NAMES}: the shell's and the session's own variables ({@code PATH},
 *       {@code HOME}, {@code SHELL}, {@code IFS}, {@code ENV}, ...), the C library's loading and
 *       locale paths ({@code GCONV_PATH}, {@code LOCPATH}, {@code NLSPATH}, {@code HOSTALIASES}),
 *       runtimes' search paths and homes ({@code CLASSPATH}, {@code JAVA_HOME}, {@code GOROOT},
 *       {@code GOFLAGS}, {@code RUSTC_WRAPPER}, ...), and the node's own {@code FISH_META_TOKEN};</li>
 *   <li>starts with one of {@link #PREFIXES}: the dynamic loaders' ({@code LD_}, {@code DYLD_}), the C
 *       library's ({@code GLIBC_}, {@code MALLOC_}, {@code GCONV_}), bash's ({@code BASH_}, which
 *       covers {@code BASH_ENV} and exported functions), and interpreters' and tools' that read code
 *       or options from the environment ({@code PERL}, {@code PYTHON}, {@code RUBY}, {@code GEM_},
 *       {@code NODE_}, {@code NPM_CONFIG_}/{@code npm_config_}, {@code LUA_}, {@code DOTNET_},
 *       {@code COMPlus_}, {@code CORECLR_}, {@code GIT_});</li>
 *   <li>ends with one of {@link #SUFFIXES}: runtime option variables ({@code JAVA_TOOL_OPTIONS},
 *       {@code _JAVA_OPTIONS}, {@code JDK_JAVA_OPTIONS}, {@code NODE_OPTIONS}, {@code MAVEN_OPTS},
 *       {@code JAVA_OPTS}, ...), whatever the runtime.</li>
 * </ul>
 * The label's owner, who chose the command, may still set any of them with the definition's
 * {@code env} option. Pure: the caller reports what was left out ({@link BlockedVariables}).
 */
public final class ProtectedVariables {
    static final Set<String> NAMES = Set.of(
            // the shell and the session
            "PATH", "HOME", "USER", "LOGNAME", "SHELL", "PWD", "OLDPWD", "IFS", "ENV", "CDPATH", "SHELLOPTS",
            "BASHOPTS", "GLOBIGNORE", "PS4", "PROMPT_COMMAND", "ZDOTDIR",
            // the C library
            "LOCPATH", "NLSPATH", "HOSTALIASES", "RESOLV_HOST_CONF",
            // runtimes' search paths, homes and wrappers
            "CLASSPATH", "JAVA_HOME", "GOROOT", "GOFLAGS", "GOENV", "GOTOOLCHAIN", "RUSTC_WRAPPER", "RUSTFLAGS",
            "PHPRC", "PHP_INI_SCAN_DIR", "TCLLIBPATH", "R_PROFILE", "R_PROFILE_USER", "R_ENVIRON", "R_ENVIRON_USER",
            // the node's own (the Meta API token): metadata must not be able to replace it
            "FISH_META_TOKEN");
    static final List<String> PREFIXES = List.of("LD_", "DYLD_", "GLIBC_", "MALLOC_", "GCONV_", "BASH_",
            "PERL", "PYTHON", "RUBY", "GEM_", "NODE_", "NPM_CONFIG_", "npm_config_", "LUA_", "DOTNET_", "COMPlus_",
            "CORECLR_", "GIT_");
    static final List<String> SUFFIXES = List.of("_OPTIONS", "_OPTS");

    private ProtectedVariables() {
    }

    /** Whether metadata may not set the variable {@code name}. */
    public static boolean isProtected(String name) {
        if (NAMES.contains(name)) {
            return true;
        }
        for (String prefix : PREFIXES) {
            if (name.startsWith(prefix)) {
                return true;
            }
        }
        for (String suffix : SUFFIXES) {
            if (name.endsWith(suffix)) {
                return true;
            }
        }
        return false;
    }
}
