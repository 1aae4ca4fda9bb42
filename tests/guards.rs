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
        ("service", &["ratatui", "crossterm"]),
        ("app", &["sled"]),
        ("cli", &["sled", "ratatui"]),
    ];
    for (layer, forbidden) in rules {
        let mut files = vec![root.join(format!("{layer}.rs"))];
        files.extend(rust_files(&root.join(layer)));
        for file in files.iter().filter(|f| f.exists()) {
            for (n, code) in code_lines(file) {
                for word in *forbidden {
                    assert!(
                        !code.contains(word),
                        "{}:{n}: the {layer} layer must not use {word}",
                        file.display(),
                    );
                }
            }
        }
    }
}

/// Storage is one seam: outside `src/store/` the code speaks the `Backend` trait and its
/// typed lookups, so a second engine can stand under the service. Nothing else names sled,
/// builds a key or reads an index tree.
#[test]
fn sled_and_keys_stay_under_the_store() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let store = root.join("src/store");
    let forbidden = [
        "sled",
        "KeyBuf",
        "store::keys",
        "store::Index",
        "store::indexes",
        "index_prefix",
        "index_range",
        "record_key",
    ];
    let mut files = rust_files(&root.join("src"));
    files.extend(rust_files(&root.join("benches")));
    files.extend(rust_files(&root.join("examples")));
    let outside: Vec<_> = files
        .iter()
        .filter(|f| !f.starts_with(&store) && *f != &root.join("src/store.rs"))
        .collect();
    assert!(outside.len() > 50, "found only {} sources", outside.len());
    for file in outside {
        for (n, code) in code_lines(file) {
            // `sled` as a word (not `SledBackend`, which names the engine to open it).
            let words = code.split(|c: char| !c.is_alphanumeric() && c != '_');
            let names_sled = words.clone().any(|w| w == "sled");
            for word in forbidden {
                let found = match word {
                    "sled" => names_sled,
                    _ => code.contains(word),
                };
                assert!(
                    !found,
                    "{}:{n}: {word} outside src/store/: ask the Backend trait (a Lookup) instead",
                    file.strip_prefix(root).unwrap_or(file).display()
                );
            }
        }
    }
}

/// The tests open their storage engine in one place (`tests/engine/mod.rs`), so that a
/// second engine runs the service-level tests by changing it. Only the tests of the sled
/// engine itself (its files, locks, crashes and damage) name it.
#[test]
fn tests_open_the_engine_in_one_place() {
    let tests = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests");
    let of_the_sled_engine = [
        "engine/mod.rs",
        "guards.rs",
        "store.rs",
        "crash.rs",
        "crash/acknowledged.rs",
        // Power cuts: what the sled engine's files keep (the harness is a filesystem).
        "power_cut.rs",
        "power_cut/files.rs",
        "corrupt_store.rs",
        "disk_full.rs",
        "backup.rs",
        // The console's refusal while another process holds the store's lock.
        "pty.rs",
        // Whether a refused command left store files behind.
        "socket_only.rs",
        // Moving a store from the sled engine to PostgreSQL and back names both.
        "migrate.rs",
    ];
    let files = rust_files(&tests);
    assert!(files.len() > 30, "found only {} test sources", files.len());
    for file in files {
        let name = file.strip_prefix(&tests).unwrap_or(&file);
        if of_the_sled_engine
            .iter()
            .any(|f| name == std::path::Path::new(f))
        {
            continue;
        }
        for (n, code) in code_lines(&file) {
            assert!(
                !code.contains("SledBackend"),
                "tests/{}:{n}: open the engine with tests/engine/mod.rs (engine::open), not SledBackend",
                name.display()
            );
        }
    }
}

/// Every `.rs` file under `dir`.
fn rust_files(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut files = Vec::new();
    let mut dirs = vec![dir.to_path_buf()];
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(&dir).into_iter().flatten().flatten() {
            let path = entry.path();
            if path.is_dir() {
                dirs.push(path)
            } else if path.extension().is_some_and(|e| e == "rs") {
                files.push(path)
            }
        }
    }
    files
}

