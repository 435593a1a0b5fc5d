//! Generates `from_env`, `from_lookup` and `from_env_or_exit` from a [`Plan`], and the
//! fallback emitted when the input has mistakes.

use crate::errors::Errors;
use crate::ir::{FieldKind, FieldPlan, Plan, Policy};
use crate::parse::{self, MACRO};
use crate::policy_file;
use crate::validate;
use proc_macro2::{Span, TokenStream};
use quote::{format_ident, quote, quote_spanned};
use syn::spanned::Spanned;
use syn::{Data, DeriveInput, Field, Ident};

/// Attributes this macro reads on fields; removed from the struct it emits.
const HELPERS: [&str; 2] = ["env", "jwt_secret"];

pub(crate) fn expand(args: TokenStream, input: TokenStream) -> syn::Result<TokenStream> {
    let mut errors = Errors::default();
    let args = parse::secret_args(args, MACRO, &mut errors);
    let item: DeriveInput = match syn::parse2(input) {
        Ok(item) => item,
        // Attribute input is always a valid item, so this is a fn, an impl, a mod...
        Err(error) => {
            return Err(errors.and(syn::Error::new(
                error.span(),
                format!("{MACRO} expects a struct with named fields"),
            )));
        }
    };
    let file = policy_file::load();
    match (validate::validate(&item, &args, errors), file) {
        (Ok(mut plan), Ok(file)) => {
            let mut errors = Errors::default();
            policy_file::apply(&mut plan, &file, &mut errors);
            errors.finish()?;
            let mut output = generate(&item, &plan);
            output.extend(policy_file::tracked(&file));
            Ok(output)
        }
        (Err(error), Ok(_)) | (Ok(_), Err(error)) => Err(error),
        (Err(mut error), Err(file_error)) => {
            error.combine(file_error);
            Err(error)
        }
    }
}

/// What is emitted when [`expand`] fails: the errors, the item without the helper
/// attributes, and functions with the generated signatures, so that one mistake in
/// the attribute does not cascade into "cannot find type" or "no function named
/// `from_env`" errors in code that uses the struct.
pub(crate) fn fallback(error: syn::Error, input: TokenStream) -> TokenStream {
    let mut output = error.into_compile_error();
    match syn::parse2::<DeriveInput>(input.clone()) {
        Ok(item) => {
            let (impl_generics, ty_generics, where_clause) = item.generics.split_for_impl();
            let ident = &item.ident;
            let signatures = signatures();
            let [from_env, from_lookup, from_env_or_exit] = &signatures;
            // The bodies never run: this code only exists in a crate that fails to compile.
            output.extend(quote! {
                #[automatically_derived]
                impl #impl_generics #ident #ty_generics #where_clause {
                    pub const JWT_ALGORITHM: ::jwt_guard::__private::Algorithm = ::jwt_guard::__private::Algorithm::HS256;
                    #from_env { ::core::unreachable!() }
                    #from_lookup { ::core::unreachable!() }
                    #from_env_or_exit { ::core::unreachable!() }
                }
            });
            output.extend(strip_helpers(item));
        }
        Err(_) => output.extend(input),
    }
    output
}

