//! Git: `scan --history` (every blob ever committed), `scan --staged` (the index, for a
//! pre-commit hook) and `check-env --repo` / `--digests` (is the deployed secret burnt?).
//!
//! Objects are read in-process with gitoxide (`gix`), never by running `git`: bare
//! repositories, shallow clones, packed and loose objects alike. Data flows one way:
//! `repo` (open, resolve revisions) -> `graph` (commits, parents before children) ->
//! `changes` (each commit's tree against its first parent: the blobs it brings) ->
//! `blobs` (each distinct blob read once, in pack order, on all cores) -> `source` (picks
//! the scanner by path) -> `committed` (scan --history) / `burnt` (check-env) -> `render`.
//!
//! Fail closed: a path that is not a repository, an unknown revision, a missing or
//! corrupt object is an error (exit 2); a blob over the size limit is a counted warning
//! that makes the exit status non-zero, never a quiet pass.

mod blobs;
mod burnt;
mod changes;
pub(crate) mod cli;
mod committed;
mod date;
mod digest;
mod graph;
mod policy;
mod render;
mod repo;
mod source;
mod staged;

/// A path of a tree or the index (`/`-separated bytes) as a `Path`; lossy only where the
/// platform cannot hold the bytes.
fn to_path(path: &gix::bstr::BStr) -> std::path::PathBuf {
    use gix::bstr::ByteSlice;
    gix::path::from_bstr(path)
        .map(std::borrow::Cow::into_owned)
        .unwrap_or_else(|_| std::path::PathBuf::from(path.to_str_lossy().as_ref()))
}