/// A file's lines (numbered from 1) with any `//` comment cut off: code, not comments.
fn code_lines(file: &std::path::Path) -> Vec<(usize, String)> {
    let text = std::fs::read_to_string(file).expect("source");
    text.lines()
        .enumerate()
        .map(|(n, line)| (n + 1, line.split("//").next().unwrap_or("").to_string()))
        .collect()
}

/// One clock: the host's is read only by `Clock::system` (in `domain/time.rs`), and only
/// the edges call that — the command line, the example programs and the benchmarks. The
/// domain, the store, the service and the console are handed a clock or an instant, so a
/// record is stamped with the time it was given (the session's, the import's, the
/// sample's) and a test with a fixed clock is fixed all the way down. This is how the
/// sample's hits once fell out of a fixed report period as the real date moved on.
#[test]
fn the_host_clock_is_read_in_one_place() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let host_reads = [
        "Utc::now",
        "Local::now",
        "SystemTime::now",
        "UNIX_EPOCH.elapsed",
    ];
    let clock_definition = root.join("src/domain/time.rs");
    let mut reads_in_definition = 0;
    let mut files = rust_files(&root.join("src"));
    files.extend(rust_files(&root.join("examples")));
    files.extend(rust_files(&root.join("benches")));
    assert!(files.len() > 50, "found only {} sources", files.len());
    for file in &files {
        let relative = file.strip_prefix(root).expect("under the crate");
        let edge = !relative.starts_with("src") || relative.starts_with("src/cli");
        for (n, code) in code_lines(file) {
            for read in host_reads {
                if !code.contains(read) {
                    continue;
                }
                assert_eq!(
                    file,
                    &clock_definition,
                    "{}:{n}: reads the host clock ({read}); take a Clock or an instant, or call Clock::system() at the edge",
                    relative.display()
                );
                reads_in_definition += 1;
            }
            assert!(
                edge || !code.contains("Clock::system()"),
                "{}:{n}: only the command line, examples and benchmarks call Clock::system(); hand a Clock down instead",
                relative.display()
            );
        }
    }
    assert_eq!(reads_in_definition, 1, "Clock::system reads Utc::now once");
}

/// The README's role × request table is the one list of requests (`service/requests.rs`).
#[test]
fn readme_requests_match_the_list() {
    let readme =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).expect("README");
    let table = trucban::service::requests::markdown();
    assert!(
        readme.contains(&table),
        "README's table of requests is stale: run `trucban requests` and paste it"
    );
    // Every request that crosses the socket is in the list, once.
    let names: Vec<&str> = trucban::service::requests::all()
        .iter()
        .map(|s| s.name)
        .collect();
    assert_eq!(names, trucban::service::wire::Request::METHODS);
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

/// The console's core: every file under `src/app/` but the shell's (`shell.rs`, `shell/`)
/// and `app.rs`, which only declares the modules and re-exports the shell.
fn console_core(root: &std::path::Path) -> Vec<std::path::PathBuf> {
    let app = root.join("src/app");
    let mut files: Vec<_> = rust_files(&app)
        .into_iter()
        .filter(|f| !f.starts_with(app.join("shell")) && *f != app.join("shell.rs"))
        .collect();
    files.sort();
    files
}

