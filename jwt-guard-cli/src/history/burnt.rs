//! Is the deployed secret burnt? `check-env --repo` looks for it, raw and base64-encoded,
//! in every blob reachable from any ref; `check-env --digests` looks its digest up in a
//! file exported by `scan --history --export-digests` where the repository is not at hand.
//! Neither prints any part of the secret, nor of what it matched.

use std::collections::{HashMap, HashSet};
use std::fmt::Write as _;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::time::Instant;

use base64::Engine as _;
use base64::engine::general_purpose::{STANDARD, STANDARD_NO_PAD, URL_SAFE, URL_SAFE_NO_PAD};
use gix::ObjectId;
use gix::bstr::BStr;
use jwt_guard_scan::shown;
use memchr::memmem::Finder;

use super::blobs::{self, Blob};
use super::changes::{self, Changes, Filter};
use super::committed::short;
use super::date;
use super::digest::{self, Hmac};
use super::graph::{self, Graph};
use super::repo;
use super::to_path;

/// A secret to look for: the variable it came from, and its value.
pub(crate) struct Wanted<'a> {
    pub(crate) var: &'a str,
    pub(crate) value: &'a [u8],
}

impl std::fmt::Debug for Wanted<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Wanted")
            .field("var", &self.var)
            .field("value", &"<redacted>")
            .finish()
    }
}

/// What a search found, as lines to print (none holds the secret) and a verdict.
#[derive(Debug, Default)]
pub(crate) struct Outcome {
    pub(crate) lines: Vec<String>,
    /// Some secret was found.
    pub(crate) burnt: bool,
    /// Something could not be searched (a blob over the limit): "not found" is not proven.
    pub(crate) incomplete: bool,
}

/// The byte strings that betray `secret`: itself, and its base64 encodings (standard
/// and URL-safe, padded or not, and at each of the three alignments it can have inside a
/// longer encoded text, minus the characters that depend on its neighbours).
fn patterns(secret: &[u8]) -> Vec<Vec<u8>> {
    let mut out = vec![secret.to_vec()];
    for engine in [&STANDARD_NO_PAD, &URL_SAFE_NO_PAD] {
        for shift in 0..3usize {
            let mut shifted = vec![0u8; shift];
            shifted.extend_from_slice(secret);
            let encoded = engine.encode(&shifted).into_bytes();
            // Characters fed only by the secret's bytes: from the first group boundary
            // after the shift to the last complete group.
            let skip = [0, 2, 3][shift];
            let whole = shifted.len() / 3 * 4;
            if shift == 0 {
                out.push(encoded);
            } else if whole > skip && whole - skip >= digest::MIN_TOKEN {
                out.push(encoded[skip..whole].to_vec());
            }
        }
    }
    out.sort();
    out.dedup();
    out
}

/// Looks for every secret in every blob reachable from any ref (and `HEAD`) of the
/// repository at `path`.
pub(crate) fn search_repo(
    path: &Path,
    wanted: &[Wanted<'_>],
    max_blob_size: u64,
) -> Result<Outcome, String> {
    let started = Instant::now();
    let shared = repo::open(path)?;
    let local = repo::local(&shared);
    let all = everything(&shared, &local)?;
    let finders: Vec<Vec<Finder<'static>>> = wanted
        .iter()
        .map(|w| {
            patterns(w.value)
                .iter()
                .map(|p| Finder::new(p).into_owned())
                .collect()
        })
        .collect();
    // For each blob: for each secret, the offset of its first match.
    let work = |_: usize, blob: Blob<'_>| -> Result<Vec<Option<usize>>, u64> {
        match blob {
            Blob::TooLarge(size) => Err(size),
            Blob::Data(bytes) => Ok(finders
                .iter()
                .map(|patterns| patterns.iter().filter_map(|f| f.find(bytes)).min())
                .collect()),
        }
    };
    let found = blobs::read_all(&shared, &all.blobs, max_blob_size, &work)?;
    let mut outcome = Outcome::default();
    let elapsed = started.elapsed().as_secs_f64();
    for (w, wanted) in wanted.iter().enumerate() {
        let hits: HashMap<ObjectId, usize> = all
            .blobs
            .iter()
            .zip(&found)
            .filter_map(|(id, r)| match r {
                Ok(offsets) => offsets[w].map(|offset| (*id, offset)),
                Err(_) => None,
            })
            .collect();
        if hits.is_empty() {
            outcome.lines.push(format!(
                "{}: not in the history of {} ({} of {} searched, raw and base64, in {elapsed:.2} s)",
                wanted.var,
                shown(path),
                count(all.blobs.len(), "blob"),
                count(all.graph.commits.len(), "commit"),
            ));
            continue;
        }
        outcome.burnt = true;
        outcome
            .lines
            .push(describe(wanted.var, &hits, &all, &shared)?);
    }
    let too_large: Vec<(ObjectId, u64)> = all
        .blobs
        .iter()
        .zip(&found)
        .filter_map(|(id, r)| r.as_ref().err().map(|size| (*id, *size)))
        .collect();
    if !too_large.is_empty() {
        outcome.incomplete = true;
        let (id, size) = too_large
            .iter()
            .max_by_key(|(_, size)| *size)
            .copied()
            .unwrap_or((ObjectId::null(gix::hash::Kind::Sha1), 0));
        let (commit, path) = all.first_place(&id).unwrap_or_default();
        outcome.lines.push(format!(
            "error: {} over --max-blob-size ({max_blob_size} bytes) not searched, so the secret may be \
             in one (the largest, {size} bytes, is {} in commit {commit}); raise --max-blob-size",
            count(too_large.len(), "blob"),
            shown(Path::new(&path)),
        ));
    }
    Ok(outcome)
}

