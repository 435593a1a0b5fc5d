//! Names: the variable a field reads by default, and the field and variable names a
//! JWT signing secret hides under (the shared vocabulary of `jwt_guard_policy::names`).

/// `database_url` -> `DATABASE_URL`, `dbUrl` -> `DB_URL`.
pub(crate) fn screaming_snake(name: &str) -> String {
    let mut out = String::with_capacity(name.len() + 4);
    let mut previous_lower = false;
    for c in name.chars() {
        if c.is_uppercase() && previous_lower {
            out.push('_');
        }
        previous_lower = c.is_lowercase() || c.is_ascii_digit();
        out.extend(c.to_uppercase());
    }
    out
}

/// Names under which a JWT signing secret hides (`jwt_secret`, `hmac_key`, `secret`): the
/// vocabulary the scanner uses too.
pub(crate) use jwt_guard_policy::names::names_a_jwt_secret;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn screaming_snake_case() {
        assert_eq!(screaming_snake("database_url"), "DATABASE_URL");
        assert_eq!(screaming_snake("port"), "PORT");
        assert_eq!(screaming_snake("dbUrl"), "DB_URL");
        assert_eq!(screaming_snake("http2_port"), "HTTP2_PORT");
    }

    /// The macro refuses plain-text fields for exactly the JWT secret names of the
    /// shared table.
    #[test]
    fn reads_the_shared_vocabulary() {
        use jwt_guard_policy::names::{EXAMPLES, NameKind};
        for &(name, kind) in EXAMPLES {
            assert_eq!(
                names_a_jwt_secret(name),
                kind == NameKind::JwtSecret,
                "{name}"
            );
        }
    }
}