fn generate(item: &DeriveInput, plan: &Plan) -> TokenStream {
    let ident = &item.ident;
    let lookup = Ident::new("lookup", Span::mixed_site());
    let errors = Ident::new("errors", Span::mixed_site());
    let values: Vec<Ident> = (0..plan.fields.len())
        .map(|index| format_ident!("field{}", index, span = Span::mixed_site()))
        .collect();
    let loads = plan.fields.iter().map(|field| load(field, &lookup));
    let members = plan.fields.iter().map(|field| &field.ident);
    let [from_env, from_lookup, from_env_or_exit] = signatures();
    let docs = docs(&ident.to_string(), plan);
    let item = strip_helpers(item.clone());
    let mut secrets = plan.fields.iter().filter_map(|field| match &field.kind {
        FieldKind::Secret(policy) => Some(policy),
        _ => None,
    });
    let algorithm = match (secrets.next(), secrets.next()) {
        (Some(policy), None) => {
            let alg = policy_file::algorithm(policy);
            let doc = format!(
                " The algorithm the secret's policy names ({}): the policy file's or the attribute's, HS256 when neither does. Hand it to `AuthGate`.",
                alg.name()
            );
            let alg = Ident::new(alg.name(), Span::call_site());
            quote! {
                #[doc = #doc]
                pub const JWT_ALGORITHM: ::jwt_guard::__private::Algorithm = ::jwt_guard::__private::Algorithm::#alg;
            }
        }
        _ => TokenStream::new(),
    };
    quote! {
        #item

        #[automatically_derived]
        impl #ident {
            #algorithm

            #[doc = #docs]
            #[doc = ""]
            #[doc = " Reads the process environment; see `from_lookup`."]
            #from_env {
                Self::from_lookup(|name: &str| ::std::env::var_os(name))
            }

            #[doc = #docs]
            #[doc = ""]
            #[doc = " Reads variables through `lookup` (name to value, `None` when unset), so tests need not touch the process environment."]
            #from_lookup {
                let #lookup: &mut ::jwt_guard::__private::Lookup<'_> = &mut #lookup;
                let mut #errors = ::jwt_guard::__private::Errors::new();
                #( let #values = #errors.take(#loads); )*
                match (#(#values,)*) {
                    (#(::jwt_guard::__private::Option::Some(#values),)*) => {
                        ::jwt_guard::__private::Result::Ok(Self { #(#members: #values),* })
                    }
                    _ => ::jwt_guard::__private::Result::Err(#errors.into_error()),
                }
            }

            #[doc = #docs]
            #[doc = ""]
            #[doc = " On any problem, logs it as a security warning, prints it to stderr and exits with a non-zero status."]
            #from_env_or_exit {
                ::jwt_guard::__private::exit_on_error(Self::from_env())
            }
        }
    }
}

/// The three generated signatures, shared by the real and the fallback impl.
fn signatures() -> [TokenStream; 3] {
    let lookup = Ident::new("lookup", Span::mixed_site());
    [
        quote!(pub fn from_env() -> ::jwt_guard::__private::Result<Self, ::jwt_guard::__private::Error>),
        quote! {
            pub fn from_lookup(
                mut #lookup: impl ::core::ops::FnMut(&str) -> ::jwt_guard::__private::Option<::jwt_guard::__private::OsString>,
            ) -> ::jwt_guard::__private::Result<Self, ::jwt_guard::__private::Error>
        },
        quote!(pub fn from_env_or_exit() -> Self),
    ]
}

