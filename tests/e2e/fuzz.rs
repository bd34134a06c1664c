//! Fuzzing that stays in the test suite, on stable Rust:
//! - the client-message parser on arbitrary text, arbitrary JSON and JSON with a key given twice
//!   (proptest);
//! - the token parser on arbitrary strings and on mutations of a genuine token (proptest), and
//!   every re-encoding of a genuine token (other base64 alphabets and padding, JSON with spaces,
//!   reordered, escaped, extra or repeated fields) at every door that takes a token;
//! - a live server under random frames — random opcodes, reserved bits, unmasked and fragmented
//!   frames, lengths that lie, bad UTF-8, random JSON, keys given twice, protocol messages with
//!   random fields and random moves — from several sockets at once, while a control game is played beside them:
//!   the control game must go on unharmed and the server stay healthy.
//!
//! Bounded for the test command: `CASINO_FUZZ_CASES` (default 10,000 per property) and
//! `CASINO_FUZZ_SECONDS` (default 20) for the live server. README.md "Fuzzing" has the long run.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use game::protocol::{ClientMessage, ErrorCode};
use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};
use rand::{Rng, SeedableRng};
use server::frames::parse;
use server::token::TokenSigner;
use tests::raw::{client_frame, RawWs};
use tests::{play_turn, start_match, test_config, TestServer, TEST_SECRET};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

fn cases() -> u32 {
    std::env::var("CASINO_FUZZ_CASES")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(10_000)
}

fn runner() -> TestRunner {
    TestRunner::new(Config {
        cases: cases(),
        failure_persistence: None,
        ..Config::default()
    })
}

/// Arbitrary JSON, objects often typed like a client message.
fn json() -> impl Strategy<Value = serde_json::Value> {
    let leaf = prop_oneof![
        Just(serde_json::Value::Null),
        any::<bool>().prop_map(serde_json::Value::from),
        any::<i64>().prop_map(serde_json::Value::from),
        any::<f64>()
            .prop_filter("finite", |f| f.is_finite())
            .prop_map(serde_json::Value::from),
        ".{0,12}".prop_map(serde_json::Value::from),
    ];
    leaf.prop_recursive(3, 24, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(serde_json::Value::from),
            (
                prop_oneof![
                    Just("hello"),
                    Just("ping"),
                    Just("action"),
                    Just("takeover"),
                    Just("leave"),
                    Just("claim_victory"),
                    Just("wait"),
                    Just("dance"),
                ],
                prop::collection::btree_map(
                    prop_oneof![
                        Just("protocol".to_owned()),
                        Just("last_seq".to_owned()),
                        Just("t".to_owned()),
                        Just("action_id".to_owned()),
                        Just("move".to_owned()),
                        "[a-z_]{1,8}",
                    ],
                    inner,
                    0..5
                )
            )
                .prop_map(|(kind, fields)| {
                    let mut object: serde_json::Map<String, serde_json::Value> =
                        fields.into_iter().collect();
                    object.insert("type".to_owned(), kind.into());
                    serde_json::Value::Object(object)
                }),
        ]
    })
}

/// What the parser may say of any input: a message that survives a round trip, or one of its
/// four refusals.
fn parse_is_sound(text: &str) -> Result<(), TestCaseError> {
    match parse(text) {
        Ok(message) => {
            let again =
                serde_json::to_string(&message).map_err(|e| TestCaseError::fail(e.to_string()))?;
            prop_assert_eq!(parse(&again).ok(), Some(message));
        }
        Err((code, message)) => {
            prop_assert!(matches!(
                code,
                ErrorCode::MalformedJson
                    | ErrorCode::DuplicateKey
                    | ErrorCode::InvalidMessage
                    | ErrorCode::UnknownMessage
            ));
            prop_assert!(!message.is_empty());
        }
    }
    Ok(())
}

