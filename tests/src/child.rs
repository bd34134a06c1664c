//! The server as a child process, for tests and the load generator that `kill -9` it.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{anyhow, bail, Context};

/// How long a child may take to answer `/healthz`.
const READY_WITHIN: Duration = Duration::from_secs(60);

/// A `casino-server` child process.
pub struct ChildServer {
    child: Child,
    /// Where it listens.
    pub addr: SocketAddr,
}

/// `GET path` on `addr` over plain HTTP/1.1 (blocking, 2 s timeouts): status and body.
pub fn http_get(addr: SocketAddr, path: &str) -> anyhow::Result<(u16, String)> {
    let mut stream = TcpStream::connect_timeout(&addr, Duration::from_secs(1))?;
    stream.set_read_timeout(Some(Duration::from_secs(2)))?;
    let request = format!("GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n");
    stream.write_all(request.as_bytes())?;
    let mut response = String::new();
    stream.read_to_string(&mut response)?;
    let status = response
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .ok_or_else(|| anyhow!("no HTTP status from {addr}{path}"))?;
    let body = response
        .split_once("\r\n\r\n")
        .map(|(_, body)| body.to_owned())
        .unwrap_or_default();
    Ok((status, body))
}

/// A loopback address with a port free right now.
pub fn free_addr() -> anyhow::Result<SocketAddr> {
    Ok(TcpListener::bind("127.0.0.1:0")?.local_addr()?)
}

/// The `casino-server` built beside the running executable (the bench binaries and the load
/// generator are built with it), else `target/{profile}/casino-server`.
pub fn server_bin_beside_me(profile: &str) -> String {
    std::env::current_exe()
        .ok()
        .and_then(|exe| exe.parent().map(|dir| dir.join("casino-server")))
        .filter(|path| path.exists())
        .map_or_else(
            || format!("target/{profile}/casino-server"),
            |path| path.display().to_string(),
        )
}

impl ChildServer {
    /// Starts `binary` on a free loopback port with `env`, and waits until it is ready.
    pub fn spawn(binary: &str, env: &[(&str, &str)]) -> anyhow::Result<ChildServer> {
        Self::spawn_at(binary, env, free_addr()?)
    }

    /// Starts `binary` listening on `addr` with `env` (which may set `RUST_LOG` to anything:
    /// readiness is `GET /healthz` answering 200, not a log line), and waits until it is ready.
    pub fn spawn_at(
        binary: &str,
        env: &[(&str, &str)],
        addr: SocketAddr,
    ) -> anyhow::Result<ChildServer> {
        let mut command = Command::new(binary);
        command
            .env("RUST_LOG", "info")
            .stdout(Stdio::null())
            .stderr(Stdio::piped());
        for (key, value) in env {
            command.env(key, value);
        }
        command.env("CASINO_BIND", addr.to_string());
        let mut child = command.spawn().with_context(|| format!("spawn {binary}"))?;
        let stderr = child.stderr.take().ok_or_else(|| anyhow!("no stderr"))?;
        // Keeps draining the log so the child never blocks on a full pipe.
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                if std::env::var_os("CASINO_TEST_CHILD_LOG").is_some() {
                    eprintln!("[child] {line}");
                }
            }
        });
        let mut server = ChildServer { child, addr };
        let started = Instant::now();
        while !server.ready() {
            if let Some(status) = server.child.try_wait()? {
                bail!("{binary} exited before it was ready ({status})");
            }
            if started.elapsed() > READY_WITHIN {
                bail!("{binary} did not answer /healthz on {addr} within {READY_WITHIN:?}");
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        Ok(server)
    }

    /// Whether `GET /healthz` answers 200.
    fn ready(&self) -> bool {
        http_get(self.addr, "/healthz").is_ok_and(|(status, _)| status == 200)
    }

    /// The child's process id.
    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// Sends signal `name` (`TERM`, `STOP`, `CONT`, …) with `kill(1)`.
    pub fn signal(&self, name: &str) -> anyhow::Result<()> {
        let status = Command::new("kill")
            .args([format!("-{name}"), self.child.id().to_string()])
            .status()?;
        anyhow::ensure!(
            status.success(),
            "kill -{name} {}: {status}",
            self.child.id()
        );
        Ok(())
    }

    /// SIGTERM, then waits for the exit (at most `within`): the server drains first.
    pub fn terminate(mut self, within: Duration) -> anyhow::Result<std::process::ExitStatus> {
        self.signal("TERM")?;
        let started = Instant::now();
        loop {
            if let Some(status) = self.child.try_wait()? {
                return Ok(status);
            }
            if started.elapsed() > within {
                bail!("the server did not exit within {within:?} of SIGTERM");
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// `kill -9`: no shutdown code runs.
    pub fn kill(mut self) -> anyhow::Result<()> {
        self.child.kill()?;
        self.child.wait()?;
        Ok(())
    }
}

impl Drop for ChildServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
