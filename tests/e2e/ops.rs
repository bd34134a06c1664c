//! The operators' kit matches the server it watches: every metric that the shipped alert rules
//! (`ops/prometheus/alerts.yml`) and Grafana dashboards (`ops/grafana/dashboards/*.json`) query
//! is exported by a freshly started server, with the label values they filter on; every metric
//! the server exports has a panel; every alert links to an existing section of
//! `docs/RUNBOOK.md`. The rules' logic itself is unit-tested by `promtool test rules
//! ops/prometheus/alerts_test.yml` (scripts/test.sh).
//!
//! The server test reads a fresh server's registry (no move, heartbeat failure or refused token
//! yet): each server has its own, whatever else runs in the process.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use serde_json::Value;
use tests::{test_config, TestServer};

fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("tests/ sits in the workspace root")
        .to_path_buf()
}

fn read(relative: &str) -> String {
    let path = repo_root().join(relative);
    std::fs::read_to_string(&path).unwrap_or_else(|err| panic!("{}: {err}", path.display()))
}

/// A token of a PromQL expression, as far as this test needs one.
#[derive(Debug, Clone, PartialEq)]
enum Token {
    /// A metric, label or function name.
    Ident(String),
    /// A quoted string (label value).
    Str(String),
    /// `=`, `!=`, `=~`, `!~` or `==`.
    Op(String),
    /// A number or duration, a bracket, `$`, an arithmetic operator…
    Other,
}

fn tokenize(expr: &str) -> Vec<Token> {
    let chars: Vec<char> = expr.chars().collect();
    let mut tokens = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c.is_whitespace() {
            i += 1;
        } else if c == '#' {
            // A comment runs to the end of the line.
            while i < chars.len() && chars[i] != '\n' {
                i += 1;
            }
        } else if matches!(c, '"' | '\'' | '`') {
            let mut value = String::new();
            i += 1;
            while i < chars.len() && chars[i] != c {
                if chars[i] == '\\' && c != '`' && i + 1 < chars.len() {
                    i += 1;
                }
                value.push(chars[i]);
                i += 1;
            }
            i += 1;
            tokens.push(Token::Str(value));
        } else if c.is_ascii_alphabetic() || c == '_' || c == ':' {
            let start = i;
            while i < chars.len()
                && (chars[i].is_ascii_alphanumeric() || matches!(chars[i], '_' | ':'))
            {
                i += 1;
            }
            tokens.push(Token::Ident(chars[start..i].iter().collect()));
        } else if c.is_ascii_digit() || c == '.' {
            // Numbers and durations (0.95, 15m, 1e3): never names.
            while i < chars.len() && (chars[i].is_ascii_alphanumeric() || chars[i] == '.') {
                i += 1;
            }
            tokens.push(Token::Other);
        } else if matches!(c, '=' | '!') {
            let next = chars.get(i + 1).copied();
            let op = match (c, next) {
                ('=', Some('~')) | ('!', Some('~')) | ('!', Some('=')) | ('=', Some('=')) => {
                    format!("{c}{}", next.unwrap_or_default())
                }
                _ => c.to_string(),
            };
            i += op.len();
            tokens.push(Token::Op(op));
        } else {
            i += 1;
            tokens.push(Token::Other);
        }
    }
    tokens
}

/// What the shipped rules and dashboards ask of the server: metric names (`casino_…`, as
/// written: histogram series keep their `_bucket`/`_sum`/`_count` suffix) and label values
/// filtered on (`reason="timeout"`, `reason=~"A|B"`), each with where it was found.
#[derive(Debug, Default)]
struct Uses {
    metrics: BTreeMap<String, BTreeSet<String>>,
    label_values: BTreeMap<(String, String), BTreeSet<String>>,
}

