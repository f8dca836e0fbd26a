//! `escalate classroom`: the game of `escalate play` in a browser (see [`crate::classroom`]).

use crate::classroom::decision_file_text;
use crate::classroom::room::{Accept, Room};
use crate::classroom::secret::Tokens;
use crate::classroom::server::{OnEnd, Secrets, Shared, serve};
use crate::demo::arm_by_name;
use crate::error::InputError;
use crate::files::write_new_atomically;
use crate::play::Game;
use crate::scenario::compile::ExitRule;
use anyhow::Context;
use clap::Args;
use std::net::{IpAddr, Ipv4Addr, SocketAddr, UdpSocket};
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

/// Help after the options.
pub const HELP: &str = "\
The room: one game of `escalate play` on a local web server. The facilitator's
page (for the projector, 1920×1080) shows the ladder of each pair of states
over time, the events as they happen with the narration, who sits in each
seat, and the controls: start, pause, step, reveal the truth, and lock the
seat's choice; at the end, the truth and the seat's path beside its
doctrine's in the same world. Students open the address on a phone or a
laptop and join with the code: they see only what their state knows, its
options and its doctrine's choice, and choose. Several students may sit in
one seat: with --decide first (the default) the first valid choice is the
room's and later ones are refused; with --decide vote each student votes and
the facilitator locks the choice. With no student in the seat, the model
plays it (its doctrine's choice). The other states are always played by the
model.

A page that reloads or loses its connection rejoins the same seat (the page
keeps its token). A request with a wrong token or key, for a decision that is
not open, or with a choice that is not an option is refused with a JSON error
and changes nothing.

The server listens on 127.0.0.1 (this machine only) unless --bind names
another address (0.0.0.0: every interface, for a room on one network); every
page and script is inside the binary, so no internet is needed. It prints the
facilitator's address (with a secret key: keep it off the projector) and the
students' address with the join code. Ctrl-C stops it.

Saved games: --save FILE writes the game's decisions when it ends, in the
format of `escalate play --save` (never replacing a file), so
`escalate play --replay FILE` prints the same game; the facilitator's page
also offers the file. The model is the one `play` runs: the same seed, arm and
seat give the same world.

Exit codes: 0 stopped with Ctrl-C, 1 a runtime error (the port is taken),
2 bad input (a flag, a scenario).

Examples:
  escalate classroom                                # classroom scenario, port 8080
  escalate classroom --seat Borealis --arm with-channels --seed 12
  escalate classroom --bind 0.0.0.0 --port 8000 --decide vote --save class1.ron
  escalate play --replay class1.ron                 # the same game, as text";

/// How the room takes the seat's decisions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum DecideArg {
    /// The first valid choice of a student (or the facilitator's) is taken.
    First,
    /// Students vote; the facilitator locks the choice.
    Vote,
}

/// Options of `escalate classroom`.
#[derive(Debug, Args)]
#[command(after_long_help = HELP)]
pub struct ClassroomArgs {
    /// Scenario file (RON), or builtin:NAME. Without it, the built-in classroom scenario.
    pub scenario: Option<PathBuf>,
    /// The state whose seat the students take (its name, in any case). Default: the scenario's
    /// first state.
    #[arg(long, value_name = "STATE")]
    pub seat: Option<String>,
    /// Arm to play, by slug ("without-channels", "with-channels", …) or exact name. Default: the
    /// scenario's first arm.
    #[arg(long, value_name = "ARM")]
    pub arm: Option<String>,
    /// Seed of the world (master seed, replicate 0). Default: the scenario's `demo_seed`, else `seed`.
    #[arg(long)]
    pub seed: Option<u64>,
    /// Port to listen on (0: any free port, printed at start).
    #[arg(long, default_value_t = 8080)]
    pub port: u16,
    /// Address to listen on: 127.0.0.1 (this machine only) unless given; 0.0.0.0 for every
    /// interface (students on the same network).
    #[arg(long, value_name = "ADDR", default_value = "127.0.0.1")]
    pub bind: IpAddr,
    /// How the seat's decisions are taken: the first valid choice, or the students' votes
    /// locked by the facilitator.
    #[arg(long, value_enum, default_value_t = DecideArg::First)]
    pub decide: DecideArg,
    /// Seconds between two steps of the clock when it runs (a step: the next day with an event).
    #[arg(long, value_name = "SECONDS", default_value_t = 1.5)]
    pub pace: f64,
    /// Write the game's decisions to FILE (RON, as `escalate play --save`) when it ends; never
    /// replaces an existing file.
    #[arg(long, value_name = "FILE")]
    pub save: Option<PathBuf>,
}

fn flag(flag: &str, message: impl Into<String>) -> anyhow::Error {
    InputError::Flag {
        flag: flag.into(),
        message: message.into(),
    }
    .into()
}

/// The address of this machine on its network (the interface a packet would leave by; a UDP
/// "connection" sends nothing), for the students' address when listening on every interface.
fn lan_address() -> Option<IpAddr> {
    let socket = UdpSocket::bind((Ipv4Addr::UNSPECIFIED, 0)).ok()?;
    // TEST-NET-1 (RFC 5737): never routed, only used to pick the outgoing interface.
    socket.connect((Ipv4Addr::new(192, 0, 2, 1), 9)).ok()?;
    let ip = socket.local_addr().ok()?.ip();
    (!ip.is_unspecified()).then_some(ip)
}

