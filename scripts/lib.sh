# Shared steps of scripts/run.sh and scripts/test.sh; source it, don't run it.
# Every ensure_* function is idempotent: it installs only what is missing.
# shellcheck shell=bash

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# Where cargo puts what it builds (a CARGO_TARGET_DIR shared between clones is fine).
TARGET="${CARGO_TARGET_DIR:-$ROOT/target}"
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

# ensure_haproxy: Debian's haproxy, which the scale-out tests start in front of several nodes
# (ops/haproxy/haproxy.cfg). Only the binary is wanted: the package's own service is stopped.
ensure_haproxy() {
    if ! command -v haproxy >/dev/null 2>&1 && [[ ! -x /usr/sbin/haproxy ]]; then
        echo "installing Debian's haproxy (apt-get)"
        as_root apt-get update
        as_root apt-get install -y --no-install-recommends haproxy
        if [[ -d /run/systemd/system ]]; then
            as_root systemctl disable --now haproxy >/dev/null 2>&1 || true
        fi
    fi
}

# ---------------------------------------------------------------------------------------------
# Builds.

# Where the built client goes (CASINO_CLIENT_DIST lets a second work tree keep its own build;
# the browser tests read the same folder from CASINO_STATIC_DIR).
CLIENT_DIST="${CASINO_CLIENT_DIST:-$ROOT/client/dist}"
# The size-optimised build profile of the client (Cargo.toml) and where the client is assembled
# before it replaces what client/dist holds.
CLIENT_PROFILE=wasm-release
CLIENT_STAGE="$TARGET/client-dist"

# ensure_client_tools: gzip and brotli, which precompress the client's files.
ensure_client_tools() {
    local missing=()
    command -v brotli >/dev/null 2>&1 || missing+=(brotli)
    command -v gzip >/dev/null 2>&1 || missing+=(gzip)
    if ((${#missing[@]})); then
        echo "installing Debian's ${missing[*]} (apt-get)"
        as_root apt-get update
        as_root apt-get install -y --no-install-recommends "${missing[@]}"
    fi
}

# content_hash FILE...: the first 16 hex digits of the SHA-256 of the FILEs (names included when
# there are several); the server's routes/assets.rs knows names that carry one.
content_hash() {
    if (($# == 1)); then
        sha256sum "$1" | cut -c1-16
    else
        sha256sum "$@" | sha256sum | cut -c1-16
    fi
}

# hash_name FILE: renames DIR/NAME.EXT to DIR/NAME-HASH.EXT and prints the new name.
hash_name() {
    local file="$1" dir base hashed
    dir="$(dirname "$file")"
    base="$(basename "$file")"
    hashed="${base%%.*}-$(content_hash "$file").${base#*.}"
    mv "$file" "$dir/$hashed"
    echo "$hashed"
}

# build_client: the web client in client/dist. Names carry their content hash (so a browser never
# mixes the glue of one build with the wasm of another, and the server lets browsers keep them
# for a year); index.html names them and preloads them all at once; a .gz and a .br beside every
# file let the server send them precompressed. Files of older builds are removed, and the same
# sources give the same files, left untouched on disk. wasm-opt is not used: Debian's (108)
# cannot read what wasm-bindgen writes, and binaryen 132 saved under 1 % of the brotli size.
build_client() {
    ensure_client_tools
    cargo build -p client --target wasm32-unknown-unknown --profile "$CLIENT_PROFILE"
    local stage="$CLIENT_STAGE"
    rm -rf "$stage"
    mkdir -p "$stage"
    # The name section only names functions for debuggers: a quarter of the wasm.
    wasm-bindgen --target web --no-typescript --remove-name-section --remove-producers-section \
        --out-dir "$stage" --out-name client \
        "$TARGET/wasm32-unknown-unknown/$CLIENT_PROFILE/client.wasm"

    local wasm js css snippets="" preloads=""
    wasm="$(hash_name "$stage/client_bg.wasm")"
    # The glue loads the wasm, and imports the JS snippets of crates, relative to itself: hash
    # the glue once it names their hashed names.
    sed -i "s|'client_bg\.wasm'|'$wasm'|" "$stage/client.js"
    if ! grep -q "'$wasm'" "$stage/client.js"; then
        echo "error: client.js no longer loads the wasm as 'client_bg.wasm'" >&2
        return 1
    fi
    if [[ -d "$stage/snippets" ]]; then
        local files=()
        mapfile -t files < <(cd "$stage" && find snippets -type f | LC_ALL=C sort)
        snippets="snippets-$(cd "$stage" && content_hash "${files[@]}")"
        mv "$stage/snippets" "$stage/$snippets"
        sed -i "s|'\./snippets/|'./$snippets/|g" "$stage/client.js"
        local imported
        for imported in $(grep -o "'\./$snippets/[^']*'" "$stage/client.js" | tr -d "'" | sort -u); do
            preloads+="  <link rel=\"modulepreload\" href=\"${imported#.}\">\\n"
        done
    fi
    js="$(hash_name "$stage/client.js")"
    cp "$ROOT/client/style.css" "$stage/style.css"
    css="$(hash_name "$stage/style.css")"
    awk -v extra="$preloads" '{ print } /rel="modulepreload" href="\/client\.js"/ { printf "%s", extra }' \
        "$ROOT/client/index.html" |
        sed -e "s|/client_bg\.wasm\b|/$wasm|g" -e "s|/client\.js\b|/$js|g" \
            -e "s|/style\.css\b|/$css|g" >"$stage/index.html"

    local file
    while IFS= read -r file; do
        gzip -9 -n -k -f "$file"
        brotli -q 11 -k -f "$file"
    done < <(find "$stage" -type f)

    # Into client/dist: new files first, index.html last (it names them), then what is stale.
    mkdir -p "$CLIENT_DIST"
    local name
    while IFS= read -r name; do
        [[ "$name" == index.html* ]] && continue
        if ! cmp -s "$stage/$name" "$CLIENT_DIST/$name"; then
            mkdir -p "$(dirname "$CLIENT_DIST/$name")"
            cp "$stage/$name" "$CLIENT_DIST/$name"
        fi
    done < <(cd "$stage" && find . -type f | cut -c3-)
    for name in index.html.gz index.html.br index.html; do
        if ! cmp -s "$stage/$name" "$CLIENT_DIST/$name"; then
            cp "$stage/$name" "$CLIENT_DIST/.$name.tmp"
            mv "$CLIENT_DIST/.$name.tmp" "$CLIENT_DIST/$name"
        fi
    done
    while IFS= read -r name; do
        [[ -f "$stage/$name" ]] || rm -f "$CLIENT_DIST/$name"
    done < <(cd "$CLIENT_DIST" && find . -type f | cut -c3-)
    find "$CLIENT_DIST" -mindepth 1 -type d -empty -delete

    echo "client built in client/dist: $wasm $(client_sizes "$CLIENT_DIST/$wasm"), $js, $css${snippets:+, $snippets/}"
}

# client_sizes FILE: FILE's size raw, and as FILE.gz and FILE.br when they exist, in KiB.
client_sizes() {
    local raw gz br
    raw=$(($(stat -c %s "$1") / 1024))
    gz=$(($(stat -c %s "$1.gz") / 1024))
    br=$(($(stat -c %s "$1.br") / 1024))
    echo "(${raw} KiB, gzip ${gz} KiB, brotli ${br} KiB)"
}
