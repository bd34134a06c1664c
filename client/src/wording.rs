//! Counted nouns in players' words: "1 sweep", "2 sweeps", never "1 hand(s)".

/// `n` and the noun that agrees with it: `singular` for exactly one, `plural` otherwise
/// (English says "0 sweeps").
pub fn count(n: u64, singular: &str, plural: &str) -> String {
    let noun = if n == 1 { singular } else { plural };
    format!("{n} {noun}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_takes_the_singular_and_every_other_count_the_plural() {
        assert_eq!(count(1, "sweep", "sweeps"), "1 sweep");
        assert_eq!(count(2, "sweep", "sweeps"), "2 sweeps");
        assert_eq!(count(0, "sweep", "sweeps"), "0 sweeps");
        assert_eq!(count(1, "hand", "hands"), "1 hand");
        assert_eq!(count(11, "pt", "pts"), "11 pts");
    }
}
