//! Compile errors and accepted forms of `#[jwt_secret_env]`.
//!
//! The `.stderr` files hold rustc's exact output, which changes between releases, so
//! the test runs only on the toolchain they were generated with (as clap does).
//! Regenerate with `TRYBUILD=overwrite cargo test -p jwt-guard-ui-tests`, then review
//! each diff like code.

#[rustversion::attr(not(stable(1.95)), ignore)]
#[test]
fn ui() {
    let cases = trybuild::TestCases::new();
    cases.compile_fail("ui/*.rs");
    cases.pass("ui/pass/*.rs");
}
