//! Is a configuration file a local, untracked, git-ignored one (a developer's `.env`)?
//! That is the right place for a secret, so the walker does not list it.
//!
//! Only configuration files are asked about: an ignored Rust source still ships in the
//! binary. A file counts as ignored only when all of these hold, and is scanned otherwise
//! (fail closed):
//! - it is inside a git work tree (a `.git` in it or an ancestor directory);
//! - a `.gitignore` of its directory or of one above it (up to the work tree's top), or
//!   `.git/info/exclude`, ignores it or a directory it is in (gitignore syntax: `*`, `?`,
//!   `[...]`, `**`, a leading `/`, a trailing `/`, `!` negation, `\` escapes);
//! - git's index does not list it (an ignored file that was committed anyway is
//!   tracked, and scanned). An index this reader does not know (version 4, split or
//!   unreadable) counts as listing it.
//!
//! Not read: the global `core.excludesFile`, and `.gitignore` files outside the work tree.

use crate::search;
use std::collections::HashMap;
use std::fs;
use std::path::{Path, PathBuf};

/// One gitignore line.
#[derive(Debug, Clone)]
struct Pattern {
    glob: Vec<u8>,
    negated: bool,
    dir_only: bool,
    /// Matched against the path relative to the file's directory, not just the name.
    anchored: bool,
}

/// The `.gitignore` files read so far, by directory, and git indexes by work tree.
#[derive(Debug, Default)]
pub(crate) struct Gitignore {
    patterns: HashMap<PathBuf, Vec<Pattern>>,
    /// Work-tree top -> the index's bytes (`None`: unknown format, every file tracked).
    indexes: HashMap<PathBuf, Option<Vec<u8>>>,
    tops: HashMap<PathBuf, Option<(PathBuf, PathBuf)>>,
}

impl Gitignore {
    /// Whether `file` is a git-ignored, untracked file (see the module docs).
    pub(crate) fn ignores(&mut self, file: &Path) -> bool {
        let (Some(dir), Some(name)) = (file.parent(), file.file_name()) else {
            return false;
        };
        let Some((dir, top)) = self.dir_and_top(dir) else {
            return false;
        };
        let path = dir.join(name);
        let Ok(rel) = path.strip_prefix(&top) else {
            return false;
        };
        let components: Vec<_> = rel.components().collect();
        let mut current = top.clone();
        let mut ignored = false;
        for (i, component) in components.iter().enumerate() {
            current.push(component);
            let is_dir = i + 1 < components.len();
            if self.matched(&top, &current, is_dir) {
                ignored = true;
                break;
            }
        }
        ignored && !self.tracked(&top, rel)
    }

    /// `dir` made absolute, and the work tree holding it, if any (cached by `dir` as given).
    fn dir_and_top(&mut self, dir: &Path) -> Option<(PathBuf, PathBuf)> {
        if let Some(known) = self.tops.get(dir) {
            return known.clone();
        }
        let shown = if dir.as_os_str().is_empty() {
            Path::new(".")
        } else {
            dir
        };
        let known = fs::canonicalize(shown).ok().and_then(|canonical| {
            let top = canonical
                .ancestors()
                .find(|d| d.join(".git").exists())
                .map(Path::to_path_buf)?;
            Some((canonical, top))
        });
        self.tops.insert(dir.to_path_buf(), known.clone());
        known
    }

    /// Whether the last matching pattern for `path` (from the top's `info/exclude`, then
    /// each `.gitignore` from the top down to its directory) ignores it.
    fn matched(&mut self, top: &Path, path: &Path, is_dir: bool) -> bool {
        let mut result = false;
        let Some(parent) = path.parent() else {
            return false;
        };
        let mut bases: Vec<PathBuf> = parent
            .ancestors()
            .take_while(|d| d.starts_with(top))
            .map(Path::to_path_buf)
            .collect();
        bases.reverse();
        let exclude = top.join(".git/info/exclude");
        let mut sources: Vec<(PathBuf, PathBuf)> = vec![(top.to_path_buf(), exclude)];
        sources.extend(bases.into_iter().map(|b| (b.clone(), b.join(".gitignore"))));
        for (base, file) in sources {
            let Ok(rel) = path.strip_prefix(&base) else {
                continue;
            };
            let rel = rel.to_string_lossy().replace('\\', "/");
            let name = path
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            let patterns = self
                .patterns
                .entry(file.clone())
                .or_insert_with(|| fs::read(&file).map(|b| parse(&b)).unwrap_or_default());
            for p in patterns.iter() {
                if p.dir_only && !is_dir {
                    continue;
                }
                let subject = if p.anchored {
                    rel.as_bytes()
                } else {
                    name.as_bytes()
                };
                if glob(&p.glob, subject) {
                    result = !p.negated;
                }
            }
        }
        result
    }

