//! `jwt-guard scan --staged`: the files the next commit adds or changes, as staged in the
//! index (`GIT_INDEX_FILE` honoured, as git sets it for hooks), for a pre-commit hook.
//!
//! Fast by doing little: the index's cached trees tell which directories are unchanged
//! since HEAD (as `git diff --cached` uses them), so only entries under changed
//! directories are compared with HEAD, and only files that differ are read and scanned.

use std::collections::{HashMap, HashSet};
use std::path::Path;

use gix::ObjectId;
use gix::bstr::{BStr, BString, ByteSlice};
use jwt_guard_scan::{Report, ScanOptions, Warning};

use super::repo;
use super::source::{scan_blob, scanner_for};
use super::to_path;

/// Scans the staged content of every file the index adds or changes relative to HEAD
/// (every staged file in a repository without commits yet). Paths in the report are
/// relative to the repository's root.
pub(crate) fn scan(
    path: &Path,
    options: &ScanOptions,
    exclude: &dyn Fn(&Path, bool) -> bool,
) -> Result<Report, String> {
    let shared = repo::open(path)?;
    let repo = repo::local(&shared);
    if repo.workdir().is_none() {
        return Err("a bare repository has no index: --staged needs a work tree".into());
    }
    let index_path = repo.index_path();
    // Like git, the index's trailing checksum is not verified on read (hashing a large
    // index costs more than the rest of a hook's work); its entries are still parsed.
    let index = if index_path.exists() {
        gix::index::File::at(&index_path, repo.object_hash(), true, Default::default())
            .map_err(|error| format!("cannot read the index {}: {error}", index_path.display()))?
    } else {
        // Nothing was ever staged.
        return Ok(Report::default());
    };
    let head_tree = match repo::head_commit(&repo)? {
        Some(id) => Some(
            repo.find_commit(id)
                .map_err(|error| format!("cannot read HEAD's commit {id}: {error}"))?
                .tree_id()
                .map_err(|error| format!("cannot read HEAD's tree: {error}"))?
                .detach(),
        ),
        None => None,
    };
    let mut head = HeadTree::new(&repo, head_tree);
    let mut unchanged = Vec::new();
    if let (Some(tree), Some(root)) = (index.tree(), head_tree) {
        head.unchanged(tree, root, &mut Vec::new(), &mut unchanged)?;
    }
    let unchanged_dirs: HashSet<BString> = unchanged.into_iter().collect();
    let mut staged = Vec::new();
    // Entries are sorted by path: a directory's verdict serves its files in a row.
    let mut last_dir: Option<(BString, bool)> = None;
    for entry in index.entries() {
        let path = entry.path(&index);
        if entry.stage_raw() != 0
            || entry
                .flags
                .contains(gix::index::entry::Flags::INTENT_TO_ADD)
            || !matches!(
                entry.mode,
                gix::index::entry::Mode::FILE | gix::index::entry::Mode::FILE_EXECUTABLE
            )
            || scanner_for(path, options).is_none()
            || under_any(path, &unchanged_dirs)
            || exclude(&to_path(path), false)
        {
            continue;
        }
        let dir = path.rfind_byte(b'/').map_or(&b""[..], |at| &path[..at]);
        let dir_skipped = match &last_dir {
            Some((last, verdict)) if last == dir => *verdict,
            _ => {
                let verdict = skipped_dir(dir.as_bstr(), &index, options, exclude);
                last_dir = Some((dir.into(), verdict));
                verdict
            }
        };
        if dir_skipped {
            continue;
        }
        if head.blob_at(path)? != Some(entry.id) {
            staged.push((path.to_owned(), entry.id));
        }
    }
    let mut report = Report::default();
    let mut buf = Vec::new();
    for (path, id) in staged {
        let label = to_path(path.as_bstr());
        let bytes = match read_blob(&repo, id, options.max_file_size, &mut buf)? {
            Ok(bytes) => bytes,
            Err(size) => {
                report.warnings.push(Warning::new(
                    label,
                    format!(
                        "{size} bytes staged, over the limit of {} (--max-file-size); not scanned",
                        options.max_file_size
                    ),
                ));
                continue;
            }
        };
        if !options.include_tests && is_test_module(&repo, &index, path.as_bstr(), options)? {
            continue;
        }
        let Some(scanner) = scanner_for(path.as_bstr(), options) else {
            continue;
        };
        if let Some(scan) = scan_blob(&label, scanner, bytes, options, |_| ()) {
            report.merge(scan.report);
        }
    }
    report
        .findings
        .sort_by(|a, b| (&a.path, a.line, a.column).cmp(&(&b.path, b.line, b.column)));
    Ok(report)
}