fn load(field: &FieldPlan, lookup: &Ident) -> TokenStream {
    let var = &field.var;
    let name = &field.name;
    match &field.kind {
        FieldKind::Secret(policy) => {
            let policy = policy_expr(policy);
            quote!(::jwt_guard::__private::load_secret(#var, &#policy, #lookup))
        }
        FieldKind::PreviousSecret(policy) => {
            let policy = policy_expr(policy);
            quote!(::jwt_guard::__private::load_previous_secret(#var, &#policy, #lookup))
        }
        // Spanned on the type, so "the trait bound `T: FromStr` is not satisfied" points at it.
        FieldKind::Required { ty, default } => {
            let default = match default {
                Some(text) => quote!(::jwt_guard::__private::Option::Some(#text)),
                None => quote!(::jwt_guard::__private::Option::None),
            };
            quote_spanned!(ty.span()=> ::jwt_guard::__private::load_parsed::<#ty>(#var, #name, #default, #lookup))
        }
        FieldKind::Optional { inner } => {
            quote_spanned!(inner.span()=> ::jwt_guard::__private::load_optional::<#inner>(#var, #name, #lookup))
        }
    }
}

fn policy_expr(policy: &Policy) -> TokenStream {
    let file = policy.file.iter().map(|file| {
        let alg = Ident::new(file.alg.name(), Span::call_site());
        let min_len = file.min_len;
        let deny = &file.deny;
        quote! {
            .algorithm(::jwt_guard::__private::Algorithm::#alg)
            .min_len(#min_len)
            #(.deny_word(#deny))*
        }
    });
    let algorithms = policy
        .algorithms
        .iter()
        .map(|(name, _)| Ident::new(name, Span::call_site()));
    let min_lens = policy.min_lens.iter().map(|(min, _)| min);
    let deny = &policy.deny;
    quote! {
        ::jwt_guard::__private::SecretPolicy::default()
            #(#file)*
            #(.algorithm(::jwt_guard::__private::Algorithm::#algorithms))*
            #(.min_len(#min_lens))*
            #(.deny_word(#deny))*
    }
}

/// First line of each generated function's docs: which variable fills which field.
fn docs(ident: &str, plan: &Plan) -> String {
    let vars: Vec<String> = plan
        .fields
        .iter()
        .map(|field| {
            let how = match &field.kind {
                FieldKind::Secret(_) => "a validated JWT secret".to_owned(),
                FieldKind::PreviousSecret(_) => {
                    "optional: the previous JWT secret of a rotation, for verifying only".to_owned()
                }
                FieldKind::Required {
                    default: Some(default),
                    ..
                } => format!("default `{default}`"),
                FieldKind::Required { default: None, .. } => "required".to_owned(),
                FieldKind::Optional { .. } => "optional".to_owned(),
            };
            format!("`{}` ({how})", field.var)
        })
        .collect();
    format!(
        " Loads `{ident}` from {}; every missing or rejected variable is reported in one error.",
        vars.join(", ")
    )
}

fn strip_helpers(mut item: DeriveInput) -> TokenStream {
    let fields: Vec<&mut Field> = match &mut item.data {
        Data::Struct(data) => data.fields.iter_mut().collect(),
        Data::Enum(data) => data
            .variants
            .iter_mut()
            .flat_map(|variant| variant.fields.iter_mut())
            .collect(),
        Data::Union(data) => data.fields.named.iter_mut().collect(),
    };
    for field in fields {
        field
            .attrs
            .retain(|attr| !HELPERS.iter().any(|helper| attr.path().is_ident(helper)));
    }
    quote!(#item)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fallback_of(args: TokenStream, input: TokenStream) -> String {
        let error = expand(args, input.clone())
            .err()
            .map(|error| fallback(error, input));
        error.map(|tokens| tokens.to_string()).unwrap_or_default()
    }

    #[test]
    fn a_fallback_keeps_the_item_without_helper_attributes() {
        let output = fallback_of(
            quote!(min_len = 16),
            quote!(
                struct Config {
                    #[jwt_secret(var = "S")]
                    s: JwtSecret,
                    #[env(default = "1")]
                    #[doc = "kept"]
                    n: u8,
                }
            ),
        );
        assert!(output.contains("compile_error"), "{output}");
        assert!(output.contains("struct Config"), "{output}");
        assert!(output.contains("doc = \"kept\""), "{output}");
        assert!(
            !output.contains("# [jwt_secret") && !output.contains("# [env"),
            "{output}"
        );
        assert!(
            output.contains("pub fn from_lookup"),
            "the signatures stay, so callers compile: {output}"
        );
    }

    #[test]
    fn an_item_that_is_not_a_struct_is_passed_through_unchanged() {
        let output = fallback_of(
            TokenStream::new(),
            quote!(
                fn config() -> u8 {
                    1
                }
            ),
        );
        assert!(
            output.contains("expects a struct with named fields"),
            "{output}"
        );
        assert!(output.contains("fn config () -> u8 { 1 }"), "{output}");
    }

    #[test]
    fn a_valid_struct_expands_without_helper_attributes() {
        let input = quote!(
            struct Config {
                #[jwt_secret(alg = "HS384")]
                s: JwtSecret,
                #[env(var = "P")]
                p: Option<u16>,
            }
        );
        let output = expand(TokenStream::new(), input)
            .map(|tokens| tokens.to_string())
            .unwrap_or_default();
        assert!(output.contains("load_secret (\"JWT_SECRET\""), "{output}");
        assert!(
            output.contains(". algorithm (:: jwt_guard :: __private :: Algorithm :: HS384)"),
            "{output}"
        );
        assert!(
            output.contains("load_optional :: < u16 > (\"P\" , \"p\""),
            "{output}"
        );
        assert!(
            !output.contains("# [env") && !output.contains("# [jwt_secret"),
            "{output}"
        );
    }
}
