//! Checks one move against the mover's hand and the table and computes its effect, in the order
//! of RULES §5.7 (first failure wins). Pure: inputs are borrowed, the result is new data.

use crate::card::Card;
use crate::error::RuleError;
use crate::moves::Move;
use crate::seat::Seat;
use crate::table::{Build, BuildId, Table};

/// The effect of a legal move on the mover's hand and the table.
#[derive(Debug, Clone)]
pub(crate) struct Resolved {
    /// The mover's hand afterwards.
    pub hand: Vec<Card>,
    /// The table afterwards.
    pub table: Table,
    /// Table cards captured (the played card is not included).
    pub captured: Vec<Card>,
    /// The capture cleared the table (R-SWEEP).
    pub sweep: bool,
    /// The build made or changed, as it stands afterwards.
    pub build: Option<Build>,
    /// The builds a capture took whole, as they stood.
    pub taken_builds: Vec<Build>,
}

/// Validates `mv` for `seat` holding `hand` and computes the result.
pub(crate) fn resolve(
    hand: &[Card],
    table: &Table,
    seat: Seat,
    mv: &Move,
) -> Result<Resolved, RuleError> {
    let card = mv.card();
    let pos = hand
        .iter()
        .position(|c| *c == card)
        .ok_or(RuleError::CardNotInHand { card })?;
    let mut rest = hand.to_vec();
    rest.remove(pos);
    let mut next = table.clone();

    let mut taken_builds = Vec::new();
    let (captured, changed) = match mv {
        Move::Trail { card } => {
            if let Some(owned) = table.builds.iter().find(|b| b.owner == seat) {
                return Err(RuleError::OwnerMayNotTrail { value: owned.value });
            }
            next.loose.push(*card);
            (Vec::new(), None)
        }
        Move::Capture {
            card,
            builds,
            loose,
        } => (
            capture(&mut next, *card, builds, loose, &mut taken_builds)?,
            None,
        ),
        Move::Build {
            card,
            value,
            with,
            absorb,
        } => {
            numeral(*card)?;
            if *value > 10 {
                return Err(RuleError::BuildOver10 { value: *value });
            }
            check_distinct(with, absorb)?;
            take_loose(&mut next, with)?;
            check_total(*value, std::iter::once(*card).chain(with.iter().copied()))?;
            let absorbed = take_groups(&mut next, absorb, *value)?;
            if with.is_empty() && absorb.is_empty() {
                return Err(RuleError::BuildNeedsTableCard);
            }
            let mut first = vec![*card];
            first.extend_from_slice(with);
            let mut components = vec![first];
            components.extend(absorbed);
            (
                Vec::new(),
                Some(place_build(&mut next, *value, components, seat, None)),
            )
        }
        Move::Increase {
            card,
            build,
            with,
            absorb,
        } => {
            let target = find_build(table, *build)?;
            if !with.is_empty() {
                return Err(RuleError::IncreaseHandCardOnly);
            }
            let v = numeral(*card)?;
            if !target.is_single() {
                return Err(RuleError::MultipleBuildLocked {
                    value: target.value,
                });
            }
            let value = target.value.saturating_add(v);
            if value > 10 {
                return Err(RuleError::BuildOver10 { value });
            }
            check_distinct(&[], absorb)?;
            let absorbed = take_groups(&mut next, absorb, value)?;
            let mut first: Vec<Card> = target.cards().collect();
            first.push(*card);
            let mut components = vec![first];
            components.extend(absorbed);
            (
                Vec::new(),
                Some(place_build(
                    &mut next,
                    value,
                    components,
                    seat,
                    Some(*build),
                )),
            )
        }
        Move::Add {
            card,
            build,
            with,
            absorb,
        } => {
            let target = find_build(table, *build)?;
            numeral(*card)?;
            check_distinct(with, absorb)?;
            take_loose(&mut next, with)?;
            check_total(
                target.value,
                std::iter::once(*card).chain(with.iter().copied()),
            )?;
            let absorbed = take_groups(&mut next, absorb, target.value)?;
            let mut first = vec![*card];
            first.extend_from_slice(with);
            let mut components = target.components.clone();
            components.push(first);
            components.extend(absorbed);
            (
                Vec::new(),
                Some(place_build(
                    &mut next,
                    target.value,
                    components,
                    seat,
                    Some(*build),
                )),
            )
        }
    };

    // R-BUILD-HOLD for the build just made or changed, then R-OWNER-KEEP for every other one.
    let holds = |value: u8| rest.iter().any(|c| c.value() == Some(value));
    if let Some(changed) = &changed {
        if !holds(changed.value) {
            return Err(RuleError::NoCapturingCard {
                value: changed.value,
            });
        }
    }
    if let Some(uncovered) = next
        .builds
        .iter()
        .find(|b| b.owner == seat && !holds(b.value))
    {
        return Err(RuleError::OwnerMustKeepCapturingCard {
            value: uncovered.value,
        });
    }

    let sweep = matches!(mv, Move::Capture { .. }) && next.is_empty();
    Ok(Resolved {
        hand: rest,
        table: next,
        captured,
        sweep,
        build: changed,
        taken_builds,
    })
}

