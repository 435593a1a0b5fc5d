//! Finding a package's policy as cargo finds its manifest, reading its workspace's, and
//! merging them: the package may only tighten what the workspace declares.

use std::path::{Path, PathBuf};

use crate::tree::{Spanned, Table, Value};

use crate::parse::{Doc, Layer};
use jwt_guard_policy::file::{
    Location, PACKAGE_TABLE, PolicyFile, PolicyFileError, Problem, STANDALONE_FILE, WORKSPACE_TABLE,
};
use jwt_guard_policy::open;

/// A manifest larger than this is refused rather than read whole.
const MAX_FILE_LEN: u64 = 1 << 20;

pub(crate) fn discover(start: &Path) -> Result<PolicyFile, PolicyFileError> {
    let start = absolute(start);
    for dir in start.ancestors() {
        if dir.join("Cargo.toml").is_file() || dir.join(STANDALONE_FILE).is_file() {
            return load_dir(dir, None);
        }
    }
    Ok(PolicyFile {
        dir: start,
        ..PolicyFile::default()
    })
}

pub(crate) fn from_path(path: &Path) -> Result<PolicyFile, PolicyFileError> {
    let path = absolute(path);
    let dir = path
        .parent()
        .map_or_else(|| PathBuf::from("."), Path::to_path_buf);
    if !path.is_file() {
        let message = match std::fs::metadata(&path) {
            Ok(meta) => format!("{}, not a regular file", open::kind_of(&meta)),
            Err(_) => "no such file".to_owned(),
        };
        return Err(PolicyFileError::single(whole(&path), None, message));
    }
    if path.file_name().is_some_and(|name| name == STANDALONE_FILE) {
        let text = read(&path)?;
        let (mut doc, table) = Doc::parse(&path, &text)?;
        let value = as_value(table);
        let layer = doc.layer(&value, "", &dir);
        return finish(doc.problems, vec![path.clone()], dir, None, Some(layer));
    }
    load_dir(&dir, Some(&path))
}

/// The policy of the package (or workspace) whose directory is `dir`.
fn load_dir(dir: &Path, manifest: Option<&Path>) -> Result<PolicyFile, PolicyFileError> {
    let manifest = manifest.map_or_else(|| dir.join("Cargo.toml"), Path::to_path_buf);
    let standalone = dir.join(STANDALONE_FILE);
    let mut problems = Vec::new();
    let mut sources = Vec::new();
    let mut package = None;
    let mut workspace = None;
    let mut package_dir_key = None;
    if manifest.is_file() {
        let text = read(&manifest)?;
        let (mut doc, table) = Doc::parse(&manifest, &text)?;
        let root = &table;
        let has_package = root.get("package").is_some();
        if let Some(value) = lookup(root, &["package", "metadata", "jwt-guard"]) {
            package = Some((
                doc.layer(value, PACKAGE_TABLE, dir),
                doc.location(value.span()),
            ));
        }
        if let Some(value) = lookup(root, &["workspace", "metadata", "jwt-guard"]) {
            workspace = Some(doc.layer(value, WORKSPACE_TABLE, dir));
        }
        let is_root = root.get("workspace").is_some();
        if has_package && !is_root {
            package_dir_key = Some(
                lookup(root, &["package", "workspace"])
                    .and_then(|v| v.get_ref().as_str().map(str::to_owned)),
            );
        }
        problems.append(&mut doc.problems);
        sources.push(manifest.clone());
    }
    if standalone.is_file() {
        let text = read(&standalone)?;
        let (mut doc, table) = Doc::parse(&standalone, &text)?;
        if let Some((_, at)) = &package {
            let message = format!(
                "the package's policy is also declared in `[{PACKAGE_TABLE}]` ({at}); keep one"
            );
            problems.push(Problem {
                location: whole(&standalone),
                key: None,
                message,
            });
        }
        let value = as_value(table);
        package = Some((doc.layer(&value, "", dir), whole(&standalone)));
        problems.append(&mut doc.problems);
        sources.insert(0, standalone);
    }
    if let Some(explicit) = package_dir_key {
        // A member: the workspace root's `[workspace.metadata.jwt-guard]` is inherited.
        if let Some((root_manifest, layer, mut more)) = workspace_layer(dir, explicit.as_deref())? {
            problems.append(&mut more);
            sources.push(root_manifest);
            workspace = layer;
        }
    }
    let package = package.map(|(layer, _)| layer);
    finish(problems, sources, dir.to_path_buf(), workspace, package)
}

/// The workspace root of the package in `dir`, and its layer: `package.workspace` when
/// given, else the nearest directory above holding a `Cargo.toml` with `[workspace]` that
/// does not exclude the package (member globs are not expanded).
#[allow(clippy::type_complexity)]
fn workspace_layer(
    dir: &Path,
    explicit: Option<&str>,
) -> Result<Option<(PathBuf, Option<Layer>, Vec<Problem>)>, PolicyFileError> {
    let candidates: Vec<PathBuf> = match explicit {
        Some(path) => vec![dir.join(path)],
        None => dir.ancestors().skip(1).map(Path::to_path_buf).collect(),
    };
    for root in candidates {
        let manifest = root.join("Cargo.toml");
        if !manifest.is_file() {
            continue;
        }
        let text = read(&manifest)?;
        let (mut doc, table) = Doc::parse(&manifest, &text)?;
        let top = &table;
        let Some(workspace) = top.get("workspace") else {
            continue;
        };
        let relative = dir.strip_prefix(&root).unwrap_or(dir);
        let excluded = lookup(top, &["workspace", "exclude"])
            .and_then(|v| match v.get_ref() {
                Value::Array { items, .. } => Some(items.iter().any(|item| {
                    item.get_ref()
                        .as_str()
                        .is_some_and(|e| relative.starts_with(e.trim_end_matches('/')))
                })),
                _ => None,
            })
            .unwrap_or(false);
        if excluded {
            return Ok(None);
        }
        let _ = workspace;
        let layer = lookup(top, &["workspace", "metadata", "jwt-guard"])
            .map(|value| doc.layer(value, WORKSPACE_TABLE, &root));
        return Ok(Some((manifest, layer, doc.problems)));
    }
    Ok(None)
}