#[test]
fn the_client_message_parser_takes_any_text() {
    let counted = AtomicU64::new(0);
    let result = runner().run(
        &prop_oneof![".{0,64}", "[{}\\[\\]\":,a-z0-9 ]{0,64}"],
        |text| {
            counted.fetch_add(1, Ordering::Relaxed);
            parse_is_sound(&text)
        },
    );
    let json_cases = AtomicU64::new(0);
    let json_result = runner().run(&json(), |value| {
        json_cases.fetch_add(1, Ordering::Relaxed);
        parse_is_sound(&value.to_string())
    });
    let twice = AtomicU64::new(0);
    let twice_result = runner().run(&(json(), any::<prop::sample::Index>()), |(value, at)| {
        twice.fetch_add(1, Ordering::Relaxed);
        a_key_twice_is_refused(&value, at)
    });
    eprintln!(
        "parser fuzz: {} texts, {} JSON values, {} with a key given twice",
        counted.load(Ordering::Relaxed),
        json_cases.load(Ordering::Relaxed),
        twice.load(Ordering::Relaxed)
    );
    result.unwrap_or_else(|e| panic!("{e}"));
    json_result.unwrap_or_else(|e| panic!("{e}"));
    twice_result.unwrap_or_else(|e| panic!("{e}"));
}

/// `value` with one of its objects (picked by `at`; the top one when it has none) giving one of
/// its keys a second time, last, with another value: always `DUPLICATE_KEY`, whatever the key.
fn a_key_twice_is_refused(
    value: &serde_json::Value,
    at: prop::sample::Index,
) -> Result<(), TestCaseError> {
    let objects = count_objects(value);
    let text = if objects == 0 {
        format!(r#"{{"type":"ping","t":1,"type":{value}}}"#)
    } else {
        let mut out = String::new();
        write_with_a_key_twice(value, at.index(objects), &mut 0, &mut out);
        out
    };
    prop_assert_eq!(
        parse(&text).map_err(|e| e.0),
        Err(ErrorCode::DuplicateKey),
        "{}",
        text
    );
    Ok(())
}

fn count_objects(value: &serde_json::Value) -> usize {
    match value {
        serde_json::Value::Object(o) => 1 + o.values().map(count_objects).sum::<usize>(),
        serde_json::Value::Array(items) => items.iter().map(count_objects).sum(),
        _ => 0,
    }
}

/// Writes `value` as JSON; the object numbered `target` (in pre-order, counted by `seen`) gets
/// its first key again at its end (an empty one gets `"k"` twice).
fn write_with_a_key_twice(
    value: &serde_json::Value,
    target: usize,
    seen: &mut usize,
    out: &mut String,
) {
    match value {
        serde_json::Value::Object(object) => {
            let this = *seen;
            *seen += 1;
            out.push('{');
            for (i, (key, item)) in object.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                out.push_str(&serde_json::json!(key).to_string());
                out.push(':');
                write_with_a_key_twice(item, target, seen, out);
            }
            if this == target {
                match object.keys().next() {
                    Some(key) => out.push_str(&format!(",{}:0", serde_json::json!(key))),
                    None => out.push_str(r#""k":0,"k":1"#),
                }
            }
            out.push('}');
        }
        serde_json::Value::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_with_a_key_twice(item, target, seen, out);
            }
            out.push(']');
        }
        leaf => out.push_str(&leaf.to_string()),
    }
}

/// One change to a token's text.
#[derive(Debug, Clone)]
enum Edit {
    Replace(usize, char),
    Insert(usize, char),
    Remove(usize),
    Truncate(usize),
    Swap(usize, usize),
}

fn edit() -> impl Strategy<Value = Edit> {
    let c = prop_oneof![
        proptest::char::range('-', 'z'),
        Just('='),
        Just('+'),
        Just('/'),
        Just(' '),
        any::<char>()
    ];
    prop_oneof![
        (any::<usize>(), c.clone()).prop_map(|(i, c)| Edit::Replace(i, c)),
        (any::<usize>(), c).prop_map(|(i, c)| Edit::Insert(i, c)),
        any::<usize>().prop_map(Edit::Remove),
        any::<usize>().prop_map(Edit::Truncate),
        (any::<usize>(), any::<usize>()).prop_map(|(a, b)| Edit::Swap(a, b)),
    ]
}

