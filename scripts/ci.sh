# Sourced by the project's scripts: is_ci says whether this is a CI run, where a test that
# cannot run fails instead of being skipped. CI=true, 1 or yes, in any case; the tests'
# preconditions read CI by the same rule (test-support's Ci).
is_ci() {
    case "$(printf %s "${CI:-}" | tr '[:upper:]' '[:lower:]')" in
        true|1|yes) return 0 ;;
        *) return 1 ;;
    esac
}
