//! The rule variants a new room can be made with (RULES §11, `game::Ruleset`), as the home page
//! offers them — a game length and "no sweeps" — and the short line that names a room's rules.

use game::Ruleset;
use serde::{Deserialize, Serialize};

/// How long a game lasts.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum GameLength {
    /// The standard game: hands until someone reaches 21 points.
    #[default]
    To21,
    /// Hands until someone reaches 11 points (V-TARGET-11).
    To11,
    /// One hand is the whole game (V-SINGLE-HAND).
    OneHand,
}

/// The choices of the "New game" form.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct GameOptions {
    /// How long the game lasts.
    pub length: GameLength,
    /// Sweeps score nothing (V-NO-SWEEPS).
    pub no_sweeps: bool,
}

impl GameOptions {
    /// The variant names to send with `POST /api/rooms` (none for the standard game).
    pub fn variants(&self) -> Vec<&'static str> {
        let mut names = Vec::new();
        match self.length {
            GameLength::To21 => {}
            GameLength::To11 => names.push("V-TARGET-11"),
            GameLength::OneHand => names.push("V-SINGLE-HAND"),
        }
        if self.no_sweeps {
            names.push("V-NO-SWEEPS");
        }
        names
    }
}

impl From<Ruleset> for GameOptions {
    fn from(ruleset: Ruleset) -> Self {
        // A single hand ignores the target, so it wins over "to 11".
        let length = if ruleset.single_hand {
            GameLength::OneHand
        } else if ruleset.target == 11 {
            GameLength::To11
        } else {
            GameLength::To21
        };
        GameOptions {
            length,
            no_sweeps: !ruleset.sweeps_score,
        }
    }
}

/// The rules of a room in a few words: "Game to 21", "Game to 11 · no sweeps", "One hand".
pub fn ruleset_line(ruleset: &Ruleset) -> String {
    let length = if ruleset.single_hand {
        "One hand".to_owned()
    } else {
        format!("Game to {}", ruleset.target)
    };
    if ruleset.sweeps_score {
        length
    } else {
        format!("{length} · no sweeps")
    }
}

/// The ruleset named by a room's `variants` (as `GET /api/rooms/{code}` lists them); unknown
/// names are skipped, so that a newer server's variant does not hide the rest.
pub fn ruleset_of(variants: &[String]) -> Ruleset {
    let known: Vec<&String> = variants
        .iter()
        .filter(|v| Ruleset::with_variants(&[v.as_str()]).is_ok())
        .collect();
    Ruleset::with_variants(&known).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn options(length: GameLength, no_sweeps: bool) -> GameOptions {
        GameOptions { length, no_sweeps }
    }

    #[test]
    fn every_choice_names_variants_the_engine_accepts() {
        for length in [GameLength::To21, GameLength::To11, GameLength::OneHand] {
            for no_sweeps in [false, true] {
                let chosen = options(length, no_sweeps);
                let ruleset = Ruleset::with_variants(&chosen.variants()).expect("known variants");
                assert_eq!(
                    GameOptions::from(ruleset),
                    chosen,
                    "round trip of {chosen:?}"
                );
            }
        }
        assert!(
            GameOptions::default().variants().is_empty(),
            "standard game"
        );
        assert_eq!(
            options(GameLength::To11, true).variants(),
            ["V-TARGET-11", "V-NO-SWEEPS"]
        );
        assert_eq!(
            options(GameLength::OneHand, false).variants(),
            ["V-SINGLE-HAND"]
        );
    }

    #[test]
    fn the_line_says_length_then_sweeps() {
        let line = |names: &[&str]| ruleset_line(&Ruleset::with_variants(names).expect("known"));
        assert_eq!(line(&[]), "Game to 21");
        assert_eq!(
            line(&["V-TARGET-11", "V-NO-SWEEPS"]),
            "Game to 11 · no sweeps"
        );
        assert_eq!(line(&["V-SINGLE-HAND"]), "One hand");
        assert_eq!(line(&["V-SINGLE-HAND", "V-TARGET-11"]), "One hand");
    }

    #[test]
    fn a_room_s_variants_are_read_leniently() {
        let names = |v: &[&str]| v.iter().map(|s| (*s).to_owned()).collect::<Vec<_>>();
        assert_eq!(
            ruleset_of(&names(&["V-TARGET-11", "V-FROM-THE-FUTURE"])).target,
            11
        );
        assert_eq!(ruleset_of(&[]), Ruleset::default());
    }
}
