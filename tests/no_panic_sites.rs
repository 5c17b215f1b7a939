//! The library must not panic on input: this test scans `src/` for the constructs that panic
//! (`.unwrap()`, `.expect(`, `panic!(`, `unreachable!(`, `todo!(`, `unimplemented!(`) and fails
//! with the file:line of each one. Test modules (`#[cfg(test)]` items), the CLI (`src/cli/`) and
//! `src/main.rs` are not library code and are skipped. A site that provably cannot fail may stay
//! when its line carries the marker `// no-panic: <why this cannot fail>`.
//!
//! Comments and string literals are blanked before matching, so a doc example or a message that
//! mentions `unwrap()` does not count.

use std::fs;
use std::path::{Path, PathBuf};

const PATTERNS: [&str; 6] = [
    ".unwrap()",
    ".expect(",
    "panic!(",
    "unreachable!(",
    "todo!(",
    "unimplemented!(",
];
const MARKER: &str = "// no-panic:";

/// Replaces the contents of comments, string literals and char literals with spaces, keeping
/// newlines (so line numbers still match) and the code around them.
fn blank_comments_and_strings(source: &str) -> String {
    let bytes = source.as_bytes();
    let mut out = bytes.to_vec();
    let blank = |out: &mut Vec<u8>, from: usize, to: usize| {
        for byte in out.iter_mut().take(to).skip(from) {
            if *byte != b'\n' {
                *byte = b' ';
            }
        }
    };
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'/' if bytes.get(i + 1) == Some(&b'/') => {
                let end = source[i..].find('\n').map_or(bytes.len(), |n| i + n);
                blank(&mut out, i, end);
                i = end;
            }
            b'/' if bytes.get(i + 1) == Some(&b'*') => {
                // Block comments nest in Rust.
                let mut depth = 0;
                let mut j = i;
                while j < bytes.len() {
                    if bytes[j] == b'/' && bytes.get(j + 1) == Some(&b'*') {
                        depth += 1;
                        j += 2;
                    } else if bytes[j] == b'*' && bytes.get(j + 1) == Some(&b'/') {
                        depth -= 1;
                        j += 2;
                        if depth == 0 {
                            break;
                        }
                    } else {
                        j += 1;
                    }
                }
                blank(&mut out, i, j);
                i = j;
            }
            b'r' if matches!(bytes.get(i + 1), Some(b'"' | b'#'))
                && (i == 0 || !(bytes[i - 1].is_ascii_alphanumeric() || bytes[i - 1] == b'_')) =>
            {
                // Raw string: r"..." or r#"..."#.
                let mut j = i + 1;
                let mut hashes = 0;
                while bytes.get(j) == Some(&b'#') {
                    hashes += 1;
                    j += 1;
                }
                if bytes.get(j) != Some(&b'"') {
                    i += 1;
                    continue;
                }
                let closing = format!("\"{}", "#".repeat(hashes));
                let end = source[j + 1..]
                    .find(&closing)
                    .map_or(bytes.len(), |n| j + 1 + n + closing.len());
                blank(&mut out, j + 1, end.saturating_sub(closing.len()));
                i = end;
            }
            b'"' => {
                let mut j = i + 1;
                while j < bytes.len() && bytes[j] != b'"' {
                    j += if bytes[j] == b'\\' { 2 } else { 1 };
                }
                blank(&mut out, i + 1, j.min(bytes.len()));
                i = j + 1;
            }
            b'\'' => {
                // A char literal ('x', '\n', '\u{..}'), or a lifetime ('a), which is left alone.
                if bytes.get(i + 1) == Some(&b'\\') {
                    let end = source[i + 2..].find('\'').map_or(bytes.len(), |n| i + 2 + n);
                    blank(&mut out, i + 1, end);
                    i = end + 1;
                } else if let Some(c) = source[i + 1..].chars().next() {
                    let after = i + 1 + c.len_utf8();
                    if bytes.get(after) == Some(&b'\'') {
                        blank(&mut out, i + 1, after);
                        i = after + 1;
                    } else {
                        i += 1;
                    }
                } else {
                    i += 1;
                }
            }
            _ => i += 1,
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Blanks every item that follows a `#[cfg(test)]` attribute: up to the matching `}` of its first
/// brace, or up to `;` when the item has no body.
fn blank_test_items(code: &str) -> String {
    let mut out = code.as_bytes().to_vec();
    let mut search = 0;
    while let Some(found) = code[search..].find("#[cfg(test)]") {
        let start = search + found;
        let bytes = code.as_bytes();
        let mut j = start + "#[cfg(test)]".len();
        let mut depth = 0usize;
        while j < bytes.len() {
            match bytes[j] {
                b';' if depth == 0 => {
                    j += 1;
                    break;
                }
                b'{' => depth += 1,
                b'}' => {
                    depth = depth.saturating_sub(1);
                    if depth == 0 {
                        j += 1;
                        break;
                    }
                }
                _ => {}
            }
            j += 1;
        }
        for byte in out.iter_mut().take(j).skip(start) {
            if *byte != b'\n' {
                *byte = b' ';
            }
        }
        search = j.min(code.len());
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// The panic sites of one source file, as (line number, line text).
fn sites(source: &str) -> Vec<(usize, String)> {
    let code = blank_test_items(&blank_comments_and_strings(source));
    code.lines()
        .zip(source.lines())
        .enumerate()
        .filter(|(_, (code, original))| {
            PATTERNS.iter().any(|pattern| code.contains(pattern)) && !original.contains(MARKER)
        })
        .map(|(n, (_, original))| (n + 1, original.trim().to_string()))
        .collect()
}

fn rust_files(dir: &Path, files: &mut Vec<PathBuf>) {
    let mut entries: Vec<_> = fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("read {}: {e}", dir.display()))
        .map(|entry| entry.unwrap().path())
        .collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            rust_files(&path, files);
        } else if path.extension().is_some_and(|ext| ext == "rs") {
            files.push(path);
        }
    }
}

