//! Scanner throughput: `cargo bench -p jwt-guard-cli --bench scan -- [OPTIONS] [DIR]`
//!
//! Without DIR, scans a generated corpus of realistic Rust (in memory); with DIR, every
//! `.rs` file under it (read into memory first, so the disk is not timed). Prints the
//! median over `--runs N` (default 10) of one full pass, with MB/s and files/s, single
//! threaded. `--write-crate DIR` writes the generated corpus as a compiling crate instead
//! (at least 20,000 lines, for timing the build script: see bench/README.md). `--lexers`
//! times the lexers alone instead: the scanner's hand-written one against rustc's own
//! (`ra-ap-rustc_lexer`, a dev-dependency of this bench only), on the same files.
#![allow(clippy::unwrap_used)]

mod corpus;

/// The scanner's lexer, compiled into the bench from its source (it is private to the
/// library), so both lexers are timed in the same optimised build. Cargo builds benches
/// with `--cfg test` (not `--test`), so its test modules compile but run nowhere.
#[allow(dead_code, unused_imports, unreachable_pub)]
#[path = "../../../jwt-guard-scan/src/lexer.rs"]
mod lexer;

/// The lexer's searches: memchr's, as in the CLI's scanner (feature `fast-search`).
mod search {
    pub(crate) use memchr::{memchr, memchr2, memchr3};
}

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use jwt_guard_scan::{ScanOptions, scan_source};

const USAGE: &str =
    "usage: scan [--runs N] [--files N] [--include-tests] [--lexers] [DIR | --write-crate DIR]";

struct Options {
    runs: usize,
    files: usize,
    include_tests: bool,
    lexers: bool,
    dir: Option<PathBuf>,
    write_crate: Option<PathBuf>,
}

fn parse_args() -> Result<Options, String> {
    let mut options = Options {
        runs: 10,
        files: 1500,
        include_tests: false,
        lexers: false,
        dir: None,
        write_crate: None,
    };
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let mut value = |name: &str| args.next().ok_or(format!("{name} needs a value"));
        match arg.as_str() {
            "--bench" => {} // passed by `cargo bench`
            "--runs" => {
                options.runs = value("--runs")?
                    .parse()
                    .map_err(|e| format!("--runs: {e}"))?
            }
            "--files" => {
                options.files = value("--files")?
                    .parse()
                    .map_err(|e| format!("--files: {e}"))?
            }
            "--include-tests" => options.include_tests = true,
            "--lexers" => options.lexers = true,
            "--write-crate" => options.write_crate = Some(value("--write-crate")?.into()),
            "-h" | "--help" => return Err(USAGE.into()),
            other if !other.starts_with('-') => options.dir = Some(other.into()),
            other => return Err(format!("unknown option {other}\n{USAGE}")),
        }
    }
    options.runs = options.runs.max(1);
    Ok(options)
}

fn main() {
    let options = match parse_args() {
        Ok(options) => options,
        Err(message) => {
            eprintln!("{message}");
            std::process::exit(2);
        }
    };
    if let Some(dir) = &options.write_crate {
        write_crate(dir);
        return;
    }
    let (label, sources) = match &options.dir {
        Some(dir) => (dir.display().to_string(), read_rust_files(dir)),
        None => {
            let generated = corpus::corpus(42, options.files, 12);
            let sources = generated
                .into_iter()
                .map(|(path, text)| (path.into(), text.into_bytes()))
                .collect();
            (
                format!("generated corpus ({} files)", options.files),
                sources,
            )
        }
    };
    if options.lexers {
        bench_lexers(&label, &sources, &options);
    } else {
        bench(&label, &sources, &options);
    }
}

fn bench(label: &str, sources: &[(PathBuf, Vec<u8>)], options: &Options) {
    let bytes: usize = sources.iter().map(|(_, text)| text.len()).sum();
    let lines: usize = sources
        .iter()
        .map(|(_, text)| text.iter().filter(|&&b| b == b'\n').count())
        .sum();
    let scan_options = ScanOptions::default().include_tests(options.include_tests);
    let mut times = Vec::with_capacity(options.runs);
    let mut findings = 0;
    for _ in 0..options.runs {
        let start = Instant::now();
        findings = 0;
        for (path, text) in sources {
            findings += std::hint::black_box(scan_source(path, text, &scan_options))
                .findings
                .len();
        }
        times.push(start.elapsed());
    }
    times.sort();
    let median = times[times.len() / 2];
    let seconds = median.as_secs_f64();
    println!(
        "{label}: {} files, {:.1} MB, {lines} lines, {findings} findings",
        sources.len(),
        bytes as f64 / 1e6
    );
    println!(
        "median of {} runs: {:.1} ms  ({:.0} MB/s, {:.0} files/s; min {:.1} ms, max {:.1} ms)",
        options.runs,
        ms(median),
        bytes as f64 / 1e6 / seconds,
        sources.len() as f64 / seconds,
        ms(times[0]),
        ms(times[times.len() - 1]),
    );
}

