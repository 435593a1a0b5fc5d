//! The commits a scan covers, parents before children.

use std::cmp::Reverse;
use std::collections::BinaryHeap;

use gix::hashtable::{HashMap, HashSet};

use gix::ObjectId;

use super::repo::Revisions;

/// One commit of the walk.
#[derive(Debug, Clone)]
pub(crate) struct Commit {
    pub(crate) id: ObjectId,
    pub(crate) tree: ObjectId,
    /// The first parent's index in [`Graph::commits`]; `None` for a root commit, a shallow
    /// clone's boundary, or a first parent left out by the revision range.
    pub(crate) first_parent: Option<usize>,
    /// The first parent's tree when the parent is outside the range (`a..b`): a blob
    /// already in it is not new to `b`'s side.
    pub(crate) outside_parent_tree: Option<ObjectId>,
    /// Committer time, seconds since the Unix epoch.
    pub(crate) time: i64,
}

/// The selected commits in topological order (every parent before its children, older
/// first among the ready ones), so the first commit met that holds a secret is one none
/// of whose ancestors holds it.
#[derive(Debug, Default)]
pub(crate) struct Graph {
    pub(crate) commits: Vec<Commit>,
    /// Commits of a shallow clone whose parents are not in the repository.
    pub(crate) shallow_boundary: Vec<ObjectId>,
}

struct Node {
    tree: ObjectId,
    parents: Vec<ObjectId>,
    time: i64,
}

/// Reads every commit reachable from `revisions.include` and not from `revisions.exclude`.
pub(crate) fn walk(repo: &gix::Repository, revisions: &Revisions) -> Result<Graph, String> {
    let shallow: HashSet = repo
        .shallow_commits()
        .map_err(|error| format!("cannot read the shallow file: {error}"))?
        .map(|commits| commits.iter().copied().collect())
        .unwrap_or_default();
    let mut buf = Vec::new();
    // Without exclusions the walk reaches nearly every commit: decode them all ahead, on
    // all cores. A range reads only the commits it meets.
    let mut ahead = if revisions.exclude.is_empty() {
        decode_ahead(repo)
    } else {
        HashMap::default()
    };
    let ahead = &mut ahead;
    // Ancestors of excluded commits.
    let mut hidden = HashSet::default();
    let mut stack: Vec<ObjectId> = revisions.exclude.clone();
    while let Some(id) = stack.pop() {
        if !hidden.insert(id) {
            continue;
        }
        let node = read(repo, id, &shallow, &mut buf, ahead)?;
        stack.extend(node.parents);
    }
    let mut nodes: HashMap<ObjectId, Node> = HashMap::default();
    let mut boundary = Vec::new();
    let mut stack: Vec<ObjectId> = revisions.include.clone();
    while let Some(id) = stack.pop() {
        if hidden.contains(&id) || nodes.contains_key(&id) {
            continue;
        }
        let node = read(repo, id, &shallow, &mut buf, ahead)?;
        if shallow.contains(&id) {
            boundary.push(id);
        }
        stack.extend(node.parents.iter().copied());
        nodes.insert(id, node);
    }
    boundary.sort_unstable();
    Ok(Graph {
        commits: topological(repo, nodes, &mut buf, &shallow, ahead)?,
        shallow_boundary: boundary,
    })
}

/// Kahn's algorithm, oldest ready commit first.
fn topological(
    repo: &gix::Repository,
    nodes: HashMap<ObjectId, Node>,
    buf: &mut Vec<u8>,
    shallow: &HashSet,
    ahead: &mut HashMap<ObjectId, Node>,
) -> Result<Vec<Commit>, String> {
    let mut ids: Vec<ObjectId> = nodes.keys().copied().collect();
    ids.sort_unstable();
    let index: HashMap<ObjectId, usize> = ids.iter().enumerate().map(|(i, id)| (*id, i)).collect();
    let mut pending = vec![0usize; ids.len()];
    let mut children: Vec<Vec<usize>> = vec![Vec::new(); ids.len()];
    for (i, id) in ids.iter().enumerate() {
        for parent in &nodes[id].parents {
            if let Some(&p) = index.get(parent) {
                pending[i] += 1;
                children[p].push(i);
            }
        }
    }
    let mut ready: BinaryHeap<Reverse<(i64, usize)>> = (0..ids.len())
        .filter(|&i| pending[i] == 0)
        .map(|i| Reverse((nodes[&ids[i]].time, i)))
        .collect();
    let mut position = vec![usize::MAX; ids.len()];
    let mut commits = Vec::with_capacity(ids.len());
    while let Some(Reverse((_, i))) = ready.pop() {
        let node = &nodes[&ids[i]];
        let first = node.parents.first();
        let first_parent = first.and_then(|p| index.get(p)).map(|&p| position[p]);
        let outside_parent_tree = match (first, first_parent) {
            (Some(parent), None) => Some(read(repo, *parent, shallow, buf, ahead)?.tree),
            _ => None,
        };
        position[i] = commits.len();
        commits.push(Commit {
            id: ids[i],
            tree: node.tree,
            first_parent,
            outside_parent_tree,
            time: node.time,
        });
        for &child in &children[i] {
            pending[child] -= 1;
            if pending[child] == 0 {
                ready.push(Reverse((nodes[&ids[child]].time, child)));
            }
        }
    }
    if commits.len() != ids.len() {
        return Err("the commit graph has a cycle: the repository is corrupt".into());
    }
    Ok(commits)
}

