//! The keymap: a TOML data file (`keymap.toml`, embedded) that a user file overrides by
//! chord. Help and the hint bar are generated from the same entries, so they cannot drift
//! from the keys that really work.

use std::collections::BTreeMap;
use std::path::Path;

use serde::Deserialize;

use super::command::Command;
use super::keys::{BadKey, KeyPress, chord_text, parse_chord};
use crate::i18n::Lang;

pub const BUILTIN: &str = include_str!("keymap.toml");

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Mode {
    Table,
    Detail,
    Filter,
    Command,
    Form,
    Confirm,
    Draft,
    Help,
    Search,
    /// A campaign's roster, a day at a time.
    Roster,
}

impl Mode {
    pub const ALL: [Mode; 10] = [
        Mode::Table,
        Mode::Detail,
        Mode::Filter,
        Mode::Command,
        Mode::Form,
        Mode::Confirm,
        Mode::Draft,
        Mode::Help,
        Mode::Search,
        Mode::Roster,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Mode::Table => "table",
            Mode::Detail => "detail",
            Mode::Filter => "filter",
            Mode::Command => "command",
            Mode::Form => "form",
            Mode::Confirm => "confirm",
            Mode::Draft => "draft",
            Mode::Help => "help",
            Mode::Search => "search",
            Mode::Roster => "roster",
        }
    }

    /// Modes where printable keys not bound to a command are typed as text.
    pub fn takes_text(self) -> bool {
        matches!(
            self,
            Mode::Filter | Mode::Command | Mode::Form | Mode::Search
        )
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Binding {
    /// Alternatives, each a chord.
    pub keys: Vec<Vec<KeyPress>>,
    pub command: Command,
    pub vi: String,
    pub en: String,
    pub hint: bool,
}

impl Binding {
    pub fn keys_text(&self) -> String {
        self.keys
            .iter()
            .map(|k| chord_text(k))
            .collect::<Vec<_>>()
            .join(", ")
    }

    pub fn desc(&self, lang: Lang) -> &str {
        match lang {
            Lang::Vi => &self.vi,
            Lang::En => &self.en,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Keymap {
    modes: Vec<Vec<Binding>>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Resolved {
    Run(Command),
    /// The keys so far start a longer chord: wait for the next key.
    Pending,
    Unbound,
}

#[derive(Debug, thiserror::Error)]
pub enum KeymapError {
    #[error("{file}: {message}")]
    Syntax { file: String, message: String },
    #[error("{file}: [[{mode}]] entry {entry}: {message}")]
    Entry {
        file: String,
        mode: String,
        entry: usize,
        message: String,
    },
    #[error("{file}: cannot read: {source}")]
    Io {
        file: String,
        #[source]
        source: std::io::Error,
    },
}

#[derive(Deserialize)]
#[serde(untagged)]
enum OneOrMany {
    One(String),
    Many(Vec<String>),
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawBinding {
    on: OneOrMany,
    run: String,
    #[serde(default)]
    vi: String,
    #[serde(default)]
    en: String,
    #[serde(default)]
    hint: bool,
}

type RawFile = BTreeMap<String, Vec<RawBinding>>;

/// One parsed entry: its mode, the binding (`None` for `run = "none"`), and the chords it
/// claims, which an override takes away from earlier bindings.
type Entry = (Mode, Option<Binding>, Vec<Vec<KeyPress>>);

fn parse(file: &str, text: &str) -> Result<Vec<Entry>, KeymapError> {
    let raw: RawFile = toml::from_str(text).map_err(|e| KeymapError::Syntax {
        file: file.into(),
        message: e.to_string(),
    })?;
    let mut out = Vec::new();
    for (mode_name, entries) in raw {
        let mode = Mode::ALL
            .into_iter()
            .find(|m| m.name() == mode_name)
            .ok_or_else(|| KeymapError::Syntax {
                file: file.into(),
                message: format!(
                    "unknown mode [[{mode_name}]] (modes: {})",
                    Mode::ALL.map(Mode::name).join(", ")
                ),
            })?;
        for (n, entry) in entries.into_iter().enumerate() {
            let err = |message: String| KeymapError::Entry {
                file: file.into(),
                mode: mode_name.clone(),
                entry: n + 1,
                message,
            };
            let texts = match entry.on {
                OneOrMany::One(t) => vec![t],
                OneOrMany::Many(ts) => ts,
            };
            let keys: Vec<Vec<KeyPress>> = texts
                .iter()
                .map(|t| parse_chord(t))
                .collect::<Result<_, BadKey>>()
                .map_err(|e| err(e.to_string()))?;
            if entry.run == "none" {
                out.push((mode, None, keys));
                continue;
            }
            let command = Command::from_name(&entry.run).ok_or_else(|| {
                let names: Vec<&str> = Command::ALL.iter().map(|c| c.name()).collect();
                err(format!(
                    "unknown run {:?} (one of: none, {})",
                    entry.run,
                    names.join(", ")
                ))
            })?;
            if entry.vi.is_empty() || entry.en.is_empty() {
                return Err(err("needs both `vi` and `en` descriptions".into()));
            }
            out.push((
                mode,
                Some(Binding {
                    keys: keys.clone(),
                    command,
                    vi: entry.vi,
                    en: entry.en,
                    hint: entry.hint,
                }),
                keys,
            ));
        }
    }
    Ok(out)
}

impl Keymap {
    pub fn builtin() -> Keymap {
        let mut map = Keymap {
            modes: vec![Vec::new(); Mode::ALL.len()],
        };
        // The embedded file is checked by a test; if it were broken the console would have
        // no keys, so fail loudly in development rather than silently.
        match parse("keymap.toml", BUILTIN) {
            Ok(entries) => map.apply(entries),
            Err(e) => debug_assert!(false, "built-in keymap: {e}"),
        }
        map
    }

    /// The built-in keymap with a user file laid over it, if one is given and exists.
    pub fn load(user: Option<&Path>) -> Result<Keymap, KeymapError> {
        let mut map = Keymap::builtin();
        if let Some(path) = user.filter(|p| p.exists()) {
            let file = path.display().to_string();
            let text = std::fs::read_to_string(path).map_err(|source| KeymapError::Io {
                file: file.clone(),
                source,
            })?;
            map.apply(parse(&file, &text)?);
        }
        Ok(map)
    }

    fn apply(&mut self, entries: Vec<Entry>) {
        for (mode, binding, keys) in entries {
            let list = &mut self.modes[mode as usize];
            for binding in list.iter_mut() {
                binding.keys.retain(|k| !keys.contains(k));
            }
            list.retain(|b| !b.keys.is_empty());
            list.extend(binding);
        }
    }

    pub fn bindings(&self, mode: Mode) -> &[Binding] {
        &self.modes[mode as usize]
    }

    pub fn resolve(&self, mode: Mode, pressed: &[KeyPress]) -> Resolved {
        let mut pending = false;
        for binding in self.bindings(mode) {
            for chord in &binding.keys {
                if chord.as_slice() == pressed {
                    return Resolved::Run(binding.command);
                }
                if chord.len() > pressed.len() && chord.starts_with(pressed) {
                    pending = true;
                }
            }
        }
        if pending {
            Resolved::Pending
        } else {
            Resolved::Unbound
        }
    }

    /// The key reference as Markdown, for the README (`trucban keys`).
    pub fn markdown(&self) -> String {
        let mut out = String::new();
        for mode in Mode::ALL {
            out.push_str(&format!(
                "#### {}

| keys | tiếng Việt | English |
|---|---|---|
",
                mode.name()
            ));
            for b in self.bindings(mode) {
                let keys = b.keys_text().replace('|', "\\|");
                out.push_str(&format!(
                    "| `{keys}` | {} | {} |
",
                    b.vi, b.en
                ));
            }
            out.push('\n');
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::app::keys::parse_key;

    #[test]
    fn builtin_keymap_parses_and_every_mode_has_keys() {
        let entries = parse("keymap.toml", BUILTIN).expect("built-in keymap parses");
        assert!(entries.len() > 40);
        let map = Keymap::builtin();
        for mode in Mode::ALL {
            assert!(!map.bindings(mode).is_empty(), "{}", mode.name());
        }
    }

    #[test]
    fn vim_keys_and_arrows_both_work_and_chords_wait() {
        let map = Keymap::builtin();
        let k = |t: &str| parse_key(t).expect("key");
        assert_eq!(
            map.resolve(Mode::Table, &[k("j")]),
            Resolved::Run(Command::Down)
        );
        assert_eq!(
            map.resolve(Mode::Table, &[k("<Down>")]),
            Resolved::Run(Command::Down)
        );
        assert_eq!(
            map.resolve(Mode::Table, &[k("<PageDown>")]),
            Resolved::Run(Command::PageDown)
        );
        assert_eq!(map.resolve(Mode::Table, &[k("g")]), Resolved::Pending);
        assert_eq!(
            map.resolve(Mode::Table, &[k("g"), k("g")]),
            Resolved::Run(Command::First)
        );
        assert_eq!(map.resolve(Mode::Table, &[k("z")]), Resolved::Unbound);
        assert_eq!(
            map.resolve(Mode::Help, &[k("<F1>")]),
            Resolved::Run(Command::Back)
        );
    }

    #[test]
    fn a_user_file_overrides_by_chord_and_can_unbind() {
        let dir = tempfile::tempdir().expect("temp");
        let path = dir.path().join("keymap.toml");
        std::fs::write(&path, "[[table]]\non = \"j\"\nrun = \"up\"\nvi = \"lên\"\nen = \"up\"\n[[table]]\non = \"<Down>\"\nrun = \"none\"\n")
            .expect("write");
        let map = Keymap::load(Some(&path)).expect("load");
        let k = |t: &str| parse_key(t).expect("key");
        assert_eq!(
            map.resolve(Mode::Table, &[k("j")]),
            Resolved::Run(Command::Up)
        );
        assert_eq!(map.resolve(Mode::Table, &[k("<Down>")]), Resolved::Unbound);
        assert_eq!(
            map.resolve(Mode::Table, &[k("k")]),
            Resolved::Run(Command::Up)
        );
    }

    #[test]
    fn bad_files_say_where_and_what() {
        let cases = [
            (
                "[[table]]\non = \"<Nope>\"\nrun = \"up\"\nvi = \"a\"\nen = \"b\"\n",
                "mine.toml: [[table]] entry 1: key \"<Nope>\": unknown key name",
            ),
            (
                "[[table]]\non = \"j\"\nrun = \"fly\"\nvi = \"a\"\nen = \"b\"\n",
                "entry 1: unknown run \"fly\"",
            ),
            (
                "[[table]]\non = \"j\"\nrun = \"up\"\nvi = \"a\"\n",
                "needs both `vi` and `en`",
            ),
            (
                "[[tabel]]\non = \"j\"\nrun = \"up\"\n",
                "unknown mode [[tabel]]",
            ),
            ("[[table]\n", "mine.toml: TOML parse error"),
        ];
        for (text, expected) in cases {
            let err = parse("mine.toml", text).expect_err(text).to_string();
            assert!(err.contains(expected), "{err}");
        }
    }
}
