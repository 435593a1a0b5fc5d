// Several mistakes: each is reported, in one compile.
#[jwt_guard::jwt_secret_env(min_len = 16, alg = "RS256")]
struct Config {
    #[env(default = "my-dev-secret")]
    jwt_secret: jwt_guard::JwtSecret,
    #[env(var = "")]
    port: u16,
}

fn main() {}
