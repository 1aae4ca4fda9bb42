//! Guards for the built-in themes and the messages a user sees for a broken file.

use std::collections::BTreeMap;

use ratatui::style::{Color, Modifier, Style};

use super::colour::{self, ColourProblem, NAMED};
use super::*;

/// User theme files held in memory, shown as `user/NAME.toml`.
#[derive(Default)]
struct Files(BTreeMap<&'static str, &'static str>);

impl Files {
    fn with(mut self, name: &'static str, text: &'static str) -> Files {
        self.0.insert(name, text);
        self
    }
}

impl UserThemes for Files {
    fn read(&self, name: &str) -> Result<Option<ThemeText>, ThemeError> {
        Ok(self.0.get(name).map(|text| ThemeText {
            path: format!("user/{name}.toml"),
            text: (*text).to_owned(),
        }))
    }
}

fn builtin(name: &str) -> Theme {
    load(name, &NoUserThemes).unwrap_or_else(|e| panic!("{name}: {e}"))
}

fn error(name: &str, user: &Files) -> String {
    match load(name, user) {
        Ok(theme) => panic!("{name} loaded but should not: {theme:?}"),
        Err(e) => e.to_string(),
    }
}

/// A complete theme with one line replaced, for testing one bad value at a time.
fn mine(extra: &str) -> String {
    format!("inherits = \"mono\"\n[roles]\n{extra}\n")
}

fn leak(text: String) -> &'static str {
    Box::leak(text.into_boxed_str())
}

fn colours(style: Style) -> impl Iterator<Item = Color> {
    style.fg.into_iter().chain(style.bg)
}

#[test]
fn roles_index_their_table_and_names_round_trip() {
    for (i, role) in Role::ALL.into_iter().enumerate() {
        assert_eq!(role.index(), i, "{role} is out of order in Role::ALL");
        assert_eq!(Role::from_name(role.name()), Some(role));
    }
    let mut names: Vec<&str> = Role::ALL.map(Role::name).to_vec();
    names.sort_unstable();
    names.dedup();
    assert_eq!(names.len(), Role::ALL.len(), "role names must be unique");
    assert_eq!(Role::from_name("alert.danger"), Some(Role::AlertDanger));
    assert_eq!(Role::from_name("Alert.Danger"), None);
}

#[test]
fn every_builtin_theme_loads_and_defines_every_role() {
    for name in builtin_names() {
        let text = builtin_text(name).expect("a built-in name without a file");
        assert!(text.starts_with("# "), "{name}: needs a header comment");
        let theme = builtin(name);
        assert_eq!(theme.name, *name);
        // Loading already refuses a missing role. Base must also say both colours, because
        // every other role is drawn over it.
        let base = theme.style(Role::Base);
        assert!(
            base.fg.is_some() && base.bg.is_some(),
            "{name}: base needs fg and bg"
        );
    }
    assert_eq!(builtin_text("nope"), None);
}

#[test]
fn default_uses_the_256_colour_palette_not_true_colour() {
    let theme = builtin("default");
    for role in Role::ALL {
        for colour in colours(theme.style(role)) {
            assert!(
                matches!(colour, Color::Indexed(_) | Color::Reset),
                "default {role}: {colour:?}"
            );
        }
    }
    assert_eq!(theme.style(Role::AlertDanger).fg, Some(Color::Indexed(160)));
}

#[test]
fn mono_uses_no_colour_and_still_marks_what_matters() {
    let theme = builtin("mono");
    for role in Role::ALL {
        for colour in colours(theme.style(role)) {
            assert_eq!(colour, Color::Reset, "mono {role} has a colour");
        }
    }
    for role in [
        Role::Selection,
        Role::AlertDanger,
        Role::Match,
        Role::StatusError,
    ] {
        assert!(
            !theme.style(role).add_modifier.is_empty(),
            "mono {role} has no attribute, so it looks like plain text"
        );
    }
}

#[test]
fn ansi16_uses_only_the_16_named_colours() {
    let theme = builtin("ansi16");
    let allowed: Vec<Color> = NAMED.iter().map(|(_, c)| *c).collect();
    for role in Role::ALL {
        for colour in colours(theme.style(role)) {
            assert!(
                colour == Color::Reset || allowed.contains(&colour),
                "ansi16 {role}: {colour:?}"
            );
        }
    }
}