/// The core is pure in fact (house style): `update` gets the time in `Ctx.now` and asks the
/// service through effects, so no file of the core names the service, reads a clock or
/// reaches into the shell (which is where loading, drafts on disk and the terminal live).
#[test]
fn console_core_imports_neither_service_nor_clock() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let core = console_core(root);
    assert!(core.len() > 20, "found only {} core files", core.len());
    let forbidden = [
        "crate::service",
        "DeskApi",
        "Utc::now",
        "Local::now",
        "SystemTime::now",
        "Instant::now",
        "Clock::system",
        // The shell, and what `app.rs` re-exports of it.
        "shell::",
        "app::App",
        "app::Options",
        "run_console",
        "app::present",
        "super::present",
        "app::lean_backend",
        "super::lean_backend",
    ];
    for file in &core {
        for (n, code) in code_lines(file) {
            for word in forbidden {
                assert!(
                    !code.contains(word),
                    "{}:{n}: the console's core must not use {word}: take the time from Ctx.now, \
                     ask the service with an Effect, and leave loading to the shell (src/app/shell/)",
                    file.strip_prefix(root).unwrap_or(file).display()
                );
            }
        }
    }
}

/// The core's modules import one way: no module reaches, through others, back to itself
/// (the loop `state → roster_page → update → state` once held eight files together).
#[test]
fn console_core_modules_import_one_way() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let graph = import_graph("app", &console_core(root));
    assert!(
        graph.get("update").is_some_and(|to| to.contains("state")),
        "the import graph was not read (update → state is missing): {graph:?}"
    );
    if let Some(cycle) = first_cycle(&graph) {
        panic!(
            "the console's core imports in a loop: {} (move what both need into a module \
             that neither imports, e.g. the messages or the state)",
            cycle.join(" → ")
        );
    }
}

/// The service's and the command line's modules import one way too (the loops daemon ↔
/// session ↔ local ↔ roster and commands ↔ checklists/handover/roster/sample_data are gone).
#[test]
fn service_and_cli_modules_import_one_way() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    for (layer, sample_edge) in [
        ("service", ("daemon", "gate")),
        ("cli", ("commands", "desks")),
    ] {
        let graph = import_graph(layer, &rust_files(&root.join(layer)));
        assert!(
            graph
                .get(sample_edge.0)
                .is_some_and(|to| to.contains(sample_edge.1)),
            "the {layer} import graph was not read ({} → {} is missing): {graph:?}",
            sample_edge.0,
            sample_edge.1
        );
        if let Some(cycle) = first_cycle(&graph) {
            panic!(
                "src/{layer} imports in a loop: {} (move what both need into a module that \
                 neither imports)",
                cycle.join(" → ")
            );
        }
    }
}

type Graph = std::collections::BTreeMap<String, std::collections::BTreeSet<String>>;

/// Which module of `src/<layer>/` each file's code (before its tests) names — not counting
/// its own children: `use` lines,
/// `crate::<layer>::…` and `super::…` paths, and child modules named by a relative path.
fn import_graph(layer: &str, files: &[std::path::PathBuf]) -> Graph {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("src")
        .join(layer);
    let name = |file: &std::path::Path| {
        let relative = file.strip_prefix(&dir).expect("under the layer");
        relative
            .with_extension("")
            .to_string_lossy()
            .replace(std::path::MAIN_SEPARATOR, "::")
    };
    let modules: std::collections::BTreeSet<String> = files.iter().map(|f| name(f)).collect();
    let mut graph = Graph::new();
    for file in files {
        let from = name(file);
        let to = named_paths(file)
            .iter()
            .filter_map(|path| resolve_module(layer, &from, path, &modules))
            // A parent names its children (declares, re-exports them): the edge that
            // matters is the other way, and between modules that are not parent and child.
            .filter(|to| *to != from && !to.starts_with(&format!("{from}::")))
            .collect();
        graph.insert(from, to);
    }
    graph
}

