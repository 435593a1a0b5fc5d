//! Which candidate secret, if any, signed an HS256/384/512 token: HMAC computed on SHA-2's
//! raw compression function, with nothing per candidate but the compressions HMAC needs.
//!
//! HMAC(K, m) = H((K ^ opad) || H((K ^ ipad) || m)). Per candidate key: one compression
//! for the inner pad and one for the outer pad (shared by every token checked in the same
//! pass), then the blocks of each distinct signing input and one final outer block per
//! input. Blocks that signing inputs share from their start (the same header, the same
//! first claims) are compressed once per candidate, and tokens with one signing input
//! share all of it. Candidates are handed out in chunks to one thread per core; the
//! lowest matching index wins, so the answer does not depend on the scheduling.

use std::sync::atomic::{AtomicUsize, Ordering};

use sha2::digest::generic_array::GenericArray;
use sha2::digest::generic_array::typenum::{U64, U128};

use crate::known_secrets::Candidates;

/// What [`search`] tries: the built-in list, or (in tests) a few secrets.
pub(crate) trait CandidateList: Sync {
    fn len(&self) -> usize;
    /// Candidate `index`; `buf` may hold it.
    fn secret<'s>(&'s self, index: usize, buf: &'s mut [u8; 8]) -> &'s [u8];
}

impl CandidateList for Candidates {
    fn len(&self) -> usize {
        Candidates::len(self)
    }
    fn secret<'s>(&'s self, index: usize, buf: &'s mut [u8; 8]) -> &'s [u8] {
        Candidates::secret(self, index, buf)
    }
}

impl CandidateList for Vec<Vec<u8>> {
    fn len(&self) -> usize {
        <[Vec<u8>]>::len(self)
    }
    fn secret<'s>(&'s self, index: usize, _: &'s mut [u8; 8]) -> &'s [u8] {
        &self[index]
    }
}

/// The HMAC of a JWS algorithm.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Hmac {
    Hs256,
    Hs384,
    Hs512,
}

impl Hmac {
    pub(crate) fn from_alg(alg: &str) -> Option<Self> {
        match alg {
            "HS256" => Some(Self::Hs256),
            "HS384" => Some(Self::Hs384),
            "HS512" => Some(Self::Hs512),
            _ => None,
        }
    }

    /// The length of its signature.
    pub(crate) fn output_len(self) -> usize {
        match self {
            Self::Hs256 => 32,
            Self::Hs384 => 48,
            Self::Hs512 => 64,
        }
    }

    /// Compressions of one HMAC over a `len`-byte message: the two pads, the message
    /// blocks, the outer block. (The benchmark's "HMAC limit" counts these.)
    #[allow(dead_code, reason = "used by benches/audit, which includes this file")]
    pub(crate) fn compressions(self, len: usize) -> usize {
        let (block, len_field) = match self {
            Self::Hs256 => (64, 8),
            Self::Hs384 | Self::Hs512 => (128, 16),
        };
        2 + (len + 1 + len_field).div_ceil(block) + 1
    }
}

/// A token to check: its algorithm, signing input (`header.payload`) and signature.
#[derive(Debug, Clone)]
pub(crate) struct Target<'t> {
    pub(crate) hmac: Hmac,
    pub(crate) signing_input: &'t [u8],
    pub(crate) signature: Vec<u8>,
}

/// The SHA-2 functions HMAC is built on, by their compression function.
trait Sha {
    type Word: Copy + Eq + Send + Sync;
    type Block: Copy + Send + Sync + Default + AsRef<[u8]> + AsMut<[u8]>;
    const BLOCK: usize;
    /// Bytes of the message length field in the padding.
    const LEN_FIELD: usize;
    /// Bytes of output.
    const OUT: usize;
    const IV: [Self::Word; 8];
    fn compress(state: &mut [Self::Word; 8], blocks: &[Self::Block]);
    /// One block from `BLOCK` bytes: a length-checked cast and one copy
    /// (`clone_from_slice` went byte by byte, a third of the search's time).
    fn block(bytes: &[u8]) -> Self::Block;
    /// The hash of a key longer than a block (HMAC uses it instead).
    fn digest(data: &[u8]) -> Vec<u8>;
    /// Output bytes as words, big-endian (the signature, to compare with a state).
    fn words(bytes: &[u8]) -> Vec<Self::Word>;
    /// The state as big-endian bytes, truncated to the output.
    fn write_out(state: &[Self::Word; 8], out: &mut [u8]);
}