fn count(n: usize, word: &str) -> String {
    format!("{n} {word}{}", if n == 1 { "" } else { "s" })
}

/// Every blob reachable from every ref, with the commits and the changes that bring them.
struct Everything {
    graph: Graph,
    changes: Changes,
    blobs: Vec<ObjectId>,
    head: Option<usize>,
    head_tree: Changes,
}

impl Everything {
    /// The first commit (short id) and path of a blob.
    fn first_place(&self, id: &ObjectId) -> Option<(String, String)> {
        self.changes
            .list
            .iter()
            .find(|c| c.blob.as_ref() == Some(id))
            .map(|c| {
                (
                    short(&self.graph.commits[c.commit].id),
                    self.changes.paths.get(c.path).to_string(),
                )
            })
    }
}

fn everything(
    shared: &gix::ThreadSafeRepository,
    local: &gix::Repository,
) -> Result<Everything, String> {
    let revisions = repo::revisions(local, &[])?;
    let graph = graph::walk(local, &revisions)?;
    let all_files = |_: &BStr| true;
    let no_dir = |_: &BStr| false;
    let filter = Filter {
        file: &all_files,
        dir: &no_dir,
        links: true,
        like_walker: false,
        include_tests: true,
    };
    let mut changes = changes::collect(shared, &graph, &filter)?;
    let mut seen = HashSet::new();
    let mut blobs: Vec<ObjectId> = changes
        .list
        .iter()
        .filter_map(|c| c.blob)
        .filter(|id| seen.insert(*id))
        .collect();
    // Trees and blobs a ref points at directly.
    for &root in &revisions.loose_roots {
        let kind = local
            .find_header(root)
            .map_err(|error| format!("cannot read {root}: {error}"))?
            .kind();
        if kind == gix::object::Kind::Blob {
            if seen.insert(root) {
                blobs.push(root);
            }
        } else {
            let listed = changes::list(local, root, &filter)?;
            for change in &listed.list {
                if let Some(id) = change.blob.filter(|id| seen.insert(*id)) {
                    blobs.push(id);
                }
            }
        }
    }
    let head_id = repo::head_commit(local)?;
    let head = head_id.and_then(|id| graph.commits.iter().position(|c| c.id == id));
    let head_tree = match head {
        Some(i) => changes::list(local, graph.commits[i].tree, &filter)?,
        None => Changes::default(),
    };
    changes.list.shrink_to_fit();
    Ok(Everything {
        graph,
        changes,
        blobs,
        head,
        head_tree,
    })
}

