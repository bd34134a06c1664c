#!/usr/bin/env bash
# Builds and runs Casino Online: installs what is missing (wasm target, a wasm-bindgen-cli equal
# to the locked wasm-bindgen crate), builds the web client into client/dist, builds casino-server
# (release) and runs it serving that client. Extra arguments go to casino-server, e.g.
#   scripts/run.sh --bind 0.0.0.0:8080
# See `target/release/casino-server --help` for every setting (flags or CASINO_… variables).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

stage "install what is missing (Rust target, wasm-bindgen-cli)"
ensure_rust

stage "build the web client (wasm32, release)"
build_client

stage "build casino-server (release)"
cargo build -p server --bin casino-server --release

stage_summary

# The address the server will listen on: --bind from the arguments, else CASINO_BIND, else default.
bind="${CASINO_BIND:-127.0.0.1:8080}"
args=("$@")
for ((i = 0; i < ${#args[@]}; i++)); do
    case "${args[$i]}" in
        --bind=*) bind="${args[$i]#--bind=}" ;;
        --bind) bind="${args[$((i + 1))]:-$bind}" ;;
    esac
done
host="${bind%:*}"
port="${bind##*:}"
case "$host" in
    0.0.0.0 | "[::]" | "") host=127.0.0.1 ;;
esac

printf '\nCasino Online: open http://%s:%s/ in a browser (Ctrl-C stops the server)\n\n' "$host" "$port"
exec "$TARGET/release/casino-server" --static-dir "$ROOT/client/dist" "$@"
