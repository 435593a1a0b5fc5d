//! The policy file for `scan --history` and `scan --staged`: the one a scan of the work
//! tree would take (discovered from the repository path argument, as `scan PATH` does),
//! so history and the index get the exclusions and exceptions a scan at HEAD gets.
//!
//! The file names absolute paths (relative to its directory as written); git names paths
//! relative to the work tree's root. Each `exclude` and each exception's `path` is made a
//! repository-relative path once (symbolic links in the existing part resolved, as the
//! exception matcher resolves them), and applies to that path in every commit. One
//! outside the work tree names nothing git holds. A bare repository has no work tree, so
//! no policy file is read: what the repository holds is scanned under the built-in policy.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use jwt_guard::policy_file::{PolicyFile, discover};
use jwt_guard_scan::policy::lexically_normal;
use jwt_guard_scan::{Exception, Finding, Report, ScanOptions};

use super::committed::History;
use super::repo;
use crate::scan::{ScanArgs, policy_dir, scope};

/// What the policy file and the command line make of a git scan.
pub(crate) struct RepoPolicy {
    /// Test code, configuration files and the size limit, as `scan` decides them.
    pub(crate) options: ScanOptions,
    /// The file's `exclude`s, relative to the work tree's root (empty: all of it).
    excluded: Vec<PathBuf>,
    /// The file's exceptions, each `path` the file's absolute path under [`Self::root`].
    exceptions: Vec<Exception>,
    /// The work tree's root, symbolic links resolved.
    root: PathBuf,
}

impl RepoPolicy {
    /// The policy for the repository at or above `path` (a bare one: none); a policy
    /// file that does not parse, or names an unknown rule, is an error.
    pub(crate) fn discover(args: &ScanArgs, path: &Path) -> Result<RepoPolicy, String> {
        let shared = repo::open(path)?;
        let workdir = shared.work_dir().map(Path::to_path_buf);
        let Some(workdir) = workdir else {
            let builtin = PolicyFile::default();
            return Ok(RepoPolicy {
                options: scope(args, &builtin)?.options,
                excluded: Vec::new(),
                exceptions: Vec::new(),
                root: PathBuf::new(),
            });
        };
        let file = discover(policy_dir(path)).map_err(|error| error.to_string())?;
        let scope = scope(args, &file)?;
        let root = std::fs::canonicalize(&workdir).map_err(|error| {
            format!(
                "cannot resolve the work tree `{}`: {error}",
                jwt_guard_scan::shown(&workdir)
            )
        })?;
        let excluded = scope
            .rules
            .exclude
            .iter()
            .filter_map(|path| in_repo(path, &root))
            .collect();
        let exceptions = scope
            .exceptions
            .into_iter()
            .filter_map(|mut exception| {
                exception.path = root.join(in_repo(&exception.path, &root)?);
                Some(exception)
            })
            .collect();
        Ok(RepoPolicy {
            options: scope.options,
            excluded,
            exceptions,
            root,
        })
    }

    /// Whether the file's `exclude` leaves out `path` (relative to the work tree's root).
    pub(crate) fn excludes(&self, path: &Path) -> bool {
        self.excluded
            .iter()
            .any(|prefix| prefix.as_os_str().is_empty() || path.starts_with(prefix))
    }

    /// Applies the exceptions to a report whose paths are relative to the work tree's
    /// root, as `scan` applies them: a covered finding moves to `excepted`; one whose
    /// exception expired stays, saying so.
    pub(crate) fn apply(&self, report: &mut Report) {
        if self.exceptions.is_empty() {
            return;
        }
        // The matcher compares absolute paths: the findings' are made so, then restored.
        for finding in &mut report.findings {
            finding.path = self.root.join(&finding.path);
        }
        report.apply_exceptions(&self.exceptions);
        let findings = report
            .findings
            .iter_mut()
            .chain(report.excepted.iter_mut().map(|e| &mut e.finding));
        for finding in findings {
            if let Ok(relative) = finding.path.strip_prefix(&self.root) {
                finding.path = relative.to_path_buf();
            }
        }
    }

    /// [`Self::apply`] to a history: an excepted finding keeps its origin (in
    /// `excepted_origins`), and a secret all of whose findings are excepted is no longer
    /// one of the history's secrets.
    pub(crate) fn apply_to_history(&self, history: &mut History) {
        if self.exceptions.is_empty() {
            return;
        }
        let findings = std::mem::take(&mut history.report.findings);
        let origins = std::mem::take(&mut history.origins);
        let at_head: HashMap<_, _> = history
            .secrets
            .iter()
            .map(|secret| (secret.fingerprint, secret.present_at.as_slice()))
            .collect();
        for (finding, origin) in findings.into_iter().zip(origins) {
            let at_head = at_head.get(&origin.secret).copied().unwrap_or_default();
            let mut one = self.apply_to_one(finding, at_head);
            if let Some(excepted) = one.excepted.pop() {
                history.report.excepted.push(excepted);
                history.excepted_origins.push(origin);
            } else {
                history.report.findings.append(&mut one.findings);
                history.origins.push(origin);
            }
        }
        let origins = &history.origins;
        history.secrets.retain_mut(|secret| {
            secret.places = origins
                .iter()
                .filter(|o| o.secret == secret.fingerprint)
                .count();
            secret.places > 0
        });
    }

