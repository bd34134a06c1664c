//! Several nodes behind HAProxy on one PostgreSQL database (docs/SCALING.md), everything on
//! loopback and started by the test: a node killed with `kill -9` and a rolling restart under
//! the load generator's drops and duplicates lose no acknowledged move and apply none twice;
//! two nodes made to serve one room never fork its log (hand-over and fencing); a node added
//! under load takes rooms over without a lost move. Needs CASINO_TEST_PG_URL (skipped without)
//! and Debian's haproxy.

use std::process::{Child, Command, Stdio};
use std::time::Duration;

use game::protocol::ServerMessage;
use sea_orm::{ConnectionTrait, Database, DbBackend, Statement};
use tests::cluster::Cluster;
use tests::{pick_move, Player, Received, TestServer, Ws};

const SERVER: &str = env!("CARGO_BIN_EXE_casino-server-e2e");
const LOADGEN: &str = env!("CARGO_BIN_EXE_loadgen");
/// How long the load generator may take to get its rooms playing (or playing again).
const LOAD_FLOWS: Duration = Duration::from_secs(20);

/// A scratch PostgreSQL database and an actix runtime for the async parts, or `None` (skipped).
fn scratch(
    name: &str,
) -> anyhow::Result<Option<(actix_web::rt::SystemRunner, tests::pg::PgDatabase)>> {
    let rt = actix_web::rt::System::new();
    Ok(rt.block_on(tests::pg::create(name))?.map(|db| (rt, db)))
}

/// The load generator through HAProxy, with drops and duplicates, checking the log after.
fn loadgen(cluster: &Cluster, database_url: &str, duration: &str) -> anyhow::Result<Child> {
    Ok(Command::new(LOADGEN)
        .args([
            "--url",
            &format!("http://{}", cluster.lb),
            "--database-url",
            database_url,
            "--rooms",
            "10",
            "--duration",
            duration,
            "--think",
            "20ms",
            "--drop-rate",
            "0.02",
            "--duplicate-rate",
            "0.05",
        ])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()?)
}

/// The run's report, once it passed its consistency check with every bot finished.
fn passed(run: Child) -> anyhow::Result<String> {
    let output = run.wait_with_output()?;
    let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
    let stderr = String::from_utf8_lossy(&output.stderr);
    anyhow::ensure!(output.status.success(), "{stdout}\n{stderr}");
    anyhow::ensure!(
        stdout.contains("consistency check: PASSED"),
        "{stdout}\n{stderr}"
    );
    anyhow::ensure!(
        !stdout.contains("client:bot_failed"),
        "a bot gave up: {stdout}"
    );
    Ok(stdout)
}

fn sum_over_nodes(cluster: &Cluster, name: &str, labels: &[&str]) -> f64 {
    (0..tests::cluster::SLOTS)
        .map(|i| cluster.metric(i, name, labels))
        .sum()
}

#[test]
fn a_node_killed_with_sigkill_loses_no_move() -> anyhow::Result<()> {
    let Some((rt, pg)) = scratch("a_node_killed_with_sigkill_loses_no_move")? else {
        return Ok(());
    };
    let result = (|| {
        let mut cluster = Cluster::start(SERVER, &pg.url, 3, &[("RUST_LOG", "warn")])?;
        let run = loadgen(&cluster, &pg.url, "14s")?;
        cluster.wait_for_moves(0.0, 200.0, LOAD_FLOWS)?;
        let victim = cluster
            .busiest()
            .ok_or_else(|| anyhow::anyhow!("no node"))?;
        let held = cluster.metric(victim, "casino_leases_held", &[]);
        anyhow::ensure!(held > 0.0, "node {} served no room", victim + 1);
        // Counted on the survivors only: the dead node's counter goes with it.
        let survivors_claims = |cluster: &Cluster| -> f64 {
            (0..tests::cluster::SLOTS)
                .filter(|i| *i != victim)
                .map(|i| cluster.metric(i, "casino_lease_claims_total", &[]))
                .sum()
        };
        let claims_before = survivors_claims(&cluster);
        cluster.kill(victim)?;
        let report = passed(run)?;
        // The survivors claimed rooms after the kill: at least the dead node's.
        let claims_after = survivors_claims(&cluster);
        anyhow::ensure!(
            claims_after >= claims_before + held,
            "claims {claims_before} -> {claims_after}, {held} rooms to take over\n{report}"
        );
        Ok(())
    })();
    rt.block_on(pg.drop_db())?;
    result
}