/// Lexes every UTF-8 file with both lexers, `--runs` times each (alternating, so both
/// meet the same machine load), and prints each one's median pass and their ratio.
fn bench_lexers(label: &str, sources: &[(PathBuf, Vec<u8>)], options: &Options) {
    let texts: Vec<&str> = sources
        .iter()
        .filter_map(|(_, text)| std::str::from_utf8(text).ok())
        .collect();
    let bytes: usize = texts.iter().map(|t| t.len()).sum();
    let (mut ours, mut rustc) = (Vec::new(), Vec::new());
    let (mut our_tokens, mut rustc_tokens) = (0, 0);
    for _ in 0..options.runs {
        let start = Instant::now();
        our_tokens = texts.iter().map(|t| lex_ours(t)).sum();
        ours.push(start.elapsed());
        let start = Instant::now();
        rustc_tokens = texts.iter().map(|t| lex_rustc(t)).sum();
        rustc.push(start.elapsed());
    }
    println!(
        "{label}: {} UTF-8 files, {:.1} MB; tokens: {our_tokens} hand-written, {rustc_tokens} rustc_lexer",
        texts.len(),
        bytes as f64 / 1e6
    );
    let report = |name: &str, times: &mut Vec<Duration>| {
        times.sort();
        let median = times[times.len() / 2];
        println!(
            "{name}: median of {} runs {:.1} ms ({:.0} MB/s; min {:.1} ms, max {:.1} ms)",
            times.len(),
            ms(median),
            bytes as f64 / 1e6 / median.as_secs_f64(),
            ms(times[0]),
            ms(times[times.len() - 1]),
        );
        median
    };
    let a = report("hand-written lexer  ", &mut ours);
    let b = report("ra-ap-rustc_lexer   ", &mut rustc);
    println!(
        "rustc_lexer / hand-written: {:.2}",
        b.as_secs_f64() / a.as_secs_f64()
    );
}

/// The scanner's lexer: code tokens and comments, as spans, in one vector each.
fn lex_ours(text: &str) -> usize {
    let lexed = std::hint::black_box(lexer::lex(text.as_bytes()));
    lexed.tokens.len() + lexed.comments.len()
}

/// rustc's lexer driven as rustc drives it (byte order mark, shebang, no frontmatter),
/// its tokens but whitespace collected as spans, the product the scanner needs.
fn lex_rustc(text: &str) -> usize {
    use ra_ap_rustc_lexer as rl;
    let mut pos = if text.starts_with('\u{feff}') { 3 } else { 0 };
    pos += rl::strip_shebang(&text[pos..]).unwrap_or(0);
    let mut spans = Vec::with_capacity(text.len() / 5);
    for token in rl::tokenize(&text[pos..], rl::FrontmatterAllowed::No) {
        let end = pos + token.len as usize;
        if token.kind != rl::TokenKind::Whitespace {
            spans.push((token.kind, pos as u32, end as u32));
        }
        pos = end;
    }
    std::hint::black_box(spans).len()
}

fn ms(duration: Duration) -> f64 {
    duration.as_secs_f64() * 1e3
}

/// Every `.rs` file under `dir`, no ignore rules, no symlinks followed.
fn read_rust_files(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut files = Vec::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(dir) = pending.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for entry in entries.flatten() {
            let Ok(kind) = entry.file_type() else {
                continue;
            };
            let path = entry.path();
            if kind.is_dir() {
                pending.push(path);
            } else if kind.is_file()
                && path.extension().is_some_and(|ext| ext == "rs")
                && let Ok(text) = std::fs::read(&path)
            {
                files.push((path, text));
            }
        }
    }
    files.sort();
    files
}

/// A crate of generated modules, at least 20,000 lines, with a `build.rs` that runs the guard.
fn write_crate(dir: &Path) {
    let guard = Path::new(env!("CARGO_MANIFEST_DIR")).join("../jwt-guard");
    let guard = guard.canonicalize().unwrap_or(guard);
    std::fs::create_dir_all(dir.join("src")).unwrap();
    let manifest = format!(
        "[package]\nname = \"generated-service\"\nversion = \"0.0.0\"\nedition = \"2024\"\npublish = false\n\n\
         [build-dependencies]\njwt-guard = {{ path = {:?}, default-features = false, features = [\"build\"] }}\n\n[workspace]\n",
        guard.display().to_string()
    );
    std::fs::write(dir.join("Cargo.toml"), manifest).unwrap();
    std::fs::write(
        dir.join("build.rs"),
        "fn main() {\n    jwt_guard::build::check();\n}\n",
    )
    .unwrap();
    let mut lib = String::from("//! Generated for the jwt-guard build-script benchmark.\n\n");
    let (mut lines, mut files) = (0, 0);
    while lines < 20_000 {
        let text = corpus::module(42, files, 6);
        lib.push_str(&format!("pub mod m{files};\n"));
        lines += text.lines().count();
        std::fs::write(dir.join(format!("src/m{files}.rs")), text).unwrap();
        files += 1;
    }
    std::fs::write(dir.join("src/lib.rs"), lib).unwrap();
    println!("wrote {} ({files} modules, {lines} lines)", dir.display());
}