#[test]
fn low_bandwidth_uses_a_marker_no_borders_and_few_colours() {
    let theme = builtin("low-bandwidth");
    assert!(theme.selection_marker);
    assert!(!theme.borders);
    assert_eq!(theme.style(Role::Selection).bg, None);
    let coloured: Vec<Role> = Role::ALL
        .into_iter()
        .filter(|&role| role != Role::Base)
        .filter(|&role| colours(theme.style(role)).any(|c| c != Color::Reset))
        .collect();
    assert!(
        coloured.len() <= 4,
        "every colour change costs bytes; coloured roles: {coloured:?}"
    );
    // Danger stays as loud as in the parent.
    assert_eq!(
        theme.style(Role::AlertDanger),
        builtin("default").style(Role::AlertDanger)
    );
}

#[test]
fn other_builtins_keep_full_rows_and_borders() {
    for name in ["default", "high-contrast", "mono", "ansi16"] {
        let theme = builtin(name);
        assert!(!theme.selection_marker, "{name}");
        assert!(theme.borders, "{name}");
    }
}

#[test]
fn user_file_overrides_the_builtin_of_the_same_name() {
    let own = Files::default().with(
        "mono",
        "inherits = \"ansi16\"\n[roles]\nselection = { fg = \"red\" }\n",
    );
    let theme = load("mono", &own).unwrap();
    assert_eq!(theme.style(Role::Selection), Style::new().fg(Color::Red));
    // Everything else comes from ansi16, the user file's parent.
    assert_eq!(
        theme.style(Role::Title),
        builtin("ansi16").style(Role::Title)
    );
}

#[test]
fn user_file_inheriting_its_own_name_extends_the_builtin() {
    let own = Files::default().with(
        "default",
        "inherits = \"default\"\n[palette]\ndanger = \"ansi:196\"\n",
    );
    let theme = load("default", &own).unwrap();
    // The parent's roles use the child's palette: one line recolours every danger role.
    assert_eq!(theme.style(Role::AlertDanger).fg, Some(Color::Indexed(196)));
    assert_eq!(theme.style(Role::FormError).fg, Some(Color::Indexed(196)));
    assert_eq!(theme.style(Role::Ok), builtin("default").style(Role::Ok));
}

#[test]
fn inherits_takes_options_and_roles_from_the_parent() {
    let files = Files::default().with(
        "slow",
        "inherits = \"low-bandwidth\"\n[options]\nborders = true\n[roles]\nhint = { fg = \"ansi:245\", mods = [\"italic\"] }\n",
    );
    let theme = load("slow", &files).unwrap();
    assert_eq!(theme.name, "slow");
    assert!(theme.selection_marker, "from low-bandwidth");
    assert!(theme.borders, "overridden here");
    assert_eq!(
        theme.style(Role::Hint),
        Style::new()
            .fg(Color::Indexed(245))
            .add_modifier(Modifier::ITALIC)
    );
    assert_eq!(
        theme.style(Role::Header),
        builtin("low-bandwidth").style(Role::Header)
    );
    assert_eq!(
        theme.style(Role::AlertDanger),
        builtin("default").style(Role::AlertDanger)
    );
}

#[test]
fn inheritance_cycles_are_refused() {
    let files = Files::default()
        .with("a", "inherits = \"b\"\n")
        .with("b", "# b\ninherits = \"a\"\n");
    assert_eq!(
        error("a", &files),
        "user/b.toml line 2: inherits in a circle: a → b → a"
    );
    // A user `default` inheriting a built-in that inherits `default` comes back to itself.
    let files = Files::default().with("default", "inherits = \"low-bandwidth\"\n");
    assert!(error("default", &files).contains("default → low-bandwidth → default"));
}

#[test]
fn unknown_and_bad_parents_are_refused() {
    let files = Files::default().with("mine", "\ninherits = \"nope\"\n");
    let message = error("mine", &files);
    assert!(
        message.starts_with("user/mine.toml line 2: inherits \"nope\": no such theme (built-in: default, high-contrast"),
        "{message}"
    );
    let files = Files::default().with("mine", "inherits = \"../../etc/passwd\"\n");
    assert_eq!(
        error("mine", &files),
        "user/mine.toml line 1: inherits \"../../etc/passwd\": not a theme name (use letters, digits, - and _)"
    );
    // Own name with no built-in of that name behind it.
    let files = Files::default().with("mine", "inherits = \"mine\"\n");
    assert!(error("mine", &files).contains("inherits \"mine\": no such theme"));
}

