//! trybuild cases for `#[jwt_secret_env]`: see tests/ui.rs.
