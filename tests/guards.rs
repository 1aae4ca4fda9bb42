//! The README's column reference is generated from the import mappings (`trucban columns`);
//! this keeps the two from drifting apart.

use trucban::domain::Kind;

#[test]
fn readme_columns_match_the_importers() {
    let readme =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).expect("README");
    for kind in Kind::ALL {
        let table = trucban::service::interchange::columns_markdown(kind);
        assert!(
            readme.contains(&table),
            "README is missing or has a stale column table for {kind}: run `trucban columns` and paste it"
        );
    }
    let first_lines: Vec<&str> = readme.lines().take(6).collect();
    assert!(
        first_lines
            .iter()
            .any(|l| l.starts_with("cargo run --release -- demo")),
        "README must start with the demo command"
    );
    assert!(
        first_lines.iter().any(|l| l.starts_with("cargo test")),
        "README must start with the test command"
    );
}

/// Each layer's one grep-able rule (house style): code, not comments, is checked.
#[test]
fn layers_keep_to_their_jobs() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let rules: &[(&str, &[&str])] = &[
        ("domain", &["ratatui", "sled", "crossterm"]),
        ("ui", &["sled", "std::fs", "Utc::now", "Local::now"]),
        ("service", &["ratatui", "crossterm", "sled::"]),
        ("app", &["sled"]),
        ("cli", &["sled", "ratatui"]),
    ];
    for (layer, forbidden) in rules {
        let mut files = vec![root.join(format!("{layer}.rs"))];
        let mut dirs = vec![root.join(layer)];
        while let Some(dir) = dirs.pop() {
            for entry in std::fs::read_dir(&dir).into_iter().flatten().flatten() {
                let path = entry.path();
                if path.is_dir() {
                    dirs.push(path)
                } else {
                    files.push(path)
                }
            }
        }
        for file in files.iter().filter(|f| f.exists()) {
            let text = std::fs::read_to_string(file).expect("source");
            for (n, line) in text.lines().enumerate() {
                let code = line.split("//").next().unwrap_or("");
                for word in *forbidden {
                    assert!(
                        !code.contains(word),
                        "{}:{}: the {layer} layer must not use {word}",
                        file.display(),
                        n + 1
                    );
                }
            }
        }
    }
}

#[test]
fn readme_keys_match_the_keymap() {
    let readme =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).expect("README");
    let keys = trucban::app::keymap::Keymap::builtin().markdown();
    assert!(
        readme.contains(&keys),
        "README key tables are stale: run `trucban keys` and paste them"
    );
}

#[test]
fn every_theme_file_is_a_builtin_theme() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("themes");
    let mut files: Vec<String> = std::fs::read_dir(dir)
        .expect("themes/")
        .flatten()
        .filter_map(|e| {
            e.path()
                .file_stem()
                .map(|s| s.to_string_lossy().into_owned())
        })
        .collect();
    files.sort();
    let mut builtin: Vec<String> = trucban::ui::theme::builtin_names()
        .iter()
        .map(|s| s.to_string())
        .collect();
    builtin.sort();
    assert_eq!(files, builtin, "themes/ and the built-in theme list differ");
}
