//! `jwt-guard scan --history`: every secret ever committed, with the commit that brought
//! it, grouped by distinct secret.
//!
//! Each distinct blob at a path a scanner reads is scanned once. A finding is a secret's
//! first appearance in a file (by path) in a blob new to the history: changing the line
//! or renaming the file without changing it brings no new finding. The commit a finding
//! names is the first, in an order where every parent precedes its children, whose tree
//! holds that content, so no ancestor of it held the secret there.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

use gix::ObjectId;
use gix::bstr::{BStr, ByteSlice};
use jwt_guard_scan::{Finding, Report, ScanOptions, Warning};

use super::blobs::{self, Blob};
use super::changes::{self, Change, Changes, Filter};
use super::digest::{Fingerprint, Hmac};
use super::graph::{self, Graph};
use super::repo;
use super::source::{scan_blob, scanner_for, surely_clean};
use super::to_path;

/// Object ids are hashed by their first bytes (gix's id hasher), not with SipHash.
type IdMap<V> = gix::hashtable::HashMap<ObjectId, V>;

/// What to scan.
pub(crate) struct Options<'a> {
    /// A path in the repository (its work tree or git directory).
    pub(crate) repo: &'a Path,
    /// Revision arguments; none: every ref.
    pub(crate) revisions: &'a [String],
    pub(crate) scan: &'a ScanOptions,
    /// `--exclude`: a path relative to the repository's root, and whether it is a directory.
    pub(crate) exclude: &'a (dyn Fn(&Path, bool) -> bool + Sync),
    /// Also compute the salted digest of every flagged value (for `--export-digests`).
    pub(crate) salt: Option<&'a Hmac>,
}

/// A commit, as reports name it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct CommitId {
    pub(crate) id: ObjectId,
    /// Committer time, seconds since the Unix epoch.
    pub(crate) time: i64,
}

/// Where a finding comes from in the history.
#[derive(Debug, Clone)]
pub(crate) struct Origin {
    pub(crate) commit: CommitId,
    pub(crate) secret: Fingerprint,
    pub(crate) still_present: bool,
}

/// One distinct secret of the history.
#[derive(Debug, Clone)]
pub(crate) struct Secret {
    pub(crate) fingerprint: Fingerprint,
    /// The first commit holding it, and where.
    pub(crate) first: CommitId,
    pub(crate) first_path: PathBuf,
    pub(crate) first_line: usize,
    /// The last commit of HEAD's history holding it (HEAD when still present); off that
    /// line, the last commit that brought it.
    pub(crate) last: CommitId,
    /// The commit of HEAD's history that removed it, when it is gone.
    pub(crate) removed_in: Option<CommitId>,
    /// Whether it ever was in HEAD's history (else only on other refs).
    pub(crate) in_head_history: bool,
    /// Where it is at HEAD.
    pub(crate) present_at: Vec<(PathBuf, usize)>,
    /// How many findings name it.
    pub(crate) places: usize,
}

/// The outcome of a history scan.
#[derive(Debug)]
pub(crate) struct History {
    /// Findings (one per secret and file where it first appeared), warnings; its
    /// `files_scanned` counts distinct blobs scanned.
    pub(crate) report: Report,
    /// One per finding of `report`, same order.
    pub(crate) origins: Vec<Origin>,
    /// One per finding of `report.excepted` (a policy file's exceptions), same order.
    pub(crate) excepted_origins: Vec<Origin>,
    /// Every distinct secret, in order of first appearance.
    pub(crate) secrets: Vec<Secret>,
    pub(crate) commits: usize,
    pub(crate) head: Option<CommitId>,
    pub(crate) revisions: Vec<String>,
    pub(crate) uri: String,
    pub(crate) branch: Option<String>,
    /// Salted digests of the flagged values, when asked for.
    pub(crate) slot_digests: Vec<[u8; 16]>,
}

/// What one blob gave.
#[derive(Default)]
struct Scanned {
    findings: Vec<(Finding, Option<Fingerprint>)>,
    warnings: Vec<String>,
    test_modules: Vec<String>,
    /// Whether `test_modules` is known: a file without findings is not lexed for them
    /// until a file it may declare has findings.
    modules_known: bool,
    suppressed: usize,
    digests: Vec<[u8; 16]>,
}

