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