#[test]
fn a_rolling_restart_loses_no_move() -> anyhow::Result<()> {
    let Some((rt, pg)) = scratch("a_rolling_restart_loses_no_move")? else {
        return Ok(());
    };
    let result = (|| {
        let mut cluster = Cluster::start(
            SERVER,
            &pg.url,
            3,
            &[("RUST_LOG", "warn"), ("CASINO_DRAIN_NOTICE_MS", "1500")],
        )?;
        let run = loadgen(&cluster, &pg.url, "20s")?;
        cluster.wait_for_moves(0.0, 100.0, LOAD_FLOWS)?;
        for i in 0..3 {
            let took = cluster.terminate(i)?;
            // The notice, then the rooms' release: not the HTTP server's 30 s shutdown timeout.
            anyhow::ensure!(
                took < Duration::from_secs(10),
                "node {} took {took:?} to drain",
                i + 1
            );
            cluster.start_node(i)?;
            // The players of the drained rooms are back and playing before the next node goes.
            let before = cluster.total("casino_moves_total", &["outcome=\"applied\""]);
            cluster.wait_for_moves(before, 100.0, LOAD_FLOWS)?;
        }
        passed(run)?;
        let released = sum_over_nodes(&cluster, "casino_handovers_total", &["side=\"released\""]);
        log::info!("hand-overs released after the restart: {released}");
        Ok(())
    })();
    rt.block_on(pg.drop_db())?;
    result
}

#[test]
fn a_node_added_under_load_takes_rooms_without_a_lost_move() -> anyhow::Result<()> {
    let Some((rt, pg)) = scratch("a_node_added_under_load_takes_rooms")? else {
        return Ok(());
    };
    let result = (|| {
        let mut cluster = Cluster::start(SERVER, &pg.url, 2, &[("RUST_LOG", "warn")])?;
        let run = loadgen(&cluster, &pg.url, "14s")?;
        cluster.wait_for_moves(0.0, 200.0, LOAD_FLOWS)?;
        cluster.start_node(2)?;
        let claimed = tests::eventually_blocking(
            Duration::from_secs(10),
            "the new node claiming a room",
            || {
                let claimed = cluster.metric(2, "casino_lease_claims_total", &[]);
                Ok((claimed > 0.0).then_some(claimed))
            },
        );
        passed(run)?;
        claimed?;
        Ok(())
    })();
    rt.block_on(pg.drop_db())?;
    result
}

/// Receives until the socket closes; the close code and whether `action_id` was acknowledged.
async fn until_closed(player: &mut Player, action_id: &str) -> anyhow::Result<(Option<u16>, bool)> {
    let mut acked = false;
    loop {
        match tokio::time::timeout(Duration::from_secs(10), player.ws.recv_any()).await?? {
            Received::Closed(code) => return Ok((code, acked)),
            Received::Message(message) => {
                if let ServerMessage::Ack { action_id: id, .. } = message.as_ref() {
                    acked |= id == action_id;
                }
            }
        }
    }
}

