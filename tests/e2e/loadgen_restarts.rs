//! The load generator across server crashes: `--kill-every` kills the spawned server with
//! SIGKILL and starts it again under load, with drops and duplicates, the server logging at
//! `warn` (so nothing may depend on its info log). Every bot must finish and the consistency
//! check pass: no acknowledged move lost or applied twice, every room's replay equal to what the
//! players saw.

use std::process::Command;

#[test]
fn a_run_across_server_kills_passes_its_consistency_check() -> anyhow::Result<()> {
    let output = Command::new(env!("CARGO_BIN_EXE_loadgen"))
        .args([
            "--spawn",
            "--server-bin",
            env!("CARGO_BIN_EXE_casino-server-e2e"),
            "--rooms",
            "6",
            "--duration",
            "12s",
            "--think",
            "20ms",
            "--kill-every",
            "4s",
            "--drop-rate",
            "0.02",
            "--duplicate-rate",
            "0.05",
            "--server-env",
            "RUST_LOG=warn",
        ])
        .output()?;
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{stdout}\n{stderr}");
    assert!(
        stdout.contains("consistency check: PASSED"),
        "{stdout}\n{stderr}"
    );
    let kills: u32 = stdout
        .split("server kills ")
        .nth(1)
        .and_then(|rest| rest.split_whitespace().next())
        .and_then(|n| n.parse().ok())
        .unwrap_or(0);
    assert!(kills >= 2, "only {kills} kills: {stdout}");
    assert!(
        !stdout.contains("client:bot_failed"),
        "a bot gave up: {stdout}"
    );
    Ok(())
}