pub(crate) fn scan(options: &Options<'_>) -> Result<History, String> {
    let shared = repo::open(options.repo)?;
    let local = repo::local(&shared);
    let revisions = repo::revisions(&local, options.revisions)?;
    let graph = graph::walk(&local, &revisions)?;
    let file = |path: &BStr| {
        scanner_for(path, options.scan).is_some() && !(options.exclude)(&to_path(path), false)
    };
    let dir = |path: &BStr| (options.exclude)(&to_path(path), true);
    let filter = Filter {
        file: &file,
        dir: &dir,
        links: false,
        like_walker: true,
        include_tests: options.scan.include_tests,
    };
    let changes = changes::collect(&shared, &graph, &filter)?;
    let head = repo::head_commit(&local)?;
    let head_tree = match head {
        Some(id) => Some(
            local
                .find_commit(id)
                .map_err(|error| format!("cannot read HEAD's commit {id}: {error}"))?
                .tree_id()
                .map_err(|error| format!("cannot read HEAD's tree: {error}"))?
                .detach(),
        ),
        None => None,
    };
    let at_head = match head_tree {
        Some(tree) => changes::list(&local, tree, &filter)?,
        None => Changes::default(),
    };

    // Every distinct blob to scan, with a path to label it by.
    let mut ids: Vec<ObjectId> = Vec::new();
    let mut labels: Vec<PathBuf> = Vec::new();
    let mut index: IdMap<usize> = IdMap::default();
    let mut add = |id: ObjectId, label: &BStr| {
        index.entry(id).or_insert_with(|| {
            ids.push(id);
            labels.push(to_path(label));
            ids.len() - 1
        });
    };
    for set in [&changes, &at_head] {
        for change in &set.list {
            if let Some(blob) = change.blob {
                add(blob, set.paths.get(change.path));
            }
            for &declarer in &change.declarers {
                add(declarer, b"mod.rs".as_bstr());
            }
        }
    }
    let key = Hmac::random()?;
    let work = |i: usize, blob: Blob<'_>| scan_one(&labels[i], blob, options, &key, false);
    let mut scanned = blobs::read_all(&shared, &ids, options.scan.max_file_size, &work)?;
    // The files that may declare a file with findings a test module, and were not lexed.
    let mut wanted: Vec<usize> = Vec::new();
    for set in [&changes, &at_head] {
        for change in &set.list {
            let has_findings = change
                .blob
                .and_then(|id| index.get(&id))
                .is_some_and(|&i| scanned[i].findings.iter().any(|(_, fp)| fp.is_some()));
            if has_findings {
                wanted.extend(
                    change
                        .declarers
                        .iter()
                        .filter_map(|id| index.get(id).copied())
                        .filter(|&i| !scanned[i].modules_known),
                );
            }
        }
    }
    wanted.sort_unstable();
    wanted.dedup();
    if !wanted.is_empty() {
        let wanted_ids: Vec<ObjectId> = wanted.iter().map(|&i| ids[i]).collect();
        let work =
            |i: usize, blob: Blob<'_>| scan_one(&labels[wanted[i]], blob, options, &key, true);
        let rescanned = blobs::read_all(&shared, &wanted_ids, options.scan.max_file_size, &work)?;
        for (i, scan) in wanted.iter().zip(rescanned) {
            scanned[*i].test_modules = scan.test_modules;
            scanned[*i].modules_known = true;
        }
    }

    let head_index = head.and_then(|id| graph.commits.iter().position(|c| c.id == id));
    let mut history = assemble(
        &graph,
        head_index,
        &changes,
        &at_head,
        &index,
        &scanned,
        options.scan,
    );
    history.revisions = revisions.described;
    history.uri = repo::uri(&local);
    history.branch = local
        .head_name()
        .ok()
        .flatten()
        .map(|name| name.shorten().to_string());
    history.head = match (head_index, head) {
        (Some(i), _) => Some(commit_id(&graph, i)),
        (None, Some(id)) => {
            let time = local
                .find_commit(id)
                .ok()
                .and_then(|c| c.time().ok())
                .map_or(0, |t| t.seconds);
            Some(CommitId { id, time })
        }
        (None, None) => None,
    };
    history.report.files_scanned = ids.len();
    if !graph.shallow_boundary.is_empty() {
        history.report.warnings.push(Warning::new(
            options.repo.to_path_buf(),
            format!(
                "a shallow clone: the parents of {} commit(s) are not in this repository, so \
                 the history before them was not scanned (fetch it: git fetch --unshallow)",
                graph.shallow_boundary.len()
            ),
        ));
    }
    if options.salt.is_some() {
        history.slot_digests = scanned
            .iter()
            .flat_map(|s| s.digests.iter().copied())
            .collect();
    }
    Ok(history)
}