#[test]
fn two_nodes_serving_one_room_never_fork_its_log() -> anyhow::Result<()> {
    let Some((rt, pg)) = scratch("two_nodes_serving_one_room_never_fork_its_log")? else {
        return Ok(());
    };
    let url = pg.url.clone();
    let result = rt.block_on(async move {
        let cluster = Cluster::start(
            SERVER,
            &url,
            2,
            &[
                ("RUST_LOG", "warn"),
                ("CASINO_LEASE_MS", "1000"),
                // No renewal in this test: a lease runs out a second after its claim, and
                // only the fence can stop the node that lost it.
                ("CASINO_LEASE_RENEW_MS", "600000"),
            ],
        )?;
        let (a, b) = (cluster.nodes[0], cluster.nodes[1]);
        let alice_seat = TestServer::at(a).create_room("Alice", &[]).await?;
        let bob_seat = TestServer::at(a).join(&alice_seat.room, "Bob").await?;
        let (mut alice, _) = Player::connect(a, alice_seat.clone(), 0).await?;

        // Hand-over: Bob's socket reaches node B directly; B asks A for the room, A tells its
        // sockets to reconnect, B serves it.
        let (mut bob, _) = Player::connect(b, bob_seat.clone(), 0).await?;
        assert_eq!(until_closed(&mut alice, "").await?.0, Some(1012));
        assert_eq!(
            cluster.metric(1, "casino_handovers_total", &["side=\"asked\""]),
            1.0
        );
        assert_eq!(
            cluster.metric(0, "casino_handovers_total", &["side=\"released\""]),
            1.0
        );
        let (mut alice, _) = Player::connect(b, alice_seat.clone(), alice.last_seq).await?;

        // Play on B until it is Bob's turn.
        let mut salt = 0;
        while !bob.my_turn() {
            let view = alice
                .view
                .clone()
                .ok_or_else(|| anyhow::anyhow!("no view"))?;
            let mv = pick_move(&view, salt).ok_or_else(|| anyhow::anyhow!("no move"))?;
            salt += 1;
            alice.ws.action(&format!("a-{salt}"), &mv).await?;
            alice.next_event().await?;
            bob.next_event().await?;
        }

        // Split brain: B stops (a long pause, a cut-off network) past its lease; Alice comes
        // back through A, which claims the expired lease.
        cluster
            .node(1)
            .ok_or_else(|| anyhow::anyhow!("node B"))?
            .signal("STOP")?;
        let db = Database::connect(&url).await?;
        tests::eventually(Duration::from_secs(10), "B's lease to expire", || async {
            let expired = db
                .query_one_raw(Statement::from_sql_and_values(
                    DbBackend::Postgres,
                    "SELECT expires_at < now() AS expired FROM room_leases WHERE room_code = $1",
                    [alice_seat.room.clone().into()],
                ))
                .await?
                .map(|row| row.try_get::<bool>("", "expired"))
                .transpose()?;
            Ok(expired.filter(|e| *e))
        })
        .await?;
        let last_seq = alice.last_seq;
        alice.ws.drop_abruptly();
        let (_alice, _) = Player::connect(a, alice_seat.clone(), last_seq).await?;
        cluster
            .node(1)
            .ok_or_else(|| anyhow::anyhow!("node B"))?
            .signal("CONT")?;

        // B wakes up believing it serves the room; Bob's move there must not commit.
        let view = bob.view.clone().ok_or_else(|| anyhow::anyhow!("no view"))?;
        let mv = pick_move(&view, 99).ok_or_else(|| anyhow::anyhow!("no move"))?;
        bob.ws.action("bob-after-split", &mv).await?;
        let (code, acked) = until_closed(&mut bob, "bob-after-split").await?;
        assert_eq!(code, Some(1012), "B must tell its sockets to reconnect");
        assert!(!acked, "B acknowledged a move after losing its lease");
        assert_eq!(
            cluster.metric(1, "casino_fenced_appends_total", &[]),
            1.0,
            "B's append was not fenced"
        );

        // Bob reconnects through A and resends: applied once, the log has no gap or fork.
        let (mut bob, _) = Player::connect(a, bob_seat.clone(), bob.last_seq).await?;
        bob.ws.action("bob-after-split", &mv).await?;
        loop {
            if let ServerMessage::Ack { action_id, .. } = bob.ws.recv().await? {
                if action_id == "bob-after-split" {
                    break;
                }
            }
        }
        let rows = db
            .query_all_raw(Statement::from_sql_and_values(
                DbBackend::Postgres,
                "SELECT l.sequence_number, l.action_id FROM game_action_log l \
                 JOIN rooms r ON r.id = l.room_id WHERE r.code = $1 ORDER BY l.sequence_number",
                [alice_seat.room.clone().into()],
            ))
            .await?;
        let mut seqs = Vec::new();
        let mut bobs = 0;
        for row in &rows {
            seqs.push(row.try_get::<i64>("", "sequence_number")?);
            bobs += usize::from(row.try_get::<String>("", "action_id")? == "bob-after-split");
        }
        assert_eq!(bobs, 1, "the move after the split is in the log once");
        let expected: Vec<i64> = (1..=seqs.len() as i64).collect();
        assert_eq!(seqs, expected, "the log has a gap or a fork");
        db.close().await?;
        drop(cluster);
        anyhow::Ok(())
    });
    rt.block_on(pg.drop_db())?;
    result
}