/// The staged blob, or its size when it is over the limit.
fn read_blob<'b>(
    repo: &gix::Repository,
    id: ObjectId,
    max: u64,
    buf: &'b mut Vec<u8>,
) -> Result<Result<&'b [u8], u64>, String> {
    use gix::prelude::{Find, Header};
    let header = repo
        .objects
        .try_header(&id)
        .map_err(|error| format!("cannot read staged blob {id}: {error}"))?
        .ok_or_else(|| format!("staged blob {id} is missing from the object database"))?;
    if header.size() > max {
        return Ok(Err(header.size()));
    }
    let data = repo
        .objects
        .try_find(&id, buf)
        .map_err(|error| format!("cannot read staged blob {id}: {error}"))?
        .ok_or_else(|| format!("staged blob {id} is missing from the object database"))?;
    Ok(Ok(data.data))
}

/// Whether `path` is under one of `dirs` (`""` is the root: everything is under it).
fn under_any(path: &BStr, dirs: &HashSet<BString>) -> bool {
    dirs.contains(b"".as_bstr())
        || memchr::memchr_iter(b'/', path).any(|at| dirs.contains(path[..at].as_bstr()))
}

/// Whether the walker leaves a directory out at HEAD: VCS metadata, `tests/` beside a
/// `Cargo.toml` (unless test code is scanned), a cargo target directory, `--exclude`;
/// or any directory above it.
fn skipped_dir(
    dir: &BStr,
    index: &gix::index::File,
    options: &ScanOptions,
    exclude: &dyn Fn(&Path, bool) -> bool,
) -> bool {
    if dir.is_empty() {
        return false;
    }
    let mut prefix: Vec<u8> = Vec::new();
    for part in dir.split_str("/") {
        let parent = prefix.clone();
        if !prefix.is_empty() {
            prefix.push(b'/');
        }
        prefix.extend_from_slice(part);
        if exclude(&to_path(prefix.as_bstr()), true)
            || [&b".git"[..], b".hg", b".svn", b".jj"].contains(&part)
        {
            return true;
        }
        let beside = |name: &str| {
            let mut p = parent.clone();
            if !p.is_empty() {
                p.push(b'/');
            }
            p.extend_from_slice(name.as_bytes());
            index.entry_by_path(p.as_bstr()).is_some()
        };
        if part == b"tests" && !options.include_tests && beside("Cargo.toml") {
            return true;
        }
        let mut tag = prefix.clone();
        tag.extend_from_slice(b"/CACHEDIR.TAG");
        if index.entry_by_path(tag.as_bstr()).is_some() {
            return true;
        }
    }
    false
}

/// Whether a staged file is an out-of-line test module (`#[cfg(test)] mod tests;`) of a
/// staged file beside it (`mod.rs`, `lib.rs`, `main.rs`) or of `dir.rs` beside its directory.
fn is_test_module(
    repo: &gix::Repository,
    index: &gix::index::File,
    path: &BStr,
    options: &ScanOptions,
) -> Result<bool, String> {
    let path = path.as_bytes();
    let (dir, file) = match path.rfind_byte(b'/') {
        Some(at) => (&path[..at], &path[at + 1..]),
        None => (&b""[..], path),
    };
    let join = |dir: &[u8], name: &[u8]| {
        let mut p = dir.to_vec();
        if !p.is_empty() {
            p.push(b'/');
        }
        p.extend_from_slice(name);
        p
    };
    let (module, declaring_dir) = if file == b"mod.rs" {
        match dir.rfind_byte(b'/') {
            Some(at) => (&dir[at + 1..], &dir[..at]),
            None if !dir.is_empty() => (dir, &b""[..]),
            None => return Ok(false),
        }
    } else {
        (file.strip_suffix(b".rs").unwrap_or(file), dir)
    };
    let mut declarers: Vec<Vec<u8>> = [&b"mod.rs"[..], b"lib.rs", b"main.rs"]
        .iter()
        .map(|name| join(declaring_dir, name))
        .collect();
    if !declaring_dir.is_empty() {
        let (parent, name) = match declaring_dir.rfind_byte(b'/') {
            Some(at) => (&declaring_dir[..at], &declaring_dir[at + 1..]),
            None => (&b""[..], declaring_dir),
        };
        let mut named = name.to_vec();
        named.extend_from_slice(b".rs");
        declarers.push(join(parent, &named));
    }
    let mut buf = Vec::new();
    for declarer in declarers {
        let Some(entry) = index.entry_by_path(declarer.as_bstr()) else {
            continue;
        };
        let Ok(bytes) = read_blob(repo, entry.id, options.max_file_size, &mut buf)? else {
            continue;
        };
        let label = to_path(declarer.as_bstr());
        let scan = jwt_guard_scan::scan_source_detailed(&label, bytes, options, |_| ());
        if scan.test_modules.iter().any(|m| m.as_bytes() == module) {
            return Ok(true);
        }
    }
    Ok(false)
}

