//! What each commit brings: its tree compared with its first parent's, subtree by
//! subtree (an unchanged subtree is one id comparison), giving the files it adds or
//! changes and the paths it deletes.

use std::collections::{HashMap, HashSet};

use gix::ObjectId;
use gix::bstr::{BStr, BString, ByteSlice};

use super::graph::Graph;

/// A file a commit adds or changes, or a path it deletes.
#[derive(Debug, Clone)]
pub(crate) struct Change {
    /// Index in [`Graph::commits`].
    pub(crate) commit: usize,
    /// Index in [`Changes::paths`].
    pub(crate) path: u32,
    /// The file's new content; `None` when the path is deleted.
    pub(crate) blob: Option<ObjectId>,
    /// A deleted directory: every path under it goes.
    pub(crate) dir: bool,
    /// The files that may declare this one an out-of-line test module (`mod.rs`, `lib.rs`,
    /// `main.rs` beside it, and `dir.rs` beside its directory); empty when test code is scanned.
    pub(crate) declarers: Vec<ObjectId>,
}

/// Every change of every commit, in commit order.
#[derive(Debug, Default)]
pub(crate) struct Changes {
    pub(crate) list: Vec<Change>,
    pub(crate) paths: Paths,
}

/// Interned paths (bytes, `/`-separated, relative to the repository's root).
#[derive(Debug, Default)]
pub(crate) struct Paths {
    all: Vec<BString>,
    index: HashMap<BString, u32>,
}

impl Paths {
    fn intern(&mut self, path: &[u8]) -> u32 {
        if let Some(&i) = self.index.get(path.as_bstr()) {
            return i;
        }
        let i = u32::try_from(self.all.len()).unwrap_or(u32::MAX);
        self.all.push(path.into());
        self.index.insert(path.into(), i);
        i
    }

    pub(crate) fn get(&self, i: u32) -> &BStr {
        self.all
            .get(i as usize)
            .map_or(b"".as_bstr(), |p| p.as_bstr())
    }

    /// Whether path `i` lies under the directory `dir` (not `dir` itself).
    pub(crate) fn is_under(&self, i: u32, dir: &[u8]) -> bool {
        let path = self.get(i);
        path.len() > dir.len() && path.starts_with(dir) && path[dir.len()] == b'/'
    }
}

impl Changes {
    /// The changes of each commit on the first-parent line that ends at `tip` (HEAD), one
    /// commit at a time, oldest first: how the files at `tip` came to be.
    pub(crate) fn along_first_parents<'a>(
        &'a self,
        graph: &Graph,
        tip: usize,
    ) -> impl Iterator<Item = (usize, &'a [Change])> + 'a {
        let mut line = HashSet::new();
        let mut at = Some(tip);
        while let Some(i) = at {
            line.insert(i);
            at = graph.commits[i].first_parent;
        }
        self.list
            .chunk_by(|a, b| a.commit == b.commit)
            .map(|changes| (changes[0].commit, changes))
            .filter(move |(commit, _)| line.contains(commit))
    }
}

/// What a walk of trees records and skips.
pub(crate) struct Filter<'a> {
    /// Record this file (the scanner reads it, or every file for the burnt check).
    pub(crate) file: &'a (dyn Fn(&BStr) -> bool + Sync),
    /// Leave this directory out (`--exclude`).
    pub(crate) dir: &'a (dyn Fn(&BStr) -> bool + Sync),
    /// Also record symbolic links (their content is a path).
    pub(crate) links: bool,
    /// Skip what the walker skips at HEAD: `tests/` beside a `Cargo.toml` (unless test
    /// code is scanned), cargo target directories (`CACHEDIR.TAG`), VCS metadata; and
    /// note who may declare a file a test module.
    pub(crate) like_walker: bool,
    pub(crate) include_tests: bool,
}