#[test]
fn unknown_and_bad_theme_names_are_refused() {
    assert!(
        error("nope", &Files::default()).starts_with("no theme named \"nope\" (built-in: default,")
    );
    assert_eq!(
        error("../x", &Files::default()),
        "theme name \"../x\" is not allowed (use letters, digits, - and _)"
    );
}

#[test]
fn a_missing_role_names_the_file_and_the_role() {
    let files = Files::default().with("mine", "[roles]\nbase = {}\n");
    let message = error("mine", &files);
    assert!(
        message.starts_with("user/mine.toml: roles \"muted\", \"header\""),
        "{message}"
    );
    assert!(message.ends_with("are not defined (define them here or in a theme it inherits from)"));
    let all_but_one: String = Role::ALL
        .into_iter()
        .filter(|&r| r != Role::HelpDesc)
        .map(|r| format!("\"{r}\" = {{}}\n"))
        .collect();
    let files = Files::default().with("mine", leak(format!("[roles]\n{all_but_one}")));
    assert_eq!(
        error("mine", &files),
        "user/mine.toml: role \"help.desc\" is not defined (define it here or in a theme it inherits from)"
    );
}

#[test]
fn a_bad_colour_names_file_line_role_and_value() {
    let files = Files::default().with(
        "mine",
        leak(mine("selection = { fg = \"black\", bg = \"#12345\" }")),
    );
    assert_eq!(
        error("mine", &files),
        "user/mine.toml line 3: role \"selection\", bg: \"#12345\" is not a colour (use #rrggbb: # and six hex digits)"
    );
    let files = Files::default().with("mine", leak(mine("\"alert.danger\" = { fg = \"purple\" }")));
    assert_eq!(
        error("mine", &files),
        "user/mine.toml line 3: role \"alert.danger\", fg: \"purple\" is not a colour (use default, a colour name such as red or lightblue, #rrggbb, ansi:NN or a name from [palette])"
    );
    let files = Files::default().with("mine", leak(mine("ok = { fg = \"ansi:256\" }")));
    assert!(
        error("mine", &files)
            .ends_with("\"ansi:256\" is not a colour (use ansi:NN with NN from 0 to 255)")
    );
}

#[test]
fn bad_palette_entries_are_refused() {
    let files = Files::default().with("mine", "inherits = \"mono\"\n[palette]\nsiren = \"redd\"\n");
    assert_eq!(
        error("mine", &files),
        "user/mine.toml line 3: palette \"siren\": \"redd\" is not a colour (use default, a colour name such as red or lightblue, #rrggbb or ansi:NN)"
    );
    let files = Files::default().with(
        "mine",
        "inherits = \"mono\"\n[palette]\nred = \"#ff0000\"\n",
    );
    assert!(
        error("mine", &files)
            .starts_with("user/mine.toml line 3: palette name \"red\" is taken by a colour")
    );
    // A palette entry cannot point at another one.
    let files = Files::default().with(
        "mine",
        "inherits = \"mono\"\n[palette]\na = \"red\"\nb = \"a\"\n",
    );
    assert!(error("mine", &files).contains("palette \"b\": \"a\" is not a colour"));
}

#[test]
fn palette_names_work_in_roles() {
    let files = Files::default().with(
        "mine",
        "inherits = \"mono\"\n[palette]\nsiren = \"#D70000\"\n[roles]\n\"alert.danger\" = { fg = \"siren\", bg = \"ansi:15\" }\n",
    );
    let theme = load("mine", &files).unwrap();
    assert_eq!(
        theme.style(Role::AlertDanger),
        Style::new()
            .fg(Color::Rgb(0xd7, 0, 0))
            .bg(Color::Indexed(15))
    );
}

#[test]
fn an_unknown_role_is_refused_with_its_line() {
    let files = Files::default().with(
        "mine",
        leak(mine("# typo below\nselektion = { fg = \"red\" }")),
    );
    let message = error("mine", &files);
    assert!(
        message
            .starts_with("user/mine.toml line 4: unknown role \"selektion\" (roles: base, muted,"),
        "{message}"
    );
}

#[test]
fn an_unquoted_dotted_role_says_to_quote_it() {
    let files = Files::default().with("mine", leak(mine("alert.danger = { fg = \"red\" }")));
    assert_eq!(
        error("mine", &files),
        "user/mine.toml line 3: role \"alert.danger\" has a dot, so it must be quoted (write \"alert.danger\" = { ... }, not alert.danger = { ... })"
    );
}

