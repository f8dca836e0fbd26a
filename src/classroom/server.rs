//! The HTTP server: a small synchronous server (tiny_http) with a thread per request. Pages wait
//! for a change by long-polling (`since` = the version they have), so a hundred open pages are a
//! hundred sleeping threads and no busy loop. The room is behind one lock; the clock runs in its
//! own thread.

use super::api::{
    Action, ApiError, ChooseRequest, Chosen, ControlRequest, JoinRequest, Joined, parse_code,
    room_page, seat_page,
};
use super::assets;
use super::room::{Refusal, Room};
use super::transcript::transcript;
use crate::model::seat::Choice;
use serde::Serialize;
use std::io::Read;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Condvar, Mutex, MutexGuard};
use std::time::{Duration, Instant};
use tiny_http::{Header, Method, Request, Response};

/// The longest a page waits for a change before it is answered with the state it has.
const LONG_POLL: Duration = Duration::from_secs(20);
/// Requests handled at once, at most; past it a request is answered 503 at once.
const MAX_REQUESTS: usize = 512;
/// The largest request body read.
const MAX_BODY_BYTES: u64 = 16 << 10;

/// The secrets of a room.
#[derive(Debug, Clone)]
pub struct Secrets {
    /// The code students join with.
    pub code: String,
    /// The facilitator's key.
    pub key: String,
}

/// What to do once, when the game ends (save it).
pub type OnEnd = Box<dyn FnOnce(&Room) + Send>;

/// What the server shares between its threads.
pub struct Shared {
    room: Mutex<Room>,
    changed: Condvar,
    stopping: AtomicBool,
    active: AtomicUsize,
    secrets: Secrets,
    /// The scenario as named on the command line, and the SHA-256 of its resolved text.
    scenario: (String, String),
    tokens: Mutex<super::secret::Tokens>,
    /// Called once when the game ends (to save it).
    on_end: Mutex<Option<OnEnd>>,
}

impl Shared {
    /// Shares `room`, with its secrets and the scenario's label and fingerprint.
    pub fn new(
        room: Room,
        secrets: Secrets,
        scenario: (String, String),
        tokens: super::secret::Tokens,
        on_end: Option<OnEnd>,
    ) -> Arc<Shared> {
        Arc::new(Shared {
            room: Mutex::new(room),
            changed: Condvar::new(),
            stopping: AtomicBool::new(false),
            active: AtomicUsize::new(0),
            secrets,
            scenario,
            tokens: Mutex::new(tokens),
            on_end: Mutex::new(on_end),
        })
    }

    fn room(&self) -> MutexGuard<'_, Room> {
        self.room.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Wakes every waiting page, and saves the game once it is over.
    fn notify(&self, room: &Room) {
        if room.over()
            && let Some(f) = self.on_end.lock().unwrap_or_else(|e| e.into_inner()).take()
        {
            f(room);
        }
        self.changed.notify_all();
    }

    /// Whether the game is over.
    pub fn over(&self) -> bool {
        self.room().over()
    }

    /// Stops the clock thread and wakes every waiting page (the server is shutting down).
    pub fn stop(&self) {
        self.stopping.store(true, Ordering::SeqCst);
        self.changed.notify_all();
    }

    /// Waits until the room's version passes `since` (or the wait is over), then returns the lock.
    fn wait(&self, since: u64) -> MutexGuard<'_, Room> {
        let deadline = Instant::now() + LONG_POLL;
        let mut room = self.room();
        while room.version <= since && !self.stopping.load(Ordering::SeqCst) {
            let now = Instant::now();
            if now >= deadline {
                break;
            }
            room = self
                .changed
                .wait_timeout(room, deadline - now)
                .unwrap_or_else(|e| e.into_inner())
                .0;
        }
        room
    }

    /// Runs the room's clock: a step every `pace` while it runs, until the server stops.
    pub fn clock(&self, pace: Duration) {
        while !self.stopping.load(Ordering::SeqCst) {
            std::thread::sleep(pace);
            let mut room = self.room();
            if room.running && room.step() {
                self.notify(&room);
            }
        }
    }
}

fn header(name: &str, value: &str) -> Header {
    Header::from_bytes(name.as_bytes(), value.as_bytes())
        .expect("invariant: header names and values are ASCII constants")
}

type Reply = Response<std::io::Cursor<Vec<u8>>>;

