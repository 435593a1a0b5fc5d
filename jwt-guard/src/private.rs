//! What `#[jwt_secret_env]` expansions call. Not public API: it may change in any release.

pub use std::ffi::OsString;
pub use std::option::Option;
pub use std::result::Result;
pub use std::str::FromStr;

pub use crate::{Algorithm, Error, JwtSecret, SecretPolicy};

/// The lookup closure, as the expansion passes it around.
pub type Lookup<'a> = dyn FnMut(&str) -> Option<OsString> + 'a;

type BoxError = Box<dyn std::error::Error + Send + Sync>;

/// A secret field.
pub fn load_secret(
    var: &str,
    policy: &SecretPolicy,
    lookup: &mut Lookup<'_>,
) -> Result<JwtSecret, Error> {
    policy.load(var, lookup)
}

/// A rotation's previous secret: `None` when unset, an error when rejected.
pub fn load_previous_secret(
    var: &str,
    policy: &SecretPolicy,
    lookup: &mut Lookup<'_>,
) -> Result<Option<JwtSecret>, Error> {
    policy.load_optional(var, lookup)
}

/// A required field parsed with `FromStr`; `default` is used when `var` is unset.
pub fn load_parsed<T>(
    var: &str,
    field: &str,
    default: Option<&str>,
    lookup: &mut Lookup<'_>,
) -> Result<T, Error>
where
    T: FromStr,
    T::Err: Into<BoxError>,
{
    match load_optional(var, field, lookup)? {
        Some(value) => Ok(value),
        None => match default {
            Some(text) => parse(var, field, text),
            None => Err(Error::Missing {
                var: var.to_owned(),
            }),
        },
    }
}

/// An `Option<T>` field: `None` when `var` is unset.
pub fn load_optional<T>(var: &str, field: &str, lookup: &mut Lookup<'_>) -> Result<Option<T>, Error>
where
    T: FromStr,
    T::Err: Into<BoxError>,
{
    let Some(value) = lookup(var) else {
        return Ok(None);
    };
    let text = value.into_string().map_err(|_| Error::NotUnicode {
        var: var.to_owned(),
    })?;
    parse(var, field, &text).map(Some)
}

fn parse<T>(var: &str, field: &str, text: &str) -> Result<T, Error>
where
    T: FromStr,
    T::Err: Into<BoxError>,
{
    text.parse().map_err(|source: T::Err| Error::Parse {
        var: var.to_owned(),
        field: field.to_owned(),
        source: source.into(),
    })
}

/// Collects the errors of every field, so one error reports them all.
#[derive(Debug, Default)]
pub struct Errors(Vec<Error>);

impl Errors {
    /// No errors yet.
    pub fn new() -> Self {
        Self::default()
    }

    /// The value, or `None` with the error kept.
    pub fn take<T>(&mut self, result: Result<T, Error>) -> Option<T> {
        result.map_err(|error| self.0.push(error)).ok()
    }

    /// One error for all that were kept: the error itself when there is one.
    pub fn into_error(mut self) -> Error {
        match self.0.len() {
            1 => self.0.remove(0),
            _ => Error::Several(self.0),
        }
    }
}

/// The value, or: log the error, print it to stderr and exit with status 1.
pub fn exit_on_error<T>(result: Result<T, Error>) -> T {
    result.unwrap_or_else(|error| error.exit())
}