    /// [`Self::apply`] to one finding of a history, which names the line where its secret
    /// first appeared: an exception names a line at HEAD, so the finding is also tried on
    /// each line where HEAD has its secret in the same file (`at_head`). It keeps its own
    /// line either way.
    fn apply_to_one(&self, finding: Finding, at_head: &[(PathBuf, usize)]) -> Report {
        let line = finding.line;
        let head_lines = at_head
            .iter()
            .filter(|(path, _)| *path == finding.path)
            .map(|(_, line)| *line);
        let mut tried = Vec::new();
        for at in std::iter::once(line).chain(head_lines) {
            let mut one = Report::default();
            one.findings.push(finding.clone());
            one.findings[0].line = at;
            self.apply(&mut one);
            let all = one.findings.iter_mut();
            for covered in all.chain(one.excepted.iter_mut().map(|e| &mut e.finding)) {
                covered.line = line;
            }
            if !one.excepted.is_empty() {
                return one;
            }
            tried.push(one);
        }
        // None covers it: as at its own line, unless an expired exception named it at HEAD.
        let expired = tried.iter().position(|one| {
            one.findings
                .first()
                .is_some_and(|f| f.message != finding.message)
        });
        tried.swap_remove(expired.unwrap_or(0))
    }
}

/// `path` (absolute) relative to `root` (symbolic links resolved): its longest existing
/// part resolved, the rest taken as written (`..` lexically). `None` outside `root`; an
/// empty path when it holds `root` itself.
fn in_repo(path: &Path, root: &Path) -> Option<PathBuf> {
    let resolved = path
        .ancestors()
        .find_map(|ancestor| {
            let real = std::fs::canonicalize(ancestor).ok()?;
            Some(real.join(path.strip_prefix(ancestor).ok()?))
        })
        .unwrap_or_else(|| path.to_path_buf());
    let normal = lexically_normal(&resolved);
    if root.starts_with(&normal) {
        return Some(PathBuf::new());
    }
    normal.strip_prefix(root).ok().map(Path::to_path_buf)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn a_policy_path_is_made_relative_to_the_work_tree() {
        let tmp = tempfile::tempdir().unwrap();
        let root = std::fs::canonicalize(tmp.path()).unwrap().join("repo");
        std::fs::create_dir_all(root.join("crates/api/generated")).unwrap();
        // A file in a subdirectory names paths relative to it; `..` climbs lexically
        // where the path does not exist.
        assert_eq!(
            in_repo(&root.join("crates/api/generated"), &root),
            Some(PathBuf::from("crates/api/generated"))
        );
        assert_eq!(
            in_repo(&root.join("crates/api/./vendor/../fixtures"), &root),
            Some(PathBuf::from("crates/api/fixtures"))
        );
        assert_eq!(
            in_repo(&root.join("crates/api/../../docs"), &root),
            Some(PathBuf::from("docs"))
        );
        // The root itself or above: everything; beside it: nothing of the repository.
        assert_eq!(
            in_repo(&root.join("crates/../"), &root),
            Some(PathBuf::new())
        );
        assert_eq!(in_repo(tmp.path(), &root), Some(PathBuf::new()));
        assert_eq!(in_repo(&tmp.path().join("other/src"), &root), None);
        assert_eq!(in_repo(&root.join("../repo-old/src"), &root), None);
    }

    #[cfg(unix)]
    #[test]
    fn a_policy_path_through_a_link_is_the_linked_path() {
        let tmp = tempfile::tempdir().unwrap();
        let real = std::fs::canonicalize(tmp.path()).unwrap().join("repo");
        std::fs::create_dir_all(real.join("src")).unwrap();
        std::os::unix::fs::symlink(&real, tmp.path().join("link")).unwrap();
        assert_eq!(
            in_repo(&tmp.path().join("link/src/gone.rs"), &real),
            Some(PathBuf::from("src/gone.rs"))
        );
    }

    #[test]
    fn an_exclude_is_a_prefix_of_whole_components_and_empty_is_everything() {
        let policy = RepoPolicy {
            options: ScanOptions::default(),
            excluded: vec![PathBuf::from("vendor")],
            exceptions: Vec::new(),
            root: PathBuf::new(),
        };
        assert!(policy.excludes(Path::new("vendor/a.rs")));
        assert!(policy.excludes(Path::new("vendor")));
        assert!(!policy.excludes(Path::new("vendored/a.rs")));
        assert!(!policy.excludes(Path::new("src/vendor.rs")));
        let everything = RepoPolicy {
            excluded: vec![PathBuf::new()],
            ..policy
        };
        assert!(everything.excludes(Path::new("src/a.rs")));
    }
}
