# Sourced by the project's scripts: finds a JDK 25 or newer and exports JAVA_HOME.
# JAVA_HOME wins when it is 25+; else the Temurin 25 under /usr/lib/jvm; else any 25+ there.
java_major() {
    "$1/bin/java" -XshowSettings:properties -version 2>&1 | awk -F'= ' '/java.specification.version/ {print $2; exit}'
}
find_jdk25() {
    local candidates=()
    [ -n "${JAVA_HOME:-}" ] && candidates+=("$JAVA_HOME")
    candidates+=(/usr/lib/jvm/temurin-25-jdk-amd64 /usr/lib/jvm/temurin-25-jdk-arm64)
    for d in /usr/lib/jvm/*; do candidates+=("$d"); done
    local c v
    for c in "${candidates[@]}"; do
        [ -x "$c/bin/java" ] && [ -x "$c/bin/javac" ] || continue
        v=$(java_major "$c")
        case "$v" in ''|*[!0-9]*) continue ;; esac
        if [ "$v" -ge 25 ]; then
            export JAVA_HOME="$c"
            export PATH="$JAVA_HOME/bin:$PATH"
            return 0
        fi
    done
    cat >&2 <<'MSG'
tcpip4j needs a JDK 25 or newer, and none was found (JAVA_HOME, /usr/lib/jvm).
Install one, for example Temurin 25 (package temurin-25-jdk from Adoptium's Debian
repository) or OpenJDK 25 (openjdk-25-jdk), then run this again, or set JAVA_HOME to it.
MSG
    return 1
}