/// Merges the layers, the package's only tightening the workspace's.
fn finish(
    mut problems: Vec<Problem>,
    sources: Vec<PathBuf>,
    dir: PathBuf,
    workspace: Option<Layer>,
    package: Option<Layer>,
) -> Result<PolicyFile, PolicyFileError> {
    let mut policy = PolicyFile {
        sources,
        dir,
        ..PolicyFile::default()
    };
    let mut check = Doc::detached();
    if let (Some(outer), Some(inner)) = (&workspace, &package) {
        check.not_looser(&outer.defaults, &inner.defaults, "a package");
        for (var, rule) in &inner.secrets {
            check.not_looser(&outer.defaults, rule, "a package");
            for (_, outer_rule) in outer.secrets.iter().filter(|(v, _)| v == var) {
                check.not_looser(outer_rule, rule, "a package");
            }
        }
        for (outer_at, inner_at, outer_value, inner_value) in [
            (
                &outer.guard_at.include_tests,
                &inner.guard_at.include_tests,
                outer.guard.include_tests,
                inner.guard.include_tests,
            ),
            (
                &outer.guard_at.config_files,
                &inner.guard_at.config_files,
                outer.guard.config_files,
                inner.guard.config_files,
            ),
        ] {
            if let (Some(true), Some(false), Some((at, key)), Some((inner_at, inner_key))) =
                (outer_value, inner_value, outer_at, inner_at)
            {
                problems.push(Problem {
                    location: inner_at.clone(),
                    key: Some(inner_key.clone()),
                    message: format!("turns off what `{key}` ({at}) turns on; a package may only tighten its workspace's policy"),
                });
            }
        }
    }
    problems.append(&mut check.problems);
    if !problems.is_empty() {
        problems.sort_by(|a, b| {
            (&a.location.file, a.location.line, a.location.column).cmp(&(
                &b.location.file,
                b.location.line,
                b.location.column,
            ))
        });
        return Err(PolicyFileError::new(problems));
    }
    for layer in workspace.into_iter().chain(package) {
        let defaults = layer.defaults.rule;
        if let Some(alg) = defaults.alg {
            policy.defaults.alg = Some(policy.defaults.alg.map_or(alg, |a| a.max(alg)));
        }
        if let Some(min) = defaults.min_len {
            policy.defaults.min_len = Some(policy.defaults.min_len.map_or(min, |m| m.max(min)));
        }
        for word in defaults.deny {
            if !policy.defaults.deny.contains(&word) {
                policy.defaults.deny.push(word);
            }
        }
        policy
            .secrets
            .extend(layer.secrets.into_iter().map(|(var, at)| (var, at.rule)));
        let guard = layer.guard;
        policy.guard.include.extend(guard.include);
        policy.guard.exclude.extend(guard.exclude);
        policy.guard.include_tests = guard.include_tests.or(policy.guard.include_tests);
        policy.guard.config_files = guard.config_files.or(policy.guard.config_files);
        policy.guard.max_file_size = guard.max_file_size.or(policy.guard.max_file_size);
        policy.exceptions.extend(layer.exceptions);
    }
    Ok(policy)
}

fn lookup<'v>(table: &'v Table, path: &[&str]) -> Option<&'v Spanned<Value>> {
    let (first, rest) = path.split_first()?;
    let value = table.get(first)?;
    if rest.is_empty() {
        return Some(value);
    }
    match value.get_ref() {
        Value::Table(inner) => lookup(inner, rest),
        _ => None,
    }
}

/// The document's root table as a value (written nowhere in particular).
fn as_value(table: Table) -> Spanned<Value> {
    Spanned::new(0..0, Value::Table(table))
}

pub(crate) fn read(path: &Path) -> Result<String, PolicyFileError> {
    use std::io::Read;
    let fail = |message: String| PolicyFileError::single(whole(path), None, message);
    // Opened without blocking and checked on the handle: a FIFO or device put in the
    // file's place after `is_file` saw it is refused, not waited on; the size limit holds
    // on the bytes read, so a file growing meanwhile is not read whole.
    let (file, _) = open::regular_file(path).map_err(fail)?;
    let mut bytes = Vec::new();
    file.take(MAX_FILE_LEN + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| fail(format!("cannot read: {}", open::message(&e))))?;
    if bytes.len() as u64 > MAX_FILE_LEN {
        return Err(fail(format!("larger than {MAX_FILE_LEN} bytes; not read")));
    }
    String::from_utf8(bytes).map_err(|_| fail("not valid UTF-8".to_owned()))
}

fn whole(path: &Path) -> Location {
    Location {
        file: path.to_path_buf(),
        line: 0,
        column: 0,
    }
}

fn absolute(path: &Path) -> PathBuf {
    std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf())
}