    /// Whether git's index lists `rel` (a path relative to the work tree's top).
    fn tracked(&mut self, top: &Path, rel: &Path) -> bool {
        let index = self
            .indexes
            .entry(top.to_path_buf())
            .or_insert_with(|| read_index(&top.join(".git")));
        let Some(index) = index else {
            return true;
        };
        let rel = rel.to_string_lossy().replace('\\', "/");
        let needle = [rel.as_bytes(), b"\0"].concat();
        let len = rel.len().min(0xFFF) as u16;
        search::memmem::find_iter(index, &needle).any(|at| {
            // An entry's path follows its flags, whose low 12 bits are the path's length
            // (version 3 may put two more bytes of flags in between).
            let flags_at = |back: usize| {
                at.checked_sub(back)
                    .and_then(|i| index.get(i..i + 2))
                    .is_some_and(|f| u16::from_be_bytes([f[0], f[1]]) & 0x0FFF == len)
            };
            flags_at(2) || flags_at(4)
        })
    }
}

/// The index of the git directory `.git` (a `gitdir:` file is followed), if its
/// version is 2 or 3 and it is whole.
fn read_index(git: &Path) -> Option<Vec<u8>> {
    let dir = if git.is_file() {
        let text = fs::read_to_string(git).ok()?;
        let target = text.trim().strip_prefix("gitdir:")?.trim().to_owned();
        let target = PathBuf::from(target);
        if target.is_absolute() {
            target
        } else {
            git.parent()?.join(target)
        }
    } else {
        git.to_path_buf()
    };
    let bytes = match fs::read(dir.join("index")) {
        Ok(bytes) => bytes,
        // No index yet (no commit, nothing added): nothing is tracked.
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Some(Vec::new()),
        Err(_) => return None,
    };
    let version = bytes
        .get(4..8)
        .map(|v| u32::from_be_bytes([v[0], v[1], v[2], v[3]]))?;
    (bytes.starts_with(b"DIRC") && (version == 2 || version == 3) && !has_link_extension(&bytes))
        .then_some(bytes)
}

/// A split index keeps most entries elsewhere. Conservative: any `link` in the index
/// (the extension's signature, or a path holding it) makes it unknown, so every file counts
/// as tracked and is scanned.
fn has_link_extension(bytes: &[u8]) -> bool {
    search::memmem::find(bytes, b"link").is_some()
}

/// Parses a `.gitignore`.
fn parse(bytes: &[u8]) -> Vec<Pattern> {
    let mut out = Vec::new();
    for line in bytes.split(|&b| b == b'\n') {
        let mut line = line.strip_suffix(b"\r").unwrap_or(line);
        // Trailing spaces are dropped unless escaped.
        while line.ends_with(b" ") && !line.ends_with(b"\\ ") {
            line = &line[..line.len() - 1];
        }
        if line.is_empty() || line.starts_with(b"#") {
            continue;
        }
        let (negated, mut glob) = match line.strip_prefix(b"!") {
            Some(rest) => (true, rest.to_vec()),
            None => (false, line.to_vec()),
        };
        if glob.starts_with(b"\\") {
            glob.remove(0);
        }
        let dir_only = glob.ends_with(b"/");
        if dir_only {
            glob.pop();
        }
        let anchored = glob.contains(&b'/');
        if glob.starts_with(b"/") {
            glob.remove(0);
        }
        if glob.is_empty() {
            continue;
        }
        out.push(Pattern {
            glob,
            negated,
            dir_only,
            anchored,
        });
    }
    out
}

