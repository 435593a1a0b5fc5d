//! Checks what the arguments mean and how the struct is shaped, and turns it into a
//! [`Plan`]: one variable and one loading rule per field. Every mistake is collected.

use crate::errors::Errors;
use crate::ir::{FieldKind, FieldPlan, Plan, Policy};
use crate::names::{names_a_jwt_secret, screaming_snake};
use crate::parse::{self, EnvArgs, MACRO, SECRET_ATTR, SecretArgs};
use crate::types::{self, Shape};
use proc_macro2::TokenStream;
use quote::ToTokens;
use syn::ext::IdentExt;
use syn::punctuated::Punctuated;
use syn::{Attribute, Data, DeriveInput, Field, Fields, Ident, LitStr, Token};

/// The variable a single `JwtSecret` field reads when nothing else is said.
const DEFAULT_SECRET_VAR: &str = "JWT_SECRET";
/// RFC 7518 §3.2: an HS256 key is at least 256 bits; the default policy's floor.
const MIN_LEN_FLOOR: usize = jwt_guard_policy::MIN_LEN;
const ALGORITHMS: [(&str, usize); 3] = [("HS256", 32), ("HS384", 48), ("HS512", 64)];

/// A field before the secret variables are resolved.
struct Draft {
    ident: Ident,
    /// The field's name as users read it (`r#type` is `type`).
    name: String,
    /// `None` while unresolved: a secret's variable depends on the other fields, and
    /// stays `None` when a mistake (already reported) leaves it unknown.
    var: Option<String>,
    kind: FieldKind,
    /// Where errors about the variable point: the `var = "..."` the user wrote, or the
    /// field name it was derived from.
    var_tokens: TokenStream,
    explicit_var: Option<LitStr>,
}

impl Draft {
    /// The field of a plan: every variable is resolved once no mistake was reported.
    fn into_plan(self) -> syn::Result<FieldPlan> {
        let Some(var) = self.var else {
            let message = format!(
                "{MACRO} cannot tell which variable field `{}` reads",
                self.name
            );
            return Err(syn::Error::new_spanned(&self.ident, message));
        };
        Ok(FieldPlan {
            ident: self.ident,
            name: self.name,
            var,
            kind: self.kind,
        })
    }
}

/// Reports every mistake, after those already in `errors` (from parsing the arguments).
pub(crate) fn validate(
    input: &DeriveInput,
    args: &SecretArgs,
    mut errors: Errors,
) -> syn::Result<Plan> {
    let struct_policy = policy(args, MACRO, &mut errors);
    if let Some(var) = &args.var {
        check_var(var, MACRO, &mut errors);
    }
    let fields = match named_fields(input) {
        Ok(fields) => fields,
        Err(error) => return Err(errors.and(error)),
    };
    if !input.generics.params.is_empty() {
        errors.spanned(
            &input.generics,
            format!(
                "{MACRO} does not support generic structs: a configuration loads concrete types"
            ),
        );
    }

    let mut named_like_secret = false;
    let mut drafts: Vec<Draft> = fields
        .iter()
        .filter_map(|field| draft(field, &struct_policy, &mut errors, &mut named_like_secret))
        .collect();
    resolve_secret_vars(input, args, &mut drafts, named_like_secret, &mut errors);
    check_unique_vars(&drafts, &mut errors);
    errors.finish()?;
    let fields = drafts
        .into_iter()
        .map(Draft::into_plan)
        .collect::<syn::Result<_>>()?;
    Ok(Plan { fields })
}

fn named_fields(input: &DeriveInput) -> syn::Result<&Punctuated<Field, Token![,]>> {
    let found = match &input.data {
        Data::Struct(data) => match &data.fields {
            Fields::Named(named) => return Ok(&named.named),
            Fields::Unnamed(unnamed) => {
                let message = format!(
                    "{MACRO} expects named fields, found a tuple struct; name each field after what it configures"
                );
                return Err(syn::Error::new_spanned(unnamed, message));
            }
            Fields::Unit => {
                let message = format!(
                    "{MACRO} expects a struct with named fields, found a unit struct; add a `jwt_secret: jwt_guard::JwtSecret` field"
                );
                return Err(syn::Error::new_spanned(&input.ident, message));
            }
        },
        Data::Enum(data) => (data.enum_token.span, "an enum"),
        Data::Union(data) => (data.union_token.span, "a union"),
    };
    let (span, kind) = found;
    Err(syn::Error::new(
        span,
        format!("{MACRO} expects a struct with named fields, found {kind}"),
    ))
}

