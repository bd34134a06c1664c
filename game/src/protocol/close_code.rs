//! Why the server closes a game socket: each reason has its WebSocket close code (docs/API.md
//! "Close codes"), shared by the server that sends it and the clients that act on it.

/// A documented close of a game socket.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CloseCode {
    /// The player sent `leave` (1000): the session has ended.
    Left,
    /// A WebSocket protocol error (1002).
    ProtocolError,
    /// A frame larger than the limit (1009).
    FrameTooLarge,
    /// Reconnect (1012): the room is served anew — reloaded after a storage error, handed to
    /// another node, or this node is draining. The reconnect lands on the room's owner.
    RoomReloading,
    /// The server holds its maximum of sockets already; try again later (1013).
    ServerFull,
    /// `hello` did not come in time (4001).
    HelloTimeout,
    /// The client speaks another protocol version (4002).
    UnsupportedProtocol,
    /// The room does not exist (any more), or the session does not hold its seat (4004).
    RoomGone,
    /// The client did not read its socket; its outgoing buffer filled up (4008).
    SlowConsumer,
    /// A newer connection took this seat (4009).
    SessionMoved,
    /// The player came back after the return window; the session has expired (4010).
    SessionExpired,
    /// Nothing was heard from the socket for the heartbeat timeout (4011).
    HeartbeatTimeout,
    /// The client kept flooding past the rate limit (4029).
    RateLimited,
}

impl CloseCode {
    /// Every close code the server sends.
    pub const ALL: [CloseCode; 13] = [
        CloseCode::Left,
        CloseCode::ProtocolError,
        CloseCode::FrameTooLarge,
        CloseCode::RoomReloading,
        CloseCode::ServerFull,
        CloseCode::HelloTimeout,
        CloseCode::UnsupportedProtocol,
        CloseCode::RoomGone,
        CloseCode::SlowConsumer,
        CloseCode::SessionMoved,
        CloseCode::SessionExpired,
        CloseCode::HeartbeatTimeout,
        CloseCode::RateLimited,
    ];

    /// The WebSocket close code.
    pub fn code(self) -> u16 {
        match self {
            CloseCode::Left => 1000,
            CloseCode::ProtocolError => 1002,
            CloseCode::FrameTooLarge => 1009,
            CloseCode::RoomReloading => 1012,
            CloseCode::ServerFull => 1013,
            CloseCode::HelloTimeout => 4001,
            CloseCode::UnsupportedProtocol => 4002,
            CloseCode::RoomGone => 4004,
            CloseCode::SlowConsumer => 4008,
            CloseCode::SessionMoved => 4009,
            CloseCode::SessionExpired => 4010,
            CloseCode::HeartbeatTimeout => 4011,
            CloseCode::RateLimited => 4029,
        }
    }

    /// The reason of a close code the server sends; `None` for any other code.
    pub fn from_code(code: u16) -> Option<CloseCode> {
        CloseCode::ALL.into_iter().find(|c| c.code() == code)
    }

    /// The short text sent with the close frame.
    pub fn description(self) -> &'static str {
        match self {
            CloseCode::Left => "left the room",
            CloseCode::ProtocolError => "websocket protocol error",
            CloseCode::FrameTooLarge => "frame too large",
            CloseCode::RoomReloading => "room reloading, reconnect",
            CloseCode::ServerFull => "server full, try again later",
            CloseCode::HelloTimeout => "hello timeout",
            CloseCode::UnsupportedProtocol => "unsupported protocol version",
            CloseCode::RoomGone => "room not found",
            CloseCode::SlowConsumer => "outgoing buffer full",
            CloseCode::SessionMoved => "session moved to another connection",
            CloseCode::SessionExpired => "this game session has expired",
            CloseCode::HeartbeatTimeout => "heartbeat timeout",
            CloseCode::RateLimited => "rate limit exceeded",
        }
    }

    /// Whether a client should stop for good after this close instead of reconnecting: the
    /// seat is gone from this connection (left, moved, expired, room gone).
    pub fn is_final(self) -> bool {
        matches!(
            self,
            CloseCode::Left
                | CloseCode::RoomGone
                | CloseCode::SessionMoved
                | CloseCode::SessionExpired
                | CloseCode::UnsupportedProtocol
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_distinct_and_found_back() {
        for close in CloseCode::ALL {
            assert_eq!(CloseCode::from_code(close.code()), Some(close));
        }
        assert_eq!(CloseCode::from_code(1006), None);
        assert!(CloseCode::SessionMoved.is_final());
        assert!(!CloseCode::HeartbeatTimeout.is_final());
    }
}