/// Compares every commit's tree with its first parent's, on all cores: each thread takes
/// a run of consecutive commits (which share most trees, so its caches serve it well).
pub(crate) fn collect(
    shared: &gix::ThreadSafeRepository,
    graph: &Graph,
    filter: &Filter<'_>,
) -> Result<Changes, String> {
    let commits = graph.commits.len();
    let threads = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(8)
        .min(commits.div_ceil(256))
        .max(1);
    let per_thread = commits.div_ceil(threads).max(1);
    let run = |range: std::ops::Range<usize>| -> Result<Changes, String> {
        let repo = super::repo::local(shared);
        let mut walk = Walker {
            repo: &repo,
            filter,
            changes: Changes::default(),
            buf: Vec::new(),
            commit: 0,
        };
        for i in range {
            let commit = &graph.commits[i];
            walk.commit = i;
            let parent = commit
                .first_parent
                .map(|p| graph.commits[p].tree)
                .or(commit.outside_parent_tree);
            walk.diff(parent, commit.tree, &mut Vec::new(), &Context::default())?;
        }
        Ok(walk.changes)
    };
    let parts: Vec<Result<Changes, String>> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..threads)
            .map(|t| {
                let range = (t * per_thread).min(commits)..((t + 1) * per_thread).min(commits);
                scope.spawn(move || run(range))
            })
            .collect();
        handles
            .into_iter()
            .map(|h| {
                h.join()
                    .unwrap_or_else(|_| Err("internal error: a tree-reading thread stopped".into()))
            })
            .collect()
    });
    // One list in commit order, with one table of paths.
    let mut all = Changes::default();
    for part in parts {
        let part = part?;
        let remap: Vec<u32> = part.paths.all.iter().map(|p| all.paths.intern(p)).collect();
        all.list.extend(part.list.into_iter().map(|mut change| {
            change.path = remap[change.path as usize];
            change
        }));
    }
    Ok(all)
}

/// Lists every file of one tree (HEAD's, to know what is still there).
pub(crate) fn list(
    repo: &gix::Repository,
    tree: ObjectId,
    filter: &Filter<'_>,
) -> Result<Changes, String> {
    let mut walk = Walker {
        repo,
        filter,
        changes: Changes::default(),
        buf: Vec::new(),
        commit: 0,
    };
    walk.diff(None, tree, &mut Vec::new(), &Context::default())?;
    Ok(walk.changes)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Tree,
    Blob,
    Link,
    /// A submodule's commit: its objects are in another repository, not followed.
    Gitlink,
}

struct Entry {
    name: BString,
    kind: Kind,
    id: ObjectId,
}

/// Who may declare files of a directory test modules, besides its own `mod.rs`, `lib.rs`
/// and `main.rs`.
#[derive(Default)]
struct Context {
    /// `<this directory>.rs` beside it.
    named: Option<ObjectId>,
    /// The parent directory's `mod.rs`, `lib.rs`, `main.rs` and `named`: they declare
    /// this directory's `mod.rs`.
    up: Vec<ObjectId>,
}

struct Walker<'a> {
    repo: &'a gix::Repository,
    filter: &'a Filter<'a>,
    changes: Changes,
    buf: Vec<u8>,
    commit: usize,
}

const VCS_DIRS: [&[u8]; 4] = [b".git", b".hg", b".svn", b".jj"];

