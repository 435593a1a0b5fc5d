//! The package's policy file (`[package.metadata.jwt-guard]`, its workspace's, or
//! `jwt-guard.toml`), read at expansion from `CARGO_MANIFEST_DIR` as cargo finds the
//! manifest. Its requirement for each secret comes first; the attribute's arguments may
//! tighten it, never loosen it. The expansion includes every file read with
//! `include_bytes!`, so an edit to the policy expands the struct again.

use crate::errors::Errors;
use crate::ir::{FieldKind, Plan};
use crate::parse::MACRO;
use jwt_guard_policy::file::{Alg, PolicyFile};
use proc_macro2::{Span, TokenStream};
use quote::quote;
use std::path::Path;

/// The package's policy; the built-in one when no file declares any. A malformed file is
/// a compile error on the attribute, one per problem.
pub(crate) fn load() -> syn::Result<PolicyFile> {
    let Some(dir) = std::env::var_os("CARGO_MANIFEST_DIR") else {
        return Ok(PolicyFile::default());
    };
    jwt_guard_policy_file::discover(Path::new(&dir)).map_err(|error| {
        let mut errors = Errors::default();
        for problem in error.problems() {
            let message = format!("{MACRO}: invalid jwt-guard policy: {problem}");
            errors.push(syn::Error::new(Span::call_site(), message));
        }
        match errors.finish() {
            Err(error) => error,
            Ok(()) => syn::Error::new(Span::call_site(), format!("{MACRO}: {error}")),
        }
    })
}

/// Puts the file's requirement under each secret's policy, and reports an argument that
/// asks less than the file, or a secret variable the file does not declare.
pub(crate) fn apply(plan: &mut Plan, file: &PolicyFile, errors: &mut Errors) {
    if !file.is_declared() {
        return;
    }
    let origin = file
        .origin()
        .map_or_else(String::new, |path| shown(path).to_string());
    let declared: Vec<&str> = file.declared_vars().collect();
    for field in &mut plan.fields {
        let (var, policy) = match &mut field.kind {
            FieldKind::Secret(policy) => (field.var.clone(), policy),
            // The previous secret is under its secret's policy, arguments already checked.
            FieldKind::PreviousSecret(policy) => {
                let var = field.var.strip_suffix("_PREVIOUS").unwrap_or(&field.var);
                policy.file = Some(file.requirement(var));
                continue;
            }
            _ => continue,
        };
        if !declared.is_empty() && !declared.contains(&var.as_str()) {
            let list = declared
                .iter()
                .map(|v| format!("`{v}`"))
                .collect::<Vec<_>>();
            errors.push(syn::Error::new(
                Span::call_site(),
                format!(
                    "{MACRO} field `{}` reads `{var}`, which the jwt-guard policy ({origin}) does not declare under `secrets` (it declares {}); declare it there or read a declared variable",
                    field.name,
                    list.join(", ")
                ),
            ));
        }
        let required = file.requirement(&var);
        for (name, span) in &policy.algorithms {
            if Alg::from_name(name).is_some_and(|alg| alg < required.alg) {
                errors.push(syn::Error::new(
                    *span,
                    format!(
                        "{MACRO} `alg = \"{name}\"` is weaker than the {} the jwt-guard policy ({origin}) requires for `{var}`; an argument may only tighten the policy",
                        required.alg.name()
                    ),
                ));
            }
        }
        for (min, span) in &policy.min_lens {
            if *min < required.min_len {
                errors.push(syn::Error::new(
                    *span,
                    format!(
                        "{MACRO} `min_len = {min}` is below the {} bytes the jwt-guard policy ({origin}) requires for `{var}`; an argument may only tighten the policy",
                        required.min_len
                    ),
                ));
            }
        }
        policy.file = Some(required);
    }
}

/// `const _: &[u8] = include_bytes!("…");` for every file the policy was read from: rustc
/// then rebuilds the crate, and so expands the struct again, when one of them changes.
pub(crate) fn tracked(file: &PolicyFile) -> TokenStream {
    let paths = file.sources.iter().filter_map(|path| path.to_str());
    quote! {
        #( const _: &[u8] = ::core::include_bytes!(#paths); )*
    }
}

/// The strongest algorithm the secret's policy names: the file's or an argument's.
pub(crate) fn algorithm(policy: &crate::ir::Policy) -> Alg {
    let named = policy
        .algorithms
        .iter()
        .filter_map(|(name, _)| Alg::from_name(name));
    let file = policy.file.as_ref().map(|file| file.alg);
    named.chain(file).max().unwrap_or(Alg::HS256)
}

/// The path relative to the package directory when it is inside it.
fn shown(path: &Path) -> std::path::Display<'_> {
    let dir = std::env::var_os("CARGO_MANIFEST_DIR");
    match dir.as_deref().and_then(|dir| path.strip_prefix(dir).ok()) {
        Some(relative) => relative.display(),
        None => path.display(),
    }
}