/// A directory's entries by name: (is a blob, id); trees and blobs only.
type Dir = HashMap<BString, (bool, ObjectId)>;

/// HEAD's tree, decoded one directory at a time as lookups need it.
struct HeadTree<'r> {
    repo: &'r gix::Repository,
    root: Option<ObjectId>,
    dirs: HashMap<BString, Dir>,
}

impl<'r> HeadTree<'r> {
    fn new(repo: &'r gix::Repository, root: Option<ObjectId>) -> Self {
        HeadTree {
            repo,
            root,
            dirs: HashMap::new(),
        }
    }

    fn entries(&self, id: ObjectId) -> Result<Dir, String> {
        let mut buf = Vec::new();
        let data = super::repo::find(self.repo, id, gix::object::Kind::Tree, &mut buf)?;
        let mut entries = HashMap::new();
        for entry in gix::objs::TreeRefIter::from_bytes(data, self.repo.object_hash()) {
            let entry = entry.map_err(|error| format!("tree {id} cannot be parsed: {error}"))?;
            let is_blob = entry.mode.is_blob();
            if is_blob || entry.mode.is_tree() {
                entries.insert(entry.filename.to_owned(), (is_blob, entry.oid.to_owned()));
            }
        }
        Ok(entries)
    }

    /// The directory's entries, decoding the trees on the way.
    fn dir(&mut self, dir: &[u8]) -> Result<Option<&Dir>, String> {
        if !self.dirs.contains_key(dir.as_bstr()) {
            let id = if dir.is_empty() {
                self.root
            } else {
                let (parent, name) = match dir.rfind_byte(b'/') {
                    Some(at) => (&dir[..at], &dir[at + 1..]),
                    None => (&b""[..], dir),
                };
                self.dir(parent)?
                    .and_then(|entries| entries.get(name.as_bstr()))
                    .filter(|(is_blob, _)| !is_blob)
                    .map(|(_, id)| *id)
            };
            let Some(id) = id else { return Ok(None) };
            let entries = self.entries(id)?;
            self.dirs.insert(dir.into(), entries);
        }
        Ok(self.dirs.get(dir.as_bstr()))
    }

    fn blob_at(&mut self, path: &BStr) -> Result<Option<ObjectId>, String> {
        let path = path.as_bytes();
        let (dir, name) = match path.rfind_byte(b'/') {
            Some(at) => (&path[..at], &path[at + 1..]),
            None => (&b""[..], path),
        };
        Ok(self
            .dir(dir)?
            .and_then(|entries| entries.get(name.as_bstr()))
            .filter(|(is_blob, _)| *is_blob)
            .map(|(_, id)| *id))
    }

    /// Directories whose cached tree in the index is valid and equal to HEAD's.
    fn unchanged(
        &mut self,
        cached: &gix::index::extension::Tree,
        head: ObjectId,
        prefix: &mut Vec<u8>,
        out: &mut Vec<BString>,
    ) -> Result<(), String> {
        if cached.num_entries.is_some() && cached.id == head {
            out.push(prefix.as_bstr().to_owned());
            return Ok(());
        }
        if cached.children.is_empty() {
            return Ok(());
        }
        let entries = self.entries(head)?;
        let base = prefix.len();
        for child in &cached.children {
            if let Some((false, id)) = entries.get(child.name.as_bstr()) {
                if !prefix.is_empty() {
                    prefix.push(b'/');
                }
                prefix.extend_from_slice(&child.name);
                self.unchanged(child, *id, prefix, out)?;
                prefix.truncate(base);
            }
        }
        Ok(())
    }
}
