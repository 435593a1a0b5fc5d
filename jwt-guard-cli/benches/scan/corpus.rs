//! A generated corpus of realistic, compiling Rust: structs, impls, traits, matches,
//! closures, doc and block comments, raw and byte strings, chars and lifetimes, config
//! code that reads secrets the right way and near-miss literals (header names, paths,
//! messages) the rules must look at and let go. Deterministic for a given seed.

use std::fmt::Write;

/// A small deterministic generator (SplitMix64), so the corpus needs no dependency.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }
}

const NOUNS: &[&str] = &[
    "account",
    "session",
    "order",
    "invoice",
    "tenant",
    "device",
    "report",
    "ticket",
    "payment",
    "profile",
    "upload",
    "channel",
    "webhook",
    "user_key",
    "developer",
    "token_bucket",
];
const HEADERS: &[&str] = &[
    "Authorization",
    "X-Api-Key",
    "X-Request-Id",
    "Content-Type",
    "Accept",
];
const ENV_VARS: &[&str] = &[
    "DATABASE_URL",
    "JWT_SECRET",
    "REDIS_URL",
    "API_KEY",
    "PORT",
    "LOG_LEVEL",
];

/// One module of about `items * 70` lines, named `m{index}`.
pub(crate) fn module(seed: u64, index: usize, items: usize) -> String {
    let mut rng = Rng(seed ^ (index as u64).wrapping_mul(0x2545_f491_4f6c_dd1d));
    let mut out = String::with_capacity(items * 2600);
    let _ = writeln!(
        out,
        "//! Module {index}: {} handling.\n//!\n//! Generated for the jwt-guard benchmark; \
         it compiles, and it is clean.\n\n#![allow(dead_code, unused_imports, clippy::all)]\n\n\
         use std::collections::HashMap;\nuse std::fmt;\n",
        rng.pick(NOUNS)
    );
    for item in 0..items {
        let noun = rng.pick(NOUNS);
        let ty = format!("{}{item}", camel(noun));
        match rng.below(4) {
            0 => record(&mut out, &mut rng, &ty, noun),
            1 => state_machine(&mut out, &mut rng, &ty),
            2 => config(&mut out, &mut rng, &ty),
            _ => parser(&mut out, &mut rng, &ty),
        }
    }
    let _ = writeln!(
        out,
        "#[cfg(test)]\nmod tests {{\n    #[test]\n    fn arithmetic_still_works() {{\n        \
         assert_eq!(2 + 2, 4, \"the {} tests\");\n    }}\n}}",
        rng.pick(NOUNS)
    );
    out
}

fn camel(snake: &str) -> String {
    snake
        .split('_')
        .map(|word| word[..1].to_uppercase() + &word[1..])
        .collect()
}

fn record(out: &mut String, rng: &mut Rng, ty: &str, noun: &str) {
    let factor = 31 + rng.below(64);
    let _ = write!(
        out,
        r####"/// A {noun} as stored, with its tags.
///
/// ```
/// let tags = vec!["a", "b"];
/// assert_eq!(tags.len(), 2);
/// ```
#[derive(Debug, Clone, Default, PartialEq)]
pub struct {ty} {{
    pub id: u64,
    pub name: String,
    pub tags: Vec<String>,
    /* The owner is optional: /* nested */ legacy rows have none. */
    pub owner: Option<String>,
}}

impl {ty} {{
    pub fn new(id: u64, name: &str) -> Self {{
        Self {{ id, name: name.to_owned(), tags: Vec::new(), owner: None }}
    }}

    /// A stable score: the id mixed with every tag's length.
    pub fn score(&self) -> u64 {{
        let mut acc = self.id;
        for (i, tag) in self.tags.iter().enumerate() {{
            acc = acc.wrapping_mul({factor}).wrapping_add(tag.len() as u64 + i as u64);
        }}
        acc
    }}

    pub fn tagged<'a>(&'a self, prefix: &'a str) -> impl Iterator<Item = &'a String> + 'a {{
        self.tags.iter().filter(move |tag| tag.starts_with(prefix) && !tag.contains('\''))
    }}

    pub fn owner_or<'a>(&'a self, fallback: &'a str) -> &'a str {{
        self.owner.as_deref().unwrap_or(fallback)
    }}
}}

impl fmt::Display for {ty} {{
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {{
        write!(f, "{noun} #{{}} \"{{}}\" ({{}} tags)", self.id, self.name, self.tags.len())
    }}
}}

"####
    );
}

