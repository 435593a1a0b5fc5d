//! Names: the variable a field reads by default, and the field and variable names a
//! JWT signing secret hides under.

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

/// Names under which a JWT signing secret hides: `jwt_secret`, `hmac_key`, `secret`...
pub(crate) fn names_a_jwt_secret(name: &str) -> bool {
    let lower = screaming_snake(name).to_lowercase();
    let words: Vec<&str> = lower
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect();
    match words.as_slice() {
        ["secret"] => true,
        [.., "secret" | "key"] => words
            .iter()
            .any(|w| ["jwt", "hmac", "signing", "token", "auth"].contains(w)),
        _ => false,
    }
}

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

    #[test]
    fn recognises_jwt_secret_names_only() {
        for name in [
            "jwt_secret",
            "secret",
            "JWT_SECRET",
            "hmac_key",
            "jwt_signing_key",
            "auth_secret",
            "jwtSecret",
        ] {
            assert!(names_a_jwt_secret(name), "{name}");
        }
        for name in [
            "client_secret",
            "api_key",
            "jwt_key_id",
            "jwt_secret_file",
            "jwt_issuer",
            "port",
            "secretary",
        ] {
            assert!(!names_a_jwt_secret(name), "{name}");
        }
    }
}