/// Decodes one commit (or takes it decoded ahead); the parents of a shallow clone's
/// boundary commit are not there.
fn read(
    repo: &gix::Repository,
    id: ObjectId,
    shallow: &HashSet,
    buf: &mut Vec<u8>,
    ahead: &mut HashMap<ObjectId, Node>,
) -> Result<Node, String> {
    let mut node = match ahead.remove(&id) {
        Some(node) => node,
        None => {
            let data = super::repo::find(repo, id, gix::object::Kind::Commit, buf)?;
            parse(id, data, repo.object_hash())?
        }
    };
    if shallow.contains(&id) {
        node.parents.clear();
    }
    Ok(node)
}

/// The headers of a commit the walk needs.
fn parse(id: ObjectId, data: &[u8], hash: gix::hash::Kind) -> Result<Node, String> {
    // The iterator parses only the headers asked for: no message, no signature.
    let parse = |error: gix::Error| format!("commit {id} cannot be parsed: {error}");
    let mut commit = gix::objs::CommitRefIter::from_bytes(data, hash);
    let tree = commit.tree_id().map_err(parse)?;
    let parents = commit.parent_ids().collect();
    let time = commit
        .committer()
        .map(|signature| signature.seconds())
        .unwrap_or_default();
    Ok(Node {
        tree,
        parents,
        time,
    })
}

/// A commit larger than this is left to the walk (a pack entry's size is not trusted).
const AHEAD_MAX_SIZE: u64 = 1 << 20;

/// Every commit stored whole (not as a delta) in the repository's packs, decoded on all
/// cores. Only a head start: what is not here (a loose commit, a delta, a pack or commit
/// that cannot be read or parsed) the walk reads itself, and reports if it fails.
fn decode_ahead(repo: &gix::Repository) -> HashMap<ObjectId, Node> {
    use gix::odb::pack;
    let hash = repo.object_hash();
    let dir = repo.objects.store_ref().path().join("pack");
    let mut paths: Vec<_> = match std::fs::read_dir(&dir) {
        Ok(entries) => entries
            .filter_map(Result::ok)
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|e| e == "idx"))
            .collect(),
        Err(_) => Vec::new(),
    };
    paths.sort();
    let mut packs: Vec<pack::data::File> = Vec::new();
    // (pack, entry, id) of each whole commit, in pack order.
    let mut commits: Vec<(usize, pack::data::Entry, ObjectId)> = Vec::new();
    for path in paths {
        let (Ok(index), Ok(data)) = (
            pack::index::File::at(&path, hash),
            pack::data::File::at(path.with_extension("pack"), hash),
        ) else {
            continue;
        };
        let n = packs.len();
        let mut found: Vec<_> = index
            .iter()
            .filter_map(|e| {
                let entry = data.entry(e.pack_offset).ok()?;
                (entry.header == pack::data::entry::Header::Commit
                    && entry.decompressed_size <= AHEAD_MAX_SIZE)
                    .then_some((n, entry, e.oid))
            })
            .collect();
        found.sort_unstable_by_key(|(_, entry, _)| entry.data_offset);
        commits.extend(found);
        packs.push(data);
    }
    let threads = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(8)
        .min(commits.len().div_ceil(512))
        .max(1);
    let per_thread = commits.len().div_ceil(threads).max(1);
    let packs = &packs;
    let parts: Vec<Vec<(ObjectId, Node)>> = std::thread::scope(|scope| {
        let handles: Vec<_> = commits
            .chunks(per_thread)
            .map(|part| {
                scope.spawn(move || {
                    let mut inflate = gix::zlib::Inflate::default();
                    let mut buf = Vec::new();
                    part.iter()
                        .filter_map(|(n, entry, id)| {
                            buf.clear();
                            buf.resize(usize::try_from(entry.decompressed_size).ok()?, 0);
                            packs[*n]
                                .decompress_entry(entry, &mut inflate, &mut buf)
                                .ok()?;
                            Some((*id, parse(*id, &buf, hash).ok()?))
                        })
                        .collect()
                })
            })
            .collect();
        handles.into_iter().filter_map(|h| h.join().ok()).collect()
    });
    parts.into_iter().flatten().collect()
}
