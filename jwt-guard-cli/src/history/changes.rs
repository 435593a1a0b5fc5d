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
        let mut walk = Walker::new(&repo, filter);
        for i in range {
            let commit = &graph.commits[i];
            walk.commit = i;
            let parent = commit
                .first_parent
                .map(|p| graph.commits[p].tree)
                .or(commit.outside_parent_tree);
            walk.diff(parent, commit.tree, &mut Vec::new(), &Context::default(), 0)?;
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
    let mut walk = Walker::new(repo, filter);
    walk.diff(None, tree, &mut Vec::new(), &Context::default(), 0)?;
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

/// One entry of a decoded tree; its name is `buf[start..end]` of the tree's buffer.
#[derive(Clone, Copy)]
struct Entry {
    start: usize,
    end: usize,
    kind: Kind,
    id: ObjectId,
}

/// The buffers and entry lists of one recursion depth, reused from tree to tree.
#[derive(Default)]
struct Level {
    old_buf: Vec<u8>,
    new_buf: Vec<u8>,
    old: Vec<Entry>,
    new: Vec<Entry>,
}

/// A decoded tree, looked up by name. A tree in git's order (every tree git writes) is
/// looked up by binary search and walked against another by a merge; one out of order
/// (corrupt, or made by hand) gets a map by name, as `HashMap::collect` builds it (the
/// later of two entries of one name wins), so no change is lost either way.
struct Tree<'b> {
    buf: &'b [u8],
    entries: &'b [Entry],
    /// `None` when the entries are in git's order.
    by_name: Option<HashMap<&'b [u8], usize>>,
}

impl<'b> Tree<'b> {
    fn new(buf: &'b [u8], entries: &'b [Entry], sorted: bool) -> Self {
        let mut tree = Tree {
            buf,
            entries,
            by_name: None,
        };
        if !sorted {
            let by_name = (0..entries.len()).map(|i| (tree.name(i), i)).collect();
            tree.by_name = Some(by_name);
        }
        tree
    }

    fn name(&self, i: usize) -> &'b [u8] {
        let entry = &self.entries[i];
        &self.buf[entry.start..entry.end]
    }

    /// Whether the entries are strictly in git's order, with no name both a tree and not
    /// one: then a name has at most one entry, which a binary search finds.
    fn in_git_order(buf: &[u8], entries: &[Entry]) -> bool {
        let name = |e: &Entry| &buf[e.start..e.end];
        let ordered = entries.windows(2).all(|pair| {
            git_order(name(&pair[0]), pair[0].kind, name(&pair[1]), pair[1].kind)
                == std::cmp::Ordering::Less
        });
        // In order, a file `n` comes before a tree `n` with only names `n` + a byte below
        // `/` (`n-x`, `n.rs`) between them: look back over those from each tree.
        ordered
            && entries.iter().enumerate().all(|(i, tree)| {
                if tree.kind != Kind::Tree {
                    return true;
                }
                let n = name(tree);
                for before in entries[..i].iter().rev() {
                    let m = name(before);
                    if m == n {
                        return false;
                    }
                    if !(m.len() > n.len() && m.starts_with(n) && m[n.len()] < b'/') {
                        break;
                    }
                }
                true
            })
    }

    /// The entry named `name` whose kind sorts as `kind`'s (a tree, or not one).
    fn search(&self, name: &[u8], kind: Kind) -> Option<&'b Entry> {
        let entries = self.entries;
        entries
            .binary_search_by(|e| git_order(&self.buf[e.start..e.end], e.kind, name, kind))
            .ok()
            .map(|i| &entries[i])
    }

    /// The entry named `name`.
    fn get(&self, name: &[u8]) -> Option<&'b Entry> {
        let entries = self.entries;
        match &self.by_name {
            Some(by_name) => by_name.get(name).map(|&i| &entries[i]),
            None => self
                .search(name, Kind::Blob)
                .or_else(|| self.search(name, Kind::Tree)),
        }
    }

    /// The first file named `name`.
    fn file(&self, name: &[u8]) -> Option<ObjectId> {
        match &self.by_name {
            Some(_) => (0..self.entries.len())
                .find(|&i| self.entries[i].kind == Kind::Blob && self.name(i) == name)
                .map(|i| self.entries[i].id),
            None => self
                .search(name, Kind::Blob)
                .filter(|e| e.kind == Kind::Blob)
                .map(|e| e.id),
        }
    }
}

