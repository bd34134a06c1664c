//! A client's text frame as a [`ClientMessage`]: malformed JSON, an unknown `type` and a known
//! type with bad fields are told apart, each with its error code. Pure, unit-tested.

use game::protocol::{ClientMessage, ErrorCode};

/// The `type`s a client may send (to tell an unknown type from a malformed known one).
const CLIENT_TYPES: [&str; 8] = [
    "hello",
    "ping",
    "action",
    "takeover",
    "leave",
    "claim_victory",
    "wait",
    "next_hand",
];

/// Parses a text frame: malformed JSON, an unknown `type` and a known type with bad fields
/// are told apart.
pub fn parse(text: &str) -> Result<ClientMessage, (ErrorCode, String)> {
    let value: serde_json::Value = serde_json::from_str(text)
        .map_err(|err| (ErrorCode::MalformedJson, format!("not valid JSON: {err}")))?;
    let kind = value
        .get("type")
        .and_then(serde_json::Value::as_str)
        .map(str::to_owned)
        .ok_or((
            ErrorCode::InvalidMessage,
            "a message is a JSON object with a string \"type\"".to_owned(),
        ))?;
    if !CLIENT_TYPES.contains(&kind.as_str()) {
        let kind: String = kind.chars().take(32).collect();
        return Err((
            ErrorCode::UnknownMessage,
            format!("unknown message type {kind:?}"),
        ));
    }
    serde_json::from_value(value).map_err(|err| {
        (
            ErrorCode::InvalidMessage,
            format!("invalid {kind} message: {err}"),
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn frames_are_classified() {
        assert_eq!(
            parse("{nope").map_err(|e| e.0),
            Err(ErrorCode::MalformedJson)
        );
        assert_eq!(
            parse("[1,2]").map_err(|e| e.0),
            Err(ErrorCode::InvalidMessage)
        );
        assert_eq!(
            parse(r#"{"type":"dance"}"#).map_err(|e| e.0),
            Err(ErrorCode::UnknownMessage)
        );
        assert_eq!(
            parse(r#"{"type":"ping"}"#).map_err(|e| e.0),
            Err(ErrorCode::InvalidMessage)
        );
        assert_eq!(
            parse(r#"{"type":"ping","t":5}"#),
            Ok(ClientMessage::Ping { t: 5 })
        );
    }

    /// One message of every kind; the match fails to compile when a kind is added, so that it
    /// is added here and to `CLIENT_TYPES` too.
    fn one_of_each() -> Vec<ClientMessage> {
        let all = vec![
            ClientMessage::Hello {
                protocol: 2,
                last_seq: 0,
            },
            ClientMessage::Ping { t: 1 },
            ClientMessage::Action {
                action_id: "a".to_owned(),
                mv: serde_json::from_str(r#"{"type":"trail","card":"7C"}"#).expect("a move"),
            },
            ClientMessage::Takeover,
            ClientMessage::Leave,
            ClientMessage::ClaimVictory,
            ClientMessage::Wait,
            ClientMessage::NextHand { hand: 1 },
        ];
        for message in &all {
            match message {
                ClientMessage::Hello { .. }
                | ClientMessage::Ping { .. }
                | ClientMessage::Action { .. }
                | ClientMessage::Takeover
                | ClientMessage::Leave
                | ClientMessage::ClaimVictory
                | ClientMessage::Wait
                | ClientMessage::NextHand { .. } => {}
            }
        }
        all
    }

    #[test]
    fn every_kind_of_message_is_known_and_parses_back() {
        let all = one_of_each();
        assert_eq!(all.len(), CLIENT_TYPES.len());
        for message in all {
            let text = serde_json::to_string(&message).expect("json");
            assert_eq!(parse(&text), Ok(message), "{text}");
        }
    }
}
