# Shared steps of scripts/run.sh and scripts/test.sh; source it, don't run it.
# Every ensure_* function is idempotent: it installs only what is missing.
# shellcheck shell=bash

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

export DEBIAN_FRONTEND=noninteractive
# Playwright must never download a browser here: the tests use Debian's /usr/bin/chromium.
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1
export CARGO_TERM_COLOR="${CARGO_TERM_COLOR:-auto}"

# ---------------------------------------------------------------------------------------------
# Stages: a visible name for each step and how long it took.

STAGE_NAME=""
STAGE_START=0
STAGE_REPORT=()

_now() { date +%s.%N; }

_end_stage() {
    if [[ -n "$STAGE_NAME" ]]; then
        local secs
        secs=$(awk -v a="$STAGE_START" -v b="$(_now)" 'BEGIN { printf "%.1f", b - a }')
        STAGE_REPORT+=("$(printf '%8ss  %s' "$secs" "$STAGE_NAME")")
        STAGE_NAME=""
    fi
}

# stage NAME: starts the next stage (and ends the previous one).
stage() {
    _end_stage
    STAGE_NAME="$1"
    STAGE_START=$(_now)
    printf '\n==> %s\n' "$STAGE_NAME"
}

# stage_summary: prints how long each finished stage took.
stage_summary() {
    _end_stage
    if ((${#STAGE_REPORT[@]})); then
        printf '\nStage times:\n'
        printf '%s\n' "${STAGE_REPORT[@]}"
    fi
}

# as_root CMD...: runs CMD as root, through sudo only when we are not root already.
as_root() {
    if [[ "$(id -u)" -eq 0 ]]; then
        "$@"
    else
        sudo "$@"
    fi
}

# ---------------------------------------------------------------------------------------------
# Rust: toolchain components, the wasm target and a matching wasm-bindgen-cli.

ensure_rust() {
    if ! command -v cargo >/dev/null 2>&1 && [[ -f "$HOME/.cargo/env" ]]; then
        # shellcheck disable=SC1091
        source "$HOME/.cargo/env"
    fi
    if ! command -v cargo >/dev/null 2>&1 || ! command -v rustup >/dev/null 2>&1; then
        echo "error: cargo and rustup are required (install Rust with rustup)" >&2
        return 1
    fi
    export PATH="${CARGO_HOME:-$HOME/.cargo}/bin:$PATH"
    local installed
    installed="$(rustup component list --installed)"
    for component in rustfmt clippy; do
        if ! grep -q "^${component}-" <<<"$installed"; then
            echo "installing rustup component $component"
            rustup component add "$component"
        fi
    done
    if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
        echo "installing rustup target wasm32-unknown-unknown"
        rustup target add wasm32-unknown-unknown
    fi
    ensure_wasm_bindgen_cli
}

# The version of the wasm-bindgen crate that Cargo.lock pins.
locked_wasm_bindgen_version() {
    awk '
        $0 == "[[package]]" { name = "" }
        $1 == "name" && $3 == "\"wasm-bindgen\"" { name = "wasm-bindgen" }
        name == "wasm-bindgen" && $1 == "version" { gsub(/"/, "", $3); print $3; exit }
    ' "$ROOT/Cargo.lock"
}

installed_wasm_bindgen_version() {
    if command -v wasm-bindgen >/dev/null 2>&1; then
        wasm-bindgen --version 2>/dev/null | awk '{ print $2 }'
    fi
}

ensure_wasm_bindgen_cli() {
    local want have
    want="$(locked_wasm_bindgen_version)"
    if [[ -z "$want" ]]; then
        echo "error: no wasm-bindgen package in Cargo.lock" >&2
        return 1
    fi
    have="$(installed_wasm_bindgen_version)"
    if [[ "$have" == "$want" ]]; then
        return 0
    fi
    # Another `cargo install wasm-bindgen-cli` may be running on this machine already: wait for
    # it instead of compiling the same thing twice on two cores.
    while pgrep -f 'cargo install wasm-bindgen-cli' >/dev/null 2>&1; do
        echo "waiting for a running 'cargo install wasm-bindgen-cli' to finish…"
        sleep 10
    done
    have="$(installed_wasm_bindgen_version)"
    if [[ "$have" != "$want" ]]; then
        echo "installing wasm-bindgen-cli $want (found: ${have:-none}); this takes a few minutes"
        # --force replaces a wasm-bindgen binary of another version.
        cargo install wasm-bindgen-cli --version "$want" --force
    fi
    have="$(installed_wasm_bindgen_version)"
    if [[ "$have" != "$want" ]]; then
        echo "error: wasm-bindgen is ${have:-missing} after installing $want; is ~/.cargo/bin first on PATH?" >&2
        return 1
    fi
}

# ---------------------------------------------------------------------------------------------
# Browser tests: Node packages and Debian's Chromium.

ensure_node_modules() {
    if ! command -v npm >/dev/null 2>&1; then
        echo "error: Node.js 20 or newer with npm is required for the browser tests" >&2
        return 1
    fi
    local dir="$ROOT/playwright"
    if [[ ! -d "$dir/node_modules" || "$dir/package-lock.json" -nt "$dir/node_modules" ]]; then
        echo "installing npm packages in playwright/ (npm ci)"
        (cd "$dir" && npm ci --no-audit --no-fund)
        touch "$dir/node_modules"
    fi
}

ensure_chromium() {
    if [[ ! -x /usr/bin/chromium ]]; then
        echo "installing Debian's chromium (apt-get)"
        as_root apt-get update
        as_root apt-get install -y chromium
    fi
}

# ---------------------------------------------------------------------------------------------
# Operators' kit: promtool checks and unit-tests the alert rules in ops/prometheus.

ensure_promtool() {
    if ! command -v promtool >/dev/null 2>&1; then
        echo "installing Debian's prometheus package for promtool (apt-get)"
        as_root apt-get update
        as_root apt-get install -y --no-install-recommends prometheus
        # The package enables a Prometheus service; only promtool is wanted here. Best effort.
        if [[ -d /run/systemd/system ]]; then
            as_root systemctl disable --now prometheus >/dev/null 2>&1 || true
        fi
    fi
}

# ---------------------------------------------------------------------------------------------
# Builds.

CLIENT_DIST="$ROOT/client/dist"

# build_client: the web client as wasm + JS glue + index.html + CSS in client/dist.
build_client() {
    cargo build -p client --target wasm32-unknown-unknown --release
    rm -rf "$CLIENT_DIST"
    mkdir -p "$CLIENT_DIST"
    wasm-bindgen --target web --no-typescript --out-dir "$CLIENT_DIST" --out-name client \
        "$ROOT/target/wasm32-unknown-unknown/release/client.wasm"
    cp "$ROOT/client/index.html" "$ROOT/client/style.css" "$CLIENT_DIST/"
    local wasm="$CLIENT_DIST/client_bg.wasm"
    echo "client built in client/dist ($(du -k "$wasm" | cut -f1) KiB wasm)"
}
