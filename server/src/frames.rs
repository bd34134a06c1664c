//! A client's text frame as a [`ClientMessage`]: malformed JSON, a key given twice, an unknown
//! `type` and a known type with bad fields are told apart, each with its error code. Pure,
//! unit-tested.

use std::fmt;

use game::protocol::{ClientMessage, ErrorCode};
use serde::de::{self, Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Number, Value};

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

/// Parses a text frame: malformed JSON, a key given twice in one object (at any depth), an
/// unknown `type` and a known type with bad fields are told apart.
pub fn parse(text: &str) -> Result<ClientMessage, (ErrorCode, String)> {
    let value = serde_json::from_str::<Strict>(text)
        .map(|strict| strict.0)
        .map_err(|err| match err.classify() {
            // The only data error a JSON value can have: a key given twice.
            serde_json::error::Category::Data => (ErrorCode::DuplicateKey, err.to_string()),
            _ => (ErrorCode::MalformedJson, format!("not valid JSON: {err}")),
        })?;
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

/// A JSON value read the way `serde_json::Value` is, except that an object giving a key twice
/// is an error: serde_json keeps the last one, another parser (a proxy, a logger) may keep the
/// first, and a message must not mean two things.
struct Strict(Value);

impl<'de> Deserialize<'de> for Strict {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(StrictVisitor).map(Strict)
    }
}

struct StrictVisitor;

impl<'de> Visitor<'de> for StrictVisitor {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_bool<E>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }

    fn visit_i64<E>(self, v: i64) -> Result<Value, E> {
        Ok(Value::Number(v.into()))
    }

    fn visit_u64<E>(self, v: u64) -> Result<Value, E> {
        Ok(Value::Number(v.into()))
    }

    fn visit_f64<E>(self, v: f64) -> Result<Value, E> {
        Ok(Number::from_f64(v).map_or(Value::Null, Value::Number))
    }

    fn visit_str<E>(self, v: &str) -> Result<Value, E> {
        Ok(Value::String(v.to_owned()))
    }

    fn visit_string<E>(self, v: String) -> Result<Value, E> {
        Ok(Value::String(v))
    }

    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(64));
        while let Some(Strict(item)) = seq.next_element()? {
            items.push(item);
        }
        Ok(Value::Array(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut object = Map::new();
        while let Some(key) = map.next_key::<String>()? {
            if object.contains_key(&key) {
                let key: String = key.chars().take(32).collect();
                return Err(de::Error::custom(format_args!(
                    "the key {key:?} is given twice in one object"
                )));
            }
            let Strict(value) = map.next_value()?;
            object.insert(key, value);
        }
        Ok(Value::Object(object))
    }
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

    #[test]
    fn a_key_given_twice_is_refused_at_any_depth() {
        for text in [
            r#"{"type":"ping","t":1,"type":"leave"}"#,
            r#"{"type":"ping","t":1,"t":2}"#,
            r#"{"type":"action","action_id":"a","move":{"type":"trail","card":"7C","card":"8C"}}"#,
            r#"{"type":"hello","protocol":2,"last_seq":0,"extra":[{"k":1,"k":1}]}"#,
        ] {
            assert_eq!(
                parse(text).map_err(|e| e.0),
                Err(ErrorCode::DuplicateKey),
                "{text}"
            );
        }
        // The same key in two different objects is no duplicate.
        assert!(
            parse(r#"{"type":"action","action_id":"a","move":{"type":"trail","card":"7C"}}"#)
                .is_ok()
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
