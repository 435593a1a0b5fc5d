//! Opening a repository and resolving the revisions to scan.

use std::path::Path;

use gix::ObjectId;
use jwt_guard_scan::shown;

/// Opens the repository at or above `path` (a work tree or a bare repository), as git
/// would, honouring `GIT_DIR`. Not a repository is an error, never an empty history.
pub(crate) fn open(path: &Path) -> Result<gix::ThreadSafeRepository, String> {
    if path.symlink_metadata().is_err() {
        return Err(format!("`{}`: no such file or directory", shown(path)));
    }
    gix::ThreadSafeRepository::discover_with_environment_overrides(path)
        .map_err(|error| format!("`{}` is not in a git repository: {error}", shown(path)))
}

/// Bytes of decoded delta bases a thread keeps (the pack cache), and of decoded objects
/// (trees met again by the next commit's comparison).
const PACK_CACHE: usize = 32 * 1024 * 1024;
const OBJECT_CACHE: usize = 16 * 1024 * 1024;

/// A handle for this thread, with bounded caches: without a delta-base cache every tree
/// or blob stored as a delta would be rebuilt from its whole chain.
pub(crate) fn local(shared: &gix::ThreadSafeRepository) -> gix::Repository {
    let mut repo = shared.to_thread_local();
    repo.objects.set_pack_cache(|| {
        Box::new(gix::odb::pack::cache::lru::MemoryCappedHashmap::new(
            PACK_CACHE,
        ))
    });
    repo.object_cache_size(Some(OBJECT_CACHE));
    repo
}

/// Reads object `id`, which must be a `kind` (commit, tree or blob), into `buf`: a
/// missing object, one that cannot be decoded or one of another kind is an error naming
/// the id.
pub(crate) fn find<'b>(
    repo: &gix::Repository,
    id: ObjectId,
    kind: gix::object::Kind,
    buf: &'b mut Vec<u8>,
) -> Result<&'b [u8], String> {
    use gix::prelude::Find;
    let data = repo
        .objects
        .try_find(&id, buf)
        .map_err(|error| format!("cannot read {kind} {id}: {error}"))?
        .ok_or_else(|| {
            format!("{kind} {id} is missing: the repository is incomplete or corrupt")
        })?;
    if data.kind != kind {
        return Err(format!("{id} is a {}, not a {kind}", data.kind));
    }
    Ok(data.data)
}

/// What a set of revision arguments selects: commits reachable from `include` and not
/// from `exclude`, as `git rev-list` takes them.
#[derive(Debug, Default)]
pub(crate) struct Revisions {
    pub(crate) include: Vec<ObjectId>,
    pub(crate) exclude: Vec<ObjectId>,
    /// Trees and blobs that a ref points at directly (a tag of a tree or a blob).
    pub(crate) loose_roots: Vec<ObjectId>,
    /// How the selection is described in reports: `--all` or the arguments.
    pub(crate) described: Vec<String>,
}

/// Resolves revision arguments (`main`, `v1.2`, `HEAD~3`, `main..topic`, `^old`,
/// `a...b`, `c^!`); none at all selects every ref and `HEAD`, like `git log --all`.
pub(crate) fn revisions(repo: &gix::Repository, specs: &[String]) -> Result<Revisions, String> {
    if specs.iter().all(|spec| spec.is_empty()) {
        return all_refs(repo);
    }
    let mut revisions = Revisions::default();
    for spec in specs.iter().filter(|spec| !spec.is_empty()) {
        let parsed = repo
            .rev_parse(spec.as_str())
            .map_err(|error| format!("unknown revision `{spec}`: {error}"))?
            .detach();
        use gix::revision::plumbing::Spec;
        let commit = |id: ObjectId| peel_to_commit(repo, id, spec);
        match parsed {
            Spec::Include(id) => revisions.include.push(commit(id)?),
            Spec::Exclude(id) => revisions.exclude.push(commit(id)?),
            Spec::Range { from, to } => {
                revisions.exclude.push(commit(from)?);
                revisions.include.push(commit(to)?);
            }
            Spec::Merge { theirs, ours } => {
                let (theirs, ours) = (commit(theirs)?, commit(ours)?);
                revisions.include.extend([theirs, ours]);
                let bases = repo
                    .merge_bases_many(theirs, &[ours])
                    .map_err(|error| format!("`{spec}`: cannot find the merge base: {error}"))?;
                revisions
                    .exclude
                    .extend(bases.into_iter().map(|id| id.detach()));
            }
            Spec::IncludeOnlyParents(id) => {
                revisions.include.extend(parents(repo, commit(id)?, spec)?);
            }
            Spec::ExcludeParents(id) => {
                let id = commit(id)?;
                revisions.include.push(id);
                revisions.exclude.extend(parents(repo, id, spec)?);
            }
        }
        revisions.described.push(spec.clone());
    }
    Ok(revisions)
}