/// gitignore glob matching: `*` and `?` within a path component, `**` across them,
/// `[...]` classes (`!`/`^` negates, ranges), `\` escapes.
fn glob(pattern: &[u8], text: &[u8]) -> bool {
    if let Some(rest) = pattern.strip_prefix(b"**/")
        && glob(rest, text)
    {
        return true;
    }
    match pattern.split_first() {
        None => text.is_empty(),
        Some((b'*', rest)) if rest.first() == Some(&b'*') => {
            let rest = &rest[1..];
            let rest = rest.strip_prefix(b"/").map_or(rest, |r| r);
            (0..=text.len()).any(|i| glob(rest, &text[i..]))
        }
        Some((b'*', rest)) => {
            for i in 0..=text.len() {
                if glob(rest, &text[i..]) {
                    return true;
                }
                if text.get(i) == Some(&b'/') {
                    break;
                }
            }
            false
        }
        Some((b'?', rest)) => text.first().is_some_and(|&c| c != b'/') && glob(rest, &text[1..]),
        Some((b'[', rest)) => {
            let Some(close) = rest.iter().skip(1).position(|&b| b == b']').map(|p| p + 1) else {
                return text.first() == Some(&b'[') && glob(rest, &text[1..]);
            };
            let Some(&c) = text.first() else { return false };
            let mut class = &rest[..close];
            let negate = matches!(class.first(), Some(b'!') | Some(b'^'));
            if negate {
                class = &class[1..];
            }
            let mut hit = false;
            let mut i = 0;
            while i < class.len() {
                if i + 2 < class.len() && class[i + 1] == b'-' {
                    hit |= class[i] <= c && c <= class[i + 2];
                    i += 3;
                } else {
                    hit |= class[i] == c;
                    i += 1;
                }
            }
            hit != negate && c != b'/' && glob(&rest[close + 1..], &text[1..])
        }
        Some((b'\\', rest)) if !rest.is_empty() => {
            text.first() == Some(&rest[0]) && glob(&rest[1..], &text[1..])
        }
        Some((&p, rest)) => text.first() == Some(&p) && glob(rest, &text[1..]),
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn globs_follow_gitignore() {
        for (p, t) in [
            (".env", ".env"),
            (".env*", ".env.local"),
            ("*.env", "prod.env"),
            ("**/secrets", "a/b/secrets"),
            ("config/**", "config/a/b.toml"),
            ("a/**/b", "a/x/y/b"),
            ("a/**/b", "a/b"),
            ("[a-c]x", "bx"),
            ("!x", "!x"),
        ] {
            let p = if p == "!x" { "\\!x" } else { p };
            assert!(glob(&parse(p.as_bytes())[0].glob, t.as_bytes()), "{p} {t}");
        }
        for (p, t) in [
            ("*.env", "a/b.env"),
            (".env", ".env.local"),
            ("[!a]x", "ax"),
        ] {
            assert!(!glob(&parse(p.as_bytes())[0].glob, t.as_bytes()), "{p} {t}");
        }
    }

    #[test]
    fn an_ignored_untracked_file_in_a_work_tree_is_ignored_and_nothing_else() {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path();
        fs::create_dir_all(root.join("sub/deep")).unwrap();
        fs::create_dir_all(root.join("ignored-dir")).unwrap();
        fs::write(
            root.join(".gitignore"),
            "# local\n.env\n*.local.yml\n!keep.local.yml\nignored-dir/\n",
        )
        .unwrap();
        fs::write(root.join("sub/.gitignore"), "/only-here.toml\n").unwrap();
        let mut gi = Gitignore::default();
        // Not a work tree yet: nothing is ignored.
        assert!(!gi.ignores(&root.join(".env")));
        fs::create_dir_all(root.join(".git/info")).unwrap();
        fs::write(root.join(".git/info/exclude"), "excluded.json\n").unwrap();
        let mut gi = Gitignore::default();
        for ignored in [
            ".env",
            "sub/.env",
            "sub/deep/x.local.yml",
            "ignored-dir/a.toml",
            "sub/only-here.toml",
            "excluded.json",
        ] {
            assert!(gi.ignores(&root.join(ignored)), "{ignored}");
        }
        for scanned in [
            ".env.production",
            "keep.local.yml",
            "only-here.toml",
            "sub/deep/only-here.toml",
            "compose.yml",
        ] {
            assert!(!gi.ignores(&root.join(scanned)), "{scanned}");
        }
    }

    #[test]
    fn an_ignored_file_listed_in_the_index_is_tracked() {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path();
        fs::create_dir_all(root.join(".git")).unwrap();
        fs::write(root.join(".gitignore"), ".env\n").unwrap();
        // A version-2 index whose one entry is `.env` (62 bytes of stat data, flags, path).
        let mut index = b"DIRC\0\0\0\x02\0\0\0\x01".to_vec();
        index.extend([0u8; 60]);
        index.extend(4u16.to_be_bytes());
        index.extend(b".env\0\0\0\0");
        fs::write(root.join(".git/index"), &index).unwrap();
        let mut gi = Gitignore::default();
        assert!(!gi.ignores(&root.join(".env")), "committed anyway: scanned");
        // An index this reader does not know: every file counts as tracked.
        fs::write(root.join(".git/index"), b"DIRC\0\0\0\x04").unwrap();
        let mut gi = Gitignore::default();
        assert!(!gi.ignores(&root.join(".env")));
        fs::remove_file(root.join(".git/index")).unwrap();
        let mut gi = Gitignore::default();
        assert!(gi.ignores(&root.join(".env")), "no index: not tracked");
    }
}
