//! What each subcommand does: find its desk (see `open.rs`), call the service, print.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use crate::domain::{Clock, Kind};
use crate::i18n::Lang;
use crate::service::{DeskApi, Format, LocalDesk};

use super::open::{AnyDesk, Opener};
use super::{Cli, Command, sample_data};

use super::output::{BAD_INPUT, write_atomically};

pub fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    let console = cli.console.clone();
    let config = load_config(&console)?;
    let lang = resolve_lang(cli.lang, &config);
    run_in(cli, console, config, lang).map_err(|e| in_language(e, lang))
}

/// A refusal or failure of the service, in the officer's language (its label); any other
/// error as it is.
fn in_language(e: anyhow::Error, lang: Lang) -> anyhow::Error {
    match e.downcast::<crate::service::ServiceError>() {
        Ok(service) => anyhow::anyhow!(service.label(lang)),
        Err(other) => other,
    }
}

fn run_in(
    cli: Cli,
    console: super::ConsoleArgs,
    config: super::config::Config,
    lang: Lang,
) -> anyhow::Result<ExitCode> {
    let opener = Opener {
        socket: cli.socket.clone(),
        data_dir: cli.data_dir.clone(),
        lang,
        // The one read of the host clock: everything below is handed this clock.
        clock: Clock::system(),
    };
    let clock = opener.clock.clone();
    let configured = |desk: LocalDesk| Ok(with_config(desk, &config));
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
                        Some((remote, _)) => Box::new(remote),
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
            super::daemon::serve(desk, cli.socket, &config.daemon)?;
        }
        Some(Command::Seed { .. }) => {
            opener.store_only("seed --sample")?;
            let dir = opener.data_dir()?;
            let desk = opener.create(&dir)?;
            if let Some(code) = refuse_if_not_empty(&desk, &dir, "seed --sample")? {
                return Ok(code);
            }
            let records = sample_data::sample_records(clock.now())?;
            desk.load(&records)?;
            println!(
                "{} records of the fictional sample loaded into {}",
                records.len(),
                dir.display()
            );
        }
        Some(Command::Gen {
            scale,
            guests,
            seed,
        }) => {
            opener.store_only("gen")?;
            let dir = opener.data_dir()?;
            let desk = opener.create(&dir)?;
            if let Some(code) = refuse_if_not_empty(&desk, &dir, "gen")? {
                return Ok(code);
            }
            let started = std::time::Instant::now();
            let guests = guests.unwrap_or(scale);
            crate::sample::scale(scale, guests, seed, &mut |chunk| {
                Ok(desk.store().bulk_load(&chunk)?)
            })?;
            desk.prepare_search()?;
            println!(
                "generated {scale} persons and {guests} guest stays in {} ({:.1} s)",
                dir.display(),
                started.elapsed().as_secs_f64()
            );
        }
        Some(Command::Screen { file, format, json }) => {
            let opened = opener.desk(configured)?;
            return super::imports::screen(&*opened.desk, &file, format, json);
        }
        Some(Command::Import { kind, file, format }) => {
            let opened = opener.desk_or_new(configured)?;
            return super::imports::import(&*opened.desk, kind, &file, format);
        }
        Some(Command::Export {
            kind,
            format,
            output,
        }) => {
            let desk = opener.desk(Ok)?.desk;
            match format {
                // Page by page, each written as it comes: flat memory for a million rows.
                super::ExportFormat::Data(format) => {
                    super::export_file::export_paged(&*desk, kind, format, output.as_deref())?
                }
                super::ExportFormat::Text => {
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
            let desk = opener.desk(Ok)?.desk;
            let hits = desk.search(&query, kind, limit)?;
            if json {
                println!("{}", crate::domain::safe_json::to_string_pretty(&hits)?);
            } else {
                for hit in &hits {
                    println!(
                        "{:<14} {:<10} {:<28} {} ({})",
                        hit.kind, hit.id, hit.title, hit.detail, hit.score
                    );
                }
            }
        }
        Some(Command::Late { from, to, json }) => {
            let desk = opener.desk(configured)?.desk;
            return super::checklists::late(&*desk, from, to, json, lang, clock.now());
        }
        Some(Command::InspectNext { limit, json }) => {
            let desk = opener.desk(configured)?.desk;
            super::checklists::inspect_next(&*desk, limit, json, lang, clock.now())?;
        }
        Some(Command::Roster { action }) => {
            let desk = opener.desk(configured)?.desk;
            return match action {
                super::RosterCommand::Check { campaign, json } => {
                    super::roster::check(&*desk, campaign, json, lang)
                }
                super::RosterCommand::Show {
                    campaign,
                    date,
                    json,
                } => super::roster::show(&*desk, campaign, date, json, lang),
            };
        }
        Some(Command::Handover { shift, format }) => {
            let desk = opener.desk(configured)?.desk;
            return super::handover::handover(
                &*desk,
                &config.shifts,
                &shift,
                format,
                lang,
                clock.now(),
            );
        }
        Some(Command::Report { from, to, format }) => {
            let desk = opener.desk(configured)?.desk;
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
            let session = session_desk(&opener, &console, &config)?;
            return match action {
                Some(super::AuditCommand::Verify) => super::audit::verify(&*session),
                None => {
                    let query = crate::domain::audit::AuditQuery {
                        officer: by,
                        record,
                        since,
                        limit,
                    };
                    super::audit::list(&*session, &query, json)
                }
            };
        }
        Some(Command::Account { action }) => {
            // Through the daemon when one runs (the administrator's role is checked there).
            let session = session_desk(&opener, &console, &config)?;
            return match action {
                super::AccountCommand::Set {
                    user,
                    officer_id,
                    pin,
                } => {
                    let new = !session.accounts()?.iter().any(|a| a.user == user);
                    super::audit::set_account(&*session, &user, officer_id, pin || new)
                }
                super::AccountCommand::List => super::audit::list_accounts(&*session),
            };
        }
        Some(Command::Stats { json }) => {
            let stats = opener.desk(Ok)?.desk.stats()?;
            if json {
                let map: serde_json::Map<String, serde_json::Value> = stats
                    .counts
                    .iter()
                    .map(|(k, n)| (k.clone(), (*n).into()))
                    .collect();
                println!("{}", serde_json::Value::Object(map));
            } else {
                for (kind, count) in &stats.counts {
                    println!("{kind:<16} {count:>9}");
                }
            }
        }
        Some(Command::Check { json }) => {
            // Through the daemon when one holds the store (administrators only, audited).
            let opened = opener.desk(Ok)?;
            return super::safety::check(&*opened.desk, &opened.place, json, lang);
        }
        Some(Command::Backup { file }) => {
            let desk = opener.desk(Ok)?.desk;
            return super::safety::backup(&*desk, &file);
        }
        Some(Command::Restore { file }) => {
            opener.store_only("restore")?;
            return super::safety::restore(&opener.data_dir()?, &file, clock.now(), lang);
        }
        Some(Command::Columns { kind }) => {
            let kinds = kind.map_or_else(|| Kind::ALL.to_vec(), |k| vec![k]);
            for kind in kinds {
                println!("{}", crate::service::interchange::columns_markdown(kind));
            }
        }
        Some(Command::Keys) => print!("{}", crate::app::keymap::Keymap::builtin().markdown()),
        Some(Command::Requests) => print!("{}", crate::service::requests::markdown()),
        Some(Command::WriteSample { dir, seed }) => {
            sample_data::write_sample_files(&dir, seed)?;
            println!("sample written to {}", dir.display());
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// The rules the configuration sets (`[lodging]`, `[screening]`, `[tips]`, `[roster]`) on a
/// desk over the store itself; a daemon applies its own.
fn with_config(desk: LocalDesk, config: &super::config::Config) -> LocalDesk {
    desk.with_declaration_rules(config.lodging.clone())
        .with_screening(config.screening)
        .with_tip_rules(config.tips.clone())
        .with_roster_rules(config.roster)
}

/// `trucban demo`: the console on a fresh copy of the sample, in a temporary store that
/// lives until the console closes (or in an empty `--data-dir`).
fn demo(
    opener: &Opener,
    console: &super::ConsoleArgs,
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
            if let Some(refusal) = NotEmpty::check(&desk, &dir, "demo")? {
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
                let message = crate::domain::text::display_safe(&refusal.to_string()).into_owned();
                let _ = writeln!(std::io::stderr(), "trucban: {message}");
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
fn load_config(console: &super::ConsoleArgs) -> anyhow::Result<super::config::Config> {
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
    lang.or(config.lang)
        .unwrap_or_else(|| Lang::from_locale(&std::env::var("LANG").unwrap_or_default()))
}

fn console_options(
    console: &super::ConsoleArgs,
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
        row_cap: crate::app::present::ROW_CAP,
    })
}

/// The daemon's session when one answers, else the store owner's on the store itself.
fn session_desk(
    opener: &Opener,
    console: &super::ConsoleArgs,
    config: &super::config::Config,
) -> anyhow::Result<AnyDesk> {
    let officer = console.officer.or(config.officer);
    Ok(opener
        .desk(|desk| owner_session(&desk, officer, &opener.clock))?
        .desk)
}

/// The store owner's session on an embedded desk: everything allowed, everything audited
/// under the OS user running trucban.
fn owner_session(
    desk: &LocalDesk,
    officer: Option<crate::domain::RecordId>,
    clock: &Clock,
) -> anyhow::Result<crate::service::session::SessionDesk> {
    Ok(crate::service::session::SessionDesk::owner(
        desk,
        &crate::service::session::current_os_user(),
        officer,
        clock.clone(),
    )?)
}

/// A command that needs an empty store (`demo`, `seed`, `gen`) was given one with records.
#[derive(Debug, thiserror::Error)]
#[error(
    "{what} needs an empty store, but {} already holds {total} records (give another --data-dir, or none for a temporary one)",
    dir.display()
)]
struct NotEmpty {
    what: &'static str,
    dir: PathBuf,
    total: usize,
}

impl NotEmpty {
    fn check(desk: &LocalDesk, dir: &Path, what: &'static str) -> anyhow::Result<Option<NotEmpty>> {
        let stats = desk.stats()?;
        let total: usize = stats.counts.iter().map(|(_, n)| n).sum();
        Ok((total > 0).then(|| NotEmpty {
            what,
            dir: dir.to_path_buf(),
            total,
        }))
    }
}

fn refuse_if_not_empty(
    desk: &LocalDesk,
    dir: &Path,
    what: &'static str,
) -> anyhow::Result<Option<ExitCode>> {
    match NotEmpty::check(desk, dir, what)? {
        Some(refusal) => {
            eprintln!("trucban: {refusal}");
            Ok(Some(ExitCode::from(BAD_INPUT)))
        }
        None => Ok(None),
    }
}
