//! [`check_env`]: load a secret exactly as start-up would and report every rule, passed
//! or failed, and every warning start-up would log, without the value (what
//! `jwt-guard check-env` prints).

use std::ffi::OsString;
use std::fmt;

use crate::{Algorithm, Error, SecretPolicy, Violation, Warning, previous_var};

/// The checks of a variable and, when it is set, of its rotation's previous secret.
#[derive(Debug)]
pub struct EnvReport {
    algorithm: Algorithm,
    min_len: usize,
    secrets: Vec<SecretReport>,
}

/// What loading one secret gave: nothing, or the error start-up would stop on; and the
/// warnings start-up would log.
#[derive(Debug)]
pub struct SecretReport {
    var: String,
    result: Result<(), Error>,
    warnings: Vec<Warning>,
}

/// Loads `var` (or `{var}_FILE`, or the systemd credential) and, when set, its
/// [`previous_var`], through `lookup`, under `policy` raised to what `algorithm` needs:
/// pass the service's own policy to check exactly what its start-up checks.
pub fn check_env(
    var: &str,
    algorithm: Algorithm,
    policy: &SecretPolicy,
    mut lookup: impl FnMut(&str) -> Option<OsString>,
) -> EnvReport {
    let policy = policy.clone().algorithm(algorithm);
    let (current, warnings) = policy.load_with_warnings(var, &mut lookup);
    let mut secrets = vec![SecretReport::new(
        var,
        current.map(drop),
        warnings,
        &mut lookup,
    )];
    let previous = previous_var(var);
    match policy.load_optional_with_warnings(&previous, &mut lookup) {
        (Ok(None), _) => {}
        (result, warnings) => secrets.push(SecretReport::new(
            &previous,
            result.map(drop),
            warnings,
            &mut lookup,
        )),
    }
    EnvReport {
        algorithm,
        min_len: policy.required_len(),
        secrets,
    }
}

impl EnvReport {
    /// Whether start-up would accept every secret.
    pub fn is_valid(&self) -> bool {
        self.secrets.iter().all(SecretReport::is_valid)
    }

    /// One report per secret: the variable, then its previous secret when set.
    pub fn secrets(&self) -> &[SecretReport] {
        &self.secrets
    }

    /// Every warning of every secret.
    pub fn warnings(&self) -> impl Iterator<Item = &Warning> {
        self.secrets.iter().flat_map(|secret| &secret.warnings)
    }
}

impl SecretReport {
    /// Names the report after where the value came from, as the loader's errors do.
    fn new(
        var: &str,
        result: Result<(), Error>,
        warnings: Vec<Warning>,
        lookup: &mut impl FnMut(&str) -> Option<OsString>,
    ) -> Self {
        let file_var = format!("{var}_FILE");
        let var = match &result {
            Err(
                Error::Rejected { var, .. }
                | Error::Empty { var }
                | Error::File { file_var: var, .. },
            ) => var.clone(),
            Ok(()) if lookup(var).is_some() => var.to_owned(),
            Ok(()) if lookup(&file_var).is_some() => file_var,
            Ok(()) => format!("CREDENTIALS_DIRECTORY/{var}"),
            Err(_) => var.to_owned(),
        };
        Self {
            var,
            result,
            warnings,
        }
    }

    /// The variable the value came from (`VAR`, `VAR_FILE` or `CREDENTIALS_DIRECTORY/VAR`).
    pub fn var(&self) -> &str {
        &self.var
    }

    /// Whether start-up would accept it.
    pub fn is_valid(&self) -> bool {
        self.result.is_ok()
    }

    /// The error start-up would stop on.
    pub fn error(&self) -> Option<&Error> {
        self.result.as_ref().err()
    }

    /// What start-up would log as a security warning besides the error (a secret file
    /// readable by others, ...): nothing that stops it.
    pub fn warnings(&self) -> &[Warning] {
        &self.warnings
    }

    /// The broken rules, when the value could be read; `None` when it could not.
    fn violations(&self) -> Option<Vec<Violation>> {
        match &self.result {
            Ok(()) => Some(Vec::new()),
            Err(Error::Rejected { rejection, .. }) => Some(rejection.violations().to_vec()),
            Err(Error::Empty { .. }) => Some(vec![Violation::Empty]),
            Err(_) => None,
        }
    }
}

