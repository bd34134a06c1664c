//! Several `casino-server` nodes behind HAProxy (`ops/haproxy/haproxy.cfg`) on one PostgreSQL
//! database, all on loopback, started and stopped by the caller: the scale-out tests and the
//! failover bench (docs/SCALING.md).

use std::net::SocketAddr;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{bail, Context};

use crate::child::{free_addr, http_get, ChildServer};

/// The shipped HAProxy configuration.
pub const HAPROXY_CFG: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../ops/haproxy/haproxy.cfg");

/// Node slots in [`HAPROXY_CFG`].
pub const SLOTS: usize = 4;

/// HAProxy and up to [`SLOTS`] nodes.
pub struct Cluster {
    /// Where HAProxy listens: what players connect to.
    pub lb: SocketAddr,
    /// HAProxy's stats page.
    pub stats: SocketAddr,
    /// The address of each node slot (running or not).
    pub nodes: Vec<SocketAddr>,
    running: Vec<Option<ChildServer>>,
    haproxy: Child,
    binary: String,
    env: Vec<(String, String)>,
}

impl Cluster {
    /// HAProxy in front of [`SLOTS`] node addresses, of which the first `start` run `binary`
    /// on `database_url` with `env`; returns once HAProxy sees them up.
    pub fn start(
        binary: &str,
        database_url: &str,
        start: usize,
        env: &[(&str, &str)],
    ) -> anyhow::Result<Cluster> {
        let nodes: Vec<SocketAddr> = (0..SLOTS).map(|_| free_addr()).collect::<Result<_, _>>()?;
        let (lb, stats) = (free_addr()?, free_addr()?);
        let mut command = Command::new("haproxy");
        command
            .args(["-db", "-f", HAPROXY_CFG])
            .env("CASINO_LB_BIND", lb.to_string())
            .env("CASINO_LB_STATS", stats.to_string())
            .stdout(Stdio::null())
            .stderr(Stdio::null());
        for (i, addr) in nodes.iter().enumerate() {
            command.env(format!("CASINO_NODE{}", i + 1), addr.to_string());
        }
        let haproxy = command
            .spawn()
            .context("start haproxy (Debian's haproxy package; scripts/lib.sh installs it)")?;
        let mut owned: Vec<(String, String)> = vec![
            ("DATABASE_URL".to_owned(), database_url.to_owned()),
            ("CASINO_TRUSTED_PROXIES".to_owned(), "127.0.0.1".to_owned()),
        ];
        owned.extend(env.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())));
        let mut cluster = Cluster {
            lb,
            stats,
            nodes,
            running: (0..SLOTS).map(|_| None).collect(),
            haproxy,
            binary: binary.to_owned(),
            env: owned,
        };
        for i in 0..start {
            cluster.start_node(i)?;
        }
        Ok(cluster)
    }

    /// Starts node `i` (as `node{i+1}`) and waits until HAProxy routes to it.
    pub fn start_node(&mut self, i: usize) -> anyhow::Result<()> {
        let id = format!("node{}", i + 1);
        let mut env: Vec<(&str, &str)> = self
            .env
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect();
        env.push(("CASINO_NODE_ID", &id));
        let child = ChildServer::spawn_at(&self.binary, &env, self.nodes[i])?;
        self.running[i] = Some(child);
        self.wait_for(i, true, Duration::from_secs(15))
    }

    /// Node `i`'s process, if running.
    pub fn node(&self, i: usize) -> Option<&ChildServer> {
        self.running[i].as_ref()
    }

    /// `kill -9` of node `i`.
    pub fn kill(&mut self, i: usize) -> anyhow::Result<()> {
        match self.running[i].take() {
            Some(child) => child.kill(),
            None => bail!("node {} is not running", i + 1),
        }
    }

    /// SIGTERM of node `i`; returns once it exited (it drains first) and how long that took.
    pub fn terminate(&mut self, i: usize) -> anyhow::Result<Duration> {
        let Some(child) = self.running[i].take() else {
            bail!("node {} is not running", i + 1);
        };
        let started = Instant::now();
        let status = child.terminate(Duration::from_secs(60))?;
        anyhow::ensure!(status.success(), "node {} exited with {status}", i + 1);
        Ok(started.elapsed())
    }

    /// Waits until HAProxy reports node `i` up (or down).
    pub fn wait_for(&self, i: usize, up: bool, within: Duration) -> anyhow::Result<()> {
        let what = format!(
            "HAProxy seeing node {} {}",
            i + 1,
            if up { "up" } else { "down" }
        );
        crate::eventually_blocking(within, &what, || {
            Ok((self.lb_sees_up(i)? == up).then_some(()))
        })
    }

    /// The sum of metric `name` with `labels` over the running nodes.
    pub fn total(&self, name: &str, labels: &[&str]) -> f64 {
        (0..SLOTS)
            .filter(|i| self.running[*i].is_some())
            .map(|i| self.metric(i, name, labels))
            .sum()
    }

    /// Waits until the running nodes have applied `moves` more moves than `since` (a
    /// [`Cluster::total`] of `casino_moves_total` applied): the load is flowing.
    pub fn wait_for_moves(&self, since: f64, moves: f64, within: Duration) -> anyhow::Result<f64> {
        let what = format!("{moves} more moves applied");
        crate::eventually_blocking(within, &what, || {
            let now = self.total("casino_moves_total", &["outcome=\"applied\""]);
            Ok((now >= since + moves).then_some(now))
        })
    }

    /// Whether HAProxy's health checks have node `i` up (from the stats page's CSV).
    pub fn lb_sees_up(&self, i: usize) -> anyhow::Result<bool> {
        let Ok((_, csv)) = http_get(self.stats, "/;csv") else {
            return Ok(false);
        };
        let name = format!("node{}", i + 1);
        Ok(csv.lines().any(|line| {
            let fields: Vec<&str> = line.split(',').collect();
            fields.len() > 17
                && fields[0] == "by_room"
                && fields[1] == name
                && fields[17].starts_with("UP")
        }))
    }

    /// The sum of metric `name` with `labels` on node `i` (0 when it does not answer).
    pub fn metric(&self, i: usize, name: &str, labels: &[&str]) -> f64 {
        http_get(self.nodes[i], "/metrics")
            .map(|(_, text)| crate::metric_sample(&text, name, labels))
            .unwrap_or(0.0)
    }

    /// The running node holding the most room leases.
    pub fn busiest(&self) -> Option<usize> {
        (0..SLOTS)
            .filter(|i| self.running[*i].is_some())
            .max_by_key(|i| self.metric(*i, "casino_leases_held", &[]) as i64)
    }
}

impl Drop for Cluster {
    fn drop(&mut self) {
        for node in &mut self.running {
            drop(node.take());
        }
        let _ = self.haproxy.kill();
        let _ = self.haproxy.wait();
    }
}