/// The names a tree is looked at for, found in one pass over its entries with the answers
/// a map by name gives (the later of two entries of one name), sorted or not.
struct Markers {
    /// An entry named `CACHEDIR.TAG`, of any kind.
    cachedir_tag: bool,
    /// The kind of the entry named `Cargo.toml`.
    cargo_toml: Option<Kind>,
    /// The first files named `mod.rs`, `lib.rs` and `main.rs`.
    own: [Option<ObjectId>; 3],
}

impl Markers {
    fn of(buf: &[u8], entries: &[Entry]) -> Self {
        let mut markers = Markers {
            cachedir_tag: false,
            cargo_toml: None,
            own: [None; 3],
        };
        for entry in entries {
            let slot = match &buf[entry.start..entry.end] {
                b"CACHEDIR.TAG" => {
                    markers.cachedir_tag = true;
                    continue;
                }
                b"Cargo.toml" => {
                    markers.cargo_toml = Some(entry.kind);
                    continue;
                }
                b"mod.rs" => 0,
                b"lib.rs" => 1,
                b"main.rs" => 2,
                _ => continue,
            };
            if entry.kind == Kind::Blob {
                markers.own[slot].get_or_insert(entry.id);
            }
        }
        markers
    }
}

/// Walks the entries of one tree in order, finding each one's namesake in `other`: by a
/// merge when both are in git's order (a name that changed between a tree and not one is
/// elsewhere in that order: a binary search finds it), else by `other`'s map.
struct Namesakes<'t, 'b> {
    other: &'t Tree<'b>,
    at: usize,
}

impl<'b> Namesakes<'_, 'b> {
    fn of(&mut self, name: &[u8], kind: Kind) -> Option<&'b Entry> {
        let other = self.other;
        if other.by_name.is_some() {
            return other.get(name);
        }
        use std::cmp::Ordering;
        while self.at < other.entries.len() {
            let there = &other.entries[self.at];
            match git_order(other.name(self.at), there.kind, name, kind) {
                Ordering::Less => self.at += 1,
                Ordering::Equal => return Some(there),
                Ordering::Greater => break,
            }
        }
        let flipped = if kind == Kind::Tree {
            Kind::Blob
        } else {
            Kind::Tree
        };
        other.search(name, flipped)
    }
}

/// Git's order of tree entries: by name, a tree's name as if it ended in `/`.
fn git_order(a: &[u8], a_kind: Kind, b: &[u8], b_kind: Kind) -> std::cmp::Ordering {
    // Most names differ in their first byte: no call to compare the rest.
    if let (Some(x), Some(y)) = (a.first(), b.first())
        && x != y
    {
        return x.cmp(y);
    }
    let common = a.len().min(b.len());
    a[..common].cmp(&b[..common]).then_with(|| {
        let end = |name: &[u8], kind: Kind| {
            name.get(common)
                .copied()
                .unwrap_or(if kind == Kind::Tree { b'/' } else { 0 })
        };
        end(a, a_kind).cmp(&end(b, b_kind))
    })
}

/// Who may declare files of a directory test modules, besides its own `mod.rs`, `lib.rs`
/// and `main.rs`.
#[derive(Default)]
struct Context {
    /// `<this directory>.rs` beside it.
    named: Option<ObjectId>,
    /// The parent directory's `mod.rs`, `lib.rs`, `main.rs` and `named`: they declare
    /// this directory's `mod.rs`.
    up: [Option<ObjectId>; 4],
}

struct Walker<'a> {
    repo: &'a gix::Repository,
    filter: &'a Filter<'a>,
    changes: Changes,
    levels: Vec<Level>,
    /// `<directory>.rs`, built without allocating.
    scratch: Vec<u8>,
    commit: usize,
}