impl Uses {
    fn add_expr(&mut self, expr: &str, place: &str) {
        let tokens = tokenize(expr);
        for (i, token) in tokens.iter().enumerate() {
            let Token::Ident(name) = token else { continue };
            if name.starts_with("casino_") {
                self.metrics
                    .entry(name.clone())
                    .or_default()
                    .insert(place.to_owned());
            }
            // Label matchers on the labels the server sets (not Prometheus' own job/instance).
            if matches!(name.as_str(), "job" | "instance" | "le") {
                continue;
            }
            let (Some(Token::Op(op)), Some(Token::Str(value))) =
                (tokens.get(i + 1), tokens.get(i + 2))
            else {
                continue;
            };
            let alternatives: Vec<&str> = match op.as_str() {
                "=" => vec![value.as_str()],
                // Only plain alternations: a real regex is not a list of values to look for.
                "=~" if value
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '|')) =>
                {
                    value.split('|').collect()
                }
                _ => continue,
            };
            for value in alternatives {
                self.label_values
                    .entry((name.clone(), value.to_owned()))
                    .or_default()
                    .insert(place.to_owned());
            }
        }
    }
}

/// One alert of alerts.yml, read line by line (the file is plain block YAML; the project has no
/// YAML parser and promtool checks the syntax).
#[derive(Debug, Default)]
struct Alert {
    name: String,
    expr: String,
    severity: Option<String>,
    runbook_url: Option<String>,
}

fn indent(line: &str) -> usize {
    line.len() - line.trim_start().len()
}

fn unquote(value: &str) -> String {
    let value = value.trim();
    for quote in ['"', '\''] {
        if let Some(inner) = value
            .strip_prefix(quote)
            .and_then(|rest| rest.strip_suffix(quote))
        {
            return inner.to_owned();
        }
    }
    value.to_owned()
}

fn parse_alerts(text: &str) -> Vec<Alert> {
    let lines: Vec<&str> = text.lines().collect();
    let mut alerts: Vec<Alert> = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        let line = lines[i];
        let trimmed = line.trim_start();
        i += 1;
        if trimmed.starts_with('#') {
            continue;
        }
        if let Some(name) = trimmed.strip_prefix("- alert:") {
            alerts.push(Alert {
                name: unquote(name),
                ..Alert::default()
            });
            continue;
        }
        let Some(alert) = alerts.last_mut() else {
            continue;
        };
        if let Some(value) = trimmed.strip_prefix("expr:") {
            let value = value.trim();
            if value.starts_with('|') || value.starts_with('>') {
                // A block scalar: every following line indented deeper than `expr:`.
                let own = indent(line);
                while i < lines.len() && (lines[i].trim().is_empty() || indent(lines[i]) > own) {
                    alert.expr.push_str(lines[i].trim());
                    alert.expr.push('\n');
                    i += 1;
                }
            } else {
                alert.expr = unquote(value);
            }
        } else if let Some(value) = trimmed.strip_prefix("severity:") {
            alert.severity = Some(unquote(value));
        } else if let Some(value) = trimmed.strip_prefix("runbook_url:") {
            alert.runbook_url = Some(unquote(value));
        }
    }
    alerts
}

/// Every dashboard JSON under ops/grafana/dashboards, by file name.
fn dashboards() -> Vec<(String, Value)> {
    let dir = repo_root().join("ops/grafana/dashboards");
    let mut found = Vec::new();
    for entry in std::fs::read_dir(&dir).unwrap_or_else(|err| panic!("{}: {err}", dir.display())) {
        let path = entry.expect("directory entry").path();
        if path.extension().is_some_and(|ext| ext == "json") {
            let text = std::fs::read_to_string(&path).expect("dashboard readable");
            let json: Value = serde_json::from_str(&text)
                .unwrap_or_else(|err| panic!("{} is not JSON: {err}", path.display()));
            found.push((
                path.file_name().unwrap().to_string_lossy().into_owned(),
                json,
            ));
        }
    }
    found.sort_by(|a, b| a.0.cmp(&b.0));
    found
}

/// Every query string of a dashboard (panel targets' `expr`, variables' `query`/`definition`).
fn dashboard_queries(value: &Value, out: &mut Vec<String>) {
    match value {
        Value::Object(map) => {
            for (key, value) in map {
                match (key.as_str(), value) {
                    ("expr" | "query" | "definition", Value::String(query)) => {
                        out.push(query.clone())
                    }
                    _ => dashboard_queries(value, out),
                }
            }
        }
        Value::Array(items) => items.iter().for_each(|item| dashboard_queries(item, out)),
        _ => {}
    }
}

