//! The byte and substring searches the scanner runs over whole files, under memchr's names:
//! memchr's vectorised ones with the feature `fast-search` (the CLI enables it), std's
//! otherwise. A build script compiles its dependencies unoptimised, where memchr scans no
//! faster than std; there it would only cost the cold build 0.4 s of CPU, and the scanner
//! could not start compiling before it (bench/README.md, "What the build guard costs a
//! build").

#[cfg(feature = "fast-search")]
pub(crate) use memchr::{memchr, memchr_iter, memchr2, memchr3, memmem, memrchr};

#[cfg(not(feature = "fast-search"))]
pub(crate) use portable::{memchr, memchr_iter, memchr2, memchr3, memmem, memrchr};

/// memchr's API, as much of it as the scanner uses, over std: same results (a test runs
/// both on generated input), byte-at-a-time speed.
#[cfg(any(test, not(feature = "fast-search")))]
mod portable {
    /// The first `needle` in `haystack`.
    pub(crate) fn memchr(needle: u8, haystack: &[u8]) -> Option<usize> {
        haystack.iter().position(|&b| b == needle)
    }

    /// The first `a` or `b`.
    pub(crate) fn memchr2(a: u8, b: u8, haystack: &[u8]) -> Option<usize> {
        haystack.iter().position(|&x| x == a || x == b)
    }

    /// The first `a`, `b` or `c`.
    pub(crate) fn memchr3(a: u8, b: u8, c: u8, haystack: &[u8]) -> Option<usize> {
        haystack.iter().position(|&x| x == a || x == b || x == c)
    }

    /// The last `needle`.
    pub(crate) fn memrchr(needle: u8, haystack: &[u8]) -> Option<usize> {
        haystack.iter().rposition(|&b| b == needle)
    }

    /// Every `needle`, in order.
    pub(crate) fn memchr_iter(needle: u8, haystack: &[u8]) -> impl Iterator<Item = usize> {
        haystack
            .iter()
            .enumerate()
            .filter(move |&(_, &b)| b == needle)
            .map(|(at, _)| at)
    }

    pub(crate) mod memmem {
        use std::borrow::Cow;

        /// The first `needle` in `haystack` (0 for an empty needle).
        pub(crate) fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
            let Some((&first, rest)) = needle.split_first() else {
                return Some(0);
            };
            let mut from = 0;
            while let Some(at) = super::memchr(first, &haystack[from..]) {
                let at = from + at;
                if haystack[at + 1..].starts_with(rest) {
                    return Some(at);
                }
                from = at + 1;
            }
            None
        }

        /// Every `needle` that does not overlap an earlier one, in order (an empty needle
        /// is at every position, the end included).
        pub(crate) fn find_iter(haystack: &[u8], needle: &[u8]) -> impl Iterator<Item = usize> {
            let mut from = 0;
            std::iter::from_fn(move || {
                let at = from + find(haystack.get(from..)?, needle)?;
                from = at + needle.len().max(1);
                Some(at)
            })
        }

        /// One needle searched for in many haystacks.
        #[derive(Clone, Debug)]
        pub(crate) struct Finder<'n> {
            needle: Cow<'n, [u8]>,
        }

        impl<'n> Finder<'n> {
            pub(crate) fn new<B: ?Sized + AsRef<[u8]>>(needle: &'n B) -> Finder<'n> {
                Finder {
                    needle: Cow::Borrowed(needle.as_ref()),
                }
            }

            pub(crate) fn into_owned(self) -> Finder<'static> {
                Finder {
                    needle: Cow::Owned(self.needle.into_owned()),
                }
            }

            pub(crate) fn needle(&self) -> &[u8] {
                &self.needle
            }

            pub(crate) fn find(&self, haystack: &[u8]) -> Option<usize> {
                find(haystack, &self.needle)
            }

            pub(crate) fn find_iter(&self, haystack: &[u8]) -> impl Iterator<Item = usize> {
                find_iter(haystack, &self.needle)
            }
        }
    }

    #[cfg(test)]
    mod tests {
        use proptest::prelude::*;

        /// A small alphabet, so that needles occur, overlap and repeat.
        fn byte() -> impl Strategy<Value = u8> {
            prop::sample::select(b"ab\n*\xff".to_vec())
        }

        fn bytes(max: usize) -> impl Strategy<Value = Vec<u8>> {
            proptest::collection::vec(byte(), 0..max)
        }

        proptest! {
            #![proptest_config(ProptestConfig::with_cases(2_000))]

            /// Every search gives what memchr gives, the edge cases included: empty
            /// haystacks and needles, a needle longer than the haystack, overlapping
            /// occurrences.
            #[test]
            fn std_searches_answer_as_memchr_does(
                haystack in bytes(40),
                needle in bytes(4),
                a in byte(),
                b in byte(),
                c in byte(),
            ) {
                let h = &haystack[..];
                prop_assert_eq!(super::memchr(a, h), memchr::memchr(a, h));
                prop_assert_eq!(super::memchr2(a, b, h), memchr::memchr2(a, b, h));
                prop_assert_eq!(super::memchr3(a, b, c, h), memchr::memchr3(a, b, c, h));
                prop_assert_eq!(super::memrchr(a, h), memchr::memrchr(a, h));
                prop_assert_eq!(
                    super::memchr_iter(a, h).collect::<Vec<_>>(),
                    memchr::memchr_iter(a, h).collect::<Vec<_>>()
                );
                prop_assert_eq!(super::memmem::find(h, &needle), memchr::memmem::find(h, &needle));
                prop_assert_eq!(
                    super::memmem::find_iter(h, &needle).collect::<Vec<_>>(),
                    memchr::memmem::find_iter(h, &needle).collect::<Vec<_>>()
                );
                let finder = super::memmem::Finder::new(&needle).into_owned();
                let oracle = memchr::memmem::Finder::new(&needle);
                prop_assert_eq!(finder.needle(), oracle.needle());
                prop_assert_eq!(finder.find(h), oracle.find(h));
                prop_assert_eq!(
                    finder.find_iter(h).collect::<Vec<_>>(),
                    oracle.find_iter(h).collect::<Vec<_>>()
                );
            }
        }
    }
}
