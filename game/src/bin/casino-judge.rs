//! `casino-judge [CASE.json]`: rules on a Casino position + move (stdin when no file is given).
//! Prints the verdict as JSON. Exit status: 0 ruled (legal or not), 1 an `expect` was not met,
//! 2 unreadable input.

use std::io::Read;
use std::process::ExitCode;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.iter().any(|a| a == "-h" || a == "--help") {
        println!("usage: casino-judge [CASE.json]   (reads stdin without a file)\nformat: game/README.md");
        return ExitCode::SUCCESS;
    }
    let input = match args.first().map(String::as_str) {
        Some(path) if path != "-" => std::fs::read_to_string(path),
        _ => {
            let mut s = String::new();
            std::io::stdin().read_to_string(&mut s).map(|_| s)
        }
    };
    let input = match input {
        Ok(s) => s,
        Err(e) => {
            eprintln!("casino-judge: cannot read input: {e}");
            return ExitCode::from(2);
        }
    };
    match game::judge::judge_json(&input) {
        Ok(verdict) => {
            let unmet = match &verdict {
                serde_json::Value::Array(items) => items.iter().any(unmet),
                one => unmet(one),
            };
            match serde_json::to_string_pretty(&verdict) {
                Ok(text) => println!("{text}"),
                Err(e) => {
                    eprintln!("casino-judge: {e}");
                    return ExitCode::from(2);
                }
            }
            if unmet {
                ExitCode::from(1)
            } else {
                ExitCode::SUCCESS
            }
        }
        Err(e) => {
            eprintln!("casino-judge: not a valid case: {e}");
            ExitCode::from(2)
        }
    }
}

fn unmet(verdict: &serde_json::Value) -> bool {
    verdict.get("expect_met") == Some(&serde_json::Value::Bool(false))
}
