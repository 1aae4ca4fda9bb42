//! What each subcommand does: open the store, call the service, print.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context;
use chrono::Utc;

use crate::domain::{Kind, Record, RecordId};
use crate::i18n::Lang;
use crate::service::{DeskApi, Format, ImportSource, LocalDesk, ServiceError};
use crate::store::Store;

use super::{Cli, Command, sample_data};

pub(super) const BAD_INPUT: u8 = 2;
const MAX_PROBLEMS_SHOWN: usize = 200;

pub fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    let lang = cli.lang;
    let data_dir = cli.data_dir.clone();
    let socket = cli.socket.clone();
    let console = cli.console.clone();
    match cli.command {
        None => {
            let given = data_dir.is_some();
            let dir = resolve_data_dir(data_dir)?;
            let config = load_config(&console)?;
            let rules = config.lodging.clone();
            let screening = config.screening;
            let tips = config.tips.clone();
            let roster = config.roster;
            let options = console_options(&console, &config, lang, &dir)?;
            let officer = options.officer;
            // The console connects to the daemon, or opens the store itself (as the store
            // owner's audited session), after its first frame.
            crate::app::run_console(
                || {
                    super::daemon::desk(socket.as_deref(), given, || {
                        let desk = open(&dir)?
                            .with_declaration_rules(rules)
                            .with_screening(screening)
                            .with_tip_rules(tips)
                            .with_roster_rules(roster);
                        owner_session(&desk, officer)
                    })
                },
                options,
            )?;
        }
        Some(Command::Demo) => {
            // The temporary store lives until the console closes, then is removed.
            let temp;
            let dir = match data_dir {
                Some(dir) => dir,
                None => {
                    temp = tempfile::Builder::new().prefix("trucban-demo-").tempdir()?;
                    temp.path().to_path_buf()
                }
            };
            let config = load_config(&console)?;
            let rules = config.lodging.clone();
            let screening = config.screening;
            let tips = config.tips.clone();
            let roster = config.roster;
            let options = console_options(&console, &config, lang, &dir)?;
            let officer = options.officer;
            let opened = crate::app::run_console(
                || {
                    let desk = open(&dir)?
                        .with_declaration_rules(rules)
                        .with_screening(screening)
                        .with_tip_rules(tips)
                        .with_roster_rules(roster);
                    if let Some(refusal) = NotEmpty::check(&desk, &dir, "demo")? {
                        return Err(refusal.into());
                    }
                    desk.load(&sample_data::sample_records(Utc::now())?)?;
                    // So that the session lock can be tried: the OS user gets an account
                    // with the demo PIN (README), on this fictional store only.
                    desk.set_account(
                        &crate::service::session::current_os_user(),
                        officer.unwrap_or(sample_data::DEMO_OFFICER),
                        Some(sample_data::DEMO_PIN.into()),
                    )?;
                    owner_session(&desk, officer)
                },
                options,
            );
            // The refusal is bad input (exit 2), said once the terminal is restored.
            if let Err(e) = opened {
                return match e.downcast::<NotEmpty>() {
                    Ok(refusal) => {
                        let message =
                            crate::domain::text::display_safe(&refusal.to_string()).into_owned();
                        let _ = writeln!(std::io::stderr(), "trucban: {message}");
                        Ok(ExitCode::from(BAD_INPUT))
                    }
                    Err(e) => Err(e),
                };
            }
        }
        Some(Command::Serve) => {
            let dir = resolve_data_dir(data_dir)?;
            let config = load_config(&console)?;
            let desk = open(&dir)?
                .with_declaration_rules(config.lodging)
                .with_screening(config.screening)
                .with_tip_rules(config.tips);
            super::daemon::serve(desk, socket)?;
        }
        Some(Command::Seed { .. }) => {
            let dir = resolve_data_dir(data_dir)?;
            let desk = open(&dir)?;
            if let Some(code) = refuse_if_not_empty(&desk, &dir, "seed --sample")? {
                return Ok(code);
            }
            let records = sample_data::sample_records(Utc::now())?;
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
            let dir = resolve_data_dir(data_dir)?;
            let desk = open(&dir)?;
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
            let config = load_config(&console)?;
            let desk = open(&resolve_data_dir(data_dir)?)?.with_screening(config.screening);
            return screen(&desk, &file, format, json);
        }
        Some(Command::Import { kind, file, format }) => {
            let config = load_config(&console)?;
            let desk = open(&resolve_data_dir(data_dir)?)?.with_screening(config.screening);
            return import(&desk, kind, &file, format);
        }
        Some(Command::Export {
            kind,
            format,
            output,
        }) => {
            let given = data_dir.is_some();
            let desk = super::daemon::desk(socket.as_deref(), given, || {
                open(&resolve_data_dir(data_dir)?)
            })?;
            let bytes = match format {
                super::ExportFormat::Data(format) => desk.export(kind, format)?,
                super::ExportFormat::Text => {
                    super::export_text::from_csv(&desk.export(kind, Format::Csv)?)?.into_bytes()
                }
            };
            match output {
                Some(path) => write_atomically(&path, &bytes)?,
                None => std::io::stdout().lock().write_all(&bytes)?,
            }
        }
        Some(Command::Search {
            query,
            kind,
            limit,
            json,
        }) => {
            let given = data_dir.is_some();
            let desk = super::daemon::desk(socket.as_deref(), given, || {
                open(&resolve_data_dir(data_dir)?)
            })?;
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
            let config = load_config(&console)?;
            let lang = resolve_lang(lang, &config);
            let desk = open(&resolve_data_dir(data_dir)?)?.with_declaration_rules(config.lodging);
            return super::checklists::late(&desk, from, to, json, lang, Utc::now());
        }
        Some(Command::InspectNext { limit, json }) => {
            let config = load_config(&console)?;
            let lang = resolve_lang(lang, &config);
            let desk = open(&resolve_data_dir(data_dir)?)?.with_declaration_rules(config.lodging);
            super::checklists::inspect_next(&desk, limit, json, lang, Utc::now())?;
        }
        Some(Command::Roster { action }) => {
            let config = load_config(&console)?;
            let lang = resolve_lang(lang, &config);
            let desk = open(&resolve_data_dir(data_dir)?)?.with_roster_rules(config.roster);
            return match action {
                super::RosterCommand::Check { campaign, json } => {
                    super::roster::check(&desk, campaign, json, lang)
                }
                super::RosterCommand::Show {
                    campaign,
                    date,
                    json,
                } => super::roster::show(&desk, campaign, date, json, lang),
            };
        }
        Some(Command::Handover { shift, format }) => {
            let config = load_config(&console)?;
            let lang = resolve_lang(lang, &config);
            let desk = open(&resolve_data_dir(data_dir)?)?.with_declaration_rules(config.lodging);
            return super::handover::handover(
                &desk,
                &config.shifts,
                &shift,
                format,
                lang,
                Utc::now(),
            );
        }
        Some(Command::Report { from, to, format }) => {
            let config = load_config(&console)?;
            let lang = resolve_lang(lang, &config);
            let desk = open(&resolve_data_dir(data_dir)?)?;
            return super::handover::report(&desk, from, to, format, lang);
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
            let session = session_desk(&console, socket.as_deref(), data_dir)?;
            return match action {
                Some(super::AuditCommand::Verify) => super::audit::verify(&session),
                None => {
                    let query = crate::domain::audit::AuditQuery {
                        officer: by,
                        record,
                        since,
                        limit,
                    };
                    super::audit::list(&session, &query, json)
                }
            };
        }
        Some(Command::Account { action }) => {
            // Through the daemon when one runs (the administrator's role is checked there).
            let session = session_desk(&console, socket.as_deref(), data_dir)?;
            return match action {
                super::AccountCommand::Set {
                    user,
                    officer_id,
                    pin,
                } => {
                    let new = !session.accounts()?.iter().any(|a| a.user == user);
                    super::audit::set_account(&session, &user, officer_id, pin || new)
                }
                super::AccountCommand::List => super::audit::list_accounts(&session),
            };
        }
        Some(Command::Stats { json }) => {
            let given = data_dir.is_some();
            let desk = super::daemon::desk(socket.as_deref(), given, || {
                open(&resolve_data_dir(data_dir)?)
            })?;
            let stats = desk.stats()?;
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
            let given = data_dir.is_some();
            let dir = resolve_data_dir(data_dir)?;
            // Through the daemon when one holds the store (administrators only, audited).
            let desk = super::daemon::desk(socket.as_deref(), given, || open(&dir))?;
            return super::safety::check(&desk, &dir, json);
        }
        Some(Command::Backup { file }) => {
            let given = data_dir.is_some();
            let desk = super::daemon::desk(socket.as_deref(), given, || {
                open(&resolve_data_dir(data_dir)?)
            })?;
            return super::safety::backup(&desk, &file);
        }
        Some(Command::Restore { file }) => {
            return super::safety::restore(&resolve_data_dir(data_dir)?, &file);
        }
        Some(Command::Columns { kind }) => {
            let kinds = kind.map_or_else(|| Kind::ALL.to_vec(), |k| vec![k]);
            for kind in kinds {
                println!("{}", crate::service::interchange::columns_markdown(kind));
            }
        }
        Some(Command::Keys) => print!("{}", crate::app::keymap::Keymap::builtin().markdown()),
        Some(Command::WriteSample { dir, seed }) => {
            sample_data::write_sample_files(&dir, seed)?;
            println!("sample written to {}", dir.display());
        }
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

fn resolve_data_dir(given: Option<PathBuf>) -> anyhow::Result<PathBuf> {
    if let Some(dir) = given {
        return Ok(dir);
    }
    directories::ProjectDirs::from("vn", "Cong an tinh Lai Chau", "trucban")
        .map(|d| d.data_dir().to_path_buf())
        .context("no home directory to keep the store in: give --data-dir DIR")
}

/// The daemon's session when one answers, else the store owner's on the store itself.
fn session_desk(
    console: &super::ConsoleArgs,
    socket: Option<&Path>,
    data_dir: Option<PathBuf>,
) -> anyhow::Result<super::daemon::AnyDesk> {
    let officer = console.officer.or(load_config(console)?.officer);
    let given = data_dir.is_some();
    super::daemon::desk(socket, given, || {
        owner_session(&open(&resolve_data_dir(data_dir)?)?, officer)
    })
}

/// The store owner's session on an embedded desk: everything allowed, everything audited
/// under the OS user running trucban.
fn owner_session(
    desk: &LocalDesk,
    officer: Option<crate::domain::RecordId>,
) -> anyhow::Result<crate::service::session::SessionDesk> {
    Ok(crate::service::session::SessionDesk::owner(
        desk,
        &crate::service::session::current_os_user(),
        officer,
        crate::service::session::system_clock(),
    )?)
}

fn open(dir: &Path) -> anyhow::Result<LocalDesk> {
    Ok(LocalDesk::new(Store::open(dir, Utc::now())?))
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

/// The file to import or screen, its format from `--format` or its name; `None` (said on
/// stderr) when it cannot be read.
fn read_source(file: &Path, format: Option<Format>) -> Option<ImportSource> {
    let name = file.display().to_string();
    match std::fs::read(file) {
        Ok(bytes) => Some(ImportSource {
            format: format.unwrap_or_else(|| Format::from_file_name(&name)),
            name,
            bytes,
        }),
        Err(e) => {
            eprintln!(
                "trucban: cannot read {}: {e}",
                crate::domain::text::display_safe(&name)
            );
            None
        }
    }
}

/// A bad file's problems, one per line (at most [`MAX_PROBLEMS_SHOWN`]), then what to do.
fn print_problems(problems: &[crate::service::Problem], nothing: &str) -> anyhow::Result<()> {
    let mut err = std::io::stderr().lock();
    for problem in problems.iter().take(MAX_PROBLEMS_SHOWN) {
        writeln!(err, "{problem}")?;
    }
    if problems.len() > MAX_PROBLEMS_SHOWN {
        writeln!(
            err,
            "… and {} more problems",
            problems.len() - MAX_PROBLEMS_SHOWN
        )?;
    }
    writeln!(err, "trucban: {} problem(s); {nothing}", problems.len())?;
    Ok(())
}

fn import(
    desk: &LocalDesk,
    kind: Kind,
    file: &Path,
    format: Option<Format>,
) -> anyhow::Result<ExitCode> {
    let Some(source) = read_source(file, format) else {
        return Ok(ExitCode::from(BAD_INPUT));
    };
    match desk.import(kind, &source) {
        Ok(report) => {
            println!(
                "{}: {} rows imported into {} ({} new, {} updated)",
                crate::domain::text::display_safe(&source.name),
                report.rows,
                report.kind,
                report.created,
                report.updated
            );
            print_hits(desk, &report.hits)?;
            Ok(ExitCode::SUCCESS)
        }
        Err(ServiceError::Import(problems)) => {
            print_problems(
                &problems,
                "nothing was imported. Fix the file and import it again.",
            )?;
            Ok(ExitCode::from(BAD_INPUT))
        }
        Err(e) => Err(e.into()),
    }
}

/// The hits an import raised, one line each, after a count by band.
fn print_hits(desk: &LocalDesk, ids: &[RecordId]) -> anyhow::Result<()> {
    if ids.is_empty() {
        println!("screening: no hit");
        return Ok(());
    }
    let hits: Vec<crate::domain::Hit> = ids
        .iter()
        .filter_map(|id| match desk.get(*id) {
            Ok(Some(Record::Hit(h))) => Some(h),
            _ => None,
        })
        .collect();
    let alerts = hits
        .iter()
        .filter(|h| h.band == crate::domain::screening::Band::Alert)
        .count();
    println!(
        "screening: {} possible hit(s), {alerts} alert, {} review — confirm with the issuing agency before acting (console: :nghitrung)",
        hits.len(),
        hits.len() - alerts
    );
    let name = |id: RecordId| match desk.get(id) {
        Ok(Some(Record::GuestStay(g))) => g.guest.full_name,
        Ok(Some(Record::Person(p))) => p.full_name,
        _ => String::new(),
    };
    for h in hits {
        println!(
            "  {} {:<6} {:.2}  {} {} ↔ {} {}",
            h.id,
            h.band.code(),
            h.score,
            h.guest_stay_id,
            crate::domain::text::display_safe(&name(h.guest_stay_id)),
            h.listed_id,
            crate::domain::text::display_safe(&name(h.person_id)),
        );
    }
    Ok(())
}

/// `trucban screen`: what screening says of each row of a guest file, nothing written.
fn screen(
    desk: &LocalDesk,
    file: &Path,
    format: Option<Format>,
    json: bool,
) -> anyhow::Result<ExitCode> {
    let Some(source) = read_source(file, format) else {
        return Ok(ExitCode::from(BAD_INPUT));
    };
    let rows = match desk.screen_file(&source) {
        Ok(rows) => rows,
        Err(ServiceError::Import(problems)) => {
            print_problems(
                &problems,
                "nothing was screened. Fix the file and screen it again.",
            )?;
            return Ok(ExitCode::from(BAD_INPUT));
        }
        Err(e) => return Err(e.into()),
    };
    if json {
        // Every control, bidi and zero-width character is escaped: nothing raw reaches a terminal.
        println!("{}", crate::domain::safe_json::to_string_pretty(&rows)?);
        return Ok(ExitCode::SUCCESS);
    }
    let hits: usize = rows.iter().map(|r| r.hits.len()).sum();
    println!(
        "{}: {} row(s) screened, {hits} possible hit(s)",
        crate::domain::text::display_safe(&source.name),
        rows.len()
    );
    for row in &rows {
        for hit in &row.hits {
            println!(
                "  row {:<5} {:<6} {:.2}  {} {} ({})",
                row.row,
                hit.band.code(),
                hit.score,
                hit.record_id,
                crate::domain::text::display_safe(&hit.person_name),
                hit.list.code()
            );
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// Writes to a temporary file beside `path`, syncs it, then renames it over `path`, so a
/// reader never sees half a file.
pub(super) fn write_atomically(path: &Path, bytes: &[u8]) -> anyhow::Result<()> {
    let parent = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let mut temp = tempfile::NamedTempFile::new_in(parent)
        .with_context(|| format!("cannot write in {}", parent.display()))?;
    temp.write_all(bytes)?;
    temp.as_file().sync_all()?;
    temp.persist(path)
        .with_context(|| format!("cannot write {}", path.display()))?;
    Ok(())
}
