//! A record of files found clean, so a build script rescans only what changed.
//!
//! Kept in `$OUT_DIR` by [`Guard::check`](crate::build::Guard::check). It holds paths, sizes and
//! modification times (never file contents), and only for files with no finding, no
//! suppression and no warning. It is thrown away when the scan options or the build
//! script itself (so the rules) change.

use jwt_guard_scan::CleanFiles;
use std::collections::HashMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::time::UNIX_EPOCH;

#[derive(Debug, Default)]
pub(crate) struct CleanFileRecord {
    header: String,
    entries: HashMap<PathBuf, Entry>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
struct Entry {
    stamp: (u128, u64),
    test_modules: Vec<String>,
}

/// Size and modification time (ns), or `None` when unknown.
fn stamp(meta: &fs::Metadata) -> Option<(u128, u64)> {
    let mtime = meta
        .modified()
        .ok()?
        .duration_since(UNIX_EPOCH)
        .ok()?
        .as_nanos();
    Some((mtime, meta.len()))
}

impl CleanFileRecord {
    /// Loads `file` if it was written for the same `identity`; otherwise starts empty.
    pub(crate) fn load(file: &Path, identity: String) -> CleanFileRecord {
        let mut cache = CleanFileRecord {
            header: identity,
            entries: HashMap::new(),
        };
        let Ok(text) = fs::read_to_string(file) else {
            return cache;
        };
        let mut lines = text.lines();
        if lines.next() != Some(cache.header.as_str()) {
            return cache;
        }
        for line in lines {
            let mut fields = line.split('\t');
            let (Some(path), Some(mtime), Some(len), Some(modules)) =
                (fields.next(), fields.next(), fields.next(), fields.next())
            else {
                continue;
            };
            let (Ok(mtime), Ok(len)) = (mtime.parse(), len.parse()) else {
                continue;
            };
            let test_modules = modules
                .split(',')
                .filter(|m| !m.is_empty())
                .map(str::to_owned)
                .collect();
            let entry = Entry {
                stamp: (mtime, len),
                test_modules,
            };
            cache.entries.insert(PathBuf::from(path), entry);
        }
        cache
    }

    /// Writes the cache; a failure only costs a rescan next time.
    pub(crate) fn save(&self, file: &Path) {
        let mut text = format!("{}\n", self.header);
        for (path, entry) in &self.entries {
            if let Some(p) = path.to_str() {
                let (mtime, len) = entry.stamp;
                text.push_str(&format!(
                    "{p}\t{mtime}\t{len}\t{}\n",
                    entry.test_modules.join(",")
                ));
            }
        }
        let _ = fs::write(file, text);
    }
}

impl CleanFiles for CleanFileRecord {
    /// The test modules of `path` if it is unchanged since it was found clean.
    fn lookup(&self, path: &Path) -> Option<Vec<String>> {
        let entry = self.entries.get(path)?;
        let now = stamp(&fs::metadata(path).ok()?)?;
        (entry.stamp == now).then(|| entry.test_modules.clone())
    }

    /// Records `path` as clean (if its name can be written on one line).
    fn record(&mut self, path: &Path, test_modules: &[String]) {
        let Some(text) = path.to_str() else { return };
        if text.contains(['\t', '\n', '\r']) {
            return;
        }
        let Some(now) = fs::metadata(path).ok().as_ref().and_then(stamp) else {
            return;
        };
        let entry = Entry {
            stamp: now,
            test_modules: test_modules.to_vec(),
        };
        self.entries.insert(path.to_path_buf(), entry);
    }

    /// Forgets `path` (it has findings or warnings now).
    fn forget(&mut self, path: &Path) {
        self.entries.remove(path);
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn round_trips_and_notices_changes() {
        let tmp = tempfile::tempdir().unwrap();
        let file = tmp.path().join("a.rs");
        fs::write(&file, "fn a() {}").unwrap();
        let store = tmp.path().join("cache");
        let mut cache = CleanFileRecord::load(&store, "v1".into());
        assert_eq!(cache.lookup(&file), None);
        cache.record(&file, &["tests".to_owned()]);
        cache.save(&store);
        let cache = CleanFileRecord::load(&store, "v1".into());
        assert_eq!(cache.lookup(&file), Some(vec!["tests".to_owned()]));
        assert_eq!(
            CleanFileRecord::load(&store, "v2".into()).lookup(&file),
            None,
            "other identity"
        );
        fs::write(&file, "fn a() { let changed = 1; }").unwrap();
        assert_eq!(cache.lookup(&file), None, "changed file");
    }
}