#[test]
fn an_unknown_modifier_is_refused() {
    let files = Files::default().with(
        "mine",
        leak(mine("match = { mods = [\"bold\", \"blink\"] }")),
    );
    assert_eq!(
        error("mine", &files),
        "user/mine.toml line 3: role \"match\", mods: \"blink\" is not a modifier (use bold, dim, italic, underlined, reversed, crossed_out)"
    );
}

#[test]
fn toml_errors_name_the_file_and_line() {
    let files = Files::default().with("mine", leak(mine("base = { fg = \"red\"")));
    let message = error("mine", &files);
    assert!(message.starts_with("user/mine.toml line 3: "), "{message}");
    // An unknown field inside a role, and a wrong type, are the parser's words plus our place.
    let files = Files::default().with("mine", leak(mine("base = { fgg = \"red\" }")));
    let message = error("mine", &files);
    assert!(
        message.starts_with("user/mine.toml line 3: unknown field `fgg`"),
        "{message}"
    );
    let files = Files::default().with("mine", "inherits = \"mono\"\n[options]\nborders = \"no\"\n");
    let message = error("mine", &files);
    assert!(message.starts_with("user/mine.toml line 3: "), "{message}");
}

#[test]
fn choose_follows_request_no_color_and_term() {
    let none = &NoUserThemes;
    assert_eq!(
        choose(None, true, Some("xterm-256color"), none)
            .unwrap()
            .name,
        "mono"
    );
    assert_eq!(
        choose(None, false, Some("linux"), none).unwrap().name,
        "ansi16"
    );
    assert_eq!(
        choose(None, false, Some("vt100"), none).unwrap().name,
        "ansi16"
    );
    assert_eq!(
        choose(None, false, Some("xterm-256color"), none)
            .unwrap()
            .name,
        "default"
    );
    assert_eq!(choose(None, false, None, none).unwrap().name, "default");
    // NO_COLOR wins over the terminal type; an explicit request wins over both.
    assert_eq!(
        choose(None, true, Some("linux"), none).unwrap().name,
        "mono"
    );
    assert_eq!(
        choose(Some("high-contrast"), true, Some("linux"), none)
            .unwrap()
            .name,
        "high-contrast"
    );
    assert!(choose(Some("nope"), false, None, none).is_err());
    assert_eq!(fallback(true, None).name, "mono");
}

#[test]
fn no_color_means_set_and_not_empty() {
    use std::ffi::OsStr;
    assert!(no_color_requested(Some(OsStr::new("1"))));
    assert!(no_color_requested(Some(OsStr::new("false"))));
    assert!(!no_color_requested(Some(OsStr::new(""))));
    assert!(!no_color_requested(None));
}

#[test]
fn colour_strings_of_each_form() {
    assert_eq!(colour::literal("default"), Ok(Some(Color::Reset)));
    assert_eq!(colour::literal("reset"), Ok(Some(Color::Reset)));
    for (name, colour) in NAMED {
        assert_eq!(colour::literal(name), Ok(Some(colour)));
    }
    assert_eq!(colour::literal("LightBlue"), Ok(Some(Color::LightBlue)));
    assert_eq!(colour::literal("#d70000"), Ok(Some(Color::Rgb(0xd7, 0, 0))));
    assert_eq!(
        colour::literal("#00FF7f"),
        Ok(Some(Color::Rgb(0, 0xff, 0x7f)))
    );
    assert_eq!(colour::literal("ansi:0"), Ok(Some(Color::Indexed(0))));
    assert_eq!(colour::literal("ansi:153"), Ok(Some(Color::Indexed(153))));
    assert_eq!(colour::literal("ansi:255"), Ok(Some(Color::Indexed(255))));
    // Not a literal: may be a palette name.
    assert_eq!(colour::literal("danger"), Ok(None));
    for bad in ["#12345", "#1234567", "#gggggg", "#", "#ééé"] {
        assert_eq!(colour::literal(bad), Err(ColourProblem::Hex), "{bad}");
    }
    for bad in [
        "ansi:", "ansi:256", "ansi:-1", "ansi:+5", "ansi: 5", "ansi:x",
    ] {
        assert_eq!(colour::literal(bad), Err(ColourProblem::Ansi), "{bad}");
    }
}

#[test]
fn modifier_names() {
    assert_eq!(colour::modifier("bold"), Some(Modifier::BOLD));
    assert_eq!(colour::modifier("crossed_out"), Some(Modifier::CROSSED_OUT));
    assert_eq!(colour::modifier("blink"), None);
    assert_eq!(colour::modifier("Bold"), None);
}