#[test]
fn library_code_has_no_panic_sites() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let src = root.join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    assert!(files.len() > 10, "found only {} files under src/", files.len());
    // Files that are whole test modules (`#[cfg(test)] mod tests;` beside them) are test code.
    let test_files: Vec<PathBuf> = files
        .iter()
        .flat_map(|path| {
            let source = fs::read_to_string(path).unwrap();
            let dir = path.parent().unwrap().to_path_buf();
            let module_dir = if path.file_name().is_some_and(|n| n == "mod.rs" || n == "lib.rs") {
                dir
            } else {
                dir.join(path.file_stem().unwrap())
            };
            let lines: Vec<String> = source.lines().map(|l| l.trim().to_string()).collect();
            lines
                .windows(2)
                .filter(|pair| pair[0] == "#[cfg(test)]" && pair[1].starts_with("mod ") && pair[1].ends_with(';'))
                .map(|pair| {
                    module_dir.join(format!(
                        "{}.rs",
                        pair[1].trim_start_matches("mod ").trim_end_matches(';')
                    ))
                })
                .collect::<Vec<_>>()
        })
        .collect();
    let mut found = Vec::new();
    for path in files {
        let relative = path.strip_prefix(root).unwrap().to_string_lossy().replace('\\', "/");
        if relative.starts_with("src/cli/") || relative == "src/main.rs" || test_files.contains(&path) {
            continue;
        }
        let source = fs::read_to_string(&path).unwrap();
        for (line, text) in sites(&source) {
            found.push(format!("{relative}:{line}: {text}"));
        }
    }
    assert!(
        found.is_empty(),
        "panic sites in library code (handle the case, or justify with `{MARKER} <why>`):\n{}",
        found.join("\n")
    );
}

// The scanner itself, on fixtures: it must find what it is meant to find, or the test above
// proves nothing.

#[test]
fn scanner_finds_every_pattern() {
    let source = "fn a() {\n    x.unwrap();\n    y.expect(\"m\");\n    panic!(\"p\");\n    unreachable!();\n    todo!();\n    unimplemented!();\n    z.unwrap_or(1);\n}\n";
    let lines: Vec<usize> = sites(source).into_iter().map(|(n, _)| n).collect();
    assert_eq!(lines, vec![2, 3, 4, 5, 6, 7]);
}

#[test]
fn scanner_skips_test_modules_comments_strings_and_marked_lines() {
    let source = r##"
/// Example: `parse(x).unwrap()`.
fn a() -> &'static str {
    let c = '"';
    let s = "call .unwrap() here";
    let r = r#"panic!("x")"#;
    /* todo!() */
    b.unwrap(); // no-panic: b is Some by construction
    "{"
}

#[cfg(test)]
mod tests {
    fn t() { x.unwrap(); }
}

fn after() { y.unwrap(); }
"##;
    let lines: Vec<usize> = sites(source).into_iter().map(|(n, _)| n).collect();
    assert_eq!(lines, vec![17]);
}

#[test]
fn scanner_skips_a_test_item_without_body() {
    let source = "#[cfg(test)]\nuse std::fmt::Write;\nfn f() { a.unwrap(); }\n";
    let lines: Vec<usize> = sites(source).into_iter().map(|(n, _)| n).collect();
    assert_eq!(lines, vec![3]);
}
