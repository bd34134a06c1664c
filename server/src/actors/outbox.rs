//! The way a room talks to one socket: a bounded queue of server messages. A socket that stops
//! reading fills it and is dropped (close code 4008) instead of growing the server's memory.
//!
//! The socket's actor only runs when actix-web polls the response body, which it stops doing
//! while the connection's write buffer is full — exactly when the reader is slow. A close frame
//! sent to that actor would wait for ever, so the outbox also knows the connection's socket and
//! has its worker shut it down, which ends the connection (and the actor) from below.

use std::any::Any;
use std::sync::atomic::{AtomicI64, AtomicUsize, Ordering};
use std::sync::{Arc, Weak};

use actix::prelude::*;
use game::protocol::{CloseCode, ServerMessage};

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
    /// Why.
    pub code: CloseCode,
}

/// The descriptor of an accepted connection, recorded by [`on_connect`] so that the WebSocket
/// route can take a [`ConnSocket`] while the connection is alive.
#[derive(Debug, Clone, Copy)]
pub struct ConnFd(#[cfg(unix)] std::os::fd::RawFd);

/// `HttpServer::on_connect` hook: turns Nagle's algorithm off on each TCP connection and
/// remembers its descriptor. A move's `ack` and its `event` leave as two small writes; with
/// Nagle the second waited for the peer's delayed ACK (40 ms on Linux, seen in a capture of a
/// room at zero think time: 20 moves/s), so every message goes out as soon as it is written.
pub fn on_connect(conn: &dyn Any, ext: &mut actix_web::dev::Extensions) {
    if let Some(tcp) = conn.downcast_ref::<actix_web::rt::net::TcpStream>() {
        if let Err(err) = tcp.set_nodelay(true) {
            log::debug!("cannot set TCP_NODELAY: {err}");
        }
        #[cfg(unix)]
        {
            use std::os::fd::AsRawFd;
            ext.insert(ConnFd(tcp.as_raw_fd()));
        }
    }
}

/// The connection's socket as its actor sees it: the descriptor recorded at accept and the
/// worker thread that owns the connection. Owned by the socket's actor, which lives exactly as
/// long as the connection (both belong to the worker's HTTP dispatcher and are dropped together),
/// so while the actor is alive the descriptor is the connection's, and on the worker's thread
/// nothing can close it under us. No duplicate descriptor: one per player.
#[derive(Debug)]
pub struct ConnSocket {
    #[cfg(unix)]
    fd: std::os::fd::RawFd,
    thread: actix::ArbiterHandle,
}

impl ConnSocket {
    /// The socket of `req`'s connection. Call it while handling `req`, on its worker.
    pub fn of(req: &actix_web::HttpRequest) -> Option<Arc<ConnSocket>> {
        #[cfg(unix)]
        {
            let fd = req.conn_data::<ConnFd>()?.0;
            let thread = actix::Arbiter::try_current()?;
            Some(Arc::new(ConnSocket { fd, thread }))
        }
        #[cfg(not(unix))]
        {
            let _ = req;
            None
        }
    }

    /// Shuts the connection down in both directions, which ends the worker's dispatcher and the
    /// socket's actor with it. Runs on the worker's thread, only while the actor holds `socket`.
    fn shut_down(socket: Weak<ConnSocket>, conn_id: u64) {
        let Some(thread) = socket.upgrade().map(|s| s.thread.clone()) else {
            return;
        };
        thread.spawn(async move {
            #[cfg(unix)]
            if let Some(socket) = socket.upgrade() {
                // SAFETY: the actor holding `socket` is alive and we are on the thread that
                // would drop it and the connection: the descriptor is open and is this
                // connection's for the whole of this borrow.
                let fd = unsafe { std::os::fd::BorrowedFd::borrow_raw(socket.fd) };
                if let Err(err) = socket2::SockRef::from(&fd).shutdown(std::net::Shutdown::Both) {
                    log::debug!("socket {conn_id}: shutdown: {err}");
                }
            }
            #[cfg(not(unix))]
            let _ = (socket, conn_id);
        });
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
    socket: Weak<ConnSocket>,
    last_beat: Arc<AtomicI64>,
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
        socket: Weak<ConnSocket>,
        last_beat: Arc<AtomicI64>,
    ) -> Self {
        Self {
            conn_id,
            deliver,
            close,
            pending,
            limit: limit.max(1),
            socket,
            last_beat,
        }
    }

    /// When the socket last received a frame (ms since the epoch). Read for
    /// `/api/heartbeat`; whether that makes the socket healthy is the heartbeat monitor's call.
    pub fn last_beat(&self) -> i64 {
        self.last_beat.load(Ordering::Acquire)
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
    pub fn close(&self, code: CloseCode) {
        self.close.do_send(CloseSocket { code });
        if code == CloseCode::SlowConsumer {
            // The actor is not running (see the module comment): end the connection from
            // below. Its close frame can never reach a peer that does not read anyway.
            ConnSocket::shut_down(self.socket.clone(), self.conn_id);
        }
    }
}
