//! The crate-wide pass: values that cross files (issue 11, class 5) and names read as
//! variable names elsewhere (class 6).
//!
//! Every file is first scanned on its own, in parallel, and tells what it knows
//! ([`Facts`]): the functions whose parameter reaches a key sink, the SCREAMING_CASE
//! consts it uses at a sink without binding them, the secret-named consts it reads as
//! variable names, and its findings that hold only if no file reads their const as one.
//!
//! Then, per crate (the nearest directory holding a `Cargo.toml`; else the directory
//! holding `src/`; else the file's own directory), when some file asks: the crate's
//! files are read again, and those whose bytes mention an asked name (a SIMD substring
//! search) are rescanned with the crate's answers as [`Context`]: a call of a sink
//! function with a literal, or the `const` a sink elsewhere uses, is then a finding on
//! the literal's own line. A rescan may find new sink functions (a function passing its
//! parameter to one): up to [`ROUNDS`] rounds, so a value is followed through at most
//! three of the crate's own functions in one file and two more across files.
//!
//! Cost: nothing when no file asks (the registry cache's crates almost never do); else
//! one more read of the asking crate's files and one more scan of those that mention an
//! asked name. A file with facts is never recorded clean by a build script's record, so
//! the files a flow depends on are always read.

use super::Rule;
use super::read::read_limited;
use super::rules::flow::{Context, Facts};
use super::scan::{ScanOptions, Scanned, scan_source_with};
use crate::search;
use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

/// Rescan rounds per crate.
const ROUNDS: usize = 2;

/// Resolves what the files of each crate ask of each other, updating their reports.
pub(crate) fn resolve(paths: &[&Path], scanned: &mut [Scanned], options: &ScanOptions) {
    let asking = scanned
        .iter()
        .any(|s| !s.facts.sink_fns.is_empty() || !s.facts.const_queries.is_empty());
    let conditional = scanned.iter().any(|s| !s.facts.conditional_at.is_empty());
    if !asking && !conditional {
        return;
    }
    // Each crate's files, the crates in the order of their first file.
    let mut units: Vec<Vec<usize>> = Vec::new();
    let mut unit_at: HashMap<PathBuf, usize> = HashMap::new();
    let mut memo = HashMap::new();
    for (i, path) in paths.iter().enumerate() {
        let next = units.len();
        let at = *unit_at.entry(unit_of(path, &mut memo)).or_insert(next);
        if at == next {
            units.push(Vec::new());
        }
        units[at].push(i);
    }
    for files in units {
        resolve_unit(paths, &files, scanned, options);
    }
}

fn resolve_unit(paths: &[&Path], files: &[usize], scanned: &mut [Scanned], options: &ScanOptions) {
    let mut ctx = Context::default();
    let learn = |ctx: &mut Context, facts: &Facts, path: &Path| {
        for f in &facts.sink_fns {
            if !ctx.sink_fns.contains(f) {
                ctx.sink_fns.push(f.clone());
            }
        }
        for name in &facts.const_queries {
            ctx.wanted_consts
                .entry(name.clone())
                .or_insert_with(|| format!("`{}`", path.display()));
        }
    };
    for &i in files {
        learn(&mut ctx, &scanned[i].facts, paths[i]);
    }
    let mut asked: HashSet<String> = HashSet::new();
    for _ in 0..ROUNDS {
        // The names not asked about yet, each once.
        let mut needles: Vec<String> = Vec::new();
        // `Keys::new(..)` is found by its type, a free function by its name.
        let fns = ctx
            .sink_fns
            .iter()
            .map(|f| f.owner.as_ref().unwrap_or(&f.name));
        for name in fns.chain(ctx.wanted_consts.keys()) {
            if asked.insert(name.clone()) {
                needles.push(name.clone());
            }
        }
        if needles.is_empty() {
            break;
        }
        let finders: Vec<search::memmem::Finder<'_>> = needles
            .iter()
            .map(|n| search::memmem::Finder::new(n.as_bytes()))
            .collect();
        let round_ctx = ctx.clone();
        for &i in files {
            let Ok((bytes, _)) = read_limited(paths[i], options.max_file_size) else {
                continue;
            };
            if !finders.iter().any(|f| f.find(&bytes).is_some()) {
                continue;
            }
            let (report, test_modules, facts, _) =
                scan_source_with(paths[i], &bytes, options, Some(&round_ctx), &mut |_| ());
            learn(&mut ctx, &facts, paths[i]);
            let done = &mut scanned[i];
            done.report = report;
            done.test_modules = test_modules;
            done.facts = merge(std::mem::take(&mut done.facts), facts);
        }
    }
    // A name-shaped value is a name when any file of the crate reads its const as one.
    let mut read_as_names: HashSet<String> = HashSet::new();
    for &i in files {
        read_as_names.extend(scanned[i].facts.var_names.iter().cloned());
    }
    for &i in files {
        let done = &mut scanned[i];
        let names: Vec<(usize, usize)> = done
            .facts
            .conditional_at
            .iter()
            .filter(|(_, _, name)| read_as_names.contains(name))
            .map(|(line, column, _)| (*line, *column))
            .collect();
        if !names.is_empty() {
            done.report.findings.retain(|f| {
                !(f.rule == Rule::SecretBinding && names.contains(&(f.line, f.column)))
            });
            done.facts
                .conditional_at
                .retain(|(line, column, _)| !names.contains(&(*line, *column)));
        }
    }
}

/// A rescan's facts replace the first scan's, keeping what only the first knew.
fn merge(first: Facts, mut again: Facts) -> Facts {
    for f in first.sink_fns {
        if !again.sink_fns.contains(&f) {
            again.sink_fns.push(f);
        }
    }
    for q in first.const_queries {
        if !again.const_queries.contains(&q) {
            again.const_queries.push(q);
        }
    }
    for n in first.var_names {
        if !again.var_names.contains(&n) {
            again.var_names.push(n);
        }
    }
    again
}

/// The crate a file belongs to: the nearest directory with a `Cargo.toml`, else the
/// parent of the nearest `src`, else the file's directory.
fn unit_of(path: &Path, memo: &mut HashMap<PathBuf, PathBuf>) -> PathBuf {
    let dir = path.parent().unwrap_or(Path::new("")).to_path_buf();
    if let Some(unit) = memo.get(&dir) {
        return unit.clone();
    }
    let mut src_parent = None;
    let mut unit = None;
    for ancestor in dir.ancestors() {
        if ancestor.as_os_str().is_empty() {
            break;
        }
        if ancestor.join("Cargo.toml").is_file() {
            unit = Some(ancestor.to_path_buf());
            break;
        }
        if src_parent.is_none() && ancestor.file_name().is_some_and(|n| n == "src") {
            src_parent = ancestor.parent().map(Path::to_path_buf);
        }
    }
    let unit = unit.or(src_parent).unwrap_or_else(|| dir.clone());
    memo.insert(dir, unit.clone());
    unit
}