/// Every rule, in report order, with how a passing value is described.
const RULES: [(&str, &str); 7] = [
    ("empty", "not empty"),
    ("too-short", "long enough for the algorithm"),
    ("whitespace", "no leading or trailing whitespace"),
    ("control-character", "no control characters"),
    (
        "insecure-word",
        "no insecure word (secret, password, key, dev, ...)",
    ),
    ("known-public", "not a publicly known secret"),
    ("low-diversity", "not repetitive or predictable"),
];

impl fmt::Display for EnvReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for secret in &self.secrets {
            write_secret(f, secret, self.algorithm, self.min_len)?;
            for warning in &secret.warnings {
                writeln!(f, "  warning: {warning}")?;
            }
        }
        let warnings = self.warnings().count();
        if self.is_valid() && warnings > 0 {
            let plural = if warnings == 1 { "" } else { "s" };
            writeln!(
                f,
                "valid: start-up would accept this configuration, with {warnings} warning{plural}"
            )
        } else if self.is_valid() {
            writeln!(f, "valid: start-up would accept this configuration")
        } else {
            writeln!(f, "invalid: start-up would refuse this configuration")
        }
    }
}

fn write_secret(
    f: &mut fmt::Formatter<'_>,
    secret: &SecretReport,
    alg: Algorithm,
    min_len: usize,
) -> fmt::Result {
    let Some(violations) = secret.violations() else {
        let message = secret.error().map(Error::with_causes).unwrap_or_default();
        return writeln!(f, "{} ({alg}): cannot be loaded: {message}", secret.var);
    };
    let verdict = if violations.is_empty() {
        "valid"
    } else {
        "rejected"
    };
    writeln!(f, "{} ({alg}): {verdict}", secret.var)?;
    // An empty value is checked against nothing else (as the policy does).
    let empty = violations.contains(&Violation::Empty);
    for (id, passing) in RULES {
        let failed: Vec<&Violation> = violations.iter().filter(|v| v.id() == id).collect();
        if failed.is_empty() && !empty {
            if id == "too-short" {
                writeln!(f, "  pass  {id:<18} at least {min_len} bytes")?;
            } else {
                writeln!(f, "  pass  {id:<18} {passing}")?;
            }
        }
        for violation in failed {
            writeln!(f, "  FAIL  {id:<18} {violation}")?;
        }
    }
    if !violations.is_empty() {
        writeln!(f, "  {}", crate::GENERATE_HINT)?;
    }
    Ok(())
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::testutil::{CURRENT, LONG, PREVIOUS, env, leaks};

    fn report(alg: Algorithm, vars: &[(&str, &str)]) -> (bool, String) {
        let report = check_env("JWT_SECRET", alg, &SecretPolicy::default(), env(vars));
        (report.is_valid(), report.to_string())
    }

    #[test]
    fn a_valid_secret_passes_every_rule() {
        let (valid, text) = report(Algorithm::HS256, &[("JWT_SECRET", CURRENT)]);
        assert!(valid, "{text}");
        assert!(text.starts_with("JWT_SECRET (HS256): valid\n"), "{text}");
        assert_eq!(text.matches("  pass  ").count(), RULES.len(), "{text}");
        assert!(
            text.contains("too-short          at least 32 bytes"),
            "{text}"
        );
        assert!(!leaks(CURRENT, &text), "{text}");
    }

    #[test]
    fn every_rule_is_in_the_report_list() {
        let ids: Vec<&str> = RULES.iter().map(|(id, _)| *id).collect();
        for violation in [
            Violation::Empty,
            Violation::TooShort { len: 1, min: 32 },
            Violation::InsecureWord { word: "key".into() },
            Violation::KnownPublic,
            Violation::LowDiversity,
            Violation::SurroundingWhitespace,
            Violation::ControlCharacter,
        ] {
            assert!(ids.contains(&violation.id()), "{}", violation.id());
        }
    }

    #[test]
    fn a_rejected_secret_lists_passed_and_failed_rules() {
        let weak = "Zq8Wm3Vx-admin-Tr5Yh2Nb-77";
        let (valid, text) = report(Algorithm::HS256, &[("JWT_SECRET", weak)]);
        assert!(!valid);
        assert!(text.contains("JWT_SECRET (HS256): rejected"), "{text}");
        assert!(
            text.contains("FAIL  too-short          too short (26 bytes, at least 32 required)"),
            "{text}"
        );
        assert!(
            text.contains("FAIL  insecure-word      contains the insecure word \"admin\""),
            "{text}"
        );
        assert!(text.contains("pass  known-public"), "{text}");
        assert!(text.contains("pass  low-diversity"), "{text}");
        assert!(
            text.ends_with("invalid: start-up would refuse this configuration\n"),
            "{text}"
        );
        assert!(
            !leaks("Zq8Wm3Vx-", &text) && !leaks("-Tr5Yh2Nb-77", &text),
            "{text}"
        );
    }

    #[test]
    fn the_algorithm_sets_the_length() {
        let (valid, text) = report(Algorithm::HS512, &[("JWT_SECRET", CURRENT)]);
        assert!(!valid);
        assert!(
            text.contains("FAIL  too-short          too short (44 bytes, at least 64 required)"),
            "{text}"
        );
        assert!(report(Algorithm::HS512, &[("JWT_SECRET", LONG)]).0);
    }

    #[test]
    fn loading_problems_are_reported_as_start_up_would() {
        let (valid, text) = report(Algorithm::HS256, &[]);
        assert!(!valid);
        assert!(
            text.contains("JWT_SECRET (HS256): cannot be loaded: JWT_SECRET is not set"),
            "{text}"
        );
        let (_, text) = report(
            Algorithm::HS256,
            &[("JWT_SECRET", CURRENT), ("JWT_SECRET_FILE", "/x")],
        );
        assert!(
            text.contains("both JWT_SECRET and JWT_SECRET_FILE are set"),
            "{text}"
        );
        let (_, text) = report(Algorithm::HS256, &[("JWT_SECRET", "")]);
        assert!(text.contains("FAIL  empty"), "{text}");
        assert!(!text.contains("pass"), "{text}");
    }

    #[test]
    fn the_file_is_named_as_the_source() {
        let path = std::env::temp_dir().join(format!("jwt-guard-check-{}", std::process::id()));
        std::fs::write(&path, "abcabcabcabcabcabcabcabcabcabcabcabc\n").unwrap();
        let (valid, text) = report(
            Algorithm::HS256,
            &[("JWT_SECRET_FILE", path.to_str().unwrap())],
        );
        std::fs::remove_file(&path).unwrap();
        assert!(!valid);
        assert!(
            text.starts_with("JWT_SECRET_FILE (HS256): rejected"),
            "{text}"
        );
        assert!(text.contains("FAIL  low-diversity"), "{text}");
        assert!(!text.contains("abcab"), "{text}");
        std::fs::write(&path, format!("{CURRENT}\n")).unwrap();
        let (valid, text) = report(
            Algorithm::HS256,
            &[("JWT_SECRET_FILE", path.to_str().unwrap())],
        );
        std::fs::remove_file(&path).unwrap();
        assert!(valid, "{text}");
        assert!(text.starts_with("JWT_SECRET_FILE (HS256): valid"), "{text}");
    }

    #[test]
    fn the_previous_secret_is_checked_when_set() {
        let (valid, text) = report(
            Algorithm::HS256,
            &[("JWT_SECRET", CURRENT), ("JWT_SECRET_PREVIOUS", PREVIOUS)],
        );
        assert!(valid, "{text}");
        assert!(
            text.contains("JWT_SECRET_PREVIOUS (HS256): valid"),
            "{text}"
        );
        let (valid, text) = report(
            Algorithm::HS256,
            &[("JWT_SECRET", CURRENT), ("JWT_SECRET_PREVIOUS", "short")],
        );
        assert!(!valid);
        assert!(
            text.contains("JWT_SECRET_PREVIOUS (HS256): rejected"),
            "{text}"
        );
    }
}