impl Walker<'_> {
    fn entries(&mut self, id: ObjectId) -> Result<Vec<Entry>, String> {
        use gix::prelude::Find;
        let data = self
            .repo
            .objects
            .try_find(&id, &mut self.buf)
            .map_err(|error| format!("cannot read tree {id}: {error}"))?
            .ok_or_else(|| {
                format!("tree {id} is missing: the repository is incomplete or corrupt")
            })?;
        if data.kind != gix::object::Kind::Tree {
            return Err(format!("{id} is a {}, not a tree", data.kind));
        }
        let mut entries = Vec::new();
        for entry in gix::objs::TreeRefIter::from_bytes(data.data, self.repo.object_hash()) {
            let entry = entry.map_err(|error| format!("tree {id} cannot be parsed: {error}"))?;
            let kind = if entry.mode.is_tree() {
                Kind::Tree
            } else if entry.mode.is_blob() {
                Kind::Blob
            } else if entry.mode.is_link() {
                Kind::Link
            } else {
                Kind::Gitlink
            };
            entries.push(Entry {
                name: entry.filename.into(),
                kind,
                id: entry.oid.to_owned(),
            });
        }
        Ok(entries)
    }

    fn record(&mut self, path: &[u8], blob: Option<ObjectId>, dir: bool, declarers: Vec<ObjectId>) {
        let path = self.changes.paths.intern(path);
        self.changes.list.push(Change {
            commit: self.commit,
            path,
            blob,
            dir,
            declarers,
        });
    }

    fn diff(
        &mut self,
        old: Option<ObjectId>,
        new: ObjectId,
        prefix: &mut Vec<u8>,
        context: &Context,
    ) -> Result<(), String> {
        if old == Some(new) {
            return Ok(());
        }
        let new_entries = self.entries(new)?;
        // A cargo target directory, as the walker recognises it.
        if self.filter.like_walker
            && !prefix.is_empty()
            && new_entries.iter().any(|e| e.name == "CACHEDIR.TAG")
        {
            return Ok(());
        }
        let old_entries = match old {
            Some(old) => self.entries(old)?,
            None => Vec::new(),
        };
        let old_by_name: HashMap<&BStr, &Entry> =
            old_entries.iter().map(|e| (e.name.as_bstr(), e)).collect();
        let new_names: HashMap<&BStr, Kind> = new_entries
            .iter()
            .map(|e| (e.name.as_bstr(), e.kind))
            .collect();
        let find = |name: &[u8]| {
            new_entries
                .iter()
                .find(|e| e.kind == Kind::Blob && e.name == name)
                .map(|e| e.id)
        };
        let skip_tests = self.filter.like_walker
            && !self.filter.include_tests
            && new_names.get(b"Cargo.toml".as_bstr()) == Some(&Kind::Blob);
        let declaring = self.filter.like_walker && !self.filter.include_tests;
        let own: Vec<ObjectId> = if declaring {
            [&b"mod.rs"[..], b"lib.rs", b"main.rs"]
                .iter()
                .filter_map(|name| find(name))
                .collect()
        } else {
            Vec::new()
        };
        let base = prefix.len();
        // Paths that are gone, or changed kind: deleted (a directory with all it held).
        for entry in &old_entries {
            let kept = new_names.get(entry.name.as_bstr());
            let same_kind = kept.is_some_and(|&k| (k == Kind::Tree) == (entry.kind == Kind::Tree));
            if !same_kind {
                push_name(prefix, &entry.name);
                let dir = entry.kind == Kind::Tree;
                if dir || (self.filter.file)(prefix.as_bstr()) {
                    let path = prefix.clone();
                    self.record(&path, None, dir, Vec::new());
                }
                prefix.truncate(base);
            }
        }
        for entry in &new_entries {
            let before = old_by_name.get(entry.name.as_bstr());
            push_name(prefix, &entry.name);
            match entry.kind {
                Kind::Tree => {
                    let skipped = self.filter.like_walker
                        && (VCS_DIRS.contains(&entry.name.as_slice())
                            || (skip_tests && entry.name == "tests"))
                        || (self.filter.dir)(prefix.as_bstr());
                    if !skipped {
                        let old_tree = before.filter(|b| b.kind == Kind::Tree).map(|b| b.id);
                        if old_tree != Some(entry.id) {
                            let mut named_file = entry.name.clone();
                            named_file.extend_from_slice(b".rs");
                            let child = Context {
                                named: if declaring { find(&named_file) } else { None },
                                up: own.iter().copied().chain(context.named).collect(),
                            };
                            self.diff(old_tree, entry.id, prefix, &child)?;
                        }
                    }
                }
                Kind::Blob | Kind::Link => {
                    let wanted = entry.kind == Kind::Blob || self.filter.links;
                    let unchanged =
                        before.is_some_and(|b| b.kind == entry.kind && b.id == entry.id);
                    if wanted && !unchanged && (self.filter.file)(prefix.as_bstr()) {
                        let declarers = if !declaring {
                            Vec::new()
                        } else if entry.name == "mod.rs" {
                            context.up.clone()
                        } else {
                            own.iter().copied().chain(context.named).collect()
                        };
                        let path = prefix.clone();
                        self.record(&path, Some(entry.id), false, declarers);
                    } else if !wanted && before.is_some_and(|b| b.kind == Kind::Blob) {
                        // A file that became a link or a submodule: gone as a file.
                        if (self.filter.file)(prefix.as_bstr()) {
                            let path = prefix.clone();
                            self.record(&path, None, false, Vec::new());
                        }
                    }
                }
                Kind::Gitlink => {
                    if before.is_some_and(|b| b.kind == Kind::Blob || b.kind == Kind::Link)
                        && (self.filter.file)(prefix.as_bstr())
                    {
                        let path = prefix.clone();
                        self.record(&path, None, false, Vec::new());
                    }
                }
            }
            prefix.truncate(base);
        }
        Ok(())
    }
}

fn push_name(prefix: &mut Vec<u8>, name: &[u8]) {
    if !prefix.is_empty() {
        prefix.push(b'/');
    }
    prefix.extend_from_slice(name);
}
