//! What each subcommand does: find its desk (see `open.rs`), call the service, print.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use crate::domain::{Clock, Kind};
use crate::i18n::Lang;
use crate::service::{DeskApi, Format, LocalDesk};

use super::args::{
    AccountCommand, AuditCommand, Cli, Command, ConsoleArgs, ExportFormat, HandoverCommand,
    RosterCommand,
};
use super::desks::{Desks, owner_session, with_config};
use super::open::{AnyDesk, Opener};
use super::sample_data;

use super::output::{BAD_INPUT, write_atomically};

/// Runs the command; a failure is said on stderr in the reader's language, with its code.
pub fn run(cli: Cli) -> ExitCode {
    let console = cli.console.clone();
    let config = match load_config(&console) {
        Ok(config) => config,
        // The config did not say the language: `--lang`, else `LANG`.
        Err(e) => return super::told::report(&e, resolve_lang(cli.lang, &Default::default())),
    };
    let lang = resolve_lang(cli.lang, &config);
    if super::progress::is_long(&cli.command) {
        super::progress::install_on_terminal(lang);
    }
    match run_in(cli, console, config, lang) {
        Ok(code) => code,
        Err(e) => super::told::report(&e, lang),
    }
}

fn run_in(
    cli: Cli,
    console: ConsoleArgs,
    config: super::config::Config,
    lang: Lang,
) -> anyhow::Result<ExitCode> {
    let opener = Opener {
        socket: cli.socket.clone(),
        data_dir: cli.data_dir.clone(),
        database: cli.database.clone().or_else(|| config.database.clone()),
        // The one read of the host clock: everything below is handed this clock.
        clock: Clock::system(),
    };
    let clock = opener.clock.clone();
    let desks = Desks {
        opener: &opener,
        config: &config,
        officer: console.officer.or(config.officer),
    };
    match cli.command {
        None => {
            let dir = opener.data_dir()?;
            let options = console_options(&console, &config, cli.lang, &dir)?;
            let officer = options.officer;
            // Connecting takes milliseconds, and a socket that does not answer or a store
            // that is not there is said before the terminal is touched. Opening the store
            // takes longer: it happens after the first frame.
            let remote = opener.remote()?;
            if remote.is_none() {
                opener.must_exist(&dir)?;
            }
            crate::app::run_console(
                || -> anyhow::Result<AnyDesk> {
                    Ok(match remote {
                        // The console reconnects by itself when the daemon restarts.
                        Some((remote, _)) => Box::new(remote.following()),
                        None => {
                            let desk = with_config(opener.existing(&dir)?, &config);
                            Box::new(owner_session(&desk, officer, &clock)?)
                        }
                    })
                },
                options,
                clock.clone(),
            )?;
        }
        Some(Command::Demo) => {
            opener.store_only("demo")?;
            return demo(&opener, &console, &config, cli.lang);
        }
        Some(Command::Serve) => {
            let desk = with_config(opener.existing(&opener.data_dir()?)?, &config);
            super::daemon::serve(desk, cli.socket, &config.daemon, lang)?;
        }
        Some(Command::Seed { .. }) => {
            opener.store_only("seed --sample")?;
            let dir = opener.data_dir()?;
            let desk = opener.create(&dir)?;
            if let Some(code) = refuse_if_not_empty(&desk, &dir, "seed --sample", lang)? {
                return Ok(code);
            }
            let records = sample_data::sample_records(clock.now())?;
            desk.load(&records)?;
            let (n, dir) = (lang.number(records.len()), opener.shown(&dir));
            say!(
                "{}",
                lang.pick_owned(
                    &format!("Đã nạp {n} hồ sơ của bộ dữ liệu mẫu hư cấu vào {dir}"),
                    &format!("{n} records of the fictional sample loaded into {dir}"),
                )
            )?;
        }
        Some(Command::Gen {
            scale,
            guests,
            seed,
        }) => {
            opener.store_only("gen")?;
            let dir = opener.data_dir()?;
            let desk = opener.create(&dir)?;
            if let Some(code) = refuse_if_not_empty(&desk, &dir, "gen", lang)? {
                return Ok(code);
            }
            let started = std::time::Instant::now();
            let guests = guests.unwrap_or(scale);
            // Persons, their notices and the guests: counted as they come.
            crate::progress::stage(crate::progress::Stage::Generating, None);
            crate::sample::scale(scale, guests, seed, &mut |chunk| {
                crate::progress::advance(chunk.len() as u64);
                Ok(desk.store().bulk_load(&chunk)?)
            })?;
            desk.prepare_search()?;
            crate::progress::finish();
            let (dir, secs) = (opener.shown(&dir), started.elapsed().as_secs_f64());
            let (people, stays) = (lang.number(scale as usize), lang.number(guests as usize));
            say!(
                "{}",
                lang.pick_owned(
                    &format!("Đã tạo {people} nhân thân và {stays} lượt lưu trú trong {dir} ({secs:.1} giây)"),
                    &format!("generated {people} persons and {stays} guest stays in {dir} ({secs:.1} s)"),
                )
            )?;
        }
        Some(Command::Screen { file, format, json }) => {
            let opened = desks.desk()?;
            super::progress::waiting_on(&opened.place);
            return super::imports::screen(&*opened.desk, &file, format, json, lang);
        }
        Some(Command::Import { kind, file, format }) => {
            let opened = desks.desk_or_new()?;
            super::progress::waiting_on(&opened.place);
            return super::imports::import(&*opened.desk, kind, &file, format, lang);
        }
        Some(Command::Export {
            kind,
            format,
            output,
        }) => {
            let desk = desks.desk()?.desk;
            match format {
                // Page by page, each written as it comes: flat memory for a million rows.
                // Followed only into a file: on a terminal, the rows themselves show it.
                ExportFormat::Data(format) => {
                    if output.is_some() {
                        let counts = desk.stats()?.counts;
                        let total = counts.iter().find(|(k, _)| k == kind.name());
                        let total = total.map(|(_, n)| *n as u64);
                        crate::progress::stage(crate::progress::Stage::Exporting, total);
                    }
                    super::export_file::export_paged(&*desk, kind, format, output.as_deref())?;
                    crate::progress::finish();
                }
                ExportFormat::Text => {
                    let text = super::export_text::from_csv(&desk.export(kind, Format::Csv)?)?;
                    match output {
                        Some(path) => write_atomically(&path, text.as_bytes())?,
                        None => std::io::stdout().lock().write_all(text.as_bytes())?,
                    }
                }
            }
        }
        Some(Command::Search {
            query,
            kind,
            limit,
            json,
        }) => {
            let desk = desks.desk()?.desk;
            let hits = desk.search(&query, kind, limit, lang)?;
            crate::progress::finish();
            // Like grep: nothing found is said (JSON: `[]`), and is exit status 1.
            if hits.is_empty() && !json {
                let query = crate::domain::text::display_safe(&query);
                let said = lang.pick_owned(
                    &format!("Không tìm thấy hồ sơ nào khớp với \"{query}\""),
                    &format!("No record matches \"{query}\""),
                );
                let _ = writeln!(std::io::stderr(), "{said}");
            }
            if json {
                say!("{}", crate::domain::safe_json::to_string_pretty(&hits)?)?;
            } else {
                for hit in &hits {
                    say!(
                        "{:<14} {:<10} {:<28} {} ({})",
                        hit.kind,
                        hit.id,
                        hit.title,
                        hit.detail,
                        hit.score
                    )?;
                }
            }
            if hits.is_empty() {
                return Ok(ExitCode::from(1));
            }
        }
        Some(Command::Late { from, to, json }) => {
            let desk = desks.desk()?.desk;
            return super::checklists::late(&*desk, from, to, json, lang, clock.now());
        }
        Some(Command::InspectNext { limit, json }) => {
            let desk = desks.desk()?.desk;
            super::checklists::inspect_next(&*desk, limit, json, lang, clock.now())?;
        }
        Some(Command::Roster { action }) => {
            let desk = desks.desk()?.desk;
            return roster(&*desk, action, lang);
        }
        Some(Command::Handover { action, sheet }) => {
            let desk = desks.desk()?.desk;
            let (plan, now) = (&config.shifts, clock.now());
            // `trucban handover` alone shows the sheet.
            return match action.unwrap_or(HandoverCommand::Show(sheet)) {
                HandoverCommand::Show(sheet) => {
                    let (shift, format) = (&sheet.shift, sheet.format);
                    let unit = (config.unit.clone())
                        .unwrap_or_else(|| crate::domain::shifts::HandoverConfig::default().unit);
                    super::handover::handover(&*desk, (plan, &unit), shift, format, lang, now)
                }
                HandoverCommand::Sign { shift, text } => {
                    super::handover::sign(&*desk, plan, &shift, &text, lang, now)
                }
                HandoverCommand::Acknowledge { id, remarks } => {
                    super::handover::acknowledge(&*desk, id, &remarks, lang, now)
                }
            };
        }
        Some(Command::Report { from, to, format }) => {
            let desk = desks.desk()?.desk;
            return super::handover::report(&*desk, from, to, format, lang);
        }
        Some(Command::Audit {
            action,
            by,
            record,
            since,
            limit,
            json,
        }) => {
            // Through the daemon when one runs (the auditor's role is checked there).
            let session = desks.desk()?.desk;
            return match action {
                Some(AuditCommand::Verify) => super::audit::verify(&*session, lang),
                None => {
                    let query = crate::domain::audit::AuditQuery {
                        officer: by,
                        record,
                        since,
                        limit,
                    };
                    super::audit::list(&*session, &query, json, lang)
                }
            };
        }
        Some(Command::Account { action }) => {
            // Through the daemon when one runs (the administrator's role is checked there).
            let session = desks.desk()?.desk;
            return match action {
                AccountCommand::Set {
                    user,
                    officer_id,
                    pin,
                } => {
                    let new = !session.accounts()?.iter().any(|a| a.user == user);
                    super::audit::set_account(&*session, &user, officer_id, pin || new, lang)
                }
                AccountCommand::List => super::audit::list_accounts(&*session, lang),
            };
        }
        Some(Command::Stats { json }) => {
            let stats = desks.desk()?.desk.stats()?;
            if json {
                let map: serde_json::Map<String, serde_json::Value> = stats
                    .counts
                    .iter()
                    .map(|(k, n)| (k.clone(), (*n).into()))
                    .collect();
                say!("{}", serde_json::Value::Object(map))?;
            } else {
                for (kind, count) in &stats.counts {
                    say!("{kind:<16} {count:>9}")?;
                }
            }
        }
        Some(Command::Check { json }) => {
            // Through the daemon when one holds the store (administrators only, audited).
            let opened = desks.desk()?;
            super::progress::waiting_on(&opened.place);
            return super::safety::check(&*opened.desk, &opened.place, json, lang);
        }
        Some(Command::Backup { file, force }) => {
            let opened = desks.desk()?;
            super::progress::waiting_on(&opened.place);
            return super::safety::backup(&*opened.desk, &file, force, lang);
        }
        Some(Command::Restore { file }) => {
            opener.store_only("restore")?;
            if opener.database.is_some() {
                return Err(super::told::told(
                    "restore.use_database_tools",
                    "`trucban restore` ghi vào một thư mục kho; kho trên PostgreSQL được khôi phục bằng công cụ của PostgreSQL (pg_restore, hoặc pgBackRest): xem mục \"Beyond one host\" của README; chưa ghi gì",
                    "`trucban restore` writes a store directory; a store on PostgreSQL is restored with PostgreSQL's own tools (pg_restore, or pgBackRest): see \"Beyond one host\" in the README; nothing was written",
                ));
            }
            return super::safety::restore(&opener.data_dir()?, &file, clock.now(), lang);
        }
        Some(Command::Migrate { from, to }) => {
            opener.store_only("migrate")?;
            return super::safety::migrate(&from, &to, &opener.clock, lang);
        }
        Some(Command::Columns { kind }) => {
            let kinds = kind.map_or_else(|| Kind::ALL.to_vec(), |k| vec![k]);
            for kind in kinds {
                say!("{}", crate::service::interchange::columns_markdown(kind))?;
            }
        }
        Some(Command::Keys) => say_raw!("{}", crate::app::keymap::Keymap::builtin().markdown())?,
        Some(Command::Requests) => say_raw!("{}", crate::service::requests::markdown())?,
        Some(Command::WriteSample { dir, seed }) => {
            sample_data::write_sample_files(&dir, seed)?;
            let dir = dir.display();
            say!(
                "{}",
                lang.pick_owned(
                    &format!("Đã ghi bộ dữ liệu mẫu vào {dir}"),
                    &format!("sample written to {dir}"),
                )
            )?;
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// `trucban roster …`: the reading ones print, the edits go to the service as they come.
fn roster(desk: &dyn DeskApi, action: RosterCommand, lang: Lang) -> anyhow::Result<ExitCode> {
    use crate::service::roster::RosterEdit;
    match action {
        RosterCommand::Check { campaign, json } => super::roster::check(desk, campaign, json, lang),
        RosterCommand::Show {
            campaign,
            date,
            json,
        } => super::roster::show(desk, campaign, date, json, lang),
        RosterCommand::Add {
            officer_id,
            campaign,
            date,
            shift,
            post,
            role,
        } => {
            let assignment = crate::domain::Assignment {
                // Number 0: the service gives it its ID.
                id: crate::domain::RecordId::new(Kind::Assignment, 0),
                campaign_id: campaign,
                officer_id,
                date,
                shift,
                post,
                role,
            };
            super::roster::edit(desk, RosterEdit::Add(assignment), lang)
        }
        RosterCommand::Move {
            id,
            date,
            shift,
            post,
        } => match super::roster::moved(desk, id, date, shift, post, lang)? {
            Ok(edit) => super::roster::edit(desk, edit, lang),
            Err(code) => Ok(code),
        },
        RosterCommand::Swap { first, second } => {
            super::roster::edit(desk, RosterEdit::Swap { first, second }, lang)
        }
    }
}

/// `trucban demo`: the console on a fresh copy of the sample, in a temporary store that
/// lives until the console closes (or in an empty `--data-dir`).
fn demo(
    opener: &Opener,
    console: &ConsoleArgs,
    config: &super::config::Config,
    lang: Option<Lang>,
) -> anyhow::Result<ExitCode> {
    let temp;
    let dir = match &opener.data_dir {
        Some(dir) => dir.clone(),
        None => {
            temp = tempfile::Builder::new().prefix("trucban-demo-").tempdir()?;
            temp.path().to_path_buf()
        }
    };
    let options = console_options(console, config, lang, &dir)?;
    let officer = options.officer;
    let clock = opener.clock.clone();
    let opened = crate::app::run_console(
        || {
            let desk = with_config(opener.create(&dir)?, config);
            if let Some(refusal) = NotEmpty::check(&desk, &dir, "demo", resolve_lang(lang, config))?
            {
                return Err(refusal.into());
            }
            desk.load(&sample_data::sample_records(clock.now())?)?;
            // So that the session lock can be tried: the OS user gets an account with the
            // demo PIN (README), on this fictional store only.
            desk.set_account(
                &crate::service::session::current_os_user(),
                officer.unwrap_or(sample_data::DEMO_OFFICER),
                Some(sample_data::DEMO_PIN.into()),
            )?;
            owner_session(&desk, officer, &clock)
        },
        options,
        opener.clock.clone(),
    );
    // The refusal is bad input (exit 2), said once the terminal is restored.
    if let Err(e) = opened {
        return match e.downcast::<NotEmpty>() {
            Ok(refusal) => {
                refusal.say();
                Ok(ExitCode::from(BAD_INPUT))
            }
            Err(e) => Err(e),
        };
    }
    Ok(ExitCode::SUCCESS)
}

/// The console's options from the command line and the environment: theme (`--theme`, or
/// mono under NO_COLOR, ansi16 on the Linux console), keymap (built-in, with the user's
/// `keymap.toml` over it), the officer the forms are for, and where drafts live.
fn config_dir() -> Option<PathBuf> {
    directories::ProjectDirs::from("vn", "Cong an tinh Lai Chau", "trucban")
        .map(|d| d.config_dir().to_path_buf())
}

/// The config file (`--config`, else `~/.config/trucban/config.toml`; none is fine).
fn load_config(console: &ConsoleArgs) -> anyhow::Result<super::config::Config> {
    let config_path = console
        .config
        .clone()
        .or_else(|| config_dir().map(|c| c.join("config.toml")));
    match config_path {
        Some(path) => super::config::load(&path),
        None => Ok(super::config::Config::default()),
    }
}

/// `--lang`, else the config file's, else from `LANG`.
fn resolve_lang(lang: Option<Lang>, config: &super::config::Config) -> Lang {
    lang.or(config.lang).unwrap_or_else(Lang::from_env)
}

fn console_options(
    console: &ConsoleArgs,
    config: &super::config::Config,
    lang: Option<Lang>,
    data_dir: &Path,
) -> anyhow::Result<crate::app::Options> {
    let config_dir = config_dir();
    let keymap_path = console
        .keymap
        .clone()
        .or_else(|| config.keymap.clone())
        .or_else(|| config_dir.as_ref().map(|c| c.join("keymap.toml")));
    let keymap = crate::app::keymap::Keymap::load(keymap_path.as_deref())?;
    let user_themes = super::themes::ThemeDir(config_dir.map(|c| c.join("themes")));
    let no_color = crate::ui::theme::no_color_requested(std::env::var_os("NO_COLOR").as_deref());
    let term = std::env::var("TERM").ok();
    let requested = console.theme.as_deref().or(config.theme.as_deref());
    let theme = crate::ui::theme::choose(requested, no_color, term.as_deref(), &user_themes)?;
    Ok(crate::app::Options {
        lock_after: config
            .lock_after
            .unwrap_or_else(crate::app::lock::default_after),
        shifts: config.shifts.clone(),
        lang: resolve_lang(lang, config),
        officer: console.officer.or(config.officer),
        keymap,
        theme,
        drafts_dir: Some(data_dir.join("drafts")),
        // A console told which view to open (`--view`) opens there, and keeps no place.
        place_file: console.view.is_none().then(|| data_dir.join("place.json")),
        row_cap: crate::app::present::ROW_CAP,
        first_view: console.view.unwrap_or(crate::app::views::View::Glance),
    })
}

/// A command that needs an empty store (`demo`, `seed`, `gen`) was given one with records.
#[derive(Debug, thiserror::Error)]
#[error("{}", said.en)]
struct NotEmpty {
    said: crate::i18n::Said,
    lang: Lang,
}

impl NotEmpty {
    fn check(
        desk: &LocalDesk,
        dir: &Path,
        what: &'static str,
        lang: Lang,
    ) -> anyhow::Result<Option<NotEmpty>> {
        let stats = desk.stats()?;
        let total: usize = stats.counts.iter().map(|(_, n)| n).sum();
        let dir = dir.display();
        Ok((total > 0).then(|| NotEmpty {
            said: crate::i18n::Said::new(
                format!(
                    "{what} cần một kho trống, nhưng {dir} đã có {total} hồ sơ (chọn --data-dir khác, hoặc bỏ trống để dùng kho tạm)"
                ),
                format!(
                    "{what} needs an empty store, but {dir} already holds {total} records (give another --data-dir, or none for a temporary one)"
                ),
            ),
            lang,
        }))
    }

    /// On stderr, with its code, in the reader's language.
    fn say(&self) {
        let text = crate::domain::text::display_safe(self.said.get(self.lang)).into_owned();
        let _ = writeln!(std::io::stderr(), "trucban [store.not_empty]: {text}");
    }
}

fn refuse_if_not_empty(
    desk: &LocalDesk,
    dir: &Path,
    what: &'static str,
    lang: Lang,
) -> anyhow::Result<Option<ExitCode>> {
    match NotEmpty::check(desk, dir, what, lang)? {
        Some(refusal) => {
            refusal.say();
            Ok(Some(ExitCode::from(BAD_INPUT)))
        }
        None => Ok(None),
    }
}