struct Sha256;
struct Sha384;
struct Sha512;

const IV256: [u32; 8] = [
    0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19,
];
const IV384: [u64; 8] = [
    0xcbbb9d5dc1059ed8,
    0x629a292a367cd507,
    0x9159015a3070dd17,
    0x152fecd8f70e5939,
    0x67332667ffc00b31,
    0x8eb44a8768581511,
    0xdb0c2e0d64f98fa7,
    0x47b5481dbefa4fa4,
];
const IV512: [u64; 8] = [
    0x6a09e667f3bcc908,
    0xbb67ae8584caa73b,
    0x3c6ef372fe94f82b,
    0xa54ff53a5f1d36f1,
    0x510e527fade682d1,
    0x9b05688c2b3e6c1f,
    0x1f83d9abfb41bd6b,
    0x5be0cd19137e2179,
];

impl Sha for Sha256 {
    type Word = u32;
    type Block = GenericArray<u8, U64>;
    const BLOCK: usize = 64;
    const LEN_FIELD: usize = 8;
    const OUT: usize = 32;
    const IV: [u32; 8] = IV256;
    fn compress(state: &mut [u32; 8], blocks: &[Self::Block]) {
        sha2::compress256(state, blocks);
    }
    fn block(bytes: &[u8]) -> Self::Block {
        *GenericArray::from_slice(bytes)
    }
    fn digest(data: &[u8]) -> Vec<u8> {
        use sha2::Digest;
        sha2::Sha256::digest(data).to_vec()
    }
    fn words(bytes: &[u8]) -> Vec<u32> {
        bytes
            .chunks_exact(4)
            .map(|c| u32::from_be_bytes([c[0], c[1], c[2], c[3]]))
            .collect()
    }
    fn write_out(state: &[u32; 8], out: &mut [u8]) {
        for (chunk, word) in out.chunks_exact_mut(4).zip(state) {
            chunk.copy_from_slice(&word.to_be_bytes());
        }
    }
}

macro_rules! sha512_family {
    ($name:ident, $iv:expr, $out:expr, $hash:ty) => {
        impl Sha for $name {
            type Word = u64;
            type Block = GenericArray<u8, U128>;
            const BLOCK: usize = 128;
            const LEN_FIELD: usize = 16;
            const OUT: usize = $out;
            const IV: [u64; 8] = $iv;
            fn compress(state: &mut [u64; 8], blocks: &[Self::Block]) {
                sha2::compress512(state, blocks);
            }
            fn block(bytes: &[u8]) -> Self::Block {
                *GenericArray::from_slice(bytes)
            }
            fn digest(data: &[u8]) -> Vec<u8> {
                use sha2::Digest;
                <$hash>::digest(data).to_vec()
            }
            fn words(bytes: &[u8]) -> Vec<u64> {
                bytes
                    .chunks_exact(8)
                    .map(|c| u64::from_be_bytes([c[0], c[1], c[2], c[3], c[4], c[5], c[6], c[7]]))
                    .collect()
            }
            fn write_out(state: &[u64; 8], out: &mut [u8]) {
                for (chunk, word) in out.chunks_exact_mut(8).zip(state) {
                    chunk.copy_from_slice(&word.to_be_bytes());
                }
            }
        }
    };
}
sha512_family!(Sha384, IV384, 48, sha2::Sha384);
sha512_family!(Sha512, IV512, 64, sha2::Sha512);

/// One distinct signing input, ready for the inner loop, with the tokens signed over it.
struct Prepared<H: Sha> {
    /// The signing input, padded as the inner hash ends (its length counts the pad block).
    blocks: Vec<H::Block>,
    /// Each token's signature as output words, and where its result goes (its index
    /// among the searched targets).
    tokens: Vec<(Vec<H::Word>, usize)>,
}

