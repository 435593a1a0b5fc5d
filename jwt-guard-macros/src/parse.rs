//! Arguments of `#[jwt_secret_env(..)]`, `#[jwt_secret(..)]` and `#[env(..)]`.
//!
//! Each argument is first cut out as `name = tokens`, then its value is read, so a
//! wrong value is reported and the following arguments are still checked. This
//! module checks the form of each argument (known name, once, right literal kind);
//! `validate` checks what the values mean.

use crate::errors::Errors;
use proc_macro2::{TokenStream, TokenTree};
use syn::ext::IdentExt;
use syn::parse::{ParseStream, Parser};
use syn::{Attribute, Ident, Lit, LitInt, LitStr, Meta, Token};

pub(crate) const MACRO: &str = "#[jwt_secret_env]";
pub(crate) const SECRET_ATTR: &str = "#[jwt_secret]";
pub(crate) const ENV_ATTR: &str = "#[env]";

/// Variable and policy arguments, accepted by `#[jwt_secret_env]` and `#[jwt_secret]`.
#[derive(Default)]
pub(crate) struct SecretArgs {
    pub(crate) var: Option<LitStr>,
    pub(crate) min_len: Option<LitInt>,
    pub(crate) alg: Option<LitStr>,
    pub(crate) deny: Vec<LitStr>,
    /// `previous`: the field holds a rotation's previous secret (fields only).
    pub(crate) previous: Option<Ident>,
}

/// Arguments of `#[env]` on an ordinary field.
#[derive(Default)]
pub(crate) struct EnvArgs {
    pub(crate) var: Option<LitStr>,
    pub(crate) default: Option<DefaultValue>,
}

/// A `default = <literal>` value, as the text `FromStr` will parse.
pub(crate) struct DefaultValue {
    pub(crate) text: String,
    /// `default = <literal>`, so errors about the default point at all of it.
    pub(crate) tokens: TokenStream,
}

struct RawArg {
    name: Ident,
    value: Option<TokenStream>,
    /// All of `name = value`, for errors about the argument as a whole.
    tokens: TokenStream,
    duplicate: bool,
}

pub(crate) fn secret_args(tokens: TokenStream, attr: &str, errors: &mut Errors) -> SecretArgs {
    let mut args = SecretArgs::default();
    for arg in split(tokens, attr, errors) {
        let name = arg.name.to_string();
        if arg.duplicate {
            errors.spanned(&arg.name, format!("duplicate {attr} argument `{name}`"));
            continue;
        }
        match name.as_str() {
            "var" => args.var = value(&arg, attr, errors).and_then(|v| errors.ok(string(attr, &arg.name, v))),
            "min_len" => args.min_len = value(&arg, attr, errors).and_then(|v| errors.ok(integer(attr, &arg.name, v))),
            "alg" => args.alg = value(&arg, attr, errors).and_then(|v| errors.ok(string(attr, &arg.name, v))),
            "deny" => {
                if let Some(v) = value(&arg, attr, errors) {
                    args.deny = string_list(attr, &arg.name, v, errors);
                }
            }
            "default" => errors.spanned(
                &arg.tokens,
                format!("{attr} takes no `default`: a hardcoded fallback secret ships to every environment; set the variable instead"),
            ),
            "previous" if attr == SECRET_ATTR => match &arg.value {
                Some(_) => errors.spanned(&arg.tokens, format!("{attr} argument `previous` takes no value")),
                None => args.previous = Some(arg.name.clone()),
            },
            "previous" => errors.spanned(
                &arg.name,
                "`previous` belongs on the field of a rotation's previous secret: `#[jwt_secret(previous)] jwt_secret_previous: Option<JwtSecret>`",
            ),
            _ => {
                let expected = if attr == SECRET_ATTR {
                    "`var`, `min_len`, `alg`, `deny` or `previous`"
                } else {
                    "`var`, `min_len`, `alg` or `deny`"
                };
                errors.spanned(&arg.name, format!("unknown {attr} argument `{name}`; expected {expected}"));
            }
        }
    }
    args
}