fn apply(token: &str, edits: &[Edit]) -> String {
    let mut chars: Vec<char> = token.chars().collect();
    for e in edits {
        let n = chars.len().max(1);
        match *e {
            Edit::Replace(i, c) => {
                if !chars.is_empty() {
                    chars[i % n] = c;
                }
            }
            Edit::Insert(i, c) => chars.insert(i % (chars.len() + 1), c),
            Edit::Remove(i) => {
                if !chars.is_empty() {
                    chars.remove(i % n);
                }
            }
            Edit::Truncate(i) => chars.truncate(i % n),
            Edit::Swap(a, b) => {
                if !chars.is_empty() {
                    chars.swap(a % n, b % n);
                }
            }
        }
    }
    chars.into_iter().collect()
}

#[test]
fn no_mutation_of_a_token_is_accepted() {
    let signer = TokenSigner::new(TEST_SECRET.as_bytes()).expect("long");
    let (_, genuine) = signer.issue("ABC234", 7, "Alice", 1_000, 86_400_000);
    let now = 2_000;
    assert!(signer.verify(&genuine, now).is_ok());
    let mutations = AtomicU64::new(0);
    let result = runner().run(&prop::collection::vec(edit(), 1..5), |edits| {
        mutations.fetch_add(1, Ordering::Relaxed);
        let mutated = apply(&genuine, &edits);
        if mutated != genuine {
            prop_assert!(
                signer.verify(&mutated, now).is_err(),
                "{mutated:?} accepted"
            );
        }
        Ok(())
    });
    let random = AtomicU64::new(0);
    let random_result = runner().run(&".{0,300}", |text| {
        random.fetch_add(1, Ordering::Relaxed);
        prop_assert!(signer.verify(&text, now).is_err());
        Ok(())
    });
    eprintln!(
        "token fuzz: {} mutations of a genuine token, {} random strings",
        mutations.load(Ordering::Relaxed),
        random.load(Ordering::Relaxed)
    );
    result.unwrap_or_else(|e| panic!("{e}"));
    random_result.unwrap_or_else(|e| panic!("{e}"));
}