fn draft(
    field: &Field,
    struct_policy: &Policy,
    errors: &mut Errors,
    named_like_secret: &mut bool,
) -> Option<Draft> {
    let ident = field.ident.clone()?;
    let attrs = FieldAttrs {
        env: single_attr(field, "env", errors),
        secret: single_attr(field, "jwt_secret", errors),
    };
    for attr in field
        .attrs
        .iter()
        .filter(|attr| attr.path().is_ident("cfg"))
    {
        let message = format!("{MACRO} does not support #[cfg] on fields: every field is loaded");
        errors.spanned(attr, message);
    }
    let shape = types::shape(&field.ty);
    Some(match shape {
        Shape::Secret | Shape::OptionalSecret => {
            secret_draft(ident, field, &shape, attrs, struct_policy, errors)
        }
        Shape::Optional(inner) => {
            other_draft(ident, field, Some(inner), attrs, errors, named_like_secret)
        }
        Shape::Plain => other_draft(ident, field, None, attrs, errors, named_like_secret),
    })
}

/// A field's `#[env]` and `#[jwt_secret]`, each at most once.
struct FieldAttrs<'a> {
    env: Option<&'a Attribute>,
    secret: Option<&'a Attribute>,
}

fn secret_draft(
    ident: Ident,
    field: &Field,
    shape: &Shape<'_>,
    attrs: FieldAttrs<'_>,
    struct_policy: &Policy,
    errors: &mut Errors,
) -> Draft {
    let name = ident.unraw().to_string();
    let optional = matches!(shape, Shape::OptionalSecret);
    if let Some(attr) = attrs.env {
        let env = parse::env_args(attr, errors);
        match (&env.default, attrs.secret) {
            (Some(default), _) => errors.spanned(
                &default.tokens,
                "a JwtSecret field takes no `default`: a hardcoded fallback secret ships to every environment; set the variable instead",
            ),
            (None, Some(_)) => errors.spanned(
                attr,
                format!("#[env] and #[jwt_secret] conflict on field `{name}`; a JwtSecret field takes only #[jwt_secret]"),
            ),
            (None, None) => errors.spanned(
                attr,
                format!("field `{name}` is a JwtSecret: configure it with #[jwt_secret(var = \"...\")], not #[env]"),
            ),
        }
    }
    let args = attrs
        .secret
        .map(|attr| parse::field_secret_args(attr, errors))
        .unwrap_or_default();
    if let Some(previous) = &args.previous {
        if !optional {
            errors.spanned(
                previous,
                format!("#[jwt_secret(previous)] is for an `Option<JwtSecret>` field: a rotation's previous secret is unset most of the time; make field `{name}` optional"),
            );
        }
        // Not a second secret, even when mistyped: no cascade of "several secrets" errors.
        return previous_draft(ident, name, &args, errors);
    }
    if optional {
        errors.spanned(
            &field.ty,
            format!("{MACRO} does not load an optional JwtSecret: a missing secret must stop the service; make the field `JwtSecret` (or, for a rotation's previous secret, mark it #[jwt_secret(previous)])"),
        );
    }
    if let Some(var) = &args.var {
        check_var(var, SECRET_ATTR, errors);
    }
    let mut policy = struct_policy.clone();
    policy.extend(self::policy(&args, SECRET_ATTR, errors));
    Draft {
        var_tokens: args
            .var
            .as_ref()
            .map_or_else(|| ident.to_token_stream(), ToTokens::to_token_stream),
        explicit_var: args.var,
        ident,
        name,
        var: None,
        kind: FieldKind::Secret(policy),
    }
}

/// `#[jwt_secret(previous)] f: Option<JwtSecret>`: its variable and policy are the
/// secret's, so it takes no other argument.
fn previous_draft(ident: Ident, name: String, args: &SecretArgs, errors: &mut Errors) -> Draft {
    let extra = [
        args.var.as_ref().map(ToTokens::to_token_stream),
        args.min_len.as_ref().map(ToTokens::to_token_stream),
        args.alg.as_ref().map(ToTokens::to_token_stream),
    ]
    .into_iter()
    .flatten()
    .chain(args.deny.iter().map(ToTokens::to_token_stream));
    for tokens in extra {
        errors.spanned(
            tokens,
            "#[jwt_secret(previous)] takes no other argument: the previous secret reads `{VAR}_PREVIOUS` of the struct's secret, under the same policy",
        );
    }
    Draft {
        var_tokens: ident.to_token_stream(),
        explicit_var: None,
        ident,
        name,
        var: None,
        kind: FieldKind::PreviousSecret(Policy::default()),
    }
}