/// Every panel of a dashboard, rows' nested panels included.
fn panels(dashboard: &Value) -> Vec<&Value> {
    let mut out = Vec::new();
    let mut stack: Vec<&Value> = dashboard["panels"]
        .as_array()
        .into_iter()
        .flatten()
        .collect();
    while let Some(panel) = stack.pop() {
        stack.extend(panel["panels"].as_array().into_iter().flatten());
        out.push(panel);
    }
    out
}

/// GitHub's anchor of a Markdown heading: lower case, punctuation dropped, spaces to hyphens.
fn anchor(heading: &str) -> String {
    heading
        .trim()
        .to_lowercase()
        .chars()
        .filter(|c| c.is_alphanumeric() || matches!(c, ' ' | '-' | '_'))
        .map(|c| if c == ' ' { '-' } else { c })
        .collect()
}

fn runbook_anchors() -> BTreeSet<String> {
    let mut in_code = false;
    read("docs/RUNBOOK.md")
        .lines()
        .filter(|line| {
            if line.trim_start().starts_with("```") {
                in_code = !in_code;
            }
            !in_code
        })
        .filter_map(|line| line.strip_prefix('#'))
        .map(|heading| anchor(heading.trim_start_matches('#')))
        .collect()
}

fn alerts() -> Vec<Alert> {
    parse_alerts(&read("ops/prometheus/alerts.yml"))
}

fn uses() -> Uses {
    let mut uses = Uses::default();
    for alert in alerts() {
        uses.add_expr(&alert.expr, &format!("alert {}", alert.name));
    }
    for (file, dashboard) in dashboards() {
        let mut queries = Vec::new();
        dashboard_queries(&dashboard, &mut queries);
        for query in queries {
            uses.add_expr(&query, &format!("dashboard {file}"));
        }
    }
    uses
}

/// `# TYPE name kind` lines of a scrape: family name → kind.
fn families(text: &str) -> BTreeMap<String, String> {
    text.lines()
        .filter_map(|line| line.strip_prefix("# TYPE "))
        .filter_map(|rest| rest.split_once(' '))
        .map(|(name, kind)| (name.to_owned(), kind.trim().to_owned()))
        .collect()
}

/// The family a series name belongs to: histogram series drop their suffix.
fn family_of(series: &str, families: &BTreeMap<String, String>) -> String {
    for suffix in ["_bucket", "_sum", "_count"] {
        if let Some(base) = series.strip_suffix(suffix) {
            if families.get(base).is_some_and(|kind| kind == "histogram") {
                return base.to_owned();
            }
        }
    }
    series.to_owned()
}

#[actix_web::test]
async fn a_fresh_server_exports_everything_the_dashboard_and_alerts_use() -> anyhow::Result<()> {
    let uses = uses();
    // The extraction itself works: it finds what the files are known to use.
    for known in [
        "casino_reconnections_attempted_total",
        "casino_reconnection_duration_seconds_bucket",
        "casino_move_duration_seconds_bucket",
        "casino_heartbeat_failures_total",
        "casino_active_rooms",
        "casino_log_batch_size_appends_bucket",
        "casino_token_rejections_total",
    ] {
        assert!(
            uses.metrics.contains_key(known),
            "{known} not found in the alerts and dashboards: {:?}",
            uses.metrics.keys()
        );
    }
    assert!(
        uses.label_values
            .contains_key(&("reason".to_owned(), "timeout".to_owned())),
        "label matchers not found: {:?}",
        uses.label_values.keys()
    );

    let server = TestServer::start(test_config()).await?;
    let text = server.metrics().await?;
    server.stop().await;
    let families = families(&text);
    assert!(
        families.len() >= 16,
        "a fresh server exports only {families:?}"
    );

    let mut missing = Vec::new();
    let mut used_families = BTreeSet::new();
    for (series, places) in &uses.metrics {
        let family = family_of(series, &families);
        if !families.contains_key(&family) {
            missing.push(format!("{series} (used by {places:?})"));
        }
        used_families.insert(family);
    }
    for ((label, value), places) in &uses.label_values {
        if !text.contains(&format!("{label}=\"{value}\"")) {
            missing.push(format!(
                "a series with {label}=\"{value}\" (used by {places:?})"
            ));
        }
    }
    assert!(
        missing.is_empty(),
        "used by the ops kit but not exported by a fresh server:\n  {}\n/metrics was:\n{text}",
        missing.join("\n  ")
    );

    // And the other way round: a metric nobody can see is a metric nobody watches.
    let unwatched: Vec<&String> = families
        .keys()
        .filter(|family| family.starts_with("casino_") && !used_families.contains(*family))
        .collect();
    assert!(
        unwatched.is_empty(),
        "exported but on no dashboard panel or alert: {unwatched:?}"
    );
    Ok(())
}

