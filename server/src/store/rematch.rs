//! The rematch's room: made once with both players and one session per seat, and each seat's
//! session handed out again (signed from its row) however often the finished room is asked.

use chrono::Utc;
use entity::players;
use entity::rooms::{self, RoomStatus};
use game::{Ruleset, Seat};
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter};

use super::rooms::{begin_room, insert_player, issue_session, Issuer, NewSeat};
use super::{sessions, StoreError};
use crate::clock::{from_ms, to_ms};
use crate::room::AwayFields;
use crate::token::TokenSigner;

/// What the rematch of a finished room is made of: both players, seats swapped.
pub struct NewRematch<'a> {
    /// The finished room's id (its `rematch_code` is set).
    pub finished_room: i64,
    /// Names by seat of the new room.
    pub names: [&'a str; 2],
    /// The rules variant of the finished game.
    pub ruleset: Ruleset,
    /// The new deal's secret seed.
    pub seed: u64,
    /// The salt of the new deal's commitment.
    pub salt: String,
    /// Both players count as away until their first socket.
    pub away: AwayFields,
    /// Lifetime of each seat's session, in ms.
    pub session_ttl_ms: i64,
}

/// A seat of the rematch's room as the finished room's endpoint hands it out.
#[derive(Debug, Clone)]
pub enum RematchSeat {
    /// The seat's one live session, its token signed for the player.
    Seated(NewSeat),
    /// The player left the rematch's room: no session for them any more.
    Left,
    /// No such room or seat.
    Missing,
}

/// Creates the rematch's room with both seats taken (the game starts when the room loads) and
/// one session per seat, and notes its code on the finished room, in one transaction. Returns
/// the new code; each player's token comes from [`rematch_session`].
pub async fn create_rematch(
    db: &DatabaseConnection,
    new: NewRematch<'_>,
) -> Result<String, StoreError> {
    let (txn, room, now) =
        begin_room(db, RoomStatus::Playing, new.ruleset, new.seed, &new.salt).await?;
    let created_ms = to_ms(now);
    let expires_at = from_ms(created_ms.saturating_add(new.session_ttl_ms));
    for seat in Seat::BOTH {
        let player =
            insert_player(&txn, room.id, seat, new.names[seat.index()], new.away, now).await?;
        let nonce = TokenSigner::new_nonce();
        let created_at = from_ms(created_ms);
        sessions::insert(&txn, room.id, player.id, &nonce, created_at, expires_at).await?;
    }
    rooms::Entity::update_many()
        .col_expr(rooms::Column::RematchCode, Expr::value(room.code.clone()))
        .col_expr(rooms::Column::UpdatedAt, Expr::value(now))
        .filter(rooms::Column::Id.eq(new.finished_room))
        .exec(&txn)
        .await?;
    txn.commit().await?;
    Ok(room.code)
}

/// The session of `seat` in room `code` (a rematch's room): its live session, the same token
/// every time (signed again from the row), so a page already in the room keeps its seat and no
/// row is added. A room made before its sessions were made with it, or whose session passed
/// its 24 h, gets one new session.
pub async fn rematch_session(
    db: &DatabaseConnection,
    code: &str,
    seat: Seat,
    issuer: &Issuer<'_>,
) -> Result<RematchSeat, StoreError> {
    let Some(room) = rooms::Entity::find()
        .filter(rooms::Column::Code.eq(code))
        .one(db)
        .await?
    else {
        return Ok(RematchSeat::Missing);
    };
    let Some(player) = players::Entity::find()
        .filter(players::Column::RoomId.eq(room.id))
        .filter(players::Column::Seat.eq(i16::from(u8::from(seat))))
        .one(db)
        .await?
    else {
        return Ok(RematchSeat::Missing);
    };
    if player.left_at.is_some() {
        return Ok(RematchSeat::Left);
    }
    let now = Utc::now();
    let seated = match sessions::live_of_player(db, player.id, now).await? {
        Some(session) => {
            let (created_at, expires_at) = (to_ms(session.created_at), to_ms(session.expires_at));
            NewSeat {
                room_id: room.id,
                player_id: player.id,
                token: issuer.signer.issue_with_nonce(
                    &room.code,
                    player.id,
                    &player.name,
                    created_at,
                    expires_at,
                    session.token_nonce,
                ),
                expires_at,
            }
        }
        None => issue_session(db, &room, &player, issuer, now).await?,
    };
    Ok(RematchSeat::Seated(seated))
}
