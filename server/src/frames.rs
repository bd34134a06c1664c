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
}