/// `JWT_SECRET appears in commit a1b2c3d4e5f6 (2024-05-01, config/prod.env:3, removed in
/// 9f8e7d6a1b2c): it is burnt, rotate it`.
fn describe(
    var: &str,
    hits: &HashMap<ObjectId, usize>,
    all: &Everything,
    shared: &gix::ThreadSafeRepository,
) -> Result<String, String> {
    let first = all
        .changes
        .list
        .iter()
        .find(|c| c.blob.is_some_and(|id| hits.contains_key(&id)));
    let Some(first) = first else {
        // Only in a blob a ref points at directly.
        return Ok(format!(
            "{var} appears in a blob a ref points at directly: it is burnt, rotate it"
        ));
    };
    let blob = first
        .blob
        .unwrap_or_else(|| ObjectId::null(gix::hash::Kind::Sha1));
    let commit = &all.graph.commits[first.commit];
    let path = all.changes.paths.get(first.path);
    let line = line_of(shared, blob, hits.get(&blob).copied().unwrap_or_default());
    let mut text = format!(
        "{var} appears in commit {} ({}, {}:{line}",
        short(&commit.id),
        date::day(commit.time),
        shown(&to_path(path)),
    );
    let at_head: Vec<String> = all
        .head_tree
        .list
        .iter()
        .filter(|c| c.blob.is_some_and(|id| hits.contains_key(&id)))
        .map(|c| shown(&to_path(all.head_tree.paths.get(c.path))))
        .collect();
    if !at_head.is_empty() {
        let _ = write!(text, ", still at HEAD in {}", at_head.join(", "));
    } else if let Some(removed) = removed_in(all, hits) {
        let _ = write!(text, ", removed in {}", short(&removed));
    }
    let elsewhere = hits.len().saturating_sub(1);
    if elsewhere > 0 {
        let _ = write!(text, "; in {} more", count(elsewhere, "blob"));
    }
    text.push_str("): it is burnt, rotate it");
    Ok(text)
}

/// The 1-based line of `offset` in a blob (1 when it cannot be read again).
fn line_of(shared: &gix::ThreadSafeRepository, id: ObjectId, offset: usize) -> usize {
    use gix::prelude::Find;
    let repo = shared.to_thread_local();
    let mut buf = Vec::new();
    match repo.objects.try_find(&id, &mut buf) {
        Ok(Some(data)) => {
            memchr::memchr_iter(b'\n', &data.data[..offset.min(data.data.len())]).count() + 1
        }
        _ => 1,
    }
}

/// The commit of HEAD's first-parent line after which no file holds the secret.
fn removed_in(all: &Everything, hits: &HashMap<ObjectId, usize>) -> Option<ObjectId> {
    let tip = all.head?;
    let mut holding: HashSet<u32> = HashSet::new();
    let mut removed = None;
    for (commit, changes) in all.changes.along_first_parents(&all.graph, tip) {
        let had = !holding.is_empty();
        for change in changes {
            if change.dir {
                let dir = all.changes.paths.get(change.path);
                holding.retain(|&p| !all.changes.paths.is_under(p, dir));
            } else if change.blob.is_some_and(|id| hits.contains_key(&id)) {
                holding.insert(change.path);
            } else {
                holding.remove(&change.path);
            }
        }
        if had && holding.is_empty() {
            removed = Some(all.graph.commits[commit].id);
        } else if !holding.is_empty() {
            removed = None;
        }
    }
    removed
}

/// First line of a digests file.
const MAGIC: &str = "# jwt-guard committed-value digests v1";

/// Writes the salted digest of every candidate value committed to the repository at
/// `path` (every run of 16+ secret-like bytes in every blob reachable from any ref, what
/// follows `=` or `:` in it, and `slot_digests`, the values the scanner flagged) to
/// `output`. Returns how many digests were written.
pub(crate) fn export(
    path: &Path,
    output: &Path,
    salt: &Hmac,
    salt_bytes: &[u8; 32],
    slot_digests: &[[u8; 16]],
    max_blob_size: u64,
) -> Result<usize, String> {
    if let Ok(meta) = output.symlink_metadata()
        && !meta.is_file()
    {
        return Err(format!(
            "--export-digests `{}` exists and is not a regular file",
            shown(output)
        ));
    }
    let shared = repo::open(path)?;
    let local = repo::local(&shared);
    let all = everything(&shared, &local)?;
    let work = |_: usize, blob: Blob<'_>| -> Result<Vec<[u8; 16]>, u64> {
        match blob {
            Blob::TooLarge(size) => Err(size),
            Blob::Data(bytes) => {
                let mut out = Vec::new();
                digest::tokens(bytes, |token| out.push(salt.digest(token)));
                out.sort_unstable();
                out.dedup();
                Ok(out)
            }
        }
    };
    let found = blobs::read_all(&shared, &all.blobs, max_blob_size, &work)?;
    let mut digests: Vec<[u8; 16]> = slot_digests.to_vec();
    for (id, result) in all.blobs.iter().zip(found) {
        match result {
            Ok(list) => digests.extend(list),
            Err(size) => {
                let (commit, path) = all.first_place(id).unwrap_or_default();
                return Err(format!(
                    "blob {id} ({size} bytes, {} in commit {commit}) is over --max-blob-size \
                     ({max_blob_size} bytes): a digests file must cover every blob; raise the limit",
                    shown(Path::new(&path)),
                ));
            }
        }
    }
    digests.sort_unstable();
    digests.dedup();
    let mut text = String::with_capacity(digests.len() * 33 + 256);
    let _ = writeln!(text, "{MAGIC}");
    let _ = writeln!(
        text,
        "# HMAC-SHA-256 (first 16 bytes, hex) under the salt below of every committed candidate value."
    );
    let _ = writeln!(text, "salt {}", digest::hex(salt_bytes));
    for d in &digests {
        text.push_str(&digest::hex(d));
        text.push('\n');
    }
    let tmp = temp_beside(output);
    let written = std::fs::File::create(&tmp)
        .and_then(|mut file| {
            file.write_all(text.as_bytes())
                .and_then(|()| file.sync_all())
        })
        .and_then(|()| std::fs::rename(&tmp, output));
    if let Err(error) = written {
        let _ = std::fs::remove_file(&tmp);
        return Err(format!("cannot write `{}`: {error}", shown(output)));
    }
    Ok(digests.len())
}