fn body(status: u16, content_type: &str, bytes: Vec<u8>) -> Reply {
    Response::from_data(bytes)
        .with_status_code(status)
        .with_header(header("Content-Type", content_type))
        .with_header(header("Cache-Control", "no-store"))
        .with_header(header("X-Content-Type-Options", "nosniff"))
}

fn json<T: Serialize>(status: u16, value: &T) -> Reply {
    match serde_json::to_vec(value) {
        Ok(bytes) => body(status, "application/json; charset=utf-8", bytes),
        Err(e) => error(500, format!("cannot write the answer: {e}")),
    }
}

fn error(status: u16, message: impl Into<String>) -> Reply {
    let e = ApiError {
        error: message.into(),
    };
    let bytes = serde_json::to_vec(&e).unwrap_or_default();
    body(status, "application/json; charset=utf-8", bytes)
}

fn refused(r: Refusal) -> Reply {
    error(r.status, r.message)
}

/// The value of `name` in a query string (no percent-decoding: tokens, keys and numbers only).
fn query<'a>(url: &'a str, name: &str) -> Option<&'a str> {
    let q = url.split_once('?')?.1;
    q.split('&')
        .filter_map(|kv| kv.split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v)
}

fn since(url: &str) -> Result<u64, Reply> {
    match query(url, "since") {
        None => Ok(0),
        Some(s) => s
            .parse()
            .map_err(|_| error(400, format!("since={s} is not a version number"))),
    }
}

fn read_json<T: serde::de::DeserializeOwned>(request: &mut Request) -> Result<T, Reply> {
    let mut text = String::new();
    request
        .as_reader()
        .take(MAX_BODY_BYTES + 1)
        .read_to_string(&mut text)
        .map_err(|e| error(400, format!("cannot read the request: {e}")))?;
    if text.len() as u64 > MAX_BODY_BYTES {
        return Err(error(413, "the request is too large"));
    }
    serde_json::from_str(&text).map_err(|e| error(400, format!("malformed request: {e}")))
}

/// Compares secrets without stopping at the first difference.
fn same(a: &str, b: &str) -> bool {
    a.len() == b.len() && a.bytes().zip(b.bytes()).fold(0u8, |d, (x, y)| d | (x ^ y)) == 0
}

fn check_key(shared: &Shared, key: Option<&str>) -> Result<(), Reply> {
    match key {
        Some(k) if same(k, &shared.secrets.key) => Ok(()),
        _ => Err(error(
            401,
            "wrong facilitator key: open the facilitator's address the server printed",
        )),
    }
}

fn choice_of(code: &str) -> Result<Choice, Reply> {
    parse_code(code).ok_or_else(|| {
        error(
            400,
            format!("\"{code}\" is not a choice (a rung's number, admit or deny)"),
        )
    })
}