#[test]
fn every_alert_has_a_severity_and_a_runbook_section() {
    let alerts = alerts();
    assert!(alerts.len() >= 8, "alerts found: {alerts:?}");
    let anchors = runbook_anchors();
    for alert in &alerts {
        assert!(!alert.expr.trim().is_empty(), "{} has no expr", alert.name);
        assert!(
            matches!(alert.severity.as_deref(), Some("critical" | "warning")),
            "{}: severity {:?}",
            alert.name,
            alert.severity
        );
        let url = alert
            .runbook_url
            .as_deref()
            .unwrap_or_else(|| panic!("{} has no runbook_url", alert.name));
        let section = url.strip_prefix("docs/RUNBOOK.md#").unwrap_or_else(|| {
            panic!("{}: runbook_url {url} is not docs/RUNBOOK.md#…", alert.name)
        });
        assert_eq!(
            section,
            alert.name.to_lowercase(),
            "{}'s anchor",
            alert.name
        );
        assert!(
            anchors.contains(section),
            "{}: docs/RUNBOOK.md has no heading for #{section}",
            alert.name
        );
    }
}

#[test]
fn dashboards_use_the_datasource_variable() {
    let dashboards = dashboards();
    assert!(
        !dashboards.is_empty(),
        "no dashboard in ops/grafana/dashboards"
    );
    for (file, dashboard) in &dashboards {
        assert!(
            dashboard["uid"].as_str().is_some_and(|uid| !uid.is_empty()),
            "{file}: uid"
        );
        assert!(
            dashboard["schemaVersion"].as_u64().is_some_and(|v| v >= 36),
            "{file}: schemaVersion"
        );
        let variables = dashboard["templating"]["list"]
            .as_array()
            .unwrap_or_else(|| panic!("{file}: no templating list"));
        assert!(
            variables
                .iter()
                .any(|v| v["name"] == "datasource" && v["type"] == "datasource"),
            "{file}: no `datasource` variable"
        );
        let mut ids = BTreeSet::new();
        let panels = panels(dashboard);
        assert!(panels.len() >= 10, "{file}: {} panels", panels.len());
        for panel in panels {
            let title = panel["title"].as_str().unwrap_or("?");
            assert!(
                ids.insert(panel["id"].as_u64()),
                "{file}: panel {title} repeats an id"
            );
            let Some(targets) = panel["targets"].as_array() else {
                continue;
            };
            assert!(!targets.is_empty(), "{file}: panel {title} has no query");
            for target in std::iter::once(panel).chain(targets) {
                assert_eq!(
                    target["datasource"]["uid"], "${datasource}",
                    "{file}: panel {title} does not use the datasource variable"
                );
            }
        }
    }
}

#[test]
fn the_promql_scanner_reads_names_and_matchers() {
    let mut uses = Uses::default();
    uses.add_expr(
        r#"sum by (le) (rate(casino_a_bucket{instance=~"$instance", reason="x"}[5m])) / 2
           and on (instance) casino_b{kind=~"p|q", job="casino"} # casino_not_a_metric"#,
        "here",
    );
    let names: Vec<&String> = uses.metrics.keys().collect();
    assert_eq!(names, ["casino_a_bucket", "casino_b"]);
    let labels: Vec<(&str, &str)> = uses
        .label_values
        .keys()
        .map(|(l, v)| (l.as_str(), v.as_str()))
        .collect();
    assert_eq!(labels, [("kind", "p"), ("kind", "q"), ("reason", "x")]);
    assert_eq!(anchor("CasinoTargetDown"), "casinotargetdown");
    assert_eq!(
        anchor(" Secret rotation (sessions) "),
        "secret-rotation-sessions"
    );
}