fn temp_beside(output: &Path) -> PathBuf {
    let mut name = output
        .file_name()
        .map(|n| n.to_os_string())
        .unwrap_or_default();
    name.push(format!(".tmp-{}", std::process::id()));
    output.with_file_name(name)
}

/// Checks each secret against a digests file.
pub(crate) fn check_digests(file: &Path, wanted: &[Wanted<'_>]) -> Result<Outcome, String> {
    let text = std::fs::read_to_string(file)
        .map_err(|error| format!("cannot read the digests file `{}`: {error}", shown(file)))?;
    let bad = || format!("`{}` is not a jwt-guard digests file", shown(file));
    let mut lines = text.lines();
    if lines.next() != Some(MAGIC) {
        return Err(bad());
    }
    let mut salt = None;
    let mut digests: Vec<[u8; 16]> = Vec::new();
    for line in lines {
        if line.starts_with('#') || line.is_empty() {
            continue;
        }
        if let Some(hex) = line.strip_prefix("salt ") {
            salt = Some(digest::unhex::<32>(hex).ok_or_else(bad)?);
        } else {
            digests.push(digest::unhex::<16>(line).ok_or_else(bad)?);
        }
    }
    let salt = Hmac::new(&salt.ok_or_else(bad)?);
    digests.sort_unstable();
    let mut outcome = Outcome::default();
    for wanted in wanted {
        let forms = [
            wanted.value.to_vec(),
            STANDARD.encode(wanted.value).into_bytes(),
            STANDARD_NO_PAD.encode(wanted.value).into_bytes(),
            URL_SAFE.encode(wanted.value).into_bytes(),
            URL_SAFE_NO_PAD.encode(wanted.value).into_bytes(),
        ];
        let hit = forms
            .iter()
            .any(|form| digests.binary_search(&salt.digest(form)).is_ok());
        if hit {
            outcome.burnt = true;
            outcome.lines.push(format!(
                "{}: committed to the repository (per {}): it is burnt, rotate it",
                wanted.var,
                shown(file)
            ));
        } else {
            outcome.lines.push(format!(
                "{}: not among the {} committed values of {} (raw and base64)",
                wanted.var,
                digests.len(),
                shown(file)
            ));
        }
    }
    Ok(outcome)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_patterns_are_found_at_every_alignment() {
        let secret = b"Zq8Wm3Vx9Tr5Yh2Nb7Lp4Kc6Jd1Fg0Hs3Ae8Uw";
        let patterns = patterns(secret);
        for prefix in ["", "a", "ab", "abc", "JWT_SECRET="] {
            let mut text = prefix.as_bytes().to_vec();
            text.extend_from_slice(secret);
            text.extend_from_slice(b"\n");
            for engine in [&STANDARD, &URL_SAFE] {
                let encoded = engine.encode(&text);
                assert!(
                    patterns.iter().any(|p| encoded
                        .as_bytes()
                        .windows(p.len())
                        .any(|w| w == p.as_slice())),
                    "{prefix:?}"
                );
            }
        }
    }
}