const VCS_DIRS: [&[u8]; 4] = [b".git", b".hg", b".svn", b".jj"];

impl Walker<'_> {
    fn new<'a>(repo: &'a gix::Repository, filter: &'a Filter<'a>) -> Walker<'a> {
        Walker {
            repo,
            filter,
            changes: Changes::default(),
            levels: Vec::new(),
            scratch: Vec::new(),
            commit: 0,
        }
    }

    /// Decodes tree `id` into `buf`, its entries into `entries` (names as ranges of `buf`).
    fn entries(
        &self,
        id: ObjectId,
        buf: &mut Vec<u8>,
        entries: &mut Vec<Entry>,
    ) -> Result<(), String> {
        entries.clear();
        let data = super::repo::find(self.repo, id, gix::object::Kind::Tree, buf)?;
        let base = data.as_ptr() as usize;
        for entry in gix::objs::TreeRefIter::from_bytes(data, self.repo.object_hash()) {
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
            let start = (entry.filename.as_ptr() as usize).wrapping_sub(base);
            entries.push(Entry {
                start,
                end: start + entry.filename.len(),
                kind,
                id: entry.oid.to_owned(),
            });
        }
        let size = data.len();
        // The names lie in `data`, which starts `buf`.
        if !entries.is_empty()
            && (buf.as_ptr() as usize != base || entries.iter().any(|e| e.end > size))
        {
            return Err(format!(
                "internal error: tree {id} was not read into its buffer"
            ));
        }
        Ok(())
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
        depth: usize,
    ) -> Result<(), String> {
        if old == Some(new) {
            return Ok(());
        }
        if self.levels.len() <= depth {
            self.levels.resize_with(depth + 1, Level::default);
        }
        let mut level = std::mem::take(&mut self.levels[depth]);
        let result = self.diff_at(old, new, prefix, context, depth, &mut level);
        self.levels[depth] = level;
        result
    }

    fn diff_at(
        &mut self,
        old: Option<ObjectId>,
        new: ObjectId,
        prefix: &mut Vec<u8>,
        context: &Context,
        depth: usize,
        level: &mut Level,
    ) -> Result<(), String> {
        self.entries(new, &mut level.new_buf, &mut level.new)?;
        let markers = Markers::of(&level.new_buf, &level.new);
        // A cargo target directory, as the walker recognises it.
        if self.filter.like_walker && !prefix.is_empty() && markers.cachedir_tag {
            return Ok(());
        }
        match old {
            Some(old) => self.entries(old, &mut level.old_buf, &mut level.old)?,
            None => level.old.clear(),
        }
        let sorted = Tree::in_git_order(&level.new_buf, &level.new)
            && Tree::in_git_order(&level.old_buf, &level.old);
        let old_tree = Tree::new(&level.old_buf, &level.old, sorted);
        let new_tree = Tree::new(&level.new_buf, &level.new, sorted);
        let skip_tests = self.filter.like_walker
            && !self.filter.include_tests
            && markers.cargo_toml == Some(Kind::Blob);
        let declaring = self.filter.like_walker && !self.filter.include_tests;
        let own: [Option<ObjectId>; 3] = if declaring { markers.own } else { [None; 3] };
        let base = prefix.len();
        // Paths that are gone, or changed kind: deleted (a directory with all it held).
        let mut namesakes = Namesakes {
            other: &new_tree,
            at: 0,
        };
        for (i, entry) in old_tree.entries.iter().enumerate() {
            let name = old_tree.name(i);
            let kept = namesakes.of(name, entry.kind).map(|e| e.kind);
            let same_kind = kept.is_some_and(|k| (k == Kind::Tree) == (entry.kind == Kind::Tree));
            if !same_kind {
                push_name(prefix, name);
                let dir = entry.kind == Kind::Tree;
                if dir || (self.filter.file)(prefix.as_bstr()) {
                    self.record(prefix, None, dir, Vec::new());
                }
                prefix.truncate(base);
            }
        }
        let mut namesakes = Namesakes {
            other: &old_tree,
            at: 0,
        };
        for (i, entry) in new_tree.entries.iter().enumerate() {
            let name = new_tree.name(i);
            let before = namesakes.of(name, entry.kind);
            match entry.kind {
                Kind::Tree => {
                    let old_tree = before.filter(|b| b.kind == Kind::Tree).map(|b| b.id);
                    // Skipping decides nothing for a subtree that did not change.
                    if old_tree == Some(entry.id) {
                        continue;
                    }
                    push_name(prefix, name);
                    let skipped = self.filter.like_walker
                        && (VCS_DIRS.contains(&name) || (skip_tests && name == b"tests"))
                        || (self.filter.dir)(prefix.as_bstr());
                    if !skipped {
                        let named = if declaring {
                            self.scratch.clear();
                            self.scratch.extend_from_slice(name);
                            self.scratch.extend_from_slice(b".rs");
                            new_tree.file(&self.scratch)
                        } else {
                            None
                        };
                        let child = Context {
                            named,
                            up: [own[0], own[1], own[2], context.named],
                        };
                        self.diff(old_tree, entry.id, prefix, &child, depth + 1)?;
                    }
                }
                Kind::Blob | Kind::Link => {
                    let wanted = entry.kind == Kind::Blob || self.filter.links;
                    let unchanged =
                        before.is_some_and(|b| b.kind == entry.kind && b.id == entry.id);
                    if wanted && unchanged {
                        continue;
                    }
                    push_name(prefix, name);
                    if wanted && (self.filter.file)(prefix.as_bstr()) {
                        let declarers = if !declaring {
                            Vec::new()
                        } else if name == b"mod.rs" {
                            context.up.iter().flatten().copied().collect()
                        } else {
                            own.iter()
                                .chain([&context.named])
                                .flatten()
                                .copied()
                                .collect()
                        };
                        self.record(prefix, Some(entry.id), false, declarers);
                    } else if !wanted && before.is_some_and(|b| b.kind == Kind::Blob) {
                        // A file that became a link or a submodule: gone as a file.
                        if (self.filter.file)(prefix.as_bstr()) {
                            self.record(prefix, None, false, Vec::new());
                        }
                    }
                }
                Kind::Gitlink => {
                    push_name(prefix, name);
                    if before.is_some_and(|b| b.kind == Kind::Blob || b.kind == Kind::Link)
                        && (self.filter.file)(prefix.as_bstr())
                    {
                        self.record(prefix, None, false, Vec::new());
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

#[cfg(test)]
mod tests {
    use super::*;

    /// Names close to each other in git's order (`a` < `a-b` < `a.rs` < `a/` < `ab`).
    const NAMES: [&str; 9] = [
        "a",
        "a-b",
        "a.rs",
        "ab",
        "b",
        "mod.rs",
        "main.rs",
        "Cargo.toml",
        "CACHEDIR.TAG",
    ];
    const KINDS: [Kind; 4] = [Kind::Tree, Kind::Blob, Kind::Link, Kind::Gitlink];

    struct Rng(u64);

    impl Rng {
        fn below(&mut self, n: usize) -> usize {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            (self.0 % n as u64) as usize
        }
    }

    /// A tree's buffer and entries: in git's order half of the time, else as drawn
    /// (out of order, maybe one name twice).
    fn tree(rng: &mut Rng) -> (Vec<u8>, Vec<Entry>) {
        let mut drawn: Vec<(&str, Kind, u8)> = (0..rng.below(6))
            .map(|_| {
                let name = NAMES[rng.below(NAMES.len())];
                (name, KINDS[rng.below(KINDS.len())], rng.below(3) as u8)
            })
            .collect();
        if rng.below(2) == 0 {
            drawn.sort_by(|a, b| git_order(a.0.as_bytes(), a.1, b.0.as_bytes(), b.1));
            drawn.dedup_by(|a, b| a.0 == b.0 && (a.1 == Kind::Tree) == (b.1 == Kind::Tree));
        }
        let mut buf = Vec::new();
        let entries = drawn
            .into_iter()
            .map(|(name, kind, id)| {
                let start = buf.len();
                buf.extend_from_slice(name.as_bytes());
                Entry {
                    start,
                    end: buf.len(),
                    kind,
                    id: ObjectId::from_bytes_or_panic(&[id; 20]),
                }
            })
            .collect();
        (buf, entries)
    }

    /// The comparison the walk made with maps before the merge: `HashMap::collect` keeps
    /// the later of two entries of one name.
    fn by_map<'b>(buf: &'b [u8], entries: &'b [Entry]) -> HashMap<&'b [u8], &'b Entry> {
        entries.iter().map(|e| (&buf[e.start..e.end], e)).collect()
    }

    fn key(entry: Option<&Entry>) -> Option<(Kind, ObjectId)> {
        entry.map(|e| (e.kind, e.id))
    }

    #[test]
    fn merged_lookups_find_what_maps_find_in_sorted_and_unsorted_trees() {
        let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
        let mut sorted_pairs = 0;
        for _ in 0..20_000 {
            let (old_buf, old) = tree(&mut rng);
            let (new_buf, new) = tree(&mut rng);
            let sorted = Tree::in_git_order(&old_buf, &old) && Tree::in_git_order(&new_buf, &new);
            sorted_pairs += usize::from(sorted);
            let old_tree = Tree::new(&old_buf, &old, sorted);
            let new_tree = Tree::new(&new_buf, &new, sorted);
            let (old_map, new_map) = (by_map(&old_buf, &old), by_map(&new_buf, &new));
            for (walked, other, other_map) in [
                (&old_tree, &new_tree, &new_map),
                (&new_tree, &old_tree, &old_map),
            ] {
                let mut namesakes = Namesakes { other, at: 0 };
                for (i, entry) in walked.entries.iter().enumerate() {
                    let name = walked.name(i);
                    assert_eq!(
                        key(namesakes.of(name, entry.kind)),
                        key(other_map.get(name).copied()),
                        "{:?} in {:?}",
                        name.as_bstr(),
                        other
                            .entries
                            .iter()
                            .map(|e| (&other.buf[e.start..e.end], e.kind))
                            .collect::<Vec<_>>()
                    );
                }
            }
            let markers = Markers::of(&new_buf, &new);
            assert_eq!(
                markers.cachedir_tag,
                new_map.contains_key(b"CACHEDIR.TAG".as_slice())
            );
            assert_eq!(
                markers.cargo_toml,
                new_map.get(b"Cargo.toml".as_slice()).map(|e| e.kind)
            );
            for name in NAMES {
                let name = name.as_bytes();
                assert_eq!(key(new_tree.get(name)), key(new_map.get(name).copied()));
                let first_file = new
                    .iter()
                    .find(|e| e.kind == Kind::Blob && &new_buf[e.start..e.end] == name)
                    .map(|e| e.id);
                assert_eq!(new_tree.file(name), first_file);
                if let Some(slot) = [&b"mod.rs"[..], b"lib.rs", b"main.rs"]
                    .iter()
                    .position(|own| *own == name)
                {
                    assert_eq!(markers.own[slot], first_file);
                }
            }
        }
        // Both paths were taken.
        assert!(
            sorted_pairs > 2_000 && sorted_pairs < 18_000,
            "{sorted_pairs}"
        );
    }

    #[test]
    fn git_order_puts_a_tree_after_names_that_extend_it_with_a_lower_byte() {
        use std::cmp::Ordering::*;
        assert_eq!(git_order(b"a", Kind::Tree, b"a.rs", Kind::Blob), Greater);
        assert_eq!(git_order(b"a", Kind::Blob, b"a.rs", Kind::Blob), Less);
        assert_eq!(git_order(b"a", Kind::Tree, b"ab", Kind::Blob), Less);
        assert_eq!(git_order(b"a", Kind::Blob, b"a", Kind::Tree), Less);
        assert_eq!(git_order(b"a", Kind::Link, b"a", Kind::Gitlink), Equal);
    }
}