impl<H: Sha> Prepared<H> {
    /// The group's signing inputs, each once, in block order (so that inputs sharing
    /// leading blocks are neighbours).
    fn all(group: &[(usize, &Target<'_>)]) -> Vec<Self> {
        let mut inputs: Vec<&[u8]> = group.iter().map(|(_, t)| t.signing_input).collect();
        inputs.sort_unstable();
        inputs.dedup();
        inputs
            .into_iter()
            .map(|message| Self {
                blocks: Self::padded(message),
                tokens: group
                    .iter()
                    .filter(|(_, t)| t.signing_input == message)
                    .map(|(slot, t)| (H::words(&t.signature), *slot))
                    .collect(),
            })
            .collect()
    }

    fn padded(message: &[u8]) -> Vec<H::Block> {
        let mut bytes = message.to_vec();
        bytes.push(0x80);
        while !(bytes.len() + H::LEN_FIELD).is_multiple_of(H::BLOCK) {
            bytes.push(0);
        }
        let bits = ((H::BLOCK + message.len()) as u128) * 8;
        bytes.extend_from_slice(&bits.to_be_bytes()[16 - H::LEN_FIELD..]);
        bytes.chunks_exact(H::BLOCK).map(H::block).collect()
    }

    /// Leading blocks this input has in common with `other`.
    fn shared_blocks(&self, other: &Self) -> usize {
        self.blocks
            .iter()
            .zip(&other.blocks)
            .take_while(|(a, b)| AsRef::<[u8]>::as_ref(*a) == AsRef::<[u8]>::as_ref(*b))
            .count()
    }
}

/// Candidates per chunk handed to a thread.
const CHUNK: usize = 2048;

/// For each target, the index of the lowest candidate that signed it. Targets of
/// different algorithms are searched in separate passes.
pub(crate) fn search(
    candidates: &impl CandidateList,
    targets: &[Target<'_>],
    threads: usize,
) -> Vec<Option<usize>> {
    let found: Vec<AtomicUsize> = targets
        .iter()
        .map(|_| AtomicUsize::new(usize::MAX))
        .collect();
    for hmac in [Hmac::Hs256, Hmac::Hs384, Hmac::Hs512] {
        let group: Vec<(usize, &Target<'_>)> = targets
            .iter()
            .enumerate()
            .filter(|(_, t)| t.hmac == hmac && t.signature.len() == hmac.output_len())
            .collect();
        if group.is_empty() {
            continue;
        }
        match hmac {
            Hmac::Hs256 => pass::<Sha256>(candidates, &group, &found, threads),
            Hmac::Hs384 => pass::<Sha384>(candidates, &group, &found, threads),
            Hmac::Hs512 => pass::<Sha512>(candidates, &group, &found, threads),
        }
    }
    found
        .into_iter()
        .map(|f| Some(f.into_inner()).filter(|&i| i != usize::MAX))
        .collect()
}

fn pass<H: Sha>(
    candidates: &impl CandidateList,
    group: &[(usize, &Target<'_>)],
    found: &[AtomicUsize],
    threads: usize,
) where
    H::Block: Send + Sync,
{
    let prepared: Vec<Prepared<H>> = Prepared::all(group);
    // shared[a][b]: leading blocks inputs a and b have in common.
    let shared: Vec<Vec<usize>> = prepared
        .iter()
        .map(|a| prepared.iter().map(|b| a.shared_blocks(b)).collect())
        .collect();
    let longest = prepared.iter().map(|p| p.blocks.len()).max().unwrap_or(0);
    let next = AtomicUsize::new(0);
    let total = candidates.len();
    let matched_below = |input: &Prepared<H>, index: usize| {
        input
            .tokens
            .iter()
            .all(|(_, slot)| found[*slot].load(Ordering::Relaxed) < index)
    };
    let work = || {
        let mut digit_buf = [0u8; 8];
        let mut pad = H::Block::default();
        let mut outer_block = H::Block::default();
        // The outer message is pad block + inner digest: its padding never changes.
        let bytes = outer_block.as_mut();
        bytes[H::OUT] = 0x80;
        let bits = ((H::BLOCK + H::OUT) as u128) * 8;
        bytes[H::BLOCK - H::LEN_FIELD..].copy_from_slice(&bits.to_be_bytes()[16 - H::LEN_FIELD..]);
        // states[d]: the inner state after the pad block and d blocks of the input last
        // computed.
        let mut states = vec![H::IV; longest + 1];
        loop {
            let start = next.fetch_add(CHUNK, Ordering::Relaxed);
            if start >= total {
                return;
            }
            // Every target already matched below this chunk: nothing left to find here.
            if prepared.iter().all(|p| matched_below(p, start)) {
                return;
            }
            for index in start..(start + CHUNK).min(total) {
                let secret = candidates.secret(index, &mut digit_buf);
                let hashed;
                let key = if secret.len() > H::BLOCK {
                    hashed = H::digest(secret);
                    &hashed[..]
                } else {
                    secret
                };
                let bytes = pad.as_mut();
                bytes.fill(0x36);
                for (p, k) in bytes.iter_mut().zip(key) {
                    *p ^= k;
                }
                states[0] = H::IV;
                H::compress(&mut states[0], std::slice::from_ref(&pad));
                for p in pad.as_mut() {
                    *p ^= 0x36 ^ 0x5c;
                }
                let mut outer_start = H::IV;
                H::compress(&mut outer_start, std::slice::from_ref(&pad));
                let mut last: Option<usize> = None;
                for (i, input) in prepared.iter().enumerate() {
                    if matched_below(input, index) {
                        continue;
                    }
                    // The blocks it shares with the input last computed are done.
                    let from = last.map_or(0, |l| shared[l][i]);
                    for d in from..input.blocks.len() {
                        let mut state = states[d];
                        H::compress(&mut state, std::slice::from_ref(&input.blocks[d]));
                        states[d + 1] = state;
                    }
                    last = Some(i);
                    let inner = &states[input.blocks.len()];
                    H::write_out(inner, &mut outer_block.as_mut()[..H::OUT]);
                    let mut outer = outer_start;
                    H::compress(&mut outer, std::slice::from_ref(&outer_block));
                    for (expected, slot) in &input.tokens {
                        if outer[..expected.len()] == expected[..] {
                            found[*slot].fetch_min(index, Ordering::Relaxed);
                        }
                    }
                }
            }
        }
    };
    let threads = threads.max(1);
    std::thread::scope(|scope| {
        for _ in 1..threads {
            scope.spawn(work);
        }
        work();
    });
}

/// The cores to use: all of them.
pub(crate) fn cores() -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get())
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    /// HMAC from the hmac crate's own definition, through the sha2 crate's digests.
    fn reference(hmac: Hmac, key: &[u8], message: &[u8]) -> Vec<u8> {
        use sha2::Digest;
        fn h<D: Digest>(key: &[u8], message: &[u8], block: usize) -> Vec<u8> {
            let mut key = if key.len() > block {
                D::digest(key).to_vec()
            } else {
                key.to_vec()
            };
            key.resize(block, 0);
            let ipad: Vec<u8> = key.iter().map(|k| k ^ 0x36).collect();
            let opad: Vec<u8> = key.iter().map(|k| k ^ 0x5c).collect();
            let inner = D::new()
                .chain_update(&ipad)
                .chain_update(message)
                .finalize();
            D::new()
                .chain_update(&opad)
                .chain_update(inner)
                .finalize()
                .to_vec()
        }
        match hmac {
            Hmac::Hs256 => h::<sha2::Sha256>(key, message, 64),
            Hmac::Hs384 => h::<sha2::Sha384>(key, message, 128),
            Hmac::Hs512 => h::<sha2::Sha512>(key, message, 128),
        }
    }

    fn targets<'m>(hmac: Hmac, keys: &[&[u8]], message: &'m [u8]) -> Vec<Target<'m>> {
        keys.iter()
            .map(|key| Target {
                hmac,
                signing_input: message,
                signature: reference(hmac, key, message),
            })
            .collect()
    }

    #[test]
    fn finds_the_lowest_signing_candidate_for_every_length_and_algorithm() {
        // Keys of every length class: empty, short, a full block, longer than a block.
        let mut list: Vec<Vec<u8>> = (0..3000).map(|i| format!("k{i}").into_bytes()).collect();
        list.push(Vec::new());
        list.push(vec![b'x'; 64]);
        list.push(vec![b'y'; 128]);
        list.push(vec![b'z'; 129]);
        list.push(b"k7".to_vec()); // a duplicate of entry 7
        let picks = [0, 7, 2999, 3000, 3001, 3002, 3003];
        for hmac in [Hmac::Hs256, Hmac::Hs384, Hmac::Hs512] {
            // Around the block boundaries of both block sizes.
            for len in [0, 10, 55, 56, 63, 64, 111, 112, 119, 120, 128, 300] {
                let message = vec![b'm'; len];
                let mut keys: Vec<&[u8]> = picks.iter().map(|&p| &list[p][..]).collect();
                keys.push(b"l8ml8zfZSbJtDFQir8m4eSrX57fBZfHX");
                let found = search(&list, &targets(hmac, &keys, &message), 2);
                let expected: Vec<Option<usize>> =
                    picks.iter().map(|&p| Some(p)).chain([None]).collect();
                assert_eq!(found, expected, "{hmac:?}, message of {len} bytes");
            }
        }
    }

    #[test]
    fn inputs_sharing_leading_blocks_each_get_their_own_answer() {
        let list: Vec<Vec<u8>> = (0..5000).map(|i| format!("s{i}").into_bytes()).collect();
        for hmac in [Hmac::Hs256, Hmac::Hs384, Hmac::Hs512] {
            // Signing inputs sharing no, one and two blocks of either size, a prefix of
            // another, and one input signed twice (by two different keys).
            let head = vec![b'h'; 300];
            let messages: Vec<Vec<u8>> = [0usize, 63, 64, 70, 127, 128, 140, 200, 256, 300]
                .iter()
                .map(|&n| [&head[..n], b".tail"].concat())
                .chain([b"other".to_vec(), head.clone(), head.clone()])
                .collect();
            let keys: Vec<Option<usize>> = (0..messages.len())
                .map(|i| (i % 4 != 3).then_some(i * 389 % 5000))
                .collect();
            let targets: Vec<Target<'_>> = messages
                .iter()
                .zip(&keys)
                .map(|(m, key)| {
                    let key = key.map_or(&b"not-in-the-list"[..], |k| &list[k][..]);
                    Target {
                        hmac,
                        signing_input: m,
                        signature: reference(hmac, key, m),
                    }
                })
                .collect();
            for threads in [1, 3] {
                assert_eq!(search(&list, &targets, threads), keys, "{hmac:?}");
            }
        }
    }

    #[test]
    fn the_built_in_list_is_searched_whole_on_every_thread_count() {
        let candidates = Candidates::get().unwrap();
        let mut buf = [0; 8];
        let last = candidates.secret(candidates.len() - 1, &mut buf).to_vec();
        let framework = candidates.secret(0, &mut buf).to_vec();
        let message = b"eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJhZGEifQ";
        let keys: [&[u8]; 3] = [&framework, &last, b"l8ml8zfZSbJtDFQir8m4eSrX57fBZfHX"];
        for threads in [1, 3] {
            let found = search(candidates, &targets(Hmac::Hs256, &keys, message), threads);
            assert_eq!((found[0], found[2]), (Some(0), None));
            // "999999" is also a wallarm entry: the lowest index is reported.
            let mut other = [0; 8];
            assert_eq!(candidates.secret(found[1].unwrap(), &mut other), &last[..]);
        }
    }

    #[test]
    fn compressions_count_blocks() {
        assert_eq!(Hmac::Hs256.compressions(55), 4);
        assert_eq!(Hmac::Hs256.compressions(56), 5);
        assert_eq!(Hmac::Hs512.compressions(111), 4);
        assert_eq!(Hmac::Hs512.compressions(112), 5);
    }
}