fn scan_one(
    label: &Path,
    blob: Blob<'_>,
    options: &Options<'_>,
    key: &Hmac,
    fully: bool,
) -> Scanned {
    let bytes = match blob {
        Blob::Data(bytes) => bytes,
        Blob::TooLarge(size) => {
            return Scanned {
                warnings: vec![format!(
                    "{size} bytes, over the limit of {} (--max-file-size); not scanned",
                    options.scan.max_file_size
                )],
                ..Scanned::default()
            };
        }
    };
    let Some(scanner) = scanner_for(label.as_os_str().as_encoded_bytes().as_bstr(), options.scan)
    else {
        return Scanned::default();
    };
    if !fully && surely_clean(scanner, bytes) {
        return Scanned {
            modules_known: options.scan.include_tests,
            ..Scanned::default()
        };
    }
    let mut digests = Vec::new();
    let scanned = scan_blob(label, scanner, bytes, options.scan, |value| {
        if let Some(salt) = options.salt {
            digests.push(salt.digest(value));
        }
        key.fingerprint(value)
    });
    let Some(scan) = scanned else {
        return Scanned {
            modules_known: true,
            ..Scanned::default()
        };
    };
    let findings = scan
        .report
        .findings
        .into_iter()
        .zip(scan.secrets)
        .map(|(finding, fingerprint)| {
            let secret = finding.rule.info().is_secret;
            (finding, secret.then_some(fingerprint))
        })
        .collect();
    Scanned {
        findings,
        warnings: scan
            .report
            .warnings
            .into_iter()
            .map(|w| w.message)
            .collect(),
        test_modules: scan.test_modules,
        modules_known: true,
        suppressed: scan.report.suppressed,
        digests,
    }
}

fn commit_id(graph: &Graph, i: usize) -> CommitId {
    let commit = &graph.commits[i];
    CommitId {
        id: commit.id,
        time: commit.time,
    }
}

/// Whether `change`'s file is an out-of-line test module of a file that declares it.
fn is_test_module(change: &Change, path: &BStr, index: &IdMap<usize>, scanned: &[Scanned]) -> bool {
    if change.declarers.is_empty() {
        return false;
    }
    let mut parts = path.rsplit_str("/");
    let file = parts.next().unwrap_or_default();
    let module = if file == b"mod.rs" {
        parts.next().unwrap_or_default()
    } else {
        file.strip_suffix(b".rs").unwrap_or(file)
    };
    change.declarers.iter().any(|declarer| {
        index
            .get(declarer)
            .and_then(|&i| scanned.get(i))
            .is_some_and(|s| s.test_modules.iter().any(|m| m.as_bytes() == module))
    })
}

struct Accumulated {
    secret: Secret,
    last_added: usize,
}

fn assemble(
    graph: &Graph,
    head: Option<usize>,
    changes: &Changes,
    at_head: &Changes,
    index: &IdMap<usize>,
    scanned: &[Scanned],
    options: &ScanOptions,
) -> History {
    let blob_of = |id: &ObjectId| index.get(id).and_then(|&i| scanned.get(i));
    let secrets_of = |change: &Change, set: &Changes| -> Vec<(Fingerprint, &Finding)> {
        let Some(blob) = change.blob.as_ref().and_then(blob_of) else {
            return Vec::new();
        };
        if !options.include_tests
            && is_test_module(change, set.paths.get(change.path), index, scanned)
        {
            return Vec::new();
        }
        blob.findings
            .iter()
            .filter_map(|(finding, fp)| fp.map(|fp| (fp, finding)))
            .collect()
    };

    // Where each secret is at HEAD (a line holding it twice counts once).
    let mut present: HashMap<Fingerprint, Vec<(PathBuf, usize)>> = HashMap::new();
    for change in &at_head.list {
        for (fp, finding) in secrets_of(change, at_head) {
            let place = (to_path(at_head.paths.get(change.path)), finding.line);
            let places = present.entry(fp).or_default();
            if !places.contains(&place) {
                places.push(place);
            }
        }
    }

    let mut report = Report::default();
    let mut origins = Vec::new();
    let mut accumulated: HashMap<Fingerprint, Accumulated> = HashMap::new();
    let mut order: Vec<Fingerprint> = Vec::new();
    let mut seen_blobs = gix::hashtable::HashSet::default();
    let mut places: HashSet<(Fingerprint, u32)> = HashSet::new();
    for change in &changes.list {
        let Some(blob_id) = change.blob else { continue };
        let path = changes.paths.get(change.path);
        let secrets = secrets_of(change, changes);
        let is_test = !options.include_tests && is_test_module(change, path, index, scanned);
        if is_test {
            continue;
        }
        let fresh = seen_blobs.insert(blob_id);
        let commit = commit_id(graph, change.commit);
        let Some(blob) = blob_of(&blob_id) else {
            continue;
        };
        if fresh {
            report.suppressed += blob.suppressed;
            for message in &blob.warnings {
                report.warnings.push(Warning::new(
                    to_path(path),
                    format!("in commit {}: {message}", short(&commit.id)),
                ));
            }
        }
        for (fp, finding) in secrets {
            let entry = accumulated.entry(fp).or_insert_with(|| {
                order.push(fp);
                Accumulated {
                    secret: Secret {
                        fingerprint: fp,
                        first: commit,
                        first_path: to_path(path),
                        first_line: finding.line,
                        last: commit,
                        removed_in: None,
                        in_head_history: false,
                        present_at: present.get(&fp).cloned().unwrap_or_default(),
                        places: 0,
                    },
                    last_added: change.commit,
                }
            });
            entry.last_added = entry.last_added.max(change.commit);
            if fresh && places.insert((fp, change.path)) {
                entry.secret.places += 1;
                let mut finding = finding.clone();
                finding.path = to_path(path);
                report.findings.push(finding);
                origins.push(Origin {
                    commit,
                    secret: fp,
                    still_present: present.contains_key(&fp),
                });
            }
        }
    }
    for acc in accumulated.values_mut() {
        acc.secret.last = commit_id(graph, acc.last_added);
    }
    replay_head_line(
        graph,
        head,
        changes,
        &mut accumulated,
        &secrets_of,
        &present,
    );
    let secrets = order
        .iter()
        .filter_map(|fp| accumulated.remove(fp).map(|acc| acc.secret))
        .collect();
    History {
        report,
        origins,
        excepted_origins: Vec::new(),
        secrets,
        commits: graph.commits.len(),
        head: None,
        revisions: Vec::new(),
        uri: String::new(),
        branch: None,
        slot_digests: Vec::new(),
    }
}