fn state_machine(out: &mut String, rng: &mut Rng, ty: &str) {
    let limit = 3 + rng.below(10);
    let header = rng.pick(HEADERS);
    let _ = write!(
        out,
        r####"#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum {ty}State {{
    Idle,
    Running {{ attempt: u32 }},
    Failed(u16),
    Done,
}}

impl {ty}State {{
    /// The next state; gives up after {limit} attempts.
    pub fn step(self, ok: bool) -> Self {{
        match self {{
            Self::Idle => Self::Running {{ attempt: 1 }},
            Self::Running {{ attempt }} if ok => {{
                let _ = attempt;
                Self::Done
            }}
            Self::Running {{ attempt }} if attempt >= {limit} => Self::Failed(503),
            Self::Running {{ attempt }} => Self::Running {{ attempt: attempt + 1 }},
            other => other,
        }}
    }}

    pub fn label(self) -> &'static str {{
        match self {{
            Self::Idle => "idle",
            Self::Running {{ .. }} => "running",
            Self::Failed(_) => "failed: see the {header} header",
            Self::Done => "done",
        }}
    }}
}}

pub(crate) fn count_{ty_lower}(states: &[{ty}State]) -> HashMap<&'static str, usize> {{
    let mut counts = HashMap::new();
    for state in states {{
        *counts.entry(state.label()).or_insert(0) += 1;
    }}
    counts
}}

"####,
        ty_lower = ty.to_lowercase()
    );
}

fn config(out: &mut String, rng: &mut Rng, ty: &str) {
    let var = rng.pick(ENV_VARS);
    let header = rng.pick(HEADERS);
    let port = 1024 + rng.below(60000);
    let _ = write!(
        out,
        r####"/// Settings read from the environment at start-up.
#[derive(Debug, Clone)]
pub struct {ty}Config {{
    pub listen: String,
    pub header: &'static str,
    pub secret_file: &'static str,
    pub api_key_header: &'static str,
}}

impl {ty}Config {{
    pub fn from_env(lookup: impl Fn(&str) -> Option<String>) -> Result<Self, String> {{
        let listen = lookup("LISTEN").unwrap_or_else(|| "127.0.0.1:{port}".to_owned());
        // The secret itself is loaded elsewhere: it is only checked for presence here.
        if lookup("{var}").is_none() {{
            return Err("{var} must be set (see the deployment guide)".to_owned());
        }}
        Ok(Self {{
            listen,
            header: "{header}",
            secret_file: "/run/secrets/{ty_lower}",
            api_key_header: "X-Api-Key",
        }})
    }}

    pub fn describe(&self) -> String {{
        let mut text = String::new();
        for (key, value) in [("listen", self.listen.as_str()), ("header", self.header)] {{
            text.push_str(key);
            text.push('=');
            text.push_str(value);
            text.push('\n');
        }}
        text
    }}
}}

pub const {ty_upper}_BANNER: &[u8] = b"{ty} v1\x00\n";
pub const {ty_upper}_TEMPLATE: &str = r#"{{"name": "{ty}", "kid": "3f2a1b7c-9d4e-4f6a-8b2c-1d0e9f8a7b6c"}}"#;

"####,
        ty_lower = ty.to_lowercase(),
        ty_upper = ty.to_uppercase()
    );
}

fn parser(out: &mut String, rng: &mut Rng, ty: &str) {
    let sep = rng.pick(&[",", ";", "|", ":"]);
    let _ = write!(
        out,
        r####"/// Parses `key{sep}value` lines; blank lines and `#` comments are skipped.
pub(crate) fn parse_{ty_lower}(input: &str) -> Result<Vec<(String, i64)>, String> {{
    let mut rows = Vec::new();
    for (number, line) in input.lines().enumerate() {{
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {{
            continue;
        }}
        let Some((key, value)) = line.split_once('{sep}') else {{
            return Err(format!("line {{}}: expected `key{sep}value`", number + 1));
        }};
        let value: i64 = value
            .trim()
            .parse()
            .map_err(|e| format!("line {{}}: {{e}}", number + 1))?;
        rows.push((key.trim().to_owned(), value));
    }}
    Ok(rows)
}}

pub(crate) fn checksum_{ty_lower}(bytes: &[u8]) -> u32 {{
    bytes.iter().fold(0x811c_9dc5_u32, |hash, &b| (hash ^ u32::from(b)).wrapping_mul(0x0100_0193))
}}

"####,
        ty_lower = ty.to_lowercase()
    );
}

/// `files` modules of `items` items each, as (relative path, source).
pub(crate) fn corpus(seed: u64, files: usize, items: usize) -> Vec<(String, String)> {
    (0..files)
        .map(|i| (format!("src/m{i}.rs"), module(seed, i, items)))
        .collect()
}
