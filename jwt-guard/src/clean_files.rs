//! A record of files found clean, so a build script rescans only what changed.
//!
//! Kept in `$OUT_DIR` by [`Guard::check`](crate::build::Guard::check). It holds paths, sizes
//! and modification times as they were when each file was read (never file contents),
//! and only for files with no finding, no suppression and no error. It is thrown away
//! when the scan options or the build script itself (so the rules) change. A record that
//! cannot be read (missing, corrupted, not a regular file) is an empty one: it costs a
//! full scan, never a skipped file.

use jwt_guard_scan::{CleanFiles, FileStamp};
use std::collections::HashMap;
use std::io::Read;
use std::path::{Path, PathBuf};

/// The record is a few hundred bytes a file; anything far larger is not one of ours.
const MAX_RECORD_LEN: u64 = 64 * 1024 * 1024;

#[derive(Debug, Default)]
pub(crate) struct CleanFileRecord {
    header: String,
    entries: HashMap<PathBuf, Entry>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
struct Entry {
    stamp: FileStamp,
    test_modules: Vec<String>,
}

impl CleanFileRecord {
    /// Loads `file` if it was written for the same `identity`; otherwise starts empty.
    pub(crate) fn load(file: &Path, identity: String) -> CleanFileRecord {
        let mut record = CleanFileRecord {
            header: identity,
            entries: HashMap::new(),
        };
        let Some(text) = read_record(file) else {
            return record;
        };
        let mut lines = text.lines();
        if lines.next() != Some(record.header.as_str()) {
            return record;
        }
        for line in lines {
            if let Some((path, entry)) = parse_line(line) {
                record.entries.insert(path, entry);
            }
        }
        record
    }

    /// Writes the record through a temporary file renamed over the old one, so a reader
    /// never sees half a record and a FIFO or link at the path is replaced, not written
    /// into. A failure only costs a full scan next time.
    pub(crate) fn save(&self, file: &Path) {
        let mut text = format!("{}\n", self.header);
        for (path, entry) in &self.entries {
            if let Some(p) = path.to_str() {
                let FileStamp { len, modified_ns } = entry.stamp;
                text.push_str(&format!(
                    "{p}\t{modified_ns}\t{len}\t{}\n",
                    entry.test_modules.join(",")
                ));
            }
        }
        let temporary = file.with_extension(format!("tmp{}", std::process::id()));
        if std::fs::write(&temporary, text).is_err() || std::fs::rename(&temporary, file).is_err() {
            let _ = std::fs::remove_file(&temporary);
        }
    }
}

/// The record's text, if `file` is a regular file of sane size in UTF-8.
fn read_record(file: &Path) -> Option<String> {
    let (handle, _) = jwt_guard_scan::open_regular_file(file).ok()?;
    let mut text = String::new();
    handle.take(MAX_RECORD_LEN).read_to_string(&mut text).ok()?;
    Some(text)
}

/// `path \t modified_ns \t len \t test,modules`; anything else is skipped.
fn parse_line(line: &str) -> Option<(PathBuf, Entry)> {
    let mut fields = line.split('\t');
    let (path, modified_ns, len, modules) = (
        fields.next()?,
        fields.next()?,
        fields.next()?,
        fields.next()?,
    );
    if fields.next().is_some() || path.is_empty() {
        return None;
    }
    let stamp = FileStamp {
        len: len.parse().ok()?,
        modified_ns: modified_ns.parse().ok()?,
    };
    let test_modules = modules
        .split(',')
        .filter(|m| !m.is_empty())
        .map(str::to_owned)
        .collect();
    Some((
        PathBuf::from(path),
        Entry {
            stamp,
            test_modules,
        },
    ))
}

impl CleanFiles for CleanFileRecord {
    fn lookup(&self, path: &Path) -> Option<Vec<String>> {
        let entry = self.entries.get(path)?;
        (FileStamp::now(path)? == entry.stamp).then(|| entry.test_modules.clone())
    }

    /// Records `path` (if its name can be written on one line) as it was when read.
    fn record(&mut self, path: &Path, stamp: FileStamp, test_modules: &[String]) {
        let Some(text) = path.to_str() else { return };
        if text.contains(['\t', '\n', '\r']) {
            return;
        }
        let entry = Entry {
            stamp,
            test_modules: test_modules.to_vec(),
        };
        self.entries.insert(path.to_path_buf(), entry);
    }

    fn forget(&mut self, path: &Path) {
        self.entries.remove(path);
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use std::fs;

    fn stamped(file: &Path) -> FileStamp {
        FileStamp::now(file).unwrap()
    }

    #[test]
    fn round_trips_and_notices_changes() {
        let tmp = tempfile::tempdir().unwrap();
        let file = tmp.path().join("a.rs");
        fs::write(&file, "fn a() {}").unwrap();
        let store = tmp.path().join("cache");
        let mut cache = CleanFileRecord::load(&store, "v1".into());
        assert_eq!(cache.lookup(&file), None);
        cache.record(&file, stamped(&file), &["tests".to_owned()]);
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

    #[test]
    fn a_corrupted_record_vouches_for_nothing() {
        let tmp = tempfile::tempdir().unwrap();
        let file = tmp.path().join("a.rs");
        fs::write(&file, "fn a() {}").unwrap();
        let FileStamp { len, modified_ns } = stamped(&file);
        let store = tmp.path().join("cache");
        let path = file.display();
        for garbage in [
            format!("v1\n{path}\t{modified_ns}\n"),
            format!("v1\n{path}\tnot-a-time\t{len}\t\n"),
            format!("v1\n{path}\t{modified_ns}\t{len}\t\textra\n"),
            format!("v2\n{path}\t{modified_ns}\t{len}\t\n"),
        ] {
            fs::write(&store, garbage.as_bytes()).unwrap();
            assert_eq!(
                CleanFileRecord::load(&store, "v1".into()).lookup(&file),
                None
            );
        }
        fs::write(&store, b"v1\n\xff\xfe").unwrap();
        assert_eq!(
            CleanFileRecord::load(&store, "v1".into()).lookup(&file),
            None
        );
        let good = format!("v1\n{path}\t{modified_ns}\t{len}\t\n");
        fs::write(&store, good).unwrap();
        assert_eq!(
            CleanFileRecord::load(&store, "v1".into()).lookup(&file),
            Some(vec![]),
            "the well-formed twin is trusted"
        );
    }

    #[cfg(unix)]
    #[test]
    fn a_special_file_at_the_record_path_neither_hangs_nor_vouches() {
        let tmp = tempfile::tempdir().unwrap();
        let file = tmp.path().join("a.rs");
        fs::write(&file, "fn a() {}").unwrap();
        let store = tmp.path().join("cache");
        jwt_guard_tests::mkfifo(&store);
        let mut record = CleanFileRecord::load(&store, "v1".into());
        assert_eq!(record.lookup(&file), None);
        record.record(&file, stamped(&file), &[]);
        record.save(&store);
        assert!(
            fs::metadata(&store).unwrap().is_file(),
            "the FIFO is replaced"
        );
        assert_eq!(
            CleanFileRecord::load(&store, "v1".into()).lookup(&file),
            Some(vec![])
        );
        let dev_null = CleanFileRecord::load(Path::new("/dev/zero"), "v1".into());
        assert!(dev_null.entries.is_empty());
    }
}
