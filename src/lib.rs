//! # trucban — the duty-desk console of Lai Châu province police
//!
//! ## Map
//!
//! | module | owns | must not |
//! |---|---|---|
//! | [`domain`] | record types, IDs, text rules (NFC, hostile characters, folding), local time and the [`domain::Clock`] (the host clock is read only by `Clock::system`, which only the edges call), dates as each language shows them (`domain/time/shown.rs`), lodging rules (declaration deadlines, inspection priority), the screening scorer ([`domain::screening`]) and hit rules, duty shifts, the handover sheet ([`domain::handover`]), what the status line counts ([`domain::duty`]) and "Shift at a glance" gathers ([`domain::glance`]), the periodic report arithmetic and the plan's targets ([`domain::report::plan`]: clearance, offences against the baseline, tips in time), cases and the Penal Code's penalty brackets that make a case serious ([`domain::cases`], [`domain::offences`]), roles and accounts ([`domain::access`]) and the audit hash chains, one per unit ([`domain::audit`]) | know ratatui or sled |
//! | [`store`] | the [`store::Backend`] trait — everything the service asks of storage: get, pages, typed lookups ([`store::Lookup`]), counts, ID reservation, one atomic write (and one in parts, for large imports: `store/parts.rs` on sled), audit, accounts, restricted values, the change cursor, check, backup — its sled engine [`store::SledBackend`] (the default): trees, key encoding, value envelope and versions, indexes, durability (fsync and the seal), `check`, backup and restore; its PostgreSQL engine [`store::PgBackend`] (`--database`): schema migrations, typed columns per lookup, the change feed read below xmin, NOTIFY wake-ups, the append-only audit chains (one per unit, each under its own lock); and [`store::moving`], a store moved between the two | decide UI behaviour; be named by sled or keys outside `src/store/` |
//! | [`search`] | folding, query parsing, the packed index and its file format, ranking | read the store |
//! | [`service`] | the API the console and CLI use ([`service::DeskApi`], generated from the one list of requests in `service/requests.rs`) over any [`store::Backend`]; import/export files; the live search index beside the store; officers' sessions — roles, lock, audit — ([`service::session`]); who is at the daemon's door ([`service::gate`]); the daemon `trucban serve` ([`service::daemon`]; what it pushes unasked — records changed through another daemon, a database that does not answer — in `daemon/follow.rs`), its socket protocol ([`service::wire`]) and its client ([`service::RemoteDesk`]) | render anything; name sled or build keys |
//! | [`app`] | the console: its pure core — the messages ([`app::messages`]: `Action` and the `Ctx` it is read in, `Effect`s out in an `Outcome`), [`app::update`] and its handlers over [`app::state`] and the data it holds (table, forms, keymap, command line, roster page, lock) — and the shell ([`app::shell`]) that runs it against the terminal, the service, the drafts on disk and a [`domain::Clock`], loading views and details (`shell/present*.rs`) at the `now` it is handed | draw widgets; in the core: name the service, read the clock or import the shell (`tests/guards.rs`) |
//! | [`ui`] | drawing from `&State` | do I/O or change state |
//! | [`cli`] | subcommands, exit codes, machine-readable output; which desk a command uses (`cli/open.rs`: `--socket` means the daemon or an error; only `seed`, `gen`, `demo`, `import` and `restore` make a store) and one way to it (`cli/desks.rs`: the daemon's session, or the store owner's session over the store, so every command acts and is audited the same both ways); the host clock, read once per run | hold business logic |
//! | [`sample`] | the seeded generator of fictional data (the sample and benchmark stores) | be used for real data |
//! | [`i18n`] | the two interface languages, and [`i18n::Said`]: a message in both, made where it is said (import problems, refusals, errors across the socket) | |
//! | [`durable`] | names that survive a power cut: fsync of a directory, `create_dir_all` that syncs each parent it adds to | decide what must be durable (its callers do) |
//! | [`progress`] | how far long work has got (stages and counts), said by the code doing it and shown only by a view the command line installs on a terminal | draw, or know terminals |
//!
//! ## Data flow
//!
//! ```text
//! key ─► App::press(KeyPress, now) ─► Action ─► app::update::update(&mut State, Action, &Ctx { now, keymap })
//!                                                              ─► Outcome { effects: Vec<Effect>, redraw }
//!                                                                         │
//! screen ◄── ui::render(&State) ◄── (changed?) ◄── shell performs effect ─┴─► DeskApi ─► LocalDesk ─► dyn Backend (SledBackend | PgBackend)
//! ```
//!
//! The shell ([`app::App`]) stamps every action with its [`domain::Clock`]; `App::act` runs
//! [`app::update::update`] — pure: no service, no clock but `Ctx.now` — and `App::perform` does
//! each [`app::messages::Effect`] against the [`service::DeskApi`] (views and details through
//! `app/shell/present*.rs`, the roster page through `app/shell/roster_loader.rs`, saves, drafts
//! on disk), turning each answer into the next action (`Loaded`, `DetailLoaded`, `Saved`, …).
//! The screen is drawn with `ui::render(frame, &State, &Theme, &Keymap)` only when an
//! `Outcome` says it changed.
//!
//! A write goes `DeskApi::save/import` → [`service::session::SessionDesk`] (locked? role
//! allowed?) → [`service::LocalDesk`] (IDs, references, validation) → [`store::Backend::write`]
//! (one transaction — in the sled engine, one sled transaction — over the record, its index
//! entries and its reference checks, the change log entry and the audit entry) → fsync. Only then is it reported saved. Over the
//! daemon the same path runs in `trucban serve`, behind [`service::RemoteDesk`]. An import is
//! read twice: checked whole first (`service/local/file_check.rs`), then written
//! (`service/local/import.rs`), in one transaction or, past 10,000 rows, through
//! [`store::Backend::write_in_parts`], still all or nothing.
//!
//! Search: the index is built from the records once, saved to `search-index` beside the
//! store, and kept current from the store's change log (`store/changes.rs`): see
//! `service/live_search.rs`.

pub mod app;
pub mod cli;
pub mod domain;
pub mod durable;
pub mod i18n;
pub mod progress;
pub mod sample;
pub mod search;
pub mod service;
pub mod store;
pub mod ui;
