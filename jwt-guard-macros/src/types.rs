//! Type sniffing: what a field's type is, read from its tokens (a proc macro sees no
//! resolved types). `JwtSecret` is recognised by its last path segment, so
//! `jwt_guard::JwtSecret` and an imported `JwtSecret` both count.

use syn::{GenericArgument, PathArguments, Type};

/// What the macro needs to know about a field's type.
pub(crate) enum Shape<'a> {
    /// `JwtSecret`.
    Secret,
    /// `Option<JwtSecret>`.
    OptionalSecret,
    /// `Option<T>` of any other `T`.
    Optional(&'a Type),
    /// Anything else.
    Plain,
}

pub(crate) fn shape(ty: &Type) -> Shape<'_> {
    match option_inner(ty) {
        Some(inner) if is_jwt_secret(inner) => Shape::OptionalSecret,
        Some(inner) => Shape::Optional(inner),
        None if is_jwt_secret(ty) => Shape::Secret,
        None => Shape::Plain,
    }
}

fn last_segment(ty: &Type) -> Option<&syn::PathSegment> {
    match ty {
        Type::Path(path) if path.qself.is_none() => path.path.segments.last(),
        Type::Group(group) => last_segment(&group.elem),
        Type::Paren(paren) => last_segment(&paren.elem),
        _ => None,
    }
}

fn is_jwt_secret(ty: &Type) -> bool {
    last_segment(ty)
        .is_some_and(|segment| segment.ident == "JwtSecret" && segment.arguments.is_none())
}

/// `T` of `Option<T>`.
fn option_inner(ty: &Type) -> Option<&Type> {
    let segment = last_segment(ty).filter(|segment| segment.ident == "Option")?;
    let PathArguments::AngleBracketed(args) = &segment.arguments else {
        return None;
    };
    match args.args.iter().collect::<Vec<_>>().as_slice() {
        [GenericArgument::Type(inner)] => Some(inner),
        _ => None,
    }
}

/// Types that would hold a secret as plain, unvalidated text or bytes.
pub(crate) fn is_text(ty: &Type) -> bool {
    match ty {
        Type::Reference(reference) => match &*reference.elem {
            Type::Slice(_) => true,
            elem => last_segment(elem).is_some_and(|segment| segment.ident == "str"),
        },
        Type::Group(group) => is_text(&group.elem),
        Type::Paren(paren) => is_text(&paren.elem),
        _ => last_segment(ty).is_some_and(|segment| {
            [
                "String",
                "OsString",
                "Vec",
                "Box",
                "Arc",
                "Rc",
                "Cow",
                "SecretString",
                "SecretBox",
            ]
            .iter()
            .any(|name| segment.ident == name)
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shape_of(ty: &str) -> &'static str {
        let ty: Type = match syn::parse_str(ty) {
            Ok(ty) => ty,
            Err(error) => panic!("{ty}: {error}"),
        };
        match shape(&ty) {
            Shape::Secret => "secret",
            Shape::OptionalSecret => "optional secret",
            Shape::Optional(_) => "optional",
            Shape::Plain => "plain",
        }
    }

    #[test]
    fn shapes() {
        assert_eq!(shape_of("JwtSecret"), "secret");
        assert_eq!(shape_of("jwt_guard::JwtSecret"), "secret");
        assert_eq!(shape_of("Option<JwtSecret>"), "optional secret");
        assert_eq!(
            shape_of("std::option::Option<jwt_guard::JwtSecret>"),
            "optional secret"
        );
        assert_eq!(shape_of("Option<u16>"), "optional");
        assert_eq!(shape_of("u16"), "plain");
        assert_eq!(shape_of("JwtSecret<u8>"), "plain");
        assert_eq!(shape_of("Option<u8, u8>"), "plain");
    }
}