/// A random frame for a fuzzing socket.
fn random_frame(rng: &mut rand::rngs::StdRng) -> Vec<u8> {
    const CARDS: [&str; 6] = ["7C", "AS", "10D", "KH", "2S", "9Z"];
    const TYPES: [&str; 7] = [
        "hello",
        "ping",
        "takeover",
        "wait",
        "claim_victory",
        "leave",
        "nope",
    ];
    const MOVES: [&str; 4] = ["capture", "build", "increase", "add"];
    let text = |rng: &mut rand::rngs::StdRng| -> Vec<u8> {
        match rng.random_range(0..7) {
            0 => {
                let card = CARDS[rng.random_range(0..CARDS.len())];
                let id = format!("f{}", rng.random::<u16>());
                serde_json::json!({"type": "action", "action_id": id,
                    "move": {"type": "trail", "card": card}})
                .to_string()
                .into_bytes()
            }
            1 => {
                let kind = TYPES[rng.random_range(0..TYPES.len())];
                serde_json::json!({"type": kind, "protocol": rng.random_range(0..4),
                    "last_seq": rng.random::<u32>(), "t": rng.random::<i64>()})
                .to_string()
                .into_bytes()
            }
            2 => (0..rng.random_range(0..200))
                .map(|_| rng.random::<u8>())
                .collect(),
            3 => b"{\"type\":".to_vec(),
            4 => vec![0xff, 0xfe, 0x80, b'{'],
            5 => {
                // A key given twice: refused DUPLICATE_KEY, whichever comes last.
                let kind = TYPES[rng.random_range(0..TYPES.len())];
                let card = CARDS[rng.random_range(0..CARDS.len())];
                match rng.random_range(0..3) {
                    0 => format!(r#"{{"type":"ping","t":1,"type":"{kind}"}}"#),
                    1 => format!(r#"{{"type":"{kind}","protocol":2,"last_seq":0,"type":"ping"}}"#),
                    _ => format!(
                        r#"{{"type":"action","action_id":"d","move":{{"type":"trail","card":"{card}","card":"7C"}}}}"#
                    ),
                }
                .into_bytes()
            }
            _ => {
                let kind = MOVES[rng.random_range(0..MOVES.len())];
                let id = "x".repeat(rng.random_range(0..100));
                serde_json::json!({"type": "action", "action_id": id,
                    "move": {"type": kind, "card": "5H", "loose": ["2C", "3D"],
                        "builds": [rng.random::<u32>()], "value": rng.random::<u8>(),
                        "build": rng.random::<u32>(), "with": ["4S"], "absorb": [["5D"]]}})
                .to_string()
                .into_bytes()
            }
        }
    };
    match rng.random_range(0..10) {
        0..=4 => {
            let payload = text(rng);
            client_frame(0x1, &payload)
        }
        5 => client_frame(0x2, &text(rng)),
        6 => client_frame(
            [0x9, 0xA, 0x0, 0x3, 0xB][rng.random_range(0..5)],
            &text(rng),
        ),
        7 => {
            // Reserved bits, or a fragment that is never finished.
            let mut frame = client_frame(0x1, &text(rng));
            frame[0] = if rng.random_bool(0.5) {
                frame[0] | 0x70
            } else {
                frame[0] & 0x7f
            };
            frame
        }
        8 => {
            // Unmasked.
            let payload = text(rng);
            let mut frame = vec![0x81, payload.len().min(125) as u8];
            frame.extend_from_slice(&payload[..payload.len().min(125)]);
            frame
        }
        _ => {
            // A length that lies: more announced than sent.
            let mut frame = vec![0x81, 0x80 | 126];
            frame.extend_from_slice(&rng.random::<u16>().to_be_bytes());
            frame.extend_from_slice(&[1, 2, 3, 4]);
            frame.extend((0..rng.random_range(0..64)).map(|_| rng.random::<u8>()));
            frame
        }
    }
}

/// One fuzzing socket: a seat of a fresh room, a few random frames, whatever comes back read
/// and dropped; returns the frames sent.
async fn fuzz_socket(server: Arc<TestServer>, seed: u64) -> anyhow::Result<u64> {
    let mut rng = rand::rngs::StdRng::seed_from_u64(seed);
    let seated = server.create_room("Fuzz", &[]).await?;
    if rng.random_bool(0.5) {
        server.join(&seated.room, "Fuzz2").await?;
    }
    let raw = RawWs::connect(&server, &seated.token, None).await?;
    let (mut read, mut write) = raw.stream.into_split();
    let reader = tokio::spawn(async move {
        let mut buf = [0u8; 4096];
        while let Ok(Ok(n)) =
            tokio::time::timeout(Duration::from_secs(5), read.read(&mut buf)).await
        {
            if n == 0 {
                break;
            }
        }
    });
    let mut sent = 0;
    if rng.random_bool(0.8) {
        let hello = serde_json::to_vec(&ClientMessage::hello(0))?;
        write.write_all(&client_frame(0x1, &hello)).await?;
    }
    for _ in 0..rng.random_range(1..40) {
        if write.write_all(&random_frame(&mut rng)).await.is_err() {
            break;
        }
        sent += 1;
    }
    let _ = write.shutdown().await;
    drop(write);
    let _ = reader.await;
    Ok(sent)
}

#[actix_web::test]
async fn a_live_server_under_random_frames_keeps_its_control_game() -> anyhow::Result<()> {
    let seconds: u64 = std::env::var("CASINO_FUZZ_SECONDS")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(20);
    let mut config = test_config();
    config.max_frame_bytes = 4096;
    let server = Arc::new(TestServer::start(config).await?);
    let frames = Arc::new(AtomicU64::new(0));
    let sockets = Arc::new(AtomicU64::new(0));
    let until = Instant::now() + Duration::from_secs(seconds);
    let mut workers = Vec::new();
    for worker in 0..4u64 {
        let (server, frames, sockets) = (server.clone(), frames.clone(), sockets.clone());
        workers.push(actix_web::rt::spawn(async move {
            let mut seed = worker << 32;
            while Instant::now() < until {
                seed += 1;
                match fuzz_socket(server.clone(), seed).await {
                    Ok(sent) => {
                        frames.fetch_add(sent, Ordering::Relaxed);
                        sockets.fetch_add(1, Ordering::Relaxed);
                    }
                    Err(err) => log::debug!("fuzz socket {seed}: {err:#}"),
                }
            }
        }));
    }

    // The control game: played move by move beside the fuzzing, every move acknowledged.
    let mut played = 0;
    let mut control = start_match(&server, &["V-SINGLE-HAND"]).await?;
    while Instant::now() < until {
        played += 1;
        let turn = play_turn(&mut control, played, &format!("c{played}")).await?;
        if turn.game_over {
            control = start_match(&server, &["V-SINGLE-HAND"]).await?;
            played = 0;
        }
    }
    for worker in workers {
        worker.await?;
    }
    let (status, body) = server.get("/healthz").await?;
    assert_eq!(status, 200, "{body}");
    // Still serving new games after it all.
    let mut fresh = start_match(&server, &[]).await?;
    play_turn(&mut fresh, 1, "after").await?;
    let (frames, sockets) = (
        frames.load(Ordering::Relaxed),
        sockets.load(Ordering::Relaxed),
    );
    eprintln!("live fuzz: {frames} random frames on {sockets} sockets in {seconds} s beside a control game");
    assert!(sockets > 0 && frames > 0, "the fuzzing did not run");
    Ok(())
}

/// The JSON of a genuine token written other ways: each still carries the genuine claims and
/// signature, but is not the server's own byte form.
fn json_rewrites(json: &str) -> Vec<String> {
    let value: serde_json::Value = serde_json::from_str(json).unwrap_or_default();
    let fields: Vec<(String, serde_json::Value)> = value
        .as_object()
        .map(|o| o.iter().map(|(k, v)| (k.clone(), v.clone())).collect())
        .unwrap_or_default();
    let object = |fields: &[(String, serde_json::Value)], sep: &str| {
        let parts: Vec<String> = fields
            .iter()
            .map(|(k, v)| format!("{}:{sep}{v}", serde_json::json!(k)))
            .collect();
        format!("{{{}}}", parts.join(&format!(",{sep}")))
    };
    let mut out = vec![
        object(&fields, " "),
        serde_json::to_string_pretty(&value).unwrap_or_default(),
        format!("{json} "),
        format!("{json}\n"),
        format!(" {json}"),
        format!("\u{feff}{json}"),
        json.replacen('{', r#"{"extra":1,"#, 1),
        format!("{},\"extra\":null}}", &json[..json.len() - 1]),
    ];
    for turn in 1..fields.len() {
        let mut rotated = fields.clone();
        rotated.rotate_left(turn);
        out.push(object(&rotated, ""));
    }
    // One string claim at a time with its first character written as a \u escape, then the
    // same claim given twice.
    for (k, v) in &fields {
        if let Some(text) = v.as_str() {
            if let Some(first) = text.chars().next() {
                let escaped = format!(
                    "\"\\u{:04x}{}\"",
                    u32::from(first),
                    &text[first.len_utf8()..]
                );
                out.push(json.replacen(&v.to_string(), &escaped, 1));
            }
        }
        let key = serde_json::json!(k);
        out.push(format!("{},{key}:{v}}}", &json[..json.len() - 1]));
    }
    out
}

/// Every base64 form of `bytes` but the server's own (URL-safe, no padding).
fn base64_forms(bytes: &[u8]) -> Vec<String> {
    use base64::engine::general_purpose::{STANDARD, STANDARD_NO_PAD, URL_SAFE, URL_SAFE_NO_PAD};
    use base64::Engine;
    let url = URL_SAFE_NO_PAD.encode(bytes);
    vec![
        URL_SAFE.encode(bytes),
        STANDARD.encode(bytes),
        STANDARD_NO_PAD.encode(bytes),
        format!("{url}="),
        format!("{url}=="),
    ]
}

/// Every re-encoding of a genuine token is refused (401) at every door that takes a token,
/// while the genuine one passes each of them.
#[actix_web::test]
async fn no_re_encoding_of_a_genuine_token_opens_a_door() -> anyhow::Result<()> {
    use base64::Engine;
    let server = TestServer::start(test_config()).await?;
    let seated = server.create_room("Alice", &[]).await?;
    let json =
        String::from_utf8(base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(&seated.token)?)?;
    let mut forms = base64_forms(json.as_bytes());
    for rewritten in json_rewrites(&json) {
        for form in base64_forms(rewritten.as_bytes()) {
            forms.push(form);
        }
        forms.push(base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(&rewritten));
    }
    forms.retain(|form| *form != seated.token);
    forms.sort();
    forms.dedup();
    let code = seated.room.clone();
    let doors = token_doors(&code);
    for (door, method, path) in &doors {
        let status = knock(&server, method, path, &seated.token).await?;
        assert_ne!(status, 401, "the genuine token at {door}");
    }
    let mut knocks = 0;
    for form in &forms {
        for (door, method, path) in &doors {
            let status = knock(&server, method, path, form).await?;
            assert_eq!(status, 401, "{form:?} at {door}");
            knocks += 1;
        }
    }
    eprintln!(
        "token re-encodings: {} forms of a genuine token at {} doors, {knocks} requests, all refused",
        forms.len(),
        doors.len()
    );
    server.stop().await;
    Ok(())
}

/// Each door that takes a session token: a name, the method and the path (`{token}` where the
/// query carries it).
fn token_doors(code: &str) -> Vec<(&'static str, awc::http::Method, String)> {
    use awc::http::Method;
    vec![
        ("/ws", Method::GET, "/ws?session_token={token}".to_owned()),
        (
            "/ws/{code}",
            Method::GET,
            format!("/ws/{code}?session_token={{token}}"),
        ),
        ("/api/session", Method::GET, "/api/session".to_owned()),
        (
            "claim-victory",
            Method::POST,
            "/api/game/claim-victory".to_owned(),
        ),
        (
            "room claim-victory",
            Method::POST,
            format!("/api/rooms/{code}/claim-victory"),
        ),
        (
            "rematch",
            Method::POST,
            format!("/api/rooms/{code}/rematch"),
        ),
        (
            "decline rematch",
            Method::DELETE,
            format!("/api/rooms/{code}/rematch"),
        ),
        ("heartbeat", Method::GET, format!("/api/heartbeat/{code}")),
    ]
}

/// The status of `method path` with `token`: in the query where the path has `{token}`
/// (percent-encoded), else as `Authorization: Bearer`.
async fn knock(
    server: &TestServer,
    method: &awc::http::Method,
    path: &str,
    token: &str,
) -> anyhow::Result<u16> {
    let client = awc::Client::new();
    let request = if path.contains("{token}") {
        let escaped: String = token
            .bytes()
            .map(|b| match b {
                b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' => char::from(b).to_string(),
                other => format!("%{other:02X}"),
            })
            .collect();
        client.request(
            method.clone(),
            server.url(&path.replace("{token}", &escaped)),
        )
    } else {
        client
            .request(method.clone(), server.url(path))
            .insert_header(("Authorization", format!("Bearer {token}")))
    };
    let response = request
        .send()
        .await
        .map_err(|err| anyhow::anyhow!("{method} {path}: {err}"))?;
    Ok(response.status().as_u16())
}