pub(crate) fn env_args(attr: &Attribute, errors: &mut Errors) -> EnvArgs {
    let mut args = EnvArgs::default();
    let Some(tokens) = attr_tokens(attr, errors) else {
        return args;
    };
    for arg in split(tokens, ENV_ATTR, errors) {
        let name = arg.name.to_string();
        if arg.duplicate {
            errors.spanned(&arg.name, format!("duplicate {ENV_ATTR} argument `{name}`"));
            continue;
        }
        match name.as_str() {
            "var" => {
                args.var = value(&arg, ENV_ATTR, errors)
                    .and_then(|v| errors.ok(string(ENV_ATTR, &arg.name, v)))
            }
            "default" => {
                args.default = value(&arg, ENV_ATTR, errors)
                    .and_then(|v| errors.ok(default_text(&arg.name, v)))
                    .map(|text| DefaultValue {
                        text,
                        tokens: arg.tokens.clone(),
                    });
            }
            _ => errors.spanned(
                &arg.name,
                format!("unknown {ENV_ATTR} argument `{name}`; expected `var` or `default`"),
            ),
        }
    }
    args
}

/// `#[jwt_secret(..)]` on a field.
pub(crate) fn field_secret_args(attr: &Attribute, errors: &mut Errors) -> SecretArgs {
    attr_tokens(attr, errors).map_or_else(SecretArgs::default, |tokens| {
        secret_args(tokens, SECRET_ATTR, errors)
    })
}

/// The tokens inside the attribute's parentheses; a bare `#[env]` has none.
fn attr_tokens(attr: &Attribute, errors: &mut Errors) -> Option<TokenStream> {
    match &attr.meta {
        Meta::Path(_) => Some(TokenStream::new()),
        Meta::List(list) => Some(list.tokens.clone()),
        Meta::NameValue(_) => {
            let name = attr
                .path()
                .get_ident()
                .map(Ident::to_string)
                .unwrap_or_default();
            errors.spanned(
                attr,
                format!(
                    "#[{name}] takes arguments in parentheses, like `#[{name}(var = \"...\")]`"
                ),
            );
            None
        }
    }
}

/// Cuts `a = x, b = [y, z]` into arguments, in order; a name given twice is
/// reported where it repeats, and its value is skipped.
fn split(tokens: TokenStream, attr: &str, errors: &mut Errors) -> Vec<RawArg> {
    let parser = |input: ParseStream<'_>| raw_args(input, attr);
    let args = errors.ok(parser.parse2(tokens)).unwrap_or_default();
    let mut seen: Vec<String> = Vec::new();
    let mut unique = Vec::new();
    for arg in args {
        let name = arg.name.to_string();
        if seen.contains(&name) {
            unique.push(RawArg {
                duplicate: true,
                ..arg
            });
        } else {
            seen.push(name);
            unique.push(arg);
        }
    }
    unique
}

fn raw_args(input: ParseStream<'_>, attr: &str) -> syn::Result<Vec<RawArg>> {
    let mut args = Vec::new();
    while !input.is_empty() {
        if !input.peek(Ident::peek_any) {
            return Err(input.error(format!(
                "{attr} expects `name = value` arguments, like `var = \"JWT_SECRET\"`"
            )));
        }
        let start = input.fork();
        let name = input.call(Ident::parse_any)?;
        let value = if input.peek(Token![=]) {
            let eq: Token![=] = input.parse()?;
            let mut value = TokenStream::new();
            while !input.is_empty() && !input.peek(Token![,]) {
                value.extend([input.parse::<TokenTree>()?]);
            }
            if value.is_empty() {
                return Err(syn::Error::new(
                    eq.span,
                    format!("expected a value after `{name} =` in {attr}"),
                ));
            }
            Some(value)
        } else if input.is_empty() || input.peek(Token![,]) {
            None
        } else {
            return Err(input.error(format!("expected `=` after `{name}` in {attr}")));
        };
        let tokens = tokens_between(&start, input);
        args.push(RawArg {
            name,
            value,
            tokens,
            duplicate: false,
        });
        if !input.is_empty() {
            input.parse::<Token![,]>()?;
        }
    }
    Ok(args)
}