/// HAProxy hashes a room's code upper-cased, as the nodes read it: every door of a room named
/// in lower or mixed case reaches the node serving it, so no request moves the room to another
/// node (no hand-over is asked for, each room's lease is claimed once).
#[test]
fn a_room_code_in_any_letter_case_reaches_the_rooms_node() -> anyhow::Result<()> {
    let Some((rt, pg)) = scratch("a_room_code_in_any_letter_case_reaches_the_rooms_node")? else {
        return Ok(());
    };
    let url = pg.url.clone();
    let result = rt.block_on(async move {
        let cluster = Cluster::start(SERVER, &url, 3, &[("RUST_LOG", "warn")])?;
        let lb = TestServer::at(cluster.lb);
        let rooms = 8;
        for _ in 0..rooms {
            let alice = lb.create_room("Alice", &[]).await?;
            let code = alice.room.clone();
            let lower = code.to_ascii_lowercase();
            let mixed: String = code
                .chars()
                .enumerate()
                .map(|(i, c)| {
                    if i % 2 == 1 {
                        c.to_ascii_lowercase()
                    } else {
                        c
                    }
                })
                .collect();
            let mut ws = Ws::connect_room(cluster.lb, &code, &alice.token).await?;
            ws.hello(0).await?;
            ws.close().await;
            for name in [&lower, &mixed] {
                let mut ws = Ws::connect_room(cluster.lb, name, &alice.token).await?;
                ws.hello(0).await?;
                ws.close().await;
                let (status, body) = lb.get(&format!("/api/rooms/{name}")).await?;
                anyhow::ensure!(status == 200, "{name}: {body}");
                let (status, body) = lb.get(&format!("/api/heartbeat/{name}")).await?;
                anyhow::ensure!(status == 200, "{name}: {body}");
                let claim = format!("/api/rooms/{name}/claim-victory");
                let (status, body) = lb.post_bearer(&claim, &alice.token).await?;
                anyhow::ensure!(status == 409, "{claim}: {body}");
            }
            lb.join(&lower, "Bob").await?;
        }
        let asked = sum_over_nodes(&cluster, "casino_handovers_total", &["side=\"asked\""]);
        let claims = sum_over_nodes(&cluster, "casino_lease_claims_total", &[]);
        anyhow::ensure!(
            asked == 0.0,
            "{asked} hand-overs: a request reached another node"
        );
        anyhow::ensure!(
            claims == f64::from(rooms),
            "{claims} lease claims for {rooms} rooms"
        );
        drop(cluster);
        anyhow::Ok(())
    });
    rt.block_on(pg.drop_db())?;
    result
}