/// A field that is not a secret: `inner` is the `T` of an `Option<T>`.
fn other_draft(
    ident: Ident,
    field: &Field,
    inner: Option<&syn::Type>,
    attrs: FieldAttrs<'_>,
    errors: &mut Errors,
    named_like_secret: &mut bool,
) -> Draft {
    let name = ident.unraw().to_string();
    let EnvArgs { var, default } = attrs
        .env
        .map(|attr| parse::env_args(attr, errors))
        .unwrap_or_default();
    if let Some(var) = &var {
        check_var(var, parse::ENV_ATTR, errors);
    }
    let var_name = var.as_ref().map(LitStr::value);
    let secret_as_text = (names_a_jwt_secret(&name)
        || var_name.as_deref().is_some_and(names_a_jwt_secret))
        && types::is_text(inner.unwrap_or(&field.ty));
    if secret_as_text {
        *named_like_secret = true;
        let message = format!(
            "field `{name}` holds a JWT secret as plain text; make it `jwt_guard::JwtSecret` so it is validated at start-up and redacted"
        );
        errors.spanned(&field.ty, message);
    } else if let Some(attr) = attrs.secret {
        let message = match attrs.env {
            Some(_) => format!(
                "#[env] and #[jwt_secret] conflict on field `{name}`; #[jwt_secret] is only for JwtSecret fields"
            ),
            None => {
                format!("#[jwt_secret] is only for JwtSecret fields; use #[env] on field `{name}`")
            }
        };
        errors.spanned(attr, message);
    }
    let kind = match inner {
        Some(inner) => {
            if let Some(default) = &default {
                let message = format!(
                    "an Option field is None when its variable is unset, so `default` has no use; remove it or make field `{name}` non-optional"
                );
                errors.spanned(&default.tokens, message);
            }
            FieldKind::Optional {
                inner: inner.clone(),
            }
        }
        None => FieldKind::Required {
            ty: field.ty.clone(),
            default: default.map(|default| default.text),
        },
    };
    Draft {
        var_tokens: var
            .as_ref()
            .map_or_else(|| ident.to_token_stream(), ToTokens::to_token_stream),
        var: var_name.map_or_else(|| Some(screaming_snake(&name)), usable),
        explicit_var: var,
        ident,
        name,
        kind,
    }
}

/// One `JwtSecret` field reads `JWT_SECRET` (or the macro's `var`); several each name their own.
fn resolve_secret_vars(
    input: &DeriveInput,
    args: &SecretArgs,
    drafts: &mut [Draft],
    named_like_secret: bool,
    errors: &mut Errors,
) {
    let secret_count = drafts.iter().filter(|draft| draft.kind.is_secret()).count();
    if secret_count == 0 && !named_like_secret {
        errors.spanned(&input.ident, format!("{MACRO} struct `{}` has no JwtSecret field; add `jwt_secret: jwt_guard::JwtSecret`", input.ident));
    }
    if let Some(var) = args.var.as_ref().filter(|_| secret_count > 1) {
        errors.spanned(var, format!("`var` on {MACRO} names the variable of a single JwtSecret field; with several, put #[jwt_secret(var = \"...\")] on each"));
    }
    for draft in drafts.iter_mut().filter(|draft| draft.kind.is_secret()) {
        let name = &draft.name;
        let var = match (&draft.explicit_var, &args.var) {
            (Some(own), Some(_)) if secret_count == 1 => {
                errors.spanned(own, format!("the variable of field `{name}` is already named by `var` on {MACRO}; keep one"));
                own.value()
            }
            (Some(own), _) => own.value(),
            (None, Some(var)) if secret_count == 1 => {
                draft.var_tokens = var.to_token_stream();
                var.value()
            }
            (None, None) if secret_count == 1 => DEFAULT_SECRET_VAR.to_owned(),
            (None, var) => {
                if var.is_none() {
                    errors.spanned(&draft.ident, format!("field `{name}` needs #[jwt_secret(var = \"...\")]: the struct has several JwtSecret fields"));
                }
                continue;
            }
        };
        draft.var = usable(var);
    }
    resolve_previous(drafts, secret_count, errors);
}

/// A variable name to read, `None` for an empty one (`check_var` reported it).
fn usable(var: String) -> Option<String> {
    Some(var).filter(|var| !var.is_empty())
}