/// The tokens `start` has that `end` no longer has.
fn tokens_between(start: ParseStream<'_>, end: ParseStream<'_>) -> TokenStream {
    let mut tokens = TokenStream::new();
    let stop = end.cursor();
    let mut cursor = start.cursor();
    while cursor != stop {
        match cursor.token_tree() {
            Some((token, next)) => {
                tokens.extend([token]);
                cursor = next;
            }
            None => break,
        }
    }
    tokens
}

fn value(arg: &RawArg, attr: &str, errors: &mut Errors) -> Option<TokenStream> {
    if arg.value.is_none() {
        let name = &arg.name;
        errors.spanned(
            name,
            format!("{attr} argument `{name}` needs a value, like `{name} = ...`"),
        );
    }
    arg.value.clone()
}

fn string(attr: &str, name: &Ident, value: TokenStream) -> syn::Result<LitStr> {
    match syn::parse2::<Lit>(value.clone()) {
        Ok(Lit::Str(lit)) => Ok(lit),
        Ok(lit) => Err(syn::Error::new_spanned(
            lit,
            format!("{attr} argument `{name}` must be a string literal, like `{name} = \"...\"`"),
        )),
        Err(_) => Err(not_literal(attr, name, value, "a string literal")),
    }
}

fn integer(attr: &str, name: &Ident, value: TokenStream) -> syn::Result<LitInt> {
    match syn::parse2::<Lit>(value.clone()) {
        Ok(Lit::Int(lit)) => Ok(lit),
        Ok(lit) => Err(syn::Error::new_spanned(
            lit,
            format!(
                "{attr} argument `{name}` must be an integer literal without quotes, like `{name} = 64`"
            ),
        )),
        Err(_) => Err(not_literal(attr, name, value, "an integer literal")),
    }
}

/// `["a", "b"]`, or a single `"a"`.
fn string_list(attr: &str, name: &Ident, value: TokenStream, errors: &mut Errors) -> Vec<LitStr> {
    let mut tokens = value.clone().into_iter();
    let list = match (tokens.next(), tokens.next()) {
        (Some(TokenTree::Group(group)), None)
            if group.delimiter() == proc_macro2::Delimiter::Bracket =>
        {
            group.stream()
        }
        _ => {
            if let Ok(Lit::Str(lit)) = syn::parse2::<Lit>(value.clone()) {
                return vec![lit];
            }
            errors.spanned(
                value,
                format!("{attr} argument `{name}` must be a list of string literals, like `{name} = [\"acme\"]`"),
            );
            return Vec::new();
        }
    };
    let parser = |input: ParseStream<'_>| {
        let mut items = Vec::new();
        while !input.is_empty() {
            let mut item = TokenStream::new();
            while !input.is_empty() && !input.peek(Token![,]) {
                item.extend([input.parse::<TokenTree>()?]);
            }
            items.push(item);
            if !input.is_empty() {
                input.parse::<Token![,]>()?;
            }
        }
        Ok(items)
    };
    let items = errors.ok(parser.parse2(list)).unwrap_or_default();
    items
        .into_iter()
        .filter_map(|item| errors.ok(string(attr, name, item)))
        .collect()
}

/// The text of `default = <literal>`: strings as written, numbers and bools as their digits.
fn default_text(name: &Ident, value: TokenStream) -> syn::Result<String> {
    match syn::parse2::<Lit>(value.clone()) {
        Ok(Lit::Str(lit)) => Ok(lit.value()),
        Ok(Lit::Int(lit)) => Ok(lit.base10_digits().to_owned()),
        Ok(Lit::Float(lit)) => Ok(lit.base10_digits().to_owned()),
        Ok(Lit::Bool(lit)) => Ok(lit.value().to_string()),
        Ok(lit) => Err(syn::Error::new_spanned(
            lit,
            format!("{ENV_ATTR} argument `{name}` must be a string, number or bool literal"),
        )),
        Err(_) => Err(not_literal(ENV_ATTR, name, value, "a literal")),
    }
}

