//! The way a room talks to one socket: a bounded queue of server messages. A socket that stops
//! reading fills it and is dropped (close code 4008) instead of growing the server's memory.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use actix::prelude::*;
use game::protocol::ServerMessage;

/// Sends one protocol message down a socket.
#[derive(Debug, Message)]
#[rtype(result = "()")]
pub struct Deliver {
    /// The message.
    pub message: ServerMessage,
}

/// Closes a socket for a reason.
#[derive(Debug, Message)]
#[rtype(result = "()")]
pub struct CloseSocket {
    /// Why; decides the close code.
    pub reason: SocketCloseReason,
}

/// Why the server closes a socket; each has its documented close code (docs/PROTOCOL.md).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SocketCloseReason {
    /// `hello` did not come in time.
    HelloTimeout,
    /// The client speaks another protocol version.
    UnsupportedProtocol,
    /// The room does not exist (any more).
    RoomGone,
    /// The client did not read its socket; its outgoing buffer filled up.
    SlowConsumer,
    /// A newer connection took this seat.
    SessionMoved,
    /// The client kept flooding past the rate limit.
    RateLimited,
    /// A frame larger than the limit.
    FrameTooLarge,
    /// A WebSocket protocol error.
    ProtocolError,
    /// The room is reloading from the database after a storage error; reconnect.
    RoomReloading,
}

impl SocketCloseReason {
    /// The WebSocket close code.
    pub fn code(self) -> u16 {
        match self {
            SocketCloseReason::HelloTimeout => 4001,
            SocketCloseReason::UnsupportedProtocol => 4002,
            SocketCloseReason::RoomGone => 4004,
            SocketCloseReason::SlowConsumer => 4008,
            SocketCloseReason::SessionMoved => 4009,
            SocketCloseReason::RateLimited => 4029,
            SocketCloseReason::FrameTooLarge => 1009,
            SocketCloseReason::ProtocolError => 1002,
            SocketCloseReason::RoomReloading => 1012,
        }
    }

    /// Short description sent with the close frame.
    pub fn description(self) -> &'static str {
        match self {
            SocketCloseReason::HelloTimeout => "hello timeout",
            SocketCloseReason::UnsupportedProtocol => "unsupported protocol version",
            SocketCloseReason::RoomGone => "room not found",
            SocketCloseReason::SlowConsumer => "outgoing buffer full",
            SocketCloseReason::SessionMoved => "session moved to another connection",
            SocketCloseReason::RateLimited => "rate limit exceeded",
            SocketCloseReason::FrameTooLarge => "frame too large",
            SocketCloseReason::ProtocolError => "websocket protocol error",
            SocketCloseReason::RoomReloading => "room reloading, reconnect",
        }
    }
}

/// A socket as a room sees it.
#[derive(Clone)]
pub struct Outbox {
    /// Unique per socket, to tell a seat's old connection from its new one.
    pub conn_id: u64,
    deliver: Recipient<Deliver>,
    close: Recipient<CloseSocket>,
    pending: Arc<AtomicUsize>,
    limit: usize,
}

/// The socket cannot take more.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OutboxFull {
    /// Too many messages not yet written: the reader is too slow.
    Slow,
    /// The socket is gone.
    Closed,
}

impl Outbox {
    /// An outbox for socket `conn_id`; `pending` is decremented by the socket as it writes.
    pub fn new(
        conn_id: u64,
        deliver: Recipient<Deliver>,
        close: Recipient<CloseSocket>,
        pending: Arc<AtomicUsize>,
        limit: usize,
    ) -> Self {
        Self {
            conn_id,
            deliver,
            close,
            pending,
            limit: limit.max(1),
        }
    }

    /// Queues `message`, unless the socket is gone or behind by `limit` messages.
    pub fn send(&self, message: ServerMessage) -> Result<(), OutboxFull> {
        if !self.deliver.connected() {
            return Err(OutboxFull::Closed);
        }
        if self.pending.load(Ordering::Acquire) >= self.limit {
            return Err(OutboxFull::Slow);
        }
        self.pending.fetch_add(1, Ordering::AcqRel);
        self.deliver.do_send(Deliver { message });
        Ok(())
    }

    /// Asks the socket to close (bypasses the bound: one message).
    pub fn close(&self, reason: SocketCloseReason) {
        self.close.do_send(CloseSocket { reason });
    }
}