/// Runs `escalate classroom` until Ctrl-C.
pub fn classroom(a: ClassroomArgs) -> anyhow::Result<()> {
    if !(a.pace.is_finite() && a.pace > 0.0 && a.pace <= 3600.0) {
        return Err(flag(
            "--pace",
            format!("{} is not a number of seconds in (0, 3600]", a.pace),
        ));
    }
    let (params, label, sha) = super::play::game_scenario(a.scenario.as_deref())?;
    let seat = match &a.seat {
        None => 0,
        Some(wanted) => params
            .states
            .iter()
            .position(|s| s.name.eq_ignore_ascii_case(wanted.trim()))
            .ok_or_else(|| {
                flag(
                    "--seat",
                    format!(
                        "no state \"{wanted}\"; the states are {}",
                        params
                            .states
                            .iter()
                            .map(|s| s.name.as_str())
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                )
            })?,
    };
    let arm = match &a.arm {
        Some(g) => arm_by_name(&params, g).map_err(|m| flag("--arm", m))?,
        None => 0,
    };
    // As in `escalate play`: a withdrawal decided by a doctrine replays the replicate from the
    // start, which would ask the seat its questions twice.
    if let Some(w) = params.arms[arm]
        .withdrawals
        .iter()
        .find(|w| !matches!(w.rule, ExitRule::Day(_)))
    {
        return Err(flag(
            "--arm",
            format!(
                "the arm \"{}\" has {} leave {} when its doctrine decides, which a game cannot play \
                 yet; choose an arm without such a withdrawal (escalate validate lists the arms)",
                params.arms[arm].name, params.states[w.by].name, params.measures[w.measure].name
            ),
        ));
    }
    let seed = a
        .seed
        .unwrap_or(params.scenario.demo_seed.unwrap_or(params.scenario.seed));
    if let Some(path) = &a.save
        && path.exists()
    {
        return Err(flag(
            "--save",
            format!(
                "{} already exists; choose another name (a saved game is never replaced)",
                path.display()
            ),
        ));
    }
    let accept = match a.decide {
        DecideArg::First => Accept::First,
        DecideArg::Vote => Accept::Vote,
    };
    let game = Game {
        params: params.clone(),
        seat,
        arm,
        seed,
    };
    let server = tiny_http::Server::http(SocketAddr::new(a.bind, a.port))
        .map_err(|e| anyhow::anyhow!("cannot listen on {}:{}: {e}", a.bind, a.port))?;
    let port = server
        .server_addr()
        .to_ip()
        .map_or(a.port, |addr| addr.port());
    let server = Arc::new(server);

    let mut tokens = Tokens::new();
    let secrets = Secrets {
        code: tokens.code(),
        key: tokens.token(),
    };
    let save = a.save.clone();
    let on_end: Option<OnEnd> = save.map(|path| {
        let (label, sha) = (label.clone(), sha.clone());
        Box::new(move |room: &Room| {
            let file = room.decision_file(&label, &sha);
            let written = decision_file_text(&file)
                .and_then(|text| write_new_atomically(&path, text.as_bytes()));
            match written {
                Ok(()) => eprintln!("Game saved to {}.", path.display()),
                Err(e) => eprintln!("Error: cannot save the game to {}: {e:#}", path.display()),
            }
        }) as OnEnd
    });
    let room = Room::new(game, accept);
    let shared = Shared::new(room, secrets.clone(), (label.clone(), sha), tokens, on_end);

    let host = if a.bind.is_unspecified() {
        lan_address().map_or_else(|| "THIS-MACHINE".to_string(), |ip| ip.to_string())
    } else {
        a.bind.to_string()
    };
    let host = if host.contains(':') {
        format!("[{host}]")
    } else {
        host
    };
    println!(
        "escalate classroom: the seat of {} in {} (arm \"{}\", seed {seed}).",
        params.states[seat].name, params.scenario.name, params.arms[arm].name
    );
    println!(
        "Facilitator (keep this address off the projector): http://{host}:{port}/facilitator#key={}",
        secrets.key
    );
    println!(
        "Students: open http://{host}:{port}/ and join with the code {}  (or http://{host}:{port}/?code={})",
        secrets.code, secrets.code
    );
    if a.bind.is_loopback() {
        println!("Listening on this machine only; --bind 0.0.0.0 lets the room's devices in.");
    }
    println!("Ctrl-C stops the server.");

    {
        let (s, srv) = (shared.clone(), server.clone());
        ctrlc::set_handler(move || {
            s.stop();
            srv.unblock();
        })
        .context("cannot catch Ctrl-C")?;
    }
    let clock = {
        let s = shared.clone();
        let pace = Duration::from_secs_f64(a.pace);
        std::thread::Builder::new()
            .name("classroom-clock".into())
            .spawn(move || s.clock(pace))
            .context("cannot start the clock")?
    };
    serve(shared.clone(), &server);
    shared.stop();
    let _ = clock.join();
    println!("Stopped.");
    if a.save.is_some() && !shared.over() {
        eprintln!("The game was not finished: nothing was saved.");
    }
    Ok(())
}