/// A loop in the graph, if there is one: depth-first, a module met again while still open
/// closes it.
fn first_cycle(graph: &Graph) -> Option<Vec<String>> {
    fn visit<'a>(
        at: &'a str,
        graph: &'a Graph,
        open: &mut Vec<&'a str>,
        done: &mut std::collections::BTreeSet<&'a str>,
    ) -> Option<Vec<String>> {
        if let Some(i) = open.iter().position(|m| *m == at) {
            let mut cycle: Vec<String> = open[i..].iter().map(|m| m.to_string()).collect();
            cycle.push(at.to_string());
            return Some(cycle);
        }
        if !done.insert(at) {
            return None;
        }
        open.push(at);
        for next in graph.get(at).into_iter().flatten() {
            if let Some(cycle) = visit(next, graph, open, done) {
                return Some(cycle);
            }
        }
        open.pop();
        None
    }
    let mut done = std::collections::BTreeSet::new();
    graph
        .keys()
        .find_map(|module| visit(module, graph, &mut Vec::new(), &mut done))
}

/// The paths a file's code names before its tests: every `a::b::c` run (so `crate::app::x`,
/// `super::x`, `child::f`), and each `use` line with its `{…}` groups expanded.
fn named_paths(file: &std::path::Path) -> Vec<String> {
    let mut code = String::new();
    for (_, line) in code_lines(file) {
        if line.trim_start().starts_with("#[cfg(test)]") {
            break;
        }
        code.push_str(&line);
        code.push('\n');
    }
    let path_char = |c: char| c.is_alphanumeric() || c == '_' || c == ':';
    let mut paths: Vec<String> = code
        .split(|c: char| !path_char(c))
        .filter(|run| run.contains("::") && !run.starts_with(':'))
        .map(str::to_string)
        .collect();
    let mut rest = code.as_str();
    while let Some(at) = rest.find("use ") {
        let before = rest[..at].chars().next_back();
        let after = &rest[at + 4..];
        let end = after.find(';').unwrap_or(after.len());
        if before.is_none_or(|c| c.is_whitespace()) {
            expand_use("", &after[..end], &mut paths);
        }
        rest = &after[end..];
    }
    paths
}

/// `a::{b, c::{d, e as f}}` ⇒ `a::b`, `a::c::d`, `a::c::e`.
fn expand_use(prefix: &str, body: &str, out: &mut Vec<String>) {
    let mut depth = 0;
    let mut start = 0;
    let mut items = Vec::new();
    for (i, c) in body.char_indices() {
        match c {
            '{' => depth += 1,
            '}' => depth -= 1,
            ',' if depth == 0 => {
                items.push(&body[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    items.push(&body[start..]);
    for item in items.iter().map(|i| i.trim()).filter(|i| !i.is_empty()) {
        match (item.find('{'), item.rfind('}')) {
            (Some(open), Some(close)) => {
                let head: String = item[..open].split_whitespace().collect();
                expand_use(&format!("{prefix}{head}"), &item[open + 1..close], out);
            }
            _ => {
                let path = item.split(" as ").next().unwrap_or(item).trim();
                out.push(format!("{prefix}{path}"));
            }
        }
    }
}

/// The module of the layer that `path`, named in module `from`, reaches: the longest
/// prefix that is a module, or `None` if the path leaves `crate::<layer>` or names nothing.
fn resolve_module(
    layer: &str,
    from: &str,
    path: &str,
    modules: &std::collections::BTreeSet<String>,
) -> Option<String> {
    let segments: Vec<&str> = path.split("::").filter(|s| !s.is_empty()).collect();
    let mut base: Vec<&str> = from.split("::").collect();
    let rest: &[&str] = match segments.as_slice() {
        ["crate", top, rest @ ..] if *top == layer => {
            base.clear();
            rest
        }
        ["self", rest @ ..] => rest,
        ["super", ..] => {
            let ups = segments.iter().take_while(|s| **s == "super").count();
            base.truncate(base.len().saturating_sub(ups));
            &segments[ups..]
        }
        [first, ..] if modules.contains(&format!("{from}::{first}")) => &segments[..],
        _ => return None,
    };
    (0..=rest.len()).rev().find_map(|n| {
        let candidate = base
            .iter()
            .chain(&rest[..n])
            .copied()
            .collect::<Vec<_>>()
            .join("::");
        modules.contains(&candidate).then_some(candidate)
    })
}
