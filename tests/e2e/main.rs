//! The end-to-end tests of Casino Online, one binary: each module drives a real server (in this
//! process on an ephemeral port with its own database, or as a child process that can be
//! killed) over real HTTP and WebSockets. Servers in one process count apart (each application
//! has its own metrics registry), so every test can run beside every other.
//!
//! Run one module with `cargo test -p tests --test e2e <module>::`, e.g. `fuzz::`.

mod capacity;
mod cluster;
mod crash;
mod deadlines;
mod fuzz;
mod hardening;
mod health;
mod heartbeat;
mod hostile;
mod http_api;
mod lifecycle;
mod lifecycle_restart;
mod loadgen_restarts;
mod match_play;
mod metrics;
mod ops;
mod recovery;
mod rematch;
mod slow_reader;
mod static_files;
mod sweeps;
mod tokens;
mod unload;