fn route(shared: &Shared, request: &mut Request) -> Reply {
    let url = request.url().to_string();
    let path = url.split('?').next().unwrap_or("");
    match (request.method(), path) {
        (Method::Get, "/") | (Method::Get, "/join") => {
            body(200, "text/html; charset=utf-8", assets::STUDENT_HTML.into())
        }
        (Method::Get, "/facilitator") => body(
            200,
            "text/html; charset=utf-8",
            assets::FACILITATOR_HTML.into(),
        ),
        (Method::Get, "/classroom.css") => body(200, "text/css; charset=utf-8", assets::CSS.into()),
        (Method::Get, "/classroom.js") => {
            body(200, "text/javascript; charset=utf-8", assets::JS.into())
        }
        (Method::Post, "/api/join") => {
            let r: JoinRequest = match read_json(request) {
                Ok(r) => r,
                Err(e) => return e,
            };
            if !same(r.code.trim().to_uppercase().as_str(), &shared.secrets.code) {
                return error(
                    403,
                    "wrong join code: ask the facilitator for the code on the screen",
                );
            }
            let token = shared
                .tokens
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .token();
            let mut room = shared.room();
            room.join(token.clone(), &r.name);
            let seat = room.game.params.states[room.game.seat].name.clone();
            shared.notify(&room);
            json(200, &Joined { token, seat })
        }
        (Method::Get, "/api/seat") => {
            let Some(token) = query(&url, "token") else {
                return error(401, "no token: join the seat with the room's code");
            };
            let since = match since(&url) {
                Ok(s) => s,
                Err(e) => return e,
            };
            let room = shared.wait(since);
            match room.student(token) {
                Ok(s) => json(200, &seat_page(&room, s)),
                Err(r) => refused(r),
            }
        }
        (Method::Post, "/api/choose") => {
            let r: ChooseRequest = match read_json(request) {
                Ok(r) => r,
                Err(e) => return e,
            };
            let choice = match choice_of(&r.choice) {
                Ok(c) => c,
                Err(e) => return e,
            };
            let mut room = shared.room();
            match room.choose(&r.token, r.point, choice) {
                Ok(taken) => {
                    shared.notify(&room);
                    json(200, &Chosen { taken })
                }
                Err(refusal) => refused(refusal),
            }
        }
        (Method::Get, "/api/room") => {
            if let Err(e) = check_key(shared, query(&url, "key")) {
                return e;
            }
            let since = match since(&url) {
                Ok(s) => s,
                Err(e) => return e,
            };
            let room = shared.wait(since);
            json(200, &room_page(&room, &shared.secrets.code))
        }
        (Method::Post, "/api/control") => {
            let r: ControlRequest = match read_json(request) {
                Ok(r) => r,
                Err(e) => return e,
            };
            if let Err(e) = check_key(shared, Some(&r.key)) {
                return e;
            }
            let mut room = shared.room();
            match r.action {
                Action::Start => room.run(true),
                Action::Pause => room.run(false),
                Action::Step => {
                    if !room.step() {
                        let why = if room.over() {
                            "the game is over"
                        } else {
                            "the seat's decision is open: it must be taken first"
                        };
                        return error(409, format!("cannot step: {why}"));
                    }
                }
                Action::Reveal => room.reveal(true),
                Action::Hide => room.reveal(false),
                Action::Lock => {
                    let (Some(point), Some(code)) = (r.point, r.choice.as_deref()) else {
                        return error(400, "lock needs the decision point and the choice");
                    };
                    let choice = match choice_of(code) {
                        Ok(c) => c,
                        Err(e) => return e,
                    };
                    if let Err(refusal) = room.lock(point, choice) {
                        return refused(refusal);
                    }
                }
            }
            shared.notify(&room);
            json(200, &room_page(&room, &shared.secrets.code))
        }
        (Method::Get, "/api/decisions") => {
            if let Err(e) = check_key(shared, query(&url, "key")) {
                return e;
            }
            let room = shared.room();
            let (label, sha) = &shared.scenario;
            let file = room.decision_file(label, sha);
            match super::decision_file_text(&file) {
                Ok(text) => body(200, "text/plain; charset=utf-8", text.into_bytes()),
                Err(e) => error(500, format!("{e:#}")),
            }
        }
        (Method::Get, "/api/transcript") => {
            if let Err(e) = check_key(shared, query(&url, "key")) {
                return e;
            }
            let (game, choices) = {
                let room = shared.room();
                if !room.over() {
                    return error(409, "the game is not over yet");
                }
                let choices: Vec<Choice> = room.decisions.iter().map(|d| d.taken.choice).collect();
                (room.game.clone(), choices)
            };
            body(
                200,
                "text/plain; charset=utf-8",
                transcript(&game, &choices).into_bytes(),
            )
        }
        (_, "/api/join" | "/api/choose" | "/api/control") => {
            error(405, format!("{path} takes POST"))
        }
        (_, p) if p.starts_with("/api/") => error(404, format!("no API {p}")),
        _ => error(404, format!("no page {path}")),
    }
}

/// Answers one request (in its own thread).
pub fn handle(shared: &Shared, mut request: Request) {
    let reply = route(shared, &mut request);
    // A page that went away before its answer is no error of the server's.
    let _ = request.respond(reply);
}

/// Serves `server` until it is unblocked: a thread per request, at most [`MAX_REQUESTS`] at once.
pub fn serve(shared: Arc<Shared>, server: &tiny_http::Server) {
    for request in server.incoming_requests() {
        if shared.active.fetch_add(1, Ordering::SeqCst) >= MAX_REQUESTS {
            shared.active.fetch_sub(1, Ordering::SeqCst);
            let _ = request.respond(error(503, "the server is busy: try again in a moment"));
            continue;
        }
        let s = shared.clone();
        let spawned = std::thread::Builder::new()
            .name("classroom-request".into())
            .spawn(move || {
                handle(&s, request);
                s.active.fetch_sub(1, Ordering::SeqCst);
            });
        if spawned.is_err() {
            shared.active.fetch_sub(1, Ordering::SeqCst);
        }
    }
}