/// The value of a numeral card; face cards have none (R-VALUE).
fn numeral(card: Card) -> Result<u8, RuleError> {
    card.value().ok_or(RuleError::FaceCardNotNumeric { card })
}

fn find_build(table: &Table, id: BuildId) -> Result<&Build, RuleError> {
    table.build(id).ok_or(RuleError::UnknownBuild { build: id })
}

/// No card named twice across `with` and the absorbed groups.
fn check_distinct(with: &[Card], groups: &[Vec<Card>]) -> Result<(), RuleError> {
    let mut seen: Vec<Card> = Vec::new();
    for card in with.iter().chain(groups.iter().flatten()) {
        if seen.contains(card) {
            return Err(RuleError::CardUsedTwice {
                what: card.pretty(),
            });
        }
        seen.push(*card);
    }
    Ok(())
}

/// Removes the named loose numerals from the table, explaining any that cannot be taken.
fn take_loose(table: &mut Table, cards: &[Card]) -> Result<(), RuleError> {
    for &card in cards {
        if let Some(i) = table.loose.iter().position(|c| *c == card) {
            numeral(card)?;
            table.loose.remove(i);
        } else if let Some(build) = table.build_holding(card) {
            return Err(RuleError::BuildNotWhole {
                card,
                value: build.value,
            });
        } else {
            return Err(RuleError::CardNotOnTable { card });
        }
    }
    Ok(())
}

/// Checks that the cards total exactly `value`.
fn check_total(value: u8, cards: impl Iterator<Item = Card> + Clone) -> Result<(), RuleError> {
    let total: u32 = cards
        .clone()
        .map(|c| u32::from(c.value().unwrap_or(0)))
        .sum();
    if total == u32::from(value) {
        Ok(())
    } else {
        Err(RuleError::SetDoesNotTotal {
            value,
            cards: cards.collect(),
        })
    }
}

/// Removes absorbed groups (each totalling `value`) from the loose cards (R-BUILD-ABSORB).
fn take_groups(
    table: &mut Table,
    groups: &[Vec<Card>],
    value: u8,
) -> Result<Vec<Vec<Card>>, RuleError> {
    for group in groups {
        take_loose(table, group)?;
        if group.is_empty() {
            return Err(RuleError::SetDoesNotTotal {
                value,
                cards: Vec::new(),
            });
        }
        check_total(value, group.iter().copied())?;
    }
    Ok(groups.to_vec())
}

/// Puts a build of `value` made of `components` on the table, owned by `owner`.
/// `replacing` is the build it grew from; a build of the same value already there merges in
/// (R-BUILD-UNIQUE). Returns the build as placed.
fn place_build(
    table: &mut Table,
    value: u8,
    mut components: Vec<Vec<Card>>,
    owner: Seat,
    replacing: Option<BuildId>,
) -> Build {
    let mut id = replacing;
    if let Some(old) = replacing {
        table.builds.retain(|b| b.id != old);
    }
    if let Some(i) = table.builds.iter().position(|b| b.value == value) {
        let existing = table.builds.remove(i);
        // The surviving id is the older build's, so a client's reference stays valid.
        id = Some(match id {
            Some(own) if own < existing.id => own,
            _ => existing.id,
        });
        let mut merged = existing.components;
        merged.append(&mut components);
        components = merged;
    }
    let id = match id {
        Some(id) => id,
        None => table.allocate_build_id(),
    };
    let build = Build {
        id,
        value,
        components,
        owner,
    };
    table.builds.push(build.clone());
    build
}