fn not_literal(attr: &str, name: &Ident, value: TokenStream, kind: &str) -> syn::Error {
    syn::Error::new_spanned(
        value,
        format!(
            "{attr} argument `{name}` must be {kind}: a macro cannot read constants or expressions"
        ),
    )
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use quote::quote;

    fn parse(tokens: TokenStream) -> (SecretArgs, Vec<String>) {
        let mut errors = Errors::default();
        let args = secret_args(tokens, MACRO, &mut errors);
        let messages = errors
            .finish()
            .err()
            .map(|e| e.into_iter().map(|e| e.to_string()).collect());
        (args, messages.unwrap_or_default())
    }

    #[test]
    fn reads_every_argument() {
        let (args, errors) = parse(quote!(
            var = "APP_SECRET",
            min_len = 48,
            alg = "HS384",
            deny = ["acme", "corp"]
        ));
        assert!(errors.is_empty(), "{errors:?}");
        assert_eq!(args.var.unwrap().value(), "APP_SECRET");
        assert_eq!(args.min_len.unwrap().base10_digits(), "48");
        assert_eq!(args.alg.unwrap().value(), "HS384");
        assert_eq!(
            args.deny.iter().map(LitStr::value).collect::<Vec<_>>(),
            ["acme", "corp"]
        );
    }

    #[test]
    fn reports_every_bad_argument_not_only_the_first() {
        let (args, errors) = parse(quote!(
            min_len = "64",
            colour = "red",
            var = VAR,
            alg = "HS512",
            var = "X"
        ));
        assert_eq!(errors.len(), 4, "{errors:?}");
        assert!(errors[0].contains("`min_len` must be an integer literal"));
        assert!(errors[1].contains("unknown #[jwt_secret_env] argument `colour`"));
        assert!(
            errors[2].contains("`var` must be a string literal: a macro cannot read constants")
        );
        assert!(errors[3].contains("duplicate #[jwt_secret_env] argument `var`"));
        assert_eq!(
            args.alg.unwrap().value(),
            "HS512",
            "good arguments are still read"
        );
    }

    #[test]
    fn refuses_a_default_secret() {
        let (_, errors) = parse(quote!(default = "dev-secret"));
        assert_eq!(errors.len(), 1);
        assert!(errors[0].contains("no `default`: a hardcoded fallback secret"));
        assert!(
            !errors[0].contains("dev-secret"),
            "the message does not repeat the literal"
        );
    }

    #[test]
    fn deny_accepts_a_single_word_and_reports_non_strings() {
        assert_eq!(parse(quote!(deny = "acme")).0.deny.len(), 1);
        let (args, errors) = parse(quote!(deny = ["acme", 7, WORD]));
        assert_eq!(args.deny.len(), 1);
        assert_eq!(errors.len(), 2, "{errors:?}");
    }

    #[test]
    fn malformed_syntax_is_an_error_not_a_panic() {
        for tokens in [
            quote!("JWT"),
            quote!(var "X"),
            quote!(var =),
            quote!(var = "X" "Y"),
            quote!(min_len),
        ] {
            let (_, errors) = parse(tokens.clone());
            assert_eq!(errors.len(), 1, "{tokens}: {errors:?}");
        }
    }

    #[test]
    fn env_defaults_read_numbers_and_bools_as_text() {
        for (tokens, text) in [
            (quote!(#[env(default = 8080)]), "8080"),
            (quote!(#[env(default = true)]), "true"),
            (quote!(#[env(default = "a b")]), "a b"),
        ] {
            let attr = syn::parse::Parser::parse2(Attribute::parse_outer, tokens)
                .unwrap()
                .remove(0);
            let mut errors = Errors::default();
            let args = env_args(&attr, &mut errors);
            assert!(errors.finish().is_ok());
            assert_eq!(args.default.unwrap().text, text);
        }
    }
}
