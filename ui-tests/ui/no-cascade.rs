// One mistake in the attribute; the code using the struct still type-checks, so the
// mistake is the only error.
#[jwt_guard::jwt_secret_env(min_len = 16)]
#[derive(Debug)]
struct Config {
    #[jwt_secret(var = "APP_SECRET")]
    jwt_secret: jwt_guard::JwtSecret,
    #[env(var = "PORT", default = "8080")]
    port: u16,
}

fn main() -> Result<(), jwt_guard::Error> {
    let config = Config::from_env()?;
    let _ = Config::from_lookup(|_| None);
    println!("{config:?} {}", config.port);
    Ok(())
}