/// Takes builds and loose cards with `card` (R-CAP-FACE, R-CAP-NUM, R-CAP-BUILD); the builds
/// taken whole go to `taken` as they stood.
fn capture(
    table: &mut Table,
    card: Card,
    builds: &[BuildId],
    loose: &[Card],
    taken: &mut Vec<Build>,
) -> Result<Vec<Card>, RuleError> {
    if builds.is_empty() && loose.is_empty() {
        return Err(RuleError::NothingCaptured);
    }
    check_distinct(loose, &[])?;
    for (i, id) in builds.iter().enumerate() {
        if builds[..i].contains(id) {
            return Err(RuleError::CardUsedTwice {
                what: format!("build {id}"),
            });
        }
    }
    let mut captured = Vec::new();
    let Some(value) = card.value() else {
        // A face card pairs with exactly one loose card of its rank.
        let pairs = builds.is_empty() && loose.len() == 1 && loose[0].rank == card.rank;
        if !pairs {
            // Name a missing card before explaining the face-card rule.
            for &c in loose {
                if !table.loose.contains(&c) && table.build_holding(c).is_none() {
                    return Err(RuleError::CardNotOnTable { card: c });
                }
            }
            return Err(RuleError::FaceCardSingleOnly { card });
        }
        take_any(table, loose)?;
        captured.extend_from_slice(loose);
        return Ok(captured);
    };
    for &id in builds {
        let build = find_build(table, id)?;
        if build.value != value {
            return Err(RuleError::BuildWrongValue {
                build_value: build.value,
                card_value: value,
            });
        }
    }
    take_loose(table, loose)?;
    let values: Vec<u8> = loose.iter().filter_map(|c| c.value()).collect();
    if !partitions_into(&values, value) {
        return Err(RuleError::SetDoesNotTotal {
            value,
            cards: loose.to_vec(),
        });
    }
    captured.extend_from_slice(loose);
    for &id in builds {
        if let Some(i) = table.builds.iter().position(|b| b.id == id) {
            let build = table.builds.remove(i);
            captured.extend(build.cards());
            taken.push(build);
        }
    }
    Ok(captured)
}

/// Removes loose cards of any kind (a face card's pair).
fn take_any(table: &mut Table, cards: &[Card]) -> Result<(), RuleError> {
    for &card in cards {
        match table.loose.iter().position(|c| *c == card) {
            Some(i) => {
                table.loose.remove(i);
            }
            None => {
                return Err(match table.build_holding(card) {
                    Some(build) => RuleError::BuildNotWhole {
                        card,
                        value: build.value,
                    },
                    None => RuleError::CardNotOnTable { card },
                })
            }
        }
    }
    Ok(())
}

/// Whether `values` split into groups each totalling `target` (RULES §5.2's algorithm: take the
/// largest remaining value, search for a subset of the rest completing it, recurse).
pub(crate) fn partitions_into(values: &[u8], target: u8) -> bool {
    let mut sorted = values.to_vec();
    sorted.sort_unstable_by(|a, b| b.cmp(a));
    let mut used = vec![false; sorted.len()];
    partition_rest(&sorted, &mut used, target)
}

fn partition_rest(values: &[u8], used: &mut [bool], target: u8) -> bool {
    let Some(first) = used.iter().position(|u| !u) else {
        return true;
    };
    used[first] = true;
    let ok = complete_group(values, used, first + 1, values[first], target);
    used[first] = false;
    ok
}

/// Extends the open group (current `sum`) with unused values from `from` on; when it reaches
/// `target`, partitions the rest.
fn complete_group(values: &[u8], used: &mut [bool], from: usize, sum: u8, target: u8) -> bool {
    if sum == target {
        return partition_rest(values, used, target);
    }
    if sum > target {
        return false;
    }
    for i in from..values.len() {
        if used[i] || sum + values[i] > target {
            continue;
        }
        // Skip equal values already tried at this depth (same outcome).
        if i > from && values[i] == values[i - 1] && !used[i - 1] {
            continue;
        }
        used[i] = true;
        if complete_group(values, used, i + 1, sum + values[i], target) {
            used[i] = false;
            return true;
        }
        used[i] = false;
    }
    false
}

#[cfg(test)]
mod tests {
    use super::partitions_into;

    #[test]
    fn partition_examples() {
        assert!(partitions_into(&[7], 7));
        assert!(partitions_into(&[3, 4, 7], 7));
        assert!(partitions_into(&[5, 2, 4, 3], 7));
        assert!(partitions_into(&[1, 2, 3, 4, 5, 6, 7], 7)); // 7, 6+1, 5+2, 4+3
        assert!(!partitions_into(&[3, 4, 5], 7));
        assert!(!partitions_into(&[8], 7));
        assert!(!partitions_into(&[1, 1, 2, 6], 5));
        assert!(partitions_into(&[2, 2, 3, 3], 5));
        assert!(partitions_into(&[], 5));
    }
}
