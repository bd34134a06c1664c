//! Which variant of the rules a game uses (RULES §11). The default is the standard game to 21.

use serde::{Deserialize, Serialize};

/// The variant flags the engine implements.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Ruleset {
    /// Points needed to win (21; 11 with V-TARGET-11). Ignored when `single_hand` is set.
    pub target: u32,
    /// V-SINGLE-HAND: one hand is the whole game; equal hand scores are a draw.
    pub single_hand: bool,
    /// Sweeps score a point each (off with V-NO-SWEEPS).
    pub sweeps_score: bool,
}

impl Default for Ruleset {
    fn default() -> Self {
        Ruleset {
            target: 21,
            single_hand: false,
            sweeps_score: true,
        }
    }
}

/// A variant name the engine does not know.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "unknown or unsupported variant `{0}` (supported: V-TARGET-11, V-SINGLE-HAND, V-NO-SWEEPS)"
)]
pub struct UnknownVariant(pub String);

impl Ruleset {
    /// The variant names this engine supports.
    pub const VARIANTS: [&'static str; 3] = ["V-TARGET-11", "V-SINGLE-HAND", "V-NO-SWEEPS"];

    /// The default ruleset with the named variants (RULES §11 names) switched on.
    pub fn with_variants<S: AsRef<str>>(names: &[S]) -> Result<Ruleset, UnknownVariant> {
        let mut ruleset = Ruleset::default();
        for name in names {
            match name.as_ref().trim().to_ascii_uppercase().as_str() {
                "V-TARGET-11" => ruleset.target = 11,
                "V-SINGLE-HAND" => ruleset.single_hand = true,
                "V-NO-SWEEPS" => ruleset.sweeps_score = false,
                _ => return Err(UnknownVariant(name.as_ref().to_owned())),
            }
        }
        Ok(ruleset)
    }

    /// The names of the variants switched on, in RULES order.
    pub fn variants(&self) -> Vec<&'static str> {
        let mut names = Vec::new();
        if self.target == 11 {
            names.push("V-TARGET-11");
        }
        if self.single_hand {
            names.push("V-SINGLE-HAND");
        }
        if !self.sweeps_score {
            names.push("V-NO-SWEEPS");
        }
        names
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn variant_names_round_trip() {
        let r = Ruleset::with_variants(&["V-TARGET-11", "v-no-sweeps"]).expect("known");
        assert_eq!(r.target, 11);
        assert!(!r.sweeps_score);
        assert!(!r.single_hand);
        assert_eq!(r.variants(), vec!["V-TARGET-11", "V-NO-SWEEPS"]);
        assert_eq!(Ruleset::with_variants::<&str>(&[]), Ok(Ruleset::default()));
    }

    #[test]
    fn unknown_variant_is_refused() {
        assert!(Ruleset::with_variants(&["V-ROYAL"]).is_err());
    }
}
