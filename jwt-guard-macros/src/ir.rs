//! The intermediate form between `validate` and `expand`: one resolved variable and one
//! loading rule per field. A [`Plan`] exists only when the input had no mistake.

use proc_macro2::Span;
use syn::{Ident, Type};

pub(crate) struct Plan {
    pub(crate) fields: Vec<FieldPlan>,
}

pub(crate) struct FieldPlan {
    pub(crate) ident: Ident,
    /// The field's name as users read it (`r#type` is `type`).
    pub(crate) name: String,
    pub(crate) var: String,
    pub(crate) kind: FieldKind,
}

/// How a field is loaded. Everything else about a field (is it a secret, does its
/// `{VAR}_FILE` count as taken) follows from this.
pub(crate) enum FieldKind {
    Secret(Policy),
    /// A rotation's previous secret: `{VAR}_PREVIOUS` of the single secret, its policy.
    PreviousSecret(Policy),
    Required {
        ty: Type,
        default: Option<String>,
    },
    Optional {
        inner: Type,
    },
}

impl FieldKind {
    /// A `JwtSecret` field, the struct's (not a rotation's previous one).
    pub(crate) fn is_secret(&self) -> bool {
        matches!(self, FieldKind::Secret(_))
    }

    /// `#[jwt_secret(previous)]`.
    pub(crate) fn is_previous(&self) -> bool {
        matches!(self, FieldKind::PreviousSecret(_))
    }

    /// Either secret: read from `{VAR}` or the file `{VAR}_FILE` names.
    pub(crate) fn reads_a_secret(&self) -> bool {
        self.is_secret() || self.is_previous()
    }
}

/// The tightenings of `SecretPolicy::default()`: the policy file's first, then the
/// struct's arguments, then the field's. Each argument keeps its span, for an error when
/// it asks less than the policy file.
#[derive(Clone, Default)]
pub(crate) struct Policy {
    pub(crate) algorithms: Vec<(&'static str, Span)>,
    pub(crate) min_lens: Vec<(usize, Span)>,
    pub(crate) deny: Vec<String>,
    /// What the policy file requires of this secret, when it declares anything.
    pub(crate) file: Option<jwt_guard_policy::file::SecretRequirement>,
}

impl Policy {
    pub(crate) fn extend(&mut self, more: Policy) {
        self.algorithms.extend(more.algorithms);
        self.min_lens.extend(more.min_lens);
        self.deny.extend(more.deny);
    }
}