/// Follows HEAD's first-parent line from its root, path by path, to tell for each secret
/// the last commit of that line holding it and the one that removed it.
fn replay_head_line<'c>(
    graph: &Graph,
    head: Option<usize>,
    changes: &'c Changes,
    accumulated: &mut HashMap<Fingerprint, Accumulated>,
    secrets_of: &dyn Fn(&'c Change, &'c Changes) -> Vec<(Fingerprint, &'c Finding)>,
    present: &HashMap<Fingerprint, Vec<(PathBuf, usize)>>,
) {
    // Without HEAD in the walk (a range that leaves it out) there is no line to follow.
    let Some(tip) = head else { return };
    let mut by_path: HashMap<u32, Vec<Fingerprint>> = HashMap::new();
    let mut count: HashMap<Fingerprint, usize> = HashMap::new();
    let mut previous: Option<usize> = None;
    for (commit, commit_changes) in changes.along_first_parents(graph, tip) {
        let before: HashSet<Fingerprint> = count
            .iter()
            .filter(|(_, n)| **n > 0)
            .map(|(fp, _)| *fp)
            .collect();
        for change in commit_changes {
            let mut drop = |fps: Vec<Fingerprint>| {
                for fp in fps {
                    if let Some(n) = count.get_mut(&fp) {
                        *n = n.saturating_sub(1);
                    }
                }
            };
            if change.dir {
                let dir = changes.paths.get(change.path);
                let gone: Vec<u32> = by_path
                    .keys()
                    .copied()
                    .filter(|&p| changes.paths.is_under(p, dir))
                    .collect();
                for p in gone {
                    drop(by_path.remove(&p).unwrap_or_default());
                }
                continue;
            }
            drop(by_path.remove(&change.path).unwrap_or_default());
            let mut fps: Vec<Fingerprint> = secrets_of(change, changes)
                .into_iter()
                .map(|(fp, _)| fp)
                .collect();
            fps.sort_unstable();
            fps.dedup();
            for &fp in &fps {
                *count.entry(fp).or_default() += 1;
                if let Some(acc) = accumulated.get_mut(&fp) {
                    acc.secret.in_head_history = true;
                    acc.secret.removed_in = None;
                }
            }
            if !fps.is_empty() {
                by_path.insert(change.path, fps);
            }
        }
        for fp in before {
            if count.get(&fp).copied().unwrap_or_default() == 0
                && let Some(acc) = accumulated.get_mut(&fp)
            {
                acc.secret.removed_in = Some(commit_id(graph, commit));
                if let Some(p) = previous {
                    acc.secret.last = commit_id(graph, p);
                }
            }
        }
        previous = Some(commit);
    }
    for (fp, acc) in accumulated.iter_mut() {
        if present.contains_key(fp) {
            acc.secret.removed_in = None;
            acc.secret.in_head_history = true;
            acc.secret.last = commit_id(graph, tip);
        }
    }
}

/// `git log --oneline`'s 12-character abbreviation.
pub(crate) fn short(id: &ObjectId) -> String {
    id.to_hex_with_len(12).to_string()
}
