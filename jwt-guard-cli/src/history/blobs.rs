//! Reading many blobs: each once, in pack order (a delta's base is then usually still
//! in the cache), on all cores, never more than the size limit into memory.

use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

use gix::ObjectId;

/// One blob as read.
#[derive(Debug)]
pub(crate) enum Blob<'a> {
    Data(&'a [u8]),
    /// Larger than the limit: not read (its size).
    TooLarge(u64),
}

/// Blobs a thread takes at a time: neighbours in a pack share delta bases.
const CHUNK: usize = 64;

/// Reads every blob of `ids` (none larger than `max_size`) and returns what `work` makes
/// of each, in the order of `ids`. A blob that is missing or cannot be decoded is an error.
pub(crate) fn read_all<R: Send>(
    shared: &gix::ThreadSafeRepository,
    ids: &[ObjectId],
    max_size: u64,
    work: &(dyn Fn(usize, Blob<'_>) -> R + Sync),
) -> Result<Vec<R>, String> {
    let order = pack_order(shared, ids);
    let threads = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(8)
        .min(ids.len().div_ceil(CHUNK))
        .max(1);
    let next = AtomicUsize::new(0);
    let failed = AtomicBool::new(false);
    let error: Mutex<Option<String>> = Mutex::new(None);
    let run = || -> Vec<(usize, R)> {
        let mut repo = super::repo::local(shared);
        // Each blob is read once: decoded objects are not worth keeping.
        repo.object_cache_size(None);
        let mut buf = Vec::new();
        let mut done = Vec::new();
        loop {
            let start = next.fetch_add(CHUNK, Ordering::Relaxed);
            if start >= order.len() || failed.load(Ordering::Relaxed) {
                break;
            }
            for &i in &order[start..(start + CHUNK).min(order.len())] {
                match read_one(&repo, ids[i], max_size, &mut buf) {
                    Ok(Some(size)) => done.push((i, work(i, Blob::TooLarge(size)))),
                    Ok(None) => done.push((i, work(i, Blob::Data(&buf)))),
                    Err(message) => {
                        failed.store(true, Ordering::Relaxed);
                        if let Ok(mut slot) = error.lock() {
                            slot.get_or_insert(message);
                        }
                        return done;
                    }
                }
            }
        }
        done
    };
    let mut results: Vec<Option<R>> = Vec::new();
    results.resize_with(ids.len(), || None);
    std::thread::scope(|scope| {
        let handles: Vec<_> = (0..threads).map(|_| scope.spawn(run)).collect();
        for handle in handles {
            match handle.join() {
                Ok(done) => {
                    for (i, result) in done {
                        results[i] = Some(result);
                    }
                }
                Err(_) => {
                    if let Ok(mut slot) = error.lock() {
                        slot.get_or_insert("internal error: a reading thread stopped".into());
                    }
                }
            }
        }
    });
    if let Some(message) = error.into_inner().ok().flatten() {
        return Err(message);
    }
    results
        .into_iter()
        .map(|r| r.ok_or_else(|| "internal error: a blob was not read".to_owned()))
        .collect()
}

/// Reads one blob into `buf`; `Some(size)` when it is over `max_size` (and not read).
fn read_one(
    repo: &gix::Repository,
    id: ObjectId,
    max_size: u64,
    buf: &mut Vec<u8>,
) -> Result<Option<u64>, String> {
    use gix::prelude::Header;
    let header = repo
        .objects
        .try_header(&id)
        .map_err(|error| format!("cannot read blob {id}: {error}"))?
        .ok_or_else(|| format!("blob {id} is missing: the repository is incomplete or corrupt"))?;
    if header.kind() != gix::object::Kind::Blob {
        return Err(format!("{id} is a {}, not a blob", header.kind()));
    }
    if header.size() > max_size {
        return Ok(Some(header.size()));
    }
    super::repo::find(repo, id, gix::object::Kind::Blob, buf)?;
    Ok(None)
}

/// Indices of `ids` sorted by where the objects sit in their packs (read from the pack
/// indices of `objects/pack`); loose objects, and those of alternates, last. Only an
/// order: an index that cannot be read just leaves its objects at the end.
fn pack_order(shared: &gix::ThreadSafeRepository, ids: &[ObjectId]) -> Vec<usize> {
    let repo = shared.to_thread_local();
    let dir = repo.objects.store_ref().path().join("pack");
    let mut indices = Vec::new();
    if let Ok(entries) = std::fs::read_dir(&dir) {
        let mut paths: Vec<_> = entries
            .filter_map(Result::ok)
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|e| e == "idx"))
            .collect();
        paths.sort();
        for path in paths {
            if let Ok(index) = gix::odb::pack::index::File::at(&path, repo.object_hash()) {
                indices.push(index);
            }
        }
    }
    let mut keyed: Vec<(usize, u64, usize)> = ids
        .iter()
        .enumerate()
        .map(|(i, id)| {
            indices
                .iter()
                .enumerate()
                .find_map(|(n, index)| {
                    index
                        .lookup(id)
                        .map(|entry| (n, index.pack_offset_at_index(entry), i))
                })
                .unwrap_or((usize::MAX, 0, i))
        })
        .collect();
    keyed.sort_unstable();
    keyed.into_iter().map(|(_, _, i)| i).collect()
}