/// The previous secret reads `{VAR}_PREVIOUS` of the single secret, under its policy.
fn resolve_previous(drafts: &mut [Draft], secret_count: usize, errors: &mut Errors) {
    let secret = drafts
        .iter()
        .find(|draft| draft.kind.is_secret())
        .filter(|_| secret_count == 1)
        .and_then(|draft| match (&draft.kind, &draft.var) {
            (FieldKind::Secret(policy), Some(var)) => Some((var.clone(), policy.clone())),
            _ => None,
        });
    let mut seen = false;
    for draft in drafts.iter_mut().filter(|draft| draft.kind.is_previous()) {
        let name = &draft.name;
        if seen {
            errors.spanned(&draft.ident, format!("field `{name}` is a second #[jwt_secret(previous)]; a rotation has one previous secret"));
        } else if secret_count > 1 {
            errors.spanned(&draft.ident, format!("#[jwt_secret(previous)] follows the struct's single JwtSecret field; with several, field `{name}` cannot tell which"));
        } else if let Some((var, policy)) = &secret {
            draft.var = Some(format!("{var}_PREVIOUS"));
            draft.kind = FieldKind::PreviousSecret(policy.clone());
        }
        seen = true;
    }
}

/// Each variable feeds one field; a secret's `{VAR}_FILE` is taken too, as the
/// runtime reads the secret from the file it names. Unresolved variables were reported.
fn check_unique_vars(drafts: &[Draft], errors: &mut Errors) {
    let secret_files: Vec<(String, &str)> = drafts
        .iter()
        .filter(|draft| draft.kind.reads_a_secret())
        .filter_map(|draft| Some((format!("{}_FILE", draft.var.as_ref()?), draft.name.as_str())))
        .collect();
    for (index, draft) in drafts.iter().enumerate() {
        let Some(var) = &draft.var else {
            continue;
        };
        let message = if let Some(first) = drafts[..index]
            .iter()
            .find(|earlier| earlier.var.as_ref() == Some(var))
        {
            format!(
                "environment variable `{var}` is already read by field `{}`",
                first.name
            )
        } else if let Some((_, secret)) = secret_files.iter().find(|(file, _)| file == var) {
            format!(
                "environment variable `{var}` names the file holding the secret of field `{secret}`"
            )
        } else {
            continue;
        };
        errors.spanned(&draft.var_tokens, message);
    }
}

/// The single `#[name]` attribute of a field; a second one is reported.
fn single_attr<'a>(field: &'a Field, name: &str, errors: &mut Errors) -> Option<&'a Attribute> {
    let mut attrs = field.attrs.iter().filter(|attr| attr.path().is_ident(name));
    let first = attrs.next();
    for duplicate in attrs {
        errors.spanned(
            duplicate,
            format!("duplicate #[{name}] attribute; put all its arguments in one"),
        );
    }
    first
}

fn policy(args: &SecretArgs, attr: &str, errors: &mut Errors) -> Policy {
    let mut policy = Policy::default();
    let min_len = args.min_len.as_ref().and_then(|lit| match lit.base10_parse::<usize>() {
        Ok(min) if min < MIN_LEN_FLOOR => {
            errors.spanned(lit, format!("{attr} `min_len = {min}` is below 32 bytes, the least HS256 allows (RFC 7518 §3.2); a policy can only be made stricter"));
            None
        }
        Ok(min) => Some((lit, min)),
        Err(_) => {
            errors.spanned(lit, format!("{attr} `min_len` must be a whole number of bytes"));
            None
        }
    });
    if let Some(alg) = &args.alg {
        match ALGORITHMS.iter().find(|(name, _)| *name == alg.value()) {
            Some((name, alg_min)) => {
                policy.algorithms.push((name, alg.span()));
                if let Some((lit, min)) = min_len.filter(|(_, min)| min < alg_min) {
                    errors.spanned(lit, format!("{attr} `min_len = {min}` is below the {alg_min} bytes `alg = \"{name}\"` requires; raise it or remove it"));
                }
            }
            None => errors.spanned(
                alg,
                format!(
                    "unknown {attr} `alg` {:?}; expected \"HS256\", \"HS384\" or \"HS512\"",
                    alg.value()
                ),
            ),
        }
    }
    policy
        .min_lens
        .extend(min_len.map(|(lit, min)| (min, lit.span())));
    for word in &args.deny {
        if word.value().trim().is_empty() {
            errors.spanned(
                word,
                format!("{attr} `deny` word is empty; it would reject every secret"),
            );
        } else {
            policy.deny.push(word.value());
        }
    }
    policy
}

/// The process environment forbids `=` and NUL in names; an empty name is never set.
fn check_var(var: &LitStr, attr: &str, errors: &mut Errors) {
    let value = var.value();
    let problem = if value.is_empty() {
        "is empty"
    } else if value.contains('=') {
        "contains `=`, which an environment variable name cannot hold"
    } else if value.contains('\0') {
        "contains a NUL byte, which an environment variable name cannot hold"
    } else {
        return;
    };
    errors.spanned(var, format!("{attr} `var` {problem}"));
}
