//! Loads `JWT_SECRET` the strict way, logging through env_logger: the child process of
//! the start-up tests.

fn main() {
    env_logger::Builder::new()
        .filter_level(log::LevelFilter::Warn)
        .init();
    let _secret = jwt_guard::JwtSecret::from_env_or_exit();
    println!("secret loaded");
}
