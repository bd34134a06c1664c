#!/usr/bin/env bash
# Runs the whole test suite of Casino Online, installing what is missing first (idempotent):
# formatting, the Prometheus alert rules (promtool), clippy (native and wasm32), the web client
# build, `cargo test --workspace`, a load generator smoke run and the Playwright browser tests in
# Debian's Chromium. Any failure stops it with a non-zero exit.
# PostgreSQL tests run when CASINO_TEST_PG_URL is set (e.g. postgres://postgres@127.0.0.1:5432/postgres)
# and report themselves skipped otherwise.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

PW_RESULTS="$ROOT/playwright/test-results"
PW_REPORT="$ROOT/playwright/playwright-report"

on_exit() {
    local status=$?
    local failed_stage="$STAGE_NAME"
    stage_summary
    if ((status != 0)); then
        printf '\nFAILED at stage: %s (exit %d)\n' "${failed_stage:-?}" "$status"
        if [[ "$failed_stage" == playwright* ]]; then
            printf 'Playwright traces and screenshots of failed tests: %s\n' "$PW_RESULTS"
            printf 'HTML report: %s/index.html; a trace opens with: (cd playwright && npx playwright show-trace test-results/<test>/trace.zip)\n' "$PW_REPORT"
            printf 'Server log of the browser run: %s/casino-server.log\n' "$PW_RESULTS"
        fi
    else
        printf '\nAll stages passed.\n'
    fi
}
trap on_exit EXIT

stage "install what is missing (Rust components, wasm target, wasm-bindgen-cli, npm packages, Chromium, promtool, HAProxy)"
ensure_rust
ensure_node_modules
ensure_chromium
ensure_promtool
ensure_haproxy
# The scale-out tests start /usr/sbin/haproxy by name.
export PATH="$PATH:/usr/sbin"

stage "cargo fmt --check"
cargo fmt --all -- --check

stage "haproxy -c (ops/haproxy)"
CASINO_LB_BIND=127.0.0.1:8080 CASINO_LB_STATS=127.0.0.1:8404 CASINO_NODE1=127.0.0.1:8081 \
    CASINO_NODE2=127.0.0.1:8082 CASINO_NODE3=127.0.0.1:8083 CASINO_NODE4=127.0.0.1:8084 \
    haproxy -c -q -f ops/haproxy/haproxy.cfg

stage "promtool check rules + test rules (ops/prometheus)"
promtool check rules ops/prometheus/alerts.yml
promtool test rules ops/prometheus/alerts_test.yml
promtool check config ops/prometheus/prometheus.yml

stage "cargo clippy (native, all targets)"
cargo clippy --workspace --all-targets -- -D warnings

stage "cargo clippy (client, wasm32)"
cargo clippy -p client --target wasm32-unknown-unknown -- -D warnings

stage "build the web client (wasm32, release)"
build_client

stage "cargo test --workspace"
if [[ -z "${CASINO_TEST_PG_URL:-}" ]]; then
    echo "CASINO_TEST_PG_URL is unset: PostgreSQL tests will report themselves skipped"
fi
cargo test --workspace --no-fail-fast

stage "load generator smoke run (20 rooms, 30 s, drops and duplicates; consistency check)"
# Debug builds: `cargo test` compiled almost all of it already; a release build would cost
# minutes of CI for a functional check. The loadgen spawns the server on a free port. The
# browser tests below use the same casino-server binary (built alone, with other features
# unified, it would be compiled a second time).
cargo build -p server --bin casino-server -p tests --bin loadgen
"$TARGET/debug/loadgen" --spawn --server-bin "$TARGET/debug/casino-server" \
    --rooms 20 --duration 30s --drop-rate 0.02 --duplicate-rate 0.05 --idle-sockets 4

stage "playwright (Debian Chromium)"
echo "traces and screenshots of failures go to $PW_RESULTS"
(cd "$ROOT/playwright" && CASINO_SERVER_BIN="$TARGET/debug/casino-server" \
    CASINO_STATIC_DIR="$ROOT/client/dist" npx --no-install playwright test)
