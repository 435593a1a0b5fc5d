// The guard: scans src/ and build.rs, and fails the build on a hardcoded JWT secret.
fn main() {
    jwt_guard::build::check();
}