/// Every ref (branches, remote-tracking branches, tags, notes, the stash) and `HEAD`.
fn all_refs(repo: &gix::Repository) -> Result<Revisions, String> {
    let mut revisions = Revisions {
        described: vec!["--all".to_owned()],
        ..Revisions::default()
    };
    let platform = repo
        .references()
        .map_err(|error| format!("cannot read the refs: {error}"))?;
    let refs = platform
        .all()
        .map_err(|error| format!("cannot read the refs: {error}"))?;
    let mut tips = Vec::new();
    for reference in refs {
        let mut reference = reference.map_err(|error| format!("cannot read a ref: {error}"))?;
        let name = reference.name().as_bstr().to_string();
        // A ref straight at a commit, tree or blob is peeled already: its object's header
        // says so without decoding the object (thousands of refs, such as pull requests').
        let direct = reference.target().try_id().map(|id| id.to_owned());
        let known = direct.and_then(|id| {
            let kind = repo.find_header(id).ok()?.kind();
            (kind != gix::object::Kind::Tag).then_some((id, kind))
        });
        let (id, kind) = match known {
            Some((id, kind)) => (id, Some(kind)),
            None => {
                let id = reference
                    .peel_to_id()
                    .map_err(|error| format!("ref `{name}` cannot be resolved: {error}"))?
                    .detach();
                (id, None)
            }
        };
        tips.push((name, id, kind));
    }
    // A detached HEAD is a ref of its own; an unborn one (no commit yet) selects nothing.
    let head = repo
        .head()
        .map_err(|error| format!("cannot read HEAD: {error}"))?;
    if let Some(id) = head.id() {
        tips.push(("HEAD".to_owned(), id.detach(), None));
    }
    for (name, id, kind) in tips {
        let kind = match kind {
            Some(kind) => kind,
            None => repo
                .find_header(id)
                .map_err(|error| format!("ref `{name}` points at a missing object {id}: {error}"))?
                .kind(),
        };
        match kind {
            gix::object::Kind::Commit => revisions.include.push(id),
            gix::object::Kind::Tree | gix::object::Kind::Blob => revisions.loose_roots.push(id),
            gix::object::Kind::Tag => {
                return Err(format!(
                    "ref `{name}` could not be peeled past a tag ({id})"
                ));
            }
        }
    }
    revisions.include.sort_unstable();
    revisions.include.dedup();
    Ok(revisions)
}

fn peel_to_commit(repo: &gix::Repository, id: ObjectId, spec: &str) -> Result<ObjectId, String> {
    let object = repo
        .find_object(id)
        .map_err(|error| format!("`{spec}`: cannot read {id}: {error}"))?;
    object
        .peel_to_commit()
        .map(|commit| commit.id)
        .map_err(|error| format!("`{spec}` is not a commit: {error}"))
}

fn parents(repo: &gix::Repository, id: ObjectId, spec: &str) -> Result<Vec<ObjectId>, String> {
    let commit = repo
        .find_commit(id)
        .map_err(|error| format!("`{spec}`: cannot read {id}: {error}"))?;
    Ok(commit.parent_ids().map(|id| id.detach()).collect())
}

/// `HEAD`'s commit, or `None` in a repository without one (unborn, or HEAD at a non-commit).
pub(crate) fn head_commit(repo: &gix::Repository) -> Result<Option<ObjectId>, String> {
    let head = repo
        .head()
        .map_err(|error| format!("cannot read HEAD: {error}"))?;
    let Some(id) = head.id() else { return Ok(None) };
    let object = repo
        .find_object(id.detach())
        .map_err(|error| format!("HEAD points at a missing object: {error}"))?;
    Ok(object.peel_to_commit().ok().map(|commit| commit.id))
}

/// Where the repository lives, as a URI for SARIF's `versionControlProvenance`: the
/// `origin` remote's URL without any user name or password in it, else a `file://` URI.
pub(crate) fn uri(repo: &gix::Repository) -> String {
    let remote = repo
        .config_snapshot()
        .string("remote.origin.url")
        .map(|url| url.to_string());
    if let Some(url) = remote.and_then(|url| without_credentials(&url)) {
        return url;
    }
    let dir = repo.workdir().unwrap_or_else(|| repo.git_dir());
    let absolute = std::fs::canonicalize(dir).unwrap_or_else(|_| dir.to_path_buf());
    format!("file://{}", absolute.display()).replace(' ', "%20")
}

/// A remote URL with `user:password@` removed; `None` for what is not a URL with a scheme.
fn without_credentials(url: &str) -> Option<String> {
    let (scheme, rest) = url.split_once("://")?;
    if scheme.is_empty()
        || !scheme
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c))
    {
        return None;
    }
    let authority_end = rest.find('/').unwrap_or(rest.len());
    let (authority, path) = rest.split_at(authority_end);
    let host = authority
        .rsplit_once('@')
        .map_or(authority, |(_, host)| host);
    if host.is_empty() || host.contains(char::is_whitespace) {
        return None;
    }
    Some(format!("{scheme}://{host}{path}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn remote_urls_lose_their_credentials() {
        assert_eq!(
            without_credentials("https://user:tok3n@example.invalid/o/r.git").as_deref(),
            Some("https://example.invalid/o/r.git")
        );
        assert_eq!(
            without_credentials("ssh://git@example.invalid/o/r").as_deref(),
            Some("ssh://example.invalid/o/r")
        );
        assert_eq!(without_credentials("git@example.invalid:o/r.git"), None);
        assert_eq!(without_credentials("/srv/git/r.git"), None);
    }
}
